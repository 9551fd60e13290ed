/* parser.c: recursive-descent GraphQL parser following graphql-js 16's
 * Parser method by method, so that every syntax error has the same message
 * and position. Errors unwind with longjmp; all memory is in the arena. */
#include "config.h"

#include <gqlsse/parser.h>

#include "graphql/lexer.h"
#include "util/arena_internal.h"

#include <gqlsse/buf.h>

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define NODE_POISON 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define NODE_POISON 1
#endif
#endif

#define PARSER_STACK_INLINE 64

typedef struct parser {
    gql_lexer lx;
    gql_arena *arena; /* &arena_local */
    /* The document's arena is used through this copy while parsing (one load
     * less per node) and copied back by parser_dispose. */
    gql_arena arena_local;
    gql_arena *arena_home;
    /* A copy of the source in the arena that node values point into: the byte
     * after a name or number is overwritten with a NUL (see text_node). */
    char *values;
    jmp_buf on_error;
    uint32_t tokens_left; /* max_tokens minus the tokens read, modulo 2^32 */
    uint32_t max_tokens;
    uint32_t max_depth;
    uint32_t depth;
    /* Scratch stack for building lists (malloc-owned, freed by the caller of
     * the parse, also after an error). */
    gql_node **stack;
    size_t stack_len;
    size_t stack_cap;
    /* The stack's first PARSER_STACK_INLINE entries, enough for most
     * documents: no allocation unless deeper or wider. */
    gql_node *stack_inline[PARSER_STACK_INLINE];
} parser;

static _Noreturn void fail_at(parser *p, uint32_t offset, const char *msg)
{
    gql_lexer_fail(&p->lx, offset, msg);
}

static _Noreturn void fail_oom(parser *p)
{
    fail_at(p, p->lx.token.start, "Out of memory.");
}

static const gql_token *tok(parser *p)
{
    return &p->lx.token;
}

static int peek(parser *p, gql_token_kind kind)
{
    return p->lx.token.kind == kind;
}

static _Noreturn __attribute__((noinline, cold)) void fail_too_many_tokens(parser *p)
{
    /* graphql-js's message, typo included, so clients see one text. */
    const char *m = gql_arena_printf(p->arena,
                                     "Document contains more that %u tokens. Parsing aborted.",
                                     p->max_tokens);
    fail_at(p, p->lx.token.start, m ? m : "Too many tokens.");
}

/* Over the token limit, unless at <EOF>, which graphql-js does not count. */
static __attribute__((noinline, cold)) void token_limit(parser *p)
{
    if (p->lx.token.kind != GQL_TOK_EOF)
        fail_too_many_tokens(p);
    /* tokens_left wrapped: max_tokens - tokens_left still counts (mod 2^32) */
}

/* advanceLexer: counts tokens and enforces the token limit. The lexer's
 * fast path is inlined here: this runs once per token, so it does the least:
 * reading on from <EOF> reads <EOF> again (the lexer stops at the end), and
 * <EOF> is counted here and taken off in the entry points, which know how
 * often they advanced onto or past it (parse_many(SOF, ..., EOF): twice). */
static __attribute__((noinline)) void advance(parser *p)
{
    gql_lexer *lx = &p->lx;
    uint32_t end = lx->token.end;
    lx->last_token.end = end; /* node ends (finish) need only this */
    gql_lexer_read_fast(lx, end);
    if (__builtin_expect(__builtin_sub_overflow(p->tokens_left, 1, &p->tokens_left), 0))
        token_limit(p);
}

/* unexpected(token): "Unexpected <desc>." at the token. */
static _Noreturn void unexpected(parser *p, const gql_token *t)
{
    gql_token copy = *t;
    const char *d = gql_token_desc(&p->lx, &copy);
    const char *m = gql_arena_printf(p->arena, "Unexpected %s.", d);
    fail_at(p, copy.start, m ? m : "Unexpected token.");
}

static _Noreturn __attribute__((noinline, cold)) void fail_expected(parser *p, gql_token_kind kind)
{
    gql_token t = *tok(p);
    const char *m = gql_arena_printf(p->arena, "Expected %s, found %s.", gql_token_kind_desc(kind),
                                     gql_token_desc(&p->lx, &t));
    fail_at(p, t.start, m ? m : "Unexpected token.");
}

/* expectToken without the token's value. */
static inline void expect(parser *p, gql_token_kind kind)
{
    if (__builtin_expect(p->lx.token.kind != kind, 0))
        fail_expected(p, kind);
    advance(p);
}

static gql_token expect_token(parser *p, gql_token_kind kind)
{
    gql_token t = *tok(p);
    expect(p, kind);
    return t;
}

static inline int expect_optional_token(parser *p, gql_token_kind kind)
{
    if (tok(p)->kind == kind) {
        advance(p);
        return 1;
    }
    return 0;
}

/* Always inline so that strlen and memcmp of the literal keyword fold away. */
static inline __attribute__((always_inline)) int token_is_keyword(parser *p, const gql_token *t, const char *kw)
{
    if (t->kind != GQL_TOK_NAME)
        return 0;
    size_t n = strlen(kw);
    return t->end - t->start == n && memcmp(p->lx.src + t->start, kw, n) == 0;
}

/* token.value === s, whatever the token kind (graphql-js compares .value). */
static inline int token_value_is(parser *p, const gql_token *t, const char *s)
{
    if (t->kind < GQL_TOK_NAME)
        return 0;
    uint32_t n;
    const char *v = gql_token_text(&p->lx, t, &n);
    return strlen(s) == n && memcmp(v, s, n) == 0;
}

static _Noreturn __attribute__((noinline, cold)) void fail_expected_keyword(parser *p, const char *kw)
{
    gql_token t = *tok(p);
    const char *m = gql_arena_printf(p->arena, "Expected \"%s\", found %s.", kw, gql_token_desc(&p->lx, &t));
    fail_at(p, t.start, m ? m : "Unexpected token.");
}

static inline __attribute__((always_inline)) void expect_keyword(parser *p, const char *kw)
{
    if (__builtin_expect(!token_is_keyword(p, tok(p), kw), 0))
        fail_expected_keyword(p, kw);
    advance(p);
}

static inline __attribute__((always_inline)) int expect_optional_keyword(parser *p, const char *kw)
{
    if (token_is_keyword(p, tok(p), kw)) {
        advance(p);
        return 1;
    }
    return 0;
}

static __attribute__((noinline)) void *alloc_slow(parser *p, size_t size)
{
    void *m = gql_arena_alloc(p->arena, size);
    if (!m)
        fail_oom(p);
    return m;
}

/* `size` bytes from the arena (never NULL: out of memory fails the parse). */
static inline void *parser_alloc(parser *p, size_t size)
{
    gql_arena *a = &p->arena_local;
    size_t rounded = (size + GQL_ARENA_ALIGN - 1) & ~(size_t)(GQL_ARENA_ALIGN - 1);
    if (__builtin_expect((size_t)(a->lim - a->cur) >= rounded && rounded, 1)) {
        void *m = a->cur;
        a->cur += rounded;
        return m;
    }
    return alloc_slow(p, size);
}

/* A node of `size` bytes (GQL_NODE_SIZE), uninitialised. Sanitizer builds
 * allocate the whole struct and poison the members the kind does not have, so
 * that a read of one fails the tests. */
static inline gql_node *node_alloc(parser *p, size_t size)
{
#ifdef NODE_POISON
    gql_node *n = parser_alloc(p, sizeof *n);
    ASAN_POISON_MEMORY_REGION((char *)n + size, sizeof *n - size);
#else
    gql_node *n = parser_alloc(p, size);
#endif
    return n;
}

/* A node of the kind with every member it has zeroed. The kind is a constant
 * at every call: the tests fold, leaving one store per member of the prefix
 * (a memset of the prefix size became `rep stos`, slow to start). */
static inline __attribute__((always_inline)) gql_node *node_new(parser *p, gql_kind kind,
                                                                uint32_t start)
{
    size_t size = GQL_NODE_SIZE(kind);
    gql_node *n = node_alloc(p, size);
    if (size == sizeof *n) {
        memset(n, 0, size);
    } else {
        static const gql_list none = {NULL, 0};
        n->end = 0;
        if (GQL_NODE_HAS(kind, value)) {
            n->value_len = 0;
            n->value = NULL;
        }
        if (GQL_NODE_HAS(kind, name))
            n->name = NULL;
        if (GQL_NODE_HAS(kind, value_node))
            n->value_node = NULL;
        if (GQL_NODE_HAS(kind, values))
            n->values = none;
        if (GQL_NODE_HAS(kind, alias))
            n->alias = NULL;
        if (GQL_NODE_HAS(kind, selection_set))
            n->selection_set = NULL;
        if (GQL_NODE_HAS(kind, arguments))
            n->arguments = none;
        if (GQL_NODE_HAS(kind, directives))
            n->directives = none;
        _Static_assert(GQL_NODE_END_(directives) == offsetof(gql_node, description),
                       "node_new zeroes the prefix members up to directives");
    }
    n->kind = (uint8_t)kind;
    n->operation = 0;
    n->flags = 0;
    n->start = start;
    return n;
}

/* Sets the node's end to the last consumed token (graphql-js Location). */
static inline gql_node *finish(parser *p, gql_node *n)
{
    n->end = p->lx.last_token.end;
    return n;
}

static inline void depth_enter(parser *p)
{
    if (__builtin_expect(++p->depth > p->max_depth, 0)) {
        const char *m = gql_arena_printf(p->arena,
                                         "Document nesting is deeper than %u levels. Parsing aborted.",
                                         p->max_depth);
        fail_at(p, tok(p)->start, m ? m : "Document nested too deeply.");
    }
}

static inline void depth_leave(parser *p)
{
    p->depth--;
}

/* ---- lists: items are pushed on the scratch stack, then copied ---- */

static inline size_t list_begin(parser *p)
{
    return p->stack_len;
}

static __attribute__((noinline)) void list_grow(parser *p)
{
    size_t cap = p->stack_cap * 2;
    gql_node **s;
    if (p->stack == p->stack_inline) {
        s = malloc(cap * sizeof *s);
        if (s)
            memcpy(s, p->stack, p->stack_len * sizeof *s);
    } else {
        s = realloc(p->stack, cap * sizeof *s);
    }
    if (!s)
        fail_oom(p);
    p->stack = s;
    p->stack_cap = cap;
}

static inline void list_push(parser *p, gql_node *n)
{
    if (__builtin_expect(p->stack_len == p->stack_cap, 0))
        list_grow(p);
    p->stack[p->stack_len++] = n;
}

static inline gql_list list_end(parser *p, size_t mark)
{
    gql_list l = {NULL, 0};
    size_t n = p->stack_len - mark;
    if (n) {
        gql_node **items = parser_alloc(p, n * sizeof *items);
        gql_node **from = p->stack + mark;
        for (size_t i = 0; i < n; i++) /* mostly a few items: no memcpy call */
            items[i] = from[i];
        l.items = items;
        l.count = (uint32_t)n;
    }
    p->stack_len = mark;
    return l;
}

typedef gql_node *(*parse_fn)(parser *p);

/* any(open, fn, close): zero or more. */
static gql_list parse_any(parser *p, gql_token_kind open, parse_fn fn, gql_token_kind close)
{
    expect(p, open);
    size_t mark = list_begin(p);
    while (!expect_optional_token(p, close))
        list_push(p, fn(p));
    return list_end(p, mark);
}

/* many(open, fn, close): one or more. */
static gql_list parse_many(parser *p, gql_token_kind open, parse_fn fn, gql_token_kind close)
{
    expect(p, open);
    size_t mark = list_begin(p);
    do
        list_push(p, fn(p));
    while (!expect_optional_token(p, close));
    return list_end(p, mark);
}

/* optionalMany(open, fn, close): nothing, or one or more in delimiters. */
static gql_list parse_optional_many(parser *p, gql_token_kind open, parse_fn fn,
                                    gql_token_kind close)
{
    gql_list empty = {NULL, 0};
    if (!expect_optional_token(p, open))
        return empty;
    size_t mark = list_begin(p);
    do
        list_push(p, fn(p));
    while (!expect_optional_token(p, close));
    return list_end(p, mark);
}

/* delimitedMany(delim, fn): an optional leading delimiter, then items. */
static gql_list parse_delimited_many(parser *p, gql_token_kind delim, parse_fn fn)
{
    expect_optional_token(p, delim);
    size_t mark = list_begin(p);
    do
        list_push(p, fn(p));
    while (expect_optional_token(p, delim));
    return list_end(p, mark);
}

/* ---- names, values, types ---- */

static __attribute__((noinline)) const char *copy_text(parser *p, uint32_t start, uint32_t end)
{
    char *text = gql_arena_strndup(p->arena, (const char *)p->lx.src + start, end - start);
    if (!text)
        fail_oom(p);
    return text;
}

/* A node whose value is the source text [start, end) of a name or number,
 * ending at `end`. The text is not copied: it is p->values's, made
 * NUL-terminated by overwriting the byte after it. That byte never belongs to
 * the text of another value (a name or number cannot follow a name or number
 * directly, and a string value starts after its quote) unless it is the "-" of
 * a number as in `[a-1]`: then the text is copied. */
static inline gql_node *text_node_at(parser *p, gql_node *n, gql_kind kind, uint32_t start,
                                     uint32_t end)
{
    const char *text;
    if (__builtin_expect(p->values[end] != '-', 1)) {
        p->values[end] = '\0';
        text = p->values + start;
    } else {
        text = copy_text(p, start, end);
    }
    n->kind = (uint8_t)kind;
    n->operation = 0;
    n->flags = 0;
    n->start = start;
    n->end = end;
    n->value_len = end - start;
    n->value = text;
    return n;
}

static inline gql_node *text_node(parser *p, gql_kind kind, uint32_t start, uint32_t end)
{
    return text_node_at(p, node_alloc(p, GQL_NODE_END_(value)), kind, start, end);
}

/* A name, in `n` (a NAME-sized node the caller allocated). Inlined where
 * names are most frequent (fields); parse_name elsewhere. */
static inline __attribute__((always_inline)) gql_node *parse_name_at(parser *p, gql_node *n)
{
    gql_lexer *lx = &p->lx;
    if (__builtin_expect(lx->token.kind != GQL_TOK_NAME, 0))
        fail_expected(p, GQL_TOK_NAME);
    uint32_t start = lx->token.start, end = lx->token.end;
    advance(p);
    return text_node_at(p, n, GQL_NAME, start, end);
}

static inline __attribute__((always_inline)) gql_node *parse_name_inline(parser *p)
{
    return parse_name_at(p, node_alloc(p, GQL_NODE_END_(value)));
}

static gql_node *parse_name(parser *p)
{
    return parse_name_inline(p);
}

static gql_node *parse_value_literal(parser *p, int is_const);

static gql_node *parse_variable(parser *p)
{
    uint32_t start = tok(p)->start;
    expect(p, GQL_TOK_DOLLAR);
    gql_node *n = node_new(p, GQL_VARIABLE, start);
    n->name = parse_name(p);
    return finish(p, n);
}

static gql_node *parse_string_literal(parser *p)
{
    gql_token t = *tok(p);
    advance(p);
    gql_node *n = node_new(p, GQL_STRING, t.start);
    n->value = t.value;
    n->value_len = t.value_len;
    if (t.kind == GQL_TOK_BLOCK_STRING)
        n->flags |= GQL_FLAG_BLOCK;
    return finish(p, n);
}

static gql_node *parse_value_var(parser *p)
{
    return parse_value_literal(p, 0);
}
static gql_node *parse_value_const(parser *p)
{
    return parse_value_literal(p, 1);
}

static gql_node *parse_object_field(parser *p, int is_const)
{
    uint32_t start = tok(p)->start;
    gql_node *n = node_new(p, GQL_OBJECT_FIELD, start);
    n->name = parse_name(p);
    expect(p, GQL_TOK_COLON);
    n->value_node = parse_value_literal(p, is_const);
    return finish(p, n);
}
static gql_node *parse_object_field_var(parser *p)
{
    return parse_object_field(p, 0);
}
static gql_node *parse_object_field_const(parser *p)
{
    return parse_object_field(p, 1);
}

static gql_node *parse_value_literal(parser *p, int is_const)
{
    gql_token t = *tok(p);
    gql_node *n;
    switch (t.kind) {
    case GQL_TOK_BRACKET_L:
        depth_enter(p);
        n = node_new(p, GQL_LIST, t.start);
        n->values = parse_any(p, GQL_TOK_BRACKET_L, is_const ? parse_value_const : parse_value_var,
                              GQL_TOK_BRACKET_R);
        depth_leave(p);
        return finish(p, n);
    case GQL_TOK_BRACE_L:
        depth_enter(p);
        n = node_new(p, GQL_OBJECT, t.start);
        n->fields = parse_any(p, GQL_TOK_BRACE_L,
                              is_const ? parse_object_field_const : parse_object_field_var,
                              GQL_TOK_BRACE_R);
        depth_leave(p);
        return finish(p, n);
    case GQL_TOK_INT:
    case GQL_TOK_FLOAT:
        advance(p);
        return text_node(p, t.kind == GQL_TOK_INT ? GQL_INT : GQL_FLOAT, t.start, t.end);
    case GQL_TOK_STRING:
    case GQL_TOK_BLOCK_STRING:
        return parse_string_literal(p);
    case GQL_TOK_NAME:
        advance(p);
        if (token_is_keyword(p, &t, "true") || token_is_keyword(p, &t, "false")) {
            n = node_new(p, GQL_BOOLEAN, t.start);
            if (token_is_keyword(p, &t, "true"))
                n->flags |= GQL_FLAG_TRUE;
        } else if (token_is_keyword(p, &t, "null")) {
            n = node_new(p, GQL_NULL, t.start);
        } else {
            n = text_node(p, GQL_ENUM, t.start, t.end);
        }
        return finish(p, n);
    case GQL_TOK_DOLLAR:
        if (is_const) {
            expect(p, GQL_TOK_DOLLAR);
            if (tok(p)->kind == GQL_TOK_NAME) {
                uint32_t len;
                const char *name = gql_token_text(&p->lx, tok(p), &len);
                const char *m = gql_arena_printf(p->arena, "Unexpected variable \"$%.*s\" in constant value.",
                                                 (int)len, name);
                fail_at(p, t.start, m ? m : "Unexpected variable in constant value.");
            }
            unexpected(p, &t);
        }
        return parse_variable(p);
    default:
        unexpected(p, tok(p));
    }
}

static gql_node *parse_argument(parser *p, int is_const)
{
    uint32_t start = tok(p)->start;
    gql_node *n = node_new(p, GQL_ARGUMENT, start);
    n->name = parse_name(p);
    expect(p, GQL_TOK_COLON);
    n->value_node = parse_value_literal(p, is_const);
    return finish(p, n);
}
static gql_node *parse_argument_var(parser *p)
{
    return parse_argument(p, 0);
}
static gql_node *parse_argument_const(parser *p)
{
    return parse_argument(p, 1);
}

static inline gql_list parse_arguments(parser *p, int is_const)
{
    if (!peek(p, GQL_TOK_PAREN_L)) {
        gql_list empty = {NULL, 0};
        return empty;
    }
    return parse_optional_many(p, GQL_TOK_PAREN_L, is_const ? parse_argument_const : parse_argument_var,
                               GQL_TOK_PAREN_R);
}

static gql_list parse_directives_list(parser *p, int is_const)
{
    size_t mark = list_begin(p);
    while (peek(p, GQL_TOK_AT)) {
        uint32_t start = tok(p)->start;
        expect(p, GQL_TOK_AT);
        gql_node *n = node_new(p, GQL_DIRECTIVE, start);
        n->name = parse_name(p);
        n->arguments = parse_arguments(p, is_const);
        list_push(p, finish(p, n));
    }
    return list_end(p, mark);
}

/* Directives are rare: the common empty case costs no call. */
static inline gql_list parse_directives(parser *p, int is_const)
{
    if (__builtin_expect(!peek(p, GQL_TOK_AT), 1)) {
        gql_list empty = {NULL, 0};
        return empty;
    }
    return parse_directives_list(p, is_const);
}

static gql_node *parse_named_type(parser *p)
{
    gql_node *n = node_new(p, GQL_NAMED_TYPE, tok(p)->start);
    n->name = parse_name(p);
    return finish(p, n);
}

static gql_node *parse_type_reference(parser *p)
{
    uint32_t start = tok(p)->start;
    gql_node *type;
    if (expect_optional_token(p, GQL_TOK_BRACKET_L)) {
        depth_enter(p);
        gql_node *inner = parse_type_reference(p);
        expect(p, GQL_TOK_BRACKET_R);
        depth_leave(p);
        type = node_new(p, GQL_LIST_TYPE, start);
        type->type = inner;
        finish(p, type);
    } else {
        type = parse_named_type(p);
    }
    if (expect_optional_token(p, GQL_TOK_BANG)) {
        gql_node *nn = node_new(p, GQL_NON_NULL_TYPE, start);
        nn->type = type;
        return finish(p, nn);
    }
    return type;
}

/* ---- executable definitions ---- */

static int peek_description(parser *p)
{
    return peek(p, GQL_TOK_STRING) || peek(p, GQL_TOK_BLOCK_STRING);
}

static gql_node *parse_description(parser *p)
{
    return peek_description(p) ? parse_string_literal(p) : NULL;
}

static gql_node *parse_selection_set(parser *p);

static gql_operation_type parse_operation_type(parser *p)
{
    gql_token t = expect_token(p, GQL_TOK_NAME);
    if (token_is_keyword(p, &t, "query"))
        return GQL_OP_QUERY;
    if (token_is_keyword(p, &t, "mutation"))
        return GQL_OP_MUTATION;
    if (token_is_keyword(p, &t, "subscription"))
        return GQL_OP_SUBSCRIPTION;
    unexpected(p, &t);
}

static gql_node *parse_variable_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_VARIABLE_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    n->variable = parse_variable(p);
    expect(p, GQL_TOK_COLON);
    n->type = parse_type_reference(p);
    if (expect_optional_token(p, GQL_TOK_EQUALS))
        n->default_value = parse_value_literal(p, 1);
    n->directives = parse_directives(p, 1);
    return finish(p, n);
}

static gql_node *parse_operation_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_OPERATION_DEFINITION, tok(p)->start);
    if (peek(p, GQL_TOK_BRACE_L)) {
        n->operation = GQL_OP_QUERY;
        n->selection_set = parse_selection_set(p);
        return finish(p, n);
    }
    n->description = parse_description(p);
    n->operation = (uint8_t)parse_operation_type(p);
    if (peek(p, GQL_TOK_NAME))
        n->name = parse_name(p);
    n->variable_definitions =
        parse_optional_many(p, GQL_TOK_PAREN_L, parse_variable_definition, GQL_TOK_PAREN_R);
    n->directives = parse_directives(p, 0);
    n->selection_set = parse_selection_set(p);
    return finish(p, n);
}

static gql_node *parse_fragment_name(parser *p)
{
    if (token_value_is(p, tok(p), "on"))
        unexpected(p, tok(p));
    return parse_name(p);
}

/* The most frequent node: node_new's work by hand, each member stored once. */
static gql_node *parse_field(parser *p)
{
    static const gql_list none = {NULL, 0};
#ifdef NODE_POISON
    gql_node *n = node_alloc(p, GQL_NODE_SIZE(GQL_FIELD));
    gql_node *first = node_alloc(p, GQL_NODE_END_(value));
#else
    /* One bump for the field and its (first) name. */
    const size_t field_bytes =
        (GQL_NODE_SIZE(GQL_FIELD) + GQL_ARENA_ALIGN - 1) & ~(size_t)(GQL_ARENA_ALIGN - 1);
    gql_node *n = parser_alloc(p, field_bytes + GQL_NODE_END_(value));
    gql_node *first = (gql_node *)(void *)((char *)n + field_bytes);
#endif
    n->kind = GQL_FIELD;
    n->operation = 0;
    n->flags = 0;
    n->start = tok(p)->start;
    n->value_len = 0; /* members of the prefix a field does not use */
    n->value = NULL;
    n->value_node = NULL;
    n->values = none;
    gql_node *name_or_alias = parse_name_at(p, first);
    if (expect_optional_token(p, GQL_TOK_COLON)) {
        n->alias = name_or_alias;
        n->name = parse_name_inline(p);
    } else {
        n->alias = NULL;
        n->name = name_or_alias;
    }
    n->arguments = parse_arguments(p, 0);
    n->directives = parse_directives(p, 0);
    n->selection_set = peek(p, GQL_TOK_BRACE_L) ? parse_selection_set(p) : NULL;
    return finish(p, n);
}

static gql_node *parse_fragment(parser *p)
{
    uint32_t start = tok(p)->start;
    expect(p, GQL_TOK_SPREAD);
    int has_type_condition = expect_optional_keyword(p, "on");
    if (!has_type_condition && peek(p, GQL_TOK_NAME)) {
        gql_node *n = node_new(p, GQL_FRAGMENT_SPREAD, start);
        n->name = parse_fragment_name(p);
        n->directives = parse_directives(p, 0);
        return finish(p, n);
    }
    gql_node *n = node_new(p, GQL_INLINE_FRAGMENT, start);
    if (has_type_condition)
        n->type_condition = parse_named_type(p);
    n->directives = parse_directives(p, 0);
    n->selection_set = parse_selection_set(p);
    return finish(p, n);
}

static gql_node *parse_selection_set(parser *p)
{
    depth_enter(p);
    gql_node *n = node_new(p, GQL_SELECTION_SET, tok(p)->start);
    /* many(BRACE_L, parseSelection, BRACE_R), without the indirect call */
    expect(p, GQL_TOK_BRACE_L);
    size_t mark = list_begin(p);
    do
        list_push(p, peek(p, GQL_TOK_SPREAD) ? parse_fragment(p) : parse_field(p));
    while (!expect_optional_token(p, GQL_TOK_BRACE_R));
    n->selections = list_end(p, mark);
    depth_leave(p);
    return finish(p, n);
}

static gql_node *parse_fragment_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_FRAGMENT_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    expect_keyword(p, "fragment");
    n->name = parse_fragment_name(p);
    expect_keyword(p, "on");
    n->type_condition = parse_named_type(p);
    n->directives = parse_directives(p, 0);
    n->selection_set = parse_selection_set(p);
    return finish(p, n);
}

/* ---- type system definitions ---- */

static gql_node *parse_operation_type_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_OPERATION_TYPE_DEFINITION, tok(p)->start);
    n->operation = (uint8_t)parse_operation_type(p);
    expect(p, GQL_TOK_COLON);
    n->type = parse_named_type(p);
    return finish(p, n);
}

static gql_node *parse_schema_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_SCHEMA_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    expect_keyword(p, "schema");
    n->directives = parse_directives(p, 1);
    n->operation_types =
        parse_many(p, GQL_TOK_BRACE_L, parse_operation_type_definition, GQL_TOK_BRACE_R);
    return finish(p, n);
}

static gql_node *parse_scalar_type_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_SCALAR_TYPE_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    expect_keyword(p, "scalar");
    n->name = parse_name(p);
    n->directives = parse_directives(p, 1);
    return finish(p, n);
}

static gql_list parse_implements_interfaces(parser *p)
{
    gql_list empty = {NULL, 0};
    return expect_optional_keyword(p, "implements")
               ? parse_delimited_many(p, GQL_TOK_AMP, parse_named_type)
               : empty;
}

static gql_node *parse_input_value_def(parser *p)
{
    gql_node *n = node_new(p, GQL_INPUT_VALUE_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    n->name = parse_name(p);
    expect(p, GQL_TOK_COLON);
    n->type = parse_type_reference(p);
    if (expect_optional_token(p, GQL_TOK_EQUALS))
        n->default_value = parse_value_literal(p, 1);
    n->directives = parse_directives(p, 1);
    return finish(p, n);
}

static gql_list parse_argument_defs(parser *p)
{
    return parse_optional_many(p, GQL_TOK_PAREN_L, parse_input_value_def, GQL_TOK_PAREN_R);
}

static gql_node *parse_field_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_FIELD_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    n->name = parse_name(p);
    n->arguments = parse_argument_defs(p);
    expect(p, GQL_TOK_COLON);
    n->type = parse_type_reference(p);
    n->directives = parse_directives(p, 1);
    return finish(p, n);
}

static gql_list parse_fields_definition(parser *p)
{
    return parse_optional_many(p, GQL_TOK_BRACE_L, parse_field_definition, GQL_TOK_BRACE_R);
}

/* object and interface definitions share their shape */
static gql_node *parse_object_like_definition(parser *p, gql_kind kind, const char *keyword)
{
    gql_node *n = node_new(p, kind, tok(p)->start);
    n->description = parse_description(p);
    expect_keyword(p, keyword);
    n->name = parse_name(p);
    n->interfaces = parse_implements_interfaces(p);
    n->directives = parse_directives(p, 1);
    n->fields = parse_fields_definition(p);
    return finish(p, n);
}

static gql_list parse_union_member_types(parser *p)
{
    gql_list empty = {NULL, 0};
    return expect_optional_token(p, GQL_TOK_EQUALS)
               ? parse_delimited_many(p, GQL_TOK_PIPE, parse_named_type)
               : empty;
}

static gql_node *parse_union_type_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_UNION_TYPE_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    expect_keyword(p, "union");
    n->name = parse_name(p);
    n->directives = parse_directives(p, 1);
    n->types = parse_union_member_types(p);
    return finish(p, n);
}

static gql_node *parse_enum_value_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_ENUM_VALUE_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    const gql_token *t = tok(p);
    if (token_value_is(p, t, "true") || token_value_is(p, t, "false") || token_value_is(p, t, "null")) {
        gql_token copy = *t;
        const char *m = gql_arena_printf(p->arena, "%s is reserved and cannot be used for an enum value.",
                                         gql_token_desc(&p->lx, &copy));
        fail_at(p, copy.start, m ? m : "Reserved enum value.");
    }
    n->name = parse_name(p);
    n->directives = parse_directives(p, 1);
    return finish(p, n);
}

static gql_list parse_enum_values_definition(parser *p)
{
    return parse_optional_many(p, GQL_TOK_BRACE_L, parse_enum_value_definition, GQL_TOK_BRACE_R);
}

static gql_node *parse_enum_type_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_ENUM_TYPE_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    expect_keyword(p, "enum");
    n->name = parse_name(p);
    n->directives = parse_directives(p, 1);
    n->values = parse_enum_values_definition(p);
    return finish(p, n);
}

static gql_list parse_input_fields_definition(parser *p)
{
    return parse_optional_many(p, GQL_TOK_BRACE_L, parse_input_value_def, GQL_TOK_BRACE_R);
}

static gql_node *parse_input_object_type_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_INPUT_OBJECT_TYPE_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    expect_keyword(p, "input");
    n->name = parse_name(p);
    n->directives = parse_directives(p, 1);
    n->fields = parse_input_fields_definition(p);
    return finish(p, n);
}

static const char *const directive_locations[] = {
    "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION", "DIRECTIVE_DEFINITION",
};

static gql_node *parse_directive_location(parser *p)
{
    gql_token start = *tok(p);
    gql_node *name = parse_name(p);
    for (size_t i = 0; i < sizeof directive_locations / sizeof *directive_locations; i++)
        if (strcmp(name->value, directive_locations[i]) == 0)
            return name;
    unexpected(p, &start);
}

static gql_node *parse_directive_definition(parser *p)
{
    gql_node *n = node_new(p, GQL_DIRECTIVE_DEFINITION, tok(p)->start);
    n->description = parse_description(p);
    expect_keyword(p, "directive");
    expect(p, GQL_TOK_AT);
    n->name = parse_name(p);
    n->arguments = parse_argument_defs(p);
    if (expect_optional_keyword(p, "repeatable"))
        n->flags |= GQL_FLAG_REPEATABLE;
    expect_keyword(p, "on");
    n->locations = parse_delimited_many(p, GQL_TOK_PIPE, parse_directive_location);
    return finish(p, n);
}

/* ---- type system extensions ---- */

static gql_node *parse_type_system_extension(parser *p)
{
    gql_token k = gql_lexer_lookahead(&p->lx);
    uint32_t start = tok(p)->start;
    gql_node *n;
    if (k.kind != GQL_TOK_NAME)
        unexpected(p, &k);
    if (token_is_keyword(p, &k, "schema")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "schema");
        n = node_new(p, GQL_SCHEMA_EXTENSION, start);
        n->directives = parse_directives(p, 1);
        n->operation_types = parse_optional_many(p, GQL_TOK_BRACE_L, parse_operation_type_definition,
                                                 GQL_TOK_BRACE_R);
        if (n->directives.count == 0 && n->operation_types.count == 0)
            unexpected(p, tok(p));
    } else if (token_is_keyword(p, &k, "scalar")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "scalar");
        n = node_new(p, GQL_SCALAR_TYPE_EXTENSION, start);
        n->name = parse_name(p);
        n->directives = parse_directives(p, 1);
        if (n->directives.count == 0)
            unexpected(p, tok(p));
    } else if (token_is_keyword(p, &k, "type") || token_is_keyword(p, &k, "interface")) {
        int is_type = token_is_keyword(p, &k, "type");
        expect_keyword(p, "extend");
        expect_keyword(p, is_type ? "type" : "interface");
        n = node_new(p, is_type ? GQL_OBJECT_TYPE_EXTENSION : GQL_INTERFACE_TYPE_EXTENSION, start);
        n->name = parse_name(p);
        n->interfaces = parse_implements_interfaces(p);
        n->directives = parse_directives(p, 1);
        n->fields = parse_fields_definition(p);
        if (n->interfaces.count == 0 && n->directives.count == 0 && n->fields.count == 0)
            unexpected(p, tok(p));
    } else if (token_is_keyword(p, &k, "union")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "union");
        n = node_new(p, GQL_UNION_TYPE_EXTENSION, start);
        n->name = parse_name(p);
        n->directives = parse_directives(p, 1);
        n->types = parse_union_member_types(p);
        if (n->directives.count == 0 && n->types.count == 0)
            unexpected(p, tok(p));
    } else if (token_is_keyword(p, &k, "enum")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "enum");
        n = node_new(p, GQL_ENUM_TYPE_EXTENSION, start);
        n->name = parse_name(p);
        n->directives = parse_directives(p, 1);
        n->values = parse_enum_values_definition(p);
        if (n->directives.count == 0 && n->values.count == 0)
            unexpected(p, tok(p));
    } else if (token_is_keyword(p, &k, "input")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "input");
        n = node_new(p, GQL_INPUT_OBJECT_TYPE_EXTENSION, start);
        n->name = parse_name(p);
        n->directives = parse_directives(p, 1);
        n->fields = parse_input_fields_definition(p);
        if (n->directives.count == 0 && n->fields.count == 0)
            unexpected(p, tok(p));
    } else {
        unexpected(p, &k);
    }
    return finish(p, n);
}

static gql_node *parse_definition(parser *p)
{
    if (peek(p, GQL_TOK_BRACE_L))
        return parse_operation_definition(p);
    int has_description = peek_description(p);
    gql_token kw = has_description ? gql_lexer_lookahead(&p->lx) : *tok(p);
    if (has_description && kw.kind == GQL_TOK_BRACE_L)
        fail_at(p, tok(p)->start,
                "Unexpected description, descriptions are not supported on shorthand queries.");
    if (kw.kind == GQL_TOK_NAME) {
        if (token_is_keyword(p, &kw, "schema"))
            return parse_schema_definition(p);
        if (token_is_keyword(p, &kw, "scalar"))
            return parse_scalar_type_definition(p);
        if (token_is_keyword(p, &kw, "type"))
            return parse_object_like_definition(p, GQL_OBJECT_TYPE_DEFINITION, "type");
        if (token_is_keyword(p, &kw, "interface"))
            return parse_object_like_definition(p, GQL_INTERFACE_TYPE_DEFINITION, "interface");
        if (token_is_keyword(p, &kw, "union"))
            return parse_union_type_definition(p);
        if (token_is_keyword(p, &kw, "enum"))
            return parse_enum_type_definition(p);
        if (token_is_keyword(p, &kw, "input"))
            return parse_input_object_type_definition(p);
        if (token_is_keyword(p, &kw, "directive"))
            return parse_directive_definition(p);
        if (token_is_keyword(p, &kw, "query") || token_is_keyword(p, &kw, "mutation") ||
            token_is_keyword(p, &kw, "subscription"))
            return parse_operation_definition(p);
        if (token_is_keyword(p, &kw, "fragment"))
            return parse_fragment_definition(p);
        if (has_description)
            fail_at(p, tok(p)->start,
                    "Unexpected description, only GraphQL definitions support descriptions.");
        if (token_is_keyword(p, &kw, "extend"))
            return parse_type_system_extension(p);
    }
    unexpected(p, &kw);
}

/* ---- entry points ---- */

/* `src` and `values` are source_copies: `src` padded for the lexer, `values` a copy of
 * it that the parser and lexer may write NULs into. */
static void parser_init(parser *p, gql_arena *arena, const char *src, char *values, size_t len,
                        const gql_parse_options *opts)
{
    p->arena_home = arena;
    p->arena_local = *arena;
    arena = p->arena = &p->arena_local;
    p->values = values;
    p->max_tokens = opts && opts->max_tokens ? opts->max_tokens : GQL_DEFAULT_MAX_TOKENS;
    p->tokens_left = p->max_tokens;
    p->max_depth = opts && opts->max_depth ? opts->max_depth : GQL_DEFAULT_MAX_DEPTH;
    p->depth = 0;
    p->stack = p->stack_inline;
    p->stack_len = 0;
    p->stack_cap = PARSER_STACK_INLINE;
    gql_lexer_init(&p->lx, src, len, arena, &p->on_error);
    p->lx.values = values;
}

/* Releases what the parser holds outside the arena. */
static void parser_dispose(parser *p)
{
    *p->arena_home = p->arena_local;
    gql_lexer_dispose(&p->lx);
    if (p->stack != p->stack_inline)
        free(p->stack);
}

/* The two copies of the source a parse needs, in the arena: *copy as the
 * lexer reads it (followed by GQL_LEX_PAD zero bytes: a NUL terminator and
 * room for the fast path's word loads) and *values, NUL-terminated, which node
 * values point into (text_node). -1 when out of memory. */
static int source_copies(gql_arena *arena, const char *source, size_t len, char **copy,
                         char **values)
{
    *copy = gql_arena_alloc(arena, len + GQL_LEX_PAD);
    *values = *copy ? gql_arena_alloc(arena, len + 1) : NULL;
    if (!*values)
        return -1;
    if (len)
        memcpy(*copy, source, len);
    memset(*copy + len, 0, GQL_LEX_PAD);
    memcpy(*values, *copy, len + 1);
    return 0;
}

static void report(const parser *p, const char *src, size_t len, gql_error_list *errors)
{
    if (!errors)
        return;
    gql_location loc = gql_source_location(src, len, p->lx.error_offset);
    gql_error_list_addf(errors, &loc, 1, "Syntax Error: %s", p->lx.error_message);
}

enum { PARSE_DOCUMENT, PARSE_VALUE, PARSE_CONST_VALUE, PARSE_TYPE };

/* Runs the parse; NULL after a syntax error (p->lx holds it). setjmp is
 * here, not in the callers, so that the parser they own (an automatic
 * object there) keeps its values across the longjmp. */
static gql_node *parse_guarded(parser *p, int what)
{
    if (setjmp(p->on_error))
        return NULL;
    gql_node *n;
    if (what == PARSE_DOCUMENT) {
        /* parseDocument: many(SOF, parseDefinition, EOF) */
        n = node_new(p, GQL_DOCUMENT, 0);
        n->definitions = parse_many(p, GQL_TOK_SOF, parse_definition, GQL_TOK_EOF);
        finish(p, n);
    } else {
        expect(p, GQL_TOK_SOF);
        n = what == PARSE_TYPE ? parse_type_reference(p)
                               : parse_value_literal(p, what == PARSE_CONST_VALUE);
        expect(p, GQL_TOK_EOF);
    }
    return n;
}

gql_document *gql_parse(const char *source, size_t len, const gql_parse_options *opts,
                        gql_error_list *errors)
{
    size_t max_bytes = opts && opts->max_source_bytes ? opts->max_source_bytes
                                                      : GQL_DEFAULT_MAX_SOURCE_BYTES;
    if (len > max_bytes || len > UINT32_MAX - 16) {
        if (errors)
            gql_error_list_addf(errors, NULL, 0,
                                "Syntax Error: Document is larger than %zu bytes. Parsing aborted.",
                                max_bytes);
        return NULL;
    }
    gql_arena *arena = gql_arena_new_sized(len * 4 + 1024);
    gql_document *doc = arena ? gql_arena_alloc(arena, sizeof *doc) : NULL;
    char *copy, *values;
    if (!doc || source_copies(arena, source, len, &copy, &values) < 0) {
        gql_arena_free(arena);
        if (errors)
            gql_error_list_add(errors, "Out of memory.", NULL, 0);
        return NULL;
    }
    parser ps;
    parser_init(&ps, arena, copy, values, len, opts);
    gql_node *root = parse_guarded(&ps, PARSE_DOCUMENT);
    if (!root) {
        report(&ps, copy, len, errors);
        parser_dispose(&ps);
        gql_arena_free(arena);
        return NULL;
    }
    parser_dispose(&ps);
    doc->arena = arena;
    doc->source = copy;
    doc->source_len = len;
    doc->root = root;
    /* parse_many(SOF, ..., EOF) advanced onto <EOF> and past it: advance
     * counted both. */
    doc->token_count = ps.max_tokens - ps.tokens_left - 2;
    return doc;
}

void gql_document_free(gql_document *doc)
{
    if (doc)
        gql_arena_free(doc->arena);
}

/* parseValue / parseConstValue / parseType: SOF, the item, EOF. */
static gql_node *parse_standalone(gql_arena *arena, const char *source, size_t len, int what,
                                  gql_error_list *errors)
{
    char *copy, *values;
    if (source_copies(arena, source, len, &copy, &values) < 0) {
        if (errors)
            gql_error_list_add(errors, "Out of memory.", NULL, 0);
        return NULL;
    }
    parser ps;
    parser_init(&ps, arena, copy, values, len, NULL);
    gql_node *n = parse_guarded(&ps, what);
    if (!n)
        report(&ps, source, len, errors);
    parser_dispose(&ps);
    return n;
}

gql_node *gql_parse_value(gql_arena *arena, const char *source, size_t len, int is_const,
                          gql_error_list *errors)
{
    return parse_standalone(arena, source, len, is_const ? PARSE_CONST_VALUE : PARSE_VALUE, errors);
}

gql_node *gql_parse_type(gql_arena *arena, const char *source, size_t len, gql_error_list *errors)
{
    return parse_standalone(arena, source, len, PARSE_TYPE, errors);
}

gql_location gql_source_location(const char *source, size_t len, size_t offset)
{
    /* graphql-js getLocation: every line break (\r\n, \r or \n) that starts
     * before the offset ends a line; the column counts UTF-16 units. */
    const unsigned char *s = (const unsigned char *)source;
    uint32_t line = 1;
    size_t line_start = 0;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        if (s[i] == '\n' || s[i] == '\r') {
            if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
                i++;
            line++;
            line_start = i + 1;
        }
    }
    if (line_start > offset)
        return (gql_location){line, 0}; /* offset inside a \r\n pair */
    uint32_t col = 1;
    size_t i = line_start;
    while (i < offset) {
        size_t used;
        unsigned cp = gql_utf8_decode(s + i, len - i, &used);
        col += cp >= 0x10000 ? 2 : 1;
        i += used;
    }
    return (gql_location){line, col};
}

gql_location gql_node_location(const gql_document *doc, const gql_node *node)
{
    return gql_source_location(doc->source, doc->source_len, node->start);
}
