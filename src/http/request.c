/* request.c: FastCGI params decoding, Accept negotiation and GraphQL request
 * parameters (graphql-http / graphql-sse messages). */
#include "config.h"

#include "http/request.h"

#include <gqlsse/execute.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void gqlsse_request_clear(gqlsse_request *r)
{
    free(r->params);
    free(r->raw);
    free(r->body);
    memset(r, 0, sizeof *r);
}

int gqlsse_fcgi_record_next(const unsigned char *data, size_t n, gqlsse_fcgi_record *rec)
{
    if (n < 8)
        return 0;
    if (data[0] != 1)
        return -1;
    size_t clen = ((size_t)data[4] << 8) | data[5], need = 8 + clen + data[6];
    if (n < need)
        return 0;
    rec->type = data[1];
    rec->id = (uint16_t)((data[2] << 8) | data[3]);
    rec->content = data + 8;
    rec->len = clen;
    rec->size = need;
    return 1;
}

int gqlsse_request_add_raw_params(gqlsse_request *r, const unsigned char *p, size_t n,
                                  size_t limit)
{
    if (r->raw_len + n > limit)
        return -1;
    unsigned char *g = realloc(r->raw, r->raw_len + n + 1);
    if (!g)
        return -1;
    memcpy(g + r->raw_len, p, n);
    r->raw = g;
    r->raw_len += n;
    return 0;
}

static int read_len(const unsigned char *p, size_t n, size_t *i, size_t *out)
{
    if (*i >= n)
        return -1;
    if (p[*i] < 0x80) {
        *out = p[(*i)++];
        return 0;
    }
    if (*i + 4 > n)
        return -1;
    *out = ((size_t)(p[*i] & 0x7f) << 24) | ((size_t)p[*i + 1] << 16) |
           ((size_t)p[*i + 2] << 8) | p[*i + 3];
    *i += 4;
    return 0;
}

int gqlsse_request_decode_params(gqlsse_request *r)
{
    const unsigned char *p = r->raw;
    size_t n = r->raw_len, i = 0;
    /* The decoded form is never larger than raw + 2 NULs per pair; pairs
     * are at least 2 bytes, so raw_len + raw_len is enough. */
    char *out = malloc(n * 2 + 2);
    if (!out)
        return -1;
    size_t o = 0;
    uint32_t count = 0;
    while (i < n) {
        size_t nl, vl;
        if (read_len(p, n, &i, &nl) < 0 || read_len(p, n, &i, &vl) < 0 || nl > n - i ||
            vl > n - i - nl || memchr(p + i, '\0', nl + vl)) {
            /* A NUL inside a name or value would shift every later pair
             * of the "NAME\0VALUE\0" list (no CGI variable holds one). */
            free(out);
            return -1;
        }
        memcpy(out + o, p + i, nl);
        o += nl;
        out[o++] = '\0';
        i += nl;
        memcpy(out + o, p + i, vl);
        o += vl;
        out[o++] = '\0';
        i += vl;
        count++;
    }
    free(r->params);
    r->params = out;
    r->params_len = o;
    r->nparams = count;
    free(r->raw);
    r->raw = NULL;
    r->raw_len = 0;
    return 0;
}

void gqlsse_request_add_body(gqlsse_request *r, const char *p, size_t n, size_t limit)
{
    if (r->body_too_large || n == 0)
        return;
    if (r->body_len + n > limit) {
        r->body_too_large = 1;
        free(r->body);
        r->body = NULL;
        r->body_len = r->body_cap = 0;
        return;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap : 1024;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        char *g = realloc(r->body, cap);
        if (!g) {
            r->body_too_large = 1; /* treated as too large: refuse, never crash */
            return;
        }
        r->body = g;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, p, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
}

const char *gqlsse_request_param(const gqlsse_request *r, const char *name)
{
    const char *p = r->params, *end = r->params + r->params_len;
    while (p && p < end) {
        const char *v = p + strlen(p) + 1;
        if (strcmp(p, name) == 0)
            return v;
        p = v + strlen(v) + 1;
    }
    return NULL;
}

/* ---- Accept ---- */

static const char *const accept_types[] = {NULL, "application/graphql-response+json",
                                           "application/json", "text/event-stream"};

gqlsse_accept gqlsse_accept_negotiate(const char *accept)
{
    if (!accept || !*accept)
        return GQLSSE_ACCEPT_JSON;
    double best_q[4] = {-1, -1, -1, -1};
    int best_spec[4] = {-1, -1, -1, -1};
    const char *p = accept;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[256];
        if (len < sizeof item) {
            memcpy(item, p, len);
            item[len] = '\0';
            char *semi = strchr(item, ';');
            double q = 1.0;
            if (semi) {
                *semi = '\0';
                for (char *a = semi + 1; a && *a;) {
                    while (*a == ' ' || *a == '\t')
                        a++;
                    if ((a[0] == 'q' || a[0] == 'Q') && a[1] == '=')
                        q = strtod(a + 2, NULL);
                    a = strchr(a, ';');
                    if (a)
                        a++;
                }
            }
            char *t = item;
            while (*t == ' ' || *t == '\t')
                t++;
            size_t tl = strlen(t);
            while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\t'))
                t[--tl] = '\0';
            for (int k = 1; k <= 3; k++) {
                const char *cand = accept_types[k];
                int spec = -1;
                if (strcasecmp(t, cand) == 0)
                    spec = 2;
                else if (strcmp(t, "*/*") == 0)
                    spec = 0;
                else {
                    const char *slash = strchr(cand, '/');
                    size_t major = (size_t)(slash - cand);
                    if (tl == major + 2 && strncasecmp(t, cand, major + 1) == 0 && t[tl - 1] == '*')
                        spec = 1;
                }
                if (spec > best_spec[k]) {
                    best_spec[k] = spec;
                    best_q[k] = q;
                }
            }
        }
        if (!end)
            break;
        p = end + 1;
    }
    int pick = 0;
    double pq = 0;
    for (int k = 1; k <= 3; k++)
        if (best_spec[k] >= 0 && best_q[k] > pq) {
            pick = k;
            pq = best_q[k];
        }
    return (gqlsse_accept)pick;
}

/* ---- form / query string ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static char *form_decode(const char *s, size_t n, size_t *outlen)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+')
            out[o++] = ' ';
        else if (s[i] == '%' && i + 2 < n &&
                 hexval((unsigned char)s[i + 1]) >= 0 && hexval((unsigned char)s[i + 2]) >= 0) {
            out[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else
            out[o++] = s[i];
    }
    out[o] = '\0';
    if (outlen)
        *outlen = o;
    return out;
}

char *gqlsse_form_get(const char *qs, size_t len, const char *key)
{
    return gqlsse_form_get_len(qs, len, key, NULL);
}

char *gqlsse_form_get_len(const char *qs, size_t len, const char *key, size_t *vlen)
{
    if (!qs)
        return NULL;
    size_t kl = strlen(key);
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && qs[j] != '&')
            j++;
        const char *eq = memchr(qs + i, '=', j - i);
        size_t nl = eq ? (size_t)(eq - (qs + i)) : j - i;
        char *name = form_decode(qs + i, nl, NULL);
        int match = name && strlen(name) == kl && memcmp(name, key, kl) == 0;
        free(name);
        if (match) {
            if (!eq) {
                if (vlen)
                    *vlen = 0;
                return strdup("");
            }
            return form_decode(eq + 1, (size_t)(qs + j - (eq + 1)), vlen);
        }
        i = j + 1;
    }
    return NULL;
}

/* ---- GraphQL parameters ---- */

void gqlsse_gql_params_clear(gqlsse_gql_params *p)
{
    free(p->query);
    free(p->operation_name);
    json_object_put(p->variables);
    json_object_put(p->extensions);
    memset(p, 0, sizeof *p);
}

/* A malloc-owned copy of n bytes (NULs inside kept) and a terminating NUL;
 * NULL when out of memory. */
static char *dup_bytes(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* variables / extensions given as a JSON string (GET, form) */
static int json_param(const char *text, json_object **out)
{
    if (!text || !*text) {
        *out = NULL;
        return 0;
    }
    json_object *v = NULL;
    if (gql_json_parse(text, strlen(text), &v, NULL, 0) < 0)
        return -1;
    if (v && !json_object_is_type(v, json_type_object)) {
        json_object_put(v);
        return -1;
    }
    *out = v;
    return 0;
}

static int from_form(const char *qs, size_t len, gqlsse_gql_params *p, const char **message)
{
    p->query = gqlsse_form_get_len(qs, len, "query", &p->query_len);
    p->operation_name = gqlsse_form_get_len(qs, len, "operationName", &p->operation_name_len);
    char *vars = gqlsse_form_get(qs, len, "variables");
    char *ext = gqlsse_form_get(qs, len, "extensions");
    int bad_vars = json_param(vars, &p->variables);
    int bad_ext = json_param(ext, &p->extensions);
    free(vars);
    free(ext);
    if (bad_vars < 0) {
        *message = "Invalid variables";
        return 400;
    }
    if (bad_ext < 0) {
        *message = "Invalid extensions";
        return 400;
    }
    if (!p->query) {
        *message = "Missing query";
        return 400;
    }
    return 0;
}

static int media_is(const char *ct, const char *type)
{
    size_t n = strlen(type);
    while (*ct == ' ')
        ct++;
    return strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int gqlsse_gql_params_read(const gqlsse_request *r, int is_post, gqlsse_gql_params *p,
                           const char **message)
{
    memset(p, 0, sizeof *p);
    if (!is_post) {
        const char *qs = gqlsse_request_param(r, "QUERY_STRING");
        return from_form(qs ? qs : "", qs ? strlen(qs) : 0, p, message);
    }
    const char *ct = gqlsse_request_param(r, "CONTENT_TYPE");
    if (!ct || !*ct) {
        *message = "Missing content-type header";
        return 415;
    }
    if (media_is(ct, "application/graphql")) {
        if (!r->body || r->body_len == 0) {
            *message = "Missing query";
            return 400;
        }
        p->query = dup_bytes(r->body, r->body_len); /* the body whole, NULs included */
        if (!p->query) {
            *message = "Out of memory";
            return 500;
        }
        p->query_len = r->body_len;
        return 0;
    }
    if (media_is(ct, "application/x-www-form-urlencoded"))
        return from_form(r->body ? r->body : "", r->body_len, p, message);
    if (!media_is(ct, "application/json")) {
        *message = "Unsupported media type";
        return 415;
    }
    if (!r->body || r->body_len == 0) {
        *message = "Missing body";
        return 400;
    }
    json_object *doc = NULL;
    if (gql_json_parse(r->body, r->body_len, &doc, NULL, 0) < 0) {
        *message = "Unparsable JSON body";
        return 400;
    }
    int status = 0;
    json_object *v;
    if (!doc || !json_object_is_type(doc, json_type_object)) {
        *message = "JSON body must be an object";
        status = 400;
    } else if (!json_object_object_get_ex(doc, "query", &v) ||
               !json_object_is_type(v, json_type_string)) {
        *message = json_object_object_get_ex(doc, "query", &v) && v ? "Invalid query"
                                                                     : "Missing query";
        status = 400;
    } else {
        p->query_len = (size_t)json_object_get_string_len(v);
        p->query = dup_bytes(json_object_get_string(v), p->query_len);
        if (!p->query) {
            *message = "Out of memory";
            status = 500;
        }
        if (json_object_object_get_ex(doc, "operationName", &v) && v) {
            if (!json_object_is_type(v, json_type_string)) {
                *message = "Invalid operationName";
                status = 400;
            } else {
                p->operation_name_len = (size_t)json_object_get_string_len(v);
                p->operation_name = dup_bytes(json_object_get_string(v), p->operation_name_len);
                if (!p->operation_name) { /* not "no name": that would pick another */
                    *message = "Out of memory";
                    status = 500;
                }
            }
        }
        if (!status && json_object_object_get_ex(doc, "variables", &v) && v) {
            if (json_object_is_type(v, json_type_string)) {
                if (json_param(json_object_get_string(v), &p->variables) < 0) {
                    *message = "Invalid variables";
                    status = 400;
                }
            } else if (!json_object_is_type(v, json_type_object)) {
                *message = "Invalid variables";
                status = 400;
            } else
                p->variables = json_object_get(v);
        }
        if (!status && json_object_object_get_ex(doc, "extensions", &v) && v) {
            if (json_object_is_type(v, json_type_string)) {
                if (json_param(json_object_get_string(v), &p->extensions) < 0) {
                    *message = "Invalid extensions";
                    status = 400;
                }
            } else if (!json_object_is_type(v, json_type_object)) {
                *message = "Invalid extensions";
                status = 400;
            } else
                p->extensions = json_object_get(v);
        }
    }
    json_object_put(doc);
    return status;
}
