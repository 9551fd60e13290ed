/* fuzz_validate.c: libFuzzer target for gql_validate: any input that parses is
 * validated against a fixed schema (tests/differential/validation/kitchen);
 * validation must not crash, hang or leak, must report at most 101 errors
 * (the cap), each with a message, and must give the same answer twice.
 *
 *   make fuzz/fuzz_validate            # builds it (clang)
 *   ./fuzz/fuzz_validate -max_len=4096 fuzz/corpus-validate tests/fuzz/corpus/parser
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gqlsse/buf.h>
#include <gqlsse/error.h>
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>
#include <gqlsse/validate.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema_sdl[] =
    "\"\"\"A schema touching every kind of type, for validation differential tests.\"\"\"\n"
    "schema {\n"
    "  query: Query\n"
    "  mutation: Mutation\n"
    "  subscription: Subscription\n"
    "}\n"
    "\n"
    "scalar DateTime @specifiedBy(url: \"https://example.com/datetime\")\n"
    "scalar JSON\n"
    "\n"
    "interface Node {\n"
    "  id: ID!\n"
    "}\n"
    "\n"
    "interface Entity implements Node {\n"
    "  id: ID!\n"
    "  name: String\n"
    "}\n"
    "\n"
    "type User implements Entity & Node {\n"
    "  id: ID!\n"
    "  name: String\n"
    "  friends(first: Int = 10, after: String): [User!]!\n"
    "  posts(filter: PostFilter, order: Order = ASC): [Post]\n"
    "  role: Role\n"
    "  createdAt: DateTime\n"
    "  bestFriend: User\n"
    "}\n"
    "\n"
    "type Post implements Entity & Node {\n"
    "  id: ID!\n"
    "  name: String\n"
    "  title: String!\n"
    "  author: User\n"
    "  tags: [String!]\n"
    "  meta: JSON\n"
    "  comments(first: Int!): [Comment!]\n"
    "}\n"
    "\n"
    "type Comment implements Node {\n"
    "  id: ID!\n"
    "  body: String\n"
    "  post: Post\n"
    "  title: Int\n"
    "}\n"
    "\n"
    "union SearchResult = User | Post | Comment\n"
    "\n"
    "enum Role {\n"
    "  ADMIN\n"
    "  EDITOR\n"
    "  VIEWER\n"
    "}\n"
    "\n"
    "enum Order {\n"
    "  ASC\n"
    "  DESC\n"
    "}\n"
    "\n"
    "input PostFilter {\n"
    "  title: String\n"
    "  tags: [String!]\n"
    "  author: UserRef\n"
    "  since: DateTime\n"
    "  limit: Int = 20\n"
    "  required: Boolean!\n"
    "}\n"
    "\n"
    "input UserRef @oneOf {\n"
    "  id: ID\n"
    "  name: String\n"
    "}\n"
    "\n"
    "input Point {\n"
    "  x: Float!\n"
    "  y: Float! = 0\n"
    "}\n"
    "\n"
    "type Query {\n"
    "  node(id: ID!): Node\n"
    "  nodes(ids: [ID!]!): [Node]!\n"
    "  user(id: ID, ref: UserRef): User\n"
    "  search(text: String!, limit: Int): [SearchResult!]!\n"
    "  echo(json: JSON, at: DateTime, p: Point, ps: [Point!], matrix: [[Int!]!], role: Role = VIEWER): String\n"
    "  viewer: User\n"
    "}\n"
    "\n"
    "type Mutation {\n"
    "  createPost(title: String!, tags: [String!] = [], filter: PostFilter): Post\n"
    "  deletePost(id: ID!): Boolean\n"
    "}\n"
    "\n"
    "type Subscription {\n"
    "  postAdded(author: UserRef): Post\n"
    "  userChanged(id: ID!): User\n"
    "  tick: Int\n"
    "}\n"
    "\n"
    "directive @cached(ttl: Int! = 60, scope: Role) repeatable on FIELD | QUERY\n"
    "directive @tag(name: String!) repeatable on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT | FRAGMENT_DEFINITION | VARIABLE_DEFINITION\n"
    "directive @auth(role: Role!) on QUERY | MUTATION | SUBSCRIPTION | FIELD\n";

/* Built on first use and kept for the process: a fuzzing harness, not library
 * state (gql_validate itself keeps none). */
static gql_schema *fixed_schema(void)
{
    static gql_schema *schema;
    if (!schema) {
        gql_sdl_source src = {"kitchen.graphql", schema_sdl, sizeof schema_sdl - 1};
        gql_buf report = GQL_BUF_INIT;
        schema = gql_schema_build(&src, 1, 0, NULL, &report);
        if (!schema) {
            fprintf(stderr, "schema: %s\n", report.data ? report.data : "?");
            abort();
        }
        gql_buf_free(&report);
    }
    return schema;
}

static char *answer(const gql_schema *s, const gql_document *doc, uint32_t *n)
{
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    *n = gql_validate(s, doc, NULL, &errs);
    if (*n != errs.count || *n > GQL_DEFAULT_MAX_VALIDATION_ERRORS + 1)
        abort();
    for (uint32_t i = 0; i < errs.count; i++)
        if (!errs.items[i].message || !errs.items[i].message[0])
            abort();
    gql_buf out = GQL_BUF_INIT;
    gql_error_list_to_json(&out, &errs);
    gql_error_list_clear(&errs);
    return gql_buf_take(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gql_parse_options opts = {.max_source_bytes = 1 << 16, .max_tokens = 4000, .max_depth = 64};
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse((const char *)data, size, &opts, &errs);
    gql_error_list_clear(&errs);
    if (!doc)
        return 0;
    const gql_schema *s = fixed_schema();
    uint32_t n1, n2;
    char *a = answer(s, doc, &n1);
    char *b = answer(s, doc, &n2);
    if (!a || !b || n1 != n2 || strcmp(a, b) != 0) {
        fprintf(stderr, "validation is not repeatable:\n%s\n%s\n", a ? a : "?", b ? b : "?");
        abort();
    }
    free(a);
    free(b);
    gql_document_free(doc);
    return 0;
}
