/* server.c: gqlsse-ws: sockets, the upgrade handshake, wslay around our
 * epoll loop, and the graphql-transport-ws state machine. */
#include "config.h"

#include "ws/server.h"

#include "graphql/execution/exec_internal.h" /* gqlx_json_write: JSON.stringify */

#include "http/app.h"
#include "http/hub.h"
#include "http/loop.h"
#include "util/list.h"
#include "ws/handshake.h"
#include "ws/protocol.h"

#include <gqlsse/buf.h>
#include <gqlsse/error.h>
#include <gqlsse/execute.h>
#include <gqlsse/parser.h>
#include <gqlsse/validate.h>

#include <wslay/wslay.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define LOG(s, lvl, ...) gqlsse_log((s)->log, (lvl), __VA_ARGS__)

/* How long a client has to send its upgrade request. */
#define HANDSHAKE_TIMEOUT_MS 10000
/* How long we wait for the peer's close frame after sending ours. */
#define CLOSE_TIMEOUT_MS 3000
/* How long SIGTERM waits for the close handshakes. */
#define SHUTDOWN_GRACE_MS 3000

typedef struct ws_sock ws_sock;
typedef struct gqlsse_ws_pending gqlsse_ws_pending;

/* One active operation of a socket (graphql-ws ctx.subscriptions[id]). */
typedef struct ws_op {
    gqlsse_link link; /* its socket's operations */
    ws_sock *sock;
    char *id; /* owned; may hold NUL bytes (JSON strings can) */
    size_t id_len;
    gqlsse_op *hop; /* the hub's running subscription, NULL when none */
    char *next_prefix; /* owned: {"id":ID,"type":"next","payload": */
    size_t next_prefix_len;
    int errored;    /* `error` sent: the hub's end() sends no `complete` */
} ws_op;

/* S_DRAIN: our close frame is out but wslay stopped reading (a message
 * over ws_max_message_size): the write side is shut and input discarded
 * until the peer closes, so that closing the fd with unread input does not
 * reset the connection before the peer has read the close frame. */
enum { S_HEAD, S_OPEN, S_DRAIN };

struct ws_sock {
    gqlsse_link link;      /* the server's live sockets */
    ws_sock *next_dead;
    gqlsse_ws_server *srv;
    gqlsse_io io;
    int state;
    uint32_t events;       /* current epoll interest */
    /* S_HEAD: the request head read so far (owned). S_OPEN: the bytes that
     * followed the head (the first frames), handed to wslay first. */
    char *buf;
    size_t len, cap, off;
    /* Owned: the request head and its parse (~1 KiB), kept for the
     * connection-init hooks only: an acked idle socket holds neither. */
    char *headers;
    gqlsse_ws_request *rq;
    wslay_event_context_ptr ctx;
    char peer[INET6_ADDRSTRLEN];
    char *identity;        /* owned; NULL: anonymous */
    unsigned proto_ok : 1, init_received : 1, acked : 1, awaiting_pong : 1, closing : 1,
        dead : 1, in_recv : 1, trusted : 1;
    /* A frame header wslay handed us with WSLAY_MSG_MORE, sent together with
     * the payload that follows in one sendmsg (one syscall and one segment
     * per message instead of two). */
    uint8_t hdr[14];
    uint8_t hdr_len, hdr_off;
    /* The unsent rest of a message written directly (sock_send_direct),
     * owned; it goes out before anything wslay has queued. */
    uint8_t *raw;
    size_t raw_len, raw_off;
    gqlsse_timer init_timer;
    gqlsse_timer ping_timer;
    gqlsse_timer close_timer; /* handshake deadline, then the close handshake's */
    gqlsse_list ops;       /* ws_op.link */
    unsigned nops;
    /* connection_init in progress (the hooks, maybe answering later) */
    struct gqlsse_ws_pending *pending; /* the answer awaited, NULL: none */
    size_t init_module;                /* the next module whose hook runs */
    json_object *init_payload;         /* owned: connection_init's payload */
    json_object *init_ack;             /* owned: the ack payload so far */
    char *init_identity;               /* owned: the identity set so far */
};

/* An init hook's answer to come (module.h, GQLSSE_WS_INIT_PENDING). Made on
 * the loop thread; done() may run on any thread and only fills the answer
 * and queues it under the server's mutex; the loop applies it. */
struct gqlsse_ws_pending {
    struct gqlsse_ws_pending *next;             /* the answered queue (mutex) */
    gqlsse_link all;                            /* outstanding (loop thread) */
    gqlsse_ws_server *srv;
    ws_sock *sock; /* loop thread; NULL once the socket is gone */
    int rc;
    json_object *ack; /* owned */
    char *identity;   /* owned */
    char *error;      /* owned */
};

typedef struct listener {
    struct listener *next;
    gqlsse_io io;
    gqlsse_ws_server *srv;
    char *unix_path; /* owned; unlinked at exit */
} listener;

struct gqlsse_ws_server {
    const gqlsse_conf *conf;
    const gqlsse_logger *log;
    gqlsse_loop *loop;
    gqlsse_hub *hub;       /* owns the app, the modules, the broker subscriber */
    const gqlsse_app *app; /* the hub's */
    listener *listeners;
    gqlsse_list socks;     /* live sockets (ws_sock.link) */
    ws_sock *dead;
    unsigned nsocks;
    int sigfd;
    gqlsse_io sigio;
    int shutting_down;
    uint64_t shutdown_deadline;
    /* answers of pending connection-init hooks, from any thread */
    pthread_mutex_t answered_mu;
    gqlsse_ws_pending *answered; /* under answered_mu */
    int answered_fd;             /* eventfd: the loop wakes up */
    gqlsse_io answered_io;
    gqlsse_list pendings;        /* loop thread: every unanswered one (.all) */
    /* counters, logged at exit */
    unsigned long long accepted, slow_closed, dead_peers;
};

static void sock_flush(ws_sock *k);
static void init_state_clear(ws_sock *k);

/* ---- socket lifetime ---- */

/* Forgets the operation; a running subscription is cancelled in the hub
 * (no sink call follows). */
static void op_free(ws_op *op)
{
    ws_sock *k = op->sock;
    if (op->hop)
        gqlsse_op_cancel(op->hop);
    gqlsse_list_remove(&k->ops, &op->link);
    k->nops--;
    free(op->id);
    free(op->next_prefix);
    free(op);
}

static void sock_drop_ops(ws_sock *k)
{
    while (!gqlsse_list_empty(&k->ops))
        op_free(GQLSSE_LIST_FIRST(&k->ops, ws_op, link));
}

/* Ends the socket at once (no close frame): fd closed, timers stopped,
 * operations dropped; freed at the end of the loop iteration. */
static void sock_kill(ws_sock *k, const char *why)
{
    if (k->dead)
        return;
    gqlsse_ws_server *s = k->srv;
    if (why)
        LOG(s, GQLSSE_LOG_DEBUG, "socket %s: %s", k->peer, why);
    k->dead = 1;
    sock_drop_ops(k);
    if (k->pending) { /* its answer will find no socket */
        k->pending->sock = NULL;
        k->pending = NULL;
    }
    init_state_clear(k);
    gqlsse_timer_stop(s->loop, &k->init_timer);
    gqlsse_timer_stop(s->loop, &k->ping_timer);
    gqlsse_timer_stop(s->loop, &k->close_timer);
    gqlsse_io_del(s->loop, &k->io);
    close(k->io.fd);
    k->io.fd = -1;
    gqlsse_list_remove(&s->socks, &k->link);
    s->nsocks--;
    k->next_dead = s->dead;
    s->dead = k;
}

static void sock_free(ws_sock *k)
{
    if (k->ctx)
        wslay_event_context_free(k->ctx);
    free(k->buf);
    free(k->headers);
    free(k->rq);
    free(k->identity);
    free(k->raw);
    free(k);
}

static void free_dead(gqlsse_ws_server *s)
{
    while (s->dead) {
        ws_sock *k = s->dead;
        s->dead = k->next_dead;
        sock_free(k);
    }
}

static void close_timeout_cb(void *arg)
{
    sock_kill(arg, "no close frame from the peer in time");
}

/* Closes the socket with `code` and `reason` (graphql-ws socket.close):
 * operations end silently, the close frame goes out after what is queued,
 * and the peer has CLOSE_TIMEOUT_MS to answer it. */
static void sock_close(ws_sock *k, uint16_t code, const char *reason)
{
    if (k->dead || k->closing)
        return;
    k->closing = 1;
    sock_drop_ops(k);
    gqlsse_timer_stop(k->srv->loop, &k->init_timer);
    size_t rl = strlen(reason);
    if (rl > GQLSSE_WS_MAX_REASON)
        rl = 0;
    LOG(k->srv, GQLSSE_LOG_DEBUG, "socket %s: closing %u %s", k->peer, code, reason);
    if (wslay_event_queue_close(k->ctx, code, (const uint8_t *)reason, rl) != 0) {
        sock_kill(k, "cannot queue the close frame");
        return;
    }
    gqlsse_timer_start(k->srv->loop, &k->close_timer, CLOSE_TIMEOUT_MS);
    if (!k->in_recv)
        sock_flush(k);
}

/* ---- wslay I/O ---- */

static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags,
                       void *user)
{
    (void)flags;
    ws_sock *k = user;
    if (k->off < k->len) { /* bytes that came with the request head */
        size_t n = k->len - k->off < len ? k->len - k->off : len;
        memcpy(buf, k->buf + k->off, n);
        k->off += n;
        if (k->off == k->len) {
            free(k->buf);
            k->buf = NULL;
            k->len = k->off = k->cap = 0;
        }
        return (ssize_t)n;
    }
    for (;;) {
        ssize_t r = read(k->io.fd, buf, len);
        if (r > 0)
            return r;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        else
            wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
}

/* Writes iov with MSG_NOSIGNAL. Returns bytes written, or -1 with errno. */
static ssize_t send_iov(int fd, struct iovec *iov, int n)
{
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)n};
    for (;;) {
        ssize_t r = sendmsg(fd, &mh, MSG_NOSIGNAL);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

/* Sends the staged frame header alone (wslay had nothing after it).
 * Returns 0 when sent or would block, -1 when the connection failed. */
static int send_staged(ws_sock *k)
{
    if (!k->hdr_len)
        return 0;
    struct iovec iov = {k->hdr + k->hdr_off, (size_t)(k->hdr_len - k->hdr_off)};
    ssize_t r = send_iov(k->io.fd, &iov, 1);
    if (r < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    k->hdr_off = (uint8_t)(k->hdr_off + r);
    if (k->hdr_off == k->hdr_len)
        k->hdr_len = k->hdr_off = 0;
    return 0;
}

/* Sends what is left of a directly written message. Returns 0 (all sent,
 * or would block), -1 when the connection failed. */
static int send_raw(ws_sock *k)
{
    while (k->raw_off < k->raw_len) {
        struct iovec iov = {k->raw + k->raw_off, k->raw_len - k->raw_off};
        ssize_t r = send_iov(k->io.fd, &iov, 1);
        if (r < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        k->raw_off += (size_t)r;
    }
    free(k->raw);
    k->raw = NULL;
    k->raw_len = k->raw_off = 0;
    return 0;
}

static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *user)
{
    ws_sock *k = user;
    if (!k->hdr_len && (flags & WSLAY_MSG_MORE) && len <= sizeof k->hdr) {
        memcpy(k->hdr, data, len);
        k->hdr_len = (uint8_t)len;
        k->hdr_off = 0;
        return (ssize_t)len;
    }
    struct iovec iov[2];
    int n = 0;
    size_t staged = (size_t)(k->hdr_len - k->hdr_off);
    if (staged)
        iov[n++] = (struct iovec){k->hdr + k->hdr_off, staged};
    iov[n++] = (struct iovec){(void *)data, len};
    ssize_t r = send_iov(k->io.fd, iov, n);
    if (r < 0) {
        wslay_event_set_error(ctx, errno == EAGAIN || errno == EWOULDBLOCK
                                       ? WSLAY_ERR_WOULDBLOCK
                                       : WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    if ((size_t)r < staged) {
        k->hdr_off = (uint8_t)(k->hdr_off + r);
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    k->hdr_len = k->hdr_off = 0;
    r -= (ssize_t)staged;
    if (r == 0) { /* only the header went out: the payload waits */
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    return r;
}

/* Sets the epoll interest from what wslay wants; ends the socket when it
 * wants nothing more (both close frames exchanged). */
static void sock_update(ws_sock *k)
{
    if (k->dead)
        return;
    int r = wslay_event_want_read(k->ctx),
        w = wslay_event_want_write(k->ctx) || k->hdr_len || k->raw_len;
    if (!r && !w) {
        if (wslay_event_get_close_received(k->ctx)) {
            sock_kill(k, "closed");
            return;
        }
        k->state = S_DRAIN;
        shutdown(k->io.fd, SHUT_WR);
        if (!k->close_timer.slot)
            gqlsse_timer_start(k->srv->loop, &k->close_timer, CLOSE_TIMEOUT_MS);
        r = 1;
    }
    uint32_t ev = (r ? EPOLLIN : 0) | (w ? EPOLLOUT : 0) | EPOLLRDHUP;
    if (ev != k->events) {
        if (gqlsse_io_mod(k->srv->loop, &k->io, ev) < 0) {
            sock_kill(k, "epoll_ctl failed");
            return;
        }
        k->events = ev;
    }
}

static void sock_flush(ws_sock *k)
{
    if (k->dead)
        return;
    if (send_raw(k) < 0) {
        sock_kill(k, "write failed");
        return;
    }
    if (!k->raw_len && ((wslay_event_want_write(k->ctx) && wslay_event_send(k->ctx) != 0) ||
                        send_staged(k) < 0)) {
        sock_kill(k, "write failed");
        return;
    }
    sock_update(k);
}

/* Queues one text message. A socket whose queue would pass ws_max_backlog
 * is a slow consumer: it is closed (1013), the others are unaffected. */
static void sock_send(ws_sock *k, const char *data, size_t len)
{
    if (k->dead || k->closing)
        return;
    gqlsse_ws_server *s = k->srv;
    if (wslay_event_get_queued_msg_length(k->ctx) + (k->raw_len - k->raw_off) + len >
        s->conf->ws_max_backlog_bytes) {
        s->slow_closed++;
        LOG(s, GQLSSE_LOG_WARN, "socket %s: outbound queue over %zu bytes: closing a slow consumer",
            k->peer, s->conf->ws_max_backlog_bytes);
        sock_close(k, GQLSSE_WS_CLOSE_TRY_AGAIN, "Slow consumer");
        return;
    }
    struct wslay_event_msg msg = {.opcode = WSLAY_TEXT_FRAME,
                                  .msg = (const uint8_t *)data,
                                  .msg_length = len};
    if (wslay_event_queue_msg(k->ctx, &msg) != 0) {
        sock_kill(k, "cannot queue a message");
        return;
    }
    if (!k->in_recv)
        sock_flush(k);
}

static void sock_send_buf(ws_sock *k, gql_buf *b)
{
    if (b->oom) {
        sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
        return;
    }
    sock_send(k, b->data, b->len);
}

/* Sends one text message given in pieces straight to the socket when
 * nothing else is waiting to go out (wslay's queue empty, no frame in
 * progress): one sendmsg, no copy. What the socket does not take at once is
 * kept in k->raw and goes out first later. Returns 0 when the message was
 * taken (sent, kept, or the socket died), -1 when the caller must queue it
 * through wslay (sock_send). */
static int sock_send_direct(ws_sock *k, const struct iovec *parts, int nparts)
{
    if (k->dead || k->closing || k->in_recv || k->hdr_len || k->raw_len || nparts > 6 ||
        wslay_event_want_write(k->ctx))
        return -1;
    size_t len = 0;
    for (int i = 0; i < nparts; i++)
        len += parts[i].iov_len;
    uint8_t hdr[10];
    size_t hl;
    hdr[0] = 0x81; /* FIN, text */
    if (len < 126) {
        hdr[1] = (uint8_t)len;
        hl = 2;
    } else if (len < 65536) {
        hdr[1] = 126;
        hdr[2] = (uint8_t)(len >> 8);
        hdr[3] = (uint8_t)len;
        hl = 4;
    } else {
        hdr[1] = 127;
        for (int i = 0; i < 8; i++)
            hdr[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
        hl = 10;
    }
    struct iovec iov[7];
    iov[0] = (struct iovec){hdr, hl};
    for (int i = 0; i < nparts; i++)
        iov[1 + i] = parts[i];
    ssize_t r = send_iov(k->io.fd, iov, nparts + 1);
    if (r < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            sock_kill(k, "write failed");
            return 0;
        }
        r = 0;
    }
    size_t total = hl + len, done = (size_t)r;
    if (done == total)
        return 0;
    uint8_t *rest = malloc(total - done);
    if (!rest) {
        sock_kill(k, "out of memory");
        return 0;
    }
    size_t at = 0, skip = done;
    for (int i = 0; i < nparts + 1; i++) {
        size_t n = iov[i].iov_len;
        if (skip >= n) {
            skip -= n;
            continue;
        }
        memcpy(rest + at, (const uint8_t *)iov[i].iov_base + skip, n - skip);
        at += n - skip;
        skip = 0;
    }
    k->raw = rest;
    k->raw_len = total - done;
    k->raw_off = 0;
    sock_update(k);
    return 0;
}

/* ---- operations ---- */

static ws_op *op_find(ws_sock *k, const char *id, size_t len)
{
    for (ws_op *op = GQLSSE_LIST_FIRST(&k->ops, ws_op, link); op;
         op = GQLSSE_LIST_NEXT(op, ws_op, link))
        if (op->id_len == len && !memcmp(op->id, id, len))
            return op;
    return NULL;
}

/* {"id":ID,"type":TYPE[,"payload":...]}: the head up to the payload's value. */
static void msg_head(gql_buf *b, const ws_op *op, const char *type)
{
    gql_buf_puts(b, "{\"id\":");
    gql_buf_json_string(b, op->id, op->id_len);
    gql_buf_printf(b, ",\"type\":\"%s\"", type);
}

/* Sends `error` with `errors_json` (a JSON array) and ends the operation
 * (graphql-ws: no `complete` after `error`). */
static void op_error(ws_op *op, const char *errors_json, size_t len)
{
    gql_buf b = GQL_BUF_INIT;
    msg_head(&b, op, "error");
    gql_buf_puts(&b, ",\"payload\":");
    gql_buf_append(&b, errors_json, len);
    gql_buf_putc(&b, '}');
    ws_sock *k = op->sock;
    op_free(op);
    sock_send_buf(k, &b);
    gql_buf_free(&b);
}

static void op_error_message(ws_op *op, const char *message, int status, const char *code)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "[{\"message\":");
    gql_buf_json_string(&b, message, strlen(message));
    if (status)
        gql_buf_printf(&b, ",\"extensions\":{\"status_code\":%d,\"error_code\":\"%s\"}", status,
                       code);
    gql_buf_puts(&b, "}]");
    if (b.oom)
        sock_close(op->sock, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
    else
        op_error(op, b.data, b.len);
    gql_buf_free(&b);
}

static void op_next(ws_op *op, const char *result_json, size_t len)
{
    ws_sock *k = op->sock;
    if (!op->next_prefix) {
        gql_buf p = GQL_BUF_INIT;
        msg_head(&p, op, "next");
        gql_buf_puts(&p, ",\"payload\":");
        if (!p.oom) {
            op->next_prefix_len = p.len;
            op->next_prefix = gql_buf_take(&p);
        }
        gql_buf_free(&p);
    }
    if (op->next_prefix &&
        k->srv->conf->ws_max_backlog_bytes >= op->next_prefix_len + len + 11) {
        struct iovec parts[3] = {{op->next_prefix, op->next_prefix_len},
                                 {(void *)result_json, len},
                                 {(void *)"}", 1}};
        if (sock_send_direct(k, parts, 3) == 0)
            return;
    }
    gql_buf b = GQL_BUF_INIT;
    msg_head(&b, op, "next");
    gql_buf_puts(&b, ",\"payload\":");
    gql_buf_append(&b, result_json, len);
    gql_buf_putc(&b, '}');
    sock_send_buf(op->sock, &b);
    gql_buf_free(&b);
}

/* Sends `complete` and ends the operation. */
static void op_complete(ws_op *op)
{
    gql_buf b = GQL_BUF_INIT;
    msg_head(&b, op, "complete");
    gql_buf_putc(&b, '}');
    ws_sock *k = op->sock;
    op_free(op);
    sock_send_buf(k, &b);
    gql_buf_free(&b);
}

/* ---- the hub's sink: one subscription operation of a socket ---- */

/* The `errors` array of an ExecutionResult as JSON, into `b`. Returns 0, or
 * -1 when there is none (or on OOM). */
static int result_errors(const char *json, size_t len, gql_buf *b)
{
    json_object *res = NULL, *errors = NULL;
    if (gql_json_parse(json, len, &res, NULL, 0) < 0 || !res)
        return -1;
    int rc = -1;
    if (json_object_object_get_ex(res, "errors", &errors) &&
        json_object_is_type(errors, json_type_array) && json_object_array_length(errors) > 0) {
        gql_buf_puts(b, json_object_to_json_string_ext(errors, JSON_C_TO_STRING_PLAIN |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
        rc = b->oom ? -1 : 0;
    }
    json_object_put(res);
    return rc;
}

/* A result of the hub. As Undine: a final error result (raised error,
 * failed permission) is sent as `error`, and so is a first result with
 * errors (which also ends the operation); other results are `next`. */
static int ws_sink_next(void *sink, const char *json, size_t len, unsigned flags)
{
    ws_op *op = sink;
    ws_sock *k = op->sock;
    if (k->dead || k->closing)
        return -1;
    int first_error = (flags & GQLSSE_RESULT_FIRST) && !(flags & GQLSSE_RESULT_FINAL) &&
                      memmem(json, len, "\"errors\"", 8) != NULL;
    if ((flags & GQLSSE_RESULT_FINAL) || first_error) {
        gql_buf b = GQL_BUF_INIT;
        if (result_errors(json, len, &b) == 0) {
            if (first_error) {
                op->hop = NULL; /* -1 below cancels it */
                op_error(op, b.data, b.len); /* frees op */
                gql_buf_free(&b);
                return -1;
            }
            op->errored = 1;
            gql_buf g = GQL_BUF_INIT;
            msg_head(&g, op, "error");
            gql_buf_puts(&g, ",\"payload\":");
            gql_buf_append(&g, b.data, b.len);
            gql_buf_putc(&g, '}');
            sock_send_buf(k, &g);
            gql_buf_free(&g);
            gql_buf_free(&b);
            return k->dead || k->closing ? -1 : 0;
        }
        gql_buf_free(&b);
    }
    op_next(op, json, len);
    return k->dead || k->closing ? -1 : 0;
}

static void ws_sink_end(void *sink, int complete)
{
    ws_op *op = sink;
    op->hop = NULL; /* the hub is done with it */
    if (complete && !op->errored)
        op_complete(op); /* frees op */
    else
        op_free(op);
}

static const gqlsse_sink_vt ws_sink = {.next = ws_sink_next, .end = ws_sink_end};

/* What the stream-open hooks see of a socket as CGI parameters. */
static const char *op_param(void *data, const char *name)
{
    ws_sock *k = data;
    if (!strcmp(name, "REMOTE_USER"))
        return k->identity;
    if (!strcmp(name, "REMOTE_ADDR"))
        return k->peer;
    return NULL;
}

/* Runs a subscribe message's operation. Queries and mutations execute at
 * once; as Undine, a result with errors is sent as `error` (else `next`
 * then `complete`), and so are parse and validation errors. */
static void op_run(ws_op *op, const gqlsse_ws_msg *m)
{
    ws_sock *k = op->sock;
    gqlsse_ws_server *s = k->srv;
    const gqlsse_conf *cf = s->conf;
    gql_parse_options po = gqlsse_conf_parse_options(cf);
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_buf b = GQL_BUF_INIT;
    gql_document *doc = gql_parse(m->query, m->query_len, &po, &errs);
    if (doc)
        gql_validate(s->app->schema, doc, NULL, &errs);
    if (errs.count) {
        gql_error_list_to_json(&b, &errs);
        if (b.oom)
            sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
        else
            op_error(op, b.data, b.len);
        goto out;
    }
    const gql_node *opn = gqlsse_find_operation(doc, m->operation_name, m->operation_name_len);
    if (!opn) {
        op_error_message(op, "Unable to identify operation", 0, NULL);
        goto out;
    }
    if (opn->operation == GQL_OP_QUERY && !cf->ws_allow_queries) {
        op_error_message(op, "Cannot use WebSockets for queries.", 405,
                         "CANNOT_USE_WEBSOCKETS_FOR_QUERIES");
        goto out;
    }
    if (opn->operation == GQL_OP_MUTATION && !cf->ws_allow_mutations) {
        op_error_message(op, "Cannot use WebSockets for mutations.", 405,
                         "CANNOT_USE_WEBSOCKETS_FOR_MUTATIONS");
        goto out;
    }
    if (opn->operation == GQL_OP_SUBSCRIPTION) {
        char *name = m->operation_name ? strdup(m->operation_name) : NULL;
        if (m->operation_name && !name) {
            sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
            goto out;
        }
        gqlsse_op_start start = {.doc = doc,
                                 .variables = json_object_get(m->variables),
                                 .operation_name = name,
                                 .operation = opn,
                                 .query = m->query,
                                 .identity = k->identity,
                                 .param = op_param,
                                 .param_data = k,
                                 .sink_vt = &ws_sink,
                                 .sink = op};
        doc = NULL; /* the hub's now */
        /* Results (and the end, which frees `op`) may flow during the call;
         * a NULL return means `op` is gone. */
        gqlsse_op *hop = gqlsse_hub_start(s->hub, &start);
        if (hop)
            op->hop = hop;
        goto out;
    }
    gql_context ctx = {.identity = k->identity, .request = k, .user = NULL};
    gql_execute_args ea = {.schema = s->app->schema,
                           .runtime = s->app->runtime,
                           .document = doc,
                           .variables = m->variables,
                           .operation_name = m->operation_name,
                           .context = &ctx};
    gql_result res = GQL_RESULT_INIT;
    int r = gql_execute(&ea, &res);
    if (r < 0) {
        gql_result_clear(&res);
        sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
        goto out;
    }
    if (res.errors.count) {
        gql_error_list_to_json(&b, &res.errors);
        gql_result_clear(&res);
        if (b.oom)
            sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
        else
            op_error(op, b.data, b.len);
        goto out;
    }
    gql_result_to_json(&b, &res);
    gql_result_clear(&res);
    if (b.oom) {
        sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
        goto out;
    }
    op_next(op, b.data, b.len);
    if (!k->dead && !k->closing)
        op_complete(op);
out:
    gql_buf_free(&b);
    gql_error_list_clear(&errs);
    gql_document_free(doc);
}

/* ---- protocol messages ---- */

static const char *init_header(const gqlsse_ws_init *in, const char *name)
{
    ws_sock *k = in->host_data;
    return k->rq ? gqlsse_ws_request_header(k->rq, name) : NULL;
}

/* ---- connection_init: the modules' hooks, possibly answering later ---- */

static void pending_free(gqlsse_ws_pending *p)
{
    json_object_put(p->ack);
    free(p->identity);
    free(p->error);
    free(p);
}

/* in->done: thread-safe. */
static void pending_done(gqlsse_ws_pending *p, int rc, const gqlsse_ws_init_result *result)
{
    gqlsse_ws_server *s = p->srv;
    p->rc = rc;
    if (result) {
        p->ack = result->ack_payload;
        p->identity = result->identity ? strdup(result->identity) : NULL;
        p->error = result->error ? strdup(result->error) : NULL;
    }
    pthread_mutex_lock(&s->answered_mu);
    p->next = s->answered;
    s->answered = p;
    pthread_mutex_unlock(&s->answered_mu);
    uint64_t one = 1;
    if (write(s->answered_fd, &one, sizeof one) < 0)
        (void)0; /* the counter saturating still wakes the loop */
}

static void init_state_clear(ws_sock *k)
{
    json_object_put(k->init_payload);
    json_object_put(k->init_ack);
    free(k->init_identity);
    k->init_payload = k->init_ack = NULL;
    k->init_identity = NULL;
}

static void init_refuse(ws_sock *k, const char *error)
{
    const char *why =
        error && *error && strlen(error) <= GQLSSE_WS_MAX_REASON ? error : "Forbidden";
    char reason[GQLSSE_WS_MAX_REASON + 1];
    snprintf(reason, sizeof reason, "%s", why);
    init_state_clear(k);
    sock_close(k, GQLSSE_WS_CLOSE_FORBIDDEN, reason);
}

/* An ack's payload and identity accumulate over the modules (the last set
 * wins). Takes over `ack`. Returns 0, -1 on OOM. */
static int init_take(ws_sock *k, json_object *ack, const char *identity)
{
    if (ack) {
        json_object_put(k->init_ack);
        k->init_ack = ack;
    }
    if (identity) {
        char *dup = strdup(identity);
        if (!dup)
            return -1;
        free(k->init_identity);
        k->init_identity = dup;
    }
    return 0;
}

static void init_ack(ws_sock *k)
{
    if (k->init_identity) {
        free(k->identity);
        k->identity = k->init_identity;
        k->init_identity = NULL;
    }
    /* The request head served the hooks; an idle socket keeps no more. */
    free(k->headers);
    free(k->rq);
    k->headers = NULL;
    k->rq = NULL;
    k->acked = 1;
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "{\"type\":\"connection_ack\"");
    if (k->init_ack && json_object_is_type(k->init_ack, json_type_object)) {
        gql_buf_puts(&b, ",\"payload\":");
        gql_buf_puts(&b, json_object_to_json_string_ext(k->init_ack, JSON_C_TO_STRING_PLAIN |
                                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
    }
    gql_buf_putc(&b, '}');
    init_state_clear(k);
    sock_send_buf(k, &b);
    gql_buf_free(&b);
}

/* Runs the hooks from module k->init_module on; acks when all agreed. */
static void init_run(ws_sock *k)
{
    gqlsse_ws_server *s = k->srv;
    for (size_t i = k->init_module; i < s->app->nmodules; i++) {
        const gqlsse_module *mod = s->app->modules[i].mod;
        if (!GQLSSE_MODULE_HAS(mod, ws_connection_init) || !mod->ws_connection_init)
            continue;
        gqlsse_ws_pending *p = calloc(1, sizeof *p);
        if (!p) {
            sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
            return;
        }
        p->srv = s;
        gqlsse_ws_init in = {.identity = k->identity,
                             .payload = k->init_payload,
                             .header = init_header,
                             .peer = k->peer,
                             .host_data = k,
                             .pending = p,
                             .done = pending_done};
        gqlsse_ws_init_result out = {0};
        int rc = mod->ws_connection_init(&in, s->app->modules[i].state, &out);
        if (rc == GQLSSE_WS_INIT_PENDING) {
            json_object_put(out.ack_payload);
            p->sock = k;
            k->pending = p;
            k->init_module = i + 1;
            gqlsse_list_push(&s->pendings, &p->all);
            return;
        }
        free(p);
        if (rc != GQLSSE_WS_INIT_ACK) {
            json_object_put(out.ack_payload);
            init_refuse(k, out.error);
            return;
        }
        if (init_take(k, out.ack_payload, out.identity) < 0) {
            sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
            return;
        }
    }
    init_ack(k);
}

/* The loop's side of pending answers (the eventfd is readable). */
static void answered_cb(void *arg, uint32_t events)
{
    gqlsse_ws_server *s = arg;
    (void)events;
    uint64_t n;
    if (read(s->answered_fd, &n, sizeof n) < 0)
        (void)0;
    pthread_mutex_lock(&s->answered_mu);
    gqlsse_ws_pending *list = s->answered;
    s->answered = NULL;
    pthread_mutex_unlock(&s->answered_mu);
    while (list) {
        gqlsse_ws_pending *p = list;
        list = p->next;
        gqlsse_list_remove(&s->pendings, &p->all);
        ws_sock *k = p->sock;
        if (k && !k->dead && !k->closing) {
            k->pending = NULL;
            if (p->rc != GQLSSE_WS_INIT_ACK) {
                init_refuse(k, p->error);
            } else if (init_take(k, p->ack, p->identity) < 0) {
                sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
            } else {
                p->ack = NULL; /* k's now */
                init_run(k);
            }
            sock_flush(k);
        } else if (k) {
            k->pending = NULL;
        }
        pending_free(p);
    }
}

static void on_connection_init(ws_sock *k, const gqlsse_ws_msg *m)
{
    gqlsse_ws_server *s = k->srv;
    if (k->init_received) {
        sock_close(k, GQLSSE_WS_CLOSE_TOO_MANY_INITS, "Too many initialisation requests");
        return;
    }
    k->init_received = 1;
    gqlsse_timer_stop(s->loop, &k->init_timer);
    k->init_payload = json_object_get(m->payload);
    k->init_module = 0;
    init_run(k);
}

static void on_message(ws_sock *k, const char *text, size_t len)
{
    gqlsse_ws_server *s = k->srv;
    gqlsse_ws_msg m;
    const char *why;
    if (gqlsse_ws_msg_parse(text, len, &m, &why) < 0) {
        LOG(s, GQLSSE_LOG_DEBUG, "socket %s: invalid message: %s", k->peer, why);
        sock_close(k, GQLSSE_WS_CLOSE_BAD_REQUEST, "Invalid message received");
        return;
    }
    switch (m.type) {
    case GQLSSE_WS_MSG_CONNECTION_INIT:
        on_connection_init(k, &m);
        break;
    case GQLSSE_WS_MSG_PING: {
        gql_buf b = GQL_BUF_INIT;
        gql_buf_puts(&b, "{\"type\":\"pong\"");
        if (m.payload) {
            /* JSON.stringify, as graphql-ws echoes it: json-c would write
             * the client's 1e400 as `Infinity`, which is not JSON. */
            gql_buf_puts(&b, ",\"payload\":");
            gqlx_json_write(&b, m.payload);
        }
        gql_buf_putc(&b, '}');
        sock_send_buf(k, &b);
        gql_buf_free(&b);
        break;
    }
    case GQLSSE_WS_MSG_PONG:
        break;
    case GQLSSE_WS_MSG_SUBSCRIBE: {
        if (!k->acked) {
            sock_close(k, GQLSSE_WS_CLOSE_UNAUTHORIZED, "Unauthorized");
            break;
        }
        if (op_find(k, m.id, m.id_len)) {
            /* "Subscriber for <id> already exists". A reason over 123
             * bytes makes ws's close() throw in graphql-ws, which then
             * closes with 4500: the same here. */
            char reason[GQLSSE_WS_MAX_REASON + 1];
            int n = snprintf(reason, sizeof reason, "Subscriber for %.*s already exists",
                             (int)m.id_len, m.id);
            if (n > GQLSSE_WS_MAX_REASON)
                sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
            else
                sock_close(k, GQLSSE_WS_CLOSE_DUPLICATE, reason);
            break;
        }
        ws_op *op = calloc(1, sizeof *op);
        char *id = malloc(m.id_len + 1);
        if (!op || !id) {
            free(op);
            free(id);
            sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
            break;
        }
        memcpy(id, m.id, m.id_len);
        id[m.id_len] = '\0';
        op->id = id;
        op->id_len = m.id_len;
        op->sock = k;
        gqlsse_list_push(&k->ops, &op->link);
        k->nops++;
        if (k->nops > s->conf->ws_max_operations) {
            op_error_message(op, "Too many operations on this socket.", 429,
                             "TOO_MANY_OPERATIONS");
            break;
        }
        op_run(op, &m);
        break;
    }
    case GQLSSE_WS_MSG_COMPLETE: {
        /* The client is done with it: nothing more is sent for that id. */
        ws_op *op = op_find(k, m.id, m.id_len);
        if (op)
            op_free(op);
        break;
    }
    case GQLSSE_WS_MSG_CONNECTION_ACK:
    case GQLSSE_WS_MSG_NEXT:
    case GQLSSE_WS_MSG_ERROR:
        /* graphql-ws throws "Unexpected message of type ... received" and
         * its adapter closes with 4500 (the message is kept internal). */
        sock_close(k, GQLSSE_WS_CLOSE_INTERNAL, "Internal server error");
        break;
    }
    gqlsse_ws_msg_clear(&m);
}

static void msg_recv_cb(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg,
                        void *user)
{
    (void)ctx;
    ws_sock *k = user;
    if (k->dead)
        return;
    switch (arg->opcode) {
    case WSLAY_TEXT_FRAME:
    case WSLAY_BINARY_FRAME: /* graphql-ws reads binary frames as text too */
        if (!k->closing)
            on_message(k, (const char *)arg->msg, arg->msg_length);
        break;
    case WSLAY_PONG:
        k->awaiting_pong = 0;
        break;
    case WSLAY_CONNECTION_CLOSE:
        /* wslay answers the close frame itself; operations end now. */
        k->closing = 1;
        sock_drop_ops(k);
        break;
    default:
        break;
    }
}

static const struct wslay_event_callbacks wslay_cbs = {
    .recv_callback = recv_cb,
    .send_callback = send_cb,
    .on_msg_recv_callback = msg_recv_cb,
};

/* ---- timers ---- */

static void init_timeout_cb(void *arg)
{
    ws_sock *k = arg;
    if (!k->init_received)
        sock_close(k, GQLSSE_WS_CLOSE_INIT_TIMEOUT, "Connection initialisation timeout");
}

/* Keep-alive: a ping every ws_ping_interval; a peer that has not answered
 * the previous one by then is dead and dropped (as graphql-ws's useServer). */
static void ping_cb(void *arg)
{
    ws_sock *k = arg;
    gqlsse_ws_server *s = k->srv;
    if (k->awaiting_pong) {
        s->dead_peers++;
        sock_kill(k, "no pong within the ping interval");
        return;
    }
    if (k->closing)
        return;
    struct wslay_event_msg ping = {.opcode = WSLAY_PING, .msg = NULL, .msg_length = 0};
    if (wslay_event_queue_msg(k->ctx, &ping) != 0) {
        sock_kill(k, "cannot queue a ping");
        return;
    }
    k->awaiting_pong = 1;
    gqlsse_timer_start(s->loop, &k->ping_timer, s->conf->ws_ping_interval_ms);
    sock_flush(k);
}

/* ---- the upgrade handshake ---- */

static void http_error(ws_sock *k, int status, const char *reason)
{
    const char *text = status == 400   ? "Bad Request"
                       : status == 404 ? "Not Found"
                       : status == 405 ? "Method Not Allowed"
                       : status == 426 ? "Upgrade Required"
                       : status == 431 ? "Request Header Fields Too Large"
                                       : "Service Unavailable";
    char out[512];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n%s%s\r\n%s",
                     status, text, strlen(reason),
                     status == 426 ? "Sec-WebSocket-Version: 13\r\n" : "",
                     status == 405 ? "Allow: GET\r\n" : "", reason);
    /* Best effort: the socket is fresh, the answer small. */
    if (send(k->io.fd, out, (size_t)n, MSG_NOSIGNAL) < 0)
        (void)0;
}

static int sock_open(ws_sock *k, size_t head_len)
{
    gqlsse_ws_server *s = k->srv;
    k->headers = malloc(head_len);
    k->rq = malloc(sizeof *k->rq);
    if (!k->headers || !k->rq)
        return -1;
    memcpy(k->headers, k->buf, head_len);
    if (gqlsse_ws_request_parse(k->headers, head_len, k->rq) < 0) {
        http_error(k, 400, "Malformed request");
        return -1;
    }
    const char *why;
    int status = gqlsse_ws_request_check(k->rq, s->conf->endpoint, &why);
    if (status) {
        http_error(k, status, why);
        return -1;
    }
    k->proto_ok = (unsigned)gqlsse_ws_offers_protocol(k->rq);
    if (k->trusted) {
        /* `Forwarded` (lighttpd's proxy.forwarded): its remote_user; any
         * other header (Apache's RequestHeader): its whole value. */
        const char *user = gqlsse_ws_request_header(k->rq, s->conf->ws_identity_header);
        char fwd[256];
        if (user && !strcasecmp(s->conf->ws_identity_header, "Forwarded"))
            user = gqlsse_ws_forwarded_param(user, "remote_user", fwd, sizeof fwd) == 0 ? fwd : NULL;
        if (user && *user && !(k->identity = strdup(user)))
            return -1;
    }
    char accept_key[29];
    gqlsse_ws_accept_key(gqlsse_ws_request_header(k->rq, "Sec-WebSocket-Key"), accept_key);
    char out[256];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n%s\r\n",
                     accept_key,
                     k->proto_ok ? "Sec-WebSocket-Protocol: " GQLSSE_WS_PROTOCOL "\r\n" : "");
    /* NOTE: a fresh socket's send buffer takes these ~150 bytes whole; a
     * short write means the peer is already gone. */
    if (send(k->io.fd, out, (size_t)n, MSG_NOSIGNAL) != n)
        return -1;
    if (wslay_event_context_server_init(&k->ctx, &wslay_cbs, k) != 0)
        return -1;
    wslay_event_config_set_max_recv_msg_length(k->ctx, s->conf->ws_max_message_bytes);
    /* What followed the head: the first frames, read by recv_cb first. */
    k->off = head_len;
    if (k->off == k->len) {
        free(k->buf);
        k->buf = NULL;
        k->len = k->off = k->cap = 0;
    }
    k->state = S_OPEN;
    gqlsse_timer_stop(s->loop, &k->close_timer);
    k->close_timer.cb = close_timeout_cb;
    if (!k->proto_ok) {
        /* graphql-ws accepts the socket without a subprotocol, then closes it. */
        sock_close(k, GQLSSE_WS_CLOSE_SUBPROTOCOL, "Subprotocol not acceptable");
        return 0;
    }
    if (s->conf->ws_init_timeout_ms)
        gqlsse_timer_start(s->loop, &k->init_timer, s->conf->ws_init_timeout_ms);
    if (s->conf->ws_ping_interval_ms)
        gqlsse_timer_start(s->loop, &k->ping_timer, s->conf->ws_ping_interval_ms);
    return 0;
}

static void head_read(ws_sock *k)
{
    for (;;) {
        if (k->len == k->cap) {
            size_t cap = k->cap ? k->cap * 2 : 1024;
            if (cap > GQLSSE_WS_MAX_HEAD + 4096)
                cap = GQLSSE_WS_MAX_HEAD + 4096;
            if (cap == k->cap) {
                http_error(k, 431, "Request head too large");
                sock_kill(k, "request head too large");
                return;
            }
            char *nb = realloc(k->buf, cap);
            if (!nb) {
                sock_kill(k, "out of memory");
                return;
            }
            k->buf = nb;
            k->cap = cap;
        }
        ssize_t r = read(k->io.fd, k->buf + k->len, k->cap - k->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (r <= 0) {
            sock_kill(k, "gone during the handshake");
            return;
        }
        k->len += (size_t)r;
        long hl = gqlsse_ws_head_length(k->buf, k->len);
        if (hl < 0) {
            http_error(k, 431, "Request head too large");
            sock_kill(k, "request head too large");
            return;
        }
        if (hl == 0)
            continue;
        if (sock_open(k, (size_t)hl) < 0) {
            sock_kill(k, "handshake refused");
            return;
        }
        break;
    }
    /* The first frames may have come with the head. */
    if (!k->dead && k->off < k->len) {
        k->in_recv = 1;
        int rc = wslay_event_recv(k->ctx);
        k->in_recv = 0;
        if (rc != 0) {
            sock_kill(k, "read failed");
            return;
        }
    }
    sock_flush(k);
}

static void sock_cb(void *arg, uint32_t events)
{
    ws_sock *k = arg;
    if (k->dead)
        return;
    if (k->state == S_HEAD) {
        if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))
            head_read(k);
        return;
    }
    if (k->state == S_DRAIN) {
        char sink[4096];
        for (;;) {
            ssize_t r = read(k->io.fd, sink, sizeof sink);
            if (r > 0)
                continue;
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            sock_kill(k, "closed");
            return;
        }
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
        k->in_recv = 1;
        int rc = wslay_event_recv(k->ctx);
        k->in_recv = 0;
        if (rc != 0) {
            sock_kill(k, "connection lost");
            return;
        }
    }
    sock_flush(k);
}

static void handshake_timeout_cb(void *arg)
{
    sock_kill(arg, "no upgrade request in time");
}

/* ---- listeners ---- */

static int peer_trusted(const gqlsse_conf *c, const char *peer)
{
    for (size_t i = 0; i < c->nws_trusted_proxies; i++)
        if (!strcmp(c->ws_trusted_proxies[i], peer))
            return 1;
    return 0;
}

static void listener_cb(void *arg, uint32_t events)
{
    listener *l = arg;
    gqlsse_ws_server *s = l->srv;
    (void)events;
    for (;;) {
        struct sockaddr_storage sa;
        unsigned salen = sizeof sa;
        int fd = gqlsse_accept_conn(l->io.fd, &sa, &salen);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                LOG(s, GQLSSE_LOG_ERROR, "accept: %s", strerror(errno));
            return;
        }
        ws_sock *k = calloc(1, sizeof *k);
        if (!k) {
            close(fd);
            LOG(s, GQLSSE_LOG_ERROR, "accept: out of memory");
            continue;
        }
        k->srv = s;
        k->io.fd = fd;
        k->io.cb = sock_cb;
        k->io.arg = k;
        if (sa.ss_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, k->peer, sizeof k->peer);
        else if (sa.ss_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, k->peer, sizeof k->peer);
        else
            snprintf(k->peer, sizeof k->peer, "unix");
        k->trusted = (unsigned)peer_trusted(s->conf, k->peer);
        k->init_timer = (gqlsse_timer){.cb = init_timeout_cb, .arg = k};
        k->ping_timer = (gqlsse_timer){.cb = ping_cb, .arg = k};
        k->close_timer = (gqlsse_timer){.cb = handshake_timeout_cb, .arg = k};
        k->events = EPOLLIN | EPOLLRDHUP;
        if (gqlsse_io_add(s->loop, &k->io, k->events) < 0) {
            close(fd);
            free(k);
            continue;
        }
        gqlsse_list_push(&s->socks, &k->link);
        s->nsocks++;
        s->accepted++;
        if (s->nsocks > s->conf->ws_max_sockets || s->shutting_down) {
            LOG(s, GQLSSE_LOG_WARN, "socket refused: %u sockets open (ws_max_sockets %u)",
                s->nsocks - 1, s->conf->ws_max_sockets);
            http_error(k, 503, "Too many open sockets; retry later");
            sock_kill(k, NULL);
            continue;
        }
        gqlsse_timer_start(s->loop, &k->close_timer, HANDSHAKE_TIMEOUT_MS);
    }
}

static int open_socket(const char *addr, int backlog, char **unix_path, char *err, size_t errlen)
{
    int fd = -1;
    if (!strncmp(addr, "unix:", 5)) {
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        if (strlen(addr + 5) >= sizeof un.sun_path) {
            snprintf(err, errlen, "unix socket path too long: %s", addr + 5);
            return -1;
        }
        strcpy(un.sun_path, addr + 5);
        unlink(un.sun_path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&un, sizeof un) < 0 || listen(fd, backlog) < 0) {
            snprintf(err, errlen, "cannot listen on %s: %s", addr, strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        *unix_path = strdup(un.sun_path);
        return fd;
    }
    char host[256], port[32];
    const char *colon = strrchr(addr, ':');
    if (!colon) {
        snprintf(host, sizeof host, "127.0.0.1");
        snprintf(port, sizeof port, "%s", addr);
    } else {
        size_t hl = (size_t)(colon - addr);
        if (hl >= sizeof host) {
            snprintf(err, errlen, "bad listen address %s", addr);
            return -1;
        }
        memcpy(host, addr, hl);
        host[hl] = '\0';
        if (hl == 0)
            snprintf(host, sizeof host, "127.0.0.1");
        if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
            memmove(host, host + 1, hl - 2);
            host[hl - 2] = '\0';
        }
        snprintf(port, sizeof port, "%s", colon + 1);
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "bad listen address %s: %s", addr, gai_strerror(gai));
        return -1;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, backlog) == 0)
            break;
        close(fd);
        fd = -1;
    }
    if (fd < 0)
        snprintf(err, errlen, "cannot listen on %s: %s", addr, strerror(errno));
    freeaddrinfo(res);
    return fd;
}

int gqlsse_ws_server_listen(gqlsse_ws_server *s, const char *addr, int backlog, char *err,
                            size_t errlen)
{
    listener *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int fd = open_socket(addr, backlog, &l->unix_path, err, errlen);
    if (fd < 0) {
        free(l);
        return -1;
    }
    l->srv = s;
    l->io = (gqlsse_io){.fd = fd, .cb = listener_cb, .arg = l};
    if (gqlsse_io_add(s->loop, &l->io, EPOLLIN) < 0) {
        snprintf(err, errlen, "epoll: %s", strerror(errno));
        close(fd);
        free(l->unix_path);
        free(l);
        return -1;
    }
    l->next = s->listeners;
    s->listeners = l;
    LOG(s, GQLSSE_LOG_INFO, "listening on %s", addr);
    return 0;
}

/* ---- signals, the module host, the server ---- */

static void begin_shutdown(gqlsse_ws_server *s, const char *why)
{
    if (s->shutting_down)
        return;
    s->shutting_down = 1;
    s->shutdown_deadline = gqlsse_now_ms() + SHUTDOWN_GRACE_MS;
    LOG(s, GQLSSE_LOG_INFO, "%s: closing %u sockets (1001 Going away) and exiting", why,
        s->nsocks);
    for (listener *l = s->listeners; l; l = l->next) {
        gqlsse_io_del(s->loop, &l->io);
        close(l->io.fd);
        l->io.fd = -1;
    }
    ws_sock *next;
    for (ws_sock *k = GQLSSE_LIST_FIRST(&s->socks, ws_sock, link); k; k = next) {
        next = GQLSSE_LIST_NEXT(k, ws_sock, link);
        if (k->state == S_HEAD)
            sock_kill(k, NULL);
        else
            sock_close(k, GQLSSE_WS_CLOSE_GOING_AWAY, "Going away");
    }
}

static void signal_cb(void *arg, uint32_t events)
{
    gqlsse_ws_server *s = arg;
    (void)events;
    struct signalfd_siginfo si;
    while (read(s->sigfd, &si, sizeof si) == (ssize_t)sizeof si)
        begin_shutdown(s, si.ssi_signo == SIGTERM  ? "SIGTERM"
                          : si.ssi_signo == SIGINT ? "SIGINT"
                                                   : "SIGHUP");
}

gqlsse_ws_server *gqlsse_ws_server_new(const gqlsse_conf *conf, const gqlsse_logger *log,
                                       char *err, size_t errlen)
{
    gqlsse_ws_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->conf = conf;
    s->log = log;
    s->sigfd = -1;
    s->answered_fd = -1;
    pthread_mutex_init(&s->answered_mu, NULL);
    s->loop = gqlsse_loop_new();
    if (!s->loop) {
        snprintf(err, errlen, "out of memory");
        gqlsse_ws_server_free(s);
        return NULL;
    }
    s->hub = gqlsse_hub_new(conf, log, s->loop, err, errlen);
    if (!s->hub) {
        gqlsse_ws_server_free(s);
        return NULL;
    }
    s->app = gqlsse_hub_app(s->hub);
    s->answered_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    s->answered_io = (gqlsse_io){.fd = s->answered_fd, .cb = answered_cb, .arg = s};
    if (s->answered_fd < 0 || gqlsse_io_add(s->loop, &s->answered_io, EPOLLIN) < 0) {
        snprintf(err, errlen, "eventfd: %s", strerror(errno));
        gqlsse_ws_server_free(s);
        return NULL;
    }
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    s->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    s->sigio = (gqlsse_io){.fd = s->sigfd, .cb = signal_cb, .arg = s};
    if (s->sigfd < 0 || gqlsse_io_add(s->loop, &s->sigio, EPOLLIN) < 0) {
        snprintf(err, errlen, "signalfd: %s", strerror(errno));
        gqlsse_ws_server_free(s);
        return NULL;
    }
    return s;
}

int gqlsse_ws_server_run(gqlsse_ws_server *s)
{
    LOG(s, GQLSSE_LOG_INFO,
        "serving %s over WebSocket (init timeout %u ms, ping %u ms, max message %zu, "
        "max backlog %zu, max sockets %u)",
        s->conf->endpoint, s->conf->ws_init_timeout_ms, s->conf->ws_ping_interval_ms,
        s->conf->ws_max_message_bytes, s->conf->ws_max_backlog_bytes, s->conf->ws_max_sockets);
    for (;;) {
        int wait = -1;
        if (s->shutting_down) {
            uint64_t now = gqlsse_now_ms();
            if (gqlsse_list_empty(&s->socks) || now >= s->shutdown_deadline)
                break;
            wait = (int)(s->shutdown_deadline - now);
        }
        if (gqlsse_loop_run_once(s->loop, wait) < 0) {
            LOG(s, GQLSSE_LOG_ERROR, "epoll: %s", strerror(errno));
            return 1;
        }
        free_dead(s);
    }
    while (!gqlsse_list_empty(&s->socks))
        sock_kill(GQLSSE_LIST_FIRST(&s->socks, ws_sock, link), NULL);
    free_dead(s);
    gqlsse_hub_log_stats(s->hub);
    LOG(s, GQLSSE_LOG_INFO, "exiting: %llu sockets served, %llu slow consumers closed, "
                            "%llu dead peers dropped",
        s->accepted, s->slow_closed, s->dead_peers);
    return 0;
}

void gqlsse_ws_server_free(gqlsse_ws_server *s)
{
    if (!s)
        return;
    while (!gqlsse_list_empty(&s->socks))
        sock_kill(GQLSSE_LIST_FIRST(&s->socks, ws_sock, link), NULL);
    free_dead(s);
    while (s->listeners) {
        listener *l = s->listeners;
        s->listeners = l->next;
        if (l->io.fd >= 0) {
            gqlsse_io_del(s->loop, &l->io);
            close(l->io.fd);
        }
        if (l->unix_path) {
            unlink(l->unix_path);
            free(l->unix_path);
        }
        free(l);
    }
    if (s->sigfd >= 0) {
        gqlsse_io_del(s->loop, &s->sigio);
        close(s->sigfd);
    }
    /* The modules' fini (in gqlsse_hub_free) has let every pending answer
     * be given: what is left is freed. */
    gqlsse_hub_free(s->hub);
    /* answered or not, every one is still on the outstanding list */
    while (!gqlsse_list_empty(&s->pendings)) {
        gqlsse_ws_pending *p = GQLSSE_LIST_FIRST(&s->pendings, gqlsse_ws_pending, all);
        gqlsse_list_remove(&s->pendings, &p->all);
        pending_free(p);
    }
    s->answered = NULL;
    if (s->answered_fd >= 0) {
        gqlsse_io_del(s->loop, &s->answered_io);
        close(s->answered_fd);
    }
    pthread_mutex_destroy(&s->answered_mu);
    gqlsse_loop_free(s->loop);
    free(s);
}
