#!/bin/sh
# Parse throughput: gqlsse's parser (bench/parse_bench.c, compiled here with -O2
# from the sources) against graphql-js 16.15.0 parse() (bench/parse_bench.mjs), on
#   bench/kitchen-sink.graphql   ~50 KB of every construct (bench/gen-kitchen-sink.mjs)
#   bench/introspection.graphql  graphql-js getIntrospectionQuery()
# each parsed repeatedly for BENCH_SECONDS (default 2) per document, median of 5 runs,
# both pinned to one core (BENCH_CPU, default 0) with taskset when available.
#
# `make benchmarks` runs it from the build directory (it needs config.h from there);
# by hand:  cd BUILDDIR && SRCDIR/bench/run.sh
# Environment: CC (default cc), CFLAGS (default -O2), NODE (default node),
# GRAPHQL_JS_DIR (default SRCDIR/tests/node_modules, installed with npm ci when
# missing: tests/differential/graphql-js.sh), BENCH_SECONDS, BENCH_CPU.
set -eu

me=bench/run.sh
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${top_builddir:-.}" && pwd)
: "${CC:=cc}"
: "${CFLAGS:=-O2}"
: "${BENCH_SECONDS:=2}"
: "${BENCH_CPU:=0}"
docs="$srcdir/bench/kitchen-sink.graphql $srcdir/bench/introspection.graphql"

if [ ! -f "$builddir/config.h" ]; then
    echo "$me: no config.h in $builddir: run from the build directory after ./configure (or set top_builddir)" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# ---- build the C benchmark ---------------------------------------------------------
# Straight from the sources with $CFLAGS (whatever the build was configured with, e.g.
# sanitizers); if they no longer link on their own, against the built library instead.
lib_src="$srcdir/src/util/arena.c $srcdir/src/util/buf.c $srcdir/src/util/error.c \
$srcdir/src/graphql/ast.c $srcdir/src/graphql/lexer.c $srcdir/src/graphql/parser.c"
for extra in "$srcdir"/src/util/*.c; do
    case " $lib_src " in *" $extra "*) ;; *) lib_src="$lib_src $extra" ;; esac
done
# shellcheck disable=SC2086
if ! $CC $CFLAGS -DNDEBUG -I"$srcdir/include" -I"$srcdir/src" -I"$builddir" \
        -o "$tmp/parse_bench" "$srcdir/bench/parse_bench.c" $lib_src -lm 2> "$tmp/cc.log"; then
    echo "$me: compiling the parser sources directly failed; linking against $builddir/.libs/libgqlsse" >&2
    sed 's/^/  /' "$tmp/cc.log" >&2
    # shellcheck disable=SC2086
    $CC $CFLAGS -I"$srcdir/include" -I"$builddir" -o "$tmp/parse_bench" \
        "$srcdir/bench/parse_bench.c" -L"$builddir/.libs" -Wl,-rpath,"$builddir/.libs" -lgqlsse
fi

pin=
if command -v taskset > /dev/null 2>&1 && taskset -c "$BENCH_CPU" true 2> /dev/null; then
    pin="taskset -c $BENCH_CPU"
fi

# ---- graphql-js ---------------------------------------------------------------------
: "${NODE:=$(command -v node 2> /dev/null || true)}"
gjs=
if [ -n "$NODE" ]; then
    # shellcheck source=tests/differential/graphql-js.sh
    . "$srcdir/tests/differential/graphql-js.sh"
    find_graphql_js "$srcdir" "$tmp" || { echo "$me: no graphql-js; measuring gqlsse only" >&2; gjs=; }
else
    echo "$me: node not found; measuring gqlsse only" >&2
fi

# ---- measure --------------------------------------------------------------------------
echo "parse throughput, ${BENCH_SECONDS}s per document and parser, median of 5 runs${pin:+, pinned to CPU $BENCH_CPU}"
# shellcheck disable=SC2086
$pin "$tmp/parse_bench" -t "$BENCH_SECONDS" $docs > "$tmp/c.tsv"
if [ -n "$gjs" ]; then
    # shellcheck disable=SC2086
    GRAPHQL_JS_DIR=$gjs $pin "$NODE" "$srcdir/bench/parse_bench.mjs" -t "$BENCH_SECONDS" $docs > "$tmp/js.tsv"
else
    : > "$tmp/js.tsv"
fi

# One row per document: gqlsse docs/s and MB/s, graphql-js docs/s and MB/s, ratio.
awk -F '\t' '
    FILENAME == ARGV[1] { js[$1] = $3; jsmb[$1] = $4; next }
    FNR == 1 {
        printf "%-22s %8s | %13s %8s | %13s %8s | %7s\n", "document", "bytes", "gqlsse doc/s", "MB/s", "graphql doc/s", "MB/s", "ratio"
        printf "%-22s-%8s-+-%13s-%8s-+-%13s-%8s-+-%7s\n", "----------------------", "--------", "-------------", "--------", "-------------", "--------", "-------"
    }
    {
        if ($1 in js && js[$1] > 0)
            printf "%-22s %8d | %13.0f %8.1f | %13.0f %8.1f | %6.1fx\n", $1, $2, $3, $4, js[$1], jsmb[$1], $3 / js[$1]
        else
            printf "%-22s %8d | %13.0f %8.1f | %13s %8s | %7s\n", $1, $2, $3, $4, "-", "-", "-"
    }
' "$tmp/js.tsv" "$tmp/c.tsv"
