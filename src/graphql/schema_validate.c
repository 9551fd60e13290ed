/* schema_validate.c: graphql-js validateSchema (type/validate.ts) — root
 * types, directives, names, fields and arguments, interface implementations,
 * union members, enum values, input objects — with its messages and order. */
#include "config.h"

#include "graphql/schema_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vctx {
    const gql_schema *s;
    gqls_reporter *r;
    gql_schema_ast *nodes; /* scratch list of report locations */
    size_t n, cap;
    uint32_t *stamp;       /* by type index: last union (index + 1) listing it */
    int oom;
} vctx;

static void nodes_reset(vctx *c)
{
    c->n = 0;
}

static void nodes_add(vctx *c, const gql_node *node, uint32_t source)
{
    if (!node)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        gql_schema_ast *x = realloc(c->nodes, cap * sizeof *x);
        if (!x) {
            c->oom = 1;
            return;
        }
        c->nodes = x;
        c->cap = cap;
    }
    c->nodes[c->n].node = node;
    c->nodes[c->n].source = source;
    c->n++;
}

static void nodes_add_ast(vctx *c, gql_schema_ast a)
{
    nodes_add(c, a.node, a.source);
}

/* strdup, which strict C11 does not declare. */
static char *dup_cstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* Reports with the collected nodes, then clears them. */
static void reportf(vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reportf(vctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char stack[512];
    int len = vsnprintf(stack, sizeof stack, fmt, ap);
    va_end(ap);
    if (len >= 0 && (size_t)len < sizeof stack) {
        gqls_report(c->r, stack, c->nodes, c->n);
    } else {
        char *big = len >= 0 ? malloc((size_t)len + 1) : NULL;
        if (big) {
            va_start(ap, fmt);
            vsnprintf(big, (size_t)len + 1, fmt, ap);
            va_end(ap);
        }
        gqls_report(c->r, big ? big : "Out of memory.", c->nodes, c->n);
        free(big);
    }
    nodes_reset(c);
}


/* inspect(type) of a type reference, malloc-owned. */
static char *type_str(const gql_type_ref *t)
{
    gql_buf b = GQL_BUF_INIT;
    gql_type_ref_print(&b, t);
    char *s = gql_buf_take(&b);
    return s ? s : dup_cstr("");
}

static const gql_node *type_node_of(const gql_schema_ast *a)
{
    return a->node ? a->node->type : NULL;
}

static const gql_node *deprecated_directive_node(const gql_node *def)
{
    if (!def)
        return NULL;
    for (uint32_t i = 0; i < def->directives.count; i++) {
        const gql_node *d = def->directives.items[i];
        if (d->name && strcmp(d->name->value, "deprecated") == 0)
            return d;
    }
    return NULL;
}

/* validateName: names beginning with "__" are reserved. */
static void validate_name(vctx *c, const char *name, gql_schema_ast ast)
{
    if (name[0] == '_' && name[1] == '_') {
        nodes_add_ast(c, ast);
        reportf(c,
                "Name \"%s\" must not begin with \"__\", which is reserved by GraphQL "
                "introspection.",
                name);
    }
}

/* The OperationTypeDefinition's NamedType for `op` in the schema
 * definition or its extensions (the first one), or NULL. */
static gql_schema_ast operation_type_node(const gql_schema *s, int op)
{
    gql_schema_ast none = {NULL, 0};
    for (uint32_t k = 0; k <= s->nextensions; k++) {
        gql_schema_ast def = k == 0 ? s->ast : s->extensions[k - 1];
        if (!def.node)
            continue;
        for (uint32_t i = 0; i < def.node->operation_types.count; i++) {
            const gql_node *ot = def.node->operation_types.items[i];
            if (ot->operation == op) {
                gql_schema_ast r = {ot->type, def.source};
                return r;
            }
        }
    }
    return none;
}

static void validate_root_types(vctx *c)
{
    const gql_schema *s = c->s;
    static const char *const labels[3] = {"Query", "Mutation", "Subscription"};
    const gql_type *roots[3] = {s->query, s->mutation, s->subscription};
    if (!roots[0]) {
        nodes_add_ast(c, s->ast);
        reportf(c, "Query root type must be provided.");
    }
    for (int op = 0; op < 3; op++) {
        const gql_type *t = roots[op];
        if (!t || t->kind == GQL_TYPE_OBJECT)
            continue;
        gql_schema_ast at = operation_type_node(s, op);
        nodes_add_ast(c, at.node ? at : t->ast);
        if (op == 0)
            reportf(c, "Query root type must be Object type, it cannot be %s.", t->name);
        else
            reportf(c, "%s root type must be Object type if provided, it cannot be %s.",
                    labels[op], t->name);
    }
}

static void validate_directives(vctx *c)
{
    const gql_schema *s = c->s;
    for (uint32_t i = 0; i < s->ndirectives; i++) {
        const gql_directive *d = s->directives[i];
        validate_name(c, d->name, d->ast);
        if (d->nlocations == 0) {
            nodes_add_ast(c, d->ast);
            reportf(c, "Directive @%s must include 1 or more locations.", d->name);
        }
        for (uint32_t k = 0; k < d->nargs; k++) {
            const gql_input_value *arg = &d->args[k];
            validate_name(c, arg->name, arg->ast);
            if (!gql_type_is_input(arg->type->named)) {
                char *ts = type_str(arg->type);
                nodes_add_ast(c, arg->ast);
                reportf(c, "The type of @%s(%s:) must be Input Type but got: %s.", d->name,
                        arg->name, ts);
                free(ts);
            }
            if (gql_input_value_is_required(arg) && arg->deprecation_reason.s) {
                nodes_add(c, deprecated_directive_node(arg->ast.node), arg->ast.source);
                nodes_add(c, type_node_of(&arg->ast), arg->ast.source);
                reportf(c, "Required argument @%s(%s:) cannot be deprecated.", d->name,
                        arg->name);
            }
        }
    }
}

static void add_type_nodes(vctx *c, const gql_type *t)
{
    nodes_add_ast(c, t->ast);
    for (uint32_t i = 0; i < t->nextensions; i++)
        nodes_add_ast(c, t->extensions[i]);
}

static void validate_fields(vctx *c, const gql_type *t)
{
    if (t->nfields == 0) {
        add_type_nodes(c, t);
        reportf(c, "Type %s must define one or more fields.", t->name);
    }
    for (uint32_t i = 0; i < t->nfields; i++) {
        const gql_field *f = &t->fields[i];
        validate_name(c, f->name, f->ast);
        if (!gql_type_is_output(f->type->named)) {
            char *ts = type_str(f->type);
            nodes_add(c, type_node_of(&f->ast), f->ast.source);
            reportf(c, "The type of %s.%s must be Output Type but got: %s.", t->name, f->name,
                    ts);
            free(ts);
        }
        for (uint32_t k = 0; k < f->nargs; k++) {
            const gql_input_value *arg = &f->args[k];
            validate_name(c, arg->name, arg->ast);
            if (!gql_type_is_input(arg->type->named)) {
                char *ts = type_str(arg->type);
                nodes_add(c, type_node_of(&arg->ast), arg->ast.source);
                reportf(c, "The type of %s.%s(%s:) must be Input Type but got: %s.", t->name,
                        f->name, arg->name, ts);
                free(ts);
            }
            if (gql_input_value_is_required(arg) && arg->deprecation_reason.s) {
                nodes_add(c, deprecated_directive_node(arg->ast.node), arg->ast.source);
                nodes_add(c, type_node_of(&arg->ast), arg->ast.source);
                reportf(c, "Required argument %s.%s(%s:) cannot be deprecated.", t->name,
                        f->name, arg->name);
            }
        }
    }
}

/* getAllImplementsInterfaceNodes(type, iface) */
static void add_implements_nodes(vctx *c, const gql_type *t, const gql_type *iface)
{
    for (uint32_t k = 0; k <= t->nextensions; k++) {
        gql_schema_ast def = k == 0 ? t->ast : t->extensions[k - 1];
        if (!def.node)
            continue;
        for (uint32_t i = 0; i < def.node->interfaces.count; i++) {
            const gql_node *nt = def.node->interfaces.items[i];
            if (nt->name && strcmp(nt->name->value, iface->name) == 0)
                nodes_add(c, nt, def.source);
        }
    }
}

/* getUnionMemberTypeNodes(union, name) */
static void add_member_nodes(vctx *c, const gql_type *u, const char *name)
{
    for (uint32_t k = 0; k <= u->nextensions; k++) {
        gql_schema_ast def = k == 0 ? u->ast : u->extensions[k - 1];
        if (!def.node)
            continue;
        for (uint32_t i = 0; i < def.node->types.count; i++) {
            const gql_node *nt = def.node->types.items[i];
            if (nt->name && strcmp(nt->name->value, name) == 0)
                nodes_add(c, nt, def.source);
        }
    }
}

static void validate_type_implements_ancestors(vctx *c, const gql_type *t, const gql_type *iface)
{
    for (uint32_t i = 0; i < iface->ninterfaces; i++) {
        const gql_type *transitive = iface->interfaces[i];
        int found = 0;
        for (uint32_t k = 0; k < t->ninterfaces && !found; k++)
            found = t->interfaces[k] == transitive;
        if (found)
            continue;
        add_implements_nodes(c, iface, transitive);
        add_implements_nodes(c, t, iface);
        if (transitive == t)
            reportf(c,
                    "Type %s cannot implement %s because it would create a circular "
                    "reference.",
                    t->name, iface->name);
        else
            reportf(c, "Type %s must implement %s because it is implemented by %s.", t->name,
                    transitive->name, iface->name);
    }
}

static const gql_input_value *find_arg(const gql_field *f, const char *name)
{
    for (uint32_t i = 0; i < f->nargs; i++)
        if (strcmp(f->args[i].name, name) == 0)
            return &f->args[i];
    return NULL;
}

static void validate_type_implements_interface(vctx *c, const gql_type *t,
                                               const gql_type *iface)
{
    for (uint32_t i = 0; i < iface->nfields; i++) {
        const gql_field *ifield = &iface->fields[i];
        const char *fname = ifield->name;
        const gql_field *tfield = gql_type_find_field(t, fname, ifield->name_len);
        if (!tfield) {
            nodes_add_ast(c, ifield->ast);
            add_type_nodes(c, t);
            reportf(c, "Interface field %s.%s expected but %s does not provide it.",
                    iface->name, fname, t->name);
            continue;
        }
        if (!gql_schema_is_type_sub_type_of(c->s, tfield->type, ifield->type)) {
            char *its = type_str(ifield->type), *tts = type_str(tfield->type);
            nodes_add(c, type_node_of(&ifield->ast), ifield->ast.source);
            nodes_add(c, type_node_of(&tfield->ast), tfield->ast.source);
            reportf(c, "Interface field %s.%s expects type %s but %s.%s is type %s.",
                    iface->name, fname, its, t->name, fname, tts);
            free(its);
            free(tts);
        }
        for (uint32_t k = 0; k < ifield->nargs; k++) {
            const gql_input_value *iarg = &ifield->args[k];
            const gql_input_value *targ = find_arg(tfield, iarg->name);
            if (!targ) {
                nodes_add_ast(c, iarg->ast);
                nodes_add_ast(c, tfield->ast);
                reportf(c,
                        "Interface field argument %s.%s(%s:) expected but %s.%s does not "
                        "provide it.",
                        iface->name, fname, iarg->name, t->name, fname);
                continue;
            }
            if (!gql_type_ref_equal(iarg->type, targ->type)) {
                char *its = type_str(iarg->type), *tts = type_str(targ->type);
                nodes_add(c, type_node_of(&iarg->ast), iarg->ast.source);
                nodes_add(c, type_node_of(&targ->ast), targ->ast.source);
                reportf(c,
                        "Interface field argument %s.%s(%s:) expects type %s but %s.%s(%s:) "
                        "is type %s.",
                        iface->name, fname, iarg->name, its, t->name, fname, iarg->name, tts);
                free(its);
                free(tts);
            }
        }
        for (uint32_t k = 0; k < tfield->nargs; k++) {
            const gql_input_value *targ = &tfield->args[k];
            if (!find_arg(ifield, targ->name) && gql_input_value_is_required(targ)) {
                nodes_add_ast(c, targ->ast);
                nodes_add_ast(c, ifield->ast);
                reportf(c,
                        "Object field %s.%s includes required argument %s that is missing "
                        "from the Interface field %s.%s.",
                        t->name, fname, targ->name, iface->name, fname);
            }
        }
    }
}

static void validate_interfaces(vctx *c, const gql_type *t)
{
    for (uint32_t i = 0; i < t->ninterfaces; i++) {
        const gql_type *iface = t->interfaces[i];
        if (iface->kind != GQL_TYPE_INTERFACE) {
            add_implements_nodes(c, t, iface);
            reportf(c, "Type %s must only implement Interface types, it cannot implement %s.",
                    t->name, iface->name);
            continue;
        }
        if (iface == t) {
            add_implements_nodes(c, t, iface);
            reportf(c,
                    "Type %s cannot implement itself because it would create a circular "
                    "reference.",
                    t->name);
            continue;
        }
        int seen = 0;
        for (uint32_t k = 0; k < i && !seen; k++)
            seen = t->interfaces[k] == iface && iface->kind == GQL_TYPE_INTERFACE;
        if (seen) {
            add_implements_nodes(c, t, iface);
            reportf(c, "Type %s can only implement %s once.", t->name, iface->name);
            continue;
        }
        validate_type_implements_ancestors(c, t, iface);
        validate_type_implements_interface(c, t, iface);
    }
}

static void validate_union_members(vctx *c, const gql_type *u)
{
    if (u->nmembers == 0) {
        add_type_nodes(c, u);
        reportf(c, "Union type %s must define one or more member types.", u->name);
    }
    for (uint32_t i = 0; i < u->nmembers; i++) {
        const gql_type *m = u->members[i];
        /* includedTypeNames: types have unique names, so compare indexes */
        int seen = 0;
        if (c->stamp && m->index < c->s->ntypes) {
            seen = c->stamp[m->index] == u->index + 1;
            c->stamp[m->index] = u->index + 1;
        } else {
            for (uint32_t k = 0; k < i && !seen; k++)
                seen = strcmp(u->members[k]->name, m->name) == 0;
        }
        if (seen) {
            add_member_nodes(c, u, m->name);
            reportf(c, "Union type %s can only include type %s once.", u->name, m->name);
            continue;
        }
        if (m->kind != GQL_TYPE_OBJECT) {
            add_member_nodes(c, u, m->name);
            reportf(c, "Union type %s can only include Object types, it cannot include %s.",
                    u->name, m->name);
        }
    }
}

static void validate_enum_values(vctx *c, const gql_type *e)
{
    if (e->nvalues == 0) {
        add_type_nodes(c, e);
        reportf(c, "Enum type %s must define one or more values.", e->name);
    }
    for (uint32_t i = 0; i < e->nvalues; i++)
        validate_name(c, e->values[i].name, e->values[i].ast);
}

static void validate_input_fields(vctx *c, const gql_type *t)
{
    if (t->ninput_fields == 0) {
        add_type_nodes(c, t);
        reportf(c, "Input Object type %s must define one or more fields.", t->name);
    }
    for (uint32_t i = 0; i < t->ninput_fields; i++) {
        const gql_input_value *f = &t->input_fields[i];
        validate_name(c, f->name, f->ast);
        if (!gql_type_is_input(f->type->named)) {
            char *ts = type_str(f->type);
            nodes_add(c, type_node_of(&f->ast), f->ast.source);
            reportf(c, "The type of %s.%s must be Input Type but got: %s.", t->name, f->name,
                    ts);
            free(ts);
        }
        if (gql_input_value_is_required(f) && f->deprecation_reason.s) {
            nodes_add(c, deprecated_directive_node(f->ast.node), f->ast.source);
            nodes_add(c, type_node_of(&f->ast), f->ast.source);
            reportf(c, "Required input field %s.%s cannot be deprecated.", t->name, f->name);
        }
        if (t->one_of) {
            if (f->type->kind == GQL_REF_NON_NULL) {
                nodes_add(c, type_node_of(&f->ast), f->ast.source);
                reportf(c, "OneOf input field %s.%s must be nullable.", t->name, f->name);
            }
            if (f->default_value) {
                nodes_add_ast(c, f->ast);
                reportf(c, "OneOf input field %s.%s cannot have a default value.", t->name,
                        f->name);
            }
        }
    }
}

/* createInputObjectCircularRefsValidator: a DFS over non-null input object
 * fields, reporting each cycle once. */
typedef struct cycle_ctx {
    uint8_t *visited;         /* by type index */
    int32_t *path_index;      /* by type index, -1 when not on the path */
    const gql_input_value **path;
    uint32_t depth;
} cycle_ctx;

static void detect_cycle(vctx *c, cycle_ctx *cc, const gql_type *t)
{
    if (cc->visited[t->index])
        return;
    cc->visited[t->index] = 1;
    cc->path_index[t->index] = (int32_t)cc->depth;
    for (uint32_t i = 0; i < t->ninput_fields; i++) {
        const gql_input_value *f = &t->input_fields[i];
        if (f->type->kind != GQL_REF_NON_NULL || f->type->of_type->kind != GQL_REF_NAMED ||
            f->type->named->kind != GQL_TYPE_INPUT_OBJECT)
            continue;
        const gql_type *ft = f->type->named;
        int32_t cycle = cc->path_index[ft->index];
        cc->path[cc->depth++] = f;
        if (cycle < 0) {
            detect_cycle(c, cc, ft);
        } else {
            gql_buf p = GQL_BUF_INIT;
            for (uint32_t k = (uint32_t)cycle; k < cc->depth; k++) {
                if (k > (uint32_t)cycle)
                    gql_buf_putc(&p, '.');
                gql_buf_puts(&p, cc->path[k]->name);
                nodes_add_ast(c, cc->path[k]->ast);
            }
            reportf(c,
                    "Cannot reference Input Object \"%s\" within itself through a series of "
                    "non-null fields: \"%s\".",
                    ft->name, gqls_buf_cstr(&p));
            gql_buf_free(&p);
        }
        cc->depth--;
    }
    cc->path_index[t->index] = -1;
}

static void validate_types(vctx *c)
{
    const gql_schema *s = c->s;
    cycle_ctx cc;
    cc.visited = calloc(s->ntypes + 1, 1);
    cc.path_index = malloc((s->ntypes + 1) * sizeof *cc.path_index);
    cc.path = malloc((s->ntypes + 1) * sizeof *cc.path);
    cc.depth = 0;
    if (!cc.visited || !cc.path_index || !cc.path) {
        c->oom = 1;
        goto out;
    }
    for (uint32_t i = 0; i < s->ntypes; i++)
        cc.path_index[i] = -1;
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_type *t = s->types[i];
        if (!(t->flags & GQL_TYPE_FLAG_INTROSPECTION))
            validate_name(c, t->name, t->ast);
        switch (t->kind) {
        case GQL_TYPE_OBJECT:
        case GQL_TYPE_INTERFACE:
            validate_fields(c, t);
            validate_interfaces(c, t);
            break;
        case GQL_TYPE_UNION:
            validate_union_members(c, t);
            break;
        case GQL_TYPE_ENUM:
            validate_enum_values(c, t);
            break;
        case GQL_TYPE_INPUT_OBJECT:
            validate_input_fields(c, t);
            detect_cycle(c, &cc, t);
            break;
        default:
            break;
        }
    }
out:
    free(cc.visited);
    free(cc.path_index);
    free(cc.path);
}

uint32_t gqls_validate_schema(const gql_schema *s, gqls_reporter *r)
{
    vctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.r = r;
    c.stamp = calloc(s->ntypes + 1, sizeof *c.stamp);
    uint32_t before = r->count;
    validate_root_types(&c);
    validate_directives(&c);
    validate_types(&c);
    if (c.oom)
        gqls_report(r, "Out of memory.", NULL, 0);
    free(c.nodes);
    free(c.stamp);
    return r->count - before;
}

uint32_t gql_schema_validate(const gql_schema *schema, gql_error_list *errors, gql_buf *report)
{
    gqls_reporter r;
    gqls_reporter_for_schema(&r, schema, errors, report);
    return gqls_validate_schema(schema, &r);
}
