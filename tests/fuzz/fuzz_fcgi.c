/* fuzz_fcgi.c: libFuzzer target for the worker's FastCGI input: the record
 * stream (gqlsse_fcgi_record_next, as server.c's conn_input reads it), the
 * request state machine of conn_record (BEGIN_REQUEST, PARAMS, STDIN), the
 * name-value pair decoding of FCGI_PARAMS and the GraphQL-over-HTTP request
 * read from the decoded params and body.
 *
 * Each input is a FastCGI byte stream (what the web server writes). Checked:
 * records are framed within the input; decoded params are exactly the pairs
 * sent (each name found again by lookup, re-encoding them gives the same
 * pairs); the body is the STDIN bytes, whole, or dropped past the limit;
 * the GraphQL parameters come back as 0 with a query or as 400/415 with a
 * message.
 *
 *   make fuzz FUZZ_TARGET=fcgi && ./fuzz/fuzz_fcgi CRASH-FILE
 */
#define FUZZ_NAME "fuzz_fcgi"
#include "fuzz_check.h"

#include "http/request.h"
#include "fuzz_params.h"

#include <gqlsse/buf.h>

#include <string.h>

#define PARAMS_LIMIT 4096 /* small: the real 64 KiB limit works the same */
#define BODY_LIMIT 2048

/* The FastCGI encoding of one length (1 byte below 128, else 4). */
static void put_len(gql_buf *b, size_t n)
{
    if (n < 128) {
        gql_buf_putc(b, (char)n);
        return;
    }
    unsigned char l[4] = {(unsigned char)(0x80 | (n >> 24)), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    gql_buf_append(b, (const char *)l, 4);
}

/* The decoded params: nparams pairs of NUL-terminated name and value, no
 * other NUL, every name found by lookup (the first pair of that name), and
 * the same pairs when encoded and decoded again. */
static void check_params(const gqlsse_request *r)
{
    const char *p = r->params, *end = r->params + r->params_len;
    uint32_t pairs = 0;
    gql_buf enc = GQL_BUF_INIT;
    while (p && p < end) {
        const char *v = memchr(p, '\0', (size_t)(end - p));
        CHECK(v, "a param name is not NUL-terminated");
        v++;
        const char *next = memchr(v, '\0', (size_t)(end - v));
        CHECK(next, "a param value is not NUL-terminated");
        next++;
        const char *found = gqlsse_request_param(r, p);
        CHECK(found, "a decoded param is not found by its name");
        /* the first pair with this name wins */
        const char *q = r->params;
        while (strcmp(q, p) != 0)
            q += strlen(q) + 1, q += strlen(q) + 1;
        CHECK(found == q + strlen(q) + 1, "lookup does not return the first pair's value");
        put_len(&enc, strlen(p));
        put_len(&enc, strlen(v));
        gql_buf_puts(&enc, p);
        gql_buf_puts(&enc, v);
        pairs++;
        p = next;
    }
    CHECK(pairs == r->nparams, "nparams is not the number of decoded pairs");
    CHECK(!enc.oom, "out of memory");
    gqlsse_request again = {0};
    CHECK(gqlsse_request_add_raw_params(&again, (const unsigned char *)enc.data, enc.len,
                                        enc.len + 1) == 0,
          "re-encoded params refused");
    CHECK(gqlsse_request_decode_params(&again) == 0, "re-encoded params do not decode");
    CHECK(again.nparams == r->nparams && again.params_len == r->params_len &&
              (r->params_len == 0 || memcmp(again.params, r->params, r->params_len) == 0),
          "re-encoded params decode differently");
    gqlsse_request_clear(&again);
    gql_buf_free(&enc);
}

/* What handle_request reads before running the operation. */
static void check_http(const gqlsse_request *r, const gql_buf *stdin_bytes)
{
    CHECK(r->body_too_large || stdin_bytes->len <= BODY_LIMIT, "the body limit was not applied");
    if (!r->body_too_large) {
        CHECK(r->body_len == stdin_bytes->len, "body bytes were lost");
        CHECK(r->body_len == 0 ||
                  (memcmp(r->body, stdin_bytes->data, r->body_len) == 0 &&
                   r->body[r->body_len] == '\0'),
              "the body differs from the STDIN bytes");
    } else
        CHECK(r->body == NULL && r->body_len == 0, "a too large body was kept");

    const char *method = gqlsse_request_param(r, "REQUEST_METHOD");
    gqlsse_accept acc = gqlsse_accept_negotiate(gqlsse_request_param(r, "HTTP_ACCEPT"));
    CHECK(acc >= GQLSSE_ACCEPT_NONE && acc <= GQLSSE_ACCEPT_EVENT_STREAM, "Accept out of range");
    int is_post = method && strcmp(method, "POST") == 0;
    fuzz_check_params_read(r, is_post);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input = data;
    fuzz_input_size = size;
    enum { IDLE, PARAMS, STDIN } state = IDLE;
    uint16_t req_id = 0;
    gqlsse_request r = {0};
    gql_buf body = GQL_BUF_INIT;
    size_t off = 0;
    gqlsse_fcgi_record rec;
    int more;
    while ((more = gqlsse_fcgi_record_next(data + off, size - off, &rec)) > 0) {
        CHECK(rec.size >= 8 + rec.len && rec.size <= 8 + 65535 + 255 && rec.size <= size - off,
              "record size out of range");
        CHECK(rec.content == data + off + 8, "record content misplaced");
        off += rec.size;
        switch (rec.type) {
        case 1: /* FCGI_BEGIN_REQUEST */
            if (rec.len >= 8 && state == IDLE && ((rec.content[0] << 8) | rec.content[1]) == 1) {
                req_id = rec.id;
                state = PARAMS;
            }
            break;
        case 4: /* FCGI_PARAMS */
            if (state != PARAMS || rec.id != req_id)
                break;
            if (rec.len == 0) {
                if (gqlsse_request_decode_params(&r) < 0)
                    goto done; /* "malformed FCGI_PARAMS": connection closed */
                CHECK(r.raw == NULL && r.raw_len == 0, "raw params kept after decoding");
                check_params(&r);
                state = STDIN;
            } else {
                size_t before = r.raw_len;
                if (gqlsse_request_add_raw_params(&r, rec.content, rec.len, PARAMS_LIMIT) < 0) {
                    CHECK(before + rec.len > PARAMS_LIMIT, "params refused below the limit");
                    goto done; /* "FCGI_PARAMS too large" */
                }
                CHECK(r.raw_len == before + rec.len && r.raw_len <= PARAMS_LIMIT,
                      "raw params length wrong");
            }
            break;
        case 5: /* FCGI_STDIN */
            if (state != STDIN || rec.id != req_id)
                break;
            if (rec.len == 0) {
                check_http(&r, &body);
                gqlsse_request_clear(&r);
                gql_buf_free(&body);
                body = (gql_buf)GQL_BUF_INIT;
                state = IDLE;
            } else {
                gql_buf_append(&body, (const char *)rec.content, rec.len);
                gqlsse_request_add_body(&r, (const char *)rec.content, rec.len, BODY_LIMIT);
            }
            break;
        default:
            break;
        }
    }
    if (more == 0)
        CHECK(size - off < 8 + 65535 + 255 + 1, "a whole record was left unread");
    else
        CHECK(size - off >= 8 && data[off] != 1, "a version 1 header was refused");
done:
    gqlsse_request_clear(&r);
    gql_buf_free(&body);
    return 0;
}
