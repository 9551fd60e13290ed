/* conf.c: the `key = value` configuration file. Unknown keys are errors so
 * typos do not pass silently; every key is documented in docs/configuration.md. */
#include "config.h"

#include "http/conf.h"
#include "http/log.h"
#include "http/store.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void gqlsse_conf_defaults(gqlsse_conf *c)
{
    memset(c, 0, sizeof *c);
    c->endpoint = strdup("/graphql");
    c->broker = strdup("tcp://127.0.0.1:5562");
    c->broker_publish = strdup("tcp://127.0.0.1:5561");
    c->memcached = strdup("127.0.0.1:11211");
    c->memcached_prefix = strdup("gqlsse:");
    c->session_key_prefix = strdup("session:");
    c->single_connection = 1;
    c->lock_ttl_s = 30;
    c->operation_wait_ms = 30000;
    c->keep_alive_ms = 12000;
    c->max_body_bytes = 1u << 20;
    c->max_document_bytes = 100000;
    c->max_document_depth = 64;
    c->max_document_tokens = 10000;
    c->max_streams = 10000;
    c->max_backlog = 100;
    c->log_level = GQLSSE_LOG_INFO;
    c->ws_init_timeout_ms = 3000;
    c->ws_ping_interval_ms = 12000;
    c->ws_max_message_bytes = 1u << 20;
    c->ws_max_operations = 100;
    c->ws_max_backlog_bytes = 1u << 20;
    c->ws_max_sockets = 10000;
    c->ws_identity_header = strdup("X-Remote-User");
}

void gqlsse_conf_free(gqlsse_conf *c)
{
    for (size_t i = 0; i < c->nschema_files; i++)
        free(c->schema_files[i]);
    for (size_t i = 0; i < c->nmodules; i++)
        free(c->modules[i]);
    free(c->schema_files);
    free(c->modules);
    free(c->endpoint);
    free(c->listen);
    free(c->broker);
    free(c->broker_publish);
    free(c->memcached);
    free(c->memcached_prefix);
    free(c->session_cookie);
    free(c->session_key_prefix);
    free(c->ws_listen);
    for (size_t i = 0; i < c->nws_trusted_proxies; i++)
        free(c->ws_trusted_proxies[i]);
    free(c->ws_trusted_proxies);
    free(c->ws_identity_header);
    free(c->path);
    memset(c, 0, sizeof *c);
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* A path from the file, relative to its directory unless absolute. */
static char *resolve_path(const char *conf_path, const char *value)
{
    if (value[0] == '/' || !conf_path || !strchr(conf_path, '/'))
        return strdup(value);
    size_t dir = (size_t)(strrchr(conf_path, '/') - conf_path);
    char *out = malloc(dir + 1 + strlen(value) + 1);
    if (out)
        sprintf(out, "%.*s/%s", (int)dir, conf_path, value);
    return out;
}

static int push(char ***items, size_t *n, char *s)
{
    char **grown = realloc(*items, (*n + 1) * sizeof **items);
    if (!grown || !s) {
        free(s);
        if (grown)
            *items = grown;
        return -1;
    }
    *items = grown;
    grown[(*n)++] = s;
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcasecmp(v, "on") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
        !strcmp(v, "1")) {
        *out = 1;
        return 0;
    }
    if (!strcasecmp(v, "off") || !strcasecmp(v, "false") || !strcasecmp(v, "no") ||
        !strcmp(v, "0")) {
        *out = 0;
        return 0;
    }
    return -1;
}

/* Unsigned size with optional K/M suffix (KiB, MiB). */
static int parse_size(const char *v, size_t *out)
{
    errno = 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (end == v || errno || v[0] == '-')
        return -1;
    end = trim(end);
    if (!strcasecmp(end, "k") || !strcasecmp(end, "kib"))
        n *= 1024;
    else if (!strcasecmp(end, "m") || !strcasecmp(end, "mib"))
        n *= 1024 * 1024;
    else if (*end)
        return -1;
    *out = (size_t)n;
    return 0;
}

static int parse_uint(const char *v, unsigned *out)
{
    size_t s;
    if (parse_size(v, &s) < 0 || s > 0xffffffffu)
        return -1;
    *out = (unsigned)s;
    return 0;
}

/* Seconds, decimals allowed ("12", "0.5"), to milliseconds. */
static int parse_seconds(const char *v, unsigned *ms)
{
    errno = 0;
    char *end;
    double d = strtod(v, &end);
    if (end == v || errno || *trim(end) || d < 0 || d > 86400)
        return -1;
    *ms = (unsigned)(d * 1000.0 + 0.5);
    return 0;
}

static int replace(char **slot, const char *val)
{
    char *v = strdup(val);
    if (!v)
        return -1;
    free(*slot);
    *slot = v;
    return 0;
}

/* A memcached key part: printable ASCII without spaces, at most max bytes. */
static int key_ok(const char *v, size_t max)
{
    size_t n = strlen(v);
    if (n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
            return 0;
    return 1;
}

/* A cookie name (RFC 6265 token): 1+ visible ASCII bytes except separators. */
static int token_ok(const char *v)
{
    if (!*v)
        return 0;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
            strchr("()<>@,;:\\\"/[]?={}", *p))
            return 0;
    return 1;
}

int gqlsse_conf_load(gqlsse_conf *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        seterr(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    free(c->path);
    c->path = strdup(path);
    char line[4096];
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            seterr(err, errlen, "%s:%u: expected `key = value`", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        size_t vl = strlen(val);
        if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
            val[vl - 1] = '\0';
            val++;
        }
        int bad = 0;
        if (!strcmp(key, "schema")) {
            bad = push(&c->schema_files, &c->nschema_files, resolve_path(path, val));
        } else if (!strcmp(key, "module")) {
            bad = push(&c->modules, &c->nmodules, resolve_path(path, val));
        } else if (!strcmp(key, "endpoint")) {
            free(c->endpoint);
            c->endpoint = strdup(val);
        } else if (!strcmp(key, "listen")) {
            free(c->listen);
            c->listen = strdup(val);
        } else if (!strcmp(key, "broker")) {
            bad = strncmp(val, "tcp://", 6) != 0 && strncmp(val, "ipc://", 6) != 0;
            if (!bad) {
                free(c->broker);
                c->broker = strdup(val);
            }
        } else if (!strcmp(key, "broker_publish")) {
            bad = strncmp(val, "tcp://", 6) != 0 && strncmp(val, "ipc://", 6) != 0;
            if (!bad)
                bad = replace(&c->broker_publish, val);
        } else if (!strcmp(key, "memcached")) {
            bad = !*val || replace(&c->memcached, val);
        } else if (!strcmp(key, "memcached_prefix")) {
            bad = !key_ok(val, 40) || replace(&c->memcached_prefix, val);
        } else if (!strcmp(key, "session_key_prefix")) {
            bad = (*val && !key_ok(val, 48)) || replace(&c->session_key_prefix, val);
        } else if (!strcmp(key, "session_cookie")) {
            bad = !token_ok(val) || replace(&c->session_cookie, val);
        } else if (!strcmp(key, "single_connection")) {
            bad = parse_bool(val, &c->single_connection);
        } else if (!strcmp(key, "single_connection_lock_ttl")) {
            bad = parse_uint(val, &c->lock_ttl_s) || c->lock_ttl_s < 3 || c->lock_ttl_s > 3600;
        } else if (!strcmp(key, "operation_wait_timeout")) {
            bad = parse_seconds(val, &c->operation_wait_ms) || c->operation_wait_ms > 600000;
        } else if (!strcmp(key, "keep_alive_interval")) {
            bad = parse_seconds(val, &c->keep_alive_ms);
        } else if (!strcmp(key, "sse_distinct_connections_for_http1")) {
            bad = parse_bool(val, &c->sse_http1);
        } else if (!strcmp(key, "allow_queries_with_sse")) {
            bad = parse_bool(val, &c->allow_queries_sse);
        } else if (!strcmp(key, "allow_mutations_with_sse")) {
            bad = parse_bool(val, &c->allow_mutations_sse);
        } else if (!strcmp(key, "max_body_size")) {
            bad = parse_size(val, &c->max_body_bytes);
        } else if (!strcmp(key, "max_document_size")) {
            bad = parse_size(val, &c->max_document_bytes);
        } else if (!strcmp(key, "max_document_depth")) {
            bad = parse_uint(val, &c->max_document_depth);
        } else if (!strcmp(key, "max_document_tokens")) {
            bad = parse_uint(val, &c->max_document_tokens);
        } else if (!strcmp(key, "max_streams")) {
            bad = parse_uint(val, &c->max_streams);
        } else if (!strcmp(key, "max_backlog")) {
            bad = parse_uint(val, &c->max_backlog);
        } else if (!strcmp(key, "ws_listen")) {
            free(c->ws_listen);
            c->ws_listen = strdup(val);
        } else if (!strcmp(key, "ws_init_timeout")) {
            bad = parse_seconds(val, &c->ws_init_timeout_ms);
        } else if (!strcmp(key, "ws_ping_interval")) {
            bad = parse_seconds(val, &c->ws_ping_interval_ms);
        } else if (!strcmp(key, "ws_max_message_size")) {
            bad = parse_size(val, &c->ws_max_message_bytes);
        } else if (!strcmp(key, "ws_max_operations")) {
            bad = parse_uint(val, &c->ws_max_operations);
        } else if (!strcmp(key, "ws_max_backlog")) {
            bad = parse_size(val, &c->ws_max_backlog_bytes);
        } else if (!strcmp(key, "ws_max_sockets")) {
            bad = parse_uint(val, &c->ws_max_sockets);
        } else if (!strcmp(key, "ws_trusted_proxies")) {
            /* space or comma separated; repeatable */
            char *save = NULL;
            for (char *tok = strtok_r(val, " ,\t", &save); tok && !bad;
                 tok = strtok_r(NULL, " ,\t", &save))
                bad = push(&c->ws_trusted_proxies, &c->nws_trusted_proxies, strdup(tok));
        } else if (!strcmp(key, "ws_identity_header")) {
            bad = *val == '\0' || strpbrk(val, " :\t") != NULL;
            if (!bad) {
                free(c->ws_identity_header);
                c->ws_identity_header = strdup(val);
            }
        } else if (!strcmp(key, "ws_allow_queries")) {
            bad = parse_bool(val, &c->ws_allow_queries);
        } else if (!strcmp(key, "ws_allow_mutations")) {
            bad = parse_bool(val, &c->ws_allow_mutations);
        } else if (!strcmp(key, "log_level")) {
            int lv = gqlsse_log_level_parse(val);
            if (lv < 0)
                bad = 1;
            else
                c->log_level = lv;
        } else {
            seterr(err, errlen, "%s:%u: unknown key '%s'", path, lineno, key);
            rc = -1;
            break;
        }
        if (bad) {
            seterr(err, errlen, "%s:%u: invalid value '%s' for %s", path, lineno, val, key);
            rc = -1;
        }
    }
    if (rc == 0 && ferror(f)) {
        seterr(err, errlen, "%s: read error", path);
        rc = -1;
    }
    fclose(f);
    return rc;
}

gql_parse_options gqlsse_conf_parse_options(const gqlsse_conf *c)
{
    gql_parse_options po = {.max_source_bytes = c->max_document_bytes,
                            .max_tokens = c->max_document_tokens,
                            .max_depth = c->max_document_depth};
    return po;
}

int gqlsse_conf_check(const gqlsse_conf *c, char *err, size_t errlen)
{
    const char *where = c->path ? c->path : "configuration";
    if (c->nschema_files == 0) {
        seterr(err, errlen, "%s: no `schema` given", where);
        return -1;
    }
    if (!c->endpoint || c->endpoint[0] != '/') {
        seterr(err, errlen, "%s: endpoint must start with '/'", where);
        return -1;
    }
    if (c->max_body_bytes == 0 || c->max_document_bytes == 0 || c->max_streams == 0 ||
        c->max_backlog == 0 || c->max_document_depth == 0 || c->max_document_tokens == 0 ||
        c->ws_max_message_bytes == 0 || c->ws_max_operations == 0 ||
        c->ws_max_backlog_bytes == 0 || c->ws_max_sockets == 0) {
        seterr(err, errlen, "%s: limits (max_*) must be greater than 0", where);
        return -1;
    }
    /* The memcached server list is parsed (nothing is connected). */
    char why[256] = "";
    gqlsse_store_options so = {.servers = c->memcached, .prefix = c->memcached_prefix,
                               .session_prefix = c->session_key_prefix};
    gqlsse_store *st = gqlsse_store_new(&so, why, sizeof why);
    if (!st) {
        seterr(err, errlen, "%s: %s", where, why);
        return -1;
    }
    gqlsse_store_free(st);
    return 0;
}
