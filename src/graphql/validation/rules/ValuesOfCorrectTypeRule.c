/* ValuesOfCorrectTypeRule.c: literal values are valid for their expected
 * input type (built-in scalars' parseLiteral, enums, input objects incl.
 * @oneOf; custom scalars through the runtime's parse function when the
 * caller passes a runtime, else any literal) (spec "Values of Correct Type"). */
#include "config.h"

#include "graphql/validation/rules.h"
#include "graphql/suggestion.h"
#include "graphql/execution/exec_internal.h"

#include <stdlib.h>
#include <string.h>

static void report_expected(gql_vctx *c, const gql_type_ref *t, const gql_node *node,
                            const char *suffix)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "Expected value of type \"");
    gql_type_ref_print(&b, t);
    gql_buf_puts(&b, "\", found ");
    gql_vprint(&b, node);
    gql_buf_puts(&b, suffix);
    gql_vctx_report_buf(c, &b, &node, 1);
    gql_buf_free(&b);
}

static void did_you_mean_enum(gql_vctx *c, gql_buf *b, const gql_type *et, const char *input)
{
    const char **opts = gql_arena_alloc(c->arena, (et->nvalues + 1) * sizeof *opts);
    const char **out = gql_arena_alloc(c->arena, (et->nvalues + 1) * sizeof *out);
    if (!opts || !out) {
        b->oom = 1;
        return;
    }
    for (uint32_t i = 0; i < et->nvalues; i++)
        opts[i] = et->values[i].name;
    size_t n = gql_suggestion_list(input, opts, et->nvalues, out);
    gql_did_you_mean(b, "the enum value", out, n);
}

/* A built-in scalar's parseLiteral error, or none. */
static void check_scalar(gql_vctx *c, const gql_type *t, const gql_node *node)
{
    const char *name = t->name;
    const char *msg = NULL;
    int k = node->kind;
    if (strcmp(name, "Int") == 0) {
        if (k != GQL_INT) {
            msg = "Int cannot represent non-integer value: ";
        } else {
            double v = strtod(node->value, NULL);
            if (v > 2147483647.0 || v < -2147483648.0) {
                gql_vctx_report1f(c, node, "Int cannot represent non 32-bit signed integer "
                                           "value: %s", node->value);
                return;
            }
        }
    } else if (strcmp(name, "Float") == 0) {
        if (k != GQL_FLOAT && k != GQL_INT)
            msg = "Float cannot represent non numeric value: ";
    } else if (strcmp(name, "String") == 0) {
        if (k != GQL_STRING)
            msg = "String cannot represent a non string value: ";
    } else if (strcmp(name, "Boolean") == 0) {
        if (k != GQL_BOOLEAN)
            msg = "Boolean cannot represent a non boolean value: ";
    } else if (strcmp(name, "ID") == 0) {
        if (k != GQL_STRING && k != GQL_INT)
            msg = "ID cannot represent a non-string and non-integer value: ";
    }
    if (!msg)
        return;
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, msg);
    gql_vprint(&b, node);
    gql_vctx_report_buf(c, &b, &node, 1);
    gql_buf_free(&b);
}

static void check_enum(gql_vctx *c, const gql_type *et, const gql_node *node)
{
    gql_buf b = GQL_BUF_INIT;
    if (node->kind != GQL_ENUM) {
        const char *s = gql_vprint_str(c, node);
        gql_buf_printf(&b, "Enum \"%s\" cannot represent non-enum value: %s.", et->name, s);
        did_you_mean_enum(c, &b, et, s);
    } else if (!gql_type_find_enum_value(et, node->value, node->value_len)) {
        gql_buf_printf(&b, "Value \"%s\" does not exist in \"%s\" enum.", node->value, et->name);
        did_you_mean_enum(c, &b, et, node->value);
    } else {
        return;
    }
    gql_vctx_report_buf(c, &b, &node, 1);
    gql_buf_free(&b);
}

/* A custom scalar's parseLiteral: graphql-js's default, parseValue of
 * valueFromASTUntyped(node) (no variables), with the runtime's parse. */
static void check_custom_scalar(gql_vctx *c, const gql_type_ref *loc, const gql_node *node)
{
    if (!gqlx_runtime_scalar(c->runtime, loc->named, 1, NULL))
        return;
    json_object *untyped = NULL, *parsed = NULL;
    const char *message = NULL;
    if (gqlx_value_untyped(node, NULL, &untyped) < 0)
        return; /* a bare variable: not a literal this rule checks */
    int rc = untyped ? gqlx_scalar_call(c->runtime, loc->named, 1, untyped, &parsed, &message) : 0;
    json_object_put(untyped);
    json_object_put(parsed);
    if (rc == 0)
        return;
    if (!message) {
        report_expected(c, loc, node, ".");
        return;
    }
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "; ");
    gql_buf_puts(&b, message);
    if (b.oom)
        gql_vctx_oom(c);
    else
        report_expected(c, loc, node, b.data);
    gql_buf_free(&b);
}

static void is_valid_value_node(gql_vctx *c, const gql_node *node)
{
    const gql_type_ref *loc = gql_typeinfo_input_type(&c->ti);
    if (!loc)
        return;
    const gql_type *t = loc->named;
    if (!gql_type_is_leaf(t)) {
        report_expected(c, loc, node, ".");
        return;
    }
    if (t->kind == GQL_TYPE_ENUM)
        check_enum(c, t, node);
    else if (t->flags & GQL_TYPE_FLAG_SPECIFIED_SCALAR)
        check_scalar(c, t, node);
    else if (c->runtime)
        check_custom_scalar(c, loc, node);
    /* Without a runtime, custom scalars accept any literal (graphql-js's
     * default parseLiteral never throws). */
}

static void object_value(gql_vctx *c, const gql_node *node, const gql_type *type)
{
    /* keyMap: the last field of a name wins; keys in first-seen order. */
    gql_vmap fields = {0};
    gql_vec keys = {0};
    for (uint32_t i = 0; i < node->fields.count; i++) {
        const gql_node *f = node->fields.items[i];
        gql_vmap_slot *slot =
            gql_vmap_name(c->arena, &fields, f->name->value, f->name->value_len, 1);
        if (!slot) {
            gql_vctx_oom(c);
            return;
        }
        if (!slot->value && gql_vec_push(c->arena, &keys, f->name)) {
            gql_vctx_oom(c);
            return;
        }
        slot->value = f;
    }
    for (uint32_t i = 0; i < type->ninput_fields && !c->aborted; i++) {
        const gql_input_value *fd = &type->input_fields[i];
        if (gql_vmap_get_name(&fields, fd->name, fd->name_len) ||
            !gql_input_value_is_required(fd))
            continue;
        gql_vctx_report1f(c, node, "Field \"%s.%s\" of required type \"%s\" was not provided.",
                          type->name, fd->name, gql_vtype_str(c, fd->type));
    }
    if (!type->one_of || c->aborted)
        return;
    if (keys.count != 1) {
        gql_vctx_report1f(c, node, "OneOf Input Object \"%s\" must specify exactly one key.",
                          type->name);
        return;
    }
    const gql_node *key = keys.items[0];
    const gql_node *f = gql_vmap_get_name(&fields, key->value, key->value_len);
    if (!f->value_node || f->value_node->kind == GQL_NULL)
        gql_vctx_report1f(c, node, "Field \"%s.%s\" must be non-null.", type->name, key->value);
}

static int enter(gql_vctx *c, void *st, const gql_node *node)
{
    (void)st;
    switch ((gql_kind)node->kind) {
    case GQL_LIST: {
        const gql_type_ref *t = gql_ref_nullable(gql_typeinfo_parent_input_type(&c->ti));
        if (!t || t->kind != GQL_REF_LIST) {
            is_valid_value_node(c, node);
            return GQL_RULE_SKIP;
        }
        return GQL_RULE_CONTINUE;
    }
    case GQL_OBJECT: {
        const gql_type *t = gql_ref_named(gql_typeinfo_input_type(&c->ti));
        if (!t || t->kind != GQL_TYPE_INPUT_OBJECT) {
            is_valid_value_node(c, node);
            return GQL_RULE_SKIP;
        }
        object_value(c, node, t);
        return GQL_RULE_CONTINUE;
    }
    case GQL_OBJECT_FIELD: {
        const gql_type *pt = gql_ref_named(gql_typeinfo_parent_input_type(&c->ti));
        if (gql_typeinfo_input_type(&c->ti) || !pt || pt->kind != GQL_TYPE_INPUT_OBJECT)
            return GQL_RULE_CONTINUE;
        const char **opts = gql_arena_alloc(c->arena, (pt->ninput_fields + 1) * sizeof *opts);
        const char **out = gql_arena_alloc(c->arena, (pt->ninput_fields + 1) * sizeof *out);
        if (!opts || !out) {
            gql_vctx_oom(c);
            return GQL_RULE_CONTINUE;
        }
        for (uint32_t i = 0; i < pt->ninput_fields; i++)
            opts[i] = pt->input_fields[i].name;
        size_t n = gql_suggestion_list(node->name->value, opts, pt->ninput_fields, out);
        gql_buf b = GQL_BUF_INIT;
        gql_buf_printf(&b, "Field \"%s\" is not defined by type \"%s\".", node->name->value,
                       pt->name);
        gql_did_you_mean(&b, NULL, out, n);
        gql_vctx_report_buf(c, &b, &node, 1);
        gql_buf_free(&b);
        return GQL_RULE_CONTINUE;
    }
    case GQL_NULL: {
        const gql_type_ref *t = gql_typeinfo_input_type(&c->ti);
        if (t && t->kind == GQL_REF_NON_NULL)
            report_expected(c, t, node, ".");
        return GQL_RULE_CONTINUE;
    }
    default:
        is_valid_value_node(c, node);
        return GQL_RULE_CONTINUE;
    }
}

const gql_rule gql_rule_ValuesOfCorrectType = {
    .name = "ValuesOfCorrectTypeRule",
    .enter_kinds = GQL_KBIT(GQL_LIST) | GQL_KBIT(GQL_OBJECT) | GQL_KBIT(GQL_OBJECT_FIELD) |
                   GQL_KBIT(GQL_NULL) | GQL_KBIT(GQL_ENUM) | GQL_KBIT(GQL_INT) |
                   GQL_KBIT(GQL_FLOAT) | GQL_KBIT(GQL_STRING) | GQL_KBIT(GQL_BOOLEAN),
    .enter = enter,
};
