/* PossibleFragmentSpreadsRule.c: a fragment is spread only where its type
 * can apply (spec "Fragment spread is possible"). */
#include "config.h"

#include "graphql/validation/rules.h"

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    const gql_type *parent = gql_typeinfo_parent_type(&c->ti);
    if (node->kind == GQL_INLINE_FRAGMENT) {
        const gql_type_ref *ft = gql_typeinfo_type(&c->ti);
        if (ft && ft->kind == GQL_REF_NAMED && gql_type_is_composite(ft->named) && parent &&
            gql_type_is_composite(parent) &&
            !gql_schema_types_overlap(c->schema, ft->named, parent))
            gql_vctx_report1f(c, node,
                              "Fragment cannot be spread here as objects of type \"%s\" can "
                              "never be of type \"%s\".",
                              parent->name, ft->named->name);
        return GQL_RULE_CONTINUE;
    }
    const gql_node *n = node->name;
    const gql_node *frag = gql_vctx_fragment(c, n->value, n->value_len);
    if (!frag || !parent)
        return GQL_RULE_CONTINUE;
    const gql_type_ref *ft = gql_type_from_ast(c->schema, c->arena, frag->type_condition);
    if (!ft || !gql_type_is_composite(ft->named))
        return GQL_RULE_CONTINUE;
    if (!gql_schema_types_overlap(c->schema, ft->named, parent))
        gql_vctx_report1f(c, node,
                          "Fragment \"%s\" cannot be spread here as objects of type \"%s\" can "
                          "never be of type \"%s\".",
                          n->value, parent->name, ft->named->name);
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_PossibleFragmentSpreads = {
    .name = "PossibleFragmentSpreadsRule",
    .enter_kinds = GQL_KBIT(GQL_INLINE_FRAGMENT) | GQL_KBIT(GQL_FRAGMENT_SPREAD),
    .enter = enter,
};
