#!/usr/bin/env bash
# Scenario "many-watchers": one member; 1 client TCP connection carrying 200
# gRPC Watch streams with 100 watchers each (20,000 watchers over 200 keys),
# 50 puts/s of 256-byte values to the watched keys while profiles are taken.
source "$(dirname "$0")/../lib.sh"
scenario_init many-watchers

CONNECTIONS=${CONNECTIONS:-1} STREAMS=${STREAMS:-200} WPS=${WPS:-100} KEYS=${KEYS:-200} RATE=${RATE:-50}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
start_load many-watchers.mjs --endpoint "127.0.0.1:${CLIENT_PORTS[0]}" \
  --connections "$CONNECTIONS" --streams "$STREAMS" --watchersPerStream "$WPS" --keys "$KEYS" \
  --rate "$RATE" --valueBytes 256 --writeSeconds 45 --holdSeconds 120 >"$LOADLOG" 2>&1
LOAD_PID=$BG_PID
wait_for_line "$LOADLOG" READY 180 "$LOAD_PID"
cat "$LOADLOG" >&2
sleep 4
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
# TCP connections at snapshot time: the load generator's own (client side,
# matched by PID) and all server-side ones (those include etcd's grpc-gateway
# connection to itself).
LOAD_CONNS=$(ss -tnpH state established "( dport = :${CLIENT_PORTS[0]} )" | grep -c "pid=$LOAD_PID," || true)
ESTAB=$(ss -tnH state established "( sport = :${CLIENT_PORTS[0]} )" | wc -l)
SUMMARY=$(grep READY "$LOADLOG" | sed 's/.*READY //')
M=$OUT/metrics.txt
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "many-watchers",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": $SUMMARY,
  "server_side": {
    "load_generator_tcp_connections": $LOAD_CONNS,
    "established_tcp_connections_on_client_port": $ESTAB,
    "etcd_debugging_mvcc_watch_stream_total": $(metric "$M" etcd_debugging_mvcc_watch_stream_total),
    "etcd_debugging_mvcc_watcher_total": $(metric "$M" etcd_debugging_mvcc_watcher_total),
    "grpc_server_started_total_Watch": $(metric "$M" 'grpc_server_started_total\{grpc_method="Watch"'),
    "grpc_server_handled_total_Watch": $(metric "$M" 'grpc_server_handled_total\{grpc_method="Watch"')
  },
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "the CPU profile and all snapshot profiles were taken while the watchers were open and the put load was running"
}
JSON
stop_pid "$LOAD_PID"
log "many-watchers done"; cat "$OUT/scenario.json" >&2
