#!/usr/bin/env bash
# Records the goroutine-leak fixtures in test/fixtures/go/leak/: the `leak`
# program (scripts/collect/goprogs/leak) in -mode leak (5,000 watcher goroutines
# parked in `chan receive`, a contended lock) and -mode pool (a healthy pool of
# 50 workers; mutex/block rates never set), each built with Go 1.19 (`go`) and
# with Go 1.24 ($GO124, Debian's golang-1.24 unpacked). The four programs run
# at the same time on 127.0.0.1 ports ${PORT_BASE:-25510}..+3 and are stopped by
# PID. Profiles are fetched 75 s after start, so that the debug=2 dumps show
# "1 minutes" blocked. Values change on every run.
source "$(dirname "$0")/lib.sh"
OUT=${OUT:-$REPO_ROOT/test/fixtures/go/leak}
PORT_BASE=${PORT_BASE:-25510}
GO124=${GO124:-/work/debs/go124/usr/lib/go-1.24/bin/go}
WAIT_S=${WAIT_S:-75}
goprogs_init leak
cd "$HERE"
go build -o "$BIN/leak-go1.19" ./leak
GOROOT=$(dirname "$(dirname "$GO124")") "$GO124" build -o "$BIN/leak-go1.24" ./leak

port=$PORT_BASE
declare -A ADDR
for v in go1.19 go1.24; do
  for m in leak pool; do
    mkdir -p "$OUT/$v"
    "$BIN/leak-$v" -mode "$m" -addr "127.0.0.1:$port" -max 4m >"$BIN/$v-$m.out" 2>&1 &
    PIDS+=("$!")
    ADDR[$v-$m]=127.0.0.1:$port
    port=$((port + 1))
  done
done
go version >"$OUT/go1.19/go-version.txt"
GOROOT=$(dirname "$(dirname "$GO124")") "$GO124" version >"$OUT/go1.24/go-version.txt"

for k in "${!ADDR[@]}"; do
  for _ in $(seq 1 120); do grep -qs READY "$BIN/$k.out" && break; sleep 0.5; done
  grep -q READY "$BIN/$k.out" || { cat "$BIN/$k.out"; exit 1; }
  log "$k: $(cat "$BIN/$k.out")"
done
log "waiting ${WAIT_S}s so that blocked goroutines show minutes"
sleep "$WAIT_S"

fetch() { curl -sS --fail --max-time 30 -o "$2" "http://$1/debug/pprof/$3"; }
for v in go1.19 go1.24; do
  for m in leak pool; do
    a=${ADDR[$v-$m]}
    d=$OUT/$v
    fetch "$a" "$d/$m-goroutine.pb.gz" 'goroutine'
    fetch "$a" "$d/$m-goroutine.debug1.txt" 'goroutine?debug=1'
    fetch "$a" "$d/$m-goroutine.debug2.txt" 'goroutine?debug=2'
    fetch "$a" "$d/$m-mutex.pb.gz" 'mutex'
    fetch "$a" "$d/$m-mutex.debug1.txt" 'mutex?debug=1'
    fetch "$a" "$d/$m-block.pb.gz" 'block'
    # The 5,000-goroutine dumps are large and repetitive: kept gzipped (pprof-doctor reads them so).
    gzip -9nf "$d/$m-goroutine.debug2.txt" "$d/$m-goroutine.debug1.txt"
    log "$v $m: $(ls "$d" | grep -c "^$m-") files"
  done
done
log "done"
