/* test_validation.c: every validation rule against graphql-js's harness test
 * schema, exact messages and locations (expectations from graphql-js 16.15.0,
 * test_validation_cases.h), plus the error cap and validation options. */
#include "test_util.h"

#include <gqlsse/schema.h>
#include <gqlsse/validate.h>

#include <stdio.h>
#include <stdlib.h>

#include "test_validation_cases.h"

static gql_schema *build(const char *sdl)
{
    gql_sdl_source src = {"harness.graphql", sdl, strlen(sdl)};
    gql_buf report = GQL_BUF_INIT;
    gql_schema *s = gql_schema_build(&src, 1, 0, NULL, &report);
    if (!s)
        fail_msg("schema: %s", report.data ? report.data : "?");
    gql_buf_free(&report);
    return s;
}

/* Validates `doc` and returns the errors as JSON (malloc'd). */
static char *validate_json(const gql_schema *s, const char *doc_src, uint32_t max_errors,
                           uint32_t *count)
{
    gql_document *doc = parse_ok(doc_src);
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_validate_options opts = {.max_errors = max_errors};
    uint32_t n = gql_validate(s, doc, &opts, &errs);
    assert_int_equal(n, errs.count);
    if (count)
        *count = n;
    gql_buf out = GQL_BUF_INIT;
    gql_error_list_to_json(&out, &errs);
    gql_error_list_clear(&errs);
    gql_document_free(doc);
    return gql_buf_take(&out);
}

static void run_cases(const char *sdl, const struct vcase *cases, size_t n)
{
    gql_schema *s = build(sdl);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        char *got = validate_json(s, cases[i].doc, 0, NULL);
        if (strcmp(got, cases[i].expected) != 0) {
            fprintf(stderr, "case %s:\n  expected %s\n  got      %s\n", cases[i].name,
                    cases[i].expected, got);
            failures++;
        }
        free(got);
    }
    gql_schema_free(s);
    assert_int_equal(failures, 0);
}

static void test_rules_on_harness_schema(void **state)
{
    (void)state;
    run_cases(harness_sdl, vcases, sizeof vcases / sizeof vcases[0]);
}

static void test_subscriptions_and_cap(void **state)
{
    (void)state;
    run_cases(sub_sdl, sub_cases, sizeof sub_cases / sizeof sub_cases[0]);
}

static void test_max_errors_option(void **state)
{
    (void)state;
    gql_schema *s = build(sub_sdl);
    uint32_t n;
    char *got = validate_json(s, "{ xx yy zz }", 2, &n);
    assert_int_equal(n, 3);
    assert_string_equal(got,
                        "[{\"message\":\"Cannot query field \\\"xx\\\" on type \\\"Query\\\".\","
                        "\"locations\":[{\"line\":1,\"column\":3}]},"
                        "{\"message\":\"Cannot query field \\\"yy\\\" on type \\\"Query\\\".\","
                        "\"locations\":[{\"line\":1,\"column\":6}]},"
                        "{\"message\":\"Too many validation errors, error limit reached. "
                        "Validation aborted.\"}]");
    free(got);
    got = validate_json(s, "{ a }", 0, &n);
    assert_int_equal(n, 0);
    assert_string_equal(got, "[]");
    free(got);
    gql_schema_free(s);
}

static void test_pure_and_repeatable(void **state)
{
    (void)state;
    /* The same document twice gives the same answer: no hidden state. */
    gql_schema *s = build(harness_sdl);
    const char *doc = "{ dog { nam ...F } }\nfragment F on Cat { meows }";
    char *a = validate_json(s, doc, 0, NULL);
    char *b = validate_json(s, doc, 0, NULL);
    assert_string_equal(a, b);
    free(a);
    free(b);
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_on_harness_schema),
        cmocka_unit_test(test_subscriptions_and_cap),
        cmocka_unit_test(test_max_errors_option),
        cmocka_unit_test(test_pure_and_repeatable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
