/* hub.c: running subscription operations for any transport: module
 * sources and the host API, @model/@topic groups executing once per
 * distinct operation, broker topics and sequence tracking. See hub.h.
 * Loop thread only. */
#include "config.h"

#include "http/hub.h"

#include "http/bindings.h"
#include "util/list.h"
#include "util/strmap.h"

#include <gqlsse/execute.h>
#include <gqlsse/module.h>

#include "bus/codec.h"
#include "bus/subscriber.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

typedef struct bus_topic bus_topic;

/* Operations of event-bound subscriptions (@model/@topic) that run the same
 * operation (document, operation name, variables): the selection set runs
 * once per event for the whole group. Owned by its topic; freed with its
 * last operation. */
typedef struct event_group {
    bus_topic *topic;
    char *key;                /* operation name \n variables \n query */
    gql_document *doc;        /* owned: the first operation's */
    json_object *variables;   /* owned */
    char *operation_name;     /* owned */
    const gql_node *field;    /* root field node in doc */
    gql_plan *plan;           /* owned */
    json_object *args;        /* coerced field arguments (owned reference) */
    const gqlsse_binding *binding;
    gqlsse_list ops;          /* members (op.glink), some maybe marked `left` */
    unsigned nops;            /* members not marked `left` */
    unsigned nleft;           /* members marked `left` */
    gqlsse_link link;         /* its topic's groups */
} event_group;

/* A broker topic some group needs (the worker subscribes to it while it
 * exists) and its sequence state for the current broker run. */
struct bus_topic {
    char *topic;               /* "model/Task/", owned */
    size_t len;
    gqlsse_list groups;        /* event_group.link */
    gql_strmap group_map;      /* group key -> group */
    int busy;
    int have_seq;              /* a baseline was received */
    char run[GQLSSE_BUS_RUN_ID_LEN + 1];
    uint64_t last_seq;
    gqlsse_link link;          /* the hub's topics */
};

/* One subscription source (the module API's handle). */
struct gqlsse_source {
    gqlsse_op *op;
    const gqlsse_app_source *as;
    void *state;
    gqlsse_timer timer;
    int ended;      /* no more host calls accepted */
};

enum op_state { OP_RUNNING, OP_OVER };

struct gqlsse_op {
    gqlsse_hub *hub;
    const gqlsse_sink_vt *vt;
    void *sink;
    enum op_state state;
    int sent;                 /* results sent so far (0: the next is FIRST) */
    char *identity;           /* owned, NULL when unauthenticated */
    /* the operation (NULL while in a group: the group owns its copy) */
    gql_document *doc;
    json_object *variables;
    char *operation_name;
    const gql_node *field;    /* root field node */
    const gql_field *fdef;    /* its definition (schema's), NULL before known */
    gqlsse_source src;
    int has_source;
    event_group *group;       /* event-bound: its group, else NULL */
    int left;                 /* left its busy group: unlinked after dispatch */
    gqlsse_link glink;        /* its group's members */
    gqlsse_link link;         /* the hub's running operations */
    gqlsse_op *next_dead;     /* the hub's list of operations to free */
    /* during gqlsse_hub_start only */
    const gqlsse_op_start *start;
};

/* What the source resolver does, per execution (gql_context.user). */
typedef struct op_ctx {
    int capture;         /* 1: store the coerced arguments */
    int called;
    json_object *args;   /* captured (owned reference) */
    json_object *value;  /* borrowed: the value to resolve to */
    const char *error;   /* the error to resolve to */
} op_ctx;

struct gqlsse_hub {
    const gqlsse_conf *conf;
    const gqlsse_logger *log;
    gqlsse_loop *loop;
    gqlsse_app app;
    gqlsse_host host;
    gqlsse_list ops;         /* running (gqlsse_op.link) */
    unsigned nops;
    gqlsse_op *dead;         /* over: stop hook (sources) and free due */
    gqlsse_timer reaper;     /* 0 ms: handles `dead` outside any callback */
    gql_buf scratch;
    /* gqlsse-broker (only when the schema binds fields with @model/@topic) */
    gqlsse_bus_sub *bus;
    gqlsse_io busio;
    gqlsse_timer bustimer;   /* 0 ms: drain again (after (un)subscribing, or a long burst) */
    gqlsse_list topics;      /* bus_topic.link */
    gql_strmap topic_map;    /* topic -> bus_topic */
    char run[GQLSSE_BUS_RUN_ID_LEN + 1]; /* the broker run last seen, "" before */
    uint64_t last_msg_ms;
    uint64_t bus_received, bus_malformed, bus_gaps, bus_lost, bus_restarts, bus_events;
};

#define LOG(h, lv, ...) gqlsse_log((h)->log, (lv), __VA_ARGS__)

static void group_leave(gqlsse_op *op);

/* ---- operation lifecycle ---- */

static void reap(gqlsse_hub *h)
{
    while (h->dead) {
        gqlsse_op *op = h->dead;
        h->dead = op->next_dead;
        if (op->has_source && op->src.as->def->stop)
            op->src.as->def->stop(&op->src, op->src.state);
        json_object_put(op->variables);
        free(op->operation_name);
        gql_document_free(op->doc);
        free(op->identity);
        free(op);
    }
}

static void reaper_cb(void *arg)
{
    reap(arg);
}

/* The operation is over: no more sink calls or host calls; it leaves its
 * group, and is freed (after its source's stop hook) on the next loop turn. */
static void op_over(gqlsse_op *op)
{
    gqlsse_hub *h = op->hub;
    if (op->state == OP_OVER)
        return;
    op->state = OP_OVER;
    gqlsse_list_remove(&h->ops, &op->link);
    h->nops--;
    if (op->group)
        group_leave(op);
    if (op->has_source) {
        op->src.ended = 1;
        gqlsse_timer_stop(h->loop, &op->src.timer);
    }
    op->next_dead = h->dead;
    h->dead = op;
    gqlsse_timer_start(h->loop, &h->reaper, 0);
}

void gqlsse_op_cancel(gqlsse_op *op)
{
    if (op)
        op_over(op);
}

/* The operation ends by the hub's side: end(sink, complete), then over. */
static void op_end(gqlsse_op *op, int complete)
{
    if (op->state == OP_OVER)
        return;
    const gqlsse_sink_vt *vt = op->vt;
    void *sink = op->sink;
    op_over(op);
    vt->end(sink, complete);
}

/* One result to the sink. Returns 0 while the operation runs, -1 when it
 * is over (the sink stopped it). */
static int op_send(gqlsse_op *op, const char *json, size_t len, unsigned flags)
{
    if (op->state == OP_OVER)
        return -1;
    if (!op->sent++)
        flags |= GQLSSE_RESULT_FIRST;
    if (op->vt->next(op->sink, json, len, flags) < 0) {
        op_over(op);
        return -1;
    }
    return op->state == OP_OVER ? -1 : 0;
}

/* A final error result, then the end. */
static void op_fail_with(gqlsse_op *op, const char *json, size_t len)
{
    if (op_send(op, json, len, GQLSSE_RESULT_FINAL) == 0)
        op_end(op, 1);
}

/* ---- GraphQL ---- */

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

/* Executes an operation with `oc` as the context's user data; the
 * response JSON goes to `out`. Returns 0, -1 on OOM. */
static int run_operation(gqlsse_hub *h, const gql_document *doc, json_object *variables,
                         const char *operation_name, op_ctx *oc, const char *identity,
                         gql_buf *out)
{
    gql_context ctx = {.identity = identity, .request = NULL, .user = oc};
    gql_execute_args ea = {.schema = h->app.schema,
                           .runtime = h->app.runtime,
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

int gqlsse_hub_execute(gqlsse_hub *h, const gql_document *doc, json_object *variables,
                       const char *operation_name, const char *identity, gql_buf *out)
{
    int r = run_operation(h, doc, variables, operation_name, NULL, identity, out);
    return r < 0 || out->oom ? -1 : 0;
}

static const gql_document *op_doc(const gqlsse_op *op)
{
    return op->doc ? op->doc : op->group->doc;
}

static void field_error_json(gql_buf *b, const gqlsse_op *op, const char *message)
{
    gql_location loc = gql_node_location(op_doc(op), op->field);
    const gql_node *key = op->field->alias ? op->field->alias : op->field->name;
    gql_buf_puts(b, "{\"message\":");
    gql_buf_json_string(b, message, strlen(message));
    gql_buf_printf(b, ",\"locations\":[{\"line\":%u,\"column\":%u}],\"path\":[", loc.line,
                   loc.column);
    gql_buf_json_string(b, key->value, key->value_len);
    gql_buf_puts(b, "]}");
}

/* Ends the operation with one 403 PERMISSION_DENIED error (Undine's shape,
 * with the field's location and path). */
static void op_deny(gqlsse_op *op, const char *message)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "{\"data\":null,\"errors\":[");
    field_error_json(&b, op, message);
    if (!b.oom && b.len)
        b.len--; /* reopen the error object for its extensions */
    gql_buf_puts(&b, ",\"extensions\":{\"status_code\":403,\"error_code\":"
                     "\"PERMISSION_DENIED\"}}]}");
    if (b.oom)
        op_end(op, 0);
    else
        op_fail_with(op, b.data, b.len);
    gql_buf_free(&b);
}

/* Do the field's permission checks let `op` receive `value`? 1 yes, 0 no. */
static int op_permitted(const gqlsse_op *op, json_object *value)
{
    return !op->fdef || gqlsse_app_permitted(&op->hub->app, op->fdef, op->identity, value);
}

static const char *hook_param(const gqlsse_stream_request *rq, const char *name)
{
    const gqlsse_op *op = rq->host_data;
    const gqlsse_op_start *st = op->start;
    return st && st->param ? st->param(st->param_data, name) : NULL;
}

/* Runs the modules' stream-open hooks; 0 when all let the operation run,
 * else -1 with the refusal's message in *error. */
static int open_hooks(gqlsse_op *op, const char *coord, const char *query, json_object *args,
                      const char **error)
{
    gqlsse_hub *h = op->hub;
    gqlsse_stream_request rq = {.identity = op->identity,
                                .coordinate = coord,
                                .query = query,
                                .operation_name = op->operation_name,
                                .variables = op->variables,
                                .args = args,
                                .param = hook_param,
                                .host_data = op};
    for (size_t i = 0; i < h->app.nmodules; i++) {
        const gqlsse_app_module *m = &h->app.modules[i];
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
    gqlsse_op *op = src->op;
    gqlsse_hub *h = op->hub;
    op_ctx oc = {.capture = 0, .value = value, .error = error};
    gql_buf *b = &h->scratch;
    gql_buf_reset(b);
    run_operation(h, op->doc, op->variables, op->operation_name, &oc, op->identity, b);
    if (b->oom) {
        gql_buf_free(b);
        op_end(op, 0);
        return -1;
    }
    return op_send(op, b->data, b->len, 0);
}

static int host_next(gqlsse_source *src, json_object *value)
{
    int r = -1;
    if (!src->ended && !op_permitted(src->op, value))
        op_deny(src->op, "Permission denied.");
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

/* {"data":null,"errors":[...]} with the messages sorted (Undine flattens
 * and sorts error groups), at the operation's field. */
static void op_fail(gqlsse_op *op, const char *const *messages, size_t n)
{
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
            field_error_json(&b, op, sorted[i]);
        }
        if (n == 0)
            field_error_json(&b, op, "Unknown error");
    }
    gql_buf_puts(&b, "]}");
    free(sorted);
    if (!sorted || b.oom)
        op_end(op, 0);
    else
        op_fail_with(op, b.data, b.len);
    gql_buf_free(&b);
}

static void host_fail(gqlsse_source *src, const char *const *messages, size_t n)
{
    if (!src->ended)
        op_fail(src->op, messages, n);
}

static void host_complete(gqlsse_source *src)
{
    if (!src->ended)
        op_end(src->op, 1);
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
    return gqlsse_timer_start(src->op->hub->loop, &src->timer, delay_ms);
}

static void host_log(const gqlsse_host *host, int level, const char *message)
{
    gqlsse_hub *h = host->host_data;
    LOG(h, level, "module: %s", message);
}

/* ---- event-bound subscriptions: groups, topics, the broker ---- */

static void bus_kick(gqlsse_hub *h)
{
    if (h->bus)
        gqlsse_timer_start(h->loop, &h->bustimer, 0);
}

static void topic_free(gqlsse_hub *h, bus_topic *t)
{
    gqlsse_list_remove(&h->topics, &t->link);
    gql_strmap_del(&h->topic_map, t->topic, t->len);
    gql_strmap_clear(&t->group_map);
    if (h->bus && gqlsse_bus_sub_unsubscribe(h->bus, t->topic) < 0)
        LOG(h, GQLSSE_LOG_WARN, "broker: cannot unsubscribe from %s", t->topic);
    LOG(h, GQLSSE_LOG_INFO, "broker: unsubscribed from %s (no subscriber left)", t->topic);
    bus_kick(h);
    free(t->topic);
    free(t);
}

static void group_free(gqlsse_hub *h, event_group *g)
{
    bus_topic *t = g->topic;
    gqlsse_list_remove(&t->groups, &g->link);
    gql_strmap_del(&t->group_map, g->key, strlen(g->key));
    gql_plan_free(g->plan);
    gql_document_free(g->doc);
    json_object_put(g->variables);
    json_object_put(g->args);
    free(g->operation_name);
    free(g->key);
    free(g);
    if (gqlsse_list_empty(&t->groups) && !t->busy)
        topic_free(h, t);
}

static void group_unlink(event_group *g, gqlsse_op *op)
{
    gqlsse_list_remove(&g->ops, &op->glink);
    op->group = NULL;
    op->field = NULL;
}

/* While the group's topic is being dispatched, a leaving operation stays
 * linked (marked), and an emptied group stays too, so that the dispatch
 * loops' next pointers stay valid (a sink may cancel any operation, e.g.
 * every operation of a connection that died). */
static void group_leave(gqlsse_op *op)
{
    event_group *g = op->group;
    if (op->left)
        return;
    g->nops--;
    if (g->topic->busy) {
        op->left = 1;
        g->nleft++;
        return;
    }
    group_unlink(g, op);
    if (!g->nops)
        group_free(op->hub, g);
}

/* After a dispatch: unlinks the members that left meanwhile; frees the
 * group when none is left. */
static void group_sweep(gqlsse_hub *h, event_group *g)
{
    for (gqlsse_op *op = g->nleft ? GQLSSE_LIST_FIRST(&g->ops, gqlsse_op, glink) : NULL, *n; op;
         op = n) {
        n = GQLSSE_LIST_NEXT(op, gqlsse_op, glink);
        if (op->left)
            group_unlink(g, op);
    }
    g->nleft = 0;
    if (!g->nops)
        group_free(h, g);
}

/* Joins `op` to the group running its operation (creating the group, and
 * subscribing to the topic, when it is the first). Takes `args` (a
 * reference). Returns 0, -1 on OOM. */
static int group_join(gqlsse_hub *h, gqlsse_op *op, const gqlsse_binding *b, json_object *args,
                      const char *query)
{
    gql_buf key = GQL_BUF_INIT;
    gql_buf_puts(&key, op->operation_name ? op->operation_name : "");
    gql_buf_putc(&key, '\n');
    if (op->variables)
        gql_buf_puts(&key, json_object_to_json_string_ext(op->variables, JSON_C_TO_STRING_PLAIN));
    gql_buf_putc(&key, '\n');
    gql_buf_puts(&key, query);
    if (key.oom) {
        gql_buf_free(&key);
        json_object_put(args);
        return -1;
    }
    bus_topic *t = gql_strmap_get(&h->topic_map, b->topic, strlen(b->topic));
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t || !(t->topic = strdup(b->topic)) ||
            gql_strmap_put(&h->topic_map, t->topic, strlen(t->topic), t) < 0) {
            if (t)
                free(t->topic);
            free(t);
            gql_buf_free(&key);
            json_object_put(args);
            return -1;
        }
        t->len = strlen(t->topic);
        gqlsse_list_push(&h->topics, &t->link);
        if (gqlsse_bus_sub_subscribe(h->bus, t->topic) < 0)
            LOG(h, GQLSSE_LOG_ERROR, "broker: cannot subscribe to %s", t->topic);
        else
            LOG(h, GQLSSE_LOG_INFO, "broker: subscribed to %s", t->topic);
        bus_kick(h);
    }
    event_group *g = gql_strmap_get(&t->group_map, key.data, key.len);
    if (g) {
        /* The group's document serves this operation too. */
        gql_document_free(op->doc);
        op->doc = NULL;
        json_object_put(op->variables);
        op->variables = NULL;
        free(op->operation_name);
        op->operation_name = NULL;
        json_object_put(args);
        gql_buf_free(&key);
    } else {
        g = calloc(1, sizeof *g);
        gql_plan_args pa = {.schema = h->app.schema,
                            .runtime = h->app.runtime,
                            .document = op->doc,
                            .operation_name = op->operation_name,
                            .variables = op->variables};
        if (g)
            g->plan = gql_plan_new(&pa);
        if (g && g->plan)
            g->key = gql_buf_take(&key);
        if (!g || !g->plan || !g->key ||
            gql_strmap_put(&t->group_map, g->key, strlen(g->key), g) < 0) {
            if (g) {
                gql_plan_free(g->plan);
                free(g->key);
            }
            free(g);
            json_object_put(args);
            gql_buf_free(&key);
            if (gqlsse_list_empty(&t->groups))
                topic_free(h, t);
            return -1;
        }
        g->topic = t;
        g->doc = op->doc;
        op->doc = NULL;
        g->variables = op->variables;
        op->variables = NULL;
        g->operation_name = op->operation_name;
        op->operation_name = NULL;
        g->field = op->field;
        g->args = args;
        g->binding = b;
        gqlsse_list_push(&t->groups, &g->link);
    }
    op->group = g;
    op->field = g->field;
    gqlsse_list_push(&g->ops, &op->glink);
    g->nops++;
    return 0;
}

/* One event to every group of `t` that selects it: the selection set runs
 * once per group, and every member gets the same bytes. */
static void dispatch(gqlsse_hub *h, bus_topic *t, const gqlsse_bus_msg *m)
{
    t->busy = 1;
    gql_context ctx = {.identity = NULL, .request = NULL, .user = NULL};
    for (event_group *g = GQLSSE_LIST_FIRST(&t->groups, event_group, link), *gn; g; g = gn) {
        gn = GQLSSE_LIST_NEXT(g, event_group, link);
        if (!g->nops || !gqlsse_binding_match(g->binding, g->args, m))
            continue;
        gql_result res = GQL_RESULT_INIT;
        gql_buf *b = &h->scratch;
        gql_buf_reset(b);
        gql_plan_map_event(g->plan, m->data, &ctx, &res);
        gql_result_to_json(b, &res);
        gql_result_clear(&res);
        if (b->oom) {
            LOG(h, GQLSSE_LOG_ERROR, "event %s: out of memory", m->id);
            gql_buf_free(b);
            continue;
        }
        h->bus_events++;
        /* The execution is shared; the permission outcome is per subscriber
         * (identity-dependent), so it is checked for each operation. */
        int checked = gqlsse_app_has_permissions(&h->app, g->binding->field);
        for (gqlsse_op *op = GQLSSE_LIST_FIRST(&g->ops, gqlsse_op, glink); op;
             op = GQLSSE_LIST_NEXT(op, gqlsse_op, glink)) {
            if (op->left || op->state == OP_OVER)
                continue;
            if (checked && !op_permitted(op, m->data))
                op_deny(op, "Permission denied.");
            else
                op_send(op, b->data, b->len, 0);
        }
    }
    for (event_group *g = GQLSSE_LIST_FIRST(&t->groups, event_group, link), *gn; g; g = gn) {
        gn = GQLSSE_LIST_NEXT(g, event_group, link);
        group_sweep(h, g);
    }
    t->busy = 0;
    if (gqlsse_list_empty(&t->groups))
        topic_free(h, t);
}

/* Sequence bookkeeping (docs/broker-protocol.md, "How workers use it"). */
static void track_sequence(gqlsse_hub *h, bus_topic *t, const gqlsse_bus_stamp *st)
{
    uint64_t now = gqlsse_now_ms();
    if (!h->run[0]) {
        LOG(h, GQLSSE_LOG_INFO, "broker: run %s", st->run);
    } else if (strcmp(h->run, st->run) != 0) {
        h->bus_restarts++;
        LOG(h, GQLSSE_LOG_WARN,
            "broker restarted (run %s, was %s), %.1f s since the last message: events "
            "published while it was down are lost",
            st->run, h->run, (double)(now - h->last_msg_ms) / 1000.0);
    }
    memcpy(h->run, st->run, sizeof h->run);
    h->last_msg_ms = now;
    if (t->have_seq && strcmp(t->run, st->run) == 0 && st->topic_seq > t->last_seq + 1) {
        uint64_t lost = st->topic_seq - t->last_seq - 1;
        h->bus_gaps++;
        h->bus_lost += lost;
        LOG(h, GQLSSE_LOG_WARN,
            "broker: gap on %s: %llu message%s lost (sequence %llu after %llu; %llu gaps, "
            "%llu messages lost so far)",
            t->topic, (unsigned long long)lost, lost == 1 ? "" : "s",
            (unsigned long long)st->topic_seq, (unsigned long long)t->last_seq,
            (unsigned long long)h->bus_gaps, (unsigned long long)h->bus_lost);
    }
    t->have_seq = 1;
    memcpy(t->run, st->run, sizeof t->run);
    t->last_seq = st->topic_seq;
}

static void bus_message(void *ud, const gqlsse_bus_frames *f)
{
    gqlsse_hub *h = ud;
    h->bus_received++;
    char why[256] = "";
    gqlsse_bus_stamp stamp;
    if (f->nframes != 3 || gqlsse_bus_stamp_parse(f->frame[2], f->len[2], &stamp) < 0) {
        h->bus_malformed++;
        LOG(h, GQLSSE_LOG_WARN, "broker: message ignored: %d frames or no valid stamp (%llu ignored)",
            f->nframes, (unsigned long long)h->bus_malformed);
        return;
    }
    bus_topic *t = gql_strmap_get(&h->topic_map, f->frame[0], f->len[0]);
    if (!t)
        return; /* unsubscribed meanwhile */
    track_sequence(h, t, &stamp);
    gqlsse_bus_msg m;
    gqlsse_bus_verdict v = gqlsse_bus_decode(f->frame[0], f->len[0], f->frame[1], f->len[1],
                                             h->conf->max_body_bytes > GQLSSE_BUS_DEFAULT_MAX_MESSAGE
                                                 ? h->conf->max_body_bytes
                                                 : GQLSSE_BUS_DEFAULT_MAX_MESSAGE,
                                             &m, why, sizeof why);
    if (v != GQLSSE_BUS_OK) {
        h->bus_malformed++;
        LOG(h, GQLSSE_LOG_WARN, "broker: message on %s ignored (%s): %s (%llu ignored)", t->topic,
            gqlsse_bus_verdict_name(v), why, (unsigned long long)h->bus_malformed);
        return;
    }
    LOG(h, GQLSSE_LOG_DEBUG, "broker: %s event %s (%s, seq %llu)", t->topic, m.id,
        m.kind == GQLSSE_BUS_MODEL ? gqlsse_bus_event_name(m.event) : "topic",
        (unsigned long long)stamp.topic_seq);
    dispatch(h, t, &m);
    gqlsse_bus_msg_clear(&m);
}

static void bus_drain(gqlsse_hub *h)
{
    int r = gqlsse_bus_sub_drain(h->bus, 256, bus_message, h);
    if (r > 0)
        bus_kick(h); /* more waiting: let the other fds run first */
    else if (r < 0)
        LOG(h, GQLSSE_LOG_ERROR, "broker: receive failed: %s", strerror(errno));
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

/* ---- starting an operation ---- */

static void fail_json(gqlsse_op *op, const char *json, size_t len)
{
    op_fail_with(op, json, len);
}

/* The subscription could not start: one result with `message` at the field. */
static void fail_at_field(gqlsse_op *op, const char *message)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "{\"errors\":[");
    field_error_json(&b, op, message);
    gql_buf_puts(&b, "]}");
    if (b.oom)
        op_end(op, 0);
    else
        fail_json(op, b.data, b.len);
    gql_buf_free(&b);
}

static void start_operation(gqlsse_hub *h, gqlsse_op *op, const gqlsse_op_start *start)
{
    op->field = first_field(op->doc, start->operation->selection_set, 0);
    if (!op->field) {
        static const char msg[] = "{\"errors\":[{\"message\":\"Subscription has no field.\"}]}";
        fail_json(op, msg, sizeof msg - 1);
        return;
    }
    char coord[512];
    snprintf(coord, sizeof coord, "%s.%s", h->app.schema->subscription->name,
             op->field->name->value);
    const gqlsse_app_source *as = gqlsse_app_find_source(&h->app, coord);
    const gql_field *fdef = gql_type_find_field(h->app.schema->subscription,
                                                op->field->name->value, op->field->name->value_len);
    const gqlsse_binding *bd =
        fdef ? gqlsse_bindings_find(h->app.bindings, h->app.nbindings, fdef) : NULL;
    if (!as && !bd) {
        fail_at_field(op, "Subscription field must return Async Iterable. Received: undefined.");
        return;
    }
    /* Coerce the arguments as the executor does (defaults from the SDL). */
    op_ctx oc = {.capture = 1};
    gql_buf b = GQL_BUF_INIT;
    run_operation(h, op->doc, op->variables, op->operation_name, &oc, op->identity, &b);
    if (!oc.called) {
        if (b.oom)
            op_end(op, 0);
        else
            fail_json(op, b.data ? b.data : "{}", b.data ? b.len : 2);
        gql_buf_free(&b);
        return;
    }
    gql_buf_free(&b);
    op->fdef = fdef;
    const char *refused = NULL;
    if (open_hooks(op, coord, start->query, oc.args, &refused) < 0) {
        LOG(h, GQLSSE_LOG_INFO, "subscription %s refused by a stream-open hook: %s", coord,
            refused);
        json_object_put(oc.args);
        op_deny(op, refused);
        return;
    }
    if (bd) {
        if (group_join(h, op, bd, oc.args, start->query) < 0) {
            LOG(h, GQLSSE_LOG_ERROR, "subscription %s: out of memory", coord);
            op_end(op, 0);
            return;
        }
        LOG(h, GQLSSE_LOG_INFO, "subscription %s started on %s (%u operations, %u in its group)",
            coord, bd->topic, h->nops, op->group->nops);
        return;
    }
    op->has_source = 1;
    op->src.op = op;
    op->src.as = as;
    op->src.timer.cb = source_timer_cb;
    op->src.timer.arg = &op->src;
    const char *error = NULL;
    LOG(h, GQLSSE_LOG_INFO, "subscription %s started (%u operations)", coord, h->nops);
    int r = as->def->start(&op->src, oc.args, as->module->state, &op->src.state, &error);
    json_object_put(oc.args);
    if (r < 0 && !op->src.ended) {
        const char *msg = error ? error : "Subscription could not start";
        op_fail(op, &msg, 1);
    }
}

gqlsse_op *gqlsse_hub_start(gqlsse_hub *h, gqlsse_op_start *start)
{
    gqlsse_op *op = calloc(1, sizeof *op);
    char *identity = start->identity && op ? strdup(start->identity) : NULL;
    if (!op || (start->identity && !identity)) {
        free(op);
        gql_document_free(start->doc);
        json_object_put(start->variables);
        free(start->operation_name);
        start->doc = NULL;
        start->variables = NULL;
        start->operation_name = NULL;
        start->sink_vt->end(start->sink, 0);
        return NULL;
    }
    op->hub = h;
    op->vt = start->sink_vt;
    op->sink = start->sink;
    op->identity = identity;
    op->doc = start->doc;
    op->variables = start->variables;
    op->operation_name = start->operation_name;
    start->doc = NULL;
    start->variables = NULL;
    start->operation_name = NULL;
    gqlsse_list_push(&h->ops, &op->link);
    h->nops++;
    op->start = start;
    start_operation(h, op, start);
    op->start = NULL;
    return op->state == OP_RUNNING ? op : NULL;
}

/* ---- the hub ---- */

const gql_node *gqlsse_find_operation(const gql_document *doc, const char *name,
                                      size_t name_len)
{
    const gql_node *found = NULL;
    if (name && strlen(name) != name_len)
        return NULL; /* no GraphQL name holds a NUL */
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


const gqlsse_app *gqlsse_hub_app(const gqlsse_hub *h)
{
    return &h->app;
}

unsigned gqlsse_hub_nops(const gqlsse_hub *h)
{
    return h->nops;
}

gqlsse_hub *gqlsse_hub_new(const gqlsse_conf *conf, const gqlsse_logger *log, gqlsse_loop *loop,
                           char *err, size_t errlen)
{
    gqlsse_hub *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h->conf = conf;
    h->log = log;
    h->loop = loop;
    h->reaper.cb = reaper_cb;
    h->reaper.arg = h;
    h->busio.fd = -1;
    h->host.api_version = GQLSSE_MODULE_API_VERSION;
    h->host.size = sizeof h->host;
    h->host.next = host_next;
    h->host.yield_error = host_yield_error;
    h->host.fail = host_fail;
    h->host.complete = host_complete;
    h->host.set_timer = host_set_timer;
    h->host.log = host_log;
    h->host.host_data = h;
    if (gqlsse_app_load(&h->app, conf, &h->host, source_resolver, err, errlen) < 0) {
        gqlsse_hub_free(h);
        return NULL;
    }
    if (h->app.nbindings) {
        h->bus = gqlsse_bus_sub_new(conf->broker, GQLSSE_BUS_DEFAULT_MAX_MESSAGE, err, errlen);
        h->busio.fd = h->bus ? gqlsse_bus_sub_fd(h->bus) : -1;
        h->busio.cb = bus_io_cb;
        h->busio.arg = h;
        h->bustimer.cb = bus_timer_cb;
        h->bustimer.arg = h;
        if (!h->bus || gqlsse_io_add(h->loop, &h->busio, EPOLLIN | EPOLLET) < 0) {
            if (h->bus)
                snprintf(err, errlen, "broker: cannot watch the ZeroMQ fd: %s", strerror(errno));
            h->busio.fd = -1;
            gqlsse_hub_free(h);
            return NULL;
        }
        LOG(h, GQLSSE_LOG_INFO, "broker: connecting to %s (%zu subscription field%s bound to events)",
            conf->broker, h->app.nbindings, h->app.nbindings == 1 ? "" : "s");
    }
    return h;
}

void gqlsse_hub_log_stats(const gqlsse_hub *h)
{
    if (h->bus)
        LOG(h, GQLSSE_LOG_INFO,
            "broker: %llu messages received, %llu ignored (malformed), %llu gaps (%llu lost), "
            "%llu broker restarts, %llu events executed",
            (unsigned long long)h->bus_received, (unsigned long long)h->bus_malformed,
            (unsigned long long)h->bus_gaps, (unsigned long long)h->bus_lost,
            (unsigned long long)h->bus_restarts, (unsigned long long)h->bus_events);
}

void gqlsse_hub_free(gqlsse_hub *h)
{
    if (!h)
        return;
    while (!gqlsse_list_empty(&h->ops))
        op_over(GQLSSE_LIST_FIRST(&h->ops, gqlsse_op, link));
    reap(h);
    gqlsse_timer_stop(h->loop, &h->reaper);
    if (h->bus) {
        gqlsse_timer_stop(h->loop, &h->bustimer);
        if (h->busio.fd >= 0)
            gqlsse_io_del(h->loop, &h->busio);
        gqlsse_bus_sub_free(h->bus);
    }
    while (!gqlsse_list_empty(&h->topics)) {
        bus_topic *t = GQLSSE_LIST_FIRST(&h->topics, bus_topic, link);
        gqlsse_list_remove(&h->topics, &t->link);
        gql_strmap_clear(&t->group_map);
        free(t->topic);
        free(t);
    }
    gql_strmap_clear(&h->topic_map);
    gqlsse_app_unload(&h->app);
    gql_buf_free(&h->scratch);
    free(h);
}
