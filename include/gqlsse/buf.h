/* gqlsse/buf.h: growable byte buffer (malloc-owned) with JSON string output
 * that matches JavaScript's JSON.stringify byte for byte. */
#ifndef GQLSSE_BUF_H
#define GQLSSE_BUF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Zero-initialise (GQL_BUF_INIT) before use. `data` is always NUL-terminated
 * once anything was appended. On allocation failure `oom` is set and further
 * appends are ignored, so callers check once at the end. Not thread-safe. */
typedef struct gql_buf {
    char *data;
    size_t len;
    size_t cap;
    int oom;
} gql_buf;

#define GQL_BUF_INIT {NULL, 0, 0, 0}

void gql_buf_append(gql_buf *b, const char *s, size_t n);
void gql_buf_puts(gql_buf *b, const char *s);
void gql_buf_putc(gql_buf *b, char c);
void gql_buf_printf(gql_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends `s` (n bytes of UTF-8) as a JSON string literal, quotes included,
 * escaped as JSON.stringify escapes: \" \\ \b \f \n \r \t, other controls as
 * \u00XX, encoded surrogates (WTF-8 ED A0..BF xx) as \udXXX; invalid UTF-8
 * bytes become U+FFFD as a JavaScript decoder would read them, and the
 * overlong pair C0 80 (how error messages carry U+0000) becomes \u0000. */
void gql_buf_json_string(gql_buf *b, const char *s, size_t n);

/* Gives the data to the caller (free() it) and resets the buffer. Returns
 * NULL if the buffer ran out of memory (its memory is then freed). */
char *gql_buf_take(gql_buf *b);
void gql_buf_free(gql_buf *b);
void gql_buf_reset(gql_buf *b); /* len = 0, keeps capacity */

/* Decodes one code point from UTF-8 at s[0..n) the way the WHATWG decoder
 * does (a maximal invalid subpart reads as U+FFFD). Stores the number of bytes
 * consumed (>= 1 when n > 0) in *used. */
unsigned gql_utf8_decode(const unsigned char *s, size_t n, size_t *used);
/* Encodes a code point (surrogates too, as WTF-8); returns bytes written (1..4). */
size_t gql_utf8_encode(unsigned cp, char out[4]);

#ifdef __cplusplus
}
#endif
#endif
