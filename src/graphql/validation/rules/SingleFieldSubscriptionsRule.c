/* SingleFieldSubscriptionsRule.c: a subscription selects exactly one root
 * field, not an introspection one, after graphql-js collectFields with no
 * variables (spec "Single root field"). */
#include "config.h"

#include "graphql/validation/rules.h"

#include <stdio.h>
#include <string.h>

typedef struct state {
    int fragments_ready; /* graphql-js spends its work once, on first use */
} state;

typedef struct collect {
    gql_vctx *c;
    const gql_type *runtime;
    gql_vec keys;    /* response keys (NAME nodes) in first-seen order */
    gql_vmap fields; /* response key -> gql_vec of FIELD */
    gql_vmap visited_fragments;
} collect;

static int spend_selection_set(gql_vctx *c, const gql_node *set)
{
    if (gql_vctx_spend(c, set->selections.count))
        return 1;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gql_node *sel = set->selections.items[i];
        if (gql_vctx_spend(c, sel->directives.count))
            return 1;
        for (uint32_t j = 0; j < sel->directives.count; j++) {
            const gql_node *d = sel->directives.items[j];
            if ((gql_name_eq(d->name, "skip", 4) || gql_name_eq(d->name, "include", 7)) &&
                gql_vctx_spend(c, d->arguments.count))
                return 1;
        }
    }
    return 0;
}

/* graphql-js getDirectiveValues(@skip/@include, node, {}).if: 1 true,
 * 0 false, -1 no such directive; throws like getArgumentValues. */
static int directive_if(gql_vctx *c, const gql_node *sel, const char *name, size_t len)
{
    const gql_node *dir = NULL;
    for (uint32_t i = 0; i < sel->directives.count && !dir; i++)
        if (gql_name_eq(sel->directives.items[i]->name, name, len))
            dir = sel->directives.items[i];
    if (!dir)
        return -1;
    const gql_node *arg = NULL;
    for (uint32_t i = 0; i < dir->arguments.count; i++)
        if (gql_name_eq(dir->arguments.items[i]->name, "if", 2))
            arg = dir->arguments.items[i]; /* keyMap: the last one wins */
    if (!arg) {
        gql_vctx_throw(c, "Argument \"if\" of required type \"Boolean!\" was not provided.", dir);
        return -1;
    }
    const gql_node *v = arg->value_node;
    char msg[512];
    if (v->kind == GQL_VARIABLE) {
        snprintf(msg, sizeof msg,
                 "Argument \"if\" of required type \"Boolean!\" was provided the variable "
                 "\"$%s\" which was not provided a runtime value.",
                 v->name->value);
        gql_vctx_throw(c, msg, v);
        return -1;
    }
    if (v->kind == GQL_NULL) {
        gql_vctx_throw(c, "Argument \"if\" of non-null type \"Boolean!\" must not be null.", v);
        return -1;
    }
    if (v->kind != GQL_BOOLEAN) {
        gql_buf b = GQL_BUF_INIT;
        gql_buf_puts(&b, "Argument \"if\" has invalid value ");
        gql_vprint(&b, v);
        gql_buf_putc(&b, '.');
        if (b.oom)
            gql_vctx_oom(c);
        else
            gql_vctx_throw(c, b.data, v);
        gql_buf_free(&b);
        return -1;
    }
    return (v->flags & GQL_FLAG_TRUE) != 0;
}

static int should_include(gql_vctx *c, const gql_node *sel)
{
    if (directive_if(c, sel, "skip", 4) == 1)
        return 0;
    if (c->aborted)
        return 0;
    if (directive_if(c, sel, "include", 7) == 0)
        return 0;
    return !c->aborted;
}

static int condition_matches(collect *k, const gql_node *frag)
{
    if (!frag->type_condition)
        return 1;
    const gql_type_ref *t = gql_type_from_ast(k->c->schema, k->c->arena, frag->type_condition);
    if (!t)
        return 0;
    if (t->named == k->runtime)
        return 1;
    if (gql_type_is_abstract(t->named))
        return gql_schema_is_sub_type(k->c->schema, t->named, k->runtime);
    return 0;
}

static void collect_fields(collect *k, const gql_node *set)
{
    gql_vctx *c = k->c;
    if (spend_selection_set(c, set))
        return;
    for (uint32_t i = 0; i < set->selections.count && !c->aborted; i++) {
        const gql_node *sel = set->selections.items[i];
        switch (sel->kind) {
        case GQL_FIELD: {
            if (!should_include(c, sel))
                continue;
            const gql_node *key = sel->alias ? sel->alias : sel->name;
            gql_vmap_slot *slot =
                gql_vmap_name(c->arena, &k->fields, key->value, key->value_len, 1);
            if (!slot) {
                gql_vctx_oom(c);
                return;
            }
            gql_vec *list = (gql_vec *)slot->value;
            if (!list) {
                list = gql_arena_zalloc(c->arena, sizeof *list);
                if (!list || gql_vec_push(c->arena, &k->keys, key)) {
                    gql_vctx_oom(c);
                    return;
                }
                slot->value = list;
            }
            if (gql_vec_push(c->arena, list, sel))
                gql_vctx_oom(c);
            break;
        }
        case GQL_INLINE_FRAGMENT:
            if (!should_include(c, sel) || !condition_matches(k, sel))
                continue;
            collect_fields(k, sel->selection_set);
            break;
        case GQL_FRAGMENT_SPREAD: {
            const gql_node *n = sel->name;
            if (gql_vmap_get_name(&k->visited_fragments, n->value, n->value_len) ||
                !should_include(c, sel))
                continue;
            gql_vmap_slot *slot =
                gql_vmap_name(c->arena, &k->visited_fragments, n->value, n->value_len, 1);
            if (!slot) {
                gql_vctx_oom(c);
                return;
            }
            slot->value = n;
            const gql_node *frag = gql_vctx_fragment(c, n->value, n->value_len);
            if (!frag || !condition_matches(k, frag))
                continue;
            collect_fields(k, frag->selection_set);
            break;
        }
        default:
            break;
        }
    }
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    state *s = st;
    if (node->operation != GQL_OP_SUBSCRIPTION || !c->schema->subscription)
        return GQL_RULE_CONTINUE;
    if (!s->fragments_ready) {
        s->fragments_ready = 1;
        if (gql_vctx_spend(c, c->doc->root->definitions.count))
            return GQL_RULE_CONTINUE;
    }
    collect k;
    memset(&k, 0, sizeof k);
    k.c = c;
    k.runtime = c->schema->subscription;
    collect_fields(&k, node->selection_set);
    if (c->aborted)
        return GQL_RULE_CONTINUE;
    const char *op = node->name ? node->name->value : NULL;
    if (k.keys.count > 1) {
        gql_vec extra = {0};
        for (uint32_t i = 1; i < k.keys.count; i++) {
            const gql_node *key = k.keys.items[i];
            const gql_vec *list = gql_vmap_get_name(&k.fields, key->value, key->value_len);
            for (uint32_t j = 0; j < list->count; j++)
                if (gql_vec_push(c->arena, &extra, list->items[j])) {
                    gql_vctx_oom(c);
                    return GQL_RULE_CONTINUE;
                }
        }
        if (op)
            gql_vctx_reportf(c, (const gql_node *const *)extra.items, extra.count,
                             "Subscription \"%s\" must select only one top level field.", op);
        else
            gql_vctx_reportf(c, (const gql_node *const *)extra.items, extra.count,
                             "Anonymous Subscription must select only one top level field.");
    }
    for (uint32_t i = 0; i < k.keys.count; i++) {
        const gql_node *key = k.keys.items[i];
        const gql_vec *list = gql_vmap_get_name(&k.fields, key->value, key->value_len);
        const gql_node *first = list->items[0];
        if (strncmp(first->name->value, "__", 2) != 0)
            continue;
        if (op)
            gql_vctx_reportf(c, (const gql_node *const *)list->items, list->count,
                             "Subscription \"%s\" must not select an introspection top "
                             "level field.",
                             op);
        else
            gql_vctx_reportf(c, (const gql_node *const *)list->items, list->count,
                             "Anonymous Subscription must not select an introspection top "
                             "level field.");
    }
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_SingleFieldSubscriptions = {
    .name = "SingleFieldSubscriptionsRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_OPERATION_DEFINITION),
    .enter = enter,
};
