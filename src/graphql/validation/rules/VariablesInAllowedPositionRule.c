/* VariablesInAllowedPositionRule.c: each variable usage fits its position's
 * type (nullability, defaults, @oneOf fields) (spec "All Variable Usages
 * Are Allowed"). */
#include "config.h"

#include "graphql/validation/rules.h"

#include <string.h>

typedef struct state {
    gql_vmap defs; /* variable name -> VARIABLE_DEFINITION (last wins) */
} state;

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_OPERATION_DEFINITION) {
        memset(&s->defs, 0, sizeof s->defs);
    } else {
        const gql_node *n = node->variable->name;
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &s->defs, n->value, n->value_len, 1);
        if (!slot)
            gql_vctx_oom(c);
        else
            slot->value = node;
    }
    return GQL_RULE_CONTINUE;
}

static int allowed(const gql_schema *schema, const gql_type_ref *var_type,
                   const gql_node *var_default, const gql_type_ref *loc_type, int loc_default)
{
    if (loc_type->kind == GQL_REF_NON_NULL && var_type->kind != GQL_REF_NON_NULL) {
        int non_null_default = var_default && var_default->kind != GQL_NULL;
        if (!non_null_default && !loc_default)
            return 0;
        return gql_schema_is_type_sub_type_of(schema, var_type, loc_type->of_type);
    }
    return gql_schema_is_type_sub_type_of(schema, var_type, loc_type);
}

static void leave(gql_vctx *c, void *st, const gql_node *op)
{
    state *s = st;
    const gql_usage_list *u = gql_vctx_recursive_variable_usages(c, op);
    for (uint32_t i = 0; i < u->count && !c->aborted; i++) {
        const gql_var_usage *use = &u->items[i];
        const gql_node *n = use->node->name;
        const gql_node *def = gql_vmap_get_name(&s->defs, n->value, n->value_len);
        if (!def || !use->type)
            continue;
        const gql_type_ref *vt = gql_type_from_ast(c->schema, c->arena, def->type);
        const gql_node *nodes[2] = {def, use->node};
        if (vt && !allowed(c->schema, vt, def->default_value, use->type, use->has_default))
            gql_vctx_reportf(c, nodes, 2,
                             "Variable \"$%s\" of type \"%s\" used in position expecting type "
                             "\"%s\".",
                             n->value, gql_vtype_str(c, vt), gql_vtype_str(c, use->type));
        if (use->parent_type && gql_ref_is_named_kind(use->parent_type, GQL_TYPE_INPUT_OBJECT) &&
            use->parent_type->named->one_of && vt && vt->kind != GQL_REF_NON_NULL)
            gql_vctx_reportf(c, nodes, 2,
                             "Variable \"$%s\" is of type \"%s\" but must be non-nullable to be "
                             "used for OneOf Input Object \"%s\".",
                             n->value, gql_vtype_str(c, vt), use->parent_type->named->name);
    }
}

const gql_rule gql_rule_VariablesInAllowedPosition = {
    .name = "VariablesInAllowedPositionRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_VARIABLE_DEFINITION),
    .leave_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION),
    .enter = enter,
    .leave = leave,
};
