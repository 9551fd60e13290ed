/* server_internal.h: what the gqlsse-fcgi worker's two halves share:
 * server.c (FastCGI connections, GraphQL over HTTP, SSE streams) and
 * single.c (graphql-sse single connection mode: reservations, streams held
 * across worker processes, their operations; docs/single-connection.md).
 * Internal to src/http (not installed). Everything runs on the server's
 * loop thread; nothing here is thread-safe. */
#ifndef GQLSSE_HTTP_SERVER_INTERNAL_H
#define GQLSSE_HTTP_SERVER_INTERNAL_H

#include "http/server.h"

#include "http/hub.h"
#include "http/loop.h"
#include "http/request.h"
#include "http/store.h"
#include "util/list.h"
#include "util/strmap.h"
#include "bus/subscriber.h"

#include <gqlsse/buf.h>
#include <gqlsse/publish.h>

#include <stddef.h>
#include <stdint.h>

typedef struct chunk chunk;
typedef struct stream stream;
typedef struct conn conn;
typedef struct sop sop;         /* single.c: an operation on a stream held here */
typedef struct pending pending; /* single.c: a submission waiting for its stream */
typedef struct listener listener;

enum conn_state { C_IDLE, C_PARAMS, C_STDIN, C_DONE };

/* An SSE response in progress on a connection: distinct connections mode
 * (one operation, `op`) or single connection mode (`single`: the stream
 * reserved with `token`, carrying the operations in `ops`). Freed when it
 * ends. */
struct stream {
    conn *c;
    gqlsse_timer keepalive;
    uint64_t last_write;
    int finished; /* complete/end sent or client gone */
    gqlsse_op *op; /* its running subscription operation, NULL when none */
    gqlsse_link link;    /* the server's open streams */
    /* single connection mode */
    int single;
    char token[GQLSSE_TOKEN_LEN + 1];
    char *identity;
    gqlsse_list ops;     /* sop.link */
    gqlsse_timer locktimer; /* refreshes the stream lock every lock TTL / 3 */
};

struct conn {
    gqlsse_io io;
    gqlsse_server *srv;
    int dead;
    int close_after_drain;
    int keep_conn;
    enum conn_state state;
    uint16_t req_id;
    unsigned char *rbuf; /* a partial record */
    size_t rlen;
    gqlsse_request req;
    chunk *out_head, *out_tail;
    unsigned nqueued;
    int want_out;
    stream *stream;
    pending *pending;   /* a single connection submission waiting for its stream */
    gqlsse_link link;   /* the server's live connections */
    conn *next_dead;
};

struct gqlsse_server {
    const gqlsse_conf *conf;
    const gqlsse_logger *log;
    gqlsse_loop *loop;
    gqlsse_hub *hub;         /* the app and the running subscription operations */
    const gqlsse_app *app;   /* the hub's */
    listener *listeners;
    gqlsse_io sigio;
    int sigfd;
    int shutting_down;
    uint64_t shutdown_deadline;
    gqlsse_list conns;       /* live connections (conn.link) */
    conn *dead;
    gqlsse_list streams;     /* open streams (stream.link) */
    unsigned nstreams;
    unsigned char *rscratch;
    gql_buf out;             /* one event's FastCGI records */
    /* single connection mode (single.c) */
    gqlsse_store *store;     /* memcached (connects on first use) */
    gqlsse_bus_sub *ctl;     /* control topics of the streams held here; NULL until needed */
    gqlsse_io ctlio;
    gqlsse_timer ctltimer;   /* 0 ms: drain again */
    gqlsse_publisher *pub;   /* control messages to other processes; NULL until needed */
    gql_strmap singles;      /* token -> single connection stream held here (key in the stream) */
    gqlsse_list pendings;    /* submissions waiting for their stream (pending.link) */
};

#define LOG(s, lv, ...) gqlsse_log((s)->log, (lv), __VA_ARGS__)

/* The error event that ends an operation whose client reads too slowly. */
#define GQLSSE_BACKLOG_OVERFLOW_JSON                                                              \
    "{\"errors\":[{\"message\":\"Too many events are waiting for this slow client; the "         \
    "operation was stopped. Subscribe again.\",\"extensions\":{\"status_code\":503,"             \
    "\"error_code\":\"STREAM_BACKLOG_OVERFLOW\"}}]}"

/* ---- server.c, for single.c ---- */

/* Closes the connection now (its stream and pending submission end with
 * it); it is freed on the next loop turn. `why` is logged (NULL: quietly). */
void gqlsse_conn_kill(conn *c, const char *why);

/* A complete response: headers, body, END_REQUEST. `extra` is header lines
 * ending in \r\n (or NULL). The connection may die while sending. */
void gqlsse_conn_respond(conn *c, int status, const char *ctype, const char *extra,
                         const char *body, size_t len);

/* {"errors":[{"message":MESSAGE}]}; `ctype` NULL: application/json. */
void gqlsse_conn_respond_error(conn *c, int status, const char *ctype, const char *extra,
                               const char *message);

/* The request's Accept negotiated (GraphQL over HTTP or SSE); NONE after
 * answering 406 with the supported types. */
gqlsse_accept gqlsse_conn_negotiate(conn *c);

/* The hooks' parameter lookup over a gqlsse_request (`data`). */
const char *gqlsse_conn_param(void *data, const char *name);

/* Starts the SSE response on `c` (headers, first comment, keep-alives).
 * Returns the stream (owned by the connection: freed when it ends), or
 * NULL when out of memory (the connection may have died). */
stream *gqlsse_sse_open(conn *c, const char *protocol);

/* Sends one SSE event `event: NAME\ndata: PREFIX JSON SUFFIX\n\n` (counted
 * against the backlog unless `force`). Returns 0, 1 when the backlog
 * overflowed (nothing sent), -1 when the connection died (and took the
 * stream with it). */
int gqlsse_sse_send(stream *st, const char *event, const char *prefix, const char *data,
                    size_t len, const char *suffix, int force);

/* Ends the stream: `event: complete` (when `complete`), END_REQUEST. */
void gqlsse_sse_finish(stream *st, int complete);

/* ---- single.c, for server.c ---- */

/* Creates the memcached store (it connects on first use). Returns 0, or -1
 * with a message in err. */
int gqlsse_single_init(gqlsse_server *s, char *err, size_t errlen);

/* Frees the broker sockets and the store. Safe after a failed init. */
void gqlsse_single_fini(gqlsse_server *s);

/* The stream token of a request (header, else ?token=), malloc'd; NULL
 * when there is none. */
char *gqlsse_single_token(const gqlsse_request *rq);

/* Every single connection request: PUT, DELETE, GET/POST with a token.
 * Sends the response, or opens a stream, or leaves a pending submission. */
void gqlsse_single_request(conn *c, const char *method, char *token);

/* The stream (st->single) is over, whatever the reason: its operations
 * stop (no complete events), its lock and reservation are released. */
void gqlsse_single_stream_closed(stream *st);

/* Drops a pending submission without answering (its operation id is
 * released); c->pending is NULL again. */
void gqlsse_single_pending_cancel(pending *p);

/* Shutdown: every pending submission is answered 503. */
void gqlsse_single_shutdown(gqlsse_server *s);

#endif
