#!/usr/bin/env bash
# run.sh: the event fan-out benchmark (bench/fanout/README.md). For each
# subscriber count (COUNTS, default "1000 10000") and each server, in one run:
#   gqlsse       gqlsse-broker + one standalone gqlsse-fcgi (examples/tasks)
#                behind lighttpd (mod_fastcgi, unix socket)
#   nchan        nginx + nchan, one worker: raw SSE pub/sub, the floor
#   graphql-sse  the graphql-sse reference server (Node, in-process pubsub)
# the C load client (client.c, raw sockets + epoll) opens N streams of
# `subscription { taskCreated { id title } }` (nchan: its SSE channel), then
# publish.c sends EVENTS (100) events at RATE (10) per second, each with its
# publish time; the client records publish -> receipt latency per delivery.
# Servers run on core SERVER_CPU (0), client and publisher on CLIENT_CPU (1).
# Prints one line per measurement and a table with ratios to nchan.
# Never fails on the figures. 127.0.0.1 only; everything it starts it stops.
#
# Usage: bench/fanout/run.sh   (from the build directory, or top_builddir=DIR)
# Environment: COUNTS, EVENTS, RATE, REPEAT (runs of everything, default 1),
# SERVERS (default "gqlsse nchan graphql-sse"; "gqlsse-nginx" is gqlsse
# behind nginx's fastcgi_pass instead of lighttpd), SERVER_CPU, CLIENT_CPU,
# BACKEND (lighttpd -> worker: unix, the default, or tcp),
# RESULTS (a file to append the result lines to), NODE, KEEP=1 (keep the
# servers' logs and configs in the temporary folder, printed at the end).
# Needs: lighttpd, nginx-light + libnginx-mod-nchan (scripts/install-deps.sh
# --bench), node + npm (graphql-sse 2.6 and graphql 16 from
# tests/integration/package-lock.json).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); top=$(cd "$here/../.." && pwd)
build=$(cd "${top_builddir:-.}" && pwd)
COUNTS=${COUNTS:-"1000 10000"}; EVENTS=${EVENTS:-100}; RATE=${RATE:-10}; REPEAT=${REPEAT:-1}
SERVERS=${SERVERS:-"gqlsse nchan graphql-sse"}
SERVER_CPU=${SERVER_CPU:-0}; CLIENT_CPU=${CLIENT_CPU:-1}; NODE=${NODE:-node}
BACKEND=${BACKEND:-unix}  # lighttpd -> gqlsse-fcgi: unix (socket file) or tcp (127.0.0.1)
me=bench/fanout/run.sh
[ -x "$build/gqlsse-fcgi" ] || { echo "$me: no gqlsse-fcgi in $build: run from the build directory (or set top_builddir)" >&2; exit 1; }

ulimit -n "$(ulimit -Hn)"
lim=$(ulimit -n)
hz=$(getconf CLK_TCK)
# Not a function: `pin ... &` must give the server's own pid in $!.
pin="taskset -c"; command -v taskset >/dev/null || { echo "$me: taskset (util-linux) is needed" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-fanout.XXXXXX"); pids=(); linked=0
stop_all() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    pids=()
}
cleanup() { stop_all; if [ -n "${KEEP:-}" ]; then echo "logs kept in $dir"; else rm -rf "$dir"; fi; [ "$linked" = 0 ] || rm -f "$here/node_modules"; }
trap cleanup EXIT

cc=${CC:-cc}
"$cc" -O2 -o "$dir/client" "$here/client.c"
"$cc" -O2 -I"$top/include" -o "$dir/publish" "$here/publish.c" \
    -L"$build/.libs" -lgqlsse -Wl,-rpath,"$build/.libs"

have_nginx=0; [ -x /usr/sbin/nginx ] && have_nginx=1
have_nchan=0; [ -x /usr/sbin/nginx ] && [ -f /usr/lib/nginx/modules/ngx_nchan_module.so ] && have_nchan=1
have_node=0
if command -v "$NODE" >/dev/null; then
    mods="$top/tests/integration/node_modules"
    [ -d "$mods/graphql-sse" ] || (cd "$top/tests/integration" && npm ci --no-audit --no-fund >/dev/null 2>&1) || true
    if [ -d "$mods/graphql-sse" ]; then
        have_node=1
        # ESM resolves packages from the script's directory upwards.
        [ -e "$here/node_modules" ] || { ln -s "$mods" "$here/node_modules"; linked=1; }
    fi
fi

free() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
rss_of() { local s=0 p; for p in "$@"; do s=$((s + $(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo "$s"; }   # KiB
cpu_of() { local s=0 p; for p in "$@"; do s=$((s + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$s"; }  # ticks
query='/graphql?query=subscription%7BtaskCreated%7Bid%20title%7D%7D'

# measure NAME N PORT PATH PUBLISH_MODE PUBLISH_TARGET "MAIN_PIDS" "FRONT_PIDS"
# MAIN: the process that does the work (worker, nginx worker, node); FRONT:
# lighttpd (gqlsse only). Appends a result line to $dir/results.
measure() {
    local name=$1 n=$2 port=$3 path=$4 mode=$5 target=$6 main=$7 front=$8
    local m0 f0 m1 f1 c0 f0c c1 f1c
    # shellcheck disable=SC2086
    m0=$(rss_of $main); f0=$(rss_of $front)
    local timeout=$(( EVENTS / RATE + 50 ))
    $pin "$CLIENT_CPU" "$dir/client" "$port" "$n" "$path" "$EVENTS" "$timeout" 5 >"$dir/client.out" 2>"$dir/client.err" &
    local cpid=$!
    for _ in $(seq 6000); do grep -q '^ready' "$dir/client.out" && break; kill -0 $cpid 2>/dev/null || break; sleep 0.1; done
    if ! grep -q '^ready' "$dir/client.out"; then
        echo "$name N=$n: the client did not get ready: $(cat "$dir/client.err")"; kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null || true; return 0
    fi
    sleep 2  # subscriptions reach the broker (gqlsse) before the first event
    # shellcheck disable=SC2086
    m1=$(rss_of $main); f1=$(rss_of $front); c0=$(cpu_of $main); f0c=$(cpu_of $front)
    $pin "$CLIENT_CPU" "$dir/publish" "$mode" "$target" "$EVENTS" "$RATE" >"$dir/publish.out" 2>&1 || true
    wait "$cpid" || true
    # shellcheck disable=SC2086
    c1=$(cpu_of $main); f1c=$(cpu_of $front)
    local cf=$((f1c - f0c)) cm=$((c1 - c0)) p; [ -n "$front" ] || { f0=''; f1=''; cf=''; }
    for p in $main; do kill -0 "$p" 2>/dev/null || { echo "$name N=$n: the server (pid $p) exited during the run"; cm=''; }; done
    local ready; ready=$(grep '^ready' "$dir/client.out")
    local json; json=$(grep '^{' "$dir/client.out" || echo '{}')
    python3 - "$name" "$n" "$ready" "$json" "$m0" "$m1" "$f0" "$f1" "$cm" "$cf" "$hz" "$(cat "$dir/publish.out")" \
        "${rep:-1}" >>"$dir/results" <<'PY'
import json, sys
name, n, ready, js, m0, m1, f0, f1, cm, cf, hz, pub, rep = sys.argv[1:]
r = json.loads(js) if js.strip() != '{}' else {}
streams = r.get('streams', int(ready.split()[1]))
d = r.get('delivered', 0)
exp = r.get('expected', 0) or 1
per = lambda ticks: (int(ticks) / int(hz) * 1e6 / d) if d and ticks != '' else None  # '' : not measured
out = dict(run=int(rep), server=name, n=int(n), streams=streams, failed=r.get('failed'), closed=r.get('closed'),
           delivered=d, expected=r.get('expected'), share=d / exp, p50=r.get('p50_ms'), p99=r.get('p99_ms'),
           max=r.get('max_ms'), cpu_us=per(cm), front_cpu_us=per(cf),
           rss_kib=(int(m1) - int(m0)) / streams if streams else None,
           front_rss_kib=(int(f1) - int(f0)) / streams if streams and f0 != '' else None,
           open_ms=r.get('open_ms'), run_ms=r.get('run_ms'), publish=pub.strip())
print(json.dumps(out))
PY
    tail -n1 "$dir/results" | python3 -c '
import json,sys; r=json.loads(sys.stdin.read())
f=lambda v,fmt: (fmt % v) if isinstance(v,(int,float)) and v==v else "-"
print("%-12s N=%-6d streams %-6d delivered %s (%s)  p50 %s ms  p99 %s ms  max %s ms  CPU/delivery %s us (front %s us)  RSS/stream %s KiB (front %s KiB)" % (
  r["server"], r["n"], r["streams"], r["delivered"], f(100*r["share"],"%.2f%%"), f(r["p50"],"%.1f"), f(r["p99"],"%.1f"), f(r["max"],"%.0f"),
  f(r["cpu_us"],"%.1f"), f(r["front_cpu_us"],"%.1f"), f(r["rss_kib"],"%.2f"), f(r["front_rss_kib"],"%.2f")))'
}

# run_gqlsse N lighttpd|nginx: the broker, one worker, and the web server in front.
run_gqlsse() {
    local n=$1 web=$2 port front back fcgi workers=1
    port=$(free); front=$(free); back=$(free); fcgi=$(free)
    mkdir -p "$dir/www"
    $pin "$SERVER_CPU" "$build/gqlsse-broker" --frontend "tcp://127.0.0.1:$front" --backend "tcp://127.0.0.1:$back" \
        2>"$dir/broker.log" & pids+=($!); local bpid=$!
    cat > "$dir/gqlsse.conf" <<CONF
schema = $top/examples/tasks/tasks.graphql
broker = tcp://127.0.0.1:$back
sse_distinct_connections_for_http1 = on
keep_alive_interval = 0
max_streams = $((n + 100))
log_level = warn
CONF
    local listen="127.0.0.1:$fcgi"; [ "$BACKEND" = tcp ] || { listen="unix:$dir/fcgi.sock"; rm -f "$dir/fcgi.sock"; }
    $pin "$SERVER_CPU" "$build/gqlsse-fcgi" --config "$dir/gqlsse.conf" --listen "$listen" --backlog 4096 \
        2>"$dir/worker.log" & pids+=($!); local wpid=$!
    if [ "$BACKEND" = tcp ]; then wait_port "$fcgi"; else for _ in $(seq 100); do [ -S "$dir/fcgi.sock" ] && break; sleep 0.1; done; [ -S "$dir/fcgi.sock" ]; fi ||
        { echo "gqlsse-fcgi did not start: $(cat "$dir/worker.log")"; stop_all; return 0; }
    local wp
    if [ "$web" = lighttpd ]; then
        # lighttpd holds two fds per stream (client + backend): past the fd
        # limit, a second lighttpd worker process (server.max-worker) holds half.
        [ $((2 * n + 200)) -gt "$lim" ] && workers=2
        sed -e "s#@PORT@#$port#; s#@BACKEND_PORT@#$fcgi#; s#@DOCROOT@#$dir/www#" \
            "$top/examples/lighttpd/gqlsse-socket.conf" > "$dir/lighttpd.conf"
        # BACKEND=unix: the example's commented "socket" line in place of host/port.
        [ "$BACKEND" = tcp ] || sed -i -e '/"host" =>/d; /"port" =>/d' \
            -e "s|# or: \"socket\" => \"[^\"]*\",|\"socket\" => \"$dir/fcgi.sock\",|" "$dir/lighttpd.conf"
        printf 'server.max-fds = %d\nserver.max-connections = %d\nserver.listen-backlog = 4096\nserver.errorlog = "%s/lighttpd.log"\n' \
            "$lim" $(( (lim - 100) / 2 )) "$dir" >> "$dir/lighttpd.conf"
        [ "$workers" = 1 ] || printf 'server.max-worker = %d\n' "$workers" >> "$dir/lighttpd.conf"
        # Its own session: with server.max-worker, lighttpd's master signals
        # its whole process group when it stops, which would include us.
        $pin "$SERVER_CPU" setsid /usr/sbin/lighttpd -D -f "$dir/lighttpd.conf" & pids+=($!); local lpid=$!
        wait_port "$port" || { echo "lighttpd did not start: $(cat "$dir/lighttpd.log")"; stop_all; return 0; }
        sleep 0.5
        wp="$lpid $(pgrep -P "$lpid" | tr '\n' ' ' || true)"
        [ "$workers" = 1 ] || echo "gqlsse N=$n: lighttpd with $workers worker processes (fd limit $lim < 2 fds x $n streams)"
    else
        # nginx (one worker) in front: fastcgi_pass, unbuffered. Two fds per
        # stream as well: past the limit, two nginx workers.
        [ $((2 * n + 200)) -gt "$lim" ] && workers=2
        local pass="127.0.0.1:$fcgi"; [ "$BACKEND" = tcp ] || pass="unix:$dir/fcgi.sock"
        mkdir -p "$dir/nginx"
        nginx_conf "$port" "$workers" "location = /graphql { include /etc/nginx/fastcgi_params; fastcgi_pass $pass; fastcgi_buffering off; fastcgi_read_timeout 1h; }"
        $pin "$SERVER_CPU" /usr/sbin/nginx -p "$dir/nginx" -e "$dir/nginx/error.log" -c "$dir/nginx/nginx.conf" & pids+=($!); local npid=$!
        wait_port "$port" || { echo "nginx did not start: $(cat "$dir/nginx/error.log")"; stop_all; return 0; }
        sleep 0.5
        wp=$(pgrep -P "$npid" | tr '\n' ' ')
        [ "$workers" = 1 ] || echo "gqlsse N=$n: nginx with $workers worker processes (fd limit $lim < 2 fds x $n streams)"
    fi
    measure "gqlsse+$web" "$n" "$port" "$query" zmq "tcp://127.0.0.1:$front" "$wpid" "$wp"
    echo "  broker CPU $(( $(cpu_of "$bpid") * 1000 / hz )) ms in all; worker log: $(grep -c . "$dir/worker.log" || true) lines$(grep -m3 -E 'warn|error' "$dir/worker.log" | sed 's/^/; /' | tr '\n' ' ')"
    stop_all
}

# nginx_conf PORT WORKERS LOCATIONS [nchan]: $dir/nginx/nginx.conf.
nginx_conf() {
    local mod=""; [ "${4:-}" != nchan ] || mod="load_module /usr/lib/nginx/modules/ngx_nchan_module.so;"
    cat > "$dir/nginx/nginx.conf" <<CONF
$mod
daemon off;
$( [ "$(id -u)" != 0 ] || echo "user root;  # the worker's socket and \$dir are root's" )
worker_processes $2;
worker_rlimit_nofile $lim;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections $((lim - 100)); use epoll; multi_accept on; }
http {
    access_log off;
    client_body_temp_path $dir/nginx;
    proxy_temp_path $dir/nginx;
    fastcgi_temp_path $dir/nginx;
    uwsgi_temp_path $dir/nginx;
    scgi_temp_path $dir/nginx;
    server {
        listen 127.0.0.1:$1 backlog=4096;
        $3
    }
}
CONF
}

run_nchan() {
    local n=$1 port; port=$(free)
    mkdir -p "$dir/nginx"
    nginx_conf "$port" 1 "location = /sub { nchan_subscriber eventsource; nchan_channel_id tasks; nchan_eventsource_event next; }
        location = /pub { nchan_publisher; nchan_channel_id tasks; nchan_message_buffer_length $((EVENTS + 10)); }" nchan
    $pin "$SERVER_CPU" /usr/sbin/nginx -p "$dir/nginx" -e "$dir/nginx/error.log" -c "$dir/nginx/nginx.conf" & pids+=($!); local npid=$!
    wait_port "$port" || { echo "nginx did not start: $(cat "$dir/nginx/error.log")"; stop_all; return 0; }
    sleep 0.5
    local worker; worker=$(pgrep -P "$npid" | head -n1)
    measure nchan "$n" "$port" /sub nchan "$port/pub" "$worker" ""
    stop_all
}

run_ref() {
    local n=$1 port; port=$(free)
    $pin "$SERVER_CPU" "$NODE" "$here/ref-server.mjs" "$port" "$top/examples/tasks/tasks.graphql" >/dev/null 2>"$dir/node.log" & pids+=($!); local rpid=$!
    wait_port "$port" || { echo "the graphql-sse server did not start: $(cat "$dir/node.log")"; stop_all; return 0; }
    sleep 0.5
    measure graphql-sse "$n" "$port" "$query" http "$port/publish" "$rpid" ""
    stop_all
}

echo "fan-out: $EVENTS events at $RATE/s; counts: $COUNTS; fd limit $lim; servers on core $SERVER_CPU, client on core $CLIENT_CPU"
for rep in $(seq "$REPEAT"); do
    [ "$REPEAT" = 1 ] || echo "-- run $rep of $REPEAT"
    for n in $COUNTS; do
        for s in $SERVERS; do
            case "$s" in
                gqlsse) run_gqlsse "$n" lighttpd ;;
                gqlsse-nginx) if [ "$have_nginx" = 1 ]; then run_gqlsse "$n" nginx; else echo "gqlsse-nginx: skipped (no nginx)"; fi ;;
                nchan) if [ "$have_nchan" = 1 ]; then run_nchan "$n"; else echo "nchan: skipped (apt-get install nginx-light libnginx-mod-nchan)"; fi ;;
                graphql-sse) if [ "$have_node" = 1 ]; then run_ref "$n"; else echo "graphql-sse: skipped (node/npm or npm ci unavailable)"; fi ;;
            esac
        done
    done
done
[ -z "${RESULTS:-}" ] || cat "$dir/results" >> "$RESULTS"

# The tables: the median of the runs per (server, N), and, with REPEAT > 1,
# the quietest run per N (the one where nchan, the floor, cost least CPU per
# delivery: the machine is shared); ratios to nchan of the same rows.
python3 - "$dir/results" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(rs, k):
    v = [r[k] for r in rs if isinstance(r.get(k), (int, float)) and r[k] == r[k]]
    return statistics.median(v) if v else None
f = lambda v, fmt: fmt % v if v is not None else '-'
def table(title, pick):
    print('\n' + title + '\n')
    print('| server | subscribers | delivered | p50 ms | p99 ms | CPU/delivery µs (+ front) | RSS/stream KiB (+ front) | p99 / nchan | CPU / nchan |')
    print('|---|---|---|---|---|---|---|---|---|')
    for n in sorted({r['n'] for r in rows}):
        sel = pick(n)
        base = [r for r in sel if r['server'] == 'nchan']
        bp99, bcpu = med(base, 'p99'), med(base, 'cpu_us')
        for s in ['gqlsse+lighttpd', 'gqlsse+nginx', 'nchan', 'graphql-sse']:
            rs = [r for r in sel if r['server'] == s]
            if not rs: continue
            share = med(rs, 'share'); p99 = med(rs, 'p99'); cpu = med(rs, 'cpu_us'); fc = med(rs, 'front_cpu_us')
            fr = med(rs, 'front_rss_kib')
            tot = cpu + fc if cpu is not None and fc is not None else None
            streams = min(r['streams'] for r in rs)
            cpu_txt = f(cpu, '%.1f') + (' (+%.1f)' % fc if fc is not None else '')
            rss_txt = f(med(rs, 'rss_kib'), '%.2f') + (' (+%.2f)' % fr if fr is not None else '')
            rp = f(p99 / bp99, '%.2f×') if p99 is not None and bp99 else '-'
            rc = (f(cpu / bcpu, '%.2f×') + (' (%.2f× with front)' % (tot / bcpu) if tot is not None else '')) if cpu is not None and bcpu else '-'
            print(f'| {s} | {n:,}{"" if streams == n else f" ({streams:,} open)"} | {f(share and 100 * share, "%.2f%%")} | {f(med(rs, "p50"), "%.1f")} | {f(p99, "%.1f")} | {cpu_txt} | {rss_txt} | {rp} | {rc} |')
runs = sorted({r.get('run', 1) for r in rows})
table(f'Median of {len(runs)} run(s):', lambda n: [r for r in rows if r['n'] == n])
if len(runs) > 1:
    def quiet(n):
        base = [r for r in rows if r['n'] == n and r['server'] == 'nchan' and r.get('cpu_us') is not None]
        if not base: return [r for r in rows if r['n'] == n and r.get('run', 1) == runs[0]]
        q = min(base, key=lambda r: r['cpu_us']).get('run', 1)
        return [r for r in rows if r['n'] == n and r.get('run', 1) == q]
    table('Quietest run per count (lowest nchan CPU per delivery):', quiet)
print('\nCPU: utime+stime deltas (/proc) over the publishing window / deliveries; "front": the web server (lighttpd).')
PY
