/* gqlsse-fcgi.c: the FastCGI worker's main: spawned by mod_fcgid / lighttpd
 * bin-path (listening socket on fd 0) or standalone with --listen. */
#include "config.h"

#include "bin/daemon_opts.h"
#include "http/server.h"

#include <fcgiapp.h>

#include <errno.h>
#include <stdio.h>
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
    gqlsse_daemon_opts o;
    int status = gqlsse_daemon_opts_parse(&o, argc, argv, "gqlsse-fcgi", usage);
    if (status >= 0)
        return status;
    gqlsse_logger lg = {.level = GQLSSE_LOG_INFO, .prog = "gqlsse-fcgi"};
    gqlsse_conf conf;
    if (gqlsse_daemon_conf_load(&conf, o.config, &lg) < 0)
        return 1;
    char err[4096];
    const char *listen_addr = o.listen ? o.listen : conf.listen;

    /* libfcgi: its library state, the fd-0 convention, the socket opener. */
    if (FCGX_Init() != 0) {
        gqlsse_log(&lg, GQLSSE_LOG_ERROR, "FCGX_Init failed");
        gqlsse_conf_free(&conf);
        return 1;
    }
    int fd;
    if (listen_addr) {
        fd = open_listener(&lg, listen_addr, o.backlog);
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
