/* UniqueInputFieldNamesRule.c: an input object literal gives each field
 * once (spec "Input Object Field Uniqueness"). */
#include "config.h"

#include "graphql/validation/rules.h"

typedef struct state {
    gql_vec stack; /* gql_vmap * per open object value */
} state;

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_OBJECT) {
        gql_vmap *m = gql_arena_zalloc(c->arena, sizeof *m);
        if (!m || gql_vec_push(c->arena, &s->stack, m))
            gql_vctx_oom(c);
        return GQL_RULE_CONTINUE;
    }
    if (!s->stack.count)
        return GQL_RULE_CONTINUE;
    gql_vmap *m = (gql_vmap *)s->stack.items[s->stack.count - 1];
    const gql_node *n = node->name;
    gql_vmap_slot *slot = gql_vmap_name(c->arena, m, n->value, n->value_len, 1);
    if (!slot) {
        gql_vctx_oom(c);
    } else if (slot->value) {
        const gql_node *nodes[2] = {slot->value, n};
        gql_vctx_reportf(c, nodes, 2, "There can be only one input field named \"%s\".",
                         n->value);
    } else {
        slot->value = n;
    }
    return GQL_RULE_CONTINUE;
}

static void leave(gql_vctx *c, void *st, const gql_node *node)
{
    (void)c;
    (void)node;
    state *s = st;
    if (s->stack.count)
        s->stack.count--;
}

const gql_rule gql_rule_UniqueInputFieldNames = {
    .name = "UniqueInputFieldNamesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OBJECT) | GQL_KBIT(GQL_OBJECT_FIELD),
    .leave_kinds = GQL_KBIT(GQL_OBJECT),
    .enter = enter,
    .leave = leave,
};
