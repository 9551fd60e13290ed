/* UniqueVariableNamesRule.c: an operation defines each variable once
 * (spec "Variable Uniqueness"). */
#include "config.h"

#include "graphql/validation/rules.h"

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    const gql_list *defs = &node->variable_definitions;
    if (defs->count < 2)
        return GQL_RULE_CONTINUE;
    /* groupBy: groups in first-appearance order. */
    gql_vmap groups = {0};
    gql_vec order = {0};
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *n = defs->items[i]->variable->name;
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &groups, n->value, n->value_len, 1);
        if (!slot)
            goto oom;
        gql_vec *g = (gql_vec *)slot->value;
        if (!g) {
            g = gql_arena_zalloc(c->arena, sizeof *g);
            if (!g || gql_vec_push(c->arena, &order, g))
                goto oom;
            slot->value = g;
        }
        if (gql_vec_push(c->arena, g, n))
            goto oom;
    }
    for (uint32_t i = 0; i < order.count; i++) {
        const gql_vec *g = order.items[i];
        if (g->count > 1)
            gql_vctx_reportf(c, (const gql_node *const *)g->items, g->count,
                             "There can be only one variable named \"$%s\".",
                             ((const gql_node *)g->items[0])->value);
    }
    return GQL_RULE_CONTINUE;
oom:
    gql_vctx_oom(c);
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_UniqueVariableNames = {
    .name = "UniqueVariableNamesRule",
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION),
    .enter = enter,
};
