#!/bin/sh
# run.sh: the integration tests (real lighttpd and Apache httpd + gqlsse-fcgi,
# gqlsse-broker and memcached on 127.0.0.1), run by `make check`. Skips (77) when node or lighttpd is
# missing (the Apache files skip themselves without apache2/mod_fcgid);
# installs the pinned npm clients (tests/integration/package-lock.json) on first use.
dir="${top_srcdir:-.}/tests/integration"
NODE="${NODE:-node}"
command -v "$NODE" >/dev/null 2>&1 || { echo "SKIP: node not found"; exit 77; }
[ -x /usr/sbin/lighttpd ] || { echo "SKIP: lighttpd not installed (scripts/install-deps.sh)"; exit 77; }
if [ ! -d "$dir/node_modules/graphql-sse" ] || [ ! -d "$dir/node_modules/graphql-ws" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund >/dev/null 2>&1) || { echo "SKIP: npm ci failed"; exit 77; }
fi
top_builddir="$(cd "${top_builddir:-.}" && pwd)"; export top_builddir
top_srcdir="$(cd "${top_srcdir:-.}" && pwd)"; export top_srcdir
exec timeout 540 "$NODE" --test --test-concurrency=1 "$dir/lighttpd.test.mjs" \
    "$dir/apache-fcgid.test.mjs" "$dir/apache-proxy.test.mjs" "$dir/fcgi-raw.test.mjs" \
    "$dir/events.test.mjs" "$dir/events-apache.test.mjs" "$dir/ws.test.mjs" \
    "$dir/single-connection.test.mjs"
