/* gqlsse-ws.c: the WebSocket daemon's main (GraphQL over WebSocket,
 * graphql-transport-ws), run beside gqlsse-fcgi behind the same web server. */
#include "config.h"

#include "http/conf.h"
#include "http/log.h"
#include "ws/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    const char *config = getenv(GQLSSE_CONFIG_ENV);
    const char *listen_addr = NULL;
    int backlog = 1024;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("gqlsse-ws %s\n", PACKAGE_VERSION);
            return 0;
        } else if (!strcmp(a, "--config") && i + 1 < argc) {
            config = argv[++i];
        } else if (!strcmp(a, "--listen") && i + 1 < argc) {
            listen_addr = argv[++i];
        } else if (!strcmp(a, "--backlog") && i + 1 < argc) {
            backlog = atoi(argv[++i]);
        } else {
            fprintf(stderr, "gqlsse-ws: unknown or incomplete option '%s'\n\n", a);
            usage(stderr);
            return 1;
        }
    }
    gqlsse_logger lg = {.level = GQLSSE_LOG_INFO, .prog = "gqlsse-ws"};
    if (!config) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "no configuration: give --config FILE or set %s",
                   GQLSSE_CONFIG_ENV);
        return 1;
    }
    gqlsse_conf conf;
    gqlsse_conf_defaults(&conf);
    char err[4096];
    if (gqlsse_conf_load(&conf, config, err, sizeof err) < 0 ||
        gqlsse_conf_check(&conf, err, sizeof err) < 0) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "%s", err);
        gqlsse_conf_free(&conf);
        return 1;
    }
    lg.level = conf.log_level;
    if (!listen_addr)
        listen_addr = conf.ws_listen;
    if (!listen_addr) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "nowhere to listen: give --listen or set ws_listen");
        gqlsse_conf_free(&conf);
        return 1;
    }
    gqlsse_ws_server *srv = gqlsse_ws_server_new(&conf, &lg, err, sizeof err);
    if (!srv || gqlsse_ws_server_listen(srv, listen_addr, backlog > 0 ? backlog : 1024, err,
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
