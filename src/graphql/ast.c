/* ast.c: kind names and the generic walker; child order follows graphql-js
 * 16's QueryDocumentKeys so that rules see nodes in the same order. */
#include "config.h"

#include "graphql/ast_internal.h"

#include <stddef.h>

static const char *const kind_names[] = {
#define GQL_KIND_NAME_(id, name) name,
    GQL_AST_KINDS(GQL_KIND_NAME_)
#undef GQL_KIND_NAME_
};

const char *gql_kind_name(gql_kind kind)
{
    return (unsigned)kind < GQL_KIND_COUNT_ ? kind_names[kind] : "?";
}

int gql_kind_is_executable_definition(gql_kind kind)
{
    return kind == GQL_OPERATION_DEFINITION || kind == GQL_FRAGMENT_DEFINITION;
}

int gql_kind_is_type_system_definition(gql_kind kind)
{
    return kind == GQL_SCHEMA_DEFINITION || kind == GQL_DIRECTIVE_DEFINITION ||
           kind == GQL_SCALAR_TYPE_DEFINITION || kind == GQL_OBJECT_TYPE_DEFINITION ||
           kind == GQL_INTERFACE_TYPE_DEFINITION || kind == GQL_UNION_TYPE_DEFINITION ||
           kind == GQL_ENUM_TYPE_DEFINITION || kind == GQL_INPUT_OBJECT_TYPE_DEFINITION;
}

int gql_kind_is_type_system_extension(gql_kind kind)
{
    return kind >= GQL_SCHEMA_EXTENSION && kind <= GQL_INPUT_OBJECT_TYPE_EXTENSION;
}

const char *gql_operation_name(gql_operation_type op)
{
    switch (op) {
    case GQL_OP_QUERY: return "query";
    case GQL_OP_MUTATION: return "mutation";
    case GQL_OP_SUBSCRIPTION: return "subscription";
    }
    return "query";
}

/* Child slots per kind, in graphql-js 16 QueryDocumentKeys order: the one
 * place that knows which members of struct gql_node are a kind's children
 * (ast_internal.h). NAMED_ marks names, aliases, descriptions and the NAME
 * list of directive locations, which validation does not visit; the table is
 * expanded twice, with and without them. */
#define KIND_CHILD_SLOTS_(X) \
    X(DOCUMENT, LIST_(definitions)) \
    X(OPERATION_DEFINITION, NAMED_(description) NAMED_(name) LIST_(variable_definitions) LIST_(directives) ONE_(selection_set)) \
    X(VARIABLE_DEFINITION, NAMED_(description) ONE_(variable) ONE_(type) ONE_(default_value) LIST_(directives)) \
    X(VARIABLE, NAMED_(name)) \
    X(SELECTION_SET, LIST_(selections)) \
    X(FIELD, NAMED_(alias) NAMED_(name) LIST_(arguments) LIST_(directives) ONE_(selection_set)) \
    X(ARGUMENT, NAMED_(name) ONE_(value_node)) \
    X(FRAGMENT_SPREAD, NAMED_(name) LIST_(directives)) \
    X(INLINE_FRAGMENT, ONE_(type_condition) LIST_(directives) ONE_(selection_set)) \
    X(FRAGMENT_DEFINITION, NAMED_(description) NAMED_(name) LIST_(variable_definitions) ONE_(type_condition) LIST_(directives) ONE_(selection_set)) \
    X(LIST, LIST_(values)) \
    X(OBJECT, LIST_(fields)) \
    X(OBJECT_FIELD, NAMED_(name) ONE_(value_node)) \
    X(DIRECTIVE, NAMED_(name) LIST_(arguments)) \
    X(NAMED_TYPE, NAMED_(name)) \
    X(LIST_TYPE, ONE_(type)) \
    X(NON_NULL_TYPE, ONE_(type)) \
    X(SCHEMA_DEFINITION, NAMED_(description) LIST_(directives) LIST_(operation_types)) \
    X(OPERATION_TYPE_DEFINITION, ONE_(type)) \
    X(SCALAR_TYPE_DEFINITION, NAMED_(description) NAMED_(name) LIST_(directives)) \
    X(OBJECT_TYPE_DEFINITION, NAMED_(description) NAMED_(name) LIST_(interfaces) LIST_(directives) LIST_(fields)) \
    X(INTERFACE_TYPE_DEFINITION, NAMED_(description) NAMED_(name) LIST_(interfaces) LIST_(directives) LIST_(fields)) \
    X(FIELD_DEFINITION, NAMED_(description) NAMED_(name) LIST_(arguments) ONE_(type) LIST_(directives)) \
    X(INPUT_VALUE_DEFINITION, NAMED_(description) NAMED_(name) ONE_(type) ONE_(default_value) LIST_(directives)) \
    X(UNION_TYPE_DEFINITION, NAMED_(description) NAMED_(name) LIST_(directives) LIST_(types)) \
    X(ENUM_TYPE_DEFINITION, NAMED_(description) NAMED_(name) LIST_(directives) LIST_(values)) \
    X(INPUT_OBJECT_TYPE_DEFINITION, NAMED_(description) NAMED_(name) LIST_(directives) LIST_(fields)) \
    X(ENUM_VALUE_DEFINITION, NAMED_(description) NAMED_(name) LIST_(directives)) \
    X(DIRECTIVE_DEFINITION, NAMED_(description) NAMED_(name) LIST_(arguments) NAMED_LIST_(locations)) \
    X(SCHEMA_EXTENSION, LIST_(directives) LIST_(operation_types)) \
    X(SCALAR_TYPE_EXTENSION, NAMED_(name) LIST_(directives)) \
    X(OBJECT_TYPE_EXTENSION, NAMED_(name) LIST_(interfaces) LIST_(directives) LIST_(fields)) \
    X(INTERFACE_TYPE_EXTENSION, NAMED_(name) LIST_(interfaces) LIST_(directives) LIST_(fields)) \
    X(UNION_TYPE_EXTENSION, NAMED_(name) LIST_(directives) LIST_(types)) \
    X(ENUM_TYPE_EXTENSION, NAMED_(name) LIST_(directives) LIST_(values)) \
    X(INPUT_OBJECT_TYPE_EXTENSION, NAMED_(name) LIST_(directives) LIST_(fields)) \
    X(NAME, ) \
    X(INT, ) \
    X(FLOAT, ) \
    X(STRING, ) \
    X(BOOLEAN, ) \
    X(NULL, ) \
    X(ENUM, )

_Static_assert(offsetof(gql_node, interfaces) <= UINT8_MAX &&
                   offsetof(gql_node, variable_definitions) <= UINT8_MAX,
               "child slot offsets fit gql_child_slot.offset");

#define ONE_(m) {offsetof(gql_node, m), 0},
#define LIST_(m) {offsetof(gql_node, m), 1},
#define KIND_ENTRY_(kind, slots) [GQL_##kind] = (const gql_child_slot[]){slots{0, 0}},

#define NAMED_(m) ONE_(m)
#define NAMED_LIST_(m) LIST_(m)
const gql_child_slot *const gql_kind_child_slots[GQL_KIND_COUNT_] = {
    KIND_CHILD_SLOTS_(KIND_ENTRY_)
};
#undef NAMED_
#undef NAMED_LIST_

#define NAMED_(m)
#define NAMED_LIST_(m)
const gql_child_slot *const gql_kind_validated_slots[GQL_KIND_COUNT_] = {
    KIND_CHILD_SLOTS_(KIND_ENTRY_)
};
#undef NAMED_
#undef NAMED_LIST_

#undef ONE_
#undef LIST_
#undef KIND_ENTRY_
#undef KIND_CHILD_SLOTS_

int gql_node_each_child(const gql_node *node, int (*fn)(const gql_node *child, void *ud), void *ud)
{
    if (node->kind >= GQL_KIND_COUNT_)
        return 0;
    return gql_each_child(gql_kind_child_slots[node->kind], node, fn, ud);
}

typedef struct walk_ctx {
    const gql_walker *walker;
    void *ud;
    const gql_node *parent;
} walk_ctx;

static int walk_node(const gql_node *node, void *arg)
{
    walk_ctx *ctx = arg;
    const gql_node *parent = ctx->parent;
    if (ctx->walker->enter) {
        gql_walk_result r = ctx->walker->enter(node, parent, ctx->ud);
        if (r == GQL_WALK_BREAK)
            return 1;
        if (r == GQL_WALK_SKIP)
            return 0;
    }
    ctx->parent = node;
    int stop = gql_node_each_child(node, walk_node, ctx);
    ctx->parent = parent;
    if (stop)
        return 1;
    if (ctx->walker->leave && ctx->walker->leave(node, parent, ctx->ud) == GQL_WALK_BREAK)
        return 1;
    return 0;
}

gql_walk_result gql_walk(const gql_node *root, const gql_walker *walker, void *ud)
{
    walk_ctx ctx = {walker, ud, NULL};
    return walk_node(root, &ctx) ? GQL_WALK_BREAK : GQL_WALK_CONTINUE;
}
