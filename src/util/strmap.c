/* strmap.c: see strmap.h. */
#include "config.h"

#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

uint64_t gql_strmap_hash(const void *key, size_t len)
{
    const unsigned char *s = key;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

static gql_strmap_slot *find(const gql_strmap *m, const void *key, size_t len, uint64_t h)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t j = (size_t)h & mask;; j = (j + 1) & mask) {
        gql_strmap_slot *s = &m->slots[j];
        if (!s->key)
            return NULL;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

void *gql_strmap_get(const gql_strmap *m, const void *key, size_t len)
{
    gql_strmap_slot *s = find(m, key, len, gql_strmap_hash(key, len));
    return s ? s->value : NULL;
}

static void insert(gql_strmap_slot *slots, size_t cap, const gql_strmap_slot *e)
{
    size_t mask = cap - 1;
    size_t j = (size_t)e->hash & mask;
    while (slots[j].key)
        j = (j + 1) & mask;
    slots[j] = *e;
}

int gql_strmap_put(gql_strmap *m, const void *key, size_t len, void *value)
{
    uint64_t h = gql_strmap_hash(key, len);
    gql_strmap_slot *s = find(m, key, len, h);
    if (s) {
        s->value = value;
        s->key = key;
        return 0;
    }
    if ((m->count + 1) * 4 > m->cap * 3) { /* keep the load under 3/4 */
        size_t ncap = m->cap ? m->cap * 2 : 16;
        gql_strmap_slot *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                insert(ns, ncap, &m->slots[i]);
        free(m->slots);
        m->slots = ns;
        m->cap = ncap;
    }
    gql_strmap_slot e = {.key = key, .len = len, .hash = h, .value = value};
    insert(m->slots, m->cap, &e);
    m->count++;
    return 0;
}

void *gql_strmap_del(gql_strmap *m, const void *key, size_t len)
{
    gql_strmap_slot *s = find(m, key, len, gql_strmap_hash(key, len));
    if (!s)
        return NULL;
    void *value = s->value;
    size_t mask = m->cap - 1;
    size_t i = (size_t)(s - m->slots);
    /* Backward shift: move later entries of the probe run into the hole
     * when their home slot does not lie (cyclically) after the hole. */
    for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        size_t home = (size_t)m->slots[j].hash & mask;
        int movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
        if (movable) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i] = (gql_strmap_slot){0};
    m->count--;
    return value;
}

void gql_strmap_each(const gql_strmap *m, void (*fn)(void *value, void *ud), void *ud)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            fn(m->slots[i].value, ud);
}

void gql_strmap_clear(gql_strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}
