#!/usr/bin/env bash
# Scenario "compaction": one member; KEYS keys (64-byte values) written ROUNDS
# times in Txn batches of 128 puts (KEYS*ROUNDS revisions), then one physical
# compaction to the current revision started 1 s into a CPU profile. etcd
# compacts in batches (--experimental-compaction-batch-limit, default 1000
# revisions) with a pause between batches; the profile shows that work.
source "$(dirname "$0")/../lib.sh"
scenario_init compaction

KEYS=${KEYS:-50000} ROUNDS=${ROUNDS:-4}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
for r in $(seq 1 "$ROUNDS"); do
  load range.mjs --endpoint "${EP#http://}" --phase load-small --prefix /compact/ --keys "$KEYS" --minBytes 64 >>"$LOADLOG" 2>&1 ||
    die "load failed: $(tail -5 "$LOADLOG")"
done
REV=$("$ETCDCTL_BIN" --endpoints "$EP" endpoint status -w json | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
[[ -n $REV ]] || die "cannot read the revision"
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
collect_cpu "$EP" "$OUT" 6 &
CPU_PID=$!
sleep 1
T_COMPACT=$(date +%s.%N)
"$ETCDCTL_BIN" --endpoints "$EP" --command-timeout 120s compact "$REV" --physical >&2 || die "compaction failed"
COMPACT_S=$(echo "$(date +%s.%N) - $T_COMPACT" | bc)
wait "$CPU_PID" || die "cpu profile failed"
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "compaction",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise: compaction batch limit 1000 revisions)",
  "load": { "keys": $KEYS, "rounds": $ROUNDS, "value_bytes": 64, "revision_compacted_to": $REV },
  "compaction_seconds": $COMPACT_S,
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 6,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "the CPU profile covers the physical compaction (started 1 s into it); snapshot profiles after it"
}
JSON
log "compaction done"
