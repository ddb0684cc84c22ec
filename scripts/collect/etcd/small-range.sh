#!/usr/bin/env bash
# Scenario "small-range": one member; KEYS small keys (BYTES-byte values, written
# in Txn batches of 128 puts), then CONC loops of unpaginated Range(prefix)
# requests while profiles are taken. The counterpart of large-range: the cost
# comes from the number of key-values per response, not from their size.
# AFTER=1 takes the snapshot profiles after the loops ended (heap ?gc=1).
source "$(dirname "$0")/../lib.sh"
scenario_init small-range

KEYS=${KEYS:-30000} BYTES=${BYTES:-2048} CONC=${CONC:-2}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
load range.mjs --endpoint "${EP#http://}" --phase load-small --prefix /small/ --keys "$KEYS" --minBytes "$BYTES" >"$LOADLOG" 2>&1 ||
  die "load failed: $(cat "$LOADLOG")"
RANGELOG=$SCENARIO_TMP/range.log
start_load range.mjs --endpoint "${EP#http://}" --phase range --prefix /small/ --concurrency "$CONC" --seconds 30 >"$RANGELOG" 2>&1
RANGE_PID=$BG_PID
wait_for_line "$RANGELOG" START 30 "$RANGE_PID"
sleep 3
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
collect_cpu "$EP" "$OUT" 6
if [[ ${AFTER:-0} == 1 ]]; then
  # AFTER=1: the snapshots (heap after a forced GC) 5 s after the range loops ended
  wait "$RANGE_PID" || die "range load failed: $(tail -5 "$RANGELOG")"
  sleep 5
  T_SNAP=$(date -u +%FT%TZ)
  HEAP_GC=1 collect_snapshot "$EP" "$OUT"
else
  T_SNAP=$(date -u +%FT%TZ)
  collect_snapshot "$EP" "$OUT"
  grep -q DONE "$RANGELOG" && die "range load ended before the profiles were taken"
  wait "$RANGE_PID" || die "range load failed: $(tail -5 "$RANGELOG")"
fi
cat "$LOADLOG" "$RANGELOG" >&2
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "small-range",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": {
    "keys": $(grep DONE "$LOADLOG" | sed 's/.*DONE //'),
    "ranges": $(grep DONE "$RANGELOG" | sed 's/.*DONE //'),
    "range_request": "Range(key=/small/, range_end=/small0, limit=0): every key of the prefix, unpaginated"
  },
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 6,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "$([[ ${AFTER:-0} == 1 ]] && echo "CPU profile during the range loops; snapshots (heap ?gc=1) 5 s after they ended" || echo "CPU and snapshot profiles (heap without a forced GC) taken while the range loops ran")"
}
JSON
log "small-range done"
