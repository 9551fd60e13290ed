/* cli.h: helpers shared by the `gqlsse` subcommands (file reading, option
 * parsing, printing errors). Exit codes follow the command line contract. */
#ifndef GQLSSE_CLI_H
#define GQLSSE_CLI_H

#include <stddef.h>

#include <gqlsse/error.h>
#include <gqlsse/parser.h>

enum {
    CLI_OK = 0,      /* valid / no errors */
    CLI_ERRORS = 1,  /* the document has errors */
    CLI_USAGE = 2    /* usage, I/O or schema problem */
};

/* Reads a whole file ("-" or NULL: standard input). Returns a malloc'd,
 * NUL-terminated buffer owned by the caller, length in *len; NULL with a
 * message on stderr (naming the file) on failure. Refuses files larger than
 * max_bytes (0: no limit) with a clear message. */
char *cli_read_file(const char *path, size_t max_bytes, size_t *len);

/* Parses an unsigned decimal option value; returns 0 on success, prints a
 * usage message naming `opt` and returns -1 otherwise. */
int cli_parse_uint(const char *opt, const char *text, unsigned long *out);

/* Prints {"errors":[...]} and a newline on stdout. */
void cli_print_errors_json(const gql_error_list *errors);

/* Prints every error as "FILE:LINE:COLUMN: message" on stderr. */
void cli_print_errors_text(const char *file, const gql_error_list *errors);

/* Parses the parse-limit options shared by several commands:
 * --max-bytes N, --max-tokens N, --max-depth N. Returns 1 when argv[*i] was
 * one of them (advancing *i past its value), 0 when not, -1 on a bad value. */
int cli_parse_limit_option(int argc, char **argv, int *i, gql_parse_options *opts);

/* The --schema FILE options of a command (repeatable: the files are read
 * together as one SDL document). */
#define CLI_MAX_SCHEMA_FILES 64
typedef struct cli_schema_files {
    const char *paths[CLI_MAX_SCHEMA_FILES];
    size_t n;
} cli_schema_files;

/* Takes `--schema FILE` / `--schema=FILE` at argv[*i] (advancing *i past the
 * value). Returns 1 when taken, 0 when argv[*i] is another argument, -1 with
 * a message on stderr when the value is missing or there are too many. */
int cli_parse_schema_option(int argc, char **argv, int *i, cli_schema_files *files);

struct gql_schema;
/* Builds the schema from the files (gql_schema_load_files). On failure
 * prints "gqlsse: invalid schema:" and every problem (FILE:LINE:COLUMN:
 * message) on stderr and returns NULL. Free the result with gql_schema_free. */
struct gql_schema *cli_load_schema(const cli_schema_files *files);

/* Subcommands, each `int cmd(int argc, char **argv)` with argv[0] the
 * subcommand's name. */
int gqlsse_cmd_validate(int argc, char **argv);
int gqlsse_cmd_format(int argc, char **argv);
int gqlsse_cmd_execute(int argc, char **argv); /* cmd_execute.c */
int gqlsse_cmd_check_config(int argc, char **argv); /* cmd_check_config.c */
int gqlsse_cmd_publish(int argc, char **argv); /* cmd_publish.c */

#endif
