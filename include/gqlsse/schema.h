/* gqlsse/schema.h: the GraphQL type system built from SDL documents, as
 * graphql-js 16 builds (buildASTSchema + type extensions), validates
 * (assertValidSDL, validateSchema) and prints (printSchema) it. */
#ifndef GQLSSE_SCHEMA_H
#define GQLSSE_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include <gqlsse/arena.h>
#include <gqlsse/ast.h>
#include <gqlsse/buf.h>
#include <gqlsse/error.h>
#include <gqlsse/parser.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Ownership and threads
 * ---------------------
 * A gql_schema owns everything reachable from it: one arena holds the types,
 * fields, arguments, enum values, directives, type references and strings,
 * and the schema keeps the parsed SDL documents (gql_document) alive, so
 * every `ast` pointer below stays valid until gql_schema_free. Nothing is
 * computed lazily: once gql_schema_build returns, the schema is immutable
 * and any number of threads may read it and call the lookup functions
 * concurrently without locking. Only gql_schema_free must not race with
 * readers.
 *
 * All structs below are read-only views: never modify them. Names are
 * NUL-terminated GraphQL names (ASCII). Descriptions, deprecation reasons
 * and URLs are gql_str because a GraphQL string may contain NUL (\u0000).
 */

typedef struct gql_schema gql_schema;
typedef struct gql_type gql_type;
typedef struct gql_type_ref gql_type_ref;
typedef struct gql_field gql_field;
typedef struct gql_input_value gql_input_value;
typedef struct gql_enum_value gql_enum_value;
typedef struct gql_directive gql_directive;

/* A string that may be absent (graphql-js `undefined`/`null`): s == NULL. */
typedef struct gql_str {
    const char *s; /* NUL-terminated, but may contain NULs: use len */
    uint32_t len;
} gql_str;

/* Open-addressing name -> index table (internal layout; use the
 * gql_*_find_* functions). Empty when slots == NULL (small containers are
 * searched linearly). */
typedef struct gql_name_index {
    uint32_t *slots; /* item index + 1, 0 = empty */
    uint32_t mask;
} gql_name_index;

/* An AST node of the SDL together with the SDL source it was parsed from
 * (an index for gql_schema_source_name / gql_schema_node_location). */
typedef struct gql_schema_ast {
    const gql_node *node;
    uint32_t source;
} gql_schema_ast;

/* ---- Directive locations (graphql-js DirectiveLocation, in its order) ---- */
#define GQL_DIRECTIVE_LOCATIONS(X) \
    X(QUERY)                       \
    X(MUTATION)                    \
    X(SUBSCRIPTION)                \
    X(FIELD)                       \
    X(FRAGMENT_DEFINITION)         \
    X(FRAGMENT_SPREAD)             \
    X(INLINE_FRAGMENT)             \
    X(VARIABLE_DEFINITION)         \
    X(SCHEMA)                      \
    X(SCALAR)                      \
    X(OBJECT)                      \
    X(FIELD_DEFINITION)            \
    X(ARGUMENT_DEFINITION)         \
    X(INTERFACE)                   \
    X(UNION)                       \
    X(ENUM)                        \
    X(ENUM_VALUE)                  \
    X(INPUT_OBJECT)                \
    X(INPUT_FIELD_DEFINITION)      \
    X(DIRECTIVE_DEFINITION)

typedef enum gql_directive_location {
#define GQL_DLOC_ENUM_(id) GQL_DLOC_##id,
    GQL_DIRECTIVE_LOCATIONS(GQL_DLOC_ENUM_)
#undef GQL_DLOC_ENUM_
    GQL_DLOC_COUNT_
} gql_directive_location;

/* "FIELD_DEFINITION" for GQL_DLOC_FIELD_DEFINITION. */
const char *gql_directive_location_name(gql_directive_location loc);
/* The location named `name` (len bytes), or -1 when there is none. */
int gql_directive_location_from_name(const char *name, size_t len);

/* ---- Types ---- */
typedef enum gql_type_kind {
    GQL_TYPE_SCALAR = 0,
    GQL_TYPE_OBJECT,
    GQL_TYPE_INTERFACE,
    GQL_TYPE_UNION,
    GQL_TYPE_ENUM,
    GQL_TYPE_INPUT_OBJECT
} gql_type_kind;

typedef enum gql_type_ref_kind {
    GQL_REF_NAMED = 0,
    GQL_REF_LIST,
    GQL_REF_NON_NULL
} gql_type_ref_kind;

/*
 * A type reference: a named type wrapped in any number of lists and
 * non-nulls, as graphql-js's GraphQLList/GraphQLNonNull chain. `named` is the
 * innermost named type at every level (graphql-js getNamedType), `of_type`
 * the wrapped reference (NULL for GQL_REF_NAMED). Every named type carries
 * its own NAMED reference (gql_type.ref). References made by others (for
 * variable types of a request, say) may live in their own arenas: compare
 * them with gql_type_ref_equal, never by pointer.
 */
struct gql_type_ref {
    uint8_t kind; /* gql_type_ref_kind */
    const gql_type_ref *of_type;
    const gql_type *named;
};

/* An argument, an input object field or a directive argument. */
struct gql_input_value {
    const char *name;
    uint32_t name_len;
    uint32_t index;             /* position among its siblings */
    gql_str description;
    const gql_type_ref *type;
    /* The default as written in the SDL (a const value node), NULL when none. */
    const gql_node *default_ast;
    /*
     * The default after graphql-js's valueFromAST coercion, as a const value
     * AST in canonical form (what astFromValue would give back: input object
     * fields in definition order with their own defaults filled in, Float
     * 1.0 as 1, ID "12" as 12, a single value wrapped for a list, ...).
     * NULL when there is no usable default: none written, or one that does
     * not coerce (graphql-js then has `defaultValue === undefined`, and a
     * non-null argument without one is required).
     */
    const gql_node *default_value;
    gql_str deprecation_reason;  /* from @deprecated; s == NULL when not deprecated */
    gql_schema_ast ast;          /* INPUT_VALUE_DEFINITION; node NULL for built-ins */
};

/* A field of an object or interface type. */
struct gql_field {
    const char *name;
    uint32_t name_len;
    uint32_t index;              /* position in its type's fields */
    gql_str description;
    const gql_type_ref *type;
    gql_input_value *args;       /* in definition order */
    uint32_t nargs;
    gql_name_index args_index;
    gql_str deprecation_reason;
    const gql_type *parent;      /* the object/interface type defining it */
    gql_schema_ast ast;          /* FIELD_DEFINITION; node NULL for built-ins */
};

struct gql_enum_value {
    const char *name;
    uint32_t name_len;
    uint32_t index;
    gql_str description;
    gql_str deprecation_reason;
    gql_schema_ast ast;          /* ENUM_VALUE_DEFINITION; node NULL for built-ins */
};

/* Type flags. */
enum {
    GQL_TYPE_FLAG_SPECIFIED_SCALAR = 1u << 0, /* String, Int, Float, Boolean, ID */
    GQL_TYPE_FLAG_INTROSPECTION = 1u << 1     /* __Schema, __Type, ... */
};

/* A named type. Members not used by its kind are NULL / 0. */
struct gql_type {
    uint8_t kind;                /* gql_type_kind */
    uint8_t flags;               /* GQL_TYPE_FLAG_* */
    uint8_t one_of;              /* INPUT_OBJECT: declared @oneOf */
    const char *name;
    uint32_t name_len;
    uint32_t index;              /* position in gql_schema.types */
    gql_str description;
    gql_type_ref ref;            /* the NAMED reference to this type */

    gql_str specified_by_url;    /* SCALAR: @specifiedBy(url:) */

    gql_field *fields;           /* OBJECT, INTERFACE: in definition order */
    uint32_t nfields;
    gql_name_index fields_index;
    const gql_type **interfaces; /* OBJECT, INTERFACE: as declared (duplicates kept) */
    uint32_t ninterfaces;

    const gql_type **members;    /* UNION: as declared (duplicates kept) */
    uint32_t nmembers;

    gql_enum_value *values;      /* ENUM */
    uint32_t nvalues;
    gql_name_index values_index;

    gql_input_value *input_fields; /* INPUT_OBJECT */
    uint32_t ninput_fields;
    gql_name_index input_fields_index;

    /*
     * Abstract types (graphql-js getPossibleTypes / getImplementations):
     * UNION: the members; INTERFACE: the object types implementing it, in
     * schema type order. `implementations` are the interfaces implementing
     * an INTERFACE. `subtypes` is a bitset over gql_type.index of both
     * (graphql-js isSubType), for O(1) tests.
     */
    const gql_type **possible_types;
    uint32_t npossible_types;
    const gql_type **implementations;
    uint32_t nimplementations;
    const uint64_t *subtypes;

    gql_schema_ast ast;          /* the type definition; node NULL for built-ins */
    const gql_schema_ast *extensions; /* the `extend ...` nodes applied, in order */
    uint32_t nextensions;
};

struct gql_directive {
    const char *name;            /* without the @ */
    uint32_t name_len;
    uint32_t index;              /* position in gql_schema.directives */
    gql_str description;
    const uint8_t *locations;    /* gql_directive_location, as declared */
    uint32_t nlocations;
    uint32_t location_mask;      /* 1u << location, for each location */
    uint8_t repeatable;
    uint8_t specified;           /* @include @skip @deprecated @specifiedBy @oneOf */
    gql_input_value *args;
    uint32_t nargs;
    gql_name_index args_index;
    gql_str deprecation_reason;  /* always absent from SDL in graphql-js 16 */
    gql_schema_ast ast;          /* DIRECTIVE_DEFINITION; node NULL for built-ins */
};

/*
 * The schema (graphql-js GraphQLSchema). `types` lists every named type in
 * graphql-js's getTypeMap() order: the SDL's types in document order, each
 * followed by the built-in types it first references, then those referenced
 * by the directives and the introspection types; built-in scalars nobody
 * references are not part of the schema (as in graphql-js). `directives`:
 * the SDL's directives in order, then the specified ones not redefined.
 */
struct gql_schema {
    gql_arena *arena;            /* owns everything below but the documents */
    gql_str description;
    const gql_type *query;       /* root operation types; NULL when absent */
    const gql_type *mutation;
    const gql_type *subscription;
    const gql_type **types;
    uint32_t ntypes;
    gql_name_index types_index;
    const gql_directive **directives;
    uint32_t ndirectives;
    gql_name_index directives_index;
    gql_schema_ast ast;          /* the schema definition, node NULL when none */
    const gql_schema_ast *extensions; /* `extend schema` nodes */
    uint32_t nextensions;
    /* __schema, __type(name:) and __typename (graphql-js SchemaMetaFieldDef,
     * TypeMetaFieldDef, TypeNameMetaFieldDef); parent is NULL. */
    gql_field schema_meta_field;
    gql_field type_meta_field;
    gql_field typename_meta_field;
    /* The SDL sources, owned by the schema. */
    gql_document **documents;
    char **source_names;
    uint32_t nsources;
};

/* ---- Building ---- */

/* One SDL text and the name used in messages (a file name). The builder
 * copies both; the caller keeps ownership of its strings. */
typedef struct gql_sdl_source {
    const char *name; /* NULL reads as "<schema>" */
    const char *text;
    size_t len;
} gql_sdl_source;

/* gql_schema_build flags. */
enum {
    /* Skip validateSchema: return what graphql-js buildSchema returns even
     * when the type system is invalid (no query type, bad implementations).
     * SDL validation and build errors still fail the build. */
    GQL_SCHEMA_NO_VALIDATE = 1u << 0
};

/*
 * Builds a schema from SDL sources, as graphql-js buildSchema would from
 * the concatenation of their definitions (graphql-js concatAST): the
 * sources may reference and extend each other in any order. Steps, each
 * stopping the build when it reports anything:
 *   1. parse every source (one syntax error per bad source);
 *   2. assertValidSDL: the specifiedSDLRules over all definitions;
 *   3. build (errors graphql-js throws while building, such as an invalid
 *      @deprecated(reason:) value; at most one, as graphql-js throws);
 *   4. validateSchema, unless GQL_SCHEMA_NO_VALIDATE.
 * Errors are appended to `errors` (may be NULL) with graphql-js's messages
 * and locations (relative to the source each node comes from), and, when
 * `report` is not NULL, as lines "NAME:LINE:COLUMN: MESSAGE\n" (further
 * locations of one error follow as "NAME:LINE:COLUMN: note: related
 * location\n"; an error without location is "NAME: MESSAGE\n").
 * Returns the schema, owned by the caller (gql_schema_free), or NULL when
 * anything was reported or memory ran out (an error says so).
 * Thread-safe: shares no state with other calls.
 */
gql_schema *gql_schema_build(const gql_sdl_source *sources, size_t nsources,
                             unsigned flags, gql_error_list *errors, gql_buf *report);

/*
 * Reads the SDL files `paths[0..n)` and builds a schema from them
 * (gql_schema_build, source names = the paths). On failure returns NULL and,
 * when `error_text` is not NULL, stores there the report described above
 * (also for unreadable files: "PATH: cannot read: REASON"), malloc-owned by
 * the caller (free()). `errors` may be NULL.
 */
gql_schema *gql_schema_load_files(const char *const *paths, size_t n,
                                  gql_error_list *errors, char **error_text);
/* The same with gql_schema_build flags (GQL_SCHEMA_NO_VALIDATE). */
gql_schema *gql_schema_load_files_flags(const char *const *paths, size_t n, unsigned flags,
                                        gql_error_list *errors, char **error_text);

/* Frees the schema, its arena and its documents. NULL is a no-op. */
void gql_schema_free(gql_schema *schema);

/*
 * graphql-js validateSchema: appends every type system error of `schema`
 * (in graphql-js's order) to `errors` (may be NULL) and to `report` (may be
 * NULL, lines as for gql_schema_build). Returns the number found.
 * gql_schema_build already ran it unless told GQL_SCHEMA_NO_VALIDATE.
 */
uint32_t gql_schema_validate(const gql_schema *schema, gql_error_list *errors,
                             gql_buf *report);

/* ---- Printing ---- */

/* graphql-js printSchema (no trailing newline). Appends to `out`. */
void gql_schema_print_to(gql_buf *out, const gql_schema *schema);
/* Same, malloc-owned by the caller (free()); NULL when out of memory. */
char *gql_schema_print(const gql_schema *schema);

/* graphql-js String(type): "[Int!]!". */
void gql_type_ref_print(gql_buf *out, const gql_type_ref *ref);

/* ---- Lookups (all O(1) on average, thread-safe, never allocate) ---- */
const gql_type *gql_schema_find_type(const gql_schema *s, const char *name, size_t len);
const gql_directive *gql_schema_find_directive(const gql_schema *s, const char *name,
                                               size_t len);
/* The root type for an operation, NULL when the schema has none. */
const gql_type *gql_schema_root_type(const gql_schema *s, gql_operation_type op);
/* A field of an object or interface type (not the __ meta fields). */
const gql_field *gql_type_find_field(const gql_type *t, const char *name, size_t len);
const gql_input_value *gql_field_find_arg(const gql_field *f, const char *name, size_t len);
const gql_input_value *gql_directive_find_arg(const gql_directive *d, const char *name,
                                              size_t len);
const gql_input_value *gql_type_find_input_field(const gql_type *t, const char *name,
                                                 size_t len);
const gql_enum_value *gql_type_find_enum_value(const gql_type *t, const char *name,
                                               size_t len);

/* ---- Type predicates (graphql-js definition.ts) ---- */
int gql_type_is_input(const gql_type *t);     /* scalar, enum, input object */
int gql_type_is_output(const gql_type *t);    /* scalar, object, interface, union, enum */
int gql_type_is_leaf(const gql_type *t);      /* scalar, enum */
int gql_type_is_composite(const gql_type *t); /* object, interface, union */
int gql_type_is_abstract(const gql_type *t);  /* interface, union */
/* isRequiredArgument / isRequiredInputField: non-null without usable default. */
int gql_input_value_is_required(const gql_input_value *v);

/* graphql-js isEqualType. */
int gql_type_ref_equal(const gql_type_ref *a, const gql_type_ref *b);
/* graphql-js schema.isSubType(abstract, maybeSub): `maybe_sub` is a possible
 * type of the union/interface `abstract`, or an interface implementing it. */
int gql_schema_is_sub_type(const gql_schema *s, const gql_type *abstract,
                           const gql_type *maybe_sub);
/* graphql-js isTypeSubTypeOf(schema, maybeSubType, superType). */
int gql_schema_is_type_sub_type_of(const gql_schema *s, const gql_type_ref *maybe_sub,
                                   const gql_type_ref *super);
/* graphql-js doTypesOverlap(schema, a, b) for composite types. */
int gql_schema_types_overlap(const gql_schema *s, const gql_type *a, const gql_type *b);

/* ---- Sources ---- */
/* The name of SDL source `source` ("<schema>" when out of range). */
const char *gql_schema_source_name(const gql_schema *s, uint32_t source);
/* Line and column of `node` in SDL source `source` ({0,0} when unknown). */
gql_location gql_schema_node_location(const gql_schema *s, uint32_t source,
                                      const gql_node *node);

#ifdef __cplusplus
}
#endif
#endif
