/* KnownDirectivesRule.c: directives are defined and used where their
 * definition allows (spec "Directives Are Defined", "...In Valid Locations"). */
#include "config.h"

#include "graphql/validation/rules.h"

typedef struct state {
    gql_vmap locations; /* directive name -> uint32_t * mask of locations */
} state;

static int put(gql_vctx *c, state *s, const char *name, size_t len, uint32_t mask)
{
    uint32_t *m = gql_arena_alloc(c->arena, sizeof *m);
    gql_vmap_slot *slot = m ? gql_vmap_name(c->arena, &s->locations, name, len, 1) : NULL;
    if (!slot)
        return -1;
    *m = mask;
    slot->value = m;
    return 0;
}

static void init(gql_vctx *c, void *st)
{
    state *s = st;
    for (uint32_t i = 0; i < c->schema->ndirectives; i++) {
        const gql_directive *d = c->schema->directives[i];
        if (put(c, s, d->name, d->name_len, d->location_mask))
            goto oom;
    }
    const gql_list *defs = &c->doc->root->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *d = defs->items[i];
        if (d->kind != GQL_DIRECTIVE_DEFINITION)
            continue;
        uint32_t mask = 0;
        for (uint32_t j = 0; j < d->locations.count; j++) {
            const gql_node *l = d->locations.items[j];
            int loc = gql_directive_location_from_name(l->value, l->value_len);
            if (loc >= 0)
                mask |= 1u << loc;
        }
        if (put(c, s, d->name->value, d->name->value_len, mask))
            goto oom;
    }
    return;
oom:
    gql_vctx_oom(c);
}

static int location_for(const gql_vctx *c, const gql_node *applied)
{
    switch ((gql_kind)applied->kind) {
    case GQL_OPERATION_DEFINITION:
        return applied->operation == GQL_OP_QUERY      ? GQL_DLOC_QUERY
               : applied->operation == GQL_OP_MUTATION ? GQL_DLOC_MUTATION
                                                       : GQL_DLOC_SUBSCRIPTION;
    case GQL_FIELD: return GQL_DLOC_FIELD;
    case GQL_FRAGMENT_SPREAD: return GQL_DLOC_FRAGMENT_SPREAD;
    case GQL_INLINE_FRAGMENT: return GQL_DLOC_INLINE_FRAGMENT;
    case GQL_FRAGMENT_DEFINITION: return GQL_DLOC_FRAGMENT_DEFINITION;
    case GQL_VARIABLE_DEFINITION: return GQL_DLOC_VARIABLE_DEFINITION;
    case GQL_SCHEMA_DEFINITION:
    case GQL_SCHEMA_EXTENSION: return GQL_DLOC_SCHEMA;
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION: return GQL_DLOC_SCALAR;
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_EXTENSION: return GQL_DLOC_OBJECT;
    case GQL_FIELD_DEFINITION: return GQL_DLOC_FIELD_DEFINITION;
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_EXTENSION: return GQL_DLOC_INTERFACE;
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_UNION_TYPE_EXTENSION: return GQL_DLOC_UNION;
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_EXTENSION: return GQL_DLOC_ENUM;
    case GQL_ENUM_VALUE_DEFINITION: return GQL_DLOC_ENUM_VALUE;
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION: return GQL_DLOC_INPUT_OBJECT;
    case GQL_INPUT_VALUE_DEFINITION: {
        const gql_node *owner = gql_vctx_ancestor(c, 2);
        return owner && owner->kind == GQL_INPUT_OBJECT_TYPE_DEFINITION
                   ? GQL_DLOC_INPUT_FIELD_DEFINITION
                   : GQL_DLOC_ARGUMENT_DEFINITION;
    }
    case GQL_DIRECTIVE_DEFINITION: return GQL_DLOC_DIRECTIVE_DEFINITION;
    default: return -1;
    }
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    const gql_node *n = node->name;
    const uint32_t *mask = gql_vmap_get_name(&s->locations, n->value, n->value_len);
    if (!mask) {
        gql_vctx_report1f(c, node, "Unknown directive \"@%s\".", n->value);
        return GQL_RULE_CONTINUE;
    }
    const gql_node *applied = gql_vctx_ancestor(c, 1);
    int loc = applied ? location_for(c, applied) : -1;
    if (loc >= 0 && !(*mask & (1u << loc)))
        gql_vctx_report1f(c, node, "Directive \"@%s\" may not be used on %s.", n->value,
                          gql_directive_location_name((gql_directive_location)loc));
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_KnownDirectives = {
    .name = "KnownDirectivesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_DIRECTIVE),
    .init = init,
    .enter = enter,
};
