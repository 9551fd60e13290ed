/* validate_bench.c: parse + validate throughput of one document against one
 * schema (the C side of bench/validate.sh). Prints "OPS_PER_SEC ERRORS". */
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>
#include <gqlsse/validate.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* One parse + validate; returns the number of errors, -1 on a syntax error. */
static long once(const gql_schema *schema, const char *src, size_t len)
{
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(src, len, NULL, &errs);
    long n = -1;
    if (doc)
        n = (long)gql_validate(schema, doc, NULL, &errs);
    gql_document_free(doc);
    gql_error_list_clear(&errs);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: validate_bench SCHEMA DOC [SECONDS]\n", stderr);
        return 2;
    }
    double seconds = argc > 3 ? atof(argv[3]) : 2.0;
    char *report = NULL;
    const char *paths[1] = {argv[1]};
    gql_schema *schema = gql_schema_load_files(paths, 1, NULL, &report);
    if (!schema) {
        fprintf(stderr, "schema: %s\n", report ? report : "?");
        return 2;
    }
    size_t len;
    char *src = read_all(argv[2], &len);
    if (!src) {
        perror(argv[2]);
        return 2;
    }
    long errors = 0;
    for (int i = 0; i < 200; i++)
        errors = once(schema, src, len);
    long ops = 0;
    double start = now(), elapsed = 0;
    while (elapsed < seconds) {
        for (int i = 0; i < 50; i++)
            errors = once(schema, src, len);
        ops += 50;
        elapsed = now() - start;
    }
    printf("%.0f %ld\n", (double)ops / elapsed, errors);
    free(src);
    free(report);
    gql_schema_free(schema);
    return 0;
}
