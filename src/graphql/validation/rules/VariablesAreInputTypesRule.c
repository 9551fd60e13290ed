/* VariablesAreInputTypesRule.c: variables are of input types (scalars,
 * enums, input objects) (spec "Variables Are Input Types"). */
#include "config.h"

#include "graphql/validation/rules.h"

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    const gql_type_ref *t = gql_type_from_ast(c->schema, c->arena, node->type);
    if (t && !gql_type_is_input(t->named))
        gql_vctx_report1f(c, node->type, "Variable \"$%s\" cannot be non-input type \"%s\".",
                          node->variable->name->value, gql_vprint_str(c, node->type));
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_VariablesAreInputTypes = {
    .name = "VariablesAreInputTypesRule",
    .enter_kinds = GQL_KBIT(GQL_VARIABLE_DEFINITION),
    .enter = enter,
};
