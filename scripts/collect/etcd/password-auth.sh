#!/usr/bin/env bash
# Scenario "password-auth": one member with auth enabled (user root with a
# password, bcrypt cost as etcd sets it). The client creates a NEW
# password-authenticated client for every request: new TCP connection,
# Authenticate(root, password), one Range with the token, close — 4 such loops
# concurrently. Every Authenticate makes etcd run bcrypt
# (authStore.CheckPassword). Profiles are taken while the loops run.
source "$(dirname "$0")/../lib.sh"
scenario_init password-auth

CONC=${CONC:-4}
PASSWORD=collect-$$-pw
EP=http://127.0.0.1:${CLIENT_PORTS[0]}
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
T_START=$(date -u +%FT%TZ)
"$ETCDCTL_BIN" --endpoints "$EP" user add root --new-user-password="$PASSWORD" >&2
"$ETCDCTL_BIN" --endpoints "$EP" auth enable >&2
"$ETCDCTL_BIN" --endpoints "$EP" --user "root:$PASSWORD" put /auth/key value-1 >&2
LOADLOG=$SCENARIO_TMP/load.log
start_load auth-churn.mjs --endpoint "${EP#http://}" --user root --password "$PASSWORD" --concurrency "$CONC" \
  --seconds 30 >"$LOADLOG" 2>&1
LOAD_PID=$BG_PID
wait_for_line "$LOADLOG" START 30 "$LOAD_PID"
sleep 5
T_CPU=$(date -u +%FT%TZ)
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg) # 1/5/15-min load of the (shared, 2-core) host
collect_cpu "$EP" "$OUT" 8
T_SNAP=$(date -u +%FT%TZ)
collect_snapshot "$EP" "$OUT"
grep -q DONE "$LOADLOG" && die "auth load ended before the profiles were taken"
wait "$LOAD_PID" || die "auth load failed: $(tail -5 "$LOADLOG")"
cat "$LOADLOG" >&2
M=$OUT/metrics.txt
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "password-auth",
  "etcd_version": "$ETCD_VERSION",
  "etcd_go_version": "$ETCD_GO_VERSION",
  "members": 1,
  "flags": "--enable-pprof (defaults otherwise: --auth-token simple, bcrypt cost 10)",
  "auth": {"enabled": true, "user": "root", "password": "set (not recorded)", "roles": ["root"]},
  "load": $(grep DONE "$LOADLOG" | sed 's/.*DONE //'),
  "per_iteration": "new TCP connection + Auth.Authenticate(root, password) + one Range(/auth/key) with the token + close",
  "server_side": {
    "grpc_server_handled_total_Authenticate": $(metric "$M" 'grpc_server_handled_total\{grpc_code="OK",grpc_method="Authenticate"'),
    "grpc_server_handled_total_Range": $(metric "$M" 'grpc_server_handled_total\{grpc_code="OK",grpc_method="Range"')
  },
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP",
  "note": "CPU profile and snapshot profiles were taken while the connect-authenticate-request-close loops ran"
}
JSON
log "password-auth done"
