/* UniqueArgumentNamesRule.c: a field or directive is given each argument
 * once (spec "Argument Uniqueness"). */
#include "config.h"

#include "graphql/validation/rules.h"

static const gql_node *argument_name(const gql_node *arg)
{
    return arg->name;
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    gql_vctx_report_repeated_names(c, &node->arguments, argument_name, "argument", "");
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_UniqueArgumentNames = {
    .name = "UniqueArgumentNamesRule",
    .enter_kinds = GQL_KBIT(GQL_FIELD) | GQL_KBIT(GQL_DIRECTIVE),
    .enter = enter,
};
