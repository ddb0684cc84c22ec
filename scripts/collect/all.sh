#!/usr/bin/env bash
# Regenerates every collected artefact (takes ~15 minutes; not run by CI):
#   samples/etcd-3.4.23/<scenario>/...   etcd 3.4.23 scenarios
#   samples/etcd-3.4.23/series/...       trend series
#   test/fixtures/go/...                 small Go 1.19 programs
# then runs verify.sh. Pass scenario names to run only some of them, e.g.
#   scripts/collect/all.sh idle many-watchers goprogs
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
[[ -d node_modules/@grpc/grpc-js ]] || npm ci --no-audit --no-fund
ALL=(idle put-1mb-3member many-watchers large-range count-only many-leases series-watch-leak series-steady goprogs)
TODO=("$@")
((${#TODO[@]})) || TODO=("${ALL[@]}")
t0=$(date +%s)
for s in "${TODO[@]}"; do
  echo "=== $s ($(($(date +%s) - t0)) s elapsed)" >&2
  case $s in
    series-watch-leak) etcd/series.sh watch-leak ;;
    series-steady) etcd/series.sh steady ;;
    goprogs) goprogs/run.sh ;;
    *) [[ -x etcd/$s.sh ]] || { echo "unknown scenario $s" >&2; exit 2; }; "etcd/$s.sh" ;;
  esac
done
./verify.sh
echo "=== all done in $(($(date +%s) - t0)) s" >&2
