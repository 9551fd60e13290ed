/* KnownTypeNamesRule.c: every named type reference exists in the schema
 * (or the document), with "Did you mean" suggestions (spec "Fragment Spread
 * Type Existence"). */
#include "config.h"

#include "graphql/validation/rules.h"
#include "graphql/suggestion.h"

#include <stdlib.h>
#include <string.h>

typedef struct state {
    gql_vmap defined;  /* type names defined by the document */
    gql_vec names;     /* schema type names, then the document's (const char *) */
} state;

static const char *const standard_names[] = {
    "String", "Int", "Float", "Boolean", "ID",
    "__Schema", "__Directive", "__DirectiveLocation", "__Type", "__Field",
    "__InputValue", "__EnumValue", "__TypeKind",
};
#define NSTANDARD (sizeof standard_names / sizeof standard_names[0])

static int is_type_definition(gql_kind k)
{
    return k == GQL_SCALAR_TYPE_DEFINITION || k == GQL_OBJECT_TYPE_DEFINITION ||
           k == GQL_INTERFACE_TYPE_DEFINITION || k == GQL_UNION_TYPE_DEFINITION ||
           k == GQL_ENUM_TYPE_DEFINITION || k == GQL_INPUT_OBJECT_TYPE_DEFINITION;
}

static void init(gql_vctx *c, void *st)
{
    state *s = st;
    for (uint32_t i = 0; i < c->schema->ntypes; i++)
        if (gql_vec_push(c->arena, &s->names, c->schema->types[i]->name))
            goto oom;
    const gql_list *defs = &c->doc->root->definitions;
    for (uint32_t i = 0; i < defs->count; i++) {
        const gql_node *d = defs->items[i];
        if (!is_type_definition((gql_kind)d->kind))
            continue;
        gql_vmap_slot *slot =
            gql_vmap_name(c->arena, &s->defined, d->name->value, d->name->value_len, 1);
        if (!slot)
            goto oom;
        if (!slot->value) {
            slot->value = d;
            if (!gql_schema_find_type(c->schema, d->name->value, d->name->value_len) &&
                gql_vec_push(c->arena, &s->names, d->name->value))
                goto oom;
        }
    }
    return;
oom:
    gql_vctx_oom(c);
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    const gql_node *n = node->name;
    if (gql_schema_find_type(c->schema, n->value, n->value_len) ||
        gql_vmap_get_name(&s->defined, n->value, n->value_len))
        return GQL_RULE_CONTINUE;
    const gql_node *def = c->path.count > 1 ? c->path.items[1] : gql_vctx_ancestor(c, 1);
    int is_sdl = def && (gql_kind_is_type_system_definition((gql_kind)def->kind) ||
                         gql_kind_is_type_system_extension((gql_kind)def->kind));
    if (is_sdl) {
        for (size_t i = 0; i < NSTANDARD; i++)
            if (strcmp(standard_names[i], n->value) == 0)
                return GQL_RULE_CONTINUE;
    }
    size_t nopts = s->names.count + (is_sdl ? NSTANDARD : 0);
    const char **opts = gql_arena_alloc(c->arena, (nopts + 1) * sizeof *opts);
    const char **out = gql_arena_alloc(c->arena, (nopts + 1) * sizeof *out);
    if (!opts || !out) {
        gql_vctx_oom(c);
        return GQL_RULE_CONTINUE;
    }
    size_t k = 0;
    if (is_sdl)
        for (size_t i = 0; i < NSTANDARD; i++)
            opts[k++] = standard_names[i];
    for (uint32_t i = 0; i < s->names.count; i++)
        opts[k++] = s->names.items[i];
    size_t nout = gql_suggestion_list(n->value, opts, k, out);
    gql_buf b = GQL_BUF_INIT;
    gql_buf_printf(&b, "Unknown type \"%s\".", n->value);
    gql_did_you_mean(&b, NULL, out, nout);
    gql_vctx_report_buf(c, &b, &node, 1);
    gql_buf_free(&b);
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_KnownTypeNames = {
    .name = "KnownTypeNamesRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_NAMED_TYPE),
    .init = init,
    .enter = enter,
};
