/* store.c: single connection mode's shared state in memcached (libmemcached,
 * text protocol). Atomic `add` is the lock primitive; see store.h. */
#include "config.h"

#include "http/store.h"

#include <libmemcached/memcached.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define KEY_MAX 250         /* memcached's limit */
#define PREFIX_MAX 40       /* memcached_prefix */
#define SESSION_PREFIX_MAX 48
#define COOKIE_MAX 200
#define ENC_IDENTITY_MAX 200 /* an identity, percent-encoded */
#define ENC_OPID_MAX 160     /* an operation id, percent-encoded */

struct gqlsse_store {
    memcached_st *mc;
    char prefix[PREFIX_MAX + 1];
    char session_prefix[SESSION_PREFIX_MAX + 1];
    unsigned lock_ttl;
    char holder[128];
    char err[256];
};

static int key_bytes_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return 0;
    return 1;
}

/* "HOST[:PORT]" entries separated by commas, each non-empty, ports 1..65535
 * (libmemcached's own parser accepts nearly anything). */
static int servers_ok(const char *s)
{
    if (!*s)
        return 0;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        const char *colon = memchr(s, ':', n);
        size_t host = colon ? (size_t)(colon - s) : n;
        if (host == 0)
            return 0;
        for (size_t i = 0; i < host; i++)
            if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
                return 0;
        if (colon) {
            size_t pl = n - host - 1;
            unsigned long port = 0;
            if (pl == 0 || pl > 5)
                return 0;
            for (size_t i = 0; i < pl; i++) {
                if (colon[1 + i] < '0' || colon[1 + i] > '9')
                    return 0;
                port = port * 10 + (unsigned long)(colon[1 + i] - '0');
            }
            if (port == 0 || port > 65535)
                return 0;
        }
        if (!e)
            break;
        s = e + 1;
        if (!*s)
            return 0;
    }
    return 1;
}

gqlsse_store *gqlsse_store_new(const gqlsse_store_options *o, char *err, size_t errlen)
{
    gqlsse_store_options d = {0};
    if (o)
        d = *o;
    const char *servers = d.servers ? d.servers : "127.0.0.1:11211";
    const char *prefix = d.prefix ? d.prefix : "gqlsse:";
    const char *sprefix = d.session_prefix ? d.session_prefix : "session:";
    if (strlen(prefix) > PREFIX_MAX || !key_bytes_ok(prefix, strlen(prefix))) {
        snprintf(err, errlen, "memcached_prefix: at most %d printable bytes without spaces",
                 PREFIX_MAX);
        return NULL;
    }
    if (strlen(sprefix) > SESSION_PREFIX_MAX || !key_bytes_ok(sprefix, strlen(sprefix))) {
        snprintf(err, errlen, "session_key_prefix: at most %d printable bytes without spaces",
                 SESSION_PREFIX_MAX);
        return NULL;
    }
    memcached_server_list_st list = servers_ok(servers) ? memcached_servers_parse(servers) : NULL;
    if (!list || memcached_server_list_count(list) == 0) {
        memcached_server_list_free(list);
        snprintf(err, errlen, "memcached: cannot parse server list '%s' (HOST:PORT[,HOST:PORT])",
                 servers);
        return NULL;
    }
    gqlsse_store *st = calloc(1, sizeof *st);
    if (!st || !(st->mc = memcached_create(NULL))) {
        memcached_server_list_free(list);
        free(st);
        snprintf(err, errlen, "memcached: out of memory");
        return NULL;
    }
    memcached_return_t rc = memcached_server_push(st->mc, list);
    memcached_server_list_free(list);
    if (rc != MEMCACHED_SUCCESS) {
        snprintf(err, errlen, "memcached: %s", memcached_strerror(st->mc, rc));
        gqlsse_store_free(st);
        return NULL;
    }
    unsigned timeout = d.timeout_ms ? d.timeout_ms : 200;
    memcached_behavior_set(st->mc, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, timeout);
    memcached_behavior_set(st->mc, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, timeout);
    memcached_behavior_set(st->mc, MEMCACHED_BEHAVIOR_SND_TIMEOUT, (uint64_t)timeout * 1000);
    memcached_behavior_set(st->mc, MEMCACHED_BEHAVIOR_RCV_TIMEOUT, (uint64_t)timeout * 1000);
    /* A failed server is retried after 1 s (not the default 2 s), so a
     * restarted memcached is used again quickly; meanwhile calls fail at once. */
    memcached_behavior_set(st->mc, MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, 1);
    memcached_behavior_set(st->mc, MEMCACHED_BEHAVIOR_SUPPORT_CAS, 1);
    memcached_behavior_set(st->mc, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1);
    snprintf(st->prefix, sizeof st->prefix, "%s", prefix);
    snprintf(st->session_prefix, sizeof st->session_prefix, "%s", sprefix);
    st->lock_ttl = d.lock_ttl ? d.lock_ttl : 30;
    if (d.holder)
        snprintf(st->holder, sizeof st->holder, "%s", d.holder);
    else {
        char host[64] = "localhost";
        gethostname(host, sizeof host - 1);
        host[sizeof host - 1] = '\0';
        snprintf(st->holder, sizeof st->holder, "%s:%ld", host, (long)getpid());
    }
    return st;
}

void gqlsse_store_free(gqlsse_store *st)
{
    if (!st)
        return;
    if (st->mc)
        memcached_free(st->mc);
    free(st);
}

const char *gqlsse_store_error(const gqlsse_store *st)
{
    return st->err;
}

unsigned gqlsse_store_lock_ttl(const gqlsse_store *st)
{
    return st->lock_ttl;
}

/* ---- tokens, cookies, keys ---- */

int gqlsse_token_new(char out[GQLSSE_TOKEN_LEN + 1])
{
    unsigned char r[GQLSSE_TOKEN_LEN / 2];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof r; i++) {
        out[2 * i] = hex[r[i] >> 4];
        out[2 * i + 1] = hex[r[i] & 15];
    }
    out[GQLSSE_TOKEN_LEN] = '\0';
    return 0;
}

int gqlsse_token_ok(const char *s, size_t n)
{
    if (!s || n != GQLSSE_TOKEN_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

int gqlsse_cookie_find(const char *header, const char *name, const char **val, size_t *len)
{
    if (!header || !name || !*name)
        return 0;
    size_t nl = strlen(name);
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *start = p;
        while (*p && *p != ';' && *p != '=')
            p++;
        const char *kend = p;
        while (kend > start && (kend[-1] == ' ' || kend[-1] == '\t'))
            kend--;
        if (*p != '=') {
            continue; /* a nameless or valueless part: skip it */
        }
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        const char *v = p;
        while (*p && *p != ';')
            p++;
        const char *vend = p;
        while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
            vend--;
        if ((size_t)(kend - start) == nl && memcmp(start, name, nl) == 0) {
            if (vend - v >= 2 && v[0] == '"' && vend[-1] == '"') {
                v++;
                vend--;
            }
            *val = v;
            *len = (size_t)(vend - v);
            return 1;
        }
    }
    return 0;
}

static int safe_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-' || c == '~' || c == '@' || c == '+';
}

/* Appends s (n bytes) percent-encoded to key[*len] up to `max` encoded
 * bytes; -1 when longer. */
static int put_encoded(char *key, size_t *len, const char *s, size_t n, size_t max)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t start = *len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t need = safe_byte(c) ? 1 : 3;
        if (*len - start + need > max)
            return -1;
        if (need == 1)
            key[(*len)++] = (char)c;
        else {
            key[(*len)++] = '%';
            key[(*len)++] = hex[c >> 4];
            key[(*len)++] = hex[c & 15];
        }
    }
    key[*len] = '\0';
    return 0;
}

static size_t put_raw(char *key, size_t len, const char *s)
{
    size_t n = strlen(s);
    memcpy(key + len, s, n);
    key[len + n] = '\0';
    return len + n;
}

/* PREFIX res:IDENTITY; -1 when the identity is empty or too long. */
static int res_key(const gqlsse_store *st, const char *identity, char key[KEY_MAX + 1], size_t *len)
{
    size_t n = identity ? strlen(identity) : 0;
    if (n == 0 || n > GQLSSE_IDENTITY_MAX)
        return -1;
    *len = put_raw(key, 0, st->prefix);
    *len = put_raw(key, *len, "res:");
    return put_encoded(key, len, identity, n, ENC_IDENTITY_MAX);
}

/* PREFIX lock:TOKEN; -1 when token is not a token. */
static int lock_key(const gqlsse_store *st, const char *token, char key[KEY_MAX + 1], size_t *len)
{
    if (!token || !gqlsse_token_ok(token, strlen(token)))
        return -1;
    *len = put_raw(key, 0, st->prefix);
    *len = put_raw(key, *len, "lock:");
    *len = put_raw(key, *len, token);
    return 0;
}

/* PREFIX op:TOKEN:ID */
static int op_key(const gqlsse_store *st, const char *token, const char *id, size_t n,
                  char key[KEY_MAX + 1], size_t *len)
{
    if (!token || !gqlsse_token_ok(token, strlen(token)) || n > GQLSSE_OPERATION_ID_MAX)
        return -1;
    *len = put_raw(key, 0, st->prefix);
    *len = put_raw(key, *len, "op:");
    *len = put_raw(key, *len, token);
    *len = put_raw(key, *len, ":");
    return put_encoded(key, len, id, n, ENC_OPID_MAX);
}

/* ---- memcached calls ---- */

static gqlsse_store_status fail(gqlsse_store *st, memcached_return_t rc, const char *what)
{
    const char *detail = memcached_last_error_message(st->mc);
    snprintf(st->err, sizeof st->err, "memcached %s: %s", what,
             detail && *detail ? detail : memcached_strerror(st->mc, rc));
    return GQLSSE_STORE_DOWN;
}

/* The value of `key` (malloc-owned, NUL-terminated) in *out; its CAS in *cas
 * when cas is not NULL. */
static gqlsse_store_status get(gqlsse_store *st, const char *key, size_t klen, char **out,
                               uint64_t *cas)
{
    *out = NULL;
    if (!cas) {
        size_t vlen = 0;
        uint32_t flags = 0;
        memcached_return_t rc;
        char *v = memcached_get(st->mc, key, klen, &vlen, &flags, &rc);
        if (rc == MEMCACHED_NOTFOUND) {
            free(v);
            return GQLSSE_STORE_NOTFOUND;
        }
        if (rc != MEMCACHED_SUCCESS) {
            free(v);
            return fail(st, rc, "get");
        }
        if (!v) {
            v = strdup("");
            if (!v)
                return fail(st, MEMCACHED_MEMORY_ALLOCATION_FAILURE, "get");
        }
        *out = v;
        return GQLSSE_STORE_OK;
    }
    const char *keys[1] = {key};
    size_t lens[1] = {klen};
    memcached_return_t rc = memcached_mget(st->mc, keys, lens, 1);
    if (rc != MEMCACHED_SUCCESS)
        return fail(st, rc, "gets");
    gqlsse_store_status status = GQLSSE_STORE_NOTFOUND;
    memcached_result_st *r;
    while ((r = memcached_fetch_result(st->mc, NULL, &rc)) != NULL) {
        if (!*out) {
            size_t n = memcached_result_length(r);
            *out = malloc(n + 1);
            if (*out) {
                memcpy(*out, memcached_result_value(r), n);
                (*out)[n] = '\0';
                *cas = memcached_result_cas(r);
                status = GQLSSE_STORE_OK;
            }
        }
        memcached_result_free(r);
    }
    if (rc != MEMCACHED_END && rc != MEMCACHED_SUCCESS && rc != MEMCACHED_NOTFOUND) {
        free(*out);
        *out = NULL;
        return fail(st, rc, "gets");
    }
    if (status == GQLSSE_STORE_NOTFOUND)
        return status;
    if (!*out)
        return fail(st, MEMCACHED_MEMORY_ALLOCATION_FAILURE, "gets");
    return status;
}

static gqlsse_store_status del(gqlsse_store *st, const char *key, size_t klen)
{
    memcached_return_t rc = memcached_delete(st->mc, key, klen, 0);
    if (rc == MEMCACHED_SUCCESS)
        return GQLSSE_STORE_OK;
    if (rc == MEMCACHED_NOTFOUND)
        return GQLSSE_STORE_NOTFOUND;
    return fail(st, rc, "delete");
}

static gqlsse_store_status add(gqlsse_store *st, const char *key, size_t klen, const char *value,
                               time_t ttl)
{
    memcached_return_t rc = memcached_add(st->mc, key, klen, value, strlen(value), ttl, 0);
    if (rc == MEMCACHED_SUCCESS)
        return GQLSSE_STORE_OK;
    if (rc == MEMCACHED_NOTSTORED || rc == MEMCACHED_DATA_EXISTS)
        return GQLSSE_STORE_EXISTS;
    return fail(st, rc, "add");
}

static gqlsse_store_status touch(gqlsse_store *st, const char *key, size_t klen, time_t ttl)
{
    memcached_return_t rc = memcached_touch(st->mc, key, klen, ttl);
    if (rc == MEMCACHED_SUCCESS)
        return GQLSSE_STORE_OK;
    if (rc == MEMCACHED_NOTFOUND)
        return GQLSSE_STORE_NOTFOUND;
    return fail(st, rc, "touch");
}

static gqlsse_store_status exists(gqlsse_store *st, const char *key, size_t klen)
{
    char *v;
    gqlsse_store_status s = get(st, key, klen, &v, NULL);
    free(v);
    return s;
}

/* ---- sessions and reservations ---- */

gqlsse_store_status gqlsse_store_session_identity(gqlsse_store *st, const char *cookie, size_t n,
                                                  char *out, size_t outlen)
{
    if (!cookie || n == 0 || n > COOKIE_MAX || !key_bytes_ok(cookie, n) || outlen == 0) {
        snprintf(st->err, sizeof st->err, "session cookie is not a valid key");
        return GQLSSE_STORE_EINVAL;
    }
    char key[KEY_MAX + 1];
    size_t len = put_raw(key, 0, st->session_prefix);
    memcpy(key + len, cookie, n);
    len += n;
    key[len] = '\0';
    char *v;
    gqlsse_store_status s = get(st, key, len, &v, NULL);
    if (s != GQLSSE_STORE_OK)
        return s;
    const char *p = v, *e = strchr(v, '\n');
    if (!e)
        e = v + strlen(v);
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    size_t il = (size_t)(e - p);
    if (il == 0 || il > GQLSSE_IDENTITY_MAX || il >= outlen || memchr(p, '\0', il)) {
        free(v);
        return GQLSSE_STORE_NOTFOUND;
    }
    memcpy(out, p, il);
    out[il] = '\0';
    free(v);
    return GQLSSE_STORE_OK;
}

gqlsse_store_status gqlsse_store_reserve(gqlsse_store *st, const char *identity,
                                         char token[GQLSSE_TOKEN_LEN + 1],
                                         char old[GQLSSE_TOKEN_LEN + 1])
{
    char key[KEY_MAX + 1];
    size_t klen;
    old[0] = '\0';
    token[0] = '\0';
    if (res_key(st, identity, key, &klen) < 0) {
        snprintf(st->err, sizeof st->err, "identity is empty or too long");
        return GQLSSE_STORE_EINVAL;
    }
    char fresh[GQLSSE_TOKEN_LEN + 1];
    if (gqlsse_token_new(fresh) < 0) {
        snprintf(st->err, sizeof st->err, "getrandom: %s", strerror(errno));
        return GQLSSE_STORE_DOWN;
    }
    char *v;
    gqlsse_store_status s = get(st, key, klen, &v, NULL);
    if (s == GQLSSE_STORE_DOWN)
        return s;
    if (s == GQLSSE_STORE_OK && gqlsse_token_ok(v, strlen(v)))
        memcpy(old, v, GQLSSE_TOKEN_LEN + 1);
    free(v);
    /* No expiry: one small key per identity, replaced by the next PUT and
     * removed when its stream ends. */
    memcached_return_t rc = memcached_set(st->mc, key, klen, fresh, GQLSSE_TOKEN_LEN, 0, 0);
    if (rc != MEMCACHED_SUCCESS) {
        old[0] = '\0';
        return fail(st, rc, "set");
    }
    memcpy(token, fresh, sizeof fresh);
    return GQLSSE_STORE_OK;
}

gqlsse_store_status gqlsse_store_check(gqlsse_store *st, const char *identity, const char *token)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (!token || !gqlsse_token_ok(token, strlen(token)) || res_key(st, identity, key, &klen) < 0)
        return GQLSSE_STORE_NOTFOUND;
    char *v;
    gqlsse_store_status s = get(st, key, klen, &v, NULL);
    if (s == GQLSSE_STORE_OK && strcmp(v, token) != 0)
        s = GQLSSE_STORE_NOTFOUND;
    free(v);
    return s;
}

gqlsse_store_status gqlsse_store_unreserve(gqlsse_store *st, const char *identity,
                                           const char *token)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (!token || !gqlsse_token_ok(token, strlen(token)) || res_key(st, identity, key, &klen) < 0)
        return GQLSSE_STORE_NOTFOUND;
    char *v;
    uint64_t cas = 0;
    gqlsse_store_status s = get(st, key, klen, &v, &cas);
    if (s != GQLSSE_STORE_OK)
        return s;
    int mine = strcmp(v, token) == 0;
    free(v);
    if (!mine)
        return GQLSSE_STORE_NOTFOUND;
    /* memcached has no compare-and-delete: overwrite with "-" (no token)
     * only if nobody reserved meanwhile, and let it expire in a second. */
    memcached_return_t rc = memcached_cas(st->mc, key, klen, "-", 1, 1, 0, cas);
    if (rc == MEMCACHED_SUCCESS)
        return GQLSSE_STORE_OK;
    if (rc == MEMCACHED_DATA_EXISTS || rc == MEMCACHED_NOTFOUND || rc == MEMCACHED_NOTSTORED)
        return GQLSSE_STORE_NOTFOUND;
    return fail(st, rc, "cas");
}

/* ---- stream locks ---- */

gqlsse_store_status gqlsse_store_lock(gqlsse_store *st, const char *token)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (lock_key(st, token, key, &klen) < 0)
        return GQLSSE_STORE_EINVAL;
    return add(st, key, klen, st->holder, (time_t)st->lock_ttl);
}

gqlsse_store_status gqlsse_store_lock_touch(gqlsse_store *st, const char *token)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (lock_key(st, token, key, &klen) < 0)
        return GQLSSE_STORE_EINVAL;
    return touch(st, key, klen, (time_t)st->lock_ttl);
}

gqlsse_store_status gqlsse_store_lock_held(gqlsse_store *st, const char *token)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (lock_key(st, token, key, &klen) < 0)
        return GQLSSE_STORE_NOTFOUND;
    return exists(st, key, klen);
}

gqlsse_store_status gqlsse_store_unlock(gqlsse_store *st, const char *token)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (lock_key(st, token, key, &klen) < 0)
        return GQLSSE_STORE_NOTFOUND;
    return del(st, key, klen);
}

/* ---- operation ids ---- */

gqlsse_store_status gqlsse_store_op_claim(gqlsse_store *st, const char *token, const char *id,
                                          size_t n)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (op_key(st, token, id, n, key, &klen) < 0) {
        snprintf(st->err, sizeof st->err, "operation id too long");
        return GQLSSE_STORE_EINVAL;
    }
    return add(st, key, klen, "1", (time_t)st->lock_ttl);
}

gqlsse_store_status gqlsse_store_op_touch(gqlsse_store *st, const char *token, const char *id,
                                          size_t n)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (op_key(st, token, id, n, key, &klen) < 0)
        return GQLSSE_STORE_NOTFOUND;
    return touch(st, key, klen, (time_t)st->lock_ttl);
}

gqlsse_store_status gqlsse_store_op_held(gqlsse_store *st, const char *token, const char *id,
                                         size_t n)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (op_key(st, token, id, n, key, &klen) < 0)
        return GQLSSE_STORE_NOTFOUND;
    return exists(st, key, klen);
}

gqlsse_store_status gqlsse_store_op_release(gqlsse_store *st, const char *token, const char *id,
                                            size_t n)
{
    char key[KEY_MAX + 1];
    size_t klen;
    if (op_key(st, token, id, n, key, &klen) < 0)
        return GQLSSE_STORE_NOTFOUND;
    return del(st, key, klen);
}
