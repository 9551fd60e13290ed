#!/bin/sh
# Parse + validate throughput of gqlsse beside graphql-js 16 `validate` in the same run:
# the introspection query and a kitchen-sink query with fragments against a generated
# ~100-type schema. Run from the build directory after `make`:
#   bench/validate.sh [SECONDS]         (default 2 seconds per measurement)
# Environment: GRAPHQL_JS_DIR (node_modules with graphql; default tests/node_modules),
# NODE, CC.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=$(pwd)
seconds=${1:-2}
: "${NODE:=node}"
: "${CC:=cc}"
: "${GRAPHQL_JS_DIR:=$top/tests/node_modules}"
export GRAPHQL_JS_DIR
lib=$build/.libs
if [ ! -f "$lib/libgqlsse.so" ] && [ ! -f "$lib/libgqlsse.a" ]; then
    echo "validate.sh: build libgqlsse first (make), then run from the build directory" >&2
    exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-vbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$NODE" "$here/validate_bench.mjs" --generate "$tmp"
"$CC" -O2 -I"$top/include" -o "$tmp/validate_bench" "$here/validate_bench.c" \
    -L"$lib" -lgqlsse -Wl,-rpath,"$lib"
printf '%-16s %14s %14s %8s %s\n' document "gqlsse ops/s" "graphql-js" ratio errors
for doc in introspection kitchen; do
    set -- $("$tmp/validate_bench" "$tmp/schema.graphql" "$tmp/$doc.graphql" "$seconds")
    c_ops=$1 c_err=$2
    set -- $("$NODE" "$here/validate_bench.mjs" "$tmp/schema.graphql" "$tmp/$doc.graphql" "$seconds")
    j_ops=$1 j_err=$2
    ratio=$(awk -v a="$c_ops" -v b="$j_ops" 'BEGIN { printf "%.1fx", a / b }')
    printf '%-16s %14s %14s %8s %s\n' "$doc" "$c_ops" "$j_ops" "$ratio" "$c_err/$j_err"
done
