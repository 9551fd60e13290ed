/* protocol.h: graphql-transport-ws messages as the graphql-ws 6 server
 * reads them (parseMessage/validateMessage in its src/common.ts), and the
 * close codes it uses. Pure functions, thread-safe. */
#ifndef GQLSSE_WS_PROTOCOL_H
#define GQLSSE_WS_PROTOCOL_H

#include <stddef.h>

#include <json-c/json.h>

/* Close codes and reasons (graphql-ws CloseCode; reasons as its server). */
#define GQLSSE_WS_CLOSE_GOING_AWAY 1001
#define GQLSSE_WS_CLOSE_TRY_AGAIN 1013
#define GQLSSE_WS_CLOSE_INTERNAL 4500
#define GQLSSE_WS_CLOSE_BAD_REQUEST 4400
#define GQLSSE_WS_CLOSE_UNAUTHORIZED 4401
#define GQLSSE_WS_CLOSE_FORBIDDEN 4403
#define GQLSSE_WS_CLOSE_SUBPROTOCOL 4406
#define GQLSSE_WS_CLOSE_INIT_TIMEOUT 4408
#define GQLSSE_WS_CLOSE_DUPLICATE 4409
#define GQLSSE_WS_CLOSE_TOO_MANY_INITS 4429
/* Close reasons are at most 123 bytes (a control frame's 125 less the code). */
#define GQLSSE_WS_MAX_REASON 123

typedef enum gqlsse_ws_msg_type {
    GQLSSE_WS_MSG_CONNECTION_INIT,
    GQLSSE_WS_MSG_CONNECTION_ACK,
    GQLSSE_WS_MSG_PING,
    GQLSSE_WS_MSG_PONG,
    GQLSSE_WS_MSG_SUBSCRIBE,
    GQLSSE_WS_MSG_NEXT,
    GQLSSE_WS_MSG_ERROR,
    GQLSSE_WS_MSG_COMPLETE
} gqlsse_ws_msg_type;

/* One parsed and validated message. Everything points into `root`. */
typedef struct gqlsse_ws_msg {
    gqlsse_ws_msg_type type;
    json_object *root;            /* owned (gqlsse_ws_msg_clear) */
    const char *id;               /* subscribe, next, error, complete */
    size_t id_len;
    json_object *payload;         /* NULL when null or missing */
    const char *query;            /* subscribe */
    json_object *variables;       /* subscribe: an object or NULL */
    size_t query_len;             /* bytes (a NUL inside is part of the query) */
    const char *operation_name;   /* subscribe: NULL when null or missing */
    size_t operation_name_len;
} gqlsse_ws_msg;

/* Parses `text` (a text or binary frame's bytes) as graphql-ws does: JSON,
 * an object, `type` a known non-empty string, and each type's fields of the
 * right kind. Returns 0 with *m filled (caller clears it), or -1 when the
 * message is invalid (graphql-ws closes with 4400 "Invalid message
 * received"); `why` then says what (for the debug log). */
int gqlsse_ws_msg_parse(const char *text, size_t len, gqlsse_ws_msg *m, const char **why);

void gqlsse_ws_msg_clear(gqlsse_ws_msg *m);

#endif
