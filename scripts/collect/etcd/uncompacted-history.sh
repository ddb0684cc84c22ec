#!/usr/bin/env bash
# Scenario "uncompacted-history": one member, no compaction (etcd's default:
# no --auto-compaction-*); ONE key /history/key rewritten COUNT (200,000) times
# with 32-byte values (64 puts in flight on one connection). etcd keeps every
# revision: the key's keyIndex holds 200,000 revisions. The CPU profile is
# taken during the last part of the puts; the heap is fetched with ?gc=1 after
# the last put, so in-use numbers are what survives a GC.
# --snapshot-count=10000 (etcd 3.6's default; 3.5's is 100,000) keeps the raft
# log in memory short, so what the heap holds is the key's history, not the
# last 100,000 raft entries (with 3.5's default the raft log — 5.1 MB in
# MemoryStorage.Append + 4.1 MB of entry data — outweighs the 3.6 MB keyIndex
# after 200,000 puts).
source "$(dirname "$0")/../lib.sh"
scenario_init uncompacted-history

COUNT=${COUNT:-200000} CONC=${CONC:-64} VALUE=${VALUE:-32} SNAPSHOT_COUNT=${SNAPSHOT_COUNT:-10000}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1" --snapshot-count="$SNAPSHOT_COUNT"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
start_load rewrite.mjs --endpoint "${EP#http://}" --key /history/key --count "$COUNT" --concurrency "$CONC" \
  --valueBytes "$VALUE" --seconds 900 >"$LOADLOG" 2>&1
LOAD_PID=$BG_PID
wait_for_line "$LOADLOG" START 30 "$LOAD_PID"
# CPU profile while the puts run (once ~3/4 of them are done).
wait_for_line "$LOADLOG" "put $((COUNT * 3 / 4 / 20000 * 20000))/" 900 "$LOAD_PID"
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
collect_cpu "$EP" "$OUT" 8
wait "$LOAD_PID" || die "load failed: $(tail -5 "$LOADLOG")"
grep -q '"stoppedEarly":false' "$LOADLOG" || die "load stopped early: $(grep DONE "$LOADLOG")"
cat "$LOADLOG" >&2
sleep 2
T_SNAP=$(date -u +%FT%TZ)
HEAP_GC=1 collect_snapshot "$EP" "$OUT"
REVS=$("$ETCDCTL_BIN" --endpoints "$EP" get /history/key -w json | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
STATUS=$("$ETCDCTL_BIN" --endpoints "$EP" endpoint status -w json)
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "uncompacted-history",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof --snapshot-count=$SNAPSHOT_COUNT (defaults otherwise: no auto-compaction)",
  "load": $(grep DONE "$LOADLOG" | sed 's/.*DONE //'),
  "compactions": 0,
  "key_version_after_load": ${REVS:-null},
  "endpoint_status": $STATUS,
  "heap_fetched_with": "/debug/pprof/heap?gc=1",
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "CPU profile during the last quarter of the puts; heap (after a forced GC) and the other snapshot profiles 2 s after the last put"
}
JSON
log "uncompacted-history done"
