/* suggestion.c: "Did you mean" suggestions exactly as graphql-js 16 makes
 * them (jsutils/suggestionList.ts, didYouMean.ts, naturalCompare.ts). */
#include "config.h"

#include "graphql/suggestion.h"

#include <stdlib.h>
#include <string.h>

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

int gql_natural_compare(const char *a, const char *b)
{
    size_t alen = strlen(a), blen = strlen(b);
    size_t ai = 0, bi = 0;
    while (ai < alen && bi < blen) {
        int ac = (unsigned char)a[ai];
        int bc = (unsigned char)b[bi];
        if (is_digit(ac) && is_digit(bc)) {
            /* Same loop shape as graphql-js: a leading zero ends the run. */
            double an = 0, bn = 0;
            do {
                ++ai;
                an = an * 10 + (ac - '0');
                ac = ai < alen ? (unsigned char)a[ai] : -1;
            } while (is_digit(ac) && an > 0);
            do {
                ++bi;
                bn = bn * 10 + (bc - '0');
                bc = bi < blen ? (unsigned char)b[bi] : -1;
            } while (is_digit(bc) && bn > 0);
            if (an < bn)
                return -1;
            if (an > bn)
                return 1;
        } else {
            if (ac < bc)
                return -1;
            if (ac > bc)
                return 1;
            ++ai;
            ++bi;
        }
    }
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* LexicalDistance.measure: Damerau-Levenshtein on lower-cased names with
 * graphql-js's early exits. Returns -1 for "undefined". */
static int measure(const char *input, const char *option, int threshold, int *rows)
{
    if (strcmp(input, option) == 0)
        return 0;
    size_t il = strlen(input), ol = strlen(option);
    if (il == ol) {
        size_t i = 0;
        while (i < il && lower((unsigned char)input[i]) == lower((unsigned char)option[i]))
            i++;
        if (i == il)
            return 1; /* any case change counts as a single edit */
    }
    const char *a = option, *b = input;
    size_t alen = ol, blen = il;
    if (alen < blen) {
        a = input;
        b = option;
        alen = il;
        blen = ol;
    }
    if ((long)alen - (long)blen > threshold)
        return -1;
    size_t w = blen + 1;
    int *r[3] = {rows, rows + w, rows + 2 * w};
    for (size_t j = 0; j <= blen; j++)
        r[0][j] = (int)j;
    for (size_t i = 1; i <= alen; i++) {
        int *up = r[(i - 1) % 3];
        int *cur = r[i % 3];
        int smallest = cur[0] = (int)i;
        for (size_t j = 1; j <= blen; j++) {
            int cost = lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 1]) ? 0 : 1;
            int cell = up[j] + 1;
            if (cur[j - 1] + 1 < cell)
                cell = cur[j - 1] + 1;
            if (up[j - 1] + cost < cell)
                cell = up[j - 1] + cost;
            if (i > 1 && j > 1 && lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1])) {
                int dd = r[(i - 2) % 3][j - 2] + 1;
                if (dd < cell)
                    cell = dd;
            }
            if (cell < smallest)
                smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold)
            return -1;
    }
    int d = r[alen % 3][blen];
    return d <= threshold ? d : -1;
}

typedef struct scored {
    const char *name;
    int distance;
} scored;

static int scored_cmp(const void *x, const void *y)
{
    const scored *a = x, *b = y;
    if (a->distance != b->distance)
        return a->distance - b->distance;
    return gql_natural_compare(a->name, b->name);
}

size_t gql_suggestion_list(const char *input, const char *const *options, size_t noptions,
                           const char **out)
{
    if (noptions == 0)
        return 0;
    size_t il = strlen(input);
    int threshold = (int)((il * 4) / 10) + 1; /* Math.floor(len * 0.4) + 1 */
    size_t maxlen = il;
    for (size_t i = 0; i < noptions; i++) {
        size_t l = strlen(options[i]);
        if (l > maxlen)
            maxlen = l;
    }
    int *rows = malloc(3 * (maxlen + 1) * sizeof *rows);
    scored *sc = malloc(noptions * sizeof *sc);
    if (!rows || !sc) {
        free(rows);
        free(sc);
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < noptions; i++) {
        int dup = 0;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(sc[k].name, options[i]) == 0;
        if (dup)
            continue;
        int d = measure(input, options[i], threshold, rows);
        if (d >= 0) {
            sc[n].name = options[i];
            sc[n].distance = d;
            n++;
        }
    }
    qsort(sc, n, sizeof *sc, scored_cmp);
    for (size_t i = 0; i < n; i++)
        out[i] = sc[i].name;
    free(rows);
    free(sc);
    return n;
}

void gql_did_you_mean(gql_buf *out, const char *sub_message, const char *const *suggestions,
                      size_t n)
{
    if (n == 0)
        return;
    gql_buf_puts(out, " Did you mean ");
    if (sub_message) {
        gql_buf_puts(out, sub_message);
        gql_buf_putc(out, ' ');
    }
    if (n == 1) {
        gql_buf_printf(out, "\"%s\"?", suggestions[0]);
        return;
    }
    if (n == 2) {
        gql_buf_printf(out, "\"%s\" or \"%s\"?", suggestions[0], suggestions[1]);
        return;
    }
    if (n > 5)
        n = 5;
    for (size_t i = 0; i + 1 < n; i++)
        gql_buf_printf(out, "\"%s\", ", suggestions[i]);
    gql_buf_printf(out, "or \"%s\"?", suggestions[n - 1]);
}
