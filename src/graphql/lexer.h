/* lexer.h: GraphQL tokens, read lazily from a UTF-8 source exactly as
 * graphql-js 16's Lexer reads them (internal to libgqlsse). */
#ifndef GQLSSE_LEXER_H
#define GQLSSE_LEXER_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
    const char *value;  /* STRING/BLOCK_STRING only: decoded, in the arena (other
                           kinds: unset, their text is the source's) */
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
    jmp_buf *on_error;
    const char *error_message; /* arena; "Syntax Error: " not included */
    uint32_t error_offset;
    gql_buf scratch;  /* string values are decoded here, then copied to the arena */
    gql_buf scratch2;
    /* Optional (the parser's): a copy of the source in the arena whose bytes
     * the lexer may overwrite. A string without escapes or invalid UTF-8 then
     * takes its value from there, its closing quote replaced by a NUL, instead
     * of a copy. NULL: every string value is copied. */
    char *values;
} gql_lexer;

/* `src` must be followed by GQL_LEX_PAD zero bytes (src[len] is a NUL). */
void gql_lexer_init(gql_lexer *lx, const char *src, size_t len, gql_arena *arena,
                    jmp_buf *on_error);
/* Frees the scratch buffers (after a successful parse or an error). */
void gql_lexer_dispose(gql_lexer *lx);
/* Moves to the next token; returns it. */
const gql_token *gql_lexer_advance(gql_lexer *lx);
/* The token after the current one, without moving. Not cached: advancing
 * reads it again (the parser looks ahead only after a description). */
gql_token gql_lexer_lookahead(gql_lexer *lx);

/* Reads the token starting at or after byte `pos` (the general reader). */
gql_token gql_lexer_read(gql_lexer *lx, size_t pos);
/* The same into lx->token (the fast path's fallback: no temporary). */
void gql_lexer_read_current(gql_lexer *lx, size_t pos);

/* ---- the fast path, inlined into the parser ----
 * Byte classes: one table lookup per byte instead of a chain of comparisons. */
enum {
    GQL_CC_OTHER = 0, /* not a token start: an error unless a BOM (or the end) */
    GQL_CC_IGNORED,   /* space, tab, comma, \n, \r */
    GQL_CC_COMMENT,   /* # */
    GQL_CC_PUNCT,     /* single-character punctuators */
    GQL_CC_DOT,       /* . (only as ...) */
    GQL_CC_QUOTE,     /* " */
    GQL_CC_NUMBER,    /* digit or - */
    GQL_CC_NAME       /* letter or _ */
};
extern const unsigned char gql_lex_class[256];
extern const unsigned char gql_lex_name_byte[256];   /* NameContinue */
extern const unsigned char gql_lex_punct_kind[128];  /* gql_token_kind of a GQL_CC_PUNCT */

/* Bytes the lexer may read past the end of the source: the source it lexes
 * is a copy followed by a NUL and GQL_LEX_PAD - 1 more zero bytes, so eight
 * bytes can be loaded at any position up to the end. */
#define GQL_LEX_PAD 8

/* Skips spaces from pos, eight at a time while they last (indentation). */
static inline size_t gql_lex_skip_spaces(const unsigned char *s, size_t pos)
{
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (;;) {
        uint64_t w;
        memcpy(&w, s + pos, 8);
        uint64_t x = w ^ 0x2020202020202020ull; /* zero bytes are spaces */
        if (x != 0)
            return pos + ((size_t)__builtin_ctzll(x) >> 3);
        pos += 8;
    }
#else
    while (s[pos] == ' ')
        pos++;
    return pos;
#endif
}

/* End of the name whose bytes continue at pos: four bytes per step, each
 * read only when the ones before it belonged to the name. */
static inline size_t gql_lex_name_end(const unsigned char *s, size_t pos)
{
    const unsigned char *nb = gql_lex_name_byte;
    for (;;) {
        if (!nb[s[pos]])
            return pos;
        if (!nb[s[pos + 1]])
            return pos + 1;
        if (!nb[s[pos + 2]])
            return pos + 2;
        if (!nb[s[pos + 3]])
            return pos + 3;
        pos += 4;
    }
}

/* Sets lx->token to the token at or after `pos`, as gql_lexer_read does, with
 * ignored bytes, names, punctuators and "..." read inline. Requires the source to be
 * followed by GQL_LEX_PAD zero bytes (the parser's copy is). */
static inline void gql_lexer_read_fast(gql_lexer *lx, size_t pos)
{
    const unsigned char *s = lx->src;
    unsigned c = s[pos];
    unsigned cls = gql_lex_class[c];
    while (cls == GQL_CC_IGNORED) { /* a newline, then indentation: two steps */
        pos = gql_lex_skip_spaces(s, pos + 1);
        c = s[pos];
        cls = gql_lex_class[c];
    }
    if (cls == GQL_CC_NAME) {
        size_t end = gql_lex_name_end(s, pos + 1);
        lx->token.kind = GQL_TOK_NAME; /* value, value_len: strings only */
        lx->token.start = (uint32_t)pos;
        lx->token.end = (uint32_t)end;
    } else if (cls == GQL_CC_PUNCT) {
        lx->token.kind = (gql_token_kind)gql_lex_punct_kind[c];
        lx->token.start = (uint32_t)pos;
        lx->token.end = (uint32_t)pos + 1;
    } else if (cls == GQL_CC_DOT && s[pos + 1] == '.' && s[pos + 2] == '.') {
        lx->token.kind = GQL_TOK_SPREAD;
        lx->token.start = (uint32_t)pos;
        lx->token.end = (uint32_t)pos + 3;
    } else {
        gql_lexer_read_current(lx, pos);
    }
}

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
