#!/usr/bin/env bash
# Client-side profiles: runs etcdclient (built by build.sh) against one etcd
# member (ETCD_BIN, 3.5.16 from Debian unless overridden) and fetches the
# CLIENT's /debug/pprof (127.0.0.1:$CLIENT_PPROF_PORT).
#   record.sh watch-leak 3.4|3.5     a watch opened per "request" and never read
#                                    nor cancelled (10/s), 50 puts/s of 1 KiB
#   record.sh many-watchers 3.4|3.5  5,000 watchers held and read, 50 puts/s
#   record.sh keepalive 3.4|3.5      20,000 leases (TTL 5 s) kept alive
#   record.sh unclosed-clients 3.4|3.5  a new client per "request" (10/s), never closed
# OUT, CLIENT_ARGS (etcdclient options replacing the defaults) and WARM_S (seconds before the
# profiles) override the defaults.
# Output: samples/clients/etcd-client-<release>/<scenario>/ (cpu, heap, allocs,
# goroutine proto + debug=1 [+ debug=2 when small], scenario.json).
source "$(dirname "$0")/../lib.sh"
KIND=${1:?usage: record.sh watch-leak|many-watchers|keepalive|unclosed-clients 3.4|3.5}
REL=${2:?client release 3.4 or 3.5}
BIN_DIR=${BIN_DIR:-/tmp/pprof-doctor-collect/bin}
CLIENT_BIN=$BIN_DIR/etcdclient-$REL
[[ -x $CLIENT_BIN ]] || die "$CLIENT_BIN missing: run clients/build.sh $REL"
CLIENT_PPROF_PORT=${CLIENT_PPROF_PORT:-23960}
OUT=${OUT:-$REPO_ROOT/samples/clients/etcd-client-$REL/$KIND}
scenario_init "client-$KIND-$REL"
port_free "$CLIENT_PPROF_PORT" || die "port $CLIENT_PPROF_PORT busy"

EP=http://127.0.0.1:${CLIENT_PORTS[0]}
CP=http://127.0.0.1:$CLIENT_PPROF_PORT
start_member m1 0 "m1=http://127.0.0.1:${PEER_PORTS[0]}" "$SCENARIO_TMP/m1"
wait_healthy "$EP"
case $KIND in
  watch-leak) ARGS=(-mode watch-leak -rate 10 -keys 100 -putRate 50 -valueBytes 1024 -seconds 120) WARM=60 DEBUG2=1 ;;
  many-watchers) ARGS=(-mode many-watchers -watchers 5000 -keys 100 -putRate 50 -valueBytes 256 -seconds 120) WARM=20 DEBUG2=0 ;;
  keepalive) ARGS=(-mode keepalive -leases 20000 -ttl 5 -seconds 150) WARM=15 DEBUG2=0 ;;
  unclosed-clients) ARGS=(-mode unclosed-clients -rate 10 -seconds 150) WARM=60 DEBUG2=0 ;;
  *) die "unknown client scenario $KIND" ;;
esac
# CLIENT_ARGS="-rate 3 -keys 20" replaces the scenario's etcdclient options; WARM_S its warm-up.
# shellcheck disable=SC2206
[[ -n ${CLIENT_ARGS:-} ]] && ARGS=(-mode "$KIND" $CLIENT_ARGS)
WARM=${WARM_S:-$WARM}
T_START=$(date -u +%FT%TZ)
LOADLOG=$SCENARIO_TMP/client.log
"$CLIENT_BIN" -endpoint "${EP#http://}" -pprof "127.0.0.1:$CLIENT_PPROF_PORT" "${ARGS[@]}" >"$LOADLOG" 2>&1 &
LOAD_PID=$!
STARTED_PIDS+=("$LOAD_PID")
wait_for_line "$LOADLOG" READY 300 "$LOAD_PID"
cat "$LOADLOG" >&2
# watch-leak: a first goroutine/heap pair early, to show the growth.
if [[ $KIND == watch-leak ]]; then
  sleep 20
  fetch "$CP/debug/pprof/goroutine" "$OUT/goroutine.early.pb.gz"
  fetch "$CP/debug/pprof/heap" "$OUT/heap.early.pb.gz"
  EARLY=$(tail -1 "$LOADLOG")
  T_EARLY=$(date -u +%FT%TZ)
  sleep $((WARM - 20 - 8))
else
  sleep "$WARM"
fi
collect_go_process "$CP" "$OUT" "$DEBUG2"
PROGRESS=$(grep progress "$LOADLOG" | tail -1)
grep -q DONE "$LOADLOG" && die "client ended before the profiles were taken"
cat >"$OUT/scenario.json" <<JSON
{
  "scenario": "client-$KIND",
  "client": "etcdclient ($(cd "$(dirname "$0")" && pwd | sed "s|$REPO_ROOT/||")/etcdclient) built against etcd client $REL (Debian golang-etcd-server-dev, GOPATH mode)",
  "client_go_version": "$(go version "$CLIENT_BIN" | awk '{print $2}')",
  "client_args": "${ARGS[*]}",
  "client_ready": $(grep READY "$LOADLOG" | sed 's/.*READY //'),
  "client_progress_at_snapshot": "$PROGRESS",
  "early_snapshot": "$( [[ $KIND == watch-leak ]] && echo "goroutine.early.pb.gz/heap.early.pb.gz at $T_EARLY: $EARLY")",
  "server": "etcd $ETCD_VERSION ($ETCD_GO_VERSION), 1 member on 127.0.0.1, default flags",
  "started_at": "$T_START",
  "cpu_profile_started_at": "$T_CPU",
  "cpu_profile_seconds": 8,
  "host_loadavg_1_5_15_at_cpu_profile_start": "$LOADAVG",
  "snapshot_profiles_at": "$T_SNAP"
}
JSON
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$OUT/scenario.json" || die "bad scenario.json"
stop_pid "$LOAD_PID"
log "client $KIND $REL done"; cat "$OUT/scenario.json" >&2
