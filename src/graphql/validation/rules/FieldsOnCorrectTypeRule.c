/* FieldsOnCorrectTypeRule.c: selected fields exist on their parent type,
 * with graphql-js's type and field suggestions (spec "Field Selections"). */
#include "config.h"

#include "graphql/validation/rules.h"
#include "graphql/suggestion.h"

#include <string.h>

typedef struct suggested {
    const gql_type *type;
    uint32_t usage;
} suggested;

static suggested *find(suggested *a, size_t n, const gql_type *t)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].type == t)
            return &a[i];
    return NULL;
}

static int cmp(const gql_schema *s, const suggested *a, const suggested *b)
{
    if (a->usage != b->usage)
        return a->usage < b->usage ? 1 : -1;
    if (a->type->kind == GQL_TYPE_INTERFACE && gql_schema_is_sub_type(s, a->type, b->type))
        return -1;
    if (b->type->kind == GQL_TYPE_INTERFACE && gql_schema_is_sub_type(s, b->type, a->type))
        return 1;
    return gql_natural_compare(a->type->name, b->type->name);
}

/*
 * Array.prototype.sort as V8 runs it on short arrays (TimSort: the first run,
 * reversed when descending, then binary insertion), so that graphql-js's
 * comparator, which is not a total order on some schemas, gives the same
 * order. (Longer arrays use the same insertion sort, not TimSort's merges.)
 */
static void js_sort(const gql_schema *s, suggested *a, size_t n)
{
    if (n < 2)
        return;
    size_t run = 2;
    int descending = cmp(s, &a[1], &a[0]) < 0;
    for (size_t i = 2; i < n; i++) {
        int order = cmp(s, &a[i], &a[i - 1]);
        if (descending ? order >= 0 : order < 0)
            break;
        run++;
    }
    if (descending) {
        for (size_t i = 0, j = run - 1; i < j; i++, j--) {
            suggested t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (size_t start = run; start < n; start++) {
        size_t left = 0, right = start;
        suggested pivot = a[start];
        while (left < right) {
            size_t mid = left + ((right - left) >> 1);
            if (cmp(s, &pivot, &a[mid]) < 0)
                right = mid;
            else
                left = mid + 1;
        }
        for (size_t p = start; p > left; p--)
            a[p] = a[p - 1];
        a[left] = pivot;
    }
}

/* Suggested types to use an inline fragment on; returns the count. */
static size_t suggested_types(gql_vctx *c, const gql_type *type, const gql_node *name,
                              const char **out)
{
    if (!gql_type_is_abstract(type))
        return 0;
    size_t cap = type->npossible_types * 2 + 1;
    for (uint32_t i = 0; i < type->npossible_types; i++)
        cap += type->possible_types[i]->ninterfaces;
    suggested *sv = gql_arena_alloc(c->arena, cap * sizeof *sv);
    if (!sv) {
        gql_vctx_oom(c);
        return 0;
    }
    size_t n = 0;
    for (uint32_t i = 0; i < type->npossible_types; i++) {
        const gql_type *pt = type->possible_types[i];
        if (!gql_type_find_field(pt, name->value, name->value_len))
            continue;
        suggested *e = find(sv, n, pt);
        if (!e) {
            e = &sv[n++];
            e->type = pt;
        }
        e->usage = 1;
        for (uint32_t j = 0; j < pt->ninterfaces; j++) {
            const gql_type *it = pt->interfaces[j];
            if (!gql_type_find_field(it, name->value, name->value_len))
                continue;
            suggested *ie = find(sv, n, it);
            if (!ie) {
                ie = &sv[n++];
                ie->type = it;
                ie->usage = 0;
            }
            ie->usage++;
        }
    }
    js_sort(c->schema, sv, n);
    for (size_t i = 0; i < n; i++)
        out[i] = sv[i].type->name;
    return n;
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    const gql_type *type = gql_typeinfo_parent_type(&c->ti);
    if (!type || gql_typeinfo_field_def(&c->ti))
        return GQL_RULE_CONTINUE;
    const gql_node *name = node->name;
    size_t cap = type->nfields + 1;
    for (uint32_t i = 0; i < type->npossible_types; i++)
        cap += 1 + type->possible_types[i]->ninterfaces;
    const char **out = gql_arena_alloc(c->arena, cap * sizeof *out);
    if (!out) {
        gql_vctx_oom(c);
        return GQL_RULE_CONTINUE;
    }
    gql_buf b = GQL_BUF_INIT;
    gql_buf_printf(&b, "Cannot query field \"%s\" on type \"%s\".", name->value, type->name);
    size_t n = suggested_types(c, type, name, out);
    if (n) {
        gql_did_you_mean(&b, "to use an inline fragment on", out, n);
    } else if (type->kind == GQL_TYPE_OBJECT || type->kind == GQL_TYPE_INTERFACE) {
        const char **opts = gql_arena_alloc(c->arena, (type->nfields + 1) * sizeof *opts);
        if (!opts) {
            gql_buf_free(&b);
            gql_vctx_oom(c);
            return GQL_RULE_CONTINUE;
        }
        for (uint32_t i = 0; i < type->nfields; i++)
            opts[i] = type->fields[i].name;
        n = gql_suggestion_list(name->value, opts, type->nfields, out);
        gql_did_you_mean(&b, NULL, out, n);
    }
    gql_vctx_report_buf(c, &b, &node, 1);
    gql_buf_free(&b);
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_FieldsOnCorrectType = {
    .name = "FieldsOnCorrectTypeRule",
    .enter_kinds = GQL_KBIT(GQL_FIELD),
    .enter = enter,
};
