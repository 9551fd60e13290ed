/* daemon_opts.h: what the mains of the two servers, gqlsse-fcgi and
 * gqlsse-ws, share: their command line (--config, --listen, --backlog,
 * -h/--help, --version) and loading the configuration file it names. */
#ifndef GQLSSE_BIN_DAEMON_OPTS_H
#define GQLSSE_BIN_DAEMON_OPTS_H

#include <stdio.h>

#include "http/conf.h"
#include "http/log.h"

typedef struct gqlsse_daemon_opts {
    const char *config; /* --config FILE, else $GQLSSE_CONFIG; NULL: neither (argv/environ's) */
    const char *listen; /* --listen ADDR; NULL: not given (argv's) */
    int backlog;        /* --backlog N as atoi reads it; 1024 when not given */
} gqlsse_daemon_opts;

/* Reads the command line of `prog` into `o`. Returns -1 when the program
 * goes on; else the exit status: 0 after -h/--help (`usage` on stdout) or
 * --version, 1 after an unknown or incomplete option (said on stderr,
 * followed by `usage`). */
int gqlsse_daemon_opts_parse(gqlsse_daemon_opts *o, int argc, char **argv, const char *prog,
                             void (*usage)(FILE *f));

/* Loads and checks the configuration file `path` over the defaults into
 * `conf` and sets lg->level from it. Returns 0 (`conf` is then the
 * caller's to gqlsse_conf_free), or -1 after logging why (no path, or the
 * file's problem; nothing is left to free). */
int gqlsse_daemon_conf_load(gqlsse_conf *conf, const char *path, gqlsse_logger *lg);

#endif
