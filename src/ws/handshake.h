/* handshake.h: the HTTP/1.1 WebSocket upgrade request (RFC 6455 section 4)
 * as gqlsse-ws reads it: request line, headers, the accept key, the
 * graphql-transport-ws subprotocol. Pure functions, thread-safe. */
#ifndef GQLSSE_WS_HANDSHAKE_H
#define GQLSSE_WS_HANDSHAKE_H

#include <stddef.h>

#define GQLSSE_WS_PROTOCOL "graphql-transport-ws"
/* The longest request head accepted (request line and headers). */
#define GQLSSE_WS_MAX_HEAD 8192
#define GQLSSE_WS_MAX_HEADERS 64

typedef struct gqlsse_ws_header {
    const char *name; /* NUL-terminated, inside the request's head buffer */
    const char *value;
} gqlsse_ws_header;

typedef struct gqlsse_ws_request {
    const char *method;
    const char *target; /* "/graphql?x" as sent */
    gqlsse_ws_header headers[GQLSSE_WS_MAX_HEADERS];
    size_t nheaders;
} gqlsse_ws_request;

/* Length of the head (through the blank line) when `buf` holds a complete
 * one, 0 when more is needed, -1 when it cannot be (no end within
 * GQLSSE_WS_MAX_HEAD bytes). */
long gqlsse_ws_head_length(const char *buf, size_t len);

/* Parses the head in place (`head` of `len` bytes from gqlsse_ws_head_length
 * is modified: names and values become NUL-terminated strings pointing into
 * it). Returns 0, or -1 when it is not an HTTP/1.1 request (or holds a NUL,
 * a bare CR or a bare LF). */
int gqlsse_ws_request_parse(char *head, size_t len, gqlsse_ws_request *rq);

/* A header's value (names compared case-insensitively), NULL when absent. */
const char *gqlsse_ws_request_header(const gqlsse_ws_request *rq, const char *name);

/* Does the comma-separated header value hold `token`? Compared exactly when
 * `exact` (subprotocols), else case-insensitively (Upgrade, Connection). */
int gqlsse_ws_has_token(const char *value, const char *token, int exact);

/* Checks the upgrade request: 0 when it is a valid WebSocket version-13
 * upgrade, else the HTTP status to answer (400, 404 path is not `endpoint`,
 * 405 not GET, 426 wrong version) with a short reason in *why. */
int gqlsse_ws_request_check(const gqlsse_ws_request *rq, const char *endpoint, const char **why);

/* Sec-WebSocket-Accept for `key`: base64(SHA-1(key + GUID)), 28 chars and
 * NUL into out[29]. */
void gqlsse_ws_accept_key(const char *key, char out[29]);

/* Did the client offer graphql-transport-ws in Sec-WebSocket-Protocol? As
 * graphql-ws's handleProtocols: 1 yes, 0 no (the socket is then accepted
 * without a subprotocol and closed with 4406). */
int gqlsse_ws_offers_protocol(const gqlsse_ws_request *rq);

/* The `param` of the last element of a Forwarded header (RFC 7239), as
 * lighttpd's `proxy.forwarded = ("remote_user" => 1)` sends the user:
 * `Forwarded: for=...;remote_user="alice"`. The unquoted value goes to out
 * (NUL-terminated). Returns 0, or -1 when absent, malformed or too long. */
int gqlsse_ws_forwarded_param(const char *value, const char *param, char *out, size_t outlen);

#endif
