/* store.h: the state of single connection mode in memcached (reservations,
 * stream locks, operation ids, session lookups), shared by every worker
 * process. Keys and values: docs/single-connection.md. */
#ifndef GQLSSE_HTTP_STORE_H
#define GQLSSE_HTTP_STORE_H

#include <stddef.h>

#define GQLSSE_TOKEN_LEN 32          /* lower-case hex digits of a stream token */
#define GQLSSE_IDENTITY_MAX 256      /* bytes of an identity (user name) */
#define GQLSSE_OPERATION_ID_MAX 128  /* bytes of an operation id */

/* One memcached client (libmemcached). Not thread-safe: created, used and
 * freed by one thread (the worker's loop thread). Every call blocks for at
 * most about the configured timeout (memcached is expected on loopback or a
 * near host); a server that failed is not retried for a second, so an
 * unreachable memcached costs little per request. */
typedef struct gqlsse_store gqlsse_store;

typedef enum gqlsse_store_status {
    GQLSSE_STORE_OK = 0,
    GQLSSE_STORE_EXISTS = 1,   /* add: the key is already there (a lock held by someone) */
    GQLSSE_STORE_NOTFOUND = 2, /* no such key (or not ours) */
    GQLSSE_STORE_DOWN = -1,    /* memcached unreachable or failing: gqlsse_store_error */
    GQLSSE_STORE_EINVAL = -2   /* refused before asking memcached (bad token, id, cookie) */
} gqlsse_store_status;

typedef struct gqlsse_store_options {
    const char *servers;        /* "HOST:PORT[,HOST:PORT...]"; NULL: "127.0.0.1:11211" */
    const char *prefix;         /* key prefix; NULL: "gqlsse:" */
    const char *session_prefix; /* session key = this + cookie value; NULL: "session:" */
    unsigned lock_ttl;          /* seconds of a stream lock between touches; 0: 30 */
    unsigned timeout_ms;        /* connect and I/O timeout; 0: 200 */
    const char *holder;         /* stored in the locks we take (diagnostics); NULL: "HOST:PID" */
} gqlsse_store_options;

/* Creates a client for `o` (nothing is connected yet: the first call
 * connects). Returns it, owned by the caller (gqlsse_store_free), or NULL
 * with a message in err (bad server list, out of memory). */
gqlsse_store *gqlsse_store_new(const gqlsse_store_options *o, char *err, size_t errlen);
void gqlsse_store_free(gqlsse_store *st);

/* What the last failing call met (owned by st, valid until the next call). */
const char *gqlsse_store_error(const gqlsse_store *st);

/* The configured lock TTL in seconds. */
unsigned gqlsse_store_lock_ttl(const gqlsse_store *st);

/* Fills out with a fresh stream token: 32 lower-case hex digits (128 bits
 * from getrandom) and a NUL. Returns 0, -1 when no randomness is available.
 * Thread-safe. */
int gqlsse_token_new(char out[GQLSSE_TOKEN_LEN + 1]);

/* 1 when s (n bytes) has the shape of a token (32 lower-case hex digits). */
int gqlsse_token_ok(const char *s, size_t n);

/* Finds cookie `name` in a Cookie header ("a=1; b=2"). Returns 1 with the
 * value (borrowed from `header`, quotes removed) in *val and *len, 0 when absent.
 * Thread-safe (no state). */
int gqlsse_cookie_find(const char *header, const char *name, const char **val, size_t *len);

/* The identity of a session: reads session_prefix + `cookie` (n bytes) and
 * copies the first line of the value, trimmed, into out[outlen] (at most
 * GQLSSE_IDENTITY_MAX bytes). OK; NOTFOUND when there is no such session or
 * its first line is empty; EINVAL when the cookie cannot be a key (empty,
 * longer than 200 bytes, spaces or control bytes); DOWN. */
gqlsse_store_status gqlsse_store_session_identity(gqlsse_store *st, const char *cookie, size_t n,
                                                  char *out, size_t outlen);

/* Reserves a new token for `identity`, replacing its previous reservation:
 * writes the new token into token[] and the replaced one (or "") into old[].
 * OK, EINVAL (identity empty or too long), DOWN (then nothing changed). */
gqlsse_store_status gqlsse_store_reserve(gqlsse_store *st, const char *identity,
                                         char token[GQLSSE_TOKEN_LEN + 1],
                                         char old[GQLSSE_TOKEN_LEN + 1]);

/* Checks that `token` is the current reservation of `identity`: OK, NOTFOUND
 * (none, another one, or not a token at all), DOWN. */
gqlsse_store_status gqlsse_store_check(gqlsse_store *st, const char *identity, const char *token);

/* Ends the reservation of `identity` if it is still `token` (a newer one is
 * left alone: compare-and-swap). OK, NOTFOUND, DOWN. */
gqlsse_store_status gqlsse_store_unreserve(gqlsse_store *st, const char *identity,
                                           const char *token);

/* The stream lock of `token`: an atomic add with the lock TTL. OK (taken),
 * EXISTS (held: "Stream already open"), DOWN. */
gqlsse_store_status gqlsse_store_lock(gqlsse_store *st, const char *token);
/* Pushes the lock's expiry to now + TTL (the holder does this every TTL/3).
 * OK, NOTFOUND (expired or taken away), DOWN. */
gqlsse_store_status gqlsse_store_lock_touch(gqlsse_store *st, const char *token);
/* OK when the lock is held (the stream is open), NOTFOUND, DOWN. */
gqlsse_store_status gqlsse_store_lock_held(gqlsse_store *st, const char *token);
/* Releases it. OK, NOTFOUND, DOWN. */
gqlsse_store_status gqlsse_store_unlock(gqlsse_store *st, const char *token);

/* The claim of operation id `id` (n bytes, any bytes, at most
 * GQLSSE_OPERATION_ID_MAX) on the stream of `token`: an atomic add with the
 * lock TTL, so a claim whose release failed (memcached failing at that
 * moment, a crash) outlives its operation by at most that long; whoever
 * keeps the operation touches it meanwhile (gqlsse_store_op_touch). OK,
 * EXISTS ("Operation with ID already exists"), EINVAL (id too long), DOWN. */
gqlsse_store_status gqlsse_store_op_claim(gqlsse_store *st, const char *token, const char *id,
                                          size_t n);
/* OK while claimed, NOTFOUND once released (cancelled), DOWN. */
gqlsse_store_status gqlsse_store_op_held(gqlsse_store *st, const char *token, const char *id,
                                         size_t n);
/* Pushes the claim's expiry to now + lock TTL (never creates it): OK while
 * claimed, NOTFOUND once released or expired, DOWN. */
gqlsse_store_status gqlsse_store_op_touch(gqlsse_store *st, const char *token, const char *id,
                                          size_t n);
/* Releases the claim. OK, NOTFOUND, DOWN. */
gqlsse_store_status gqlsse_store_op_release(gqlsse_store *st, const char *token, const char *id,
                                            size_t n);

#endif
