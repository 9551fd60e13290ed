/* ScalarLeafsRule.c: leaf fields have no selection set, composite fields
 * have a non-empty one (spec "Leaf Field Selections"). */
#include "config.h"

#include "graphql/validation/rules.h"

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    const gql_type_ref *t = gql_typeinfo_type(&c->ti);
    if (!t)
        return GQL_RULE_CONTINUE;
    const gql_node *ss = node->selection_set;
    const char *name = node->name->value;
    if (gql_type_is_leaf(t->named)) {
        if (ss)
            gql_vctx_report1f(c, ss,
                              "Field \"%s\" must not have a selection since type \"%s\" "
                              "has no subfields.",
                              name, gql_vtype_str(c, t));
    } else if (!ss) {
        gql_vctx_report1f(c, node,
                          "Field \"%s\" of type \"%s\" must have a selection of subfields. "
                          "Did you mean \"%s { ... }\"?",
                          name, gql_vtype_str(c, t), name);
    } else if (ss->selections.count == 0) {
        gql_vctx_report1f(c, node,
                          "Field \"%s\" of type \"%s\" must have at least one field selected.",
                          name, gql_vtype_str(c, t));
    }
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_ScalarLeafs = {
    .name = "ScalarLeafsRule",
    .enter_kinds = GQL_KBIT(GQL_FIELD),
    .enter = enter,
};
