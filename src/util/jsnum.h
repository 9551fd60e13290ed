/* jsnum.h: JavaScript's Number-to-string conversion (Number.prototype.toString
 * for finite doubles), so numbers print exactly as graphql-js prints them. */
#ifndef GQLSSE_JSNUM_H
#define GQLSSE_JSNUM_H

#include <stddef.h>

/* Longest output: "-1.2345678901234567e-308" plus NUL. */
#define GQL_JSNUM_BUFSIZE 32

/*
 * Writes String(v) as JavaScript would: the shortest digits that read back
 * as v, fixed notation for 1e-7 < |v| < 1e21, else "1.5e+21" / "1e-7";
 * -0 prints "0", NaN "NaN", infinities "Infinity"/"-Infinity".
 * Returns the length written to `out` (NUL-terminated).
 * NOTE: uses snprintf/strtod, so LC_NUMERIC must be the "C" locale (the
 * default unless the program calls setlocale). Thread-safe otherwise.
 */
size_t gql_jsnum_format(double v, char out[GQL_JSNUM_BUFSIZE]);

#endif
