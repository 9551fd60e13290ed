/* schema_build.c: graphql-js buildASTSchema (with extendSchemaImpl's type
 * extensions) over the definitions of one or more SDL sources, and the
 * file loader the command line and the worker use. */
#include "config.h"

#include "graphql/schema_internal.h"
#include "util/jsnum.h"

#include <gqlsse/printer.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* strdup, which strict C11 does not declare. */
static char *dup_cstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* A user-defined type with its build state (graphql-js resolves fields,
 * interfaces and union members lazily through thunks; so do we, because the
 * order decides which error graphql-js throws first). */
enum { RESOLVE_NONE, RESOLVE_BUSY, RESOLVE_DONE };

typedef struct btype {
    gql_type t; /* first: a gql_type* of a user type points to its btype */
    uint8_t state;
} btype;

typedef struct ast_list {
    gql_schema_ast *items;
    uint32_t count, cap;
} ast_list;

typedef struct builder {
    gql_schema *s;
    gql_arena *a;       /* the schema's arena */
    gql_arena *scratch; /* freed after the build */
    gqls_reporter *r;
    gqls_builtins bi;
    int failed;         /* a build error (or OOM) was reported */

    gqls_map type_map;  /* name -> gql_type*, graphql-js typeMap order */
    gqls_map ext_map;   /* name -> ast_list* of type extensions */
    ast_list directive_defs;
    ast_list type_defs;
    gql_schema_ast schema_def;
    ast_list schema_exts;

    gqls_map collected; /* names of the types already in the schema's type list */
    const gql_type **order;
    uint32_t norder, cap_order;
} builder;

static void oom(builder *b)
{
    if (!b->failed)
        gqls_report(b->r, "Out of memory.", NULL, 0);
    b->failed = 1;
}

static void fatal(builder *b, const char *msg, const gql_node *node, uint32_t source)
{
    gql_schema_ast x = {node, source};
    if (!b->failed)
        gqls_report(b->r, msg, &x, node ? 1 : 0);
    b->failed = 1;
}

static int ast_push(builder *b, ast_list *l, const gql_node *node, uint32_t source)
{
    if (l->count == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 4;
        gql_schema_ast *items = gql_arena_alloc(b->scratch, cap * sizeof *items);
        if (!items) {
            oom(b);
            return -1;
        }
        if (l->count)
            memcpy(items, l->items, l->count * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->count].node = node;
    l->items[l->count].source = source;
    l->count++;
    return 0;
}

static gql_str str_of_node(const gql_node *n)
{
    gql_str s = {NULL, 0};
    if (n) {
        s.s = n->value;
        s.len = n->value_len;
    }
    return s;
}

static int name_eq(const gql_node *name, const char *s, size_t len)
{
    return name && name->value_len == len && memcmp(name->value, s, len) == 0;
}

static gql_node *new_node(builder *b, int kind)
{
    gql_node *n = gql_arena_zalloc(b->a, sizeof *n);
    if (!n) {
        oom(b);
        return NULL;
    }
    n->kind = (uint8_t)kind;
    return n;
}

/* ---- Types by name ---- */

static gql_type *named_type(builder *b, const gql_node *named, uint32_t source)
{
    const gql_node *name = named->name;
    gql_type *t = gqls_builtin_type(&b->bi, name->value, name->value_len);
    if (!t)
        t = gqls_map_get(&b->type_map, name->value, name->value_len);
    if (!t) {
        /* Unreachable after SDL validation (KnownTypeNames). */
        gql_buf m = GQL_BUF_INIT;
        gql_buf_printf(&m, "Unknown type: \"%s\".", name->value);
        fatal(b, gqls_buf_cstr(&m), named, source);
        gql_buf_free(&m);
    }
    return t;
}

static const gql_type_ref *wrapped_type(builder *b, const gql_node *node, uint32_t source)
{
    if (!node || b->failed)
        return NULL;
    if (node->kind == GQL_LIST_TYPE || node->kind == GQL_NON_NULL_TYPE) {
        const gql_type_ref *inner = wrapped_type(b, node->type, source);
        if (!inner)
            return NULL;
        gql_type_ref *r = gql_arena_zalloc(b->a, sizeof *r);
        if (!r) {
            oom(b);
            return NULL;
        }
        r->kind = node->kind == GQL_LIST_TYPE ? GQL_REF_LIST : GQL_REF_NON_NULL;
        r->of_type = inner;
        r->named = inner->named;
        return r;
    }
    gql_type *t = named_type(b, node, source);
    return t ? &t->ref : NULL;
}

static int resolve(builder *b, gql_type *t);

/* ---- Default values: valueFromAST, then astFromValue ---- */

enum { CO_OK, CO_UNDEF, CO_FATAL };

/* graphql-js integerStringRegExp: /^-?(?:0|[1-9][0-9]*)$/ */
static int is_integer_string(const char *s)
{
    if (*s == '-')
        s++;
    if (*s == '0')
        return s[1] == '\0';
    if (*s < '1' || *s > '9')
        return 0;
    while (*s >= '0' && *s <= '9')
        s++;
    return *s == '\0';
}

/* A number as astFromValue writes it: INT when String(n) looks integral. */
static const gql_node *number_node(builder *b, double d, const gql_node *original)
{
    if (!isfinite(d))
        return original; /* graphql-js printSchema throws here; keep the literal */
    char buf[GQL_JSNUM_BUFSIZE];
    size_t len = gql_jsnum_format(d, buf);
    gql_node *n = new_node(b, is_integer_string(buf) ? GQL_INT : GQL_FLOAT);
    if (!n)
        return NULL;
    n->value = gql_arena_strndup(b->a, buf, len);
    n->value_len = (uint32_t)len;
    if (!n->value)
        oom(b);
    return n->value ? n : NULL;
}

static const gql_node *string_node(builder *b, const char *s, uint32_t len)
{
    gql_node *n = new_node(b, GQL_STRING);
    if (!n)
        return NULL;
    n->value = s;
    n->value_len = len;
    return n;
}

static const gql_node *plain_string(builder *b, const gql_node *v)
{
    if (!(v->flags & GQL_FLAG_BLOCK))
        return v;
    return string_node(b, v->value, v->value_len);
}

/* valueFromASTUntyped (custom scalars' parseLiteral) and then astFromValue.
 * Lists and objects come back as AST (graphql-js printSchema would throw
 * "Cannot convert value to AST" on them). */
static const gql_node *untyped(builder *b, const gql_node *v)
{
    switch (v->kind) {
    case GQL_INT:
    case GQL_FLOAT:
        return number_node(b, strtod(v->value, NULL), v);
    case GQL_STRING:
        return plain_string(b, v);
    case GQL_ENUM:
        return string_node(b, v->value, v->value_len);
    case GQL_LIST: {
        gql_node *l = new_node(b, GQL_LIST);
        if (!l)
            return NULL;
        if (v->values.count) {
            l->values.items = gql_arena_alloc(b->a, v->values.count * sizeof(gql_node *));
            if (!l->values.items) {
                oom(b);
                return NULL;
            }
        }
        for (uint32_t i = 0; i < v->values.count; i++) {
            const gql_node *item = untyped(b, v->values.items[i]);
            if (!item)
                return NULL;
            l->values.items[l->values.count++] = (gql_node *)item;
        }
        return l;
    }
    case GQL_OBJECT: {
        gql_node *o = new_node(b, GQL_OBJECT);
        if (!o)
            return NULL;
        if (v->fields.count) {
            o->fields.items = gql_arena_alloc(b->a, v->fields.count * sizeof(gql_node *));
            if (!o->fields.items) {
                oom(b);
                return NULL;
            }
        }
        for (uint32_t i = 0; i < v->fields.count; i++) {
            const gql_node *f = v->fields.items[i];
            /* keyValMap: the first position of a key, its last value */
            uint32_t k = 0;
            while (k < o->fields.count &&
                   strcmp(o->fields.items[k]->name->value, f->name->value) != 0)
                k++;
            const gql_node *val = untyped(b, f->value_node);
            gql_node *of = new_node(b, GQL_OBJECT_FIELD);
            if (!val || !of)
                return NULL;
            of->name = f->name;
            of->value_node = (gql_node *)val;
            o->fields.items[k] = of;
            if (k == o->fields.count)
                o->fields.count++;
        }
        return o;
    }
    default: /* BOOLEAN, NULL */
        return v;
    }
}

static int coerce(builder *b, const gql_node *v, const gql_type_ref *type, const gql_node **out);

static int coerce_input_object(builder *b, const gql_node *v, const gql_type *t,
                               const gql_node **out)
{
    if (v->kind != GQL_OBJECT)
        return CO_UNDEF;
    if (resolve(b, (gql_type *)t) < 0)
        return CO_FATAL;
    gql_node *o = new_node(b, GQL_OBJECT);
    if (!o)
        return CO_FATAL;
    if (t->ninput_fields) {
        o->fields.items = gql_arena_alloc(b->a, t->ninput_fields * sizeof(gql_node *));
        if (!o->fields.items) {
            oom(b);
            return CO_FATAL;
        }
    }
    for (uint32_t i = 0; i < t->ninput_fields; i++) {
        const gql_input_value *f = &t->input_fields[i];
        const gql_node *fn = NULL; /* keyMap: the last of duplicates */
        for (uint32_t k = 0; k < v->fields.count; k++)
            if (name_eq(v->fields.items[k]->name, f->name, f->name_len))
                fn = v->fields.items[k];
        const gql_node *value;
        if (!fn) {
            if (f->default_value)
                value = f->default_value;
            else if (f->type->kind == GQL_REF_NON_NULL)
                return CO_UNDEF;
            else
                continue;
        } else {
            int rc = coerce(b, fn->value_node, f->type, &value);
            if (rc != CO_OK)
                return rc;
        }
        gql_node *of = new_node(b, GQL_OBJECT_FIELD);
        gql_node *nm = new_node(b, GQL_NAME);
        if (!of || !nm)
            return CO_FATAL;
        nm->value = f->name;
        nm->value_len = f->name_len;
        of->name = nm;
        of->value_node = (gql_node *)value;
        o->fields.items[o->fields.count++] = of;
    }
    if (t->one_of) {
        if (o->fields.count != 1)
            return CO_UNDEF;
        if (o->fields.items[0]->value_node->kind == GQL_NULL)
            return CO_UNDEF;
    }
    *out = o;
    return CO_OK;
}

static int coerce_scalar(builder *b, const gql_node *v, const gql_type *t, const gql_node **out)
{
    if (!(t->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR)) {
        *out = untyped(b, v);
        return *out ? CO_OK : CO_FATAL;
    }
    const char *n = t->name;
    if (strcmp(n, "Int") == 0) {
        if (v->kind != GQL_INT)
            return CO_UNDEF;
        double d = strtod(v->value, NULL);
        if (d > 2147483647.0 || d < -2147483648.0)
            return CO_UNDEF;
        char buf[16];
        int len = snprintf(buf, sizeof buf, "%ld", (long)d);
        gql_node *r = new_node(b, GQL_INT);
        if (!r || !(r->value = gql_arena_strndup(b->a, buf, (size_t)len))) {
            oom(b);
            return CO_FATAL;
        }
        r->value_len = (uint32_t)len;
        *out = r;
        return CO_OK;
    }
    if (strcmp(n, "Float") == 0) {
        if (v->kind != GQL_INT && v->kind != GQL_FLOAT)
            return CO_UNDEF;
        *out = number_node(b, strtod(v->value, NULL), v);
        return *out ? CO_OK : CO_FATAL;
    }
    if (strcmp(n, "String") == 0) {
        if (v->kind != GQL_STRING)
            return CO_UNDEF;
        *out = plain_string(b, v);
        return *out ? CO_OK : CO_FATAL;
    }
    if (strcmp(n, "Boolean") == 0) {
        if (v->kind != GQL_BOOLEAN)
            return CO_UNDEF;
        *out = v;
        return CO_OK;
    }
    /* ID: a string or an integer literal, kept as a string; astFromValue
     * writes integer-looking IDs as Int literals. */
    if (v->kind != GQL_STRING && v->kind != GQL_INT)
        return CO_UNDEF;
    if (is_integer_string(v->value)) {
        gql_node *r = new_node(b, GQL_INT);
        if (!r)
            return CO_FATAL;
        r->value = v->value;
        r->value_len = v->value_len;
        *out = r;
    } else {
        *out = plain_string(b, v);
    }
    return *out ? CO_OK : CO_FATAL;
}

static int coerce(builder *b, const gql_node *v, const gql_type_ref *type, const gql_node **out)
{
    if (b->failed)
        return CO_FATAL;
    if (type->kind == GQL_REF_NON_NULL) {
        if (v->kind == GQL_NULL)
            return CO_UNDEF;
        return coerce(b, v, type->of_type, out);
    }
    if (v->kind == GQL_NULL) {
        *out = v;
        return CO_OK;
    }
    if (type->kind == GQL_REF_LIST) {
        const gql_node *item;
        if (v->kind != GQL_LIST) {
            int rc = coerce(b, v, type->of_type, &item);
            if (rc != CO_OK)
                return rc;
            gql_node *l = new_node(b, GQL_LIST);
            gql_node **items = gql_arena_alloc(b->a, sizeof *items);
            if (!l || !items) {
                oom(b);
                return CO_FATAL;
            }
            items[0] = (gql_node *)item;
            l->values.items = items;
            l->values.count = 1;
            *out = l;
            return CO_OK;
        }
        gql_node *l = new_node(b, GQL_LIST);
        if (!l)
            return CO_FATAL;
        if (v->values.count) {
            l->values.items = gql_arena_alloc(b->a, v->values.count * sizeof(gql_node *));
            if (!l->values.items) {
                oom(b);
                return CO_FATAL;
            }
        }
        for (uint32_t i = 0; i < v->values.count; i++) {
            int rc = coerce(b, v->values.items[i], type->of_type, &item);
            if (rc != CO_OK)
                return rc;
            l->values.items[l->values.count++] = (gql_node *)item;
        }
        *out = l;
        return CO_OK;
    }
    const gql_type *t = type->named;
    switch (t->kind) {
    case GQL_TYPE_INPUT_OBJECT:
        return coerce_input_object(b, v, t, out);
    case GQL_TYPE_SCALAR:
        return coerce_scalar(b, v, t, out);
    case GQL_TYPE_ENUM:
        if (v->kind != GQL_ENUM || !gql_type_find_enum_value(t, v->value, v->value_len))
            return CO_UNDEF;
        *out = v;
        return CO_OK;
    default: {
        /* valueFromAST's invariant on a non-input type */
        gql_buf m = GQL_BUF_INIT;
        gql_buf_printf(&m, "Unexpected input type: %s", t->name);
        fatal(b, gqls_buf_cstr(&m), NULL, 0);
        gql_buf_free(&m);
        return CO_FATAL;
    }
    }
}

/* ---- getDirectiveValues for the built-in @deprecated/@specifiedBy/@oneOf ---- */

/* Returns 1 when `owner` carries the directive (its argument values, coerced,
 * in `values`), 0 when not, -1 after a build error (graphql-js throws from
 * getArgumentValues). */
static int directive_values(builder *b, const gql_directive *def, const gql_node *owner,
                            uint32_t source, const gql_node **values)
{
    const gql_node *dn = NULL;
    for (uint32_t i = 0; i < owner->directives.count && !dn; i++)
        if (name_eq(owner->directives.items[i]->name, def->name, def->name_len))
            dn = owner->directives.items[i];
    if (!dn)
        return 0;
    for (uint32_t k = 0; k < def->nargs; k++) {
        const gql_input_value *ad = &def->args[k];
        const gql_node *an = NULL;
        for (uint32_t i = 0; i < dn->arguments.count; i++)
            if (name_eq(dn->arguments.items[i]->name, ad->name, ad->name_len))
                an = dn->arguments.items[i];
        gql_buf m = GQL_BUF_INIT;
        values[k] = NULL;
        if (!an) {
            if (ad->default_value) {
                values[k] = ad->default_value;
            } else if (ad->type->kind == GQL_REF_NON_NULL) {
                gql_buf_printf(&m, "Argument \"%s\" of required type \"", ad->name);
                gql_type_ref_print(&m, ad->type);
                gql_buf_puts(&m, "\" was not provided.");
                fatal(b, gqls_buf_cstr(&m), dn, source);
                gql_buf_free(&m);
                return -1;
            }
            continue;
        }
        const gql_node *v = an->value_node;
        if (v->kind == GQL_NULL && ad->type->kind == GQL_REF_NON_NULL) {
            gql_buf_printf(&m, "Argument \"%s\" of non-null type \"", ad->name);
            gql_type_ref_print(&m, ad->type);
            gql_buf_puts(&m, "\" must not be null.");
            fatal(b, gqls_buf_cstr(&m), v, source);
            gql_buf_free(&m);
            return -1;
        }
        int rc = coerce(b, v, ad->type, &values[k]);
        if (rc == CO_FATAL)
            return -1;
        if (rc == CO_UNDEF) {
            gql_buf_printf(&m, "Argument \"%s\" has invalid value ", ad->name);
            gql_print_to(&m, v);
            gql_buf_putc(&m, '.');
            fatal(b, gqls_buf_cstr(&m), v, source);
            gql_buf_free(&m);
            return -1;
        }
    }
    return 1;
}

/* The string argument of a built-in directive (@deprecated reason,
 * @specifiedBy url); absent when the directive is, or the value is null. */
static int string_directive_arg(builder *b, int which, const gql_node *owner, uint32_t source,
                                gql_str *out)
{
    const gql_node *values[2] = {NULL, NULL};
    out->s = NULL;
    out->len = 0;
    int rc = directive_values(b, b->bi.directives[which], owner, source, values);
    if (rc < 0)
        return -1;
    if (rc > 0 && values[0] && values[0]->kind == GQL_STRING)
        *out = str_of_node(values[0]);
    return 0;
}

/* ---- Building types ---- */

static int build_input_values(builder *b, const gql_schema_ast *owners, uint32_t nowners,
                              int use_fields, gql_input_value **out, uint32_t *nout,
                              gql_name_index *idx)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < nowners; i++)
        n += use_fields ? owners[i].node->fields.count : owners[i].node->arguments.count;
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return 0;
    gql_input_value *vals = gql_arena_zalloc(b->a, n * sizeof *vals);
    if (!vals) {
        oom(b);
        return -1;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < nowners; i++) {
        const gql_list *l = use_fields ? &owners[i].node->fields : &owners[i].node->arguments;
        uint32_t src = owners[i].source;
        for (uint32_t j = 0; j < l->count; j++) {
            const gql_node *node = l->items[j];
            gql_input_value *v = &vals[k];
            v->name = node->name->value;
            v->name_len = node->name->value_len;
            v->index = k++;
            v->description = str_of_node(node->description);
            v->ast.node = node;
            v->ast.source = src;
            v->type = wrapped_type(b, node->type, src);
            if (!v->type)
                return -1;
            v->default_ast = node->default_value;
            if (node->default_value) {
                int rc = coerce(b, node->default_value, v->type, &v->default_value);
                if (rc == CO_FATAL)
                    return -1;
                if (rc == CO_UNDEF)
                    v->default_value = NULL;
            }
            if (string_directive_arg(b, GQLS_DIR_DEPRECATED, node, src,
                                     &v->deprecation_reason) < 0)
                return -1;
        }
    }
    *out = vals;
    *nout = n;
    if (gqls_index_build(b->a, idx, vals, n, gqls_name_of_input_value) < 0) {
        oom(b);
        return -1;
    }
    return 0;
}

/* [astNode, ...extensionASTNodes] of a user type. */
static gql_schema_ast *all_nodes(builder *b, const gql_type *t, uint32_t *n)
{
    gql_schema_ast *nodes = gql_arena_alloc(b->scratch, (t->nextensions + 1) * sizeof *nodes);
    if (!nodes) {
        oom(b);
        return NULL;
    }
    nodes[0] = t->ast;
    for (uint32_t i = 0; i < t->nextensions; i++)
        nodes[i + 1] = t->extensions[i];
    *n = t->nextensions + 1;
    return nodes;
}

static int build_named_list(builder *b, const gql_schema_ast *nodes, uint32_t nnodes,
                            int interfaces, const gql_type ***out, uint32_t *nout)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < nnodes; i++)
        n += interfaces ? nodes[i].node->interfaces.count : nodes[i].node->types.count;
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return 0;
    const gql_type **list = gql_arena_alloc(b->a, n * sizeof *list);
    if (!list) {
        oom(b);
        return -1;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < nnodes; i++) {
        const gql_list *l = interfaces ? &nodes[i].node->interfaces : &nodes[i].node->types;
        for (uint32_t j = 0; j < l->count; j++) {
            const gql_type *t = named_type(b, l->items[j], nodes[i].source);
            if (!t)
                return -1;
            list[k++] = t;
        }
    }
    *out = list;
    *nout = n;
    return 0;
}

static int build_fields(builder *b, gql_type *t, const gql_schema_ast *nodes, uint32_t nnodes)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < nnodes; i++)
        n += nodes[i].node->fields.count;
    if (n == 0)
        return 0;
    gql_field *fields = gql_arena_zalloc(b->a, n * sizeof *fields);
    if (!fields) {
        oom(b);
        return -1;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < nnodes; i++) {
        uint32_t src = nodes[i].source;
        const gql_list *l = &nodes[i].node->fields;
        for (uint32_t j = 0; j < l->count; j++) {
            const gql_node *node = l->items[j];
            gql_field *f = &fields[k];
            f->name = node->name->value;
            f->name_len = node->name->value_len;
            f->index = k++;
            f->description = str_of_node(node->description);
            f->parent = t;
            f->ast.node = node;
            f->ast.source = src;
            f->type = wrapped_type(b, node->type, src);
            if (!f->type)
                return -1;
            gql_schema_ast owner = {node, src};
            if (build_input_values(b, &owner, 1, 0, &f->args, &f->nargs, &f->args_index) < 0)
                return -1;
            if (string_directive_arg(b, GQLS_DIR_DEPRECATED, node, src,
                                     &f->deprecation_reason) < 0)
                return -1;
        }
    }
    t->fields = fields;
    t->nfields = n;
    if (gqls_index_build(b->a, &t->fields_index, fields, n, gqls_name_of_field) < 0) {
        oom(b);
        return -1;
    }
    return 0;
}

/* Runs a user type's thunks (interfaces, fields, members, input fields). */
static int resolve(builder *b, gql_type *t)
{
    if (b->failed)
        return -1;
    if (t->flags & (GQL_TYPE_FLAG_SPECIFIED_SCALAR | GQL_TYPE_FLAG_INTROSPECTION))
        return 0;
    btype *bt = (btype *)t;
    if (bt->state == RESOLVE_DONE)
        return 0;
    if (bt->state == RESOLVE_BUSY) {
        /* graphql-js re-enters the fields thunk until the stack overflows. */
        fatal(b, "Maximum call stack size exceeded", NULL, 0);
        return -1;
    }
    bt->state = RESOLVE_BUSY;
    uint32_t n;
    gql_schema_ast *nodes = all_nodes(b, t, &n);
    if (!nodes)
        return -1;
    int rc = 0;
    switch (t->kind) {
    case GQL_TYPE_OBJECT:
    case GQL_TYPE_INTERFACE:
        rc = build_named_list(b, nodes, n, 1, &t->interfaces, &t->ninterfaces);
        if (rc == 0)
            rc = build_fields(b, t, nodes, n);
        break;
    case GQL_TYPE_UNION:
        rc = build_named_list(b, nodes, n, 0, &t->members, &t->nmembers);
        break;
    case GQL_TYPE_INPUT_OBJECT:
        rc = build_input_values(b, nodes, n, 1, &t->input_fields, &t->ninput_fields,
                                &t->input_fields_index);
        break;
    default:
        break;
    }
    bt->state = RESOLVE_DONE;
    return rc;
}

static int build_enum_values(builder *b, gql_type *t)
{
    uint32_t nn;
    gql_schema_ast *nodes = all_nodes(b, t, &nn);
    if (!nodes)
        return -1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < nn; i++)
        n += nodes[i].node->values.count;
    if (n == 0)
        return 0;
    gql_enum_value *vals = gql_arena_zalloc(b->a, n * sizeof *vals);
    if (!vals) {
        oom(b);
        return -1;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < nn; i++) {
        for (uint32_t j = 0; j < nodes[i].node->values.count; j++) {
            const gql_node *node = nodes[i].node->values.items[j];
            gql_enum_value *v = &vals[k];
            v->name = node->name->value;
            v->name_len = node->name->value_len;
            v->index = k++;
            v->description = str_of_node(node->description);
            v->ast.node = node;
            v->ast.source = nodes[i].source;
            if (string_directive_arg(b, GQLS_DIR_DEPRECATED, node, nodes[i].source,
                                     &v->deprecation_reason) < 0)
                return -1;
        }
    }
    t->values = vals;
    t->nvalues = n;
    if (gqls_index_build(b->a, &t->values_index, vals, n, gqls_name_of_enum_value) < 0) {
        oom(b);
        return -1;
    }
    return 0;
}

/* buildType: the type's shell plus what graphql-js computes eagerly. */
static gql_type *build_type(builder *b, const gql_schema_ast *def)
{
    const gql_node *node = def->node;
    btype *bt = gql_arena_zalloc(b->a, sizeof *bt);
    if (!bt) {
        oom(b);
        return NULL;
    }
    gql_type *t = &bt->t;
    switch (node->kind) {
    case GQL_SCALAR_TYPE_DEFINITION:
        t->kind = GQL_TYPE_SCALAR;
        break;
    case GQL_OBJECT_TYPE_DEFINITION:
        t->kind = GQL_TYPE_OBJECT;
        break;
    case GQL_INTERFACE_TYPE_DEFINITION:
        t->kind = GQL_TYPE_INTERFACE;
        break;
    case GQL_UNION_TYPE_DEFINITION:
        t->kind = GQL_TYPE_UNION;
        break;
    case GQL_ENUM_TYPE_DEFINITION:
        t->kind = GQL_TYPE_ENUM;
        break;
    default:
        t->kind = GQL_TYPE_INPUT_OBJECT;
        break;
    }
    t->name = node->name->value;
    t->name_len = node->name->value_len;
    t->index = UINT32_MAX;
    t->description = str_of_node(node->description);
    t->ref.kind = GQL_REF_NAMED;
    t->ref.named = t;
    t->ast = *def;
    const ast_list *exts = gqls_map_get(&b->ext_map, t->name, t->name_len);
    if (exts && exts->count) {
        gql_schema_ast *e = gql_arena_alloc(b->a, exts->count * sizeof *e);
        if (!e) {
            oom(b);
            return NULL;
        }
        memcpy(e, exts->items, exts->count * sizeof *e);
        t->extensions = e;
        t->nextensions = exts->count;
    }
    switch (t->kind) {
    case GQL_TYPE_SCALAR:
        /* buildASTSchema reads @specifiedBy on the definition only. */
        if (string_directive_arg(b, GQLS_DIR_SPECIFIED_BY, node, def->source,
                                 &t->specified_by_url) < 0)
            return NULL;
        break;
    case GQL_TYPE_ENUM:
        if (build_enum_values(b, t) < 0)
            return NULL;
        break;
    case GQL_TYPE_INPUT_OBJECT: {
        const gql_node *none[1];
        int rc = directive_values(b, b->bi.directives[GQLS_DIR_ONE_OF], node, def->source, none);
        if (rc < 0)
            return NULL;
        t->one_of = rc > 0; /* on the definition only, as buildASTSchema */
        break;
    }
    default:
        break;
    }
    return t;
}

static gql_directive *build_directive(builder *b, const gql_schema_ast *def)
{
    const gql_node *node = def->node;
    gql_directive *d = gql_arena_zalloc(b->a, sizeof *d);
    uint8_t *locs = gql_arena_zalloc(b->a, node->locations.count + 1);
    if (!d || !locs) {
        oom(b);
        return NULL;
    }
    d->name = node->name->value;
    d->name_len = node->name->value_len;
    d->description = str_of_node(node->description);
    d->repeatable = (node->flags & GQL_FLAG_REPEATABLE) != 0;
    for (uint32_t i = 0; i < node->locations.count; i++) {
        const gql_node *l = node->locations.items[i];
        int loc = gql_directive_location_from_name(l->value, l->value_len);
        if (loc < 0)
            continue; /* the parser only accepts known locations */
        locs[d->nlocations++] = (uint8_t)loc;
        d->location_mask |= 1u << loc;
    }
    d->locations = locs;
    d->ast = *def;
    if (build_input_values(b, def, 1, 0, &d->args, &d->nargs, &d->args_index) < 0)
        return NULL;
    if (string_directive_arg(b, GQLS_DIR_DEPRECATED, node, def->source,
                             &d->deprecation_reason) < 0)
        return NULL;
    return d;
}

/* ---- GraphQLSchema's constructor: collectReferencedTypes ---- */

static int collect(builder *b, const gql_type *t);

static int push_type(builder *b, const gql_type *t)
{
    if (b->norder == b->cap_order) {
        uint32_t cap = b->cap_order ? b->cap_order * 2 : 64;
        const gql_type **o = gql_arena_alloc(b->scratch, cap * sizeof *o);
        if (!o) {
            oom(b);
            return -1;
        }
        if (b->norder)
            memcpy(o, b->order, b->norder * sizeof *o);
        b->order = o;
        b->cap_order = cap;
    }
    b->order[b->norder++] = t;
    return 0;
}

static int collect_refs(builder *b, const gql_type *t)
{
    if (resolve(b, (gql_type *)t) < 0)
        return -1;
    switch (t->kind) {
    case GQL_TYPE_UNION:
        for (uint32_t i = 0; i < t->nmembers; i++)
            if (collect(b, t->members[i]) < 0)
                return -1;
        break;
    case GQL_TYPE_OBJECT:
    case GQL_TYPE_INTERFACE:
        for (uint32_t i = 0; i < t->ninterfaces; i++)
            if (collect(b, t->interfaces[i]) < 0)
                return -1;
        for (uint32_t i = 0; i < t->nfields; i++) {
            const gql_field *f = &t->fields[i];
            if (collect(b, f->type->named) < 0)
                return -1;
            for (uint32_t k = 0; k < f->nargs; k++)
                if (collect(b, f->args[k].type->named) < 0)
                    return -1;
        }
        break;
    case GQL_TYPE_INPUT_OBJECT:
        for (uint32_t i = 0; i < t->ninput_fields; i++)
            if (collect(b, t->input_fields[i].type->named) < 0)
                return -1;
        break;
    default:
        break;
    }
    return 0;
}

static int collect(builder *b, const gql_type *t)
{
    if (!t)
        return 0;
    void **slot = gqls_map_slot(&b->collected, t->name, t->name_len);
    if (!slot) {
        oom(b);
        return -1;
    }
    if (*slot)
        return 0;
    *slot = (void *)t;
    if (push_type(b, t) < 0)
        return -1;
    return collect_refs(b, t);
}

static int set_bit(builder *b, uint64_t **bits, const gql_type *t)
{
    if (!*bits) {
        *bits = gql_arena_zalloc(b->a, ((b->norder + 63) / 64) * sizeof **bits);
        if (!*bits) {
            oom(b);
            return -1;
        }
    }
    (*bits)[t->index / 64] |= (uint64_t)1 << (t->index % 64);
    return 0;
}

/* graphql-js _implementationsMap, possible types and isSubType sets. */
static int build_abstract_maps(builder *b)
{
    gql_schema *s = b->s;
    uint32_t *nobj = calloc(s->ntypes + 1, sizeof *nobj);
    uint32_t *nifc = calloc(s->ntypes + 1, sizeof *nifc);
    if (!nobj || !nifc) {
        free(nobj);
        free(nifc);
        oom(b);
        return -1;
    }
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_type *t = s->types[i];
        if (t->kind != GQL_TYPE_OBJECT && t->kind != GQL_TYPE_INTERFACE)
            continue;
        for (uint32_t k = 0; k < t->ninterfaces; k++) {
            const gql_type *iface = t->interfaces[k];
            if (iface->kind != GQL_TYPE_INTERFACE)
                continue;
            if (t->kind == GQL_TYPE_OBJECT)
                nobj[iface->index]++;
            else
                nifc[iface->index]++;
        }
    }
    int rc = 0;
    for (uint32_t i = 0; i < s->ntypes && rc == 0; i++) {
        gql_type *t = (gql_type *)s->types[i];
        if (t->kind == GQL_TYPE_INTERFACE) {
            if (nobj[i] && !(t->possible_types = gql_arena_alloc(b->a, nobj[i] * sizeof(void *))))
                rc = -1;
            if (nifc[i] &&
                !(t->implementations = gql_arena_alloc(b->a, nifc[i] * sizeof(void *))))
                rc = -1;
        } else if (t->kind == GQL_TYPE_UNION) {
            t->possible_types = t->members;
            t->npossible_types = t->nmembers;
        }
    }
    free(nobj);
    free(nifc);
    if (rc < 0) {
        oom(b);
        return -1;
    }
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_type *t = s->types[i];
        if (t->kind != GQL_TYPE_OBJECT && t->kind != GQL_TYPE_INTERFACE)
            continue;
        for (uint32_t k = 0; k < t->ninterfaces; k++) {
            gql_type *iface = (gql_type *)t->interfaces[k];
            if (iface->kind != GQL_TYPE_INTERFACE)
                continue;
            if (t->kind == GQL_TYPE_OBJECT)
                iface->possible_types[iface->npossible_types++] = t;
            else
                iface->implementations[iface->nimplementations++] = t;
        }
    }
    for (uint32_t i = 0; i < s->ntypes; i++) {
        gql_type *t = (gql_type *)s->types[i];
        if (!gql_type_is_abstract(t))
            continue;
        uint64_t *bits = NULL;
        for (uint32_t k = 0; k < t->npossible_types; k++)
            if (t->possible_types[k]->index != UINT32_MAX &&
                set_bit(b, &bits, t->possible_types[k]) < 0)
                return -1;
        for (uint32_t k = 0; k < t->nimplementations; k++)
            if (set_bit(b, &bits, t->implementations[k]) < 0)
                return -1;
        t->subtypes = bits;
    }
    return 0;
}

/* ---- buildASTSchema ---- */

static int gather(builder *b, const gql_schema_ast *defs, uint32_t ndefs)
{
    for (uint32_t i = 0; i < ndefs; i++) {
        const gql_node *def = defs[i].node;
        uint32_t src = defs[i].source;
        if (def->kind == GQL_SCHEMA_DEFINITION) {
            b->schema_def = defs[i];
        } else if (def->kind == GQL_SCHEMA_EXTENSION) {
            if (ast_push(b, &b->schema_exts, def, src) < 0)
                return -1;
        } else if (gqls_is_type_definition(def->kind)) {
            if (ast_push(b, &b->type_defs, def, src) < 0)
                return -1;
        } else if (gqls_is_type_extension(def->kind)) {
            void **slot = gqls_map_slot(&b->ext_map, def->name->value, def->name->value_len);
            if (!slot) {
                oom(b);
                return -1;
            }
            if (!*slot && !(*slot = gql_arena_zalloc(b->scratch, sizeof(ast_list)))) {
                oom(b);
                return -1;
            }
            if (ast_push(b, *slot, def, src) < 0)
                return -1;
        } else if (def->kind == GQL_DIRECTIVE_DEFINITION) {
            if (ast_push(b, &b->directive_defs, def, src) < 0)
                return -1;
        }
    }
    return 0;
}

static void set_operation_types(builder *b, const gql_schema_ast *node)
{
    gql_schema *s = b->s;
    for (uint32_t i = 0; i < node->node->operation_types.count && !b->failed; i++) {
        const gql_node *ot = node->node->operation_types.items[i];
        const gql_type *t = named_type(b, ot->type, node->source);
        if (ot->operation == GQL_OP_QUERY)
            s->query = t;
        else if (ot->operation == GQL_OP_MUTATION)
            s->mutation = t;
        else
            s->subscription = t;
    }
}

static int build_schema(builder *b)
{
    gql_schema *s = b->s;
    /* typeMap: definitions in order, the standard types standing in for
     * redefinitions of their names */
    for (uint32_t i = 0; i < b->type_defs.count && !b->failed; i++) {
        const gql_schema_ast *def = &b->type_defs.items[i];
        const gql_node *name = def->node->name;
        void **slot = gqls_map_slot(&b->type_map, name->value, name->value_len);
        if (!slot) {
            oom(b);
            return -1;
        }
        gql_type *std = gqls_builtin_type(&b->bi, name->value, name->value_len);
        gql_type *t = std ? std : build_type(b, def);
        if (!t)
            return -1;
        *slot = t;
    }
    if (b->failed)
        return -1;

    /* directives: the SDL's, then the specified ones not redefined */
    uint32_t nd = b->directive_defs.count;
    const gql_directive **dirs =
        gql_arena_alloc(b->a, (nd + GQLS_BUILTIN_DIRECTIVE_COUNT) * sizeof *dirs);
    if (!dirs) {
        oom(b);
        return -1;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < nd; i++) {
        gql_directive *d = build_directive(b, &b->directive_defs.items[i]);
        if (!d)
            return -1;
        dirs[k++] = d;
    }
    for (int i = 0; i < GQLS_BUILTIN_DIRECTIVE_COUNT; i++) {
        gql_directive *std = b->bi.directives[i];
        int redefined = 0;
        for (uint32_t j = 0; j < nd && !redefined; j++)
            redefined = dirs[j]->name_len == std->name_len &&
                        memcmp(dirs[j]->name, std->name, std->name_len) == 0;
        if (!redefined)
            dirs[k++] = std;
    }
    for (uint32_t i = 0; i < k; i++)
        ((gql_directive *)dirs[i])->index = i;
    s->directives = dirs;
    s->ndirectives = k;
    if (gqls_index_build(b->a, &s->directives_index, dirs, k, gqls_name_of_directive_ptr) < 0) {
        oom(b);
        return -1;
    }

    /* root operation types */
    if (b->schema_def.node)
        set_operation_types(b, &b->schema_def);
    for (uint32_t i = 0; i < b->schema_exts.count; i++)
        set_operation_types(b, &b->schema_exts.items[i]);
    if (b->failed)
        return -1;
    if (!b->schema_def.node) {
        for (uint32_t i = 0; i < b->type_map.count; i++) {
            const gql_type *t = b->type_map.entries[i].value;
            if (strcmp(t->name, "Query") == 0)
                s->query = t;
            else if (strcmp(t->name, "Mutation") == 0)
                s->mutation = t;
            else if (strcmp(t->name, "Subscription") == 0)
                s->subscription = t;
        }
    }
    s->ast = b->schema_def;
    if (b->schema_def.node)
        s->description = str_of_node(b->schema_def.node->description);
    if (b->schema_exts.count) {
        gql_schema_ast *e = gql_arena_alloc(b->a, b->schema_exts.count * sizeof *e);
        if (!e) {
            oom(b);
            return -1;
        }
        memcpy(e, b->schema_exts.items, b->schema_exts.count * sizeof *e);
        s->extensions = e;
        s->nextensions = b->schema_exts.count;
    }

    /* the type list, in GraphQLSchema's order */
    gqls_map_init(&b->collected, b->scratch);
    for (uint32_t i = 0; i < b->type_map.count; i++) {
        const gql_type *t = b->type_map.entries[i].value;
        void **slot = gqls_map_slot(&b->collected, t->name, t->name_len);
        if (!slot) {
            oom(b);
            return -1;
        }
        *slot = (void *)t;
    }
    for (uint32_t i = 0; i < b->type_map.count; i++) {
        const gql_type *t = b->type_map.entries[i].value;
        if (push_type(b, t) < 0 || collect_refs(b, t) < 0)
            return -1;
    }
    if (collect(b, s->query) < 0 || collect(b, s->mutation) < 0 ||
        collect(b, s->subscription) < 0)
        return -1;
    for (uint32_t i = 0; i < s->ndirectives; i++)
        for (uint32_t j = 0; j < s->directives[i]->nargs; j++)
            if (collect(b, s->directives[i]->args[j].type->named) < 0)
                return -1;
    if (collect(b, b->bi.types[GQLS___SCHEMA]) < 0)
        return -1;

    const gql_type **types = gql_arena_alloc(b->a, (b->norder + 1) * sizeof *types);
    if (!types) {
        oom(b);
        return -1;
    }
    for (uint32_t i = 0; i < b->norder; i++) {
        types[i] = b->order[i];
        ((gql_type *)types[i])->index = i;
    }
    s->types = types;
    s->ntypes = b->norder;
    if (gqls_index_build(b->a, &s->types_index, types, s->ntypes, gqls_name_of_type_ptr) < 0) {
        oom(b);
        return -1;
    }
    if (build_abstract_maps(b) < 0)
        return -1;
    s->schema_meta_field = b->bi.schema_meta_field;
    s->type_meta_field = b->bi.type_meta_field;
    s->typename_meta_field = b->bi.typename_meta_field;
    return 0;
}

/* ---- Entry points ---- */

/* Parse options for SDL: schemas are trusted start-up input and can be
 * large (public schemas run to megabytes and millions of tokens). */
static const gql_parse_options sdl_parse_options = {
    (size_t)256 << 20, /* max_source_bytes */
    UINT32_MAX,        /* max_tokens */
    0                  /* max_depth: default */
};

gql_schema *gql_schema_build(const gql_sdl_source *sources, size_t nsources,
                             unsigned flags, gql_error_list *errors, gql_buf *report)
{
    gql_arena *arena = gql_arena_new(64 * 1024);
    gql_arena *scratch = gql_arena_new(16 * 1024);
    gql_schema *s = arena ? gql_arena_zalloc(arena, sizeof *s) : NULL;
    gql_document **docs = calloc(nsources + 1, sizeof *docs);
    char **names = calloc(nsources + 1, sizeof *names);
    gqls_reporter r;
    memset(&r, 0, sizeof r);
    r.errors = errors;
    r.report = report;
    if (!arena || !scratch || !s || !docs || !names) {
        gqls_report(&r, "Out of memory.", NULL, 0);
        free(docs);
        free(names);
        gql_arena_free(scratch);
        gql_arena_free(arena);
        return NULL;
    }
    s->arena = arena;
    s->documents = docs;
    s->source_names = names;
    s->nsources = (uint32_t)nsources;
    r.docs = docs;
    r.names = (const char *const *)names;
    r.nsources = (uint32_t)nsources;

    int ok = 1;
    /* 1. parse */
    for (size_t i = 0; i < nsources; i++) {
        names[i] = dup_cstr(sources[i].name ? sources[i].name : "<schema>");
        if (!names[i]) {
            gqls_report(&r, "Out of memory.", NULL, 0);
            ok = 0;
            break;
        }
        gql_error_list perr = GQL_ERROR_LIST_INIT;
        docs[i] = gql_parse(sources[i].text, sources[i].len, &sdl_parse_options, &perr);
        if (!docs[i]) {
            ok = 0;
            for (uint32_t k = 0; k < perr.count; k++) {
                const gql_error *e = &perr.items[k];
                uint32_t srcs[1] = {(uint32_t)i};
                gqls_report_located(&r, e->message, e->locations, srcs,
                                    e->nlocations > 1 ? 1 : e->nlocations);
            }
            if (perr.count == 0)
                gqls_report(&r, "Out of memory.", NULL, 0);
        }
        gql_error_list_clear(&perr);
    }

    /* 2. SDL validation over all definitions, in source order */
    gqls_builtins *bi = ok ? gql_arena_alloc(arena, sizeof *bi) : NULL;
    gql_schema_ast *defs = NULL;
    uint32_t ndefs = 0;
    if (ok) {
        for (size_t i = 0; i < nsources; i++)
            ndefs += docs[i]->root->definitions.count;
        defs = gql_arena_alloc(scratch, (ndefs + 1) * sizeof *defs);
        if (!bi || !defs || gqls_builtins_create(arena, bi) < 0) {
            gqls_report(&r, "Out of memory.", NULL, 0);
            ok = 0;
        } else {
            uint32_t k = 0;
            for (size_t i = 0; i < nsources; i++)
                for (uint32_t j = 0; j < docs[i]->root->definitions.count; j++) {
                    defs[k].node = docs[i]->root->definitions.items[j];
                    defs[k].source = (uint32_t)i;
                    k++;
                }
            if (gqls_validate_sdl(&r, defs, ndefs, bi, scratch) > 0)
                ok = 0;
        }
    }

    /* 3. build */
    if (ok) {
        builder b;
        memset(&b, 0, sizeof b);
        b.s = s;
        b.a = arena;
        b.scratch = scratch;
        b.r = &r;
        b.bi = *bi;
        gqls_map_init(&b.type_map, scratch);
        gqls_map_init(&b.ext_map, scratch);
        if (gather(&b, defs, ndefs) < 0 || build_schema(&b) < 0 || b.failed)
            ok = 0;
    }
    gql_arena_free(scratch);

    /* 4. validateSchema */
    if (ok && !(flags & GQL_SCHEMA_NO_VALIDATE) && gqls_validate_schema(s, &r) > 0)
        ok = 0;
    if (!ok) {
        gql_schema_free(s);
        return NULL;
    }
    return s;
}

static char *read_file(const char *path, size_t *len, gql_buf *report)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        gql_buf_printf(report, "%s: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    gql_buf b = GQL_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        gql_buf_append(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err || b.oom) {
        gql_buf_printf(report, "%s: cannot read: %s\n", path,
                       b.oom ? "out of memory" : strerror(EIO));
        gql_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    char *data = gql_buf_take(&b);
    if (!data)
        data = calloc(1, 1); /* empty file */
    return data;
}

gql_schema *gql_schema_load_files(const char *const *paths, size_t n,
                                  gql_error_list *errors, char **error_text)
{
    return gql_schema_load_files_flags(paths, n, 0, errors, error_text);
}

gql_schema *gql_schema_load_files_flags(const char *const *paths, size_t n, unsigned flags,
                                        gql_error_list *errors, char **error_text)
{
    gql_buf report = GQL_BUF_INIT;
    gql_sdl_source *sources = calloc(n + 1, sizeof *sources);
    gql_schema *s = NULL;
    int ok = sources != NULL;
    if (!sources)
        gql_buf_puts(&report, "schema: out of memory\n");
    for (size_t i = 0; ok && i < n; i++) {
        size_t len = 0;
        char *text = read_file(paths[i], &len, &report);
        if (!text) {
            if (errors)
                gql_error_list_addf(errors, NULL, 0, "Cannot read schema file \"%s\".",
                                    paths[i]);
            ok = 0;
            break;
        }
        sources[i].name = paths[i];
        sources[i].text = text;
        sources[i].len = len;
    }
    if (ok)
        s = gql_schema_build(sources, n, flags, errors, &report);
    for (size_t i = 0; sources && i < n; i++)
        free((char *)sources[i].text);
    free(sources);
    if (error_text)
        *error_text = s ? NULL : gql_buf_take(&report);
    gql_buf_free(&report);
    return s;
}
