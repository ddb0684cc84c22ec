# shellcheck shell=bash
# Shared set-up of the goprogs recording scripts (run.sh, record-leak.sh). Source it; do not run it.
#   goprogs_init NAME   a temporary folder $BIN (/tmp/pprof-doctor-NAME.XXXXXX) for the built programs;
#                       on exit every PID in PIDS is killed (by PID) and $BIN removed
# Sets HERE (this folder) and REPO_ROOT, and the Go environment of an offline, module-mode build.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../../.." && pwd)
PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

goprogs_cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$BIN"
}

goprogs_init() {
  BIN=$(mktemp -d "/tmp/pprof-doctor-$1.XXXXXX")
  trap goprogs_cleanup EXIT
}

export GO111MODULE=on GOPROXY=off GOFLAGS= GOTOOLCHAIN=local
