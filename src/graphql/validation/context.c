/* context.c: validation context, TypeInfo and cached document facts
 * (graphql-js ValidationContext.ts and utilities/TypeInfo.ts). */
#include "config.h"

#include "graphql/validation/context.h"

#include "graphql/ast_internal.h"

#include <gqlsse/printer.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- containers ---- */

int gql_vec_push(gql_arena *a, gql_vec *v, const void *item)
{
    if (v->count == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 8;
        const void **items = gql_arena_alloc(a, cap * sizeof *items);
        if (!items)
            return -1;
        if (v->count)
            memcpy(items, v->items, v->count * sizeof *items);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->count++] = item;
    return 0;
}

static uint32_t hash_name(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    return (uint32_t)x;
}

static int slot_match(const gql_vmap_slot *s, const void *key, uint32_t len, uint32_t h)
{
    if (s->hash != h || s->len != len)
        return 0;
    if (len == UINT32_MAX)
        return s->key == key;
    return memcmp(s->key, key, len) == 0;
}

static const gql_vmap_slot *vmap_find(const gql_vmap *m, const void *key, uint32_t len,
                                      uint32_t h)
{
    if (!m->slots)
        return NULL;
    for (uint32_t i = h & m->mask;; i = (i + 1) & m->mask) {
        const gql_vmap_slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (slot_match(s, key, len, h))
            return s;
    }
}

static int vmap_grow(gql_arena *a, gql_vmap *m)
{
    uint32_t n = m->slots ? (m->mask + 1) * 2 : 16;
    gql_vmap_slot *slots = gql_arena_zalloc(a, n * sizeof *slots);
    if (!slots)
        return -1;
    if (m->slots) {
        for (uint32_t i = 0; i <= m->mask; i++) {
            gql_vmap_slot *s = &m->slots[i];
            if (!s->key)
                continue;
            uint32_t j = s->hash & (n - 1);
            while (slots[j].key)
                j = (j + 1) & (n - 1);
            slots[j] = *s;
        }
    }
    m->slots = slots;
    m->mask = n - 1;
    return 0;
}

static gql_vmap_slot *vmap_lookup(gql_arena *a, gql_vmap *m, const void *key, uint32_t len,
                                  uint32_t h, int insert)
{
    gql_vmap_slot *s = (gql_vmap_slot *)vmap_find(m, key, len, h);
    if (s || !insert)
        return s;
    if (!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3) {
        if (vmap_grow(a, m))
            return NULL;
    }
    uint32_t i = h & m->mask;
    while (m->slots[i].key)
        i = (i + 1) & m->mask;
    s = &m->slots[i];
    s->key = key;
    s->len = len;
    s->hash = h;
    s->value = NULL;
    m->count++;
    return s;
}

gql_vmap_slot *gql_vmap_name(gql_arena *a, gql_vmap *m, const char *name, size_t len,
                             int insert)
{
    /* A non-NULL key even for the empty name. */
    return vmap_lookup(a, m, len ? name : "", (uint32_t)len, hash_name(name, len), insert);
}

gql_vmap_slot *gql_vmap_ptr(gql_arena *a, gql_vmap *m, const void *key, int insert)
{
    return vmap_lookup(a, m, key, UINT32_MAX, hash_ptr(key), insert);
}

const void *gql_vmap_get_name(const gql_vmap *m, const char *name, size_t len)
{
    const gql_vmap_slot *s =
        vmap_find(m, len ? name : "", (uint32_t)len, hash_name(name, len));
    return s ? s->value : NULL;
}

const void *gql_vmap_get_ptr(const gql_vmap *m, const void *key)
{
    const gql_vmap_slot *s = vmap_find(m, key, UINT32_MAX, hash_ptr(key));
    return s ? s->value : NULL;
}

/* ---- type references ---- */

const gql_type *gql_ref_named(const gql_type_ref *r)
{
    return r ? r->named : NULL;
}

const gql_type_ref *gql_ref_nullable(const gql_type_ref *r)
{
    return r && r->kind == GQL_REF_NON_NULL ? r->of_type : r;
}

int gql_ref_is_named_kind(const gql_type_ref *r, gql_type_kind kind)
{
    return r && r->kind == GQL_REF_NAMED && r->named && r->named->kind == kind;
}

const gql_type_ref *gql_type_from_ast(const gql_schema *s, gql_arena *arena,
                                      const gql_node *t)
{
    if (!t)
        return NULL;
    if (t->kind == GQL_NAMED_TYPE) {
        const gql_type *named = gql_schema_find_type(s, t->name->value, t->name->value_len);
        return named ? &named->ref : NULL;
    }
    const gql_type_ref *inner = gql_type_from_ast(s, arena, t->type);
    if (!inner)
        return NULL;
    gql_type_ref *r = gql_arena_alloc(arena, sizeof *r);
    if (!r)
        return NULL;
    r->kind = t->kind == GQL_LIST_TYPE ? GQL_REF_LIST : GQL_REF_NON_NULL;
    r->of_type = inner;
    r->named = inner->named;
    return r;
}

static int ref_is_input(const gql_type_ref *r)
{
    return r && r->named && gql_type_is_input(r->named);
}

static int ref_is_output(const gql_type_ref *r)
{
    return r && r->named && gql_type_is_output(r->named);
}

const gql_field *gql_vfield_def(const gql_schema *s, const gql_type *parent,
                                const gql_node *field)
{
    const gql_node *n = field->name;
    if (!parent)
        return NULL;
    if (n->value_len >= 2 && n->value[0] == '_' && n->value[1] == '_') {
        if (strcmp(n->value, "__schema") == 0 && s->query == parent)
            return &s->schema_meta_field;
        if (strcmp(n->value, "__type") == 0 && s->query == parent)
            return &s->type_meta_field;
        if (strcmp(n->value, "__typename") == 0 && gql_type_is_composite(parent))
            return &s->typename_meta_field;
    }
    if (parent->kind == GQL_TYPE_OBJECT || parent->kind == GQL_TYPE_INTERFACE)
        return gql_type_find_field(parent, n->value, n->value_len);
    return NULL;
}

/* ---- TypeInfo ---- */

void gql_typeinfo_init(gql_typeinfo *ti, const gql_schema *schema, gql_arena *arena)
{
    memset(ti, 0, sizeof *ti);
    ti->schema = schema;
    ti->arena = arena;
}

static void ti_push(gql_typeinfo *ti, gql_vec *v, const void *item)
{
    if (gql_vec_push(ti->arena, v, item))
        ti->oom = 1;
}

static void ti_pop(gql_vec *v)
{
    if (v->count)
        v->count--;
}

static const void *vtop(const gql_vec *v)
{
    return v->count ? v->items[v->count - 1] : NULL;
}

const gql_type_ref *gql_typeinfo_type(const gql_typeinfo *ti)
{
    return vtop(&ti->type);
}

const gql_type *gql_typeinfo_parent_type(const gql_typeinfo *ti)
{
    return vtop(&ti->parent_type);
}

const gql_type_ref *gql_typeinfo_input_type(const gql_typeinfo *ti)
{
    return vtop(&ti->input_type);
}

const gql_type_ref *gql_typeinfo_parent_input_type(const gql_typeinfo *ti)
{
    return ti->input_type.count > 1 ? ti->input_type.items[ti->input_type.count - 2] : NULL;
}

const gql_field *gql_typeinfo_field_def(const gql_typeinfo *ti)
{
    return vtop(&ti->field_def);
}

int gql_typeinfo_has_default(const gql_typeinfo *ti)
{
    return vtop(&ti->default_value) != NULL;
}

void gql_typeinfo_enter(gql_typeinfo *ti, const gql_node *node)
{
    const gql_schema *s = ti->schema;
    switch ((gql_kind)node->kind) {
    case GQL_SELECTION_SET: {
        const gql_type *named = gql_ref_named(gql_typeinfo_type(ti));
        ti_push(ti, &ti->parent_type, named && gql_type_is_composite(named) ? named : NULL);
        break;
    }
    case GQL_FIELD: {
        const gql_type *parent = gql_typeinfo_parent_type(ti);
        const gql_field *def = parent ? gql_vfield_def(s, parent, node) : NULL;
        const gql_type_ref *t = def ? def->type : NULL;
        ti_push(ti, &ti->field_def, def);
        ti_push(ti, &ti->type, ref_is_output(t) ? t : NULL);
        break;
    }
    case GQL_DIRECTIVE:
        ti->directive = gql_schema_find_directive(s, node->name->value, node->name->value_len);
        break;
    case GQL_OPERATION_DEFINITION: {
        const gql_type *root = gql_schema_root_type(s, (gql_operation_type)node->operation);
        ti_push(ti, &ti->type, root && root->kind == GQL_TYPE_OBJECT ? &root->ref : NULL);
        break;
    }
    case GQL_INLINE_FRAGMENT:
    case GQL_FRAGMENT_DEFINITION: {
        const gql_type_ref *t;
        if (node->type_condition) {
            t = gql_type_from_ast(s, ti->arena, node->type_condition);
        } else {
            const gql_type *named = gql_ref_named(gql_typeinfo_type(ti));
            t = named ? &named->ref : NULL;
        }
        ti_push(ti, &ti->type, ref_is_output(t) ? t : NULL);
        break;
    }
    case GQL_VARIABLE_DEFINITION: {
        const gql_type_ref *t = gql_type_from_ast(s, ti->arena, node->type);
        ti_push(ti, &ti->input_type, ref_is_input(t) ? t : NULL);
        break;
    }
    case GQL_ARGUMENT: {
        const gql_input_value *arg = NULL;
        const gql_type_ref *t = NULL;
        if (ti->directive) {
            arg = gql_directive_find_arg(ti->directive, node->name->value, node->name->value_len);
        } else {
            const gql_field *f = gql_typeinfo_field_def(ti);
            if (f)
                arg = gql_field_find_arg(f, node->name->value, node->name->value_len);
        }
        if (arg)
            t = arg->type;
        ti->argument = arg;
        ti_push(ti, &ti->default_value, arg ? arg->default_value : NULL);
        ti_push(ti, &ti->input_type, ref_is_input(t) ? t : NULL);
        break;
    }
    case GQL_LIST: {
        const gql_type_ref *lt = gql_ref_nullable(gql_typeinfo_input_type(ti));
        const gql_type_ref *item = lt && lt->kind == GQL_REF_LIST ? lt->of_type : lt;
        ti_push(ti, &ti->default_value, NULL);
        ti_push(ti, &ti->input_type, ref_is_input(item) ? item : NULL);
        break;
    }
    case GQL_OBJECT_FIELD: {
        const gql_type *ot = gql_ref_named(gql_typeinfo_input_type(ti));
        const gql_input_value *f = NULL;
        const gql_type_ref *t = NULL;
        if (ot && ot->kind == GQL_TYPE_INPUT_OBJECT) {
            f = gql_type_find_input_field(ot, node->name->value, node->name->value_len);
            if (f)
                t = f->type;
        }
        ti_push(ti, &ti->default_value, f ? f->default_value : NULL);
        ti_push(ti, &ti->input_type, ref_is_input(t) ? t : NULL);
        break;
    }
    case GQL_ENUM: {
        const gql_type *et = gql_ref_named(gql_typeinfo_input_type(ti));
        ti->enum_value = et && et->kind == GQL_TYPE_ENUM
                             ? gql_type_find_enum_value(et, node->value, node->value_len)
                             : NULL;
        break;
    }
    default:
        break;
    }
}

void gql_typeinfo_leave(gql_typeinfo *ti, const gql_node *node)
{
    switch ((gql_kind)node->kind) {
    case GQL_SELECTION_SET:
        ti_pop(&ti->parent_type);
        break;
    case GQL_FIELD:
        ti_pop(&ti->field_def);
        ti_pop(&ti->type);
        break;
    case GQL_DIRECTIVE:
        ti->directive = NULL;
        break;
    case GQL_OPERATION_DEFINITION:
    case GQL_INLINE_FRAGMENT:
    case GQL_FRAGMENT_DEFINITION:
        ti_pop(&ti->type);
        break;
    case GQL_VARIABLE_DEFINITION:
        ti_pop(&ti->input_type);
        break;
    case GQL_ARGUMENT:
        ti->argument = NULL;
        ti_pop(&ti->default_value);
        ti_pop(&ti->input_type);
        break;
    case GQL_LIST:
    case GQL_OBJECT_FIELD:
        ti_pop(&ti->default_value);
        ti_pop(&ti->input_type);
        break;
    case GQL_ENUM:
        ti->enum_value = NULL;
        break;
    default:
        break;
    }
}

/* ---- errors ---- */

void gql_vctx_oom(gql_vctx *c)
{
    c->oom = 1;
    c->aborted = 1;
}

void gql_vctx_report(gql_vctx *c, const char *message, const gql_node *const *nodes,
                     uint32_t nnodes)
{
    if (c->aborted)
        return;
    if (c->errors.count >= c->max_errors) {
        if (!gql_error_list_add(&c->errors,
                                "Too many validation errors, error limit reached. "
                                "Validation aborted.",
                                NULL, 0))
            c->oom = 1;
        c->aborted = 1;
        return;
    }
    gql_location stack_locs[8] = {{0, 0}};
    gql_location *locs = nnodes <= 8 ? stack_locs : malloc(nnodes * sizeof *locs);
    if (!locs) {
        gql_vctx_oom(c);
        return;
    }
    for (uint32_t i = 0; i < nnodes; i++)
        locs[i] = gql_node_location(c->doc, nodes[i]);
    if (!gql_error_list_add(&c->errors, message, nnodes ? locs : NULL, nnodes))
        gql_vctx_oom(c);
    if (locs != stack_locs)
        free(locs);
}

void gql_vctx_report_buf(gql_vctx *c, gql_buf *msg, const gql_node *const *nodes,
                         uint32_t nnodes)
{
    if (msg->oom) {
        gql_vctx_oom(c);
        return;
    }
    gql_vctx_report(c, msg->data ? msg->data : "", nodes, nnodes);
}

static void vreportf(gql_vctx *c, const gql_node *const *nodes, uint32_t nnodes,
                     const char *fmt, va_list ap)
{
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof small) {
        gql_vctx_report(c, small, nodes, nnodes);
    } else {
        char *m = malloc((size_t)n + 1);
        if (!m) {
            gql_vctx_oom(c);
        } else {
            vsnprintf(m, (size_t)n + 1, fmt, ap2);
            gql_vctx_report(c, m, nodes, nnodes);
            free(m);
        }
    }
    va_end(ap2);
}

void gql_vctx_reportf(gql_vctx *c, const gql_node *const *nodes, uint32_t nnodes,
                      const char *fmt, ...)
{
    if (c->aborted)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreportf(c, nodes, nnodes, fmt, ap);
    va_end(ap);
}

void gql_vctx_report_repeated_names(gql_vctx *c, const gql_list *items,
                                    const gql_node *(*name_of)(const gql_node *item),
                                    const char *what, const char *sigil)
{
    if (items->count < 2)
        return;
    gql_vmap groups = {0};
    gql_vec order = {0};
    for (uint32_t i = 0; i < items->count; i++) {
        const gql_node *n = name_of(items->items[i]);
        gql_vmap_slot *slot = gql_vmap_name(c->arena, &groups, n->value, n->value_len, 1);
        if (!slot)
            goto oom;
        gql_vec *g = (gql_vec *)slot->value;
        if (!g) {
            g = gql_arena_zalloc(c->arena, sizeof *g);
            if (!g || gql_vec_push(c->arena, &order, g))
                goto oom;
            slot->value = g;
        }
        if (gql_vec_push(c->arena, g, n))
            goto oom;
    }
    for (uint32_t i = 0; i < order.count; i++) {
        const gql_vec *g = order.items[i];
        if (g->count > 1)
            gql_vctx_reportf(c, (const gql_node *const *)g->items, g->count,
                             "There can be only one %s named \"%s%s\".", what, sigil,
                             ((const gql_node *)g->items[0])->value);
    }
    return;
oom:
    gql_vctx_oom(c);
}

void gql_vctx_unique_name(gql_vctx *c, gql_vmap *known, const gql_node *name, const char *what)
{
    gql_vmap_slot *slot = gql_vmap_name(c->arena, known, name->value, name->value_len, 1);
    if (!slot) {
        gql_vctx_oom(c);
    } else if (slot->value) {
        const gql_node *nodes[2] = {slot->value, name};
        gql_vctx_reportf(c, nodes, 2, "There can be only one %s named \"%s\".", what,
                         name->value);
    } else {
        slot->value = name;
    }
}

void gql_vctx_report1f(gql_vctx *c, const gql_node *node, const char *fmt, ...)
{
    if (c->aborted)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreportf(c, &node, 1, fmt, ap);
    va_end(ap);
}

void gql_vctx_throw(gql_vctx *c, const char *message, const gql_node *node)
{
    if (c->aborted)
        return;
    gql_error_list_clear(&c->errors);
    gql_location loc = gql_node_location(c->doc, node);
    if (!gql_error_list_add(&c->errors, message, &loc, 1))
        c->oom = 1;
    c->thrown = 1;
    c->aborted = 1;
}

void gql_vctx_validation_aborted(gql_vctx *c)
{
    if (c->aborted)
        return;
    if (!gql_error_list_add(&c->errors, "Validation aborted.", NULL, 0))
        c->oom = 1;
    c->aborted = 1;
}

int gql_vctx_spend(gql_vctx *c, int64_t cost)
{
    c->fragment_work -= cost;
    if (c->fragment_work < 0) {
        gql_vctx_validation_aborted(c);
        return 1;
    }
    return 0;
}

const gql_node *gql_vctx_ancestor(const gql_vctx *c, uint32_t up)
{
    if (up >= c->path.count)
        return NULL;
    return c->path.items[c->path.count - 1 - up];
}

/* ---- printing ---- */

void gql_vprint(gql_buf *out, const gql_node *node)
{
    gql_print_to(out, node);
}

const char *gql_vprint_str(gql_vctx *c, const gql_node *node)
{
    gql_buf b = GQL_BUF_INIT;
    gql_print_to(&b, node);
    const char *s = NULL;
    if (!b.oom)
        s = gql_arena_strndup(c->arena, b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    if (!s) {
        gql_vctx_oom(c);
        return "";
    }
    return s;
}

const char *gql_vtype_str(gql_vctx *c, const gql_type_ref *t)
{
    gql_buf b = GQL_BUF_INIT;
    gql_type_ref_print(&b, t);
    const char *s = NULL;
    if (!b.oom)
        s = gql_arena_strndup(c->arena, b.data ? b.data : "", b.len);
    gql_buf_free(&b);
    if (!s) {
        gql_vctx_oom(c);
        return "";
    }
    return s;
}

/* ---- cached document facts ---- */

static const gql_vec empty_vec;
static const gql_usage_list empty_usages;

const gql_node *gql_vctx_fragment(gql_vctx *c, const char *name, size_t len)
{
    if (!c->fragments_ready) {
        const gql_list *defs = &c->doc->root->definitions;
        for (uint32_t i = 0; i < defs->count; i++) {
            const gql_node *d = defs->items[i];
            if (d->kind != GQL_FRAGMENT_DEFINITION)
                continue;
            gql_vmap_slot *s =
                gql_vmap_name(c->arena, &c->fragments, d->name->value, d->name->value_len, 1);
            if (!s) {
                gql_vctx_oom(c);
                return NULL;
            }
            s->value = d;
        }
        c->fragments_ready = 1;
    }
    return gql_vmap_get_name(&c->fragments, name, len);
}

/* Not a generic walk (so not ast.c's slot table): graphql-js getFragmentSpreads
 * follows only selections and their selection sets, depth first by a stack. */
const gql_vec *gql_vctx_fragment_spreads(gql_vctx *c, const gql_node *selection_set)
{
    const gql_vec *cached = gql_vmap_get_ptr(&c->spreads, selection_set);
    if (cached)
        return cached;
    gql_vec *spreads = gql_arena_zalloc(c->arena, sizeof *spreads);
    gql_vec todo = {0};
    if (!spreads || gql_vec_push(c->arena, &todo, selection_set))
        goto oom;
    while (todo.count) {
        const gql_node *set = todo.items[--todo.count];
        for (uint32_t i = 0; i < set->selections.count; i++) {
            const gql_node *sel = set->selections.items[i];
            if (sel->kind == GQL_FRAGMENT_SPREAD) {
                if (gql_vec_push(c->arena, spreads, sel))
                    goto oom;
            } else if (sel->selection_set) {
                if (gql_vec_push(c->arena, &todo, sel->selection_set))
                    goto oom;
            }
        }
    }
    gql_vmap_slot *s = gql_vmap_ptr(c->arena, &c->spreads, selection_set, 1);
    if (!s)
        goto oom;
    s->value = spreads;
    return spreads;
oom:
    gql_vctx_oom(c);
    return &empty_vec;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The SetMap key of a set of names: their member ids, sorted, joined by ','. */
static const char *set_key(gql_vctx *c, const gql_vec *names, size_t *key_len)
{
    uint32_t *ids = gql_arena_alloc(c->arena, (names->count + 1) * sizeof *ids);
    if (!ids)
        return NULL;
    for (uint32_t i = 0; i < names->count; i++) {
        const gql_node *n = names->items[i];
        gql_vmap_slot *s = gql_vmap_name(c->arena, &c->member_ids, n->value, n->value_len, 1);
        if (!s)
            return NULL;
        if (!s->value)
            s->value = (const void *)(uintptr_t)(++c->next_member_id);
        ids[i] = (uint32_t)(uintptr_t)s->value - 1;
    }
    qsort(ids, names->count, sizeof *ids, cmp_u32);
    gql_buf b = GQL_BUF_INIT;
    gql_buf_putc(&b, '[');
    for (uint32_t i = 0; i < names->count; i++)
        gql_buf_printf(&b, i ? ",%u" : "%u", ids[i]);
    char *key = b.oom ? NULL : gql_arena_strndup(c->arena, b.data, b.len);
    *key_len = b.len;
    gql_buf_free(&b);
    return key;
}

const gql_vec *gql_vctx_recursive_fragments_for(gql_vctx *c, const gql_vec *operations)
{
    gql_vec *frags = NULL;
    gql_vec names = {0}; /* NAME nodes, unique by value, in insertion order */
    gql_vmap seen = {0};
    for (uint32_t o = 0; o < operations->count; o++) {
        const gql_node *op = operations->items[o];
        const gql_vec *spreads = gql_vctx_fragment_spreads(c, op->selection_set);
        for (uint32_t i = 0; i < spreads->count; i++) {
            const gql_node *n = ((const gql_node *)spreads->items[i])->name;
            gql_vmap_slot *s = gql_vmap_name(c->arena, &seen, n->value, n->value_len, 1);
            if (!s)
                goto oom;
            if (!s->value) {
                s->value = n;
                if (gql_vec_push(c->arena, &names, n))
                    goto oom;
            }
        }
    }
    size_t key_len = 0;
    const char *key = set_key(c, &names, &key_len);
    if (!key)
        goto oom;
    const gql_vec *cached = gql_vmap_get_name(&c->recursive_frags, key, key_len);
    if (cached)
        return cached;
    frags = gql_arena_zalloc(c->arena, sizeof *frags);
    if (!frags)
        goto oom;
    if (gql_vctx_spend(c, names.count))
        return frags;
    for (uint32_t i = 0; i < names.count; i++) {
        const gql_node *n = names.items[i];
        const gql_node *frag = gql_vctx_fragment(c, n->value, n->value_len);
        if (!frag)
            continue;
        if (gql_vec_push(c->arena, frags, frag))
            goto oom;
        const gql_vec *spreads = gql_vctx_fragment_spreads(c, frag->selection_set);
        if (gql_vctx_spend(c, spreads->count))
            return frags;
        for (uint32_t j = 0; j < spreads->count; j++) {
            const gql_node *sn = ((const gql_node *)spreads->items[j])->name;
            gql_vmap_slot *s = gql_vmap_name(c->arena, &seen, sn->value, sn->value_len, 1);
            if (!s)
                goto oom;
            if (!s->value) {
                s->value = sn;
                if (gql_vec_push(c->arena, &names, sn))
                    goto oom;
            }
        }
    }
    gql_vmap_slot *slot = gql_vmap_name(c->arena, &c->recursive_frags, key, key_len, 1);
    if (!slot)
        goto oom;
    slot->value = frags;
    return frags;
oom:
    gql_vctx_oom(c);
    return frags ? frags : &empty_vec;
}

const gql_vec *gql_vctx_recursive_fragments(gql_vctx *c, const gql_node *operation)
{
    gql_vec ops = {0};
    if (gql_vec_push(c->arena, &ops, operation)) {
        gql_vctx_oom(c);
        return &empty_vec;
    }
    return gql_vctx_recursive_fragments_for(c, &ops);
}

/* Variable usages: a walk of one definition with its own TypeInfo, not
 * entering variable definitions (graphql-js getVariableUsages). */
typedef struct usage_walk {
    gql_vctx *c;
    gql_typeinfo ti;
    gql_var_usage *items;
    uint32_t count, cap;
    int oom;
} usage_walk;

static int usage_child(const gql_node *child, void *ud);

static void usage_visit(usage_walk *w, const gql_node *node)
{
    if (node->kind == GQL_VARIABLE_DEFINITION || node->kind == GQL_NAME)
        return;
    gql_typeinfo_enter(&w->ti, node);
    if (node->kind == GQL_VARIABLE) {
        if (w->count == w->cap) {
            uint32_t cap = w->cap ? w->cap * 2 : 8;
            gql_var_usage *items = gql_arena_alloc(w->c->arena, cap * sizeof *items);
            if (!items) {
                w->oom = 1;
                return;
            }
            if (w->count)
                memcpy(items, w->items, w->count * sizeof *items);
            w->items = items;
            w->cap = cap;
        }
        gql_var_usage *u = &w->items[w->count++];
        u->node = node;
        u->type = gql_typeinfo_input_type(&w->ti);
        u->parent_type = gql_typeinfo_parent_input_type(&w->ti);
        u->has_default = gql_typeinfo_has_default(&w->ti);
    }
    /* The same children as validation visits (a variable has only its name). */
    gql_each_child(gql_kind_validated_slots[node->kind], node, usage_child, w);
    gql_typeinfo_leave(&w->ti, node);
}

static int usage_child(const gql_node *child, void *ud)
{
    usage_walk *w = ud;
    usage_visit(w, child);
    return w->oom;
}

const gql_usage_list *gql_vctx_variable_usages(gql_vctx *c, const gql_node *definition)
{
    const gql_usage_list *cached = gql_vmap_get_ptr(&c->usages, definition);
    if (cached)
        return cached;
    usage_walk w;
    memset(&w, 0, sizeof w);
    w.c = c;
    gql_typeinfo_init(&w.ti, c->schema, c->arena);
    usage_visit(&w, definition);
    gql_usage_list *list = gql_arena_alloc(c->arena, sizeof *list);
    gql_vmap_slot *s = list ? gql_vmap_ptr(c->arena, &c->usages, definition, 1) : NULL;
    if (w.oom || w.ti.oom || !s) {
        gql_vctx_oom(c);
        return &empty_usages;
    }
    list->items = w.items;
    list->count = w.count;
    s->value = list;
    return list;
}

const gql_usage_list *gql_vctx_recursive_variable_usages(gql_vctx *c,
                                                         const gql_node *operation)
{
    const gql_usage_list *cached = gql_vmap_get_ptr(&c->recursive_usages, operation);
    if (cached)
        return cached;
    const gql_vec *frags = gql_vctx_recursive_fragments(c, operation);
    if (c->aborted)
        return &empty_usages;
    const gql_usage_list *fu = gql_vmap_get_ptr(&c->fragment_usages, frags);
    if (!fu) {
        if (gql_vctx_spend(c, frags->count))
            return &empty_usages;
        uint32_t total = 0;
        for (uint32_t i = 0; i < frags->count; i++) {
            const gql_usage_list *l = gql_vctx_variable_usages(c, frags->items[i]);
            if (gql_vctx_spend(c, l->count))
                return &empty_usages;
            total += l->count;
        }
        gql_usage_list *list = gql_arena_alloc(c->arena, sizeof *list);
        gql_var_usage *items = gql_arena_alloc(c->arena, (total + 1) * sizeof *items);
        gql_vmap_slot *s = list && items ? gql_vmap_ptr(c->arena, &c->fragment_usages, frags, 1)
                                         : NULL;
        if (!s) {
            gql_vctx_oom(c);
            return &empty_usages;
        }
        uint32_t n = 0;
        for (uint32_t i = 0; i < frags->count; i++) {
            const gql_usage_list *l = gql_vctx_variable_usages(c, frags->items[i]);
            if (l->count)
                memcpy(items + n, l->items, l->count * sizeof *items);
            n += l->count;
        }
        list->items = items;
        list->count = n;
        s->value = list;
        fu = list;
    }
    if (gql_vctx_spend(c, fu->count))
        return &empty_usages;
    const gql_usage_list *own = gql_vctx_variable_usages(c, operation);
    uint32_t total = own->count + fu->count;
    gql_usage_list *list = gql_arena_alloc(c->arena, sizeof *list);
    gql_var_usage *items = gql_arena_alloc(c->arena, (total + 1) * sizeof *items);
    gql_vmap_slot *s = list && items ? gql_vmap_ptr(c->arena, &c->recursive_usages, operation, 1)
                                     : NULL;
    if (!s) {
        gql_vctx_oom(c);
        return &empty_usages;
    }
    if (own->count)
        memcpy(items, own->items, own->count * sizeof *items);
    if (fu->count)
        memcpy(items + own->count, fu->items, fu->count * sizeof *items);
    list->items = items;
    list->count = total;
    s->value = list;
    return list;
}
