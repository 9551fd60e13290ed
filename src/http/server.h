/* server.h: the FastCGI worker: one epoll loop serving many concurrent
 * FastCGI connections (one request each at a time), GraphQL over HTTP and
 * graphql-sse distinct connections streams. See docs/worker-design.md. */
#ifndef GQLSSE_HTTP_SERVER_H
#define GQLSSE_HTTP_SERVER_H

#include "http/conf.h"
#include "http/log.h"

typedef struct gqlsse_server gqlsse_server;

/* Loads the app described by `conf` (schema, modules) and prepares the loop.
 * `conf` and `log` must outlive the server. Returns a server owned by the
 * caller (gqlsse_server_free), or NULL with a message in err.
 * Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (they are read
 * through a signalfd) and ignores SIGPIPE. */
gqlsse_server *gqlsse_server_new(const gqlsse_conf *conf, const gqlsse_logger *log,
                                 char *err, size_t errlen);

/* Serves FastCGI on the listening socket `fd` (taken over: closed by the
 * server). Returns 0, -1 on error. */
int gqlsse_server_add_listener(gqlsse_server *s, int fd);

/* Runs until SIGTERM/SIGINT/SIGHUP: then stops accepting, ends every stream
 * (queued events flushed, FastCGI request ended, sources stopped) and
 * returns within a few seconds. Returns the process exit status. */
int gqlsse_server_run(gqlsse_server *s);

void gqlsse_server_free(gqlsse_server *s);

#endif
