/* cmd_execute.c: `gqlsse execute`: parse, validate and execute a document
 * against a schema and a root JSON value; prints the response JSON as the
 * graphql-js oracle does. */
#include "config.h"

#include "bin/cli.h"

#include <gqlsse/execute.h>
#include <gqlsse/validate.h>

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void execute_usage(FILE *f)
{
    fputs("Usage: gqlsse execute --schema FILE [options] [DOC|-]\n"
          "\n"
          "Executes a GraphQL document against a schema, resolving fields by\n"
          "property name from a root JSON value (abstract types through\n"
          "\"__typename\"), and prints the response {\"errors\":[...],\"data\":...}.\n"
          "DOC defaults to standard input.\n"
          "\n"
          "Options:\n"
          "  --schema FILE        schema in SDL (required; repeatable)\n"
          "  --root FILE          the root value, a JSON file (default: undefined)\n"
          "  --variables JSON     variable values, a JSON object; @FILE reads a file\n"
          "  --operation NAME     the operation to run\n"
          "  --max-bytes N, --max-tokens N, --max-depth N   parse limits\n"
          "  -h, --help           show this help\n"
          "\n"
          "Exit status: 0 no errors, 1 errors in the response,\n"
          "2 usage, I/O, JSON or schema error.\n",
          f);
}

/* Parses JSON as JSON.parse: a new reference in *out, or -1 with a message
 * on stderr naming `what`. */
static int parse_json(const char *what, const char *text, size_t len, json_object **out)
{
    char err[128];
    if (gql_json_parse(text, len, out, err, sizeof err) < 0) {
        fprintf(stderr, "gqlsse: %s is not valid JSON: %s\n", what, err);
        return -1;
    }
    return 0;
}

int gqlsse_cmd_execute(int argc, char **argv)
{
    const char *doc_path = NULL, *root_path = NULL;
    cli_schema_files schema_files = {{0}, 0};
    const char *variables_arg = NULL, *operation = NULL;
    gql_parse_options opts = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            execute_usage(stdout);
            return CLI_OK;
        } else if ((r = cli_parse_schema_option(argc, argv, &i, &schema_files)) != 0) {
            if (r < 0)
                return CLI_USAGE;
        } else if (strcmp(a, "--root") == 0 || strcmp(a, "--variables") == 0 ||
                   strcmp(a, "--operation") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "gqlsse: %s needs a value\n", a);
                return CLI_USAGE;
            }
            if (a[2] == 'r')
                root_path = argv[i];
            else if (a[2] == 'v')
                variables_arg = argv[i];
            else
                operation = argv[i];
        } else if ((r = cli_parse_limit_option(argc, argv, &i, &opts)) != 0) {
            if (r < 0)
                return CLI_USAGE;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "gqlsse: unknown option %s\n", a);
            execute_usage(stderr);
            return CLI_USAGE;
        } else if (doc_path) {
            fputs("gqlsse: execute takes one document\n", stderr);
            return CLI_USAGE;
        } else {
            doc_path = a;
        }
    }
    if (schema_files.n == 0) {
        fputs("gqlsse: execute needs --schema FILE\n", stderr);
        execute_usage(stderr);
        return CLI_USAGE;
    }

    int rc = CLI_USAGE;
    size_t len;
    char *doc_src = NULL, *text = NULL;
    gql_document *doc = NULL;
    json_object *root = NULL, *variables = NULL;
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_result result = GQL_RESULT_INIT;
    gql_schema *schema = cli_load_schema(&schema_files);
    if (!schema)
        goto out;
    if (root_path) {
        text = cli_read_file(root_path, 0, &len);
        if (!text || parse_json("the root value", text, len, &root) < 0)
            goto out;
        free(text);
        text = NULL;
    }
    if (variables_arg) {
        if (variables_arg[0] == '@') {
            text = cli_read_file(variables_arg + 1, 0, &len);
            if (!text)
                goto out;
        } else {
            len = strlen(variables_arg);
        }
        if (parse_json("--variables", text ? text : variables_arg, len, &variables) < 0)
            goto out;
        if (variables && json_object_get_type(variables) != json_type_object &&
            json_object_get_type(variables) != json_type_array) {
            fputs("gqlsse: --variables must be a JSON object\n", stderr);
            goto out;
        }
    }
    doc_src = cli_read_file(doc_path, 0, &len);
    if (!doc_src)
        goto out;
    doc = gql_parse(doc_src, len, &opts, &errors);
    if (doc)
        gql_validate(schema, doc, NULL, &errors);
    if (!doc || errors.count > 0) {
        cli_print_errors_json(&errors);
        rc = CLI_ERRORS;
        goto out;
    }
    gql_execute_args args = {
        .schema = schema,
        .document = doc,
        .root_value = root,
        .variables = variables,
        .operation_name = operation,
    };
    if (gql_execute(&args, &result) < 0) {
        fputs("gqlsse: out of memory\n", stderr);
        goto out;
    }
    gql_buf out = GQL_BUF_INIT;
    gql_result_to_json(&out, &result);
    gql_buf_putc(&out, '\n');
    if (out.oom) {
        fputs("gqlsse: out of memory\n", stderr);
    } else {
        fwrite(out.data, 1, out.len, stdout);
        rc = result.errors.count ? CLI_ERRORS : CLI_OK;
    }
    gql_buf_free(&out);
out:
    gql_result_clear(&result);
    json_object_put(root);
    json_object_put(variables);
    gql_document_free(doc);
    gql_schema_free(schema);
    gql_error_list_clear(&errors);
    free(doc_src);
    free(text);
    return rc;
}
