/* schema.c: the schema object's lookups, type predicates and comparators,
 * freeing, and the error reporting and name maps the schema files share. */
#include "config.h"

#include "graphql/schema_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Directive locations ---- */
static const char *const location_names[GQL_DLOC_COUNT_] = {
#define GQL_DLOC_NAME_(id) #id,
    GQL_DIRECTIVE_LOCATIONS(GQL_DLOC_NAME_)
#undef GQL_DLOC_NAME_
};

const char *gql_directive_location_name(gql_directive_location loc)
{
    return (unsigned)loc < GQL_DLOC_COUNT_ ? location_names[loc] : "";
}

int gql_directive_location_from_name(const char *name, size_t len)
{
    for (int i = 0; i < GQL_DLOC_COUNT_; i++)
        if (strlen(location_names[i]) == len && memcmp(location_names[i], name, len) == 0)
            return i;
    return -1;
}

/* ---- Hashing and maps ---- */
uint32_t gqls_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void gqls_map_init(gqls_map *m, gql_arena *arena)
{
    memset(m, 0, sizeof *m);
    m->arena = arena;
}

static uint32_t map_lookup(const gqls_map *m, const char *key, size_t len, uint32_t h)
{
    if (!m->slots)
        return UINT32_MAX;
    for (uint32_t i = h & m->mask;; i = (i + 1) & m->mask) {
        uint32_t s = m->slots[i];
        if (!s)
            return UINT32_MAX;
        const gqls_map_entry *e = &m->entries[s - 1];
        if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)
            return s - 1;
    }
}

void *gqls_map_get(const gqls_map *m, const char *key, size_t len)
{
    uint32_t i = map_lookup(m, key, len, gqls_hash(key, len));
    return i == UINT32_MAX ? NULL : m->entries[i].value;
}

static int map_grow(gqls_map *m)
{
    uint32_t cap = m->cap ? m->cap * 2 : 8;
    gqls_map_entry *entries = gql_arena_alloc(m->arena, cap * sizeof *entries);
    uint32_t nslots = cap * 2;
    uint32_t *slots = gql_arena_zalloc(m->arena, nslots * sizeof *slots);
    if (!entries || !slots)
        return -1;
    if (m->count)
        memcpy(entries, m->entries, m->count * sizeof *entries);
    m->entries = entries;
    m->cap = cap;
    m->slots = slots;
    m->mask = nslots - 1;
    for (uint32_t k = 0; k < m->count; k++) {
        uint32_t i = entries[k].hash & m->mask;
        while (slots[i])
            i = (i + 1) & m->mask;
        slots[i] = k + 1;
    }
    return 0;
}

void **gqls_map_slot(gqls_map *m, const char *key, size_t len)
{
    uint32_t h = gqls_hash(key, len);
    uint32_t i = map_lookup(m, key, len, h);
    if (i != UINT32_MAX)
        return &m->entries[i].value;
    if (m->count == m->cap && map_grow(m) < 0)
        return NULL;
    gqls_map_entry *e = &m->entries[m->count];
    e->key = key;
    e->len = (uint32_t)len;
    e->hash = h;
    e->value = NULL;
    uint32_t s = h & m->mask;
    while (m->slots[s])
        s = (s + 1) & m->mask;
    m->slots[s] = ++m->count;
    return &e->value;
}

/* ---- Name indexes ---- */
#define INDEX_MIN_ITEMS 8

int gqls_index_build(gql_arena *a, gql_name_index *idx, const void *items, uint32_t n,
                     gqls_name_at_fn name_at)
{
    idx->slots = NULL;
    idx->mask = 0;
    if (n < INDEX_MIN_ITEMS)
        return 0;
    uint32_t size = 16;
    while (size < n * 2)
        size *= 2;
    uint32_t *slots = gql_arena_zalloc(a, size * sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t len;
        const char *name = name_at(items, k, &len);
        uint32_t i = gqls_hash(name, len) & (size - 1);
        while (slots[i]) {
            /* Keep the first of duplicate names (SDL validation rejects them). */
            uint32_t olen;
            const char *other = name_at(items, slots[i] - 1, &olen);
            if (olen == len && memcmp(other, name, len) == 0)
                break;
            i = (i + 1) & (size - 1);
        }
        if (!slots[i])
            slots[i] = k + 1;
    }
    idx->slots = slots;
    idx->mask = size - 1;
    return 0;
}

uint32_t gqls_index_find(const gql_name_index *idx, const void *items, uint32_t n,
                         gqls_name_at_fn name_at, const char *name, size_t len)
{
    if (!idx->slots) {
        for (uint32_t k = 0; k < n; k++) {
            uint32_t l;
            const char *s = name_at(items, k, &l);
            if (l == len && memcmp(s, name, len) == 0)
                return k;
        }
        return UINT32_MAX;
    }
    for (uint32_t i = gqls_hash(name, len) & idx->mask;; i = (i + 1) & idx->mask) {
        uint32_t s = idx->slots[i];
        if (!s)
            return UINT32_MAX;
        uint32_t l;
        const char *other = name_at(items, s - 1, &l);
        if (l == len && memcmp(other, name, len) == 0)
            return s - 1;
    }
}

const char *gqls_name_of_field(const void *items, uint32_t i, uint32_t *len)
{
    const gql_field *f = (const gql_field *)items + i;
    *len = f->name_len;
    return f->name;
}

const char *gqls_name_of_input_value(const void *items, uint32_t i, uint32_t *len)
{
    const gql_input_value *v = (const gql_input_value *)items + i;
    *len = v->name_len;
    return v->name;
}

const char *gqls_name_of_enum_value(const void *items, uint32_t i, uint32_t *len)
{
    const gql_enum_value *v = (const gql_enum_value *)items + i;
    *len = v->name_len;
    return v->name;
}

const char *gqls_name_of_type_ptr(const void *items, uint32_t i, uint32_t *len)
{
    const gql_type *t = ((const gql_type *const *)items)[i];
    *len = t->name_len;
    return t->name;
}

const char *gqls_name_of_directive_ptr(const void *items, uint32_t i, uint32_t *len)
{
    const gql_directive *d = ((const gql_directive *const *)items)[i];
    *len = d->name_len;
    return d->name;
}

/* ---- Lookups ---- */
const gql_type *gql_schema_find_type(const gql_schema *s, const char *name, size_t len)
{
    uint32_t i = gqls_index_find(&s->types_index, s->types, s->ntypes, gqls_name_of_type_ptr,
                                 name, len);
    return i == UINT32_MAX ? NULL : s->types[i];
}

const gql_directive *gql_schema_find_directive(const gql_schema *s, const char *name,
                                               size_t len)
{
    uint32_t i = gqls_index_find(&s->directives_index, s->directives, s->ndirectives,
                                 gqls_name_of_directive_ptr, name, len);
    return i == UINT32_MAX ? NULL : s->directives[i];
}

const gql_type *gql_schema_root_type(const gql_schema *s, gql_operation_type op)
{
    switch (op) {
    case GQL_OP_QUERY:
        return s->query;
    case GQL_OP_MUTATION:
        return s->mutation;
    case GQL_OP_SUBSCRIPTION:
        return s->subscription;
    }
    return NULL;
}

const gql_field *gql_type_find_field(const gql_type *t, const char *name, size_t len)
{
    uint32_t i = gqls_index_find(&t->fields_index, t->fields, t->nfields, gqls_name_of_field,
                                 name, len);
    return i == UINT32_MAX ? NULL : &t->fields[i];
}

const gql_input_value *gql_field_find_arg(const gql_field *f, const char *name, size_t len)
{
    uint32_t i = gqls_index_find(&f->args_index, f->args, f->nargs, gqls_name_of_input_value,
                                 name, len);
    return i == UINT32_MAX ? NULL : &f->args[i];
}

const gql_input_value *gql_directive_find_arg(const gql_directive *d, const char *name,
                                              size_t len)
{
    uint32_t i = gqls_index_find(&d->args_index, d->args, d->nargs, gqls_name_of_input_value,
                                 name, len);
    return i == UINT32_MAX ? NULL : &d->args[i];
}

const gql_input_value *gql_type_find_input_field(const gql_type *t, const char *name,
                                                 size_t len)
{
    uint32_t i = gqls_index_find(&t->input_fields_index, t->input_fields, t->ninput_fields,
                                 gqls_name_of_input_value, name, len);
    return i == UINT32_MAX ? NULL : &t->input_fields[i];
}

const gql_enum_value *gql_type_find_enum_value(const gql_type *t, const char *name,
                                               size_t len)
{
    uint32_t i = gqls_index_find(&t->values_index, t->values, t->nvalues,
                                 gqls_name_of_enum_value, name, len);
    return i == UINT32_MAX ? NULL : &t->values[i];
}

/* ---- Predicates and comparators ---- */
int gql_type_is_input(const gql_type *t)
{
    return t->kind == GQL_TYPE_SCALAR || t->kind == GQL_TYPE_ENUM ||
           t->kind == GQL_TYPE_INPUT_OBJECT;
}

int gql_type_is_output(const gql_type *t)
{
    return t->kind != GQL_TYPE_INPUT_OBJECT;
}

int gql_type_is_leaf(const gql_type *t)
{
    return t->kind == GQL_TYPE_SCALAR || t->kind == GQL_TYPE_ENUM;
}

int gql_type_is_composite(const gql_type *t)
{
    return t->kind == GQL_TYPE_OBJECT || t->kind == GQL_TYPE_INTERFACE ||
           t->kind == GQL_TYPE_UNION;
}

int gql_type_is_abstract(const gql_type *t)
{
    return t->kind == GQL_TYPE_INTERFACE || t->kind == GQL_TYPE_UNION;
}

int gql_input_value_is_required(const gql_input_value *v)
{
    return v->type->kind == GQL_REF_NON_NULL && v->default_value == NULL;
}

int gql_type_ref_equal(const gql_type_ref *a, const gql_type_ref *b)
{
    while (a && b) {
        if (a == b)
            return 1;
        if (a->kind != b->kind)
            return 0;
        if (a->kind == GQL_REF_NAMED)
            return a->named == b->named;
        a = a->of_type;
        b = b->of_type;
    }
    return 0;
}

int gql_schema_is_sub_type(const gql_schema *s, const gql_type *abstract,
                           const gql_type *maybe_sub)
{
    (void)s;
    if (!abstract->subtypes || maybe_sub->index == UINT32_MAX)
        return 0;
    return (abstract->subtypes[maybe_sub->index / 64] >> (maybe_sub->index % 64)) & 1;
}

int gql_schema_is_type_sub_type_of(const gql_schema *s, const gql_type_ref *maybe_sub,
                                   const gql_type_ref *super)
{
    for (;;) {
        if (gql_type_ref_equal(maybe_sub, super))
            return 1;
        if (super->kind == GQL_REF_NON_NULL) {
            if (maybe_sub->kind != GQL_REF_NON_NULL)
                return 0;
            maybe_sub = maybe_sub->of_type;
            super = super->of_type;
            continue;
        }
        if (maybe_sub->kind == GQL_REF_NON_NULL) {
            maybe_sub = maybe_sub->of_type;
            continue;
        }
        if (super->kind == GQL_REF_LIST) {
            if (maybe_sub->kind != GQL_REF_LIST)
                return 0;
            maybe_sub = maybe_sub->of_type;
            super = super->of_type;
            continue;
        }
        if (maybe_sub->kind == GQL_REF_LIST)
            return 0;
        const gql_type *sup = super->named, *sub = maybe_sub->named;
        return gql_type_is_abstract(sup) &&
               (sub->kind == GQL_TYPE_INTERFACE || sub->kind == GQL_TYPE_OBJECT) &&
               gql_schema_is_sub_type(s, sup, sub);
    }
}

int gql_schema_types_overlap(const gql_schema *s, const gql_type *a, const gql_type *b)
{
    if (a == b)
        return 1;
    if (gql_type_is_abstract(a)) {
        if (gql_type_is_abstract(b)) {
            for (uint32_t i = 0; i < a->npossible_types; i++)
                if (gql_schema_is_sub_type(s, b, a->possible_types[i]))
                    return 1;
            return 0;
        }
        return gql_schema_is_sub_type(s, a, b);
    }
    if (gql_type_is_abstract(b))
        return gql_schema_is_sub_type(s, b, a);
    return 0;
}

void gql_type_ref_print(gql_buf *out, const gql_type_ref *ref)
{
    switch (ref->kind) {
    case GQL_REF_LIST:
        gql_buf_putc(out, '[');
        gql_type_ref_print(out, ref->of_type);
        gql_buf_putc(out, ']');
        break;
    case GQL_REF_NON_NULL:
        gql_type_ref_print(out, ref->of_type);
        gql_buf_putc(out, '!');
        break;
    default:
        gql_buf_append(out, ref->named->name, ref->named->name_len);
    }
}

void gqls_print_type_node(gql_buf *out, const gql_node *type)
{
    if (!type)
        return;
    switch (type->kind) {
    case GQL_LIST_TYPE:
        gql_buf_putc(out, '[');
        gqls_print_type_node(out, type->type);
        gql_buf_putc(out, ']');
        break;
    case GQL_NON_NULL_TYPE:
        gqls_print_type_node(out, type->type);
        gql_buf_putc(out, '!');
        break;
    default:
        if (type->name)
            gql_buf_append(out, type->name->value, type->name->value_len);
    }
}

const char *gqls_buf_cstr(gql_buf *b)
{
    if (b->oom)
        return "Out of memory.";
    return b->data ? b->data : "";
}

int gqls_is_type_definition(int kind)
{
    switch (kind) {
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
        return 1;
    default:
        return 0;
    }
}

int gqls_is_type_extension(int kind)
{
    switch (kind) {
    case GQL_SCALAR_TYPE_EXTENSION:
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_EXTENSION:
    case GQL_UNION_TYPE_EXTENSION:
    case GQL_ENUM_TYPE_EXTENSION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        return 1;
    default:
        return 0;
    }
}

/* ---- Sources and reporting ---- */
const char *gql_schema_source_name(const gql_schema *s, uint32_t source)
{
    if (source < s->nsources && s->source_names[source])
        return s->source_names[source];
    return "<schema>";
}

static gql_location node_location(gql_document *const *docs, uint32_t ndocs, uint32_t source,
                                  const gql_node *node)
{
    gql_location none = {0, 0};
    if (!node || source >= ndocs || !docs[source])
        return none;
    const gql_document *d = docs[source];
    return gql_source_location(d->source, d->source_len, node->start);
}

gql_location gql_schema_node_location(const gql_schema *s, uint32_t source,
                                      const gql_node *node)
{
    return node_location(s->documents, s->nsources, source, node);
}

static const char *reporter_name(const gqls_reporter *r, uint32_t source)
{
    if (source < r->nsources && r->names && r->names[source])
        return r->names[source];
    return "<schema>";
}

void gqls_report_located(gqls_reporter *r, const char *message, const gql_location *locs,
                         const uint32_t *sources, size_t nlocs)
{
    r->count++;
    if (r->errors)
        gql_error_list_add(r->errors, message, locs, (uint32_t)nlocs);
    if (!r->report)
        return;
    if (nlocs == 0) {
        gql_buf_printf(r->report, "%s: %s\n",
                       r->nsources == 1 ? reporter_name(r, 0) : "schema", message);
        return;
    }
    for (size_t i = 0; i < nlocs; i++) {
        gql_buf_printf(r->report, "%s:%u:%u: ", reporter_name(r, sources[i]),
                       (unsigned)locs[i].line, (unsigned)locs[i].column);
        if (i == 0) {
            gql_buf_puts(r->report, message);
            gql_buf_putc(r->report, '\n');
        } else {
            gql_buf_puts(r->report, "note: related location\n");
        }
    }
}

void gqls_report(gqls_reporter *r, const char *message, const gql_schema_ast *nodes,
                 size_t nnodes)
{
    gql_location stack_locs[8] = {{0, 0}};
    uint32_t stack_srcs[8] = {0};
    gql_location *locs = stack_locs;
    uint32_t *srcs = stack_srcs;
    if (nnodes > 8) {
        locs = malloc(nnodes * sizeof *locs);
        srcs = malloc(nnodes * sizeof *srcs);
        if (!locs || !srcs) {
            free(locs);
            free(srcs);
            locs = stack_locs;
            srcs = stack_srcs;
            nnodes = 8;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < nnodes; i++) {
        if (!nodes[i].node)
            continue;
        locs[n] = node_location(r->docs, r->nsources, nodes[i].source, nodes[i].node);
        srcs[n] = nodes[i].source;
        n++;
    }
    gqls_report_located(r, message, locs, srcs, n);
    if (locs != stack_locs) {
        free(locs);
        free(srcs);
    }
}

void gqls_reportf(gqls_reporter *r, const gql_schema_ast *nodes, size_t nnodes,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char stack[256];
    char *msg = n >= 0 && (size_t)n < sizeof stack ? stack : malloc(n >= 0 ? (size_t)n + 1 : 1);
    if (!msg || n < 0) {
        gqls_report(r, "Out of memory.", nodes, nnodes);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    gqls_report(r, msg, nodes, nnodes);
    if (msg != stack)
        free(msg);
}

void gqls_reporter_for_schema(gqls_reporter *r, const gql_schema *s, gql_error_list *errors,
                              gql_buf *report)
{
    memset(r, 0, sizeof *r);
    r->errors = errors;
    r->report = report;
    r->docs = s->documents;
    r->names = (const char *const *)s->source_names;
    r->nsources = s->nsources;
}

/* ---- Freeing ---- */
void gql_schema_free(gql_schema *schema)
{
    if (!schema)
        return;
    for (uint32_t i = 0; i < schema->nsources; i++) {
        if (schema->documents)
            gql_document_free(schema->documents[i]);
        if (schema->source_names)
            free(schema->source_names[i]);
    }
    free(schema->documents);
    free(schema->source_names);
    gql_arena *a = schema->arena;
    gql_arena_free(a); /* the schema struct itself lives in its arena */
}
