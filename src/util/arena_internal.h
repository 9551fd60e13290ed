/* arena_internal.h: the arena's layout and an inline bump fast path for the
 * library's hot allocation sites (the parser allocates one node per token). */
#ifndef GQLSSE_ARENA_INTERNAL_H
#define GQLSSE_ARENA_INTERNAL_H

#include <gqlsse/arena.h>

#include <stddef.h>

#define GQL_ARENA_ALIGN 16u

/* A chunk header; the chunk's free space is tracked by the arena (cur/lim). */
typedef struct gql_arena_chunk {
    struct gql_arena_chunk *prev;
} gql_arena_chunk;

struct gql_arena {
    gql_arena_chunk *head;
    char *cur; /* next free byte of head, aligned */
    char *lim; /* end of head's usable bytes */
    size_t next_size;
    size_t done; /* bytes handed out from the chunks before head */
};

/* Same contract as gql_arena_alloc; inlines the common case. */
static inline void *gql_arena_alloc_fast(gql_arena *a, size_t size)
{
    size_t rounded = (size + GQL_ARENA_ALIGN - 1) & ~(size_t)(GQL_ARENA_ALIGN - 1);
    if (rounded && (size_t)(a->lim - a->cur) >= rounded) {
        void *p = a->cur;
        a->cur += rounded;
        return p;
    }
    return gql_arena_alloc(a, size);
}

#endif
