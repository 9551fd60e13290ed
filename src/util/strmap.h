/* strmap.h: a map from byte-string keys to pointers (open addressing,
 * linear probing, backward-shift deletion; FNV-1a hashes). Keys are
 * borrowed: each key's bytes must stay valid and unchanged while its entry
 * exists (typically the key lives in the value). Not thread-safe; a map is
 * used by one thread at a time. Internal to gqlsse (not installed). */
#ifndef GQLSSE_UTIL_STRMAP_H
#define GQLSSE_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct gql_strmap_slot {
    const char *key; /* NULL: empty */
    size_t len;
    uint64_t hash;
    void *value;
} gql_strmap_slot;

typedef struct gql_strmap {
    gql_strmap_slot *slots; /* owned */
    size_t cap;             /* 0 or a power of two */
    size_t count;
} gql_strmap;

#define GQL_STRMAP_INIT {NULL, 0, 0}

uint64_t gql_strmap_hash(const void *key, size_t len);

/* The value stored under the key, NULL when none. */
void *gql_strmap_get(const gql_strmap *m, const void *key, size_t len);

/* Stores `value` (not NULL) under the key, replacing an existing value.
 * Returns 0, -1 on OOM (the map is unchanged). */
int gql_strmap_put(gql_strmap *m, const void *key, size_t len, void *value);

/* Removes the key's entry; returns its value, NULL when there was none. */
void *gql_strmap_del(gql_strmap *m, const void *key, size_t len);

/* Calls fn(value, ud) for every entry (in no particular order); `fn` must
 * not change the map. */
void gql_strmap_each(const gql_strmap *m, void (*fn)(void *value, void *ud), void *ud);

/* Frees the table (not the keys or values); the map is empty again. */
void gql_strmap_clear(gql_strmap *m);

#endif
