#!/bin/sh
# Parse throughput: gqlsse's parser (bench/parse_bench.c, compiled here with -O2
# from the sources) against graphql-js 16.15.0 parse() (bench/parse_bench.mjs), on
#   bench/kitchen-sink.graphql   ~50 KB of every construct (bench/gen-kitchen-sink.mjs)
#   bench/introspection.graphql  graphql-js getIntrospectionQuery()
# each parsed repeatedly in BENCH_RUNS (default 7) runs sharing BENCH_SECONDS (default
# 2.8) per document and parser, the two parsers' runs alternating (see "measure"), both
# pinned to one core (BENCH_CPU, default 0) with taskset when available.
#
# `make benchmarks` runs it from the build directory (it needs config.h from there);
# by hand:  cd BUILDDIR && SRCDIR/bench/run.sh
# Environment: CC (default cc), CFLAGS (default -O2), NODE (default node),
# GRAPHQL_JS_DIR (default SRCDIR/tests/node_modules, installed with npm ci when
# missing: tests/differential/graphql-js.sh), BENCH_SECONDS, BENCH_RUNS, BENCH_CPU.
set -eu

me=bench/run.sh
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${top_builddir:-.}" && pwd)
: "${CC:=cc}"
: "${CFLAGS:=-O2}"
: "${BENCH_SECONDS:=2.8}"
: "${BENCH_RUNS:=7}"
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
# With graphql-js, the two parsers' timed runs alternate (parse_bench -s: each run waits
# for a line on its stdin), so that both see the same moments of a machine whose speed
# drifts (a shared VM's does, by 2x over seconds); the ratio is the median of the
# per-round ratios. Without it, gqlsse's runs alone.
echo "parse throughput, ${BENCH_RUNS} alternating runs of $(awk "BEGIN { printf \"%.2g\", $BENCH_SECONDS / $BENCH_RUNS }")s per document and parser${pin:+, pinned to CPU $BENCH_CPU}; medians"
: > "$tmp/c.tsv"
: > "$tmp/js.tsv"
if [ -n "$gjs" ]; then
    mkfifo "$tmp/c.in" "$tmp/c.out" "$tmp/j.in" "$tmp/j.out"
    # shellcheck disable=SC2086
    $pin "$tmp/parse_bench" -s -t "$BENCH_SECONDS" -r "$BENCH_RUNS" $docs < "$tmp/c.in" > "$tmp/c.out" &
    cpid=$!
    # shellcheck disable=SC2086
    GRAPHQL_JS_DIR=$gjs $pin "$NODE" "$srcdir/bench/parse_bench.mjs" -s -t "$BENCH_SECONDS" \
        -r "$BENCH_RUNS" $docs < "$tmp/j.in" > "$tmp/j.out" &
    jpid=$!
    exec 3> "$tmp/c.in" 4< "$tmp/c.out" 5> "$tmp/j.in" 6< "$tmp/j.out"
    for _doc in $docs; do
        step=0
        while [ "$step" -le "$BENCH_RUNS" ]; do # the warm-up, then the runs
            echo go >&3
            IFS= read -r line <&4 || { echo "$me: parse_bench stopped" >&2; exit 1; }
            case $line in "#"*) ;; *) printf '%s\n' "$line" >> "$tmp/c.tsv" ;; esac
            echo go >&5
            IFS= read -r line <&6 || { echo "$me: parse_bench.mjs stopped" >&2; exit 1; }
            case $line in "#"*) ;; *) printf '%s\n' "$line" >> "$tmp/js.tsv" ;; esac
            step=$((step + 1))
        done
    done
    exec 3>&- 5>&-
    wait "$cpid" || true
    wait "$jpid" || true
    exec 4<&- 6<&-
else
    # shellcheck disable=SC2086
    yes go | $pin "$tmp/parse_bench" -s -t "$BENCH_SECONDS" -r "$BENCH_RUNS" $docs | grep -v '^#' > "$tmp/c.tsv"
fi

# One row per document: medians of gqlsse's and graphql-js's runs, the median of the
# per-round ratios and their range.
awk -F '\t' '
    function median(a, n,    i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    FILENAME == ARGV[1] { jn[$1]++; js[$1, jn[$1]] = $3; next }
    { if (!($1 in cn)) { order[++docs] = $1; bytes[$1] = $2 } cn[$1]++; c[$1, cn[$1]] = $3 }
    END {
        printf "%-22s %8s | %13s %8s | %13s %8s | %7s %s\n", "document", "bytes", "gqlsse doc/s", "MB/s", "graphql doc/s", "MB/s", "ratio", "(per round)"
        printf "%-22s-%8s-+-%13s-%8s-+-%13s-%8s-+-%7s\n", "----------------------", "--------", "-------------", "--------", "-------------", "--------", "-------"
        for (d = 1; d <= docs; d++) {
            k = order[d]; n = cn[k]
            for (i = 1; i <= n; i++) cc[i] = c[k, i]
            cm = median(cc, n)
            if (jn[k] == n) {
                lo = hi = 0
                for (i = 1; i <= n; i++) {
                    jj[i] = js[k, i]; r[i] = c[k, i] / js[k, i]
                    if (i == 1 || r[i] < lo) lo = r[i]
                    if (r[i] > hi) hi = r[i]
                }
                jm = median(jj, n); rm = median(r, n)
                printf "%-22s %8d | %13.0f %8.1f | %13.0f %8.1f | %6.1fx (%.1f-%.1f)\n", k, bytes[k], cm, cm * bytes[k] / 1e6, jm, jm * bytes[k] / 1e6, rm, lo, hi
            } else
                printf "%-22s %8d | %13.0f %8.1f | %13s %8s | %7s\n", k, bytes[k], cm, cm * bytes[k] / 1e6, "-", "-", "-"
        }
    }
' "$tmp/js.tsv" "$tmp/c.tsv"
