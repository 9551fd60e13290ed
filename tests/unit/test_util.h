/* test_util.h: small helpers shared by the cmocka unit tests. */
#ifndef GQLSSE_TEST_UTIL_H
#define GQLSSE_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <gqlsse/buf.h>
#include <gqlsse/error.h>
#include <gqlsse/parser.h>

/* Parses `src`, expecting one syntax error; checks message, line and column. */
static inline void expect_syntax_error(const char *src, size_t len, const char *message,
                                       unsigned line, unsigned column)
{
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(src, len, NULL, &errs);
    assert_null(doc);
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].message, message);
    assert_int_equal(errs.items[0].nlocations, 1);
    assert_int_equal(errs.items[0].locations[0].line, line);
    assert_int_equal(errs.items[0].locations[0].column, column);
    gql_error_list_clear(&errs);
}

#define EXPECT_SYNTAX_ERROR(src, msg, line, col) \
    expect_syntax_error((src), sizeof(src) - 1, (msg), (line), (col))

/* Parses `src`, which must be valid; returns the document (caller frees). */
static inline gql_document *parse_ok(const char *src)
{
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(src, strlen(src), NULL, &errs);
    if (!doc)
        fail_msg("unexpected syntax error: %s", errs.items[0].message);
    assert_int_equal(errs.count, 0);
    gql_error_list_clear(&errs);
    return doc;
}

#endif
