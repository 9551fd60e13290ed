#!/usr/bin/env bash
# run.sh: the concurrency-model measurement of docs/worker-design.md: N idle
# FastCGI SSE requests held against a libfcgi thread-per-request prototype and
# an epoll prototype on 127.0.0.1; prints the server's RSS per stream.
set -euo pipefail
cd "$(dirname "$0")"
N=${N:-10000}
out=${TMPDIR:-/tmp}/gqlsse-concurrency; mkdir -p "$out"
gcc -O2 -o "$out/fcgi_client" fcgi_client.c
gcc -O2 -o "$out/srv_threads" srv_threads.c -lfcgi -lpthread
gcc -O2 -o "$out/srv_epoll" srv_epoll.c -lfcgi
run() { "$@" & local pid=$!; sleep 0.5; timeout 120 "$out/fcgi_client" "$PORT" "$N" "$pid" 5 || true; kill -9 "$pid"; wait "$pid" 2>/dev/null || true; }
PORT=19801; echo "epoll, N=$N"; run "$out/srv_epoll" 127.0.0.1:$PORT
for st in 16 32 64; do PORT=$((19802 + st)); echo "threads, stack ${st} KiB, N=$N"; run "$out/srv_threads" 127.0.0.1:$PORT "$st"; done
