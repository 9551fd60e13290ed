/* runtime.c: the resolver table of gql_runtime (gqlsse/execute.h), indexed
 * by type and field position so that a lookup is two array reads. */
#include "config.h"

#include "graphql/execution/exec_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    gql_resolver_fn fn;
    void *ud;
} slot;

typedef struct type_slots {
    slot *fields;                 /* [type->nfields], NULL until one is set */
    gql_type_resolver_fn resolve_type;
    void *resolve_type_ud;
    gql_scalar_fn serialize, parse; /* custom scalars */
    void *scalar_ud;
} type_slots;

struct gql_runtime {
    const gql_schema *schema;
    type_slots *types;            /* [schema->ntypes] */
};

gql_runtime *gql_runtime_new(const gql_schema *schema)
{
    gql_runtime *rt = calloc(1, sizeof *rt);
    if (!rt)
        return NULL;
    rt->schema = schema;
    rt->types = calloc(schema->ntypes ? schema->ntypes : 1, sizeof *rt->types);
    if (!rt->types) {
        free(rt);
        return NULL;
    }
    return rt;
}

void gql_runtime_free(gql_runtime *rt)
{
    if (!rt)
        return;
    for (uint32_t i = 0; i < rt->schema->ntypes; i++)
        free(rt->types[i].fields);
    free(rt->types);
    free(rt);
}

int gql_runtime_set_resolver(gql_runtime *rt, const char *coordinate, gql_resolver_fn fn,
                             void *ud)
{
    const char *dot = strchr(coordinate, '.');
    if (!dot)
        return -1;
    const gql_type *t = gql_schema_find_type(rt->schema, coordinate, (size_t)(dot - coordinate));
    if (!t || (t->kind != GQL_TYPE_OBJECT && t->kind != GQL_TYPE_INTERFACE))
        return -1;
    const gql_field *f = gql_type_find_field(t, dot + 1, strlen(dot + 1));
    if (!f)
        return -1;
    type_slots *ts = &rt->types[t->index];
    if (!ts->fields) {
        ts->fields = calloc(t->nfields, sizeof *ts->fields);
        if (!ts->fields)
            return -1;
    }
    ts->fields[f->index].fn = fn;
    ts->fields[f->index].ud = ud;
    return 0;
}

int gql_runtime_set_type_resolver(gql_runtime *rt, const char *type_name,
                                  gql_type_resolver_fn fn, void *ud)
{
    const gql_type *t = gql_schema_find_type(rt->schema, type_name, strlen(type_name));
    if (!t || !gql_type_is_abstract(t))
        return -1;
    rt->types[t->index].resolve_type = fn;
    rt->types[t->index].resolve_type_ud = ud;
    return 0;
}

gql_resolver_fn gqlx_runtime_resolver(const gql_runtime *rt, const gql_field *f, void **ud)
{
    if (!rt || !f->parent)
        return NULL;
    const type_slots *ts = &rt->types[f->parent->index];
    if (!ts->fields)
        return NULL;
    *ud = ts->fields[f->index].ud;
    return ts->fields[f->index].fn;
}

gql_type_resolver_fn gqlx_runtime_type_resolver(const gql_runtime *rt, const gql_type *t,
                                                void **ud)
{
    if (!rt)
        return NULL;
    *ud = rt->types[t->index].resolve_type_ud;
    return rt->types[t->index].resolve_type;
}

int gql_runtime_set_scalar(gql_runtime *rt, const char *type_name, gql_scalar_fn serialize,
                           gql_scalar_fn parse, void *ud)
{
    const gql_type *t = gql_schema_find_type(rt->schema, type_name, strlen(type_name));
    if (!t || t->kind != GQL_TYPE_SCALAR || (t->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR))
        return -1;
    rt->types[t->index].serialize = serialize;
    rt->types[t->index].parse = parse;
    rt->types[t->index].scalar_ud = ud;
    return 0;
}

gql_scalar_fn gqlx_runtime_scalar(const gql_runtime *rt, const gql_type *t, int parse, void **ud)
{
    if (!rt || t->kind != GQL_TYPE_SCALAR)
        return NULL;
    const type_slots *ts = &rt->types[t->index];
    if (ud)
        *ud = ts->scalar_ud;
    return parse ? ts->parse : ts->serialize;
}

int gqlx_scalar_call(const gql_runtime *rt, const gql_type *t, int parse, json_object *v,
                     json_object **out, const char **error)
{
    void *ud = NULL;
    gql_scalar_fn fn = gqlx_runtime_scalar(rt, t, parse, &ud);
    const char *message = NULL;
    *out = NULL;
    if (!fn) {
        *out = json_object_get(v);
        return 0;
    }
    json_object *result = NULL;
    if (fn(v, t, ud, &result, &message) != GQL_RESOLVE_OK) {
        json_object_put(result);
        if (error)
            *error = message;
        return -1;
    }
    *out = result;
    return 0;
}
