/* execute_bench.c: execution throughput of one pre-parsed, validated document
 * (the C side of bench/execute.sh). Prints "OPS_PER_SEC RESPONSE_BYTES".
 *   execute_bench tree|introspection SCHEMA DOC ROOT.json|- SECONDS   gql_execute
 *   execute_bench event SCHEMA DOC EVENT.json SECONDS          gql_plan_map_event */
#include <gqlsse/execute.h>
#include <gqlsse/parser.h>
#include <gqlsse/schema.h>
#include <gqlsse/validate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns the file's bytes NUL-terminated (malloc-owned by the caller), NULL on error. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
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

typedef struct bench {
    int event_mode;
    const gql_schema *schema;
    const gql_document *doc;
    json_object *root;
    gql_plan *plan; /* event mode: planned once, as for a subscriber */
    gql_buf out;    /* the response text, reused */
} bench;

/* One operation: execute (or map the event) and print the response as a
 * server would. Returns the response length, 0 on failure. */
static size_t once(bench *b)
{
    gql_result res = GQL_RESULT_INIT;
    int rc;
    if (b->event_mode) {
        rc = gql_plan_map_event(b->plan, b->root, NULL, &res);
    } else {
        gql_execute_args args = {.schema = b->schema, .document = b->doc, .root_value = b->root};
        rc = gql_execute(&args, &res);
    }
    gql_buf_reset(&b->out);
    gql_result_to_json(&b->out, &res);
    gql_result_clear(&res);
    return rc == 0 ? b->out.len : 0;
}

/* Runs once() repeatedly for `seconds`; returns ops/s. */
static double timed(bench *b, double seconds)
{
    long ops = 0, batch = 1;
    double start = now(), elapsed;
    for (;;) {
        for (long i = 0; i < batch; i++)
            once(b);
        ops += batch;
        elapsed = now() - start;
        if (elapsed >= seconds)
            break;
        if (elapsed < seconds / 20)
            batch *= 2;
    }
    return (double)ops / elapsed;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fputs("usage: execute_bench tree|event|introspection SCHEMA DOC ROOT|- SECONDS\n", stderr);
        return 2;
    }
    bench b = {0};
    b.event_mode = strcmp(argv[1], "event") == 0;
    double seconds = atof(argv[5]);
    char *report = NULL;
    const char *paths[1] = {argv[2]};
    gql_schema *schema = gql_schema_load_files(paths, 1, NULL, &report);
    if (!schema) {
        fprintf(stderr, "schema: %s\n", report ? report : "?");
        return 2;
    }
    size_t len;
    char *src = read_all(argv[3], &len);
    if (!src) {
        perror(argv[3]);
        return 2;
    }
    gql_error_list errs = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(src, len, NULL, &errs);
    if (!doc || gql_validate(schema, doc, NULL, &errs) > 0) {
        fprintf(stderr, "%s: %s\n", argv[3], errs.count ? errs.items[0].message : "?");
        return 2;
    }
    if (strcmp(argv[4], "-") != 0) {
        size_t rlen;
        char *rtext = read_all(argv[4], &rlen);
        char msg[200];
        if (!rtext || gql_json_parse(rtext, rlen, &b.root, msg, sizeof msg) < 0) {
            fprintf(stderr, "%s: %s\n", argv[4], rtext ? msg : "cannot read");
            return 2;
        }
        free(rtext);
    }
    b.schema = schema;
    b.doc = doc;
    if (b.event_mode) {
        gql_plan_args pa = {.schema = schema, .document = doc};
        b.plan = gql_plan_new(&pa);
        gql_result res = GQL_RESULT_INIT;
        if (!b.plan || gql_plan_subscribe_errors(b.plan, &res) != 0) {
            fputs("event: the subscription cannot start\n", stderr);
            return 2;
        }
        gql_result_clear(&res);
    }
    size_t bytes = once(&b);
    if (getenv("EXECUTE_BENCH_PRINT"))
        fprintf(stderr, "%.*s\n", (int)b.out.len, b.out.data);
    timed(&b, seconds / 4 < 1 ? seconds / 4 : 1); /* warm-up */
    double rates[5];
    for (int r = 0; r < 5; r++)
        rates[r] = timed(&b, seconds / 5);
    qsort(rates, 5, sizeof rates[0], cmp_double);
    printf("%.0f %zu\n", rates[2], bytes);
    gql_plan_free(b.plan);
    gql_buf_free(&b.out);
    json_object_put(b.root);
    gql_document_free(doc);
    gql_error_list_clear(&errs);
    free(src);
    free(report);
    gql_schema_free(schema);
    return 0;
}
