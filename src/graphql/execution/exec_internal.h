/* exec_internal.h: what the execution files (jsvalue.c, values.c, execute.c,
 * introspection.c, runtime.c) share: JavaScript value semantics over json-c,
 * input coercion and the executor's internal value and context types. */
#ifndef GQLSSE_EXEC_INTERNAL_H
#define GQLSSE_EXEC_INTERNAL_H

#include <gqlsse/execute.h>

#include <json-c/json.h>

#include <string.h>

/* ---- JavaScript semantics over json-c values (jsvalue.c) ----
 * A json_object NULL pointer is JSON null. Numbers are read as doubles, as
 * JSON.parse reads them. */

/* graphql-js inspect(value). */
void gqlx_inspect(gql_buf *out, json_object *v);
/* JSON.stringify(value): object keys in JavaScript's own-property order
 * (array-index keys ascending first, then insertion order); non-finite
 * numbers as null. */
void gqlx_json_write(gql_buf *out, json_object *v);
/* Appends String(number). */
void gqlx_number_write(gql_buf *out, double d);
/* JavaScript Number(string); NaN when it is not a numeric literal. */
double gqlx_string_to_number(const char *s, size_t n);
/* Number.isInteger(d). */
int gqlx_is_integer(double d);
/* True for a JSON number. */
int gqlx_is_number(json_object *v);
/* A new json-c number holding d (an int64 when d is an integer that fits). */
json_object *gqlx_number_new(double d);
/* Object.keys(obj): the keys in JavaScript order. Returns the count; *keys
 * is allocated in `arena`. */
uint32_t gqlx_object_keys(json_object *obj, gql_arena *arena, const char ***keys);

/* ---- Errors while coercing ---- */
typedef struct gqlx_error {
    char *message;           /* in the arena */
    const gql_node *node;    /* located at this node; NULL: the caller decides */
} gqlx_error;

/* ---- Input coercion (values.c) ---- */

/* graphql-js typeFromAST: the reference for a type AST node, allocated in
 * `arena`; NULL when a named type is unknown. */
const gql_type_ref *gqlx_type_from_ast(const gql_schema *s, gql_arena *arena,
                                       const gql_node *type);
int gqlx_ref_is_input(const gql_type_ref *t);

/* graphql-js valueFromAST(node, type, variables): 0 with a new reference
 * in *out (NULL = JSON null), -1 when the value is invalid (undefined).
 * Custom scalars go through the parse function `rt` (may be NULL) has. */
int gqlx_value_from_ast(const gql_runtime *rt, const gql_node *node, const gql_type_ref *type,
                        json_object *variables, json_object **out);

/* The coerced default of an argument / input field (NULL pointer = JSON
 * null) as a new reference; returns 0, or -1 when it has none. */
int gqlx_default_value(const gql_runtime *rt, const gql_input_value *iv, json_object **out);

/* getVariableValues: coerces `inputs` (may be NULL) for the operation's
 * variable definitions. Returns a new object (the caller puts it), or NULL
 * with the errors (located at the variable definitions) appended to
 * `errors`. */
json_object *gqlx_coerce_variables(const gql_schema *s, const gql_runtime *rt,
                                   const gql_document *doc, gql_arena *arena,
                                   const gql_node *operation, json_object *inputs,
                                   gql_error_list *errors);

/* getArgumentValues(def args, node, variables): 0 with a new object in *out,
 * or -1 with *err set (message and node). */
int gqlx_argument_values(const gql_runtime *rt, const gql_input_value *args, uint32_t nargs,
                         const gql_node *node, json_object *variables, gql_arena *arena,
                         json_object **out, gqlx_error *err);

/* Serializing a leaf value for output (graphql-js serialize of the built-in
 * scalars, enums; custom scalars pass the value through). Appends the
 * serialized JSON to `out` and returns 0, or returns -1 with the message
 * in *message (arena). `v` must not be null. */
int gqlx_serialize_leaf(const gql_type *t, json_object *v, gql_buf *out, gql_arena *arena,
                        char **message);

/* Finishes the arena string in `b` (NUL-terminated copy in the arena). */
char *gqlx_buf_arena(gql_buf *b, gql_arena *arena);

/* gql_buf_append / gql_buf_putc with the common case (room left) inlined:
 * the executor writes a response a few bytes at a time. */
static inline void gqlx_put(gql_buf *b, const char *s, size_t n)
{
    if (b->len + n < b->cap) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else {
        gql_buf_append(b, s, n);
    }
}

static inline void gqlx_putc(gql_buf *b, char ch)
{
    if (b->len + 1 < b->cap) {
        b->data[b->len++] = ch;
        b->data[b->len] = '\0';
    } else {
        gql_buf_putc(b, ch);
    }
}

#define gqlx_puts_lit(b, lit) gqlx_put((b), (lit), sizeof(lit) - 1)

/* Writes a string as JSON.stringify does (gql_buf_json_string), with the
 * usual case, printable ASCII without quotes or backslashes, as one copy. */
void gqlx_json_string(gql_buf *b, const char *s, size_t n);

#endif

/* ---- The executor's values ---- */

/* A value flowing through the executor: JSON from the root value and
 * resolvers, or an introspection object of the schema. */
typedef enum gqlx_kind {
    GQLX_UNDEF = 0,  /* undefined (a missing property) */
    GQLX_JSON,       /* json (NULL pointer: null) */
    GQLX_STR,        /* ptr/len: a string of the schema */
    GQLX_BOOL,       /* len: 0 or 1 */
    GQLX_LIST,       /* ptr: gqlx_value[len] */
    GQLX_SCHEMA,     /* introspection objects: ptr is the schema element */
    GQLX_TYPE,       /* ptr: const gql_type_ref * */
    GQLX_FIELD,      /* ptr: const gql_field * */
    GQLX_INPUT,      /* ptr: const gql_input_value * */
    GQLX_ENUM_VALUE, /* ptr: const gql_enum_value * */
    GQLX_DIRECTIVE   /* ptr: const gql_directive * */
} gqlx_kind;

typedef struct gqlx_value {
    uint8_t kind;
    json_object *json;
    const void *ptr;
    uint32_t len;
} gqlx_value;

/* Resolves a field of an introspection type (__Schema, __Type, ...) on
 * `parent` (allocating lists in `arena`). Returns 0. */
int gqlx_introspect_field(const gql_schema *s, gql_arena *arena, const gqlx_value *parent,
                          const gql_type *parent_type, const gql_field *field, json_object *args,
                          gqlx_value *out);

/* The runtime's registrations (runtime.c). */
gql_resolver_fn gqlx_runtime_resolver(const gql_runtime *rt, const gql_field *f, void **ud);
gql_type_resolver_fn gqlx_runtime_type_resolver(const gql_runtime *rt, const gql_type *t,
                                                void **ud);
/* graphql-js valueFromASTUntyped: 0 with a new reference in *out (NULL for
 * null), -1 for undefined (a variable missing from `variables`, which may be
 * NULL). */
int gqlx_value_untyped(const gql_node *node, json_object *variables, json_object **out);
/* The custom scalar `t`'s parse (parse != 0) or serialize function; NULL
 * when `rt` is NULL or none was registered (pass-through). */
gql_scalar_fn gqlx_runtime_scalar(const gql_runtime *rt, const gql_type *t, int parse, void **ud);
/* Calls it on `v` (borrowed, not null): 0 with a new reference in *out, -1
 * when it failed, with its message (may be NULL) in *error when error is not
 * NULL. Without a function, passes `v` through (a new reference). */
int gqlx_scalar_call(const gql_runtime *rt, const gql_type *t, int parse, json_object *v,
                     json_object **out, const char **error);
