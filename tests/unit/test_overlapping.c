/* test_overlapping.c: OverlappingFieldsCanBeMergedRule against graphql-js
 * 16.15.0's answers (messages, locations, order) for its own test cases and more. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gqlsse/buf.h>
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>

#include "graphql/validation/overlapping.h"

typedef struct ov_case {
    const char *name;
    const char *sdl;
    const char *doc;
    const char *expected; /* "MESSAGE @ L:C L:C\n" per error, graphql-js's order */
} ov_case;

/* ---- A tiny TypeInfo: just enough to know each selection set's parent type ---- */

#define TYPE_STACK_MAX 1024

typedef struct run_ctx {
    const gql_schema *schema;
    const gql_document *doc;
    gql_overlap *ov;
    const gql_type *stack[TYPE_STACK_MAX];
    uint32_t depth;
    gql_buf out;
} run_ctx;

static const gql_type *top(const run_ctx *c)
{
    return c->depth ? c->stack[c->depth - 1] : NULL;
}

static void push(run_ctx *c, const gql_type *t)
{
    assert_true(c->depth < TYPE_STACK_MAX);
    c->stack[c->depth++] = t;
}

static const gql_type *named_output(const run_ctx *c, const gql_node *named)
{
    const gql_type *t = gql_schema_find_type(c->schema, named->name->value,
                                             named->name->value_len);
    return t && t->kind != GQL_TYPE_INPUT_OBJECT ? t : NULL;
}

static gql_walk_result on_enter(const gql_node *node, const gql_node *parent, void *ud)
{
    run_ctx *c = ud;
    (void)parent;
    switch (node->kind) {
    case GQL_OPERATION_DEFINITION:
        push(c, gql_schema_root_type(c->schema, (gql_operation_type)node->operation));
        break;
    case GQL_FRAGMENT_DEFINITION:
        push(c, named_output(c, node->type_condition));
        break;
    case GQL_INLINE_FRAGMENT:
        push(c, node->type_condition ? named_output(c, node->type_condition) : top(c));
        break;
    case GQL_FIELD: {
        const gql_type *p = top(c), *t = NULL;
        const gql_node *n = node->name;
        if (p && gql_type_is_composite(p) && strcmp(n->value, "__typename") == 0)
            t = c->schema->typename_meta_field.type->named;
        else if (p && (p->kind == GQL_TYPE_OBJECT || p->kind == GQL_TYPE_INTERFACE)) {
            const gql_field *f = gql_type_find_field(p, n->value, n->value_len);
            t = f ? f->type->named : NULL;
        }
        push(c, t);
        break;
    }
    case GQL_SELECTION_SET: {
        const gql_type *p = top(c);
        gql_overlap_selection_set(c->ov, node, p && gql_type_is_composite(p) ? p : NULL);
        break;
    }
    default:
        break;
    }
    return GQL_WALK_CONTINUE;
}

static gql_walk_result on_leave(const gql_node *node, const gql_node *parent, void *ud)
{
    run_ctx *c = ud;
    (void)parent;
    switch (node->kind) {
    case GQL_OPERATION_DEFINITION:
    case GQL_FRAGMENT_DEFINITION:
    case GQL_INLINE_FRAGMENT:
    case GQL_FIELD:
        c->depth--;
        break;
    default:
        break;
    }
    return GQL_WALK_CONTINUE;
}

/* graphql-js getFragment: the last definition of that name. */
static const gql_node *find_fragment(void *ud, const char *name, size_t len)
{
    const run_ctx *c = ud;
    const gql_node *found = NULL;
    const gql_list *defs = &c->doc->root->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *d = defs->items[i];
        if (d->kind == GQL_FRAGMENT_DEFINITION && d->name->value_len == len &&
            memcmp(d->name->value, name, len) == 0)
            found = d;
    }
    return found;
}

static void report(void *ud, const char *message, const gql_node *const *nodes,
                   uint32_t nnodes)
{
    run_ctx *c = ud;
    gql_buf_puts(&c->out, message);
    if (nnodes)
        gql_buf_puts(&c->out, " @");
    for (uint32_t i = 0; i < nnodes; i++) {
        gql_location l = gql_node_location(c->doc, nodes[i]);
        gql_buf_printf(&c->out, " %u:%u", (unsigned)l.line, (unsigned)l.column);
    }
    gql_buf_putc(&c->out, '\n');
}

static gql_schema *build_schema(const char *sdl)
{
    gql_sdl_source src = {"schema.graphql", sdl, strlen(sdl)};
    gql_buf rep = GQL_BUF_INIT;
    gql_schema *s = gql_schema_build(&src, 1, 0, NULL, &rep);
    if (!s)
        fail_msg("schema does not build: %s", rep.data ? rep.data : "(no report)");
    gql_buf_free(&rep);
    return s;
}

/* Runs the rule over `source` as graphql-js's validate would with only this
 * rule; returns the report lines (malloc-owned), "Validation aborted." last
 * when the budget ran out. */
static char *run_rule_opts(const gql_schema *schema, const char *source, size_t len,
                           const gql_parse_options *opts)
{
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(source, len, opts, &errs);
    if (!doc)
        fail_msg("syntax error: %s", errs.items[0].message);
    run_ctx *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->schema = schema;
    c->doc = doc;
    gql_overlap_env env = {schema, doc, find_fragment, report, c};
    c->ov = gql_overlap_new(&env);
    assert_non_null(c->ov);
    gql_walker w = {on_enter, on_leave};
    gql_walk(doc->root, &w, c);
    gql_overlap_status_code st = gql_overlap_status(c->ov);
    assert_int_not_equal(st, GQL_OVERLAP_NOMEM);
    if (st == GQL_OVERLAP_ABORTED)
        gql_buf_puts(&c->out, "Validation aborted.\n");
    gql_buf_putc(&c->out, '\0');
    gql_overlap_free(c->ov);
    char *out = gql_buf_take(&c->out);
    assert_non_null(out);
    free(c);
    gql_document_free(doc);
    return out;
}

static char *run_rule(const gql_schema *schema, const char *source, size_t len)
{
    return run_rule_opts(schema, source, len, NULL);
}
/* ---- generated by gen.mjs from graphql-js 16.15.0 ---- */
static const char SDL_harness[] =
    "\n"
    "  interface Mammal {\n"
    "    mother: Mammal\n"
    "    father: Mammal\n"
    "  }\n"
    "\n"
    "  interface Pet {\n"
    "    name(surname: Boolean): String\n"
    "  }\n"
    "\n"
    "  interface Canine implements Mammal {\n"
    "    name(surname: Boolean): String\n"
    "    mother: Canine\n"
    "    father: Canine\n"
    "  }\n"
    "\n"
    "  enum DogCommand {\n"
    "    SIT\n"
    "    HEEL\n"
    "    DOWN\n"
    "  }\n"
    "\n"
    "  type Dog implements Pet & Mammal & Canine {\n"
    "    name(surname: Boolean): String\n"
    "    nickname: String\n"
    "    barkVolume: Int\n"
    "    barks: Boolean\n"
    "    doesKnowCommand(dogCommand: DogCommand): Boolean\n"
    "    isHouseTrained(atOtherHomes: Boolean = true): Boolean\n"
    "    isAtLocation(x: Int, y: Int): Boolean\n"
    "    mother: Dog\n"
    "    father: Dog\n"
    "  }\n"
    "\n"
    "  type Cat implements Pet {\n"
    "    name(surname: Boolean): String\n"
    "    nickname: String\n"
    "    meows: Boolean\n"
    "    meowsVolume: Int\n"
    "    furColor: FurColor\n"
    "  }\n"
    "\n"
    "  union CatOrDog = Cat | Dog\n"
    "\n"
    "  type Human {\n"
    "    name(surname: Boolean): String\n"
    "    pets: [Pet]\n"
    "    relatives: [Human]\n"
    "  }\n"
    "\n"
    "  enum FurColor {\n"
    "    BROWN\n"
    "    BLACK\n"
    "    TAN\n"
    "    SPOTTED\n"
    "    NO_FUR\n"
    "    UNKNOWN\n"
    "  }\n"
    "\n"
    "  input ComplexInput {\n"
    "    requiredField: Boolean!\n"
    "    nonNullField: Boolean! = false\n"
    "    intField: Int\n"
    "    stringField: String\n"
    "    booleanField: Boolean\n"
    "    stringListField: [String]\n"
    "  }\n"
    "\n"
    "  input OneOfInput @oneOf {\n"
    "    stringField: String\n"
    "    intField: Int\n"
    "  }\n"
    "\n"
    "  type ComplicatedArgs {\n"
    "    # TODO List\n"
    "    # TODO Coercion\n"
    "    # TODO NotNulls\n"
    "    intArgField(intArg: Int): String\n"
    "    nonNullIntArgField(nonNullIntArg: Int!): String\n"
    "    stringArgField(stringArg: String): String\n"
    "    booleanArgField(booleanArg: Boolean): String\n"
    "    enumArgField(enumArg: FurColor): String\n"
    "    floatArgField(floatArg: Float): String\n"
    "    idArgField(idArg: ID): String\n"
    "    stringListArgField(stringListArg: [String]): String\n"
    "    stringListNonNullArgField(stringListNonNullArg: [String!]): String\n"
    "    complexArgField(complexArg: ComplexInput): String\n"
    "    oneOfArgField(oneOfArg: OneOfInput): String\n"
    "    multipleReqs(req1: Int!, req2: Int!): String\n"
    "    nonNullFieldWithDefault(arg: Int! = 0): String\n"
    "    multipleOpts(opt1: Int = 0, opt2: Int = 0): String\n"
    "    multipleOptAndReq(req1: Int!, req2: Int!, opt1: Int = 0, opt2: Int = 0): String\n"
    "  }\n"
    "\n"
    "  type QueryRoot {\n"
    "    human(id: ID): Human\n"
    "    dog: Dog\n"
    "    cat: Cat\n"
    "    pet: Pet\n"
    "    catOrDog: CatOrDog\n"
    "    complicatedArgs: ComplicatedArgs\n"
    "  }\n"
    "\n"
    "  schema {\n"
    "    query: QueryRoot\n"
    "  }\n"
    "\n"
    "  directive @onField on FIELD\n"
    "";

static const char SDL_box[] =
    "\n"
    "      interface SomeBox {\n"
    "        deepBox: SomeBox\n"
    "        unrelatedField: String\n"
    "      }\n"
    "\n"
    "      type StringBox implements SomeBox {\n"
    "        scalar: String\n"
    "        deepBox: StringBox\n"
    "        unrelatedField: String\n"
    "        listStringBox: [StringBox]\n"
    "        stringBox: StringBox\n"
    "        intBox: IntBox\n"
    "      }\n"
    "\n"
    "      type IntBox implements SomeBox {\n"
    "        scalar: Int\n"
    "        deepBox: IntBox\n"
    "        unrelatedField: String\n"
    "        listStringBox: [StringBox]\n"
    "        stringBox: StringBox\n"
    "        intBox: IntBox\n"
    "      }\n"
    "\n"
    "      interface NonNullStringBox1 {\n"
    "        scalar: String!\n"
    "      }\n"
    "\n"
    "      type NonNullStringBox1Impl implements SomeBox & NonNullStringBox1 {\n"
    "        scalar: String!\n"
    "        unrelatedField: String\n"
    "        deepBox: SomeBox\n"
    "      }\n"
    "\n"
    "      interface NonNullStringBox2 {\n"
    "        scalar: String!\n"
    "      }\n"
    "\n"
    "      type NonNullStringBox2Impl implements SomeBox & NonNullStringBox2 {\n"
    "        scalar: String!\n"
    "        unrelatedField: String\n"
    "        deepBox: SomeBox\n"
    "      }\n"
    "\n"
    "      type Connection {\n"
    "        edges: [Edge]\n"
    "      }\n"
    "\n"
    "      type Edge {\n"
    "        node: Node\n"
    "      }\n"
    "\n"
    "      type Node {\n"
    "        id: ID\n"
    "        name: String\n"
    "      }\n"
    "\n"
    "      type Query {\n"
    "        someBox: SomeBox\n"
    "        connection: Connection\n"
    "      }\n"
    "    ";

static const char SDL_custom2[] =
    "\n"
    "      type Query {\n"
    "        someField(a: String, b: String): String\n"
    "      }\n"
    "    ";

static const char SDL_custom3[] =
    "\n"
    "      input SomeInput {\n"
    "        a: String\n"
    "        b: String\n"
    "      }\n"
    "\n"
    "      type Query {\n"
    "        someField(arg: SomeInput): String\n"
    "      }\n"
    "    ";

static const char SDL_custom4[] =
    "\n"
    "        type Foo {\n"
    "          constructor: String\n"
    "        }\n"
    "\n"
    "        type Query {\n"
    "          foo: Foo\n"
    "        }\n"
    "      ";

static const ov_case cases[] = {
    {"unique fields", SDL_harness,
     "\n"
     "      fragment uniqueFields on Dog {\n"
     "        name\n"
     "        nickname\n"
     "      }\n"
     "    ",
     ""},
    {"identical fields", SDL_harness,
     "\n"
     "      fragment mergeIdenticalFields on Dog {\n"
     "        name\n"
     "        name\n"
     "      }\n"
     "    ",
     ""},
    {"identical fields with identical args", SDL_harness,
     "\n"
     "      fragment mergeIdenticalFieldsWithIdenticalArgs on Dog {\n"
     "        doesKnowCommand(dogCommand: SIT)\n"
     "        doesKnowCommand(dogCommand: SIT)\n"
     "      }\n"
     "    ",
     ""},
    {"identical fields with identical directives", SDL_harness,
     "\n"
     "      fragment mergeSameFieldsWithSameDirectives on Dog {\n"
     "        name @include(if: true)\n"
     "        name @include(if: true)\n"
     "      }\n"
     "    ",
     ""},
    {"different args with different aliases", SDL_harness,
     "\n"
     "      fragment differentArgsWithDifferentAliases on Dog {\n"
     "        knowsSit: doesKnowCommand(dogCommand: SIT)\n"
     "        knowsDown: doesKnowCommand(dogCommand: DOWN)\n"
     "      }\n"
     "    ",
     ""},
    {"different directives with different aliases", SDL_harness,
     "\n"
     "      fragment differentDirectivesWithDifferentAliases on Dog {\n"
     "        nameIfTrue: name @include(if: true)\n"
     "        nameIfFalse: name @include(if: false)\n"
     "      }\n"
     "    ",
     ""},
    {"different skip/include directives accepted", SDL_harness,
     "\n"
     "      fragment differentDirectivesWithDifferentAliases on Dog {\n"
     "        name @include(if: true)\n"
     "        name @include(if: false)\n"
     "      }\n"
     "    ",
     ""},
    {"Same aliases with different field targets", SDL_harness,
     "\n"
     "      fragment sameAliasesWithDifferentFieldTargets on Dog {\n"
     "        fido: name\n"
     "        fido: nickname\n"
     "      }\n"
     "    ",
     "Fields \"fido\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:9" "\n"},
    {"Same aliases allowed on non-overlapping fields", SDL_harness,
     "\n"
     "      fragment sameAliasesWithDifferentFieldTargets on Pet {\n"
     "        ... on Dog {\n"
     "          name\n"
     "        }\n"
     "        ... on Cat {\n"
     "          name: nickname\n"
     "        }\n"
     "      }\n"
     "    ",
     ""},
    {"Alias masking direct field access", SDL_harness,
     "\n"
     "      fragment aliasMaskingDirectFieldAccess on Dog {\n"
     "        name: nickname\n"
     "        name\n"
     "      }\n"
     "    ",
     "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:9" "\n"},
    {"different args, second adds an argument", SDL_harness,
     "\n"
     "      fragment conflictingArgs on Dog {\n"
     "        doesKnowCommand\n"
     "        doesKnowCommand(dogCommand: HEEL)\n"
     "      }\n"
     "    ",
     "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:9" "\n"},
    {"different args, second missing an argument", SDL_harness,
     "\n"
     "      fragment conflictingArgs on Dog {\n"
     "        doesKnowCommand(dogCommand: SIT)\n"
     "        doesKnowCommand\n"
     "      }\n"
     "    ",
     "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:9" "\n"},
    {"conflicting arg values", SDL_harness,
     "\n"
     "      fragment conflictingArgs on Dog {\n"
     "        doesKnowCommand(dogCommand: SIT)\n"
     "        doesKnowCommand(dogCommand: HEEL)\n"
     "      }\n"
     "    ",
     "Fields \"doesKnowCommand\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:9" "\n"},
    {"conflicting arg names", SDL_harness,
     "\n"
     "      fragment conflictingArgs on Dog {\n"
     "        isAtLocation(x: 0)\n"
     "        isAtLocation(y: 0)\n"
     "      }\n"
     "    ",
     "Fields \"isAtLocation\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:9" "\n"},
    {"allows different args where no conflict is possible", SDL_harness,
     "\n"
     "      fragment conflictingArgs on Pet {\n"
     "        ... on Dog {\n"
     "          name(surname: true)\n"
     "        }\n"
     "        ... on Cat {\n"
     "          name\n"
     "        }\n"
     "      }\n"
     "    ",
     ""},
    {"allows different order of args", SDL_custom2,
     "\n"
     "        {\n"
     "          someField(a: null, b: null)\n"
     "          someField(b: null, a: null)\n"
     "        }\n"
     "      ",
     ""},
    {"allows different order of input object fields in arg values", SDL_custom3,
     "\n"
     "        {\n"
     "          someField(arg: { a: null, b: null })\n"
     "          someField(arg: { b: null, a: null })\n"
     "        }\n"
     "      ",
     ""},
    {"encounters conflict in fragments", SDL_harness,
     "\n"
     "      {\n"
     "        ...A\n"
     "        ...B\n"
     "      }\n"
     "      fragment A on Type {\n"
     "        x: a\n"
     "      }\n"
     "      fragment B on Type {\n"
     "        x: b\n"
     "      }\n"
     "    ",
     "Fields \"x\" conflict because \"a\" and \"b\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 7:9 10:9" "\n"},
    {"reports each conflict once", SDL_harness,
     "\n"
     "      {\n"
     "        f1 {\n"
     "          ...A\n"
     "          ...B\n"
     "        }\n"
     "        f2 {\n"
     "          ...B\n"
     "          ...A\n"
     "        }\n"
     "        f3 {\n"
     "          ...A\n"
     "          ...B\n"
     "          x: c\n"
     "        }\n"
     "      }\n"
     "      fragment A on Type {\n"
     "        x: a\n"
     "      }\n"
     "      fragment B on Type {\n"
     "        x: b\n"
     "      }\n"
     "    ",
     "Fields \"x\" conflict because \"a\" and \"b\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 18:9 21:9\n"
     "Fields \"x\" conflict because \"c\" and \"a\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 14:11 18:9\n"
     "Fields \"x\" conflict because \"c\" and \"b\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 14:11 21:9" "\n"},
    {"deep conflict", SDL_harness,
     "\n"
     "      {\n"
     "        field {\n"
     "          x: a\n"
     "        },\n"
     "        field {\n"
     "          x: b\n"
     "        }\n"
     "      }\n"
     "    ",
     "Fields \"field\" conflict because subfields \"x\" conflict because \"a\" and \"b\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:11 6:9 7:11" "\n"},
    {"deep conflict with multiple issues", SDL_harness,
     "\n"
     "      {\n"
     "        field {\n"
     "          x: a\n"
     "          y: c\n"
     "        },\n"
     "        field {\n"
     "          x: b\n"
     "          y: d\n"
     "        }\n"
     "      }\n"
     "    ",
     "Fields \"field\" conflict because subfields \"x\" conflict because \"a\" and \"b\" are different fields and subfields \"y\" conflict because \"c\" and \"d\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:11 5:11 7:9 8:11 9:11" "\n"},
    {"very deep conflict", SDL_harness,
     "\n"
     "      {\n"
     "        field {\n"
     "          deepField {\n"
     "            x: a\n"
     "          }\n"
     "        },\n"
     "        field {\n"
     "          deepField {\n"
     "            x: b\n"
     "          }\n"
     "        }\n"
     "      }\n"
     "    ",
     "Fields \"field\" conflict because subfields \"deepField\" conflict because subfields \"x\" conflict because \"a\" and \"b\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 4:11 5:13 8:9 9:11 10:13" "\n"},
    {"reports deep conflict to nearest common ancestor", SDL_harness,
     "\n"
     "      {\n"
     "        field {\n"
     "          deepField {\n"
     "            x: a\n"
     "          }\n"
     "          deepField {\n"
     "            x: b\n"
     "          }\n"
     "        },\n"
     "        field {\n"
     "          deepField {\n"
     "            y\n"
     "          }\n"
     "        }\n"
     "      }\n"
     "    ",
     "Fields \"deepField\" conflict because subfields \"x\" conflict because \"a\" and \"b\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 4:11 5:13 7:11 8:13" "\n"},
    {"reports deep conflict to nearest common ancestor in fragments", SDL_harness,
     "\n"
     "      {\n"
     "        field {\n"
     "          ...F\n"
     "        }\n"
     "        field {\n"
     "          ...F\n"
     "        }\n"
     "      }\n"
     "      fragment F on T {\n"
     "        deepField {\n"
     "          deeperField {\n"
     "            x: a\n"
     "          }\n"
     "          deeperField {\n"
     "            x: b\n"
     "          }\n"
     "        },\n"
     "        deepField {\n"
     "          deeperField {\n"
     "            y\n"
     "          }\n"
     "        }\n"
     "      }\n"
     "    ",
     "Fields \"deeperField\" conflict because subfields \"x\" conflict because \"a\" and \"b\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 12:11 13:13 15:11 16:13" "\n"},
    {"reports deep conflict in nested fragments", SDL_harness,
     "\n"
     "      {\n"
     "        field {\n"
     "          ...F\n"
     "        }\n"
     "        field {\n"
     "          ...I\n"
     "        }\n"
     "      }\n"
     "      fragment F on T {\n"
     "        x: a\n"
     "        ...G\n"
     "      }\n"
     "      fragment G on T {\n"
     "        y: c\n"
     "      }\n"
     "      fragment I on T {\n"
     "        y: d\n"
     "        ...J\n"
     "      }\n"
     "      fragment J on T {\n"
     "        x: b\n"
     "      }\n"
     "    ",
     "Fields \"field\" conflict because subfields \"x\" conflict because \"a\" and \"b\" are different fields and subfields \"y\" conflict because \"c\" and \"d\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 11:9 15:9 6:9 22:9 18:9" "\n"},
    {"reports deep conflict after nested fragments", SDL_harness,
     "\n"
     "      fragment F on T {\n"
     "        ...G\n"
     "      }\n"
     "      fragment G on T {\n"
     "        ...H\n"
     "      }\n"
     "      fragment H on T {\n"
     "        x: a\n"
     "      }\n"
     "      {\n"
     "        x: b\n"
     "        ...F\n"
     "      }\n"
     "    ",
     "Fields \"x\" conflict because \"b\" and \"a\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 12:9 9:9" "\n"},
    {"ignores unknown fragments", SDL_harness,
     "\n"
     "      {\n"
     "        field\n"
     "        ...Unknown\n"
     "        ...Known\n"
     "      }\n"
     "\n"
     "      fragment Known on T {\n"
     "        field\n"
     "        ...OtherUnknown\n"
     "      }\n"
     "    ",
     ""},
    {"conflicting return types which potentially overlap", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ...on IntBox {\n"
     "                scalar\n"
     "              }\n"
     "              ...on NonNullStringBox1 {\n"
     "                scalar\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     "Fields \"scalar\" conflict because they return conflicting types \"Int\" and \"String!\". Use different aliases on the fields to fetch both if this was intentional. @ 5:17 8:17" "\n"},
    {"compatible return shapes on different return types", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ... on SomeBox {\n"
     "                deepBox {\n"
     "                  unrelatedField\n"
     "                }\n"
     "              }\n"
     "              ... on StringBox {\n"
     "                deepBox {\n"
     "                  unrelatedField\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     ""},
    {"disallows differing return types despite no overlap", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ... on IntBox {\n"
     "                scalar\n"
     "              }\n"
     "              ... on StringBox {\n"
     "                scalar\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     "Fields \"scalar\" conflict because they return conflicting types \"Int\" and \"String\". Use different aliases on the fields to fetch both if this was intentional. @ 5:17 8:17" "\n"},
    {"reports correctly when a non-exclusive follows an exclusive", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ... on IntBox {\n"
     "                deepBox {\n"
     "                  ...X\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "            someBox {\n"
     "              ... on StringBox {\n"
     "                deepBox {\n"
     "                  ...Y\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "            memoed: someBox {\n"
     "              ... on IntBox {\n"
     "                deepBox {\n"
     "                  ...X\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "            memoed: someBox {\n"
     "              ... on StringBox {\n"
     "                deepBox {\n"
     "                  ...Y\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "            other: someBox {\n"
     "              ...X\n"
     "            }\n"
     "            other: someBox {\n"
     "              ...Y\n"
     "            }\n"
     "          }\n"
     "          fragment X on SomeBox {\n"
     "            scalar\n"
     "          }\n"
     "          fragment Y on SomeBox {\n"
     "            scalar: unrelatedField\n"
     "          }\n"
     "        ",
     "Fields \"other\" conflict because subfields \"scalar\" conflict because \"scalar\" and \"unrelatedField\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 31:13 39:13 34:13 42:13" "\n"},
    {"disallows differing return type nullability despite no overlap", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ... on NonNullStringBox1 {\n"
     "                scalar\n"
     "              }\n"
     "              ... on StringBox {\n"
     "                scalar\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     "Fields \"scalar\" conflict because they return conflicting types \"String!\" and \"String\". Use different aliases on the fields to fetch both if this was intentional. @ 5:17 8:17" "\n"},
    {"disallows differing return type list despite no overlap", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ... on IntBox {\n"
     "                box: listStringBox {\n"
     "                  scalar\n"
     "                }\n"
     "              }\n"
     "              ... on StringBox {\n"
     "                box: stringBox {\n"
     "                  scalar\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     "Fields \"box\" conflict because they return conflicting types \"[StringBox]\" and \"StringBox\". Use different aliases on the fields to fetch both if this was intentional. @ 5:17 10:17" "\n"},
    {"disallows differing subfields", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ... on IntBox {\n"
     "                box: stringBox {\n"
     "                  val: scalar\n"
     "                  val: unrelatedField\n"
     "                }\n"
     "              }\n"
     "              ... on StringBox {\n"
     "                box: stringBox {\n"
     "                  val: scalar\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     "Fields \"val\" conflict because \"scalar\" and \"unrelatedField\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 6:19 7:19" "\n"},
    {"disallows differing deep return types despite no overlap", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ... on IntBox {\n"
     "                box: stringBox {\n"
     "                  scalar\n"
     "                }\n"
     "              }\n"
     "              ... on StringBox {\n"
     "                box: intBox {\n"
     "                  scalar\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     "Fields \"box\" conflict because subfields \"scalar\" conflict because they return conflicting types \"String\" and \"Int\". Use different aliases on the fields to fetch both if this was intentional. @ 5:17 6:19 10:17 11:19" "\n"},
    {"allows non-conflicting overlapping types", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ... on IntBox {\n"
     "                scalar: unrelatedField\n"
     "              }\n"
     "              ... on StringBox {\n"
     "                scalar\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     ""},
    {"same wrapped scalar return types", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ...on NonNullStringBox1 {\n"
     "                scalar\n"
     "              }\n"
     "              ...on NonNullStringBox2 {\n"
     "                scalar\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     ""},
    {"allows inline fragments without type condition", SDL_box,
     "\n"
     "          {\n"
     "            a\n"
     "            ... {\n"
     "              a\n"
     "            }\n"
     "          }\n"
     "        ",
     ""},
    {"compares deep types including list", SDL_box,
     "\n"
     "          {\n"
     "            connection {\n"
     "              ...edgeID\n"
     "              edges {\n"
     "                node {\n"
     "                  id: name\n"
     "                }\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "\n"
     "          fragment edgeID on Connection {\n"
     "            edges {\n"
     "              node {\n"
     "                id\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     "Fields \"edges\" conflict because subfields \"node\" conflict because subfields \"id\" conflict because \"name\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 5:15 6:17 7:19 14:13 15:15 16:17" "\n"},
    {"ignores unknown types", SDL_box,
     "\n"
     "          {\n"
     "            someBox {\n"
     "              ...on UnknownType {\n"
     "                scalar\n"
     "              }\n"
     "              ...on NonNullStringBox2 {\n"
     "                scalar\n"
     "              }\n"
     "            }\n"
     "          }\n"
     "        ",
     ""},
    {"works for field names that are JS keywords", SDL_custom4,
     "\n"
     "          {\n"
     "            foo {\n"
     "              constructor\n"
     "            }\n"
     "          }\n"
     "        ",
     ""},
    {"does not infinite loop on recursive fragment", SDL_harness,
     "\n"
     "      {\n"
     "        ...fragA\n"
     "      }\n"
     "\n"
     "      fragment fragA on Human { name, relatives { name, ...fragA } }\n"
     "    ",
     ""},
    {"does not infinite loop on immediately recursive fragment", SDL_harness,
     "\n"
     "      {\n"
     "        ...fragA\n"
     "      }\n"
     "\n"
     "      fragment fragA on Human { name, ...fragA }\n"
     "    ",
     ""},
    {"does not infinite loop on recursive fragment with a field named after fragment", SDL_harness,
     "\n"
     "      {\n"
     "        ...fragA\n"
     "        fragA\n"
     "      }\n"
     "\n"
     "      fragment fragA on Query { ...fragA }\n"
     "    ",
     ""},
    {"finds invalid cases even with field named after fragment", SDL_harness,
     "\n"
     "      {\n"
     "        fragA\n"
     "        ...fragA\n"
     "      }\n"
     "\n"
     "      fragment fragA on Type {\n"
     "        fragA: b\n"
     "      }\n"
     "    ",
     "Fields \"fragA\" conflict because \"fragA\" and \"b\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:9 8:9" "\n"},
    {"does not infinite loop on transitively recursive fragment", SDL_harness,
     "\n"
     "      {\n"
     "        ...fragA\n"
     "        fragB\n"
     "      }\n"
     "\n"
     "      fragment fragA on Human { name, ...fragB }\n"
     "      fragment fragB on Human { name, ...fragC }\n"
     "      fragment fragC on Human { name, ...fragA }\n"
     "    ",
     ""},
    {"finds invalid case even with immediately recursive fragment", SDL_harness,
     "\n"
     "      fragment sameAliasesWithDifferentFieldTargets on Dog {\n"
     "        ...sameAliasesWithDifferentFieldTargets\n"
     "        fido: name\n"
     "        fido: nickname\n"
     "      }\n"
     "    ",
     "Fields \"fido\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 4:9 5:9" "\n"},
    {"does not infinite loop on recursive fragments separated by fields", SDL_harness,
     "\n"
     "      {\n"
     "        ...fragA\n"
     "        ...fragB\n"
     "      }\n"
     "\n"
     "      fragment fragA on T {\n"
     "        x {\n"
     "          ...fragA\n"
     "          x {\n"
     "            ...fragA\n"
     "          }\n"
     "        }\n"
     "      }\n"
     "\n"
     "      fragment fragB on T {\n"
     "        x {\n"
     "          ...fragB\n"
     "          x {\n"
     "            ...fragB\n"
     "          }\n"
     "        }\n"
     "      }\n"
     "    ",
     ""},
    {"x: nested reasons with several subfields", SDL_harness,
     "\n"
     "{\n"
     "  dog { x: name y: barks z: nickname }\n"
     "  dog { x: nickname y: barkVolume z: name }\n"
     "}",
     "Fields \"dog\" conflict because subfields \"x\" conflict because \"name\" and \"nickname\" are different fields and subfields \"y\" conflict because \"barks\" and \"barkVolume\" are different fields and subfields \"z\" conflict because \"nickname\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:3 3:9 3:17 3:26 4:3 4:9 4:21 4:35" "\n"},
    {"x: two-level nested chain and sibling conflict", SDL_harness,
     "\n"
     "{\n"
     "  dog { mother { x: name } father { y: name } }\n"
     "  dog { mother { x: nickname } father { y: barks } }\n"
     "  dog: cat\n"
     "}",
     "Fields \"dog\" conflict because subfields \"mother\" conflict because subfields \"x\" conflict because \"name\" and \"nickname\" are different fields and subfields \"father\" conflict because subfields \"y\" conflict because \"name\" and \"barks\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:3 3:9 3:18 3:28 3:37 4:3 4:9 4:18 4:32 4:41\n"
     "Fields \"dog\" conflict because \"dog\" and \"cat\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:3 5:3\n"
     "Fields \"dog\" conflict because \"dog\" and \"cat\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 4:3 5:3" "\n"},
    {"x: type conflict Int vs String and Boolean", SDL_harness,
     "\n"
     "{\n"
     "  dog { v: barkVolume }\n"
     "  dog { v: name }\n"
     "  cat { v: meowsVolume v: meows }\n"
     "}",
     "Fields \"dog\" conflict because subfields \"v\" conflict because \"barkVolume\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:3 3:9 4:3 4:9\n"
     "Fields \"v\" conflict because \"meowsVolume\" and \"meows\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 5:9 5:24" "\n"},
    {"x: args objects lists variables strings", SDL_harness,
     "\n"
     "query Q($a: Boolean, $b: Boolean) {\n"
     "  complicatedArgs {\n"
     "    o1: complexArgField(complexArg: {requiredField: true, intField: 1})\n"
     "    o1: complexArgField(complexArg: {intField: 1, requiredField: true})\n"
     "    o2: complexArgField(complexArg: {requiredField: true, intField: 1})\n"
     "    o2: complexArgField(complexArg: {requiredField: true, intField: 2})\n"
     "    l1: stringListArgField(stringListArg: [\"a\", \"b\"])\n"
     "    l1: stringListArgField(stringListArg: [\"b\", \"a\"])\n"
     "    l2: stringListArgField(stringListArg: [\"a\", \"b\"])\n"
     "    l2: stringListArgField(stringListArg: [\"a\", \"b\"])\n"
     "    s1: stringArgField(stringArg: \"abc\")\n"
     "    s1: stringArgField(stringArg: \"\"\"abc\"\"\")\n"
     "    s2: stringArgField(stringArg: \"abc\")\n"
     "    s2: stringArgField(stringArg: \"ab\\u0063\")\n"
     "    v1: booleanArgField(booleanArg: $a)\n"
     "    v1: booleanArgField(booleanArg: $a)\n"
     "    v2: booleanArgField(booleanArg: $a)\n"
     "    v2: booleanArgField(booleanArg: $b)\n"
     "    n1: intArgField(intArg: null)\n"
     "    n1: intArgField\n"
     "    f1: floatArgField(floatArg: 1)\n"
     "    f1: floatArgField(floatArg: 1.0)\n"
     "    e1: enumArgField(enumArg: BROWN)\n"
     "    e1: stringArgField(stringArg: \"BROWN\")\n"
     "    e2: enumArgField(enumArg: BROWN)\n"
     "    e2: enumArgField(enumArg: \"BROWN\")\n"
     "    b1: booleanArgField(booleanArg: true)\n"
     "    b1: booleanArgField(booleanArg: false)\n"
     "    d1: multipleOpts(opt1: 1, opt1: 2)\n"
     "    d1: multipleOpts(opt1: 2, opt1: 2)\n"
     "    d2: multipleOpts(opt1: 1, opt2: 2)\n"
     "    d2: multipleOpts(opt2: 2, opt1: 1)\n"
     "    i1: intArgField(intArg: 1)\n"
     "    i1: intArgField(intArg: 1, intArg: 1)\n"
     "  }\n"
     "}",
     "Fields \"o2\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 6:5 7:5\n"
     "Fields \"l1\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 8:5 9:5\n"
     "Fields \"s1\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 12:5 13:5\n"
     "Fields \"v2\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 18:5 19:5\n"
     "Fields \"n1\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 20:5 21:5\n"
     "Fields \"f1\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 22:5 23:5\n"
     "Fields \"e1\" conflict because \"enumArgField\" and \"stringArgField\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 24:5 25:5\n"
     "Fields \"e2\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 26:5 27:5\n"
     "Fields \"b1\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 28:5 29:5\n"
     "Fields \"d1\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 30:5 31:5\n"
     "Fields \"i1\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 34:5 35:5" "\n"},
    {"x: directives do not matter", SDL_harness,
     "\n"
     "{ dog { name @include(if: true) name @skip(if: false) name @onField } }",
     ""},
    {"x: inline fragments on interface vs object", SDL_harness,
     "\n"
     "{\n"
     "  pet {\n"
     "    name\n"
     "    ... on Dog { name(surname: true) }\n"
     "    ... on Cat { name(surname: false) }\n"
     "    ... { name(surname: true) }\n"
     "  }\n"
     "}",
     "Fields \"name\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 4:5 5:18\n"
     "Fields \"name\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 4:5 6:18\n"
     "Fields \"name\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 4:5 7:11\n"
     "Fields \"name\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 6:18 7:11" "\n"},
    {"x: mutually exclusive fragments still check types", SDL_harness,
     "\n"
     "{\n"
     "  catOrDog {\n"
     "    ...DogFields\n"
     "    ...CatFields\n"
     "  }\n"
     "}\n"
     "fragment DogFields on Dog { x: barkVolume y: name }\n"
     "fragment CatFields on Cat { x: meows y: nickname }",
     "Fields \"x\" conflict because they return conflicting types \"Int\" and \"Boolean\". Use different aliases on the fields to fetch both if this was intentional. @ 8:29 9:29" "\n"},
    {"x: exclusive then non-exclusive fragment pair", SDL_harness,
     "\n"
     "{\n"
     "  catOrDog {\n"
     "    ... on Dog { mother { ...A } }\n"
     "    ... on Cat { mother: name }\n"
     "  }\n"
     "  dog { mother { ...A ...B } mother { ...B } }\n"
     "}\n"
     "fragment A on Dog { n: name }\n"
     "fragment B on Dog { n: nickname }",
     "Fields \"mother\" conflict because they return conflicting types \"Dog\" and \"String\". Use different aliases on the fields to fetch both if this was intentional. @ 4:18 5:18\n"
     "Fields \"mother\" conflict because subfields \"n\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 7:9 9:21 7:30 10:21" "\n"},
    {"x: conflicts between fragments and nested fragments", SDL_harness,
     "\n"
     "{\n"
     "  dog { ...F1 ...F2 name: nickname }\n"
     "}\n"
     "fragment F1 on Dog { name ...F3 }\n"
     "fragment F2 on Dog { barks: barkVolume ...F4 }\n"
     "fragment F3 on Dog { barks }\n"
     "fragment F4 on Dog { name(surname: true) }",
     "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:21 5:22\n"
     "Fields \"name\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 5:22 8:22\n"
     "Fields \"barks\" conflict because \"barks\" and \"barkVolume\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 7:22 6:22\n"
     "Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:21 8:22" "\n"},
    {"x: fragment cycle with fields", SDL_harness,
     "\n"
     "{\n"
     "  human { ...A }\n"
     "  human { ...B }\n"
     "}\n"
     "fragment A on Human { name relatives { ...B } ...C }\n"
     "fragment B on Human { name: pets relatives { ...C } ...A }\n"
     "fragment C on Human { relatives { name(surname: true) ...A } ...B }",
     "Fields \"human\" conflict because subfields \"name\" conflict because \"name\" and \"pets\" are different fields and subfields \"relatives\" conflict because subfields \"relatives\" conflict because subfields \"name\" conflict because \"name\" and \"pets\" are different fields and subfields \"name\" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional. @ 3:3 6:23 6:28 7:34 8:35 8:35 4:3 7:23 7:34 8:23 7:23 6:23\n"
     "Fields \"name\" conflict because \"name\" and \"pets\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 6:23 7:23\n"
     "Fields \"name\" conflict because \"pets\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 7:23 6:23" "\n"},
    {"x: self-spreading fragments and unknown fragments", SDL_harness,
     "\n"
     "{ dog { ...A ...Nope name } dog { ...A } }\n"
     "fragment A on Dog { ...A ...Nope nickname: name name }",
     ""},
    {"x: typename", SDL_harness,
     "\n"
     "{ dog { __typename __typename: name } catOrDog { __typename ... on Dog { __typename } } }",
     "Fields \"__typename\" conflict because \"__typename\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 2:9 2:20" "\n"},
    {"x: long response name is abbreviated", SDL_harness,
     "\n"
     "{ dog { aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: name aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: nickname } }",
     "Fields \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 2:9 2:1021" "\n"},
    {"x: many subfield conflicts truncate nodes and reason", SDL_harness,
     "\n"
     "{\n"
     "  dog {\n"
     "    a0: name\n"
     "    a1: name\n"
     "    a2: name\n"
     "    a3: name\n"
     "    a4: name\n"
     "    a5: name\n"
     "    a6: name\n"
     "    a7: name\n"
     "    a8: name\n"
     "    a9: name\n"
     "    a10: name\n"
     "    a11: name\n"
     "    a12: name\n"
     "    a13: name\n"
     "    a14: name\n"
     "    a15: name\n"
     "    a16: name\n"
     "    a17: name\n"
     "    a18: name\n"
     "    a19: name\n"
     "    a20: name\n"
     "    a21: name\n"
     "    a22: name\n"
     "    a23: name\n"
     "    a24: name\n"
     "    a25: name\n"
     "    a26: name\n"
     "    a27: name\n"
     "    a28: name\n"
     "    a29: name\n"
     "  }\n"
     "  dog {\n"
     "    a0: nickname\n"
     "    a1: nickname\n"
     "    a2: nickname\n"
     "    a3: nickname\n"
     "    a4: nickname\n"
     "    a5: nickname\n"
     "    a6: nickname\n"
     "    a7: nickname\n"
     "    a8: nickname\n"
     "    a9: nickname\n"
     "    a10: nickname\n"
     "    a11: nickname\n"
     "    a12: nickname\n"
     "    a13: nickname\n"
     "    a14: nickname\n"
     "    a15: nickname\n"
     "    a16: nickname\n"
     "    a17: nickname\n"
     "    a18: nickname\n"
     "    a19: nickname\n"
     "    a20: nickname\n"
     "    a21: nickname\n"
     "    a22: nickname\n"
     "    a23: nickname\n"
     "    a24: nickname\n"
     "    a25: nickname\n"
     "    a26: nickname\n"
     "    a27: nickname\n"
     "    a28: nickname\n"
     "    a29: nickname\n"
     "  }\n"
     "}",
     "Fields \"dog\" conflict because subfields \"a0\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a1\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a2\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a3\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a4\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a5\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a6\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a7\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a8\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a9\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a10\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a11\" conflict because \"name\" and \"nickname\" are different fields and subfields \"a12\" conflict because \"name\" and \"nickn.... Use different aliases on the fields to fetch both if this was intentional. @ 3:3 4:5 5:5 6:5 7:5 8:5 9:5 10:5 11:5 12:5 13:5 14:5 15:5 16:5 17:5 18:5 19:5 20:5 21:5 22:5 35:3 36:5 37:5 38:5 39:5 40:5 41:5 42:5 43:5 44:5 45:5 46:5 47:5 48:5 49:5 50:5 51:5 52:5 53:5 54:5" "\n"},
    {"x: deep nesting keeps the last nodes", SDL_harness,
     "\n"
     "{\n"
     "  dog { mother { mother { mother { mother { mother { mother { mother { mother { mother { mother { mother { x: name y: name } } } } } } } } } } } }\n"
     "  dog { mother { mother { mother { mother { mother { mother { mother { mother { mother { mother { mother { x: nickname y: nickname } } } } } } } } } } } }\n"
     "}",
     "Fields \"dog\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"mother\" conflict because subfields \"x\" conflict because \"name\" and \"nickname\" are different fields and subfields \"y\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:3 3:9 3:18 3:27 3:36 3:45 3:54 3:63 3:72 3:81 3:90 3:99 3:108 3:116 4:3 4:9 4:18 4:27 4:36 4:45 4:54 4:63 4:72 4:81 4:90 4:99 4:108 4:120" "\n"},
    {"x: several operations share caches", SDL_harness,
     "\n"
     "query A { dog { ...F } dog { ...G } }\n"
     "query B { dog { ...G } dog { ...F } }\n"
     "fragment F on Dog { x: name }\n"
     "fragment G on Dog { x: nickname }",
     "Fields \"dog\" conflict because subfields \"x\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 2:11 4:21 2:24 5:21" "\n"},
    {"x: budget exhausted by repeated fields", SDL_harness,
     "\n"
     "{ dog { x: nickname x: name }\n"
     "  cat {\n"
     "    name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name\n"
     "  }\n"
     "}",
     "Fields \"x\" conflict because \"nickname\" and \"name\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 2:9 2:21\n"
     "Validation aborted." "\n"},
    {"x: repeated fields under budget", SDL_harness,
     "\n"
     "{ dog {\n"
     "    name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name\n"
     "    x: name\n"
     "    x: nickname\n"
     "  }\n"
     "}",
     "Fields \"x\" conflict because \"name\" and \"nickname\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 4:5 5:5" "\n"},
    {"x: list and non-null mismatches", SDL_box,
     "\n"
     "{\n"
     "  someBox {\n"
     "    ... on IntBox { a: listStringBox { scalar } }\n"
     "    ... on StringBox { a: stringBox { scalar } }\n"
     "    ... on NonNullStringBox1 { b: scalar }\n"
     "    ... on StringBox { b: scalar }\n"
     "  }\n"
     "  someBox {\n"
     "    ... on IntBox { deepBox { c: scalar } }\n"
     "    ... on StringBox { deepBox { c: scalar } }\n"
     "  }\n"
     "}",
     "Fields \"a\" conflict because they return conflicting types \"[StringBox]\" and \"StringBox\". Use different aliases on the fields to fetch both if this was intentional. @ 4:21 5:24\n"
     "Fields \"b\" conflict because they return conflicting types \"String!\" and \"String\". Use different aliases on the fields to fetch both if this was intentional. @ 6:32 7:24\n"
     "Fields \"deepBox\" conflict because subfields \"c\" conflict because they return conflicting types \"Int\" and \"String\". Use different aliases on the fields to fetch both if this was intentional. @ 10:21 10:31 11:24 11:34" "\n"},
    {"x: unknown type conditions and fields", SDL_box,
     "\n"
     "{\n"
     "  someBox {\n"
     "    ... on Unknown { scalar }\n"
     "    ... on IntBox { scalar: unknownField }\n"
     "    ... on StringBox { scalar }\n"
     "    ... on IntBox { scalar }\n"
     "  }\n"
     "}",
     "Fields \"scalar\" conflict because \"scalar\" and \"unknownField\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 4:22 5:21\n"
     "Fields \"scalar\" conflict because \"unknownField\" and \"scalar\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 5:21 7:21\n"
     "Fields \"scalar\" conflict because they return conflicting types \"String\" and \"Int\". Use different aliases on the fields to fetch both if this was intentional. @ 6:24 7:21" "\n"},
    {"x: connection edges", SDL_box,
     "\n"
     "{\n"
     "  connection { edges { node { id } } ...E }\n"
     "  connection { edges { node { id: name } } }\n"
     "}\n"
     "fragment E on Connection { edges { node { id name } } }",
     "Fields \"connection\" conflict because subfields \"edges\" conflict because subfields \"node\" conflict because subfields \"id\" conflict because \"id\" and \"name\" are different fields and subfields \"edges\" conflict because subfields \"node\" conflict because subfields \"id\" conflict because \"name\" and \"id\" are different fields. Use different aliases on the fields to fetch both if this was intentional. @ 3:3 3:16 3:24 3:31 4:16 4:24 4:31 4:3 4:16 4:24 4:31 6:28 6:36 6:43" "\n"},
};
/* ---- end of generated cases ---- */

/* Every case: the exact messages, locations and order of graphql-js. */
static void test_graphql_js_cases(void **state)
{
    (void)state;
    const char *sdl = NULL;
    gql_schema *schema = NULL;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ov_case *k = &cases[i];
        if (k->sdl != sdl) {
            gql_schema_free(schema);
            schema = build_schema(k->sdl);
            sdl = k->sdl;
        }
        char *got = run_rule(schema, k->doc, strlen(k->doc));
        if (strcmp(got, k->expected) != 0) {
            print_error("case \"%s\":\n--- expected\n%s--- got\n%s", k->name, k->expected, got);
            failures++;
        }
        free(got);
    }
    gql_schema_free(schema);
    assert_int_equal(failures, 0);
}

/* Two cyclic chains of N fragments compared pairwise: graphql-js answers []
 * for N = 500 and overflows its stack (RangeError) from N = 1000 on; we stop
 * with "Validation aborted." once the nesting gets that deep. */
static char *fragment_chains(const gql_schema *schema, int n)
{
    gql_buf doc = GQL_BUF_INIT;
    gql_buf_puts(&doc, "{ dog { ...F0 ...G0 } }\n");
    for (int i = 0; i < n; i++) {
        gql_buf_printf(&doc, "fragment F%d on Dog { mother { ...F%d } }\n", i, (i + 1) % n);
        gql_buf_printf(&doc, "fragment G%d on Dog { mother { ...G%d } }\n", i, (i + 1) % n);
    }
    gql_parse_options big = {4u << 20, 1000000u, 0};
    char *got = run_rule_opts(schema, doc.data, doc.len, &big);
    gql_buf_free(&doc);
    return got;
}

static void test_deep_fragment_chain_terminates(void **state)
{
    (void)state;
    gql_schema *schema = build_schema(SDL_harness);
    char *got = fragment_chains(schema, 500);
    assert_string_equal(got, "");
    free(got);
    got = fragment_chains(schema, 6000);
    assert_string_equal(got, "Validation aborted.\n");
    free(got);
    gql_schema_free(schema);
}

/* Fragment cycles through fields, spread from many places: finishes. */
static void test_fragment_cycles_terminate(void **state)
{
    (void)state;
    gql_schema *schema = build_schema(SDL_harness);
    static const char doc[] =
        "{ human { ...A ...B ...C } human { ...C ...B ...A } }\n"
        "fragment A on Human { relatives { ...B ...A } ...C name }\n"
        "fragment B on Human { relatives { ...C ...B } ...A name }\n"
        "fragment C on Human { relatives { ...A ...C } ...B name }\n";
    char *got = run_rule(schema, doc, sizeof doc - 1);
    assert_string_equal(got, "");
    free(got);
    gql_schema_free(schema);
}

/* Many repeated fields and fragments: bounded by the complexity budget. */
static void test_repeated_fields_are_bounded(void **state)
{
    (void)state;
    gql_schema *schema = build_schema(SDL_harness);
    gql_buf doc = GQL_BUF_INIT;
    gql_buf_puts(&doc, "{ dog {");
    for (int i = 0; i < 20000; i++)
        gql_buf_puts(&doc, " name ...F");
    gql_buf_puts(&doc, " } }\nfragment F on Dog { name }\n");
    char *got = run_rule(schema, doc.data, doc.len);
    assert_string_equal(got, "Validation aborted.\n");
    free(got);
    gql_buf_free(&doc);
    gql_schema_free(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphql_js_cases),
        cmocka_unit_test(test_deep_fragment_chain_terminates),
        cmocka_unit_test(test_fragment_cycles_terminate),
        cmocka_unit_test(test_repeated_fields_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
