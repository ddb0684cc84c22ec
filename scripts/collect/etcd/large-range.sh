#!/usr/bin/env bash
# Scenario "large-range": one member; 200 keys with values of 100, 256, 512 and
# 1024 KiB (50 keys each, ~92 MiB in total), then 4 concurrent loops of unpaginated
# Range(/range/ prefix) requests over one connection while profiles are taken.
source "$(dirname "$0")/../lib.sh"
scenario_init large-range

KEYS=${KEYS:-200} CONC=${CONC:-4}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
load range.mjs --endpoint "${EP#http://}" --phase load-large --keys "$KEYS" --sizes 102400,262144,524288,1048576 >"$LOADLOG" 2>&1 || die "load failed: $(cat "$LOADLOG")"
RANGELOG=$SCENARIO_TMP/range.log
start_load range.mjs --endpoint "${EP#http://}" --phase range --concurrency "$CONC" --seconds 30 >"$RANGELOG" 2>&1
RANGE_PID=$BG_PID
wait_for_line "$RANGELOG" START 30 "$RANGE_PID"
sleep 4
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
grep -q DONE "$RANGELOG" && die "range load ended before the profiles were taken"
wait "$RANGE_PID" || die "range load failed: $(tail -5 "$RANGELOG")"
cat "$LOADLOG" "$RANGELOG" >&2
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "large-range",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": {
    "keys": $(grep DONE "$LOADLOG" | sed 's/.*DONE //'),
    "ranges": $(grep DONE "$RANGELOG" | sed 's/.*DONE //'),
    "range_request": "Range(key=/range/, range_end=/range0, limit=0) i.e. the whole prefix, unpaginated"
  },
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "CPU profile and snapshot profiles were all taken while the concurrent range loops were running"
}
JSON
log "large-range done"
