#!/usr/bin/env bash
# Scenario "idle": one member, 5 small puts, then ~20 s of nothing.
source "$(dirname "$0")/../lib.sh"
scenario_init idle

EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
for i in 1 2 3 4 5; do
  "$ETCDCTL_BIN" --endpoints "$EP" put "/idle/key$i" "value-$i" >/dev/null
done
log "5 puts done, idling 20 s"
sleep 20
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
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
  "load": {"puts": 5, "value_bytes": 7, "idle_seconds_before_profiles": 20},
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP"
}
JSON
log "idle done"
