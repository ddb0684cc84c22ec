#!/usr/bin/env node
/**
 * Regenerates the golden outputs of `go tool pprof -top -diff_base=<base> <new>` and
 * `go tool pprof -top -base=<base> <new>` that test/compare/diff-golden.test.ts compares
 * `pprof-doctor diff --format pprof-text` with, byte for byte.
 *
 * For every pair below and each mode (diff_base, base) × option set, it runs Debian's Go 1.19
 * `go tool pprof` with TZ=UTC (our default time zone) and writes
 * test/golden/diff/<pair>/<mode>[_<opts>].txt. test/golden/diff/index.json lists every case with
 * the sha256 of both profiles (the test refuses to compare against a profile that changed since)
 * and the pprof options, which the test passes to pprof-doctor unchanged (pprof spellings work).
 *
 * Needs Go. Run: node scripts/golden/diff-regen.mjs
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'test', 'golden', 'diff');
const E = 'samples/etcd-3.4.23';
const S = `${E}/series`;

/** Option sets run for every pair and mode. */
const COMMON = [[], ['-nodecount=10'], ['-cum'], ['-normalize']];

const PAIRS = [
  {
    name: 'watch-leak-heap-01-05',
    base: `${S}/watch-leak/heap.01.pb.gz`,
    new: `${S}/watch-leak/heap.05.pb.gz`,
    extra: [
      ['-sample_index=inuse_objects'],
      ['-sample_index=alloc_space'],
      ['-focus=mvcc'],
      ['-lines', '-nodecount=20'],
    ],
  },
  {
    name: 'watch-leak-heap-02-03',
    base: `${S}/watch-leak/heap.02.pb.gz`,
    new: `${S}/watch-leak/heap.03.pb.gz`,
    extra: [],
  },
  {
    name: 'steady-heap-01-05',
    base: `${S}/steady/heap.01.pb.gz`,
    new: `${S}/steady/heap.05.pb.gz`,
    extra: [['-sample_index=inuse_objects'], ['-normalize', '-sample_index=alloc_objects']],
  },
  {
    name: 'watch-leak-goroutine-01-05',
    base: `${S}/watch-leak/goroutine.01.pb.gz`,
    new: `${S}/watch-leak/goroutine.05.pb.gz`,
    extra: [['-focus=v3rpc']],
  },
  {
    name: 'steady-goroutine-01-05',
    base: `${S}/steady/goroutine.01.pb.gz`,
    new: `${S}/steady/goroutine.05.pb.gz`,
    extra: [],
  },
  {
    name: 'cpu-many-watchers-large-range',
    base: `${E}/many-watchers/cpu.pb.gz`,
    new: `${E}/large-range/cpu.pb.gz`,
    extra: [['-sample_index=samples'], ['-hide=runtime'], ['-addresses', '-nodecount=15'], ['-noinlines']],
  },
  {
    name: 'heap-count-only-many-leases',
    base: `${E}/count-only/heap.pb.gz`,
    new: `${E}/many-leases/heap.pb.gz`,
    extra: [],
  },
  {
    name: 'go-heap-allocs',
    base: 'test/fixtures/go/heap.pb.gz',
    new: 'test/fixtures/go/allocs.pb.gz',
    extra: [],
  },
  {
    name: 'go-cpu-self',
    base: 'test/fixtures/go/cpu.pb.gz',
    new: 'test/fixtures/go/cpu.pb.gz',
    extra: [],
  },
];

const MODES = ['diff_base', 'base'];

function go(args) {
  return execFileSync('go', ['tool', 'pprof', ...args], {
    cwd: root,
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  }).toString();
}

function sha256(path) {
  return createHash('sha256')
    .update(readFileSync(join(root, path)))
    .digest('hex');
}

function optSlug(args) {
  return args.map((a) => a.replace(/^-+/, '').replace(/[^A-Za-z0-9._=+-]/g, '_')).join(',');
}

rmSync(outDir, { recursive: true, force: true });
const cases = [];
for (const pair of PAIRS) {
  mkdirSync(join(outDir, pair.name), { recursive: true });
  for (const mode of MODES) {
    for (const opts of [...COMMON, ...pair.extra]) {
      const file = `${pair.name}/${mode}${opts.length ? `_${optSlug(opts)}` : ''}.txt`;
      const text = go(['-top', ...opts, `-${mode}=${pair.base}`, pair.new]);
      writeFileSync(join(outDir, file), text);
      cases.push({ file, base: pair.base, new: pair.new, mode, args: opts });
    }
  }
}
const profiles = {};
for (const pair of PAIRS) {
  profiles[pair.base] = sha256(pair.base);
  profiles[pair.new] = sha256(pair.new);
}
writeFileSync(
  join(outDir, 'index.json'),
  `${JSON.stringify({ generator: 'scripts/golden/diff-regen.mjs', pprof: 'go1.19 go tool pprof, TZ=UTC', profiles, cases }, null, 2)}\n`,
);
console.log(`diff goldens: ${cases.length} cases in ${PAIRS.length} pairs → test/golden/diff/`);
