#!/usr/bin/env bash
# run.sh: graphql-sse single connection mode, operations started per second
# through one stream and across STREAMS (default 1000) streams, with the
# latency from each operation's POST to its first `next` event on the stream
# (p50/p99): one standalone gqlsse-fcgi behind lighttpd (with memcached and
# gqlsse-broker; identities from session cookies), then the graphql-sse
# reference server (npm graphql-sse + Node http) in the same run. Each
# operation is `subscription { countdown(start: 1, interval: 0) }`, CONCURRENCY
# (default 32) in flight, BENCH_SECONDS (default 5) per measurement. 127.0.0.1 only.
# Measured (2 vCPU shared with other work, load ~3, defaults, 2026-11-25):
#   gqlsse-fcgi    1 stream  1801 ops/s p50 11.3 ms p99 52 ms; 1000 streams 2226 ops/s p50 10.5 ms p99 57 ms
#   reference      1 stream   574 ops/s p50 44.9 ms p99 172 ms; 1000 streams  895 ops/s p50 32.0 ms p99 104 ms
# (the load generator, one Node process, shares the CPUs: figures are a floor).
# Usage: bench/single/run.sh   (`make benchmarks`; needs a built tree)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); top=$(cd "$here/../.." && pwd)
build=$(cd "${top_builddir:-$top}" && pwd)
STREAMS=${STREAMS:-1000}; SECONDS_EACH=${BENCH_SECONDS:-5}; CONCURRENCY=${CONCURRENCY:-32}
ulimit -n $((STREAMS * 4 + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
for p in "$build/gqlsse-fcgi" "$build/gqlsse-broker" /usr/bin/memcached /usr/sbin/lighttpd; do
    [ -x "$p" ] || { echo "bench/single: $p missing (build first; scripts/install-deps.sh)" >&2; exit 1; }
done
mods="$top/tests/integration/node_modules"
[ -d "$mods/graphql-sse" ] || (cd "$top/tests/integration" && npm ci --no-audit --no-fund >/dev/null)
# ESM resolves packages from the script's directory upwards.
linked=0; [ -e "$here/node_modules" ] || { ln -s "$mods" "$here/node_modules"; linked=1; }
dir=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$dir"; [ "$linked" = 0 ] || rm -f "$here/node_modules"; }
trap cleanup EXIT
free() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 not listening" >&2; return 1; }

port=$(free); backend=$(free); mport=$(free); front=$(free); back=$(free); mkdir -p "$dir/www"
mc_user=(); [ "$(id -u)" = 0 ] && mc_user=(-u nobody)
memcached -l 127.0.0.1 -p "$mport" -U 0 -m 64 -t 1 "${mc_user[@]}" & pids+=($!)
"$build/gqlsse-broker" --frontend "tcp://127.0.0.1:$front" --backend "tcp://127.0.0.1:$back" 2>"$dir/broker.log" & pids+=($!)
cat > "$dir/gqlsse.conf" <<CONF
schema = $top/examples/modules/countdown.graphql
module = $build/examples/modules/.libs/countdown.so
memcached = 127.0.0.1:$mport
broker = tcp://127.0.0.1:$back
broker_publish = tcp://127.0.0.1:$front
session_cookie = sessionid
session_key_prefix = session:
max_streams = $((STREAMS + 100))
log_level = warn
CONF
wait_port "$mport"
"$build/gqlsse-fcgi" --config "$dir/gqlsse.conf" --listen "127.0.0.1:$backend" --backlog 4096 2>"$dir/worker.log" & pids+=($!)
sed -e "s#@PORT@#$port#; s#@BACKEND_PORT@#$backend#; s#@DOCROOT@#$dir/www#" "$top/examples/lighttpd/gqlsse-socket.conf" > "$dir/lighttpd.conf"
printf 'server.max-fds = %d\nserver.max-connections = %d\nserver.errorlog = "%s/lighttpd.log"\n' "$(ulimit -n)" $((STREAMS * 2 + 200)) "$dir" >> "$dir/lighttpd.conf"
wait_port "$backend"
/usr/sbin/lighttpd -D -f "$dir/lighttpd.conf" & pids+=($!)
wait_port "$port"
rport=$(free)
node "$here/ref-server.mjs" "$rport" >/dev/null & pids+=($!)
wait_port "$rport"

echo "graphql-sse single connection mode: countdown(start: 1, interval: 0) operations, $CONCURRENCY in flight, ${SECONDS_EACH}s each"
printf '%-30s %7s | %9s %8s %8s | %6s %8s\n' server streams "ops/s" "p50 ms" "p99 ms" failed "open ms"
row() { # name json
    node -e 'const r=JSON.parse(process.argv[2]);console.log(`${process.argv[1].padEnd(30)} ${String(r.streams).padStart(7)} | ${(r.ops_per_s ?? 0).toFixed(0).padStart(9)} ${(r.p50_ms ?? NaN).toFixed(2).padStart(8)} ${(r.p99_ms ?? NaN).toFixed(2).padStart(8)} | ${String(r.failed).padStart(6)} ${String(r.open_ms).padStart(8)}`)' "$1" "$2"
}
for n in 1 "$STREAMS"; do
    out=$(timeout 300 node "$here/load.mjs" "$port" /graphql "$n" "$SECONDS_EACH" "$CONCURRENCY" "$mport") \
        || { echo "gqlsse-fcgi: load failed ($out); worker log:" >&2; tail -20 "$dir/worker.log" >&2; exit 1; }
    row "gqlsse-fcgi (lighttpd)" "$out"
    out=$(timeout 300 node "$here/load.mjs" "$rport" /graphql "$n" "$SECONDS_EACH" "$CONCURRENCY") \
        || { echo "reference: load failed ($out)" >&2; exit 1; }
    row "graphql-sse reference (Node)" "$out"
done
