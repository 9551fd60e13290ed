/* ProvidedRequiredArgumentsRule.c: required (non-null, no default) arguments
 * of fields and directives are given (spec "Required Arguments"). */
#include "config.h"

#include "graphql/validation/rules.h"

/* A required argument of a directive: from the schema or from a directive
 * definition in the document. */
typedef struct req_arg {
    const char *name;
    size_t len;
    const gql_type_ref *type;  /* schema argument */
    const gql_node *type_node; /* document definition */
} req_arg;

typedef struct req_list {
    req_arg *items;
    uint32_t count;
} req_list;

typedef struct state {
    gql_vmap required; /* directive name -> req_list * */
} state;

static void init(gql_vctx *c, void *st)
{
    state *s = st;
    for (uint32_t i = 0; i < c->schema->ndirectives; i++) {
        const gql_directive *d = c->schema->directives[i];
        req_list *l = gql_arena_zalloc(c->arena, sizeof *l);
        if (l)
            l->items = gql_arena_zalloc(c->arena, (d->nargs + 1) * sizeof *l->items);
        gql_vmap_slot *slot =
            l && l->items ? gql_vmap_name(c->arena, &s->required, d->name, d->name_len, 1) : NULL;
        if (!slot)
            goto oom;
        for (uint32_t j = 0; j < d->nargs; j++) {
            if (!gql_input_value_is_required(&d->args[j]))
                continue;
            req_arg *a = &l->items[l->count++];
            a->name = d->args[j].name;
            a->len = d->args[j].name_len;
            a->type = d->args[j].type;
        }
        slot->value = l;
    }
    const gql_list *defs = &c->doc->root->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *d = defs->items[i];
        if (d->kind != GQL_DIRECTIVE_DEFINITION)
            continue;
        req_list *l = gql_arena_zalloc(c->arena, sizeof *l);
        if (l)
            l->items = gql_arena_zalloc(c->arena, (d->arguments.count + 1) * sizeof *l->items);
        gql_vmap_slot *slot = l && l->items ? gql_vmap_name(c->arena, &s->required, d->name->value,
                                                            d->name->value_len, 1)
                                            : NULL;
        if (!slot)
            goto oom;
        for (uint32_t j = 0; j < d->arguments.count; j++) {
            const gql_node *a = d->arguments.items[j];
            if (a->type->kind != GQL_NON_NULL_TYPE || a->default_value)
                continue;
            /* keyMap: a later argument of the same name replaces in place. */
            req_arg *r = NULL;
            for (uint32_t k = 0; k < l->count && !r; k++)
                if (gql_name_eq(a->name, l->items[k].name, l->items[k].len))
                    r = &l->items[k];
            if (!r)
                r = &l->items[l->count++];
            r->name = a->name->value;
            r->len = a->name->value_len;
            r->type = NULL;
            r->type_node = a->type;
        }
        slot->value = l;
    }
    return;
oom:
    gql_vctx_oom(c);
}

static int provided(const gql_node *node, const char *name, size_t len)
{
    for (uint32_t i = 0; i < node->arguments.count; i++)
        if (gql_name_eq(node->arguments.items[i]->name, name, len))
            return 1;
    return 0;
}

static void leave(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->kind == GQL_FIELD) {
        const gql_field *f = gql_typeinfo_field_def(&c->ti);
        if (!f)
            return;
        for (uint32_t i = 0; i < f->nargs && !c->aborted; i++) {
            const gql_input_value *a = &f->args[i];
            if (provided(node, a->name, a->name_len) || !gql_input_value_is_required(a))
                continue;
            gql_vctx_report1f(c, node,
                              "Field \"%s\" argument \"%s\" of type \"%s\" is required, but it "
                              "was not provided.",
                              f->name, a->name, gql_vtype_str(c, a->type));
        }
        return;
    }
    const gql_node *n = node->name;
    const req_list *l = gql_vmap_get_name(&s->required, n->value, n->value_len);
    if (!l)
        return;
    for (uint32_t i = 0; i < l->count && !c->aborted; i++) {
        const req_arg *a = &l->items[i];
        if (provided(node, a->name, a->len))
            continue;
        const char *ts = a->type ? gql_vtype_str(c, a->type) : gql_vprint_str(c, a->type_node);
        gql_vctx_report1f(c, node,
                          "Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it "
                          "was not provided.",
                          n->value, a->name, ts);
    }
}

const gql_rule gql_rule_ProvidedRequiredArguments = {
    .name = "ProvidedRequiredArgumentsRule",
    .state_size = sizeof(state),
    .leave_kinds = GQL_KBIT(GQL_FIELD) | GQL_KBIT(GQL_DIRECTIVE),
    .init = init,
    .leave = leave,
};
