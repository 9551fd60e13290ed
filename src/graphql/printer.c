/* printer.c: prints an AST as GraphQL source, byte for byte as graphql-js
 * 16.15's print(), printString() and printBlockString() do. */
#include "config.h"

#include <gqlsse/printer.h>

#include <stdbool.h>
#include <string.h>

/*
 * graphql-js builds a tree of PrintBuffers and renders it, turning every
 * "\n" into "\n" plus two spaces per enclosing indent(). Here the same text
 * is written straight to the output through a writer that does that
 * indentation itself. The few decisions graphql-js takes on a buffer's
 * `length` or `newlines` (field arguments past 80 columns, multi-line
 * argument and variable lists) run the same printing code on a writer that
 * only counts, so what is measured is exactly what would be written.
 *
 * graphql-js's join() drops empty items. Every node this file prints yields
 * non-empty text (a parser never makes empty names), except an empty
 * DOCUMENT, so "is this item empty" is decided from the AST's shape: an
 * absent node or an empty list.
 */

#define MAX_LINE_LENGTH 80 /* graphql-js printer.mjs MAX_LINE_LENGTH */

typedef struct writer {
    gql_buf *out;    /* NULL: measure only */
    unsigned depth;  /* indentation level: each is two spaces after "\n" */
    size_t length;   /* when measuring: UTF-16 code units seen */
    size_t newlines; /* when measuring: "\n" seen */
} writer;

/* Length in UTF-16 code units of UTF-8 (WTF-8) text, as JavaScript's
 * String#length counts it: one per sequence, two for 4-byte sequences. */
static size_t utf16_length(const char *s, size_t n)
{
    size_t units = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            units += c >= 0xF0 ? 2 : 1;
    }
    return units;
}

/* Writes n bytes, indenting after each "\n" (graphql-js render()). */
static void emit(writer *w, const char *s, size_t n)
{
    static const char spaces[] = "                                ";
    if (!w->out) {
        w->length += utf16_length(s, n);
        for (size_t i = 0; i < n; i++)
            w->newlines += s[i] == '\n';
        return;
    }
    while (n > 0) {
        const char *nl = w->depth ? memchr(s, '\n', n) : NULL;
        size_t chunk = nl ? (size_t)(nl - s) + 1 : n;
        gql_buf_append(w->out, s, chunk);
        s += chunk;
        n -= chunk;
        if (nl) {
            for (size_t pad = 2 * (size_t)w->depth; pad > 0;) {
                size_t k = pad < sizeof spaces - 1 ? pad : sizeof spaces - 1;
                gql_buf_append(w->out, spaces, k);
                pad -= k;
            }
        }
    }
}

static void put(writer *w, const char *s)
{
    emit(w, s, strlen(s));
}

/* ---- printString / printBlockString ---------------------------------------- */

static bool is_white_space(char c) /* graphql-js isWhiteSpace: tab, space */
{
    return c == ' ' || c == '\t';
}

/*
 * printString: escapes the code units matched by /[\x00-\x1f\x22\x5c\x7f-\x9f]/
 * with graphql-js's escapeSequences table (\b \t \n \f \r \" \\, others as
 * \u00XX with upper-case hex). U+0080..U+009F are the UTF-8 pairs C2 80..C2 9F.
 * All other bytes, lone surrogates (WTF-8) included, are copied as they are.
 */
static void write_string(writer *w, const char *str, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)str;
    size_t run = 0; /* start of bytes not yet written */
    emit(w, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned cp;
        size_t used = 1;
        if (s[i] < 0x20 || s[i] == '"' || s[i] == '\\' || s[i] == 0x7F) {
            cp = s[i];
        } else if (s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
            cp = s[i + 1];
            used = 2;
        } else {
            continue;
        }
        emit(w, str + run, i - run);
        switch (cp) {
        case '\b': emit(w, "\\b", 2); break;
        case '\t': emit(w, "\\t", 2); break;
        case '\n': emit(w, "\\n", 2); break;
        case '\f': emit(w, "\\f", 2); break;
        case '\r': emit(w, "\\r", 2); break;
        case '"': emit(w, "\\\"", 2); break;
        case '\\': emit(w, "\\\\", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15]};
            emit(w, esc, sizeof esc);
        }
        }
        i += used - 1;
        run = i + 1;
    }
    emit(w, str + run, n - run);
    emit(w, "\"", 1);
}

/* The value with every `"""` (left to right, not overlapping) as `\"""`. */
static void write_escaped_triple_quotes(writer *w, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i + 3 <= n;) {
        if (s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"') {
            emit(w, s + run, i - run);
            emit(w, "\\\"\"\"", 4);
            i += 3;
            run = i;
        } else {
            i++;
        }
    }
    emit(w, s + run, n - run);
}

/* printBlockString (blockString.mjs), its heuristics computed on the bytes. */
static void write_block_string(writer *w, const char *s, size_t n, bool minimize)
{
    /* Lines split at \r\n, \r or \n. forceLeadingNewLine: several lines and
     * every line after the first empty or starting with a space or tab. */
    bool single_line = true;
    bool force_leading_newline = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\r' && s[i] != '\n')
            continue;
        single_line = false;
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
            i++;
        size_t next = i + 1; /* first byte of the next line */
        if (next < n && s[next] != '\r' && s[next] != '\n' && !is_white_space(s[next]))
            force_leading_newline = false;
    }
    if (single_line)
        force_leading_newline = false;

    /* The escaped value ends with \""" when the value ends with a run of
     * quotes whose length is a positive multiple of three. */
    size_t quotes = 0;
    while (quotes < n && s[n - 1 - quotes] == '"')
        quotes++;
    bool trailing_triple_quotes = quotes >= 3 && quotes % 3 == 0;
    bool trailing_quote = quotes > 0 && !trailing_triple_quotes;
    bool trailing_slash = n > 0 && s[n - 1] == '\\';
    bool force_trailing_newline = trailing_quote || trailing_slash;

    bool multiple_lines = !minimize &&
        (!single_line || utf16_length(s, n) > 70 || force_trailing_newline ||
         force_leading_newline || trailing_triple_quotes);
    bool skip_leading_newline = single_line && n > 0 && is_white_space(s[0]);

    emit(w, "\"\"\"", 3);
    if ((multiple_lines && !skip_leading_newline) || force_leading_newline)
        emit(w, "\n", 1);
    write_escaped_triple_quotes(w, s, n);
    if (multiple_lines || force_trailing_newline)
        emit(w, "\n", 1);
    emit(w, "\"\"\"", 3);
}

/* ---- join / wrap / block / indent ------------------------------------------ */

static void print_node(writer *w, const gql_node *node);

/* join(list, sep) */
static void print_list(writer *w, const gql_list *list, const char *sep)
{
    for (uint32_t i = 0; i < list->count; i++) {
        if (i > 0)
            put(w, sep);
        print_node(w, list->items[i]);
    }
}

/* wrap(start, join(list, sep), end): nothing when the list is empty. */
static void print_wrapped_list(writer *w, const char *start, const gql_list *list,
                               const char *sep, const char *end)
{
    if (list->count == 0)
        return;
    put(w, start);
    print_list(w, list, sep);
    put(w, end);
}

/* wrap(open + "\n", join(list, "\n").indent(), "\n" + close); block() is
 * this with braces. */
static void print_indented_list(writer *w, const gql_list *list, const char *open,
                                const char *close)
{
    if (list->count == 0)
        return;
    put(w, open);
    w->depth++;
    put(w, "\n");
    print_list(w, list, "\n");
    w->depth--;
    put(w, "\n");
    put(w, close);
}

/* wrap(" ", block(list)) */
static void print_block(writer *w, const gql_list *list)
{
    if (list->count == 0)
        return;
    put(w, " ");
    print_indented_list(w, list, "{", "}");
}

/* wrap(" ", join(directives, " ")) */
static void print_directives(writer *w, const gql_list *directives)
{
    print_wrapped_list(w, " ", directives, " ", "");
}

/* wrap("", description, "\n") */
static void print_description(writer *w, const gql_node *description)
{
    if (!description)
        return;
    print_node(w, description);
    put(w, "\n");
}

/* Measures node as printed at indentation 0 (graphql-js PrintBuffer length
 * and newlines; no indent() ever occurs inside the nodes measured here). */
static writer measure(const gql_node *node)
{
    writer m = {NULL, 0, 0, 0};
    print_node(&m, node);
    return m;
}

/* hasMultilineItems(list) */
static bool has_multiline_items(const gql_list *list)
{
    for (uint32_t i = 0; i < list->count; i++)
        if (measure(list->items[i]).newlines != 0)
            return true;
    return false;
}

/* Argument definitions of fields and directives: one per line when any of
 * them spans several lines. */
static void print_argument_defs(writer *w, const gql_list *args)
{
    if (has_multiline_items(args))
        print_indented_list(w, args, "(", ")");
    else
        print_wrapped_list(w, "(", args, ", ", ")");
}

/* wrappedLineAndArgs(prefix, args) for a field, prefix being "alias: name". */
static void print_field_head(writer *w, const gql_node *field)
{
    size_t line = 0;
    if (field->alias) {
        print_node(w, field->alias);
        put(w, ": ");
        line += utf16_length(field->alias->value, field->alias->value_len) + 2;
    }
    print_node(w, field->name);
    if (field->arguments.count == 0)
        return;
    if (field->name)
        line += utf16_length(field->name->value, field->name->value_len);
    for (uint32_t i = 0; i < field->arguments.count; i++)
        line += (i > 0 ? 2 : 0) + measure(field->arguments.items[i]).length;
    if (line + 2 > MAX_LINE_LENGTH)
        print_indented_list(w, &field->arguments, "(", ")");
    else
        print_wrapped_list(w, "(", &field->arguments, ", ", ")");
}

static void print_operation(writer *w, const gql_node *op)
{
    bool has_var_defs = op->variable_definitions.count > 0;
    /* The short form `{ ... }`: an anonymous query with nothing before its
     * selection set (graphql-js: prefix.length === operation.length). */
    if (op->operation == GQL_OP_QUERY && !op->description && !op->name &&
        !has_var_defs && op->directives.count == 0) {
        print_node(w, op->selection_set);
        return;
    }
    print_description(w, op->description);
    put(w, gql_operation_name((gql_operation_type)op->operation));
    if (op->name || has_var_defs)
        put(w, " ");
    print_node(w, op->name);
    /* Multi-line variable definitions are not indented in graphql-js. */
    if (has_multiline_items(&op->variable_definitions))
        print_wrapped_list(w, "(\n", &op->variable_definitions, "\n", "\n)");
    else
        print_wrapped_list(w, "(", &op->variable_definitions, ", ", ")");
    print_directives(w, &op->directives);
    put(w, " ");
    print_node(w, op->selection_set);
}

/* The keyword of a type system definition or extension. */
static const char *type_system_keyword(gql_kind kind)
{
    switch (kind) {
    case GQL_SCHEMA_DEFINITION: return "schema";
    case GQL_SCALAR_TYPE_DEFINITION: return "scalar";
    case GQL_OBJECT_TYPE_DEFINITION: return "type";
    case GQL_INTERFACE_TYPE_DEFINITION: return "interface";
    case GQL_UNION_TYPE_DEFINITION: return "union";
    case GQL_ENUM_TYPE_DEFINITION: return "enum";
    case GQL_INPUT_OBJECT_TYPE_DEFINITION: return "input";
    case GQL_SCHEMA_EXTENSION: return "extend schema";
    case GQL_SCALAR_TYPE_EXTENSION: return "extend scalar";
    case GQL_OBJECT_TYPE_EXTENSION: return "extend type";
    case GQL_INTERFACE_TYPE_EXTENSION: return "extend interface";
    case GQL_UNION_TYPE_EXTENSION: return "extend union";
    case GQL_ENUM_TYPE_EXTENSION: return "extend enum";
    case GQL_INPUT_OBJECT_TYPE_EXTENSION: return "extend input";
    default: return "";
    }
}

/*
 * Schema, type definitions and their extensions, all of the shape
 *   join([description "\n"], join([keyword, name, "implements" interfaces,
 *        directives, block(members) | "= " union members], " ")).
 * Extensions carry no description in graphql-js's printer.
 */
static void print_type_system_node(writer *w, const gql_node *n)
{
    gql_kind kind = (gql_kind)n->kind;
    if (!gql_kind_is_type_system_extension(kind))
        print_description(w, n->description);
    put(w, type_system_keyword(kind));
    if (n->name) {
        put(w, " ");
        print_node(w, n->name);
    }
    print_wrapped_list(w, " implements ", &n->interfaces, " & ", "");
    print_directives(w, &n->directives);
    switch (kind) {
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_UNION_TYPE_EXTENSION:
        print_wrapped_list(w, " = ", &n->types, " | ", "");
        break;
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_SCALAR_TYPE_EXTENSION:
        break;
    default: /* the operation types, fields or enum values */
        print_block(w, &n->fields);
        break;
    }
}

/* ---- Nodes -------------------------------------------------------------------- */

/* printDocASTReducer; recursion is bounded by the tree's depth. */
static void print_node(writer *w, const gql_node *n)
{
    if (!n)
        return;
    switch ((gql_kind)n->kind) {
    case GQL_NAME:
    case GQL_INT:
    case GQL_FLOAT:
    case GQL_ENUM:
        emit(w, n->value, n->value_len);
        break;
    case GQL_VARIABLE:
        put(w, "$");
        print_node(w, n->name);
        break;
    case GQL_DOCUMENT:
        print_list(w, &n->definitions, "\n\n");
        break;
    case GQL_OPERATION_DEFINITION:
        print_operation(w, n);
        break;
    case GQL_VARIABLE_DEFINITION:
        print_description(w, n->description);
        print_node(w, n->variable);
        put(w, ": ");
        print_node(w, n->type);
        if (n->default_value) {
            put(w, " = ");
            print_node(w, n->default_value);
        }
        print_directives(w, &n->directives);
        break;
    case GQL_SELECTION_SET:
        print_indented_list(w, &n->selections, "{", "}");
        break;
    case GQL_FIELD:
        print_field_head(w, n);
        print_directives(w, &n->directives);
        if (n->selection_set) {
            put(w, " ");
            print_node(w, n->selection_set);
        }
        break;
    case GQL_ARGUMENT:
    case GQL_OBJECT_FIELD:
        print_node(w, n->name);
        put(w, ": ");
        print_node(w, n->value_node);
        break;
    case GQL_FRAGMENT_SPREAD:
        put(w, "...");
        print_node(w, n->name);
        print_directives(w, &n->directives);
        break;
    case GQL_INLINE_FRAGMENT:
        put(w, "...");
        if (n->type_condition) {
            put(w, " on ");
            print_node(w, n->type_condition);
        }
        print_directives(w, &n->directives);
        if (n->selection_set) {
            put(w, " ");
            print_node(w, n->selection_set);
        }
        break;
    case GQL_FRAGMENT_DEFINITION:
        print_description(w, n->description);
        put(w, "fragment ");
        print_node(w, n->name);
        /* Experimental fragment variables (graphql-js prints them too). */
        print_wrapped_list(w, "(", &n->variable_definitions, ", ", ")");
        put(w, " on ");
        print_node(w, n->type_condition);
        put(w, " ");
        print_wrapped_list(w, "", &n->directives, " ", " ");
        print_node(w, n->selection_set);
        break;
    case GQL_STRING:
        if (n->flags & GQL_FLAG_BLOCK)
            write_block_string(w, n->value, n->value_len, false);
        else
            write_string(w, n->value, n->value_len);
        break;
    case GQL_BOOLEAN:
        put(w, (n->flags & GQL_FLAG_TRUE) ? "true" : "false");
        break;
    case GQL_NULL:
        put(w, "null");
        break;
    case GQL_LIST:
        put(w, "[");
        print_list(w, &n->values, ", ");
        put(w, "]");
        break;
    case GQL_OBJECT:
        put(w, "{");
        print_list(w, &n->fields, ", ");
        put(w, "}");
        break;
    case GQL_DIRECTIVE:
        put(w, "@");
        print_node(w, n->name);
        print_wrapped_list(w, "(", &n->arguments, ", ", ")");
        break;
    case GQL_NAMED_TYPE:
        print_node(w, n->name);
        break;
    case GQL_LIST_TYPE:
        put(w, "[");
        print_node(w, n->type);
        put(w, "]");
        break;
    case GQL_NON_NULL_TYPE:
        print_node(w, n->type);
        put(w, "!");
        break;
    case GQL_OPERATION_TYPE_DEFINITION:
        put(w, gql_operation_name((gql_operation_type)n->operation));
        put(w, ": ");
        print_node(w, n->type);
        break;
    case GQL_FIELD_DEFINITION:
        print_description(w, n->description);
        print_node(w, n->name);
        print_argument_defs(w, &n->arguments);
        put(w, ": ");
        print_node(w, n->type);
        print_directives(w, &n->directives);
        break;
    case GQL_INPUT_VALUE_DEFINITION:
        print_description(w, n->description);
        print_node(w, n->name);
        put(w, ": ");
        print_node(w, n->type);
        if (n->default_value) {
            put(w, " = ");
            print_node(w, n->default_value);
        }
        print_directives(w, &n->directives);
        break;
    case GQL_ENUM_VALUE_DEFINITION:
        print_description(w, n->description);
        print_node(w, n->name);
        print_directives(w, &n->directives);
        break;
    case GQL_DIRECTIVE_DEFINITION:
        print_description(w, n->description);
        put(w, "directive @");
        print_node(w, n->name);
        print_argument_defs(w, &n->arguments);
        print_directives(w, &n->directives);
        if (n->flags & GQL_FLAG_REPEATABLE)
            put(w, " repeatable");
        put(w, " on ");
        print_list(w, &n->locations, " | ");
        break;
    case GQL_SCHEMA_DEFINITION:
    case GQL_SCALAR_TYPE_DEFINITION:
    case GQL_OBJECT_TYPE_DEFINITION:
    case GQL_INTERFACE_TYPE_DEFINITION:
    case GQL_UNION_TYPE_DEFINITION:
    case GQL_ENUM_TYPE_DEFINITION:
    case GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case GQL_SCHEMA_EXTENSION:
    case GQL_SCALAR_TYPE_EXTENSION:
    case GQL_OBJECT_TYPE_EXTENSION:
    case GQL_INTERFACE_TYPE_EXTENSION:
    case GQL_UNION_TYPE_EXTENSION:
    case GQL_ENUM_TYPE_EXTENSION:
    case GQL_INPUT_OBJECT_TYPE_EXTENSION:
        print_type_system_node(w, n);
        break;
    case GQL_KIND_COUNT_:
        break;
    }
}

/* ---- Public API ------------------------------------------------------------- */

void gql_print_to(gql_buf *out, const gql_node *node)
{
    writer w = {out, 0, 0, 0};
    print_node(&w, node);
}

/* The returned string is malloc-owned by the caller (free()); NULL when out
 * of memory. A block string holding a NUL byte prints it raw, as graphql-js
 * does, so callers that must not stop at a NUL use gql_print_to and the
 * buffer's length. */
char *gql_print(const gql_node *node)
{
    gql_buf b = GQL_BUF_INIT;
    gql_print_to(&b, node);
    return gql_buf_take(&b);
}

void gql_print_string(gql_buf *out, const char *s, size_t n)
{
    writer w = {out, 0, 0, 0};
    write_string(&w, s, n);
}

void gql_print_block_string(gql_buf *out, const char *s, size_t n, int minimize)
{
    writer w = {out, 0, 0, 0};
    write_block_string(&w, s, n, minimize != 0);
}
