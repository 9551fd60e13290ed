/* overlapping.c: graphql-js 16.15 OverlappingFieldsCanBeMergedRule, step for
 * step (same caches, same complexity budget, same order of comparisons). */
#include "config.h"

#include "graphql/validation/overlapping.h"

#include <gqlsse/arena.h>
#include <gqlsse/buf.h>

#include <stdlib.h>
#include <string.h>

/* graphql-js 16.15 constants. */
#define MAX_CONFLICT_DETAIL_LENGTH 1000u
#define MAX_CONFLICT_NODES 20u
#define MAX_COMPLEXITY_BUDGET 500000L
/* NOTE: graphql-js recurses through fragment chains and nested fields on the
 * JavaScript stack and dies with a RangeError on very deep ones (two chains
 * of 667 fragments compared pairwise already do); we stop with
 * GQL_OVERLAP_ABORTED after this many nested comparison frames instead,
 * which answers every chain graphql-js survives and needs at most about
 * 400 KiB of C stack. */
#define MAX_RECURSION 1500u

/* ---- Hash map over pairs of machine words ----------------------------- */

typedef struct pslot {
    uintptr_t a, b, v;
    uint8_t used;
} pslot;

typedef struct pmap {
    pslot *slots;
    uint32_t mask; /* capacity - 1; slots == NULL while empty */
    uint32_t count;
} pmap;

static uint32_t hash_pair(uintptr_t a, uintptr_t b)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)b + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    return (uint32_t)h;
}

/* Returns the slot of (a, b), NULL when absent. */
static pslot *pmap_find(const pmap *m, uintptr_t a, uintptr_t b)
{
    if (!m->slots)
        return NULL;
    uint32_t i = hash_pair(a, b) & m->mask;
    for (;;) {
        pslot *s = &m->slots[i];
        if (!s->used)
            return NULL;
        if (s->a == a && s->b == b)
            return s;
        i = (i + 1) & m->mask;
    }
}

static int pmap_get(const pmap *m, uintptr_t a, uintptr_t b, uintptr_t *v)
{
    pslot *s = pmap_find(m, a, b);
    if (!s)
        return 0;
    *v = s->v;
    return 1;
}

/* Sets (a, b) -> v. Returns 0, -1 when out of memory. */
static int pmap_put(gql_arena *arena, pmap *m, uintptr_t a, uintptr_t b, uintptr_t v)
{
    pslot *s = pmap_find(m, a, b);
    if (s) {
        s->v = v;
        return 0;
    }
    if (!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3) {
        uint32_t ncap = m->slots ? (m->mask + 1) * 2 : 16;
        pslot *ns = gql_arena_zalloc(arena, (size_t)ncap * sizeof *ns);
        if (!ns)
            return -1;
        if (m->slots) {
            for (uint32_t i = 0; i <= m->mask; i++) {
                if (!m->slots[i].used)
                    continue;
                uint32_t j = hash_pair(m->slots[i].a, m->slots[i].b) & (ncap - 1);
                while (ns[j].used)
                    j = (j + 1) & (ncap - 1);
                ns[j] = m->slots[i];
            }
        }
        m->slots = ns;
        m->mask = ncap - 1;
    }
    uint32_t i = hash_pair(a, b) & m->mask;
    while (m->slots[i].used)
        i = (i + 1) & m->mask;
    m->slots[i].a = a;
    m->slots[i].b = b;
    m->slots[i].v = v;
    m->slots[i].used = 1;
    m->count++;
    return 0;
}

/* ---- Interned names ----------------------------------------------------- */

typedef struct name_entry {
    const char *s;
    uint32_t len;
    uint32_t hash;
    uint8_t frag_looked_up;  /* fragment: find_fragment already asked */
    const gql_node *fragment;
} name_entry;

typedef struct name_table {
    name_entry *items; /* id = index */
    uint32_t count, cap;
    uint32_t *slots;   /* id + 1, 0 = empty */
    uint32_t mask;
} name_table;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* ---- The rule's data ------------------------------------------------------ */

/* graphql-js FieldDetails (+ its lazy FieldInfo). */
typedef struct fdetail {
    const gql_type *parent_type;
    const gql_node *node;
    const gql_field *def;
    uint8_t simple_leaf;
    uint8_t args_indexed; /* arguments entered in o->args (name id -> last node) */
} fdetail;

/* One response name of a groupedFieldSet and its fields. */
typedef struct group {
    uint32_t id; /* interned response name */
    const char *name;
    uint32_t name_len;
    fdetail **fields;
    uint32_t n, cap;
} group;

/* graphql-js CollectFieldsResult. */
typedef struct cresult {
    group **groups; /* insertion order, like a Map */
    uint32_t ngroups, gcap;
    uint32_t *frags; /* fragment name ids, insertion order, unique */
    uint32_t nfrags, fcap;
} cresult;

/* getOverlappingFields result: pairs of groups with one response name. */
typedef struct group_pair {
    group *g1, *g2;
} group_pair;

typedef struct overlap_list {
    group_pair *pairs;
    uint32_t n, cap;
} overlap_list;

typedef struct conflict {
    const char *rname;
    uint32_t rlen;
    const char *reason;
    size_t reason_len;
    const gql_node **f1, **f2;
    uint32_t n1, n2;
} conflict;

typedef struct clist {
    conflict *items;
    uint32_t n, cap;
} clist;

enum { REASON_NONE = 1, REASON_DIFFERENT_FIELDS, REASON_DIFFERING_ARGS };

struct gql_overlap {
    gql_overlap_env env;
    gql_arena *arena;  /* caches for the whole document */
    gql_arena *tmp;    /* conflicts of the current selection set */
    gql_overlap_status_code status;
    long budget;       /* remainingComplexityBudget */
    uint32_t depth;
    int inline_ready;
    name_table names;
    pmap inline_sets;  /* selection set -> 1 (belongs to an inline fragment) */
    pmap collected;    /* (parent type, selection set) -> cresult */
    pmap groups;       /* (cresult, name id) -> group */
    pmap fragset;      /* (cresult, fragment id) -> 1 */
    pmap cmp_frags;    /* (cresult, fragment id) -> 1 + areMutuallyExclusive */
    pmap frag_pairs;   /* (fragment id, fragment id) -> 1 + weaklyPresent */
    pmap overlaps;     /* (cresult, cresult) -> overlap_list */
    pmap reasons;      /* (fdetail, fdetail) -> REASON_* */
    pmap strings;      /* value node -> interned stringified value */
    pmap args;         /* (fdetail, name id) -> last ARGUMENT of that name */
};

static gql_overlap_status_code fail_oom(gql_overlap *o)
{
    if (o->status == GQL_OVERLAP_OK)
        o->status = GQL_OVERLAP_NOMEM;
    return o->status;
}

/* spendComplexityBudget: returns non-zero while checking may go on. */
static int spend(gql_overlap *o, long cost)
{
    o->budget -= cost;
    if (o->budget < 0 && o->status == GQL_OVERLAP_OK)
        o->status = GQL_OVERLAP_ABORTED;
    return o->status == GQL_OVERLAP_OK;
}

static void *grow(gql_arena *a, void *old, uint32_t n, uint32_t *cap, size_t size)
{
    if (n < *cap)
        return old;
    uint32_t ncap = *cap ? *cap * 2 : 4;
    void *p = gql_arena_alloc(a, (size_t)ncap * size);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, old, (size_t)n * size);
    *cap = ncap;
    return p;
}

/* The id of name s[0..len), interning it. Returns UINT32_MAX on OOM. */
static uint32_t intern(gql_overlap *o, const char *s, uint32_t len)
{
    name_table *t = &o->names;
    uint32_t h = hash_bytes(s, len);
    if (t->slots) {
        for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
            uint32_t id = t->slots[i];
            if (!id)
                break;
            name_entry *e = &t->items[id - 1];
            if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0)
                return id - 1;
        }
    }
    if (!t->slots || (t->count + 1) * 2 > t->mask + 1) {
        uint32_t ncap = t->slots ? (t->mask + 1) * 2 : 64;
        uint32_t *ns = gql_arena_zalloc(o->arena, (size_t)ncap * sizeof *ns);
        if (!ns)
            return UINT32_MAX;
        for (uint32_t id = 0; id < t->count; id++) {
            uint32_t j = t->items[id].hash & (ncap - 1);
            while (ns[j])
                j = (j + 1) & (ncap - 1);
            ns[j] = id + 1;
        }
        t->slots = ns;
        t->mask = ncap - 1;
    }
    name_entry *items = grow(o->arena, t->items, t->count, &t->cap, sizeof *items);
    if (!items)
        return UINT32_MAX;
    t->items = items;
    name_entry *e = &t->items[t->count];
    memset(e, 0, sizeof *e);
    e->s = s;
    e->len = len;
    e->hash = h;
    uint32_t j = h & t->mask;
    while (t->slots[j])
        j = (j + 1) & t->mask;
    t->slots[j] = t->count + 1;
    return t->count++;
}

/* validationContext.getFragment(name), asked once per name. */
static const gql_node *get_fragment(gql_overlap *o, uint32_t id)
{
    name_entry *e = &o->names.items[id];
    if (!e->frag_looked_up) {
        e->frag_looked_up = 1;
        e->fragment = o->env.find_fragment
                          ? o->env.find_fragment(o->env.ud, e->s, e->len)
                          : NULL;
        if (e->fragment && e->fragment->kind != GQL_FRAGMENT_DEFINITION)
            e->fragment = NULL;
    }
    return e->fragment;
}

/* typeFromAST for a NamedType node. */
static const gql_type *type_from_ast(gql_overlap *o, const gql_node *named)
{
    if (!o->env.schema || !named || named->kind != GQL_NAMED_TYPE || !named->name)
        return NULL;
    return gql_schema_find_type(o->env.schema, named->name->value,
                                named->name->value_len);
}

/* ---- collectFields ---------------------------------------------------------- */

static int collect_impl(gql_overlap *o, cresult *r, const gql_type *parent,
                        const gql_node *set)
{
    if (!set)
        return 0;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gql_node *sel = set->selections.items[i];
        if (sel->kind == GQL_FIELD) {
            const gql_node *name = sel->name;
            const gql_field *def = NULL;
            if (parent && (parent->kind == GQL_TYPE_OBJECT ||
                           parent->kind == GQL_TYPE_INTERFACE))
                def = gql_type_find_field(parent, name->value, name->value_len);
            const gql_node *rn = sel->alias ? sel->alias : name;
            uint32_t id = intern(o, rn->value, rn->value_len);
            if (id == UINT32_MAX)
                return -1;
            uintptr_t v;
            group *g;
            if (pmap_get(&o->groups, (uintptr_t)r, id, &v)) {
                g = (group *)v;
            } else {
                g = gql_arena_zalloc(o->arena, sizeof *g);
                group **gs = grow(o->arena, r->groups, r->ngroups, &r->gcap, sizeof *gs);
                if (!g || !gs || pmap_put(o->arena, &o->groups, (uintptr_t)r, id,
                                          (uintptr_t)g))
                    return -1;
                g->id = id;
                g->name = rn->value;
                g->name_len = rn->value_len;
                r->groups = gs;
                r->groups[r->ngroups++] = g;
            }
            fdetail *fd = gql_arena_zalloc(o->arena, sizeof *fd);
            fdetail **fs = grow(o->arena, g->fields, g->n, &g->cap, sizeof *fs);
            if (!fd || !fs)
                return -1;
            fd->parent_type = parent;
            fd->node = sel;
            fd->def = def;
            fd->simple_leaf = sel->arguments.count == 0 && !sel->selection_set;
            g->fields = fs;
            g->fields[g->n++] = fd;
        } else if (sel->kind == GQL_FRAGMENT_SPREAD) {
            uint32_t id = intern(o, sel->name->value, sel->name->value_len);
            if (id == UINT32_MAX)
                return -1;
            if (pmap_find(&o->fragset, (uintptr_t)r, id))
                continue;
            uint32_t *fs = grow(o->arena, r->frags, r->nfrags, &r->fcap, sizeof *fs);
            if (!fs || pmap_put(o->arena, &o->fragset, (uintptr_t)r, id, 1))
                return -1;
            r->frags = fs;
            r->frags[r->nfrags++] = id;
        } else if (sel->kind == GQL_INLINE_FRAGMENT) {
            const gql_type *t = sel->type_condition ? type_from_ast(o, sel->type_condition)
                                                    : parent;
            /* Bounded by the document's nesting (the parser's limit). */
            if (collect_impl(o, r, t, sel->selection_set) < 0)
                return -1;
        }
    }
    return 0;
}

/* collectFields, cached by (parent type, selection set). NULL on OOM. */
static cresult *collect_fields(gql_overlap *o, const gql_type *parent, const gql_node *set)
{
    uintptr_t v;
    if (pmap_get(&o->collected, (uintptr_t)parent, (uintptr_t)set, &v))
        return (cresult *)v;
    cresult *r = gql_arena_zalloc(o->arena, sizeof *r);
    if (!r || collect_impl(o, r, parent, set) < 0 ||
        pmap_put(o->arena, &o->collected, (uintptr_t)parent, (uintptr_t)set,
                 (uintptr_t)r)) {
        fail_oom(o);
        return NULL;
    }
    return r;
}

static cresult *collect_fragment_fields(gql_overlap *o, const gql_node *fragment)
{
    return collect_fields(o, type_from_ast(o, fragment->type_condition),
                          fragment->selection_set);
}

/* ---- Conflicts -------------------------------------------------------------- */

static conflict *clist_push(gql_overlap *o, clist *l)
{
    conflict *items = grow(o->tmp, l->items, l->n, &l->cap, sizeof *items);
    if (!items) {
        fail_oom(o);
        return NULL;
    }
    l->items = items;
    conflict *c = &l->items[l->n++];
    memset(c, 0, sizeof *c);
    return c;
}

/* Appends maybeAbbreviate(text). */
static void put_abbrev(gql_buf *b, const char *s, size_t n)
{
    if (n > MAX_CONFLICT_DETAIL_LENGTH) {
        gql_buf_append(b, s, MAX_CONFLICT_DETAIL_LENGTH);
        gql_buf_puts(b, "...");
    } else {
        gql_buf_append(b, s, n);
    }
}

/* Copies the buffer into the tmp arena as a conflict's reason. */
static int set_reason(gql_overlap *o, conflict *c, gql_buf *b)
{
    if (b->oom) {
        gql_buf_free(b);
        fail_oom(o);
        return -1;
    }
    c->reason = gql_arena_strndup(o->tmp, b->data ? b->data : "", b->len);
    c->reason_len = b->len;
    gql_buf_free(b);
    if (!c->reason) {
        fail_oom(o);
        return -1;
    }
    return 0;
}

/* A conflict between two single fields. */
static int push_simple(gql_overlap *o, clist *out, const group *g, const gql_node *n1,
                       const gql_node *n2, gql_buf *reason)
{
    conflict *c = clist_push(o, out);
    if (!c) {
        gql_buf_free(reason);
        return -1;
    }
    c->rname = g->name;
    c->rlen = g->name_len;
    const gql_node **nodes = gql_arena_alloc(o->tmp, 2 * sizeof *nodes);
    if (!nodes) {
        gql_buf_free(reason);
        fail_oom(o);
        return -1;
    }
    nodes[0] = n1;
    nodes[1] = n2;
    c->f1 = nodes;
    c->n1 = 1;
    c->f2 = nodes + 1;
    c->n2 = 1;
    return set_reason(o, c, reason);
}

/* collectConflictNodes(node, conflicts, side). */
static const gql_node **conflict_nodes(gql_overlap *o, const gql_node *node,
                                       const clist *sub, int side, uint32_t *count)
{
    const gql_node **nodes = gql_arena_alloc(o->tmp, MAX_CONFLICT_NODES * sizeof *nodes);
    if (!nodes) {
        fail_oom(o);
        return NULL;
    }
    uint32_t n = 0;
    nodes[n++] = node;
    for (uint32_t i = 0; i < sub->n; i++) {
        const conflict *c = &sub->items[i];
        const gql_node **src = side == 1 ? c->f1 : c->f2;
        uint32_t len = side == 1 ? c->n1 : c->n2;
        uint32_t remaining = MAX_CONFLICT_NODES - n;
        uint32_t from = len > remaining ? len - remaining : 0; /* slice(-remaining) */
        for (uint32_t k = from; k < len; k++)
            nodes[n++] = src[k];
        if (n == MAX_CONFLICT_NODES)
            break;
    }
    *count = n;
    return nodes;
}

/* subfieldConflicts: folds the subfields' conflicts into one. */
static int push_subfield_conflicts(gql_overlap *o, clist *out, const group *g,
                                   const gql_node *n1, const gql_node *n2,
                                   const clist *sub)
{
    if (sub->n == 0)
        return 0;
    gql_buf msg = GQL_BUF_INIT;
    for (uint32_t i = 0; i < sub->n; i++) {
        const conflict *c = &sub->items[i];
        if (msg.len)
            gql_buf_puts(&msg, " and ");
        gql_buf_puts(&msg, "subfields \"");
        put_abbrev(&msg, c->rname, c->rlen);
        gql_buf_puts(&msg, "\" conflict because ");
        gql_buf_append(&msg, c->reason, c->reason_len);
        if (msg.len > MAX_CONFLICT_DETAIL_LENGTH)
            break;
    }
    if (msg.oom) {
        gql_buf_free(&msg);
        fail_oom(o);
        return -1;
    }
    gql_buf reason = GQL_BUF_INIT;
    put_abbrev(&reason, msg.data, msg.len);
    gql_buf_free(&msg);
    conflict *c = clist_push(o, out);
    if (!c) {
        gql_buf_free(&reason);
        return -1;
    }
    c->rname = g->name;
    c->rlen = g->name_len;
    c->f1 = conflict_nodes(o, n1, sub, 1, &c->n1);
    c->f2 = conflict_nodes(o, n2, sub, 2, &c->n2);
    if (!c->f1 || !c->f2) {
        gql_buf_free(&reason);
        return -1;
    }
    return set_reason(o, c, &reason);
}

/* ---- Argument comparison (sameArguments / stringifyValue) ------------------ */

/* Sorts slots of an OBJECT's field array by field name (JavaScript `<` on
 * ASCII names), ties in document order as Array.prototype.sort keeps them. */
static int cmp_object_fields(const void *pa, const void *pb)
{
    const gql_node *const *a = *(const gql_node *const *const *)pa;
    const gql_node *const *b = *(const gql_node *const *const *)pb;
    const gql_node *na = (*a)->name, *nb = (*b)->name;
    size_t n = na->value_len < nb->value_len ? na->value_len : nb->value_len;
    int c = memcmp(na->value, nb->value, n);
    if (c)
        return c;
    if (na->value_len != nb->value_len)
        return na->value_len < nb->value_len ? -1 : 1;
    return a < b ? -1 : a > b;
}

static void put_counted(gql_buf *b, char tag, const char *s, size_t n)
{
    gql_buf_printf(b, "%c%zu:", tag, n);
    gql_buf_append(b, s, n);
}

/*
 * An injective encoding of what stringifyValue's JSON.stringify keeps:
 * variables by name, object fields sorted by name (stably), strings with
 * their block flag, other literals by kind and value. Recursion is bounded
 * by the parser's nesting limit.
 */
static int canon_value(gql_buf *b, const gql_node *v)
{
    switch (v->kind) {
    case GQL_VARIABLE:
        put_counted(b, 'V', v->name->value, v->name->value_len);
        return 0;
    case GQL_INT:
        put_counted(b, 'I', v->value, v->value_len);
        return 0;
    case GQL_FLOAT:
        put_counted(b, 'F', v->value, v->value_len);
        return 0;
    case GQL_ENUM:
        put_counted(b, 'E', v->value, v->value_len);
        return 0;
    case GQL_STRING:
        put_counted(b, (v->flags & GQL_FLAG_BLOCK) ? 'B' : 'S', v->value, v->value_len);
        return 0;
    case GQL_BOOLEAN:
        gql_buf_putc(b, (v->flags & GQL_FLAG_TRUE) ? 't' : 'f');
        return 0;
    case GQL_NULL:
        gql_buf_putc(b, 'n');
        return 0;
    case GQL_LIST:
        gql_buf_printf(b, "[%u:", (unsigned)v->values.count);
        for (uint32_t i = 0; i < v->values.count; i++)
            if (canon_value(b, v->values.items[i]) < 0)
                return -1;
        gql_buf_putc(b, ']');
        return 0;
    case GQL_OBJECT: {
        uint32_t n = v->fields.count;
        gql_buf_printf(b, "{%u:", (unsigned)n);
        if (n == 0) {
            gql_buf_putc(b, '}');
            return 0;
        }
        const gql_node *const **slots = malloc((size_t)n * sizeof *slots);
        if (!slots)
            return -1;
        for (uint32_t i = 0; i < n; i++)
            slots[i] = (const gql_node *const *)&v->fields.items[i];
        qsort(slots, n, sizeof *slots, cmp_object_fields);
        int rc = 0;
        for (uint32_t i = 0; i < n && rc == 0; i++) {
            const gql_node *f = *slots[i];
            put_counted(b, 'K', f->name->value, f->name->value_len);
            rc = canon_value(b, f->value_node);
        }
        free(slots);
        gql_buf_putc(b, '}');
        return rc;
    }
    default:
        gql_buf_printf(b, "?%u", (unsigned)v->kind);
        return 0;
    }
}

/* stringifyValue, cached per value node and interned, so that equal values
 * get equal ids and comparing two costs O(1) however large they are.
 * Returns UINT32_MAX on OOM. (The table is shared with names: a string
 * equal to a name just gets the name's id, which is harmless.) */
static uint32_t stringify_value(gql_overlap *o, const gql_node *v)
{
    uintptr_t cached;
    if (pmap_get(&o->strings, (uintptr_t)v, 0, &cached))
        return (uint32_t)cached;
    gql_buf b = GQL_BUF_INIT;
    uint32_t id = UINT32_MAX;
    if (canon_value(&b, v) == 0 && !b.oom && b.len < UINT32_MAX) {
        const char *copy = gql_arena_strndup(o->arena, b.data ? b.data : "", b.len);
        if (copy)
            id = intern(o, copy, (uint32_t)b.len);
        if (id != UINT32_MAX && pmap_put(o->arena, &o->strings, (uintptr_t)v, 0, id))
            id = UINT32_MAX;
    }
    gql_buf_free(&b);
    if (id == UINT32_MAX)
        fail_oom(o);
    return id;
}

/* values2.get(name): the last argument of fd's field named `name`. */
static const gql_node *last_argument(gql_overlap *o, fdetail *fd, const gql_node *name)
{
    const gql_list *args = &fd->node->arguments;
    if (args->count <= 8) {
        for (uint32_t i = args->count; i-- > 0;) {
            const gql_node *an = args->items[i]->name;
            if (an->value_len == name->value_len &&
                memcmp(an->value, name->value, name->value_len) == 0)
                return args->items[i];
        }
        return NULL;
    }
    if (!fd->args_indexed) {
        for (uint32_t i = 0; i < args->count; i++) {
            const gql_node *an = args->items[i]->name;
            uint32_t id = intern(o, an->value, an->value_len);
            if (id == UINT32_MAX ||
                pmap_put(o->arena, &o->args, (uintptr_t)fd, id, (uintptr_t)args->items[i])) {
                fail_oom(o);
                return NULL;
            }
        }
        fd->args_indexed = 1;
    }
    uint32_t id = intern(o, name->value, name->value_len);
    uintptr_t v;
    if (id == UINT32_MAX) {
        fail_oom(o);
        return NULL;
    }
    return pmap_get(&o->args, (uintptr_t)fd, id, &v) ? (const gql_node *)v : NULL;
}

static int same_arguments(gql_overlap *o, fdetail *fd1, fdetail *fd2)
{
    const gql_list *a1 = &fd1->node->arguments, *a2 = &fd2->node->arguments;
    if (a1->count == 0)
        return a2->count == 0;
    if (a1->count != a2->count)
        return 0;
    for (uint32_t i = 0; i < a1->count; i++) {
        if (!spend(o, 1))
            return 0;
        const gql_node *arg1 = a1->items[i];
        const gql_node *arg2 = last_argument(o, fd2, arg1->name);
        if (o->status != GQL_OVERLAP_OK || !arg2)
            return 0;
        uint32_t s1 = stringify_value(o, arg1->value_node);
        uint32_t s2 = s1 != UINT32_MAX ? stringify_value(o, arg2->value_node) : UINT32_MAX;
        if (s1 == UINT32_MAX || s2 == UINT32_MAX || s1 != s2)
            return 0;
    }
    return 1;
}

/* ---- Types ------------------------------------------------------------------ */

/*
 * Whether graphql-js would find two type references `===`. Its named types
 * are singletons; its list/non-null wrappers are made anew for each field
 * definition of the SDL, so wrappers are identical only within one field.
 */
static int same_type_object(const gql_type_ref *t1, const gql_type_ref *t2, int same_field)
{
    if (same_field)
        return 1;
    return t1->kind == GQL_REF_NAMED && t2->kind == GQL_REF_NAMED && t1->named == t2->named;
}

static int is_leaf(const gql_type *t)
{
    return t && (t->kind == GQL_TYPE_SCALAR || t->kind == GQL_TYPE_ENUM);
}

/* doTypesConflict (its recursion is a loop here). */
static int do_types_conflict(gql_overlap *o, const gql_type_ref *t1, const gql_type_ref *t2,
                             int same_field)
{
    for (;;) {
        if (same_type_object(t1, t2, same_field))
            return 0;
        if (!spend(o, 1))
            return 0;
        if (t1->kind == GQL_REF_LIST) {
            if (t2->kind != GQL_REF_LIST)
                return 1;
        } else if (t2->kind == GQL_REF_LIST) {
            return 1;
        } else if (t1->kind == GQL_REF_NON_NULL) {
            if (t2->kind != GQL_REF_NON_NULL)
                return 1;
        } else if (t2->kind == GQL_REF_NON_NULL) {
            return 1;
        } else {
            if (is_leaf(t1->named) || is_leaf(t2->named))
                return t1->named != t2->named;
            return 0;
        }
        t1 = t1->of_type;
        t2 = t2->of_type;
    }
}

/* ---- The comparisons ---------------------------------------------------------- */

static void find_between_sub_selection_sets(gql_overlap *o, clist *out, int excl,
                                            const gql_type *p1, const gql_node *s1,
                                            const gql_type *p2, const gql_node *s2);

/* findConflict: appends at most one conflict to `out`. */
static void find_conflict(gql_overlap *o, clist *out, int parent_excl, const group *g,
                          fdetail *fd1, fdetail *fd2)
{
    const gql_node *node1 = fd1->node, *node2 = fd2->node;
    const gql_field *def1 = fd1->def, *def2 = fd2->def;
    const gql_type *pt1 = fd1->parent_type, *pt2 = fd2->parent_type;
    int excl = parent_excl || (pt1 != pt2 && pt1 && pt2 && pt1->kind == GQL_TYPE_OBJECT &&
                               pt2->kind == GQL_TYPE_OBJECT);
    if (!spend(o, 2))
        return;

    int same_def_type = (!def1 && !def2) ||
                        (def1 && def2 && (def1 == def2 ||
                                          same_type_object(def1->type, def2->type, 0)));
    const gql_node *name1 = node1->name, *name2 = node2->name;
    int same_name = name1->value_len == name2->value_len &&
                    memcmp(name1->value, name2->value, name1->value_len) == 0;
    if (fd1->simple_leaf && fd2->simple_leaf && same_def_type && same_name)
        return;

    if (!excl) {
        uintptr_t reason;
        if (!pmap_get(&o->reasons, (uintptr_t)fd1, (uintptr_t)fd2, &reason)) {
            if (!same_name)
                reason = REASON_DIFFERENT_FIELDS;
            else if (same_arguments(o, fd1, fd2))
                reason = REASON_NONE;
            else
                reason = REASON_DIFFERING_ARGS;
            if (o->status != GQL_OVERLAP_OK)
                return;
            if (pmap_put(o->arena, &o->reasons, (uintptr_t)fd1, (uintptr_t)fd2, reason)) {
                fail_oom(o);
                return;
            }
        }
        if (reason != REASON_NONE) {
            gql_buf b = GQL_BUF_INIT;
            if (reason == REASON_DIFFERENT_FIELDS) {
                gql_buf_putc(&b, '"');
                put_abbrev(&b, name1->value, name1->value_len);
                gql_buf_puts(&b, "\" and \"");
                put_abbrev(&b, name2->value, name2->value_len);
                gql_buf_puts(&b, "\" are different fields");
            } else {
                gql_buf_puts(&b, "they have differing arguments");
            }
            push_simple(o, out, g, node1, node2, &b);
            return;
        }
    }

    if (def1 && def2 && do_types_conflict(o, def1->type, def2->type, def1 == def2)) {
        gql_buf b = GQL_BUF_INIT;
        gql_buf_puts(&b, "they return conflicting types \"");
        gql_type_ref_print(&b, def1->type);
        gql_buf_puts(&b, "\" and \"");
        gql_type_ref_print(&b, def2->type);
        gql_buf_putc(&b, '"');
        push_simple(o, out, g, node1, node2, &b);
        return;
    }
    if (o->status != GQL_OVERLAP_OK)
        return;

    if (node1->selection_set && node2->selection_set) {
        clist sub = {NULL, 0, 0};
        find_between_sub_selection_sets(o, &sub, excl, def1 ? def1->type->named : NULL,
                                        node1->selection_set,
                                        def2 ? def2->type->named : NULL,
                                        node2->selection_set);
        if (o->status != GQL_OVERLAP_OK)
            return;
        push_subfield_conflicts(o, out, g, node1, node2, &sub);
    }
}

/* getOverlappingFields, cached per (r1, r2). NULL on stop. */
static const overlap_list *get_overlapping_fields(gql_overlap *o, const cresult *r1,
                                                  const cresult *r2)
{
    uintptr_t v;
    if (pmap_get(&o->overlaps, (uintptr_t)r1, (uintptr_t)r2, &v))
        return (const overlap_list *)v;
    overlap_list *l = gql_arena_zalloc(o->arena, sizeof *l);
    if (!l) {
        fail_oom(o);
        return NULL;
    }
    for (uint32_t i = 0; i < r1->ngroups; i++) {
        if (!spend(o, 1))
            return NULL;
        group *g1 = r1->groups[i];
        if (!pmap_get(&o->groups, (uintptr_t)r2, g1->id, &v))
            continue;
        group_pair *pairs = grow(o->arena, l->pairs, l->n, &l->cap, sizeof *pairs);
        if (!pairs) {
            fail_oom(o);
            return NULL;
        }
        l->pairs = pairs;
        l->pairs[l->n].g1 = g1;
        l->pairs[l->n].g2 = (group *)v;
        l->n++;
    }
    if (pmap_put(o->arena, &o->overlaps, (uintptr_t)r1, (uintptr_t)r2, (uintptr_t)l)) {
        fail_oom(o);
        return NULL;
    }
    return l;
}

/* collectConflictsWithin. */
static void collect_within(gql_overlap *o, clist *out, const cresult *r)
{
    for (uint32_t gi = 0; gi < r->ngroups; gi++) {
        const group *g = r->groups[gi];
        for (uint32_t i = 0; i + 1 < g->n; i++)
            for (uint32_t j = i + 1; j < g->n; j++) {
                find_conflict(o, out, 0, g, g->fields[i], g->fields[j]);
                if (o->status != GQL_OVERLAP_OK)
                    return;
            }
    }
}

/* collectConflictsBetween. */
static void collect_between(gql_overlap *o, clist *out, int excl, const cresult *r1,
                            const cresult *r2)
{
    if (r1->ngroups == 0 || r2->ngroups == 0)
        return;
    const overlap_list *l = get_overlapping_fields(o, r1, r2);
    if (!l)
        return;
    for (uint32_t i = 0; i < l->n; i++) {
        const group *g1 = l->pairs[i].g1, *g2 = l->pairs[i].g2;
        for (uint32_t a = 0; a < g1->n; a++)
            for (uint32_t b = 0; b < g2->n; b++) {
                find_conflict(o, out, excl, g1, g1->fields[a], g2->fields[b]);
                if (o->status != GQL_OVERLAP_OK)
                    return;
            }
    }
}

static int enter(gql_overlap *o)
{
    if (++o->depth > MAX_RECURSION) {
        if (o->status == GQL_OVERLAP_OK)
            o->status = GQL_OVERLAP_ABORTED;
        return 0;
    }
    return 1;
}

/* collectConflictsBetweenFieldsAndFragment. */
static void between_fields_and_fragment(gql_overlap *o, clist *out, int excl,
                                        const cresult *r, uint32_t frag)
{
    if (!spend(o, 1))
        return;
    if (r->ngroups == 0)
        return;
    uintptr_t compared;
    if (pmap_get(&o->cmp_frags, (uintptr_t)r, frag, &compared)) {
        /* compared - 1 is the areMutuallyExclusive of the earlier pass. */
        if (compared == 1 || (excl && compared == 2))
            return;
    }
    if (pmap_put(o->arena, &o->cmp_frags, (uintptr_t)r, frag, excl ? 2 : 1)) {
        fail_oom(o);
        return;
    }
    const gql_node *fragment = get_fragment(o, frag);
    if (!fragment)
        return;
    const cresult *r2 = collect_fragment_fields(o, fragment);
    if (!r2 || r2 == r)
        return;
    if (!enter(o))
        return;
    collect_between(o, out, excl, r, r2);
    for (uint32_t i = 0; i < r2->nfrags && o->status == GQL_OVERLAP_OK; i++)
        between_fields_and_fragment(o, out, excl, r, r2->frags[i]);
    o->depth--;
}

/* collectConflictsBetweenFragments. */
static void between_fragments(gql_overlap *o, clist *out, int excl, uint32_t f1, uint32_t f2)
{
    if (!spend(o, 2))
        return;
    if (f1 == f2)
        return;
    uintptr_t v;
    /* PairSet.has: present either way round, weakly or with the same flag. */
    if (pmap_get(&o->frag_pairs, f1, f2, &v) && (excl || v == 1))
        return;
    if (pmap_get(&o->frag_pairs, f2, f1, &v) && (excl || v == 1))
        return;
    if (pmap_put(o->arena, &o->frag_pairs, f1, f2, excl ? 2 : 1)) {
        fail_oom(o);
        return;
    }
    const gql_node *fragment1 = get_fragment(o, f1);
    const gql_node *fragment2 = get_fragment(o, f2);
    if (!fragment1 || !fragment2)
        return;
    const cresult *r1 = collect_fragment_fields(o, fragment1);
    const cresult *r2 = r1 ? collect_fragment_fields(o, fragment2) : NULL;
    if (!r1 || !r2)
        return;
    if (!enter(o))
        return;
    collect_between(o, out, excl, r1, r2);
    for (uint32_t i = 0; i < r2->nfrags && o->status == GQL_OVERLAP_OK; i++)
        between_fragments(o, out, excl, f1, r2->frags[i]);
    for (uint32_t i = 0; i < r1->nfrags && o->status == GQL_OVERLAP_OK; i++)
        between_fragments(o, out, excl, r1->frags[i], f2);
    o->depth--;
}

/* findConflictsBetweenSubSelectionSets. */
static void find_between_sub_selection_sets(gql_overlap *o, clist *out, int excl,
                                            const gql_type *p1, const gql_node *s1,
                                            const gql_type *p2, const gql_node *s2)
{
    const cresult *r1 = collect_fields(o, p1, s1);
    const cresult *r2 = r1 ? collect_fields(o, p2, s2) : NULL;
    if (!r1 || !r2)
        return;
    if (!enter(o))
        return;
    collect_between(o, out, excl, r1, r2);
    for (uint32_t i = 0; i < r2->nfrags && o->status == GQL_OVERLAP_OK; i++)
        between_fields_and_fragment(o, out, excl, r1, r2->frags[i]);
    for (uint32_t i = 0; i < r1->nfrags && o->status == GQL_OVERLAP_OK; i++)
        between_fields_and_fragment(o, out, excl, r2, r1->frags[i]);
    for (uint32_t i = 0; i < r1->nfrags && o->status == GQL_OVERLAP_OK; i++)
        for (uint32_t j = 0; j < r2->nfrags && o->status == GQL_OVERLAP_OK; j++)
            between_fragments(o, out, excl, r1->frags[i], r2->frags[j]);
    o->depth--;
}

/* findConflictsWithinSelectionSet. */
static void find_within_selection_set(gql_overlap *o, clist *out, const gql_type *parent,
                                      const gql_node *set)
{
    const cresult *r = collect_fields(o, parent, set);
    if (!r)
        return;
    collect_within(o, out, r);
    if (o->status != GQL_OVERLAP_OK)
        return;
    if (r->nfrags != 0 && (r->ngroups != 0 || r->nfrags > 1)) {
        for (uint32_t i = 0; i < r->nfrags; i++) {
            between_fields_and_fragment(o, out, 0, r, r->frags[i]);
            for (uint32_t j = i + 1; j < r->nfrags; j++) {
                if (o->status != GQL_OVERLAP_OK)
                    return;
                between_fragments(o, out, 0, r->frags[i], r->frags[j]);
            }
            if (o->status != GQL_OVERLAP_OK)
                return;
        }
    }
}

/* ---- Entry points ------------------------------------------------------------- */

static gql_walk_result mark_inline(const gql_node *node, const gql_node *parent, void *ud)
{
    gql_overlap *o = ud;
    (void)parent;
    if (node->kind == GQL_INLINE_FRAGMENT && node->selection_set &&
        pmap_put(o->arena, &o->inline_sets, (uintptr_t)node->selection_set, 0, 1)) {
        fail_oom(o);
        return GQL_WALK_BREAK;
    }
    /* Nothing below a definition's values or types holds a fragment. */
    return GQL_WALK_CONTINUE;
}

gql_overlap *gql_overlap_new(const gql_overlap_env *env)
{
    gql_overlap *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->env = *env;
    o->arena = gql_arena_new(16384);
    if (!o->arena) {
        free(o);
        return NULL;
    }
    o->budget = MAX_COMPLEXITY_BUDGET;
    o->status = GQL_OVERLAP_OK;
    return o;
}

void gql_overlap_free(gql_overlap *o)
{
    if (!o)
        return;
    gql_arena_free(o->tmp);
    gql_arena_free(o->arena);
    free(o);
}

gql_overlap_status_code gql_overlap_status(const gql_overlap *o)
{
    return o ? o->status : GQL_OVERLAP_NOMEM;
}

/* Reports one conflict as the rule's visitor does. */
static void report(gql_overlap *o, const conflict *c)
{
    gql_buf m = GQL_BUF_INIT;
    gql_buf_puts(&m, "Fields \"");
    put_abbrev(&m, c->rname, c->rlen);
    gql_buf_puts(&m, "\" conflict because ");
    gql_buf_append(&m, c->reason, c->reason_len);
    gql_buf_puts(&m, ". Use different aliases on the fields to fetch both if this was "
                     "intentional.");
    const gql_node *nodes[2 * MAX_CONFLICT_NODES];
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->n1; i++)
        nodes[n++] = c->f1[i];
    for (uint32_t i = 0; i < c->n2; i++)
        nodes[n++] = c->f2[i];
    if (m.oom) {
        fail_oom(o);
    } else if (o->env.report) {
        o->env.report(o->env.ud, m.data, nodes, n);
    }
    gql_buf_free(&m);
}

void gql_overlap_selection_set(gql_overlap *o, const gql_node *selection_set,
                               const gql_type *parent_type)
{
    if (!o || !selection_set || o->status != GQL_OVERLAP_OK)
        return;
    if (!o->inline_ready) {
        o->inline_ready = 1;
        if (o->env.doc && o->env.doc->root) {
            static const gql_walker walker = {mark_inline, NULL};
            gql_walk(o->env.doc->root, &walker, o);
            if (o->status != GQL_OVERLAP_OK)
                return;
        }
    }
    /* Inline fragments are flattened into their enclosing response level. */
    if (pmap_find(&o->inline_sets, (uintptr_t)selection_set, 0))
        return;
    const gql_list *sels = &selection_set->selections;
    if (sels->count <= 1 && (sels->count == 0 || sels->items[0]->kind != GQL_INLINE_FRAGMENT))
        return;

    gql_arena_free(o->tmp);
    o->tmp = gql_arena_new(4096);
    if (!o->tmp) {
        fail_oom(o);
        return;
    }
    o->depth = 0;
    clist conflicts = {NULL, 0, 0};
    find_within_selection_set(o, &conflicts, parent_type, selection_set);
    /* graphql-js throws out of the rule: nothing of this set is reported. */
    if (o->status == GQL_OVERLAP_OK)
        for (uint32_t i = 0; i < conflicts.n; i++)
            report(o, &conflicts.items[i]);
    gql_arena_free(o->tmp);
    o->tmp = NULL;
}
