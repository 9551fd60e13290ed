/* subscriber.c: the worker's SUB socket on the broker's backend: receive
 * multipart messages without blocking, for an epoll loop (ZMQ_FD). */
#include "config.h"

#include "bus/subscriber.h"

#include <zmq.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gqlsse_bus_sub {
    void *ctx;   /* owned */
    void *sock;  /* owned */
    int fd;
};

gqlsse_bus_sub *gqlsse_bus_sub_new(const char *address, size_t max_message, char *err,
                                   size_t errlen)
{
    gqlsse_bus_sub *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->ctx = zmq_ctx_new();
    if (s->ctx)
        s->sock = zmq_socket(s->ctx, ZMQ_SUB);
    if (!s->sock) {
        snprintf(err, errlen, "broker: cannot create a ZeroMQ socket: %s", zmq_strerror(errno));
        gqlsse_bus_sub_free(s);
        return NULL;
    }
    int hwm = 100000, linger = 0, ivl = 100, ivl_max = 2000, hb = 10000, hbt = 30000;
    int64_t maxmsg = (int64_t)max_message + 65536;
    size_t fdlen = sizeof s->fd;
    if (zmq_setsockopt(s->sock, ZMQ_RCVHWM, &hwm, sizeof hwm) ||
        zmq_setsockopt(s->sock, ZMQ_LINGER, &linger, sizeof linger) ||
        zmq_setsockopt(s->sock, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl) ||
        zmq_setsockopt(s->sock, ZMQ_RECONNECT_IVL_MAX, &ivl_max, sizeof ivl_max) ||
        zmq_setsockopt(s->sock, ZMQ_HEARTBEAT_IVL, &hb, sizeof hb) ||
        zmq_setsockopt(s->sock, ZMQ_HEARTBEAT_TIMEOUT, &hbt, sizeof hbt) ||
        zmq_setsockopt(s->sock, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg) ||
        zmq_getsockopt(s->sock, ZMQ_FD, &s->fd, &fdlen)) {
        snprintf(err, errlen, "broker: socket options: %s", zmq_strerror(errno));
        gqlsse_bus_sub_free(s);
        return NULL;
    }
    if (zmq_connect(s->sock, address) != 0) {
        snprintf(err, errlen, "broker: cannot connect to %s: %s", address, zmq_strerror(errno));
        gqlsse_bus_sub_free(s);
        return NULL;
    }
    return s;
}

void gqlsse_bus_sub_free(gqlsse_bus_sub *s)
{
    if (!s)
        return;
    if (s->sock)
        zmq_close(s->sock);
    if (s->ctx)
        zmq_ctx_term(s->ctx);
    free(s);
}

int gqlsse_bus_sub_fd(const gqlsse_bus_sub *s)
{
    return s->fd;
}

int gqlsse_bus_sub_subscribe(gqlsse_bus_sub *s, const char *prefix)
{
    return zmq_setsockopt(s->sock, ZMQ_SUBSCRIBE, prefix, strlen(prefix)) ? -1 : 0;
}

int gqlsse_bus_sub_unsubscribe(gqlsse_bus_sub *s, const char *prefix)
{
    return zmq_setsockopt(s->sock, ZMQ_UNSUBSCRIBE, prefix, strlen(prefix)) ? -1 : 0;
}

int gqlsse_bus_sub_drain(gqlsse_bus_sub *s, unsigned max, gqlsse_bus_sub_cb cb, void *ud)
{
    for (unsigned got = 0; got < max; got++) {
        int events = 0;
        size_t elen = sizeof events;
        if (zmq_getsockopt(s->sock, ZMQ_EVENTS, &events, &elen) != 0)
            return errno == EINTR ? 1 : -1;
        if (!(events & ZMQ_POLLIN))
            return 0;
        zmq_msg_t parts[3];
        gqlsse_bus_frames m = {.nframes = 0};
        int more = 1, failed = 0;
        while (more) {
            zmq_msg_t tmp;
            zmq_msg_t *p = m.nframes < 3 ? &parts[m.nframes] : &tmp;
            zmq_msg_init(p);
            if (zmq_msg_recv(p, s->sock, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(p);
                failed = 1;
                break;
            }
            more = zmq_msg_more(p);
            if (m.nframes < 3) {
                m.frame[m.nframes] = zmq_msg_data(p);
                m.len[m.nframes] = zmq_msg_size(p);
            } else
                zmq_msg_close(p);
            m.nframes++;
        }
        if (!failed && m.nframes > 0)
            cb(ud, &m);
        for (int i = 0; i < m.nframes && i < 3; i++)
            zmq_msg_close(&parts[i]);
        if (failed && errno != EAGAIN && errno != EINTR)
            return -1;
    }
    return 1;
}
