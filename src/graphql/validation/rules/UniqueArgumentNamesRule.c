/* UniqueArgumentNamesRule.c: a field or directive is given each argument
 * once (spec "Argument Uniqueness"). */
#include "config.h"

#include "graphql/validation/rules.h"

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    const gql_list *args = &node->arguments;
    if (args->count < 2)
        return GQL_RULE_CONTINUE;
    gql_vmap groups = {0};
    gql_vec order = {0};
    for (uint32_t i = 0; i < args->count; i++) {
        const gql_node *n = args->items[i]->name;
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
                             "There can be only one argument named \"%s\".",
                             ((const gql_node *)g->items[0])->value);
    }
    return GQL_RULE_CONTINUE;
oom:
    gql_vctx_oom(c);
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_UniqueArgumentNames = {
    .name = "UniqueArgumentNamesRule",
    .enter_kinds = GQL_KBIT(GQL_FIELD) | GQL_KBIT(GQL_DIRECTIVE),
    .enter = enter,
};
