/* countdown.c: the example gqlsse module: Undine's countdown subscription and
 * its error variants (raise after the first value, yield an error between
 * values, raise two errors at once, a permission check, a stream-open hook),
 * a never-emitting `idle`, Query.hello, a WebSocket connection-init hook. */
#include "config.h"

#include <gqlsse/module.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum variant { PLAIN, RAISE, YIELD_ERROR, ERROR_GROUP, IDLE } variant;

typedef struct countdown {
    const gqlsse_host *host;
    variant kind;
    int next;        /* the next value to yield */
    int step;        /* values yielded so far */
    uint64_t interval;
} countdown;

/* The host this module was initialised with (module state, not global). */
typedef struct module_state {
    const gqlsse_host *host;
    atomic_int delayed; /* connection-init answers still to give */
} module_state;

static int cd_init(const gqlsse_host *host, void **state)
{
    module_state *m = malloc(sizeof *m);
    if (!m)
        return -1;
    m->host = host;
    atomic_init(&m->delayed, 0);
    *state = m;
    host->log(host, GQLSSE_MODULE_LOG_DEBUG, "countdown module ready");
    return 0;
}

static void cd_fini(void *state)
{
    module_state *m = state;
    /* Every pending connection-init answer is given before fini returns. */
    for (int i = 0; i < 400 && atomic_load(&m->delayed) > 0; i++)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    free(state);
}

static int int_arg(json_object *args, const char *name, int dflt)
{
    json_object *v;
    if (args && json_object_object_get_ex(args, name, &v) && v)
        return json_object_get_int(v);
    return dflt;
}

static int start_kind(variant kind, gqlsse_source *src, json_object *args, void *mstate,
                      void **state, const char **error)
{
    module_state *m = mstate;
    countdown *c = calloc(1, sizeof *c);
    if (!c) {
        *error = "Out of memory";
        return -1;
    }
    *state = c;
    c->host = m->host;
    c->kind = kind;
    c->next = int_arg(args, "start", kind == PLAIN ? 10 : 3);
    int interval = int_arg(args, "interval", 1000);
    c->interval = interval < 0 ? 0 : (uint64_t)interval;
    if (kind == IDLE)
        return 0;
    if (c->next <= 0) {
        c->host->complete(src);
        return 0;
    }
    /* As Undine's example: wait one interval, then yield. */
    return c->host->set_timer(src, c->interval) < 0 ? (*error = "Out of memory", -1) : 0;
}

static void cd_timer(gqlsse_source *src, void *state)
{
    countdown *c = state;
    const gqlsse_host *h = c->host;
    c->step++;
    if (c->step == 2 && c->kind == RAISE) {
        const char *msg = "Test error";
        h->fail(src, &msg, 1);
        return;
    }
    if (c->step == 2 && c->kind == ERROR_GROUP) {
        const char *msgs[2] = {"Test error 2", "Test error 1"};
        h->fail(src, msgs, 2);
        return;
    }
    if (c->step == 2 && c->kind == YIELD_ERROR) {
        /* the error takes the place of one value: 3, error, 1 */
        if (h->yield_error(src, "Test error") < 0)
            return;
    } else if (h->next(src, json_object_new_int(c->next)) < 0) {
        return;
    }
    if (--c->next <= 0) {
        h->complete(src);
        return;
    }
    h->set_timer(src, c->interval);
}

static void cd_stop(gqlsse_source *src, void *state)
{
    (void)src;
    free(state);
}

#define START_FN(fname, kind)                                                                   \
    static int fname(gqlsse_source *src, json_object *args, void *m, void **state,               \
                     const char **error)                                                         \
    {                                                                                            \
        return start_kind(kind, src, args, m, state, error);                                     \
    }
START_FN(start_plain, PLAIN)
START_FN(start_raise, RAISE)
START_FN(start_yield_error, YIELD_ERROR)
START_FN(start_error_group, ERROR_GROUP)
START_FN(start_idle, IDLE)

static gql_resolve_status hello(json_object *parent, json_object *args,
                                const gql_resolve_info *info, void *ud, json_object **result,
                                const char **error)
{
    (void)parent, (void)args, (void)info, (void)ud, (void)error;
    *result = json_object_new_string("world");
    return GQL_RESOLVE_OK;
}

static gql_resolve_status echo(json_object *parent, json_object *args,
                               const gql_resolve_info *info, void *ud, json_object **result,
                               const char **error)
{
    (void)parent, (void)info, (void)ud, (void)error;
    json_object *t = NULL;
    json_object_object_get_ex(args, "text", &t);
    *result = json_object_get(t);
    return GQL_RESOLVE_OK;
}

/* Per-value permission check of countdownPermission: refuses the value 2
 * (as Undine's acceptance test, where the check fails mid-stream). */
static int deny_two(const char *identity, json_object *value, void *mstate)
{
    (void)identity, (void)mstate;
    return json_object_get_int(value) != 2;
}

/* Stream-open hook: countdownPrivate needs an authenticated identity. */
static int cd_stream_open(const gqlsse_stream_request *rq, void *mstate, const char **error)
{
    (void)mstate;
    if (strcmp(rq->coordinate, "Subscription.countdownPrivate") == 0 &&
        (!rq->identity || !*rq->identity)) {
        *error = "Authentication required.";
        return -1;
    }
    return 0;
}

/* WebSocket connection-init hook (gqlsse-ws), driven by the payload for the
 * tests and the demo: {"refuse": "why"} refuses (4403 "why"), {"ack": {...}}
 * acknowledges with that payload, {"identity": "name"} sets the identity;
 * with {"delay_ms": N} the answer comes N ms later from a thread. */
/* A connection-init answer given later from a thread of the module's own
 * ({"delay_ms": N, ...}: the asynchronous hook of module.h). */
typedef struct delayed {
    module_state *m;
    struct gqlsse_ws_pending *pending;
    void (*done)(struct gqlsse_ws_pending *, int, const gqlsse_ws_init_result *);
    int ms;
    int refuse;
    json_object *payload; /* a deep copy: this thread's alone */
} delayed;

static void *delayed_main(void *arg)
{
    delayed *d = arg;
    nanosleep(&(struct timespec){d->ms / 1000, (long)(d->ms % 1000) * 1000000L}, NULL);
    gqlsse_ws_init_result r = {0};
    json_object *v;
    if (json_object_object_get_ex(d->payload, "refuse", &v))
        r.error = json_object_get_string(v);
    if (json_object_object_get_ex(d->payload, "ack", &v) && json_object_is_type(v, json_type_object))
        r.ack_payload = json_object_get(v);
    if (json_object_object_get_ex(d->payload, "identity", &v) && json_object_is_type(v, json_type_string))
        r.identity = json_object_get_string(v);
    d->done(d->pending, d->refuse ? GQLSSE_WS_INIT_REFUSE : GQLSSE_WS_INIT_ACK, &r);
    json_object_put(d->payload);
    atomic_fetch_sub(&d->m->delayed, 1);
    free(d);
    return NULL;
}

static int cd_ws_init(const gqlsse_ws_init *in, void *mstate, gqlsse_ws_init_result *out)
{
    module_state *m = mstate;
    json_object *v;
    if (!in->payload)
        return GQLSSE_WS_INIT_ACK;
    if (json_object_object_get_ex(in->payload, "delay_ms", &v) && in->done) {
        delayed *d = calloc(1, sizeof *d);
        json_object *copy = NULL;
        if (!d || json_object_deep_copy(in->payload, &copy, NULL) != 0) {
            free(d);
            out->error = "Out of memory";
            return GQLSSE_WS_INIT_REFUSE;
        }
        *d = (delayed){.m = m, .pending = in->pending, .done = in->done,
                       .ms = json_object_get_int(v), .payload = copy,
                       .refuse = json_object_object_get_ex(in->payload, "refuse", NULL)};
        atomic_fetch_add(&m->delayed, 1);
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int rc = pthread_create(&t, &attr, delayed_main, d);
        pthread_attr_destroy(&attr);
        if (rc != 0) {
            atomic_fetch_sub(&m->delayed, 1);
            json_object_put(copy);
            free(d);
            out->error = "Cannot start a thread";
            return GQLSSE_WS_INIT_REFUSE;
        }
        return GQLSSE_WS_INIT_PENDING;
    }
    if (json_object_object_get_ex(in->payload, "refuse", &v)) {
        out->error = json_object_get_string(v);
        return GQLSSE_WS_INIT_REFUSE;
    }
    if (json_object_object_get_ex(in->payload, "ack", &v) && json_object_is_type(v, json_type_object))
        out->ack_payload = json_object_get(v);
    if (json_object_object_get_ex(in->payload, "identity", &v) && json_object_is_type(v, json_type_string))
        out->identity = json_object_get_string(v);
    return GQLSSE_WS_INIT_ACK;
}

static const gqlsse_permission_def permissions[] = {
    {.coordinate = "Subscription.countdownPermission", .check = deny_two},
};

static const gqlsse_source_def sources[] = {
    {.coordinate = "Subscription.countdown", .start = start_plain, .on_timer = cd_timer, .stop = cd_stop},
    {.coordinate = "Subscription.countdownRaise", .start = start_raise, .on_timer = cd_timer, .stop = cd_stop},
    {.coordinate = "Subscription.countdownYieldError", .start = start_yield_error, .on_timer = cd_timer, .stop = cd_stop},
    {.coordinate = "Subscription.countdownErrorGroup", .start = start_error_group, .on_timer = cd_timer, .stop = cd_stop},
    {.coordinate = "Subscription.countdownPermission", .start = start_plain, .on_timer = cd_timer, .stop = cd_stop},
    {.coordinate = "Subscription.countdownPrivate", .start = start_plain, .on_timer = cd_timer, .stop = cd_stop},
    {.coordinate = "Subscription.idle", .start = start_idle, .on_timer = NULL, .stop = cd_stop},
};

static const gqlsse_resolver_def resolvers[] = {
    {.coordinate = "Query.hello", .fn = hello, .ud = NULL},
    {.coordinate = "Mutation.echo", .fn = echo, .ud = NULL},
};

static const gqlsse_module countdown_module = {
    .api_version = GQLSSE_MODULE_API_VERSION,
    .size = sizeof(gqlsse_module),
    .name = "countdown",
    .init = cd_init,
    .fini = cd_fini,
    .sources = sources,
    .nsources = sizeof sources / sizeof *sources,
    .resolvers = resolvers,
    .nresolvers = sizeof resolvers / sizeof *resolvers,
    .permissions = permissions,
    .npermissions = sizeof permissions / sizeof *permissions,
    .stream_open = cd_stream_open,
    .ws_connection_init = cd_ws_init,
};

const gqlsse_module *gqlsse_module_entry(void);
const gqlsse_module *gqlsse_module_entry(void)
{
    return &countdown_module;
}
