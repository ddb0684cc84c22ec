#!/usr/bin/env bash
# Scenario "watchers-closed": one member; 10,000 watchers on 100 streams and
# 40 puts/s for 20 s, then the client closes everything and exits. Profiles 10 s
# later, the heap after a forced GC: the watchers are gone, and so must be any
# watch diagnosis on what is held now (allocation since start still shows them).
source "$(dirname "$0")/../lib.sh"
scenario_init watchers-closed

STREAMS=${STREAMS:-100} WPS=${WPS:-100} KEYS=${KEYS:-200} RATE=${RATE:-40}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
load many-watchers.mjs --endpoint "${EP#http://}" --connections 1 --streams "$STREAMS" --watchersPerStream "$WPS" \
  --keys "$KEYS" --rate "$RATE" --valueBytes 256 --writeSeconds 20 --holdSeconds 0 >"$LOADLOG" 2>&1 ||
  die "load failed: $(tail -5 "$LOADLOG")"
WATCHERS_DURING=$(grep READY "$LOADLOG" | sed 's/.*READY //')
sleep 10
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
collect_cpu "$EP" "$OUT" 6
T_SNAP=$(date -u +%FT%TZ)
HEAP_GC=1 collect_snapshot "$EP" "$OUT"
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "watchers-closed",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load_while_open": $WATCHERS_DURING,
  "watchers_at_snapshot": $(metric "$OUT/metrics.txt" 'etcd_debugging_mvcc_watcher_total'),
  "watch_streams_at_snapshot": $(metric "$OUT/metrics.txt" 'etcd_debugging_mvcc_watch_stream_total'),
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 6,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "profiles 10 s after the client closed its 10,000 watchers and exited; heap ?gc=1"
}
JSON
log "watchers-closed done"
