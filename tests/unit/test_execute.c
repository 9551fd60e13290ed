/* test_execute.c: unit tests of execution: variable coercion messages, leaf
 * serialization, JavaScript number formatting, JSON.parse, resolvers. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gqlsse/execute.h>
#include <gqlsse/validate.h>

#include "graphql/execution/exec_internal.h"
#include "util/jsnum.h"

static const char SDL[] =
    "enum Color { RED GREEN }\n"
    "input In { p: Int!, q: [String!] = [\"d\"] }\n"
    "input One @oneOf { a: Int, b: String }\n"
    "type Task { id: ID!, title: String }\n"
    "type Query { a(x: Int): Int, f(v: Float): Float, c(c: Color): Color, i(i: In): String,\n"
    "  o(o: One): String, tasks(first: Int = 2): [Task!]!, n: Int! }\n"
    "type Subscription { taskCreated: Task!, count(max: Int!): Int }\n";

static gql_schema *schema(void)
{
    gql_sdl_source src = {"test.graphql", SDL, sizeof SDL - 1};
    gql_schema *s = gql_schema_build(&src, 1, 0, NULL, NULL);
    assert_non_null(s);
    return s;
}

/* Executes `doc` with `variables` (JSON text or NULL) and returns the response
 * JSON (caller frees). */
static char *run(const gql_schema *s, const gql_runtime *rt, const char *doc_src,
                 const char *variables, const char *root)
{
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(doc_src, strlen(doc_src), NULL, &errs);
    assert_non_null(doc);
    json_object *vars = NULL, *rootv = NULL;
    if (variables)
        assert_int_equal(gql_json_parse(variables, strlen(variables), &vars, NULL, 0), 0);
    if (root)
        assert_int_equal(gql_json_parse(root, strlen(root), &rootv, NULL, 0), 0);
    gql_execute_args args = {.schema = s, .runtime = rt, .document = doc, .root_value = rootv,
                             .variables = vars};
    gql_result res = GQL_RESULT_INIT;
    assert_int_equal(gql_execute(&args, &res), 0);
    gql_buf out = GQL_BUF_INIT;
    gql_result_to_json(&out, &res);
    gql_result_clear(&res);
    json_object_put(vars);
    json_object_put(rootv);
    gql_document_free(doc);
    return gql_buf_take(&out);
}

#define EXPECT_RUN(s, rt, doc, vars, root, expected)          \
    do {                                                      \
        char *got_ = run((s), (rt), (doc), (vars), (root));   \
        assert_string_equal(got_, (expected));                \
        free(got_);                                           \
    } while (0)

static void test_variable_coercion_messages(void **state)
{
    (void)state;
    gql_schema *s = schema();
    EXPECT_RUN(s, NULL, "query($x: Int) { a(x: $x) }", "{\"x\":1.5}", NULL,
               "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value 1.5; Int "
               "cannot represent non-integer value: 1.5\",\"locations\":[{\"line\":1,"
               "\"column\":7}]}]}");
    EXPECT_RUN(s, NULL, "query($x: Int) { a(x: $x) }", "{\"x\":3000000000}", NULL,
               "{\"errors\":[{\"message\":\"Variable \\\"$x\\\" got invalid value 3000000000; "
               "Int cannot represent non 32-bit signed integer value: 3000000000\","
               "\"locations\":[{\"line\":1,\"column\":7}]}]}");
    EXPECT_RUN(s, NULL, "query($c: Color) { c(c: $c) }", "{\"c\":\"REDD\"}", NULL,
               "{\"errors\":[{\"message\":\"Variable \\\"$c\\\" got invalid value \\\"REDD\\\"; "
               "Value \\\"REDD\\\" does not exist in \\\"Color\\\" enum. Did you mean the enum "
               "value \\\"RED\\\"?\",\"locations\":[{\"line\":1,\"column\":7}]}]}");
    EXPECT_RUN(s, NULL, "query($i: In) { i(i: $i) }", "{\"i\":{\"q\":[1]}}", NULL,
               "{\"errors\":[{\"message\":\"Variable \\\"$i\\\" got invalid value { q: [1] }; Field "
               "\\\"p\\\" of required type \\\"Int!\\\" was not provided.\",\"locations\":[{"
               "\"line\":1,\"column\":7}]},{\"message\":\"Variable \\\"$i\\\" got invalid value 1 "
               "at \\\"i.q[0]\\\"; String cannot represent a non string value: 1\","
               "\"locations\":[{\"line\":1,\"column\":7}]}]}");
    EXPECT_RUN(s, NULL, "query($o: One) { o(o: $o) }", "{\"o\":{\"a\":null}}", NULL,
               "{\"errors\":[{\"message\":\"Variable \\\"$o\\\" got invalid value null at "
               "\\\"o.a\\\"; Field \\\"a\\\" must be non-null.\",\"locations\":[{\"line\":1,"
               "\"column\":7}]}]}");
    gql_schema_free(s);
}

static void test_completion_errors(void **state)
{
    (void)state;
    gql_schema *s = schema();
    EXPECT_RUN(s, NULL, "{ a n }", NULL, "{\"a\":\"x\"}",
               "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: \\\"x\\\"\","
               "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"a\"]},{\"message\":"
               "\"Cannot return null for non-nullable field Query.n.\",\"locations\":[{\"line\":"
               "1,\"column\":5}],\"path\":[\"n\"]}],\"data\":null}");
    EXPECT_RUN(s, NULL, "{ f }", NULL, "{\"f\":1e21}", "{\"data\":{\"f\":1e+21}}");
    gql_schema_free(s);
}

static void test_number_format(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *s;
    } cases[] = {{0.1, "0.1"}, {-0.0, "0"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
                 {1.5e-7, "1.5e-7"}, {1e-6, "0.000001"}, {123456789012.0, "123456789012"},
                 {5e-324, "5e-324"}, {0.30000000000000004, "0.30000000000000004"},
                 /* the fast path (short decimals, integers below 2^53) and its edges */
                 {0.000125, "0.000125"}, {1e-7, "1e-7"}, {9007199254740991.0, "9007199254740991"},
                 {9007199254740992.0, "9007199254740992"}, {999999999999999.9, "999999999999999.9"},
                 {1234.5678, "1234.5678"}, {-7.25, "-7.25"}, {2.675, "2.675"},
                 {1152921504606846976.0, "1152921504606847000"}, {0.1 + 0.7, "0.7999999999999999"},
                 {4.35, "4.35"}, {1e15, "1000000000000000"}, {123456.789e3, "123456789"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[GQL_JSNUM_BUFSIZE];
        gql_jsnum_format(cases[i].v, buf);
        assert_string_equal(buf, cases[i].s);
    }
    assert_true(gqlx_string_to_number(" 0x1F ", 6) == 31);
    assert_true(gqlx_string_to_number("", 0) == 0);
    assert_true(gqlx_string_to_number("1e3", 3) == 1000);
    assert_true(gqlx_string_to_number("12abc", 5) != gqlx_string_to_number("12abc", 5)); /* NaN */
}

static void test_json_parse(void **state)
{
    (void)state;
    json_object *v;
    char err[64];
    const char *text = "{\"b\":1,\"a\":2,\"b\":3,\"n\":123456789012345678901234567890}";
    assert_int_equal(gql_json_parse(text, strlen(text), &v, err, sizeof err), 0);
    gql_buf b = GQL_BUF_INIT;
    gqlx_json_write(&b, v);
    assert_string_equal(b.data, "{\"b\":3,\"a\":2,\"n\":1.2345678901234568e+29}");
    gql_buf_free(&b);
    json_object_put(v);
    assert_int_equal(gql_json_parse("{\"a\": 1,}", 9, &v, err, sizeof err), -1);
    assert_string_equal(err, "expected a property name at position 8");
    assert_int_equal(gql_json_parse("[1] x", 5, &v, err, sizeof err), -1);
}

static gql_resolve_status resolve_tasks(json_object *parent, json_object *args,
                                        const gql_resolve_info *info, void *ud,
                                        json_object **result, const char **error)
{
    (void)parent;
    (void)ud;
    assert_string_equal(info->field->name, "tasks");
    int first = json_object_get_int(json_object_object_get(args, "first"));
    if (first < 0) {
        *error = gql_arena_printf(info->arena, "first must be >= 0, got %d", first);
        return GQL_RESOLVE_ERROR;
    }
    json_object *arr = json_object_new_array();
    for (int i = 0; i < first; i++) {
        json_object *t = json_object_new_object();
        json_object_object_add(t, "id", json_object_new_int(i + 1));
        json_object_array_add(arr, t);
    }
    *result = arr;
    return GQL_RESOLVE_OK;
}

static void test_runtime_resolver(void **state)
{
    (void)state;
    gql_schema *s = schema();
    gql_runtime *rt = gql_runtime_new(s);
    assert_non_null(rt);
    assert_int_equal(gql_runtime_set_resolver(rt, "Query.nope", resolve_tasks, NULL), -1);
    assert_int_equal(gql_runtime_set_resolver(rt, "Query.tasks", resolve_tasks, NULL), 0);
    EXPECT_RUN(s, rt, "{ tasks { id } }", NULL, NULL,
               "{\"data\":{\"tasks\":[{\"id\":\"1\"},{\"id\":\"2\"}]}}");
    EXPECT_RUN(s, rt, "{ a tasks(first: -1) { id } }", NULL, "{\"a\":1}",
               "{\"errors\":[{\"message\":\"first must be >= 0, got -1\",\"locations\":[{"
               "\"line\":1,\"column\":5}],\"path\":[\"tasks\"]}],\"data\":null}");
    gql_runtime_free(rt);
    gql_schema_free(s);
}

/* Custom scalars: pass-through by default, a module's serialize / parse when
 * registered (expected answers are graphql-js 16's for the same functions). */
static gql_resolve_status stamp_serialize(json_object *v, const gql_type *t, void *ud,
                                          json_object **result, const char **error)
{
    (void)t;
    (void)ud;
    if (json_object_get_type(v) == json_type_int || json_object_get_type(v) == json_type_double) {
        char buf[32];
        snprintf(buf, sizeof buf, "T%lld", (long long)json_object_get_int64(v));
        *result = json_object_new_string(buf);
        return GQL_RESOLVE_OK;
    }
    if (json_object_get_type(v) == json_type_string &&
        strcmp(json_object_get_string(v), "nul") == 0) {
        *result = NULL;
        return GQL_RESOLVE_OK;
    }
    *error = "not a time: \"x\"";
    return GQL_RESOLVE_ERROR;
}

static gql_resolve_status stamp_parse(json_object *v, const gql_type *t, void *ud,
                                      json_object **result, const char **error)
{
    (void)t;
    (*(int *)ud)++;
    const char *s = json_object_get_string(v);
    if (json_object_get_type(v) == json_type_string && s[0] == 'T' && s[1]) {
        *result = json_object_new_int64(atoll(s + 1));
        return GQL_RESOLVE_OK;
    }
    *error = "bad stamp";
    return GQL_RESOLVE_ERROR;
}

static gql_resolve_status echo_args(json_object *parent, json_object *args,
                                    const gql_resolve_info *info, void *ud,
                                    json_object **result, const char **error)
{
    (void)parent;
    (void)info;
    (void)ud;
    (void)error;
    *result = json_object_new_string(json_object_to_json_string_ext(args, JSON_C_TO_STRING_PLAIN));
    return GQL_RESOLVE_OK;
}

static void test_custom_scalars(void **state)
{
    (void)state;
    static const char sdl[] = "scalar Stamp scalar Raw\n"
                              "type Query { at: Stamp ats: [Stamp] raw: Raw\n"
                              "  echo(s: Stamp, l: [Stamp!], r: Raw): String }\n";
    gql_sdl_source src = {"scalars.graphql", sdl, sizeof sdl - 1};
    gql_schema *s = gql_schema_build(&src, 1, 0, NULL, NULL);
    assert_non_null(s);
    const char *root = "{\"at\":5,\"ats\":[1,\"x\",\"nul\"],\"raw\":{\"a\":[1,\"b\"]}}";
    gql_runtime *rt = gql_runtime_new(s);
    assert_non_null(rt);
    assert_int_equal(gql_runtime_set_resolver(rt, "Query.echo", echo_args, NULL), 0);

    /* pass-through: nothing registered */
    EXPECT_RUN(s, rt, "{ at raw }", NULL, root, "{\"data\":{\"at\":5,\"raw\":{\"a\":[1,\"b\"]}}}");
    EXPECT_RUN(s, rt, "query($s: Stamp) { echo(s: $s, r: {k: [1, true]}) }", "{\"s\":\"x\"}",
               NULL, "{\"data\":{\"echo\":\"{\\\"s\\\":\\\"x\\\",\\\"r\\\":{\\\"k\\\":[1,true]}}\"}}");

    int parses = 0;
    assert_int_equal(gql_runtime_set_scalar(rt, "Int", stamp_serialize, NULL, NULL), -1);
    assert_int_equal(gql_runtime_set_scalar(rt, "Query", stamp_serialize, NULL, NULL), -1);
    assert_int_equal(gql_runtime_set_scalar(rt, "Nope", stamp_serialize, NULL, NULL), -1);
    assert_int_equal(gql_runtime_set_scalar(rt, "Stamp", stamp_serialize, stamp_parse, &parses), 0);

    EXPECT_RUN(s, rt, "{ at raw }", NULL, root, "{\"data\":{\"at\":\"T5\",\"raw\":{\"a\":[1,\"b\"]}}}");
    EXPECT_RUN(s, rt, "{ ats }", NULL, root,
               "{\"errors\":[{\"message\":\"not a time: \\\"x\\\"\",\"locations\":[{\"line\":1,"
               "\"column\":3}],\"path\":[\"ats\",1]},{\"message\":\"Expected `Stamp.serialize("
               "\\\"nul\\\")` to return non-nullable value, returned: null\",\"locations\":[{"
               "\"line\":1,\"column\":3}],\"path\":[\"ats\",2]}],\"data\":{\"ats\":[\"T1\",null,"
               "null]}}");
    EXPECT_RUN(s, rt, "query($s: Stamp, $l: [Stamp!]) { echo(s: $s, l: $l) }",
               "{\"s\":\"T12\",\"l\":[\"T1\",\"T2\"]}", NULL,
               "{\"data\":{\"echo\":\"{\\\"s\\\":12,\\\"l\\\":[1,2]}\"}}");
    assert_int_equal(parses, 3);
    EXPECT_RUN(s, rt, "query($s: Stamp) { echo(s: $s) }", "{\"s\":\"x\"}", NULL,
               "{\"errors\":[{\"message\":\"Variable \\\"$s\\\" got invalid value \\\"x\\\"; "
               "Expected type \\\"Stamp\\\". bad stamp\",\"locations\":[{\"line\":1,\"column\":"
               "7}]}]}");
    EXPECT_RUN(s, rt, "{ echo(s: \"T7\", l: [\"T8\"], r: {k: [1, true]}) }", NULL, NULL,
               "{\"data\":{\"echo\":\"{\\\"s\\\":7,\\\"l\\\":[8],\\\"r\\\":{\\\"k\\\":[1,true]}}\"}}");
    /* graphql-js rejects such literals while validating (ValuesOfCorrectTypeRule
     * calls parseLiteral): so does gql_validate given the runtime (messages
     * and locations as graphql-js 16.15 with the same parse function)... */
    {
        const char *q = "{ echo(s: \"zz\", l: [\"T1\", 3], r: 3) }";
        gql_document *d = gql_parse(q, strlen(q), NULL, NULL);
        assert_non_null(d);
        gql_error_list errs = GQL_ERROR_LIST_INIT;
        gql_validate_options vo = {.runtime = rt};
        assert_int_equal(gql_validate(s, d, &vo, &errs), 2);
        gql_buf b = GQL_BUF_INIT;
        gql_error_list_to_json(&b, &errs);
        assert_string_equal(b.data,
                            "[{\"message\":\"Expected value of type \\\"Stamp\\\", found \\\"zz\\\"; "
                            "bad stamp\",\"locations\":[{\"line\":1,\"column\":11}]},{\"message\":"
                            "\"Expected value of type \\\"Stamp!\\\", found 3; bad stamp\",\"locations\":"
                            "[{\"line\":1,\"column\":27}]}]");
        gql_buf_free(&b);
        gql_error_list_clear(&errs);
        /* without the runtime, custom scalars accept any literal */
        assert_int_equal(gql_validate(s, d, NULL, &errs), 0);
        gql_document_free(d);
    }
    /* ...while without validation it is the argument error when the field
     * runs. */
    EXPECT_RUN(s, rt, "{ echo(s: \"zz\") }", NULL, NULL,
               "{\"errors\":[{\"message\":\"Argument \\\"s\\\" has invalid value \\\"zz\\\".\","
               "\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"echo\"]}],\"data\":{"
               "\"echo\":null}}");
    gql_runtime_free(rt);
    gql_schema_free(s);
}

static char *result_json(gql_result *res)
{
    gql_buf out = GQL_BUF_INIT;
    gql_result_to_json(&out, res);
    gql_result_clear(res);
    return gql_buf_take(&out);
}

#define EXPECT_RESULT(res, expected)                 \
    do {                                             \
        char *got_ = result_json(res);               \
        assert_string_equal(got_, (expected));       \
        free(got_);                                  \
    } while (0)

static void test_plan_subscription_events(void **state)
{
    (void)state;
    gql_schema *s = schema();
    const char *src = "subscription S { created: taskCreated { id title } }";
    gql_document *doc = gql_parse(src, strlen(src), NULL, NULL);
    assert_non_null(doc);
    gql_plan_args pa = {.schema = s, .document = doc};
    gql_plan *plan = gql_plan_new(&pa);
    assert_non_null(plan);
    assert_int_equal(gql_plan_operation(plan), GQL_OP_SUBSCRIPTION);
    gql_result res = GQL_RESULT_INIT;
    assert_int_equal(gql_plan_subscribe_errors(plan, &res), 0);
    gql_result_clear(&res);
    for (int round = 0; round < 3; round++) {
        json_object *ev;
        const char *text = "{\"id\":7,\"title\":\"t\",\"extra\":1}";
        assert_int_equal(gql_json_parse(text, strlen(text), &ev, NULL, 0), 0);
        assert_int_equal(gql_plan_map_event(plan, ev, NULL, &res), 0);
        EXPECT_RESULT(&res, "{\"data\":{\"created\":{\"id\":\"7\",\"title\":\"t\"}}}");
        json_object_put(ev);
    }
    assert_int_equal(gql_plan_map_event(plan, NULL, NULL, &res), 0);
    EXPECT_RESULT(&res, "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
                        "Subscription.taskCreated.\",\"locations\":[{\"line\":1,\"column\":18}],"
                        "\"path\":[\"created\"]}],\"data\":null}");
    gql_plan_free(plan);
    gql_document_free(doc);

    src = "subscription($m: Int = 1) { count(max: $m) }";
    doc = gql_parse(src, strlen(src), NULL, NULL);
    json_object *vars = json_object_new_object();
    json_object_object_add(vars, "m", NULL);
    gql_plan_args pb = {.schema = s, .document = doc, .variables = vars};
    plan = gql_plan_new(&pb);
    json_object_put(vars); /* the plan keeps its own coerced copy */
    assert_int_equal(gql_plan_subscribe_errors(plan, &res), 1);
    EXPECT_RESULT(&res, "{\"errors\":[{\"message\":\"Argument \\\"max\\\" of non-null type "
                        "\\\"Int!\\\" must not be null.\",\"locations\":[{\"line\":1,\"column\":"
                        "40}],\"path\":[\"count\"]}]}");
    gql_plan_free(plan);
    gql_document_free(doc);
    gql_schema_free(s);
}

/* Plans are read-only once made: many threads map events through one plan. */
static const char PLAN_SDL[] =
    "type User { id: ID! name: String friend: User pet: Pet }\n"
    "type Dog { name: String barks: Boolean }\n"
    "type Cat { name: String lives: Int }\n"
    "union Pet = Dog | Cat\n"
    "type Query { user: User }\n"
    "type Subscription { userChanged: User }\n";

typedef struct shared_run {
    gql_plan *plan;
    json_object *events[2];
    const char *expected[2];
    int failures;
} shared_run;

static void *map_events(void *arg)
{
    shared_run *sr = arg;
    for (int i = 0; i < 500; i++) {
        gql_result res = GQL_RESULT_INIT;
        if (gql_plan_map_event(sr->plan, sr->events[i & 1], NULL, &res) != 0)
            __atomic_add_fetch(&sr->failures, 1, __ATOMIC_RELAXED);
        char *got = result_json(&res);
        if (!got || strcmp(got, sr->expected[i & 1]) != 0)
            __atomic_add_fetch(&sr->failures, 1, __ATOMIC_RELAXED);
        free(got);
    }
    return NULL;
}

static void test_plan_shared_between_threads(void **state)
{
    (void)state;
    gql_sdl_source src = {"plan.graphql", PLAN_SDL, sizeof PLAN_SDL - 1};
    gql_schema *s = gql_schema_build(&src, 1, 0, NULL, NULL);
    assert_non_null(s);
    const char *text = "subscription { userChanged { id ...U friend { ...U friend { id } } } }\n"
                       "fragment U on User { name pet { __typename ... on Dog { name barks }"
                       " ... on Cat { name lives } } }";
    gql_document *doc = gql_parse(text, strlen(text), NULL, NULL);
    assert_non_null(doc);
    gql_plan_args pa = {.schema = s, .document = doc};
    shared_run sr = {.plan = gql_plan_new(&pa)};
    assert_non_null(sr.plan);
    const char *ev0 = "{\"id\":1,\"name\":\"a\",\"pet\":{\"__typename\":\"Dog\",\"name\":\"d\","
                      "\"barks\":true},\"friend\":{\"name\":\"b\",\"pet\":{\"__typename\":\"Cat\","
                      "\"lives\":9},\"friend\":{\"id\":3}}}";
    const char *ev1 = "{\"id\":2,\"pet\":{\"__typename\":\"Cow\"},\"friend\":null}";
    assert_int_equal(gql_json_parse(ev0, strlen(ev0), &sr.events[0], NULL, 0), 0);
    assert_int_equal(gql_json_parse(ev1, strlen(ev1), &sr.events[1], NULL, 0), 0);
    sr.expected[0] = "{\"data\":{\"userChanged\":{\"id\":\"1\",\"name\":\"a\",\"pet\":{"
                     "\"__typename\":\"Dog\",\"name\":\"d\",\"barks\":true},\"friend\":{\"name\":"
                     "\"b\",\"pet\":{\"__typename\":\"Cat\",\"name\":null,\"lives\":9},\"friend\":"
                     "{\"id\":\"3\"}}}}}";
    sr.expected[1] = "{\"errors\":[{\"message\":\"Abstract type \\\"Pet\\\" was resolved to a "
                     "type \\\"Cow\\\" that does not exist inside the schema.\",\"locations\":[{"
                     "\"line\":2,\"column\":27}],\"path\":[\"userChanged\",\"pet\"]}],\"data\":{"
                     "\"userChanged\":{\"id\":\"2\",\"name\":null,\"pet\":null,\"friend\":null}}}";
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, map_events, &sr), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    assert_int_equal(sr.failures, 0);
    json_object_put(sr.events[0]);
    json_object_put(sr.events[1]);
    gql_plan_free(sr.plan);
    gql_document_free(doc);

    /* Each fragment spreads the next one twice: 2^30 places, but planning
     * collects each (type, field nodes) once, so this is quick. */
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "subscription { userChanged { ...F0 } }\n");
    for (int i = 0; i < 30; i++)
        gql_buf_printf(&b, "fragment F%d on User { a: friend { ...F%d } b: friend { ...F%d } }\n", i,
                       i + 1, i + 1);
    gql_buf_puts(&b, "fragment F30 on User { name }\n");
    doc = gql_parse(b.data, b.len, NULL, NULL);
    assert_non_null(doc);
    gql_buf_free(&b);
    gql_plan_args pb = {.schema = s, .document = doc};
    gql_plan *plan = gql_plan_new(&pb);
    assert_non_null(plan);
    json_object *ev;
    const char *ev2 = "{\"friend\":{\"name\":\"x\"}}";
    assert_int_equal(gql_json_parse(ev2, strlen(ev2), &ev, NULL, 0), 0);
    gql_result res = GQL_RESULT_INIT;
    assert_int_equal(gql_plan_map_event(plan, ev, NULL, &res), 0);
    EXPECT_RESULT(&res, "{\"data\":{\"userChanged\":{\"a\":{\"a\":null,\"b\":null},\"b\":{\"a\":"
                        "null,\"b\":null}}}}");
    json_object_put(ev);
    gql_plan_free(plan);
    gql_document_free(doc);
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variable_coercion_messages),
        cmocka_unit_test(test_completion_errors),
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_json_parse),
        cmocka_unit_test(test_runtime_resolver),
        cmocka_unit_test(test_custom_scalars),
        cmocka_unit_test(test_plan_subscription_events),
        cmocka_unit_test(test_plan_shared_between_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
