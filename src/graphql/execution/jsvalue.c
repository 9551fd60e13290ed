/* jsvalue.c: JavaScript semantics over json-c values, for messages and output
 * that must read exactly as graphql-js's: inspect(), JSON.stringify() key
 * order, Number(string) and Number.isInteger(). */
#include "config.h"

#include "graphql/execution/exec_internal.h"
#include "util/jsnum.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void gqlx_number_write(gql_buf *out, double d)
{
    char tmp[GQL_JSNUM_BUFSIZE];
    size_t n = gql_jsnum_format(d, tmp);
    gqlx_put(out, tmp, n);
}

int gqlx_is_integer(double d)
{
    return isfinite(d) && floor(d) == d;
}

int gqlx_is_number(json_object *v)
{
    json_type t = json_object_get_type(v);
    return t == json_type_int || t == json_type_double;
}

json_object *gqlx_number_new(double d)
{
    if (gqlx_is_integer(d) && fabs(d) < 9007199254740992.0 && !(d == 0 && signbit(d)))
        return json_object_new_int64((int64_t)d);
    return json_object_new_double(d);
}

/* An array index key ("0", "17"; < 2^32 - 1), which JavaScript lists first. */
static int index_key(const char *k, uint64_t *value)
{
    if (k[0] < '0' || k[0] > '9' || (k[0] == '0' && k[1] != '\0'))
        return 0;
    uint64_t v = 0;
    for (const char *p = k; *p; p++) {
        if (*p < '0' || *p > '9' || p - k >= 10)
            return 0;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (v >= 4294967295u)
        return 0;
    *value = v;
    return 1;
}

typedef struct okey {
    const char *key;
    uint64_t index;
    int is_index;
    uint32_t pos;
} okey;

static int okey_cmp(const void *a, const void *b)
{
    const okey *x = a, *y = b;
    if (x->is_index != y->is_index)
        return x->is_index ? -1 : 1;
    if (x->is_index)
        return x->index < y->index ? -1 : x->index > y->index;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The keys of `obj` in JavaScript order, malloc'd (caller frees); count in *n. */
static okey *ordered_keys(json_object *obj, uint32_t *n)
{
    int len = json_object_object_length(obj);
    *n = 0;
    if (len <= 0)
        return NULL;
    okey *keys = malloc(sizeof *keys * (size_t)len);
    if (!keys)
        return NULL;
    uint32_t i = 0;
    int any_index = 0;
    json_object_object_foreach(obj, k, v) {
        (void)v;
        keys[i].key = k;
        keys[i].pos = i;
        keys[i].is_index = index_key(k, &keys[i].index);
        any_index |= keys[i].is_index;
        i++;
    }
    if (any_index)
        qsort(keys, i, sizeof *keys, okey_cmp);
    *n = i;
    return keys;
}

uint32_t gqlx_object_keys(json_object *obj, gql_arena *arena, const char ***out)
{
    uint32_t n;
    okey *keys = ordered_keys(obj, &n);
    *out = NULL;
    if (!keys)
        return 0;
    const char **arr = gql_arena_alloc(arena, sizeof *arr * n);
    if (!arr) {
        free(keys);
        return 0;
    }
    for (uint32_t i = 0; i < n; i++)
        arr[i] = keys[i].key;
    free(keys);
    *out = arr;
    return n;
}

/* 1 for the bytes JSON.stringify copies as they are. */
static const unsigned char plain_byte[256] = {
#define P4 1, 1, 1, 1
#define P16 P4, P4, P4, P4
    /* 0x00-0x1f */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 0x20-0x2f: '"' is 0x22 */ 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 0x30-0x5f: '\\' is 0x5c */ P16, P16, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    /* 0x60-0x7f */ P16, P16,
    /* 0x80-0xff: UTF-8 is checked by gql_buf_json_string */
#undef P16
#undef P4
};

void gqlx_json_string(gql_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && plain_byte[u[i]])
        i++;
    if (i < n || b->len + n + 2 >= b->cap) {
        gql_buf_json_string(b, s, n);
        return;
    }
    char *d = b->data + b->len;
    d[0] = '"';
    memcpy(d + 1, s, n);
    d[n + 1] = '"';
    d[n + 2] = '\0';
    b->len += n + 2;
}

static void write_string(gql_buf *out, json_object *v)
{
    gqlx_json_string(out, json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

void gqlx_json_write(gql_buf *out, json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        gqlx_puts_lit(out, "null");
        break;
    case json_type_boolean:
        if (json_object_get_boolean(v))
            gqlx_puts_lit(out, "true");
        else
            gqlx_puts_lit(out, "false");
        break;
    case json_type_int:
    case json_type_double: {
        double d = json_object_get_double(v);
        if (isfinite(d))
            gqlx_number_write(out, d);
        else
            gql_buf_puts(out, "null");
        break;
    }
    case json_type_string:
        write_string(out, v);
        break;
    case json_type_array: {
        size_t n = json_object_array_length(v);
        gql_buf_putc(out, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                gql_buf_putc(out, ',');
            gqlx_json_write(out, json_object_array_get_idx(v, i));
        }
        gql_buf_putc(out, ']');
        break;
    }
    case json_type_object: {
        uint32_t n;
        okey *keys = ordered_keys(v, &n);
        if (!keys && json_object_object_length(v) > 0) {
            out->oom = 1;
            return;
        }
        gql_buf_putc(out, '{');
        for (uint32_t i = 0; i < n; i++) {
            if (i)
                gql_buf_putc(out, ',');
            gql_buf_json_string(out, keys[i].key, strlen(keys[i].key));
            gql_buf_putc(out, ':');
            gqlx_json_write(out, json_object_object_get(v, keys[i].key));
        }
        gql_buf_putc(out, '}');
        free(keys);
        break;
    }
    }
}

/* graphql-js inspect's formatValue; `depth` is the length of seenValues. */
static void inspect_value(gql_buf *out, json_object *v, unsigned depth)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        gql_buf_puts(out, "null");
        return;
    case json_type_boolean:
        gql_buf_puts(out, json_object_get_boolean(v) ? "true" : "false");
        return;
    case json_type_int:
    case json_type_double:
        gqlx_number_write(out, json_object_get_double(v));
        return;
    case json_type_string:
        write_string(out, v);
        return;
    case json_type_array: {
        size_t n = json_object_array_length(v);
        if (n == 0) {
            gql_buf_puts(out, "[]");
            return;
        }
        if (depth + 1 > 2) {
            gql_buf_puts(out, "[Array]");
            return;
        }
        size_t len = n < 10 ? n : 10;
        gql_buf_putc(out, '[');
        for (size_t i = 0; i < len; i++) {
            if (i)
                gql_buf_puts(out, ", ");
            inspect_value(out, json_object_array_get_idx(v, i), depth + 1);
        }
        if (n - len == 1)
            gql_buf_puts(out, ", ... 1 more item");
        else if (n - len > 1)
            gql_buf_printf(out, ", ... %zu more items", n - len);
        gql_buf_putc(out, ']');
        return;
    }
    case json_type_object: {
        uint32_t n;
        okey *keys = ordered_keys(v, &n);
        if (n == 0) {
            gql_buf_puts(out, "{}");
            return;
        }
        if (depth + 1 > 2) {
            gql_buf_puts(out, "[Object]");
            free(keys);
            return;
        }
        gql_buf_puts(out, "{ ");
        for (uint32_t i = 0; i < n; i++) {
            if (i)
                gql_buf_puts(out, ", ");
            gql_buf_puts(out, keys[i].key);
            gql_buf_puts(out, ": ");
            inspect_value(out, json_object_object_get(v, keys[i].key), depth + 1);
        }
        gql_buf_puts(out, " }");
        free(keys);
        return;
    }
    }
}

void gqlx_inspect(gql_buf *out, json_object *v)
{
    inspect_value(out, v, 0);
}

/* JavaScript WhiteSpace or LineTerminator at s (n bytes left): its length, or 0. */
static size_t js_space(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
        return 1;
    if (s[0] < 0x80)
        return 0;
    size_t used;
    unsigned cp = gql_utf8_decode(s, n, &used);
    if (cp == 0xA0 || cp == 0xFEFF || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
        cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000)
        return used;
    return 0;
}

static int digit_value(char c, int base)
{
    int d;
    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (c >= 'a' && c <= 'z')
        d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z')
        d = c - 'A' + 10;
    else
        return -1;
    return d < base ? d : -1;
}

double gqlx_string_to_number(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t a = 0, b = n, k;
    while (a < b && (k = js_space(s + a, b - a)) > 0)
        a += k;
    /* trailing space: scan forward, remembering where the last non-space ended */
    size_t end = a;
    for (size_t i = a; i < b;) {
        k = js_space(s + i, b - i);
        if (k) {
            i += k;
        } else {
            size_t used = 1;
            if (s[i] >= 0x80)
                gql_utf8_decode(s + i, b - i, &used);
            i += used;
            end = i;
        }
    }
    b = end;
    if (a == b)
        return 0;
    const char *p = str + a;
    size_t len = b - a;
    if (len > 2 && p[0] == '0') {
        int base = 0;
        if (p[1] == 'x' || p[1] == 'X')
            base = 16;
        else if (p[1] == 'o' || p[1] == 'O')
            base = 8;
        else if (p[1] == 'b' || p[1] == 'B')
            base = 2;
        if (base) {
            double v = 0;
            for (size_t i = 2; i < len; i++) {
                int d = digit_value(p[i], base);
                if (d < 0)
                    return NAN;
                v = v * base + d;
            }
            return v;
        }
    }
    size_t i = 0;
    int neg = 0;
    if (p[0] == '+' || p[0] == '-') {
        neg = p[0] == '-';
        i = 1;
    }
    if (len - i == 8 && memcmp(p + i, "Infinity", 8) == 0)
        return neg ? -INFINITY : INFINITY;
    size_t int_digits = 0, frac_digits = 0;
    while (i < len && p[i] >= '0' && p[i] <= '9') {
        i++;
        int_digits++;
    }
    if (i < len && p[i] == '.') {
        i++;
        while (i < len && p[i] >= '0' && p[i] <= '9') {
            i++;
            frac_digits++;
        }
    }
    if (int_digits + frac_digits == 0)
        return NAN;
    if (i < len && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < len && (p[i] == '+' || p[i] == '-'))
            i++;
        size_t exp_digits = 0;
        while (i < len && p[i] >= '0' && p[i] <= '9') {
            i++;
            exp_digits++;
        }
        if (exp_digits == 0)
            return NAN;
    }
    if (i != len)
        return NAN;
    char buf[128];
    char *copy = len < sizeof buf ? buf : malloc(len + 1);
    if (!copy)
        return NAN;
    memcpy(copy, p, len);
    copy[len] = '\0';
    double v = strtod(copy, NULL);
    if (copy != buf)
        free(copy);
    return v;
}

char *gqlx_buf_arena(gql_buf *b, gql_arena *arena)
{
    char *s = b->oom ? NULL : gql_arena_strndup(arena, b->data ? b->data : "", b->len);
    gql_buf_free(b);
    return s ? s : (char *)"out of memory";
}

/* ---- JSON.parse ---- */

typedef struct jparser {
    const char *s;
    size_t n, i;
    unsigned depth;
    const char *error;
} jparser;

#define JSON_MAX_DEPTH 4096u

static void jp_space(jparser *p)
{
    while (p->i < p->n &&
           (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

static int jp_fail(jparser *p, const char *what)
{
    if (!p->error)
        p->error = what;
    return -1;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int d = digit_value(s[k], 16);
        if (d < 0)
            return -1;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 0;
}

/* A string at p->i (the opening quote) into `b`. */
static int jp_string(jparser *p, gql_buf *b)
{
    p->i++;
    for (;;) {
        if (p->i >= p->n)
            return jp_fail(p, "unterminated string");
        unsigned char ch = (unsigned char)p->s[p->i];
        if (ch == '"') {
            p->i++;
            return b->oom ? jp_fail(p, "out of memory") : 0;
        }
        if (ch < 0x20)
            return jp_fail(p, "control character in string");
        if (ch != '\\') {
            size_t start = p->i;
            while (p->i < p->n && p->s[p->i] != '"' && p->s[p->i] != '\\' &&
                   (unsigned char)p->s[p->i] >= 0x20)
                p->i++;
            gql_buf_append(b, p->s + start, p->i - start);
            continue;
        }
        if (p->i + 1 >= p->n)
            return jp_fail(p, "unterminated string");
        char e = p->s[p->i + 1];
        p->i += 2;
        switch (e) {
        case '"': gql_buf_putc(b, '"'); break;
        case '\\': gql_buf_putc(b, '\\'); break;
        case '/': gql_buf_putc(b, '/'); break;
        case 'b': gql_buf_putc(b, '\b'); break;
        case 'f': gql_buf_putc(b, '\f'); break;
        case 'n': gql_buf_putc(b, '\n'); break;
        case 'r': gql_buf_putc(b, '\r'); break;
        case 't': gql_buf_putc(b, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (p->i + 4 > p->n || hex4(p->s + p->i, &cp) < 0)
                return jp_fail(p, "bad \\u escape");
            p->i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && p->i + 6 <= p->n && p->s[p->i] == '\\' &&
                p->s[p->i + 1] == 'u' && hex4(p->s + p->i + 2, &lo) == 0 && lo >= 0xDC00 &&
                lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p->i += 6;
            }
            char enc[4];
            gql_buf_append(b, enc, gql_utf8_encode(cp, enc));
            break;
        }
        default:
            return jp_fail(p, "bad escape in string");
        }
    }
}

static int jp_value(jparser *p, json_object **out);

static int jp_number(jparser *p, json_object **out)
{
    size_t start = p->i;
    if (p->s[p->i] == '-')
        p->i++;
    if (p->i < p->n && p->s[p->i] == '0') {
        p->i++;
    } else if (p->i < p->n && p->s[p->i] >= '1' && p->s[p->i] <= '9') {
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    } else {
        return jp_fail(p, "bad number");
    }
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
            return jp_fail(p, "bad number");
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
            return jp_fail(p, "bad number");
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    char buf[64];
    size_t len = p->i - start;
    char *copy = len < sizeof buf ? buf : malloc(len + 1);
    if (!copy)
        return jp_fail(p, "out of memory");
    memcpy(copy, p->s + start, len);
    copy[len] = '\0';
    double d = strtod(copy, NULL);
    if (copy != buf)
        free(copy);
    *out = gqlx_number_new(d);
    return *out ? 0 : jp_fail(p, "out of memory");
}

static int jp_word(jparser *p, const char *w)
{
    size_t len = strlen(w);
    if (p->n - p->i < len || memcmp(p->s + p->i, w, len) != 0)
        return jp_fail(p, "unexpected character");
    p->i += len;
    return 0;
}

static int jp_value(jparser *p, json_object **out)
{
    *out = NULL;
    jp_space(p);
    if (p->i >= p->n)
        return jp_fail(p, "unexpected end of input");
    char ch = p->s[p->i];
    if (ch == '"') {
        gql_buf b = GQL_BUF_INIT;
        if (jp_string(p, &b) < 0) {
            gql_buf_free(&b);
            return -1;
        }
        *out = json_object_new_string_len(b.data ? b.data : "", (int)b.len);
        gql_buf_free(&b);
        return *out ? 0 : jp_fail(p, "out of memory");
    }
    if (ch == '-' || (ch >= '0' && ch <= '9'))
        return jp_number(p, out);
    if (ch == 't') {
        if (jp_word(p, "true") < 0)
            return -1;
        *out = json_object_new_boolean(1);
        return 0;
    }
    if (ch == 'f') {
        if (jp_word(p, "false") < 0)
            return -1;
        *out = json_object_new_boolean(0);
        return 0;
    }
    if (ch == 'n')
        return jp_word(p, "null");
    if (ch != '[' && ch != '{')
        return jp_fail(p, "unexpected character");
    if (++p->depth > JSON_MAX_DEPTH)
        return jp_fail(p, "nested too deeply");
    p->i++;
    jp_space(p);
    if (ch == '[') {
        json_object *arr = json_object_new_array();
        if (!arr)
            return jp_fail(p, "out of memory");
        if (p->i < p->n && p->s[p->i] == ']') {
            p->i++;
        } else {
            for (;;) {
                json_object *item;
                if (jp_value(p, &item) < 0) {
                    json_object_put(arr);
                    return -1;
                }
                json_object_array_add(arr, item);
                jp_space(p);
                if (p->i < p->n && p->s[p->i] == ',') {
                    p->i++;
                    continue;
                }
                if (p->i < p->n && p->s[p->i] == ']') {
                    p->i++;
                    break;
                }
                json_object_put(arr);
                return jp_fail(p, p->i < p->n ? "unexpected character" : "unexpected end of input");
            }
        }
        p->depth--;
        *out = arr;
        return 0;
    }
    json_object *obj = json_object_new_object();
    if (!obj)
        return jp_fail(p, "out of memory");
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
    } else {
        for (;;) {
            jp_space(p);
            gql_buf key = GQL_BUF_INIT;
            json_object *item;
            if (p->i >= p->n || p->s[p->i] != '"' || jp_string(p, &key) < 0) {
                gql_buf_free(&key);
                json_object_put(obj);
                return jp_fail(p, "expected a property name");
            }
            jp_space(p);
            if (p->i >= p->n || p->s[p->i] != ':') {
                gql_buf_free(&key);
                json_object_put(obj);
                return jp_fail(p, "expected ':'");
            }
            p->i++;
            if (jp_value(p, &item) < 0) {
                gql_buf_free(&key);
                json_object_put(obj);
                return -1;
            }
            /* a repeated key keeps its first position and takes the last value,
             * as JSON.parse does */
            json_object_object_add(obj, key.data ? key.data : "", item);
            gql_buf_free(&key);
            jp_space(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                continue;
            }
            if (p->i < p->n && p->s[p->i] == '}') {
                p->i++;
                break;
            }
            json_object_put(obj);
            return jp_fail(p, p->i < p->n ? "unexpected character" : "unexpected end of input");
        }
    }
    p->depth--;
    *out = obj;
    return 0;
}

int gql_json_parse(const char *text, size_t len, json_object **out, char *errbuf, size_t errlen)
{
    jparser p = {text, len, 0, 0, NULL};
    json_object *v = NULL;
    if (jp_value(&p, &v) == 0) {
        jp_space(&p);
        if (p.i == p.n) {
            *out = v;
            return 0;
        }
        json_object_put(v);
        p.error = "unexpected text after the value";
    }
    *out = NULL;
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "%s at position %zu", p.error ? p.error : "invalid JSON", p.i);
    return -1;
}
