#!/usr/bin/env bash
# test.sh: installs the dependencies, builds gqlsse warning-free and runs every
# test: make check (unit + differential against graphql-js), the same under
# ASan+UBSan, the unit tests under valgrind, and make distcheck.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

if [ "${GQLSSE_SKIP_DEPS:-0}" != 1 ]; then
    ./scripts/install-deps.sh
fi

step() { printf '\n=== %s ===\n' "$*"; }
# A test that skips itself (no node, no lighttpd, npm ci failed, no memcached...)
# must not let this script pass: every prerequisite is installed above.
no_skips() {
    local skipped
    skipped=$(grep -l '^:test-result: SKIP' $(find tests -name '*.trs') 2>/dev/null || true)
    if [ -n "$skipped" ]; then
        echo "test.sh: tests were skipped, which this script does not allow:" >&2
        for t in $skipped; do echo "  ${t%.trs}: $(grep -h 'SKIP' "${t%.trs}.log" | head -1)" >&2; done
        exit 1
    fi
    # node --test files skip their Apache cases when apache2 is missing
    if grep -q '^# skipped [1-9]' tests/integration/run.sh.log 2>/dev/null; then
        echo "test.sh: integration tests were skipped:" >&2
        grep -h '# SKIP' tests/integration/run.sh.log | head -20 >&2
        exit 1
    fi
}

step "autoreconf"
autoreconf -fi

step "build (-Werror) and make check"
rm -rf build/main && mkdir -p build/main && cd build/main
"$top/configure" --enable-werror -q
make -j"$jobs"
make -j"$jobs" check || { cat tests/*.log tests/*/*.log 2>/dev/null | tail -200; exit 1; }
no_skips

step "unit tests under valgrind"
for t in tests/unit/test_*; do
    case "$t" in *.o|*.log|*.trs) continue ;; esac
    [ -x "$t" ] || continue
    ./libtool --mode=execute valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect "$t" >/dev/null
    echo "valgrind clean: $t"
done
cd "$top"

step "ASan + UBSan build and make check"
rm -rf build/asan && mkdir -p build/asan && cd build/asan
"$top/configure" --enable-sanitizers --enable-werror -q
make -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    make -j"$jobs" check || { cat tests/*.log tests/*/*.log 2>/dev/null | tail -200; exit 1; }
no_skips
cd "$top"

step "make distcheck"
cd build/main
make -j"$jobs" distcheck
cd "$top"

step "all tests passed"
