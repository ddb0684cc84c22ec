#!/usr/bin/env bash
# Checks the collected artefacts (only the folders these scripts write:
# samples/etcd-*/, samples/clients/, samples/control/ and test/fixtures/go/):
#  - every .pb.gz there parses with `go tool pprof -top`
#  - no file is >= 1 MB; prints the total size
#  - the profiles of each trend series have distinct time_nanos
# Exits non-zero (loudly) on the first class of failure found.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO_ROOT"
export PPROF_BINARY_PATH=/nonexistent # never look for binaries to symbolize
fail=0
n=0
while IFS= read -r f; do
  n=$((n + 1))
  if ! out=$(go tool pprof -top "$f" 2>&1) || ! grep -q '^Type: ' <<<"$out"; then
    echo "FAIL: go tool pprof -top $f" >&2
    echo "$out" | head -5 >&2
    fail=1
  fi
done < <(find samples/etcd-* samples/clients samples/control test/fixtures/go -name '*.pb.gz' 2>/dev/null | sort)
echo "go tool pprof -top checked on $n .pb.gz files" >&2

big=$(find samples/etcd-* samples/clients samples/control test/fixtures/go scripts/collect -path '*/node_modules' -prune -o -type f -size +1023k -print 2>/dev/null)
if [[ -n $big ]]; then
  echo "FAIL: files of 1 MB or more:" >&2
  echo "$big" >&2
  fail=1
fi

for d in samples/etcd-*/series/*/; do
  [[ -d $d ]] || continue
  for kind in heap goroutine; do
    files=("$d"$kind.*.pb.gz)
    times=$(for f in "${files[@]}"; do go tool pprof -raw "$f" 2>/dev/null | sed -n 's/^Time: //p'; done | sort)
    if [[ $(uniq <<<"$times" | wc -l) -ne ${#files[@]} ]]; then
      echo "FAIL: $d$kind.*.pb.gz do not have ${#files[@]} distinct timestamps" >&2
      fail=1
    fi
    ((${#files[@]} >= 4)) || { echo "FAIL: $d has only ${#files[@]} $kind profiles" >&2; fail=1; }
  done
done

du -sh samples/etcd-* samples/clients samples/control test/fixtures/go >&2 || true
echo "total bytes: $(find samples/etcd-* samples/clients samples/control test/fixtures/go -type f -printf '%s\n' 2>/dev/null | awk '{s+=$1} END {print s+0}')" >&2
if ((fail)); then
  echo "VERIFY FAILED" >&2
  exit 1
fi
echo "verify: all good" >&2
