#!/usr/bin/env bash
# Scenario "raft-log-after-load": one member; COUNT puts of SIZE-byte values to
# one key (fewer entries than --snapshot-count, so the raft log keeps them all);
# CPU profile during the puts, the other profiles after the load ended, the heap
# after a forced GC (?gc=1): what is still held once the writes stopped.
source "$(dirname "$0")/../lib.sh"
scenario_init raft-log-after-load

COUNT=${COUNT:-400} SIZE=${SIZE:-262144}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
start_load put-big.mjs --endpoint "${EP#http://}" --count "$COUNT" --size "$SIZE" --minSeconds 12 >"$LOADLOG" 2>&1
LOAD_PID=$BG_PID
sleep 2
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
collect_cpu "$EP" "$OUT" 6
wait "$LOAD_PID" || die "load failed: $(tail -5 "$LOADLOG")"
sleep 5
T_SNAP=$(date -u +%FT%TZ)
HEAP_GC=1 collect_snapshot "$EP" "$OUT"
cat "$LOADLOG" >&2
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "raft-log-after-load",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": $(grep DONE "$LOADLOG" | sed 's/.*DONE //'),
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 6,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "CPU profile during the puts; heap (?gc=1) and the other snapshots 5 s after the last put"
}
JSON
log "raft-log-after-load done"
