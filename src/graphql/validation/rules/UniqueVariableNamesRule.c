/* UniqueVariableNamesRule.c: an operation defines each variable once
 * (spec "Variable Uniqueness"). */
#include "config.h"

#include "graphql/validation/rules.h"

static const gql_node *variable_name(const gql_node *def)
{
    return def->variable->name;
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    gql_vctx_report_repeated_names(c, &node->variable_definitions, variable_name, "variable", "$");
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_UniqueVariableNames = {
    .name = "UniqueVariableNamesRule",
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION),
    .enter = enter,
};
