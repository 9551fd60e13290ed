/* gqlsse/execute.h: executing operations against a schema as graphql-js 16's
 * execute() does, with values as json-c objects and resolvers that modules
 * register per schema coordinate in a runtime kept apart from the schema. */
#ifndef GQLSSE_EXECUTE_H
#define GQLSSE_EXECUTE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <gqlsse/arena.h>
#include <gqlsse/buf.h>
#include <gqlsse/error.h>
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Values
 * ------
 * Every runtime value (root value, variables, arguments, resolver results) is
 * a json_object; a NULL pointer is JSON null. The executor never modifies a
 * value it is given. Numbers behave as JavaScript numbers (doubles).
 */

/*
 * Parses JSON text exactly as JavaScript's JSON.parse reads it (numbers as
 * doubles, also beyond 64 bits; a repeated key keeps its first position and
 * its last value; lone surrogates kept as WTF-8). Returns 0 with a new
 * reference in *out (NULL for null) owned by the caller, or -1 with a message
 * ("unexpected character at position 9") in errbuf (may be NULL).
 */
int gql_json_parse(const char *text, size_t len, json_object **out, char *errbuf,
                   size_t errlen);

/* What a request passes down to every resolver. All members are optional and
 * owned by the caller for the duration of the execution. */
typedef struct gql_context {
    const char *identity; /* the authenticated identity, NULL when anonymous */
    void *request;        /* the transport's request (FastCGI, WebSocket), opaque */
    void *user;           /* the application's own data */
} gql_context;

/* What a resolver learns about the field it resolves (graphql-js
 * GraphQLResolveInfo, reduced). Valid during the call only. */
typedef struct gql_resolve_info {
    const gql_schema *schema;
    const gql_type *parent_type;
    const gql_field *field;
    const gql_node *const *field_nodes; /* the merged FIELD nodes, >= 1 */
    uint32_t nfield_nodes;
    const gql_context *context;        /* never NULL (may be all zero) */
    gql_arena *arena;                  /* the operation's arena, freed after it */
} gql_resolve_info;

typedef enum gql_resolve_status {
    GQL_RESOLVE_OK = 0,
    GQL_RESOLVE_ERROR = 1
} gql_resolve_status;

/*
 * A field resolver. `parent` is the parent object's value (borrowed), `args`
 * the coerced arguments (an object, borrowed; defaults applied). On success
 * store a value in *result and return GQL_RESOLVE_OK: the executor takes
 * over that reference (json_object_put when the execution ends), so return
 * json_object_get(x) for a value you keep yourself. On failure store a
 * message in *error (static, or allocated in info->arena) and return
 * GQL_RESOLVE_ERROR: the field becomes null with that error, as a thrown
 * Error in graphql-js. Called from the executing thread only.
 */
typedef gql_resolve_status (*gql_resolver_fn)(json_object *parent, json_object *args,
                                              const gql_resolve_info *info, void *ud,
                                              json_object **result, const char **error);

/*
 * A type resolver for an interface or union: returns the name of the object
 * type of `value` (a string owned by the resolver or the value, valid until
 * the execution ends), or NULL for "unknown" (graphql-js undefined). The
 * default reads a "__typename" string property as graphql-js's
 * defaultTypeResolver does.
 */
typedef const char *(*gql_type_resolver_fn)(json_object *value, const gql_type *abstract,
                                            const gql_resolve_info *info, void *ud);

/*
 * The runtime: resolvers by schema coordinate. Built once at start-up for one
 * schema (which must outlive it), then only read: any number of threads may
 * execute with it concurrently. Fields without a resolver use the default
 * resolver (the property of the field's name of the parent object).
 */
typedef struct gql_runtime gql_runtime;

/* Returns a new runtime, owned by the caller (gql_runtime_free); NULL on OOM. */
gql_runtime *gql_runtime_new(const gql_schema *schema);
void gql_runtime_free(gql_runtime *rt);

/* Registers `fn` for a field coordinate "Type.field". Returns 0, or -1 when
 * the coordinate names no field of an object or interface type (or on OOM).
 * A later registration for the same coordinate replaces the earlier one. */
int gql_runtime_set_resolver(gql_runtime *rt, const char *coordinate, gql_resolver_fn fn,
                             void *ud);
/* Registers a type resolver for the interface or union `type_name`.
 * Returns 0, -1 when there is no such abstract type (or on OOM). */
int gql_runtime_set_type_resolver(gql_runtime *rt, const char *type_name,
                                  gql_type_resolver_fn fn, void *ud);

/*
 * A custom scalar's conversion (graphql-js GraphQLScalarType serialize and
 * parseValue). `value` is borrowed and never JSON null. On success store a
 * new reference in *result (NULL for JSON null) and return GQL_RESOLVE_OK;
 * on failure store a message in *error (static or owned by `ud`; may stay
 * NULL) and return GQL_RESOLVE_ERROR. Called from the executing thread,
 * possibly from several threads at once.
 */
typedef gql_resolve_status (*gql_scalar_fn)(json_object *value, const gql_type *type, void *ud,
                                            json_object **result, const char **error);

/*
 * Registers the conversions of the custom scalar `type_name`:
 *  - serialize: each non-null value a field of that type resolves to; the
 *    result is what the response holds. A failure is a field error with the
 *    message ("X cannot represent value: ..." without one); a NULL result
 *    is the field error graphql-js gives for serialize returning null.
 *  - parse: each non-null input value, from variables (a failure there is
 *    `Variable "$v" got invalid value ...; Expected type "X". message`) and
 *    from literals in the document, converted to JSON first as graphql-js's
 *    default parseLiteral does (a failure makes the argument invalid).
 * Either may be NULL: that direction passes values through unchanged, the
 * default for every custom scalar. Returns 0, or -1 when `type_name` is not
 * a custom scalar of the schema (built-in scalars cannot be overridden).
 * Validation calls `parse` on literals of the type when given the runtime
 * (gql_validate_options.runtime), as graphql-js's ValuesOfCorrectType does;
 * without it a literal `parse` rejects is reported when the operation runs.
 */
int gql_runtime_set_scalar(gql_runtime *rt, const char *type_name, gql_scalar_fn serialize,
                           gql_scalar_fn parse, void *ud);

/* ---- Executing ---- */

typedef struct gql_execute_args {
    const gql_schema *schema;       /* required */
    const gql_runtime *runtime;     /* NULL: default resolvers everywhere */
    const gql_document *document;   /* required; validated by the caller */
    json_object *root_value;        /* borrowed; NULL means undefined */
    json_object *variables;         /* borrowed object; NULL means none */
    const char *operation_name;     /* NULL: the only operation */
    const gql_context *context;     /* NULL: an empty context */
} gql_execute_args;

/* An ExecutionResult. Zero-initialise (GQL_RESULT_INIT) before use. */
typedef struct gql_result {
    gql_error_list errors;
    char *data;       /* JSON text of "data", malloc-owned; NULL: no data key */
    size_t data_len;
} gql_result;

#define GQL_RESULT_INIT {GQL_ERROR_LIST_INIT, NULL, 0}

/*
 * graphql-js execute() for a validated document: selects the operation,
 * coerces the variables (errors there give a result without data), then
 * executes the operation (queries and subscriptions' root selection in
 * field order, mutations serially) and stores the result in *result (which
 * the caller clears with gql_result_clear). Returns 0, or -1 when memory ran
 * out (the result then holds what was done, possibly nothing).
 * Thread-safe: shares nothing but the read-only schema and runtime.
 */
int gql_execute(const gql_execute_args *args, gql_result *result);

/* ---- Plans: an operation prepared once, run many times ---- */

/*
 * A plan is a validated document's operation with its variables coerced and
 * its field collection memoized (graphql-js collectFields/collectSubfields),
 * so that running it again, e.g. once per subscription event for thousands
 * of subscribers, does no planning. A plan references the schema, runtime,
 * document and nothing else the caller owns; they must outlive it.
 * Threads: gql_plan_new collects every selection set a run can meet (for
 * each possible type of abstract fields) and the plan is read-only from
 * then on: any number of threads may run the same plan at once (the
 * schema, runtime and document are only read; each run has its own
 * output, errors and arena). The values passed to a run (root value,
 * event) are only read too, and may be shared between concurrent runs
 * as long as nobody changes them (nor their json-c reference counts).
 */
typedef struct gql_plan gql_plan;

typedef struct gql_plan_args {
    const gql_schema *schema;     /* required */
    const gql_runtime *runtime;   /* may be NULL */
    const gql_document *document; /* required; validated */
    const char *operation_name;   /* NULL: the only operation */
    json_object *variables;       /* borrowed; coerced (copied) by gql_plan_new */
} gql_plan_args;

/* Returns a new plan owned by the caller (gql_plan_free), NULL on OOM. A
 * request that cannot run (unknown operation, invalid variables) still gives
 * a plan: every run then answers with those errors (and no data). Planning
 * is linear in the document size times the possible types of its abstract
 * fields (each field set is collected once per type, not per occurrence). */
gql_plan *gql_plan_new(const gql_plan_args *args);
void gql_plan_free(gql_plan *plan);
/* The operation's type (query when the plan selected none). */
gql_operation_type gql_plan_operation(const gql_plan *plan);

/* Runs the plan with `root_value` as graphql-js execute() would. */
int gql_plan_execute(gql_plan *plan, json_object *root_value, const gql_context *context,
                     gql_result *result);

/*
 * Subscriptions. gql_plan_subscribe_errors reports what graphql-js's
 * createSourceEventStream would refuse before a stream starts (request
 * errors, no subscription type, an undefined root field, its arguments not
 * coercing) into *result; returns the number of errors (0: the stream may
 * start), -1 on OOM. gql_plan_map_event then maps one event, the resolved
 * value of the single root field, through the selection set into one
 * ExecutionResult ({"data":{"field":...}}).
 */
int gql_plan_subscribe_errors(gql_plan *plan, gql_result *result);
int gql_plan_map_event(gql_plan *plan, json_object *event, const gql_context *context,
                       gql_result *result);

/* Appends the response as graphql-js's result is printed by JSON.stringify:
 * {"errors":[...],"data":...}, "errors" only when there are some. */
void gql_result_to_json(gql_buf *out, const gql_result *result);

/* Frees what the result owns and zeroes it. */
void gql_result_clear(gql_result *result);

#ifdef __cplusplus
}
#endif
#endif
