#!/usr/bin/env bash
# Scenario "idle" after a load: one member; KEYS keys (256-byte values, Txn
# batches of 128 puts) and one range of them all, then ~25 s of nothing before
# the profiles. A server that was busy and is now idle: nothing to diagnose (its
# scenario.json names it "idle"), although the heap still shows the load's
# allocations since start.
source "$(dirname "$0")/../lib.sh"
scenario_init idle-after-load

KEYS=${KEYS:-20000}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
load range.mjs --endpoint "${EP#http://}" --phase load-small --prefix /busy/ --keys "$KEYS" --minBytes 256 >"$LOADLOG" 2>&1 ||
  die "load failed: $(cat "$LOADLOG")"
"$ETCDCTL_BIN" --endpoints "$EP" get /busy/ --prefix --keys-only | grep -c . >&2
log "load done, idling 25 s"
sleep 25
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "idle",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": $(grep DONE "$LOADLOG" | sed 's/.*DONE //'),
  "idle_seconds_before_profiles": 25,
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP"
}
JSON
log "idle-after-load done"
