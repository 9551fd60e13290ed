/* cmd_validate.c: `gqlsse validate` (parse + graphql-js validate against an SDL
 * schema) and `gqlsse format`. */
#include "config.h"

#include "bin/cli.h"

#include <gqlsse/printer.h>
#include <gqlsse/schema.h>
#include <gqlsse/validate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void validate_usage(FILE *f)
{
    fputs("Usage: gqlsse validate --schema FILE [options] [DOC|-]\n"
          "\n"
          "Checks a GraphQL document against a schema and prints {\"errors\":[...]}\n"
          "(each error with message and locations, as graphql-js reports them).\n"
          "DOC defaults to standard input.\n"
          "\n"
          "Options:\n"
          "  --schema FILE      schema in SDL (required; repeat to read several files\n"
          "                     together as one schema)\n"
          "  --max-bytes N      refuse documents larger than N bytes (default 1048576)\n"
          "  --max-tokens N     refuse documents with more than N tokens (default 100000)\n"
          "  --max-depth N      refuse documents nested deeper than N (default 200)\n"
          "  -h, --help         show this help\n"
          "\n"
          "Exit status: 0 valid, 1 invalid (syntax or validation errors),\n"
          "2 usage, I/O or schema error.\n",
          f);
}

int gqlsse_cmd_validate(int argc, char **argv)
{
    const char *doc_path = NULL;
    cli_schema_files schema_files = {{0}, 0};
    gql_parse_options opts = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            validate_usage(stdout);
            return CLI_OK;
        } else if ((r = cli_parse_schema_option(argc, argv, &i, &schema_files)) != 0) {
            if (r < 0)
                return CLI_USAGE;
        } else if ((r = cli_parse_limit_option(argc, argv, &i, &opts)) != 0) {
            if (r < 0)
                return CLI_USAGE;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "gqlsse: unknown option %s\n", a);
            validate_usage(stderr);
            return CLI_USAGE;
        } else if (doc_path) {
            fputs("gqlsse: validate takes one document\n", stderr);
            return CLI_USAGE;
        } else {
            doc_path = a;
        }
    }
    if (schema_files.n == 0) {
        fputs("gqlsse: validate needs --schema FILE\n", stderr);
        validate_usage(stderr);
        return CLI_USAGE;
    }

    int rc = CLI_USAGE;
    size_t doc_len;
    char *doc_src = NULL;
    gql_document *doc = NULL;
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_schema *schema = cli_load_schema(&schema_files);
    if (!schema)
        goto out;
    doc_src = cli_read_file(doc_path, 0, &doc_len);
    if (!doc_src)
        goto out;
    doc = gql_parse(doc_src, doc_len, &opts, &errors);
    if (doc)
        gql_validate(schema, doc, NULL, &errors);
    cli_print_errors_json(&errors);
    rc = errors.count ? CLI_ERRORS : CLI_OK;
out:
    gql_document_free(doc);
    gql_schema_free(schema);
    gql_error_list_clear(&errors);
    free(doc_src);
    return rc;
}

static void format_usage(FILE *f)
{
    fputs("Usage: gqlsse format [options] [DOC|-]\n"
          "\n"
          "Prints a GraphQL document (executable or SDL) in canonical form, exactly\n"
          "as graphql-js print() does. On a syntax error prints {\"errors\":[...]}.\n"
          "\n"
          "Options: --max-bytes N, --max-tokens N, --max-depth N (as for validate)\n"
          "Exit status: 0 printed, 1 syntax error, 2 usage or I/O error.\n",
          f);
}

int gqlsse_cmd_format(int argc, char **argv)
{
    const char *doc_path = NULL;
    gql_parse_options opts = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            format_usage(stdout);
            return CLI_OK;
        } else if ((r = cli_parse_limit_option(argc, argv, &i, &opts)) != 0) {
            if (r < 0)
                return CLI_USAGE;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "gqlsse: unknown option %s\n", a);
            format_usage(stderr);
            return CLI_USAGE;
        } else if (doc_path) {
            fputs("gqlsse: format takes one document\n", stderr);
            return CLI_USAGE;
        } else {
            doc_path = a;
        }
    }
    size_t len;
    char *src = cli_read_file(doc_path, 0, &len);
    if (!src)
        return CLI_USAGE;
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(src, len, &opts, &errors);
    int rc;
    if (!doc) {
        cli_print_errors_json(&errors);
        rc = CLI_ERRORS;
    } else {
        /* Printed text may hold NUL bytes (block strings keep them raw). */
        gql_buf out = GQL_BUF_INIT;
        gql_print_to(&out, doc->root);
        gql_buf_putc(&out, '\n');
        if (out.oom) {
            fputs("gqlsse: out of memory\n", stderr);
            rc = CLI_USAGE;
        } else {
            fwrite(out.data, 1, out.len, stdout);
            rc = CLI_OK;
        }
        gql_buf_free(&out);
    }
    gql_document_free(doc);
    gql_error_list_clear(&errors);
    free(src);
    return rc;
}
