/* fuzz_execute.c: libFuzzer target for execution: the first input line is the
 * variables JSON, the rest a document, run against a fixed schema and root
 * value (parse -> validate -> gql_execute, then as a plan: subscribe errors
 * and one mapped event). Must not crash, leak or answer differently twice.
 *
 *   make fuzz/fuzz_execute             # builds it (clang)
 *   ./fuzz/fuzz_execute -max_len=2048 -dict=tests/fuzz/graphql.dict \
 *       fuzz/corpus-execute tests/fuzz/corpus/execute
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gqlsse/buf.h>
#include <gqlsse/error.h>
#include <gqlsse/execute.h>
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>
#include <gqlsse/validate.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema_sdl[] =
    "scalar DateTime @specifiedBy(url: \"https://example.com/datetime\")\n"
    "scalar JSON\n"
    "interface Node { id: ID! }\n"
    "interface Entity implements Node { id: ID! name: String }\n"
    "type User implements Entity & Node {\n"
    "  id: ID! name: String friends(first: Int = 10, after: String): [User!]!\n"
    "  posts(filter: PostFilter, order: Order = ASC): [Post] role: Role createdAt: DateTime\n"
    "  bestFriend: User score: Float age: Int! admin: Boolean\n"
    "}\n"
    "type Post implements Entity & Node {\n"
    "  id: ID! name: String title: String! author: User tags: [String!] meta: JSON\n"
    "  comments(first: Int!): [Comment!]\n"
    "}\n"
    "type Comment implements Node { id: ID! body: String post: Post title: Int }\n"
    "union SearchResult = User | Post | Comment\n"
    "enum Role { ADMIN EDITOR VIEWER }\n"
    "enum Order { ASC DESC }\n"
    "input PostFilter { title: String tags: [String!] author: UserRef since: DateTime\n"
    "  limit: Int = 20 required: Boolean! }\n"
    "input UserRef @oneOf { id: ID name: String }\n"
    "input Point { x: Float! y: Float! = 0 }\n"
    "type Query {\n"
    "  node(id: ID!): Node nodes(ids: [ID!]!): [Node]! user(id: ID, ref: UserRef): User\n"
    "  search(text: String!, limit: Int): [SearchResult!]!\n"
    "  echo(json: JSON, at: DateTime, p: Point, ps: [Point!], matrix: [[Int!]!], role: Role = VIEWER): String\n"
    "  viewer: User numbers: [Float] matrix: [[Int!]]! role: Role\n"
    "}\n"
    "type Mutation { createPost(title: String!, tags: [String!] = [], filter: PostFilter): Post\n"
    "  deletePost(id: ID!): Boolean }\n"
    "type Subscription { postAdded(author: UserRef): Post userChanged(id: ID!): User tick: Int }\n"
    "directive @cached(ttl: Int! = 60, scope: Role) repeatable on FIELD | QUERY\n"
    "directive @tag(name: String!) repeatable on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT"
    " | FRAGMENT_DEFINITION | VARIABLE_DEFINITION\n";

/* Data with every shape the schema allows and a few it does not (wrong
 * scalar types, missing __typename, nulls in non-null positions). */
static const char root_json[] =
    "{\"node\":{\"__typename\":\"User\",\"id\":1,\"name\":\"Ann\",\"age\":30,"
    "\"friends\":[{\"id\":\"2\",\"age\":\"x\"},{\"id\":3,\"age\":2147483648}],\"role\":\"ADMIN\"},"
    "\"nodes\":[{\"__typename\":\"Post\",\"id\":\"p1\",\"title\":\"T\",\"tags\":[\"a\",null],"
    "\"meta\":{\"k\":[1,2.5,\"\\u00e9\"]}},{\"__typename\":\"Nope\",\"id\":1},null,{\"id\":5},"
    "{\"__typename\":\"Comment\",\"id\":\"c\",\"body\":7,\"title\":1.5}],"
    "\"user\":{\"id\":\"u\",\"name\":\"\\ud800\",\"age\":1e21,\"score\":0.1,\"admin\":1,"
    "\"createdAt\":\"2020\",\"bestFriend\":{\"id\":\"b\",\"age\":-0,\"bestFriend\":null},"
    "\"posts\":[{\"title\":null},{\"id\":\"p\",\"title\":\"x\",\"author\":{\"id\":\"a\",\"age\":1}}],"
    "\"friends\":\"notalist\",\"role\":\"SUPER\"},"
    "\"search\":[{\"__typename\":\"User\",\"id\":\"s\",\"age\":4},{\"__typename\":\"Post\",\"id\":9,"
    "\"title\":\"t\"},{\"__typename\":\"Comment\",\"id\":true}],"
    "\"echo\":{\"a\":1},\"viewer\":{\"id\":\"v\",\"age\":5,\"friends\":[]},"
    "\"numbers\":[0,-0,1e-7,123456789012345680000,\"3\",true,null],"
    "\"matrix\":[[1,2],[null],[]],\"role\":\"VIEWER\","
    "\"postAdded\":{\"id\":\"e\",\"title\":\"ev\",\"author\":{\"id\":\"a\",\"age\":3}},"
    "\"userChanged\":{\"id\":\"uc\",\"age\":null},\"tick\":42,"
    "\"createPost\":{\"id\":\"np\",\"title\":\"new\"},\"deletePost\":\"yes\"}";

/* Query.echo's resolver: answers with its arguments printed as JSON, or fails
 * when asked for the role ADMIN (a resolver error). */
static gql_resolve_status echo_resolver(json_object *parent, json_object *args,
                                        const gql_resolve_info *info, void *ud,
                                        json_object **result, const char **error)
{
    (void)parent;
    (void)info;
    (void)ud;
    json_object *role = json_object_object_get(args, "role");
    if (role && strcmp(json_object_get_string(role), "ADMIN") == 0) {
        *error = "echo refuses ADMIN";
        return GQL_RESOLVE_ERROR;
    }
    *result = json_object_new_string(json_object_to_json_string_ext(args, JSON_C_TO_STRING_PLAIN));
    return GQL_RESOLVE_OK;
}

/* DateTime: strings only, both ways (exercises the custom scalar hooks). */
static gql_resolve_status datetime_convert(json_object *value, const gql_type *type, void *ud,
                                           json_object **result, const char **error)
{
    (void)type;
    (void)ud;
    if (json_object_get_type(value) != json_type_string) {
        *error = "DateTime wants a string";
        return GQL_RESOLVE_ERROR;
    }
    if (json_object_get_string_len(value) == 0)
        return GQL_RESOLVE_OK; /* null */
    *result = json_object_get(value);
    return GQL_RESOLVE_OK;
}

/* Built on first use and kept for the process: a fuzzing harness, not library
 * state (the executor itself keeps none). */
typedef struct fixture {
    gql_schema *schema;
    gql_runtime *runtime;
    json_object *root;
} fixture;

static const fixture *fixed(void)
{
    static fixture fx;
    if (!fx.schema) {
        gql_sdl_source src = {"execute.graphql", schema_sdl, sizeof schema_sdl - 1};
        gql_buf report = GQL_BUF_INIT;
        fx.schema = gql_schema_build(&src, 1, 0, NULL, &report);
        if (!fx.schema) {
            fprintf(stderr, "schema: %s\n", report.data ? report.data : "?");
            abort();
        }
        gql_buf_free(&report);
        char msg[128];
        if (gql_json_parse(root_json, sizeof root_json - 1, &fx.root, msg, sizeof msg) < 0) {
            fprintf(stderr, "root: %s\n", msg);
            abort();
        }
        fx.runtime = gql_runtime_new(fx.schema);
        if (!fx.runtime ||
            gql_runtime_set_resolver(fx.runtime, "Query.echo", echo_resolver, NULL) < 0 ||
            gql_runtime_set_scalar(fx.runtime, "DateTime", datetime_convert, datetime_convert,
                                   NULL) < 0)
            abort();
    }
    return &fx;
}

/* The response of one execution as JSON text (malloc-owned). */
static char *respond(const fixture *fx, const gql_runtime *rt, const gql_document *doc,
                     json_object *vars)
{
    gql_execute_args args = {.schema = fx->schema, .runtime = rt, .document = doc,
                             .root_value = fx->root, .variables = vars};
    gql_result res = GQL_RESULT_INIT;
    if (gql_execute(&args, &res) < 0)
        abort(); /* no OOM while fuzzing */
    gql_buf out = GQL_BUF_INIT;
    gql_result_to_json(&out, &res);
    gql_result_clear(&res);
    char *text = gql_buf_take(&out);
    if (!text)
        abort();
    return text;
}

/* A plan run as a subscriber would: errors when the stream starts, then one
 * event (the root value's property of the root field's name). */
static void subscribe(const fixture *fx, const gql_document *doc, json_object *vars)
{
    gql_plan_args pa = {.schema = fx->schema, .runtime = fx->runtime, .document = doc,
                        .variables = vars};
    gql_plan *plan = gql_plan_new(&pa);
    if (!plan)
        abort();
    gql_result res = GQL_RESULT_INIT;
    int n = gql_plan_subscribe_errors(plan, &res);
    if (n < 0)
        abort();
    gql_result_clear(&res);
    const char *fields[] = {"postAdded", "userChanged", "tick", "nodes"};
    for (int i = 0; i < 4; i++) {
        if (gql_plan_map_event(plan, json_object_object_get(fx->root, fields[i]), NULL, &res) < 0)
            abort();
        gql_result_clear(&res);
    }
    if (gql_plan_execute(plan, fx->root, NULL, &res) < 0)
        abort();
    gql_result_clear(&res);
    gql_plan_free(plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nl = memchr(text, '\n', size);
    size_t vlen = nl ? (size_t)(nl - text) : 0;
    const char *doc_src = nl ? nl + 1 : text;
    size_t doc_len = size - (size_t)(doc_src - text);

    json_object *vars = NULL;
    if (vlen > 0 && gql_json_parse(text, vlen, &vars, NULL, 0) < 0)
        vars = NULL;
    if (vars && json_object_get_type(vars) != json_type_object) {
        json_object_put(vars); /* the API takes an object (the CLI checks it) */
        vars = NULL;
    }

    gql_parse_options opts = {.max_source_bytes = 1 << 14, .max_tokens = 1500, .max_depth = 24};
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(doc_src, doc_len, &opts, &errs);
    const fixture *fx = fixed();
    if (doc && gql_validate(fx->schema, doc, NULL, &errs) == 0) {
        char *a = respond(fx, fx->runtime, doc, vars);
        char *b = respond(fx, fx->runtime, doc, vars);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "execution is not repeatable:\n%s\n%s\n", a, b);
            abort();
        }
        free(a);
        free(b);
        free(respond(fx, NULL, doc, vars));
        subscribe(fx, doc, vars);
    }
    gql_error_list_clear(&errs);
    gql_document_free(doc);
    json_object_put(vars);
    return 0;
}
