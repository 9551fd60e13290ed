/* publisher.c: the libgqlsse publish API (gqlsse/publish.h): validates events
 * with the codec, then sends them on an XPUB socket connected to the broker. */
#include "config.h"

#include <gqlsse/publish.h>

#include "bus/codec.h"
#include "bus/control.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

/* An XPUB rather than a PUB: it behaves the same towards the broker's XSUB,
 * but it lets us read the broker's subscription (so we know when it is
 * connected and receiving: the slow-joiner cure) and, with ZMQ_XPUB_NODROP,
 * report a full send queue instead of dropping silently. */
struct gqlsse_publisher {
    void *ctx;
    int own_ctx;
    void *sock;
    int ready;            /* a subscription from the broker has arrived */
    size_t max_message;
    gql_buf topic, payload;
    char last_id[GQLSSE_BUS_MAX_ID + 1];
    char err[320];
};

static void set_err(gqlsse_publisher *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(gqlsse_publisher *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, sizeof p->err, fmt, ap);
    va_end(ap);
}

static int valid_address(const char *a)
{
    return strncmp(a, "tcp://", 6) == 0 || strncmp(a, "ipc://", 6) == 0 ||
           strncmp(a, "inproc://", 9) == 0;
}

gqlsse_publisher *gqlsse_publisher_new(const char *address)
{
    gqlsse_publisher_options o = {0};
    o.address = address;
    o.linger_ms = -1;
    return gqlsse_publisher_new_opts(&o, NULL);
}

static void fail_msg(char **err, const char *what, const char *detail)
{
    if (!err)
        return;
    size_t n = strlen(what) + strlen(detail) + 3;
    *err = malloc(n);
    if (*err)
        snprintf(*err, n, "%s: %s", what, detail);
}

gqlsse_publisher *gqlsse_publisher_new_opts(const gqlsse_publisher_options *opts, char **err)
{
    gqlsse_publisher_options o = {0};
    o.linger_ms = -1;
    if (opts)
        o = *opts;
    if (err)
        *err = NULL;
    const char *address = o.address ? o.address : GQLSSE_PUBLISH_DEFAULT_ADDRESS;
    if (!valid_address(address)) {
        fail_msg(err, address, "not a tcp://, ipc:// or inproc:// address");
        errno = EINVAL;
        return NULL;
    }
    gqlsse_publisher *p = calloc(1, sizeof *p);
    if (!p) {
        fail_msg(err, "publisher", "out of memory");
        errno = ENOMEM;
        return NULL;
    }
    p->max_message = o.max_message ? o.max_message : GQLSSE_BUS_DEFAULT_MAX_MESSAGE;
    p->ctx = o.zmq_context;
    if (!p->ctx) {
        p->ctx = zmq_ctx_new();
        p->own_ctx = 1;
        if (!p->ctx)
            goto zfail;
    }
    p->sock = zmq_socket(p->ctx, ZMQ_XPUB);
    if (!p->sock)
        goto zfail;
    int hwm = o.sndhwm > 0 ? o.sndhwm : 10000;
    int linger = o.linger_ms < 0 ? 2000 : o.linger_ms;
    int one = 1;
    if (zmq_setsockopt(p->sock, ZMQ_SNDHWM, &hwm, sizeof hwm) ||
        zmq_setsockopt(p->sock, ZMQ_LINGER, &linger, sizeof linger) ||
        zmq_setsockopt(p->sock, ZMQ_XPUB_NODROP, &one, sizeof one))
        goto zfail;
    if (zmq_connect(p->sock, address) != 0)
        goto zfail;
    return p;
zfail: {
    int e = errno;
    fail_msg(err, address, zmq_strerror(e));
    if (p->sock) {
        int zero = 0;
        zmq_setsockopt(p->sock, ZMQ_LINGER, &zero, sizeof zero);
        zmq_close(p->sock);
    }
    if (p->own_ctx && p->ctx)
        zmq_ctx_term(p->ctx);
    free(p);
    errno = e;
    return NULL;
}
}

/* Reads the subscription messages the broker sent (never blocks). */
static void drain_subscriptions(gqlsse_publisher *p)
{
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, p->sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return;
        }
        if (zmq_msg_size(&m) >= 1 && ((const unsigned char *)zmq_msg_data(&m))[0] == 1)
            p->ready = 1;
        zmq_msg_close(&m);
    }
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int gqlsse_publisher_wait_ready(gqlsse_publisher *p, int timeout_ms)
{
    p->err[0] = '\0';
    drain_subscriptions(p);
    long long deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
    while (!p->ready) {
        long long left = timeout_ms < 0 ? -1 : deadline - now_ms();
        if (timeout_ms >= 0 && left <= 0) {
            set_err(p, "the broker did not answer within %d ms", timeout_ms);
            return 0;
        }
        zmq_pollitem_t it = {p->sock, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, (long)left) < 0) {
            if (errno == EINTR)
                continue;
            set_err(p, "zmq_poll: %s", zmq_strerror(errno));
            return -1;
        }
        drain_subscriptions(p);
    }
    return 1;
}

static gqlsse_publish_status send_built(gqlsse_publisher *p)
{
    if (zmq_send(p->sock, p->topic.data, p->topic.len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(p->sock, p->payload.data, p->payload.len, ZMQ_DONTWAIT) < 0) {
        /* A multipart message is atomic: a refused first frame sends nothing. */
        if (errno == EAGAIN) {
            set_err(p, "the send queue towards the broker is full (high-water mark)");
            return GQLSSE_PUBLISH_EFULL;
        }
        set_err(p, "zmq_send: %s", zmq_strerror(errno));
        return GQLSSE_PUBLISH_EZMQ;
    }
    return GQLSSE_PUBLISH_OK;
}

static gqlsse_publish_status publish(gqlsse_publisher *p, int model, const char *name,
                                     const char *event, const char *id, const char *data)
{
    char gen[GQLSSE_BUS_RUN_ID_LEN + 1];
    p->err[0] = '\0';
    drain_subscriptions(p);
    if (!id || !*id) {
        if (gqlsse_bus_random_id(gen) < 0) {
            set_err(p, "cannot generate an event id: no randomness available");
            return GQLSSE_PUBLISH_EZMQ;
        }
        id = gen;
    }
    gql_buf_reset(&p->topic);
    gql_buf_reset(&p->payload);
    size_t dlen = data ? strlen(data) : 0;
    int r = model ? gqlsse_bus_encode_model(&p->topic, &p->payload, name, event, id, data, dlen,
                                            p->max_message, p->err, sizeof p->err)
                  : gqlsse_bus_encode_topic(&p->topic, &p->payload, name, id, data, dlen,
                                            p->max_message, p->err, sizeof p->err);
    if (r < 0) {
        if (p->topic.oom || p->payload.oom) {
            gql_buf_free(&p->topic);
            gql_buf_free(&p->payload);
            return GQLSSE_PUBLISH_ENOMEM;
        }
        return strstr(p->err, "larger than the limit") ? GQLSSE_PUBLISH_ETOOBIG
                                                       : GQLSSE_PUBLISH_EINVAL;
    }
    gqlsse_publish_status st = send_built(p);
    if (st == GQLSSE_PUBLISH_OK)
        snprintf(p->last_id, sizeof p->last_id, "%s", id);
    return st;
}

gqlsse_publish_status gqlsse_publisher_publish_model(gqlsse_publisher *p, const char *model,
                                                     const char *event, const char *json_data)
{
    return publish(p, 1, model, event, NULL, json_data);
}

gqlsse_publish_status gqlsse_publisher_publish_topic(gqlsse_publisher *p, const char *topic,
                                                     const char *json_data)
{
    return publish(p, 0, topic, NULL, NULL, json_data);
}

gqlsse_publish_status gqlsse_publisher_publish_model_id(gqlsse_publisher *p, const char *model,
                                                        const char *event, const char *id,
                                                        const char *json_data)
{
    return publish(p, 1, model, event, id, json_data);
}

gqlsse_publish_status gqlsse_publisher_publish_topic_id(gqlsse_publisher *p, const char *topic,
                                                        const char *id, const char *json_data)
{
    return publish(p, 0, topic, NULL, id, json_data);
}

gqlsse_publish_status gqlsse_publisher_send_raw(gqlsse_publisher *p, const char *topic,
                                                size_t topic_len, const char *json,
                                                size_t json_len)
{
    p->err[0] = '\0';
    drain_subscriptions(p);
    if (json_len > p->max_message || topic_len > GQLSSE_BUS_MAX_TOPIC) {
        set_err(p, "message larger than the limit");
        return GQLSSE_PUBLISH_ETOOBIG;
    }
    gql_buf_reset(&p->topic);
    gql_buf_reset(&p->payload);
    gql_buf_append(&p->topic, topic, topic_len);
    gql_buf_append(&p->payload, json, json_len);
    if (p->topic.oom || p->payload.oom) {
        gql_buf_free(&p->topic);
        gql_buf_free(&p->payload);
        return GQLSSE_PUBLISH_ENOMEM;
    }
    return send_built(p);
}

const char *gqlsse_publisher_last_id(const gqlsse_publisher *p)
{
    return p->last_id;
}

const char *gqlsse_publisher_error(const gqlsse_publisher *p)
{
    return p->err;
}

void gqlsse_publisher_free(gqlsse_publisher *p)
{
    if (!p)
        return;
    zmq_close(p->sock); /* lingers per ZMQ_LINGER in zmq_ctx_term */
    if (p->own_ctx)
        zmq_ctx_term(p->ctx);
    gql_buf_free(&p->topic);
    gql_buf_free(&p->payload);
    free(p);
}
