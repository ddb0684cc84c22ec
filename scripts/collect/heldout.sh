#!/usr/bin/env bash
# Held-out recordings: the scenarios of etcd/*.sh run with other parameters, on other
# versions, and heaps taken at other moments than the committed samples/etcd-<v>/ ones,
# plus scenarios that have no other recording. Output: samples/heldout/<version>-<name>/,
# each with its scenario.json (the scenario name there selects the expected diagnosis in
# test/diagnosis/real-etcd35.test.ts). PORT_BASE (default 24400) keeps the members on
# 127.0.0.1:PORT_BASE+11.. so this can run beside the default collection.
# Usage: heldout.sh [name...]   (names: see RUNS below; default: all)
#        heldout.sh --slim DIR...  (only the size reduction below, on folders already recorded)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
export PORT_BASE=${PORT_BASE:-24400}
DEBS=${DEBS:-/work/debs}
BIN_34=/usr/bin/etcd CTL_34=/usr/bin/etcdctl
BIN_35_16=$DEBS/etcd-server_3.5.16/usr/bin/etcd CTL_35_16=$DEBS/etcd-client_3.5.16/usr/bin/etcdctl
BIN_35_30=$DEBS/etcd-server_3.5.30/usr/bin/etcd CTL_35_30=$DEBS/etcd-client_3.5.30/usr/bin/etcdctl

# name | etcd server (34, 35_16, 35_30) | command under scripts/collect | environment (parameters)
RUNS=(
  "small-range|34|etcd/small-range.sh|KEYS=30000 BYTES=2048 CONC=2"
  "small-range|35_30|etcd/small-range.sh|KEYS=30000 BYTES=2048 CONC=2"
  "small-range-after|35_16|etcd/small-range.sh|KEYS=30000 BYTES=2048 CONC=2 AFTER=1"
  "compaction|35_16|etcd/compaction.sh|KEYS=50000 ROUNDS=4"
  "compaction|35_30|etcd/compaction.sh|KEYS=50000 ROUNDS=4"
  "raft-log-after-load|34|etcd/raft-log-after-load.sh|COUNT=400 SIZE=262144"
  "raft-log-after-load|35_16|etcd/raft-log-after-load.sh|COUNT=400 SIZE=262144"
  "many-watchers-4conn-gc|35_16|etcd/many-watchers.sh|CONNECTIONS=4 STREAMS=40 WPS=250 KEYS=500 RATE=20 HEAP_GC=1"
  "many-leases-30k|35_30|etcd/many-leases.sh|LEASES=30000 KEEP=3000 WITHKEYS=3000"
  "slow-watchers|34|etcd/slow-watchers.sh|STREAMS=30 WPS=20 RATE=80 VALUE=2048"
  "uncompacted-history-120k|34|etcd/uncompacted-history.sh|COUNT=120000 HEAP_GC=1"
  "password-auth|34|etcd/password-auth.sh|CONC=3"
  "idle-after-load|34|etcd/idle-after-load.sh|KEYS=20000"
  "lease-expiry|34|etcd/lease-expiry.sh|LEASES=10000 TTL=90"
  "watchers-closed|35_30|etcd/watchers-closed.sh|STREAMS=100 WPS=100"
  "defrag|35_16|etcd/defrag.sh|KEYS=40000 BYTES=2048"
  # client applications (their own profiles; needs clients/build.sh), against another server version
  "client35-watch-leak-slow|34|clients/record.sh watch-leak 3.5|CLIENT_ARGS='-rate 4 -keys 20 -putRate 30 -valueBytes 4096 -seconds 150' WARM_S=70"
  "client34-many-watchers-2k|35_30|clients/record.sh many-watchers 3.4|CLIENT_ARGS='-watchers 2000 -keys 50 -putRate 20 -valueBytes 1024 -seconds 100' WARM_S=20"
  "client35-keepalive-5k|34|clients/record.sh keepalive 3.5|CLIENT_ARGS='-leases 5000 -ttl 10 -seconds 120' WARM_S=15"
  "slow-watchers-fanout|35_30|etcd/slow-watchers.sh|STREAMS=10 WPS=200 RATE=50 VALUE=8192"
  "client35-unclosed-clients|35_30|clients/record.sh unclosed-clients 3.5|CLIENT_ARGS='-rate 10 -seconds 120' WARM_S=60"
)

# Keeps each folder small (< ~200 kB): the heap's debug=1 text repeats heap.pb.gz, the debug=2 dump
# the goroutine profile, threadcreate says nothing here; gRPC counters that are 0 are most of /metrics.
slim() {
  rm -f "$1/heap.debug1.txt" "$1/goroutine.debug2.txt" "$1/threadcreate.pb.gz"
  if [[ -f $1/metrics.txt ]]; then
    grep -Ev '^grpc_server_[a-z_]+\{.*\} 0$' "$1/metrics.txt" >"$1/metrics.tmp" || true
    mv "$1/metrics.tmp" "$1/metrics.txt"
  fi
}
[[ ${1:-} == --slim ]] && { for d in "${@:2}"; do slim "$d"; done; exit 0; }

# A non-etcd control beside them: Debian's prometheus under a heavier query than samples/control's
# (heldout.sh prometheus-all-series).
if [[ ${1:-} == prometheus-all-series ]]; then
  rm -rf "$REPO_ROOT/samples/heldout/prometheus-all-series"
  OUT=$REPO_ROOT/samples/heldout/prometheus-all-series PROM_PORT=$((PORT_BASE + 90)) COLLECT_TMP=/tmp/pprof-doctor-heldout \
    PROM_QUERY='sum by (__name__) ({__name__=~".+"})' "$HERE/prometheus.sh"
  slim "$REPO_ROOT/samples/heldout/prometheus-all-series"
  exit 0
fi

want=("$@")
for run in "${RUNS[@]}"; do
  IFS='|' read -r name rel cmd envs <<<"$run"
  bin_var=BIN_$rel ctl_var=CTL_$rel
  bin=${!bin_var} ctl=${!ctl_var}
  version=$("$bin" --version | sed -n 's/^etcd Version: //p')
  id=$version-$name
  if ((${#want[@]})); then
    hit=0
    for w in "${want[@]}"; do [[ $w == "$id" || $w == "$name" ]] && hit=1; done
    ((hit)) || continue
  fi
  out=$REPO_ROOT/samples/heldout/$id
  rm -rf "$out"
  echo "=== $id ($cmd $envs)" >&2
  # envs and cmd are this file's own constants (quoted values inside envs)
  eval "env ETCD_BIN='$bin' ETCDCTL_BIN='$ctl' OUT='$out' COLLECT_TMP=/tmp/pprof-doctor-heldout CLIENT_PPROF_PORT=$((PORT_BASE + 60)) $envs '$HERE'/$cmd"
  slim "$out"
done
