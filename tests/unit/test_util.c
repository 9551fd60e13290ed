/* test_util.c: arena, buffer/JSON string writer, UTF-8 decoding and error lists. */
#include "test_util.h"

#include <gqlsse/arena.h>

#include "util/strmap.h"

#include <stdio.h>
#include <stdlib.h>

static void test_arena(void **state)
{
    (void)state;
    gql_arena *a = gql_arena_new(64);
    char *big = gql_arena_alloc(a, 10000);
    assert_non_null(big);
    memset(big, 'x', 10000);
    for (int i = 0; i < 1000; i++) {
        int *p = gql_arena_zalloc(a, sizeof(int) * 3);
        assert_non_null(p);
        assert_int_equal(((uintptr_t)p) % 16, 0);
        assert_int_equal(p[2], 0);
    }
    assert_string_equal(gql_arena_printf(a, "%s-%d", "x", 42), "x-42");
    assert_string_equal(gql_arena_strndup(a, "abcdef", 3), "abc");
    assert_true(gql_arena_used(a) >= 10000);
    gql_arena_free(a);
    gql_arena_free(NULL);
}

static void json_is(const char *in, size_t n, const char *want)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_json_string(&b, in, n);
    assert_string_equal(b.data, want);
    gql_buf_free(&b);
}

static void test_json_string(void **state)
{
    (void)state;
    /* JSON.stringify's escapes: named ones, \u00XX lowercase, nothing else */
    json_is("a\"b\\c/\b\f\n\r\t\x01\x1f\x7f", 14, "\"a\\\"b\\\\c/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\"");
    json_is("\xC3\xA9\xF0\x9F\x98\x80\xE2\x80\xA8", 9, "\"\xC3\xA9\xF0\x9F\x98\x80\xE2\x80\xA8\"");
    json_is("\xC3x", 2, "\"\xEF\xBF\xBDx\"");      /* invalid UTF-8 */
    json_is("\xED\xA0\xBD", 3, "\"\\ud83d\"");      /* WTF-8 surrogate */
    json_is("a\xC0\x80" "b", 4, "\"a\\u0000b\"");   /* modified UTF-8 NUL */
}

static void test_utf8_decode(void **state)
{
    (void)state;
    size_t used;
    assert_int_equal(gql_utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 4, &used), 0x1F600);
    assert_int_equal(used, 4);
    /* maximal subpart: E0 80 is invalid at the second byte */
    assert_int_equal(gql_utf8_decode((const unsigned char *)"\xE0\x80\x80", 3, &used), 0xFFFD);
    assert_int_equal(used, 1);
    assert_int_equal(gql_utf8_decode((const unsigned char *)"\xE2\x82", 2, &used), 0xFFFD);
    assert_int_equal(used, 2);
    char out[4];
    assert_int_equal(gql_utf8_encode(0x10FFFF, out), 4);
    assert_memory_equal(out, "\xF4\x8F\xBF\xBF", 4);
}

static void test_error_list_json(void **state)
{
    (void)state;
    gql_error_list l = GQL_ERROR_LIST_INIT;
    gql_location loc[2] = {{1, 2}, {3, 4}};
    gql_error_list_add(&l, "first", loc, 2);
    gql_error *e = gql_error_list_addf(&l, NULL, 0, "second %d", 2);
    gql_path_segment path[] = {{"a", 0}, {NULL, 3}};
    assert_int_equal(gql_error_set_path(e, path, 2), 0);
    gql_buf b = GQL_BUF_INIT;
    gql_error_list_to_json(&b, &l);
    assert_string_equal(b.data,
                        "[{\"message\":\"first\",\"locations\":[{\"line\":1,\"column\":2},{\"line\":3,\"column\":4}]},"
                        "{\"message\":\"second 2\",\"path\":[\"a\",3]}]");
    gql_buf_free(&b);
    gql_error_list_clear(&l);
    assert_int_equal(l.count, 0);
}

/* Random puts/gets/deletes against a plain array, through growth and
 * wrap-around probe runs (a tiny key space forces collisions). */
static void test_strmap(void **state)
{
    (void)state;
    enum { N = 600 };
    char keys[N][8];
    int present[N] = {0};
    gql_strmap m = GQL_STRMAP_INIT;
    unsigned seed = 12345;
    for (int i = 0; i < N; i++)
        snprintf(keys[i], sizeof keys[i], "k%d", i);
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        int k = (int)((seed >> 8) % N);
        int op = (int)((seed >> 20) % 3);
        size_t len = strlen(keys[k]);
        if (op == 0) {
            assert_int_equal(gql_strmap_put(&m, keys[k], len, keys[k]), 0);
            present[k] = 1;
        } else if (op == 1) {
            void *v = gql_strmap_del(&m, keys[k], len);
            assert_ptr_equal(v, present[k] ? keys[k] : NULL);
            present[k] = 0;
        }
        if (step % 997 == 0) {
            size_t count = 0;
            for (int i = 0; i < N; i++) {
                assert_ptr_equal(gql_strmap_get(&m, keys[i], strlen(keys[i])),
                                 present[i] ? keys[i] : NULL);
                count += (size_t)present[i];
            }
            assert_int_equal(m.count, count);
        }
    }
    assert_null(gql_strmap_get(&m, "absent", 6));
    assert_null(gql_strmap_get(&m, "", 0));
    assert_int_equal(gql_strmap_put(&m, "", 0, keys[0]), 0);
    assert_ptr_equal(gql_strmap_get(&m, "", 0), keys[0]);
    gql_strmap_clear(&m);
    assert_int_equal(m.count, 0);
    assert_null(gql_strmap_get(&m, "k1", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_strmap),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_error_list_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
