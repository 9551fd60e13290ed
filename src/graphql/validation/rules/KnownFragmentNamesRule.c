/* KnownFragmentNamesRule.c: every fragment spread names a fragment defined
 * in the document (spec "Fragment spread target defined"). */
#include "config.h"

#include "graphql/validation/rules.h"

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    const gql_node *n = node->name;
    if (!gql_vctx_fragment(c, n->value, n->value_len))
        gql_vctx_report1f(c, n, "Unknown fragment \"%s\".", n->value);
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_KnownFragmentNames = {
    .name = "KnownFragmentNamesRule",
    .enter_kinds = GQL_KBIT(GQL_FRAGMENT_SPREAD),
    .enter = enter,
};
