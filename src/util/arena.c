/* arena.c: chunked bump allocator (see gqlsse/arena.h). */
#include "config.h"

#include <gqlsse/arena.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16u
#define ARENA_DEFAULT_CHUNK 4096u

typedef struct chunk {
    struct chunk *prev;
    size_t size; /* usable bytes after the header */
    size_t used;
    /* data follows, aligned */
} chunk;

struct gql_arena {
    chunk *head;
    size_t next_size;
    size_t total_used;
};

#define CHUNK_HDR ((sizeof(chunk) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

static chunk *chunk_new(size_t size)
{
    chunk *c = malloc(CHUNK_HDR + size);
    if (!c)
        return NULL;
    c->prev = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

gql_arena *gql_arena_new(size_t first_chunk)
{
    gql_arena *a = malloc(sizeof *a);
    if (!a)
        return NULL;
    a->head = NULL;
    a->next_size = first_chunk ? first_chunk : ARENA_DEFAULT_CHUNK;
    a->total_used = 0;
    return a;
}

void gql_arena_free(gql_arena *a)
{
    if (!a)
        return;
    chunk *c = a->head;
    while (c) {
        chunk *p = c->prev;
        free(c);
        c = p;
    }
    free(a);
}

void *gql_arena_alloc(gql_arena *a, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size == 0)
        size = ARENA_ALIGN;
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t want = a->next_size;
        while (want < size)
            want *= 2;
        chunk *n = chunk_new(want);
        if (!n)
            return NULL;
        /* Grow geometrically so large documents need few chunks. */
        if (a->next_size < (1u << 20))
            a->next_size *= 2;
        /* Keep the current chunk on top if it still has more room than the new one
         * would after a one-off oversized allocation. */
        n->prev = c;
        a->head = n;
        c = n;
    }
    void *p = (char *)c + CHUNK_HDR + c->used;
    c->used += size;
    a->total_used += size;
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
    char *p = gql_arena_alloc(a, len + 1);
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
    return a->total_used;
}
