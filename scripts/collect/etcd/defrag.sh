#!/usr/bin/env bash
# Scenario "defrag": one member; KEYS keys of BYTES bytes, then the first half
# of them deleted and the history compacted, then `etcdctl defrag` started 1 s into a
# CPU profile (the db is rewritten into a new file).
source "$(dirname "$0")/../lib.sh"
scenario_init defrag

KEYS=${KEYS:-40000} BYTES=${BYTES:-2048}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
load range.mjs --endpoint "${EP#http://}" --phase load-small --prefix /defrag/ --keys "$KEYS" --minBytes "$BYTES" >"$LOADLOG" 2>&1 ||
  die "load failed: $(cat "$LOADLOG")"
HALF=$(printf '/defrag/k%07d' $((KEYS / 2)))
DELETED=$("$ETCDCTL_BIN" --endpoints "$EP" del /defrag/k0000000 "$HALF")
REV=$("$ETCDCTL_BIN" --endpoints "$EP" endpoint status -w json | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
"$ETCDCTL_BIN" --endpoints "$EP" compact "$REV" --physical >&2
SIZE_BEFORE=$("$ETCDCTL_BIN" --endpoints "$EP" endpoint status -w json | sed -n 's/.*"dbSize":\([0-9]*\).*/\1/p')
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
collect_cpu "$EP" "$OUT" 6 &
CPU_PID=$!
sleep 1
T_DEFRAG=$(date +%s.%N)
"$ETCDCTL_BIN" --endpoints "$EP" --command-timeout 120s defrag >&2 || die "defrag failed"
DEFRAG_S=$(echo "$(date +%s.%N) - $T_DEFRAG" | bc)
wait "$CPU_PID" || die "cpu profile failed"
SIZE_AFTER=$("$ETCDCTL_BIN" --endpoints "$EP" endpoint status -w json | sed -n 's/.*"dbSize":\([0-9]*\).*/\1/p')
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "defrag",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": { "keys": $KEYS, "value_bytes": $BYTES, "deleted": $DELETED, "deleted_range": "[/defrag/k0000000, $HALF)", "compacted_to": $REV },
  "db_size_before": $SIZE_BEFORE,
  "db_size_after": $SIZE_AFTER,
  "defrag_seconds": $DEFRAG_S,
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 6,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "the CPU profile covers the defragmentation (started 1 s into it)"
}
JSON
log "defrag done"
