/* gqlsse-fcgi.c: the FastCGI worker's main: spawned by mod_fcgid / lighttpd
 * bin-path (listening socket on fd 0) or standalone with --listen. */
#include "config.h"

#include "http/conf.h"
#include "http/log.h"
#include "http/server.h"

#include <fcgiapp.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("Usage: gqlsse-fcgi [--config FILE] [--listen HOST:PORT|PORT|unix:PATH]\n"
          "\n"
          "GraphQL over HTTP and graphql-sse (distinct connections) as a FastCGI worker.\n"
          "Without --listen the listening socket is fd 0, as mod_fcgid and lighttpd\n"
          "`bin-path` spawn workers. HOST defaults to 127.0.0.1.\n"
          "\n"
          "  --config FILE   configuration file (default: $" GQLSSE_CONFIG_ENV ")\n"
          "  --listen ADDR   serve standalone on ADDR\n"
          "  --backlog N     listen backlog for --listen (default 1024)\n"
          "  -h, --help      this help; --version the version\n"
          "\n"
          "Configuration keys: docs/configuration.md. Exit status 0 after SIGTERM,\n"
          "1 on a configuration or start-up error.\n",
          f);
}

/* Opens the standalone listening socket with libfcgi's FCGX_OpenSocket
 * (":PORT" would bind every interface: we insist on a host). */
static int open_listener(const gqlsse_logger *lg, const char *addr, int backlog)
{
    char path[1024];
    if (strncmp(addr, "unix:", 5) == 0) {
        snprintf(path, sizeof path, "%s", addr + 5);
    } else if (strchr(addr, ':') == NULL) {
        snprintf(path, sizeof path, "127.0.0.1:%s", addr);
    } else if (addr[0] == ':') {
        snprintf(path, sizeof path, "127.0.0.1%s", addr);
    } else {
        snprintf(path, sizeof path, "%s", addr);
    }
    errno = 0;
    int fd = FCGX_OpenSocket(path, backlog);
    if (fd < 0) {
        gqlsse_log(lg, GQLSSE_LOG_ERROR, "cannot listen on %s: %s", path,
                   errno ? strerror(errno) : "FCGX_OpenSocket failed");
        return -1;
    }
    gqlsse_log(lg, GQLSSE_LOG_INFO, "listening on %s", path);
    return fd;
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
            printf("gqlsse-fcgi %s\n", PACKAGE_VERSION);
            return 0;
        } else if ((!strcmp(a, "--config") || !strcmp(a, "--listen") || !strcmp(a, "--backlog")) &&
                   i + 1 < argc) {
            if (a[2] == 'c')
                config = argv[++i];
            else if (a[2] == 'l')
                listen_addr = argv[++i];
            else
                backlog = atoi(argv[++i]);
        } else {
            fprintf(stderr, "gqlsse-fcgi: unknown or incomplete option '%s'\n\n", a);
            usage(stderr);
            return 1;
        }
    }
    gqlsse_logger lg = {.level = GQLSSE_LOG_INFO, .prog = "gqlsse-fcgi"};
    gqlsse_conf conf;
    gqlsse_conf_defaults(&conf);
    char err[4096];
    if (!config) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "no configuration: give --config FILE or set %s",
                   GQLSSE_CONFIG_ENV);
        gqlsse_conf_free(&conf);
        return 1;
    }
    if (gqlsse_conf_load(&conf, config, err, sizeof err) < 0 ||
        gqlsse_conf_check(&conf, err, sizeof err) < 0) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "%s", err);
        gqlsse_conf_free(&conf);
        return 1;
    }
    lg.level = conf.log_level;
    if (!listen_addr)
        listen_addr = conf.listen;

    /* libfcgi: its library state, the fd-0 convention, the socket opener. */
    if (FCGX_Init() != 0) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "FCGX_Init failed");
        gqlsse_conf_free(&conf);
        return 1;
    }
    int fd;
    if (listen_addr) {
        fd = open_listener(&lg, listen_addr, backlog);
    } else if (!FCGX_IsCGI()) {
        fd = 0; /* FCGI_LISTENSOCK_FILENO, handed over by the web server */
        gqlsse_log(&lg, GQLSSE_LOG_INFO, "spawned by the web server (listening socket on fd 0)");
    } else {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR,
                   "fd 0 is not a listening socket: run under mod_fcgid / lighttpd bin-path, "
                   "or give --listen HOST:PORT|unix:PATH");
        fd = -1;
    }
    if (fd < 0) {
        gqlsse_conf_free(&conf);
        return 1;
    }
    gqlsse_server *srv = gqlsse_server_new(&conf, &lg, err, sizeof err);
    if (!srv) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "%s", err);
        close(fd);
        gqlsse_conf_free(&conf);
        return 1;
    }
    if (gqlsse_server_add_listener(srv, fd) < 0) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "cannot watch the listening socket: %s", strerror(errno));
        gqlsse_server_free(srv);
        gqlsse_conf_free(&conf);
        return 1;
    }
    int rc = gqlsse_server_run(srv);
    gqlsse_server_free(srv);
    gqlsse_conf_free(&conf);
    return rc;
}
