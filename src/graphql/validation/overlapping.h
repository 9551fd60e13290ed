/* overlapping.h: graphql-js 16.15 OverlappingFieldsCanBeMergedRule ("Fields
 * "x" conflict because ..."), with its caches shared over one document. */
#ifndef GQLSSE_VALIDATION_OVERLAPPING_H
#define GQLSSE_VALIDATION_OVERLAPPING_H

#include <stddef.h>
#include <stdint.h>

#include <gqlsse/ast.h>
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gql_overlap_env {
    const gql_schema *schema;
    const gql_document *doc; /* walked once to find inline fragments' selection sets */
    /* The FRAGMENT_DEFINITION named name[0..len) (graphql-js getFragment:
     * the last one of that name), or NULL. */
    const gql_node *(*find_fragment)(void *ud, const char *name, size_t len);
    /* One conflict: the message and its nodes (locations = the nodes'
     * starts, in this order). Both are valid only during the call. */
    void (*report)(void *ud, const char *message, const gql_node *const *nodes,
                   uint32_t nnodes);
    void *ud;
} gql_overlap_env;

typedef struct gql_overlap gql_overlap;

/* What the last calls left behind (gql_overlap_status). */
typedef enum gql_overlap_status_code {
    GQL_OVERLAP_OK = 0,
    /* graphql-js 16.15 ran out of its complexity budget (500000 units per
     * document) and threw validationAbortedError: the caller appends the
     * error "Validation aborted." (no locations) and stops validating. The
     * conflicts of the selection set being checked were not reported. Also
     * used when fragments nest deeper than graphql-js's stack would allow
     * (it throws a RangeError there). */
    GQL_OVERLAP_ABORTED = 1,
    GQL_OVERLAP_NOMEM = 2 /* out of memory; further calls do nothing */
} gql_overlap_status_code;

/* A checker for one document; `env` is copied. Returns NULL on OOM; free
 * with gql_overlap_free. Not thread-safe: one document, one thread. The
 * checks recurse as deep as fields and fragments nest (bounded: up to about
 * 400 KiB of stack). */
gql_overlap *gql_overlap_new(const gql_overlap_env *env);

/*
 * The rule's `SelectionSet` visitor: call on entering every SELECTION_SET of
 * the document in document order, with graphql-js's context.getParentType()
 * (NULL when not a composite type). Conflicts are reported through
 * env->report in graphql-js's order. Does nothing once the status is not OK.
 */
void gql_overlap_selection_set(gql_overlap *o, const gql_node *selection_set,
                               const gql_type *parent_type);

/* GQL_OVERLAP_OK, or why checking stopped. */
gql_overlap_status_code gql_overlap_status(const gql_overlap *o);

/* Frees the checker and all its memory. NULL is a no-op. */
void gql_overlap_free(gql_overlap *o);

#ifdef __cplusplus
}
#endif
#endif
