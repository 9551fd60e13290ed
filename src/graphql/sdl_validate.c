/* sdl_validate.c: graphql-js assertValidSDL — the specifiedSDLRules run in
 * one traversal of the SDL definitions, in graphql-js's rule order, with its
 * messages and locations. */
#include "config.h"

#include "graphql/schema_internal.h"
#include "graphql/suggestion.h"

#include <stdlib.h>
#include <string.h>

/* What the rules know of a directive (specified or defined in the SDL; the
 * last definition of a name wins, as in graphql-js's maps). */
typedef struct required_arg {
    const char *name;
    uint32_t name_len;
    char *type; /* printed type */
} required_arg;

typedef struct dinfo {
    uint32_t location_mask;
    int repeatable;
    const char **arg_names; /* unique, in definition order */
    uint32_t nargs;
    required_arg *required; /* keyMap order: first position, last value */
    uint32_t nrequired;
} dinfo;

typedef struct sdl_ctx {
    gqls_reporter *r;
    gql_arena *a;
    const gqls_builtins *builtins;
    uint32_t source;             /* source of the definition being visited */
    const gql_node *def;         /* the top-level definition being visited */
    const gql_node **stack;      /* ancestors of the node being visited */
    size_t depth, cap;
    int oom;

    gqls_map defined_types;      /* name -> gql_schema_ast* (last definition) */
    const char **type_options;   /* standard names, then defined names */
    size_t nstandard, ntype_options;
    gqls_map directives;         /* name -> dinfo* */

    int schema_definitions;
    gql_schema_ast op_types[3];
    gqls_map known_type_names;   /* name -> gql_schema_ast* */
    gqls_map enum_values;        /* type -> gqls_map* of value -> ast */
    gqls_map field_names;        /* type -> gqls_map* of field -> ast */
    gqls_map directive_names;    /* name -> ast */
    gqls_map schema_directives;  /* directive -> ast */
    gqls_map type_directives;    /* type -> gqls_map* */
    gqls_map **object_names;     /* UniqueInputFieldNames stack */
    size_t nobjects, cap_objects;
} sdl_ctx;

static gql_schema_ast *ast_new(sdl_ctx *c, const gql_node *node)
{
    gql_schema_ast *x = gql_arena_alloc(c->a, sizeof *x);
    if (!x) {
        c->oom = 1;
        return NULL;
    }
    x->node = node;
    x->source = c->source;
    return x;
}

static gql_schema_ast at(sdl_ctx *c, const gql_node *node)
{
    gql_schema_ast x = {node, c->source};
    return x;
}

static void report1(sdl_ctx *c, const gql_node *node, gql_buf *msg)
{
    gql_schema_ast x = at(c, node);
    gqls_report(c->r, gqls_buf_cstr(msg), &x, 1);
    gql_buf_free(msg);
}

/* The map stored under `key` in `outer`, created when absent. */
static gqls_map *sub_map(sdl_ctx *c, gqls_map *outer, const gql_node *name)
{
    void **slot = gqls_map_slot(outer, name->value, name->value_len);
    if (!slot) {
        c->oom = 1;
        return NULL;
    }
    if (!*slot) {
        gqls_map *m = gql_arena_alloc(c->a, sizeof *m);
        if (!m) {
            c->oom = 1;
            return NULL;
        }
        gqls_map_init(m, c->a);
        *slot = m;
    }
    return *slot;
}

/* ---- Set-up: what the document defines ---- */

static dinfo *dinfo_slot(sdl_ctx *c, const char *name, size_t len)
{
    void **slot = gqls_map_slot(&c->directives, name, len);
    dinfo *d = slot ? gql_arena_zalloc(c->a, sizeof *d) : NULL;
    if (!d) {
        c->oom = 1;
        return NULL;
    }
    *slot = d;
    return d;
}

static void add_specified_directives(sdl_ctx *c)
{
    for (int i = 0; i < GQLS_BUILTIN_DIRECTIVE_COUNT; i++) {
        const gql_directive *dir = c->builtins->directives[i];
        dinfo *d = dinfo_slot(c, dir->name, dir->name_len);
        if (!d)
            return;
        d->location_mask = dir->location_mask;
        d->repeatable = dir->repeatable;
        d->arg_names = gql_arena_alloc(c->a, (dir->nargs + 1) * sizeof *d->arg_names);
        d->required = gql_arena_alloc(c->a, (dir->nargs + 1) * sizeof *d->required);
        if (!d->arg_names || !d->required) {
            c->oom = 1;
            return;
        }
        for (uint32_t k = 0; k < dir->nargs; k++) {
            const gql_input_value *arg = &dir->args[k];
            d->arg_names[d->nargs++] = arg->name;
            if (gql_input_value_is_required(arg)) {
                gql_buf b = GQL_BUF_INIT;
                gql_type_ref_print(&b, arg->type);
                required_arg *ra = &d->required[d->nrequired++];
                ra->name = arg->name;
                ra->name_len = arg->name_len;
                ra->type = gql_arena_strdup(c->a, gqls_buf_cstr(&b));
                gql_buf_free(&b);
            }
        }
    }
}

static void add_defined_directive(sdl_ctx *c, const gql_node *def)
{
    dinfo *d = dinfo_slot(c, def->name->value, def->name->value_len);
    if (!d)
        return;
    d->repeatable = (def->flags & GQL_FLAG_REPEATABLE) != 0;
    for (uint32_t i = 0; i < def->locations.count; i++) {
        const gql_node *loc = def->locations.items[i];
        int l = gql_directive_location_from_name(loc->value, loc->value_len);
        if (l >= 0)
            d->location_mask |= 1u << l;
    }
    uint32_t n = def->arguments.count;
    d->arg_names = gql_arena_alloc(c->a, (n + 1) * sizeof *d->arg_names);
    d->required = gql_arena_alloc(c->a, (n + 1) * sizeof *d->required);
    if (!d->arg_names || !d->required) {
        c->oom = 1;
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        const gql_node *arg = def->arguments.items[i];
        const gql_node *nm = arg->name;
        int seen = 0;
        for (uint32_t k = 0; k < d->nargs && !seen; k++)
            seen = strcmp(d->arg_names[k], nm->value) == 0;
        if (!seen)
            d->arg_names[d->nargs++] = nm->value;
        if (arg->type && arg->type->kind == GQL_NON_NULL_TYPE && !arg->default_value) {
            gql_buf b = GQL_BUF_INIT;
            gqls_print_type_node(&b, arg->type);
            char *type = gql_arena_strdup(c->a, gqls_buf_cstr(&b));
            gql_buf_free(&b);
            uint32_t k = 0;
            while (k < d->nrequired && strcmp(d->required[k].name, nm->value) != 0)
                k++;
            if (k == d->nrequired)
                d->nrequired++;
            d->required[k].name = nm->value;
            d->required[k].name_len = nm->value_len;
            d->required[k].type = type;
        }
    }
}

static int setup(sdl_ctx *c, const gql_schema_ast *defs, uint32_t ndefs)
{
    gqls_map_init(&c->defined_types, c->a);
    gqls_map_init(&c->directives, c->a);
    gqls_map_init(&c->known_type_names, c->a);
    gqls_map_init(&c->enum_values, c->a);
    gqls_map_init(&c->field_names, c->a);
    gqls_map_init(&c->directive_names, c->a);
    gqls_map_init(&c->schema_directives, c->a);
    gqls_map_init(&c->type_directives, c->a);

    add_specified_directives(c);
    for (uint32_t i = 0; i < ndefs; i++) {
        const gql_node *def = defs[i].node;
        c->source = defs[i].source;
        if (gqls_is_type_definition(def->kind)) {
            void **slot = gqls_map_slot(&c->defined_types, def->name->value,
                                        def->name->value_len);
            gql_schema_ast *x = ast_new(c, def);
            if (!slot || !x)
                return -1;
            *slot = x;
        } else if (def->kind == GQL_DIRECTIVE_DEFINITION) {
            add_defined_directive(c, def);
        }
    }
    c->nstandard = GQLS_BUILTIN_TYPE_COUNT;
    c->ntype_options = c->nstandard + c->defined_types.count;
    c->type_options = gql_arena_alloc(c->a, (c->ntype_options + 1) * sizeof *c->type_options);
    if (!c->type_options)
        return -1;
    for (size_t i = 0; i < c->nstandard; i++)
        c->type_options[i] = c->builtins->types[i]->name;
    for (uint32_t i = 0; i < c->defined_types.count; i++)
        c->type_options[c->nstandard + i] = c->defined_types.entries[i].key;
    return c->oom ? -1 : 0;
}

/* ---- Rules, in graphql-js specifiedSDLRules order ---- */

/* LoneSchemaDefinitionRule */
static void lone_schema_definition(sdl_ctx *c, const gql_node *n)
{
    if (c->schema_definitions > 0) {
        gql_schema_ast x = at(c, n);
        gqls_report(c->r, "Must provide only one schema definition.", &x, 1);
    }
    ++c->schema_definitions;
}

/* UniqueOperationTypesRule */
static void unique_operation_types(sdl_ctx *c, const gql_node *n)
{
    for (uint32_t i = 0; i < n->operation_types.count; i++) {
        const gql_node *ot = n->operation_types.items[i];
        unsigned op = ot->operation;
        if (op > 2)
            continue;
        if (c->op_types[op].node) {
            gql_schema_ast nodes[2] = {c->op_types[op], at(c, ot)};
            gqls_reportf(c->r, nodes, 2, "There can be only one %s type in schema.",
                         gql_operation_name((gql_operation_type)op));
        } else {
            c->op_types[op] = at(c, ot);
        }
    }
}

/* UniqueTypeNamesRule */
static void unique_type_names(sdl_ctx *c, const gql_node *n)
{
    const gql_node *name = n->name;
    void **slot = gqls_map_slot(&c->known_type_names, name->value, name->value_len);
    if (!slot) {
        c->oom = 1;
        return;
    }
    if (*slot) {
        gql_schema_ast nodes[2] = {*(gql_schema_ast *)*slot, at(c, name)};
        gqls_reportf(c->r, nodes, 2, "There can be only one type named \"%s\".", name->value);
    } else {
        *slot = ast_new(c, name);
    }
}

/* UniqueEnumValueNamesRule */
static void unique_enum_value_names(sdl_ctx *c, const gql_node *n)
{
    gqls_map *known = sub_map(c, &c->enum_values, n->name);
    if (!known)
        return;
    for (uint32_t i = 0; i < n->values.count; i++) {
        const gql_node *vname = n->values.items[i]->name;
        void **slot = gqls_map_slot(known, vname->value, vname->value_len);
        if (!slot) {
            c->oom = 1;
            return;
        }
        if (*slot) {
            gql_schema_ast nodes[2] = {*(gql_schema_ast *)*slot, at(c, vname)};
            gqls_reportf(c->r, nodes, 2, "Enum value \"%s.%s\" can only be defined once.",
                         n->name->value, vname->value);
        } else {
            *slot = ast_new(c, vname);
        }
    }
}

/* UniqueFieldDefinitionNamesRule */
static void unique_field_definition_names(sdl_ctx *c, const gql_node *n)
{
    gqls_map *known = sub_map(c, &c->field_names, n->name);
    if (!known)
        return;
    for (uint32_t i = 0; i < n->fields.count; i++) {
        const gql_node *fname = n->fields.items[i]->name;
        void **slot = gqls_map_slot(known, fname->value, fname->value_len);
        if (!slot) {
            c->oom = 1;
            return;
        }
        if (*slot) {
            gql_schema_ast nodes[2] = {*(gql_schema_ast *)*slot, at(c, fname)};
            gqls_reportf(c->r, nodes, 2, "Field \"%s.%s\" can only be defined once.",
                         n->name->value, fname->value);
        } else {
            *slot = ast_new(c, fname);
        }
    }
}

/* Reports each group of same-named nodes in `list` (graphql-js groupBy on
 * name, groups in first-occurrence order). `fmt` gets the parent label (or
 * not, when parent is NULL) and the name. */
static void report_duplicate_names(sdl_ctx *c, const gql_list *list, const char *parent)
{
    for (uint32_t i = 0; i < list->count; i++) {
        const gql_node *ni = list->items[i]->name;
        int earlier = 0;
        for (uint32_t j = 0; j < i && !earlier; j++)
            earlier = strcmp(list->items[j]->name->value, ni->value) == 0;
        if (earlier)
            continue;
        uint32_t count = 0;
        for (uint32_t k = i; k < list->count; k++)
            count += strcmp(list->items[k]->name->value, ni->value) == 0;
        if (count < 2)
            continue;
        gql_schema_ast *nodes = malloc(count * sizeof *nodes);
        if (!nodes) {
            c->oom = 1;
            return;
        }
        uint32_t m = 0;
        for (uint32_t k = i; k < list->count; k++)
            if (strcmp(list->items[k]->name->value, ni->value) == 0)
                nodes[m++] = at(c, list->items[k]->name);
        if (parent)
            gqls_reportf(c->r, nodes, m, "Argument \"%s(%s:)\" can only be defined once.",
                         parent, ni->value);
        else
            gqls_reportf(c->r, nodes, m, "There can be only one argument named \"%s\".",
                         ni->value);
        free(nodes);
    }
}

/* UniqueArgumentDefinitionNamesRule */
static void unique_argument_definition_names(sdl_ctx *c, const gql_node *n)
{
    gql_buf label = GQL_BUF_INIT;
    if (n->kind == GQL_DIRECTIVE_DEFINITION) {
        gql_buf_printf(&label, "@%s", n->name->value);
        report_duplicate_names(c, &n->arguments, gqls_buf_cstr(&label));
    } else {
        for (uint32_t i = 0; i < n->fields.count; i++) {
            const gql_node *f = n->fields.items[i];
            gql_buf_reset(&label);
            gql_buf_printf(&label, "%s.%s", n->name->value, f->name->value);
            report_duplicate_names(c, &f->arguments, gqls_buf_cstr(&label));
        }
    }
    gql_buf_free(&label);
}

/* UniqueDirectiveNamesRule */
static void unique_directive_names(sdl_ctx *c, const gql_node *n)
{
    const gql_node *name = n->name;
    void **slot = gqls_map_slot(&c->directive_names, name->value, name->value_len);
    if (!slot) {
        c->oom = 1;
        return;
    }
    if (*slot) {
        gql_schema_ast nodes[2] = {*(gql_schema_ast *)*slot, at(c, name)};
        gqls_reportf(c->r, nodes, 2, "There can be only one directive named \"@%s\".",
                     name->value);
    } else {
        *slot = ast_new(c, name);
    }
}

static int is_sdl_kind(int kind)
{
    switch (kind) {
    case GQL_SCHEMA_DEFINITION:
    case GQL_DIRECTIVE_DEFINITION:
    case GQL_SCHEMA_EXTENSION:
        return 1;
    default:
        return gqls_is_type_definition(kind) || gqls_is_type_extension(kind);
    }
}

/* KnownTypeNamesRule */
static void known_type_names(sdl_ctx *c, const gql_node *n)
{
    const gql_node *name = n->name;
    if (gqls_map_get(&c->defined_types, name->value, name->value_len))
        return;
    int sdl = c->def && is_sdl_kind(c->def->kind);
    if (sdl && gqls_builtin_type(c->builtins, name->value, name->value_len))
        return;
    const char *const *options = c->type_options + (sdl ? 0 : c->nstandard);
    size_t noptions = c->ntype_options - (sdl ? 0 : c->nstandard);
    const char **sugg = malloc((noptions + 1) * sizeof *sugg);
    size_t nsugg = sugg ? gql_suggestion_list(name->value, options, noptions, sugg) : 0;
    gql_buf msg = GQL_BUF_INIT;
    gql_buf_printf(&msg, "Unknown type \"%s\".", name->value);
    gql_did_you_mean(&msg, NULL, sugg, nsugg);
    free(sugg);
    report1(c, n, &msg);
}

static int candidate_location(const sdl_ctx *c)
{
    if (c->depth == 0)
        return -1;
    const gql_node *owner = c->stack[c->depth - 1];
    switch (owner->kind) {
    case GQL_OPERATION_DEFINITION:
        return owner->operation == GQL_OP_MUTATION       ? GQL_DLOC_MUTATION
               : owner->operation == GQL_OP_SUBSCRIPTION ? GQL_DLOC_SUBSCRIPTION
                                                         : GQL_DLOC_QUERY;
    case GQL_FIELD:
        return GQL_DLOC_FIELD;
    case GQL_FRAGMENT_SPREAD:
        return GQL_DLOC_FRAGMENT_SPREAD;
    case GQL_INLINE_FRAGMENT:
        return GQL_DLOC_INLINE_FRAGMENT;
    case GQL_FRAGMENT_DEFINITION:
        return GQL_DLOC_FRAGMENT_DEFINITION;
    case GQL_VARIABLE_DEFINITION:
        return GQL_DLOC_VARIABLE_DEFINITION;
    case GQL_SCHEMA_DEFINITION:
    case GQL_SCHEMA_EXTENSION:
        return GQL_DLOC_SCHEMA;
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION:
        return GQL_DLOC_SCALAR;
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_EXTENSION:
        return GQL_DLOC_OBJECT;
    case GQL_FIELD_DEFINITION:
        return GQL_DLOC_FIELD_DEFINITION;
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        return GQL_DLOC_INTERFACE;
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_UNION_TYPE_EXTENSION:
        return GQL_DLOC_UNION;
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_EXTENSION:
        return GQL_DLOC_ENUM;
    case GQL_ENUM_VALUE_DEFINITION:
        return GQL_DLOC_ENUM_VALUE;
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        return GQL_DLOC_INPUT_OBJECT;
    case GQL_INPUT_VALUE_DEFINITION: {
        /* graphql-js looks only for an input object *definition*: fields of
         * `extend input` count as ARGUMENT_DEFINITION there, and here. */
        const gql_node *parent = c->depth >= 2 ? c->stack[c->depth - 2] : NULL;
        return parent && parent->kind == GQL_INPUT_OBJECT_TYPE_DEFINITION
                   ? GQL_DLOC_INPUT_FIELD_DEFINITION
                   : GQL_DLOC_ARGUMENT_DEFINITION;
    }
    case GQL_DIRECTIVE_DEFINITION:
        return GQL_DLOC_DIRECTIVE_DEFINITION;
    default:
        return -1;
    }
}

/* KnownDirectivesRule */
static void known_directives(sdl_ctx *c, const gql_node *n)
{
    const gql_node *name = n->name;
    const dinfo *d = gqls_map_get(&c->directives, name->value, name->value_len);
    gql_schema_ast x = at(c, n);
    if (!d) {
        gqls_reportf(c->r, &x, 1, "Unknown directive \"@%s\".", name->value);
        return;
    }
    int loc = candidate_location(c);
    if (loc >= 0 && !(d->location_mask & (1u << loc)))
        gqls_reportf(c->r, &x, 1, "Directive \"@%s\" may not be used on %s.", name->value,
                     gql_directive_location_name((gql_directive_location)loc));
}

/* UniqueDirectivesPerLocationRule (any node with directives) */
static void unique_directives_per_location(sdl_ctx *c, const gql_node *n)
{
    if (!GQL_NODE_HAS(n->kind, directives) || n->directives.count == 0)
        return;
    gqls_map fresh;
    gqls_map *seen = &fresh;
    if (n->kind == GQL_SCHEMA_DEFINITION || n->kind == GQL_SCHEMA_EXTENSION) {
        seen = &c->schema_directives;
    } else if (gqls_is_type_definition(n->kind) || gqls_is_type_extension(n->kind)) {
        seen = sub_map(c, &c->type_directives, n->name);
        if (!seen)
            return;
    } else {
        gqls_map_init(&fresh, c->a);
    }
    for (uint32_t i = 0; i < n->directives.count; i++) {
        const gql_node *dir = n->directives.items[i];
        const gql_node *name = dir->name;
        const dinfo *d = gqls_map_get(&c->directives, name->value, name->value_len);
        if (!d || d->repeatable)
            continue;
        void **slot = gqls_map_slot(seen, name->value, name->value_len);
        if (!slot) {
            c->oom = 1;
            return;
        }
        if (*slot) {
            gql_schema_ast nodes[2] = {*(gql_schema_ast *)*slot, at(c, dir)};
            gqls_reportf(c->r, nodes, 2,
                         "The directive \"@%s\" can only be used once at this location.",
                         name->value);
        } else {
            *slot = ast_new(c, dir);
        }
    }
}

static int ext_kind_for_def(int def_kind)
{
    switch (def_kind) {
    case GQL_SCALAR_TYPE_DEFINITION:
        return GQL_SCALAR_TYPE_EXTENSION;
    case GQL_OBJECT_TYPE_DEFINITION:
        return GQL_OBJECT_TYPE_EXTENSION;
    case GQL_INTERFACE_TYPE_DEFINITION:
        return GQL_INTERFACE_TYPE_EXTENSION;
    case GQL_UNION_TYPE_DEFINITION:
        return GQL_UNION_TYPE_EXTENSION;
    case GQL_ENUM_TYPE_DEFINITION:
        return GQL_ENUM_TYPE_EXTENSION;
    default:
        return GQL_INPUT_OBJECT_TYPE_EXTENSION;
    }
}

static const char *ext_kind_label(int ext_kind)
{
    switch (ext_kind) {
    case GQL_SCALAR_TYPE_EXTENSION:
        return "scalar";
    case GQL_OBJECT_TYPE_EXTENSION:
        return "object";
    case GQL_INTERFACE_TYPE_EXTENSION:
        return "interface";
    case GQL_UNION_TYPE_EXTENSION:
        return "union";
    case GQL_ENUM_TYPE_EXTENSION:
        return "enum";
    default:
        return "input object";
    }
}

/* PossibleTypeExtensionsRule */
static void possible_type_extensions(sdl_ctx *c, const gql_node *n)
{
    const gql_node *name = n->name;
    const gql_schema_ast *def = gqls_map_get(&c->defined_types, name->value, name->value_len);
    if (def) {
        if (ext_kind_for_def(def->node->kind) != n->kind) {
            gql_schema_ast nodes[2] = {*def, at(c, n)};
            gqls_reportf(c->r, nodes, 2, "Cannot extend non-%s type \"%s\".",
                         ext_kind_label(n->kind), name->value);
        }
        return;
    }
    size_t noptions = c->ntype_options - c->nstandard;
    const char **sugg = malloc((noptions + 1) * sizeof *sugg);
    size_t nsugg = sugg ? gql_suggestion_list(name->value, c->type_options + c->nstandard,
                                              noptions, sugg)
                        : 0;
    gql_buf msg = GQL_BUF_INIT;
    gql_buf_printf(&msg, "Cannot extend type \"%s\" because it is not defined.", name->value);
    gql_did_you_mean(&msg, NULL, sugg, nsugg);
    free(sugg);
    report1(c, name, &msg);
}

/* KnownArgumentNamesOnDirectivesRule */
static void known_argument_names_on_directives(sdl_ctx *c, const gql_node *n)
{
    const gql_node *name = n->name;
    const dinfo *d = gqls_map_get(&c->directives, name->value, name->value_len);
    if (!d)
        return;
    for (uint32_t i = 0; i < n->arguments.count; i++) {
        const gql_node *arg = n->arguments.items[i];
        const char *an = arg->name->value;
        int known = 0;
        for (uint32_t k = 0; k < d->nargs && !known; k++)
            known = strcmp(d->arg_names[k], an) == 0;
        if (known)
            continue;
        const char **sugg = malloc((d->nargs + 1) * sizeof *sugg);
        size_t nsugg = sugg ? gql_suggestion_list(an, d->arg_names, d->nargs, sugg) : 0;
        gql_buf msg = GQL_BUF_INIT;
        gql_buf_printf(&msg, "Unknown argument \"%s\" on directive \"@%s\".", an, name->value);
        gql_did_you_mean(&msg, NULL, sugg, nsugg);
        free(sugg);
        report1(c, arg, &msg);
    }
}

/* UniqueInputFieldNamesRule */
static void object_value_enter(sdl_ctx *c)
{
    if (c->nobjects == c->cap_objects) {
        size_t cap = c->cap_objects ? c->cap_objects * 2 : 8;
        gqls_map **s = realloc(c->object_names, cap * sizeof *s);
        if (!s) {
            c->oom = 1;
            return;
        }
        c->object_names = s;
        c->cap_objects = cap;
    }
    gqls_map *m = gql_arena_alloc(c->a, sizeof *m);
    if (!m) {
        c->oom = 1;
        return;
    }
    gqls_map_init(m, c->a);
    c->object_names[c->nobjects++] = m;
}

static void object_field(sdl_ctx *c, const gql_node *n)
{
    if (c->nobjects == 0)
        return;
    gqls_map *known = c->object_names[c->nobjects - 1];
    const gql_node *name = n->name;
    void **slot = gqls_map_slot(known, name->value, name->value_len);
    if (!slot) {
        c->oom = 1;
        return;
    }
    if (*slot) {
        gql_schema_ast nodes[2] = {*(gql_schema_ast *)*slot, at(c, name)};
        gqls_reportf(c->r, nodes, 2, "There can be only one input field named \"%s\".",
                     name->value);
    } else {
        *slot = ast_new(c, name);
    }
}

/* ProvidedRequiredArgumentsOnDirectivesRule (on leave) */
static void provided_required_arguments_on_directives(sdl_ctx *c, const gql_node *n)
{
    const gql_node *name = n->name;
    const dinfo *d = gqls_map_get(&c->directives, name->value, name->value_len);
    if (!d)
        return;
    for (uint32_t k = 0; k < d->nrequired; k++) {
        int provided = 0;
        for (uint32_t i = 0; i < n->arguments.count && !provided; i++)
            provided = strcmp(n->arguments.items[i]->name->value, d->required[k].name) == 0;
        if (provided)
            continue;
        gql_schema_ast x = at(c, n);
        gqls_reportf(c->r, &x, 1,
                     "Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it "
                     "was not provided.",
                     name->value, d->required[k].name, d->required[k].type);
    }
}

/* ---- The traversal ---- */

static void enter(sdl_ctx *c, const gql_node *n)
{
    switch (n->kind) {
    case GQL_SCHEMA_DEFINITION:
        lone_schema_definition(c, n);
        unique_operation_types(c, n);
        break;
    case GQL_SCHEMA_EXTENSION:
        unique_operation_types(c, n);
        break;
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_UNION_TYPE_DEFINITION:
        unique_type_names(c, n);
        break;
    case GQL_ENUM_TYPE_DEFINITION:
        unique_type_names(c, n);
        unique_enum_value_names(c, n);
        break;
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
        unique_type_names(c, n);
        unique_field_definition_names(c, n);
        break;
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_DEFINITION:
        unique_type_names(c, n);
        unique_field_definition_names(c, n);
        unique_argument_definition_names(c, n);
        break;
    case GQL_ENUM_TYPE_EXTENSION:
        unique_enum_value_names(c, n);
        break;
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        unique_field_definition_names(c, n);
        break;
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        unique_field_definition_names(c, n);
        unique_argument_definition_names(c, n);
        break;
    case GQL_DIRECTIVE_DEFINITION:
        unique_argument_definition_names(c, n);
        unique_directive_names(c, n);
        break;
    case GQL_NAMED_TYPE:
        known_type_names(c, n);
        break;
    case GQL_DIRECTIVE:
        known_directives(c, n);
        known_argument_names_on_directives(c, n);
        report_duplicate_names(c, &n->arguments, NULL); /* UniqueArgumentNamesRule */
        break;
    case GQL_OBJECT:
        object_value_enter(c);
        break;
    case GQL_OBJECT_FIELD:
        object_field(c, n);
        break;
    default:
        break;
    }
    /* Rules 10 (UniqueDirectivesPerLocation), 11 (PossibleTypeExtensions)
     * and 13 (UniqueArgumentNames on fields) come after the ones above. */
    unique_directives_per_location(c, n);
    if (gqls_is_type_extension(n->kind))
        possible_type_extensions(c, n);
    if (n->kind == GQL_FIELD)
        report_duplicate_names(c, &n->arguments, NULL);
}

static void leave(sdl_ctx *c, const gql_node *n)
{
    if (n->kind == GQL_DIRECTIVE)
        provided_required_arguments_on_directives(c, n);
    else if (n->kind == GQL_OBJECT && c->nobjects > 0)
        c->nobjects--;
}

static void visit(sdl_ctx *c, const gql_node *n);

static void visit_list(sdl_ctx *c, const gql_list *l)
{
    for (uint32_t i = 0; i < l->count; i++)
        visit(c, l->items[i]);
}

static void visit(sdl_ctx *c, const gql_node *n)
{
    if (!n || c->oom)
        return;
    enter(c, n);
    if (c->depth == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        const gql_node **s = realloc(c->stack, cap * sizeof *s);
        if (!s) {
            c->oom = 1;
            return;
        }
        c->stack = s;
        c->cap = cap;
    }
    c->stack[c->depth++] = n;
    switch (n->kind) {
    case GQL_OPERATION_DEFINITION:
        visit_list(c, &n->variable_definitions);
        visit_list(c, &n->directives);
        visit(c, n->selection_set);
        break;
    case GQL_VARIABLE_DEFINITION:
        visit(c, n->type);
        visit(c, n->default_value);
        visit_list(c, &n->directives);
        break;
    case GQL_SELECTION_SET:
        visit_list(c, &n->selections);
        break;
    case GQL_FIELD:
        visit_list(c, &n->arguments);
        visit_list(c, &n->directives);
        visit(c, n->selection_set);
        break;
    case GQL_ARGUMENT:
    case GQL_OBJECT_FIELD:
        visit(c, n->value_node);
        break;
    case GQL_FRAGMENT_SPREAD:
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION:
    case GQL_ENUM_VALUE_DEFINITION:
        visit_list(c, &n->directives);
        break;
    case GQL_INLINE_FRAGMENT:
        visit(c, n->type_condition);
        visit_list(c, &n->directives);
        visit(c, n->selection_set);
        break;
    case GQL_FRAGMENT_DEFINITION:
        visit_list(c, &n->variable_definitions);
        visit(c, n->type_condition);
        visit_list(c, &n->directives);
        visit(c, n->selection_set);
        break;
    case GQL_LIST:
        visit_list(c, &n->values);
        break;
    case GQL_OBJECT:
        visit_list(c, &n->fields);
        break;
    case GQL_DIRECTIVE:
    case GQL_DIRECTIVE_DEFINITION:
        visit_list(c, &n->arguments);
        break;
    case GQL_LIST_TYPE:
    case GQL_NON_NULL_TYPE:
    case GQL_OPERATION_TYPE_DEFINITION:
        visit(c, n->type);
        break;
    case GQL_SCHEMA_DEFINITION:
    case GQL_SCHEMA_EXTENSION:
        visit_list(c, &n->directives);
        visit_list(c, &n->operation_types);
        break;
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_EXTENSION:
        visit_list(c, &n->interfaces);
        visit_list(c, &n->directives);
        visit_list(c, &n->fields);
        break;
    case GQL_FIELD_DEFINITION:
        visit_list(c, &n->arguments);
        visit(c, n->type);
        visit_list(c, &n->directives);
        break;
    case GQL_INPUT_VALUE_DEFINITION:
        visit(c, n->type);
        visit(c, n->default_value);
        visit_list(c, &n->directives);
        break;
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_UNION_TYPE_EXTENSION:
        visit_list(c, &n->directives);
        visit_list(c, &n->types);
        break;
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_EXTENSION:
        visit_list(c, &n->directives);
        visit_list(c, &n->values);
        break;
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        visit_list(c, &n->directives);
        visit_list(c, &n->fields);
        break;
    default:
        break;
    }
    c->depth--;
    leave(c, n);
}

uint32_t gqls_validate_sdl(gqls_reporter *r, const gql_schema_ast *defs, uint32_t ndefs,
                           const gqls_builtins *builtins, gql_arena *scratch)
{
    sdl_ctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.a = scratch;
    c.builtins = builtins;
    uint32_t before = r->count;
    if (setup(&c, defs, ndefs) == 0) {
        for (uint32_t i = 0; i < ndefs && !c.oom; i++) {
            c.source = defs[i].source;
            c.def = defs[i].node;
            c.depth = 0;
            visit(&c, defs[i].node);
        }
    }
    if (c.oom)
        gqls_report(r, "Out of memory.", NULL, 0);
    free(c.stack);
    free(c.object_names);
    return r->count - before;
}
