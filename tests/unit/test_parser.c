/* test_parser.c: AST shape, parser errors as graphql-js 16 reports them,
 * guard rails (size, tokens, depth) and the walker's visiting order. */
#include "test_util.h"

#include "graphql/ast_internal.h"

#include <stdio.h>
#include <stdlib.h>

static void test_operation_shape(void **state)
{
    (void)state;
    gql_document *doc = parse_ok(
        "\"op doc\" query Q($id: ID! = \"1\" @d, $l: [Int!]) @dir(x: 1) {\n"
        "  alias: field(arg: $id, obj: {a: [1, 2.5, \"s\", true, null, ENUM]}) @skip(if: false) {\n"
        "    ...Frag\n"
        "    ... on T { x }\n"
        "    ... @include(if: true) { y }\n"
        "  }\n"
        "}\n"
        "fragment Frag on T { z }\n");
    const gql_node *root = doc->root;
    assert_int_equal(root->kind, GQL_DOCUMENT);
    assert_int_equal(root->definitions.count, 2);
    const gql_node *op = root->definitions.items[0];
    assert_int_equal(op->kind, GQL_OPERATION_DEFINITION);
    assert_int_equal(op->operation, GQL_OP_QUERY);
    assert_string_equal(op->description->value, "op doc");
    assert_string_equal(op->name->value, "Q");
    assert_int_equal(op->variable_definitions.count, 2);
    const gql_node *v0 = op->variable_definitions.items[0];
    assert_string_equal(v0->variable->name->value, "id");
    assert_int_equal(v0->type->kind, GQL_NON_NULL_TYPE);
    assert_string_equal(v0->type->type->name->value, "ID");
    assert_int_equal(v0->default_value->kind, GQL_STRING);
    assert_int_equal(v0->directives.count, 1);
    const gql_node *v1 = op->variable_definitions.items[1];
    assert_int_equal(v1->type->kind, GQL_LIST_TYPE);
    assert_int_equal(v1->type->type->kind, GQL_NON_NULL_TYPE);
    const gql_node *field = op->selection_set->selections.items[0];
    assert_int_equal(field->kind, GQL_FIELD);
    assert_string_equal(field->alias->value, "alias");
    assert_string_equal(field->name->value, "field");
    assert_int_equal(field->arguments.count, 2);
    const gql_node *obj = field->arguments.items[1]->value_node;
    assert_int_equal(obj->kind, GQL_OBJECT);
    const gql_node *list = obj->fields.items[0]->value_node;
    static const int kinds[] = {GQL_INT, GQL_FLOAT, GQL_STRING, GQL_BOOLEAN, GQL_NULL, GQL_ENUM};
    assert_int_equal(list->values.count, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(list->values.items[i]->kind, kinds[i]);
    assert_true(list->values.items[3]->flags & GQL_FLAG_TRUE);
    const gql_list *sels = &field->selection_set->selections;
    assert_int_equal(sels->count, 3);
    assert_int_equal(sels->items[0]->kind, GQL_FRAGMENT_SPREAD);
    assert_int_equal(sels->items[1]->kind, GQL_INLINE_FRAGMENT);
    assert_string_equal(sels->items[1]->type_condition->name->value, "T");
    assert_int_equal(sels->items[2]->kind, GQL_INLINE_FRAGMENT);
    assert_null(sels->items[2]->type_condition);
    const gql_node *frag = root->definitions.items[1];
    assert_int_equal(frag->kind, GQL_FRAGMENT_DEFINITION);
    assert_string_equal(frag->type_condition->name->value, "T");
    /* locations */
    gql_location l = gql_node_location(doc, field);
    assert_int_equal(l.line, 2);
    assert_int_equal(l.column, 3);
    assert_int_equal(doc->token_count, 88); /* graphql-js tokenCount */
    gql_document_free(doc);
}

static void test_sdl_shape(void **state)
{
    (void)state;
    gql_document *doc = parse_ok(
        "schema @a { query: Q mutation: M }\n"
        "\"\"\"desc\"\"\" type T implements & I & J @k { f(a: Int = 1 @d): [T]! }\n"
        "interface I implements J { f: Int }\n"
        "union U = | A | B\n"
        "enum E { A @deprecated B }\n"
        "input In { a: Int! = 2 }\n"
        "scalar S @specifiedBy(url: \"u\")\n"
        "directive @d(x: Int) repeatable on FIELD | QUERY\n"
        "extend schema @b\n"
        "extend type T { g: Int }\n"
        "extend union U = C\n"
        "extend enum E { C }\n"
        "extend input In { b: Int }\n"
        "extend scalar S @x\n"
        "extend interface I @y\n");
    const gql_list *defs = &doc->root->definitions;
    assert_int_equal(defs->count, 15);
    assert_int_equal(defs->items[0]->operation_types.count, 2);
    assert_int_equal(defs->items[0]->operation_types.items[1]->operation, GQL_OP_MUTATION);
    const gql_node *t = defs->items[1];
    assert_int_equal(t->kind, GQL_OBJECT_TYPE_DEFINITION);
    assert_true(t->description->flags & GQL_FLAG_BLOCK);
    assert_int_equal(t->interfaces.count, 2);
    assert_int_equal(t->fields.items[0]->arguments.items[0]->default_value->kind, GQL_INT);
    assert_int_equal(defs->items[2]->kind, GQL_INTERFACE_TYPE_DEFINITION);
    assert_int_equal(defs->items[2]->interfaces.count, 1);
    assert_int_equal(defs->items[3]->types.count, 2);
    assert_int_equal(defs->items[4]->values.count, 2);
    const gql_node *dir = defs->items[7];
    assert_int_equal(dir->kind, GQL_DIRECTIVE_DEFINITION);
    assert_true(dir->flags & GQL_FLAG_REPEATABLE);
    assert_int_equal(dir->locations.count, 2);
    assert_string_equal(dir->locations.items[1]->value, "QUERY");
    static const int ext[] = {GQL_SCHEMA_EXTENSION,       GQL_OBJECT_TYPE_EXTENSION,
                              GQL_UNION_TYPE_EXTENSION,   GQL_ENUM_TYPE_EXTENSION,
                              GQL_INPUT_OBJECT_TYPE_EXTENSION, GQL_SCALAR_TYPE_EXTENSION,
                              GQL_INTERFACE_TYPE_EXTENSION};
    for (int i = 0; i < 7; i++) {
        assert_int_equal(defs->items[8 + i]->kind, ext[i]);
        assert_true(gql_kind_is_type_system_extension((gql_kind)defs->items[8 + i]->kind));
    }
    gql_document_free(doc);
}

static void test_parser_errors(void **state)
{
    (void)state;
    EXPECT_SYNTAX_ERROR("", "Syntax Error: Unexpected <EOF>.", 1, 1);
    EXPECT_SYNTAX_ERROR("{}", "Syntax Error: Expected Name, found \"}\".", 1, 2);
    EXPECT_SYNTAX_ERROR("query Q($a) { a }", "Syntax Error: Expected \":\", found \")\".", 1, 11);
    EXPECT_SYNTAX_ERROR("fragment on on T { a }", "Syntax Error: Unexpected Name \"on\".", 1, 10);
    EXPECT_SYNTAX_ERROR("{ ...on }", "Syntax Error: Expected Name, found \"}\".", 1, 9);
    EXPECT_SYNTAX_ERROR("notanoperation { a }", "Syntax Error: Unexpected Name \"notanoperation\".", 1, 1);
    EXPECT_SYNTAX_ERROR("\"d\" { a }", "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.", 1, 1);
    EXPECT_SYNTAX_ERROR("\"d\" extend type A @b", "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1);
    EXPECT_SYNTAX_ERROR("query ($a: Int = $b) { a }", "Syntax Error: Unexpected variable \"$b\" in constant value.", 1, 18);
    EXPECT_SYNTAX_ERROR("query ($a: Int = $) { a }", "Syntax Error: Unexpected \"$\".", 1, 18);
    EXPECT_SYNTAX_ERROR("extend type A", "Syntax Error: Unexpected <EOF>.", 1, 14);
    EXPECT_SYNTAX_ERROR("extend foo", "Syntax Error: Unexpected Name \"foo\".", 1, 8);
    EXPECT_SYNTAX_ERROR("enum E { true }", "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.", 1, 10);
    EXPECT_SYNTAX_ERROR("enum E { \"d\" null }", "Syntax Error: Name \"null\" is reserved and cannot be used for an enum value.", 1, 14);
    EXPECT_SYNTAX_ERROR("directive @a on FOO", "Syntax Error: Unexpected Name \"FOO\".", 1, 17);
    EXPECT_SYNTAX_ERROR("type A { b: \"s\" }", "Syntax Error: Expected Name, found String \"s\".", 1, 13);
    EXPECT_SYNTAX_ERROR("{ a(b: \"x\\u0000y\" }", "Syntax Error: Expected Name, found \"}\".", 1, 19);
    EXPECT_SYNTAX_ERROR("query { a } ) ", "Syntax Error: Unexpected \")\".", 1, 13);
}

static void test_limits(void **state)
{
    (void)state;
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_parse_options opts = {.max_tokens = 5};
    assert_null(gql_parse("{ a b c d e f }", 15, &opts, &errs));
    assert_string_equal(errs.items[0].message,
                        "Syntax Error: Document contains more that 5 tokens. Parsing aborted.");
    assert_int_equal(errs.items[0].locations[0].column, 11);
    gql_error_list_clear(&errs);

    opts = (gql_parse_options){.max_source_bytes = 4};
    assert_null(gql_parse("{ a }", 5, &opts, &errs));
    assert_string_equal(errs.items[0].message,
                        "Syntax Error: Document is larger than 4 bytes. Parsing aborted.");
    gql_error_list_clear(&errs);

    opts = (gql_parse_options){.max_depth = 3};
    gql_document *ok = gql_parse("{ a { b { c } } }", 17, &opts, &errs); /* depth 3: fine */
    assert_non_null(ok);
    gql_document_free(ok);
    assert_null(gql_parse("{ a { b { c { d } } } }", 23, &opts, &errs));
    assert_string_equal(errs.items[0].message,
                        "Syntax Error: Document nesting is deeper than 3 levels. Parsing aborted.");
    gql_error_list_clear(&errs);

    /* Deep nesting of every recursive form is refused, never a stack overflow. */
    size_t n = 200000;
    char *deep = malloc(3 * n + 16);
    for (int form = 0; form < 3; form++) {
        size_t len = 0;
        const char *open = form == 0 ? "{a" : form == 1 ? "[" : "{b:";
        if (form)
            len += (size_t)sprintf(deep, "{f(x:");
        for (size_t i = 0; i < n; i++) {
            memcpy(deep + len, open, strlen(open));
            len += strlen(open);
        }
        assert_null(gql_parse(deep, len, &(gql_parse_options){.max_source_bytes = 1u << 24, .max_tokens = 1u << 30}, &errs));
        assert_non_null(strstr(errs.items[0].message, "nesting is deeper than 200"));
        gql_error_list_clear(&errs);
    }
    free(deep);
}

typedef struct {
    char log[512];
} walk_log;

static gql_walk_result log_enter(const gql_node *n, const gql_node *parent, void *ud)
{
    walk_log *w = ud;
    (void)parent;
    strcat(w->log, gql_kind_name((gql_kind)n->kind));
    strcat(w->log, n->kind == GQL_NAME ? ":" : " ");
    if (n->kind == GQL_NAME) {
        strcat(w->log, n->value);
        strcat(w->log, " ");
    }
    /* skip the insides of arguments */
    return n->kind == GQL_ARGUMENT ? GQL_WALK_SKIP : GQL_WALK_CONTINUE;
}

static gql_walk_result log_leave(const gql_node *n, const gql_node *parent, void *ud)
{
    walk_log *w = ud;
    (void)parent;
    if (n->kind == GQL_FIELD)
        strcat(w->log, "/Field ");
    return GQL_WALK_CONTINUE;
}

static void test_walk_order(void **state)
{
    (void)state;
    gql_document *doc = parse_ok("query Q { a: b(x: 1) @d { c } }");
    walk_log w = {""};
    gql_walker walker = {log_enter, log_leave};
    assert_int_equal(gql_walk(doc->root, &walker, &w), GQL_WALK_CONTINUE);
    assert_string_equal(w.log,
                        "Document OperationDefinition Name:Q SelectionSet Field Name:a Name:b "
                        "Argument Directive Name:d SelectionSet Field Name:c /Field /Field ");
    gql_document_free(doc);
}

/* Every kind's child slots lie inside the prefix of struct gql_node the
 * parser allocates for it (GQL_NODE_SIZE), so a walker never reads a member
 * the kind lacks; and every kind has a table, empty for the leaves. */
static void test_child_slots_fit_node_size(void **state)
{
    (void)state;
    const gql_child_slot *const *tables[2] = {gql_kind_child_slots, gql_kind_validated_slots};
    for (int t = 0; t < 2; t++) {
        for (int k = 0; k < GQL_KIND_COUNT_; k++) {
            const gql_child_slot *s = tables[t][k];
            int leaf = k == GQL_NAME || k == GQL_INT || k == GQL_FLOAT || k == GQL_STRING ||
                       k == GQL_BOOLEAN || k == GQL_NULL || k == GQL_ENUM;
            assert_non_null(s);
            if (leaf || (t == 1 && (k == GQL_VARIABLE || k == GQL_NAMED_TYPE)))
                assert_int_equal(s->offset, 0);
            else
                assert_int_not_equal(s->offset, 0);
            for (; s->offset; s++) {
                size_t end = s->offset + (s->list ? sizeof(gql_list) : sizeof(gql_node *));
                if (end > GQL_NODE_SIZE(k))
                    fail_msg("%s: slot at offset %u is past GQL_NODE_SIZE %zu",
                             gql_kind_name((gql_kind)k), (unsigned)s->offset,
                             (size_t)GQL_NODE_SIZE(k));
            }
        }
    }
}

static int log_child(const gql_node *child, void *ud)
{
    strcat(ud, gql_kind_name((gql_kind)child->kind));
    strcat(ud, " ");
    return 0;
}

static void iter_log(char *log, const gql_node *node, const gql_child_slot *const *table)
{
    log[0] = 0;
    assert_int_equal(gql_each_child(table[node->kind], node, log_child, log), 0);
}

static int stop_at_second(const gql_node *child, void *ud)
{
    (void)child;
    return ++*(int *)ud == 2 ? 7 : 0;
}

/* gql_kind_validated_slots gives what graphql-js validation visits: no names,
 * aliases or descriptions; gql_kind_child_slots is gql_node_each_child's
 * order. A non-zero return stops the iteration and is passed on. */
static void test_child_iter(void **state)
{
    (void)state;
    gql_document *doc = parse_ok("\"d\" query Q($v: Int) @a { x: f(a: 1) }\n"
                                 "\"s\" directive @a(b: Int) on QUERY | FIELD\n");
    char log[256];
    const gql_node *op = doc->root->definitions.items[0];
    iter_log(log, op, gql_kind_child_slots);
    assert_string_equal(log, "StringValue Name VariableDefinition Directive SelectionSet ");
    iter_log(log, op, gql_kind_validated_slots);
    assert_string_equal(log, "VariableDefinition Directive SelectionSet ");
    const gql_node *field = op->selection_set->selections.items[0];
    iter_log(log, field, gql_kind_child_slots);
    assert_string_equal(log, "Name Name Argument ");
    iter_log(log, field, gql_kind_validated_slots);
    assert_string_equal(log, "Argument ");
    const gql_node *dir = doc->root->definitions.items[1];
    iter_log(log, dir, gql_kind_child_slots);
    assert_string_equal(log, "StringValue Name InputValueDefinition Name Name ");
    iter_log(log, dir, gql_kind_validated_slots);
    assert_string_equal(log, "InputValueDefinition ");
    iter_log(log, field->arguments.items[0]->value_node, gql_kind_child_slots);
    assert_string_equal(log, "");
    int calls = 0;
    assert_int_equal(gql_each_child(gql_kind_child_slots[GQL_OPERATION_DEFINITION], op,
                                    stop_at_second, &calls), 7);
    assert_int_equal(calls, 2);
    gql_document_free(doc);
}

static void test_parse_value_and_type(void **state)
{
    (void)state;
    gql_arena *a = gql_arena_new(0);
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_node *v = gql_parse_value(a, "{a: [1, $v]}", 12, 0, &errs);
    assert_non_null(v);
    assert_int_equal(v->kind, GQL_OBJECT);
    assert_null(gql_parse_value(a, "$v", 2, 1, &errs));
    assert_string_equal(errs.items[0].message, "Syntax Error: Unexpected variable \"$v\" in constant value.");
    gql_error_list_clear(&errs);
    gql_node *t = gql_parse_type(a, "[Int!]!", 7, &errs);
    assert_non_null(t);
    assert_int_equal(t->kind, GQL_NON_NULL_TYPE);
    assert_null(gql_parse_type(a, "Int x", 5, &errs));
    assert_string_equal(errs.items[0].message, "Syntax Error: Expected <EOF>, found Name \"x\".");
    gql_error_list_clear(&errs);
    gql_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operation_shape),
        cmocka_unit_test(test_sdl_shape),
        cmocka_unit_test(test_parser_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_walk_order),
        cmocka_unit_test(test_child_slots_fit_node_size),
        cmocka_unit_test(test_child_iter),
        cmocka_unit_test(test_parse_value_and_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
