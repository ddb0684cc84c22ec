#!/usr/bin/env bash
# Scenario "count-only": one member; 500,000 keys with 16-byte values under
# /count/ (written in Txn batches of 128 puts), then 4 concurrent loops of
# Range(/count/ prefix, count_only=true) over one connection while profiles
# are taken. (This is what `etcdctl get --prefix --count-only` sends in etcd
# 3.5+; etcdctl 3.4 has no --count-only flag, so the Node client sends it.)
source "$(dirname "$0")/../lib.sh"
scenario_init count-only

KEYS=${KEYS:-500000} CONC=${CONC:-4}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
load range.mjs --endpoint "${EP#http://}" --phase load-small --prefix /count/ --keys "$KEYS" --minBytes 16 >"$LOADLOG" 2>&1 || die "load failed: $(cat "$LOADLOG")"
tail -1 "$LOADLOG" >&2
COUNT_CTL=$("$ETCDCTL_BIN" --endpoints "$EP" get /count/ --prefix --keys-only --limit 1 -w json | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
log "etcdctl get /count/ --prefix --keys-only --limit 1 -w json -> count $COUNT_CTL"
RANGELOG=$SCENARIO_TMP/range.log
start_load range.mjs --endpoint "${EP#http://}" --phase count --prefix /count/ --concurrency "$CONC" --seconds 30 >"$RANGELOG" 2>&1
RANGE_PID=$BG_PID
wait_for_line "$RANGELOG" START 30 "$RANGE_PID"
sleep 4
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
grep -q DONE "$RANGELOG" && die "count load ended before the profiles were taken"
wait "$RANGE_PID" || die "count load failed: $(tail -5 "$RANGELOG")"
cat "$RANGELOG" >&2
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "count-only",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": {
    "keys": $(grep DONE "$LOADLOG" | sed 's/.*DONE //'),
    "etcdctl_reported_count": ${COUNT_CTL:-null},
    "ranges": $(grep DONE "$RANGELOG" | sed 's/.*DONE //'),
    "range_request": "Range(key=/count/, range_end=/count0, count_only=true)"
  },
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "CPU profile and snapshot profiles were all taken while the concurrent count-only loops were running"
}
JSON
log "count-only done"
