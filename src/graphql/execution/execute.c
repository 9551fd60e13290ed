/* execute.c: graphql-js 16 execute() over json-c values: operation selection,
 * field collection (@skip/@include, fragments), resolving, value completion
 * with null propagation, writing the response JSON as it goes. */
#include "config.h"

#include "graphql/execution/exec_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- collected fields ---- */

typedef struct xfields xfields;

/* The FIELD nodes of one response key (graphql-js's fieldNodes). */
typedef struct xgroup {
    const char *key;
    const gql_node **nodes;
    uint32_t n, cap;
    const gql_field *def; /* the field of the parent type; NULL: not defined */
    const char *key_json; /* "key": as JSON, written before the value */
    uint32_t key_json_len;
    /* The coerced arguments when def has some (they depend on the plan's
     * variables only): a reference the plan owns, or args_failed with
     * args_err, graphql-js's error, reported whenever the field runs. */
    json_object *args;
    int args_failed;
    gqlx_error args_err;
    uint8_t how;          /* XHOW_*: how the field is resolved */
    gql_resolver_fn fn;   /* XHOW_RESOLVER: the runtime's resolver */
    void *ud;
    /* The subfields for the field's object type (set when the plan is
     * warmed): complete_object's lookup without hashing. */
    const gql_type *sub_type;
    xfields *sub;
    /* The enum or specified scalar the field returns (maybe non-null),
     * NULL otherwise: such values are serialized without completeValue. */
    const gql_type *leaf;
} xgroup;

/* How a group's field is resolved, decided when it is collected. */
enum { XHOW_DEFAULT = 0, XHOW_TYPENAME, XHOW_INTROSPECTION, XHOW_RESOLVER };

/* collectFields' result: groups in first-appearance order. When collecting
 * failed (a @skip/@include argument could not be coerced), `failed` is set
 * and `err` holds graphql-js's error. */
struct xfields {
    xgroup *items;
    uint32_t count, cap;
    int failed;
    gqlx_error err;
};

/* collectSubfields(type, fieldNodes) memoized: keyed by the type and the
 * field nodes themselves, so that a fragment spread in many places is
 * collected once per type (not once per place). */
typedef struct cache_entry {
    const gql_type *type;
    const gql_node *const *nodes;
    uint32_t n;
    xfields *fields;
} cache_entry;

typedef struct xctx {
    const gql_schema *schema;
    const gql_runtime *rt;
    const gql_document *doc;
    const gql_context *context;
    gql_arena *arena;      /* per run: messages, introspection lists */
    gql_arena *plan_arena; /* per plan: collected fields */
    json_object *variables;
    const gql_node **fragments;
    uint32_t nfragments;
    const gql_directive *skip, *include;
    gql_error_list *errors;
    gql_buf *out;
    gql_path_segment *path;
    uint32_t depth, path_cap;
    cache_entry *cache;
    uint32_t cache_mask, cache_count;
    int frozen;            /* the cache is complete and shared: read it only */
    int path_heap;         /* path was allocated (else it is the run's stack array) */
    json_object **keep; /* resolver results to put at the end */
    uint32_t nkeep, keep_cap;
    int oom;
} xctx;

/* What completeValue knows of the field being completed (graphql-js info). */
typedef struct xfield {
    const gql_type *parent_type;
    const gql_field *def;
    xgroup *group;
} xfield;

/* ---- errors ---- */

static void add_error(xctx *c, const char *message, const gql_node *const *nodes,
                      uint32_t nnodes, int with_path)
{
    gql_location locs[8];
    gql_location *lp = locs;
    if (nnodes > 8) {
        lp = gql_arena_alloc(c->arena, sizeof *lp * nnodes);
        if (!lp) {
            c->oom = 1;
            return;
        }
    }
    for (uint32_t i = 0; i < nnodes; i++)
        lp[i] = gql_node_location(c->doc, nodes[i]);
    gql_error *e = gql_error_list_add(c->errors, message, lp, nnodes);
    if (!e) {
        c->oom = 1;
        return;
    }
    if (with_path && c->depth && gql_error_set_path(e, c->path, c->depth) < 0)
        c->oom = 1;
}

/* A field error (graphql-js locatedError at the current path): located at
 * `node` when given (errors that carry their own nodes), else at the
 * field's nodes. Always returns -1 (thrown). */
static int field_error(xctx *c, const xfield *f, const char *message, const gql_node *node)
{
    if (node)
        add_error(c, message, &node, 1, 1);
    else
        add_error(c, message, f->group->nodes, f->group->n, 1);
    return -1;
}

static inline int push_key(xctx *c, const char *key, uint32_t index)
{
    if (c->depth < c->path_cap) {
        c->path[c->depth].key = key;
        c->path[c->depth].index = index;
        c->depth++;
        return 0;
    }
    {
        uint32_t cap = c->path_cap ? c->path_cap * 2 : 32;
        gql_path_segment *p = realloc(c->path_heap ? c->path : NULL, sizeof *p * cap);
        if (!p) {
            c->oom = 1;
            return -1;
        }
        if (!c->path_heap && c->depth)
            memcpy(p, c->path, sizeof *p * c->depth);
        c->path = p;
        c->path_cap = cap;
        c->path_heap = 1;
    }
    c->path[c->depth].key = key;
    c->path[c->depth].index = index;
    c->depth++;
    return 0;
}

static void keep(xctx *c, json_object *v)
{
    if (!v)
        return;
    if (c->nkeep == c->keep_cap) {
        uint32_t cap = c->keep_cap ? c->keep_cap * 2 : 64;
        json_object **k = realloc(c->keep, sizeof *k * cap);
        if (!k) {
            c->oom = 1;
            json_object_put(v);
            return;
        }
        c->keep = k;
        c->keep_cap = cap;
    }
    c->keep[c->nkeep++] = v;
}

/* ---- collectFields ---- */

static const gql_node *find_fragment(const xctx *c, const char *name)
{
    const gql_node *found = NULL; /* the last definition of a name wins */
    for (uint32_t i = 0; i < c->nfragments; i++)
        if (strcmp(c->fragments[i]->name->value, name) == 0)
            found = c->fragments[i];
    return found;
}

/* graphql-js getDirectiveValues(def, node).if: 1 true, 0 false, 2 absent,
 * -1 on error (out->err). */
static int directive_if(xctx *c, const gql_directive *def, const char *name,
                        const gql_node *node, xfields *out)
{
    const gql_node *dir = NULL;
    for (uint32_t i = 0; i < node->directives.count; i++)
        if (strcmp(node->directives.items[i]->name->value, name) == 0) {
            dir = node->directives.items[i];
            break;
        }
    if (!dir || !def)
        return 2;
    json_object *args;
    if (gqlx_argument_values(c->rt, def->args, def->nargs, dir, c->variables, c->plan_arena, &args,
                             &out->err) < 0) {
        out->failed = 1;
        return -1;
    }
    json_object *v = json_object_object_get(args, "if");
    int r = json_object_get_type(v) == json_type_boolean ? json_object_get_boolean(v) : 2;
    json_object_put(args);
    return r;
}

static int should_include(xctx *c, const gql_node *node, xfields *out)
{
    if (node->directives.count == 0)
        return 1;
    int skip = directive_if(c, c->skip, "skip", node, out);
    if (skip < 0)
        return -1;
    if (skip == 1)
        return 0;
    int inc = directive_if(c, c->include, "include", node, out);
    if (inc < 0)
        return -1;
    return inc != 0;
}

static int condition_matches(xctx *c, const gql_node *cond, const gql_type *type)
{
    if (!cond)
        return 1;
    const gql_type *ct = gql_schema_find_type(c->schema, cond->name->value, cond->name->value_len);
    if (!ct)
        return 0;
    if (ct == type)
        return 1;
    if (gql_type_is_abstract(ct))
        return gql_schema_is_sub_type(c->schema, ct, type);
    return 0;
}

static const gql_field *field_def(const xctx *c, const gql_type *parent, const gql_node *node);

static int add_field(xctx *c, const gql_type *type, xfields *out, const gql_node *field)
{
    const char *key = field->alias ? field->alias->value : field->name->value;
    xgroup *g = NULL;
    for (uint32_t i = 0; i < out->count; i++)
        if (strcmp(out->items[i].key, key) == 0) {
            g = &out->items[i];
            break;
        }
    if (!g) {
        if (out->count == out->cap) {
            uint32_t cap = out->cap ? out->cap * 2 : 8;
            xgroup *items = gql_arena_alloc(c->plan_arena, sizeof *items * cap);
            if (!items)
                return -1;
            if (out->count)
                memcpy(items, out->items, sizeof *items * out->count);
            out->items = items;
            out->cap = cap;
        }
        g = &out->items[out->count++];
        memset(g, 0, sizeof *g);
        g->key = key;
        /* Resolved once per (parent type, response key): the field definition
         * and the key as the response writes it. */
        g->def = field_def(c, type, field);
        gql_buf kb = GQL_BUF_INIT;
        gql_buf_json_string(&kb, key, strlen(key));
        gql_buf_putc(&kb, ':');
        g->key_json_len = (uint32_t)kb.len;
        g->key_json = kb.oom ? NULL : gql_arena_strndup(c->plan_arena, kb.data, kb.len);
        gql_buf_free(&kb);
        if (!g->key_json)
            return -1;
        if (g->def) {
            const gql_type_ref *r = g->def->type;
            if (r->kind == GQL_REF_NON_NULL)
                r = r->of_type;
            if (r->kind == GQL_REF_NAMED &&
                (r->named->kind == GQL_TYPE_ENUM ||
                 (r->named->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR)))
                g->leaf = r->named;
        }
        if (g->def == &c->schema->typename_meta_field)
            g->how = XHOW_TYPENAME;
        else if (g->def == &c->schema->schema_meta_field ||
                 g->def == &c->schema->type_meta_field ||
                 (type->flags & GQL_TYPE_FLAG_INTROSPECTION))
            g->how = XHOW_INTROSPECTION;
        else if (g->def && (g->fn = gqlx_runtime_resolver(c->rt, g->def, &g->ud)) != NULL)
            g->how = XHOW_RESOLVER;
        if (g->def && g->def->nargs > 0 &&
            gqlx_argument_values(c->rt, g->def->args, g->def->nargs, field, c->variables,
                                 c->plan_arena, &g->args, &g->args_err) < 0)
            g->args_failed = 1;
        if (c->frozen && g->args)
            keep(c, g->args); /* collected for this run only (see subfields) */
    }
    if (g->n == g->cap) {
        uint32_t cap = g->cap ? g->cap * 2 : 2;
        const gql_node **nodes = gql_arena_alloc(c->plan_arena, sizeof *nodes * cap);
        if (!nodes)
            return -1;
        if (g->n)
            memcpy(nodes, g->nodes, sizeof *nodes * g->n);
        g->nodes = nodes;
        g->cap = cap;
    }
    g->nodes[g->n++] = field;
    return 0;
}

typedef struct visited {
    const char **names;
    uint32_t n, cap;
} visited;

static int visited_add(xctx *c, visited *v, const char *name)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (strcmp(v->names[i], name) == 0)
            return 0;
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 8;
        const char **names = gql_arena_alloc(c->plan_arena, sizeof *names * cap);
        if (!names)
            return -1;
        if (v->n)
            memcpy(names, v->names, sizeof *names * v->n);
        v->names = names;
        v->cap = cap;
    }
    v->names[v->n++] = name;
    return 1;
}

static int collect(xctx *c, const gql_type *type, const gql_node *sel_set, xfields *out,
                   visited *seen)
{
    for (uint32_t i = 0; i < sel_set->selections.count; i++) {
        const gql_node *s = sel_set->selections.items[i];
        int inc;
        switch (s->kind) {
        case GQL_FIELD:
            inc = should_include(c, s, out);
            if (inc < 0)
                return -1;
            if (inc && add_field(c, type, out, s) < 0) {
                c->oom = 1;
                return -1;
            }
            break;
        case GQL_INLINE_FRAGMENT:
            inc = should_include(c, s, out);
            if (inc < 0)
                return -1;
            if (!inc || !condition_matches(c, s->type_condition, type))
                break;
            if (collect(c, type, s->selection_set, out, seen) < 0)
                return -1;
            break;
        case GQL_FRAGMENT_SPREAD: {
            const char *name = s->name->value;
            int r;
            for (r = 0; r < (int)seen->n; r++)
                if (strcmp(seen->names[r], name) == 0)
                    break;
            if (r < (int)seen->n)
                break;
            inc = should_include(c, s, out);
            if (inc < 0)
                return -1;
            if (!inc)
                break;
            if (visited_add(c, seen, name) < 0) {
                c->oom = 1;
                return -1;
            }
            const gql_node *frag = find_fragment(c, name);
            if (!frag || !condition_matches(c, frag->type_condition, type))
                break;
            if (collect(c, type, frag->selection_set, out, seen) < 0)
                return -1;
            break;
        }
        default:
            break;
        }
    }
    return 0;
}

static uint32_t nodes_hash(const gql_type *type, const gql_node *const *nodes, uint32_t n)
{
    uint64_t h = (uint64_t)(uintptr_t)type * 0x9E3779B97F4A7C15u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (uint64_t)(uintptr_t)nodes[i]) * 0xC2B2AE3D27D4EB4Fu;
    return (uint32_t)(h ^ (h >> 29));
}

static int entry_is(const cache_entry *e, const gql_type *type, const gql_node *const *nodes,
                    uint32_t n)
{
    return e->type == type && e->n == n && memcmp(e->nodes, nodes, sizeof *nodes * n) == 0;
}

/* collectSubfields(type, nodes), memoized in the plan. *created (may be
 * NULL) tells whether this call collected them. In a frozen (shared) plan
 * the cache is only read; a miss, which warming makes impossible for the
 * types a run can meet, is collected into the run's arena uncached.
 * Returns NULL on OOM. */
static xfields *subfields(xctx *c, const gql_type *type, const gql_node *const *nodes,
                          uint32_t n, int *created)
{
    if (created)
        *created = 0;
    if (c->cache) {
        uint32_t h = nodes_hash(type, nodes, n) & c->cache_mask;
        while (c->cache[h].fields) {
            if (entry_is(&c->cache[h], type, nodes, n))
                return c->cache[h].fields;
            h = (h + 1) & c->cache_mask;
        }
    }
    if (!c->frozen && (!c->cache || c->cache_count * 2 >= c->cache_mask + 1)) {
        uint32_t cap = c->cache_mask ? (c->cache_mask + 1) * 2 : 64;
        cache_entry *t = calloc(cap, sizeof *t);
        if (!t)
            return NULL;
        for (uint32_t i = 0; c->cache && i <= c->cache_mask; i++) {
            if (!c->cache[i].fields)
                continue;
            const cache_entry *e = &c->cache[i];
            uint32_t h = nodes_hash(e->type, e->nodes, e->n) & (cap - 1);
            while (t[h].fields)
                h = (h + 1) & (cap - 1);
            t[h] = *e;
        }
        free(c->cache);
        c->cache = t;
        c->cache_mask = cap - 1;
    }
    xfields *f = gql_arena_zalloc(c->plan_arena, sizeof *f);
    if (!f)
        return NULL;
    visited seen = {0};
    for (uint32_t i = 0; i < n; i++)
        if (nodes[i]->selection_set && collect(c, type, nodes[i]->selection_set, f, &seen) < 0)
            break;
    if (c->oom)
        return NULL;
    if (created)
        *created = 1;
    if (c->frozen)
        return f;
    uint32_t h = nodes_hash(type, nodes, n) & c->cache_mask;
    while (c->cache[h].fields)
        h = (h + 1) & c->cache_mask;
    c->cache[h].type = type;
    c->cache[h].nodes = nodes;
    c->cache[h].n = n;
    c->cache[h].fields = f;
    c->cache_count++;
    return f;
}

/* Collects ahead of time every subfield set a run can ask for: for each
 * field of an object type its subfields, for an abstract type those of
 * each possible type. Each (type, nodes) is collected and descended into
 * once, so the work is linear in the document times the possible types,
 * whatever the data. Returns 0, -1 on OOM. */
static int warm(xctx *c, const xfields *fields)
{
    for (uint32_t i = 0; i < fields->count; i++) {
        xgroup *g = &fields->items[i];
        if (!g->def)
            continue;
        const gql_type_ref *r = g->def->type;
        while (r->kind != GQL_REF_NAMED)
            r = r->of_type;
        const gql_type *t = r->named;
        const gql_type *const *types = &t;
        uint32_t ntypes = 1;
        if (gql_type_is_abstract(t)) {
            types = t->possible_types;
            ntypes = t->npossible_types;
        } else if (t->kind != GQL_TYPE_OBJECT) {
            continue;
        }
        for (uint32_t k = 0; k < ntypes; k++) {
            int created;
            xfields *sub = subfields(c, types[k], g->nodes, g->n, &created);
            if (!sub)
                return -1;
            if (t->kind == GQL_TYPE_OBJECT) {
                g->sub_type = t;
                g->sub = sub;
            }
            if (created && !sub->failed && warm(c, sub) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---- resolving ---- */

static void json_value(gqlx_value *v, json_object *j)
{
    v->kind = GQLX_JSON;
    v->json = j;
    v->ptr = NULL;
    v->len = 0;
}

/* graphql-js defaultFieldResolver on a JSON parent.
 * NOTE: JavaScript would also find inherited properties (`constructor`,
 * `toString`, ...) and call them; a JSON value has none of its own. */
static void default_resolve(xctx *c, const gqlx_value *parent, const gql_field *f,
                            struct lh_entry **cursor, gqlx_value *out)
{
    out->kind = GQLX_UNDEF;
    out->json = NULL;
    out->ptr = NULL;
    out->len = 0;
    if (parent->kind != GQLX_JSON || !parent->json)
        return;
    json_type t = *cursor ? json_type_object : json_object_get_type(parent->json);
    if (t == json_type_object) {
        /* Objects usually list their properties in the order the selection
         * asks for them (an event written by the same code every time): try
         * the entry after the last one found before hashing the name. */
        struct lh_entry *e = *cursor;
        if (!e || strcmp((const char *)lh_entry_k(e), f->name) != 0)
            e = lh_table_lookup_entry(json_object_get_object(parent->json), f->name);
        if (e) {
            json_value(out, (json_object *)lh_entry_v(e));
            *cursor = lh_entry_next(e);
        }
    } else if (t == json_type_array && strcmp(f->name, "length") == 0) {
        /* arrays are object-like in JavaScript: `length` is their own property */
        json_object *n = json_object_new_int64((int64_t)json_object_array_length(parent->json));
        keep(c, n);
        json_value(out, n);
    }
}

static int complete_value(xctx *c, const xfield *f, const gql_type_ref *type,
                          const gqlx_value *v);

static int execute_fields(xctx *c, const gql_type *type, const gqlx_value *source,
                          const xfields *fields);

static const char *type_name_of(const gqlx_value *v)
{
    if (v->kind != GQLX_JSON || json_object_get_type(v->json) != json_type_object)
        return NULL;
    json_object *t;
    if (!json_object_object_get_ex(v->json, "__typename", &t) ||
        json_object_get_type(t) != json_type_string)
        return NULL;
    return json_object_get_string(t);
}

static int complete_object(xctx *c, const xfield *f, const gql_type *type,
                           const gqlx_value *v)
{
    xgroup *g = f->group;
    xfields *sub = g->sub_type == type ? g->sub : subfields(c, type, g->nodes, g->n, NULL);
    if (!sub) {
        c->oom = 1;
        return -1;
    }
    if (!c->frozen && !g->sub_type) {
        /* a private plan fills the shortcut as it goes (a shared one was warmed) */
        g->sub_type = type;
        g->sub = sub;
    }
    if (sub->failed)
        return field_error(c, f, sub->err.message, sub->err.node);
    return execute_fields(c, type, v, sub);
}

static int complete_abstract(xctx *c, const xfield *f, const gql_type *abstract,
                             const gqlx_value *v)
{
    const char *name = NULL;
    size_t name_len = 0;
    void *ud = NULL;
    gql_type_resolver_fn fn = gqlx_runtime_type_resolver(c->rt, abstract, &ud);
    if (fn && v->kind == GQLX_JSON) {
        gql_resolve_info info = {c->schema, f->parent_type, f->def, f->group->nodes,
                                 f->group->n, c->context, c->arena};
        name = fn(v->json, abstract, &info, ud);
        if (name)
            name_len = strlen(name);
    } else {
        name = type_name_of(v);
        if (name)
            name_len = (size_t)json_object_get_string_len(
                json_object_object_get(v->json, "__typename"));
    }
    char *m;
    if (!name) {
        m = gql_arena_printf(c->arena,
                             "Abstract type \"%s\" must resolve to an Object type at runtime for "
                             "field \"%s.%s\". Either the \"%s\" type should provide a "
                             "\"resolveType\" function or each possible type should provide an "
                             "\"isTypeOf\" function.",
                             abstract->name, f->parent_type->name, f->def->name, abstract->name);
        return field_error(c, f, m ? m : "out of memory", NULL);
    }
    const gql_type *rt = gql_schema_find_type(c->schema, name, name_len);
    if (!rt) {
        gql_buf b = GQL_BUF_INIT;
        gql_buf_printf(&b, "Abstract type \"%s\" was resolved to a type \"", abstract->name);
        gql_buf_append(&b, name, name_len);
        gql_buf_puts(&b, "\" that does not exist inside the schema.");
        return field_error(c, f, gqlx_buf_arena(&b, c->arena), NULL);
    }
    if (rt->kind != GQL_TYPE_OBJECT) {
        m = gql_arena_printf(c->arena,
                             "Abstract type \"%s\" was resolved to a non-object type \"%s\".",
                             abstract->name, rt->name);
        return field_error(c, f, m ? m : "out of memory", NULL);
    }
    if (!gql_schema_is_sub_type(c->schema, abstract, rt)) {
        m = gql_arena_printf(c->arena, "Runtime Object type \"%s\" is not a possible type for \"%s\".",
                             rt->name, abstract->name);
        return field_error(c, f, m ? m : "out of memory", NULL);
    }
    return complete_object(c, f, rt, v);
}

/* completeLeafValue for a custom scalar with a registered serialize. */
static int complete_custom_scalar(xctx *c, const xfield *f, const gql_type *t, json_object *v)
{
    json_object *out = NULL;
    const char *error = NULL;
    if (gqlx_scalar_call(c->rt, t, 0, v, &out, &error) < 0) {
        if (error)
            return field_error(c, f, error, NULL);
        gql_buf b = GQL_BUF_INIT;
        gql_buf_printf(&b, "%s cannot represent value: ", t->name);
        gqlx_inspect(&b, v);
        return field_error(c, f, gqlx_buf_arena(&b, c->arena), NULL);
    }
    if (!out) {
        /* graphql-js: serialize must not return null or undefined */
        gql_buf b = GQL_BUF_INIT;
        gql_buf_printf(&b, "Expected `%s.serialize(", t->name);
        gqlx_inspect(&b, v);
        gql_buf_puts(&b, ")` to return non-nullable value, returned: null");
        return field_error(c, f, gqlx_buf_arena(&b, c->arena), NULL);
    }
    gqlx_json_write(c->out, out);
    json_object_put(out);
    return 0;
}

static int is_null_value(const gqlx_value *v)
{
    return v->kind == GQLX_UNDEF || (v->kind == GQLX_JSON && v->json == NULL);
}

/* completeValue: writes the completed value. Returns 0 (a non-null value
 * written), 1 (null written) or -1 (an error was thrown; what was written
 * is for the catcher to discard). */
static int complete_value(xctx *c, const xfield *f, const gql_type_ref *type,
                          const gqlx_value *v)
{
    if (type->kind == GQL_REF_NON_NULL) {
        int rc = complete_value(c, f, type->of_type, v);
        if (rc != 1)
            return rc;
        char *m = gql_arena_printf(c->arena, "Cannot return null for non-nullable field %s.%s.",
                                   f->parent_type->name, f->def->name);
        return field_error(c, f, m ? m : "out of memory", NULL);
    }
    if (is_null_value(v)) {
        gqlx_puts_lit(c->out, "null");
        return 1;
    }
    if (type->kind == GQL_REF_LIST) {
        size_t n;
        int is_json;
        if (v->kind == GQLX_LIST) {
            n = v->len;
            is_json = 0;
        } else if (v->kind == GQLX_JSON && json_object_get_type(v->json) == json_type_array) {
            n = json_object_array_length(v->json);
            is_json = 1;
        } else {
            char *m = gql_arena_printf(c->arena,
                                       "Expected Iterable, but did not find one for field \"%s.%s\".",
                                       f->parent_type->name, f->def->name);
            return field_error(c, f, m ? m : "out of memory", NULL);
        }
        const gql_type_ref *item_type = type->of_type;
        gqlx_putc(c->out, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                gqlx_putc(c->out, ',');
            gqlx_value item;
            if (is_json)
                json_value(&item, json_object_array_get_idx(v->json, i));
            else
                item = ((const gqlx_value *)v->ptr)[i];
            if (push_key(c, NULL, (uint32_t)i) < 0)
                return -1;
            size_t mark = c->out->len;
            int rc = complete_value(c, f, item_type, &item);
            c->depth--;
            if (rc < 0) {
                if (item_type->kind == GQL_REF_NON_NULL || c->oom)
                    return -1;
                c->out->len = mark;
                gqlx_puts_lit(c->out, "null");
            }
        }
        gqlx_putc(c->out, ']');
        return 0;
    }
    const gql_type *t = type->named;
    if (gql_type_is_leaf(t)) {
        if (v->kind == GQLX_STR) {
            gqlx_json_string(c->out, v->ptr, v->len);
            return 0;
        }
        if (v->kind == GQLX_BOOL) {
            gql_buf_puts(c->out, v->len ? "true" : "false");
            return 0;
        }
        char *message = NULL;
        if (v->kind != GQLX_JSON)
            return field_error(c, f, "unexpected value for a leaf type", NULL);
        if (t->kind == GQL_TYPE_SCALAR && !(t->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR) &&
            gqlx_runtime_scalar(c->rt, t, 0, NULL))
            return complete_custom_scalar(c, f, t, v->json);
        if (gqlx_serialize_leaf(t, v->json, c->out, c->arena, &message) < 0)
            return field_error(c, f, message, NULL);
        return 0;
    }
    if (gql_type_is_abstract(t))
        return complete_abstract(c, f, t, v);
    return complete_object(c, f, t, v);
}

static const gql_field *field_def(const xctx *c, const gql_type *parent, const gql_node *node)
{
    const char *name = node->name->value;
    if (name[0] == '_' && name[1] == '_') {
        if (parent == c->schema->query) {
            if (strcmp(name, "__schema") == 0)
                return &c->schema->schema_meta_field;
            if (strcmp(name, "__type") == 0)
                return &c->schema->type_meta_field;
        }
        if (strcmp(name, "__typename") == 0)
            return &c->schema->typename_meta_field;
    }
    return gql_type_find_field(parent, name, node->name->value_len);
}

/* executeField: writes "key":value (nothing when the field is unknown).
 * Returns 0, or -1 when a non-null field failed (propagate). */
static int execute_field(xctx *c, const gql_type *parent_type, const gqlx_value *source,
                         xgroup *g, int *first, struct lh_entry **cursor)
{
    const gql_field *def = g->def;
    if (!def)
        return 0;
    if (!*first)
        gqlx_putc(c->out, ',');
    *first = 0;
    gqlx_put(c->out, g->key_json, g->key_json_len);
    if (push_key(c, g->key, 0) < 0)
        return -1;
    size_t mark = c->out->len;
    xfield f = {parent_type, def, g};
    int rc;
    json_object *args = g->args; /* borrowed from the plan */
    json_object *empty = NULL;
    if (g->args_failed) {
        rc = field_error(c, &f, g->args_err.message, g->args_err.node);
        goto done;
    }
    gqlx_value value;
    if (g->how == XHOW_DEFAULT) {
        default_resolve(c, source, def, cursor, &value);
    } else if (g->how == XHOW_TYPENAME) {
        value.kind = GQLX_STR;
        value.json = NULL;
        value.ptr = parent_type->name;
        value.len = parent_type->name_len;
    } else if (g->how == XHOW_INTROSPECTION) {
        gqlx_introspect_field(c->schema, c->arena, source, parent_type, def, args, &value);
    } else {
        gql_resolve_info info = {c->schema, parent_type, def, g->nodes, g->n, c->context,
                                 c->arena};
        json_object *result = NULL;
        const char *error = NULL;
        json_object *parent = source->kind == GQLX_JSON ? source->json : NULL;
        if (!args)
            args = empty = json_object_new_object();
        gql_resolve_status st = g->fn(parent, args, &info, g->ud, &result, &error);
        if (st != GQL_RESOLVE_OK) {
            keep(c, result);
            rc = field_error(c, &f, error ? error : "Resolver failed.", NULL);
            goto done;
        }
        keep(c, result);
        json_value(&value, result);
    }
    if (g->leaf && value.kind == GQLX_JSON && value.json) {
        char *message = NULL;
        rc = gqlx_serialize_leaf(g->leaf, value.json, c->out, c->arena, &message) < 0
                 ? field_error(c, &f, message, NULL)
                 : 0;
    } else {
        rc = complete_value(c, &f, def->type, &value);
    }
done:
    json_object_put(empty);
    c->depth--;
    if (rc < 0) {
        if (def->type->kind == GQL_REF_NON_NULL || c->oom)
            return -1;
        c->out->len = mark;
        gqlx_puts_lit(c->out, "null");
    }
    return 0;
}

static int execute_fields(xctx *c, const gql_type *type, const gqlx_value *source,
                          const xfields *fields)
{
    int first = 1;
    struct lh_entry *cursor = NULL;
    if (source->kind == GQLX_JSON && json_object_get_type(source->json) == json_type_object)
        cursor = lh_table_head(json_object_get_object(source->json));
    gqlx_putc(c->out, '{');
    for (uint32_t i = 0; i < fields->count; i++)
        if (execute_field(c, type, source, &fields->items[i], &first, &cursor) < 0)
            return -1;
    gqlx_putc(c->out, '}');
    return 0;
}

/* ---- plans ---- */

struct gql_plan {
    xctx c;                   /* the long-lived part: schema, variables, cache */
    const gql_node *operation;
    const gql_type *root_type;
    xfields *root_fields;     /* NULL when the operation cannot run */
    gql_error_list errors;    /* request errors (copied into every result) */
    int has_data;             /* 0: results carry errors only */
};

static void request_error(gql_error_list *errors, const char *message)
{
    gql_error_list_add(errors, message, NULL, 0);
}

static int copy_errors(gql_error_list *to, const gql_error_list *from)
{
    for (uint32_t i = 0; i < from->count; i++) {
        const gql_error *e = &from->items[i];
        gql_error *n = gql_error_list_add(to, e->message, e->locations, e->nlocations);
        if (!n || (e->npath && gql_error_set_path(n, e->path, e->npath) < 0))
            return -1;
    }
    return 0;
}

/* gql_plan_new; `shared`: warm and freeze the collection cache so that
 * runs only read the plan (gql_execute's private plan collects lazily). */
static gql_plan *plan_new(const gql_plan_args *a, int shared)
{
    static const gql_context no_context = {NULL, NULL, NULL};
    gql_plan *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    xctx *c = &p->c;
    c->schema = a->schema;
    c->rt = a->runtime;
    c->doc = a->document;
    c->context = &no_context;
    c->plan_arena = c->arena = gql_arena_new(0);
    if (!c->arena) {
        free(p);
        return NULL;
    }
    c->errors = &p->errors;
    const gql_node *root = a->document->root;
    const gql_node *operation = NULL;
    uint32_t nfragments = 0;
    for (uint32_t i = 0; i < root->definitions.count; i++) {
        const gql_node *d = root->definitions.items[i];
        if (d->kind == GQL_OPERATION_DEFINITION) {
            if (!a->operation_name) {
                if (operation) {
                    request_error(&p->errors, "Must provide operation name if query contains "
                                              "multiple operations.");
                    return p;
                }
                operation = d;
            } else if (d->name && strcmp(d->name->value, a->operation_name) == 0) {
                operation = d;
            }
        } else if (d->kind == GQL_FRAGMENT_DEFINITION) {
            nfragments++;
        }
    }
    if (!operation) {
        if (a->operation_name) {
            char *m = gql_arena_printf(c->arena, "Unknown operation named \"%s\".",
                                       a->operation_name);
            request_error(&p->errors, m ? m : "out of memory");
        } else {
            request_error(&p->errors, "Must provide an operation.");
        }
        return p;
    }
    p->operation = operation;
    c->fragments = gql_arena_alloc(c->arena, sizeof *c->fragments * (nfragments + 1));
    if (!c->fragments)
        goto oom;
    for (uint32_t i = 0; i < root->definitions.count; i++)
        if (root->definitions.items[i]->kind == GQL_FRAGMENT_DEFINITION)
            c->fragments[c->nfragments++] = root->definitions.items[i];
    c->skip = gql_schema_find_directive(c->schema, "skip", 4);
    c->include = gql_schema_find_directive(c->schema, "include", 7);

    c->variables = gqlx_coerce_variables(c->schema, c->rt, c->doc, c->arena, operation, a->variables,
                                         &p->errors);
    if (!c->variables) {
        if (!p->errors.count)
            goto oom;
        return p;
    }
    p->has_data = 1;
    p->root_type = gql_schema_root_type(c->schema, (gql_operation_type)operation->operation);
    if (!p->root_type) {
        char *m = gql_arena_printf(c->arena, "Schema is not configured to execute %s operation.",
                                   gql_operation_name((gql_operation_type)operation->operation));
        add_error(c, m ? m : "out of memory", &operation, 1, 0);
        return p;
    }
    xgroup *op_group = gql_arena_zalloc(c->arena, sizeof *op_group);
    const gql_node **op_nodes = gql_arena_alloc(c->arena, sizeof *op_nodes);
    if (!op_group || !op_nodes)
        goto oom;
    op_nodes[0] = operation;
    op_group->nodes = op_nodes;
    op_group->n = op_group->cap = 1;
    xfields *fields = subfields(c, p->root_type, op_nodes, 1, NULL);
    if (!fields)
        goto oom;
    if (fields->failed) {
        add_error(c, fields->err.message, &fields->err.node, fields->err.node ? 1 : 0, 0);
        return p;
    }
    p->root_fields = fields;
    if (shared) {
        if (warm(c, fields) < 0)
            goto oom;
        c->frozen = 1;
    }
    return p;
oom:
    gql_plan_free(p);
    return NULL;
}

gql_plan *gql_plan_new(const gql_plan_args *a)
{
    return plan_new(a, 1);
}

void gql_plan_free(gql_plan *p)
{
    if (!p)
        return;
    for (uint32_t i = 0; p->c.cache && i <= p->c.cache_mask; i++) {
        const xfields *f = p->c.cache[i].fields;
        for (uint32_t j = 0; f && j < f->count; j++)
            json_object_put(f->items[j].args);
    }
    free(p->c.cache);
    if (p->c.path_heap)
        free(p->c.path);
    free(p->c.keep);
    json_object_put(p->c.variables);
    gql_error_list_clear(&p->errors);
    gql_arena_free(p->c.plan_arena);
    free(p);
}

gql_operation_type gql_plan_operation(const gql_plan *p)
{
    return p->operation ? (gql_operation_type)p->operation->operation : GQL_OP_QUERY;
}

/* One run of a plan: `root` is the root value (mode 0), or the value of the
 * single root field (mode 1, a subscription event). */
static int plan_run(gql_plan *p, json_object *root, int event_mode, const gql_context *context,
                    gql_result *result)
{
    if (copy_errors(&result->errors, &p->errors) < 0)
        return -1;
    if (!p->has_data)
        return 0;
    /* The run's own context: a copy of the plan's, with the run's output,
     * errors, path, arena and resolver results. A frozen plan is only read,
     * so any number of threads may run it at once. */
    xctx run = p->c;
    xctx *c = &run;
    gql_path_segment path[64];
    c->path = path;
    c->path_cap = 64;
    c->path_heap = 0;
    c->keep = NULL;
    c->keep_cap = 0;
    gql_buf out = GQL_BUF_INIT;
    int failed = 1;
    /* Most responses fit: one allocation instead of growing from 64 bytes. */
    out.data = malloc(1024);
    if (out.data) {
        out.cap = 1024;
        out.data[0] = '\0';
    }
    c->out = &out;
    c->errors = &result->errors;
    c->depth = 0;
    c->oom = 0;
    c->nkeep = 0;
    if (context)
        c->context = context;
    c->arena = gql_arena_new(0);
    if (!c->arena) {
        free(out.data);
        return -1;
    }
    if (c->frozen)
        c->plan_arena = c->arena; /* what a cache miss collects is the run's */
    if (p->root_fields) {
        gqlx_value rootv;
        memset(&rootv, 0, sizeof rootv);
        if (!event_mode) {
            if (root)
                json_value(&rootv, root);
            failed = execute_fields(c, p->root_type, &rootv, p->root_fields) < 0;
        } else {
            /* graphql-js mapSourceToResponse with the event as the root field's
             * resolved value: complete the single root field directly. */
            failed = 0;
            gql_buf_putc(&out, '{');
            xgroup *g = p->root_fields->count ? &p->root_fields->items[0] : NULL;
            const gql_field *def = g ? g->def : NULL;
            if (def) {
                gqlx_put(&out, g->key_json, g->key_json_len);
                size_t mark = out.len;
                xfield f = {p->root_type, def, g};
                gqlx_value v;
                json_value(&v, root);
                if (push_key(c, g->key, 0) == 0) {
                    int rc = complete_value(c, &f, def->type, &v);
                    c->depth--;
                    if (rc < 0) {
                        if (def->type->kind == GQL_REF_NON_NULL || c->oom) {
                            failed = 1;
                        } else {
                            out.len = mark;
                            gql_buf_puts(&out, "null");
                        }
                    }
                }
            }
            gql_buf_putc(&out, '}');
        }
    }
    if (failed) {
        gql_buf_reset(&out);
        gql_buf_puts(&out, "null");
    }
    int oom = c->oom || out.oom;
    result->data_len = out.len;
    result->data = gql_buf_take(&out);
    if (!result->data)
        oom = 1;
    for (uint32_t i = 0; i < c->nkeep; i++)
        json_object_put(c->keep[i]);
    free(c->keep);
    if (c->path_heap)
        free(c->path);
    gql_arena_free(c->arena);
    if (!c->frozen) {
        /* a private plan (gql_execute) collects lazily: keep what it found */
        p->c.cache = c->cache;
        p->c.cache_mask = c->cache_mask;
        p->c.cache_count = c->cache_count;
    }
    return oom ? -1 : 0;
}

int gql_plan_execute(gql_plan *p, json_object *root_value, const gql_context *context,
                     gql_result *result)
{
    return plan_run(p, root_value, 0, context, result);
}

int gql_plan_map_event(gql_plan *p, json_object *event, const gql_context *context,
                       gql_result *result)
{
    return plan_run(p, event, 1, context, result);
}

int gql_plan_subscribe_errors(gql_plan *p, gql_result *result)
{
    if (copy_errors(&result->errors, &p->errors) < 0)
        return -1;
    if (!p->has_data || !p->root_fields || !p->root_fields->count)
        return (int)result->errors.count;
    xctx run = p->c; /* the plan is only read (see plan_run) */
    xctx *c = &run;
    gql_path_segment path[1];
    c->path = path;
    c->path_cap = 1;
    c->path_heap = 0;
    c->depth = 0;
    c->oom = 0;
    c->arena = gql_arena_new(0);
    if (!c->arena)
        return -1;
    const xgroup *g = &p->root_fields->items[0];
    const gql_field *def = g->def;
    c->errors = &result->errors;
    if (!def) {
        char *m = gql_arena_printf(c->arena, "The subscription field \"%s\" is not defined.",
                                   g->nodes[0]->name->value);
        add_error(c, m ? m : "out of memory", g->nodes, g->n, 0);
    } else if (g->args_failed) {
        if (push_key(c, g->key, 0) == 0) {
            add_error(c, g->args_err.message, &g->args_err.node, 1, 1);
            c->depth--;
        }
    }
    gql_arena_free(c->arena);
    if (c->path_heap)
        free(c->path);
    return c->oom ? -1 : (int)result->errors.count;
}

int gql_execute(const gql_execute_args *a, gql_result *result)
{
    gql_plan_args pa = {a->schema, a->runtime, a->document, a->operation_name, a->variables};
    gql_plan *p = plan_new(&pa, 0);
    if (!p)
        return -1;
    int rc = gql_plan_execute(p, a->root_value, a->context, result);
    gql_plan_free(p);
    return rc;
}

void gql_result_to_json(gql_buf *out, const gql_result *r)
{
    gql_buf_putc(out, '{');
    if (r->errors.count) {
        gql_buf_puts(out, "\"errors\":");
        gql_error_list_to_json(out, &r->errors);
    }
    if (r->data) {
        if (r->errors.count)
            gql_buf_putc(out, ',');
        gql_buf_puts(out, "\"data\":");
        gql_buf_append(out, r->data, r->data_len);
    }
    gql_buf_putc(out, '}');
}

void gql_result_clear(gql_result *r)
{
    gql_error_list_clear(&r->errors);
    free(r->data);
    r->data = NULL;
    r->data_len = 0;
}
