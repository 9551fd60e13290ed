/* server.c: the gqlsse-fcgi worker: FastCGI records parsed on an epoll loop,
 * GraphQL over HTTP, graphql-sse distinct connections streams with
 * keep-alives, bounded backlogs, client-gone detection and module sources.
 * Everything runs on the loop thread; nothing here is thread-safe. */
#include "config.h"

#include "http/server.h"

#include "http/app.h"
#include "http/bindings.h"
#include "http/loop.h"
#include "http/request.h"

#include <gqlsse/buf.h>
#include <gqlsse/execute.h>
#include <gqlsse/module.h>
#include <gqlsse/parser.h>
#include <gqlsse/validate.h>

#include "bus/codec.h"
#include "bus/subscriber.h"

#include <errno.h>
#include <fcntl.h>
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
typedef struct bus_topic bus_topic;

/* Streams of event-bound subscriptions (@model/@topic) that run the same
 * operation (document, operation name, variables): the selection set runs
 * once per event for the whole group. Owned by its topic; freed with its
 * last stream. */
typedef struct event_group {
    bus_topic *topic;
    char *key;                /* operation name \n variables \n query */
    gql_document *doc;        /* owned: the first stream's */
    json_object *variables;   /* owned */
    char *operation_name;     /* owned */
    const gql_node *field;    /* root field node in doc */
    gql_plan *plan;           /* owned */
    json_object *args;        /* coerced field arguments (owned reference) */
    const gqlsse_binding *binding;
    stream *streams;          /* members (stream.gnext) */
    unsigned nstreams;
    int busy;                 /* being dispatched to: freed afterwards */
    struct event_group *next;
} event_group;

/* A broker topic some group needs (the worker subscribes to it while it
 * exists) and its sequence state for the current broker run. */
struct bus_topic {
    char *topic;               /* "model/Task/", owned */
    size_t len;
    event_group *groups;
    int busy;
    int have_seq;              /* a baseline was received */
    char run[GQLSSE_BUS_RUN_ID_LEN + 1];
    uint64_t last_seq;
    bus_topic *next;
};

/* One subscription source (the module API's handle). */
struct gqlsse_source {
    stream *st;
    const gqlsse_app_source *as;
    void *state;
    gqlsse_timer timer;
    int ended;      /* no more host calls accepted */
    int stop_queued;
    gqlsse_source *next_stop;
};

/* An SSE response in progress on a connection. */
struct stream {
    conn *c;
    gqlsse_timer keepalive;
    uint64_t last_write;
    int finished; /* complete/end sent or client gone */
    /* the subscription operation (NULL for query/mutation streams) */
    gql_document *doc;
    json_object *variables;
    char *operation_name;
    const gql_node *field; /* root field node */
    const gql_field *fdef; /* its definition (schema's), NULL before known */
    gqlsse_source src;
    int has_source;
    event_group *group;  /* event-bound subscription: its group, else NULL */
    stream *gprev, *gnext;
    stream *prev, *next; /* the server's list of open streams */
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
    conn *prev, *next;  /* all live connections */
    conn *next_dead;
};

typedef struct listener {
    gqlsse_io io;
    gqlsse_server *srv;
    struct listener *next;
} listener;

/* What the source resolver does, per execution (gql_context.user). */
typedef struct op_ctx {
    int capture;         /* 1: store the coerced arguments */
    int called;
    json_object *args;   /* captured (owned reference) */
    json_object *value;  /* borrowed: the value to resolve to */
    const char *error;   /* the error to resolve to */
} op_ctx;

struct gqlsse_server {
    const gqlsse_conf *conf;
    const gqlsse_logger *log;
    gqlsse_loop *loop;
    gqlsse_app app;
    gqlsse_host host;
    listener *listeners;
    gqlsse_io sigio;
    int sigfd;
    int shutting_down;
    uint64_t shutdown_deadline;
    conn *conns;
    conn *dead;
    stream *streams;
    unsigned nstreams;
    gqlsse_source *stops; /* sources whose stop hook is due */
    gql_buf scratch;
    unsigned char *rscratch;
    /* gqlsse-broker (only when the schema binds fields with @model/@topic) */
    gqlsse_bus_sub *bus;
    gqlsse_io busio;
    gqlsse_timer bustimer;   /* 0 ms: drain again (after (un)subscribing, or a long burst) */
    bus_topic *topics;
    char run[GQLSSE_BUS_RUN_ID_LEN + 1]; /* the broker run last seen, "" before */
    uint64_t last_msg_ms;
    uint64_t bus_received, bus_malformed, bus_gaps, bus_lost, bus_restarts, bus_events;
    gql_buf sse;             /* one event's SSE bytes, shared by a group */
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
    case 400: return "Bad Request";
    case 404: return "Not Found";
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
static void group_leave(stream *st);

static stream *stream_open(conn *c, const char *protocol)
{
    gqlsse_server *s = c->srv;
    stream *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->c = c;
    c->stream = st;
    st->next = s->streams;
    if (s->streams)
        s->streams->prev = st;
    s->streams = st;
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

/* The source of `st` is finished: no further host calls; stop is queued. */
static void source_end(stream *st)
{
    if (!st->has_source || st->src.ended)
        return;
    gqlsse_server *s = st->c->srv;
    st->src.ended = 1;
    gqlsse_timer_stop(s->loop, &st->src.timer);
    if (!st->src.stop_queued) {
        st->src.stop_queued = 1;
        st->src.next_stop = s->stops;
        s->stops = &st->src;
    }
}

/* Unlinks the stream from its connection and the server's list. The stream
 * itself is freed once its source is stopped (or now when it has none). */
static void stream_free(stream *st)
{
    json_object_put(st->variables);
    free(st->operation_name);
    gql_document_free(st->doc);
    free(st);
}

static void stream_detach(stream *st)
{
    gqlsse_server *s = st->c->srv;
    if (st->prev)
        st->prev->next = st->next;
    else if (s->streams == st)
        s->streams = st->next;
    if (st->next)
        st->next->prev = st->prev;
    st->prev = st->next = NULL;
    s->nstreams--;
    gqlsse_timer_stop(s->loop, &st->keepalive);
    st->finished = 1;
    st->c->stream = NULL;
    if (st->group)
        group_leave(st);
    source_end(st);
    if (!st->has_source)
        stream_free(st);
    /* else freed after the stop hook ran (run_stops) */
}

/* Sends one SSE event (counted against the backlog unless `force`).
 * Returns 0, 1 when the backlog overflowed (the caller ends the stream), -1
 * when the connection died. */
static int stream_send_event(stream *st, const char *event, const char *data, size_t len,
                             int force)
{
    conn *c = st->c;
    if (st->finished || c->dead)
        return -1;
    if (!force && c->nqueued >= c->srv->conf->max_backlog)
        return 1;
    gql_buf b = GQL_BUF_INIT;
    gql_buf_printf(&b, "event: %s\ndata: ", event);
    gql_buf_append(&b, data, len);
    gql_buf_puts(&b, "\n\n");
    int r = b.oom ? -1 : conn_stdout(c, b.data, b.len);
    gql_buf_free(&b);
    if (r < 0)
        return -1; /* the connection died: `st` is gone or detached */
    st->last_write = gqlsse_now_ms();
    return 0;
}

/* Ends the stream: `event: complete` (when `complete`), END_REQUEST. */
static void stream_finish(stream *st, int complete)
{
    conn *c = st->c;
    if (st->finished)
        return;
    if (complete && !c->dead && stream_send_event(st, "complete", "", 0, 1) < 0)
        return; /* the connection died and took the stream with it */
    stream_detach(st);
    if (!c->dead)
        conn_end_request(c, FCGI_REQUEST_COMPLETE);
}

static void stream_overflow(stream *st)
{
    gqlsse_server *s = st->c->srv;
    LOG(s, GQLSSE_LOG_WARN, "stream backlog over %u events (slow client): operation ended",
        s->conf->max_backlog);
    static const char msg[] =
        "{\"errors\":[{\"message\":\"Too many events are waiting for this slow client; the "
        "operation was stopped. Subscribe again.\",\"extensions\":{\"status_code\":503,"
        "\"error_code\":\"STREAM_BACKLOG_OVERFLOW\"}}]}";
    if (stream_send_event(st, "next", msg, sizeof msg - 1, 1) == 0)
        stream_finish(st, 1);
}

/* Sends `event` and ends the stream on overflow. Returns 0 while open. */
static int stream_event(stream *st, const char *data, size_t len)
{
    int r = stream_send_event(st, "next", data, len, 0);
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

/* ---- connections ---- */

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
    if (c->prev)
        c->prev->next = c->next;
    else if (s->conns == c)
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
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

static const gql_node *find_operation(const gql_document *doc, const char *name)
{
    const gql_node *found = NULL;
    const gql_list *defs = &doc->root->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *d = defs->items[i];
        if (d->kind != GQL_OPERATION_DEFINITION)
            continue;
        if (name) {
            if (d->name && strcmp(d->name->value, name) == 0)
                return d;
        } else {
            if (found)
                return NULL;
            found = d;
        }
    }
    return found;
}

static const gql_node *first_field(const gql_document *doc, const gql_node *set, int depth)
{
    if (!set || depth > 32)
        return NULL;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gql_node *sel = set->selections.items[i];
        if (sel->kind == GQL_FIELD)
            return sel;
        if (sel->kind == GQL_INLINE_FRAGMENT)
            return first_field(doc, sel->selection_set, depth + 1);
        if (sel->kind == GQL_FRAGMENT_SPREAD) {
            const gql_list *defs = &doc->root->definitions;
            for (uint32_t k = 0; k < defs->count; k++) {
                const gql_node *d = defs->items[k];
                if (d->kind == GQL_FRAGMENT_DEFINITION && strcmp(d->name->value, sel->name->value) == 0)
                    return first_field(doc, d->selection_set, depth + 1);
            }
        }
    }
    return NULL;
}

static gql_resolve_status source_resolver(json_object *parent, json_object *args,
                                          const gql_resolve_info *info, void *ud,
                                          json_object **result, const char **error)
{
    (void)parent;
    (void)ud;
    op_ctx *oc = info->context->user;
    *result = NULL;
    if (!oc)
        return GQL_RESOLVE_OK;
    oc->called = 1;
    if (oc->capture) {
        if (!oc->args)
            oc->args = json_object_get(args);
        return GQL_RESOLVE_OK;
    }
    if (oc->error) {
        *error = oc->error;
        return GQL_RESOLVE_ERROR;
    }
    *result = json_object_get(oc->value);
    return GQL_RESOLVE_OK;
}

/* Executes the stream's operation with `oc` as the context's user data;
 * the response JSON goes to `out`. Returns 0, -1 on OOM. */
static int run_operation(gqlsse_server *s, const gql_document *doc, json_object *variables,
                         const char *operation_name, op_ctx *oc, const char *identity,
                         gql_buf *out)
{
    gql_context ctx = {.identity = identity, .request = NULL, .user = oc};
    gql_execute_args ea = {.schema = s->app.schema,
                           .runtime = s->app.runtime,
                           .document = doc,
                           .root_value = NULL,
                           .variables = variables,
                           .operation_name = operation_name,
                           .context = &ctx};
    gql_result res = GQL_RESULT_INIT;
    int r = gql_execute(&ea, &res);
    gql_result_to_json(out, &res);
    gql_result_clear(&res);
    return r;
}

static void field_error_json(gql_buf *b, const stream *st, const char *message)
{
    gql_location loc = gql_node_location(st->doc ? st->doc : st->group->doc, st->field);
    const gql_node *key = st->field->alias ? st->field->alias : st->field->name;
    gql_buf_puts(b, "{\"message\":");
    gql_buf_json_string(b, message, strlen(message));
    gql_buf_printf(b, ",\"locations\":[{\"line\":%u,\"column\":%u}],\"path\":[", loc.line,
                   loc.column);
    gql_buf_json_string(b, key->value, key->value_len);
    gql_buf_puts(b, "]}");
}

/* Ends the stream's operation with one 403 PERMISSION_DENIED error (Undine's
 * shape, with the field's location and path), then `complete`. */
static void stream_deny(stream *st, const char *message)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "{\"data\":null,\"errors\":[");
    field_error_json(&b, st, message);
    if (!b.oom && b.len)
        b.len--; /* reopen the error object for its extensions */
    gql_buf_puts(&b, ",\"extensions\":{\"status_code\":403,\"error_code\":"
                     "\"PERMISSION_DENIED\"}}]}");
    if (!b.oom && stream_event(st, b.data, b.len) < 0) {
        gql_buf_free(&b);
        return; /* stream already ended (overflow or client gone) */
    }
    gql_buf_free(&b);
    stream_finish(st, 1);
}

/* Do the field's permission checks let `st` receive `value`? 1 yes, 0 no. */
static int stream_permitted(stream *st, json_object *value)
{
    gqlsse_server *s = st->c->srv;
    return !st->fdef || gqlsse_app_permitted(&s->app, st->fdef,
                                             gqlsse_request_param(&st->c->req, "REMOTE_USER"),
                                             value);
}

static const char *stream_request_param(const gqlsse_stream_request *rq, const char *name)
{
    const stream *st = rq->host_data;
    return gqlsse_request_param(&st->c->req, name);
}

/* Runs the modules' stream-open hooks; 0 when all let the operation run,
 * else -1 with the refusal's message in *error. */
static int stream_open_hooks(stream *st, const char *coord, const char *query, json_object *args,
                             const char **error)
{
    gqlsse_server *s = st->c->srv;
    gqlsse_stream_request rq = {.identity = gqlsse_request_param(&st->c->req, "REMOTE_USER"),
                                .coordinate = coord,
                                .query = query,
                                .operation_name = st->operation_name,
                                .variables = st->variables,
                                .args = args,
                                .param = stream_request_param,
                                .host_data = st};
    for (size_t i = 0; i < s->app.nmodules; i++) {
        const gqlsse_app_module *m = &s->app.modules[i];
        if (!GQLSSE_MODULE_HAS(m->mod, stream_open) || !m->mod->stream_open)
            continue;
        *error = NULL;
        if (m->mod->stream_open(&rq, m->state, error) < 0) {
            if (!*error)
                *error = "Permission denied.";
            return -1;
        }
    }
    return 0;
}

/* ---- host functions for modules ---- */

static int host_emit(gqlsse_source *src, json_object *value, const char *error)
{
    stream *st = src->st;
    gqlsse_server *s = st->c->srv;
    op_ctx oc = {.capture = 0, .value = value, .error = error};
    gql_buf *b = &s->scratch;
    gql_buf_reset(b);
    run_operation(s, st->doc, st->variables, st->operation_name, &oc,
                  gqlsse_request_param(&st->c->req, "REMOTE_USER"), b);
    if (b->oom) {
        gql_buf_free(b);
        return -1;
    }
    return stream_event(st, b->data, b->len) < 0 ? -1 : 0;
}

static int host_next(gqlsse_source *src, json_object *value)
{
    int r = -1;
    if (!src->ended && !stream_permitted(src->st, value))
        stream_deny(src->st, "Permission denied.");
    else if (!src->ended)
        r = host_emit(src, value, NULL);
    json_object_put(value);
    return r;
}

static int host_yield_error(gqlsse_source *src, const char *message)
{
    if (src->ended)
        return -1;
    return host_emit(src, NULL, message ? message : "Unknown error");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void host_fail(gqlsse_source *src, const char *const *messages, size_t n)
{
    if (src->ended)
        return;
    stream *st = src->st;
    const char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "{\"data\":null,\"errors\":[");
    if (sorted) {
        for (size_t i = 0; i < n; i++)
            sorted[i] = messages[i] ? messages[i] : "Unknown error";
        qsort(sorted, n, sizeof *sorted, cmp_str);
        for (size_t i = 0; i < n; i++) {
            if (i)
                gql_buf_putc(&b, ',');
            field_error_json(&b, st, sorted[i]);
        }
        if (n == 0)
            field_error_json(&b, st, "Unknown error");
    }
    gql_buf_puts(&b, "]}");
    free(sorted);
    if (!b.oom && stream_event(st, b.data, b.len) < 0) {
        gql_buf_free(&b);
        return; /* stream already ended (overflow or client gone) */
    }
    gql_buf_free(&b);
    stream_finish(st, 1);
}

static void host_complete(gqlsse_source *src)
{
    if (src->ended)
        return;
    stream_finish(src->st, 1);
}

static void source_timer_cb(void *arg)
{
    gqlsse_source *src = arg;
    if (!src->ended && src->as->def->on_timer)
        src->as->def->on_timer(src, src->state);
}

static int host_set_timer(gqlsse_source *src, uint64_t delay_ms)
{
    if (src->ended)
        return -1;
    return gqlsse_timer_start(src->st->c->srv->loop, &src->timer, delay_ms);
}

static void host_log(const gqlsse_host *host, int level, const char *message)
{
    gqlsse_server *s = host->host_data;
    LOG(s, level, "module: %s", message);
}

/* Runs the stop hooks queued, then frees the streams they belonged to. */
static void run_stops(gqlsse_server *s)
{
    while (s->stops) {
        gqlsse_source *src = s->stops;
        s->stops = src->next_stop;
        if (src->as->def->stop)
            src->as->def->stop(src, src->state);
        stream *st = src->st;
        if (st->finished)
            stream_free(st);
        /* else the stream lives on (finished later by stream_detach) */
        else
            src->stop_queued = 0;
    }
}

/* ---- event-bound subscriptions: groups, topics, the broker ---- */

static void bus_kick(gqlsse_server *s)
{
    if (s->bus)
        gqlsse_timer_start(s->loop, &s->bustimer, 0);
}

static void topic_free(gqlsse_server *s, bus_topic *t)
{
    for (bus_topic **pp = &s->topics; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    if (s->bus && gqlsse_bus_sub_unsubscribe(s->bus, t->topic) < 0)
        LOG(s, GQLSSE_LOG_WARN, "broker: cannot unsubscribe from %s", t->topic);
    LOG(s, GQLSSE_LOG_INFO, "broker: unsubscribed from %s (no subscriber left)", t->topic);
    bus_kick(s);
    free(t->topic);
    free(t);
}

static void group_free(gqlsse_server *s, event_group *g)
{
    bus_topic *t = g->topic;
    for (event_group **pp = &t->groups; *pp; pp = &(*pp)->next)
        if (*pp == g) {
            *pp = g->next;
            break;
        }
    gql_plan_free(g->plan);
    gql_document_free(g->doc);
    json_object_put(g->variables);
    json_object_put(g->args);
    free(g->operation_name);
    free(g->key);
    free(g);
    if (!t->groups && !t->busy)
        topic_free(s, t);
}

static void group_leave(stream *st)
{
    event_group *g = st->group;
    gqlsse_server *s = st->c->srv;
    if (st->gprev)
        st->gprev->gnext = st->gnext;
    else
        g->streams = st->gnext;
    if (st->gnext)
        st->gnext->gprev = st->gprev;
    st->gprev = st->gnext = NULL;
    st->group = NULL;
    st->field = NULL;
    g->nstreams--;
    if (!g->nstreams && !g->busy)
        group_free(s, g);
}

/* Joins `st` to the group running its operation (creating the group, and
 * subscribing to the topic, when it is the first). Takes `args` (a
 * reference). Returns 0, -1 on OOM (the caller ends the stream). */
static int group_join(gqlsse_server *s, stream *st, const gqlsse_binding *b, json_object *args,
                      const char *query)
{
    gql_buf key = GQL_BUF_INIT;
    gql_buf_puts(&key, st->operation_name ? st->operation_name : "");
    gql_buf_putc(&key, '\n');
    if (st->variables)
        gql_buf_puts(&key, json_object_to_json_string_ext(st->variables, JSON_C_TO_STRING_PLAIN));
    gql_buf_putc(&key, '\n');
    gql_buf_puts(&key, query);
    if (key.oom) {
        gql_buf_free(&key);
        json_object_put(args);
        return -1;
    }
    bus_topic *t = s->topics;
    while (t && strcmp(t->topic, b->topic) != 0)
        t = t->next;
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t || !(t->topic = strdup(b->topic))) {
            free(t);
            gql_buf_free(&key);
            json_object_put(args);
            return -1;
        }
        t->len = strlen(t->topic);
        t->next = s->topics;
        s->topics = t;
        if (gqlsse_bus_sub_subscribe(s->bus, t->topic) < 0)
            LOG(s, GQLSSE_LOG_ERROR, "broker: cannot subscribe to %s", t->topic);
        else
            LOG(s, GQLSSE_LOG_INFO, "broker: subscribed to %s", t->topic);
        bus_kick(s);
    }
    event_group *g = t->groups;
    while (g && strcmp(g->key, key.data) != 0)
        g = g->next;
    if (g) {
        /* The group's document serves this stream too. */
        gql_document_free(st->doc);
        st->doc = NULL;
        json_object_put(args);
        gql_buf_free(&key);
    } else {
        g = calloc(1, sizeof *g);
        gql_plan_args pa = {.schema = s->app.schema,
                            .runtime = s->app.runtime,
                            .document = st->doc,
                            .operation_name = st->operation_name,
                            .variables = st->variables};
        if (g)
            g->plan = gql_plan_new(&pa);
        if (!g || !g->plan) {
            free(g);
            json_object_put(args);
            gql_buf_free(&key);
            if (!t->groups)
                topic_free(s, t);
            return -1;
        }
        g->topic = t;
        g->key = gql_buf_take(&key);
        g->doc = st->doc;
        st->doc = NULL;
        g->variables = st->variables;
        st->variables = NULL;
        g->operation_name = st->operation_name;
        st->operation_name = NULL;
        g->field = st->field;
        g->args = args;
        g->binding = b;
        g->next = t->groups;
        t->groups = g;
    }
    st->group = g;
    st->field = g->field;
    st->gnext = g->streams;
    if (g->streams)
        g->streams->gprev = st;
    g->streams = st;
    g->nstreams++;
    return 0;
}

/* Sends prebuilt SSE bytes as the stream's next event (backlog counted). */
static void stream_send_sse(stream *st, const char *sse, size_t len)
{
    conn *c = st->c;
    if (st->finished || c->dead)
        return;
    if (c->nqueued >= c->srv->conf->max_backlog) {
        stream_overflow(st);
        return;
    }
    if (conn_stdout(c, sse, len) == 0)
        st->last_write = gqlsse_now_ms();
}

/* One event to every group of `t` that selects it: the selection set runs
 * once per group, and the group's streams get the same bytes. */
static void dispatch(gqlsse_server *s, bus_topic *t, const gqlsse_bus_msg *m)
{
    t->busy = 1;
    gql_context ctx = {.identity = NULL, .request = NULL, .user = NULL};
    for (event_group *g = t->groups, *gn; g; g = gn) {
        gn = g->next;
        if (!g->nstreams || !gqlsse_binding_match(g->binding, g->args, m))
            continue;
        gql_result res = GQL_RESULT_INIT;
        gql_buf *b = &s->scratch;
        gql_buf_reset(b);
        gql_plan_map_event(g->plan, m->data, &ctx, &res);
        gql_result_to_json(b, &res);
        gql_result_clear(&res);
        gql_buf_reset(&s->sse);
        gql_buf_puts(&s->sse, "event: next\ndata: ");
        gql_buf_append(&s->sse, b->data ? b->data : "", b->len);
        gql_buf_puts(&s->sse, "\n\n");
        if (b->oom || s->sse.oom) {
            LOG(s, GQLSSE_LOG_ERROR, "event %s: out of memory", m->id);
            gql_buf_free(b);
            gql_buf_free(&s->sse);
            continue;
        }
        s->bus_events++;
        g->busy = 1;
        /* The execution is shared; the permission outcome is per subscriber
         * (identity-dependent), so it is checked for each stream. */
        int checked = gqlsse_app_has_permissions(&s->app, g->binding->field);
        for (stream *st = g->streams, *sn; st; st = sn) {
            sn = st->gnext;
            if (checked && !stream_permitted(st, m->data))
                stream_deny(st, "Permission denied.");
            else
                stream_send_sse(st, s->sse.data, s->sse.len);
        }
        g->busy = 0;
        if (!g->nstreams)
            group_free(s, g);
    }
    t->busy = 0;
    if (!t->groups)
        topic_free(s, t);
}

/* Sequence bookkeeping (docs/broker-protocol.md, "How workers use it"). */
static void track_sequence(gqlsse_server *s, bus_topic *t, const gqlsse_bus_stamp *st)
{
    uint64_t now = gqlsse_now_ms();
    if (!s->run[0]) {
        LOG(s, GQLSSE_LOG_INFO, "broker: run %s", st->run);
    } else if (strcmp(s->run, st->run) != 0) {
        s->bus_restarts++;
        LOG(s, GQLSSE_LOG_WARN,
            "broker restarted (run %s, was %s), %.1f s since the last message: events "
            "published while it was down are lost",
            st->run, s->run, (double)(now - s->last_msg_ms) / 1000.0);
    }
    memcpy(s->run, st->run, sizeof s->run);
    s->last_msg_ms = now;
    if (t->have_seq && strcmp(t->run, st->run) == 0 && st->topic_seq > t->last_seq + 1) {
        uint64_t lost = st->topic_seq - t->last_seq - 1;
        s->bus_gaps++;
        s->bus_lost += lost;
        LOG(s, GQLSSE_LOG_WARN,
            "broker: gap on %s: %llu message%s lost (sequence %llu after %llu; %llu gaps, "
            "%llu messages lost so far)",
            t->topic, (unsigned long long)lost, lost == 1 ? "" : "s",
            (unsigned long long)st->topic_seq, (unsigned long long)t->last_seq,
            (unsigned long long)s->bus_gaps, (unsigned long long)s->bus_lost);
    }
    t->have_seq = 1;
    memcpy(t->run, st->run, sizeof t->run);
    t->last_seq = st->topic_seq;
}

static void bus_message(void *ud, const gqlsse_bus_frames *f)
{
    gqlsse_server *s = ud;
    s->bus_received++;
    char why[256] = "";
    gqlsse_bus_stamp stamp;
    if (f->nframes != 3 || gqlsse_bus_stamp_parse(f->frame[2], f->len[2], &stamp) < 0) {
        s->bus_malformed++;
        LOG(s, GQLSSE_LOG_WARN, "broker: message ignored: %d frames or no valid stamp (%llu ignored)",
            f->nframes, (unsigned long long)s->bus_malformed);
        return;
    }
    bus_topic *t = s->topics;
    while (t && !(t->len == f->len[0] && memcmp(t->topic, f->frame[0], t->len) == 0))
        t = t->next;
    if (!t)
        return; /* unsubscribed meanwhile */
    track_sequence(s, t, &stamp);
    gqlsse_bus_msg m;
    gqlsse_bus_verdict v = gqlsse_bus_decode(f->frame[0], f->len[0], f->frame[1], f->len[1],
                                             s->conf->max_body_bytes > GQLSSE_BUS_DEFAULT_MAX_MESSAGE
                                                 ? s->conf->max_body_bytes
                                                 : GQLSSE_BUS_DEFAULT_MAX_MESSAGE,
                                             &m, why, sizeof why);
    if (v != GQLSSE_BUS_OK) {
        s->bus_malformed++;
        LOG(s, GQLSSE_LOG_WARN, "broker: message on %s ignored (%s): %s (%llu ignored)", t->topic,
            gqlsse_bus_verdict_name(v), why, (unsigned long long)s->bus_malformed);
        return;
    }
    LOG(s, GQLSSE_LOG_DEBUG, "broker: %s event %s (%s, seq %llu)", t->topic, m.id,
        m.kind == GQLSSE_BUS_MODEL ? gqlsse_bus_event_name(m.event) : "topic",
        (unsigned long long)stamp.topic_seq);
    dispatch(s, t, &m);
    gqlsse_bus_msg_clear(&m);
}

static void bus_drain(gqlsse_server *s)
{
    int r = gqlsse_bus_sub_drain(s->bus, 256, bus_message, s);
    if (r > 0)
        bus_kick(s); /* more waiting: let the other fds run first */
    else if (r < 0)
        LOG(s, GQLSSE_LOG_ERROR, "broker: receive failed: %s", strerror(errno));
}

static void bus_io_cb(void *arg, uint32_t events)
{
    (void)events;
    bus_drain(arg);
}

static void bus_timer_cb(void *arg)
{
    bus_drain(arg);
}

/* ---- handling a request ---- */

static void sse_single_result(stream *st, const char *json, size_t len)
{
    if (stream_event(st, json, len) == 0)
        stream_finish(st, 1);
}

static void handle_subscription(conn *c, stream *st, const gql_node *op, const char *query)
{
    gqlsse_server *s = c->srv;
    st->field = first_field(st->doc, op->selection_set, 0);
    if (!st->field) {
        sse_single_result(st, "{\"errors\":[{\"message\":\"Subscription has no field.\"}]}", 52);
        return;
    }
    char coord[512];
    snprintf(coord, sizeof coord, "%s.%s", s->app.schema->subscription->name,
             st->field->name->value);
    const gqlsse_app_source *as = gqlsse_app_find_source(&s->app, coord);
    const gql_field *fdef = gql_type_find_field(s->app.schema->subscription,
                                                st->field->name->value, st->field->name->value_len);
    const gqlsse_binding *bd =
        fdef ? gqlsse_bindings_find(s->app.bindings, s->app.nbindings, fdef) : NULL;
    if (!as && !bd) {
        gql_buf b = GQL_BUF_INIT;
        gql_buf_puts(&b, "{\"errors\":[");
        field_error_json(&b, st, "Subscription field must return Async Iterable. Received: undefined.");
        gql_buf_puts(&b, "]}");
        sse_single_result(st, b.data, b.len);
        gql_buf_free(&b);
        return;
    }
    /* Coerce the arguments as the executor does (defaults from the SDL). */
    op_ctx oc = {.capture = 1};
    gql_buf b = GQL_BUF_INIT;
    run_operation(s, st->doc, st->variables, st->operation_name, &oc,
                  gqlsse_request_param(&c->req, "REMOTE_USER"), &b);
    if (!oc.called) {
        sse_single_result(st, b.data ? b.data : "{}", b.len);
        gql_buf_free(&b);
        return;
    }
    gql_buf_free(&b);
    st->fdef = fdef;
    const char *refused = NULL;
    if (stream_open_hooks(st, coord, query, oc.args, &refused) < 0) {
        LOG(s, GQLSSE_LOG_INFO, "subscription %s refused by a stream-open hook: %s", coord,
            refused);
        json_object_put(oc.args);
        stream_deny(st, refused);
        return;
    }
    if (bd) {
        if (group_join(s, st, bd, oc.args, query) < 0) {
            LOG(s, GQLSSE_LOG_ERROR, "subscription %s: out of memory", coord);
            stream_finish(st, 0);
            return;
        }
        LOG(s, GQLSSE_LOG_INFO, "subscription %s started on %s (%u open streams, %u in its group)",
            coord, bd->topic, s->nstreams, st->group->nstreams);
        return;
    }
    st->has_source = 1;
    st->src.st = st;
    st->src.as = as;
    st->src.timer.cb = source_timer_cb;
    st->src.timer.arg = &st->src;
    const char *error = NULL;
    LOG(s, GQLSSE_LOG_INFO, "subscription %s started (%u open streams)", coord, s->nstreams);
    int r = as->def->start(&st->src, oc.args, as->module->state, &st->src.state, &error);
    json_object_put(oc.args);
    if (r < 0 && !st->src.ended) {
        const char *msg = error ? error : "Subscription could not start";
        host_fail(&st->src, &msg, 1);
    }
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
        op = find_operation(doc, gp.operation_name);
        if (!op) {
            respond_error(c, 400, NULL, NULL, "Unable to detect operation AST");
            goto out;
        }
        if (is_get && op->operation == GQL_OP_MUTATION) {
            respond_error(c, 405, NULL, "Allow: POST\r\n", "Cannot perform mutations over GET");
            goto out;
        }
        gql_validate(s->app.schema, doc, NULL, &errs);
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
        run_operation(s, doc, gp.variables, gp.operation_name, NULL,
                      gqlsse_request_param(rq, "REMOTE_USER"), &b);
        if (b.oom)
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
            run_operation(s, doc, gp.variables, gp.operation_name, NULL,
                          gqlsse_request_param(rq, "REMOTE_USER"), &b);
        sse_single_result(st, b.data ? b.data : "{}", b.len);
        goto out;
    }
    st->doc = doc;
    doc = NULL;
    st->variables = gp.variables;
    gp.variables = NULL;
    st->operation_name = gp.operation_name;
    gp.operation_name = NULL;
    handle_subscription(c, st, op, gp.query);
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
        else
            conn_end_request(c, FCGI_REQUEST_COMPLETE);
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
        int fd = accept4(l->io.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
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
        c->next = s->conns;
        if (s->conns)
            s->conns->prev = c;
        s->conns = c;
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
    while (s->streams)
        stream_finish(s->streams, 0);
    conn *next;
    for (conn *c = s->conns; c; c = next) {
        next = c->next;
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
    s->host.api_version = GQLSSE_MODULE_API_VERSION;
    s->host.size = sizeof s->host;
    s->host.next = host_next;
    s->host.yield_error = host_yield_error;
    s->host.fail = host_fail;
    s->host.complete = host_complete;
    s->host.set_timer = host_set_timer;
    s->host.log = host_log;
    s->host.host_data = s;
    s->loop = gqlsse_loop_new();
    s->rscratch = malloc(RSCRATCH);
    if (!s->loop || !s->rscratch) {
        snprintf(err, errlen, "out of memory");
        gqlsse_server_free(s);
        return NULL;
    }
    if (gqlsse_app_load(&s->app, conf, &s->host, source_resolver, err, errlen) < 0) {
        gqlsse_server_free(s);
        return NULL;
    }
    if (s->app.nbindings) {
        s->bus = gqlsse_bus_sub_new(conf->broker, GQLSSE_BUS_DEFAULT_MAX_MESSAGE, err, errlen);
        s->busio.fd = s->bus ? gqlsse_bus_sub_fd(s->bus) : -1;
        s->busio.cb = bus_io_cb;
        s->busio.arg = s;
        s->bustimer.cb = bus_timer_cb;
        s->bustimer.arg = s;
        if (!s->bus || gqlsse_io_add(s->loop, &s->busio, EPOLLIN | EPOLLET) < 0) {
            if (s->bus)
                snprintf(err, errlen, "broker: cannot watch the ZeroMQ fd: %s", strerror(errno));
            gqlsse_server_free(s);
            return NULL;
        }
        LOG(s, GQLSSE_LOG_INFO, "broker: connecting to %s (%zu subscription field%s bound to events)",
            conf->broker, s->app.nbindings, s->app.nbindings == 1 ? "" : "s");
    }
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

int gqlsse_server_run(gqlsse_server *s)
{
    LOG(s, GQLSSE_LOG_INFO, "serving %s (keep-alive %u ms, max_streams %u)", s->conf->endpoint,
        s->conf->keep_alive_ms, s->conf->max_streams);
    for (;;) {
        int wait = -1;
        if (s->shutting_down) {
            uint64_t now = gqlsse_now_ms();
            if (!s->conns || now >= s->shutdown_deadline)
                break;
            wait = (int)(s->shutdown_deadline - now);
        }
        if (gqlsse_loop_run_once(s->loop, wait) < 0) {
            LOG(s, GQLSSE_LOG_ERROR, "epoll: %s", strerror(errno));
            return 1;
        }
        run_stops(s);
        free_dead(s);
    }
    conn *next;
    for (conn *c = s->conns; c; c = next) {
        next = c->next;
        conn_kill(c, NULL);
    }
    run_stops(s);
    free_dead(s);
    if (s->bus)
        LOG(s, GQLSSE_LOG_INFO,
            "broker: %llu messages received, %llu ignored (malformed), %llu gaps (%llu lost), "
            "%llu broker restarts, %llu events executed",
            (unsigned long long)s->bus_received, (unsigned long long)s->bus_malformed,
            (unsigned long long)s->bus_gaps, (unsigned long long)s->bus_lost,
            (unsigned long long)s->bus_restarts, (unsigned long long)s->bus_events);
    LOG(s, GQLSSE_LOG_INFO, "exiting");
    return 0;
}

void gqlsse_server_free(gqlsse_server *s)
{
    if (!s)
        return;
    conn *next;
    for (conn *c = s->conns; c; c = next) {
        next = c->next;
        conn_kill(c, NULL);
    }
    run_stops(s);
    free_dead(s);
    while (s->listeners) {
        listener *l = s->listeners;
        s->listeners = l->next;
        if (l->io.fd >= 0)
            close(l->io.fd);
        free(l);
    }
    if (s->bus) {
        gqlsse_timer_stop(s->loop, &s->bustimer);
        gqlsse_io_del(s->loop, &s->busio);
        gqlsse_bus_sub_free(s->bus);
    }
    gql_buf_free(&s->sse);
    gqlsse_app_unload(&s->app);
    if (s->sigfd >= 0)
        close(s->sigfd);
    gqlsse_loop_free(s->loop);
    gql_buf_free(&s->scratch);
    free(s->rscratch);
    free(s);
}
