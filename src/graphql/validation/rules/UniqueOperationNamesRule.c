/* UniqueOperationNamesRule.c: operation names are unique in a document
 * (spec "Operation Name Uniqueness"). */
#include "config.h"

#include "graphql/validation/rules.h"

typedef struct state {
    gql_vmap known; /* name -> NAME node */
} state;

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_OPERATION_DEFINITION && node->name) {
        const gql_node *n = node->name;
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &s->known, n->value, n->value_len, 1);
        if (!slot) {
            gql_vctx_oom(c);
        } else if (slot->value) {
            const gql_node *nodes[2] = {slot->value, n};
            gql_vctx_reportf(c, nodes, 2, "There can be only one operation named \"%s\".",
                             n->value);
        } else {
            slot->value = n;
        }
    }
    return GQL_RULE_SKIP;
}

const gql_rule gql_rule_UniqueOperationNames = {
    .name = "UniqueOperationNamesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_FRAGMENT_DEFINITION),
    .enter = enter,
};
