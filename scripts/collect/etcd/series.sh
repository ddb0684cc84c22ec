#!/usr/bin/env bash
# Trend series: 5 heap + 5 goroutine profiles from one member, 25 s apart.
#   series.sh watch-leak : the client opens 10 NEW watch streams (10 watchers
#                          each) every second and never closes them; a new
#                          TCP connection for every 100 streams; 20 puts/s + 20 gets/s.
#   series.sh steady     : 20 streams x 50 watchers (1,000 watchers) on one
#                          connection, constant; 100 puts/s + 100 gets/s.
source "$(dirname "$0")/../lib.sh"
KIND=${1:?usage: series.sh watch-leak|steady}
N=${N:-5} GAP=${GAP:-25} FIRST=${FIRST:-15}
OUT=$SAMPLES_DIR/series/$KIND
scenario_init "series-$KIND"
rm -f "$OUT"/heap.*.pb.gz "$OUT"/goroutine.*.pb.gz

EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
STATE=$SCENARIO_TMP/state.json
LOADLOG=$SCENARIO_TMP/load.log
SECONDS_TOTAL=$((FIRST + GAP * (N - 1) + 20))
case $KIND in
  watch-leak) ARGS=(--mode leak --streamsPerSecond 10 --watchersPerStream 10 --streamsPerConnection 100 --keys 100 --rate 20 --getRate 20) ;;
  steady) ARGS=(--mode steady --streams 20 --watchersPerStream 50 --keys 100 --rate 100 --getRate 100) ;;
  *) die "unknown series $KIND" ;;
esac
start_load watch-series.mjs --endpoint "${EP#http://}" "${ARGS[@]}" --seconds "$SECONDS_TOTAL" --stateFile "$STATE" >"$LOADLOG" 2>&1
LOAD_PID=$BG_PID
wait_for_line "$LOADLOG" READY 60 "$LOAD_PID"
T0=$(date +%s)
ENTRIES=()
for i in $(seq 1 "$N"); do
  target=$((T0 + FIRST + GAP * (i - 1)))
  now=$(date +%s)
  ((target > now)) && sleep $((target - now))
  idx=$(printf %02d "$i")
  T=$(date -u +%FT%TZ)
  fetch "$EP/debug/pprof/heap" "$OUT/heap.$idx.pb.gz"
  fetch "$EP/debug/pprof/goroutine" "$OUT/goroutine.$idx.pb.gz"
  curl -sS --fail "$EP/metrics" >"$SCENARIO_TMP/metrics.$idx.txt"
  M=$SCENARIO_TMP/metrics.$idx.txt
  ENTRY=$(printf '{"index": %d, "taken_at": "%s", "seconds_since_load_ready": %d, "client": %s, "server": {"etcd_debugging_mvcc_watch_stream_total": %s, "etcd_debugging_mvcc_watcher_total": %s, "go_goroutines": %s, "go_memstats_heap_inuse_bytes": %s}}' \
    "$i" "$T" $(($(date +%s) - T0)) "$(cat "$STATE")" \
    "$(metric "$M" etcd_debugging_mvcc_watch_stream_total)" "$(metric "$M" etcd_debugging_mvcc_watcher_total)" \
    "$(metric "$M" 'go_goroutines ')" "$(awk '/^go_memstats_heap_inuse_bytes /{printf "%d", $2}' "$M")")
  ENTRIES+=("$ENTRY")
  log "snapshot $idx: $ENTRY"
done
grep -q DONE "$LOADLOG" && die "load ended before the last snapshot"
{
  echo "{"
  echo "  \"series\": \"$KIND\","
  echo "  \"etcd_version\": \"$ETCD_VERSION\","
  echo "  \"members\": 1,"
  echo "  \"flags\": \"--enable-pprof (defaults otherwise)\","
  echo "  \"load_args\": \"${ARGS[*]}\","
  echo "  \"snapshots\": ["
  for ((j = 0; j < ${#ENTRIES[@]}; j++)); do
    sep=,; ((j == ${#ENTRIES[@]} - 1)) && sep=
    echo "    ${ENTRIES[$j]}$sep"
  done
  echo "  ]"
  echo "}"
} >"$OUT/series.json"
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$OUT/series.json" || die "bad series.json"
stop_pid "$LOAD_PID"
log "series $KIND done"
