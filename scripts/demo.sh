#!/usr/bin/env bash
# demo.sh: installs the dependencies, builds gqlsse and runs the command line
# on the example schema and documents. (Later issues make it start the whole
# stack: web server, FastCGI workers, broker, memcached.)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
if [ "${GQLSSE_SKIP_DEPS:-0}" != 1 ]; then
    ./scripts/install-deps.sh
fi
autoreconf -fi
mkdir -p build/demo && cd build/demo
[ -f Makefile ] || "$top/configure" -q
make -j"$(nproc 2>/dev/null || echo 2)"
g="$top/build/demo/gqlsse"
run() { printf '\n$ %s\n' "$*"; "$@" || true; }
run "$g" validate --schema "$top/examples/tasks.graphql" "$top/examples/query.graphql"
run "$g" validate --schema "$top/examples/tasks.graphql" "$top/examples/broken.graphql"
run "$g" format "$top/examples/query.graphql"
cat <<MSG

gqlsse is built in $top/build/demo.
Try:  $g --help
      $g validate --schema examples/tasks.graphql examples/query.graphql
      echo '{ tasks { id titel } }' | $g validate --schema examples/tasks.graphql -
MSG
