#!/usr/bin/env bash
# demo.sh: installs the dependencies, builds gqlsse and starts the demo stack in
# the background: memcached, gqlsse-broker, lighttpd, a standalone gqlsse-fcgi and
# gqlsse-ws serving the tasks example (broker events) and the countdown on
# http://127.0.0.1:8080/graphql, and single connection mode for the demo users
# alice/wonderland and bob/builder (HTTP Basic, lighttpd mod_auth) on
# http://127.0.0.1:8080/auth/graphql. `demo.sh stop` stops it.
# Usage: demo.sh [--port N] [stop|status]   (or GQLSSE_DEMO_PORT=N)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
port=${GQLSSE_DEMO_PORT:-8080}
action=start
while [ $# -gt 0 ]; do
    case "$1" in
        --port) port=$2; shift 2 ;;
        --port=*) port=${1#--port=}; shift ;;
        stop|status|start) action=$1; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "demo.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
b="$top/build/demo"
run="$b/run"

stop() {
    local stopped=0
    for name in lighttpd gqlsse-ws gqlsse-fcgi gqlsse-broker memcached; do
        local f="$run/$name.pid"
        [ -f "$f" ] || continue
        local pid; pid=$(cat "$f")
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
            stopped=1
        fi
        rm -f "$f"
    done
    [ "$stopped" = 1 ] && echo "demo stack stopped." || echo "demo stack was not running."
}
case "$action" in
    stop) stop; exit 0 ;;
    status)
        for name in lighttpd gqlsse-ws gqlsse-fcgi gqlsse-broker memcached; do
            f="$run/$name.pid"
            if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then echo "$name running (pid $(cat "$f"))"
            else echo "$name not running"; fi
        done
        exit 0 ;;
esac

if [ "${GQLSSE_SKIP_DEPS:-0}" != 1 ]; then
    ./scripts/install-deps.sh
fi
[ -x configure ] || autoreconf -fi
if [ ! -f "$b/Makefile" ] && [ -f "$top/config.status" ]; then
    echo "demo.sh: this tree is configured in place (./configure was run here); run 'make distclean' first," >&2
    echo "         or use a fresh clone (the demo builds out of tree in build/demo)." >&2
    exit 1
fi
mkdir -p "$b" && cd "$b"
[ -f Makefile ] || "$top/configure" -q
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
cd "$top"

# A previous demo still running: stop it first.
[ -f "$run/lighttpd.pid" ] || [ -f "$run/gqlsse-ws.pid" ] || [ -f "$run/gqlsse-fcgi.pid" ] || [ -f "$run/gqlsse-broker.pid" ] || [ -f "$run/memcached.pid" ] && stop >/dev/null
mkdir -p "$run/www"
free_port() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port "$port" || { echo "demo.sh: 127.0.0.1:$port is in use; choose another with --port N or GQLSSE_DEMO_PORT" >&2; exit 1; }
backend=$((port + 1000))
while ! free_port "$backend"; do backend=$((backend + 1)); done
wsport=$((backend + 1))
while ! free_port "$wsport"; do wsport=$((wsport + 1)); done
# Our own memcached (single connection mode's shared state), on the first free
# port from 11311 (leaves a system memcached on 11211 alone).
mport=11311
while ! free_port "$mport"; do mport=$((mport + 1)); done

# The countdown module's fields, added to the tasks schema: its Subscription and
# Mutation types from examples/modules/countdown.graphql (tasks.graphql already
# has Query.hello), so that one file stays the source of both.
awk '/^type Subscription \{/ { print "extend " $0; keep = 1; next }
     /^type Mutation \{/ { keep = 1 }
     keep { print } /^\}/ { keep = 0 }' \
    "$top/examples/modules/countdown.graphql" > "$run/countdown-extend.graphql"

cat > "$run/gqlsse.conf" <<CONF
# The demo's worker configuration (docs/configuration.md).
# The tasks example (subscriptions bound to broker events) plus the countdown.
schema = $top/examples/tasks/tasks.graphql
schema = $run/countdown-extend.graphql
module = $b/examples/modules/.libs/countdown.so
# gqlsse-broker's default backend (gqlsse publish uses its default frontend).
broker = tcp://127.0.0.1:5562
keep_alive_interval = 12
# On for the demo, so that curl and browsers can stream over HTTP/1.1 too.
sse_distinct_connections_for_http1 = on
allow_queries_with_sse = on
allow_mutations_with_sse = on
# gqlsse-ws (GraphQL over WebSocket) behind the same lighttpd.
ws_allow_queries = on
ws_allow_mutations = on
ws_trusted_proxies = 127.0.0.1
ws_identity_header = Forwarded
# Single connection mode (docs/single-connection.md): state in our memcached,
# control messages to the broker's frontend; the identity is REMOTE_USER
# (lighttpd's Basic auth on /auth/graphql).
memcached = 127.0.0.1:$mport
broker_publish = tcp://127.0.0.1:5561
log_level = info
CONF
# The demo identities, checked by lighttpd's mod_auth (plain user file).
printf 'alice:wonderland\nbob:builder\n' > "$run/users"
chmod 600 "$run/users"
{
    # mod_auth before mod_fastcgi: Basic auth on /auth/ sets REMOTE_USER.
    cat <<AUTH
server.modules = ( "mod_auth", "mod_authn_file" )
auth.backend = "plain"
auth.backend.plain.userfile = "$run/users"
auth.require = ( "/auth/" => ( "method" => "basic", "realm" => "gqlsse demo", "require" => "valid-user" ) )
AUTH
    sed -e "s#@PORT@#$port#; s#@BACKEND_PORT@#$backend#; s#@WS_PORT@#$wsport#; s#@DOCROOT@#$run/www#" \
        "$top/examples/lighttpd/gqlsse-ws.conf"
    # The same worker again on /auth/graphql, behind the auth.
    printf 'fastcgi.server += ( "/auth/graphql" => (( "host" => "127.0.0.1", "port" => %s, "check-local" => "disable" )) )\n' "$backend"
} > "$run/lighttpd.conf"
printf 'server.errorlog = "%s/lighttpd.log"\nserver.pid-file = "%s/lighttpd.pid"\n' "$run" "$run" >> "$run/lighttpd.conf"

# The broker, on its default loopback addresses (publishers :5561, workers :5562).
free_port 5561 && free_port 5562 || { echo "demo.sh: 127.0.0.1:5561/5562 (the broker's defaults) are in use; is another broker running?" >&2; exit 1; }
mc_user=(); [ "$(id -u)" = 0 ] && mc_user=(-u nobody)
nohup memcached -l 127.0.0.1 -p "$mport" -U 0 -m 64 "${mc_user[@]}" >/dev/null 2>"$run/memcached.log" </dev/null &
echo $! > "$run/memcached.pid"
nohup "$b/gqlsse-broker" >/dev/null 2>"$run/gqlsse-broker.log" </dev/null &
echo $! > "$run/gqlsse-broker.pid"
for _ in $(seq 50); do free_port 5562 || break; sleep 0.1; done

nohup "$b/gqlsse-fcgi" --config "$run/gqlsse.conf" --listen "127.0.0.1:$backend" \
    >/dev/null 2>"$run/gqlsse-fcgi.log" </dev/null &
echo $! > "$run/gqlsse-fcgi.pid"
for _ in $(seq 50); do free_port "$backend" || break; sleep 0.1; done
nohup "$b/gqlsse-ws" --config "$run/gqlsse.conf" --listen "127.0.0.1:$wsport" \
    >/dev/null 2>"$run/gqlsse-ws.log" </dev/null &
echo $! > "$run/gqlsse-ws.pid"
for _ in $(seq 50); do free_port "$wsport" || break; sleep 0.1; done
/usr/sbin/lighttpd -f "$run/lighttpd.conf" || { echo "demo.sh: lighttpd did not start (see $run/lighttpd.log)" >&2; stop; exit 1; }
for _ in $(seq 50); do free_port "$port" || break; sleep 0.1; done
free_port "$port" && { echo "demo.sh: lighttpd is not listening on $port (see $run/lighttpd.log)" >&2; stop; exit 1; }
sleep 0.5
for name in memcached gqlsse-broker gqlsse-fcgi gqlsse-ws; do
    kill -0 "$(cat "$run/$name.pid")" 2>/dev/null && continue
    echo "demo.sh: $name exited at start; its log ($run/$name.log):" >&2
    sed 's/^/  /' "$run/$name.log" >&2
    stop >/dev/null
    exit 1
done

url="http://127.0.0.1:$port/graphql"
cat <<MSG

gqlsse demo running: lighttpd on 127.0.0.1:$port -> gqlsse-fcgi (127.0.0.1:$backend),
WebSocket upgrades -> gqlsse-ws (127.0.0.1:$wsport)
<- gqlsse-broker (publishers tcp://127.0.0.1:5561, workers tcp://127.0.0.1:5562),
memcached on 127.0.0.1:$mport, serving examples/tasks/tasks.graphql (broker events)
and the countdown (countdown.c).

  endpoint   $url
  websocket  ws://127.0.0.1:$port/graphql (graphql-transport-ws)
  with auth  ${url%/graphql}/auth/graphql   (users alice/wonderland, bob/builder:
             single connection mode, README "Single connection mode")
  logs       $run/gqlsse-fcgi.log     (worker)
             $run/gqlsse-ws.log       (WebSocket daemon)
             $run/gqlsse-broker.log   (broker)
             $run/lighttpd.log        (lighttpd)
             $run/memcached.log       (memcached)
  configs    $run/gqlsse.conf  $run/lighttpd.conf
  stop       ./scripts/demo.sh stop

Stream the countdown (one event per second):
  curl -N -H 'Accept: text/event-stream' '$url?query=subscription%7Bcountdown(start:5)%7D'
Over HTTP/2 (cleartext, prior knowledge):
  curl -N --http2-prior-knowledge -H 'Accept: text/event-stream' '$url?query=subscription%7Bcountdown(start:5)%7D'
Subscribe to new tasks in one terminal:
  curl -N -H 'Accept: text/event-stream' '$url?query=subscription%7BtaskCreated%7Bid%20title%7D%7D'
and publish one from another:
  $b/gqlsse publish --model Task --event create --data '{"id":"1","title":"Write docs"}'
A query:
  curl -s -H 'Content-Type: application/json' -d '{"query":"{ hello }"}' '$url'
Over WebSocket, with the graphql-ws client (npm i graphql-ws ws):
  node -e "const{createClient}=require('graphql-ws');const c=createClient({url:'ws://127.0.0.1:$port/graphql',webSocketImpl:require('ws')});c.subscribe({query:'subscription{countdown(start:3)}'},{next:console.log,error:console.error,complete:()=>c.dispose()})"
Single connection mode (one stream, many operations), as alice:
  a=${url%/graphql}/auth/graphql
  token=\$(curl -s -u alice:wonderland -X PUT "\$a")
  curl -N -u alice:wonderland -H 'Accept: text/event-stream' -H "X-GraphQL-Event-Stream-Token: \$token" "\$a"
and from another terminal (same \$a and \$token):
  curl -i -u alice:wonderland -H "X-GraphQL-Event-Stream-Token: \$token" -H 'Content-Type: application/json' \\
    -d '{"query":"subscription { countdown(start: 30) }","extensions":{"operationId":"c1"}}' "\$a"
  curl -i -u alice:wonderland -H "X-GraphQL-Event-Stream-Token: \$token" -X DELETE "\$a?operationId=c1"
The command line: $b/gqlsse --help
MSG
