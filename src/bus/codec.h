/* codec.h: the broker message format (docs/broker-protocol.md): topics, event
 * ids, validation of published messages and the broker's sequence stamp. */
#ifndef GQLSSE_BUS_CODEC_H
#define GQLSSE_BUS_CODEC_H

#include <gqlsse/buf.h>

#include <json-c/json.h>

#include <stddef.h>
#include <stdint.h>

#define GQLSSE_BUS_MAX_NAME 128    /* model and topic names, bytes */
#define GQLSSE_BUS_MAX_ID 128      /* event ids, bytes */
#define GQLSSE_BUS_MAX_TOPIC 300   /* whole topic frame, bytes */
#define GQLSSE_BUS_DEFAULT_MAX_MESSAGE (1024u * 1024u) /* JSON frame, bytes */
#define GQLSSE_BUS_RUN_ID_LEN 32   /* hex digits of a broker run id */
#define GQLSSE_BUS_STAMP_MAX 96    /* room for a formatted stamp */

/* The default addresses (the demo's): publishers connect to the frontend,
 * workers to the backend. */
#define GQLSSE_BUS_DEFAULT_FRONTEND "tcp://127.0.0.1:5561"
#define GQLSSE_BUS_DEFAULT_BACKEND "tcp://127.0.0.1:5562"

/* Topic prefixes; every topic ends with '/'. */
#define GQLSSE_BUS_MODEL_PREFIX "model/"
#define GQLSSE_BUS_TOPIC_PREFIX "topic/"
#define GQLSSE_BUS_CONTROL_PREFIX "ctl/"

typedef enum gqlsse_bus_kind {
    GQLSSE_BUS_MODEL = 1,   /* model/NAME/   {"model","event","id","data"} */
    GQLSSE_BUS_TOPIC = 2,   /* topic/NAME/   {"topic","id","data"} */
    GQLSSE_BUS_CONTROL = 3  /* ctl/.../      reserved for single-connection streams */
} gqlsse_bus_kind;

typedef enum gqlsse_bus_event {
    GQLSSE_BUS_EVENT_NONE = 0,
    GQLSSE_BUS_CREATE = 1,
    GQLSSE_BUS_UPDATE = 2,
    GQLSSE_BUS_DELETE = 3
} gqlsse_bus_event;

/* Why a message was refused; GQLSSE_BUS_OK (0) when it is well formed. */
typedef enum gqlsse_bus_verdict {
    GQLSSE_BUS_OK = 0,
    GQLSSE_BUS_E_FRAMES,    /* not exactly two frames (topic, JSON) */
    GQLSSE_BUS_E_SIZE,      /* JSON frame or topic too large */
    GQLSSE_BUS_E_TOPIC,     /* topic frame not a known well-formed topic */
    GQLSSE_BUS_E_JSON,      /* JSON frame does not parse (strict JSON) */
    GQLSSE_BUS_E_FIELDS,    /* not an object, or a field missing or of the wrong type */
    GQLSSE_BUS_E_MISMATCH,  /* the topic disagrees with the JSON (model or topic name) */
    GQLSSE_BUS_VERDICT_COUNT
} gqlsse_bus_verdict;

/* "create"/"update"/"delete" -> event; GQLSSE_BUS_EVENT_NONE otherwise
 * (case-sensitive: the wire format is lower case). */
gqlsse_bus_event gqlsse_bus_event_parse(const char *s);
const char *gqlsse_bus_event_name(gqlsse_bus_event e); /* "create", ...; "" for NONE */
const char *gqlsse_bus_verdict_name(gqlsse_bus_verdict v); /* "frames", "json", ... */

/* Name rules: a model name is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*); a topic
 * name is 1+ bytes of [A-Za-z0-9_.:-]; both at most GQLSSE_BUS_MAX_NAME bytes.
 * An event id is 1..GQLSSE_BUS_MAX_ID printable ASCII bytes without spaces.
 * Each returns 1 when `s` (n bytes) follows the rule, 0 otherwise. */
int gqlsse_bus_model_name_ok(const char *s, size_t n);
int gqlsse_bus_topic_name_ok(const char *s, size_t n);
int gqlsse_bus_id_ok(const char *s, size_t n);

/* Fills `out` with 32 lower-case hex digits of 128 random bits (getrandom)
 * and a NUL. Returns 0, or -1 when no randomness is available. */
int gqlsse_bus_random_id(char out[GQLSSE_BUS_RUN_ID_LEN + 1]);

/* Parses `len` bytes as one strict JSON value (trailing whitespace allowed).
 * Returns the value (the caller owns it: json_object_put), or NULL with a
 * message in err[errlen] ("JSON null" is returned as NULL too: check *is_null
 * when it matters; is_null may be NULL). */
json_object *gqlsse_bus_json_parse(const char *s, size_t len, int *is_null, char *err,
                                   size_t errlen);

/* Appends the JSON text of `v` (NULL: null) that gqlsse_bus_json_parse
 * reads back as the same value: as json-c writes it, except non-finite
 * numbers, written 1e999 / -1e999 (json-c's `Infinity` is not JSON; NaN,
 * which JSON cannot give, becomes null). Thread-safe. */
void gqlsse_bus_json_write(gql_buf *json, json_object *v);

/* Builds a model event: topic "model/MODEL/" in *topic and the JSON object in
 * *payload (both appended to; the caller owns the buffers). `id` NULL or ""
 * means generate one; `data` must be a JSON object. Returns 0, or -1 with a
 * clear message in err[errlen] and nothing appended. */
int gqlsse_bus_encode_model(gql_buf *topic, gql_buf *payload, const char *model,
                            const char *event, const char *id, const char *data,
                            size_t data_len, size_t max_message, char *err, size_t errlen);

/* The same for a custom event: topic "topic/NAME/", payload
 * {"topic":NAME,"id":ID,"data":DATA} where DATA is any JSON value. */
int gqlsse_bus_encode_topic(gql_buf *topic, gql_buf *payload, const char *name,
                            const char *id, const char *data, size_t data_len,
                            size_t max_message, char *err, size_t errlen);

/* A decoded published message. `root` is owned by the message (released by
 * gqlsse_bus_msg_clear); `data`, `id`, `name` borrow from it or from the
 * topic frame passed to gqlsse_bus_decode (which must outlive the message). */
typedef struct gqlsse_bus_msg {
    gqlsse_bus_kind kind;
    gqlsse_bus_event event;  /* model events only */
    const char *name;        /* model or topic name (not NUL-terminated) */
    size_t name_len;
    const char *id;          /* NUL-terminated, inside root */
    json_object *data;       /* borrowed from root; NULL for JSON null */
    json_object *root;
} gqlsse_bus_msg;

/* Validates and decodes a published message (topic frame, JSON frame). On
 * GQLSSE_BUS_OK `out` holds the message (clear it); otherwise `out` holds
 * nothing and why[whylen] says what is wrong. Never allocates beyond the
 * parsed JSON. Thread-safe (no shared state). */
gqlsse_bus_verdict gqlsse_bus_decode(const void *topic, size_t topic_len, const void *json,
                                     size_t json_len, size_t max_message, gqlsse_bus_msg *out,
                                     char *why, size_t whylen);
void gqlsse_bus_msg_clear(gqlsse_bus_msg *m);

/* The broker's third frame: "1 RUN SEQ TOPICSEQ" in ASCII, where 1 is the
 * stamp format version, RUN the run id (32 hex digits), SEQ the broker-wide
 * sequence number and TOPICSEQ the sequence number within the exact topic,
 * both decimal, starting at 1. */
typedef struct gqlsse_bus_stamp {
    char run[GQLSSE_BUS_RUN_ID_LEN + 1];
    uint64_t seq;
    uint64_t topic_seq;
} gqlsse_bus_stamp;

/* Writes the stamp into out[cap] (cap >= GQLSSE_BUS_STAMP_MAX); returns its
 * length without the NUL. */
size_t gqlsse_bus_stamp_format(const gqlsse_bus_stamp *s, char *out, size_t cap);
/* Parses a stamp frame (n bytes); returns 0, or -1 when malformed. */
int gqlsse_bus_stamp_parse(const void *frame, size_t n, gqlsse_bus_stamp *out);

#endif
