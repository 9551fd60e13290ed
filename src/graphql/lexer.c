/* lexer.c: GraphQL lexer over UTF-8 bytes with graphql-js 16's token rules,
 * error messages and positions (a JavaScript string of the same source is the
 * model: invalid UTF-8 reads as U+FFFD, columns count UTF-16 units). */
#include "config.h"

#include "graphql/lexer.h"

#include <gqlsse/buf.h>

#include <stdio.h>
#include <string.h>

/* Error messages are built in a gql_buf; U+0000 is written as the overlong
 * pair C0 80 so messages stay NUL-terminated C strings (the JSON writer turns
 * it back into \u0000). */
static void msg_codepoint(gql_buf *b, unsigned cp)
{
    if (cp == 0) {
        gql_buf_append(b, "\xC0\x80", 2);
        return;
    }
    char u[4];
    gql_buf_append(b, u, gql_utf8_encode(cp, u));
}

/* Appends source bytes [pos, len) to a message, at most `units` UTF-16 code
 * units, as a JavaScript body.slice(pos, pos + units) would give them: a
 * character outside the BMP cut in half leaves its high surrogate. */
static void msg_slice_units(gql_buf *b, const unsigned char *s, size_t len, size_t pos,
                            size_t units)
{
    while (units > 0 && pos < len) {
        size_t used;
        unsigned cp = gql_utf8_decode(s + pos, len - pos, &used);
        if (cp >= 0x10000) {
            if (units == 1) {
                msg_codepoint(b, 0xD800 + ((cp - 0x10000) >> 10));
                return;
            }
            units -= 2;
        } else {
            units -= 1;
        }
        msg_codepoint(b, cp);
        pos += used;
    }
}

_Noreturn void gql_lexer_fail(gql_lexer *lx, uint32_t offset, const char *message)
{
    lx->error_message = gql_arena_strdup(lx->arena, message);
    if (!lx->error_message)
        lx->error_message = "Out of memory.";
    lx->error_offset = offset;
    longjmp(*lx->on_error, 1);
}

static _Noreturn void fail_buf(gql_lexer *lx, uint32_t offset, gql_buf *b)
{
    char *m = gql_arena_strndup(lx->arena, b->data ? b->data : "", b->len);
    gql_buf_free(b);
    lx->error_message = m ? m : "Out of memory.";
    lx->error_offset = offset;
    longjmp(*lx->on_error, 1);
}

static _Noreturn void fail_oom(gql_lexer *lx, uint32_t offset)
{
    gql_lexer_fail(lx, offset, "Out of memory.");
}

/* graphql-js printCodePointAt. */
static void msg_code_point_at(gql_lexer *lx, gql_buf *b, size_t pos)
{
    if (pos >= lx->len) {
        gql_buf_puts(b, "<EOF>");
        return;
    }
    size_t used;
    unsigned cp = gql_utf8_decode(lx->src + pos, lx->len - pos, &used);
    if (cp >= 0x20 && cp <= 0x7E) {
        if (cp == '"')
            gql_buf_puts(b, "'\"'");
        else
            gql_buf_printf(b, "\"%c\"", (char)cp);
        return;
    }
    gql_buf_printf(b, "U+%04X", cp);
}

static _Noreturn void fail_code_point(gql_lexer *lx, size_t pos, const char *prefix)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, prefix);
    msg_code_point_at(lx, &b, pos);
    gql_buf_putc(&b, '.');
    fail_buf(lx, (uint32_t)pos, &b);
}

void gql_lexer_init(gql_lexer *lx, const char *src, size_t len, gql_arena *arena,
                    jmp_buf *on_error)
{
    memset(lx, 0, sizeof *lx);
    lx->src = (const unsigned char *)src;
    lx->len = len;
    lx->arena = arena;
    lx->on_error = on_error;
    lx->token.kind = GQL_TOK_SOF;
    lx->last_token = lx->token;
}

static inline int is_digit(int c)
{
    return c >= '0' && c <= '9';
}
static inline int is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Byte at pos, or -1 past the end (JavaScript's NaN from charCodeAt). */
static inline int byte_at(const gql_lexer *lx, size_t pos)
{
    return pos < lx->len ? lx->src[pos] : -1;
}

static gql_token make(gql_token_kind kind, size_t start, size_t end)
{
    gql_token t = {kind, (uint32_t)start, (uint32_t)end, 0, NULL};
    return t;
}

/* Appends source bytes to a value, reading invalid UTF-8 as U+FFFD. */
static void append_source(gql_buf *b, const unsigned char *s, size_t n)
{
    size_t i = 0, run = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t used;
        unsigned cp = gql_utf8_decode(s + i, n - i, &used);
        if (cp == 0xFFFD && !(used == 3 && s[i] == 0xEF)) {
            gql_buf_append(b, (const char *)s + run, i - run);
            gql_buf_append(b, "\xEF\xBF\xBD", 3);
            i += used;
            run = i;
            continue;
        }
        i += used;
    }
    gql_buf_append(b, (const char *)s + run, n - run);
}

/* Copies the scratch value into the arena as the token's value. */
static void token_set_value(gql_lexer *lx, gql_token *t, gql_buf *b)
{
    if (b->oom)
        fail_oom(lx, t->start);
    char *v = gql_arena_strndup(lx->arena, b->data ? b->data : "", b->len);
    size_t n = b->len;
    if (!v)
        fail_oom(lx, t->start);
    t->value = v;
    t->value_len = (uint32_t)n;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int is_scalar_value(long cp)
{
    return (cp >= 0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0x10FFFF);
}

/* read16BitHexCode: negative when any digit is not hex. */
static long hex16(const gql_lexer *lx, size_t pos)
{
    int32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(byte_at(lx, pos + (size_t)i));
        v = (int32_t)((uint32_t)v << 4) | d; /* -1 sets every bit: negative */
        if (d < 0)
            v = -1;
    }
    return v;
}

static _Noreturn void fail_escape(gql_lexer *lx, size_t pos, size_t units, const char *what)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, what);
    gql_buf_puts(&b, ": \"");
    msg_slice_units(&b, lx->src, lx->len, pos, units);
    gql_buf_puts(&b, "\".");
    fail_buf(lx, (uint32_t)pos, &b);
}

/* Reads one escape sequence at pos (the backslash) into b; returns its size
 * in bytes (all escape characters are ASCII). */
static size_t read_escape(gql_lexer *lx, size_t pos, gql_buf *b)
{
    int c = byte_at(lx, pos + 1);
    if (c == 'u') {
        if (byte_at(lx, pos + 2) == '{') {
            /* \u{X...}: graphql-js reads at most 12 code units. */
            int32_t point = 0;
            size_t size = 3;
            while (size < 12) {
                int code = byte_at(lx, pos + size++);
                if (code == '}') {
                    if (size < 5 || !is_scalar_value(point))
                        break;
                    char u[4];
                    gql_buf_append(b, u, gql_utf8_encode((unsigned)point, u));
                    return size;
                }
                int d = hex_digit(code);
                point = d < 0 ? -1 : (int32_t)((uint32_t)point << 4) | d;
                if (point < 0)
                    break;
            }
            fail_escape(lx, pos, size, "Invalid Unicode escape sequence");
        }
        long code = hex16(lx, pos + 2);
        if (is_scalar_value(code)) {
            char u[4];
            gql_buf_append(b, u, gql_utf8_encode((unsigned)code, u));
            return 6;
        }
        if (code >= 0xD800 && code <= 0xDBFF && byte_at(lx, pos + 6) == '\\' &&
            byte_at(lx, pos + 7) == 'u') {
            long trail = hex16(lx, pos + 8);
            if (trail >= 0xDC00 && trail <= 0xDFFF) {
                unsigned cp = 0x10000 + (((unsigned)code - 0xD800) << 10) + ((unsigned)trail - 0xDC00);
                char u[4];
                gql_buf_append(b, u, gql_utf8_encode(cp, u));
                return 12;
            }
        }
        fail_escape(lx, pos, 6, "Invalid Unicode escape sequence");
    }
    char ch;
    switch (c) {
    case '"': ch = '"'; break;
    case '\\': ch = '\\'; break;
    case '/': ch = '/'; break;
    case 'b': ch = '\b'; break;
    case 'f': ch = '\f'; break;
    case 'n': ch = '\n'; break;
    case 'r': ch = '\r'; break;
    case 't': ch = '\t'; break;
    default:
        fail_escape(lx, pos, 2, "Invalid character escape sequence");
    }
    gql_buf_putc(b, ch);
    return 2;
}

static gql_token read_string(gql_lexer *lx, size_t start)
{
    size_t pos = start + 1, chunk = pos;
    gql_buf *b = &lx->scratch;
    gql_buf_reset(b);
    int plain = lx->values != NULL; /* no escape, only ASCII so far */
    while (pos < lx->len) {
        int c = lx->src[pos];
        if (c == '"') {
            if (plain) {
                /* The value is the source text: take it from the lexer's
                 * copy, terminated where the closing quote was. */
                gql_token t = make(GQL_TOK_STRING, start, pos + 1);
                lx->values[pos] = '\0';
                t.value = lx->values + start + 1;
                t.value_len = (uint32_t)(pos - start - 1);
                return t;
            }
            append_source(b, lx->src + chunk, pos - chunk);
            gql_token t = make(GQL_TOK_STRING, start, pos + 1);
            token_set_value(lx, &t, b);
            return t;
        }
        if (c == '\\') {
            plain = 0;
            append_source(b, lx->src + chunk, pos - chunk);
            pos += read_escape(lx, pos, b);
            chunk = pos;
            continue;
        }
        if (c == '\n' || c == '\r')
            break;
        if (c >= 0x80)
            plain = 0; /* may need U+FFFD replacements */
        pos++; /* every other byte belongs to a Unicode scalar value (or U+FFFD) */
    }
    gql_lexer_fail(lx, (uint32_t)pos, "Unterminated string.");
}

/* dedentBlockStringLines over the raw lines in `raw` (joined with \n), then
 * joined with \n into `out`. */
static void dedent_block_string(const char *raw, size_t n, gql_buf *out)
{
    /* Pass 1: common indent of lines after the first, first/last non-empty. */
    size_t common = (size_t)-1;
    long first_ne = -1, last_ne = -1, line_no = 0;
    size_t i = 0;
    for (;;) {
        size_t ls = i;
        while (i < n && raw[i] != '\n')
            i++;
        size_t indent = 0;
        while (ls + indent < i && (raw[ls + indent] == ' ' || raw[ls + indent] == '\t'))
            indent++;
        if (indent != i - ls) {
            if (first_ne < 0)
                first_ne = line_no;
            last_ne = line_no;
            if (line_no != 0 && indent < common)
                common = indent;
        }
        if (i >= n)
            break;
        i++;
        line_no++;
    }
    if (first_ne < 0)
        first_ne = 0;
    /* Pass 2: emit lines first_ne..last_ne. */
    i = 0;
    line_no = 0;
    int emitted = 0;
    for (;;) {
        size_t ls = i;
        while (i < n && raw[i] != '\n')
            i++;
        if (line_no >= first_ne && line_no <= last_ne) {
            size_t from = ls;
            if (line_no != 0)
                from = (i - ls) > common ? ls + common : i;
            if (emitted)
                gql_buf_putc(out, '\n');
            gql_buf_append(out, raw + from, i - from);
            emitted = 1;
        }
        if (i >= n)
            break;
        i++;
        line_no++;
    }
    if (!out->data)
        gql_buf_append(out, "", 0);
}

static gql_token read_block_string(gql_lexer *lx, size_t start)
{
    size_t pos = start + 3, chunk = pos;
    gql_buf *raw = &lx->scratch;
    gql_buf_reset(raw);
    while (pos < lx->len) {
        int c = lx->src[pos];
        if (c == '"' && byte_at(lx, pos + 1) == '"' && byte_at(lx, pos + 2) == '"') {
            append_source(raw, lx->src + chunk, pos - chunk);
            gql_buf *out = &lx->scratch2;
            gql_buf_reset(out);
            dedent_block_string(raw->data ? raw->data : "", raw->len, out);
            gql_token t = make(GQL_TOK_BLOCK_STRING, start, pos + 3);
            if (raw->oom)
                out->oom = 1;
            token_set_value(lx, &t, out);
            return t;
        }
        if (c == '\\' && byte_at(lx, pos + 1) == '"' && byte_at(lx, pos + 2) == '"' &&
            byte_at(lx, pos + 3) == '"') {
            append_source(raw, lx->src + chunk, pos - chunk);
            chunk = pos + 1; /* drop only the backslash */
            pos += 4;
            continue;
        }
        if (c == '\n' || c == '\r') {
            append_source(raw, lx->src + chunk, pos - chunk);
            gql_buf_putc(raw, '\n');
            pos += (c == '\r' && byte_at(lx, pos + 1) == '\n') ? 2 : 1;
            chunk = pos;
            continue;
        }
        pos++;
    }
    gql_lexer_fail(lx, (uint32_t)pos, "Unterminated string.");
}

static size_t read_digits(gql_lexer *lx, size_t pos)
{
    if (!is_digit(byte_at(lx, pos)))
        fail_code_point(lx, pos, "Invalid number, expected digit but got: ");
    pos++;
    while (is_digit(byte_at(lx, pos)))
        pos++;
    return pos;
}

static gql_token read_number(gql_lexer *lx, size_t start)
{
    size_t pos = start;
    int is_float = 0;
    int c = byte_at(lx, pos);
    if (c == '-')
        c = byte_at(lx, ++pos);
    if (c == '0') {
        c = byte_at(lx, ++pos);
        if (is_digit(c))
            fail_code_point(lx, pos, "Invalid number, unexpected digit after 0: ");
    } else {
        pos = read_digits(lx, pos);
        c = byte_at(lx, pos);
    }
    if (c == '.') {
        is_float = 1;
        pos = read_digits(lx, pos + 1);
        c = byte_at(lx, pos);
    }
    if (c == 'E' || c == 'e') {
        is_float = 1;
        c = byte_at(lx, ++pos);
        if (c == '+' || c == '-')
            ++pos;
        pos = read_digits(lx, pos);
        c = byte_at(lx, pos);
    }
    if (c == '.' || is_name_start(c))
        fail_code_point(lx, pos, "Invalid number, expected digit but got: ");
    return make(is_float ? GQL_TOK_FLOAT : GQL_TOK_INT, start, pos);
}

/* The byte tables of lexer.h's fast path. */
#define R10(c, v) [c] = v, [c + 1] = v, [c + 2] = v, [c + 3] = v, [c + 4] = v, \
                  [c + 5] = v, [c + 6] = v, [c + 7] = v, [c + 8] = v, [c + 9] = v
const unsigned char gql_lex_class[256] = {
    [' '] = GQL_CC_IGNORED, ['\t'] = GQL_CC_IGNORED, [','] = GQL_CC_IGNORED,
    ['\n'] = GQL_CC_IGNORED, ['\r'] = GQL_CC_IGNORED, ['#'] = GQL_CC_COMMENT,
    ['!'] = GQL_CC_PUNCT, ['$'] = GQL_CC_PUNCT, ['&'] = GQL_CC_PUNCT, ['('] = GQL_CC_PUNCT,
    [')'] = GQL_CC_PUNCT, [':'] = GQL_CC_PUNCT, ['='] = GQL_CC_PUNCT, ['@'] = GQL_CC_PUNCT,
    ['['] = GQL_CC_PUNCT, [']'] = GQL_CC_PUNCT, ['{'] = GQL_CC_PUNCT, ['|'] = GQL_CC_PUNCT,
    ['}'] = GQL_CC_PUNCT,
    ['.'] = GQL_CC_DOT, ['"'] = GQL_CC_QUOTE, ['-'] = GQL_CC_NUMBER,
    R10('0', GQL_CC_NUMBER),
    R10('A', GQL_CC_NAME), R10('A' + 10, GQL_CC_NAME), ['U'] = GQL_CC_NAME,
    ['V'] = GQL_CC_NAME, ['W'] = GQL_CC_NAME, ['X'] = GQL_CC_NAME, ['Y'] = GQL_CC_NAME,
    ['Z'] = GQL_CC_NAME,
    R10('a', GQL_CC_NAME), R10('a' + 10, GQL_CC_NAME), ['u'] = GQL_CC_NAME,
    ['v'] = GQL_CC_NAME, ['w'] = GQL_CC_NAME, ['x'] = GQL_CC_NAME, ['y'] = GQL_CC_NAME,
    ['z'] = GQL_CC_NAME, ['_'] = GQL_CC_NAME,
};
#undef R10

const unsigned char gql_lex_punct_kind[128] = {
    ['!'] = GQL_TOK_BANG, ['$'] = GQL_TOK_DOLLAR, ['&'] = GQL_TOK_AMP,
    ['('] = GQL_TOK_PAREN_L, [')'] = GQL_TOK_PAREN_R, [':'] = GQL_TOK_COLON,
    ['='] = GQL_TOK_EQUALS, ['@'] = GQL_TOK_AT, ['['] = GQL_TOK_BRACKET_L,
    [']'] = GQL_TOK_BRACKET_R, ['{'] = GQL_TOK_BRACE_L, ['|'] = GQL_TOK_PIPE,
    ['}'] = GQL_TOK_BRACE_R,
};

#define R10(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, [c + 4] = 1, \
               [c + 5] = 1, [c + 6] = 1, [c + 7] = 1, [c + 8] = 1, [c + 9] = 1
const unsigned char gql_lex_name_byte[256] = {
    R10('0'), R10('A'), R10('A' + 10), ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1,
    ['Z'] = 1, R10('a'), R10('a' + 10), ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1,
    ['z'] = 1, ['_'] = 1,
};
#undef R10

/* Skips ignored bytes from pos (the NUL after the source is not one). */
static size_t skip_ignored(const unsigned char *s, size_t pos)
{
    for (;;) {
        pos = gql_lex_skip_spaces(s, pos);
        if (gql_lex_class[s[pos]] != GQL_CC_IGNORED)
            return pos;
        pos++;
    }
}

gql_token gql_lexer_read(gql_lexer *lx, size_t pos)
{
    const unsigned char *s = lx->src;
    size_t len = lx->len;
    while (pos < len) {
        unsigned char c = s[pos];
        switch (gql_lex_class[c]) {
        case GQL_CC_IGNORED:
            pos = skip_ignored(s, pos + 1);
            continue;
        case GQL_CC_COMMENT:
            /* A comment runs to the end of the line. */
            while (pos < len && s[pos] != '\n' && s[pos] != '\r')
                pos++;
            continue;
        case GQL_CC_PUNCT:
            return make((gql_token_kind)gql_lex_punct_kind[c], pos, pos + 1);
        case GQL_CC_NAME:
            return make(GQL_TOK_NAME, pos, gql_lex_name_end(s, pos + 1));
        case GQL_CC_NUMBER:
            return read_number(lx, pos);
        case GQL_CC_QUOTE:
            if (byte_at(lx, pos + 1) == '"' && byte_at(lx, pos + 2) == '"')
                return read_block_string(lx, pos);
            return read_string(lx, pos);
        case GQL_CC_DOT:
            if (byte_at(lx, pos + 1) == '.' && byte_at(lx, pos + 2) == '.')
                return make(GQL_TOK_SPREAD, pos, pos + 3);
            break;
        default:
            /* U+FEFF (byte order mark) is ignored like whitespace. */
            if (c == 0xEF && byte_at(lx, pos + 1) == 0xBB && byte_at(lx, pos + 2) == 0xBF) {
                pos += 3;
                continue;
            }
            break;
        }
        if (c == '\'')
            gql_lexer_fail(lx, (uint32_t)pos,
                           "Unexpected single quote character ('), did you mean to use a double quote (\")?");
        /* Text decoded from UTF-8 holds only Unicode scalar values, so
         * graphql-js's "Invalid character" (lone surrogates) cannot occur. */
        fail_code_point(lx, pos, "Unexpected character: ");
    }
    return make(GQL_TOK_EOF, len, len);
}

void gql_lexer_read_current(gql_lexer *lx, size_t pos)
{
    lx->token = gql_lexer_read(lx, pos);
}

void gql_lexer_dispose(gql_lexer *lx)
{
    gql_buf_free(&lx->scratch);
    gql_buf_free(&lx->scratch2);
}

const gql_token *gql_lexer_advance(gql_lexer *lx)
{
    lx->last_token = lx->token;
    if (lx->token.kind != GQL_TOK_EOF)
        lx->token = gql_lexer_read(lx, lx->token.end);
    return &lx->token;
}

gql_token gql_lexer_lookahead(gql_lexer *lx)
{
    if (lx->token.kind == GQL_TOK_EOF)
        return lx->token;
    return gql_lexer_read(lx, lx->token.end);
}

const char *gql_token_text(const gql_lexer *lx, const gql_token *t, uint32_t *len)
{
    if (t->kind == GQL_TOK_STRING || t->kind == GQL_TOK_BLOCK_STRING) {
        *len = t->value_len;
        return t->value;
    }
    *len = t->end - t->start;
    return (const char *)lx->src + t->start;
}

const char *gql_token_kind_desc(gql_token_kind kind)
{
    switch (kind) {
    case GQL_TOK_SOF: return "<SOF>";
    case GQL_TOK_EOF: return "<EOF>";
    case GQL_TOK_BANG: return "\"!\"";
    case GQL_TOK_DOLLAR: return "\"$\"";
    case GQL_TOK_AMP: return "\"&\"";
    case GQL_TOK_PAREN_L: return "\"(\"";
    case GQL_TOK_PAREN_R: return "\")\"";
    case GQL_TOK_SPREAD: return "\"...\"";
    case GQL_TOK_COLON: return "\":\"";
    case GQL_TOK_EQUALS: return "\"=\"";
    case GQL_TOK_AT: return "\"@\"";
    case GQL_TOK_BRACKET_L: return "\"[\"";
    case GQL_TOK_BRACKET_R: return "\"]\"";
    case GQL_TOK_BRACE_L: return "\"{\"";
    case GQL_TOK_PIPE: return "\"|\"";
    case GQL_TOK_BRACE_R: return "\"}\"";
    case GQL_TOK_NAME: return "Name";
    case GQL_TOK_INT: return "Int";
    case GQL_TOK_FLOAT: return "Float";
    case GQL_TOK_STRING: return "String";
    case GQL_TOK_BLOCK_STRING: return "BlockString";
    }
    return "?";
}

const char *gql_token_desc(gql_lexer *lx, const gql_token *t)
{
    const char *kind = gql_token_kind_desc(t->kind);
    if (t->kind < GQL_TOK_NAME)
        return kind;
    uint32_t n;
    const char *text = gql_token_text(lx, t, &n);
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, kind);
    gql_buf_puts(&b, " \"");
    for (uint32_t i = 0; i < n; i++) {
        if (text[i] == '\0')
            gql_buf_append(&b, "\xC0\x80", 2);
        else
            gql_buf_putc(&b, text[i]);
    }
    gql_buf_putc(&b, '"');
    char *d = b.oom ? NULL : gql_arena_strndup(lx->arena, b.data, b.len);
    gql_buf_free(&b);
    if (!d)
        fail_oom(lx, t->start);
    return d;
}
