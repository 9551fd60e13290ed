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

/* One cmocka test per case: the case is the test's initial state. */
typedef struct case_state {
    const char *sdl;
    const struct vcase *vc;
} case_state;

static void test_case(void **state)
{
    const case_state *cs = *state;
    gql_schema *s = build(cs->sdl);
    char *got = validate_json(s, cs->vc->doc, 0, NULL);
    if (strcmp(got, cs->vc->expected) != 0)
        fprintf(stderr, "case %s:\n  expected %s\n  got      %s\n", cs->vc->name,
                cs->vc->expected, got);
    assert_string_equal(got, cs->vc->expected);
    free(got);
    gql_schema_free(s);
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

#define NVCASES (sizeof vcases / sizeof vcases[0])
#define NSUBCASES (sizeof sub_cases / sizeof sub_cases[0])

int main(void)
{
    static case_state states[NVCASES + NSUBCASES];
    struct CMUnitTest tests[NVCASES + NSUBCASES + 2];
    size_t n = 0;
    for (size_t i = 0; i < NVCASES + NSUBCASES; i++) {
        states[i].sdl = i < NVCASES ? harness_sdl : sub_sdl;
        states[i].vc = i < NVCASES ? &vcases[i] : &sub_cases[i - NVCASES];
        struct CMUnitTest t = {states[i].vc->name, test_case, NULL, NULL, &states[i]};
        tests[n++] = t;
    }
    struct CMUnitTest t1 = cmocka_unit_test(test_max_errors_option);
    struct CMUnitTest t2 = cmocka_unit_test(test_pure_and_repeatable);
    tests[n++] = t1;
    tests[n++] = t2;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
