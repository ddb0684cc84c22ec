#!/usr/bin/env bash
# Scenario "many-leases": one member; 50,000 leases granted over one connection
# (64 in flight); 10,000 of them carry one key each; 10,000 (TTL 60 s, the
# same ones that carry keys) are kept alive over one LeaseKeepAlive stream
# every 2 s, the other 40,000 have TTL 3600 s. Profiles are taken while the
# keepalives run.
source "$(dirname "$0")/../lib.sh"
scenario_init many-leases

LEASES=${LEASES:-50000} KEEP=${KEEP:-10000} WITHKEYS=${WITHKEYS:-10000}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
start_load leases.mjs --endpoint "${EP#http://}" --leases "$LEASES" --keepalive "$KEEP" --withKeys "$WITHKEYS" \
  --shortTtl 60 --longTtl 3600 --interval 2 --seconds 40 >"$LOADLOG" 2>&1
LOAD_PID=$BG_PID
wait_for_line "$LOADLOG" READY 300 "$LOAD_PID"
cat "$LOADLOG" >&2
sleep 2
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
LEASE_COUNT=$("$ETCDCTL_BIN" --endpoints "$EP" lease list | sed -n '1s/found \([0-9]*\) leases/\1/p') || true
grep -q DONE "$LOADLOG" && die "lease load ended before the profiles were taken"
wait "$LOAD_PID" || die "lease load failed: $(tail -5 "$LOADLOG")"
tail -1 "$LOADLOG" >&2
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "many-leases",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise; lease checkpointing off)",
  "load": $(grep READY "$LOADLOG" | sed 's/.*READY //'),
  "keepalive_result": $(grep DONE "$LOADLOG" | sed 's/.*DONE //'),
  "etcdctl_lease_list_count_after_snapshot": ${LEASE_COUNT:-null},
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "CPU profile and snapshot profiles were taken after all grants, while the 10,000 keepalives per 2 s were running"
}
JSON
log "many-leases done"
