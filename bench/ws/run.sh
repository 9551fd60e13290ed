#!/usr/bin/env bash
# run.sh: gqlsse-ws beside the graphql-ws reference server (npm graphql-ws 6
# useServer + ws, Node) in the same run, each at N sockets (default 1000 and
# 10000), clients connected directly (no proxy), 127.0.0.1 only, bounded:
#  - RSS per socket: acked and subscribed to an event field, idle;
#  - fan-out: EVENTS events (default 50) published about RATE/s (gqlsse:
#    `gqlsse publish --topic chat` through gqlsse-broker; the reference: an
#    HTTP POST into its PubSub); per delivery, the receive time minus that
#    event's first receive time (p50/p99/max ms), and the server's CPU time
#    per delivery (utime+stime from /proc over the event phase). The clients
#    are ws_client.c (CLIENT=c, default) or clients.mjs (CLIENT=node).
# Usage: bench/ws/run.sh [N...]   (top_builddir=BUILD for an out-of-tree build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); top=$(cd "$here/../.." && pwd)
build=${top_builddir:-$top}
NS=("$@"); [ ${#NS[@]} -gt 0 ] || NS=(1000 10000)
EVENTS=${EVENTS:-50}; RATE=${RATE:-10}
# The load client: C (ws_client.c, one epoll thread; default) or node
# (clients.mjs, which at 10,000 sockets is itself the bottleneck).
CLIENT=${CLIENT:-c}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "fd limit $(ulimit -n); events $EVENTS at ~$RATE/s"
mods="$top/tests/integration/node_modules"
[ -d "$mods/graphql-ws" ] || (cd "$top/tests/integration" && npm ci --no-audit --no-fund >/dev/null)
linked=0; [ -e "$here/node_modules" ] || { ln -s "$mods" "$here/node_modules"; linked=1; }
dir=$(mktemp -d); pids=()
if [ "$CLIENT" = c ]; then cc -O2 -o "$dir/ws_client" "$here/ws_client.c" || CLIENT=node; fi
echo "client: $CLIENT"
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$dir"; [ "$linked" = 0 ] || rm -f "$here/node_modules"; }
trap cleanup EXIT
free() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
rss() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }                 # KiB
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }                      # ticks
hz=$(getconf CLK_TCK)
waitline() { for _ in $(seq 1200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.25; done; return 1; }

# measure NAME SERVER_PID URL QUERY N PUBLISH_FN
measure() {
    local name=$1 spid=$2 url=$3 query=$4 n=$5 pub=$6 cpid
    local b; b=$(rss "$spid")
    rm -f "$dir/in" "$dir/out"; mkfifo "$dir/in"
    if [ "$CLIENT" = c ]; then
        local hp=${url#ws://}; hp=${hp%%/*}; local sub
        sub="{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"$(sed 's/"/\\"/g' <<<"$query")\"}}"
        timeout 600 "$dir/ws_client" "${hp##*:}" "$n" /graphql "$sub" <"$dir/in" >"$dir/out" 2>"$dir/clients.err" & cpid=$!
    else
        timeout 600 node "$here/clients.mjs" "$url" "$n" "$query" <"$dir/in" >"$dir/out" 2>"$dir/clients.err" & cpid=$!
    fi
    exec 3>"$dir/in"
    waitline "$dir/out" ready || { echo "$name: clients did not connect: $(cat "$dir/clients.err")"; exec 3>&-; return; }
    sleep 1
    local a; a=$(rss "$spid")
    echo mark >&3; waitline "$dir/out" marked
    local c0; c0=$(cpu "$spid")
    for i in $(seq "$EVENTS"); do "$pub" "e$i"; sleep "$(awk -v r="$RATE" 'BEGIN{print 1/r}')"; done
    echo "report $EVENTS" >&3; waitline "$dir/out" deliveries
    local c1; c1=$(cpu "$spid")
    local rep; rep=$(grep deliveries "$dir/out")
    echo quit >&3; exec 3>&-; wait "$cpid" 2>/dev/null || true
    local del; del=$(sed -E 's/.*"deliveries":([0-9]+).*/\1/' <<<"$rep")
    awk -v n="$name" -v N="$n" -v b="$b" -v a="$a" -v c="$((c1 - c0))" -v hz="$hz" -v d="$del" -v rep="$rep" -v ready="$(grep ready "$dir/out")" \
        'BEGIN{printf "%-22s N=%-6d %s RSS %7.1f -> %7.1f MiB  %5.2f KiB/socket  CPU/delivery %6.2f us  %s\n", n, N, ready, b/1024, a/1024, (a-b)/N, (d ? 1e6*c/hz/d : 0), rep}'
}

front=$(free); back=$(free)
"$build/gqlsse-broker" --frontend "tcp://127.0.0.1:$front" --backend "tcp://127.0.0.1:$back" 2>"$dir/broker.log" & pids+=($!)
sleep 0.5
pub_gqlsse() { "$build/gqlsse" publish --address "tcp://127.0.0.1:$front" --topic chat --data "{\"room\":\"1\",\"text\":\"$1\"}" >/dev/null; }
pub_ref() { curl -s -d "$1" "http://127.0.0.1:$rport/publish" >/dev/null; }

for n in "${NS[@]}"; do
    port=$(free)
    cat > "$dir/gqlsse.conf" <<CONF
schema = $top/examples/tasks/tasks.graphql
broker = tcp://127.0.0.1:$back
ws_max_sockets = $((n + 100))
ws_max_backlog = 1M
log_level = warn
CONF
    "$build/gqlsse-ws" --config "$dir/gqlsse.conf" --listen "127.0.0.1:$port" --backlog 4096 2>"$dir/ws.log" & pids+=($!); wpid=$!
    sleep 0.5
    measure gqlsse-ws "$wpid" "ws://127.0.0.1:$port/graphql" 'subscription { messageAdded(room: "1") { text } }' "$n" pub_gqlsse
    kill "$wpid"; wait "$wpid" 2>/dev/null || true

    rport=$(free)
    node "$here/ref-server.mjs" "$rport" >/dev/null & pids+=($!); rpid=$!
    sleep 1.5
    measure "graphql-ws (Node)" "$rpid" "ws://127.0.0.1:$rport/graphql" 'subscription { tick }' "$n" pub_ref
    kill "$rpid"; wait "$rpid" 2>/dev/null || true
done
