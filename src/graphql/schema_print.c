/* schema_print.c: graphql-js printSchema (utilities/printSchema.ts): the
 * schema definition, non-specified directives and non-built-in types in
 * schema order, descriptions as block strings where they fit. */
#include "config.h"

#include "graphql/schema_internal.h"

#include <gqlsse/printer.h>

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

/* graphql-js isPrintableAsBlockString (language/blockString.ts). Bytes of
 * multi-byte UTF-8 characters all take its `default` branch, as their
 * code points do. */
static int printable_as_block_string(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    int empty_line = 1, has_indent = 0, common_indent = 1, seen_non_empty = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case 0x00: case 0x01: case 0x02: case 0x03: case 0x04: case 0x05:
        case 0x06: case 0x07: case 0x08: case 0x0b: case 0x0c: case 0x0e:
        case 0x0f:
            return 0; /* non-printable */
        case 0x0d:
            return 0; /* \r would read back as \n */
        case 0x0a:
            if (empty_line && !seen_non_empty)
                return 0; /* leading new line */
            seen_non_empty = 1;
            empty_line = 1;
            has_indent = 0;
            break;
        case 0x09:
        case 0x20:
            if (!has_indent)
                has_indent = empty_line;
            break;
        default:
            if (common_indent)
                common_indent = has_indent;
            empty_line = 0;
        }
    }
    if (empty_line)
        return 0; /* trailing empty lines */
    if (common_indent && seen_non_empty)
        return 0; /* internal indent */
    return 1;
}

/* printDescription(def, indentation, firstInBlock) */
static void print_description(gql_buf *out, gql_str d, const char *indent, int first_in_block)
{
    if (!d.s)
        return;
    gql_buf tmp = GQL_BUF_INIT;
    if (printable_as_block_string(d.s, d.len))
        gql_print_block_string(&tmp, d.s, d.len, 0);
    else
        gql_print_string(&tmp, d.s, d.len);
    if (indent[0] && !first_in_block)
        gql_buf_putc(out, '\n');
    gql_buf_puts(out, indent);
    for (size_t i = 0; i < tmp.len; i++) {
        gql_buf_putc(out, tmp.data[i]);
        if (tmp.data[i] == '\n')
            gql_buf_puts(out, indent);
    }
    if (tmp.oom)
        out->oom = 1;
    gql_buf_free(&tmp);
    gql_buf_putc(out, '\n');
}

static void print_deprecated(gql_buf *out, gql_str reason)
{
    if (!reason.s)
        return;
    static const char def[] = "No longer supported";
    if (reason.len == sizeof def - 1 && memcmp(reason.s, def, reason.len) == 0) {
        gql_buf_puts(out, " @deprecated");
        return;
    }
    gql_buf_puts(out, " @deprecated(reason: ");
    gql_print_string(out, reason.s, reason.len);
    gql_buf_putc(out, ')');
}

static void print_input_value(gql_buf *out, const gql_input_value *v)
{
    gql_buf_append(out, v->name, v->name_len);
    gql_buf_puts(out, ": ");
    gql_type_ref_print(out, v->type);
    if (v->default_value) {
        gql_buf_puts(out, " = ");
        gql_print_to(out, v->default_value);
    }
    print_deprecated(out, v->deprecation_reason);
}

static void print_args(gql_buf *out, const gql_input_value *args, uint32_t n, const char *indent)
{
    if (n == 0)
        return;
    int any_description = 0;
    for (uint32_t i = 0; i < n && !any_description; i++)
        any_description = args[i].description.s && args[i].description.len > 0;
    if (!any_description) {
        gql_buf_putc(out, '(');
        for (uint32_t i = 0; i < n; i++) {
            if (i)
                gql_buf_puts(out, ", ");
            print_input_value(out, &args[i]);
        }
        gql_buf_putc(out, ')');
        return;
    }
    char inner[64];
    snprintf(inner, sizeof inner, "  %s", indent);
    gql_buf_puts(out, "(\n");
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            gql_buf_putc(out, '\n');
        print_description(out, args[i].description, inner, i == 0);
        gql_buf_puts(out, inner);
        print_input_value(out, &args[i]);
    }
    gql_buf_putc(out, '\n');
    gql_buf_puts(out, indent);
    gql_buf_putc(out, ')');
}

static void print_implemented_interfaces(gql_buf *out, const gql_type *t)
{
    for (uint32_t i = 0; i < t->ninterfaces; i++) {
        gql_buf_puts(out, i ? " & " : " implements ");
        gql_buf_append(out, t->interfaces[i]->name, t->interfaces[i]->name_len);
    }
}

static void print_fields(gql_buf *out, const gql_type *t)
{
    if (t->nfields == 0)
        return;
    gql_buf_puts(out, " {\n");
    for (uint32_t i = 0; i < t->nfields; i++) {
        const gql_field *f = &t->fields[i];
        if (i)
            gql_buf_putc(out, '\n');
        print_description(out, f->description, "  ", i == 0);
        gql_buf_puts(out, "  ");
        gql_buf_append(out, f->name, f->name_len);
        print_args(out, f->args, f->nargs, "  ");
        gql_buf_puts(out, ": ");
        gql_type_ref_print(out, f->type);
        print_deprecated(out, f->deprecation_reason);
    }
    gql_buf_puts(out, "\n}");
}

static void print_type(gql_buf *out, const gql_type *t)
{
    print_description(out, t->description, "", 1);
    switch (t->kind) {
    case GQL_TYPE_SCALAR:
        gql_buf_printf(out, "scalar %s", t->name);
        if (t->specified_by_url.s) {
            gql_buf_puts(out, " @specifiedBy(url: ");
            gql_print_string(out, t->specified_by_url.s, t->specified_by_url.len);
            gql_buf_putc(out, ')');
        }
        break;
    case GQL_TYPE_OBJECT:
    case GQL_TYPE_INTERFACE:
        gql_buf_printf(out, "%s %s", t->kind == GQL_TYPE_OBJECT ? "type" : "interface",
                       t->name);
        print_implemented_interfaces(out, t);
        print_fields(out, t);
        break;
    case GQL_TYPE_UNION:
        gql_buf_printf(out, "union %s", t->name);
        for (uint32_t i = 0; i < t->nmembers; i++) {
            gql_buf_puts(out, i ? " | " : " = ");
            gql_buf_append(out, t->members[i]->name, t->members[i]->name_len);
        }
        break;
    case GQL_TYPE_ENUM:
        gql_buf_printf(out, "enum %s", t->name);
        if (t->nvalues) {
            gql_buf_puts(out, " {\n");
            for (uint32_t i = 0; i < t->nvalues; i++) {
                const gql_enum_value *v = &t->values[i];
                if (i)
                    gql_buf_putc(out, '\n');
                print_description(out, v->description, "  ", i == 0);
                gql_buf_puts(out, "  ");
                gql_buf_append(out, v->name, v->name_len);
                print_deprecated(out, v->deprecation_reason);
            }
            gql_buf_puts(out, "\n}");
        }
        break;
    case GQL_TYPE_INPUT_OBJECT:
        gql_buf_printf(out, "input %s", t->name);
        if (t->one_of)
            gql_buf_puts(out, " @oneOf");
        if (t->ninput_fields) {
            gql_buf_puts(out, " {\n");
            for (uint32_t i = 0; i < t->ninput_fields; i++) {
                if (i)
                    gql_buf_putc(out, '\n');
                print_description(out, t->input_fields[i].description, "  ", i == 0);
                gql_buf_puts(out, "  ");
                print_input_value(out, &t->input_fields[i]);
            }
            gql_buf_puts(out, "\n}");
        }
        break;
    default:
        break;
    }
}

static void print_directive(gql_buf *out, const gql_directive *d)
{
    print_description(out, d->description, "", 1);
    gql_buf_printf(out, "directive @%s", d->name);
    print_args(out, d->args, d->nargs, "");
    print_deprecated(out, d->deprecation_reason);
    if (d->repeatable)
        gql_buf_puts(out, " repeatable");
    gql_buf_puts(out, " on ");
    for (uint32_t i = 0; i < d->nlocations; i++) {
        if (i)
            gql_buf_puts(out, " | ");
        gql_buf_puts(out, gql_directive_location_name((gql_directive_location)d->locations[i]));
    }
}

static int is_common_names(const gql_schema *s)
{
    return (!s->query || strcmp(s->query->name, "Query") == 0) &&
           (!s->mutation || strcmp(s->mutation->name, "Mutation") == 0) &&
           (!s->subscription || strcmp(s->subscription->name, "Subscription") == 0);
}

static int is_specified_directive_name(const char *name)
{
    static const char *const names[] = {"include", "skip", "deprecated", "specifiedBy",
                                        "oneOf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

static int is_builtin_type_name(const char *name)
{
    static const char *const names[] = {"String", "Int", "Float", "Boolean", "ID",
                                        "__Schema", "__Directive", "__DirectiveLocation",
                                        "__Type", "__Field", "__InputValue", "__EnumValue",
                                        "__TypeKind"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

static void separate(gql_buf *out, int *first)
{
    if (!*first)
        gql_buf_puts(out, "\n\n");
    *first = 0;
}

void gql_schema_print_to(gql_buf *out, const gql_schema *s)
{
    int first = 1;
    if (s->description.s || !is_common_names(s)) {
        separate(out, &first);
        print_description(out, s->description, "", 1);
        gql_buf_puts(out, "schema {\n");
        if (s->query)
            gql_buf_printf(out, "  query: %s\n", s->query->name);
        if (s->mutation)
            gql_buf_printf(out, "  mutation: %s\n", s->mutation->name);
        if (s->subscription)
            gql_buf_printf(out, "  subscription: %s\n", s->subscription->name);
        if (!s->query && !s->mutation && !s->subscription)
            gql_buf_putc(out, '\n'); /* "schema {\n" + "" + "\n}" */
        gql_buf_putc(out, '}');
    }
    /* isSpecifiedDirective and isSpecifiedScalarType/isIntrospectionType
     * compare names, so redefinitions of those names are not printed. */
    for (uint32_t i = 0; i < s->ndirectives; i++) {
        if (is_specified_directive_name(s->directives[i]->name))
            continue;
        separate(out, &first);
        print_directive(out, s->directives[i]);
    }
    for (uint32_t i = 0; i < s->ntypes; i++) {
        const gql_type *t = s->types[i];
        if (is_builtin_type_name(t->name))
            continue;
        separate(out, &first);
        print_type(out, t);
    }
}

char *gql_schema_print(const gql_schema *schema)
{
    gql_buf b = GQL_BUF_INIT;
    gql_schema_print_to(&b, schema);
    if (!b.data && !b.oom)
        return dup_cstr("");
    return gql_buf_take(&b);
}
