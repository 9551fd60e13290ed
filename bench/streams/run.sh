#!/usr/bin/env bash
# run.sh: N idle SSE streams (`subscription { idle }`) held by one standalone
# gqlsse-fcgi through lighttpd, then the same on the graphql-sse reference
# server (npm graphql-sse + Node http) in the same run: RSS per stream and
# idle CPU (keep-alives every KEEPALIVE s). 127.0.0.1 only, bounded.
# Measured (2 vCPU, fd limit 20000, N=9000, keep-alive 2 s): gqlsse-fcgi
# 2.75 KiB/stream, 6.7% idle CPU; graphql-sse reference 21.9 KiB/stream, 8.1%.
# Usage: bench/streams/run.sh [N]   (N defaults to 10000; needs a built tree)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); top=$(cd "$here/../.." && pwd)
build=${top_builddir:-$top}
N=${1:-${N:-10000}}; KEEPALIVE=${KEEPALIVE:-2}; IDLE_S=${IDLE_S:-10}
ulimit -n $((N * 3 + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
lim=$(ulimit -n)
# lighttpd holds two fds per stream (client + backend): cap N at what the limit allows.
if [ $((N * 20 / 9)) -gt "$lim" ]; then N=$(( lim * 9 / 20 )); echo "fd limit $lim: N lowered to $N"; fi
echo "fd limit $lim, N=$N"
mods="$top/tests/integration/node_modules"
[ -d "$mods/graphql-sse" ] || (cd "$top/tests/integration" && npm ci --no-audit --no-fund >/dev/null)
# ESM resolves packages from the script's directory upwards.
linked=0; [ -e "$here/node_modules" ] || { ln -s "$mods" "$here/node_modules"; linked=1; }
dir=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$dir"; [ "$linked" = 0 ] || rm -f "$here/node_modules"; }
trap cleanup EXIT
free() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
rss() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }                 # KiB
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }                      # ticks
hz=$(getconf CLK_TCK)
report() { # name pid before_kib
    local after; after=$(rss "$2"); local c0; c0=$(cpu "$2"); sleep "$IDLE_S"; local c1; c1=$(cpu "$2")
    awk -v n="$1" -v b="$3" -v a="$after" -v N="$N" -v c="$((c1 - c0))" -v hz="$hz" -v s="$IDLE_S" \
        'BEGIN{printf "%-28s RSS %7.1f -> %7.1f MiB   %5.2f KiB/stream   idle CPU %.1f%% over %ds\n", n, b/1024, a/1024, (a-b)/N, 100*c/hz/s, s}'
}

port=$(free); backend=$(free); mkdir -p "$dir/www"
cat > "$dir/gqlsse.conf" <<CONF
schema = $top/examples/modules/countdown.graphql
module = $build/examples/modules/.libs/countdown.so
sse_distinct_connections_for_http1 = on
keep_alive_interval = $KEEPALIVE
max_streams = $((N + 100))
log_level = warn
CONF
"$build/gqlsse-fcgi" --config "$dir/gqlsse.conf" --listen "127.0.0.1:$backend" --backlog 4096 2>"$dir/worker.log" & pids+=($!); wpid=$!
sed -e "s#@PORT@#$port#; s#@BACKEND_PORT@#$backend#; s#@DOCROOT@#$dir/www#" "$top/examples/lighttpd/gqlsse-socket.conf" > "$dir/lighttpd.conf"
printf 'server.max-fds = %d\nserver.max-connections = %d\nserver.errorlog = "%s/lighttpd.log"\n' "$lim" $((N + 100)) "$dir" >> "$dir/lighttpd.conf"
/usr/sbin/lighttpd -D -f "$dir/lighttpd.conf" & pids+=($!)
sleep 1
b=$(rss "$wpid")
timeout 300 node "$here/open.mjs" "$port" "$N" '/graphql?query=subscription%7Bidle%7D' $(( (IDLE_S + 3) * 1000 )) >"$dir/open1" & cpid=$!
for _ in $(seq 600); do grep -q ready "$dir/open1" && break; sleep 0.5; done
echo "client: $(cat "$dir/open1")"
sleep 1
report "gqlsse-fcgi (via lighttpd)" "$wpid" "$b"
wait $cpid || true

rport=$(free)
node "$here/ref-server.mjs" "$rport" >/dev/null & pids+=($!); rpid=$!
sleep 1.5
b=$(rss "$rpid")
timeout 300 node "$here/open.mjs" "$rport" "$N" '/graphql?query=subscription%7Bidle%7D' $(( (IDLE_S + 3) * 1000 )) >"$dir/open2" & cpid=$!
for _ in $(seq 600); do grep -q ready "$dir/open2" && break; sleep 0.5; done
echo "client: $(cat "$dir/open2")"
sleep 1
report "graphql-sse reference (Node)" "$rpid" "$b"
wait $cpid || true
