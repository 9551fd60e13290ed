/* test_http.c: src/http request handling: FastCGI name-value decoding of
 * malformed and oversized input, body limits, Accept negotiation, query
 * strings and the GraphQL request parameters (JSON body errors); @owner
 * bindings (start-up validation and the identity check). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/bindings.h"
#include "http/request.h"

/* Appends one FastCGI name-value pair (1- or 4-byte lengths) to buf. */
static size_t put_len(unsigned char *p, size_t n, int force_long)
{
    if (n < 128 && !force_long) {
        p[0] = (unsigned char)n;
        return 1;
    }
    p[0] = (unsigned char)(0x80 | (n >> 24));
    p[1] = (unsigned char)(n >> 16);
    p[2] = (unsigned char)(n >> 8);
    p[3] = (unsigned char)n;
    return 4;
}

static size_t put_pair(unsigned char *buf, const char *name, const char *value, int force_long)
{
    size_t o = 0, nl = strlen(name), vl = strlen(value);
    o += put_len(buf + o, nl, force_long);
    o += put_len(buf + o, vl, force_long);
    memcpy(buf + o, name, nl);
    o += nl;
    memcpy(buf + o, value, vl);
    return o + vl;
}

/* A request with params decoded from `raw` (asserts success). */
static void request_from(gqlsse_request *r, const unsigned char *raw, size_t n)
{
    memset(r, 0, sizeof *r);
    assert_int_equal(gqlsse_request_add_raw_params(r, raw, n, 65536), 0);
    assert_int_equal(gqlsse_request_decode_params(r), 0);
}

static void test_params_decode(void **state)
{
    (void)state;
    unsigned char raw[1024];
    size_t n = put_pair(raw, "REQUEST_METHOD", "GET", 0);
    n += put_pair(raw + n, "EMPTY", "", 0);
    n += put_pair(raw + n, "QUERY_STRING", "query=%7Bhello%7D", 1); /* 4-byte lengths */
    char longv[300];
    memset(longv, 'v', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    n += put_pair(raw + n, "LONG", longv, 0);
    gqlsse_request r;
    /* fed in two pieces, as records split it */
    memset(&r, 0, sizeof r);
    assert_int_equal(gqlsse_request_add_raw_params(&r, raw, 5, 65536), 0);
    assert_int_equal(gqlsse_request_add_raw_params(&r, raw + 5, n - 5, 65536), 0);
    assert_int_equal(gqlsse_request_decode_params(&r), 0);
    assert_int_equal(r.nparams, 4);
    assert_string_equal(gqlsse_request_param(&r, "REQUEST_METHOD"), "GET");
    assert_string_equal(gqlsse_request_param(&r, "EMPTY"), "");
    assert_string_equal(gqlsse_request_param(&r, "QUERY_STRING"), "query=%7Bhello%7D");
    assert_string_equal(gqlsse_request_param(&r, "LONG"), longv);
    assert_null(gqlsse_request_param(&r, "MISSING"));
    assert_null(gqlsse_request_param(&r, "REQUEST")); /* no prefix matches */
    gqlsse_request_clear(&r);
    /* no params at all */
    memset(&r, 0, sizeof r);
    assert_int_equal(gqlsse_request_decode_params(&r), 0);
    assert_int_equal(r.nparams, 0);
    assert_null(gqlsse_request_param(&r, "REQUEST_METHOD"));
    gqlsse_request_clear(&r);
}

static void decode_fails(const unsigned char *raw, size_t n)
{
    gqlsse_request r;
    memset(&r, 0, sizeof r);
    assert_int_equal(gqlsse_request_add_raw_params(&r, raw, n, 65536), 0);
    assert_int_equal(gqlsse_request_decode_params(&r), -1);
    gqlsse_request_clear(&r);
}

static void test_params_malformed(void **state)
{
    (void)state;
    unsigned char raw[64];
    size_t n = put_pair(raw, "NAME", "value", 0);
    /* truncated anywhere: in the lengths, the name, the value */
    for (size_t cut = 1; cut < n; cut++)
        decode_fails(raw, cut);
    /* a 4-byte length cut short */
    const unsigned char short_len[] = {0x80, 0x00};
    decode_fails(short_len, sizeof short_len);
    /* lengths far beyond the data (and near SIZE_MAX on 32-bit overflow paths) */
    const unsigned char huge[] = {0xff, 0xff, 0xff, 0xff, 0x01, 'a', 'b'};
    decode_fails(huge, sizeof huge);
    const unsigned char huge_value[] = {0x01, 0xff, 0xff, 0xff, 0xff, 'a', 'b'};
    decode_fails(huge_value, sizeof huge_value);
    /* a valid pair followed by a dangling length byte */
    unsigned char tail[64];
    size_t m = put_pair(tail, "A", "B", 0);
    tail[m++] = 0x05;
    decode_fails(tail, m);
    /* A NUL inside a name or value (found by fuzz_fcgi's lookup check): it
     * would shift the "NAME\0VALUE\0" list, "A\0QUERY_STRING" = "x"
     * reading as QUERY_STRING = "x"... refused instead. */
    const unsigned char nul_name[] = {14, 1, 'A', 0, 'Q', 'U', 'E', 'R', 'Y', '_', 'S', 'T',
                                      'R', 'I', 'N', 'G', 'x'};
    decode_fails(nul_name, sizeof nul_name);
    const unsigned char nul_value[] = {1, 3, 'A', 'b', 0, 'c'};
    decode_fails(nul_value, sizeof nul_value);
}

static void test_fcgi_record_next(void **state)
{
    (void)state;
    /* BEGIN_REQUEST id 258, 8 bytes of content, 3 of padding, then a partial record */
    const unsigned char s[] = {1, 1, 1, 2, 0, 8, 3, 0, 0, 1, 1, 0, 0, 0, 0, 0,
                               9, 9, 9, 1, 5, 0, 1, 0, 10, 0};
    gqlsse_fcgi_record rec;
    assert_int_equal(gqlsse_fcgi_record_next(s, sizeof s, &rec), 1);
    assert_int_equal(rec.type, 1);
    assert_int_equal(rec.id, 258);
    assert_int_equal(rec.len, 8);
    assert_ptr_equal(rec.content, s + 8);
    assert_int_equal(rec.size, 19);
    /* the second record's header is whole, its content is not */
    assert_int_equal(gqlsse_fcgi_record_next(s + 19, sizeof s - 19, &rec), 0);
    assert_int_equal(gqlsse_fcgi_record_next(s, 7, &rec), 0);
    assert_int_equal(gqlsse_fcgi_record_next(s, 18, &rec), 0); /* padding missing */
    const unsigned char v2[] = {2, 1, 0, 1, 0, 0, 0, 0};
    assert_int_equal(gqlsse_fcgi_record_next(v2, sizeof v2, &rec), -1);
    assert_int_equal(gqlsse_fcgi_record_next(v2, 7, &rec), 0); /* header not whole yet */
}

static void test_params_oversized(void **state)
{
    (void)state;
    unsigned char chunk[1000];
    memset(chunk, 0, sizeof chunk);
    gqlsse_request r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < 64; i++)
        assert_int_equal(gqlsse_request_add_raw_params(&r, chunk, sizeof chunk, 64000), 0);
    assert_int_equal(gqlsse_request_add_raw_params(&r, chunk, 1, 64000), -1);
    assert_int_equal(r.raw_len, 64000);
    gqlsse_request_clear(&r);
}

static void test_body_limit(void **state)
{
    (void)state;
    gqlsse_request r;
    memset(&r, 0, sizeof r);
    gqlsse_request_add_body(&r, "abc", 3, 10);
    gqlsse_request_add_body(&r, "", 0, 10);
    assert_int_equal(r.body_len, 3);
    assert_string_equal(r.body, "abc");
    gqlsse_request_add_body(&r, "defghij", 7, 10); /* exactly the limit */
    assert_int_equal(r.body_too_large, 0);
    assert_string_equal(r.body, "abcdefghij");
    gqlsse_request_add_body(&r, "k", 1, 10);
    assert_int_equal(r.body_too_large, 1);
    assert_null(r.body);
    gqlsse_request_add_body(&r, "l", 1, 10); /* stays refused */
    assert_int_equal(r.body_too_large, 1);
    assert_int_equal(r.body_len, 0);
    gqlsse_request_clear(&r);
    /* a large body grows past the initial buffer */
    char big[5000];
    memset(big, 'x', sizeof big);
    memset(&r, 0, sizeof r);
    for (int i = 0; i < 10; i++)
        gqlsse_request_add_body(&r, big, sizeof big, 1 << 20);
    assert_int_equal(r.body_len, 50000);
    assert_int_equal(r.body[50000], '\0');
    gqlsse_request_clear(&r);
}

static void test_accept(void **state)
{
    (void)state;
    assert_int_equal(gqlsse_accept_negotiate(NULL), GQLSSE_ACCEPT_JSON);
    assert_int_equal(gqlsse_accept_negotiate(""), GQLSSE_ACCEPT_JSON);
    assert_int_equal(gqlsse_accept_negotiate("text/event-stream"), GQLSSE_ACCEPT_EVENT_STREAM);
    assert_int_equal(gqlsse_accept_negotiate("application/json"), GQLSSE_ACCEPT_JSON);
    assert_int_equal(gqlsse_accept_negotiate("application/graphql-response+json"),
                     GQLSSE_ACCEPT_GRAPHQL_JSON);
    assert_int_equal(gqlsse_accept_negotiate("Application/JSON"), GQLSSE_ACCEPT_JSON);
    /* `*` / `*` means JSON, never the event stream (Undine) */
    assert_int_equal(gqlsse_accept_negotiate("*/*") == GQLSSE_ACCEPT_EVENT_STREAM, 0);
    assert_int_equal(gqlsse_accept_negotiate("*/*") == GQLSSE_ACCEPT_NONE, 0);
    assert_int_equal(gqlsse_accept_negotiate("text/*"), GQLSSE_ACCEPT_EVENT_STREAM);
    assert_int_equal(gqlsse_accept_negotiate("application/*") == GQLSSE_ACCEPT_EVENT_STREAM, 0);
    /* q-values */
    assert_int_equal(gqlsse_accept_negotiate("application/json;q=0.5, text/event-stream"),
                     GQLSSE_ACCEPT_EVENT_STREAM);
    assert_int_equal(gqlsse_accept_negotiate("text/event-stream; q=0.1, application/json"),
                     GQLSSE_ACCEPT_JSON);
    assert_int_equal(gqlsse_accept_negotiate("application/json; charset=utf-8; q=0.9"),
                     GQLSSE_ACCEPT_JSON);
    /* q=0 refuses; the specific entry beats the wildcard */
    assert_int_equal(gqlsse_accept_negotiate("text/event-stream;q=0"), GQLSSE_ACCEPT_NONE);
    assert_int_equal(gqlsse_accept_negotiate("*/*, text/event-stream;q=0") ==
                         GQLSSE_ACCEPT_EVENT_STREAM, 0);
    /* nothing we speak */
    assert_int_equal(gqlsse_accept_negotiate("text/html"), GQLSSE_ACCEPT_NONE);
    assert_int_equal(gqlsse_accept_negotiate("image/*, text/html;q=0.9"), GQLSSE_ACCEPT_NONE);
    assert_int_equal(gqlsse_accept_negotiate(",,, ;;"), GQLSSE_ACCEPT_NONE);
    /* an over-long item is skipped, not overflowed */
    char longhdr[600];
    memset(longhdr, 'a', 400);
    strcpy(longhdr + 400, ", text/event-stream");
    assert_int_equal(gqlsse_accept_negotiate(longhdr), GQLSSE_ACCEPT_EVENT_STREAM);
}

static void test_form_get(void **state)
{
    (void)state;
    const char *qs = "a=1&query=%7B+hello+%7D&empty=&flag&bad=%zz%4&operationName=Op";
    char *v = gqlsse_form_get(qs, strlen(qs), "query");
    assert_string_equal(v, "{ hello }");
    free(v);
    v = gqlsse_form_get(qs, strlen(qs), "empty");
    assert_string_equal(v, "");
    free(v);
    v = gqlsse_form_get(qs, strlen(qs), "flag");
    assert_string_equal(v, "");
    free(v);
    v = gqlsse_form_get(qs, strlen(qs), "bad"); /* malformed escapes kept literally */
    assert_string_equal(v, "%zz%4");
    free(v);
    assert_null(gqlsse_form_get(qs, strlen(qs), "quer"));
    assert_null(gqlsse_form_get(NULL, 0, "query"));
    /* the length bounds the search */
    assert_null(gqlsse_form_get(qs, 3, "query"));
}

/* A request with the given CGI params and body. */
static void make_request(gqlsse_request *r, const char *method, const char *ctype,
                         const char *qs, const char *body)
{
    unsigned char raw[4096];
    size_t n = put_pair(raw, "REQUEST_METHOD", method, 0);
    if (ctype)
        n += put_pair(raw + n, "CONTENT_TYPE", ctype, 0);
    if (qs)
        n += put_pair(raw + n, "QUERY_STRING", qs, 0);
    request_from(r, raw, n);
    if (body)
        gqlsse_request_add_body(r, body, strlen(body), 1 << 20);
}

static int read_params(const char *method, const char *ctype, const char *qs, const char *body,
                       gqlsse_gql_params *p, const char **message)
{
    gqlsse_request r;
    make_request(&r, method, ctype, qs, body);
    *message = NULL;
    int st = gqlsse_gql_params_read(&r, strcmp(method, "POST") == 0, p, message);
    gqlsse_request_clear(&r);
    return st;
}

static void expect_error(const char *method, const char *ctype, const char *qs, const char *body,
                         int status, const char *message)
{
    gqlsse_gql_params p;
    const char *m;
    assert_int_equal(read_params(method, ctype, qs, body, &p, &m), status);
    assert_non_null(m);
    assert_string_equal(m, message);
    gqlsse_gql_params_clear(&p);
}

static void test_json_body_errors(void **state)
{
    (void)state;
    const char *json = "application/json";
    expect_error("POST", NULL, NULL, "{}", 415, "Missing content-type header");
    expect_error("POST", "text/plain", NULL, "{}", 415, "Unsupported media type");
    expect_error("POST", "application/jsonx", NULL, "{}", 415, "Unsupported media type");
    expect_error("POST", json, NULL, NULL, 400, "Missing body");
    expect_error("POST", json, NULL, "{", 400, "Unparsable JSON body");
    expect_error("POST", json, NULL, "{\"query\":\"a\"} trailing", 400, "Unparsable JSON body");
    expect_error("POST", json, NULL, "[1]", 400, "JSON body must be an object");
    expect_error("POST", json, NULL, "\"str\"", 400, "JSON body must be an object");
    expect_error("POST", json, NULL, "null", 400, "JSON body must be an object");
    expect_error("POST", json, NULL, "{}", 400, "Missing query");
    expect_error("POST", json, NULL, "{\"query\":null}", 400, "Missing query");
    expect_error("POST", json, NULL, "{\"query\":1}", 400, "Invalid query");
    expect_error("POST", json, NULL, "{\"query\":\"{a}\",\"operationName\":1}", 400,
                 "Invalid operationName");
    expect_error("POST", json, NULL, "{\"query\":\"{a}\",\"variables\":[1]}", 400,
                 "Invalid variables");
    expect_error("POST", json, NULL, "{\"query\":\"{a}\",\"variables\":\"{nope\"}", 400,
                 "Invalid variables");
    expect_error("POST", json, NULL, "{\"query\":\"{a}\",\"extensions\":3}", 400,
                 "Invalid extensions");
    expect_error("POST", "application/graphql", NULL, NULL, 400, "Missing query");
    expect_error("GET", NULL, "x=1", NULL, 400, "Missing query");
    expect_error("GET", NULL, NULL, NULL, 400, "Missing query");
    expect_error("GET", NULL, "query=%7Ba%7D&variables=%5B%5D", NULL, 400, "Invalid variables");
    expect_error("GET", NULL, "query=%7Ba%7D&extensions=nope", NULL, 400, "Invalid extensions");
}

static void test_params_ok(void **state)
{
    (void)state;
    gqlsse_gql_params p;
    const char *m;
    assert_int_equal(read_params("POST", "application/json; charset=utf-8", NULL,
                                 "{\"query\":\"query Q($a:Int){a}\",\"operationName\":\"Q\","
                                 "\"variables\":{\"a\":1},\"extensions\":\"{\\\"x\\\":true}\"}",
                                 &p, &m),
                     0);
    assert_string_equal(p.query, "query Q($a:Int){a}");
    assert_int_equal(p.query_len, strlen("query Q($a:Int){a}"));
    assert_string_equal(p.operation_name, "Q");
    assert_int_equal(p.operation_name_len, 1);
    assert_int_equal(json_object_get_int(json_object_object_get(p.variables, "a")), 1);
    assert_true(json_object_get_boolean(json_object_object_get(p.extensions, "x")));
    gqlsse_gql_params_clear(&p);
    /* null variables are absent */
    assert_int_equal(read_params("POST", "application/json", NULL,
                                 "{\"query\":\"{a}\",\"variables\":null}", &p, &m),
                     0);
    assert_null(p.variables);
    gqlsse_gql_params_clear(&p);
    assert_int_equal(read_params("POST", "application/graphql", NULL, "{ a }", &p, &m), 0);
    assert_string_equal(p.query, "{ a }");
    assert_int_equal(p.query_len, 5);
    gqlsse_gql_params_clear(&p);
    assert_int_equal(read_params("POST", "application/x-www-form-urlencoded", NULL,
                                 "query=%7Ba%7D&variables=%7B%22b%22%3A2%7D", &p, &m),
                     0);
    assert_string_equal(p.query, "{a}");
    assert_int_equal(p.query_len, 3);
    assert_int_equal(json_object_get_int(json_object_object_get(p.variables, "b")), 2);
    gqlsse_gql_params_clear(&p);
    assert_int_equal(read_params("GET", NULL, "query=subscription%7Bcountdown%7D&operationName=",
                                 NULL, &p, &m),
                     0);
    assert_string_equal(p.query, "subscription{countdown}");
    assert_int_equal(p.query_len, strlen("subscription{countdown}"));
    assert_int_equal(p.operation_name_len, 0);
    gqlsse_gql_params_clear(&p);
    /* A NUL inside the query or operationName (\u0000, %00) is part of it:
     * the parser then reports U+0000 as graphql-js does; nothing is cut. */
    assert_int_equal(read_params("POST", "application/json", NULL,
                                 "{\"query\":\"{a}\\u0000{b}\",\"operationName\":\"Q\\u0000X\"}",
                                 &p, &m),
                     0);
    assert_int_equal(p.query_len, 7);
    assert_memory_equal(p.query, "{a}\0{b}", 8);
    assert_int_equal(p.operation_name_len, 3);
    assert_memory_equal(p.operation_name, "Q\0X", 4);
    gqlsse_gql_params_clear(&p);
    assert_int_equal(read_params("GET", NULL, "query=%7Ba%7D%00%7Bb%7D&operationName=Q%00X", NULL,
                                 &p, &m),
                     0);
    assert_int_equal(p.query_len, 7);
    assert_memory_equal(p.query, "{a}\0{b}", 8);
    assert_int_equal(p.operation_name_len, 3);
    gqlsse_gql_params_clear(&p);
}

/* Builds `sdl` with the bindings prelude and loads its bindings: 0 or -1
 * (message in err). *sp and *bp are owned by the caller. */
static int load_sdl(const char *sdl, gql_schema **sp, gqlsse_binding **bp, size_t *n, char *err,
                    size_t errlen)
{
    gql_sdl_source src[2] = {
        {.name = "t.graphql", .text = sdl, .len = strlen(sdl)},
        {.name = GQLSSE_BINDINGS_PRELUDE_NAME, .text = gqlsse_bindings_prelude,
         .len = strlen(gqlsse_bindings_prelude)},
    };
    gql_buf report = GQL_BUF_INIT;
    *sp = gql_schema_build(src, 2, 0, NULL, &report);
    gql_buf_free(&report);
    assert_non_null(*sp);
    return gqlsse_bindings_load(*sp, bp, n, err, errlen);
}

static void test_owner(void **state)
{
    (void)state;
    static const char base[] = "type Query { a: Int } type T { id: ID } type Subscription {\n";
    char sdl[512], err[256];
    gql_schema *s;
    gqlsse_binding *b;
    size_t n;
    snprintf(sdl, sizeof sdl, "%s t: T @model(name: \"T\", event: SAVE) @owner(field: \"owner.id\") }", base);
    assert_int_equal(load_sdl(sdl, &s, &b, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(b[0].nowner, 2);
    json_object *v = json_tokener_parse("{\"owner\":{\"id\":\"alice\"},\"n\":{\"id\":7}}");
    assert_int_equal(gqlsse_binding_owner_ok(&b[0], "alice", v), 1);
    assert_int_equal(gqlsse_binding_owner_ok(&b[0], "bob", v), 0);
    assert_int_equal(gqlsse_binding_owner_ok(&b[0], NULL, v), 0);
    assert_int_equal(gqlsse_binding_owner_ok(&b[0], "", v), 0);
    json_object *w = json_tokener_parse("{\"owner\":{\"id\":7}}");
    assert_int_equal(gqlsse_binding_owner_ok(&b[0], "7", w), 1);
    json_object_put(w);
    w = json_tokener_parse("{\"owner\":\"alice\"}");
    assert_int_equal(gqlsse_binding_owner_ok(&b[0], "alice", w), 0);
    json_object_put(w);
    json_object_put(v);
    gqlsse_bindings_free(b, n);
    gql_schema_free(s);

    /* start-up errors: no binding, empty path */
    snprintf(sdl, sizeof sdl, "%s t: T @owner(field: \"id\") }", base);
    assert_int_equal(load_sdl(sdl, &s, &b, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "t.graphql:2:"));
    assert_non_null(strstr(err, "@owner checks the values of @model or @topic fields"));
    gql_schema_free(s);
    snprintf(sdl, sizeof sdl, "%s t: T @topic(name: \"x\") @owner(field: \"a..b\") }", base);
    assert_int_equal(load_sdl(sdl, &s, &b, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "empty property name"));
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params_decode),  cmocka_unit_test(test_params_malformed),
        cmocka_unit_test(test_fcgi_record_next),
        cmocka_unit_test(test_params_oversized), cmocka_unit_test(test_body_limit),
        cmocka_unit_test(test_accept),         cmocka_unit_test(test_form_get),
        cmocka_unit_test(test_json_body_errors), cmocka_unit_test(test_params_ok),
        cmocka_unit_test(test_owner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
