/* introspection.c: the resolvers of __schema, __type and the introspection
 * types (__Schema, __Type, __Field, ...) as graphql-js 16's introspection.ts
 * defines them, over the schema's own structures. */
#include "config.h"

#include "graphql/execution/exec_internal.h"

#include <gqlsse/printer.h>

#include <string.h>

/* The introspection field names, compared by length first (the compiler
 * inlines the fixed-size memcmp): these run for every field of every type. */
#define NAME_IS(lit) (nlen == sizeof(lit) - 1 && memcmp(name, (lit), sizeof(lit) - 1) == 0)

static void set_str(gqlx_value *out, gql_str s)
{
    if (!s.s)
        return; /* undefined */
    out->kind = GQLX_STR;
    out->ptr = s.s;
    out->len = s.len;
}

static void set_cstr(gqlx_value *out, const char *s)
{
    out->kind = GQLX_STR;
    out->ptr = s;
    out->len = (uint32_t)strlen(s);
}

static void set_bool(gqlx_value *out, int b)
{
    out->kind = GQLX_BOOL;
    out->len = b != 0;
}

static void set_obj(gqlx_value *out, gqlx_kind kind, const void *p)
{
    if (!p)
        return;
    out->kind = (uint8_t)kind;
    out->ptr = p;
}

static gqlx_value *new_list(gql_arena *a, gqlx_value *out, uint32_t n)
{
    gqlx_value *items = gql_arena_zalloc(a, sizeof *items * (n ? n : 1));
    if (!items)
        return NULL;
    out->kind = GQLX_LIST;
    out->ptr = items;
    out->len = 0;
    return items;
}

static int include_deprecated(json_object *args)
{
    json_object *v = json_object_object_get(args, "includeDeprecated");
    return json_object_get_type(v) == json_type_boolean && json_object_get_boolean(v);
}

static void input_values(gql_arena *a, gqlx_value *out, const gql_input_value *vals, uint32_t n,
                         json_object *args)
{
    gqlx_value *items = new_list(a, out, n);
    if (!items)
        return;
    int all = include_deprecated(args);
    for (uint32_t i = 0; i < n; i++)
        if (all || !vals[i].deprecation_reason.s) {
            items[out->len].kind = GQLX_INPUT;
            items[out->len++].ptr = &vals[i];
        }
}

static const char *const type_kinds[] = {"SCALAR", "OBJECT", "INTERFACE",
                                         "UNION", "ENUM", "INPUT_OBJECT"};

static void type_field(const gql_schema *s, gql_arena *a, const gql_type_ref *ref,
                       const char *name, size_t nlen, json_object *args, gqlx_value *out)
{
    const gql_type *t = ref->kind == GQL_REF_NAMED ? ref->named : NULL;
    if (NAME_IS("kind")) {
        if (t)
            set_cstr(out, type_kinds[t->kind]);
        else
            set_cstr(out, ref->kind == GQL_REF_LIST ? "LIST" : "NON_NULL");
    } else if (NAME_IS("ofType")) {
        if (!t)
            set_obj(out, GQLX_TYPE, ref->of_type);
    } else if (!t) {
        return; /* wrappers have no other properties */
    } else if (NAME_IS("name")) {
        set_cstr(out, t->name);
    } else if (NAME_IS("description")) {
        set_str(out, t->description);
    } else if (NAME_IS("specifiedByURL")) {
        if (t->kind == GQL_TYPE_SCALAR)
            set_str(out, t->specified_by_url);
    } else if (NAME_IS("fields")) {
        if (t->kind != GQL_TYPE_OBJECT && t->kind != GQL_TYPE_INTERFACE)
            return;
        gqlx_value *items = new_list(a, out, t->nfields);
        if (!items)
            return;
        int all = include_deprecated(args);
        for (uint32_t i = 0; i < t->nfields; i++)
            if (all || !t->fields[i].deprecation_reason.s) {
                items[out->len].kind = GQLX_FIELD;
                items[out->len++].ptr = &t->fields[i];
            }
    } else if (NAME_IS("interfaces")) {
        if (t->kind != GQL_TYPE_OBJECT && t->kind != GQL_TYPE_INTERFACE)
            return;
        gqlx_value *items = new_list(a, out, t->ninterfaces);
        if (!items)
            return;
        for (uint32_t i = 0; i < t->ninterfaces; i++) {
            items[out->len].kind = GQLX_TYPE;
            items[out->len++].ptr = &t->interfaces[i]->ref;
        }
    } else if (NAME_IS("possibleTypes")) {
        if (!gql_type_is_abstract(t))
            return;
        gqlx_value *items = new_list(a, out, t->npossible_types);
        if (!items)
            return;
        for (uint32_t i = 0; i < t->npossible_types; i++) {
            items[out->len].kind = GQLX_TYPE;
            items[out->len++].ptr = &t->possible_types[i]->ref;
        }
    } else if (NAME_IS("enumValues")) {
        if (t->kind != GQL_TYPE_ENUM)
            return;
        gqlx_value *items = new_list(a, out, t->nvalues);
        if (!items)
            return;
        int all = include_deprecated(args);
        for (uint32_t i = 0; i < t->nvalues; i++)
            if (all || !t->values[i].deprecation_reason.s) {
                items[out->len].kind = GQLX_ENUM_VALUE;
                items[out->len++].ptr = &t->values[i];
            }
    } else if (NAME_IS("inputFields")) {
        if (t->kind == GQL_TYPE_INPUT_OBJECT)
            input_values(a, out, t->input_fields, t->ninput_fields, args);
    } else if (NAME_IS("isOneOf")) {
        if (t->kind == GQL_TYPE_INPUT_OBJECT)
            set_bool(out, t->one_of);
    }
    (void)s;
}

static void deprecation(const char *name, size_t nlen, gql_str reason, gqlx_value *out)
{
    if (NAME_IS("isDeprecated"))
        set_bool(out, reason.s != NULL);
    else if (NAME_IS("deprecationReason"))
        set_str(out, reason);
}

int gqlx_introspect_field(const gql_schema *s, gql_arena *a, const gqlx_value *parent,
                          const gql_type *parent_type, const gql_field *field, json_object *args,
                          gqlx_value *out)
{
    const char *name = field->name;
    size_t nlen = field->name_len;
    memset(out, 0, sizeof *out);
    if (field == &s->schema_meta_field) {
        out->kind = GQLX_SCHEMA;
        out->ptr = s;
        return 0;
    }
    if (field == &s->type_meta_field) {
        json_object *n = json_object_object_get(args, "name");
        if (json_object_get_type(n) == json_type_string) {
            const gql_type *t = gql_schema_find_type(s, json_object_get_string(n),
                                                     (size_t)json_object_get_string_len(n));
            if (t)
                set_obj(out, GQLX_TYPE, &t->ref);
        }
        return 0;
    }
    (void)parent_type;
    switch (parent->kind) {
    case GQLX_SCHEMA:
        if (NAME_IS("description")) {
            set_str(out, s->description);
        } else if (NAME_IS("types")) {
            gqlx_value *items = new_list(a, out, s->ntypes);
            if (!items)
                return 0;
            for (uint32_t i = 0; i < s->ntypes; i++) {
                items[i].kind = GQLX_TYPE;
                items[i].ptr = &s->types[i]->ref;
            }
            out->len = s->ntypes;
        } else if (NAME_IS("queryType")) {
            set_obj(out, GQLX_TYPE, s->query ? &s->query->ref : NULL);
        } else if (NAME_IS("mutationType")) {
            set_obj(out, GQLX_TYPE, s->mutation ? &s->mutation->ref : NULL);
        } else if (NAME_IS("subscriptionType")) {
            set_obj(out, GQLX_TYPE, s->subscription ? &s->subscription->ref : NULL);
        } else if (NAME_IS("directives")) {
            gqlx_value *items = new_list(a, out, s->ndirectives);
            if (!items)
                return 0;
            int all = include_deprecated(args);
            for (uint32_t i = 0; i < s->ndirectives; i++)
                if (all || !s->directives[i]->deprecation_reason.s) {
                    items[out->len].kind = GQLX_DIRECTIVE;
                    items[out->len++].ptr = s->directives[i];
                }
        }
        break;
    case GQLX_TYPE:
        type_field(s, a, parent->ptr, name, nlen, args, out);
        break;
    case GQLX_FIELD: {
        const gql_field *f = parent->ptr;
        if (NAME_IS("name"))
            set_cstr(out, f->name);
        else if (NAME_IS("description"))
            set_str(out, f->description);
        else if (NAME_IS("args"))
            input_values(a, out, f->args, f->nargs, args);
        else if (NAME_IS("type"))
            set_obj(out, GQLX_TYPE, f->type);
        else
            deprecation(name, nlen, f->deprecation_reason, out);
        break;
    }
    case GQLX_INPUT: {
        const gql_input_value *iv = parent->ptr;
        if (NAME_IS("name")) {
            set_cstr(out, iv->name);
        } else if (NAME_IS("description")) {
            set_str(out, iv->description);
        } else if (NAME_IS("type")) {
            set_obj(out, GQLX_TYPE, iv->type);
        } else if (NAME_IS("defaultValue")) {
            if (iv->default_value) {
                gql_buf b = GQL_BUF_INIT;
                gql_print_to(&b, iv->default_value);
                if (!b.oom) {
                    char *p = gql_arena_strndup(a, b.data ? b.data : "", b.len);
                    if (p) {
                        out->kind = GQLX_STR;
                        out->ptr = p;
                        out->len = (uint32_t)b.len;
                    }
                }
                gql_buf_free(&b);
            } else {
                out->kind = GQLX_JSON; /* null */
            }
        } else {
            deprecation(name, nlen, iv->deprecation_reason, out);
        }
        break;
    }
    case GQLX_ENUM_VALUE: {
        const gql_enum_value *ev = parent->ptr;
        if (NAME_IS("name"))
            set_cstr(out, ev->name);
        else if (NAME_IS("description"))
            set_str(out, ev->description);
        else
            deprecation(name, nlen, ev->deprecation_reason, out);
        break;
    }
    case GQLX_DIRECTIVE: {
        const gql_directive *d = parent->ptr;
        if (NAME_IS("name")) {
            set_cstr(out, d->name);
        } else if (NAME_IS("description")) {
            set_str(out, d->description);
        } else if (NAME_IS("isRepeatable")) {
            set_bool(out, d->repeatable);
        } else if (NAME_IS("locations")) {
            gqlx_value *items = new_list(a, out, d->nlocations);
            if (!items)
                return 0;
            for (uint32_t i = 0; i < d->nlocations; i++)
                set_cstr(&items[i], gql_directive_location_name(
                                        (gql_directive_location)d->locations[i]));
            out->len = d->nlocations;
        } else if (NAME_IS("args")) {
            input_values(a, out, d->args, d->nargs, args);
        } else {
            deprecation(name, nlen, d->deprecation_reason, out);
        }
        break;
    }
    default:
        break;
    }
    return 0;
}
