/* single.c: graphql-sse single connection mode across worker processes
 * (docs/single-connection.md): reservations (PUT), streams held here under
 * a memcached lock, operations submitted (GET/POST) and cancelled (DELETE)
 * from any process and run in the one holding the stream, reached through
 * the broker's control topics (ctl/stream/TOKEN/). The FastCGI side and the
 * SSE framing are server.c's (server_internal.h). Loop thread only. */
#include "config.h"

#include "http/server_internal.h"

#include "bus/control.h"

#include <gqlsse/execute.h>
#include <gqlsse/parser.h>
#include <gqlsse/validate.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

/* PUT reserves a token for the caller's identity (memcached), GET/POST with
 * the token and Accept: text/event-stream opens its stream here (a memcached
 * lock whose TTL this process refreshes), GET/POST with the token and an
 * operation id submits an operation: it runs in the process holding the
 * stream, reached directly when that is this process, else through the
 * broker (`ctl/stream/TOKEN/`, which only the holder subscribes to). */

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

#define SINGLE_RETRY_MS 50u

static void respond_401(conn *c)
{
    static const char body[] =
        "{\"errors\":[{\"message\":\"GraphQL over SSE requires authentication in single "
        "connection mode\",\"extensions\":{\"status_code\":401,\"error_code\":"
        "\"SSE_SINGLE_CONNECTION_NOT_AUTHENTICATED\"}}]}";
    gqlsse_conn_respond(c, 401, "application/json; charset=utf-8", NULL, body, sizeof body - 1);
}

/* memcached (or the broker) failed: 503, nothing was created. */
static void respond_503(conn *c, const char *what, const char *detail)
{
    gqlsse_server *s = c->srv;
    LOG(s, GQLSSE_LOG_ERROR, "single connection mode: %s: %s", what, detail);
    char msg[512];
    snprintf(msg, sizeof msg, "Single connection mode is unavailable: %s; retry later", what);
    gqlsse_conn_respond_error(c, 503, NULL, "Retry-After: 5\r\n", msg);
}

static void respond_empty(conn *c, int status)
{
    gqlsse_conn_respond(c, status, "text/plain; charset=utf-8", NULL, "", 0);
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
char *gqlsse_single_token(const gqlsse_request *rq)
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

/* The largest control message: the broker's and the holder's default
 * limit of a JSON frame (docs/single-connection.md, "Limits"). */
#define CTL_MAX_MESSAGE GQLSSE_BUS_DEFAULT_MAX_MESSAGE

/* Sends a control message to the process holding `token`'s stream.
 * Returns 0, -2 when the message is larger than CTL_MAX_MESSAGE (nothing
 * sent), or -1 with a reason in why[] (broker unreachable). */
static int ctl_send(gqlsse_server *s, const char *token, const gql_buf *json, char *why,
                    size_t whylen)
{
    if (!s->pub) {
        gqlsse_publisher_options o = {.address = s->conf->broker_publish,
                                      .linger_ms = 0,
                                      .max_message = CTL_MAX_MESSAGE};
        char *err = NULL;
        s->pub = gqlsse_publisher_new_opts(&o, &err);
        if (!s->pub) {
            snprintf(why, whylen, "%s", err ? err : "cannot create the broker publisher");
            free(err);
            return -1;
        }
    }
    if (json->len > CTL_MAX_MESSAGE)
        return -2;
    /* Blocks (200 ms at most) only until the broker first answers. */
    if (gqlsse_publisher_wait_ready(s->pub, 200) != 1) {
        snprintf(why, whylen, "gqlsse-broker (%s) does not answer", s->conf->broker_publish);
        return -1;
    }
    gql_buf t = GQL_BUF_INIT;
    int r = gqlsse_ctl_topic(&t, token);
    gqlsse_publish_status ps = GQLSSE_PUBLISH_OK;
    if (r == 0 && !json->oom &&
        (ps = gqlsse_publisher_send_raw(s->pub, t.data, t.len, json->data, json->len)) !=
            GQLSSE_PUBLISH_OK) {
        snprintf(why, whylen, "%s", gqlsse_publisher_error(s->pub));
        r = ps == GQLSSE_PUBLISH_ETOOBIG ? -2 : -1;
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
        gqlsse_sse_send(st, "complete", "", o->done, strlen(o->done), "", 1);
    gqlsse_store_op_release(s->store, token, o->id, o->idlen);
    sop_free(o);
}

static int sop_sink_next(void *sink, const char *json, size_t len, unsigned flags)
{
    (void)flags;
    sop *o = sink;
    stream *st = o->st;
    int r = gqlsse_sse_send(st, "next", o->prefix, json, len, "}", 0);
    if (r == 1) {
        gqlsse_server *s = st->c->srv;
        LOG(s, GQLSSE_LOG_WARN, "stream backlog over %u events (slow client): operation ended",
            s->conf->max_backlog);
        static const char msg[] = GQLSSE_BACKLOG_OVERFLOW_JSON;
        o->op = NULL; /* -1 below cancels it */
        if (gqlsse_sse_send(st, "next", o->prefix, msg, sizeof msg - 1, "}", 1) == 0)
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
    if (gqlsse_sse_send(o->st, "next", o->prefix, json, len, "}", 1) == 0)
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
    gql_parse_options po = gqlsse_conf_parse_options(cf);
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_buf b = GQL_BUF_INIT;
    gql_document *doc = gql_parse(query, strlen(query), &po, &errs);
    const gql_node *op = NULL;
    if (doc) {
        op = gqlsse_find_operation(doc, operation_name,
                                   operation_name ? strlen(operation_name) : 0);
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
void gqlsse_single_stream_closed(stream *st)
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
        gqlsse_sse_finish(st, 0);
    } else if (m.op == GQLSSE_CTL_STOP) {
        single_stop(st, m.operation_id, m.operation_id_len);
    } else {
        single_run(st, m.operation_id, m.operation_id_len, m.query, m.operation_name,
                   m.variables, m.identity, json_param, m.params);
    }
    gqlsse_ctl_msg_clear(&m);
}

/* Every lock TTL / 3: keeps the lock and the claims of the stream's
 * operations (their ids); ends the stream when its reservation was
 * replaced (a replace message we missed) or lost. A claim found gone was
 * released by a DELETE whose stop is on its way (or lost with memcached's
 * data): it is not taken again. */
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
        gqlsse_sse_finish(st, 0);
        return;
    }
    for (sop *o = GQLSSE_LIST_FIRST(&st->ops, sop, link); o && r == GQLSSE_STORE_OK;
         o = GQLSSE_LIST_NEXT(o, sop, link))
        if (gqlsse_store_op_touch(s->store, st->token, o->id, o->idlen) == GQLSSE_STORE_DOWN)
            r = GQLSSE_STORE_DOWN;
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
        gqlsse_conn_respond_error(c, 406, NULL, "Accept: text/plain\r\n", "Not acceptable");
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
            gqlsse_sse_finish(st, 0);
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
    gqlsse_conn_respond(c, 201, "text/plain; charset=utf-8", NULL, token, GQLSSE_TOKEN_LEN);
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
        gqlsse_conn_respond_error(c, 404, NULL, NULL, "Stream not found");
    return -1;
}

static void single_open(conn *c, const char *identity, const char *token)
{
    gqlsse_server *s = c->srv;
    if (single_check_token(c, identity, token) < 0)
        return;
    if (single_find(s, token)) {
        gqlsse_conn_respond_error(c, 409, NULL, NULL, "Stream already open");
        return;
    }
    if (s->shutting_down || s->nstreams >= s->conf->max_streams) {
        gqlsse_conn_respond_error(c, 503, NULL, "Retry-After: 5\r\n",
                                  "Too many open streams; retry later");
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
            gqlsse_conn_respond_error(c, 409, NULL, NULL, "Stream already open");
        else if (r == GQLSSE_STORE_NOTFOUND)
            gqlsse_conn_respond_error(c, 404, NULL, NULL, "Stream not found");
        else
            respond_503(c, "cannot reach memcached", gqlsse_store_error(s->store));
        return;
    }
    char *id = strdup(identity);
    stream *st = id ? gqlsse_sse_open(c, gqlsse_request_param(&c->req, "SERVER_PROTOCOL")) : NULL;
    if (!st) {
        free(id);
        gqlsse_store_unlock(s->store, token);
        ctl_subscribe(s, token, 0);
        if (!c->dead)
            gqlsse_conn_kill(c, "out of memory");
        return;
    }
    st->single = 1;
    memcpy(st->token, token, GQLSSE_TOKEN_LEN + 1);
    st->identity = id;
    if (gql_strmap_put(&s->singles, st->token, GQLSSE_TOKEN_LEN, st) < 0) {
        gqlsse_sse_finish(st, 0); /* cleans up the lock and subscription */
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

/* The `start` control message of a submission (appended to j). Returns 0,
 * -1 when out of memory. */
static int encode_start(conn *c, const char *identity, const char *id, size_t idlen,
                        const gqlsse_gql_params *gp, gql_buf *j)
{
    json_object *params = params_json(&c->req);
    int e = gqlsse_ctl_encode_start(j, id, idlen, gp->query, gp->operation_name, gp->variables,
                                    gp->extensions, identity, params);
    json_object_put(params);
    return e;
}

/* An operation whose control message would exceed CTL_MAX_MESSAGE: 413,
 * whichever process holds the stream (docs/single-connection.md). */
static void respond_too_large(conn *c, size_t len)
{
    char msg[200];
    snprintf(msg, sizeof msg,
             "Operation is too large to route to its stream: %zu bytes as a control message, "
             "at most %u",
             len, (unsigned)CTL_MAX_MESSAGE);
    gqlsse_conn_respond_error(c, 413, NULL, NULL, msg);
}

/* Could the submission's control message be larger than CTL_MAX_MESSAGE?
 * Re-encoding expands the request's bytes (body, CGI params) less than 8
 * times (JSON escapes, json-c's numbers), so small requests are not encoded
 * to find out. Returns the encoded length when it is too large, else 0. */
static size_t start_too_large(conn *c, const char *identity, const char *id, size_t idlen,
                              const gqlsse_gql_params *gp)
{
    size_t raw = c->req.body_len + c->req.params_len + strlen(identity) + idlen;
    if (raw < CTL_MAX_MESSAGE / 8)
        return 0;
    gql_buf j = GQL_BUF_INIT;
    size_t len = encode_start(c, identity, id, idlen, gp, &j) == 0 ? j.len : 0;
    gql_buf_free(&j);
    return len > CTL_MAX_MESSAGE ? len : 0;
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
 * was sent (503: the broker cannot be reached; 413: the control message is
 * too large; the id was released). */
static int single_dispatch(pending *p)
{
    conn *c = p->c;
    gqlsse_server *s = c->srv;
    stream *st = single_find(s, p->token);
    if (st) {
        single_run(st, p->id, p->idlen, p->gp.query, p->gp.operation_name, p->gp.variables,
                   p->identity, gqlsse_conn_param, &c->req);
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
    int e = encode_start(c, p->identity, p->id, p->idlen, &p->gp, &j);
    if (e == 0)
        e = ctl_send(s, p->token, &j, why, sizeof why);
    size_t len = j.len;
    gql_buf_free(&j);
    if (e == -2) {
        /* single_submit refuses these before claiming the id: not reached
         * unless its estimate is wrong. The id is released all the same. */
        pending_free(p, 1);
        respond_too_large(c, len);
        return -1;
    }
    if (e < 0) {
        pending_fail_503(p, "cannot reach the process holding the stream", why);
        return -1;
    }
    return 1;
}

static void pending_timer_cb(void *arg)
{
    pending *p = arg;
    conn *c = p->c;
    gqlsse_server *s = c->srv;
    /* Checks that the submission was not cancelled, and keeps its claim. */
    gqlsse_store_status r = gqlsse_store_op_touch(s->store, p->token, p->id, p->idlen);
    if (r == GQLSSE_STORE_OK)
        r = gqlsse_store_check(s->store, p->identity, p->token);
    else if (r == GQLSSE_STORE_NOTFOUND) {
        pending_free(p, 0); /* cancelled (DELETE) before it started */
        respond_empty(c, 204);
        return;
    }
    if (r == GQLSSE_STORE_NOTFOUND) {
        pending_free(p, 1); /* the reservation went away */
        gqlsse_conn_respond_error(c, 404, NULL, NULL, "Stream not found");
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
        gqlsse_conn_respond_error(c, 409, NULL, NULL,
                                  "Operation timed out before stream was opened");
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
        gqlsse_conn_respond_error(c, 413, NULL, NULL, "Request body is too large");
        return;
    }
    pending *p = calloc(1, sizeof *p);
    if (!p) {
        gqlsse_conn_respond_error(c, 500, NULL, NULL, "Out of memory");
        return;
    }
    const char *message = NULL;
    int status = gqlsse_gql_params_read(rq, is_post, &p->gp, &message);
    if (status) {
        gqlsse_conn_respond_error(c, status, NULL, NULL, message);
        goto fail;
    }
    p->id = operation_id(p->gp.extensions, &p->idlen);
    if (!p->id) {
        gqlsse_conn_respond_error(c, 400, NULL, NULL, "Operation ID is missing");
        goto fail;
    }
    gql_parse_options po = gqlsse_conf_parse_options(cf);
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(p->gp.query, p->gp.query_len, &po, &errs);
    if (doc) {
        const gql_node *op = gqlsse_find_operation(doc, p->gp.operation_name,
                                                   p->gp.operation_name_len);
        if (!op) {
            gql_document_free(doc);
            gqlsse_conn_respond_error(c, 400, NULL, NULL, "Unable to detect operation AST");
            goto fail;
        }
        if (!is_post && op->operation == GQL_OP_MUTATION) {
            gql_document_free(doc);
            gqlsse_conn_respond_error(c, 405, NULL, "Allow: POST\r\n",
                                      "Cannot perform mutations over GET");
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
        gqlsse_conn_respond(c, 400, "application/json; charset=utf-8", NULL, b.data ? b.data : "",
                            b.len);
        gql_buf_free(&b);
        gql_error_list_clear(&errs);
        goto fail;
    }
    /* Refused before the id is claimed, and the same wherever the stream is
     * held: an operation too large for a control message. */
    size_t big = start_too_large(c, identity, p->id, p->idlen, &p->gp);
    if (big) {
        respond_too_large(c, big);
        goto fail;
    }
    gqlsse_store_status r = gqlsse_store_op_claim(s->store, token, p->id, p->idlen);
    if (r == GQLSSE_STORE_EXISTS) {
        gqlsse_conn_respond_error(c, 409, NULL, NULL, "Operation with ID already exists");
        goto fail;
    }
    if (r == GQLSSE_STORE_EINVAL) {
        gqlsse_conn_respond_error(c, 400, NULL, NULL, "Operation ID is too long");
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
        gqlsse_conn_respond_error(c, 500, NULL, NULL, "Out of memory");
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
        gqlsse_conn_respond_error(c, 400, NULL, NULL, "Operation ID is missing");
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
void gqlsse_single_request(conn *c, const char *method, char *token)
{
    char identity[GQLSSE_IDENTITY_MAX + 1];
    if (single_identity(c, identity, sizeof identity) < 0)
        return;
    if (!strcmp(method, "PUT")) {
        single_reserve(c, identity);
        return;
    }
    if (!token || !*token) {
        gqlsse_conn_respond_error(c, 400, NULL, NULL, "Stream token missing");
        return;
    }
    if (!strcmp(method, "DELETE")) {
        single_delete(c, identity, token);
        return;
    }
    gqlsse_accept acc = gqlsse_conn_negotiate(c);
    if (acc == GQLSSE_ACCEPT_NONE)
        return;
    if (acc == GQLSSE_ACCEPT_EVENT_STREAM)
        single_open(c, identity, token);
    else
        single_submit(c, identity, token, !strcmp(method, "POST"));
}

/* ---- the server's side ---- */

void gqlsse_single_pending_cancel(pending *p)
{
    pending_free(p, 1);
}

void gqlsse_single_shutdown(gqlsse_server *s)
{
    while (!gqlsse_list_empty(&s->pendings)) {
        pending *p = GQLSSE_LIST_FIRST(&s->pendings, pending, link);
        conn *c = p->c;
        pending_free(p, 1);
        gqlsse_conn_respond_error(c, 503, NULL, "Retry-After: 5\r\n",
                                  "The worker is shutting down");
    }
}

int gqlsse_single_init(gqlsse_server *s, char *err, size_t errlen)
{
    const gqlsse_conf *conf = s->conf;
    gqlsse_store_options so = {.servers = conf->memcached,
                               .prefix = conf->memcached_prefix,
                               .session_prefix = conf->session_key_prefix,
                               .lock_ttl = conf->lock_ttl_s};
    s->store = gqlsse_store_new(&so, err, errlen);
    if (!s->store)
        return -1;
    s->ctlio.fd = -1;
    return 0;
}

void gqlsse_single_fini(gqlsse_server *s)
{
    if (s->ctl) {
        gqlsse_timer_stop(s->loop, &s->ctltimer);
        gqlsse_io_del(s->loop, &s->ctlio);
        gqlsse_bus_sub_free(s->ctl);
    }
    gqlsse_publisher_free(s->pub);
    gqlsse_store_free(s->store);
    gql_strmap_clear(&s->singles);
}
