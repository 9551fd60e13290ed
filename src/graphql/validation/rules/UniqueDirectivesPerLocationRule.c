/* UniqueDirectivesPerLocationRule.c: a non-repeatable directive appears at
 * most once per location (spec "Directives Are Unique Per Location"). */
#include "config.h"

#include "graphql/validation/rules.h"

typedef struct state {
    gql_vmap unique;      /* directive name -> (void *)1 unique, (void *)2 repeatable */
    gql_vmap schema_seen; /* shared by schema definitions and extensions */
    gql_vmap type_seen;   /* type name -> gql_vmap * */
} state;

static void init(gql_vctx *c, void *st)
{
    state *s = st;
    for (uint32_t i = 0; i < c->schema->ndirectives; i++) {
        const gql_directive *d = c->schema->directives[i];
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &s->unique, d->name, d->name_len, 1);
        if (!slot)
            goto oom;
        slot->value = (const void *)(uintptr_t)(d->repeatable ? 2 : 1);
    }
    const gql_list *defs = &c->doc->root->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *d = defs->items[i];
        if (d->kind != GQL_DIRECTIVE_DEFINITION)
            continue;
        gql_vmap_slot *slot =
            gql_vmap_name(c->arena, &s->unique, d->name->value, d->name->value_len, 1);
        if (!slot)
            goto oom;
        slot->value = (const void *)(uintptr_t)((d->flags & GQL_FLAG_REPEATABLE) ? 2 : 1);
    }
    return;
oom:
    gql_vctx_oom(c);
}

static int is_type_def_or_ext(gql_kind k)
{
    switch (k) {
    case GQL_SCALAR_TYPE_DEFINITION: case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_DEFINITION: case GQL_UNION_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_DEFINITION: case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION: case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_EXTENSION: case GQL_UNION_TYPE_EXTENSION:
    case GQL_ENUM_TYPE_EXTENSION: case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        return 1;
    default:
        return 0;
    }
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (!GQL_NODE_HAS(node->kind, directives) || node->directives.count == 0)
        return GQL_RULE_CONTINUE;
    gql_vmap local = {0};
    gql_vmap *seen = &local;
    if (node->kind == GQL_SCHEMA_DEFINITION || node->kind == GQL_SCHEMA_EXTENSION) {
        seen = &s->schema_seen;
    } else if (is_type_def_or_ext((gql_kind)node->kind)) {
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &s->type_seen, node->name->value,
                                            node->name->value_len, 1);
        if (!slot || (!slot->value && !(slot->value = gql_arena_zalloc(c->arena, sizeof(gql_vmap))))) {
            gql_vctx_oom(c);
            return GQL_RULE_CONTINUE;
        }
        seen = (gql_vmap *)slot->value;
    }
    for (uint32_t i = 0; i < node->directives.count && !c->aborted; i++) {
        const gql_node *d = node->directives.items[i];
        const gql_node *n = d->name;
        if ((uintptr_t)gql_vmap_get_name(&s->unique, n->value, n->value_len) != 1)
            continue;
        gql_vmap_slot *slot = gql_vmap_name(c->arena, seen, n->value, n->value_len, 1);
        if (!slot) {
            gql_vctx_oom(c);
            return GQL_RULE_CONTINUE;
        }
        if (slot->value) {
            const gql_node *nodes[2] = {slot->value, d};
            gql_vctx_reportf(c, nodes, 2,
                             "The directive \"@%s\" can only be used once at this location.",
                             n->value);
        } else {
            slot->value = d;
        }
    }
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_UniqueDirectivesPerLocation = {
    .name = "UniqueDirectivesPerLocationRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_VARIABLE_DEFINITION) |
                   GQL_KBIT(GQL_FIELD) | GQL_KBIT(GQL_FRAGMENT_SPREAD) |
                   GQL_KBIT(GQL_INLINE_FRAGMENT) | GQL_KBIT(GQL_FRAGMENT_DEFINITION) |
                   GQL_KBIT(GQL_SCHEMA_DEFINITION) | GQL_KBIT(GQL_SCHEMA_EXTENSION) |
                   GQL_KBIT(GQL_SCALAR_TYPE_DEFINITION) | GQL_KBIT(GQL_OBJECT_TYPE_DEFINITION) |
                   GQL_KBIT(GQL_FIELD_DEFINITION) | GQL_KBIT(GQL_INPUT_VALUE_DEFINITION) |
                   GQL_KBIT(GQL_INTERFACE_TYPE_DEFINITION) | GQL_KBIT(GQL_UNION_TYPE_DEFINITION) |
                   GQL_KBIT(GQL_ENUM_TYPE_DEFINITION) | GQL_KBIT(GQL_ENUM_VALUE_DEFINITION) |
                   GQL_KBIT(GQL_INPUT_OBJECT_TYPE_DEFINITION) |
                   GQL_KBIT(GQL_SCALAR_TYPE_EXTENSION) | GQL_KBIT(GQL_OBJECT_TYPE_EXTENSION) |
                   GQL_KBIT(GQL_INTERFACE_TYPE_EXTENSION) | GQL_KBIT(GQL_UNION_TYPE_EXTENSION) |
                   GQL_KBIT(GQL_ENUM_TYPE_EXTENSION) | GQL_KBIT(GQL_INPUT_OBJECT_TYPE_EXTENSION),
    .init = init,
    .enter = enter,
};
