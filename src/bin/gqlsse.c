/* gqlsse.c: the `gqlsse` command line; dispatches to the subcommands. */
#include "config.h"

#include "bin/cli.h"
#include "bin/cmd_schema.h"

#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"validate", gqlsse_cmd_validate, "check a document against a schema; print {\"errors\":[...]}"},
    {"execute", gqlsse_cmd_execute, "execute a document against a schema and a root JSON value"},
    {"format", gqlsse_cmd_format, "print a document as graphql-js print() does"},
    {"print-schema", gqlsse_cmd_print_schema, "print a schema built from SDL files as graphql-js printSchema"},
    {"check-config", gqlsse_cmd_check_config, "check a gqlsse-fcgi configuration, its schema and modules"},
    {"publish", gqlsse_cmd_publish, "publish a model or custom event to gqlsse-broker"},
};

static void usage(FILE *f)
{
    fputs("Usage: gqlsse COMMAND [options]\n"
          "\n"
          "GraphQL tools of gqlsse (GraphQL subscriptions over Server-Sent Events).\n"
          "\n"
          "Commands:\n",
          f);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "Run `gqlsse COMMAND --help` for a command's options.\n"
          "  --version      print the version\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("gqlsse %s\n", PACKAGE_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "gqlsse: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return CLI_USAGE;
}
