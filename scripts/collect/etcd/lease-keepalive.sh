#!/usr/bin/env bash
# Scenario "lease-keepalive": one member; a Go clientv3 application
# (clients/etcdclient -mode keepalive, etcd client 3.5 build, see
# clients/build.sh) grants 20,000 leases with TTL 5 s and keeps every one
# alive with clientv3's KeepAlive: the client sends a keepalive per lease every
# TTL/3 ≈ 1.7 s over one LeaseKeepAlive stream, i.e. ~12,000 keepalives/s.
# CPU goes to the keepalive path (LeaseServer.leaseKeepAlive, lessor.Renew).
# Profiles are taken while the keepalives run.
source "$(dirname "$0")/../lib.sh"
scenario_init lease-keepalive

LEASES=${LEASES:-20000} TTL=${TTL:-5}
BIN_DIR=${BIN_DIR:-/tmp/pprof-doctor-collect/bin}
CLIENT_BIN=${CLIENT_BIN:-$BIN_DIR/etcdclient-3.5}
[[ -x $CLIENT_BIN ]] || die "$CLIENT_BIN missing: run clients/build.sh 3.5"
CLIENT_PPROF_PORT=${CLIENT_PPROF_PORT:-23960}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
"$CLIENT_BIN" -endpoint "${EP#http://}" -pprof "127.0.0.1:$CLIENT_PPROF_PORT" -mode keepalive \
  -leases "$LEASES" -ttl "$TTL" -seconds 150 >"$LOADLOG" 2>&1 &
LOAD_PID=$!
STARTED_PIDS+=("$LOAD_PID")
wait_for_line "$LOADLOG" READY 300 "$LOAD_PID"
cat "$LOADLOG" >&2
sleep 10
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
M0=$SCENARIO_TMP/metrics.before.txt
curl -sS --fail "$EP/metrics" >"$M0"
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
grep -q DONE "$LOADLOG" && die "keepalive load ended before the profiles were taken"
PROGRESS=$(grep progress "$LOADLOG" | tail -1)
stop_pid "$LOAD_PID"
KA='grpc_server_msg_received_total\{grpc_method="LeaseKeepAlive"'
KA0=$(metric "$M0" "$KA") KA1=$(metric "$OUT/metrics.txt" "$KA")
(((KA1 - KA0) / 8 >= 1000)) || die "only $(((KA1 - KA0) / 8)) keepalives/s reached etcd during the CPU profile"
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "lease-keepalive",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise; lease checkpointing off)",
  "load": $(grep READY "$LOADLOG" | sed 's/.*READY //'),
  "load_client": "scripts/collect/clients/etcdclient -mode keepalive ($(go version "$CLIENT_BIN" | awk '{print $2}')): clientv3 Grant + KeepAlive per lease, keepalive every TTL/3",
  "client_progress_at_snapshot": "$PROGRESS",
  "server_side": {
    "keepalive_messages_received_during_cpu_profile": $((KA1 - KA0)),
    "keepalive_messages_per_second_during_cpu_profile": $(((KA1 - KA0) / 8))
  },
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "CPU profile and snapshot profiles were taken while the client kept all leases alive (10 s after it was ready)"
}
JSON
log "lease-keepalive done"
