/* values.c: input values as graphql-js 16 coerces them (coerceVariableValues,
 * coerceInputValue, valueFromAST, getArgumentValues) and leaf serialization
 * of the built-in scalars and enums, with graphql-js's exact messages. */
#include "config.h"

#include "graphql/execution/exec_internal.h"
#include "graphql/suggestion.h"

#include <gqlsse/printer.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- types ---- */

const gql_type_ref *gqlx_type_from_ast(const gql_schema *s, gql_arena *arena,
                                       const gql_node *type)
{
    if (!type)
        return NULL;
    if (type->kind == GQL_NAMED_TYPE) {
        const gql_type *t = gql_schema_find_type(s, type->name->value, type->name->value_len);
        return t ? &t->ref : NULL;
    }
    const gql_type_ref *inner = gqlx_type_from_ast(s, arena, type->type);
    if (!inner)
        return NULL;
    gql_type_ref *r = gql_arena_zalloc(arena, sizeof *r);
    if (!r)
        return NULL;
    r->kind = type->kind == GQL_LIST_TYPE ? GQL_REF_LIST : GQL_REF_NON_NULL;
    r->of_type = inner;
    r->named = inner->named;
    return r;
}

int gqlx_ref_is_input(const gql_type_ref *t)
{
    return t && t->named && gql_type_is_input(t->named);
}

static int is_scalar(const gql_type *t, const char *name)
{
    return t->kind == GQL_TYPE_SCALAR && (t->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR) &&
           strcmp(t->name, name) == 0;
}

/* ---- valueFromAST ---- */

static int has_var(json_object *variables, const gql_node *var, json_object **value)
{
    if (!variables || !var->name)
        return 0;
    return json_object_object_get_ex(variables, var->name->value, value);
}

static int is_missing_variable(const gql_node *node, json_object *variables)
{
    json_object *v;
    return node->kind == GQL_VARIABLE && !has_var(variables, node, &v);
}

static json_object *number_from_literal(const gql_node *node)
{
    return gqlx_number_new(strtod(node->value, NULL));
}

/* valueFromASTUntyped; -1 for undefined (a missing variable). */
int gqlx_value_untyped(const gql_node *node, json_object *variables, json_object **out)
{
    *out = NULL;
    switch (node->kind) {
    case GQL_NULL:
        return 0;
    case GQL_INT:
    case GQL_FLOAT:
        *out = number_from_literal(node);
        return 0;
    case GQL_STRING:
    case GQL_ENUM:
        *out = json_object_new_string_len(node->value, (int)node->value_len);
        return 0;
    case GQL_BOOLEAN:
        *out = json_object_new_boolean((node->flags & GQL_FLAG_TRUE) != 0);
        return 0;
    case GQL_LIST: {
        json_object *arr = json_object_new_array();
        for (uint32_t i = 0; i < node->values.count; i++) {
            json_object *item;
            if (gqlx_value_untyped(node->values.items[i], variables, &item) < 0)
                item = NULL; /* undefined prints as null in an array */
            json_object_array_add(arr, item);
        }
        *out = arr;
        return 0;
    }
    case GQL_OBJECT: {
        json_object *obj = json_object_new_object();
        for (uint32_t i = 0; i < node->fields.count; i++) {
            const gql_node *f = node->fields.items[i];
            json_object *item;
            if (gqlx_value_untyped(f->value_node, variables, &item) < 0) {
                json_object_object_del(obj, f->name->value);
                continue;
            }
            json_object_object_add(obj, f->name->value, item);
        }
        *out = obj;
        return 0;
    }
    case GQL_VARIABLE: {
        json_object *v;
        if (!has_var(variables, node, &v))
            return -1;
        *out = json_object_get(v);
        return 0;
    }
    default:
        return -1;
    }
}

/* parseLiteral of a leaf type: 0 with *out, -1 when it throws. */
static int parse_literal(const gql_runtime *rt, const gql_type *t, const gql_node *node,
                         json_object *variables, json_object **out)
{
    *out = NULL;
    if (t->kind == GQL_TYPE_ENUM) {
        if (node->kind != GQL_ENUM ||
            !gql_type_find_enum_value(t, node->value, node->value_len))
            return -1;
        *out = json_object_new_string_len(node->value, (int)node->value_len);
        return 0;
    }
    if (!(t->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR)) {
        /* graphql-js's default parseLiteral: parseValue(valueFromASTUntyped) */
        gql_scalar_fn parse = gqlx_runtime_scalar(rt, t, 1, NULL);
        if (gqlx_value_untyped(node, variables, out) < 0)
            return -1;
        if (!parse)
            return 0;
        json_object *untyped = *out, *parsed = NULL;
        int rc = gqlx_scalar_call(rt, t, 1, untyped, &parsed, NULL);
        json_object_put(untyped);
        *out = parsed;
        return rc;
    }
    if (is_scalar(t, "Int")) {
        if (node->kind != GQL_INT)
            return -1;
        double d = strtod(node->value, NULL);
        if (d > 2147483647.0 || d < -2147483648.0)
            return -1;
        *out = gqlx_number_new(d);
        return 0;
    }
    if (is_scalar(t, "Float")) {
        if (node->kind != GQL_INT && node->kind != GQL_FLOAT)
            return -1;
        *out = number_from_literal(node);
        return 0;
    }
    if (is_scalar(t, "String")) {
        if (node->kind != GQL_STRING)
            return -1;
        *out = json_object_new_string_len(node->value, (int)node->value_len);
        return 0;
    }
    if (is_scalar(t, "Boolean")) {
        if (node->kind != GQL_BOOLEAN)
            return -1;
        *out = json_object_new_boolean((node->flags & GQL_FLAG_TRUE) != 0);
        return 0;
    }
    /* ID */
    if (node->kind != GQL_STRING && node->kind != GQL_INT)
        return -1;
    *out = json_object_new_string_len(node->value, (int)node->value_len);
    return 0;
}

int gqlx_default_value(const gql_runtime *rt, const gql_input_value *iv, json_object **out)
{
    *out = NULL;
    if (!iv->default_value)
        return -1;
    return gqlx_value_from_ast(rt, iv->default_value, iv->type, NULL, out);
}

static const gql_node *find_object_field(const gql_node *obj, const char *name)
{
    /* graphql-js keyMap: the last field of a name wins */
    const gql_node *found = NULL;
    for (uint32_t i = 0; i < obj->fields.count; i++)
        if (strcmp(obj->fields.items[i]->name->value, name) == 0)
            found = obj->fields.items[i];
    return found;
}

int gqlx_value_from_ast(const gql_runtime *rt, const gql_node *node, const gql_type_ref *type,
                        json_object *variables, json_object **out)
{
    *out = NULL;
    if (!node || !type)
        return -1;
    if (node->kind == GQL_VARIABLE) {
        json_object *v;
        if (!has_var(variables, node, &v))
            return -1;
        if (v == NULL && type->kind == GQL_REF_NON_NULL)
            return -1;
        *out = json_object_get(v);
        return 0;
    }
    if (type->kind == GQL_REF_NON_NULL) {
        if (node->kind == GQL_NULL)
            return -1;
        return gqlx_value_from_ast(rt, node, type->of_type, variables, out);
    }
    if (node->kind == GQL_NULL)
        return 0;
    if (type->kind == GQL_REF_LIST) {
        const gql_type_ref *item_type = type->of_type;
        if (node->kind == GQL_LIST) {
            json_object *arr = json_object_new_array();
            for (uint32_t i = 0; i < node->values.count; i++) {
                const gql_node *item = node->values.items[i];
                json_object *iv = NULL;
                if (is_missing_variable(item, variables)) {
                    if (item_type->kind == GQL_REF_NON_NULL) {
                        json_object_put(arr);
                        return -1;
                    }
                } else if (gqlx_value_from_ast(rt, item, item_type, variables, &iv) < 0) {
                    json_object_put(arr);
                    return -1;
                }
                json_object_array_add(arr, iv);
            }
            *out = arr;
            return 0;
        }
        json_object *iv;
        if (gqlx_value_from_ast(rt, node, item_type, variables, &iv) < 0)
            return -1;
        json_object *arr = json_object_new_array();
        json_object_array_add(arr, iv);
        *out = arr;
        return 0;
    }
    const gql_type *t = type->named;
    if (t->kind == GQL_TYPE_INPUT_OBJECT) {
        if (node->kind != GQL_OBJECT)
            return -1;
        json_object *obj = json_object_new_object();
        uint32_t nkeys = 0;
        int first_null = 0;
        for (uint32_t i = 0; i < t->ninput_fields; i++) {
            const gql_input_value *f = &t->input_fields[i];
            const gql_node *fn = find_object_field(node, f->name);
            json_object *fv;
            if (!fn || is_missing_variable(fn->value_node, variables)) {
                if (gqlx_default_value(rt, f, &fv) == 0) {
                    json_object_object_add(obj, f->name, fv);
                    if (nkeys++ == 0)
                        first_null = fv == NULL;
                } else if (f->type->kind == GQL_REF_NON_NULL) {
                    json_object_put(obj);
                    return -1;
                }
                continue;
            }
            if (gqlx_value_from_ast(rt, fn->value_node, f->type, variables, &fv) < 0) {
                json_object_put(obj);
                return -1;
            }
            json_object_object_add(obj, f->name, fv);
            if (nkeys++ == 0)
                first_null = fv == NULL;
        }
        if (t->one_of && (nkeys != 1 || first_null)) {
            json_object_put(obj);
            return -1;
        }
        *out = obj;
        return 0;
    }
    return parse_literal(rt, t, node, variables, out);
}

/* ---- coerceInputValue for variables ---- */

typedef struct seg {
    const char *key; /* NULL: index */
    size_t index;
} seg;

typedef struct coerce_ctx {
    const gql_runtime *rt;
    gql_arena *arena;
    const gql_document *doc;
    const gql_node *var_def;
    const char *var_name;
    gql_error_list *errors;
    uint32_t nerrors;
    int aborted;
    seg *path;
    uint32_t depth, cap;
} coerce_ctx;

#define MAX_COERCION_ERRORS 50

static int push_seg(coerce_ctx *c, const char *key, size_t index)
{
    if (c->depth == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 16;
        seg *p = gql_arena_alloc(c->arena, sizeof *p * cap);
        if (!p)
            return -1;
        if (c->depth)
            memcpy(p, c->path, sizeof *p * c->depth);
        c->path = p;
        c->cap = cap;
    }
    c->path[c->depth].key = key;
    c->path[c->depth].index = index;
    c->depth++;
    return 0;
}

static void add_error_at(gql_error_list *errors, const gql_document *doc, const gql_node *node,
                         const char *message)
{
    if (node) {
        gql_location loc = gql_node_location(doc, node);
        gql_error_list_add(errors, message, &loc, 1);
    } else {
        gql_error_list_add(errors, message, NULL, 0);
    }
}

/* onError of coerceVariableValues. `extra_key` is appended to the path (the
 * oneOf null-field check reports one level deeper). */
static void coerce_error(coerce_ctx *c, json_object *invalid, const char *extra_key,
                         const char *message)
{
    if (c->aborted)
        return;
    if (c->nerrors >= MAX_COERCION_ERRORS) {
        gql_error_list_add(c->errors,
                           "Too many errors processing variables, error limit reached. "
                           "Execution aborted.",
                           NULL, 0);
        c->aborted = 1;
        return;
    }
    c->nerrors++;
    gql_buf b = GQL_BUF_INIT;
    gql_buf_printf(&b, "Variable \"$%s\" got invalid value ", c->var_name);
    gqlx_inspect(&b, invalid);
    if (c->depth > 0 || extra_key) {
        gql_buf_printf(&b, " at \"%s", c->var_name);
        for (uint32_t i = 0; i < c->depth; i++) {
            if (c->path[i].key)
                gql_buf_printf(&b, ".%s", c->path[i].key);
            else
                gql_buf_printf(&b, "[%zu]", c->path[i].index);
        }
        if (extra_key)
            gql_buf_printf(&b, ".%s", extra_key);
        gql_buf_putc(&b, '"');
    }
    gql_buf_puts(&b, "; ");
    gql_buf_puts(&b, message);
    add_error_at(c->errors, c->doc, c->var_def, b.oom ? "out of memory" : b.data);
    gql_buf_free(&b);
}

#define coerce_errorf(c, invalid, ...)                                    \
    do {                                                                \
        char *m_ = gql_arena_printf((c)->arena, __VA_ARGS__);           \
        coerce_error((c), (invalid), NULL, m_ ? m_ : "out of memory");  \
    } while (0)

static void type_string(gql_buf *b, const gql_type_ref *t)
{
    gql_type_ref_print(b, t);
}

/* Enum parseValue's suggestion suffix (didYouMeanEnumValue). */
static void enum_suggestions(gql_buf *b, const gql_type *t, const char *input, gql_arena *a)
{
    const char **names = gql_arena_alloc(a, sizeof *names * (t->nvalues + 1));
    const char **out = gql_arena_alloc(a, sizeof *out * (t->nvalues + 1));
    if (!names || !out)
        return;
    for (uint32_t i = 0; i < t->nvalues; i++)
        names[i] = t->values[i].name;
    size_t n = gql_suggestion_list(input, names, t->nvalues, out);
    gql_did_you_mean(b, "the enum value", out, n);
}

/* parseValue of a leaf type: 0 with *out, -1 with the message in *msg. */
static int parse_value(coerce_ctx *c, const gql_type *t, json_object *v, json_object **out,
                       char **msg)
{
    gql_buf b = GQL_BUF_INIT;
    json_type jt = json_object_get_type(v);
    *out = NULL;
    if (t->kind == GQL_TYPE_ENUM) {
        if (jt != json_type_string) {
            gql_buf vs = GQL_BUF_INIT;
            gqlx_inspect(&vs, v);
            const char *vstr = vs.data ? vs.data : "";
            gql_buf_printf(&b, "Enum \"%s\" cannot represent non-string value: %s.", t->name, vstr);
            enum_suggestions(&b, t, vstr, c->arena);
            gql_buf_free(&vs);
            goto fail;
        }
        const char *s = json_object_get_string(v);
        size_t len = (size_t)json_object_get_string_len(v);
        if (!gql_type_find_enum_value(t, s, len)) {
            gql_buf_printf(&b, "Value \"%s\" does not exist in \"%s\" enum.", s, t->name);
            enum_suggestions(&b, t, s, c->arena);
            goto fail;
        }
        *out = json_object_get(v);
        return 0;
    }
    if (!(t->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR)) {
        if (!gqlx_runtime_scalar(c->rt, t, 1, NULL)) {
            *out = json_object_get(v); /* pass-through */
            return 0;
        }
        const char *error = NULL;
        if (gqlx_scalar_call(c->rt, t, 1, v, out, &error) == 0)
            return 0;
        /* graphql-js: a thrown Error's message after `Expected type "X".` */
        gql_buf_printf(&b, "Expected type \"%s\".", t->name);
        if (error && *error)
            gql_buf_printf(&b, " %s", error);
        goto fail;
    }
    if (is_scalar(t, "Int")) {
        double d = json_object_get_double(v);
        if (!gqlx_is_number(v) || !gqlx_is_integer(d)) {
            gql_buf_puts(&b, "Int cannot represent non-integer value: ");
            gqlx_inspect(&b, v);
            goto fail;
        }
        if (d > 2147483647.0 || d < -2147483648.0) {
            gql_buf_puts(&b, "Int cannot represent non 32-bit signed integer value: ");
            gqlx_number_write(&b, d);
            goto fail;
        }
        *out = gqlx_number_new(d);
        return 0;
    }
    if (is_scalar(t, "Float")) {
        if (!gqlx_is_number(v) || !isfinite(json_object_get_double(v))) {
            gql_buf_puts(&b, "Float cannot represent non numeric value: ");
            gqlx_inspect(&b, v);
            goto fail;
        }
        *out = json_object_get(v);
        return 0;
    }
    if (is_scalar(t, "String")) {
        if (jt != json_type_string) {
            gql_buf_puts(&b, "String cannot represent a non string value: ");
            gqlx_inspect(&b, v);
            goto fail;
        }
        *out = json_object_get(v);
        return 0;
    }
    if (is_scalar(t, "Boolean")) {
        if (jt != json_type_boolean) {
            gql_buf_puts(&b, "Boolean cannot represent a non boolean value: ");
            gqlx_inspect(&b, v);
            goto fail;
        }
        *out = json_object_get(v);
        return 0;
    }
    /* ID */
    if (jt == json_type_string) {
        *out = json_object_get(v);
        return 0;
    }
    if (gqlx_is_number(v) && gqlx_is_integer(json_object_get_double(v))) {
        gqlx_number_write(&b, json_object_get_double(v));
        *out = json_object_new_string_len(b.data ? b.data : "", (int)b.len);
        gql_buf_free(&b);
        return 0;
    }
    gql_buf_puts(&b, "ID cannot represent value: ");
    gqlx_inspect(&b, v);
fail:
    *msg = gqlx_buf_arena(&b, c->arena);
    return -1;
}

/* coerceInputValueImpl: 0 with a new reference in *out, -1 for undefined
 * (an error was reported). `v` is the JSON value (NULL pointer = null). */
static int coerce_input(coerce_ctx *c, json_object *v, const gql_type_ref *type,
                        json_object **out)
{
    *out = NULL;
    if (c->aborted)
        return -1;
    if (type->kind == GQL_REF_NON_NULL) {
        if (v != NULL)
            return coerce_input(c, v, type->of_type, out);
        gql_buf b = GQL_BUF_INIT;
        gql_buf_puts(&b, "Expected non-nullable type \"");
        type_string(&b, type);
        gql_buf_puts(&b, "\" not to be null.");
        coerce_error(c, v, NULL, gqlx_buf_arena(&b, c->arena));
        return -1;
    }
    if (v == NULL)
        return 0;
    if (type->kind == GQL_REF_LIST) {
        json_object *arr = json_object_new_array();
        if (json_object_get_type(v) == json_type_array) {
            size_t n = json_object_array_length(v);
            for (size_t i = 0; i < n; i++) {
                json_object *item = NULL;
                if (push_seg(c, NULL, i) < 0)
                    break;
                coerce_input(c, json_object_array_get_idx(v, i), type->of_type, &item);
                c->depth--;
                json_object_array_add(arr, item);
            }
        } else {
            json_object *item = NULL;
            coerce_input(c, v, type->of_type, &item);
            json_object_array_add(arr, item);
        }
        *out = arr;
        return 0;
    }
    const gql_type *t = type->named;
    if (t->kind == GQL_TYPE_INPUT_OBJECT) {
        if (json_object_get_type(v) != json_type_object) {
            coerce_errorf(c, v, "Expected type \"%s\" to be an object.", t->name);
            return -1;
        }
        json_object *obj = json_object_new_object();
        uint32_t nkeys = 0;
        const char *first_key = NULL;
        int first_null = 0;
        for (uint32_t i = 0; i < t->ninput_fields; i++) {
            const gql_input_value *f = &t->input_fields[i];
            json_object *fv, *cv = NULL;
            if (!json_object_object_get_ex(v, f->name, &fv)) {
                if (gqlx_default_value(c->rt, f, &cv) == 0) {
                    json_object_object_add(obj, f->name, cv);
                    if (nkeys++ == 0) {
                        first_key = f->name;
                        first_null = cv == NULL;
                    }
                } else if (f->type->kind == GQL_REF_NON_NULL) {
                    gql_buf b = GQL_BUF_INIT;
                    gql_buf_printf(&b, "Field \"%s\" of required type \"", f->name);
                    type_string(&b, f->type);
                    gql_buf_puts(&b, "\" was not provided.");
                    coerce_error(c, v, NULL, gqlx_buf_arena(&b, c->arena));
                }
                continue;
            }
            if (push_seg(c, f->name, 0) < 0)
                break;
            int rc = coerce_input(c, fv, f->type, &cv);
            c->depth--;
            if (rc == 0)
                json_object_object_add(obj, f->name, cv);
            if (nkeys++ == 0) {
                first_key = f->name;
                first_null = rc == 0 && cv == NULL;
            }
        }
        const char **keys;
        uint32_t n = gqlx_object_keys(v, c->arena, &keys);
        for (uint32_t i = 0; i < n; i++) {
            if (gql_type_find_input_field(t, keys[i], strlen(keys[i])))
                continue;
            const char **names = gql_arena_alloc(c->arena, sizeof *names * (t->ninput_fields + 1));
            const char **sugg = gql_arena_alloc(c->arena, sizeof *sugg * (t->ninput_fields + 1));
            gql_buf b = GQL_BUF_INIT;
            gql_buf_printf(&b, "Field \"%s\" is not defined by type \"%s\".", keys[i], t->name);
            if (names && sugg) {
                for (uint32_t j = 0; j < t->ninput_fields; j++)
                    names[j] = t->input_fields[j].name;
                size_t ns = gql_suggestion_list(keys[i], names, t->ninput_fields, sugg);
                gql_did_you_mean(&b, NULL, sugg, ns);
            }
            coerce_error(c, v, NULL, gqlx_buf_arena(&b, c->arena));
        }
        if (t->one_of) {
            if (nkeys != 1)
                coerce_errorf(c, v, "Exactly one key must be specified for OneOf type \"%s\".",
                              t->name);
            if (nkeys >= 1 && first_null) {
                char *m = gql_arena_printf(c->arena, "Field \"%s\" must be non-null.", first_key);
                coerce_error(c, NULL, first_key, m ? m : "out of memory");
            }
        }
        *out = obj;
        return 0;
    }
    char *msg;
    if (parse_value(c, t, v, out, &msg) < 0) {
        coerce_error(c, v, NULL, msg);
        return -1;
    }
    return 0;
}

json_object *gqlx_coerce_variables(const gql_schema *s, const gql_runtime *rt,
                                   const gql_document *doc, gql_arena *arena,
                                   const gql_node *operation, json_object *inputs,
                                   gql_error_list *errors)
{
    coerce_ctx c = {.rt = rt, .arena = arena, .doc = doc, .errors = errors};
    json_object *coerced = json_object_new_object();
    if (!coerced)
        return NULL;
    if (json_object_get_type(inputs) != json_type_object)
        inputs = NULL; /* null, or an array: no own variable properties */
    const gql_list *defs = &operation->variable_definitions;
    for (uint32_t i = 0; i < defs->count && !c.aborted; i++) {
        const gql_node *def = defs->items[i];
        const char *name = def->variable->name->value;
        const gql_type_ref *type = gqlx_type_from_ast(s, arena, def->type);
        c.var_def = def;
        c.var_name = name;
        c.depth = 0;
        if (!gqlx_ref_is_input(type)) {
            gql_buf b = GQL_BUF_INIT;
            gql_buf_printf(&b, "Variable \"$%s\" expected value of type \"", name);
            gql_print_to(&b, def->type);
            gql_buf_puts(&b, "\" which cannot be used as an input type.");
            if (c.nerrors >= MAX_COERCION_ERRORS) {
                coerce_error(&c, NULL, NULL, "");
            } else {
                c.nerrors++;
                add_error_at(errors, doc, def->type, gqlx_buf_arena(&b, arena));
            }
            continue;
        }
        json_object *v;
        if (!inputs || !json_object_object_get_ex(inputs, name, &v)) {
            if (def->default_value) {
                json_object *dv;
                if (gqlx_value_from_ast(rt, def->default_value, type, NULL, &dv) == 0)
                    json_object_object_add(coerced, name, dv);
            } else if (type->kind == GQL_REF_NON_NULL) {
                gql_buf b = GQL_BUF_INIT;
                gql_buf_printf(&b, "Variable \"$%s\" of required type \"", name);
                type_string(&b, type);
                gql_buf_puts(&b, "\" was not provided.");
                if (c.nerrors >= MAX_COERCION_ERRORS) {
                    coerce_error(&c, NULL, NULL, "");
                } else {
                    c.nerrors++;
                    add_error_at(errors, doc, def, gqlx_buf_arena(&b, arena));
                }
            }
            continue;
        }
        if (v == NULL && type->kind == GQL_REF_NON_NULL) {
            gql_buf b = GQL_BUF_INIT;
            gql_buf_printf(&b, "Variable \"$%s\" of non-null type \"", name);
            type_string(&b, type);
            gql_buf_puts(&b, "\" must not be null.");
            if (c.nerrors >= MAX_COERCION_ERRORS) {
                coerce_error(&c, NULL, NULL, "");
            } else {
                c.nerrors++;
                add_error_at(errors, doc, def, gqlx_buf_arena(&b, arena));
            }
            continue;
        }
        json_object *cv = NULL;
        if (coerce_input(&c, v, type, &cv) == 0)
            json_object_object_add(coerced, name, cv);
    }
    if (c.nerrors > 0 || c.aborted) {
        json_object_put(coerced);
        return NULL;
    }
    return coerced;
}

/* ---- getArgumentValues ---- */

static int arg_error(gqlx_error *err, gql_arena *a, const gql_node *node, gql_buf *b)
{
    err->message = gqlx_buf_arena(b, a);
    err->node = node;
    return -1;
}

int gqlx_argument_values(const gql_runtime *rt, const gql_input_value *args, uint32_t nargs,
                         const gql_node *node,
                         json_object *variables, gql_arena *arena, json_object **out,
                         gqlx_error *err)
{
    json_object *coerced = json_object_new_object();
    *out = NULL;
    for (uint32_t i = 0; i < nargs; i++) {
        const gql_input_value *def = &args[i];
        const gql_node *arg = NULL;
        for (uint32_t j = 0; j < node->arguments.count; j++)
            if (strcmp(node->arguments.items[j]->name->value, def->name) == 0)
                arg = node->arguments.items[j]; /* keyMap: the last wins */
        json_object *v;
        gql_buf b = GQL_BUF_INIT;
        if (!arg) {
            if (gqlx_default_value(rt, def, &v) == 0) {
                json_object_object_add(coerced, def->name, v);
            } else if (def->type->kind == GQL_REF_NON_NULL) {
                gql_buf_printf(&b, "Argument \"%s\" of required type \"", def->name);
                gql_type_ref_print(&b, def->type);
                gql_buf_puts(&b, "\" was not provided.");
                json_object_put(coerced);
                return arg_error(err, arena, node, &b);
            }
            continue;
        }
        const gql_node *value = arg->value_node;
        int is_null = value->kind == GQL_NULL;
        if (value->kind == GQL_VARIABLE) {
            json_object *vv;
            if (!has_var(variables, value, &vv)) {
                if (gqlx_default_value(rt, def, &v) == 0) {
                    json_object_object_add(coerced, def->name, v);
                } else if (def->type->kind == GQL_REF_NON_NULL) {
                    gql_buf_printf(&b, "Argument \"%s\" of required type \"", def->name);
                    gql_type_ref_print(&b, def->type);
                    gql_buf_printf(&b,
                                   "\" was provided the variable \"$%s\" which was not provided "
                                   "a runtime value.",
                                   value->name->value);
                    json_object_put(coerced);
                    return arg_error(err, arena, value, &b);
                }
                continue;
            }
            is_null = vv == NULL;
        }
        if (is_null && def->type->kind == GQL_REF_NON_NULL) {
            gql_buf_printf(&b, "Argument \"%s\" of non-null type \"", def->name);
            gql_type_ref_print(&b, def->type);
            gql_buf_puts(&b, "\" must not be null.");
            json_object_put(coerced);
            return arg_error(err, arena, value, &b);
        }
        if (gqlx_value_from_ast(rt, value, def->type, variables, &v) < 0) {
            gql_buf_printf(&b, "Argument \"%s\" has invalid value ", def->name);
            gql_print_to(&b, value);
            gql_buf_putc(&b, '.');
            json_object_put(coerced);
            return arg_error(err, arena, value, &b);
        }
        json_object_object_add(coerced, def->name, v);
    }
    *out = coerced;
    return 0;
}

/* ---- serialize ---- */

static int serialize_fail(gql_arena *a, char **message, const char *prefix, json_object *v)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, prefix);
    gqlx_inspect(&b, v);
    *message = gqlx_buf_arena(&b, a);
    return -1;
}

int gqlx_serialize_leaf(const gql_type *t, json_object *v, gql_buf *out, gql_arena *arena,
                        char **message)
{
    json_type jt = json_object_get_type(v);
    if (t->kind == GQL_TYPE_ENUM) {
        if (jt == json_type_string &&
            gql_type_find_enum_value(t, json_object_get_string(v),
                                     (size_t)json_object_get_string_len(v))) {
            gqlx_json_write(out, v);
            return 0;
        }
        gql_buf b = GQL_BUF_INIT;
        gql_buf_printf(&b, "Enum \"%s\" cannot represent value: ", t->name);
        gqlx_inspect(&b, v);
        *message = gqlx_buf_arena(&b, arena);
        return -1;
    }
    if (!(t->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR)) {
        gqlx_json_write(out, v);
        return 0;
    }
    /* The specified scalars by name without strcmp: Int, ID, Float, String, Boolean. */
    char sk = t->name[0] == 'I' ? (t->name_len == 3 ? 'N' : 'D') : t->name[0];
    int is_int = sk == 'N';
    if (is_int || sk == 'F') {
        if (jt == json_type_boolean) {
            gqlx_putc(out, json_object_get_boolean(v) ? '1' : '0');
            return 0;
        }
        if (jt == json_type_int) {
            /* an integer JSON number: print it without the double round trip */
            int64_t iv = json_object_get_int64(v);
            if (iv > -9007199254740992 && iv < 9007199254740992 &&
                (!is_int || (iv >= -2147483648LL && iv <= 2147483647LL))) {
                char tmp[24], *e = tmp + sizeof tmp, *d = e;
                uint64_t u = iv < 0 ? (uint64_t)0 - (uint64_t)iv : (uint64_t)iv;
                do {
                    *--d = (char)('0' + u % 10);
                    u /= 10;
                } while (u);
                if (iv < 0)
                    *--d = '-';
                gqlx_put(out, d, (size_t)(e - d));
                return 0;
            }
        }
        double d;
        if (jt == json_type_string && json_object_get_string_len(v) > 0)
            d = gqlx_string_to_number(json_object_get_string(v),
                                      (size_t)json_object_get_string_len(v));
        else if (gqlx_is_number(v))
            d = json_object_get_double(v);
        else
            return serialize_fail(arena, message,
                                  is_int ? "Int cannot represent non-integer value: "
                                         : "Float cannot represent non numeric value: ",
                                  v);
        if (is_int) {
            if (!gqlx_is_integer(d))
                return serialize_fail(arena, message, "Int cannot represent non-integer value: ", v);
            if (d > 2147483647.0 || d < -2147483648.0)
                return serialize_fail(arena, message,
                                      "Int cannot represent non 32-bit signed integer value: ", v);
        } else if (!isfinite(d)) {
            return serialize_fail(arena, message, "Float cannot represent non numeric value: ", v);
        }
        gqlx_number_write(out, d);
        return 0;
    }
    if (sk == 'S') {
        if (jt == json_type_string) {
            gqlx_json_write(out, v);
        } else if (jt == json_type_boolean) {
            if (json_object_get_boolean(v))
                gqlx_puts_lit(out, "\"true\"");
            else
                gqlx_puts_lit(out, "\"false\"");
        } else if (gqlx_is_number(v) && isfinite(json_object_get_double(v))) {
            gql_buf_putc(out, '"');
            gqlx_number_write(out, json_object_get_double(v));
            gql_buf_putc(out, '"');
        } else {
            return serialize_fail(arena, message, "String cannot represent value: ", v);
        }
        return 0;
    }
    if (sk == 'B') {
        if (jt == json_type_boolean)
            gqlx_json_write(out, v);
        else if (gqlx_is_number(v) && isfinite(json_object_get_double(v)))
            gql_buf_puts(out, json_object_get_double(v) != 0 ? "true" : "false");
        else
            return serialize_fail(arena, message,
                                  "Boolean cannot represent a non boolean value: ", v);
        return 0;
    }
    /* ID */
    if (jt == json_type_string) {
        gqlx_json_write(out, v);
    } else if (gqlx_is_number(v) && gqlx_is_integer(json_object_get_double(v))) {
        gql_buf_putc(out, '"');
        gqlx_number_write(out, json_object_get_double(v));
        gql_buf_putc(out, '"');
    } else {
        return serialize_fail(arena, message, "ID cannot represent value: ", v);
    }
    return 0;
}
