/* subscriber.h: a worker's SUB socket on gqlsse-broker's backend, driven by
 * an external event loop through ZMQ_FD (docs/broker-protocol.md). */
#ifndef GQLSSE_BUS_SUBSCRIBER_H
#define GQLSSE_BUS_SUBSCRIBER_H

#include <stddef.h>

/* One SUB socket. Not thread-safe: created, used and freed by one thread
 * (the worker's loop thread); ZeroMQ sockets are never shared. */
typedef struct gqlsse_bus_sub gqlsse_bus_sub;

/* One received message: its frames (borrowed, valid during the callback). */
typedef struct gqlsse_bus_frames {
    const void *frame[3];
    size_t len[3];
    int nframes;      /* frames received (> 3: only the first 3 are given) */
} gqlsse_bus_frames;

typedef void (*gqlsse_bus_sub_cb)(void *ud, const gqlsse_bus_frames *m);

/* Creates a context and a SUB socket connected (asynchronously; ZeroMQ
 * reconnects by itself) to `address`. Returns the subscriber owned by the
 * caller (gqlsse_bus_sub_free), or NULL with a message in err. */
gqlsse_bus_sub *gqlsse_bus_sub_new(const char *address, size_t max_message, char *err,
                                   size_t errlen);
void gqlsse_bus_sub_free(gqlsse_bus_sub *s);

/* The fd to watch for EPOLLIN (edge-triggered semantics: after a wake-up,
 * call gqlsse_bus_sub_drain until it returns 0). */
int gqlsse_bus_sub_fd(const gqlsse_bus_sub *s);

/* Adds / removes a prefix subscription. Return 0 or -1. After either,
 * drain: ZeroMQ may have pending input without signalling the fd again. */
int gqlsse_bus_sub_subscribe(gqlsse_bus_sub *s, const char *prefix);
int gqlsse_bus_sub_unsubscribe(gqlsse_bus_sub *s, const char *prefix);

/* Receives up to `max` messages, calling cb for each. Returns 1 when input
 * remains (call again), 0 when drained (ZMQ_EVENTS without POLLIN), -1 on
 * error. */
int gqlsse_bus_sub_drain(gqlsse_bus_sub *s, unsigned max, gqlsse_bus_sub_cb cb, void *ud);

#endif
