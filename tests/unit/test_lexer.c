/* test_lexer.c: lexical rules and lexer error messages/locations, as
 * graphql-js 16 reports them (expected texts taken from graphql-js). */
#include "test_util.h"

static const gql_node *first_arg_value(const gql_document *doc)
{
    const gql_node *op = doc->root->definitions.items[0];
    const gql_node *field = op->selection_set->selections.items[0];
    return field->arguments.items[0]->value_node;
}

static void test_string_escapes(void **state)
{
    (void)state;
    gql_document *doc = parse_ok("{ f(a: \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u{1F600}\\uD83D\\uDE00é\") }");
    const gql_node *v = first_arg_value(doc);
    assert_int_equal(v->kind, GQL_STRING);
    const char want[] = "q\"\\/\b\f\n\r\tA\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xC3\xA9";
    assert_int_equal(v->value_len, sizeof want - 1);
    assert_memory_equal(v->value, want, sizeof want - 1);
    gql_document_free(doc);
}

static void test_string_nul_escape(void **state)
{
    (void)state;
    gql_document *doc = parse_ok("{ f(a: \"a\\u0000b\") }");
    const gql_node *v = first_arg_value(doc);
    assert_int_equal(v->value_len, 3);
    assert_memory_equal(v->value, "a\0b", 3);
    gql_document_free(doc);
}

static void test_block_string_dedent(void **state)
{
    (void)state;
    gql_document *doc = parse_ok("{ f(a: \"\"\"\n\n    Hello,\r\n      World!\r\n\n    Yours,\n      \\\"\"\" \n  \"\"\") }");
    const gql_node *v = first_arg_value(doc);
    assert_true(v->flags & GQL_FLAG_BLOCK);
    assert_string_equal(v->value, "Hello,\n  World!\n\nYours,\n  \"\"\" ");
    gql_document_free(doc);
}

static void test_invalid_utf8_reads_as_replacement(void **state)
{
    (void)state;
    gql_document *doc = parse_ok("{ f(a: \"x\xC3y\xED\xA0\x80z\") }");
    const gql_node *v = first_arg_value(doc);
    assert_string_equal(v->value, "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
    gql_document_free(doc);
}

static void test_numbers(void **state)
{
    (void)state;
    gql_document *doc = parse_ok("{ f(a: [0, -0, 12, 1.5, -1.5e10, 2E-3, 6e+2]) }");
    const gql_node *list = first_arg_value(doc);
    static const struct {
        int kind;
        const char *text;
    } want[] = {{GQL_INT, "0"},       {GQL_INT, "-0"},    {GQL_INT, "12"},  {GQL_FLOAT, "1.5"},
                {GQL_FLOAT, "-1.5e10"}, {GQL_FLOAT, "2E-3"}, {GQL_FLOAT, "6e+2"}};
    assert_int_equal(list->values.count, 7);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(list->values.items[i]->kind, want[i].kind);
        assert_string_equal(list->values.items[i]->value, want[i].text);
    }
    gql_document_free(doc);
}

static void test_number_errors(void **state)
{
    (void)state;
    EXPECT_SYNTAX_ERROR("{ f(a: 00) }", "Syntax Error: Invalid number, unexpected digit after 0: \"0\".", 1, 9);
    EXPECT_SYNTAX_ERROR("{ f(a: 1.e) }", "Syntax Error: Invalid number, expected digit but got: \"e\".", 1, 10);
    EXPECT_SYNTAX_ERROR("{ f(a: 1.) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10);
    EXPECT_SYNTAX_ERROR("{ f(a: 1a) }", "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 9);
    EXPECT_SYNTAX_ERROR("{ f(a: -) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 9);
    EXPECT_SYNTAX_ERROR("{ f(a: 1.2.3) }", "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 11);
    EXPECT_SYNTAX_ERROR("1e", "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 3);
    EXPECT_SYNTAX_ERROR("{ f(a: .5) }", "Syntax Error: Unexpected character: \".\".", 1, 8);
}

static void test_character_errors(void **state)
{
    (void)state;
    EXPECT_SYNTAX_ERROR("'x'", "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?", 1, 1);
    EXPECT_SYNTAX_ERROR("{ a ? }", "Syntax Error: Unexpected character: \"?\".", 1, 5);
    EXPECT_SYNTAX_ERROR("\x07", "Syntax Error: Unexpected character: U+0007.", 1, 1);
    EXPECT_SYNTAX_ERROR("\xC2\xA0", "Syntax Error: Unexpected character: U+00A0.", 1, 1);
    /* a character outside the BMP counts two UTF-16 columns */
    EXPECT_SYNTAX_ERROR("# \xF0\x9F\x98\x80\n\xF0\x9F\x98\x80 ?", "Syntax Error: Unexpected character: U+1F600.", 2, 1);
    EXPECT_SYNTAX_ERROR("\"\xF0\x9F\x98\x80\" ?", "Syntax Error: Unexpected character: \"?\".", 1, 6);
    EXPECT_SYNTAX_ERROR("\xC3", "Syntax Error: Unexpected character: U+FFFD.", 1, 1);
}

static void test_string_errors(void **state)
{
    (void)state;
    EXPECT_SYNTAX_ERROR("\"abc", "Syntax Error: Unterminated string.", 1, 5);
    EXPECT_SYNTAX_ERROR("\"ab\nc\"", "Syntax Error: Unterminated string.", 1, 4);
    EXPECT_SYNTAX_ERROR("\"\"\"abc", "Syntax Error: Unterminated string.", 1, 7);
    EXPECT_SYNTAX_ERROR("\"\\q\"", "Syntax Error: Invalid character escape sequence: \"\\q\".", 1, 2);
    EXPECT_SYNTAX_ERROR("\"\\u{}\"", "Syntax Error: Invalid Unicode escape sequence: \"\\u{}\".", 1, 2);
    EXPECT_SYNTAX_ERROR("\"\\u{110000}\"", "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 2);
    EXPECT_SYNTAX_ERROR("\"\\u{FFFFFFFFF}\"", "Syntax Error: Invalid Unicode escape sequence: \"\\u{FFFFFFFF\".", 1, 2);
    EXPECT_SYNTAX_ERROR("\"\\uD83Dx\"", "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2);
    EXPECT_SYNTAX_ERROR("\"\\uDE00\"", "Syntax Error: Invalid Unicode escape sequence: \"\\uDE00\".", 1, 2);
    EXPECT_SYNTAX_ERROR("\"\\u12\xC3\xA9" "4\"", "Syntax Error: Invalid Unicode escape sequence: \"\\u12\xC3\xA9" "4\".", 1, 2);
}

static void test_line_endings_and_bom(void **state)
{
    (void)state;
    EXPECT_SYNTAX_ERROR("\xEF\xBB\xBF{ a\r\n b\r c ?", "Syntax Error: Unexpected character: \"?\".", 3, 4);
    EXPECT_SYNTAX_ERROR("{ a \n", "Syntax Error: Expected Name, found <EOF>.", 2, 1);
    EXPECT_SYNTAX_ERROR("\t\t?", "Syntax Error: Unexpected character: \"?\".", 1, 3);
}

static void test_source_location(void **state)
{
    (void)state;
    const char src[] = "ab\r\ncd\ref\ngh";
    gql_location l = gql_source_location(src, sizeof src - 1, 4);
    assert_int_equal(l.line, 2);
    assert_int_equal(l.column, 1);
    l = gql_source_location(src, sizeof src - 1, 8);
    assert_int_equal(l.line, 3);
    assert_int_equal(l.column, 2);
    l = gql_source_location(src, sizeof src - 1, 10);
    assert_int_equal(l.line, 4);
    assert_int_equal(l.column, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_string_nul_escape),
        cmocka_unit_test(test_block_string_dedent),
        cmocka_unit_test(test_invalid_utf8_reads_as_replacement),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_number_errors),
        cmocka_unit_test(test_character_errors),
        cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_line_endings_and_bom),
        cmocka_unit_test(test_source_location),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
