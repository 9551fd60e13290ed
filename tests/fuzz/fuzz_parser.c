/* fuzz_parser.c: libFuzzer target for the lexer, parser and printer.
 *
 * For each input: parse it (small limits, so each run stays fast); a syntax
 * error must come back as exactly one error with a message and a sane
 * location. A parsed document is printed (graphql-js print()), the printed
 * text must parse again, and printing that must give the same text, as it
 * does in graphql-js (except in the one ambiguous shape print_is_ambiguous
 * describes). Any violation abort()s with the input and the printed text on
 * stderr.
 *
 *   make fuzz                          # builds fuzz/fuzz_parser (clang)
 *   make fuzz-run FUZZ_SECONDS=300     # runs it on tests/fuzz/corpus/parser
 *   ./fuzz/fuzz_parser CRASH-FILE      # replays one input
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gqlsse/buf.h>
#include <gqlsse/error.h>
#include <gqlsse/parser.h>
#include <gqlsse/printer.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void dump(const char *what, const char *s, size_t n)
{
    fprintf(stderr, "---- %s (%zu bytes) ----\n", what, n);
    fwrite(s, 1, n, stderr);
    fprintf(stderr, "\n---- end of %s ----\n", what);
}

static void fail(const char *why, const uint8_t *data, size_t size, const gql_buf *printed,
                 const gql_error_list *errors)
{
    fprintf(stderr, "fuzz_parser: %s\n", why);
    if (errors) {
        for (uint32_t i = 0; i < errors->count; i++) {
            const gql_error *e = &errors->items[i];
            fprintf(stderr, "  error: %s", e->message ? e->message : "(null)");
            if (e->nlocations)
                fprintf(stderr, " at %u:%u", e->locations[0].line, e->locations[0].column);
            fputc('\n', stderr);
        }
    }
    dump("input", (const char *)data, size);
    if (printed)
        dump("printed", printed->data ? printed->data : "", printed->len);
    abort();
}

/* One syntax error, with a "Syntax Error: " message and one location inside
 * the source (lines and UTF-16 columns start at 1). */
static void check_error(const gql_error_list *errors, const uint8_t *data, size_t size)
{
    if (errors->count != 1)
        fail("a failed parse must report exactly one error", data, size, NULL, errors);
    const gql_error *e = &errors->items[0];
    if (!e->message || strncmp(e->message, "Syntax Error: ", 14) != 0)
        fail("the error message does not start with \"Syntax Error: \"", data, size, NULL, errors);
    if (e->nlocations != 1 || !e->locations)
        fail("a syntax error must have exactly one location", data, size, NULL, errors);
    gql_location loc = e->locations[0];
    if (loc.line < 1 || loc.column < 1 || loc.line > size + 1 || loc.column > size + 1)
        fail("the error location is out of range", data, size, NULL, errors);
}

/*
 * graphql-js prints a shorthand query as `{ ... }`, so when it follows a
 * definition whose braced body is optional and empty (`enum E @d`, `type T`,
 * `extend schema @d`, ...), the printed text reads the query as that body:
 * print(parse("enum E query { A }")) is "enum E\n\n{\n  A\n}", which parses
 * as an enum with a value A (and `type T query { a(x: 1) }` prints something
 * that does not parse at all). gqlsse's printer matches graphql-js there, so
 * such documents are exempt from the round-trip checks.
 */
static int print_is_ambiguous(const gql_node *root)
{
    const gql_list *defs = &root->definitions;
    for (uint32_t i = 1; i < defs->count; i++) {
        const gql_node *prev = defs->items[i - 1], *op = defs->items[i];
        if (op->kind != GQL_OPERATION_DEFINITION || op->operation != GQL_OP_QUERY || op->name ||
            op->description || op->variable_definitions.count || op->directives.count)
            continue;
        switch (prev->kind) {
        case GQL_OBJECT_TYPE_DEFINITION:
        case GQL_OBJECT_TYPE_EXTENSION:
        case GQL_INTERFACE_TYPE_DEFINITION:
        case GQL_INTERFACE_TYPE_EXTENSION:
        case GQL_INPUT_OBJECT_TYPE_DEFINITION:
        case GQL_INPUT_OBJECT_TYPE_EXTENSION:
            if (prev->fields.count == 0)
                return 1;
            break;
        case GQL_ENUM_TYPE_DEFINITION:
        case GQL_ENUM_TYPE_EXTENSION:
            if (prev->values.count == 0)
                return 1;
            break;
        case GQL_SCHEMA_EXTENSION:
            if (prev->operation_types.count == 0)
                return 1;
            break;
        default:
            break;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Small limits keep every run fast; the printed document is re-parsed with
     * room to spare (printing adds indentation, never tokens or nesting). */
    const gql_parse_options small = {4096, 1000, 32};
    const gql_parse_options roomy = {16u << 20, 100000, 200};

    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse((const char *)data, size, &small, &errors);
    if (!doc) {
        check_error(&errors, data, size);
        gql_error_list_clear(&errors);
        return 0;
    }
    if (errors.count != 0)
        fail("a successful parse must not report errors", data, size, NULL, &errors);
    if (!doc->root)
        fail("a parsed document has no root", data, size, NULL, NULL);

    gql_buf printed = GQL_BUF_INIT;
    gql_print_to(&printed, doc->root);
    if (printed.oom || print_is_ambiguous(doc->root)) {
        gql_buf_free(&printed);
        gql_document_free(doc);
        return 0;
    }

    gql_document *again = gql_parse(printed.data ? printed.data : "", printed.len, &roomy, &errors);
    if (!again)
        fail("the printed document does not parse", data, size, &printed, &errors);

    gql_buf reprinted = GQL_BUF_INIT;
    gql_print_to(&reprinted, again->root);
    if (!reprinted.oom &&
        (reprinted.len != printed.len ||
         (printed.len && memcmp(reprinted.data, printed.data, printed.len) != 0))) {
        dump("printed again", reprinted.data ? reprinted.data : "", reprinted.len);
        fail("printing the printed document gives a different text", data, size, &printed, NULL);
    }

    /* Also exercise the malloc-owned variant. */
    char *s = gql_print(doc->root);
    free(s);

    gql_buf_free(&reprinted);
    gql_buf_free(&printed);
    gql_document_free(again);
    gql_document_free(doc);
    gql_error_list_clear(&errors);
    return 0;
}
