/* daemon_opts.c: gqlsse-fcgi's and gqlsse-ws's shared command line. */
#include "config.h"

#include "bin/daemon_opts.h"

#include <stdlib.h>
#include <string.h>

int gqlsse_daemon_opts_parse(gqlsse_daemon_opts *o, int argc, char **argv, const char *prog,
                             void (*usage)(FILE *f))
{
    o->config = getenv(GQLSSE_CONFIG_ENV);
    o->listen = NULL;
    o->backlog = 1024;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("%s %s\n", prog, PACKAGE_VERSION);
            return 0;
        } else if (!strcmp(a, "--config") && i + 1 < argc) {
            o->config = argv[++i];
        } else if (!strcmp(a, "--listen") && i + 1 < argc) {
            o->listen = argv[++i];
        } else if (!strcmp(a, "--backlog") && i + 1 < argc) {
            o->backlog = atoi(argv[++i]);
        } else {
            fprintf(stderr, "%s: unknown or incomplete option '%s'\n\n", prog, a);
            usage(stderr);
            return 1;
        }
    }
    return -1;
}

int gqlsse_daemon_conf_load(gqlsse_conf *conf, const char *path, gqlsse_logger *lg)
{
    if (!path) {
        gqlsse_log(lg, GQLSSE_LOG_ERROR, "no configuration: give --config FILE or set %s",
                   GQLSSE_CONFIG_ENV);
        return -1;
    }
    char err[4096];
    gqlsse_conf_defaults(conf);
    if (gqlsse_conf_load(conf, path, err, sizeof err) < 0 ||
        gqlsse_conf_check(conf, err, sizeof err) < 0) {
        gqlsse_log(lg, GQLSSE_LOG_ERROR, "%s", err);
        gqlsse_conf_free(conf);
        return -1;
    }
    lg->level = conf->log_level;
    return 0;
}
