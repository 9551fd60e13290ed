/* gqlsse/parser.h: GraphQL lexer/parser entry points (graphql-js 16 `parse`),
 * the parsed document and its source locations. */
#ifndef GQLSSE_PARSER_H
#define GQLSSE_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include <gqlsse/arena.h>
#include <gqlsse/ast.h>
#include <gqlsse/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Guard rails. A zero field means "use the default". */
typedef struct gql_parse_options {
    size_t max_source_bytes; /* default GQL_DEFAULT_MAX_SOURCE_BYTES */
    uint32_t max_tokens;     /* lexical tokens, default GQL_DEFAULT_MAX_TOKENS */
    uint32_t max_depth;      /* nesting of selections/values/types, default GQL_DEFAULT_MAX_DEPTH */
} gql_parse_options;

#define GQL_DEFAULT_MAX_SOURCE_BYTES (1u << 20) /* 1 MiB */
#define GQL_DEFAULT_MAX_TOKENS 100000u
#define GQL_DEFAULT_MAX_DEPTH 200u

/* A parsed document. Everything it points to lives in its arena. */
typedef struct gql_document {
    gql_arena *arena;     /* owns the nodes, strings and the source copy */
    const char *source;   /* copy of the source text, NUL-terminated */
    size_t source_len;
    gql_node *root;       /* DOCUMENT node */
    uint32_t token_count; /* lexical tokens read (graphql-js `tokenCount`) */
} gql_document;

/*
 * Parses `source` (UTF-8; invalid sequences read as U+FFFD like a JavaScript
 * decoder would) into a document. Returns a document owned by the caller
 * (free with gql_document_free), or NULL with one syntax error appended to
 * `errors` (message "Syntax Error: ..." and its location, as graphql-js 16
 * reports it). `opts` may be NULL. Thread-safe: no shared state.
 */
gql_document *gql_parse(const char *source, size_t len,
                        const gql_parse_options *opts, gql_error_list *errors);

/* Frees the document and everything in its arena. NULL is a no-op. */
void gql_document_free(gql_document *doc);

/*
 * Line and column of a byte offset into `source`, counting as graphql-js's
 * getLocation does: lines end at \r\n, \r or \n; columns count UTF-16 code
 * units (so a character outside the BMP counts 2) from 1.
 */
gql_location gql_source_location(const char *source, size_t len, size_t offset);

/* Location of a node's start in its document. */
gql_location gql_node_location(const gql_document *doc, const gql_node *node);

/*
 * Parses a GraphQL value literal / type reference on its own (graphql-js
 * parseValue / parseConstValue / parseType), allocating nodes in `arena`.
 * Returns NULL with a syntax error appended to `errors`.
 */
gql_node *gql_parse_value(gql_arena *arena, const char *source, size_t len,
                          int is_const, gql_error_list *errors);
gql_node *gql_parse_type(gql_arena *arena, const char *source, size_t len,
                         gql_error_list *errors);

#ifdef __cplusplus
}
#endif
#endif
