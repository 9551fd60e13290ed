/* hub.h: the subscription hub: everything about running subscription
 * operations that does not depend on the transport carrying their results.
 * It owns the loaded app (schema, runtime, C modules), the module host API,
 * the subscriptions bound to broker events (@model/@topic: topics, groups
 * executing once per distinct operation) and the broker subscriber.
 *
 * A transport (gqlsse-fcgi's SSE streams; later gqlsse-ws's sockets) starts
 * an operation with a sink, receives its results through the sink, and
 * cancels it when its client goes away. Queries and mutations are plain
 * executions (gqlsse_hub_execute).
 *
 * Threads: a hub lives on one gqlsse_loop; every function here, and every
 * sink callback, runs on that loop's thread. Nothing here is thread-safe. */
#ifndef GQLSSE_HTTP_HUB_H
#define GQLSSE_HTTP_HUB_H

#include <stddef.h>

#include <json-c/json.h>

#include <gqlsse/ast.h>
#include <gqlsse/buf.h>
#include <gqlsse/parser.h>

#include "http/app.h"
#include "http/conf.h"
#include "http/log.h"
#include "http/loop.h"

typedef struct gqlsse_hub gqlsse_hub;
typedef struct gqlsse_op gqlsse_op;

/* gqlsse_sink_vt.next flags */
enum {
    /* The operation ends right after this result: it is an error result
     * (the source raised, a permission check failed, the operation could
     * not start). end(sink, 1) follows. graphql-transport-ws sends such a
     * result as `error` when it is also the first. */
    GQLSSE_RESULT_FINAL = 1u,
    /* The operation's first result. */
    GQLSSE_RESULT_FIRST = 2u
};

/* How the hub hands an operation's results to its transport. */
typedef struct gqlsse_sink_vt {
    /* One result, an ExecutionResult as JSON (`json` is valid for the call
     * only). Return 0 to go on, or -1 when the sink stopped the operation
     * itself (client gone, backlog over its limit): this counts as
     * gqlsse_op_cancel, and the sink is never called again for it. */
    int (*next)(void *sink, const char *json, size_t len, unsigned flags);
    /* The operation is over and the sink is never called again for it.
     * `complete` 1: it completed (normally, or after a FINAL result): send
     * the transport's completion; 0: stopped without completing (worker
     * shutdown, out of memory). */
    void (*end)(void *sink, int complete);
} gqlsse_sink_vt;

/* What starts a subscription operation (gqlsse_hub_start). */
typedef struct gqlsse_op_start {
    gql_document *doc;        /* taken over, also on failure */
    json_object *variables;   /* taken over (NULL: none) */
    char *operation_name;     /* taken over, malloc'd (NULL: none) */
    const gql_node *operation; /* the subscription operation in doc */
    const char *query;        /* the document's text: borrowed for the call */
    const char *identity;     /* copied; NULL when unauthenticated */
    /* The request's CGI/FastCGI parameters for the stream-open hooks;
     * called during gqlsse_hub_start only. NULL: none. */
    const char *(*param)(void *param_data, const char *name);
    void *param_data;
    const gqlsse_sink_vt *sink_vt;
    void *sink;
} gqlsse_op_start;

/* graphql-js getOperationAST: the operation named `name` (`name_len` bytes:
 * a name with a NUL inside, from \u0000 or %00, names none), or with `name`
 * NULL the only one; NULL when there is none (or several unnamed). */
const gql_node *gqlsse_find_operation(const gql_document *doc, const char *name,
                                      size_t name_len);

/* Loads the app of `conf` (schema, modules, their init hooks) and, when the
 * schema binds fields to broker events, connects the broker subscriber.
 * `conf`, `log` and `loop` must outlive the hub. Returns a hub owned by the
 * caller (gqlsse_hub_free), or NULL with a message in err. */
gqlsse_hub *gqlsse_hub_new(const gqlsse_conf *conf, const gqlsse_logger *log, gqlsse_loop *loop,
                           char *err, size_t errlen);

/* The loaded app (read-only, owned by the hub). */
const gqlsse_app *gqlsse_hub_app(const gqlsse_hub *h);

/* Executes a query or mutation of a validated `doc`; the response JSON
 * (always an ExecutionResult) is appended to `out`. Returns 0, -1 on OOM. */
int gqlsse_hub_execute(gqlsse_hub *h, const gql_document *doc, json_object *variables,
                       const char *operation_name, const char *identity, gql_buf *out);

/* Starts the subscription operation of a validated document: runs the
 * stream-open hooks, then starts the field's module source or joins the
 * group of its @model/@topic binding. Results and the end go to the sink;
 * they may already flow during this call. Returns the running operation
 * (owned by the hub: valid until the sink's end() or gqlsse_op_cancel), or
 * NULL when the operation is already over (end() was called, or the sink
 * returned -1). */
gqlsse_op *gqlsse_hub_start(gqlsse_hub *h, gqlsse_op_start *start);

/* The transport stops `op` (client gone, cancelled): no sink call follows,
 * the module source's stop hook runs later on the loop. Safe inside sink
 * callbacks, for any operation. */
void gqlsse_op_cancel(gqlsse_op *op);

/* Running operations (started, not yet ended or cancelled). */
unsigned gqlsse_hub_nops(const gqlsse_hub *h);

/* Logs the broker counters (at exit). */
void gqlsse_hub_log_stats(const gqlsse_hub *h);

/* Cancels what still runs (no sink calls), runs the pending stop hooks and
 * the modules' fini hooks, frees everything. NULL is fine. */
void gqlsse_hub_free(gqlsse_hub *h);

#endif
