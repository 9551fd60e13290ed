/* buf.c: growable buffer, UTF-8 helpers and JSON.stringify-compatible strings. */
#include "config.h"

#include <gqlsse/buf.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int buf_reserve(gql_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) {
        b->oom = 1;
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

void gql_buf_append(gql_buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void gql_buf_puts(gql_buf *b, const char *s)
{
    gql_buf_append(b, s, strlen(s));
}

void gql_buf_putc(gql_buf *b, char c)
{
    if (buf_reserve(b, 1) < 0)
        return;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void gql_buf_printf(gql_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *gql_buf_take(gql_buf *b)
{
    if (b->oom) {
        gql_buf_free(b);
        return NULL;
    }
    if (!b->data && buf_reserve(b, 0) < 0)
        return NULL;
    if (b->len == 0)
        b->data[0] = '\0';
    char *d = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void gql_buf_free(gql_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

void gql_buf_reset(gql_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

unsigned gql_utf8_decode(const unsigned char *s, size_t n, size_t *used)
{
    if (n == 0) {
        *used = 0;
        return 0xFFFD;
    }
    unsigned c = s[0];
    if (c < 0x80) {
        *used = 1;
        return c;
    }
    unsigned needed, cp, lower = 0x80, upper = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        needed = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (c == 0xE0)
            lower = 0xA0;
        if (c == 0xED)
            upper = 0x9F;
        needed = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (c == 0xF0)
            lower = 0x90;
        if (c == 0xF4)
            upper = 0x8F;
        needed = 3;
        cp = c & 0x07;
    } else {
        *used = 1;
        return 0xFFFD;
    }
    size_t i = 1;
    for (unsigned seen = 0; seen < needed; seen++, i++) {
        if (i >= n || s[i] < lower || s[i] > upper) {
            *used = i; /* the maximal subpart reads as one U+FFFD */
            return 0xFFFD;
        }
        lower = 0x80;
        upper = 0xBF;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *used = i;
    return cp;
}

size_t gql_utf8_encode(unsigned cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void gql_buf_json_string(gql_buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    static const char hex[] = "0123456789abcdef";
    gql_buf_putc(b, '"');
    size_t run = 0; /* start of a run of bytes copied verbatim */
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80) {
            /* Modified UTF-8 NUL (C0 80), used inside error messages. */
            if (c == 0xC0 && i + 1 < n && s[i + 1] == 0x80) {
                gql_buf_append(b, str + run, i - run);
                gql_buf_append(b, "\\u0000", 6);
                i += 2;
                run = i;
                continue;
            }
            /* WTF-8 encoded surrogate: JSON.stringify writes it as \udXXX. */
            if (c == 0xED && i + 2 < n && s[i + 1] >= 0xA0 && s[i + 1] <= 0xBF &&
                (s[i + 2] & 0xC0) == 0x80) {
                gql_buf_append(b, str + run, i - run);
                unsigned cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
                char esc[7] = {'\\', 'u', hex[cp >> 12], hex[(cp >> 8) & 15],
                               hex[(cp >> 4) & 15], hex[cp & 15], 0};
                gql_buf_append(b, esc, 6);
                i += 3;
                run = i;
                continue;
            }
            size_t used;
            unsigned cp = gql_utf8_decode(s + i, n - i, &used);
            if (cp == 0xFFFD && !(used == 3 && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBD)) {
                gql_buf_append(b, str + run, i - run);
                gql_buf_append(b, "\xEF\xBF\xBD", 3);
                i += used;
                run = i;
                continue;
            }
            i += used;
            continue;
        }
        gql_buf_append(b, str + run, i - run);
        switch (c) {
        case '"': gql_buf_append(b, "\\\"", 2); break;
        case '\\': gql_buf_append(b, "\\\\", 2); break;
        case '\b': gql_buf_append(b, "\\b", 2); break;
        case '\f': gql_buf_append(b, "\\f", 2); break;
        case '\n': gql_buf_append(b, "\\n", 2); break;
        case '\r': gql_buf_append(b, "\\r", 2); break;
        case '\t': gql_buf_append(b, "\\t", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            gql_buf_append(b, esc, 6);
        }
        }
        i++;
        run = i;
    }
    gql_buf_append(b, str + run, i - run);
    gql_buf_putc(b, '"');
}
