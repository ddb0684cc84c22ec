#!/usr/bin/env bash
# Records samples/heldout/go-stall/: the `stall` program (goprogs/stall: 2,000
# producers parked in `chan send` behind a consumer stuck holding a lock, a
# contended stats lock, a held 48 MiB cache under 256 KiB-buffer churn), built
# with Go 1.24 ($GO124, Debian's golang-1.24 unpacked). It listens on
# 127.0.0.1:${STALL_PORT:-24450} and is stopped by PID. Profiles are fetched 70 s
# after start so that the debug=2 dump shows "1 minutes" blocked.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$HERE/../../.." && pwd)
OUT=${OUT:-$REPO_ROOT/samples/heldout/go-stall}
PORT=${STALL_PORT:-24450}
GO124=${GO124:-/work/debs/go124/usr/lib/go-1.24/bin/go}
WAIT_S=${WAIT_S:-70}
BIN=$(mktemp -d /tmp/pprof-doctor-stall.XXXXXX)
PID=
cleanup() {
  [[ -n $PID ]] && kill "$PID" 2>/dev/null || true
  rm -rf "$BIN"
}
trap cleanup EXIT
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

export GO111MODULE=on GOPROXY=off GOFLAGS= GOTOOLCHAIN=local
cd "$HERE"
GOROOT=$(dirname "$(dirname "$GO124")") "$GO124" build -o "$BIN/stall" ./stall
"$BIN/stall" -addr "127.0.0.1:$PORT" -max 3m >"$BIN/out" 2>&1 &
PID=$!
for _ in $(seq 1 60); do grep -qs READY "$BIN/out" && break; sleep 0.5; done
grep -q READY "$BIN/out" || { cat "$BIN/out"; exit 1; }
log "$(cat "$BIN/out"); waiting ${WAIT_S}s"
sleep "$WAIT_S"
rm -rf "$OUT"
mkdir -p "$OUT"
fetch() { curl -sS --fail --max-time 30 -o "$OUT/$1" "http://127.0.0.1:$PORT/debug/pprof/$2"; }
fetch cpu.pb.gz 'profile?seconds=5'
fetch heap.pb.gz 'heap'
fetch allocs.pb.gz 'allocs'
fetch goroutine.pb.gz 'goroutine'
fetch goroutine.debug2.txt 'goroutine?debug=2'
fetch mutex.pb.gz 'mutex'
fetch block.pb.gz 'block'
gzip -9nf "$OUT/goroutine.debug2.txt"
GOROOT=$(dirname "$(dirname "$GO124")") "$GO124" version >"$OUT/go-version.txt"
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "go-stall",
  "program": "scripts/collect/goprogs/stall (not etcd)",
  "go_version": "$(cut -d' ' -f3 "$OUT/go-version.txt")",
  "goroutines_at_ready": $(sed -n 's/^READY //p' "$BIN/out"),
  "producers": 2000,
  "note": "2,000 producers: 16 batches fill the queue, one is held by the stuck consumer, the rest block in chan send; profiles taken ${WAIT_S} s after READY"
}
JSON
log "done: $(ls "$OUT" | tr '\n' ' ')"
