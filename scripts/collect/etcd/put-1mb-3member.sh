#!/usr/bin/env bash
# Scenario "put-1mb-3member": 3 members on 127.0.0.1 with a 6 GiB quota; one
# client rewrites ONE key with a 1 MiB value 1000 times (sequential puts sent
# to the leader). CPU profiles of leader and follower are taken concurrently
# during the puts; the other profiles right after the last put.
source "$(dirname "$0")/../lib.sh"
scenario_init put-1mb-3member

COUNT=${COUNT:-1000} SIZE=${SIZE:-1048576} QUOTA=6442450944
IC="m1=http://127.0.0.1:${PEER_PORTS[0]},m2=http://127.0.0.1:${PEER_PORTS[1]},m3=http://127.0.0.1:${PEER_PORTS[2]}"
EPS=()
for i in 0 1 2; do
  start_member "m$((i + 1))" "$i" "$IC" "$SCENARIO_TMP/m$((i + 1))" --quota-backend-bytes=$QUOTA
  EPS+=("http://127.0.0.1:${CLIENT_PORTS[$i]}")
done
wait_healthy "${EPS[@]}"
ALL=$(IFS=,; echo "${EPS[*]}")
LEADER=$(leader_endpoint "$ALL") || die "no leader"
FOLLOWER=
for ep in "${EPS[@]}"; do [[ $ep == "$LEADER" ]] || { FOLLOWER=$ep; break; }; done
log "leader=$LEADER follower=$FOLLOWER"
"$ETCDCTL_BIN" --endpoints "$ALL" endpoint status -w table >&2
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
start_load put-big.mjs --endpoint "${LEADER#http://}" --count "$COUNT" --size "$SIZE" --minSeconds 30 >"$LOADLOG" 2>&1
LOAD_PID=$BG_PID
wait_for_line "$LOADLOG" START 30 "$LOAD_PID"
sleep 5
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
collect_cpu "$LEADER" "$OUT/leader" 8 &
CPU1=$!
collect_cpu "$FOLLOWER" "$OUT/follower" 8 &
CPU2=$!
wait "$CPU1" "$CPU2"
grep -q DONE "$LOADLOG" && die "load finished before the CPU profiles ended; raise --minSeconds"
wait "$LOAD_PID" || die "load failed: $(tail -5 "$LOADLOG")"
cat "$LOADLOG" >&2
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$LEADER" "$OUT/leader"
collect_snapshot "$FOLLOWER" "$OUT/follower"
"$ETCDCTL_BIN" --endpoints "$ALL" endpoint status -w json >"$OUT/endpoint-status.json"
"$ETCDCTL_BIN" --endpoints "$ALL" endpoint status -w table >&2
DONE=$(grep DONE "$LOADLOG" | sed 's/.*DONE //')
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "put-1mb-3member",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 3,
  "flags": "--enable-pprof --quota-backend-bytes=$QUOTA (defaults otherwise, e.g. --snapshot-count=100000)",
  "leader": "$LEADER",
  "follower_profiled": "$FOLLOWER",
  "load": {"connections": 1, "target": "leader", "key": "/big/key", "puts": $COUNT, "value_bytes": $SIZE, "sequential": true, "result": $DONE},
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "CPU profiles (leader and follower, concurrently) were taken during the puts; heap/allocs/goroutine/mutex/block/threadcreate right after the last put"
}
JSON
log "put-1mb-3member done"
