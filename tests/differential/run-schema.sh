#!/bin/sh
# Differential test of `gqlsse print-schema` (schema building, SDL validation,
# validateSchema, printSchema) against graphql-js 16.15.0.
#
# For every case under tests/differential/schema/ (NAME.graphql, or a folder NAME/
# of .graphql files taken together) schema-diff.mjs runs
#   gqlsse print-schema --json-errors --schema FILE...
# and compares it with graphql-js: printSchema(buildSchema(sdl)) + "\n" for a valid
# schema (as shared/oracle/oracle.mjs print-schema prints it); for an invalid one
# exit status 2 and the errors graphql-js reports (messages joined by "\n\n" are what
# buildSchema / assertValidSchema throw; locations compared too).
#
# Run by `make check` with GQLSSE, NODE, top_srcdir and top_builddir in the
# environment; by hand:  tests/differential/run-schema.sh [NAME-GLOB...]
# Environment:
#   GQLSSE          the gqlsse binary (default: $top_builddir/gqlsse)
#   NODE            node (default: node on PATH); none => skipped (exit 77)
#   GRAPHQL_JS_DIR  a node_modules folder holding graphql@16.15.0 (default:
#                   tests/node_modules, installed from tests/package-lock.json with
#                   `npm ci` when missing)
# Prints each failing case, then "N passed, M failed"; exits 1 on any failure.
set -u

me=run-schema.sh
script_dir=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$script_dir/../..}"
: "${top_builddir:=.}"
abs_top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
abs_top_builddir=$(cd "$top_builddir" && pwd) || exit 1
srcdir=$abs_top_srcdir/tests/differential
: "${GQLSSE:=$abs_top_builddir/gqlsse}"
if [ -z "${NODE:-}" ]; then
    NODE=$(command -v node 2>/dev/null || true)
fi
if [ -z "$NODE" ]; then
    echo "$me: SKIP: node not found (configure found none); the differential tests need node" >&2
    exit 77
fi
if [ ! -x "$GQLSSE" ]; then
    echo "$me: FAIL: gqlsse binary not found at $GQLSSE (build it first, or set GQLSSE)" >&2
    echo "0 passed, 0 failed"
    exit 1
fi
if ! "$GQLSSE" print-schema --help > /dev/null 2>&1; then
    # src/bin/gqlsse.c dispatches to gqlsse_cmd_print_schema (cmd_schema.c) once
    # its owner adds the command.
    echo "$me: SKIP: $GQLSSE has no print-schema command yet" >&2
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-schema.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# ---- graphql-js 16.15.0 (as run-syntax.sh finds it) -----------------------------
want_version=16.15.0
graphql_version() { # node_modules dir -> version or nothing
    [ -f "$1/graphql/package.json" ] || return 0
    "$NODE" -e 'process.stdout.write(require(process.argv[1]).version)' "$1/graphql/package.json" 2>/dev/null
}
npm_ci() { # dir holding package.json + package-lock.json
    npm=$(dirname "$NODE")/npm
    [ -x "$npm" ] || npm=npm
    echo "$me: installing graphql@$want_version with npm ci in $1" >&2
    (cd "$1" && "$npm" ci --no-audit --no-fund --loglevel=error) >&2
}
if [ -n "${GRAPHQL_JS_DIR:-}" ]; then
    gjs=$GRAPHQL_JS_DIR
elif [ "$(graphql_version "$abs_top_srcdir/tests/node_modules")" = "$want_version" ]; then
    gjs=$abs_top_srcdir/tests/node_modules
elif [ -w "$abs_top_srcdir/tests" ]; then
    npm_ci "$abs_top_srcdir/tests" || { echo "$me: FAIL: npm ci failed" >&2; exit 1; }
    gjs=$abs_top_srcdir/tests/node_modules
else
    mkdir "$tmp/npm" &&
        cp "$abs_top_srcdir/tests/package.json" "$abs_top_srcdir/tests/package-lock.json" "$tmp/npm/" &&
        npm_ci "$tmp/npm" || { echo "$me: FAIL: npm ci failed" >&2; exit 1; }
    gjs=$tmp/npm/node_modules
fi
gjs=$(cd "$gjs" && pwd) || exit 1
have=$(graphql_version "$gjs")
if [ "$have" != "$want_version" ]; then
    echo "$me: FAIL: $gjs holds graphql ${have:-(none)}, not $want_version" >&2
    exit 1
fi

GRAPHQL_JS_DIR=$gjs exec "$NODE" "$srcdir/schema-diff.mjs" --gqlsse "$GQLSSE" \
    --dir "$srcdir/schema" "$@"
