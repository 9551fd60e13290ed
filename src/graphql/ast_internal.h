/* ast_internal.h: the child slots of every node kind, for the library's own
 * walkers (gql_walk, validation's traversal, variable usages). ast.c holds
 * the one list, in graphql-js 16 QueryDocumentKeys order; walkers read it
 * through gql_each_child so that no other file enumerates node children.
 * Thread-safe: the tables are constant. */
#ifndef GQLSSE_AST_INTERNAL_H
#define GQLSSE_AST_INTERNAL_H

#include <gqlsse/ast.h>

#include <stdint.h>

/* One child slot of a kind: a member of struct gql_node that is a child node
 * pointer (may be NULL) or a gql_list. */
typedef struct gql_child_slot {
    uint8_t offset; /* offsetof(gql_node, member); 0 ends a kind's slots */
    uint8_t list;   /* 1: the member is a gql_list; 0: a gql_node pointer */
} gql_child_slot;

/* Per kind (every kind has an entry, leaves an empty one), its slots in
 * QueryDocumentKeys order, ended by offset 0: all of them, and the ones
 * validation visits, without names, aliases and descriptions (no rule visits
 * a Name; descriptions are not validated, as QueryDocumentKeysToValidate). Both
 * tables are expanded from one list in ast.c. Every slot lies inside
 * GQL_NODE_SIZE(kind) (tests/unit/test_parser.c checks). */
extern const gql_child_slot *const gql_kind_child_slots[GQL_KIND_COUNT_];
extern const gql_child_slot *const gql_kind_validated_slots[GQL_KIND_COUNT_];

/* Calls fn for each child the slots name (a kind's entry of one of the
 * tables above), in order; stops early and returns non-zero when fn does.
 * Inline so that a walker's fn becomes a direct call. */
static inline int gql_each_child(const gql_child_slot *slots, const gql_node *node,
                                 int (*fn)(const gql_node *child, void *ud), void *ud)
{
    for (const gql_child_slot *s = slots; s->offset; s++) {
        const char *member = (const char *)node + s->offset;
        if (s->list) {
            const gql_list *l = (const gql_list *)(const void *)member;
            for (uint32_t i = 0; i < l->count; i++) {
                int r = fn(l->items[i], ud);
                if (r)
                    return r;
            }
        } else {
            const gql_node *child = *(gql_node *const *)(const void *)member;
            int r = child ? fn(child, ud) : 0;
            if (r)
                return r;
        }
    }
    return 0;
}

#endif
