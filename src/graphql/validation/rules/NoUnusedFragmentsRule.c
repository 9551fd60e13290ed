/* NoUnusedFragmentsRule.c: every fragment defined is used by some operation,
 * directly or through other fragments (spec "Fragments Must Be Used"). */
#include "config.h"

#include "graphql/validation/rules.h"

typedef struct state {
    gql_vec operations;
    gql_vec fragments;
} state;

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (gql_vec_push(c->arena,
                     node->kind == GQL_OPERATION_DEFINITION ? &s->operations : &s->fragments,
                     node))
        gql_vctx_oom(c);
    return GQL_RULE_SKIP;
}

static void leave(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    (void)node;
    const gql_vec *used = gql_vctx_recursive_fragments_for(c, &s->operations);
    if (c->aborted)
        return;
    gql_vmap names = {0};
    for (uint32_t i = 0; i < used->count; i++) {
        const gql_node *n = ((const gql_node *)used->items[i])->name;
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &names, n->value, n->value_len, 1);
        if (!slot) {
            gql_vctx_oom(c);
            return;
        }
        slot->value = n;
    }
    for (uint32_t i = 0; i < s->fragments.count; i++) {
        const gql_node *f = s->fragments.items[i];
        if (!gql_vmap_get_name(&names, f->name->value, f->name->value_len))
            gql_vctx_report1f(c, f, "Fragment \"%s\" is never used.", f->name->value);
    }
}

const gql_rule gql_rule_NoUnusedFragments = {
    .name = "NoUnusedFragmentsRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_FRAGMENT_DEFINITION),
    .leave_kinds = GQL_KBIT(GQL_DOCUMENT),
    .enter = enter,
    .leave = leave,
};
