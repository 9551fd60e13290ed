/* cmd_check_config.c: `gqlsse check-config`: loads a gqlsse-fcgi
 * configuration, its schema and its modules, and reports the first problem. */
#include "config.h"

#include "bin/cli.h"
#include "http/app.h"
#include "http/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gqlsse_cmd_check_config(int argc, char **argv)
{
    const char *path = getenv(GQLSSE_CONFIG_ENV);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            puts("Usage: gqlsse check-config [--config FILE | FILE]\n"
                 "\n"
                 "Checks a gqlsse-fcgi configuration: every key, the schema files (built\n"
                 "and validated as the worker does) and the modules (loaded, API version,\n"
                 "coordinates present in the schema). Default file: $" GQLSSE_CONFIG_ENV ".\n"
                 "Exit status 0 when fine, 2 with a message on stderr otherwise.");
            return CLI_OK;
        }
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            path = argv[++i];
        else if (argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "gqlsse check-config: unknown option %s\n", argv[i]);
            return CLI_USAGE;
        }
    }
    if (!path) {
        fprintf(stderr, "gqlsse check-config: no configuration file (--config FILE or $%s)\n",
                GQLSSE_CONFIG_ENV);
        return CLI_USAGE;
    }
    gqlsse_conf conf;
    gqlsse_conf_defaults(&conf);
    char err[4096];
    int rc = CLI_OK;
    if (gqlsse_conf_load(&conf, path, err, sizeof err) < 0 ||
        gqlsse_conf_check(&conf, err, sizeof err) < 0) {
        fprintf(stderr, "gqlsse check-config: %s\n", err);
        rc = CLI_USAGE;
    } else {
        gqlsse_app app;
        if (gqlsse_app_load(&app, &conf, NULL, NULL, err, sizeof err) < 0) {
            fprintf(stderr, "gqlsse check-config: %s\n", err);
            rc = CLI_USAGE;
        } else {
            printf("%s: OK (%zu schema file%s, %zu module%s, %zu subscription source%s, "
                   "%zu field%s bound to broker events)\n",
                   path, conf.nschema_files, conf.nschema_files == 1 ? "" : "s", app.nmodules,
                   app.nmodules == 1 ? "" : "s", app.nsources, app.nsources == 1 ? "" : "s",
                   app.nbindings, app.nbindings == 1 ? "" : "s");
        }
        gqlsse_app_unload(&app);
    }
    gqlsse_conf_free(&conf);
    return rc;
}
