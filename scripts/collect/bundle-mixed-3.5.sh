#!/bin/sh
# Records samples/etcd-3.5.16/mixed-bundle: `pprof-doctor collect` on a 3-member cluster on
# 127.0.0.1 in the middle of a rolling upgrade: m1 and m2 run Debian's etcd 3.4.23 (/usr/bin/etcd),
# m3 runs Debian's etcd 3.5.16 (unpacked from etcd-server_3.5.16-4_amd64.deb). While the CPU
# window runs, a client writes 200 keys of 1 KiB through m1. Peers and clients over plain http.
#
#   ETCD35=/path/to/etcd-3.5.16 scripts/collect/bundle-mixed-3.5.sh [OUT] [BASE_PORT]
#
# Needs `npm run build` first (it runs bin/pprof-doctor). Everything listens on 127.0.0.1 only
# and is stopped at the end.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/samples/etcd-3.5.16/mixed-bundle}
BASE=${2:-24300}
ETCD34=${ETCD34:-/usr/bin/etcd}
ETCD35=${ETCD35:-/work/debs/etcd-server_3.5.16/usr/bin/etcd}
ETCDCTL=${ETCDCTL:-/usr/bin/etcdctl}
[ -x "$ETCD34" ] || { echo "no etcd 3.4 at $ETCD34" >&2; exit 2; }
[ -x "$ETCD35" ] || { echo "no etcd 3.5 at $ETCD35 (set ETCD35)" >&2; exit 2; }
[ -e "$OUT" ] && { echo "$OUT exists; remove it first" >&2; exit 2; }

work=$(mktemp -d)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for p in $pids; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

cluster=""
for i in 1 2 3; do
  cluster="${cluster:+$cluster,}m$i=http://127.0.0.1:$((BASE + 10 + i))"
done
for i in 1 2 3; do
  bin=$ETCD34
  [ "$i" = 3 ] && bin=$ETCD35
  env -u ETCDCTL_API "$bin" --name "m$i" --data-dir "$work/m$i" \
    --listen-client-urls "http://127.0.0.1:$((BASE + i))" --advertise-client-urls "http://127.0.0.1:$((BASE + i))" \
    --listen-peer-urls "http://127.0.0.1:$((BASE + 10 + i))" --initial-advertise-peer-urls "http://127.0.0.1:$((BASE + 10 + i))" \
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token pprof-doctor-mixed \
    --enable-pprof --logger zap --log-outputs stderr 2>"$work/m$i.log" &
  pids="$pids $!"
done
eps="http://127.0.0.1:$((BASE + 1)),http://127.0.0.1:$((BASE + 2)),http://127.0.0.1:$((BASE + 3))"
n=0
until ETCDCTL_API=3 "$ETCDCTL" --endpoints "$eps" endpoint health >/dev/null 2>&1; do
  n=$((n + 1))
  [ "$n" -gt 60 ] && { echo "cluster not healthy:" >&2; tail -5 "$work"/m*.log >&2; exit 1; }
  sleep 0.5
done

value=$(head -c 1024 /dev/zero | tr '\0' x)
( i=0; while [ "$i" -lt 200 ]; do
    ETCDCTL_API=3 "$ETCDCTL" --endpoints "http://127.0.0.1:$((BASE + 1))" put "/mixed/key$i" "$value" >/dev/null
    i=$((i + 1))
  done ) &
load=$!
node "$ROOT/bin/pprof-doctor" collect --endpoints "$eps" --seconds 3 -o "$OUT"
wait "$load"
