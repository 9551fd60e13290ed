/* schema_internal.h: what the schema files (schema.c, sdl_validate.c,
 * schema_build.c, schema_validate.c, schema_print.c) share and nobody else
 * should use: error reporting with sources, name maps, built-in types. */
#ifndef GQLSSE_SCHEMA_INTERNAL_H
#define GQLSSE_SCHEMA_INTERNAL_H

#include <gqlsse/schema.h>

#include <stdarg.h>

/* ---- Reporting errors that point into several SDL sources ---- */
typedef struct gqls_reporter {
    gql_error_list *errors;         /* may be NULL */
    gql_buf *report;                /* may be NULL: "NAME:L:C: message" lines */
    gql_document *const *docs;      /* per source; an entry may be NULL */
    const char *const *names;       /* per source */
    uint32_t nsources;
    uint32_t count;                 /* errors reported so far */
} gqls_reporter;

/* Reports `message` located at `nodes` (entries with a NULL node are skipped,
 * as graphql-js filters undefined nodes). */
void gqls_report(gqls_reporter *r, const char *message, const gql_schema_ast *nodes,
                 size_t nnodes);
void gqls_reportf(gqls_reporter *r, const gql_schema_ast *nodes, size_t nnodes,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Appends `message` and its already computed locations (with their sources)
 * as one error; used for syntax errors. */
void gqls_report_located(gqls_reporter *r, const char *message, const gql_location *locs,
                         const uint32_t *sources, size_t nlocs);

/* ---- Name -> pointer maps for building (arena-backed, insertion order kept) ---- */
typedef struct gqls_map_entry {
    const char *key;
    uint32_t len;
    uint32_t hash;
    void *value;
} gqls_map_entry;

typedef struct gqls_map {
    gql_arena *arena;
    uint32_t *slots;         /* entry index + 1 */
    uint32_t mask;
    gqls_map_entry *entries; /* in first-insertion order */
    uint32_t count;
    uint32_t cap;
} gqls_map;

void gqls_map_init(gqls_map *m, gql_arena *arena);
void *gqls_map_get(const gqls_map *m, const char *key, size_t len);
/* The value slot for `key`, created (value NULL) when absent; NULL on OOM.
 * The key is not copied: it must outlive the map. */
void **gqls_map_slot(gqls_map *m, const char *key, size_t len);

uint32_t gqls_hash(const char *s, size_t len);

/* ---- Name indexes of the public structs ---- */
typedef const char *(*gqls_name_at_fn)(const void *items, uint32_t i, uint32_t *len);
/* Builds `idx` over n items (nothing for small n). Returns 0, -1 on OOM. */
int gqls_index_build(gql_arena *a, gql_name_index *idx, const void *items, uint32_t n,
                     gqls_name_at_fn name_at);
/* Index of the item named `name`, or UINT32_MAX. */
uint32_t gqls_index_find(const gql_name_index *idx, const void *items, uint32_t n,
                         gqls_name_at_fn name_at, const char *name, size_t len);

const char *gqls_name_of_field(const void *items, uint32_t i, uint32_t *len);
const char *gqls_name_of_input_value(const void *items, uint32_t i, uint32_t *len);
const char *gqls_name_of_enum_value(const void *items, uint32_t i, uint32_t *len);
const char *gqls_name_of_type_ptr(const void *items, uint32_t i, uint32_t *len);
const char *gqls_name_of_directive_ptr(const void *items, uint32_t i, uint32_t *len);

/* ---- Built-in types and directives ---- */
enum {
    GQLS_STRING, GQLS_INT, GQLS_FLOAT, GQLS_BOOLEAN, GQLS_ID,
    GQLS___SCHEMA, GQLS___DIRECTIVE, GQLS___DIRECTIVE_LOCATION, GQLS___TYPE,
    GQLS___FIELD, GQLS___INPUT_VALUE, GQLS___ENUM_VALUE, GQLS___TYPE_KIND,
    GQLS_BUILTIN_TYPE_COUNT
};
enum {
    GQLS_DIR_INCLUDE, GQLS_DIR_SKIP, GQLS_DIR_DEPRECATED, GQLS_DIR_SPECIFIED_BY,
    GQLS_DIR_ONE_OF, GQLS_BUILTIN_DIRECTIVE_COUNT
};

typedef struct gqls_builtins {
    gql_type *types[GQLS_BUILTIN_TYPE_COUNT];       /* graphql-js stdTypeMap order */
    gql_directive *directives[GQLS_BUILTIN_DIRECTIVE_COUNT]; /* specifiedDirectives */
    gql_field schema_meta_field, type_meta_field, typename_meta_field;
} gqls_builtins;

/* Creates fresh built-in types and directives in `a` (their index fields are
 * left for the schema to assign). Returns 0, -1 on OOM. */
int gqls_builtins_create(gql_arena *a, gqls_builtins *b);
/* The built-in type named `name`, or NULL. */
gql_type *gqls_builtin_type(const gqls_builtins *b, const char *name, size_t len);

/* ---- Helpers ---- */
/* Appends graphql-js print() of a type reference AST node ("[Int!]!"). */
void gqls_print_type_node(gql_buf *out, const gql_node *type);
/* A NUL-terminated message from a buffer, or a fixed text on OOM. */
const char *gqls_buf_cstr(gql_buf *b);

/* True for the kinds graphql-js isTypeDefinitionNode / isTypeExtensionNode. */
int gqls_is_type_definition(int kind);
int gqls_is_type_extension(int kind);

/* SDL validation (assertValidSDL over the concatenated definitions).
 * Returns the number of errors reported. */
uint32_t gqls_validate_sdl(gqls_reporter *r, const gql_schema_ast *defs, uint32_t ndefs,
                           const gqls_builtins *builtins, gql_arena *scratch);

/* validateSchema with an explicit reporter. */
uint32_t gqls_validate_schema(const gql_schema *s, gqls_reporter *r);
void gqls_reporter_for_schema(gqls_reporter *r, const gql_schema *s, gql_error_list *errors,
                              gql_buf *report);

#endif
