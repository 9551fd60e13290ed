/* loop.h: the worker's event loop: epoll for fds, a binary heap of one-shot
 * timers, a monotonic millisecond clock. One loop per process, used from the
 * loop thread only (nothing here is thread-safe). */
#ifndef GQLSSE_HTTP_LOOP_H
#define GQLSSE_HTTP_LOOP_H

#include <stddef.h>
#include <stdint.h>

typedef struct gqlsse_loop gqlsse_loop;
typedef void (*gqlsse_io_cb)(void *arg, uint32_t events);
typedef void (*gqlsse_timer_cb)(void *arg);

/* A timer handle embedded in its owner (never moves while armed). */
typedef struct gqlsse_timer {
    uint64_t due;      /* gqlsse_now_ms() deadline */
    size_t slot;       /* position in the heap + 1; 0 when not armed */
    gqlsse_timer_cb cb;
    void *arg;
} gqlsse_timer;

/* An fd watcher embedded in its owner. */
typedef struct gqlsse_io {
    int fd;
    gqlsse_io_cb cb;
    void *arg;
} gqlsse_io;

/* Returns a new loop owned by the caller (gqlsse_loop_free), NULL on error. */
gqlsse_loop *gqlsse_loop_new(void);
void gqlsse_loop_free(gqlsse_loop *l);

uint64_t gqlsse_now_ms(void);

/* epoll_ctl ADD / MOD / DEL with EPOLL* events. Return 0 or -1 (errno). */
int gqlsse_io_add(gqlsse_loop *l, gqlsse_io *io, uint32_t events);
int gqlsse_io_mod(gqlsse_loop *l, gqlsse_io *io, uint32_t events);
void gqlsse_io_del(gqlsse_loop *l, gqlsse_io *io);

/* Arms (or re-arms) `t` to call t->cb(t->arg) after delay_ms. Returns 0, -1
 * on OOM. */
int gqlsse_timer_start(gqlsse_loop *l, gqlsse_timer *t, uint64_t delay_ms);
void gqlsse_timer_stop(gqlsse_loop *l, gqlsse_timer *t);

/* Accepts one connection on the non-blocking listening socket `lfd`
 * (non-blocking, close-on-exec; TCP_NODELAY on TCP sockets, since every
 * write of our servers is a whole response, event or frame: Nagle's
 * algorithm could only hold them back). Retries EINTR and ECONNABORTED.
 * `sa`/`salen` receive the peer address (both may be NULL). Returns the new
 * fd (owned by the caller), or -1 with errno (EAGAIN/EWOULDBLOCK: none
 * pending). */
struct sockaddr_storage;
int gqlsse_accept_conn(int lfd, struct sockaddr_storage *sa, unsigned *salen);

/* Waits for events (at most max_wait_ms, or until the next timer) and runs
 * the callbacks of ready fds and due timers once. Returns the number of
 * callbacks run, -1 on a fatal epoll error. */
int gqlsse_loop_run_once(gqlsse_loop *l, int max_wait_ms);

#endif
