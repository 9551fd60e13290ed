/* KnownArgumentNamesRule.c: arguments given to fields and directives are
 * defined by them, with "Did you mean" suggestions (spec "Argument Names"). */
#include "config.h"

#include "graphql/validation/rules.h"
#include "graphql/suggestion.h"

typedef struct state {
    gql_vmap directive_args; /* directive name -> gql_vec of const char * */
} state;

static void init(gql_vctx *c, void *st)
{
    state *s = st;
    for (uint32_t i = 0; i < c->schema->ndirectives; i++) {
        const gql_directive *d = c->schema->directives[i];
        gql_vec *v = gql_arena_zalloc(c->arena, sizeof *v);
        gql_vmap_slot *slot =
            v ? gql_vmap_name(c->arena, &s->directive_args, d->name, d->name_len, 1) : NULL;
        if (!slot)
            goto oom;
        for (uint32_t j = 0; j < d->nargs; j++)
            if (gql_vec_push(c->arena, v, d->args[j].name))
                goto oom;
        slot->value = v;
    }
    const gql_list *defs = &c->doc->root->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *d = defs->items[i];
        if (d->kind != GQL_DIRECTIVE_DEFINITION)
            continue;
        gql_vec *v = gql_arena_zalloc(c->arena, sizeof *v);
        gql_vmap_slot *slot = v ? gql_vmap_name(c->arena, &s->directive_args, d->name->value,
                                                d->name->value_len, 1)
                                : NULL;
        if (!slot)
            goto oom;
        for (uint32_t j = 0; j < d->arguments.count; j++)
            if (gql_vec_push(c->arena, v, d->arguments.items[j]->name->value))
                goto oom;
        slot->value = v;
    }
    return;
oom:
    gql_vctx_oom(c);
}

static void report(gql_vctx *c, const gql_node *arg, const char *prefix, const char *owner,
                   const char *const *names, size_t n)
{
    const char **out = gql_arena_alloc(c->arena, (n + 1) * sizeof *out);
    if (!out) {
        gql_vctx_oom(c);
        return;
    }
    size_t k = gql_suggestion_list(arg->name->value, names, n, out);
    gql_buf b = GQL_BUF_INIT;
    gql_buf_printf(&b, "Unknown argument \"%s\" on %s \"%s\".", arg->name->value, prefix, owner);
    gql_did_you_mean(&b, NULL, out, k);
    gql_vctx_report_buf(c, &b, &arg, 1);
    gql_buf_free(&b);
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_DIRECTIVE) {
        const gql_node *n = node->name;
        const gql_vec *known = gql_vmap_get_name(&s->directive_args, n->value, n->value_len);
        if (!known)
            return GQL_RULE_SKIP;
        for (uint32_t i = 0; i < node->arguments.count && !c->aborted; i++) {
            const gql_node *arg = node->arguments.items[i];
            int found = 0;
            for (uint32_t j = 0; j < known->count && !found; j++)
                found = gql_name_eq(arg->name, known->items[j], strlen(known->items[j]));
            if (!found) {
                const char *owner = gql_arena_printf(c->arena, "@%s", n->value);
                if (!owner) {
                    gql_vctx_oom(c);
                    break;
                }
                report(c, arg, "directive", owner, (const char *const *)known->items,
                       known->count);
            }
        }
        return GQL_RULE_SKIP;
    }
    const gql_field *f = gql_typeinfo_field_def(&c->ti);
    const gql_type *parent = gql_typeinfo_parent_type(&c->ti);
    if (c->ti.argument || !f || !parent)
        return GQL_RULE_CONTINUE;
    const char **names = gql_arena_alloc(c->arena, (f->nargs + 1) * sizeof *names);
    const char *owner = gql_arena_printf(c->arena, "%s.%s", parent->name, f->name);
    if (!names || !owner) {
        gql_vctx_oom(c);
        return GQL_RULE_CONTINUE;
    }
    for (uint32_t i = 0; i < f->nargs; i++)
        names[i] = f->args[i].name;
    report(c, node, "field", owner, names, f->nargs);
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_KnownArgumentNames = {
    .name = "KnownArgumentNamesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_DIRECTIVE) | GQL_KBIT(GQL_ARGUMENT),
    .init = init,
    .enter = enter,
};
