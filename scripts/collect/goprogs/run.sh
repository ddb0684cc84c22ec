#!/usr/bin/env bash
# Builds the stdlib-only Go programs in this folder with the machine's Go
# (Debian's go 1.19 was used for the committed fixtures) and regenerates
# test/fixtures/go/*. Everything runs locally; the delta program listens on
# 127.0.0.1:${DELTA_PORT:-23950} and is stopped by PID.
source "$(dirname "$0")/lib.sh"
OUT=${OUT:-$REPO_ROOT/test/fixtures/go}
PORT=${DELTA_PORT:-23950}
goprogs_init goprogs
go version >&2
mkdir -p "$OUT"
cd "$HERE"
for p in cpu mem goroutines contention delta crash; do
  go build -o "$BIN/$p" "./$p"
done
go version >"$OUT/go-version.txt"

log "cpu";        "$BIN/cpu" -o "$OUT/cpu.pb.gz" -cpu 4s -max 30s
log "mem";        "$BIN/mem" -dir "$OUT"
log "goroutines"; "$BIN/goroutines" -dir "$OUT"
log "contention"; "$BIN/contention" -dir "$OUT" -d 2s

log "delta (net/http/pprof on 127.0.0.1:$PORT)"
"$BIN/delta" -addr "127.0.0.1:$PORT" -max 60s >"$BIN/delta.out" 2>&1 &
DPID=$!
PIDS+=("$DPID")
for _ in $(seq 1 40); do grep -qs READY "$BIN/delta.out" && break; sleep 0.25; done
grep -q READY "$BIN/delta.out" || { cat "$BIN/delta.out"; exit 1; }
base=http://127.0.0.1:$PORT
curl -sS --fail --max-time 20 -o "$OUT/heap.delta.pb.gz" "$base/debug/pprof/heap?seconds=3" &
C1=$!
curl -sS --fail --max-time 20 -o "$OUT/allocs.delta.pb.gz" "$base/debug/pprof/allocs?seconds=3" &
C2=$!
sleep 1
curl -sS --fail --max-time 20 "$base/churn" >/dev/null
wait "$C1" "$C2"
curl -sS --fail --max-time 5 "$base/quit" >/dev/null || true
wait "$DPID" || true

log "crash -mode panic (GOTRACEBACK=all)"
set +e
GOTRACEBACK=all "$BIN/crash" -mode panic 2>"$OUT/panic.txt"
rc=$?
set -e
[[ $rc == 2 ]] || { echo "expected exit status 2 from the panic, got $rc" >&2; exit 1; }

log "crash -mode wait + SIGQUIT"
"$BIN/crash" -mode wait -max 30s >"$BIN/wait.out" 2>"$OUT/sigquit.txt" &
QPID=$!
PIDS+=("$QPID")
for _ in $(seq 1 40); do grep -qs READY "$BIN/wait.out" && break; sleep 0.25; done
kill -QUIT "$QPID"
set +e
wait "$QPID"
rc=$?
set -e
[[ $rc == 2 ]] || { echo "expected exit status 2 after SIGQUIT, got $rc" >&2; exit 1; }
grep -q '^SIGQUIT: quit' "$OUT/sigquit.txt" || { echo "no SIGQUIT dump" >&2; exit 1; }

log "done: $(ls "$OUT" | wc -l) files in $OUT"
