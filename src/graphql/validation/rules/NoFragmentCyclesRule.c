/* NoFragmentCyclesRule.c: fragment spreads form no cycle (spec "Fragment
 * spreads must not form cycles"), reported along the spread path. */
#include "config.h"

#include "graphql/validation/rules.h"

typedef struct state {
    gql_vmap visited;    /* fragment name -> non-NULL */
    gql_vec spread_path; /* FRAGMENT_SPREAD nodes */
    gql_vmap index;      /* fragment name -> (uintptr_t)(path index + 1), NULL = none */
} state;

static void detect(gql_vctx *c, state *s, const gql_node *frag)
{
    const gql_node *fn = frag->name;
    gql_vmap_slot *v = gql_vmap_name(c->arena, &s->visited, fn->value, fn->value_len, 1);
    if (!v) {
        gql_vctx_oom(c);
        return;
    }
    if (v->value)
        return;
    v->value = fn;
    const gql_vec *spreads = gql_vctx_fragment_spreads(c, frag->selection_set);
    if (spreads->count == 0)
        return;
    gql_vmap_slot *self = gql_vmap_name(c->arena, &s->index, fn->value, fn->value_len, 1);
    if (!self) {
        gql_vctx_oom(c);
        return;
    }
    self->value = (const void *)(uintptr_t)(s->spread_path.count + 1);
    for (uint32_t i = 0; i < spreads->count && !c->aborted; i++) {
        const gql_node *sp = spreads->items[i];
        const gql_node *sn = sp->name;
        uintptr_t cycle = (uintptr_t)gql_vmap_get_name(&s->index, sn->value, sn->value_len);
        if (gql_vec_push(c->arena, &s->spread_path, sp)) {
            gql_vctx_oom(c);
            return;
        }
        if (!cycle) {
            const gql_node *f = gql_vctx_fragment(c, sn->value, sn->value_len);
            if (f)
                detect(c, s, f);
        } else {
            uint32_t from = (uint32_t)cycle - 1;
            gql_buf b = GQL_BUF_INIT;
            gql_buf_printf(&b, "Cannot spread fragment \"%s\" within itself", sn->value);
            if (s->spread_path.count - from > 1) {
                gql_buf_puts(&b, " via ");
                for (uint32_t j = from; j + 1 < s->spread_path.count; j++) {
                    const gql_node *p = s->spread_path.items[j];
                    gql_buf_printf(&b, "%s\"%s\"", j > from ? ", " : "", p->name->value);
                }
            }
            gql_buf_putc(&b, '.');
            gql_vctx_report_buf(c, &b, (const gql_node *const *)s->spread_path.items + from,
                                s->spread_path.count - from);
            gql_buf_free(&b);
        }
        s->spread_path.count--;
    }
    /* Re-fetch: the map may have grown since. */
    self = gql_vmap_name(c->arena, &s->index, fn->value, fn->value_len, 0);
    if (self)
        self->value = NULL;
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    if (node->kind == GQL_FRAGMENT_DEFINITION)
        detect(c, st, node);
    return GQL_RULE_SKIP;
}

const gql_rule gql_rule_NoFragmentCycles = {
    .name = "NoFragmentCyclesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION) | GQL_KBIT(GQL_FRAGMENT_DEFINITION),
    .enter = enter,
};
