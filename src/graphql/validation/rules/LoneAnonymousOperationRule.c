/* LoneAnonymousOperationRule.c: an anonymous operation must be the only
 * operation of its document (spec "Lone Anonymous Operation"). */
#include "config.h"

#include "graphql/validation/rules.h"

typedef struct state {
    uint32_t operations;
} state;

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_DOCUMENT) {
        s->operations = 0;
        for (uint32_t i = 0; i < node->definitions.count; i++)
            if (node->definitions.items[i]->kind == GQL_OPERATION_DEFINITION)
                s->operations++;
    } else if (!node->name && s->operations > 1) {
        gql_vctx_report1f(c, node,
                          "This anonymous operation must be the only defined operation.");
    }
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_LoneAnonymousOperation = {
    .name = "LoneAnonymousOperationRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_DOCUMENT) | GQL_KBIT(GQL_OPERATION_DEFINITION),
    .enter = enter,
};
