/* gqlsse/module.h: the C module API of gqlsse-fcgi. A module is a shared
 * object, loaded with dlopen from the configuration (`module = PATH`), that
 * registers subscription sources and field resolvers for schema coordinates. */
#ifndef GQLSSE_MODULE_H
#define GQLSSE_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <gqlsse/execute.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Version and entry point
 * -----------------------
 * A module exports one symbol, GQLSSE_MODULE_SYMBOL: a function returning
 * its static description (a `static const gqlsse_module` with designated
 * initializers). The host refuses a module whose `api_version` it does not
 * know, and says so at start-up and in `gqlsse check-config`. New members
 * are only ever appended, and `size` (sizeof(gqlsse_module) as the module
 * was compiled) tells the host which ones exist: a module built against an
 * older header of the same version loads unchanged (GQLSSE_MODULE_HAS).
 *
 * Threads
 * -------
 * gqlsse-fcgi runs one event loop thread per process. Every hook below is
 * called on that thread, and every host function may be called only from
 * that thread, from inside a hook or a timer callback. A hook must not
 * block: to wait, set a timer (host->set_timer); long work belongs in the
 * module's own thread, which then must not touch a gqlsse_source (a
 * thread-safe post function is planned for API version 2).
 *
 * Lifecycle
 * ---------
 *   load: dlopen, GQLSSE_MODULE_SYMBOL(), version check;
 *   init(host, &module_state)             once, before the schema is served;
 *   for each subscription operation (any field):
 *     stream_open(rq, ...)                optional: may refuse it (403);
 *   for each subscription operation on a registered coordinate:
 *     source->start(src, args, ...)       the stream's headers are sent;
 *     host->next / yield_error            any number of times (each next
 *                                         value passes the coordinate's
 *                                         permission checks first);
 *     host->complete or host->fail        the source ends itself, or the
 *                                         client goes away, or the process
 *                                         shuts down (SIGTERM);
 *     source->stop(src, state)            always exactly once, later on the
 *                                         loop (never from inside a host
 *                                         function): free `state` here;
 *   for each WebSocket connection_init (gqlsse-ws):
 *     ws_connection_init(in, ...)         optional: ack (with a payload) or
 *                                         refuse (4403);
 *   fini(module_state)                    once at exit (after every stop).
 */

#define GQLSSE_MODULE_API_VERSION 1u
#define GQLSSE_MODULE_SYMBOL "gqlsse_module_entry"

/* One running subscription source (one per subscribed operation). Owned by
 * the host; valid from start until stop returns. */
typedef struct gqlsse_source gqlsse_source;

typedef struct gqlsse_host gqlsse_host;

enum {
    GQLSSE_MODULE_LOG_ERROR = 0,
    GQLSSE_MODULE_LOG_WARN = 1,
    GQLSSE_MODULE_LOG_INFO = 2,
    GQLSSE_MODULE_LOG_DEBUG = 3
};

/* What the host offers to modules (loop thread only, see above). */
struct gqlsse_host {
    uint32_t api_version; /* GQLSSE_MODULE_API_VERSION of the host */
    uint32_t size;        /* sizeof(gqlsse_host) in the host */

    /* Sends `value` as the subscription field's next value: the operation's
     * selection set runs over it and the result goes out as `event: next`
     * at once. Takes over the reference (NULL is JSON null). Returns 0, or
     * -1 when the source has already ended (the value is released). */
    int (*next)(gqlsse_source *src, json_object *value);

    /* Sends an error as a value: `{"data":null,"errors":[{"message":...,
     * "locations":...,"path":[field]}]}`; the subscription stays open.
     * `message` is copied. Returns 0, or -1 when the source has ended. */
    int (*yield_error)(gqlsse_source *src, const char *message);

    /* Ends the source with `n` >= 1 errors (copied), sent as one `next` with
     * `{"data":null,"errors":[...]}` (sorted by message), then `complete`.
     * No effect once the source has ended. */
    void (*fail)(gqlsse_source *src, const char *const *messages, size_t n);

    /* Ends the source normally: `event: complete`. No effect once ended. */
    void (*complete)(gqlsse_source *src);

    /* Arms the source's one-shot timer: the definition's on_timer runs after
     * `delay_ms` milliseconds (replacing a timer already armed). Returns 0,
     * -1 when the source has ended or on OOM. */
    int (*set_timer)(gqlsse_source *src, uint64_t delay_ms);

    /* One log line on the worker's log (stderr), with a level
     * GQLSSE_MODULE_LOG_*; `message` is copied. */
    void (*log)(const gqlsse_host *host, int level, const char *message);

    void *host_data; /* the host's own; modules leave it alone */
};

/* A subscription source for one schema coordinate ("Subscription.field"). */
typedef struct gqlsse_source_def {
    const char *coordinate;

    /* Starts a source. `args` are the field's coerced arguments with the
     * SDL's defaults applied (an object, borrowed for the call: take
     * json_object_get to keep it). Store the source's state in *state.
     * Return 0 to run (host->next may already be called here), or -1 with a
     * message in *error (static storage) to fail at subscribe time: the
     * client gets that error as one `next`, then `complete`; stop is then
     * called with whatever *state holds. */
    int (*start)(gqlsse_source *src, json_object *args, void *module_state, void **state,
                 const char **error);

    /* The timer armed with host->set_timer fired. May be NULL. */
    void (*on_timer)(gqlsse_source *src, void *state);

    /* Always called once when the source is finished, whatever the reason;
     * frees `state`. Must not call host functions with `src`. */
    void (*stop)(gqlsse_source *src, void *state);
} gqlsse_source_def;

/* A per-value permission check for a subscription field ("Subscription.f"),
 * as Undine's per-value permissions: called with every value before it is
 * sent on a subscription of that field (module sources' host->next values
 * and broker events of @model/@topic fields alike), once per subscriber.
 * `identity` is the request's REMOTE_USER (NULL when unauthenticated);
 * `value` is borrowed for the call. Return 1 to send the value, 0 to deny:
 * that operation then gets one `next` with "Permission denied." (extensions
 * status_code 403, error_code PERMISSION_DENIED) and `complete`; other
 * subscribers are unaffected. Must not block or call host functions. */
typedef struct gqlsse_permission_def {
    const char *coordinate;
    int (*check)(const char *identity, json_object *value, void *module_state);
} gqlsse_permission_def;

/* What a stream-open hook sees of the request (borrowed for the call). */
typedef struct gqlsse_stream_request {
    const char *identity;        /* REMOTE_USER, NULL when unauthenticated */
    const char *coordinate;      /* "Subscription.field" of the operation */
    const char *query;           /* the document's text */
    const char *operation_name;  /* NULL when none was given */
    json_object *variables;      /* NULL when none were given */
    json_object *args;           /* the field's coerced arguments */
    /* A CGI/FastCGI parameter of the request ("HTTP_AUTHORIZATION",
     * "REMOTE_ADDR", ...), NULL when absent. */
    const char *(*param)(const struct gqlsse_stream_request *rq, const char *name);
    void *host_data;             /* the host's own */
} gqlsse_stream_request;

struct gqlsse_ws_pending;
struct gqlsse_ws_init_result;

/* What a WebSocket connection-init hook sees (gqlsse-ws; borrowed for the
 * call, like gqlsse_stream_request). */
typedef struct gqlsse_ws_init {
    /* The identity the trusted proxy forwarded (ws_identity_header from an
     * address in ws_trusted_proxies), NULL when none. */
    const char *identity;
    /* The connection_init message's payload object, NULL when it had none. */
    json_object *payload;
    /* A header of the WebSocket upgrade request ("Authorization", "Cookie",
     * case-insensitive), NULL when absent. */
    const char *(*header)(const struct gqlsse_ws_init *in, const char *name);
    const char *peer;  /* the peer's address ("127.0.0.1", "unix") */
    void *host_data;   /* the host's own */
    /* An asynchronous answer: the hook returns GQLSSE_WS_INIT_PENDING and
     * later calls done(pending, GQLSSE_WS_INIT_ACK or _REFUSE, &result)
     * exactly once, from any thread (thread-safe; `result` is read during
     * the call: its ack_payload reference is taken over, the strings are
     * copied). `pending` is the host's, valid until done() returns; it stays
     * valid when the socket closes meanwhile (the answer is then dropped).
     * Every pending answer must be given before the module's fini returns.
     * Nothing here (not `payload`, `header`) may be used after the hook
     * returned; copy what the later answer needs. */
    struct gqlsse_ws_pending *pending;
    void (*done)(struct gqlsse_ws_pending *pending, int rc,
                 const struct gqlsse_ws_init_result *result);
} gqlsse_ws_init;

/* What a connection-init hook answers. Zeroed by the host before the call. */
typedef struct gqlsse_ws_init_result {
    /* Ack: an object sent as the connection_ack payload (reference taken
     * over by the host; NULL: an ack without payload). Ignored on refusal. */
    json_object *ack_payload;
    /* Ack: replaces the connection's identity for every operation on it
     * (copied; NULL keeps the proxy's). */
    const char *identity;
    /* Refusal: the close reason of 4403 (copied; longer than 123 bytes or
     * NULL gives "Forbidden"). */
    const char *error;
} gqlsse_ws_init_result;

#define GQLSSE_WS_INIT_ACK 0
#define GQLSSE_WS_INIT_REFUSE (-1)
#define GQLSSE_WS_INIT_PENDING 1 /* answered later with in->done */

/* A field resolver (see gqlsse/execute.h) the module provides. */
typedef struct gqlsse_resolver_def {
    const char *coordinate; /* "Query.hello" */
    gql_resolver_fn fn;
    void *ud;
} gqlsse_resolver_def;

typedef struct gqlsse_module {
    uint32_t api_version; /* GQLSSE_MODULE_API_VERSION the module was built for */
    uint32_t size;        /* sizeof(gqlsse_module) as compiled into the module */
    const char *name;     /* for log messages */

    /* Optional. Called once after loading; store module-wide state in
     * *module_state (passed to every start). Return 0, or -1 to refuse to
     * run (the worker then does not start). */
    int (*init)(const gqlsse_host *host, void **module_state);
    /* Optional. Called once at exit. */
    void (*fini)(void *module_state);

    const gqlsse_source_def *sources; /* static storage */
    size_t nsources;
    const gqlsse_resolver_def *resolvers; /* static storage */
    size_t nresolvers;

    /* ---- appended after the first release: present when `size` covers
     * them (GQLSSE_MODULE_HAS); modules built before simply lack them ---- */

    const gqlsse_permission_def *permissions; /* static storage; optional */
    size_t npermissions;

    /* Optional. Called for every subscription operation before it starts
     * (before the source's start or the broker subscription). Return 0 to
     * let it run, or -1 with a message in *error (static storage) to refuse:
     * the client gets that error (extensions status_code 403, error_code
     * PERMISSION_DENIED) as one `next`, then `complete`. */
    int (*stream_open)(const gqlsse_stream_request *rq, void *module_state, const char **error);

    /* ---- appended with gqlsse-ws (GQLSSE_MODULE_HAS(m, ws_connection_init)) ---- */

    /* Optional. gqlsse-ws calls it for every `connection_init` (Undine's
     * WEBSOCKET_CONNECTION_INIT_HOOK), on the loop thread: it must not
     * block. Return GQLSSE_WS_INIT_ACK to acknowledge (optionally with
     * out->ack_payload and out->identity), or GQLSSE_WS_INIT_REFUSE to close
     * the socket with 4403 and out->error as the reason, or
     * GQLSSE_WS_INIT_PENDING to answer later through in->done (work on the
     * module's own thread; until then the socket is not acknowledged, so a
     * `subscribe` closes it with 4401, as in graphql-ws while onConnect runs). Without a hook in
     * any module every connection_init is acknowledged without payload.
     * With several modules the first refusal wins; the last ack payload and
     * identity set win. */
    int (*ws_connection_init)(const gqlsse_ws_init *in, void *module_state,
                              gqlsse_ws_init_result *out);
} gqlsse_module;

/* The size of a module built against the first API version 1 header. */
#define GQLSSE_MODULE_SIZE_V1_0 offsetof(gqlsse_module, permissions)
/* Does module `m` (as compiled) have the member? */
#define GQLSSE_MODULE_HAS(m, member)                                                      \
    ((m)->size >= offsetof(gqlsse_module, member) + sizeof(((gqlsse_module *)0)->member))

/* The type of the exported entry point. */
typedef const gqlsse_module *(*gqlsse_module_entry_fn)(void);

#ifdef __cplusplus
}
#endif
#endif
