/* conf.h: the worker's configuration file (`key = value` lines), its
 * defaults and validation. Shared by gqlsse-fcgi and `gqlsse check-config`. */
#ifndef GQLSSE_HTTP_CONF_H
#define GQLSSE_HTTP_CONF_H

#include <stddef.h>

#include <gqlsse/parser.h>

/* The environment variable naming the configuration file when --config is
 * not given (settable with FcgidInitialEnv / lighttpd bin-environment). */
#define GQLSSE_CONFIG_ENV "GQLSSE_CONFIG"

typedef struct gqlsse_conf {
    char *path;                   /* the file read, NULL for defaults only */
    char **schema_files;          /* absolute or relative to the file's directory */
    size_t nschema_files;
    char **modules;               /* shared objects to dlopen, in order */
    size_t nmodules;
    char *endpoint;               /* "/graphql" */
    unsigned keep_alive_ms;       /* 12000; 0 disables keep-alive comments */
    int sse_http1;                /* sse_distinct_connections_for_http1, default 0 */
    int allow_queries_sse;        /* allow_queries_with_sse, default 0 (Undine) */
    int allow_mutations_sse;      /* allow_mutations_with_sse, default 0 (Undine) */
    size_t max_body_bytes;        /* 1 MiB */
    size_t max_document_bytes;    /* 100 000 */
    unsigned max_document_depth;  /* 64 */
    unsigned max_document_tokens; /* 10 000 */
    unsigned max_streams;         /* open streams per process, 10 000 */
    unsigned max_backlog;         /* events queued per slow stream, 100 */
    int log_level;                /* GQLSSE_LOG_INFO */
    char *listen;                 /* default for --listen, NULL: none */
    char *broker;                 /* gqlsse-broker backend (workers connect), "tcp://127.0.0.1:5562" */
    /* single connection mode (docs/single-connection.md) */
    int single_connection;        /* single_connection, default 1: PUT/DELETE and tokens served */
    char *broker_publish;         /* gqlsse-broker frontend (control messages), "tcp://127.0.0.1:5561" */
    char *memcached;              /* "HOST:PORT[,HOST:PORT...]", "127.0.0.1:11211" */
    char *memcached_prefix;       /* "gqlsse:" */
    char *session_cookie;         /* cookie naming a session, NULL: off */
    char *session_key_prefix;     /* session key = this + cookie value, "session:" */
    unsigned lock_ttl_s;          /* single_connection_lock_ttl, 30 */
    unsigned operation_wait_ms;   /* operation_wait_timeout, 30 000 */
    /* gqlsse-ws (GraphQL over WebSocket), docs/websocket.md */
    char *ws_listen;              /* default for gqlsse-ws --listen, NULL: none */
    unsigned ws_init_timeout_ms;  /* connection_init wait, 3000 (Undine); 0 disables */
    unsigned ws_ping_interval_ms; /* server pings, 12000; 0 disables (and dead-peer checks) */
    size_t ws_max_message_bytes;  /* largest client message, 1 MiB */
    unsigned ws_max_operations;   /* active operations per socket, 100 */
    size_t ws_max_backlog_bytes;  /* outbound bytes queued per socket, 1 MiB */
    unsigned ws_max_sockets;      /* open sockets per process, 10 000 */
    char **ws_trusted_proxies;    /* peer addresses whose identity header counts ("unix" too) */
    size_t nws_trusted_proxies;
    char *ws_identity_header;     /* "X-Remote-User" */
    int ws_allow_queries;         /* ws_allow_queries (Undine ALLOW_QUERIES_WITH_WEBSOCKETS), 0 */
    int ws_allow_mutations;       /* ws_allow_mutations, default 0 */
} gqlsse_conf;

/* Fills `c` with the defaults (allocating the default endpoint). */
void gqlsse_conf_defaults(gqlsse_conf *c);

/* Reads `path` over the defaults already in `c`. Returns 0, or -1 with a
 * message "PATH:LINE: problem" in err. Relative paths in the file (schema,
 * module) are made relative to the file's directory. Not thread-safe
 * (called once at start-up). */
int gqlsse_conf_load(gqlsse_conf *c, const char *path, char *err, size_t errlen);

/* Checks what can be checked without loading anything: at least one schema,
 * endpoint starting with '/', limits non-zero. Returns 0 or -1 with err. */
int gqlsse_conf_check(const gqlsse_conf *c, char *err, size_t errlen);

/* Frees what `c` owns. */
void gqlsse_conf_free(gqlsse_conf *c);

/* The document limits (max_document_size, _tokens, _depth) as the parser's
 * options: what every transport parses a request's document with. */
gql_parse_options gqlsse_conf_parse_options(const gqlsse_conf *c);

#endif
