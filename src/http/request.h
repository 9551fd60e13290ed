/* request.h: one HTTP request as the web server hands it over FastCGI (CGI
 * params and body), and the GraphQL-over-HTTP pieces read from it: Accept
 * negotiation, query string, GraphQL request parameters. */
#ifndef GQLSSE_HTTP_REQUEST_H
#define GQLSSE_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

typedef struct gqlsse_request {
    /* "NAME\0VALUE\0" pairs, malloc-owned by the request. */
    char *params;
    size_t params_len;
    uint32_t nparams;
    /* Raw FastCGI PARAMS stream being received (freed once decoded). */
    unsigned char *raw;
    size_t raw_len;
    /* The body (FCGI_STDIN), malloc-owned, NUL-terminated when non-NULL. */
    char *body;
    size_t body_len;
    size_t body_cap;
    int body_too_large; /* more than the limit arrived; body was dropped */
} gqlsse_request;

/* Frees what the request owns and zeroes it. Not thread-safe (per request). */
void gqlsse_request_clear(gqlsse_request *r);

/* One FastCGI record found at the start of a byte stream. */
typedef struct gqlsse_fcgi_record {
    int type;
    uint16_t id;
    const unsigned char *content; /* points into the stream */
    size_t len;                   /* content length */
    size_t size;                  /* header + content + padding: where the next record starts */
} gqlsse_fcgi_record;

/* Reads the record at the start of data[0..n). Returns 1 with *rec filled,
 * 0 when data holds no whole record yet (keep it, read more), -1 when the
 * header (once 8 bytes are there) is not FastCGI version 1. Thread-safe. */
int gqlsse_fcgi_record_next(const unsigned char *data, size_t n, gqlsse_fcgi_record *rec);

/* Appends raw FCGI_PARAMS content. Returns 0, -1 when it exceeds `limit`. */
int gqlsse_request_add_raw_params(gqlsse_request *r, const unsigned char *p, size_t n,
                                  size_t limit);
/* Decodes the FastCGI name-value pairs received. Returns 0, -1 if malformed
 * (truncated, or a NUL byte inside a name or value). */
int gqlsse_request_decode_params(gqlsse_request *r);
/* Appends body bytes; past `limit` sets body_too_large and drops the body. */
void gqlsse_request_add_body(gqlsse_request *r, const char *p, size_t n, size_t limit);

/* The value of CGI param `name` (NUL-terminated, owned by the request), or
 * NULL when absent. */
const char *gqlsse_request_param(const gqlsse_request *r, const char *name);

/* Result of Accept negotiation. */
typedef enum gqlsse_accept {
    GQLSSE_ACCEPT_NONE = 0,          /* 406 */
    GQLSSE_ACCEPT_GRAPHQL_JSON,      /* application/graphql-response+json */
    GQLSSE_ACCEPT_JSON,              /* application/json */
    GQLSSE_ACCEPT_EVENT_STREAM       /* text/event-stream */
} gqlsse_accept;

/* Picks the response type for an Accept header (NULL/empty: application/json)
 * honouring q-values and specificity; on a tie JSON types win over the event
 * stream (so `*` / `*` means JSON) and graphql-response+json over json. */
gqlsse_accept gqlsse_accept_negotiate(const char *accept);

/* Finds `key` in an application/x-www-form-urlencoded string and returns its
 * decoded value, malloc-owned by the caller; NULL when absent. */
char *gqlsse_form_get(const char *qs, size_t len, const char *key);
/* The same, with the decoded value's length in *vlen (it may hold NULs: %00). */
char *gqlsse_form_get_len(const char *qs, size_t len, const char *key, size_t *vlen);

/* GraphQL request parameters. */
typedef struct gqlsse_gql_params {
    char *query;            /* malloc-owned; NULL when missing */
    size_t query_len;       /* bytes: a NUL inside (\u0000, %00) is part of it */
    char *operation_name;   /* malloc-owned; NULL when absent */
    size_t operation_name_len;
    json_object *variables; /* owned reference; NULL when absent/null */
    json_object *extensions;
} gqlsse_gql_params;

void gqlsse_gql_params_clear(gqlsse_gql_params *p);

/* Reads the parameters of a GET (query string) or POST (body by content
 * type). Returns 0, or an HTTP status (400, 415, 500) with the message of the
 * error (static: graphql-http's wording, e.g. "Missing query",
 * "Unparsable JSON body") in *message. */
int gqlsse_gql_params_read(const gqlsse_request *r, int is_post, gqlsse_gql_params *p,
                           const char **message);

#endif
