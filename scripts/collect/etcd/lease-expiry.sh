#!/usr/bin/env bash
# Scenario "lease-expiry": one member; LEASES leases of TTL seconds, one key
# each, never kept alive: they all expire together. The CPU profile starts when
# they expire and covers the revocations (the lessor revokes at most 1,000
# leases a second in 3.4+); the other profiles follow it.
source "$(dirname "$0")/../lib.sh"
scenario_init lease-expiry

LEASES=${LEASES:-20000} TTL=${TTL:-30}
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/load.log
load lease-expiry.mjs --endpoint "${EP#http://}" --leases "$LEASES" --ttl "$TTL" >"$LOADLOG" 2>&1 || die "load failed: $(cat "$LOADLOG")"
FIRST_MS=$(sed -n 's/.*"firstGrantEpochMs":\([0-9]*\).*/\1/p' "$LOADLOG")
WAIT_MS=$((FIRST_MS + TTL * 1000 - $(date +%s%3N)))
((WAIT_MS > 0)) || die "granting took longer than the TTL; lower LEASES or raise TTL"
sleep "$(echo "$WAIT_MS / 1000" | bc -l)"
KEYS_BEFORE=$("$ETCDCTL_BIN" --endpoints "$EP" get /expire/ --prefix --keys-only | grep -c . || true)
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
KEYS_AFTER=$("$ETCDCTL_BIN" --endpoints "$EP" get /expire/ --prefix --keys-only | grep -c . || true)
cat "$LOADLOG" >&2
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "lease-expiry",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise)",
  "load": $(grep READY "$LOADLOG" | sed 's/.*READY //'),
  "keys_left_when_cpu_profile_started": $KEYS_BEFORE,
  "keys_left_after_snapshot": $KEYS_AFTER,
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "the CPU profile starts when the leases expire and covers their revocation"
}
JSON
log "lease-expiry done"
