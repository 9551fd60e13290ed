/* gqlsse/validate.h: validation of an executable document against a schema,
 * answering exactly what graphql-js 16 `validate(schema, document)` answers. */
#ifndef GQLSSE_VALIDATE_H
#define GQLSSE_VALIDATE_H

#include <stdint.h>

#include <gqlsse/error.h>
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gql_runtime;

/* A zero field means "use the default". */
typedef struct gql_validate_options {
    uint32_t max_errors; /* 0 = 100, graphql-js's default `maxErrors` */
    /* The runtime whose custom scalars' `parse` functions check literals of
     * their types (graphql-js calls parseLiteral in ValuesOfCorrectType): a
     * failure is `Expected value of type "T", found <literal>; <message>`
     * (without a message: `... found <literal>.`). NULL: custom scalars
     * accept any literal. */
    const struct gql_runtime *runtime;
} gql_validate_options;

#define GQL_DEFAULT_MAX_VALIDATION_ERRORS 100u

/*
 * Runs every rule of graphql-js 16's specifiedRules (in its order, in one
 * traversal of the document) and appends the errors to `errors`, with
 * graphql-js's messages, locations and order. After `max_errors` errors the
 * next one is replaced by "Too many validation errors, error limit reached.
 * Validation aborted." and validation stops. `opts` may be NULL.
 * Returns the number of errors appended (0: the document is valid); on out of
 * memory an error saying so is appended.
 * A pure function of (schema, document): no hidden state; any number of
 * threads may validate against one schema concurrently. Scratch memory lives
 * in one arena freed before returning. The schema must be valid (built
 * without GQL_SCHEMA_NO_VALIDATE), as graphql-js asserts.
 */
uint32_t gql_validate(const gql_schema *schema, const gql_document *doc,
                      const gql_validate_options *opts, gql_error_list *errors);

#ifdef __cplusplus
}
#endif
#endif
