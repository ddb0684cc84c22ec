/**
 * ProfileView.fnMask finds the functions a rule pattern matches by looking up the last 3 characters
 * of a literal pattern's tail, or by searching its needle in all names at once: it must give exactly
 * what testing every name against the regex gives, however the needle falls (twice in one name, at a
 * name's start or end, across two adjacent names, in no name), whatever the tail (shorter than 3
 * characters, a whole name, non-ASCII). And a profile from the decoder's WebAssembly kernel (names
 * and lines read from its columns, no function objects built) measures exactly as the same profile
 * from the JavaScript decoder.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/diagnosis/load-rules-node.js';
import { decodePprof, decodePprofJs } from '../../src/input/pprof/decode.js';
import { inferContext } from '../../src/diagnosis/context.js';
import { ProfileView } from '../../src/diagnosis/matcher.js';
import { compilePattern, patternNeedle } from '../../src/diagnosis/patterns.js';
import type { CompiledPattern } from '../../src/diagnosis/schema.js';
import { buildProfile } from '../helpers/build-profile.js';

const NAMES = [
  'go.etcd.io/etcd/mvcc.(*watchableStore).watch',
  'github.com/coreos/etcd/mvcc.(*watchableStore).watch',
  'main.watchwatch', // the needle twice
  'watch', // the needle is the whole name
  'main.fooWatc', // with the next name, "fooWatch" across a name boundary in the joined text
  'h.main',
  'runtime.mallocgc',
  'google.golang.org/grpc/internal/transport.(*recvBuffer).put',
  'ab',
  'main.größe',
  'main.(*T).Größe',
  '',
];

function pattern(p: string): CompiledPattern {
  return { pattern: p, regex: compilePattern(p), needle: patternNeedle(p) };
}

function naive(names: string[], ps: CompiledPattern[]): number[] {
  return names.map((n) => (ps.some((p) => p.regex.test(n)) ? 1 : 0));
}

describe('ProfileView.fnMask', () => {
  const profile = buildProfile({
    sampleTypes: [['samples', 'count']],
    samples: NAMES.filter((n) => n !== '').map((n) => ({ stack: [n], values: [1] })),
  });
  const names = profile.functions.map((f) => f.name);

  it.each([
    ['watch'],
    ['{any}watch{any}'],
    ['{any}.watchwatch'],
    ['{etcd}mvcc.(*watchableStore).watch'],
    ['{any}fooWatch{any}'],
    ['{any}fooWatch'],
    ['{any}(*recvBuffer).put'],
    ['runtime.mallocgc'],
    ['absent.function.name'],
    ['re:^main\\.'],
    ['ab'],
    ['{any}b'],
    ['{any}ße'],
    ['{any}öße'],
    ['main.{id}e'],
    ['{any}(*T).{any}'],
  ])('%s: same functions as testing every name', (p) => {
    const ps = [pattern(p)];
    expect(Array.from(new ProfileView(profile, 'p').fnMask(ps))).toEqual(naive(names, ps));
  });

  it('a set of patterns is the union of theirs, and cached results stay right', () => {
    const view = new ProfileView(profile, 'p');
    const a = [pattern('{any}watch{any}')];
    const b = [pattern('runtime.mallocgc'), pattern('{any}(*recvBuffer).put')];
    const ab = [...a, ...b];
    expect(Array.from(view.fnMask(ab))).toEqual(naive(names, ab));
    expect(Array.from(view.fnMask(a))).toEqual(naive(names, a));
    expect(Array.from(view.fnMask(b))).toEqual(naive(names, b));
    expect(view.fnMask(ab).filter((x) => x === 1).length).toBeGreaterThan(3);
  });
});

describe('ProfileView on the kernel columns', () => {
  it('measures every built-in rule condition as on the JavaScript decoder', async () => {
    const bytes = gunzipSync(readFileSync('test/fixtures/go/cpu.pb.gz'));
    const kernel = decodePprof(bytes);
    expect(kernel.columns).toBeDefined();
    const js = decodePprofJs(bytes);
    const a = new ProfileView(kernel, 'k');
    const b = new ProfileView(js, 'j');
    expect(a.functionNames()).toEqual(js.functions.map((f) => f.name));
    expect(a.distinctNames()).toEqual([...new Set(js.functions.map((f) => f.name))]);
    expect(a.fileNames()).toEqual([...new Set(js.functions.map((f) => f.filename).filter(Boolean))]);
    const rules = await loadRules({});
    let compared = 0;
    for (const c of rules.flatMap((r) => r.detect.flatMap((d) => [...d.require, ...d.support, ...d.exclude]))) {
      if (!c.frame) continue;
      expect(a.measure(c, 1)).toEqual(b.measure(c, 1));
      compared++;
    }
    // Some conditions match this program's frames (runtime.mallocgc, sync.(*Mutex).Lock …).
    const any = { frame: [pattern('runtime.{any}')] };
    expect(a.measure(any, 1).cum).toBeGreaterThan(0);
    expect(a.measure(any, 1)).toEqual(b.measure(any, 1));
    expect(compared).toBeGreaterThan(100);
  });
});

describe('ProfileView and context inference on the kernel columns, on real etcd profiles', () => {
  // The kernel answers candidate samples (samplesHolding), totals and name searches (joined names,
  // tail buckets); the JavaScript decoder's profile goes through the JavaScript paths.
  it.each([
    'samples/etcd-3.4.23/many-leases/cpu.pb.gz',
    'samples/etcd-3.4.23/many-leases/heap.pb.gz',
    'samples/etcd-3.5.30/many-watchers/goroutine.pb.gz',
    'samples/etcd-3.5.30/many-watchers/heap.pb.gz',
  ])('%s: same measures and the same process, versions and role', async (file) => {
    const bytes = gunzipSync(readFileSync(file));
    const kernel = decodePprof(bytes);
    expect(kernel.columns?.nameIndex()).toBeDefined();
    const js = decodePprofJs(bytes);
    const a = new ProfileView(kernel, 'k');
    const b = new ProfileView(js, 'j');
    const rules = await loadRules({});
    let matched = 0;
    for (const c of rules.flatMap((r) => r.detect.flatMap((d) => [...d.require, ...d.support, ...d.exclude]))) {
      if (!c.frame) continue;
      for (let i = 0; i < kernel.sampleTypes.length; i++) {
        const m = a.measure(c, i);
        expect(m).toEqual(b.measure(c, i));
        if (m.cum > 0) matched++;
      }
    }
    expect(matched).toBeGreaterThan(5);
    expect(inferContext([a])).toEqual(inferContext([b]));
    expect(inferContext([a]).kind).toBe('etcd-server');
  });
});
