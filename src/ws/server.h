/* server.h: gqlsse-ws, GraphQL over WebSocket (graphql-transport-ws as the
 * graphql-ws 6 server speaks it, with Undine's differences): one epoll loop
 * (http/loop.h) holding many sockets, wslay for the frames. See
 * docs/websocket.md. One server per process, loop thread only. */
#ifndef GQLSSE_WS_SERVER_H
#define GQLSSE_WS_SERVER_H

#include "http/conf.h"
#include "http/log.h"

typedef struct gqlsse_ws_server gqlsse_ws_server;

/* Loads the app of `conf` (schema, modules) and prepares the loop. `conf`
 * and `log` must outlive the server. Returns a server owned by the caller
 * (gqlsse_ws_server_free), or NULL with a message in err. Blocks SIGTERM,
 * SIGINT, SIGHUP in the calling thread (read through a signalfd) and
 * ignores SIGPIPE. */
gqlsse_ws_server *gqlsse_ws_server_new(const gqlsse_conf *conf, const gqlsse_logger *log,
                                       char *err, size_t errlen);

/* Opens a listening socket on "HOST:PORT", "PORT" (127.0.0.1) or
 * "unix:PATH" and serves it. Returns 0, or -1 with a message in err. */
int gqlsse_ws_server_listen(gqlsse_ws_server *s, const char *addr, int backlog, char *err,
                            size_t errlen);

/* Runs until SIGTERM/SIGINT/SIGHUP, then closes every socket with 1001
 * "Going away" and returns once they are closed (at most a few seconds).
 * Returns the process exit status. */
int gqlsse_ws_server_run(gqlsse_ws_server *s);

void gqlsse_ws_server_free(gqlsse_ws_server *s);

#endif
