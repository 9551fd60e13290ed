/* arena.c: chunked bump allocator (see gqlsse/arena.h). */
#include "config.h"

#include "util/arena_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_DEFAULT_CHUNK 4096u
#define CHUNK_HDR ((sizeof(gql_arena_chunk) + GQL_ARENA_ALIGN - 1) & ~(size_t)(GQL_ARENA_ALIGN - 1))

#define ARENA_HDR ((sizeof(gql_arena) + GQL_ARENA_ALIGN - 1) & ~(size_t)(GQL_ARENA_ALIGN - 1))

gql_arena *gql_arena_new(size_t first_chunk)
{
    gql_arena *a = malloc(sizeof *a);
    if (!a)
        return NULL;
    a->head = NULL;
    a->cur = a->lim = NULL;
    a->next_size = first_chunk ? first_chunk : ARENA_DEFAULT_CHUNK;
    a->done = 0;
    return a;
}

/* The arena and its first chunk in one allocation: the arena struct, then
 * the chunk (prev NULL), so a small document costs one malloc. */
gql_arena *gql_arena_new_sized(size_t first_chunk)
{
    size_t want = first_chunk ? first_chunk : ARENA_DEFAULT_CHUNK;
    if (want > SIZE_MAX / 4)
        return NULL;
    want = (want + GQL_ARENA_ALIGN - 1) & ~(size_t)(GQL_ARENA_ALIGN - 1);
    char *block = malloc(ARENA_HDR + CHUNK_HDR + want);
    if (!block)
        return NULL;
    gql_arena *a = (gql_arena *)(void *)block;
    gql_arena_chunk *c = (gql_arena_chunk *)(void *)(block + ARENA_HDR);
    c->prev = NULL;
    a->head = c;
    a->cur = (char *)c + CHUNK_HDR;
    a->lim = a->cur + want;
    a->next_size = want < (1u << 20) ? want * 2 : want;
    a->done = 0;
    return a;
}

void gql_arena_free(gql_arena *a)
{
    if (!a)
        return;
    const char *inside = (const char *)a + ARENA_HDR; /* gql_arena_new_sized's chunk */
    gql_arena_chunk *c = a->head;
    while (c) {
        gql_arena_chunk *p = c->prev;
        if ((const char *)c != inside)
            free(c);
        c = p;
    }
    free(a);
}

void *gql_arena_alloc(gql_arena *a, size_t size)
{
    if (size > SIZE_MAX / 4)
        return NULL;
    size = (size + GQL_ARENA_ALIGN - 1) & ~(size_t)(GQL_ARENA_ALIGN - 1);
    if (size == 0)
        size = GQL_ARENA_ALIGN;
    if ((size_t)(a->lim - a->cur) < size) {
        size_t want = a->next_size;
        while (want < size)
            want *= 2;
        gql_arena_chunk *n = malloc(CHUNK_HDR + want);
        if (!n)
            return NULL;
        if (a->head)
            a->done += (size_t)(a->cur - ((char *)a->head + CHUNK_HDR));
        n->prev = a->head;
        a->head = n;
        a->cur = (char *)n + CHUNK_HDR;
        a->lim = a->cur + want;
        /* Grow geometrically so large documents need few chunks. */
        if (a->next_size < (1u << 20))
            a->next_size *= 2;
    }
    void *p = a->cur;
    a->cur += size;
    return p;
}

void *gql_arena_zalloc(gql_arena *a, size_t size)
{
    void *p = gql_arena_alloc(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

char *gql_arena_strndup(gql_arena *a, const char *s, size_t len)
{
    char *p = gql_arena_alloc_fast(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *gql_arena_strdup(gql_arena *a, const char *s)
{
    return gql_arena_strndup(a, s, strlen(s));
}

char *gql_arena_printf(gql_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = gql_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t gql_arena_used(const gql_arena *a)
{
    return a->head ? a->done + (size_t)(a->cur - ((const char *)a->head + CHUNK_HDR)) : 0;
}
