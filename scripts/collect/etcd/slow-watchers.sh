#!/usr/bin/env bash
# Scenario "slow-watchers": one member; 50 Watch streams x 20 watchers on the
# /slow/ prefix, on one connection, whose consumer stops reading once the
# watchers exist; 100 puts/s of 1 KiB values under /slow/. etcd's send
# channels fill, the watchers become slow (victims, then unsynced) and
# watchableStore.syncVictimsLoop / syncWatchersLoop retry them. Profiles are
# taken while the puts run, once etcd reports slow watchers.
source "$(dirname "$0")/../lib.sh"
scenario_init slow-watchers

STREAMS=${STREAMS:-50} WPS=${WPS:-20} RATE=${RATE:-100} VALUE=${VALUE:-1024}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
start_load slow-watchers.mjs --endpoint "${EP#http://}" --streams "$STREAMS" --watchersPerStream "$WPS" \
  --rate "$RATE" --valueBytes "$VALUE" --writeSeconds 60 --holdSeconds 90 >"$LOADLOG" 2>&1
LOAD_PID=$BG_PID
wait_for_line "$LOADLOG" READY 120 "$LOAD_PID"
cat "$LOADLOG" >&2
slow=0
for i in $(seq 1 30); do
  sleep 1
  slow=$(curl -sS --max-time 10 "$EP/metrics" | awk '/^etcd_debugging_mvcc_slow_watcher_total /{printf "%d", $2}')
  ((${slow:-0} > 0)) && break
done
log "etcd_debugging_mvcc_slow_watcher_total=$slow after ${i}s of puts"
((${slow:-0} > 0)) || die "no slow watchers reported by etcd"
sleep 10
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
grep -q DONE "$LOADLOG" && die "put load ended before the profiles were taken"
M=$OUT/metrics.txt
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "slow-watchers",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": $(grep READY "$LOADLOG" | sed 's/.*READY //'),
  "server_side": {
    "etcd_debugging_mvcc_watch_stream_total": $(metric "$M" etcd_debugging_mvcc_watch_stream_total),
    "etcd_debugging_mvcc_watcher_total": $(metric "$M" etcd_debugging_mvcc_watcher_total),
    "etcd_debugging_mvcc_slow_watcher_total": $(metric "$M" etcd_debugging_mvcc_slow_watcher_total),
    "etcd_debugging_mvcc_pending_events_total": $(metric "$M" etcd_debugging_mvcc_pending_events_total),
    "etcd_debugging_mvcc_events_total": $(metric "$M" etcd_debugging_mvcc_events_total),
    "etcd_mvcc_put_total": $(metric "$M" 'etcd_(debugging_)?mvcc_put_total ')
  },
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "the client stopped reading every watch stream once its watchers were created; profiles were taken 10 s after etcd first reported slow watchers, while the puts ran"
}
JSON
stop_pid "$LOAD_PID"
log "slow-watchers done"; cat "$OUT/scenario.json" >&2
