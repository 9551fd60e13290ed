/* test_schema.c: the type system from SDL — building, extensions, lookups,
 * SDL validation, validateSchema and printSchema against graphql-js 16.15.0
 * answers (test_schema_cases.h), multi-file reports, suggestions, numbers. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gqlsse/printer.h>
#include <gqlsse/schema.h>

#include "graphql/suggestion.h"
#include "util/jsnum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_schema_cases.h"

static gql_schema *build1(const char *sdl, unsigned flags, gql_error_list *errors, gql_buf *report)
{
    gql_sdl_source src = {"schema.graphql", sdl, strlen(sdl)};
    return gql_schema_build(&src, 1, flags, errors, report);
}

static char *errors_json(const gql_error_list *errors)
{
    gql_buf b = GQL_BUF_INIT;
    gql_error_list_to_json(&b, errors);
    return gql_buf_take(&b);
}

/* Every generated case: printSchema, or the errors, exactly as graphql-js. */
static void test_graphql_js_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof schema_cases / sizeof schema_cases[0]; i++) {
        const schema_case *c = &schema_cases[i];
        gql_error_list errors = GQL_ERROR_LIST_INIT;
        gql_buf report = GQL_BUF_INIT;
        gql_schema *s = build1(c->sdl, 0, &errors, &report);
        if (c->printed) {
            char *printed = s ? gql_schema_print(s) : NULL;
            if (!printed || strcmp(printed, c->printed) != 0) {
                print_error("case %s: printed\n%s\nexpected\n%s\nreport: %s\n", c->name,
                            printed ? printed : "(no schema)", c->printed,
                            report.data ? report.data : "");
                failures++;
            }
            free(printed);
        } else {
            char *json = errors_json(&errors);
            if (s || !json || strcmp(json, c->errors) != 0) {
                print_error("case %s: errors\n%s\nexpected\n%s\n", c->name, json ? json : "",
                            c->errors);
                failures++;
            }
            /* one report line per error, each naming the file */
            size_t lines = 0;
            for (size_t k = 0; report.data && k < report.len; k++)
                lines += report.data[k] == '\n';
            assert_true(lines >= errors.count);
            assert_non_null(report.data);
            assert_true(strncmp(report.data, "schema.graphql", 14) == 0);
            free(json);
        }
        gql_schema_free(s);
        gql_error_list_clear(&errors);
        gql_buf_free(&report);
    }
    assert_int_equal(failures, 0);
}

static const char *kitchen =
    "directive @cost(w: Float) on FIELD_DEFINITION\n"
    "type Query implements Node { id: ID! search(term: String): [Result] me: User }\n"
    "interface Node { id: ID! }\n"
    "interface Entity implements Node { id: ID! }\n"
    "type User implements Entity & Node { id: ID! name: String friends: [User] }\n"
    "type Post implements Node { id: ID! }\n"
    "union Result = User | Post\n"
    "enum Role { A B }\n"
    "input Filter { role: Role, n: Int }\n"
    "scalar Date";

static const gql_type *T(const gql_schema *s, const char *name)
{
    const gql_type *t = gql_schema_find_type(s, name, strlen(name));
    assert_non_null(t);
    return t;
}

static void test_type_map_order_and_lookups(void **state)
{
    (void)state;
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_schema *s = build1(kitchen, 0, &errors, NULL);
    assert_non_null(s);
    /* Object.keys(schema.getTypeMap()) in graphql-js */
    static const char *const order[] = {
        "Query", "ID", "String", "Node", "Entity", "User", "Post", "Result", "Role", "Filter",
        "Int", "Date", "Float", "Boolean", "__Schema", "__Type", "__TypeKind", "__Field",
        "__InputValue", "__EnumValue", "__Directive", "__DirectiveLocation"};
    assert_int_equal(s->ntypes, sizeof order / sizeof order[0]);
    for (uint32_t i = 0; i < s->ntypes; i++) {
        assert_string_equal(s->types[i]->name, order[i]);
        assert_int_equal(s->types[i]->index, i);
        assert_ptr_equal(gql_schema_find_type(s, order[i], strlen(order[i])), s->types[i]);
    }
    static const char *const dirs[] = {"cost", "include", "skip", "deprecated", "specifiedBy",
                                       "oneOf"};
    assert_int_equal(s->ndirectives, 6);
    for (uint32_t i = 0; i < 6; i++) {
        assert_string_equal(s->directives[i]->name, dirs[i]);
        assert_ptr_equal(gql_schema_find_directive(s, dirs[i], strlen(dirs[i])), s->directives[i]);
    }
    assert_null(gql_schema_find_type(s, "Nope", 4));
    assert_null(gql_schema_find_directive(s, "nope", 4));

    const gql_type *query = T(s, "Query"), *node = T(s, "Node"), *entity = T(s, "Entity");
    const gql_type *user = T(s, "User"), *post = T(s, "Post"), *result = T(s, "Result");
    assert_ptr_equal(s->query, query);
    assert_ptr_equal(gql_schema_root_type(s, GQL_OP_QUERY), query);
    assert_null(s->mutation);
    assert_null(gql_schema_root_type(s, GQL_OP_SUBSCRIPTION));

    /* possible types: getPossibleTypes / getImplementations */
    assert_int_equal(node->npossible_types, 3);
    assert_ptr_equal(node->possible_types[0], query);
    assert_ptr_equal(node->possible_types[1], user);
    assert_ptr_equal(node->possible_types[2], post);
    assert_int_equal(node->nimplementations, 1);
    assert_ptr_equal(node->implementations[0], entity);
    assert_int_equal(result->npossible_types, 2);
    assert_true(gql_schema_is_sub_type(s, node, entity));
    assert_true(gql_schema_is_sub_type(s, node, user));
    assert_false(gql_schema_is_sub_type(s, entity, post));
    assert_true(gql_schema_is_sub_type(s, result, post));
    assert_false(gql_schema_is_sub_type(s, result, query));
    assert_true(gql_schema_types_overlap(s, node, result));
    assert_true(gql_schema_types_overlap(s, entity, result));
    assert_false(gql_schema_types_overlap(s, query, post));
    assert_true(gql_schema_types_overlap(s, post, result));

    /* fields, arguments, type references */
    const gql_field *search = gql_type_find_field(query, "search", 6);
    assert_non_null(search);
    assert_ptr_equal(search->parent, query);
    assert_int_equal(search->nargs, 1);
    assert_non_null(gql_field_find_arg(search, "term", 4));
    assert_null(gql_field_find_arg(search, "x", 1));
    gql_buf b = GQL_BUF_INIT;
    gql_type_ref_print(&b, search->type);
    assert_string_equal(b.data, "[Result]");
    gql_buf_free(&b);
    assert_int_equal(search->type->kind, GQL_REF_LIST);
    assert_ptr_equal(search->type->named, result);
    assert_null(gql_type_find_field(query, "__typename", 10));
    assert_string_equal(s->typename_meta_field.name, "__typename");
    assert_int_equal(s->type_meta_field.nargs, 1);
    assert_ptr_equal(s->schema_meta_field.type->named, T(s, "__Schema"));

    const gql_type *role = T(s, "Role"), *filter = T(s, "Filter");
    assert_non_null(gql_type_find_enum_value(role, "B", 1));
    assert_null(gql_type_find_enum_value(role, "C", 1));
    assert_non_null(gql_type_find_input_field(filter, "role", 4));
    assert_true(gql_type_is_input(filter) && !gql_type_is_output(filter));
    assert_true(gql_type_is_leaf(role) && gql_type_is_abstract(result));
    assert_true(gql_type_is_composite(user) && !gql_type_is_composite(role));

    /* isTypeSubTypeOf: [User] <= [Result], User </= [Result], ID! <= ID */
    const gql_field *friends = gql_type_find_field(user, "friends", 7);
    const gql_field *id = gql_type_find_field(user, "id", 2);
    assert_true(gql_schema_is_type_sub_type_of(s, friends->type, search->type));
    assert_false(gql_schema_is_type_sub_type_of(s, &user->ref, search->type));
    assert_false(gql_schema_is_type_sub_type_of(s, search->type, friends->type));
    assert_true(gql_schema_is_type_sub_type_of(s, id->type, &T(s, "ID")->ref));
    assert_false(gql_schema_is_type_sub_type_of(s, &T(s, "ID")->ref, id->type));
    assert_true(gql_type_ref_equal(id->type, gql_type_find_field(post, "id", 2)->type));

    /* introspection types and their built-in defaults */
    const gql_field *fields = gql_type_find_field(T(s, "__Type"), "fields", 6);
    assert_non_null(fields);
    const gql_input_value *inc = gql_field_find_arg(fields, "includeDeprecated", 17);
    assert_non_null(inc);
    assert_non_null(inc->default_value);
    assert_int_equal(inc->default_value->kind, GQL_BOOLEAN);
    assert_true(T(s, "__Type")->flags & GQL_TYPE_FLAG_INTROSPECTION);
    assert_true(T(s, "String")->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR);
    const gql_directive *dep = gql_schema_find_directive(s, "deprecated", 10);
    assert_true(dep->specified);
    assert_true(dep->location_mask & (1u << GQL_DLOC_ENUM_VALUE));
    assert_string_equal(gql_directive_location_name(GQL_DLOC_INPUT_FIELD_DEFINITION),
                        "INPUT_FIELD_DEFINITION");
    assert_int_equal(gql_directive_location_from_name("SCHEMA", 6), GQL_DLOC_SCHEMA);
    assert_int_equal(gql_directive_location_from_name("SCHEM", 5), -1);

    gql_schema_free(s);
    gql_error_list_clear(&errors);
}

static void test_unreferenced_builtins_absent(void **state)
{
    (void)state;
    gql_schema *s = build1("type Query { a: String }", 0, NULL, NULL);
    assert_non_null(s);
    assert_null(gql_schema_find_type(s, "Int", 3));
    assert_null(gql_schema_find_type(s, "Float", 5));
    assert_null(gql_schema_find_type(s, "ID", 2));
    assert_non_null(gql_schema_find_type(s, "Boolean", 7)); /* via introspection */
    gql_schema_free(s);
}

static void test_extensions(void **state)
{
    (void)state;
    const char *sdl = "extend type Query { c: Int }\n"
                      "type Query { a: Int }\n"
                      "extend type Query implements I { b: Int }\n"
                      "interface I { b: Int }\n"
                      "enum E { A } extend enum E { B }\n"
                      "union U = Query extend union U = Other type Other { o: E }\n"
                      "input In { x: Int } extend input In { y: Int = 2 }\n";
    gql_schema *s = build1(sdl, 0, NULL, NULL);
    assert_non_null(s);
    const gql_type *q = T(s, "Query");
    /* the definition's fields, then each extension's in document order */
    assert_int_equal(q->nfields, 3);
    assert_string_equal(q->fields[0].name, "a");
    assert_string_equal(q->fields[1].name, "c");
    assert_string_equal(q->fields[2].name, "b");
    assert_int_equal(q->nextensions, 2);
    assert_int_equal(q->extensions[0].node->kind, GQL_OBJECT_TYPE_EXTENSION);
    assert_int_equal(q->ninterfaces, 1);
    assert_int_equal(T(s, "E")->nvalues, 2);
    assert_int_equal(T(s, "U")->nmembers, 2);
    const gql_input_value *y = gql_type_find_input_field(T(s, "In"), "y", 1);
    assert_non_null(y);
    assert_non_null(y->default_ast);
    assert_string_equal(y->default_value->value, "2");
    gql_location loc = gql_schema_node_location(s, q->extensions[1].source, q->extensions[1].node);
    assert_int_equal(loc.line, 3);
    assert_int_equal(loc.column, 1);
    gql_schema_free(s);
}

static char *print_default(const gql_schema *s, const char *type, const char *field,
                           const char *arg)
{
    const gql_field *f = gql_type_find_field(T(s, type), field, strlen(field));
    assert_non_null(f);
    const gql_input_value *v = gql_field_find_arg(f, arg, strlen(arg));
    assert_non_null(v);
    return v->default_value ? gql_print(v->default_value) : NULL;
}

static void test_default_values(void **state)
{
    (void)state;
    const char *sdl = "type Query { f(a: Float = 1.0, b: ID = \"12\", c: [Int] = 3, d: In = {},"
                      " e: Int = 1.5, g: Int! = null, h: JSON = ENUMISH, i: Float = 1e21,"
                      " j: Int! = 3): Int }\n"
                      "scalar JSON\n"
                      "input In { x: Int = 1, y: [String] = \"s\" }\n";
    gql_schema *s = build1(sdl, 0, NULL, NULL);
    assert_non_null(s);
    struct {
        const char *arg, *printed;
    } want[] = {{"a", "1"},          {"b", "12"},     {"c", "[3]"},
                {"d", "{x: 1, y: [\"s\"]}"}, {"e", NULL},     {"g", NULL},
                {"h", "\"ENUMISH\""}, {"i", "1e+21"}, {"j", "3"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *p = print_default(s, "Query", "f", want[i].arg);
        if (want[i].printed) {
            assert_non_null(p);
            assert_string_equal(p, want[i].printed);
        } else {
            assert_null(p);
        }
        free(p);
    }
    const gql_field *f = gql_type_find_field(T(s, "Query"), "f", 1);
    /* g: Int! = null does not coerce: graphql-js then requires the argument */
    assert_true(gql_input_value_is_required(gql_field_find_arg(f, "g", 1)));
    assert_non_null(gql_field_find_arg(f, "g", 1)->default_ast);
    assert_false(gql_input_value_is_required(gql_field_find_arg(f, "j", 1)));
    gql_schema_free(s);
}

static void test_deprecation_and_specified_by(void **state)
{
    (void)state;
    const char *sdl = "type Query { a: Int @deprecated b: Int @deprecated(reason: \"x\")"
                      " c: Int @deprecated(reason: null) d: S e(i: I): E }\n"
                      "scalar S @specifiedBy(url: \"https://s\")\n"
                      "enum E { A @deprecated(reason: \"old\") }\n"
                      "input I @oneOf { a: Int }\n";
    gql_schema *s = build1(sdl, 0, NULL, NULL);
    assert_non_null(s);
    const gql_type *q = T(s, "Query");
    assert_string_equal(q->fields[0].deprecation_reason.s, "No longer supported");
    assert_string_equal(q->fields[1].deprecation_reason.s, "x");
    assert_null(q->fields[2].deprecation_reason.s);
    assert_string_equal(T(s, "S")->specified_by_url.s, "https://s");
    assert_string_equal(T(s, "E")->values[0].deprecation_reason.s, "old");
    assert_true(T(s, "I")->one_of);
    gql_schema_free(s);
}

static void test_many_fields_hash_index(void **state)
{
    (void)state;
    gql_buf sdl = GQL_BUF_INIT;
    gql_buf_puts(&sdl, "type Query {");
    for (int i = 0; i < 300; i++)
        gql_buf_printf(&sdl, " f%d(a%d: Int, b: Int, c: Int, d: Int, e: Int, f: Int, g: Int,"
                             " h: Int, i: Int): Int", i, i);
    gql_buf_puts(&sdl, " }\nenum Big {");
    for (int i = 0; i < 100; i++)
        gql_buf_printf(&sdl, " V%d", i);
    gql_buf_puts(&sdl, " }");
    for (int i = 0; i < 200; i++)
        gql_buf_printf(&sdl, "\ntype T%d { x: Big }", i);
    gql_schema *s = build1(sdl.data, 0, NULL, NULL);
    assert_non_null(s);
    const gql_type *q = T(s, "Query");
    for (int i = 0; i < 300; i++) {
        char name[16], arg[16];
        snprintf(name, sizeof name, "f%d", i);
        snprintf(arg, sizeof arg, "a%d", i);
        const gql_field *f = gql_type_find_field(q, name, strlen(name));
        assert_non_null(f);
        assert_string_equal(f->name, name);
        assert_non_null(gql_field_find_arg(f, arg, strlen(arg)));
        assert_non_null(gql_field_find_arg(f, "i", 1));
        assert_null(gql_field_find_arg(f, "z", 1));
    }
    assert_null(gql_type_find_field(q, "f300", 4));
    assert_non_null(gql_type_find_enum_value(T(s, "Big"), "V99", 3));
    assert_non_null(T(s, "T199"));
    gql_schema_free(s);
    gql_buf_free(&sdl);
}

static void test_multiple_sources_report(void **state)
{
    (void)state;
    gql_sdl_source src[2] = {
        {"a.graphql", "type Query { a: Dup }\ntype Dup { x: Int }\n", 0},
        {"b.graphql", "\n\ntype Dup { y: Int }\n", 0},
    };
    src[0].len = strlen(src[0].text);
    src[1].len = strlen(src[1].text);
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_buf report = GQL_BUF_INIT;
    assert_null(gql_schema_build(src, 2, 0, &errors, &report));
    assert_int_equal(errors.count, 1);
    assert_string_equal(errors.items[0].message, "There can be only one type named \"Dup\".");
    assert_int_equal(errors.items[0].nlocations, 2);
    assert_int_equal(errors.items[0].locations[1].line, 3);
    assert_string_equal(report.data,
                        "a.graphql:2:6: There can be only one type named \"Dup\".\n"
                        "b.graphql:3:6: note: related location\n");
    gql_error_list_clear(&errors);
    gql_buf_free(&report);

    /* the sources reference each other in any order */
    src[1].text = "extend type Query { b: Int }\ntype Other { o: Dup }\n";
    src[1].len = strlen(src[1].text);
    gql_schema *s = gql_schema_build(src, 2, 0, NULL, NULL);
    assert_non_null(s);
    assert_int_equal(s->nsources, 2);
    assert_string_equal(gql_schema_source_name(s, 1), "b.graphql");
    assert_int_equal(T(s, "Query")->nfields, 2);
    assert_int_equal(T(s, "Query")->extensions[0].source, 1);
    gql_schema_free(s);

    /* a syntax error in each bad source */
    src[0].text = "type Query {";
    src[0].len = strlen(src[0].text);
    src[1].text = "type Other { o: }";
    src[1].len = strlen(src[1].text);
    assert_null(gql_schema_build(src, 2, 0, &errors, &report));
    assert_int_equal(errors.count, 2);
    assert_non_null(strstr(report.data, "a.graphql:1:13: Syntax Error: Expected Name, found <EOF>."));
    assert_non_null(strstr(report.data, "b.graphql:1:17: Syntax Error: "));
    gql_error_list_clear(&errors);
    gql_buf_free(&report);
}

static void test_no_validate_flag(void **state)
{
    (void)state;
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_buf report = GQL_BUF_INIT;
    gql_schema *s = build1("type Foo { a: Int }", GQL_SCHEMA_NO_VALIDATE, &errors, NULL);
    assert_non_null(s);
    assert_int_equal(errors.count, 0);
    assert_int_equal(gql_schema_validate(s, &errors, &report), 1);
    assert_string_equal(errors.items[0].message, "Query root type must be provided.");
    assert_string_equal(report.data, "schema.graphql: Query root type must be provided.\n");
    char *printed = gql_schema_print(s);
    assert_string_equal(printed, "type Foo {\n  a: Int\n}");
    free(printed);
    gql_schema_free(s);
    gql_error_list_clear(&errors);
    gql_buf_free(&report);
}

static void test_load_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_schema.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[64], b[64];
    snprintf(a, sizeof a, "%s/a.graphql", dir);
    snprintf(b, sizeof b, "%s/b.graphql", dir);
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    fputs("type Query { a: B }\n", f);
    fclose(f);
    f = fopen(b, "w");
    assert_non_null(f);
    fputs("type B { b: Int @deprecated(reason: 1) }\n", f);
    fclose(f);

    const char *paths[2] = {a, b};
    char *text = NULL;
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    assert_null(gql_schema_load_files(paths, 2, &errors, &text));
    assert_non_null(text);
    char want[160];
    snprintf(want, sizeof want, "%s:1:37: Argument \"reason\" has invalid value 1.\n", b);
    assert_string_equal(text, want);
    free(text);
    gql_error_list_clear(&errors);

    f = fopen(b, "w");
    assert_non_null(f);
    fputs("type B { b: Int }\n", f);
    fclose(f);
    gql_schema *s = gql_schema_load_files(paths, 2, &errors, &text);
    assert_non_null(s);
    assert_null(text);
    gql_schema_free(s);

    const char *missing[1] = {"/nonexistent/x.graphql"};
    assert_null(gql_schema_load_files(missing, 1, &errors, &text));
    assert_non_null(strstr(text, "/nonexistent/x.graphql: cannot read: "));
    assert_int_equal(errors.count, 1);
    free(text);
    gql_error_list_clear(&errors);
    unlink(a);
    unlink(b);
    rmdir(dir);
}

static void test_suggestions(void **state)
{
    (void)state;
    const char *opts[] = {"Type10", "type3", "Type2", "Typ", "Tpye", "Type1", "Types", "Other",
                          "Type2"};
    const char *out[9];
    size_t n = gql_suggestion_list("Type", opts, 9, out);
    /* graphql-js: distance, then naturalCompare; duplicates once */
    const char *want[] = {"Tpye", "Typ", "Type1", "Type2", "Types", "type3", "Type10"};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(out[i], want[i]);
    gql_buf b = GQL_BUF_INIT;
    gql_did_you_mean(&b, NULL, out, n);
    assert_string_equal(b.data,
                        " Did you mean \"Tpye\", \"Typ\", \"Type1\", \"Type2\", or \"Types\"?");
    gql_buf_reset(&b);
    gql_did_you_mean(&b, "the type", out, 2);
    assert_string_equal(b.data, " Did you mean the type \"Tpye\" or \"Typ\"?");
    gql_buf_free(&b);
    assert_true(gql_natural_compare("a2", "a10") < 0);
    assert_true(gql_natural_compare("a10", "a2") > 0);
    assert_int_equal(gql_natural_compare("abc", "abc"), 0);
}

static void test_jsnum(void **state)
{
    (void)state;
    struct {
        double v;
        const char *s;
    } cases[] = {{1, "1"},           {-0.0, "0"},         {1.5, "1.5"},
                 {1e21, "1e+21"},    {1e20, "100000000000000000000"},
                 {1e-7, "1e-7"},     {0.000001, "0.000001"}, {123456789012345678901234.0, "1.2345678901234569e+23"},
                 {0.1, "0.1"},       {-125, "-125"},     {1.5e-7, "1.5e-7"},
                 {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[GQL_JSNUM_BUFSIZE];
        gql_jsnum_format(cases[i].v, buf);
        assert_string_equal(buf, cases[i].s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphql_js_cases),
        cmocka_unit_test(test_type_map_order_and_lookups),
        cmocka_unit_test(test_unreferenced_builtins_absent),
        cmocka_unit_test(test_extensions),
        cmocka_unit_test(test_default_values),
        cmocka_unit_test(test_deprecation_and_specified_by),
        cmocka_unit_test(test_many_fields_hash_index),
        cmocka_unit_test(test_multiple_sources_report),
        cmocka_unit_test(test_no_validate_flag),
        cmocka_unit_test(test_load_files),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_jsnum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
