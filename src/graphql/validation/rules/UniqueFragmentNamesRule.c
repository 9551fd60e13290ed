/* UniqueFragmentNamesRule.c: fragment names are unique in a document
 * (spec "Fragment Name Uniqueness"). */
#include "config.h"

#include "graphql/validation/rules.h"

typedef struct state {
    gql_vmap known; /* name -> NAME node */
} state;

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_FRAGMENT_DEFINITION)
        gql_vctx_unique_name(c, &s->known, node->name, "fragment");
    return GQL_RULE_SKIP;
}

const gql_rule gql_rule_UniqueFragmentNames = {
    .name = "UniqueFragmentNamesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_FRAGMENT_DEFINITION),
    .enter = enter,
};
