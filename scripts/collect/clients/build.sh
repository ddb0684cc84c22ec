#!/usr/bin/env bash
# Builds etcdclient/ (GOPATH mode, offline) against Debian's etcd client sources:
#   $BIN_DIR/etcdclient-3.4 : bookworm's golang-etcd-server-dev 3.4.23
#                             (go.etcd.io/etcd/clientv3), Go 1.19 (`go`)
#   $BIN_DIR/etcdclient-3.5 : sid's golang-etcd-server-dev 3.5.30
#                             (go.etcd.io/etcd/client/v3), Go 1.24
# Inputs (override as needed):
#   GOCODE34  GOPATH root holding 3.4.23 and its deps  (default /usr/share/gocode,
#             i.e. `apt-get install golang-etcd-server-dev` on bookworm)
#   ETCD35_SRC sid's .../gocode/src/go.etcd.io/etcd  (default /work/debs/etcd-dev/usr/share/gocode/src/go.etcd.io/etcd)
#   DEPS35    GOPATH root with sid's golang-google-grpc-dev 1.81, -protobuf-dev,
#             -genproto-dev, golang-golang-x-{net,sys,text}-dev and
#             golang-github-golang-protobuf-1-5-dev unpacked (dpkg-deb -x)
#             (default /work/debs/sid-go/root/usr/share/gocode); the rest comes from GOCODE34
#   GO124     Go 1.24 root (default /work/debs/go124/usr/lib/go-1.24)
# Usage: build.sh [3.4|3.5]...   (default: both)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN_DIR=${BIN_DIR:-/tmp/pprof-doctor-collect/bin}
GOCODE34=${GOCODE34:-/usr/share/gocode}
ETCD35_SRC=${ETCD35_SRC:-/work/debs/etcd-dev/usr/share/gocode/src/go.etcd.io/etcd}
DEPS35=${DEPS35:-/work/debs/sid-go/root/usr/share/gocode}
GO124=${GO124:-/work/debs/go124/usr/lib/go-1.24}
mkdir -p "$BIN_DIR"
WANT=("$@")
((${#WANT[@]})) || WANT=(3.4 3.5)
for rel in "${WANT[@]}"; do
  gp=$BIN_DIR/gopath-$rel
  rm -rf "$gp"
  mkdir -p "$gp/src/pprofdoctor"
  ln -s "$HERE/etcdclient" "$gp/src/pprofdoctor/etcdclient"
  case $rel in
    3.4)
      (cd "$gp/src/pprofdoctor/etcdclient" &&
        GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$gp:$GOCODE34" go build -tags etcd34 -o "$BIN_DIR/etcdclient-3.4" .)
      ;;
    3.5)
      mkdir -p "$gp/src/go.etcd.io"
      ln -s "$ETCD35_SRC" "$gp/src/go.etcd.io/etcd"
      (cd "$gp/src/pprofdoctor/etcdclient" &&
        GOROOT=$GO124 GOTOOLCHAIN=local GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$gp:$DEPS35:$GOCODE34" \
          "$GO124/bin/go" build -o "$BIN_DIR/etcdclient-3.5" .)
      ;;
    *) echo "unknown release $rel" >&2; exit 2 ;;
  esac
  "$BIN_DIR/etcdclient-$rel" -h >/dev/null 2>&1 # it runs (piped into head, a longer usage text dies of SIGPIPE)
  echo "built $BIN_DIR/etcdclient-$rel" >&2
done
