#!/bin/sh
# broker.sh: gqlsse-broker with `gqlsse publish` and a raw ZeroMQ subscriber
# (tests/integration/zmq_sub) on ipc:// paths in a temporary directory:
# delivery, stamps, prefix filtering, malformed messages, restart. Run by make check.
set -u
top_builddir="$(cd "${top_builddir:-.}" && pwd)"
GQLSSE="${GQLSSE:-$top_builddir/gqlsse}"
BROKER="$top_builddir/gqlsse-broker"
SUB="$top_builddir/tests/integration/zmq_sub"
for p in "$GQLSSE" "$BROKER" "$SUB"; do
    [ -x "$p" ] || { echo "FAIL: $p not built"; exit 1; }
done
dir="$(mktemp -d "${TMPDIR:-/tmp}/gqlsse-broker-test.XXXXXX")"
F="ipc://$dir/frontend"
B="ipc://$dir/backend"
bpid=""; spid=""
cleanup() {
    [ -n "$spid" ] && kill "$spid" 2>/dev/null
    [ -n "$bpid" ] && kill "$bpid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
failures=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; failures=$((failures + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

start_broker() { # $1: log file, then extra options
    log="$1"; shift
    "$BROKER" --frontend "$F" --backend "$B" --stats-interval 1 --max-message-size 1000 "$@" \
        2>"$log" &
    bpid=$!
    wait_for "$log" "run [0-9a-f]* started" || { echo "broker did not start:"; cat "$log"; exit 1; }
}
wait_for() { # $1 file, $2 regex: up to 10 s
    i=0
    while [ $i -lt 100 ]; do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}
publish() { timeout 10 "$GQLSSE" publish --address "$F" "$@"; }

# ---- usage and refusals (no broker needed: nothing is sent) ----
check "broker --help exits 0" '"$BROKER" --help | grep -q "XSUB frontend"'
"$BROKER" --bogus >/dev/null 2>&1; check "broker: unknown option exits 2" '[ $? -eq 2 ]'
"$BROKER" --frontend http://x >/dev/null 2>&1; check "broker: bad address exits 2" '[ $? -eq 2 ]'
printf 'frontend = %s\nbackend = "%s"\nlog_level = warn\n' "$F" "$B" > "$dir/broker.conf"
printf 'nonsense = 1\n' > "$dir/bad.conf"
"$BROKER" --config "$dir/bad.conf" 2>"$dir/err" >/dev/null
check "broker: unknown config key exits 2 naming file and line" \
    '[ $? -eq 2 ] && grep -q "bad.conf:1: unknown key" "$dir/err"'
publish --model Task --event save --data '{}' 2>"$dir/err"
check "publish: unknown event kind exits 2" '[ $? -eq 2 ] && grep -q "unknown event kind" "$dir/err"'
publish --model Task --event create --data '{"id":' 2>"$dir/err"
check "publish: malformed JSON exits 2" '[ $? -eq 2 ] && grep -q "invalid JSON" "$dir/err"'
publish --model Task --event create --data '[1]' 2>/dev/null
check "publish: model data must be an object" '[ $? -eq 2 ]'
publish --topic 'a/b' --data 1 2>/dev/null; check "publish: bad topic name exits 2" '[ $? -eq 2 ]'
publish --data 1 2>/dev/null; check "publish: neither --model nor --topic exits 2" '[ $? -eq 2 ]'
publish --timeout 300 --topic chat --data 1 2>"$dir/err"
check "publish: no broker exits 1 after --timeout" '[ $? -eq 1 ] && grep -q "did not answer" "$dir/err"'

# ---- a broker, a subscriber ----
start_broker "$dir/log1"
run1=$(sed -n 's/.*run \([0-9a-f]*\) started.*/\1/p' "$dir/log1")
# 7 messages expected in all: 5 before the restart, 2 after.
timeout 60 "$SUB" sub "$B" 7 40000 model/Task/ topic/chat/ > "$dir/out" 2>"$dir/sub.err" &
spid=$!
wait_for "$dir/log1" "first subscription to 'topic/chat/'" || bad "subscriber subscribed"

publish --model Task --event create --data '{"id":"1","title":"Write docs"}' > "$dir/id1"
check "publish --model exits 0 and prints a 128-bit id" \
    '[ $? -eq 0 ] && grep -qx "[0-9a-f]\{32\}" "$dir/id1"'
publish --model TaskList --event create --data '{"id":"9"}' >/dev/null   # filtered: TaskList
publish --topic chatter --data '"not for us"' >/dev/null                    # filtered: chatter
printf '{"id":"1","title":"Edited"}' > "$dir/data.json"
publish --model Task --event update --id upd-1 --data "@$dir/data.json" >/dev/null
check "publish --data @FILE exits 0" '[ $? -eq 0 ]'
# malformed messages, each dropped and counted by reason
"$SUB" raw "$F" model/Task/ '{"model":"Task"' >/dev/null                                   # json
"$SUB" raw "$F" model/Task/ '{"model":"Task","event":"create","data":{}}' >/dev/null       # fields (no id)
"$SUB" raw "$F" model/Task/ '{"model":"Other","event":"create","id":"x","data":{}}' >/dev/null # mismatch
"$SUB" raw "$F" model/Task '{"model":"Task","event":"create","id":"x","data":{}}' >/dev/null  # topic
"$SUB" raw "$F" model/Task/ '{}' extra >/dev/null                                          # frames
"$SUB" raw "$F" model/Task/ '#size:5000' >/dev/null                                         # size
publish --topic chat --data '{"room":"1","text":"hi"}' >/dev/null
publish --model Task --event delete --data '{"id":"1","title":"Edited"}' >/dev/null
publish --topic chat --data 'null' >/dev/null

wait_for "$dir/out" "	1 $run1 [0-9]* [0-9]*\$" >/dev/null
i=0; while [ $i -lt 50 ] && [ "$(wc -l < "$dir/out")" -lt 5 ]; do sleep 0.1; i=$((i + 1)); done
check "subscriber received the 5 events of its prefixes" '[ "$(wc -l < "$dir/out")" -eq 5 ]'
check "every message has 3 frames (topic, JSON, stamp)" '[ "$(cut -f1 "$dir/out" | sort -u)" = 3 ]'
check "first message is the create, its id the published one" \
    'head -1 "$dir/out" | grep -q "\"event\":\"create\",\"id\":\"$(cat "$dir/id1")\",\"data\":{\"id\":\"1\",\"title\":\"Write docs\"}"'
check "the publisher's own id is kept" 'grep -q "\"id\":\"upd-1\"" "$dir/out"'
check "prefix filtering: no TaskList, no chatter" '! grep -q "TaskList\|chatter" "$dir/out"'
check "stamps carry the run id" '[ "$(cut -f4 "$dir/out" | cut -d" " -f1,2 | sort -u)" = "1 $run1" ]'
seqs=$(cut -f4 "$dir/out" | cut -d" " -f3 | tr '\n' ' ')
check "sequence numbers increase ($seqs)" \
    'cut -f4 "$dir/out" | cut -d" " -f3 | sort -n -c 2>/dev/null && [ "$(cut -f4 "$dir/out" | cut -d" " -f3 | sort -u | wc -l)" -eq 5 ]'
# broker-wide: 1 Task, 2 TaskList, 3 chatter, 4 Task update, 5 chat, 6 Task delete, 7 chat
check "broker-wide sequence counts the filtered messages too" '[ "$seqs" = "1 4 5 6 7 " ]'
check "per-topic sequence numbers" \
    '[ "$(grep "^3	model/Task/" "$dir/out" | cut -f4 | cut -d" " -f4 | tr "\n" " ")" = "1 2 3 " ] &&
     [ "$(grep "^3	topic/chat/" "$dir/out" | cut -f4 | cut -d" " -f4 | tr "\n" " ")" = "1 2 " ]'
wait_for "$dir/log1" "stats: received 13, forwarded 7, dropped 6 (frames 1, size 1, topic 1, json 1, fields 1, mismatch 1)"
check "malformed messages dropped and counted by reason" '[ $? -eq 0 ]'
check "each malformed message logged" '[ "$(grep -c "dropped a malformed message" "$dir/log1")" -eq 6 ]'
check "subscriber connection logged" 'grep -q "subscriber connected" "$dir/log1"'

# ---- restart: the subscriber reconnects by itself, a new run id ----
kill -TERM "$bpid"; wait "$bpid"
check "SIGTERM stops the broker with exit 0" '[ $? -eq 0 ] && grep -q "run $run1 stopped" "$dir/log1"'
bpid=""
start_broker "$dir/log2"
run2=$(sed -n 's/.*run \([0-9a-f]*\) started.*/\1/p' "$dir/log2")
check "a new run id after restart" '[ -n "$run2" ] && [ "$run2" != "$run1" ]'
wait_for "$dir/log2" "first subscription to 'topic/chat/'"
check "the subscriber re-subscribed by itself" '[ $? -eq 0 ]'
publish --model Task --event create --data '{"id":"2"}' >/dev/null
publish --topic chat --data '{"room":"2"}' >/dev/null
wait "$spid"; src=$?; spid=""
check "subscriber received the events after the restart" \
    '[ $src -eq 0 ] && [ "$(tail -2 "$dir/out" | cut -f4 | cut -d" " -f2 | sort -u)" = "$run2" ]'
check "sequence numbers restart with the new run" \
    '[ "$(tail -2 "$dir/out" | cut -f4 | cut -d" " -f3,4 | tr "\n" ",")" = "1 1,2 1," ]'
kill -TERM "$bpid"; wait "$bpid"; bpid=""

# ---- max_topics: the per-topic table is emptied when full, sequences restart ----
start_broker "$dir/log4" --max-topics 2
timeout 30 "$SUB" sub "$B" 4 20000 topic/ta/ topic/tb/ topic/tc/ > "$dir/out4" 2>/dev/null &
spid=$!
wait_for "$dir/log4" "first subscription to 'topic/tc/'" || bad "max-topics subscriber subscribed"
for t in ta tb tc ta; do publish --topic $t --data 1 >/dev/null; done
wait "$spid"; src=$?; spid=""
check "max_topics: table emptied when full (a/b/c/a all sequence 1)" \
    '[ $src -eq 0 ] && [ "$(cut -f4 "$dir/out4" | cut -d" " -f4 | tr "\n" " ")" = "1 1 1 1 " ]'
check "max_topics: the reset is logged" 'grep -q "per-topic sequence numbers restart at 1" "$dir/log4"'
kill -TERM "$bpid"; wait "$bpid"; bpid=""

# ---- the configuration file ----
"$BROKER" --config "$dir/broker.conf" 2>"$dir/log3" &
bpid=$!
sleep 0.3
publish --topic chat --data 1 >/dev/null
check "broker from a config file receives" '[ $? -eq 0 ]'
kill -TERM "$bpid"; wait "$bpid"; check "config log_level = warn: quiet log" '[ $? -eq 0 ] && ! grep -q info "$dir/log3"'
bpid=""

if [ $failures -ne 0 ]; then
    echo "$failures failure(s); broker logs:"
    cat "$dir/log1" "$dir/log2" 2>/dev/null
    echo "subscriber output:"; cat "$dir/out"
    exit 1
fi
echo "all broker tests passed"
