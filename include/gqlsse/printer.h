/* gqlsse/printer.h: prints an AST back to GraphQL source exactly as graphql-js
 * 16's print() does. */
#ifndef GQLSSE_PRINTER_H
#define GQLSSE_PRINTER_H

#include <gqlsse/ast.h>
#include <gqlsse/buf.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Appends the printed form of `node` (any kind) to `out`. Thread-safe. */
void gql_print_to(gql_buf *out, const gql_node *node);

/* Returns the printed form, malloc-owned by the caller (free()), or NULL when
 * out of memory. */
char *gql_print(const gql_node *node);

/* graphql-js printString: `s` as a double-quoted GraphQL string literal. */
void gql_print_string(gql_buf *out, const char *s, size_t n);

/* graphql-js printBlockString: `s` as a """block string""" (with its
 * heuristics for leading/trailing newlines), `minimize` as graphql-js. */
void gql_print_block_string(gql_buf *out, const char *s, size_t n, int minimize);

#ifdef __cplusplus
}
#endif
#endif
