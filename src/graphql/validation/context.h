/* context.h: the validation context shared by the rules (graphql-js
 * ValidationContext + TypeInfo): type information during the traversal,
 * cached document facts, error reporting with graphql-js's error cap. */
#ifndef GQLSSE_VALIDATION_CONTEXT_H
#define GQLSSE_VALIDATION_CONTEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <gqlsse/arena.h>
#include <gqlsse/ast.h>
#include <gqlsse/buf.h>
#include <gqlsse/error.h>
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>

/* ---- Small containers (memory from the validation arena) ---- */

/* A growable array of pointers. Zero-initialise. */
typedef struct gql_vec {
    const void **items;
    uint32_t count;
    uint32_t cap;
} gql_vec;

/* Appends; returns 0, -1 when out of memory. */
int gql_vec_push(gql_arena *a, gql_vec *v, const void *item);

/* A map from names (bytes) or pointers to pointers, open addressing.
 * Zero-initialise. Keys are not copied: they must outlive the map. */
typedef struct gql_vmap_slot {
    const void *key;     /* name bytes or pointer; NULL = empty */
    uint32_t len;        /* name length; UINT32_MAX for pointer keys */
    uint32_t hash;
    const void *value;
} gql_vmap_slot;

typedef struct gql_vmap {
    gql_vmap_slot *slots;
    uint32_t mask;
    uint32_t count;
} gql_vmap;

/* Returns the slot for the key (value NULL when absent: check `found`), or
 * NULL when out of memory. With `insert`, an absent key is added. */
gql_vmap_slot *gql_vmap_name(gql_arena *a, gql_vmap *m, const char *name, size_t len,
                             int insert);
gql_vmap_slot *gql_vmap_ptr(gql_arena *a, gql_vmap *m, const void *key, int insert);
/* Lookups without inserting (never allocate). */
const void *gql_vmap_get_name(const gql_vmap *m, const char *name, size_t len);
const void *gql_vmap_get_ptr(const gql_vmap *m, const void *key);

/* ---- TypeInfo (graphql-js utilities/TypeInfo) ---- */
typedef struct gql_typeinfo {
    const gql_schema *schema;
    gql_arena *arena;
    gql_vec type;          /* const gql_type_ref * (output), NULL entries allowed */
    gql_vec parent_type;   /* const gql_type * (composite) */
    gql_vec input_type;    /* const gql_type_ref * (input) */
    gql_vec field_def;     /* const gql_field * */
    gql_vec default_value; /* const gql_node * (coerced default), NULL = undefined */
    const gql_directive *directive;
    const gql_input_value *argument;
    const gql_enum_value *enum_value;
    int oom;
} gql_typeinfo;

void gql_typeinfo_init(gql_typeinfo *ti, const gql_schema *schema, gql_arena *arena);
void gql_typeinfo_enter(gql_typeinfo *ti, const gql_node *node);
void gql_typeinfo_leave(gql_typeinfo *ti, const gql_node *node);

const gql_type_ref *gql_typeinfo_type(const gql_typeinfo *ti);
const gql_type *gql_typeinfo_parent_type(const gql_typeinfo *ti);
const gql_type_ref *gql_typeinfo_input_type(const gql_typeinfo *ti);
const gql_type_ref *gql_typeinfo_parent_input_type(const gql_typeinfo *ti);
const gql_field *gql_typeinfo_field_def(const gql_typeinfo *ti);
/* Returns non-zero when a default exists (graphql-js defaultValue !== undefined). */
int gql_typeinfo_has_default(const gql_typeinfo *ti);

/* graphql-js typeFromAST: NULL when the named type is unknown. References
 * are allocated in `arena`. */
const gql_type_ref *gql_type_from_ast(const gql_schema *s, gql_arena *arena,
                                      const gql_node *type_node);
/* getNamedType / getNullableType (NULL-safe). */
const gql_type *gql_ref_named(const gql_type_ref *r);
const gql_type_ref *gql_ref_nullable(const gql_type_ref *r);
/* A named type of `kind` (not wrapped)? */
int gql_ref_is_named_kind(const gql_type_ref *r, gql_type_kind kind);
/* Field lookup as TypeInfo does (meta fields included). */
const gql_field *gql_vfield_def(const gql_schema *s, const gql_type *parent,
                                const gql_node *field);

/* ---- Variable usages ---- */
typedef struct gql_var_usage {
    const gql_node *node;             /* VARIABLE */
    const gql_type_ref *type;         /* expected input type, NULL when unknown */
    const gql_type_ref *parent_type;  /* parent input type, NULL when none */
    int has_default;                  /* the position has a default value */
} gql_var_usage;

/* ---- The context ---- */
typedef struct gql_vctx gql_vctx;

struct gql_vctx {
    const gql_schema *schema;
    const gql_document *doc;
    gql_arena *arena;          /* scratch for the whole validation */
    gql_error_list errors;     /* the errors so far (moved to the caller) */
    uint32_t max_errors;
    const struct gql_runtime *runtime; /* custom scalars' parse, may be NULL */
    int aborted;               /* stop everything (cap reached, thrown, OOM) */
    int thrown;                /* a GraphQLError was thrown: it is the only result */
    int oom;
    gql_typeinfo ti;
    gql_vec path;              /* nodes from the document to the current node */
    int64_t fragment_work;     /* graphql-js _remainingFragmentWork */
    /* caches */
    int fragments_ready;
    gql_vmap fragments;        /* name -> FRAGMENT_DEFINITION (last wins) */
    gql_vmap spreads;          /* selection set -> gql_vec of FRAGMENT_SPREAD */
    /* graphql-js SetMap: the recursively referenced fragments are cached by
     * the *set* of fragment names spread directly (key: their member ids,
     * sorted), so operations spreading the same names share one answer
     * (its order and its work budget). */
    gql_vmap member_ids;       /* fragment name -> (uintptr_t)(id + 1) */
    uint32_t next_member_id;
    gql_vmap recursive_frags;  /* key string -> gql_vec of FRAGMENT_DEFINITION */
    gql_vmap usages;           /* definition -> usage list */
    gql_vmap fragment_usages;  /* recursive fragments vec -> usage list */
    gql_vmap recursive_usages; /* operation -> usage list */
};

typedef struct gql_usage_list {
    gql_var_usage *items;
    uint32_t count;
} gql_usage_list;

/* Reports an error at the starts of `nodes`, unless validation stopped;
 * applies the error cap. */
void gql_vctx_report(gql_vctx *c, const char *message, const gql_node *const *nodes,
                     uint32_t nnodes);
void gql_vctx_reportf(gql_vctx *c, const gql_node *const *nodes, uint32_t nnodes,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* One node. */
void gql_vctx_report1f(gql_vctx *c, const gql_node *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with a message built in a buffer. */
/* graphql-js `groupBy(items, name)` then one error per name given more than
 * once, at all its NAME nodes, in first-appearance order: `There can be
 * only one WHAT named "SIGIL NAME".` `name_of` returns an item's NAME node. */
void gql_vctx_report_repeated_names(gql_vctx *c, const gql_list *items,
                                    const gql_node *(*name_of)(const gql_node *item),
                                    const char *what, const char *sigil);
/* A document-level unique name (operations, fragments): remembers `name`
 * in `known`, or reports `There can be only one WHAT named "NAME".` at the
 * first and this NAME node when it was seen before. */
void gql_vctx_unique_name(gql_vctx *c, gql_vmap *known, const gql_node *name, const char *what);
void gql_vctx_report_buf(gql_vctx *c, gql_buf *msg, const gql_node *const *nodes,
                         uint32_t nnodes);
/* graphql-js throwing a GraphQLError out of validate(): that error becomes
 * the whole answer. */
void gql_vctx_throw(gql_vctx *c, const char *message, const gql_node *node);
/* Marks out-of-memory; validation stops with an error saying so. */
void gql_vctx_oom(gql_vctx *c);
/* graphql-js spendFragmentWork: returns non-zero when the budget ran out
 * (validation then stops with "Validation aborted."). */
int gql_vctx_spend(gql_vctx *c, int64_t cost);
/* graphql-js throwing validationAbortedError: "Validation aborted." is
 * appended and validation stops. */
void gql_vctx_validation_aborted(gql_vctx *c);

/* Ancestors: 0 = the current node, 1 = its parent, ... NULL past the root. */
const gql_node *gql_vctx_ancestor(const gql_vctx *c, uint32_t up);

/* Cached document facts (graphql-js ValidationContext). The lists returned
 * live in the validation arena (never free them) and stay valid until
 * gql_validate returns; on out of memory an empty list is returned and the
 * context is marked. */
const gql_node *gql_vctx_fragment(gql_vctx *c, const char *name, size_t len);
const gql_vec *gql_vctx_fragment_spreads(gql_vctx *c, const gql_node *selection_set);
const gql_vec *gql_vctx_recursive_fragments(gql_vctx *c, const gql_node *operation);
/* For several operations at once (NoUnusedFragments). */
const gql_vec *gql_vctx_recursive_fragments_for(gql_vctx *c, const gql_vec *operations);
const gql_usage_list *gql_vctx_variable_usages(gql_vctx *c, const gql_node *definition);
const gql_usage_list *gql_vctx_recursive_variable_usages(gql_vctx *c,
                                                         const gql_node *operation);

/* graphql-js print() of a node into `out` (values, types). */
void gql_vprint(gql_buf *out, const gql_node *node);
/* A temporary C string of print(node), owned by the arena. */
const char *gql_vprint_str(gql_vctx *c, const gql_node *node);
/* String(type) ("[Int!]!"), owned by the arena. */
const char *gql_vtype_str(gql_vctx *c, const gql_type_ref *t);

/* Name node text helpers. */
static inline int gql_name_eq(const gql_node *name, const char *s, size_t len)
{
    return name && name->value_len == len && memcmp(name->value, s, len) == 0;
}

#endif
