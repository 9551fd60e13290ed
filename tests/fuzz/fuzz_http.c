/* fuzz_http.c: libFuzzer target for the GraphQL-over-HTTP request decoding
 * of gqlsse-fcgi (src/http/request.c): Accept negotiation, query strings and
 * form bodies (application/x-www-form-urlencoded), JSON and
 * application/graphql bodies, as gqlsse_gql_params_read reads them.
 *
 * Input: "CONTENT_TYPE\nACCEPT\nQUERY_STRING\nBODY" (missing lines are
 * empty). The params go through the FastCGI name-value decoding as the
 * worker's do. Checked: Accept gives one of the four results; GET and POST
 * give 0 with a query, or 400/415 with a message; variables and extensions
 * are objects; a value percent-encoded into a form comes back from
 * gqlsse_form_get byte for byte.
 *
 *   make fuzz FUZZ_TARGET=http && ./fuzz/fuzz_http CRASH-FILE
 */
#define FUZZ_NAME "fuzz_http"
#include "fuzz_check.h"

#include "http/request.h"
#include "fuzz_params.h"

#include <gqlsse/buf.h>

#include <string.h>

static void put_nv(gql_buf *b, const char *name, const char *value, size_t vlen)
{
    size_t nl = strlen(name);
    gql_buf_putc(b, (char)nl);
    unsigned char l[4] = {(unsigned char)(0x80 | (vlen >> 24)), (unsigned char)(vlen >> 16),
                          (unsigned char)(vlen >> 8), (unsigned char)vlen};
    gql_buf_append(b, (const char *)l, 4);
    gql_buf_append(b, name, nl);
    gql_buf_append(b, value, vlen);
}

/* The next line of the input (without '\n'), or the rest. */
static const char *next_line(const char **p, const char *end, size_t *len)
{
    const char *s = *p;
    const char *nl = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;
    *len = nl ? (size_t)(nl - s) : (size_t)(end - s);
    *p = nl ? nl + 1 : end;
    return s;
}

static void check_read(const gqlsse_request *r, int is_post)
{
    fuzz_check_params_read(r, is_post);
}

/* form_get(percent-encode(value)) == value for NUL-free values. */
static void check_form_roundtrip(const char *v, size_t n)
{
    if (memchr(v, '\0', n))
        return;
    static const char hex[] = "0123456789ABCDEF";
    gql_buf f = GQL_BUF_INIT;
    gql_buf_puts(&f, "a=1&query=");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            gql_buf_putc(&f, (char)c);
        else if (c == ' ')
            gql_buf_putc(&f, '+');
        else {
            gql_buf_putc(&f, '%');
            gql_buf_putc(&f, hex[c >> 4]);
            gql_buf_putc(&f, hex[c & 15]);
        }
    }
    gql_buf_puts(&f, "&query=second");
    CHECK(!f.oom, "out of memory");
    char *got = gqlsse_form_get(f.data, f.len, "query");
    CHECK(got && strlen(got) == n && memcmp(got, v, n) == 0,
          "a percent-encoded form value does not decode to itself");
    free(got);
    gql_buf_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input = data;
    fuzz_input_size = size;
    const char *p = (const char *)data, *end = p + size;
    size_t ctl, accl, qsl;
    const char *ct = next_line(&p, end, &ctl);
    const char *acc = next_line(&p, end, &accl);
    const char *qs = next_line(&p, end, &qsl);
    const char *body = p;
    size_t body_len = (size_t)(end - p);

    /* Accept */
    char *accept = strndup(acc, accl);
    CHECK(accept, "out of memory");
    gqlsse_accept a = gqlsse_accept_negotiate(accept);
    CHECK(a >= GQLSSE_ACCEPT_NONE && a <= GQLSSE_ACCEPT_EVENT_STREAM, "Accept out of range");
    CHECK(gqlsse_accept_negotiate(NULL) == GQLSSE_ACCEPT_JSON, "no Accept is not JSON");
    free(accept);

    /* the request as the worker holds it */
    gql_buf raw = GQL_BUF_INIT;
    put_nv(&raw, "CONTENT_TYPE", ct, ctl);
    put_nv(&raw, "QUERY_STRING", qs, qsl);
    put_nv(&raw, "HTTP_ACCEPT", acc, accl);
    CHECK(!raw.oom, "out of memory");
    gqlsse_request r = {0};
    CHECK(gqlsse_request_add_raw_params(&r, (const unsigned char *)raw.data, raw.len,
                                        raw.len) == 0,
          "params refused");
    if (gqlsse_request_decode_params(&r) == 0) {
        /* Params with a NUL byte are refused; otherwise they are what was sent. */
        const char *got = gqlsse_request_param(&r, "QUERY_STRING");
        CHECK(got && strlen(got) == qsl && memcmp(got, qs, qsl) == 0,
              "QUERY_STRING differs from what was sent");
        gqlsse_request_add_body(&r, body, body_len, 1u << 20);
        CHECK(r.body_len == body_len, "body bytes lost");
        check_read(&r, 0);
        check_read(&r, 1);
        /* every key of the query string */
        static const char *const keys[] = {"query", "operationName", "variables",
                                           "extensions", "token", ""};
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
            char *v = gqlsse_form_get(got, qsl, keys[k]);
            CHECK(!v || strlen(v) <= qsl, "a decoded form value is longer than the form");
            free(v);
        }
    } else
        CHECK(memchr(ct, '\0', ctl) || memchr(acc, '\0', accl) || memchr(qs, '\0', qsl),
              "NUL-free params refused");
    gqlsse_request_clear(&r);
    gql_buf_free(&raw);

    check_form_roundtrip(body, body_len < 512 ? body_len : 512);
    return 0;
}
