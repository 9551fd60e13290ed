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
    if (node->kind == GQL_OPERATION_DEFINITION && node->name)
        gql_vctx_unique_name(c, &s->known, node->name, "operation");
    return GQL_RULE_SKIP;
}

const gql_rule gql_rule_UniqueOperationNames = {
    .name = "UniqueOperationNamesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_FRAGMENT_DEFINITION),
    .enter = enter,
};
