/* bindings.c: @model and @topic on subscription fields: the prelude that
 * declares them, their start-up validation and event matching. */
#include "config.h"

#include "http/bindings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char gqlsse_bindings_prelude[] =
    "\"The lifecycle events of a model that @model selects (SAVE: CREATE or UPDATE).\"\n"
    "enum GqlsseModelEvent { CREATE UPDATE DELETE SAVE }\n"
    "\"Filters of @model/@topic: {argument: \\\"property.path\\\"} (an object literal).\"\n"
    "scalar GqlsseFilter\n"
    "\"Binds a subscription field to the model events published to gqlsse-broker.\"\n"
    "directive @model(name: String!, event: GqlsseModelEvent!, filter: GqlsseFilter)"
    " on FIELD_DEFINITION\n"
    "\"Binds a subscription field to a custom topic published to gqlsse-broker.\"\n"
    "directive @topic(name: String!, filter: GqlsseFilter) on FIELD_DEFINITION\n"
    "\"Only the authenticated identity equal to this property path of a value receives it.\"\n"
    "directive @owner(field: String!) on FIELD_DEFINITION\n";

static int fail(char *err, size_t errlen, const gql_schema *s, const gql_field *f,
                const gql_node *at, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int fail(char *err, size_t errlen, const gql_schema *s, const gql_field *f,
                const gql_node *at, const char *fmt, ...)
{
    gql_location loc = gql_schema_node_location(s, f->ast.source, at ? at : f->ast.node);
    int n = snprintf(err, errlen, "%s:%u:%u: %s.%s: ", gql_schema_source_name(s, f->ast.source),
                     loc.line, loc.column, f->parent->name, f->name);
    if (n < 0 || (size_t)n >= errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static const gql_node *dir_arg(const gql_node *d, const char *name)
{
    for (uint32_t i = 0; i < d->arguments.count; i++)
        if (strcmp(d->arguments.items[i]->name->value, name) == 0)
            return d->arguments.items[i]->value_node;
    return NULL;
}

static void binding_clear(gqlsse_binding *b)
{
    for (size_t i = 0; i < b->nfilters; i++) {
        for (size_t k = 0; k < b->filters[i].npath; k++)
            free(b->filters[i].path[k]);
        free(b->filters[i].path);
    }
    free(b->filters);
    for (size_t k = 0; k < b->nowner; k++)
        free(b->owner[k]);
    free(b->owner);
    free(b->name);
    free(b->topic);
    memset(b, 0, sizeof *b);
}

static const gql_type_ref *strip_non_null(const gql_type_ref *t)
{
    return t->kind == GQL_REF_NON_NULL ? t->of_type : t;
}

/* filter: {arg: "a.b", ...} */
static int read_filter(const gql_schema *s, const gql_field *f, const gql_node *v,
                       gqlsse_binding *b, char *err, size_t errlen)
{
    if (v->kind != GQL_OBJECT)
        return fail(err, errlen, s, f, v,
                    "filter must be an object {argument: \"property.path\", ...}");
    b->filters = calloc(v->fields.count ? v->fields.count : 1, sizeof *b->filters);
    if (!b->filters)
        return fail(err, errlen, s, f, v, "out of memory");
    for (uint32_t i = 0; i < v->fields.count; i++) {
        const gql_node *of = v->fields.items[i];
        const gql_input_value *arg = gql_field_find_arg(f, of->name->value, of->name->value_len);
        if (!arg)
            return fail(err, errlen, s, f, of,
                        "filter names the argument \"%s\", which the field does not have",
                        of->name->value);
        const gql_type_ref *t = strip_non_null(arg->type);
        if (t->kind != GQL_REF_NAMED || !gql_type_is_leaf(t->named))
            return fail(err, errlen, s, f, of,
                        "filter argument \"%s\" must be of a scalar or enum type, not a list "
                        "or input object",
                        of->name->value);
        const gql_node *pv = of->value_node;
        if (pv->kind != GQL_STRING || pv->value_len == 0)
            return fail(err, errlen, s, f, pv,
                        "filter value for \"%s\" must be a non-empty string: the property "
                        "path in the event's data (\"room\", \"room.id\")",
                        of->name->value);
        gqlsse_filter *fl = &b->filters[b->nfilters++];
        fl->arg = arg->name;
        const char *p = pv->value;
        for (;;) {
            const char *dot = strchr(p, '.');
            size_t len = dot ? (size_t)(dot - p) : strlen(p);
            if (len == 0)
                return fail(err, errlen, s, f, pv, "filter path \"%s\" has an empty property name",
                            pv->value);
            char **g = realloc(fl->path, (fl->npath + 1) * sizeof *g);
            if (!g)
                return fail(err, errlen, s, f, pv, "out of memory");
            fl->path = g;
            if (!(g[fl->npath] = strndup(p, len)))
                return fail(err, errlen, s, f, pv, "out of memory");
            fl->npath++;
            if (!dot)
                break;
            p = dot + 1;
        }
    }
    return 0;
}

/* @owner(field: "a.b") on a bound field. */
static int read_owner(const gql_schema *s, const gql_field *f, const gql_node *d,
                      gqlsse_binding *b, char *err, size_t errlen)
{
    const gql_node *v = dir_arg(d, "field");
    if (!v || v->kind != GQL_STRING || v->value_len == 0)
        return fail(err, errlen, s, f, v ? v : d,
                    "@owner(field:) must be a non-empty string: the property path in the "
                    "value (\"ownerId\", \"owner.id\")");
    const char *p = v->value;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0)
            return fail(err, errlen, s, f, v, "@owner path \"%s\" has an empty property name",
                        v->value);
        char **g = realloc(b->owner, (b->nowner + 1) * sizeof *g);
        if (!g)
            return fail(err, errlen, s, f, v, "out of memory");
        b->owner = g;
        if (!(g[b->nowner] = strndup(p, len)))
            return fail(err, errlen, s, f, v, "out of memory");
        b->nowner++;
        if (!dot)
            break;
        p = dot + 1;
    }
    return 0;
}

static int read_binding(const gql_schema *s, const gql_field *f, const gql_node *d, int model,
                        gqlsse_binding *b, char *err, size_t errlen)
{
    b->field = f;
    b->kind = model ? GQLSSE_BUS_MODEL : GQLSSE_BUS_TOPIC;
    const gql_node *name = dir_arg(d, "name");
    if (!name || name->kind != GQL_STRING)
        return fail(err, errlen, s, f, name ? name : d, "@%s(name:) must be a string",
                    model ? "model" : "topic");
    if (model ? !gqlsse_bus_model_name_ok(name->value, name->value_len)
              : !gqlsse_bus_topic_name_ok(name->value, name->value_len))
        return fail(err, errlen, s, f, name,
                    model ? "@model(name: \"%s\"): a model name is a GraphQL name "
                            "([_A-Za-z][_0-9A-Za-z]*, at most 128 bytes)"
                          : "@topic(name: \"%s\"): a topic name is 1-128 bytes of "
                            "A-Z a-z 0-9 _ . : -",
                    name->value);
    b->name = strdup(name->value);
    size_t tl = strlen(name->value) + 8;
    b->topic = malloc(tl);
    if (!b->name || !b->topic)
        return fail(err, errlen, s, f, d, "out of memory");
    snprintf(b->topic, tl, "%s%s/", model ? GQLSSE_BUS_MODEL_PREFIX : GQLSSE_BUS_TOPIC_PREFIX,
             name->value);
    if (model) {
        const gql_node *ev = dir_arg(d, "event");
        if (!ev || ev->kind != GQL_ENUM)
            return fail(err, errlen, s, f, ev ? ev : d,
                        "@model(event:) must be one of CREATE, UPDATE, DELETE, SAVE (an enum "
                        "value, no quotes)");
        if (!strcmp(ev->value, "CREATE"))
            b->events = 1u << GQLSSE_BUS_CREATE;
        else if (!strcmp(ev->value, "UPDATE"))
            b->events = 1u << GQLSSE_BUS_UPDATE;
        else if (!strcmp(ev->value, "DELETE"))
            b->events = 1u << GQLSSE_BUS_DELETE;
        else if (!strcmp(ev->value, "SAVE"))
            b->events = (1u << GQLSSE_BUS_CREATE) | (1u << GQLSSE_BUS_UPDATE);
        else
            return fail(err, errlen, s, f, ev,
                        "unknown event kind %s: use CREATE, UPDATE, DELETE or SAVE", ev->value);
        /* A model event's data is one object: the field must be an object type. */
        const gql_type_ref *t = strip_non_null(f->type);
        if (t->kind != GQL_REF_NAMED || !gql_type_is_composite(t->named)) {
            gql_buf tb = GQL_BUF_INIT;
            gql_type_ref_print(&tb, f->type);
            fail(err, errlen, s, f, f->ast.node->type,
                 "@model(name: \"%s\") produces one %s object, but the field's type is %s: use "
                 "an object, interface or union type (not a list or scalar)",
                 b->name, b->name, tb.data ? tb.data : "?");
            gql_buf_free(&tb);
            return -1;
        }
    }
    const gql_node *fv = dir_arg(d, "filter");
    if (fv && fv->kind != GQL_NULL && read_filter(s, f, fv, b, err, errlen) < 0)
        return -1;
    return 0;
}

int gqlsse_bindings_load(const gql_schema *s, gqlsse_binding **out, size_t *n, char *err,
                         size_t errlen)
{
    *out = NULL;
    *n = 0;
    gqlsse_binding *list = NULL;
    size_t count = 0;
    /* Every object/interface field: a binding off the subscription type is an error. */
    for (uint32_t ti = 0; ti < s->ntypes; ti++) {
        const gql_type *t = s->types[ti];
        if (t->kind != GQL_TYPE_OBJECT && t->kind != GQL_TYPE_INTERFACE)
            continue;
        for (uint32_t fi = 0; fi < t->nfields; fi++) {
            const gql_field *f = &t->fields[fi];
            if (!f->ast.node)
                continue;
            const gql_node *found = NULL, *owner = NULL;
            int model = 0;
            for (uint32_t di = 0; di < f->ast.node->directives.count; di++) {
                const gql_node *d = f->ast.node->directives.items[di];
                if (!strcmp(d->name->value, "owner")) {
                    owner = d;
                    continue;
                }
                int is_model = !strcmp(d->name->value, "model");
                if (!is_model && strcmp(d->name->value, "topic") != 0)
                    continue;
                if (found) {
                    fail(err, errlen, s, f, d, "a field is bound to one source: it has both @%s "
                         "and @%s", model ? "model" : "topic", d->name->value);
                    goto bad;
                }
                found = d;
                model = is_model;
            }
            if (!found && owner) {
                fail(err, errlen, s, f, owner,
                     "@owner checks the values of @model or @topic fields; this field has "
                     "neither (a module's source uses a permission check instead)");
                goto bad;
            }
            if (!found)
                continue;
            if (t != s->subscription) {
                fail(err, errlen, s, f, found,
                     "@%s binds subscription fields only; %s is not the subscription type",
                     model ? "model" : "topic", t->name);
                goto bad;
            }
            gqlsse_binding *g = realloc(list, (count + 1) * sizeof *g);
            if (!g) {
                snprintf(err, errlen, "out of memory");
                goto bad;
            }
            list = g;
            memset(&list[count], 0, sizeof *list);
            count++;
            if (read_binding(s, f, found, model, &list[count - 1], err, errlen) < 0)
                goto bad;
            if (owner && read_owner(s, f, owner, &list[count - 1], err, errlen) < 0)
                goto bad;
        }
    }
    *out = list;
    *n = count;
    return 0;
bad:
    gqlsse_bindings_free(list, count);
    return -1;
}

void gqlsse_bindings_free(gqlsse_binding *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        binding_clear(&b[i]);
    free(b);
}

const gqlsse_binding *gqlsse_bindings_find(const gqlsse_binding *b, size_t n, const gql_field *f)
{
    for (size_t i = 0; i < n; i++)
        if (b[i].field == f)
            return &b[i];
    return NULL;
}

/* Argument and data value equal? Strings compare with numbers by their JSON
 * text (an ID argument "7" matches a data property 7). */
static int values_equal(json_object *a, json_object *d)
{
    if (!d)
        return 0;
    int sa = json_object_is_type(a, json_type_string), sd = json_object_is_type(d, json_type_string);
    int na = json_object_is_type(a, json_type_int) || json_object_is_type(a, json_type_double);
    int nd = json_object_is_type(d, json_type_int) || json_object_is_type(d, json_type_double);
    if (sa != sd && !(na || nd))
        return 0;
    const char *ta = sa ? json_object_get_string(a) : json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
    const char *td = sd ? json_object_get_string(d) : json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN);
    return strcmp(ta, td) == 0;
}

int gqlsse_binding_match(const gqlsse_binding *b, json_object *args, const gqlsse_bus_msg *m)
{
    if (b->kind == GQLSSE_BUS_MODEL &&
        (m->kind != GQLSSE_BUS_MODEL || !(b->events & (1u << m->event))))
        return 0;
    for (size_t i = 0; i < b->nfilters; i++) {
        json_object *want = NULL;
        if (!args || !json_object_object_get_ex(args, b->filters[i].arg, &want) || !want)
            continue; /* argument null or absent: no condition */
        json_object *d = m->data;
        for (size_t k = 0; k < b->filters[i].npath && d; k++) {
            if (!json_object_is_type(d, json_type_object) ||
                !json_object_object_get_ex(d, b->filters[i].path[k], &d))
                d = NULL;
        }
        if (!values_equal(want, d))
            return 0;
    }
    return 1;
}

int gqlsse_binding_owner_ok(const gqlsse_binding *b, const char *identity, json_object *value)
{
    if (!b->nowner)
        return 1;
    if (!identity || !*identity)
        return 0;
    json_object *d = value;
    for (size_t k = 0; k < b->nowner && d; k++)
        if (!json_object_is_type(d, json_type_object) ||
            !json_object_object_get_ex(d, b->owner[k], &d))
            d = NULL;
    if (!d)
        return 0;
    if (json_object_is_type(d, json_type_string))
        return strcmp(json_object_get_string(d), identity) == 0;
    if (json_object_is_type(d, json_type_int))
        return strcmp(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN), identity) == 0;
    return 0;
}
