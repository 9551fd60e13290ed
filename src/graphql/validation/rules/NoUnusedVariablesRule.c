/* NoUnusedVariablesRule.c: every variable an operation defines is used by
 * it or the fragments it spreads (spec "All Variables Used"). */
#include "config.h"

#include "graphql/validation/rules.h"

#include <string.h>

typedef struct state {
    gql_vec defs;
} state;

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_OPERATION_DEFINITION)
        memset(&s->defs, 0, sizeof s->defs);
    else if (gql_vec_push(c->arena, &s->defs, node))
        gql_vctx_oom(c);
    return GQL_RULE_CONTINUE;
}

static void leave(gql_vctx *c, void *st, const gql_node *op)
{
    state *s = st;
    const gql_usage_list *u = gql_vctx_recursive_variable_usages(c, op);
    if (c->aborted)
        return;
    gql_vmap used = {0};
    for (uint32_t i = 0; i < u->count; i++) {
        const gql_node *n = u->items[i].node->name;
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &used, n->value, n->value_len, 1);
        if (!slot) {
            gql_vctx_oom(c);
            return;
        }
        slot->value = n;
    }
    for (uint32_t i = 0; i < s->defs.count; i++) {
        const gql_node *d = s->defs.items[i];
        const gql_node *n = d->variable->name;
        if (gql_vmap_get_name(&used, n->value, n->value_len))
            continue;
        if (op->name)
            gql_vctx_report1f(c, d, "Variable \"$%s\" is never used in operation \"%s\".",
                              n->value, op->name->value);
        else
            gql_vctx_report1f(c, d, "Variable \"$%s\" is never used.", n->value);
    }
}

const gql_rule gql_rule_NoUnusedVariables = {
    .name = "NoUnusedVariablesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_VARIABLE_DEFINITION),
    .leave_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION),
    .enter = enter,
    .leave = leave,
};
