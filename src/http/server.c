/* server.c: the gqlsse-fcgi worker: FastCGI records parsed on an epoll loop,
 * GraphQL over HTTP, graphql-sse distinct connections streams with
 * keep-alives, bounded backlogs, client-gone detection and module sources,
 * and graphql-sse single connection mode across worker processes (state in
 * memcached, control messages through the broker: docs/single-connection.md).
 * Everything runs on the loop thread; nothing here is thread-safe. */
#include "config.h"

#include "http/server.h"

#include "http/hub.h"
#include "http/loop.h"
#include "http/request.h"
#include "http/store.h"
#include "util/list.h"
#include "util/strmap.h"
#include "bus/control.h"
#include "bus/subscriber.h"

#include <gqlsse/buf.h>
#include <gqlsse/execute.h>
#include <gqlsse/parser.h>
#include <gqlsse/publish.h>
#include <gqlsse/validate.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- FastCGI protocol constants (FastCGI 1.0 specification) ---- */
enum {
    FCGI_BEGIN_REQUEST = 1,
    FCGI_ABORT_REQUEST = 2,
    FCGI_END_REQUEST = 3,
    FCGI_PARAMS = 4,
    FCGI_STDIN = 5,
    FCGI_STDOUT = 6,
    FCGI_STDERR = 7,
    FCGI_DATA = 8,
    FCGI_GET_VALUES = 9,
    FCGI_GET_VALUES_RESULT = 10,
    FCGI_UNKNOWN_TYPE = 11,
    FCGI_RESPONDER = 1,
    FCGI_KEEP_CONN = 1,
    FCGI_REQUEST_COMPLETE = 0,
    FCGI_CANT_MPX_CONN = 1,
    FCGI_UNKNOWN_ROLE = 3
};

#define MAX_PARAMS_BYTES (64u * 1024u)
#define SHUTDOWN_GRACE_MS 3000u

typedef struct chunk {
    struct chunk *next;
    size_t len, off;
    char data[];
} chunk;

enum conn_state { C_IDLE, C_PARAMS, C_STDIN, C_DONE };

typedef struct stream stream;
typedef struct conn conn;
typedef struct sop sop;
typedef struct pending pending;

/* An SSE response in progress on a connection: distinct connections mode
 * (one operation, `op`) or single connection mode (`single`: the stream
 * reserved with `token`, carrying the operations in `ops`). Freed when it
 * ends. */
struct stream {
    conn *c;
    gqlsse_timer keepalive;
    uint64_t last_write;
    int finished; /* complete/end sent or client gone */
    gqlsse_op *op; /* its running subscription operation, NULL when none */
    gqlsse_link link;    /* the server's open streams */
    /* single connection mode */
    int single;
    char token[GQLSSE_TOKEN_LEN + 1];
    char *identity;
    gqlsse_list ops;     /* sop.link */
    gqlsse_timer locktimer; /* refreshes the stream lock every lock TTL / 3 */
};

/* One operation on a single connection stream (in the process holding the
 * stream). Its results are sent as {"id":ID,"payload":RESULT}. Owned by the
 * stream; freed when the operation ends or the stream ends. */
struct sop {
    stream *st;
    char *id;        /* the operation id (may hold NUL bytes) */
    size_t idlen;
    char *prefix;    /* {"id":ID,"payload": */
    char *done;      /* {"id":ID} */
    gqlsse_op *op;   /* the running subscription, NULL when none */
    gqlsse_link link; /* its stream's operations */
};

/* An operation submitted (202 not yet answered) whose stream is not open
 * yet: retried on a timer until the stream opens, the operation is
 * cancelled, the reservation goes away or operation_wait_timeout passes.
 * Owned by its connection (conn.pending). */
struct pending {
    conn *c;
    gqlsse_timer timer;
    uint64_t deadline;
    char token[GQLSSE_TOKEN_LEN + 1];
    char *identity;
    char *id;
    size_t idlen;
    gqlsse_gql_params gp;     /* the request's parameters */
    gqlsse_link link;         /* the server's pending submissions */
};

struct conn {
    gqlsse_io io;
    gqlsse_server *srv;
    int dead;
    int close_after_drain;
    int keep_conn;
    enum conn_state state;
    uint16_t req_id;
    unsigned char *rbuf; /* a partial record */
    size_t rlen;
    gqlsse_request req;
    chunk *out_head, *out_tail;
    unsigned nqueued;
    int want_out;
    stream *stream;
    pending *pending;   /* a single connection submission waiting for its stream */
    gqlsse_link link;   /* the server's live connections */
    conn *next_dead;
};

typedef struct listener {
    gqlsse_io io;
    gqlsse_server *srv;
    struct listener *next;
} listener;

struct gqlsse_server {
    const gqlsse_conf *conf;
    const gqlsse_logger *log;
    gqlsse_loop *loop;
    gqlsse_hub *hub;         /* the app and the running subscription operations */
    const gqlsse_app *app;   /* the hub's */
    listener *listeners;
    gqlsse_io sigio;
    int sigfd;
    int shutting_down;
    uint64_t shutdown_deadline;
    gqlsse_list conns;       /* live connections (conn.link) */
    conn *dead;
    gqlsse_list streams;     /* open streams (stream.link) */
    unsigned nstreams;
    unsigned char *rscratch;
    gql_buf out;             /* one event's FastCGI records */
    /* single connection mode */
    gqlsse_store *store;     /* memcached (connects on first use) */
    gqlsse_bus_sub *ctl;     /* control topics of the streams held here; NULL until needed */
    gqlsse_io ctlio;
    gqlsse_timer ctltimer;   /* 0 ms: drain again */
    gqlsse_publisher *pub;   /* control messages to other processes; NULL until needed */
    gql_strmap singles;      /* token -> single connection stream held here (key in the stream) */
    gqlsse_list pendings;    /* submissions waiting for their stream (pending.link) */
};

#define LOG(s, lv, ...) gqlsse_log((s)->log, (lv), __VA_ARGS__)

/* ---- output ---- */

static void conn_kill(conn *c, const char *why);

static void conn_update_events(conn *c)
{
    uint32_t ev = EPOLLIN | EPOLLRDHUP | (c->out_head ? EPOLLOUT : 0u);
    int want = c->out_head != NULL;
    if (want != c->want_out) {
        c->want_out = want;
        gqlsse_io_mod(c->srv->loop, &c->io, ev);
    }
}

/* Writes what is queued. Returns 0, -1 when the connection died. */
static int conn_flush(conn *c)
{
    while (c->out_head) {
        chunk *k = c->out_head;
        ssize_t w = send(c->io.fd, k->data + k->off, k->len - k->off, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (errno == EINTR)
                continue;
            conn_kill(c, strerror(errno));
            return -1;
        }
        k->off += (size_t)w;
        if (k->off < k->len)
            break;
        c->out_head = k->next;
        if (!c->out_head)
            c->out_tail = NULL;
        c->nqueued--;
        free(k);
    }
    if (!c->out_head && c->close_after_drain) {
        conn_kill(c, NULL);
        return -1;
    }
    conn_update_events(c);
    return 0;
}

/* Sends bytes now, queueing (one chunk) what the socket does not take. */
static int conn_send(conn *c, const char *data, size_t len)
{
    if (c->dead)
        return -1;
    size_t off = 0;
    if (!c->out_head) {
        while (off < len) {
            ssize_t w = send(c->io.fd, data + off, len - off, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                conn_kill(c, strerror(errno));
                return -1;
            }
            off += (size_t)w;
        }
        if (off == len)
            return 0;
    }
    chunk *k = malloc(sizeof *k + (len - off));
    if (!k) {
        conn_kill(c, "out of memory");
        return -1;
    }
    k->next = NULL;
    k->len = len - off;
    k->off = 0;
    memcpy(k->data, data + off, len - off);
    if (c->out_tail)
        c->out_tail->next = k;
    else
        c->out_head = k;
    c->out_tail = k;
    c->nqueued++;
    conn_update_events(c);
    return 0;
}

static void put_header(gql_buf *b, int type, uint16_t id, size_t len, unsigned pad)
{
    unsigned char h[8] = {1, (unsigned char)type, (unsigned char)(id >> 8), (unsigned char)id,
                          (unsigned char)(len >> 8), (unsigned char)len, (unsigned char)pad, 0};
    gql_buf_append(b, (const char *)h, 8);
}

/* Appends `data` as FCGI_STDOUT records (<= 65535 bytes each) to b. */
static void put_stdout(gql_buf *b, uint16_t id, const char *data, size_t len)
{
    while (len > 0) {
        size_t n = len > 65535 ? 65535 : len;
        put_header(b, FCGI_STDOUT, id, n, 0);
        gql_buf_append(b, data, n);
        data += n;
        len -= n;
    }
}

static int conn_stdout(conn *c, const char *data, size_t len)
{
    gql_buf b = GQL_BUF_INIT;
    put_stdout(&b, c->req_id, data, len);
    int r = b.oom ? -1 : conn_send(c, b.data, b.len);
    gql_buf_free(&b);
    return r;
}

static void conn_reset_request(conn *c)
{
    gqlsse_request_clear(&c->req);
    c->state = C_IDLE;
    c->req_id = 0;
}

/* Ends the FastCGI request: empty STDOUT, END_REQUEST; then the connection
 * is closed once written, unless the web server asked to keep it. */
static void conn_end_request(conn *c, int protocol_status)
{
    if (c->dead)
        return;
    gql_buf b = GQL_BUF_INIT;
    put_header(&b, FCGI_STDOUT, c->req_id, 0, 0);
    put_header(&b, FCGI_END_REQUEST, c->req_id, 8, 0);
    unsigned char body[8] = {0, 0, 0, 0, (unsigned char)protocol_status, 0, 0, 0};
    gql_buf_append(&b, (const char *)body, 8);
    int r = conn_send(c, b.data, b.len);
    gql_buf_free(&b);
    if (r < 0)
        return;
    conn_reset_request(c);
    if (!c->keep_conn) {
        c->close_after_drain = 1;
        if (!c->out_head)
            conn_kill(c, NULL);
    }
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 426: return "Upgrade Required";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "";
    }
}

/* A complete response: headers, body, END_REQUEST. `extra` is header lines
 * ending in \r\n (or NULL). */
static void respond(conn *c, int status, const char *ctype, const char *extra, const char *body,
                    size_t len)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_printf(&b, "Status: %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s\r\n", status,
                   reason(status), ctype, len, extra ? extra : "");
    gql_buf_append(&b, body, len);
    if (!b.oom)
        conn_stdout(c, b.data, b.len);
    gql_buf_free(&b);
    conn_end_request(c, FCGI_REQUEST_COMPLETE);
    LOG(c->srv, GQLSSE_LOG_DEBUG, "response %d", status);
}

/* {"errors":[{"message":MESSAGE}]} */
static void respond_error(conn *c, int status, const char *ctype, const char *extra,
                          const char *message)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "{\"errors\":[{\"message\":");
    gql_buf_json_string(&b, message, strlen(message));
    gql_buf_puts(&b, "}]}");
    respond(c, status, ctype ? ctype : "application/json; charset=utf-8", extra, b.data ? b.data : "",
            b.len);
    gql_buf_free(&b);
}

/* ---- streams ---- */

static void stream_keepalive_cb(void *arg);
static void single_stream_cleanup(stream *st);

static stream *stream_open(conn *c, const char *protocol)
{
    gqlsse_server *s = c->srv;
    stream *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->c = c;
    c->stream = st;
    gqlsse_list_push(&s->streams, &st->link);
    s->nstreams++;
    int http1 = !protocol || strncmp(protocol, "HTTP/1", 6) == 0 || strncmp(protocol, "HTTP/0", 6) == 0;
    st->last_write = gqlsse_now_ms();
    st->keepalive.cb = stream_keepalive_cb;
    st->keepalive.arg = st;
    if (s->conf->keep_alive_ms)
        gqlsse_timer_start(s->loop, &st->keepalive, s->conf->keep_alive_ms);
    gql_buf b = GQL_BUF_INIT;
    gql_buf_printf(&b, "Status: 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                       "Cache-Control: no-cache, no-store, must-revalidate\r\n"
                       "X-Accel-Buffering: no\r\n%s\r\n:\n\n",
                   http1 ? "Connection: keep-alive\r\n" : "");
    int r = b.oom ? -1 : conn_stdout(c, b.data, b.len);
    gql_buf_free(&b);
    if (r < 0) {
        if (!c->dead)
            conn_kill(c, "out of memory");
        return NULL; /* the stream was freed with the connection */
    }
    return st;
}

/* Unlinks the stream from its connection and the server's list, cancels
 * its operation, frees it. */
static void stream_detach(stream *st)
{
    gqlsse_server *s = st->c->srv;
    gqlsse_list_remove(&s->streams, &st->link);
    s->nstreams--;
    gqlsse_timer_stop(s->loop, &st->keepalive);
    st->finished = 1;
    st->c->stream = NULL;
    gqlsse_op *op = st->op;
    st->op = NULL;
    gqlsse_op_cancel(op);
    if (st->single)
        single_stream_cleanup(st);
    free(st);
}

/* Sends one SSE event `event: NAME\ndata: PREFIX JSON SUFFIX\n\n` as
 * FastCGI records (counted against the backlog unless `force`). Returns 0,
 * 1 when the backlog overflowed (nothing sent; the caller ends the stream),
 * -1 when the connection died (and took the stream with it). */
static int stream_send_event(stream *st, const char *event, const char *prefix, const char *data,
                             size_t len, const char *suffix, int force)
{
    conn *c = st->c;
    gqlsse_server *s = c->srv;
    if (st->finished || c->dead)
        return -1;
    if (!force && c->nqueued >= s->conf->max_backlog)
        return 1;
    gql_buf *b = &s->out;
    gql_buf_reset(b);
    size_t plen = strlen(prefix), slen = strlen(suffix);
    size_t total = strlen("event: ") + strlen(event) + strlen("\ndata: ") + plen + len + slen + 2;
    /* One FastCGI record per 65535 bytes: the SSE text is assembled
     * behind room for the first header, then split when it is longer. */
    gql_buf_append(b, "\0\0\0\0\0\0\0\0", 8);
    gql_buf_printf(b, "event: %s\ndata: %s", event, prefix);
    gql_buf_append(b, data, len);
    gql_buf_puts(b, suffix);
    gql_buf_puts(b, "\n\n");
    int r;
    if (b->oom) {
        r = -1;
    } else if (total <= 65535) {
        unsigned char *h = (unsigned char *)b->data;
        h[0] = 1;
        h[1] = FCGI_STDOUT;
        h[2] = (unsigned char)(c->req_id >> 8);
        h[3] = (unsigned char)c->req_id;
        h[4] = (unsigned char)(total >> 8);
        h[5] = (unsigned char)total;
        r = conn_send(c, b->data, b->len);
    } else {
        r = conn_stdout(c, b->data + 8, b->len - 8);
    }
    if (b->cap > 1024 * 1024)
        gql_buf_free(b); /* do not keep a huge event's buffer */
    if (r < 0) {
        if (!c->dead)
            conn_kill(c, "out of memory");
        return -1; /* the connection died: `st` is gone */
    }
    st->last_write = gqlsse_now_ms();
    return 0;
}

/* Ends the stream: `event: complete` (when `complete`), END_REQUEST. */
static void stream_finish(stream *st, int complete)
{
    conn *c = st->c;
    if (st->finished)
        return;
    if (complete && !c->dead && stream_send_event(st, "complete", "", "", 0, "", 1) < 0)
        return; /* the connection died and took the stream with it */
    stream_detach(st);
    if (!c->dead)
        conn_end_request(c, FCGI_REQUEST_COMPLETE);
}

/* The client reads too slowly: one error event, then the end. */
static void stream_overflow(stream *st)
{
    gqlsse_server *s = st->c->srv;
    LOG(s, GQLSSE_LOG_WARN, "stream backlog over %u events (slow client): operation ended",
        s->conf->max_backlog);
    static const char msg[] =
        "{\"errors\":[{\"message\":\"Too many events are waiting for this slow client; the "
        "operation was stopped. Subscribe again.\",\"extensions\":{\"status_code\":503,"
        "\"error_code\":\"STREAM_BACKLOG_OVERFLOW\"}}]}";
    if (stream_send_event(st, "next", "", msg, sizeof msg - 1, "", 1) == 0)
        stream_finish(st, 1);
}

/* Sends `data` as `event: next` and ends the stream on overflow. Returns 0
 * while open, -1 when the stream is over. */
static int stream_next(stream *st, const char *data, size_t len)
{
    int r = stream_send_event(st, "next", "", data, len, "", 0);
    if (r == 1) {
        stream_overflow(st);
        return -1;
    }
    return r;
}

static void stream_keepalive_cb(void *arg)
{
    stream *st = arg;
    gqlsse_server *s = st->c->srv;
    uint64_t now = gqlsse_now_ms(), every = s->conf->keep_alive_ms;
    if (now - st->last_write >= every) {
        if (st->c->nqueued == 0) {
            /* A comment: answers "is anyone there?" for us and the server. */
            if (conn_stdout(st->c, ":\n\n", 3) < 0)
                return; /* connection killed; stream detached */
        }
        st->last_write = now;
    }
    gqlsse_timer_start(s->loop, &st->keepalive, every - (now - st->last_write));
}

/* ---- the hub's sink for a distinct-mode stream ---- */

static int stream_sink_next(void *sink, const char *json, size_t len, unsigned flags)
{
    (void)flags;
    stream *st = sink;
    if (stream_next(st, json, len) < 0) {
        /* over (overflow or client gone): stream_detach already cancelled
         * the operation, or is about to; the hub forgets it either way */
        return -1;
    }
    return 0;
}

static void stream_sink_end(void *sink, int complete)
{
    stream *st = sink;
    st->op = NULL; /* the hub is done with it */
    stream_finish(st, complete);
}

static const gqlsse_sink_vt stream_sink = {.next = stream_sink_next, .end = stream_sink_end};

/* ---- connections ---- */

static void pending_free(pending *p, int release);

static void conn_kill(conn *c, const char *why)
{
    if (c->dead)
        return;
    gqlsse_server *s = c->srv;
    c->dead = 1;
    if (why)
        LOG(s, c->stream ? GQLSSE_LOG_INFO : GQLSSE_LOG_DEBUG, "connection closed%s: %s",
            c->stream ? " (stream ended: client gone)" : "", why);
    gqlsse_io_del(s->loop, &c->io);
    close(c->io.fd);
    if (c->stream)
        stream_detach(c->stream);
    if (c->pending)
        pending_free(c->pending, 1);
    gqlsse_list_remove(&s->conns, &c->link);
    c->next_dead = s->dead;
    s->dead = c;
}

static void conn_free(conn *c)
{
    while (c->out_head) {
        chunk *k = c->out_head;
        c->out_head = k->next;
        free(k);
    }
    free(c->rbuf);
    gqlsse_request_clear(&c->req);
    free(c);
}

/* ---- GraphQL ---- */

/* ---- handling a request ---- */

static void sse_single_result(stream *st, const char *json, size_t len)
{
    if (stream_next(st, json, len) == 0)
        stream_finish(st, 1);
}

static const char *request_param(void *data, const char *name)
{
    return gqlsse_request_param(data, name);
}

/* Starts the subscription `op` of `doc` on the stream (takes doc,
 * variables and operation_name). */
static void handle_subscription(conn *c, stream *st, gql_document *doc, const gql_node *op,
                                json_object *variables, char *operation_name, const char *query)
{
    gqlsse_server *s = c->srv;
    gqlsse_op_start start = {.doc = doc,
                             .variables = variables,
                             .operation_name = operation_name,
                             .operation = op,
                             .query = query,
                             .identity = gqlsse_request_param(&c->req, "REMOTE_USER"),
                             .param = request_param,
                             .param_data = &c->req,
                             .sink_vt = &stream_sink,
                             .sink = st};
    gqlsse_op *o = gqlsse_hub_start(s->hub, &start);
    if (o)
        st->op = o; /* st is alive: the operation runs and its sink is st */
}

/* ---- single connection mode (docs/single-connection.md) ----
 *
 * PUT reserves a token for the caller's identity (memcached), GET/POST with
 * the token and Accept: text/event-stream opens its stream here (a memcached
 * lock whose TTL this process refreshes), GET/POST with the token and an
 * operation id submits an operation: it runs in the process holding the
 * stream, reached directly when that is this process, else through the
 * broker (`ctl/stream/TOKEN/`, which only the holder subscribes to). */

#define SINGLE_RETRY_MS 50u

static void respond_401(conn *c)
{
    static const char body[] =
        "{\"errors\":[{\"message\":\"GraphQL over SSE requires authentication in single "
        "connection mode\",\"extensions\":{\"status_code\":401,\"error_code\":"
        "\"SSE_SINGLE_CONNECTION_NOT_AUTHENTICATED\"}}]}";
    respond(c, 401, "application/json; charset=utf-8", NULL, body, sizeof body - 1);
}

/* memcached (or the broker) failed: 503, nothing was created. */
static void respond_503(conn *c, const char *what, const char *detail)
{
    gqlsse_server *s = c->srv;
    LOG(s, GQLSSE_LOG_ERROR, "single connection mode: %s: %s", what, detail);
    char msg[512];
    snprintf(msg, sizeof msg, "Single connection mode is unavailable: %s; retry later", what);
    respond_error(c, 503, NULL, "Retry-After: 5\r\n", msg);
}

static void respond_empty(conn *c, int status)
{
    respond(c, status, "text/plain; charset=utf-8", NULL, "", 0);
}

/* The caller's identity: REMOTE_USER set by the web server's
 * authentication, else the session named by the session cookie. Returns
 * 0 with the identity in out[outlen]; otherwise the response was sent. */
static int single_identity(conn *c, char *out, size_t outlen)
{
    gqlsse_server *s = c->srv;
    const char *ru = gqlsse_request_param(&c->req, "REMOTE_USER");
    if (ru && *ru) {
        if (strlen(ru) >= outlen || strlen(ru) > GQLSSE_IDENTITY_MAX) {
            respond_401(c);
            return -1;
        }
        strcpy(out, ru);
        return 0;
    }
    const char *val;
    size_t len;
    if (!s->conf->session_cookie ||
        !gqlsse_cookie_find(gqlsse_request_param(&c->req, "HTTP_COOKIE"), s->conf->session_cookie,
                            &val, &len)) {
        respond_401(c);
        return -1;
    }
    gqlsse_store_status st = gqlsse_store_session_identity(s->store, val, len, out, outlen);
    if (st == GQLSSE_STORE_DOWN) {
        respond_503(c, "cannot reach memcached", gqlsse_store_error(s->store));
        return -1;
    }
    if (st != GQLSSE_STORE_OK) {
        respond_401(c);
        return -1;
    }
    return 0;
}

/* The stream token of a request (header, else ?token=), malloc'd; NULL
 * when there is none. */
static char *request_token(const gqlsse_request *rq)
{
    const char *h = gqlsse_request_param(rq, "HTTP_X_GRAPHQL_EVENT_STREAM_TOKEN");
    if (h)
        return strdup(h);
    const char *qs = gqlsse_request_param(rq, "QUERY_STRING");
    return qs ? gqlsse_form_get(qs, strlen(qs), "token") : NULL;
}

static stream *single_find(gqlsse_server *s, const char *token)
{
    return gql_strmap_get(&s->singles, token, strlen(token));
}

/* ---- the broker: control topics (holder) and control messages (sender) ---- */

static void ctl_message(void *ud, const gqlsse_bus_frames *f);

static void ctl_drain(gqlsse_server *s)
{
    if (!s->ctl)
        return;
    int r = gqlsse_bus_sub_drain(s->ctl, 256, ctl_message, s);
    if (r > 0)
        gqlsse_timer_start(s->loop, &s->ctltimer, 0);
    else if (r < 0)
        LOG(s, GQLSSE_LOG_ERROR, "broker: control receive failed: %s", strerror(errno));
}

static void ctl_io_cb(void *arg, uint32_t events)
{
    (void)events;
    ctl_drain(arg);
}

static void ctl_timer_cb(void *arg)
{
    ctl_drain(arg);
}

/* Subscribes to the stream's control topic (creating the socket on first
 * use). A failure is logged: the stream then only gets operations
 * submitted to this process. */
static void ctl_subscribe(gqlsse_server *s, const char *token, int on)
{
    if (!s->ctl) {
        if (!on)
            return;
        char err[256];
        s->ctl = gqlsse_bus_sub_new(s->conf->broker, GQLSSE_BUS_DEFAULT_MAX_MESSAGE, err,
                                    sizeof err);
        if (!s->ctl) {
            LOG(s, GQLSSE_LOG_ERROR, "broker: control subscriber: %s", err);
            return;
        }
        s->ctlio.fd = gqlsse_bus_sub_fd(s->ctl);
        s->ctlio.cb = ctl_io_cb;
        s->ctlio.arg = s;
        s->ctltimer.cb = ctl_timer_cb;
        s->ctltimer.arg = s;
        if (gqlsse_io_add(s->loop, &s->ctlio, EPOLLIN | EPOLLET) < 0) {
            LOG(s, GQLSSE_LOG_ERROR, "broker: cannot watch the control socket: %s",
                strerror(errno));
            gqlsse_bus_sub_free(s->ctl);
            s->ctl = NULL;
            return;
        }
    }
    gql_buf t = GQL_BUF_INIT;
    if (gqlsse_ctl_topic(&t, token) == 0) {
        int r = on ? gqlsse_bus_sub_subscribe(s->ctl, t.data)
                   : gqlsse_bus_sub_unsubscribe(s->ctl, t.data);
        if (r < 0)
            LOG(s, GQLSSE_LOG_WARN, "broker: cannot %ssubscribe %s", on ? "" : "un", t.data);
    }
    gql_buf_free(&t);
    gqlsse_timer_start(s->loop, &s->ctltimer, 0);
}

/* Sends a control message to the process holding `token`'s stream.
 * Returns 0, or -1 with a reason in why[] (broker unreachable). */
static int ctl_send(gqlsse_server *s, const char *token, const gql_buf *json, char *why,
                    size_t whylen)
{
    if (!s->pub) {
        gqlsse_publisher_options o = {.address = s->conf->broker_publish, .linger_ms = 0};
        char *err = NULL;
        s->pub = gqlsse_publisher_new_opts(&o, &err);
        if (!s->pub) {
            snprintf(why, whylen, "%s", err ? err : "cannot create the broker publisher");
            free(err);
            return -1;
        }
    }
    /* Blocks (200 ms at most) only until the broker first answers. */
    if (gqlsse_publisher_wait_ready(s->pub, 200) != 1) {
        snprintf(why, whylen, "gqlsse-broker (%s) does not answer", s->conf->broker_publish);
        return -1;
    }
    gql_buf t = GQL_BUF_INIT;
    int r = gqlsse_ctl_topic(&t, token);
    if (r == 0 && !json->oom &&
        gqlsse_publisher_send_raw(s->pub, t.data, t.len, json->data, json->len) !=
            GQLSSE_PUBLISH_OK) {
        snprintf(why, whylen, "%s", gqlsse_publisher_error(s->pub));
        r = -1;
    } else if (r < 0 || json->oom) {
        snprintf(why, whylen, "out of memory");
        r = -1;
    }
    gql_buf_free(&t);
    return r;
}

/* ---- operations on a stream held here ---- */

static void sop_free(sop *o)
{
    free(o->id);
    free(o->prefix);
    free(o->done);
    free(o);
}

static void sop_unlink(sop *o)
{
    gqlsse_list_remove(&o->st->ops, &o->link);
}

static sop *sop_find(stream *st, const char *id, size_t idlen)
{
    for (sop *o = GQLSSE_LIST_FIRST(&st->ops, sop, link); o; o = GQLSSE_LIST_NEXT(o, sop, link))
        if (o->idlen == idlen && memcmp(o->id, id, idlen) == 0)
            return o;
    return NULL;
}

static sop *sop_new(stream *st, const char *id, size_t idlen)
{
    sop *o = calloc(1, sizeof *o);
    gql_buf p = GQL_BUF_INIT, d = GQL_BUF_INIT;
    gql_buf_puts(&p, "{\"id\":");
    gql_buf_json_string(&p, id, idlen);
    gql_buf_puts(&p, ",\"payload\":");
    gql_buf_puts(&d, "{\"id\":");
    gql_buf_json_string(&d, id, idlen);
    gql_buf_putc(&d, '}');
    if (!o || p.oom || d.oom || !(o->id = malloc(idlen + 1))) {
        gql_buf_free(&p);
        gql_buf_free(&d);
        free(o);
        return NULL;
    }
    memcpy(o->id, id, idlen);
    o->id[idlen] = '\0';
    o->idlen = idlen;
    o->prefix = gql_buf_take(&p);
    o->done = gql_buf_take(&d);
    o->st = st;
    gqlsse_list_push(&st->ops, &o->link);
    return o;
}

/* The operation is over: `event: complete` {"id"} (when `complete`), its id
 * released in memcached, freed. The stream may die while sending. */
static void sop_end(sop *o, int complete)
{
    stream *st = o->st;
    gqlsse_server *s = st->c->srv;
    char token[GQLSSE_TOKEN_LEN + 1];
    memcpy(token, st->token, sizeof token); /* st may be gone after sending */
    sop_unlink(o);
    if (complete)
        stream_send_event(st, "complete", "", o->done, strlen(o->done), "", 1);
    gqlsse_store_op_release(s->store, token, o->id, o->idlen);
    sop_free(o);
}

static int sop_sink_next(void *sink, const char *json, size_t len, unsigned flags)
{
    (void)flags;
    sop *o = sink;
    stream *st = o->st;
    int r = stream_send_event(st, "next", o->prefix, json, len, "}", 0);
    if (r == 1) {
        gqlsse_server *s = st->c->srv;
        LOG(s, GQLSSE_LOG_WARN, "stream backlog over %u events (slow client): operation ended",
            s->conf->max_backlog);
        static const char msg[] =
            "{\"errors\":[{\"message\":\"Too many events are waiting for this slow client; the "
            "operation was stopped. Subscribe again.\",\"extensions\":{\"status_code\":503,"
            "\"error_code\":\"STREAM_BACKLOG_OVERFLOW\"}}]}";
        o->op = NULL; /* -1 below cancels it */
        if (stream_send_event(st, "next", o->prefix, msg, sizeof msg - 1, "}", 1) == 0)
            sop_end(o, 1);
        return -1;
    }
    return r < 0 ? -1 : 0; /* -1: the connection died and took o with it */
}

static void sop_sink_end(void *sink, int complete)
{
    sop *o = sink;
    o->op = NULL;
    sop_end(o, complete);
}

static const gqlsse_sink_vt sop_sink = {.next = sop_sink_next, .end = sop_sink_end};

/* Sends one result for `o` and completes it (queries, mutations, errors). */
static void sop_single_result(sop *o, const char *json, size_t len)
{
    if (stream_send_event(o->st, "next", o->prefix, json, len, "}", 1) == 0)
        sop_end(o, 1);
}

static const char *json_param(void *data, const char *name)
{
    json_object *v;
    if (data && json_object_object_get_ex(data, name, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

/* Runs an operation on stream `st` held here: a subscription through the
 * hub, a query or mutation executed at once; its results go to the stream. */
static void single_run(stream *st, const char *id, size_t idlen, const char *query,
                       const char *operation_name, json_object *variables, const char *identity,
                       const char *(*param)(void *, const char *), void *param_data)
{
    gqlsse_server *s = st->c->srv;
    const gqlsse_conf *cf = s->conf;
    sop *old = sop_find(st, id, idlen);
    if (old) {
        /* The id was released (DELETE) and submitted again before the
         * stop reached us: the new operation replaces the old one. */
        if (old->op)
            gqlsse_op_cancel(old->op);
        sop_unlink(old);
        sop_free(old);
    }
    sop *o = sop_new(st, id, idlen);
    if (!o) {
        LOG(s, GQLSSE_LOG_ERROR, "single connection: out of memory");
        return;
    }
    gql_parse_options po = {.max_source_bytes = cf->max_document_bytes,
                            .max_tokens = cf->max_document_tokens,
                            .max_depth = cf->max_document_depth};
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_buf b = GQL_BUF_INIT;
    gql_document *doc = gql_parse(query, strlen(query), &po, &errs);
    const gql_node *op = NULL;
    if (doc) {
        op = gqlsse_find_operation(doc, operation_name);
        if (!op)
            gql_error_list_add(&errs, "Unable to detect operation AST", NULL, 0);
        else {
            gql_validate_options vo = {.runtime = s->app->runtime};
            gql_validate(s->app->schema, doc, &vo, &errs);
        }
    }
    if (errs.count) {
        gql_buf_puts(&b, "{\"errors\":");
        gql_error_list_to_json(&b, &errs);
        gql_buf_puts(&b, "}");
        sop_single_result(o, b.data ? b.data : "{}", b.len);
    } else if (op->operation != GQL_OP_SUBSCRIPTION) {
        gqlsse_hub_execute(s->hub, doc, variables, operation_name, identity, &b);
        sop_single_result(o, b.data ? b.data : "{}", b.len);
    } else {
        char *name = operation_name ? strdup(operation_name) : NULL;
        gqlsse_op_start start = {.doc = doc,
                                 .variables = json_object_get(variables),
                                 .operation_name = name,
                                 .operation = op,
                                 .query = query,
                                 .identity = identity,
                                 .param = param,
                                 .param_data = param_data,
                                 .sink_vt = &sop_sink,
                                 .sink = o};
        doc = NULL;
        gqlsse_op *running = gqlsse_hub_start(s->hub, &start);
        if (running)
            o->op = running; /* o is alive while its operation runs */
    }
    gql_buf_free(&b);
    gql_error_list_clear(&errs);
    gql_document_free(doc);
}

/* Cancels operation `id` of a stream held here: a complete event follows. */
static void single_stop(stream *st, const char *id, size_t idlen)
{
    sop *o = sop_find(st, id, idlen);
    if (!o)
        return;
    if (o->op) {
        gqlsse_op_cancel(o->op);
        o->op = NULL;
    }
    sop_end(o, 1);
}

/* Called by stream_detach: the stream is over, whatever the reason. Its
 * operations stop (no complete events), its keys are released. */
static void single_stream_cleanup(stream *st)
{
    gqlsse_server *s = st->c->srv;
    while (!gqlsse_list_empty(&st->ops)) {
        sop *o = GQLSSE_LIST_FIRST(&st->ops, sop, link);
        sop_unlink(o);
        if (o->op)
            gqlsse_op_cancel(o->op);
        gqlsse_store_op_release(s->store, st->token, o->id, o->idlen);
        sop_free(o);
    }
    gqlsse_timer_stop(s->loop, &st->locktimer);
    gql_strmap_del(&s->singles, st->token, GQLSSE_TOKEN_LEN);
    ctl_subscribe(s, st->token, 0);
    gqlsse_store_unlock(s->store, st->token);
    gqlsse_store_unreserve(s->store, st->identity, st->token);
    LOG(s, GQLSSE_LOG_INFO, "single connection stream %.8s... closed", st->token);
    free(st->identity);
    st->identity = NULL;
}

static void ctl_message(void *ud, const gqlsse_bus_frames *f)
{
    gqlsse_server *s = ud;
    gqlsse_ctl_msg m;
    char why[256];
    if (f->nframes < 2 ||
        gqlsse_ctl_decode(f->frame[0], f->len[0], f->frame[1], f->len[1], &m, why, sizeof why) < 0) {
        LOG(s, GQLSSE_LOG_WARN, "broker: malformed control message dropped");
        return;
    }
    stream *st = single_find(s, m.token);
    if (!st) {
        LOG(s, GQLSSE_LOG_DEBUG, "broker: control message for a stream not held here");
    } else if (m.op == GQLSSE_CTL_REPLACE) {
        LOG(s, GQLSSE_LOG_INFO, "single connection stream %.8s... replaced by a new reservation",
            st->token);
        stream_finish(st, 0);
    } else if (m.op == GQLSSE_CTL_STOP) {
        single_stop(st, m.operation_id, m.operation_id_len);
    } else {
        single_run(st, m.operation_id, m.operation_id_len, m.query, m.operation_name,
                   m.variables, m.identity, json_param, m.params);
    }
    gqlsse_ctl_msg_clear(&m);
}

/* Every lock TTL / 3: keeps the lock; ends the stream when its
 * reservation was replaced (a replace message we missed) or lost. */
static void single_lock_cb(void *arg)
{
    stream *st = arg;
    gqlsse_server *s = st->c->srv;
    gqlsse_store_status r = gqlsse_store_lock_touch(s->store, st->token);
    if (r == GQLSSE_STORE_OK)
        r = gqlsse_store_check(s->store, st->identity, st->token);
    if (r == GQLSSE_STORE_NOTFOUND) {
        LOG(s, GQLSSE_LOG_INFO,
            "single connection stream %.8s...: reservation or lock gone; closing", st->token);
        stream_finish(st, 0);
        return;
    }
    if (r == GQLSSE_STORE_DOWN)
        LOG(s, GQLSSE_LOG_WARN, "single connection: cannot refresh a stream lock: %s",
            gqlsse_store_error(s->store));
    gqlsse_timer_start(s->loop, &st->locktimer, gqlsse_store_lock_ttl(s->store) * 1000u / 3u);
}

/* ---- requests ---- */

/* PUT: reserve a token (replacing the identity's previous reservation). */
static void single_reserve(conn *c, const char *identity)
{
    gqlsse_server *s = c->srv;
    const char *accept = gqlsse_request_param(&c->req, "HTTP_ACCEPT");
    if (accept && *accept && !strstr(accept, "text/plain") && !strstr(accept, "text/*") &&
        !strstr(accept, "*/*")) {
        respond_error(c, 406, NULL, "Accept: text/plain\r\n", "Not acceptable");
        return;
    }
    char token[GQLSSE_TOKEN_LEN + 1], old[GQLSSE_TOKEN_LEN + 1];
    gqlsse_store_status r = gqlsse_store_reserve(s->store, identity, token, old);
    if (r == GQLSSE_STORE_EINVAL) {
        respond_401(c);
        return;
    }
    if (r != GQLSSE_STORE_OK) {
        respond_503(c, "cannot reach memcached", gqlsse_store_error(s->store));
        return;
    }
    if (old[0]) {
        stream *st = single_find(s, old);
        if (st) {
            LOG(s, GQLSSE_LOG_INFO, "single connection stream %.8s... replaced", old);
            stream_finish(st, 0);
        } else {
            gql_buf j = GQL_BUF_INIT;
            char why[256];
            if (gqlsse_ctl_encode_replace(&j) < 0 || ctl_send(s, old, &j, why, sizeof why) < 0)
                LOG(s, GQLSSE_LOG_WARN,
                    "single connection: cannot tell the holder of a replaced stream (%s); it "
                    "closes at its next lock refresh", why);
            gql_buf_free(&j);
        }
    }
    respond(c, 201, "text/plain; charset=utf-8", NULL, token, GQLSSE_TOKEN_LEN);
}

/* GET/POST with Accept: text/event-stream: open the reserved stream here. */
/* Is `token` this identity's reservation? 0 yes; otherwise the answer
 * (503 memcached down, 404 not this identity's) is sent and -1 returned. */
static int single_check_token(conn *c, const char *identity, const char *token)
{
    gqlsse_server *s = c->srv;
    gqlsse_store_status r = gqlsse_store_check(s->store, identity, token);
    if (r == GQLSSE_STORE_OK)
        return 0;
    if (r == GQLSSE_STORE_DOWN)
        respond_503(c, "cannot reach memcached", gqlsse_store_error(s->store));
    else
        respond_error(c, 404, NULL, NULL, "Stream not found");
    return -1;
}

static void single_open(conn *c, const char *identity, const char *token)
{
    gqlsse_server *s = c->srv;
    if (single_check_token(c, identity, token) < 0)
        return;
    if (single_find(s, token)) {
        respond_error(c, 409, NULL, NULL, "Stream already open");
        return;
    }
    if (s->shutting_down || s->nstreams >= s->conf->max_streams) {
        respond_error(c, 503, NULL, "Retry-After: 5\r\n", "Too many open streams; retry later");
        return;
    }
    /* Subscribe first: by the time another process sees the lock, the
     * subscription has long reached the broker. */
    ctl_subscribe(s, token, 1);
    gqlsse_store_status r = gqlsse_store_lock(s->store, token);
    if (r == GQLSSE_STORE_OK)
        r = gqlsse_store_check(s->store, identity, token); /* replaced meanwhile? */
    if (r != GQLSSE_STORE_OK) {
        if (r != GQLSSE_STORE_EXISTS)
            gqlsse_store_unlock(s->store, token);
        ctl_subscribe(s, token, 0);
        if (r == GQLSSE_STORE_EXISTS)
            respond_error(c, 409, NULL, NULL, "Stream already open");
        else if (r == GQLSSE_STORE_NOTFOUND)
            respond_error(c, 404, NULL, NULL, "Stream not found");
        else
            respond_503(c, "cannot reach memcached", gqlsse_store_error(s->store));
        return;
    }
    char *id = strdup(identity);
    stream *st = id ? stream_open(c, gqlsse_request_param(&c->req, "SERVER_PROTOCOL")) : NULL;
    if (!st) {
        free(id);
        gqlsse_store_unlock(s->store, token);
        ctl_subscribe(s, token, 0);
        if (!c->dead)
            conn_kill(c, "out of memory");
        return;
    }
    st->single = 1;
    memcpy(st->token, token, GQLSSE_TOKEN_LEN + 1);
    st->identity = id;
    if (gql_strmap_put(&s->singles, st->token, GQLSSE_TOKEN_LEN, st) < 0) {
        stream_finish(st, 0); /* cleans up the lock and subscription */
        return;
    }
    st->locktimer.cb = single_lock_cb;
    st->locktimer.arg = st;
    gqlsse_timer_start(s->loop, &st->locktimer, gqlsse_store_lock_ttl(s->store) * 1000u / 3u);
    LOG(s, GQLSSE_LOG_INFO, "single connection stream %.8s... opened", token);
    /* Submissions waiting here for this stream go now. */
    for (pending *p = GQLSSE_LIST_FIRST(&s->pendings, pending, link); p;
         p = GQLSSE_LIST_NEXT(p, pending, link))
        if (strcmp(p->token, token) == 0)
            gqlsse_timer_start(s->loop, &p->timer, 0);
}

/* The operation id of a submission: extensions.operationId, strings as
 * they are, other values as JSON text (numbers stringified). malloc'd. */
static char *operation_id(json_object *ext, size_t *len)
{
    json_object *v;
    if (!ext || !json_object_is_type(ext, json_type_object) ||
        !json_object_object_get_ex(ext, "operationId", &v) || !v)
        return NULL;
    const char *str;
    if (json_object_is_type(v, json_type_string)) {
        str = json_object_get_string(v);
        *len = (size_t)json_object_get_string_len(v);
    } else {
        str = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
        *len = strlen(str);
    }
    char *out = malloc(*len + 1);
    if (out) {
        memcpy(out, str, *len);
        out[*len] = '\0';
    }
    return out;
}

/* The request's CGI params as a JSON object (for hooks in another process). */
static json_object *params_json(const gqlsse_request *rq)
{
    json_object *o = json_object_new_object();
    const char *p = rq->params, *end = rq->params + rq->params_len;
    while (o && p && p < end) {
        const char *v = p + strlen(p) + 1;
        json_object_object_add(o, p, json_object_new_string(v));
        p = v + strlen(v) + 1;
    }
    return o;
}

static void pending_free(pending *p, int release)
{
    gqlsse_server *s = p->c->srv;
    gqlsse_timer_stop(s->loop, &p->timer);
    gqlsse_list_remove(&s->pendings, &p->link);
    if (release)
        gqlsse_store_op_release(s->store, p->token, p->id, p->idlen);
    p->c->pending = NULL;
    free(p->identity);
    free(p->id);
    gqlsse_gql_params_clear(&p->gp);
    free(p);
}

/* Frees p (releasing its id), then answers 503 (in this order: answering
 * may end the connection, which frees its pending submission). */
static void pending_fail_503(pending *p, const char *what, const char *detail)
{
    conn *c = p->c;
    char d[256];
    snprintf(d, sizeof d, "%s", detail);
    pending_free(p, 1);
    respond_503(c, what, d);
}

/* Hands the operation to the holder of its stream. Returns 1 when done
 * (202 is due), 0 when the stream is not open yet, -1 when the response
 * was sent (503: the broker cannot be reached; the id was released). */
static int single_dispatch(pending *p)
{
    conn *c = p->c;
    gqlsse_server *s = c->srv;
    stream *st = single_find(s, p->token);
    if (st) {
        single_run(st, p->id, p->idlen, p->gp.query, p->gp.operation_name, p->gp.variables,
                   p->identity, request_param, &c->req);
        return 1;
    }
    gqlsse_store_status r = gqlsse_store_lock_held(s->store, p->token);
    if (r == GQLSSE_STORE_NOTFOUND)
        return 0;
    if (r != GQLSSE_STORE_OK) {
        pending_fail_503(p, "cannot reach memcached", gqlsse_store_error(s->store));
        return -1;
    }
    gql_buf j = GQL_BUF_INIT;
    char why[256] = "out of memory";
    json_object *params = params_json(&c->req);
    int e = gqlsse_ctl_encode_start(&j, p->id, p->idlen, p->gp.query, p->gp.operation_name,
                                    p->gp.variables, p->gp.extensions, p->identity, params);
    json_object_put(params);
    if (e < 0 || ctl_send(s, p->token, &j, why, sizeof why) < 0) {
        gql_buf_free(&j);
        pending_fail_503(p, "cannot reach the process holding the stream", why);
        return -1;
    }
    gql_buf_free(&j);
    return 1;
}

static void pending_timer_cb(void *arg)
{
    pending *p = arg;
    conn *c = p->c;
    gqlsse_server *s = c->srv;
    gqlsse_store_status r = gqlsse_store_op_held(s->store, p->token, p->id, p->idlen);
    if (r == GQLSSE_STORE_OK)
        r = gqlsse_store_check(s->store, p->identity, p->token);
    else if (r == GQLSSE_STORE_NOTFOUND) {
        pending_free(p, 0); /* cancelled (DELETE) before it started */
        respond_empty(c, 204);
        return;
    }
    if (r == GQLSSE_STORE_NOTFOUND) {
        pending_free(p, 1); /* the reservation went away */
        respond_error(c, 404, NULL, NULL, "Stream not found");
        return;
    }
    if (r != GQLSSE_STORE_OK) {
        pending_fail_503(p, "cannot reach memcached", gqlsse_store_error(s->store));
        return;
    }
    int d = single_dispatch(p);
    if (d < 0)
        return;
    if (d > 0) {
        pending_free(p, 0);
        respond_empty(c, 202);
        return;
    }
    uint64_t now = gqlsse_now_ms();
    if (now >= p->deadline || s->shutting_down) {
        pending_free(p, 1);
        respond_error(c, 409, NULL, NULL, "Operation timed out before stream was opened");
        return;
    }
    uint64_t left = p->deadline - now;
    gqlsse_timer_start(s->loop, &p->timer, left < SINGLE_RETRY_MS ? left : SINGLE_RETRY_MS);
}

/* GET/POST with a token, not a stream: submit an operation. */
static void single_submit(conn *c, const char *identity, const char *token, int is_post)
{
    gqlsse_server *s = c->srv;
    const gqlsse_conf *cf = s->conf;
    gqlsse_request *rq = &c->req;
    if (single_check_token(c, identity, token) < 0)
        return;
    if (rq->body_too_large) {
        respond_error(c, 413, NULL, NULL, "Request body is too large");
        return;
    }
    pending *p = calloc(1, sizeof *p);
    if (!p) {
        respond_error(c, 500, NULL, NULL, "Out of memory");
        return;
    }
    const char *message = NULL;
    int status = gqlsse_gql_params_read(rq, is_post, &p->gp, &message);
    if (status) {
        respond_error(c, status, NULL, NULL, message);
        goto fail;
    }
    p->id = operation_id(p->gp.extensions, &p->idlen);
    if (!p->id) {
        respond_error(c, 400, NULL, NULL, "Operation ID is missing");
        goto fail;
    }
    gql_parse_options po = {.max_source_bytes = cf->max_document_bytes,
                            .max_tokens = cf->max_document_tokens,
                            .max_depth = cf->max_document_depth};
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(p->gp.query, strlen(p->gp.query), &po, &errs);
    if (doc) {
        const gql_node *op = gqlsse_find_operation(doc, p->gp.operation_name);
        if (!op) {
            gql_document_free(doc);
            respond_error(c, 400, NULL, NULL, "Unable to detect operation AST");
            goto fail;
        }
        if (!is_post && op->operation == GQL_OP_MUTATION) {
            gql_document_free(doc);
            respond_error(c, 405, NULL, "Allow: POST\r\n", "Cannot perform mutations over GET");
            goto fail;
        }
        gql_validate_options vo = {.runtime = s->app->runtime};
        gql_validate(s->app->schema, doc, &vo, &errs);
        gql_document_free(doc);
    }
    if (errs.count) {
        gql_buf b = GQL_BUF_INIT;
        gql_buf_puts(&b, "{\"errors\":");
        gql_error_list_to_json(&b, &errs);
        gql_buf_puts(&b, "}");
        respond(c, 400, "application/json; charset=utf-8", NULL, b.data ? b.data : "", b.len);
        gql_buf_free(&b);
        gql_error_list_clear(&errs);
        goto fail;
    }
    gqlsse_store_status r = gqlsse_store_op_claim(s->store, token, p->id, p->idlen);
    if (r == GQLSSE_STORE_EXISTS) {
        respond_error(c, 409, NULL, NULL, "Operation with ID already exists");
        goto fail;
    }
    if (r == GQLSSE_STORE_EINVAL) {
        respond_error(c, 400, NULL, NULL, "Operation ID is too long");
        goto fail;
    }
    if (r != GQLSSE_STORE_OK) {
        respond_503(c, "cannot reach memcached", gqlsse_store_error(s->store));
        goto fail;
    }
    memcpy(p->token, token, GQLSSE_TOKEN_LEN + 1);
    p->identity = strdup(identity);
    p->c = c;
    p->timer.cb = pending_timer_cb;
    p->timer.arg = p;
    p->deadline = gqlsse_now_ms() + cf->operation_wait_ms;
    gqlsse_list_push(&s->pendings, &p->link);
    c->pending = p;
    if (!p->identity) {
        pending_free(p, 1);
        respond_error(c, 500, NULL, NULL, "Out of memory");
        return;
    }
    int d = single_dispatch(p);
    if (d > 0) {
        pending_free(p, 0);
        respond_empty(c, 202);
    } else if (d == 0) {
        gqlsse_timer_start(s->loop, &p->timer, SINGLE_RETRY_MS);
    }
    return;
fail:
    free(p->id);
    gqlsse_gql_params_clear(&p->gp);
    free(p);
}

/* DELETE ?operationId=: cancel an operation (200 also for unknown ids). */
static void single_delete(conn *c, const char *identity, const char *token)
{
    gqlsse_server *s = c->srv;
    const char *qs = gqlsse_request_param(&c->req, "QUERY_STRING");
    char *id = qs ? gqlsse_form_get(qs, strlen(qs), "operationId") : NULL;
    if (!id) {
        respond_error(c, 400, NULL, NULL, "Operation ID is missing");
        return;
    }
    size_t idlen = strlen(id);
    if (single_check_token(c, identity, token) < 0) {
        free(id);
        return;
    }
    gqlsse_store_status r;
    stream *st = single_find(s, token);
    if (st) {
        gqlsse_store_op_release(s->store, token, id, idlen);
        single_stop(st, id, idlen);
    } else {
        r = gqlsse_store_op_release(s->store, token, id, idlen);
        if (r == GQLSSE_STORE_DOWN) {
            respond_503(c, "cannot reach memcached", gqlsse_store_error(s->store));
            free(id);
            return;
        }
        /* A released id also cancels a submission still waiting for its
         * stream (it answers 204); a running one needs its holder told. */
        if (r == GQLSSE_STORE_OK && gqlsse_store_lock_held(s->store, token) == GQLSSE_STORE_OK) {
            gql_buf j = GQL_BUF_INIT;
            char why[256] = "out of memory";
            if (gqlsse_ctl_encode_stop(&j, id, idlen) < 0 ||
                ctl_send(s, token, &j, why, sizeof why) < 0) {
                gql_buf_free(&j);
                respond_503(c, "cannot reach the process holding the stream", why);
                free(id);
                return;
            }
            gql_buf_free(&j);
        }
    }
    free(id);
    respond_empty(c, 200);
}

/* Every single connection request: PUT, DELETE, GET/POST with a token. */
static void single_request(conn *c, const char *method, char *token)
{
    char identity[GQLSSE_IDENTITY_MAX + 1];
    if (single_identity(c, identity, sizeof identity) < 0)
        return;
    if (!strcmp(method, "PUT")) {
        single_reserve(c, identity);
        return;
    }
    if (!token || !*token) {
        respond_error(c, 400, NULL, NULL, "Stream token missing");
        return;
    }
    if (!strcmp(method, "DELETE")) {
        single_delete(c, identity, token);
        return;
    }
    gqlsse_accept acc = gqlsse_accept_negotiate(gqlsse_request_param(&c->req, "HTTP_ACCEPT"));
    if (acc == GQLSSE_ACCEPT_NONE) {
        respond_error(c, 406, NULL,
                      "Accept: application/graphql-response+json, application/json, "
                      "text/event-stream\r\n",
                      "Not acceptable");
        return;
    }
    if (acc == GQLSSE_ACCEPT_EVENT_STREAM)
        single_open(c, identity, token);
    else
        single_submit(c, identity, token, !strcmp(method, "POST"));
}

static void handle_request(conn *c)
{
    gqlsse_server *s = c->srv;
    const gqlsse_conf *cf = s->conf;
    gqlsse_request *rq = &c->req;
    const char *method = gqlsse_request_param(rq, "REQUEST_METHOD");
    const char *protocol = gqlsse_request_param(rq, "SERVER_PROTOCOL");
    LOG(s, GQLSSE_LOG_DEBUG, "request %s %s %s", method ? method : "-",
        gqlsse_request_param(rq, "REQUEST_URI") ? gqlsse_request_param(rq, "REQUEST_URI") : "-",
        protocol ? protocol : "-");
    int is_get = method && strcmp(method, "GET") == 0;
    int is_post = method && strcmp(method, "POST") == 0;
    int is_put = method && strcmp(method, "PUT") == 0;
    int is_delete = method && strcmp(method, "DELETE") == 0;
    char *token = is_get || is_post || is_delete ? request_token(rq) : NULL;
    if (is_put || is_delete || token) {
        single_request(c, method, token);
        free(token);
        return;
    }
    if (!is_get && !is_post) {
        respond_error(c, 405, NULL, "Allow: GET, POST\r\n", "Method not allowed");
        return;
    }
    gqlsse_accept acc = gqlsse_accept_negotiate(gqlsse_request_param(rq, "HTTP_ACCEPT"));
    if (acc == GQLSSE_ACCEPT_NONE) {
        respond_error(c, 406, NULL,
                      "Accept: application/graphql-response+json, application/json, "
                      "text/event-stream\r\n",
                      "Not acceptable");
        return;
    }
    int sse = acc == GQLSSE_ACCEPT_EVENT_STREAM;
    const char *json_ct = acc == GQLSSE_ACCEPT_GRAPHQL_JSON
                              ? "application/graphql-response+json; charset=utf-8"
                              : "application/json; charset=utf-8";
    if (sse && !cf->sse_http1 &&
        (!protocol || strncmp(protocol, "HTTP/2", 6) < 0 || strncmp(protocol, "HTTP/", 5) != 0)) {
        static const char body[] = "Cannot use Server-Sent Events with HTTP protocol lower than 2.0.";
        respond(c, 426, "text/plain; charset=utf-8", "Upgrade: HTTP/2.0\r\nConnection: Upgrade\r\n",
                body, sizeof body - 1);
        return;
    }
    if (rq->body_too_large) {
        respond_error(c, 413, NULL, NULL, "Request body is too large");
        return;
    }
    gqlsse_gql_params gp;
    const char *message = NULL;
    int status = gqlsse_gql_params_read(rq, is_post, &gp, &message);
    if (status) {
        respond_error(c, status, NULL, NULL, message);
        gqlsse_gql_params_clear(&gp);
        return;
    }
    gql_parse_options po = {.max_source_bytes = cf->max_document_bytes,
                            .max_tokens = cf->max_document_tokens,
                            .max_depth = cf->max_document_depth};
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_buf b = GQL_BUF_INIT;
    const gql_node *op = NULL;
    gql_document *doc = gql_parse(gp.query, strlen(gp.query), &po, &errs);
    if (doc) {
        op = gqlsse_find_operation(doc, gp.operation_name);
        if (!op) {
            respond_error(c, 400, NULL, NULL, "Unable to detect operation AST");
            goto out;
        }
        if (is_get && op->operation == GQL_OP_MUTATION) {
            respond_error(c, 405, NULL, "Allow: POST\r\n", "Cannot perform mutations over GET");
            goto out;
        }
        gql_validate_options vo = {.runtime = s->app->runtime};
        gql_validate(s->app->schema, doc, &vo, &errs);
    }
    if (sse && (s->shutting_down || s->nstreams >= cf->max_streams)) {
        LOG(s, GQLSSE_LOG_WARN, "stream refused: %u streams open (max_streams %u)", s->nstreams,
            cf->max_streams);
        respond_error(c, 503, NULL, "Retry-After: 5\r\n", "Too many open streams; retry later");
        goto out;
    }
    if (errs.count) {
        gql_buf_puts(&b, "{\"errors\":");
        gql_error_list_to_json(&b, &errs);
        gql_buf_puts(&b, "}");
        if (sse) {
            stream *st = stream_open(c, protocol);
            if (st)
                sse_single_result(st, b.data, b.len);
        } else
            respond(c, acc == GQLSSE_ACCEPT_GRAPHQL_JSON ? 400 : 200, json_ct, NULL, b.data, b.len);
        goto out;
    }
    if (!sse) {
        if (op->operation == GQL_OP_SUBSCRIPTION) {
            respond_error(c, 400, NULL, NULL,
                          "Subscriptions need a stream: send Accept: text/event-stream");
            goto out;
        }
        if (gqlsse_hub_execute(s->hub, doc, gp.variables, gp.operation_name,
                               gqlsse_request_param(rq, "REMOTE_USER"), &b) < 0)
            respond_error(c, 500, NULL, NULL, "Out of memory");
        else
            respond(c, 200, json_ct, NULL, b.data, b.len);
        goto out;
    }
    stream *st = stream_open(c, protocol);
    if (!st) {
        conn_kill(c, "out of memory");
        goto out;
    }
    if (op->operation != GQL_OP_SUBSCRIPTION) {
        int query = op->operation == GQL_OP_QUERY;
        if (query ? !cf->allow_queries_sse : !cf->allow_mutations_sse) {
            gql_buf_puts(&b, "{\"errors\":[{\"message\":");
            const char *m = query ? "Cannot use Server-Sent Events for queries."
                                  : "Cannot use Server-Sent Events for mutations.";
            gql_buf_json_string(&b, m, strlen(m));
            gql_buf_puts(&b, ",\"extensions\":{\"status_code\":405,\"error_code\":"
                             "\"INVALID_OPERATION_FOR_METHOD\"}}]}");
        } else
            gqlsse_hub_execute(s->hub, doc, gp.variables, gp.operation_name,
                               gqlsse_request_param(rq, "REMOTE_USER"), &b);
        sse_single_result(st, b.data ? b.data : "{}", b.len);
        goto out;
    }
    handle_subscription(c, st, doc, op, gp.variables, gp.operation_name, gp.query);
    doc = NULL;
    gp.variables = NULL;
    gp.operation_name = NULL;
out:
    gql_buf_free(&b);
    gql_error_list_clear(&errs);
    gql_document_free(doc);
    gqlsse_gql_params_clear(&gp);
}

/* ---- FastCGI input ---- */

static void send_record(conn *c, int type, uint16_t id, const void *content, size_t len)
{
    gql_buf b = GQL_BUF_INIT;
    put_header(&b, type, id, len, 0);
    gql_buf_append(&b, content, len);
    if (!b.oom)
        conn_send(c, b.data, b.len);
    gql_buf_free(&b);
}

static void put_nv(gql_buf *b, const char *name, const char *value)
{
    gql_buf_putc(b, (char)strlen(name));
    gql_buf_putc(b, (char)strlen(value));
    gql_buf_puts(b, name);
    gql_buf_puts(b, value);
}

/* One whole record. Returns -1 when the connection died. */
static int conn_record(conn *c, int type, uint16_t id, const unsigned char *p, size_t len)
{
    gqlsse_server *s = c->srv;
    switch (type) {
    case FCGI_GET_VALUES: {
        gql_buf b = GQL_BUF_INIT;
        char num[16];
        snprintf(num, sizeof num, "%u", s->conf->max_streams);
        put_nv(&b, "FCGI_MAX_CONNS", num);
        put_nv(&b, "FCGI_MAX_REQS", num);
        put_nv(&b, "FCGI_MPXS_CONNS", "0");
        send_record(c, FCGI_GET_VALUES_RESULT, 0, b.data, b.len);
        gql_buf_free(&b);
        break;
    }
    case FCGI_BEGIN_REQUEST: {
        if (len < 8)
            return conn_kill(c, "malformed FCGI_BEGIN_REQUEST"), -1;
        int role = (p[0] << 8) | p[1];
        if (c->state != C_IDLE || role != FCGI_RESPONDER) {
            unsigned char body[8] = {0, 0, 0, 0,
                                     (unsigned char)(role != FCGI_RESPONDER ? FCGI_UNKNOWN_ROLE
                                                                            : FCGI_CANT_MPX_CONN),
                                     0, 0, 0};
            send_record(c, FCGI_END_REQUEST, id, body, 8);
            break;
        }
        c->req_id = id;
        c->keep_conn = (p[2] & FCGI_KEEP_CONN) != 0;
        c->state = C_PARAMS;
        break;
    }
    case FCGI_PARAMS:
        if (c->state != C_PARAMS || id != c->req_id)
            break;
        if (len == 0) {
            if (gqlsse_request_decode_params(&c->req) < 0) {
                conn_kill(c, "malformed FCGI_PARAMS");
                return -1;
            }
            c->state = C_STDIN;
        } else if (gqlsse_request_add_raw_params(&c->req, p, len, MAX_PARAMS_BYTES) < 0) {
            conn_kill(c, "FCGI_PARAMS too large");
            return -1;
        }
        break;
    case FCGI_STDIN:
        if (c->state != C_STDIN || id != c->req_id)
            break;
        if (len == 0) {
            c->state = C_DONE;
            handle_request(c);
        } else
            gqlsse_request_add_body(&c->req, (const char *)p, len, s->conf->max_body_bytes);
        break;
    case FCGI_ABORT_REQUEST:
        if (id != c->req_id || c->state == C_IDLE)
            break;
        LOG(s, GQLSSE_LOG_INFO, "request aborted by the web server");
        if (c->stream)
            stream_finish(c->stream, 0);
        else {
            if (c->pending)
                pending_free(c->pending, 1);
            conn_end_request(c, FCGI_REQUEST_COMPLETE);
        }
        break;
    case FCGI_DATA:
        break;
    default: {
        unsigned char body[8] = {(unsigned char)type, 0, 0, 0, 0, 0, 0, 0};
        send_record(c, FCGI_UNKNOWN_TYPE, 0, body, 8);
    }
    }
    return c->dead ? -1 : 0;
}

/* Processes whole records in data[0..n); keeps a partial one in c->rbuf. */
static int conn_input(conn *c, const unsigned char *data, size_t n)
{
    size_t off = 0;
    while (n - off >= 8) {
        const unsigned char *h = data + off;
        size_t clen = ((size_t)h[4] << 8) | h[5], need = 8 + clen + h[6];
        if (h[0] != 1) {
            conn_kill(c, "not FastCGI version 1");
            return -1;
        }
        if (n - off < need)
            break;
        if (conn_record(c, h[1], (uint16_t)((h[2] << 8) | h[3]), h + 8, clen) < 0)
            return -1;
        off += need;
    }
    if (off < n) {
        unsigned char *keep = malloc(n - off);
        if (!keep) {
            conn_kill(c, "out of memory");
            return -1;
        }
        memcpy(keep, data + off, n - off);
        free(c->rbuf);
        c->rbuf = keep;
        c->rlen = n - off;
    } else {
        free(c->rbuf);
        c->rbuf = NULL;
        c->rlen = 0;
    }
    return 0;
}

#define RSCRATCH (65536u + 8u + 256u)

static void conn_cb(void *arg, uint32_t events)
{
    conn *c = arg;
    if (c->dead)
        return;
    if (events & EPOLLOUT)
        if (conn_flush(c) < 0)
            return;
    if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
        return;
    gqlsse_server *s = c->srv;
    for (;;) {
        size_t have = c->rlen;
        if (have)
            memcpy(s->rscratch, c->rbuf, have);
        ssize_t r = recv(c->io.fd, s->rscratch + have, RSCRATCH - have, 0);
        if (r == 0) {
            conn_kill(c, "closed by the web server");
            return;
        }
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            conn_kill(c, strerror(errno));
            return;
        }
        if (conn_input(c, s->rscratch, have + (size_t)r) < 0)
            return;
    }
}

static void listener_cb(void *arg, uint32_t events)
{
    listener *l = arg;
    gqlsse_server *s = l->srv;
    (void)events;
    for (;;) {
        int fd = gqlsse_accept_conn(l->io.fd, NULL, NULL);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                LOG(s, GQLSSE_LOG_ERROR, "accept: %s", strerror(errno));
            return;
        }
        conn *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            LOG(s, GQLSSE_LOG_ERROR, "accept: out of memory");
            continue;
        }
        c->srv = s;
        c->io.fd = fd;
        c->io.cb = conn_cb;
        c->io.arg = c;
        if (gqlsse_io_add(s->loop, &c->io, EPOLLIN | EPOLLRDHUP) < 0) {
            close(fd);
            free(c);
            continue;
        }
        gqlsse_list_push(&s->conns, &c->link);
    }
}

/* ---- signals and shutdown ---- */

static void begin_shutdown(gqlsse_server *s, const char *why)
{
    if (s->shutting_down)
        return;
    s->shutting_down = 1;
    s->shutdown_deadline = gqlsse_now_ms() + SHUTDOWN_GRACE_MS;
    LOG(s, GQLSSE_LOG_INFO, "%s: ending %u streams and exiting", why, s->nstreams);
    for (listener *l = s->listeners; l; l = l->next) {
        gqlsse_io_del(s->loop, &l->io);
        close(l->io.fd);
        l->io.fd = -1;
    }
    /* Streams end without `complete`: the operation did not complete, and
     * the client should subscribe again (to another worker). */
    while (!gqlsse_list_empty(&s->streams))
        stream_finish(GQLSSE_LIST_FIRST(&s->streams, stream, link), 0);
    while (!gqlsse_list_empty(&s->pendings)) {
        pending *p = GQLSSE_LIST_FIRST(&s->pendings, pending, link);
        conn *c = p->c;
        pending_free(p, 1);
        respond_error(c, 503, NULL, "Retry-After: 5\r\n", "The worker is shutting down");
    }
    conn *next;
    for (conn *c = GQLSSE_LIST_FIRST(&s->conns, conn, link); c; c = next) {
        next = GQLSSE_LIST_NEXT(c, conn, link);
        if (c->state == C_IDLE && !c->out_head)
            conn_kill(c, NULL);
    }
}

static void signal_cb(void *arg, uint32_t events)
{
    gqlsse_server *s = arg;
    (void)events;
    struct signalfd_siginfo si;
    while (read(s->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
        const char *name = si.ssi_signo == SIGTERM ? "SIGTERM"
                           : si.ssi_signo == SIGINT ? "SIGINT"
                                                    : "SIGHUP";
        begin_shutdown(s, name);
    }
}

/* ---- server ---- */

gqlsse_server *gqlsse_server_new(const gqlsse_conf *conf, const gqlsse_logger *log, char *err,
                                 size_t errlen)
{
    gqlsse_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->conf = conf;
    s->log = log;
    s->sigfd = -1;
    s->loop = gqlsse_loop_new();
    s->rscratch = malloc(RSCRATCH);
    if (!s->loop || !s->rscratch) {
        snprintf(err, errlen, "out of memory");
        gqlsse_server_free(s);
        return NULL;
    }
    s->hub = gqlsse_hub_new(conf, log, s->loop, err, errlen);
    if (!s->hub) {
        gqlsse_server_free(s);
        return NULL;
    }
    s->app = gqlsse_hub_app(s->hub);
    gqlsse_store_options so = {.servers = conf->memcached,
                               .prefix = conf->memcached_prefix,
                               .session_prefix = conf->session_key_prefix,
                               .lock_ttl = conf->lock_ttl_s};
    s->store = gqlsse_store_new(&so, err, errlen);
    if (!s->store) {
        gqlsse_server_free(s);
        return NULL;
    }
    s->ctlio.fd = -1;
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    s->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    s->sigio.fd = s->sigfd;
    s->sigio.cb = signal_cb;
    s->sigio.arg = s;
    if (s->sigfd < 0 || gqlsse_io_add(s->loop, &s->sigio, EPOLLIN) < 0) {
        snprintf(err, errlen, "signalfd: %s", strerror(errno));
        gqlsse_server_free(s);
        return NULL;
    }
    return s;
}

int gqlsse_server_add_listener(gqlsse_server *s, int fd)
{
    listener *l = calloc(1, sizeof *l);
    if (!l)
        return -1;
    /* libfcgi (FCGX_OpenSocket) and web servers hand over a blocking socket. */
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        free(l);
        return -1;
    }
    l->srv = s;
    l->io.fd = fd;
    l->io.cb = listener_cb;
    l->io.arg = l;
    if (gqlsse_io_add(s->loop, &l->io, EPOLLIN) < 0) {
        free(l);
        return -1;
    }
    l->next = s->listeners;
    s->listeners = l;
    return 0;
}

static void free_dead(gqlsse_server *s)
{
    while (s->dead) {
        conn *c = s->dead;
        s->dead = c->next_dead;
        conn_free(c);
    }
}

/* Closes every live connection (each leaves s->conns as it dies). */
static void kill_all(gqlsse_server *s)
{
    while (!gqlsse_list_empty(&s->conns))
        conn_kill(GQLSSE_LIST_FIRST(&s->conns, conn, link), NULL);
}

int gqlsse_server_run(gqlsse_server *s)
{
    LOG(s, GQLSSE_LOG_INFO, "serving %s (keep-alive %u ms, max_streams %u)", s->conf->endpoint,
        s->conf->keep_alive_ms, s->conf->max_streams);
    for (;;) {
        int wait = -1;
        if (s->shutting_down) {
            uint64_t now = gqlsse_now_ms();
            if (gqlsse_list_empty(&s->conns) || now >= s->shutdown_deadline)
                break;
            wait = (int)(s->shutdown_deadline - now);
        }
        if (gqlsse_loop_run_once(s->loop, wait) < 0) {
            LOG(s, GQLSSE_LOG_ERROR, "epoll: %s", strerror(errno));
            return 1;
        }
        free_dead(s);
    }
    kill_all(s);
    free_dead(s);
    gqlsse_hub_log_stats(s->hub);
    LOG(s, GQLSSE_LOG_INFO, "exiting");
    return 0;
}

void gqlsse_server_free(gqlsse_server *s)
{
    if (!s)
        return;
    kill_all(s);
    free_dead(s);
    while (s->listeners) {
        listener *l = s->listeners;
        s->listeners = l->next;
        if (l->io.fd >= 0)
            close(l->io.fd);
        free(l);
    }
    gqlsse_hub_free(s->hub);
    if (s->ctl) {
        gqlsse_timer_stop(s->loop, &s->ctltimer);
        gqlsse_io_del(s->loop, &s->ctlio);
        gqlsse_bus_sub_free(s->ctl);
    }
    gqlsse_publisher_free(s->pub);
    gqlsse_store_free(s->store);
    gql_strmap_clear(&s->singles);
    if (s->sigfd >= 0)
        close(s->sigfd);
    gqlsse_loop_free(s->loop);
    gql_buf_free(&s->out);
    free(s->rscratch);
    free(s);
}
