/* jsnum.c: Number.prototype.toString for doubles (see jsnum.h): the shortest
 * round-tripping digits, laid out by ECMAScript's Number::toString rules. */
#include "config.h"

#include "util/jsnum.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Powers of ten that doubles hold exactly. */
static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
 * The fast path for the common numbers (integers, prices, short decimals),
 * with no printf/strtod round trips. For a positive finite a, finds an
 * integer m < 10^15 and a scale s <= 22 with m / 10^s == a (IEEE division
 * of exact operands is correctly rounded, so the decimal m*10^-s reads back
 * as a). A decimal of at most 15 significant digits reads back uniquely
 * (DBL_DIG), so that decimal *is* the shortest round-tripping one, the
 * digits JavaScript prints. Stores the digits (trailing zeros removed) in
 * digits[], their count in *k and ECMAScript's decimal point position in
 * *n; returns 0, or -1 when a needs the general path. Integers below 2^53
 * are exact and take the same path with s = 0 up to 16 digits.
 */
static int short_decimal(double a, char digits[20], int *k, int *n)
{
    uint64_t m = 0;
    int s = -1;
    if (a < 9007199254740992.0 && a >= 1e-7) {
        for (int i = 0; i <= 22; i++) {
            double x = a * pow10_exact[i];
            if (x >= (i == 0 ? 9007199254740992.0 : 1e15))
                break;
            double r = nearbyint(x);
            if (r / pow10_exact[i] == a) {
                m = (uint64_t)r;
                s = i;
                break;
            }
        }
    }
    if (s < 0 || m == 0)
        return -1;
    char tmp[20];
    int len = 0;
    while (m) {
        tmp[len++] = (char)('0' + m % 10);
        m /= 10;
    }
    int z = 0; /* trailing zeros of m */
    while (z < len - 1 && tmp[z] == '0')
        z++;
    for (int i = 0; i < len - z; i++)
        digits[i] = tmp[len - 1 - i];
    digits[len - z] = '\0';
    *k = len - z;
    *n = len - s;
    return 0;
}

size_t gql_jsnum_format(double v, char out[GQL_JSNUM_BUFSIZE])
{
    if (isnan(v))
        return (size_t)snprintf(out, GQL_JSNUM_BUFSIZE, "NaN");
    if (isinf(v))
        return (size_t)snprintf(out, GQL_JSNUM_BUFSIZE, v < 0 ? "-Infinity" : "Infinity");
    if (v == 0)
        return (size_t)snprintf(out, GQL_JSNUM_BUFSIZE, "0");

    char digits[20];
    int k, n, neg = v < 0;
    if (short_decimal(neg ? -v : v, digits, &k, &n) < 0) {
        /* Shortest precision whose correctly rounded digits read back as v. */
        char tmp[40];
        int prec;
        for (prec = 1; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
            if (strtod(tmp, NULL) == v)
                break;
        }
        /* tmp = [-]d[.ddd]e[+-]xx: collect the digits and the exponent. */
        const char *p = tmp + neg;
        k = 0;
        for (; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9')
                digits[k++] = *p;
        while (k > 1 && digits[k - 1] == '0')
            k--;
        digits[k] = '\0';
        n = atoi(p + 1) + 1; /* position of the decimal point, ECMAScript's n */
    }

    char *o = out;
    if (neg)
        *o++ = '-';
    if (k <= n && n <= 21) {
        memcpy(o, digits, (size_t)k);
        o += k;
        for (int i = 0; i < n - k; i++)
            *o++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(o, digits, (size_t)n);
        o += n;
        *o++ = '.';
        memcpy(o, digits + n, (size_t)(k - n));
        o += k - n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; i++)
            *o++ = '0';
        memcpy(o, digits, (size_t)k);
        o += k;
    } else {
        *o++ = digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)(k - 1));
            o += k - 1;
        }
        o += snprintf(o, 8, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
    *o = '\0';
    return (size_t)(o - out);
}
