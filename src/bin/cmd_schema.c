/* cmd_schema.c: `gqlsse print-schema`: builds the schema from SDL files as
 * graphql-js buildSchema + validateSchema would and prints printSchema. */
#include "config.h"

#include "bin/cli.h"
#include "bin/cmd_schema.h"

#include <gqlsse/schema.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_PRINTED = 0, EXIT_TROUBLE = 2 };

static void usage(FILE *f)
{
    fputs("Usage: gqlsse print-schema --schema FILE [--schema FILE...] [--json-errors]\n"
          "                           [--no-validate]\n"
          "\n"
          "Builds the schema from the SDL files (taken together, in order, as one\n"
          "document) like graphql-js buildSchema, validates it like validateSchema and\n"
          "prints it like printSchema.\n"
          "\n"
          "  --schema FILE    an SDL file (repeatable)\n"
          "  --json-errors    on an invalid schema, also print {\"errors\":[...]} on stdout\n"
          "                   (graphql-js messages and locations)\n"
          "  --no-validate    print a schema that fails graphql-js validateSchema (no\n"
          "                   query type, bad implementations...) as printSchema would;\n"
          "                   errors in the SDL itself are still refused\n"
          "\n"
          "Exit status: 0 printed; 2 usage, I/O or schema error (each problem on stderr\n"
          "as FILE:LINE:COLUMN: message).\n",
          f);
}

/* Writes {"errors":[{"message":...,"locations":[...]}]} like graphql-js. */
int gqlsse_cmd_print_schema(int argc, char **argv)
{
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    int json_errors = 0;
    unsigned flags = 0;
    if (!paths) {
        fputs("gqlsse: out of memory\n", stderr);
        return EXIT_TROUBLE;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(paths);
            return EXIT_PRINTED;
        } else if (strcmp(a, "--schema") == 0) {
            if (i + 1 >= argc) {
                fputs("gqlsse: --schema needs a file\n", stderr);
                free(paths);
                return EXIT_TROUBLE;
            }
            paths[npaths++] = argv[++i];
        } else if (strncmp(a, "--schema=", 9) == 0) {
            paths[npaths++] = a + 9;
        } else if (strcmp(a, "--json-errors") == 0) {
            json_errors = 1;
        } else if (strcmp(a, "--no-validate") == 0) {
            flags |= GQL_SCHEMA_NO_VALIDATE;
        } else {
            fprintf(stderr, "gqlsse: print-schema: unexpected argument '%s'\n\n", a);
            usage(stderr);
            free(paths);
            return EXIT_TROUBLE;
        }
    }
    if (npaths == 0) {
        fputs("gqlsse: print-schema needs --schema FILE\n\n", stderr);
        usage(stderr);
        free(paths);
        return EXIT_TROUBLE;
    }

    gql_error_list errors = GQL_ERROR_LIST_INIT;
    char *text = NULL;
    gql_schema *schema = gql_schema_load_files_flags(paths, npaths, flags, &errors, &text);
    free(paths);
    if (!schema) {
        if (text)
            fputs(text, stderr);
        if (json_errors)
            cli_print_errors_json(&errors);
        free(text);
        gql_error_list_clear(&errors);
        return EXIT_TROUBLE;
    }
    gql_error_list_clear(&errors);

    gql_buf out = GQL_BUF_INIT;
    gql_schema_print_to(&out, schema);
    gql_buf_putc(&out, '\n');
    int rc = EXIT_PRINTED;
    if (out.oom) {
        fputs("gqlsse: out of memory\n", stderr);
        rc = EXIT_TROUBLE;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        perror("gqlsse: stdout");
        rc = EXIT_TROUBLE;
    }
    gql_buf_free(&out);
    gql_schema_free(schema);
    return rc;
}
