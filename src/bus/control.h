/* control.h: control messages of single connection mode on the broker
 * (docs/broker-protocol.md, "Control topics"): a worker that receives an
 * operation for a stream held by another worker process sends it there. */
#ifndef GQLSSE_BUS_CONTROL_H
#define GQLSSE_BUS_CONTROL_H

#include <gqlsse/buf.h>
#include <gqlsse/publish.h>

#include <json-c/json.h>

#include <stddef.h>

#define GQLSSE_CTL_STREAM_PREFIX "ctl/stream/"
#define GQLSSE_CTL_TOKEN_LEN 32

typedef enum gqlsse_ctl_op {
    GQLSSE_CTL_START = 1, /* run an operation on the stream, id "operationId" */
    GQLSSE_CTL_STOP = 2,  /* cancel operation "operationId" (a complete event follows) */
    GQLSSE_CTL_REPLACE = 3 /* the reservation was replaced: end the stream */
} gqlsse_ctl_op;

/* A decoded control message. `root` is owned by the message (released by
 * gqlsse_ctl_msg_clear); the other pointers borrow from it. */
typedef struct gqlsse_ctl_msg {
    gqlsse_ctl_op op;
    char token[GQLSSE_CTL_TOKEN_LEN + 1];
    const char *operation_id;   /* START, STOP; may hold NUL bytes: see _len */
    size_t operation_id_len;
    const char *query;          /* START */
    const char *operation_name; /* START; NULL when absent */
    json_object *variables;     /* START; NULL when absent or null */
    json_object *extensions;    /* START; NULL when absent or null */
    const char *identity;       /* START: who submitted it */
    json_object *params;        /* START: the submitting request's CGI params
                                   (object of strings) for hooks; NULL when none */
    json_object *root;
} gqlsse_ctl_msg;

/* Appends "ctl/stream/TOKEN/" to topic. Returns 0, -1 when token is not 32
 * lower-case hex digits. */
int gqlsse_ctl_topic(gql_buf *topic, const char *token);

/* Appends the JSON of a message to json (a fresh random "id" each). Return 0,
 * -1 on bad arguments or when randomness is unavailable. Thread-safe. */
int gqlsse_ctl_encode_start(gql_buf *json, const char *operation_id, size_t operation_id_len,
                            const char *query, const char *operation_name,
                            json_object *variables, json_object *extensions,
                            const char *identity, json_object *params);
int gqlsse_ctl_encode_stop(gql_buf *json, const char *operation_id, size_t operation_id_len);
int gqlsse_ctl_encode_replace(gql_buf *json);

/* Decodes a control message (topic frame, JSON frame). Returns 0 with `out`
 * filled (clear it), or -1 with why[whylen] and nothing to clear. */
int gqlsse_ctl_decode(const void *topic, size_t topic_len, const void *json, size_t json_len,
                      gqlsse_ctl_msg *out, char *why, size_t whylen);
void gqlsse_ctl_msg_clear(gqlsse_ctl_msg *m);

/* Sends an already encoded two-frame message (topic, JSON) as is: the
 * worker's path for control messages, which the public publish functions
 * refuse. Same statuses and threading rules as gqlsse_publisher_publish_topic. */
gqlsse_publish_status gqlsse_publisher_send_raw(gqlsse_publisher *p, const char *topic,
                                                size_t topic_len, const char *json,
                                                size_t json_len);

#endif
