#!/usr/bin/env bash
# Regenerates every collected artefact (not run by CI):
#   samples/etcd-<version>/<scenario>/...   etcd scenarios, <version> from $ETCD_BIN
#   samples/etcd-<version>/series/...       trend series
#   test/fixtures/go/...                    small Go 1.19 programs
#   samples/clients/etcd-client-<rel>/...   Go clientv3 applications (client-*)
#   samples/control/prometheus-<version>/   non-etcd control (prometheus)
# then runs verify.sh. Pass scenario names to run only some of them, e.g.
#   scripts/collect/all.sh idle many-watchers goprogs
# etcd 3.4.23 (Debian bookworm, /usr/bin) is the default; for Debian's 3.5.16:
#   ETCD_BIN=/work/debs/etcd-server_3.5.16/usr/bin/etcd \
#   ETCDCTL_BIN=/work/debs/etcd-client_3.5.16/usr/bin/etcdctl scripts/collect/all.sh ...
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
[[ -d node_modules/@grpc/grpc-js ]] || npm ci --no-audit --no-fund
ALL=(idle put-1mb-3member many-watchers large-range count-only many-leases series-watch-leak series-steady goprogs)
# Only with etcd 3.5 (ETCD_BIN): the scenarios recorded for etcd 3.5, the client
# applications and the prometheus control.
ALL35=(uncompacted-history password-auth slow-watchers clients-build lease-keepalive
  client-watch-leak-3.5 client-many-watchers-3.5 client-keepalive-3.5 client-watch-leak-3.4 client-many-watchers-3.4 prometheus)
TODO=("$@")
if ((${#TODO[@]} == 0)); then
  TODO=("${ALL[@]}")
  "${ETCD_BIN:-/usr/bin/etcd}" --version | grep -q '^etcd Version: 3\.5' && TODO=("${ALL[@]/goprogs/}" "${ALL35[@]}")
fi
t0=$(date +%s)
for s in "${TODO[@]}"; do
  echo "=== $s ($(($(date +%s) - t0)) s elapsed)" >&2
  case $s in
    series-watch-leak) etcd/series.sh watch-leak ;;
    series-steady) etcd/series.sh steady ;;
    '') ;;
    goprogs) goprogs/run.sh ;;
    clients-build) clients/build.sh ;;
    client-*) rel=${s##*-} kind=${s#client-}; clients/record.sh "${kind%-*}" "$rel" ;;
    prometheus) ./prometheus.sh ;;
    *) [[ -x etcd/$s.sh ]] || { echo "unknown scenario $s" >&2; exit 2; }; "etcd/$s.sh" ;;
  esac
done
./verify.sh
echo "=== all done in $(($(date +%s) - t0)) s" >&2
