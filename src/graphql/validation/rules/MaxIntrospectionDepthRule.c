/* MaxIntrospectionDepthRule.c: graphql-js's guard against deeply nested
 * introspection queries (fields/interfaces/possibleTypes/inputFields lists
 * nested 3 deep, through fragments too). */
#include "config.h"

#include "graphql/validation/rules.h"

#include <string.h>

#define MAX_LISTS_DEPTH 3

typedef struct state {
    gql_vmap checked;  /* fragment name -> (uintptr_t)(entry depth + 1) */
    gql_vmap exceeded; /* same */
} state;

static uintptr_t get_depth(const gql_vmap *m, const gql_node *n)
{
    return (uintptr_t)gql_vmap_get_name(m, n->value, n->value_len);
}

static int set_depth(gql_vctx *c, gql_vmap *m, const gql_node *n, int depth)
{
    gql_vmap_slot *slot = gql_vmap_name(c->arena, m, n->value, n->value_len, 1);
    if (!slot) {
        gql_vctx_oom(c);
        return -1;
    }
    slot->value = (const void *)(uintptr_t)(depth + 1);
    return 0;
}

static int is_list_field(const gql_node *n)
{
    return strcmp(n->value, "fields") == 0 || strcmp(n->value, "interfaces") == 0 ||
           strcmp(n->value, "possibleTypes") == 0 || strcmp(n->value, "inputFields") == 0;
}

static int check_depth(gql_vctx *c, state *s, gql_vmap *visited, const gql_node *node,
                       int depth)
{
    if (c->aborted)
        return 0;
    if (node->kind == GQL_FRAGMENT_SPREAD) {
        const gql_node *n = node->name;
        uintptr_t ex = get_depth(&s->exceeded, n);
        if (ex && (int)ex - 1 <= depth)
            return 1;
        uintptr_t vis = get_depth(visited, n);
        uintptr_t chk = get_depth(&s->checked, n);
        if ((vis && (int)vis - 1 >= depth) || (chk && (int)chk - 1 >= depth))
            return 0;
        const gql_node *frag = gql_vctx_fragment(c, n->value, n->value_len);
        if (!frag)
            return 0;
        if (set_depth(c, visited, n, depth))
            return 0;
        if (check_depth(c, s, visited, frag, depth)) {
            set_depth(c, &s->exceeded, n, depth);
            return 1;
        }
        set_depth(c, &s->checked, n, depth);
        return 0;
    }
    if (node->kind == GQL_FIELD && is_list_field(node->name)) {
        depth++;
        if (depth >= MAX_LISTS_DEPTH)
            return 1;
    }
    if (node->selection_set) {
        const gql_list *sels = &node->selection_set->selections;
        for (uint32_t i = 0; i < sels->count; i++)
            if (check_depth(c, s, visited, sels->items[i], depth))
                return 1;
    }
    return 0;
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    const gql_node *n = node->name;
    if (strcmp(n->value, "__schema") != 0 && strcmp(n->value, "__type") != 0)
        return GQL_RULE_CONTINUE;
    gql_vmap visited = {0};
    if (check_depth(c, st, &visited, node, 0)) {
        gql_vctx_report1f(c, node, "Maximum introspection depth exceeded");
        return GQL_RULE_SKIP;
    }
    return GQL_RULE_CONTINUE;
}

const gql_rule gql_rule_MaxIntrospectionDepth = {
    .name = "MaxIntrospectionDepthRule",
    .state_size = sizeof(state),
    .enter_kinds = GQL_KBIT(GQL_FIELD),
    .enter = enter,
};
