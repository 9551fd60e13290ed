/* gqlsse/error.h: GraphQL errors (message, locations, path) as graphql-js
 * formats them, collected in a list. */
#ifndef GQLSSE_ERROR_H
#define GQLSSE_ERROR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gql_location {
    uint32_t line;   /* 1-based */
    uint32_t column; /* 1-based, in UTF-16 code units as graphql-js counts */
} gql_location;

/* A path segment: a field name / alias, or a list index. */
typedef struct gql_path_segment {
    const char *key; /* NULL for an index */
    uint32_t index;
} gql_path_segment;

typedef struct gql_error {
    char *message;            /* UTF-8; owned by the list */
    gql_location *locations;  /* owned by the list; may be NULL when nlocations == 0 */
    uint32_t nlocations;
    gql_path_segment *path;   /* owned by the list (keys too); NULL when npath == 0 */
    uint32_t npath;
} gql_error;

/* A growable list of errors. Zero-initialise (or GQL_ERROR_LIST_INIT) before use;
 * gql_error_list_clear frees everything it owns. Not thread-safe. */
typedef struct gql_error_list {
    gql_error *items;
    uint32_t count;
    uint32_t capacity;
} gql_error_list;

#define GQL_ERROR_LIST_INIT {NULL, 0, 0}

/* Appends an error with a copy of `message` and of the `nlocs` locations.
 * Returns the new error (owned by the list, valid until the next add or clear),
 * or NULL when out of memory. */
gql_error *gql_error_list_add(gql_error_list *list, const char *message,
                              const gql_location *locs, uint32_t nlocs);
/* Same, formatting the message printf-style. */
gql_error *gql_error_list_addf(gql_error_list *list, const gql_location *locs,
                               uint32_t nlocs, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Copies `n` path segments (and their keys) into `err`. Returns 0, -1 on OOM. */
int gql_error_set_path(gql_error *err, const gql_path_segment *path, uint32_t n);

void gql_error_list_clear(gql_error_list *list);

struct gql_buf;
/* Appends one error as graphql-js's formatError + JSON.stringify print it:
 * {"message":...,"locations":[{"line":L,"column":C}],"path":[...]}, keys
 * absent when empty. */
void gql_error_to_json(struct gql_buf *out, const gql_error *err);
/* Appends [err, err, ...]. */
void gql_error_list_to_json(struct gql_buf *out, const gql_error_list *list);

#ifdef __cplusplus
}
#endif
#endif
