/* cli.c: shared helpers of the `gqlsse` command line. */
#include "config.h"

#include "bin/cli.h"

#include <gqlsse/buf.h>
#include <gqlsse/schema.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cli_read_file(const char *path, size_t max_bytes, size_t *len)
{
    int is_stdin = !path || strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "gqlsse: cannot open %s: %s\n", name, strerror(errno));
        return NULL;
    }
    gql_buf b = GQL_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        gql_buf_append(&b, chunk, n);
        if (max_bytes && b.len > max_bytes) {
            fprintf(stderr, "gqlsse: %s is larger than %zu bytes\n", name, max_bytes);
            gql_buf_free(&b);
            if (!is_stdin)
                fclose(f);
            return NULL;
        }
    }
    int err = ferror(f);
    if (!is_stdin)
        fclose(f);
    if (err) {
        fprintf(stderr, "gqlsse: cannot read %s\n", name);
        gql_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    char *data = gql_buf_take(&b);
    if (!data)
        fprintf(stderr, "gqlsse: out of memory reading %s\n", name);
    return data;
}

int cli_parse_uint(const char *opt, const char *text, unsigned long *out)
{
    char *end;
    errno = 0;
    if (!text || !*text || *text == '-') {
        fprintf(stderr, "gqlsse: %s needs a positive number\n", opt);
        return -1;
    }
    unsigned long v = strtoul(text, &end, 10);
    if (errno || *end || v == 0 || v > 0xFFFFFFFFul) {
        fprintf(stderr, "gqlsse: %s needs a positive number, not '%s'\n", opt, text);
        return -1;
    }
    *out = v;
    return 0;
}

void cli_print_errors_json(const gql_error_list *errors)
{
    gql_buf b = GQL_BUF_INIT;
    gql_buf_puts(&b, "{\"errors\":");
    gql_error_list_to_json(&b, errors);
    gql_buf_puts(&b, "}\n");
    if (b.oom)
        fputs("gqlsse: out of memory\n", stderr);
    else
        fwrite(b.data, 1, b.len, stdout);
    gql_buf_free(&b);
}

void cli_print_errors_text(const char *file, const gql_error_list *errors)
{
    for (uint32_t i = 0; i < errors->count; i++) {
        const gql_error *e = &errors->items[i];
        if (e->nlocations)
            fprintf(stderr, "%s:%u:%u: %s\n", file, e->locations[0].line, e->locations[0].column,
                    e->message);
        else
            fprintf(stderr, "%s: %s\n", file, e->message);
    }
}

int cli_parse_limit_option(int argc, char **argv, int *i, gql_parse_options *opts)
{
    const char *opt = argv[*i];
    unsigned long v;
    if (strcmp(opt, "--max-bytes") && strcmp(opt, "--max-tokens") && strcmp(opt, "--max-depth"))
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "gqlsse: %s needs a value\n", opt);
        return -1;
    }
    if (cli_parse_uint(opt, argv[*i + 1], &v) < 0)
        return -1;
    if (strcmp(opt, "--max-bytes") == 0)
        opts->max_source_bytes = v;
    else if (strcmp(opt, "--max-tokens") == 0)
        opts->max_tokens = (uint32_t)v;
    else
        opts->max_depth = (uint32_t)v;
    *i += 1;
    return 1;
}

int cli_parse_schema_option(int argc, char **argv, int *i, cli_schema_files *files)
{
    const char *a = argv[*i], *value;
    if (strcmp(a, "--schema") == 0) {
        if (*i + 1 >= argc) {
            fputs("gqlsse: --schema needs a file\n", stderr);
            return -1;
        }
        value = argv[++*i];
    } else if (strncmp(a, "--schema=", 9) == 0) {
        value = a + 9;
    } else {
        return 0;
    }
    if (files->n == CLI_MAX_SCHEMA_FILES) {
        fprintf(stderr, "gqlsse: at most %d --schema files\n", CLI_MAX_SCHEMA_FILES);
        return -1;
    }
    files->paths[files->n++] = value;
    return 1;
}

gql_schema *cli_load_schema(const cli_schema_files *files)
{
    char *report = NULL;
    gql_schema *schema = gql_schema_load_files(files->paths, files->n, NULL, &report);
    if (!schema) {
        fputs("gqlsse: invalid schema:\n", stderr);
        if (report)
            fputs(report, stderr);
    }
    free(report);
    return schema;
}
