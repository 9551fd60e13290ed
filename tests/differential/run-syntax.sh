#!/bin/sh
# Differential test of gqlsse's lexer, parser and printer against graphql-js 16.15.0.
#
# For every document tests/differential/syntax/NAME.graphql it compares
#   gqlsse validate --schema schema-syntax.graphql NAME.graphql   (and the same on stdin)
#   gqlsse format NAME.graphql
# with what graphql-js answers (oracle-batch.mjs: the logic of shared/oracle/oracle.mjs
# `validate` and of print.mjs, run for all documents in one node process), and checks
# that the stored NAME.expected still is the oracle's `validate` output.
#
# Run by `make check` (from the build directory) with GQLSSE, NODE, top_srcdir and
# top_builddir in the environment; by hand:
#   tests/differential/run-syntax.sh [NAME-GLOB...]      e.g.  run-syntax.sh 'uvar-*'
# Environment:
#   GQLSSE            the gqlsse binary (default: $top_builddir/gqlsse)
#   NODE              node (default: node on PATH); none => skipped (exit 77)
#   GRAPHQL_JS_DIR    a node_modules folder holding graphql@16.15.0 (default:
#                     tests/node_modules, installed from tests/package-lock.json with
#                     `npm ci` when missing, see graphql-js.sh)
# Prints a diff for each failing document, then "N passed, M failed"; exits 1 on any
# failure or when no document was compared, 0 otherwise.
set -u

me=run-syntax.sh
script_dir=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$script_dir/../..}"
: "${top_builddir:=.}"
abs_top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
abs_top_builddir=$(cd "$top_builddir" && pwd) || exit 1
srcdir=$abs_top_srcdir/tests/differential
schema=$srcdir/schema-syntax.graphql
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-diff.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# ---- graphql-js 16.15.0 -----------------------------------------------------
# shellcheck source=tests/differential/graphql-js.sh
. "$srcdir/graphql-js.sh"
if ! find_graphql_js "$abs_top_srcdir" "$tmp"; then
    echo "$me: FAIL: cannot get graphql@16.15.0 (see above)" >&2
    echo "0 passed, 0 failed"
    exit 1
fi

# ---- documents ----------------------------------------------------------------
docs_list=$tmp/docs
: > "$docs_list"
for doc in "$srcdir"/syntax/*.graphql; do
    [ -f "$doc" ] || continue
    name=${doc##*/}
    name=${name%.graphql}
    if [ $# -gt 0 ]; then
        match=no
        for pat in "$@"; do
            # shellcheck disable=SC2254
            case $name in $pat) match=yes ;; esac
        done
        [ $match = yes ] || continue
    fi
    printf '%s\n' "$doc" >> "$docs_list"
done
ndocs=$(wc -l < "$docs_list" | tr -d ' ')
if [ "$ndocs" -eq 0 ]; then
    echo "$me: FAIL: no documents to compare under $srcdir/syntax" >&2
    echo "0 passed, 0 failed"
    exit 1
fi

# One node process answers for every document.
if ! GRAPHQL_JS_DIR=$gjs "$NODE" "$srcdir/oracle-batch.mjs" --schema "$schema" --out "$tmp/oracle" \
        --check-expected --list "$docs_list" >&2; then
    echo "$me: FAIL: the oracle (oracle-batch.mjs) failed" >&2
    echo "0 passed, $ndocs failed"
    exit 1
fi

# ---- gqlsse -------------------------------------------------------------------
# In the build tree gqlsse is libtool's wrapper script, which costs a shell start
# (~20 ms) per run; run the binary it wraps directly, with the library path the
# wrapper would set, unless that answers differently from the wrapper.
first_doc=$(sed -n 1p "$docs_list")
if sed -n 1,8p "$GQLSSE" 2>/dev/null | grep -q 'temporary wrapper script for'; then
    wrapper=$GQLSSE
    libs=$(cd "$(dirname "$wrapper")/.libs" 2>/dev/null && pwd) || libs=
    prog=$(basename "$wrapper")
    "$wrapper" validate --schema "$schema" "$first_doc" > "$tmp/wrapper.out" 2>&1 # relinks if it must
    echo "rc=$?" >> "$tmp/wrapper.out"
    for cand in "$libs/lt-$prog" "$libs/$prog"; do
        [ -n "$libs" ] && [ -f "$cand" ] && [ -x "$cand" ] || continue
        LD_LIBRARY_PATH=$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
            "$cand" validate --schema "$schema" "$first_doc" > "$tmp/direct.out" 2>&1
        echo "rc=$?" >> "$tmp/direct.out"
        if cmp -s "$tmp/wrapper.out" "$tmp/direct.out"; then
            GQLSSE=$cand
            LD_LIBRARY_PATH=$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
            export LD_LIBRARY_PATH
        fi
        break
    done
fi

# ---- comparisons ----------------------------------------------------------------
passed=0
failed=0
ours=$tmp/ours
mkdir "$ours"

problems= # the current document's failures, one line each
problem() { problems="$problems$1
"; }
show_diff() { # label expected actual
    echo "--- $1"
    diff -u "$2" "$3" | sed '1,2d'
}

while IFS= read -r doc; do
    name=${doc##*/}
    name=${name%.graphql}
    o=$tmp/oracle/$name
    a=$ours/$name
    problems=
    details=$tmp/details
    : > "$details"

    read -r o_vrc < "$o.validate.rc"
    read -r o_kind < "$o.validate.kind"
    read -r o_frc < "$o.format.rc"

    if [ "$o_kind" = crash ]; then
        problem "the oracle crashed"
        cat "$o.validate.out" >> "$details"
    fi
    read -r stored < "$o.stored"
    case $stored in
    ok) ;;
    missing) problem "no stored expectation $name.expected (regenerate: node tests/differential/gen-syntax.mjs)" ;;
    *)  problem "stored $name.expected differs from the oracle (regenerate: node tests/differential/gen-syntax.mjs)"
        show_diff "stored $name.expected (-) vs the oracle now (+)" "${doc%.graphql}.expected" "$o.validate.out" >> "$details" ;;
    esac

    # validate, document named on the command line
    "$GQLSSE" validate --schema "$schema" "$doc" > "$a.validate.out" 2> "$a.validate.err"
    a_vrc=$?
    exp_v=$o.validate.out
    exp_vrc=$o_vrc
    if [ "$a_vrc" != "$exp_vrc" ]; then
        problem "validate: exit status $a_vrc, expected $exp_vrc"
    fi
    if ! cmp -s "$exp_v" "$a.validate.out"; then
        problem "validate: output differs"
        show_diff "validate $name: expected (-) vs gqlsse (+)" "$exp_v" "$a.validate.out" >> "$details"
    fi
    if [ -s "$a.validate.err" ] && [ "$a_vrc" -gt 1 ]; then
        { echo "--- validate $name: stderr"; cat "$a.validate.err"; } >> "$details"
    fi

    # validate, document on stdin: must answer the same (checked on the documents
    # whose bytes matter most, to keep the run short)
    case $name in
    kitchen-*|utf8-*|bom-*|loc-*|lex-*|block-*)
        "$GQLSSE" validate --schema "$schema" - < "$doc" > "$a.stdin.out" 2> /dev/null
        a_src=$?
        if [ "$a_src" != "$a_vrc" ] || ! cmp -s "$a.validate.out" "$a.stdin.out"; then
            problem "validate -: stdin answer (exit $a_src) differs from the file answer (exit $a_vrc)"
            show_diff "validate $name (-) vs validate - < $name (+)" "$a.validate.out" "$a.stdin.out" >> "$details"
        fi ;;
    esac

    # format: graphql-js print(parse(doc)) + newline; on a syntax error, exit 1
    # with the errors JSON (on stdout or stderr).
    "$GQLSSE" format "$doc" > "$a.format.out" 2> "$a.format.err"
    a_frc=$?
    if [ "$o_frc" = 0 ]; then
        if [ "$a_frc" != 0 ]; then
            problem "format: exit status $a_frc, expected 0"
        fi
        if ! cmp -s "$o.format.out" "$a.format.out"; then
            problem "format: output differs"
            show_diff "format $name: graphql-js print (-) vs gqlsse (+)" "$o.format.out" "$a.format.out" >> "$details"
        fi
    else
        if [ "$a_frc" != 1 ]; then
            problem "format: exit status $a_frc on a syntax error, expected 1"
        fi
        if ! cmp -s "$o.format.out" "$a.format.out" && ! cmp -s "$o.format.out" "$a.format.err"; then
            problem "format: the syntax error JSON differs"
            show_diff "format $name: expected errors (-) vs gqlsse stdout (+)" "$o.format.out" "$a.format.out" >> "$details"
        fi
    fi

    if [ -z "$problems" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name  ($doc)"
        printf '%s' "$problems" | sed 's/^/  /'
        cat "$details"
        echo
    fi
done < "$docs_list"

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ] || [ $((passed + failed)) -eq 0 ]; then
    exit 1
fi
exit 0
