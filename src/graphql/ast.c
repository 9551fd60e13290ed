/* ast.c: kind names and the generic walker; child order follows graphql-js
 * 16's QueryDocumentKeys so that rules see nodes in the same order. */
#include "config.h"

#include <gqlsse/ast.h>

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

/* Child slots, in QueryDocumentKeys order per kind. */
enum slot {
    S_END = 0,
    S_DESCRIPTION,
    S_ALIAS,
    S_NAME,
    S_VARIABLE,
    S_TYPE,
    S_TYPE_CONDITION,
    S_DEFAULT_VALUE,
    S_VALUE,
    S_SELECTION_SET,
    S_VARIABLE_DEFINITIONS,
    S_DIRECTIVES,
    S_ARGUMENTS,
    S_INTERFACES,
    S_LIST /* the kind's main list */
};

/* Child slots per kind, in QueryDocumentKeys order, S_END-terminated. */
static const unsigned char kind_slots[GQL_KIND_COUNT_][7] = {
    [GQL_DOCUMENT] = {S_LIST},
    [GQL_OPERATION_DEFINITION] = {S_DESCRIPTION, S_NAME, S_VARIABLE_DEFINITIONS, S_DIRECTIVES, S_SELECTION_SET},
    [GQL_VARIABLE_DEFINITION] = {S_DESCRIPTION, S_VARIABLE, S_TYPE, S_DEFAULT_VALUE, S_DIRECTIVES},
    [GQL_VARIABLE] = {S_NAME},
    [GQL_SELECTION_SET] = {S_LIST},
    [GQL_FIELD] = {S_ALIAS, S_NAME, S_ARGUMENTS, S_DIRECTIVES, S_SELECTION_SET},
    [GQL_ARGUMENT] = {S_NAME, S_VALUE},
    [GQL_FRAGMENT_SPREAD] = {S_NAME, S_DIRECTIVES},
    [GQL_INLINE_FRAGMENT] = {S_TYPE_CONDITION, S_DIRECTIVES, S_SELECTION_SET},
    [GQL_FRAGMENT_DEFINITION] = {S_DESCRIPTION, S_NAME, S_VARIABLE_DEFINITIONS, S_TYPE_CONDITION, S_DIRECTIVES, S_SELECTION_SET},
    [GQL_LIST] = {S_LIST},
    [GQL_OBJECT] = {S_LIST},
    [GQL_OBJECT_FIELD] = {S_NAME, S_VALUE},
    [GQL_DIRECTIVE] = {S_NAME, S_ARGUMENTS},
    [GQL_NAMED_TYPE] = {S_NAME},
    [GQL_LIST_TYPE] = {S_TYPE},
    [GQL_NON_NULL_TYPE] = {S_TYPE},
    [GQL_SCHEMA_DEFINITION] = {S_DESCRIPTION, S_DIRECTIVES, S_LIST},
    [GQL_OPERATION_TYPE_DEFINITION] = {S_TYPE},
    [GQL_SCALAR_TYPE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_DIRECTIVES},
    [GQL_OBJECT_TYPE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_INTERFACES, S_DIRECTIVES, S_LIST},
    [GQL_INTERFACE_TYPE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_INTERFACES, S_DIRECTIVES, S_LIST},
    [GQL_FIELD_DEFINITION] = {S_DESCRIPTION, S_NAME, S_ARGUMENTS, S_TYPE, S_DIRECTIVES},
    [GQL_INPUT_VALUE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_TYPE, S_DEFAULT_VALUE, S_DIRECTIVES},
    [GQL_UNION_TYPE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_DIRECTIVES, S_LIST},
    [GQL_ENUM_TYPE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_DIRECTIVES, S_LIST},
    [GQL_INPUT_OBJECT_TYPE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_DIRECTIVES, S_LIST},
    [GQL_ENUM_VALUE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_DIRECTIVES},
    [GQL_DIRECTIVE_DEFINITION] = {S_DESCRIPTION, S_NAME, S_ARGUMENTS, S_DIRECTIVES, S_LIST},
    [GQL_SCHEMA_EXTENSION] = {S_DIRECTIVES, S_LIST},
    [GQL_SCALAR_TYPE_EXTENSION] = {S_NAME, S_DIRECTIVES},
    [GQL_OBJECT_TYPE_EXTENSION] = {S_NAME, S_INTERFACES, S_DIRECTIVES, S_LIST},
    [GQL_INTERFACE_TYPE_EXTENSION] = {S_NAME, S_INTERFACES, S_DIRECTIVES, S_LIST},
    [GQL_UNION_TYPE_EXTENSION] = {S_NAME, S_DIRECTIVES, S_LIST},
    [GQL_ENUM_TYPE_EXTENSION] = {S_NAME, S_DIRECTIVES, S_LIST},
    [GQL_INPUT_OBJECT_TYPE_EXTENSION] = {S_NAME, S_DIRECTIVES, S_LIST},
};

static int each_in_list(const gql_list *l, int (*fn)(const gql_node *, void *), void *ud)
{
    for (uint32_t i = 0; i < l->count; i++) {
        int r = fn(l->items[i], ud);
        if (r)
            return r;
    }
    return 0;
}

int gql_node_each_child(const gql_node *node, int (*fn)(const gql_node *child, void *ud), void *ud)
{
    const gql_node *one;
    if (node->kind >= GQL_KIND_COUNT_)
        return 0;
    for (const unsigned char *s = kind_slots[node->kind]; *s != S_END; s++) {
        const gql_list *list = NULL;
        one = NULL;
        switch ((enum slot)*s) {
        case S_DESCRIPTION: one = node->description; break;
        case S_ALIAS: one = node->alias; break;
        case S_NAME: one = node->name; break;
        case S_VARIABLE: one = node->variable; break;
        case S_TYPE: one = node->type; break;
        case S_TYPE_CONDITION: one = node->type_condition; break;
        case S_DEFAULT_VALUE: one = node->default_value; break;
        case S_VALUE: one = node->value_node; break;
        case S_SELECTION_SET: one = node->selection_set; break;
        case S_VARIABLE_DEFINITIONS: list = &node->variable_definitions; break;
        case S_DIRECTIVES: list = &node->directives; break;
        case S_ARGUMENTS: list = &node->arguments; break;
        case S_INTERFACES: list = &node->interfaces; break;
        case S_LIST: list = &node->definitions; break;
        case S_END: break;
        }
        int r = 0;
        if (one)
            r = fn(one, ud);
        else if (list)
            r = each_in_list(list, fn, ud);
        if (r)
            return r;
    }
    return 0;
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
