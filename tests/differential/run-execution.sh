#!/bin/sh
# Differential test of `gqlsse execute` against graphql-js 16.15.0's execute().
#
# Every case tests/differential/execution/NAME.case (header lines `#! schema:`,
# `#! root:`, `#! variables:`, `#! operation:`, then the document; see
# exec-batch.mjs) is run through
#   gqlsse execute --schema schemas/S.graphql [--root R] [--variables @V] [--operation O] DOC
# and compared byte for byte (and by exit status) with what shared/oracle/oracle.mjs
# `execute` answers, computed for all cases in one node process (exec-batch.mjs).
# Where the oracle crashes (malformed variables JSON), gqlsse must exit 2 with
# nothing on stdout and a message on stderr.
#
# Run by `make check` with GQLSSE, NODE, top_srcdir, top_builddir in the environment;
# by hand:  tests/differential/run-execution.sh [NAME-GLOB...]
# Environment: GQLSSE, NODE, GRAPHQL_JS_DIR as for run-syntax.sh.
# Prints a diff per failing case, then "N passed, M failed"; exits 1 on any failure
# or when nothing was compared, 77 (skip) without node.
set -u

me=run-execution.sh
script_dir=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$script_dir/../..}"
: "${top_builddir:=.}"
abs_top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
abs_top_builddir=$(cd "$top_builddir" && pwd) || exit 1
srcdir=$abs_top_srcdir/tests/differential
casedir=$srcdir/execution
: "${GQLSSE:=$abs_top_builddir/gqlsse}"
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-exec.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# ---- graphql-js 16.15.0 (as run-syntax.sh finds or installs it) ----------------
want_version=16.15.0
graphql_version() {
    [ -f "$1/graphql/package.json" ] || return 0
    "$NODE" -e 'process.stdout.write(require(process.argv[1]).version)' "$1/graphql/package.json" 2>/dev/null
}
npm_ci() {
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

# ---- cases --------------------------------------------------------------------
list=$tmp/cases
: > "$list"
for f in "$casedir"/*.case; do
    [ -f "$f" ] || continue
    name=${f##*/}
    name=${name%.case}
    if [ $# -gt 0 ]; then
        match=no
        for pat in "$@"; do
            # shellcheck disable=SC2254
            case $name in $pat) match=yes ;; esac
        done
        [ $match = yes ] || continue
    fi
    printf '%s\n' "$f" >> "$list"
done
ncases=$(wc -l < "$list" | tr -d ' ')
if [ "$ncases" -eq 0 ]; then
    echo "$me: FAIL: no cases under $casedir" >&2
    echo "0 passed, 0 failed"
    exit 1
fi

if ! GRAPHQL_JS_DIR=$gjs "$NODE" "$srcdir/exec-batch.mjs" --out "$tmp/oracle" --list "$list" >&2; then
    echo "$me: FAIL: the oracle (exec-batch.mjs) failed" >&2
    echo "0 passed, $ncases failed"
    exit 1
fi

header() { # case key -> value of "#! key: value" (first match), or nothing
    sed -n "/^#!/!q; s/^#![ ]*$2:[ ]\{0,1\}//p" "$1" | head -n 1
}
has_header() {
    sed -n '/^#!/!q; p' "$1" | grep -q "^#![ ]*$2:"
}

passed=0
failed=0
while IFS= read -r f; do
    name=${f##*/}
    name=${name%.case}
    schema=$casedir/schemas/$(header "$f" schema).graphql
    set -- execute --schema "$schema"
    if has_header "$f" root; then
        header "$f" root > "$tmp/root.json"
        set -- "$@" --root "$tmp/root.json"
    fi
    if has_header "$f" variables; then
        header "$f" variables > "$tmp/vars.json"
        set -- "$@" --variables "@$tmp/vars.json"
    fi
    if has_header "$f" operation; then
        set -- "$@" --operation "$(header "$f" operation)"
    fi
    sed '/^#!/d' "$f" > "$tmp/doc.graphql"
    "$GQLSSE" "$@" "$tmp/doc.graphql" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    read -r orc < "$tmp/oracle/$name.rc"
    ok=yes
    if [ "$orc" = 70 ]; then
        if [ "$rc" != 2 ] || [ -s "$tmp/out" ] || [ ! -s "$tmp/err" ]; then
            ok=no
            echo "FAIL: $name: the oracle crashed; expected exit 2 with a message, got exit $rc"
        fi
    else
        if [ "$rc" != "$orc" ]; then
            ok=no
            echo "FAIL: $name: exit status $rc, expected $orc"
        fi
        if ! cmp -s "$tmp/oracle/$name.out" "$tmp/out"; then
            ok=no
            echo "FAIL: $name: output differs ($f)"
            echo "--- expected (graphql-js)"
            cat "$tmp/oracle/$name.out"
            echo "+++ actual (gqlsse)"
            cat "$tmp/out"
            [ -s "$tmp/err" ] && { echo "--- stderr"; cat "$tmp/err"; }
        fi
    fi
    if [ $ok = yes ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo
    fi
done < "$list"

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ] || [ $((passed + failed)) -eq 0 ]; then
    exit 1
fi
exit 0
