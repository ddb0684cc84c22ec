#!/bin/sh
# The package as a user installs it: `npm pack` (which builds), the tarball installed into an empty
# project, the README's library example (the ```ts block under "## Library") type-checked there with
# `tsc --noEmit` — no --skipLibCheck and no @types packages, so the published declarations must need
# nothing beyond the package's own dependencies — then compiled and run on a bundled heap profile.
# Offline: the tarball is local, its dependencies come from npm's cache (filled by `npm ci`) at the
# versions of our package-lock.json (scripts/ci/consumer-project.mjs), and TypeScript is the
# project's own (node_modules/typescript). Usage: sh scripts/ci/check-package.sh
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
tsc="$root/node_modules/typescript/bin/tsc"
work=$(mktemp -d "${TMPDIR:-/tmp}/pprof-doctor-pack.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() {
  echo "check-package: $*" >&2
  exit 1
}

mkdir "$work/consumer"
cd "$root"
npm pack --silent --pack-destination "$work/consumer" >"$work/pack.txt"
tarball=$(tail -n 1 "$work/pack.txt")
[ -f "$work/consumer/$tarball" ] || fail "npm pack made no tarball"
tar -tzf "$work/consumer/$tarball" >"$work/contents.txt"
for f in LICENSE README.md package.json bin/pprof-doctor bin/launch.cjs dist/index.js dist/index.d.ts dist/rules.json \
  dist/bundle/cli.cjs; do
  grep -qx "package/$f" "$work/contents.txt" || fail "$f is missing from $tarball"
done
echo "check-package: $tarball, $(wc -l <"$work/contents.txt") files"

cd "$work/consumer"
node "$root/scripts/ci/consumer-project.mjs" . "$tarball"
npm ci --offline --no-audit --no-fund --silent
[ ! -e node_modules/@types ] || fail "installing the package brought @types packages: $(ls node_modules/@types)"
node "$tsc" -p . --noEmit || fail "the README's library example does not type-check against the installed package"
echo "check-package: the README's library example type-checks against the installed package (strict, no skipLibCheck)"
node "$tsc" -p .
cp "$root/samples/docs/etcd-3.2.23-leader-heap.pb.gz" heap.pb.gz
node out/example.js >run.txt || fail "the README's library example fails: $(tail -n 3 run.txt)"
grep -q 'lease-keepalive-storm' run.txt || fail "the README's library example ran but did not find the lease keep-alive storm"
echo "check-package: the example runs ($(wc -l <run.txt) lines, the lease keep-alive storm diagnosed)"
echo "check-package: the installed CLI answers $(./node_modules/.bin/pprof-doctor --version)"
