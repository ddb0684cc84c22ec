# shellcheck shell=bash
# Shared helpers for the etcd collection scripts. Source it; do not run it.
#
# Every etcd member started here listens on 127.0.0.1 only, keeps its data dir
# under $COLLECT_TMP (default /tmp/pprof-doctor-collect), and is stopped by PID
# (never by name) when the sourcing script exits.

set -euo pipefail

COLLECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$COLLECT_DIR/../.." && pwd)
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
ETCDCTL_BIN=${ETCDCTL_BIN:-/usr/bin/etcdctl}
export -n ETCDCTL_BIN # etcdctl warns about unknown ETCDCTL_* variables
export ETCDCTL_API=3
COLLECT_TMP=${COLLECT_TMP:-/tmp/pprof-doctor-collect}
# The version the binary reports ("etcd Version: 3.5.16") names the output
# folder samples/etcd-<version>/ and goes into every scenario.json.
ETCD_VERSION=${ETCD_VERSION:-$("$ETCD_BIN" --version 2>/dev/null | sed -n 's/^etcd Version: //p')}
SAMPLES_DIR=${SAMPLES_DIR:-$REPO_ROOT/samples/etcd-${ETCD_VERSION:-unknown}}
# Go version the etcd binary was built with (for scenario.json).
ETCD_GO_VERSION=$("$ETCD_BIN" --version 2>/dev/null | sed -n 's/^Go Version: //p')
# Ports: clients 23911-23913, peers 23811-23813 (all on 127.0.0.1); PORT_BASE=N moves them to
# N+11..N+13 (clients) and N+21..N+23 (peers), e.g. to run beside another collection.
if [[ -n ${PORT_BASE:-} ]]; then
  CLIENT_PORTS=($((PORT_BASE + 11)) $((PORT_BASE + 12)) $((PORT_BASE + 13)))
  PEER_PORTS=($((PORT_BASE + 21)) $((PORT_BASE + 22)) $((PORT_BASE + 23)))
else
  CLIENT_PORTS=(23911 23912 23913)
  PEER_PORTS=(23811 23812 23813)
fi

# PIDs of everything this script started (etcd members and load generators).
STARTED_PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

require_tools() {
  [[ -x $ETCD_BIN ]] || die "etcd not found at $ETCD_BIN"
  [[ -x $ETCDCTL_BIN ]] || die "etcdctl not found at $ETCDCTL_BIN"
  command -v curl >/dev/null || die "curl is required"
  command -v node >/dev/null || die "node is required"
  [[ -d $COLLECT_DIR/node_modules/@grpc/grpc-js ]] || (cd "$COLLECT_DIR" && npm ci --no-audit --no-fund >&2)
  [[ -n $ETCD_VERSION ]] || die "cannot read the version of $ETCD_BIN"
  local ctl_version
  ctl_version=$("$ETCDCTL_BIN" version 2>/dev/null | sed -n 's/^etcdctl version: //p')
  [[ $ctl_version == "$ETCD_VERSION" ]] || log "WARNING: $ETCDCTL_BIN is version '$ctl_version', etcd is $ETCD_VERSION"
}

port_free() { ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }

# start_member NAME INDEX INITIAL_CLUSTER DATA_DIR [extra etcd flags...]
# INDEX selects the port pair (0..2). Appends the PID to STARTED_PIDS.
start_member() {
  local name=$1 idx=$2 initial_cluster=$3 data_dir=$4
  shift 4
  local cport=${CLIENT_PORTS[$idx]} pport=${PEER_PORTS[$idx]}
  port_free "$cport" || die "port $cport busy"
  port_free "$pport" || die "port $pport busy"
  rm -rf "$data_dir"
  mkdir -p "$(dirname "$data_dir")"
  "$ETCD_BIN" \
    --name "$name" \
    --data-dir "$data_dir" \
    --listen-client-urls "http://127.0.0.1:$cport" \
    --advertise-client-urls "http://127.0.0.1:$cport" \
    --listen-peer-urls "http://127.0.0.1:$pport" \
    --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
    --initial-cluster "$initial_cluster" \
    --initial-cluster-state new \
    --initial-cluster-token pprof-doctor-collect \
    --enable-pprof \
    --logger zap --log-outputs stderr \
    "$@" >"$data_dir.log" 2>&1 &
  local pid=$!
  STARTED_PIDS+=("$pid")
  log "started etcd $name pid=$pid client=127.0.0.1:$cport peer=127.0.0.1:$pport flags: $*"
}

# wait_healthy ENDPOINT... : waits up to 30 s for every endpoint to report healthy.
wait_healthy() {
  local ep
  for ep in "$@"; do
    local i
    for i in $(seq 1 60); do
      if "$ETCDCTL_BIN" --endpoints "$ep" --dial-timeout 1s --command-timeout 2s endpoint health >/dev/null 2>&1; then
        continue 2
      fi
      sleep 0.5
    done
    die "etcd at $ep not healthy after 30s"
  done
}

# start_load SCRIPT ARGS... : start load/SCRIPT with node in the background
# (redirect the call's output to a log file); its PID (node's own) goes to
# BG_PID and STARTED_PIDS.
start_load() {
  node "$COLLECT_DIR/load/$1" "${@:2}" &
  BG_PID=$!
  STARTED_PIDS+=("$BG_PID")
}

# wait_for_line FILE PATTERN TIMEOUT_S [PID] : waits for PATTERN in FILE; gives
# up early (showing the end of FILE) if PID exits first.
wait_for_line() {
  local file=$1 pat=$2 to=$3 pid=${4:-} i
  for i in $(seq 1 $((to * 2))); do
    grep -q -- "$pat" "$file" 2>/dev/null && return 0
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$file" >&2 || true
      die "process $pid exited before printing '$pat'"
    fi
    sleep 0.5
  done
  tail -20 "$file" >&2 || true
  die "timed out after ${to}s waiting for '$pat' in $file"
}

stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  log "pid $pid did not exit after SIGTERM, sending SIGKILL"
  kill -9 "$pid" 2>/dev/null || true
}

stop_all() {
  local pid
  # Stop in reverse order: load generators first, then members.
  for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${STARTED_PIDS[$i]}
    stop_pid "$pid"
  done
  STARTED_PIDS=()
  wait 2>/dev/null || true
}

cleanup_tmp() {
  [[ ${KEEP_TMP:-0} == 1 ]] || rm -rf "${SCENARIO_TMP:?}"
}

# scenario_init NAME : sets SCENARIO_TMP and OUT, installs the exit trap.
scenario_init() {
  SCENARIO=$1
  SCENARIO_TMP=$COLLECT_TMP/$SCENARIO
  OUT=${OUT:-$SAMPLES_DIR/$SCENARIO}
  rm -rf "$SCENARIO_TMP"
  mkdir -p "$SCENARIO_TMP" "$OUT"
  trap 'stop_all; cleanup_tmp' EXIT
  trap 'exit 130' INT TERM
  require_tools
  log "scenario $SCENARIO -> $OUT (tmp $SCENARIO_TMP)"
}

fetch() { # fetch URL FILE
  curl -sS --fail --max-time 120 -o "$2" "$1" || die "GET $1 failed"
}

# collect_cpu BASE_URL OUTDIR [SECONDS]: 8 s CPU profile (blocks for that long).
collect_cpu() {
  local base=$1 out=$2 secs=${3:-8}
  mkdir -p "$out"
  fetch "$base/debug/pprof/profile?seconds=$secs" "$out/cpu.pb.gz"
}

# collect_go_process BASE_URL OUTDIR [DEBUG2]: the profiles of a Go program that is not an etcd member
# (a client application, prometheus): an 8 s CPU profile, then heap, allocs and goroutine (proto and
# debug=1; debug=2 too when DEBUG2=1). Sets T_CPU, LOADAVG (the host's 1/5/15-min load when the CPU
# profile starts) and T_SNAP (when the other profiles were taken) for scenario.json.
collect_go_process() {
  local base=$1 out=$2 debug2=${3:-0}
  T_CPU=$(date -u +%FT%TZ)
  LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
  collect_cpu "$base" "$out" 8
  T_SNAP=$(date -u +%FT%TZ)
  fetch "$base/debug/pprof/heap" "$out/heap.pb.gz"
  fetch "$base/debug/pprof/allocs" "$out/allocs.pb.gz"
  fetch "$base/debug/pprof/goroutine" "$out/goroutine.pb.gz"
  fetch "$base/debug/pprof/goroutine?debug=1" "$out/goroutine.debug1.txt"
  if ((debug2)); then fetch "$base/debug/pprof/goroutine?debug=2" "$out/goroutine.debug2.txt"; fi
}

# collect_snapshot BASE_URL OUTDIR: all the instantaneous profiles.
collect_snapshot() {
  local base=$1 out=$2
  mkdir -p "$out"
  # HEAP_GC=1 asks the server to run a GC first (?gc=1) so in-use numbers are current.
  local gc=
  [[ ${HEAP_GC:-0} == 1 ]] && gc="?gc=1"
  fetch "$base/debug/pprof/heap$gc" "$out/heap.pb.gz"
  fetch "$base/debug/pprof/heap?debug=1" "$out/heap.debug1.txt"
  fetch "$base/debug/pprof/allocs" "$out/allocs.pb.gz"
  fetch "$base/debug/pprof/goroutine" "$out/goroutine.pb.gz"
  fetch "$base/debug/pprof/goroutine?debug=1" "$out/goroutine.debug1.txt"
  fetch "$base/debug/pprof/goroutine?debug=2" "$out/goroutine.debug2.txt"
  fetch "$base/debug/pprof/mutex" "$out/mutex.pb.gz"
  fetch "$base/debug/pprof/block" "$out/block.pb.gz"
  fetch "$base/debug/pprof/threadcreate" "$out/threadcreate.pb.gz"
  # Prometheus metrics at the same moment (histogram buckets dropped to keep it small).
  curl -sS --fail --max-time 30 "$base/metrics" | grep -v '_bucket{' >"$out/metrics.txt" || true
}

# metric FILE NAME_REGEX : sum of the values of matching metric lines.
metric() {
  grep -E "^$2" "$1" | awk '{s += $NF} END {printf "%d\n", s}'
}

# leader_endpoint EP1,EP2,... : prints the client URL of the current leader.
leader_endpoint() {
  "$ETCDCTL_BIN" --endpoints "$1" endpoint status -w json |
    node -e 'const raw=require("fs").readFileSync(0,"utf8");
      const s=JSON.parse(raw.replace(/:(\d{10,})/g, ":\"$1\""));
      const l=s.find(e=>e.Status.header.member_id===e.Status.leader);
      if(!l){process.exit(1)}; console.log(l.Endpoint)'
}

load() { node "$COLLECT_DIR/load/$1" "${@:2}"; }
