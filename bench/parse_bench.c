/* parse_bench.c: parse throughput of gqlsse's parser (gql_parse + free).
 *
 *   parse_bench [-s] [-t SECONDS] [-r RUNS] FILE...
 *
 * For each FILE: a short warm-up, then RUNS (default 5) timed runs that each
 * parse the document repeatedly for SECONDS/RUNS (SECONDS default 2); prints
 * one line per file, the median run:
 *
 *   NAME <TAB> BYTES <TAB> DOCS_PER_S <TAB> MB_PER_S      (MB = 10^6 bytes)
 *
 * -s (stepped): before the warm-up and before each timed run, wait for a
 * line on standard input; after each, print a line: "# warm NAME", then one
 * NAME <TAB> BYTES <TAB> DOCS_PER_S <TAB> MB_PER_S line per run (no median).
 * bench/run.sh uses it to alternate these runs with graphql-js's, so that both
 * parsers see the same moments of a noisy machine.
 *
 * Built and run by bench/run.sh, next to bench/parse_bench.mjs (graphql-js).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gqlsse/error.h>
#include <gqlsse/parser.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    *len = n;
    return buf;
}

static unsigned long parse_once(const char *src, size_t len, const char *name)
{
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_document *doc = gql_parse(src, len, NULL, &errors);
    if (!doc) {
        fprintf(stderr, "parse_bench: %s does not parse: %s\n", name,
                errors.count ? errors.items[0].message : "(no error)");
        exit(1);
    }
    unsigned long tokens = doc->token_count;
    gql_document_free(doc);
    return tokens;
}

/* Parses for about `seconds`; returns documents per second. */
static double timed_run(const char *src, size_t len, const char *name, double seconds,
                        unsigned long *sink)
{
    unsigned long iters = 0, batch = 1;
    double start = now(), elapsed;
    for (;;) {
        for (unsigned long i = 0; i < batch; i++)
            *sink += parse_once(src, len, name);
        iters += batch;
        elapsed = now() - start;
        if (elapsed >= seconds)
            break;
        if (elapsed < seconds / 100)
            batch *= 2;
    }
    return (double)iters / elapsed;
}

/* Stepped mode: waits for a line on stdin; 0 at its end. */
static int step(void)
{
    int c;
    while ((c = getchar()) != EOF && c != '\n')
        ;
    return c != EOF;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    double seconds = 2.0;
    int runs = 5, i = 1, stepped = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-s"))
            stepped = 1;
        else if (!strcmp(argv[i], "-t") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: parse_bench [-s] [-t SECONDS] [-r RUNS] FILE...\n");
            return 2;
        }
    }
    if (i == argc || seconds <= 0 || runs < 1 || runs > 100) {
        fprintf(stderr, "usage: parse_bench [-s] [-t SECONDS] [-r RUNS] FILE...\n");
        return 2;
    }
    unsigned long sink = 0;
    for (; i < argc; i++) {
        size_t len;
        char *src = read_file(argv[i], &len);
        if (!src)
            return 1;
        const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        double rates[100];
        if (stepped && !step())
            break;
        timed_run(src, len, name, seconds / 10, &sink); /* warm-up */
        if (stepped) {
            printf("# warm %s\n", name);
            fflush(stdout);
        }
        for (int r = 0; r < runs; r++) {
            if (stepped && !step())
                break;
            rates[r] = timed_run(src, len, name, seconds / runs, &sink);
            if (stepped) {
                printf("%s\t%zu\t%.1f\t%.2f\n", name, len, rates[r], rates[r] * (double)len / 1e6);
                fflush(stdout);
            }
        }
        if (stepped) {
            free(src);
            continue;
        }
        qsort(rates, (size_t)runs, sizeof rates[0], cmp_double);
        double docs = runs % 2 ? rates[runs / 2] : (rates[runs / 2 - 1] + rates[runs / 2]) / 2;
        printf("%s\t%zu\t%.1f\t%.2f\n", name, len, docs, docs * (double)len / 1e6);
        fflush(stdout);
        free(src);
    }
    return sink == 0; /* keeps the parses observable */
}
