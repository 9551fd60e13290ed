/* gqlsse/publish.h: publishing model and custom events to gqlsse-broker over
 * ZeroMQ (message format: docs/broker-protocol.md). */
#ifndef GQLSSE_PUBLISH_H
#define GQLSSE_PUBLISH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The broker's default frontend, where publishers connect. */
#define GQLSSE_PUBLISH_DEFAULT_ADDRESS "tcp://127.0.0.1:5561"

/* A publisher: one ZeroMQ socket connected to the broker's frontend.
 *
 * Threads: a publisher is used by one thread at a time (ZeroMQ sockets are
 * not thread-safe); give each thread its own. The ZeroMQ context may be
 * shared between publishers and threads (see gqlsse_publisher_options).
 *
 * Reconnection: ZeroMQ reconnects by itself when the broker restarts. Events
 * published while no broker is connected are dropped (see "Delivery" in
 * docs/broker-protocol.md); gqlsse_publisher_wait_ready tells when the
 * broker is connected and receiving. */
typedef struct gqlsse_publisher gqlsse_publisher;

typedef enum gqlsse_publish_status {
    GQLSSE_PUBLISH_OK = 0,       /* handed to ZeroMQ */
    GQLSSE_PUBLISH_EINVAL = -1,  /* refused: bad name, event kind, id or JSON; nothing sent */
    GQLSSE_PUBLISH_ETOOBIG = -2, /* refused: larger than max_message; nothing sent */
    GQLSSE_PUBLISH_EFULL = -3,   /* the send queue is at its high-water mark; not sent */
    GQLSSE_PUBLISH_EZMQ = -4,    /* ZeroMQ failed (message in gqlsse_publisher_error) */
    GQLSSE_PUBLISH_ENOMEM = -5
} gqlsse_publish_status;

typedef struct gqlsse_publisher_options {
    const char *address;  /* NULL: GQLSSE_PUBLISH_DEFAULT_ADDRESS; tcp:// or ipc:// */
    void *zmq_context;    /* NULL: the publisher creates (and later destroys) its own */
    int sndhwm;           /* 0: 10000 messages queued towards the broker */
    int linger_ms;        /* on free; <0: 2000 ms; 0 drops unsent messages */
    size_t max_message;   /* 0: 1 MiB, the broker's default limit of the JSON frame */
} gqlsse_publisher_options;

/* Creates a publisher connected (asynchronously) to the broker at `address`
 * (NULL: the default). Returns NULL on failure (bad address, out of
 * memory) with errno set. The caller owns the publisher: gqlsse_publisher_free. */
gqlsse_publisher *gqlsse_publisher_new(const char *address);

/* As gqlsse_publisher_new with options (NULL: all defaults). On failure
 * returns NULL and, when err is not NULL, a malloc'd message in *err that the
 * caller frees. */
gqlsse_publisher *gqlsse_publisher_new_opts(const gqlsse_publisher_options *opts, char **err);

/* Waits up to timeout_ms (<0: forever) until the broker is connected and has
 * told the publisher it receives (its subscription arrived), so that a
 * message sent now is not lost to ZeroMQ's "slow joiner" start-up. Returns 1
 * when ready, 0 on timeout, -1 on error. Cheap when already ready. */
int gqlsse_publisher_wait_ready(gqlsse_publisher *p, int timeout_ms);

/* Publishes a model event on topic "model/MODEL/": event is "create",
 * "update" or "delete" ("save" is what subscriptions select: publish create
 * or update); json_data a JSON object (the model instance; for delete, its
 * snapshot before deletion). A fresh 128-bit random event id is generated.
 * Everything is validated first: on a refusal nothing is sent. Never blocks. */
gqlsse_publish_status gqlsse_publisher_publish_model(gqlsse_publisher *p, const char *model,
                                                     const char *event, const char *json_data);

/* Publishes a custom event on topic "topic/NAME/"; json_data any JSON value. */
gqlsse_publish_status gqlsse_publisher_publish_topic(gqlsse_publisher *p, const char *topic,
                                                     const char *json_data);

/* The same two with the publisher's own event id (NULL or "": generated),
 * for example a database change id, so that receivers can deduplicate. */
gqlsse_publish_status gqlsse_publisher_publish_model_id(gqlsse_publisher *p, const char *model,
                                                        const char *event, const char *id,
                                                        const char *json_data);
gqlsse_publish_status gqlsse_publisher_publish_topic_id(gqlsse_publisher *p, const char *topic,
                                                        const char *id, const char *json_data);

/* The event id of the last message published (owned by p, valid until the
 * next publish); "" before the first. */
const char *gqlsse_publisher_last_id(const gqlsse_publisher *p);

/* A message describing the last failure (owned by p, valid until the next
 * call on p); "" when the last call succeeded. */
const char *gqlsse_publisher_error(const gqlsse_publisher *p);

/* Closes the socket, waiting up to linger_ms for queued messages to leave,
 * and frees the publisher (and its context when it created one). NULL is a
 * no-op. */
void gqlsse_publisher_free(gqlsse_publisher *p);

#ifdef __cplusplus
}
#endif
#endif
