/* cmd_schema.h: `gqlsse print-schema`, the schema subcommand (cmd_schema.c). */
#ifndef GQLSSE_CMD_SCHEMA_H
#define GQLSSE_CMD_SCHEMA_H

/* gqlsse print-schema --schema FILE [--schema FILE...] [--json-errors]
 * [--no-validate]:
 * prints graphql-js printSchema of the schema built from the files.
 * argv[0] is the subcommand's name. Returns the exit status: 0 printed,
 * 2 usage, I/O or schema error (every problem listed as FILE:LINE:COLUMN). */
int gqlsse_cmd_print_schema(int argc, char **argv);

#endif
