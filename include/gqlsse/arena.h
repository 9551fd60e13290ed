/* gqlsse/arena.h: bump allocator; everything allocated from an arena is freed
 * at once by gql_arena_free. Used per document, per request and per operation. */
#ifndef GQLSSE_ARENA_H
#define GQLSSE_ARENA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gql_arena gql_arena;

/* Creates an arena whose first chunk holds about `first_chunk` bytes (0 for a
 * default). Returns NULL when out of memory. Free with gql_arena_free.
 * An arena is not thread-safe: one thread at a time. */
gql_arena *gql_arena_new(size_t first_chunk);
/* The same, with the first chunk allocated now, together with the arena (one
 * malloc instead of two), for arenas that will be used at once (a document
 * being parsed); gql_arena_new allocates nothing until the first use. */
gql_arena *gql_arena_new_sized(size_t first_chunk);

/* Frees the arena and every allocation made from it. NULL is a no-op. */
void gql_arena_free(gql_arena *a);

/* Returns `size` bytes aligned for any type, owned by the arena; NULL when out
 * of memory. Contents are uninitialised (gql_arena_zalloc zeroes them). */
void *gql_arena_alloc(gql_arena *a, size_t size);
void *gql_arena_zalloc(gql_arena *a, size_t size);

/* Copies `len` bytes and appends a NUL; the copy is owned by the arena. */
char *gql_arena_strndup(gql_arena *a, const char *s, size_t len);
char *gql_arena_strdup(gql_arena *a, const char *s);

/* printf into the arena. Returns NULL when out of memory. */
char *gql_arena_printf(gql_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for limits and measurements). */
size_t gql_arena_used(const gql_arena *a);

#ifdef __cplusplus
}
#endif
#endif
