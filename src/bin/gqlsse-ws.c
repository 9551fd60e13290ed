/* gqlsse-ws.c: the WebSocket daemon's main (GraphQL over WebSocket,
 * graphql-transport-ws), run beside gqlsse-fcgi behind the same web server. */
#include "config.h"

#include "bin/daemon_opts.h"
#include "ws/server.h"

#include <stdio.h>

static void usage(FILE *f)
{
    fputs("Usage: gqlsse-ws [--config FILE] [--listen HOST:PORT|PORT|unix:PATH]\n"
          "\n"
          "GraphQL over WebSocket (the graphql-transport-ws subprotocol of graphql-ws)\n"
          "for the schema and modules of a gqlsse configuration: the web server proxies\n"
          "WebSocket upgrade requests for the endpoint here. HOST defaults to 127.0.0.1.\n"
          "\n"
          "  --config FILE   configuration file (default: $" GQLSSE_CONFIG_ENV ")\n"
          "  --listen ADDR   listen on ADDR (default: the ws_listen key)\n"
          "  --backlog N     listen backlog (default 1024)\n"
          "  -h, --help      this help; --version the version\n"
          "\n"
          "Configuration keys (ws_*): docs/configuration.md; protocol: docs/websocket.md.\n"
          "SIGTERM closes every socket with 1001 \"Going away\" and exits 0; exit status 1\n"
          "on a configuration or start-up error.\n",
          f);
}

int main(int argc, char **argv)
{
    gqlsse_daemon_opts o;
    int status = gqlsse_daemon_opts_parse(&o, argc, argv, "gqlsse-ws", usage);
    if (status >= 0)
        return status;
    gqlsse_logger lg = {.level = GQLSSE_LOG_INFO, .prog = "gqlsse-ws"};
    gqlsse_conf conf;
    if (gqlsse_daemon_conf_load(&conf, o.config, &lg) < 0)
        return 1;
    char err[4096];
    const char *listen_addr = o.listen ? o.listen : conf.ws_listen;
    if (!listen_addr) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "nowhere to listen: give --listen or set ws_listen");
        gqlsse_conf_free(&conf);
        return 1;
    }
    gqlsse_ws_server *srv = gqlsse_ws_server_new(&conf, &lg, err, sizeof err);
    if (!srv || gqlsse_ws_server_listen(srv, listen_addr, o.backlog > 0 ? o.backlog : 1024, err,
                                        sizeof err) < 0) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "%s", err);
        gqlsse_ws_server_free(srv);
        gqlsse_conf_free(&conf);
        return 1;
    }
    int rc = gqlsse_ws_server_run(srv);
    gqlsse_ws_server_free(srv);
    gqlsse_conf_free(&conf);
    return rc;
}
