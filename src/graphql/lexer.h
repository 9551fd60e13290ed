/* lexer.h: GraphQL tokens, read lazily from a UTF-8 source exactly as
 * graphql-js 16's Lexer reads them (internal to libgqlsse). */
#ifndef GQLSSE_LEXER_H
#define GQLSSE_LEXER_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include <gqlsse/arena.h>
#include <gqlsse/buf.h>

typedef enum gql_token_kind {
    GQL_TOK_SOF,
    GQL_TOK_EOF,
    GQL_TOK_BANG,
    GQL_TOK_DOLLAR,
    GQL_TOK_AMP,
    GQL_TOK_PAREN_L,
    GQL_TOK_PAREN_R,
    GQL_TOK_SPREAD,
    GQL_TOK_COLON,
    GQL_TOK_EQUALS,
    GQL_TOK_AT,
    GQL_TOK_BRACKET_L,
    GQL_TOK_BRACKET_R,
    GQL_TOK_BRACE_L,
    GQL_TOK_PIPE,
    GQL_TOK_BRACE_R,
    GQL_TOK_NAME,
    GQL_TOK_INT,
    GQL_TOK_FLOAT,
    GQL_TOK_STRING,
    GQL_TOK_BLOCK_STRING
} gql_token_kind;

typedef struct gql_token {
    gql_token_kind kind;
    uint32_t start;     /* byte offsets into the source */
    uint32_t end;
    uint32_t value_len;
    const char *value;  /* NAME/INT/FLOAT: NULL (read from the source);
                           STRING/BLOCK_STRING: decoded, in the arena */
} gql_token;

/*
 * The lexer reports a syntax error by storing its message and byte offset
 * and longjmp-ing to `on_error`; every allocation is in `arena`, so nothing
 * leaks. Comments are skipped here (graphql-js never shows them to the
 * parser).
 */
typedef struct gql_lexer {
    const unsigned char *src;
    size_t len;
    gql_arena *arena;
    gql_token token;      /* current token */
    gql_token last_token; /* previous token (for node ends) */
    gql_token ahead;      /* cached lookahead, valid when has_ahead */
    int has_ahead;
    jmp_buf *on_error;
    const char *error_message; /* arena; "Syntax Error: " not included */
    uint32_t error_offset;
    gql_buf scratch;  /* string values are decoded here, then copied to the arena */
    gql_buf scratch2;
} gql_lexer;

void gql_lexer_init(gql_lexer *lx, const char *src, size_t len, gql_arena *arena,
                    jmp_buf *on_error);
/* Frees the scratch buffers (after a successful parse or an error). */
void gql_lexer_dispose(gql_lexer *lx);
/* Moves to the next token; returns it. */
const gql_token *gql_lexer_advance(gql_lexer *lx);
/* The token after the current one, without moving. */
const gql_token *gql_lexer_lookahead(gql_lexer *lx);

/* Reports a syntax error at `offset` (never returns). */
_Noreturn void gql_lexer_fail(gql_lexer *lx, uint32_t offset, const char *message);

/* Pointer to a NAME/INT/FLOAT token's text in the source (or a string
 * token's decoded value) and its length. */
const char *gql_token_text(const gql_lexer *lx, const gql_token *t, uint32_t *len);

/* graphql-js getTokenDesc: `Name "foo"`, `"{"`, `<EOF>`; allocated in the arena. */
const char *gql_token_desc(gql_lexer *lx, const gql_token *t);
/* graphql-js getTokenKindDesc: `Name`, `"{"`, `<EOF>`. */
const char *gql_token_kind_desc(gql_token_kind kind);

#endif
