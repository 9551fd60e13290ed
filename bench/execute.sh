#!/bin/sh
# Execution throughput of gqlsse beside graphql-js 16 execute() in the same run:
#   tree           a 3-level query returning 1,110 objects (default resolvers over a
#                  root JSON value): gql_execute vs execute() + JSON.stringify
#   event          one subscription event mapped through a 20-field selection set:
#                  gql_plan_map_event on a plan made once vs what graphql-js subscribe's
#                  mapSourceToResponse does per event (execute() with the event as root)
#   introspection  the standard introspection query (pre-parsed, validated) against
#                  the ~100-type schema of bench/validate.sh
# Each side prints the median of 5 runs, pinned to one core (BENCH_CPU, default 0)
# with taskset when available; both produce the response text (the "bytes" columns
# must match). graphql-js's figure without JSON.stringify is shown in brackets.
# Run from the build directory after `make`:
#   bench/execute.sh [SECONDS]          (default 2 seconds per measurement)
# Environment: GRAPHQL_JS_DIR (node_modules with graphql; default tests/node_modules,
# installed with npm ci when missing), NODE, CC, CFLAGS (default -O2), BENCH_CPU.
set -eu
me=bench/execute.sh
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=$(pwd)
seconds=${1:-2}
: "${NODE:=node}"
: "${CC:=cc}"
: "${CFLAGS:=-O2}"
: "${BENCH_CPU:=0}"
lib=$build/.libs
if [ ! -f "$lib/libgqlsse.so" ] && [ ! -f "$lib/libgqlsse.a" ]; then
    echo "$me: build libgqlsse first (make), then run from the build directory" >&2
    exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-xbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# shellcheck source=tests/differential/graphql-js.sh
. "$top/tests/differential/graphql-js.sh"
find_graphql_js "$top" "$tmp" || exit 2
GRAPHQL_JS_DIR=$gjs
export GRAPHQL_JS_DIR

pin=
if command -v taskset > /dev/null 2>&1 && taskset -c "$BENCH_CPU" true 2> /dev/null; then
    pin="taskset -c $BENCH_CPU"
fi

"$NODE" "$here/validate_bench.mjs" --generate "$tmp"
"$NODE" "$here/execute_bench.mjs" --generate "$tmp"
# shellcheck disable=SC2086
"$CC" $CFLAGS -I"$top/include" $(pkg-config --cflags json-c 2> /dev/null || true) \
    -o "$tmp/execute_bench" "$here/execute_bench.c" \
    -L"$lib" -lgqlsse -Wl,-rpath,"$lib" $(pkg-config --libs json-c 2> /dev/null || echo -ljson-c)

echo "execution throughput, ${seconds}s per measurement, median of 5 runs${pin:+, pinned to CPU $BENCH_CPU}"
printf '%-14s %13s %13s %21s %8s %s\n' case "gqlsse ops/s" bytes "graphql-js ops/s" ratio bytes
for case in tree event introspection; do
    case $case in
    tree) set -- "$tmp/exec.graphql" "$tmp/tree.graphql" "$tmp/tree.json" ;;
    event) set -- "$tmp/exec.graphql" "$tmp/event.graphql" "$tmp/event.json" ;;
    introspection) set -- "$tmp/schema.graphql" "$tmp/introspection.graphql" - ;;
    esac
    # shellcheck disable=SC2086
    c=$($pin "$tmp/execute_bench" "$case" "$@" "$seconds")
    # shellcheck disable=SC2086
    j=$($pin "$NODE" "$here/execute_bench.mjs" "$case" "$@" "$seconds")
    set -- $c $j
    ratio=$(awk -v a="$1" -v b="$3" 'BEGIN { printf "%.1fx", a / b }')
    printf '%-14s %13s %13s %11s %9s %8s %s\n' "$case" "$1" "$2" "$3" "($5)" "$ratio" "$4"
done
