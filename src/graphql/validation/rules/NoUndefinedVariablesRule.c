/* NoUndefinedVariablesRule.c: every variable used by an operation (and the
 * fragments it spreads) is defined by it (spec "All Variable Uses Defined"). */
#include "config.h"

#include "graphql/validation/rules.h"

#include <string.h>

typedef struct state {
    gql_vmap defined;
} state;

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_OPERATION_DEFINITION) {
        memset(&s->defined, 0, sizeof s->defined);
    } else {
        const gql_node *n = node->variable->name;
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &s->defined, n->value, n->value_len, 1);
        if (!slot)
            gql_vctx_oom(c);
        else
            slot->value = n;
    }
    return GQL_RULE_CONTINUE;
}

static void leave(gql_vctx *c, void *st, const gql_node *op)
{
    state *s = st;
    const gql_usage_list *u = gql_vctx_recursive_variable_usages(c, op);
    for (uint32_t i = 0; i < u->count && !c->aborted; i++) {
        const gql_node *v = u->items[i].node;
        const gql_node *n = v->name;
        if (gql_vmap_get_name(&s->defined, n->value, n->value_len))
            continue;
        const gql_node *nodes[2] = {v, op};
        if (op->name)
            gql_vctx_reportf(c, nodes, 2, "Variable \"$%s\" is not defined by operation \"%s\".",
                             n->value, op->name->value);
        else
            gql_vctx_reportf(c, nodes, 2, "Variable \"$%s\" is not defined.", n->value);
    }
}

const gql_rule gql_rule_NoUndefinedVariables = {
    .name = "NoUndefinedVariablesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_VARIABLE_DEFINITION),
    .leave_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION),
    .enter = enter,
    .leave = leave,
};
