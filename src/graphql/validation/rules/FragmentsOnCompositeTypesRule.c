/* FragmentsOnCompositeTypesRule.c: fragments condition only on objects,
 * interfaces and unions (spec "Fragments On Composite Types"). */
#include "config.h"

#include "graphql/validation/rules.h"

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    const gql_node *tc = node->type_condition;
    if (!tc)
        return GQL_RULE_CONTINUE;
    const gql_type_ref *t = gql_type_from_ast(c->schema, c->arena, tc);
    if (!t || gql_type_is_composite(t->named))
        return GQL_RULE_CONTINUE;
    if (node->kind == GQL_INLINE_FRAGMENT)
        gql_vctx_report1f(c, tc, "Fragment cannot condition on non composite type \"%s\".",
                          gql_vprint_str(c, tc));
    else
        gql_vctx_report1f(c, tc,
                          "Fragment \"%s\" cannot condition on non composite type \"%s\".",
                          node->name->value, gql_vprint_str(c, tc));
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_FragmentsOnCompositeTypes = {
    .name = "FragmentsOnCompositeTypesRule",
    .enter_kinds = GQL_KBIT(GQL_INLINE_FRAGMENT) | GQL_KBIT(GQL_FRAGMENT_DEFINITION),
    .enter = enter,
};
