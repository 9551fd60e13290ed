#!/bin/sh
# Differential test of `gqlsse validate` against graphql-js 16.15.0 `validate`.
#
# Every directory tests/differential/validation/SUITE/ holds schema.graphql and
# documents NAME.graphql; for each document the output and exit status of
#   gqlsse validate --schema SUITE/schema.graphql NAME.graphql
# must be byte-identical to what graphql-js answers (oracle-batch.mjs: the logic of
# shared/oracle/oracle.mjs `validate`, one node process per suite).
#
# Run by `make check` with GQLSSE, NODE, top_srcdir, top_builddir in the environment;
# by hand: tests/differential/run-validation.sh [SUITE-GLOB [NAME-GLOB]]
# Environment: GQLSSE, NODE, GRAPHQL_JS_DIR (a node_modules folder holding
# graphql@16.15.0; default tests/node_modules, installed with `npm ci` when missing).
# Prints a diff for each failing document, then "N passed, M failed"; exits 1 on any
# failure or when nothing was compared, 77 (skip) without node.
set -u

me=run-validation.sh
script_dir=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$script_dir/../..}"
: "${top_builddir:=.}"
abs_top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
abs_top_builddir=$(cd "$top_builddir" && pwd) || exit 1
srcdir=$abs_top_srcdir/tests/differential
: "${GQLSSE:=$abs_top_builddir/gqlsse}"
suite_glob=${1:-*}
name_glob=${2:-*}
if [ -z "${NODE:-}" ]; then
    NODE=$(command -v node 2>/dev/null || true)
fi
if [ -z "$NODE" ]; then
    echo "$me: SKIP: node not found; the differential tests need node" >&2
    exit 77
fi
if [ ! -x "$GQLSSE" ]; then
    echo "$me: FAIL: gqlsse binary not found at $GQLSSE" >&2
    echo "0 passed, 0 failed"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-vdiff.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

want_version=16.15.0
graphql_version() {
    [ -f "$1/graphql/package.json" ] || return 0
    "$NODE" -e 'process.stdout.write(require(process.argv[1]).version)' "$1/graphql/package.json" 2>/dev/null
}
if [ -n "${GRAPHQL_JS_DIR:-}" ]; then
    gjs=$GRAPHQL_JS_DIR
elif [ "$(graphql_version "$abs_top_srcdir/tests/node_modules")" = "$want_version" ]; then
    gjs=$abs_top_srcdir/tests/node_modules
else
    npm=$(dirname "$NODE")/npm
    [ -x "$npm" ] || npm=npm
    mkdir "$tmp/npm" &&
        cp "$abs_top_srcdir/tests/package.json" "$abs_top_srcdir/tests/package-lock.json" "$tmp/npm/" &&
        (cd "$tmp/npm" && "$npm" ci --no-audit --no-fund --loglevel=error) >&2 ||
        { echo "$me: FAIL: npm ci failed" >&2; exit 1; }
    gjs=$tmp/npm/node_modules
fi
gjs=$(cd "$gjs" && pwd) || exit 1
have=$(graphql_version "$gjs")
if [ "$have" != "$want_version" ]; then
    echo "$me: FAIL: $gjs holds graphql ${have:-(none)}, not $want_version" >&2
    exit 1
fi

passed=0
failed=0
for suite in "$srcdir"/validation/$suite_glob/; do
    suite=${suite%/}
    schema=$suite/schema.graphql
    [ -f "$schema" ] || continue
    sname=${suite##*/}
    list=$tmp/$sname.list
    : > "$list"
    for doc in "$suite"/$name_glob.graphql; do
        [ -f "$doc" ] || continue
        [ "$doc" = "$schema" ] && continue
        printf '%s\n' "$doc" >> "$list"
    done
    [ -s "$list" ] || continue
    out=$tmp/oracle-$sname
    if ! GRAPHQL_JS_DIR=$gjs "$NODE" "$srcdir/oracle-batch.mjs" --schema "$schema" --out "$out" \
            --list "$list" >&2; then
        n=$(wc -l < "$list" | tr -d ' ')
        echo "$me: FAIL: the oracle failed on suite $sname" >&2
        failed=$((failed + n))
        continue
    fi
    while IFS= read -r doc; do
        name=${doc##*/}
        name=${name%.graphql}
        o=$out/$name
        a=$tmp/ours.out
        "$GQLSSE" validate --schema "$schema" "$doc" > "$a" 2> "$tmp/ours.err"
        arc=$?
        read -r orc < "$o.validate.rc"
        if [ "$orc" = 70 ]; then
            echo "--- $sname/$name: the oracle crashed"
            failed=$((failed + 1))
        elif [ "$arc" != "$orc" ] || ! cmp -s "$o.validate.out" "$a"; then
            echo "--- $sname/$name: exit $arc, expected $orc; expected (graphql-js) vs actual (gqlsse):"
            diff "$o.validate.out" "$a" | sed -n '2,3p;5p' | cut -c1-2000
            [ -s "$tmp/ours.err" ] && head -5 "$tmp/ours.err"
            failed=$((failed + 1))
        else
            passed=$((passed + 1))
        fi
    done < "$list"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
