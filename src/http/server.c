/* server.c: the gqlsse-fcgi worker: FastCGI records parsed on an epoll loop,
 * GraphQL over HTTP, graphql-sse distinct connections streams with
 * keep-alives, bounded backlogs, client-gone detection and module sources.
 * graphql-sse single connection mode is single.c's (server_internal.h).
 * Everything runs on the loop thread; nothing here is thread-safe. */
#include "config.h"

#include "http/server_internal.h"

#include <gqlsse/execute.h>
#include <gqlsse/parser.h>
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

struct chunk {
    struct chunk *next;
    size_t len, off;
    char data[];
};

struct listener {
    gqlsse_io io;
    gqlsse_server *srv;
    struct listener *next;
};


/* ---- output ---- */


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
            gqlsse_conn_kill(c, strerror(errno));
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
        gqlsse_conn_kill(c, NULL);
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
                gqlsse_conn_kill(c, strerror(errno));
                return -1;
            }
            off += (size_t)w;
        }
        if (off == len)
            return 0;
    }
    chunk *k = malloc(sizeof *k + (len - off));
    if (!k) {
        gqlsse_conn_kill(c, "out of memory");
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
            gqlsse_conn_kill(c, NULL);
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
void gqlsse_conn_respond(conn *c, int status, const char *ctype, const char *extra,
                         const char *body, size_t len)
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
void gqlsse_conn_respond_error(conn *c, int status, const char *ctype, const char *extra,
                               const char *message)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "{\"errors\":[{\"message\":");
    gql_buf_json_string(&b, message, strlen(message));
    gql_buf_puts(&b, "}]}");
    gqlsse_conn_respond(c, status, ctype ? ctype : "application/json; charset=utf-8", extra,
                        b.data ? b.data : "", b.len);
    gql_buf_free(&b);
}

/* ---- streams ---- */

static void stream_keepalive_cb(void *arg);

stream *gqlsse_sse_open(conn *c, const char *protocol)
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
            gqlsse_conn_kill(c, "out of memory");
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
        gqlsse_single_stream_closed(st);
    free(st);
}

/* Sends one SSE event `event: NAME\ndata: PREFIX JSON SUFFIX\n\n` as
 * FastCGI records (counted against the backlog unless `force`). Returns 0,
 * 1 when the backlog overflowed (nothing sent; the caller ends the stream),
 * -1 when the connection died (and took the stream with it). */
int gqlsse_sse_send(stream *st, const char *event, const char *prefix, const char *data, size_t len,
                    const char *suffix, int force)
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
            gqlsse_conn_kill(c, "out of memory");
        return -1; /* the connection died: `st` is gone */
    }
    st->last_write = gqlsse_now_ms();
    return 0;
}

/* Ends the stream: `event: complete` (when `complete`), END_REQUEST. */
void gqlsse_sse_finish(stream *st, int complete)
{
    conn *c = st->c;
    if (st->finished)
        return;
    if (complete && !c->dead && gqlsse_sse_send(st, "complete", "", "", 0, "", 1) < 0)
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
    static const char msg[] = GQLSSE_BACKLOG_OVERFLOW_JSON;
    if (gqlsse_sse_send(st, "next", "", msg, sizeof msg - 1, "", 1) == 0)
        gqlsse_sse_finish(st, 1);
}

/* Sends `data` as `event: next` and ends the stream on overflow. Returns 0
 * while open, -1 when the stream is over. */
static int stream_next(stream *st, const char *data, size_t len)
{
    int r = gqlsse_sse_send(st, "next", "", data, len, "", 0);
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
    gqlsse_sse_finish(st, complete);
}

static const gqlsse_sink_vt stream_sink = {.next = stream_sink_next, .end = stream_sink_end};

/* ---- connections ---- */

void gqlsse_conn_kill(conn *c, const char *why)
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
        gqlsse_single_pending_cancel(c->pending);
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
        gqlsse_sse_finish(st, 1);
}

gqlsse_accept gqlsse_conn_negotiate(conn *c)
{
    gqlsse_accept acc = gqlsse_accept_negotiate(gqlsse_request_param(&c->req, "HTTP_ACCEPT"));
    if (acc == GQLSSE_ACCEPT_NONE)
        gqlsse_conn_respond_error(c, 406, NULL,
                                  "Accept: application/graphql-response+json, application/json, "
                                  "text/event-stream\r\n",
                                  "Not acceptable");
    return acc;
}

const char *gqlsse_conn_param(void *data, const char *name)
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
                             .param = gqlsse_conn_param,
                             .param_data = &c->req,
                             .sink_vt = &stream_sink,
                             .sink = st};
    gqlsse_op *o = gqlsse_hub_start(s->hub, &start);
    if (o)
        st->op = o; /* st is alive: the operation runs and its sink is st */
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
    /* Single connection mode (when enabled): PUT, DELETE, GET/POST with a
     * token. Otherwise distinct connections mode, GET and POST only. */
    if (cf->single_connection) {
        char *token = is_get || is_post || is_delete ? gqlsse_single_token(rq) : NULL;
        if (is_put || is_delete || token) {
            gqlsse_single_request(c, method, token);
            free(token);
            return;
        }
    }
    if (!is_get && !is_post) {
        /* RFC 9110 15.5.6: Allow lists the methods this endpoint serves. */
        gqlsse_conn_respond_error(c, 405, NULL,
                                  cf->single_connection ? "Allow: GET, POST, PUT, DELETE\r\n"
                                                        : "Allow: GET, POST\r\n",
                                  "Method not allowed");
        return;
    }
    gqlsse_accept acc = gqlsse_conn_negotiate(c);
    if (acc == GQLSSE_ACCEPT_NONE)
        return;
    int sse = acc == GQLSSE_ACCEPT_EVENT_STREAM;
    const char *json_ct = acc == GQLSSE_ACCEPT_GRAPHQL_JSON
                              ? "application/graphql-response+json; charset=utf-8"
                              : "application/json; charset=utf-8";
    if (sse && !cf->sse_http1 &&
        (!protocol || strncmp(protocol, "HTTP/2", 6) < 0 || strncmp(protocol, "HTTP/", 5) != 0)) {
        static const char body[] = "Cannot use Server-Sent Events with HTTP protocol lower than 2.0.";
        gqlsse_conn_respond(c, 426, "text/plain; charset=utf-8",
                            "Upgrade: HTTP/2.0\r\nConnection: Upgrade\r\n", body, sizeof body - 1);
        return;
    }
    if (rq->body_too_large) {
        gqlsse_conn_respond_error(c, 413, NULL, NULL, "Request body is too large");
        return;
    }
    gqlsse_gql_params gp;
    const char *message = NULL;
    int status = gqlsse_gql_params_read(rq, is_post, &gp, &message);
    if (status) {
        gqlsse_conn_respond_error(c, status, NULL, NULL, message);
        gqlsse_gql_params_clear(&gp);
        return;
    }
    gql_parse_options po = gqlsse_conf_parse_options(cf);
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_buf b = GQL_BUF_INIT;
    const gql_node *op = NULL;
    gql_document *doc = gql_parse(gp.query, gp.query_len, &po, &errs);
    if (doc) {
        op = gqlsse_find_operation(doc, gp.operation_name, gp.operation_name_len);
        if (!op) {
            gqlsse_conn_respond_error(c, 400, NULL, NULL, "Unable to detect operation AST");
            goto out;
        }
        if (is_get && op->operation == GQL_OP_MUTATION) {
            gqlsse_conn_respond_error(c, 405, NULL, "Allow: POST\r\n",
                                      "Cannot perform mutations over GET");
            goto out;
        }
        gql_validate_options vo = {.runtime = s->app->runtime};
        gql_validate(s->app->schema, doc, &vo, &errs);
    }
    if (sse && (s->shutting_down || s->nstreams >= cf->max_streams)) {
        LOG(s, GQLSSE_LOG_WARN, "stream refused: %u streams open (max_streams %u)", s->nstreams,
            cf->max_streams);
        gqlsse_conn_respond_error(c, 503, NULL, "Retry-After: 5\r\n",
                                  "Too many open streams; retry later");
        goto out;
    }
    if (errs.count) {
        gql_buf_puts(&b, "{\"errors\":");
        gql_error_list_to_json(&b, &errs);
        gql_buf_puts(&b, "}");
        if (sse) {
            stream *st = gqlsse_sse_open(c, protocol);
            if (st)
                sse_single_result(st, b.data, b.len);
        } else
            gqlsse_conn_respond(c, acc == GQLSSE_ACCEPT_GRAPHQL_JSON ? 400 : 200, json_ct, NULL,
                                b.data, b.len);
        goto out;
    }
    if (!sse) {
        if (op->operation == GQL_OP_SUBSCRIPTION) {
            gqlsse_conn_respond_error(
                c, 400, NULL, NULL, "Subscriptions need a stream: send Accept: text/event-stream");
            goto out;
        }
        if (gqlsse_hub_execute(s->hub, doc, gp.variables, gp.operation_name,
                               gqlsse_request_param(rq, "REMOTE_USER"), &b) < 0)
            gqlsse_conn_respond_error(c, 500, NULL, NULL, "Out of memory");
        else
            gqlsse_conn_respond(c, 200, json_ct, NULL, b.data, b.len);
        goto out;
    }
    stream *st = gqlsse_sse_open(c, protocol);
    if (!st) {
        gqlsse_conn_kill(c, "out of memory");
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
            return gqlsse_conn_kill(c, "malformed FCGI_BEGIN_REQUEST"), -1;
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
                gqlsse_conn_kill(c, "malformed FCGI_PARAMS");
                return -1;
            }
            c->state = C_STDIN;
        } else if (gqlsse_request_add_raw_params(&c->req, p, len, MAX_PARAMS_BYTES) < 0) {
            gqlsse_conn_kill(c, "FCGI_PARAMS too large");
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
            gqlsse_sse_finish(c->stream, 0);
        else {
            if (c->pending)
                gqlsse_single_pending_cancel(c->pending);
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
    gqlsse_fcgi_record rec;
    int more;
    while ((more = gqlsse_fcgi_record_next(data + off, n - off, &rec)) > 0) {
        if (conn_record(c, rec.type, rec.id, rec.content, rec.len) < 0)
            return -1;
        off += rec.size;
    }
    if (more < 0) {
        gqlsse_conn_kill(c, "not FastCGI version 1");
        return -1;
    }
    if (off < n) {
        unsigned char *keep = malloc(n - off);
        if (!keep) {
            gqlsse_conn_kill(c, "out of memory");
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
            gqlsse_conn_kill(c, "closed by the web server");
            return;
        }
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            gqlsse_conn_kill(c, strerror(errno));
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
        gqlsse_sse_finish(GQLSSE_LIST_FIRST(&s->streams, stream, link), 0);
    gqlsse_single_shutdown(s);
    conn *next;
    for (conn *c = GQLSSE_LIST_FIRST(&s->conns, conn, link); c; c = next) {
        next = GQLSSE_LIST_NEXT(c, conn, link);
        if (c->state == C_IDLE && !c->out_head)
            gqlsse_conn_kill(c, NULL);
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
    if (gqlsse_single_init(s, err, errlen) < 0) {
        gqlsse_server_free(s);
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
        gqlsse_conn_kill(GQLSSE_LIST_FIRST(&s->conns, conn, link), NULL);
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
    gqlsse_single_fini(s);
    if (s->sigfd >= 0)
        close(s->sigfd);
    gqlsse_loop_free(s->loop);
    gql_buf_free(&s->out);
    free(s->rscratch);
    free(s);
}
