/**
 * `trend` verdicts: the real etcd 3.4.23 series (a client that opens watch streams and never
 * closes them vs. a steady load), synthetic shapes (linear leak, plateau, fluctuation, shrink),
 * ordering, projection, and the refusals.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundedGrowthFromRules } from '../../src/analysis/compare/bounded.js';
import { fitLine } from '../../src/analysis/compare/regression.js';
import { parseInterval, parseLimit } from '../../src/analysis/compare/size.js';
import { projectLimit, trend } from '../../src/analysis/trend.js';
import { loadRules } from '../../src/diagnosis/load-rules-node.js';
import { parseRule } from '../../src/diagnosis/rule-parse.js';
import { UserError } from '../../src/errors.js';
import { loadProfile } from '../../src/input/load.js';
import type { Profile } from '../../src/profile/model.js';
import '../../src/profile/regex.js';
import { cpuProfile, goroutineProfile, heapProfile } from '../helpers/profile-builder.js';

const root = join(__dirname, '..', '..');
const series = (name: string, kind: string) =>
  [1, 2, 3, 4, 5].map((i) => join(root, 'samples', 'etcd-3.4.23', 'series', name, `${kind}.0${i}.pb.gz`));
const load = (paths: string[]) => Promise.all(paths.map((p) => loadProfile(p)));
const MIN = 60e9;

/** A heap series: at snapshot k, each stack holds bytes(k). Snapshots a minute apart. */
function heapSeries(stacks: { stack: string; bytes: (k: number) => number }[], n = 5): Profile[] {
  return Array.from({ length: n }, (_, k) => {
    const p = heapProfile(stacks.map((s) => ({ stack: s.stack, bytes: s.bytes(k) })));
    p.timeNanos = 1_700_000_000e9 + k * MIN;
    return p;
  });
}
const MB = 2 ** 20;
const steadyBase = { stack: 'main.main;app.base', bytes: () => 50 * MB };

describe('the real etcd 3.4.23 series', () => {
  it('watch-leak heap: a leak, in the watch-stream allocation sites', async () => {
    const r = trend(await load(series('watch-leak', 'heap')));
    expect(r.order).toBe('time');
    expect(r.sampleType).toBe('inuse_space');
    expect(r.leak).toBe(true);
    expect(r.leakConfidence).toBeGreaterThanOrEqual(0.7);
    const leaks = r.stacks.filter((s) => s.verdict === 'leak');
    const leafs = leaks.map((s) => s.frames[0]);
    expect(leafs).toContain('go.etcd.io/etcd/mvcc.(*watchableStore).NewWatchStream');
    expect(leafs).toContain('go.etcd.io/etcd/mvcc.(*watchableStore).watch');
    expect(leafs).toContain('runtime.malg');
    // The largest grower is the watch stream, called from the gRPC Watch handler.
    expect(r.stacks[0]!.frames.slice(0, 2)).toEqual([
      'go.etcd.io/etcd/mvcc.(*watchableStore).NewWatchStream',
      'go.etcd.io/etcd/etcdserver/api/v3rpc.(*watchServer).Watch',
    ]);
    expect(r.stacks[0]!.stats.slopePerHour!).toBeGreaterThan(100 * MB);
    const fns = new Map(r.functions.map((f) => [f.name, f.verdict]));
    expect(fns.get('go.etcd.io/etcd/etcdserver/api/v3rpc.(*watchServer).Watch')).toBe('leak');
    expect(fns.get('go.etcd.io/etcd/mvcc.(*watchStream).Watch')).toBe('leak');
    expect(r.summary).toMatch(/^LEAK: /);
  });

  it('watch-leak goroutines: a leak of the per-stream goroutines (recvLoop, sendLoop, the Watch handler)', async () => {
    const r = trend(await load(series('watch-leak', 'goroutine')));
    expect(r.leak).toBe(true);
    expect(r.total.values).toEqual([527, 1286, 2012, 2768, 3528]);
    const leaks = r.stacks.filter((s) => s.verdict === 'leak');
    const has = (fn: string) => leaks.some((s) => s.frames.includes(fn));
    expect(has('go.etcd.io/etcd/etcdserver/api/v3rpc.(*serverWatchStream).sendLoop')).toBe(true);
    expect(has('go.etcd.io/etcd/etcdserver/api/v3rpc.(*watchServer).Watch')).toBe(true);
    expect(has('google.golang.org/grpc/internal/transport.(*recvBufferReader).Read')).toBe(true);
    for (const s of leaks) expect(s.stats.last - s.stats.first).toBeGreaterThanOrEqual(900);
    const fns = new Map(r.functions.map((f) => [f.name, f]));
    expect(fns.get('go.etcd.io/etcd/etcdserver/api/v3rpc.(*serverWatchStream).recvLoop')?.verdict).toBe('leak');
    expect(fns.get('go.etcd.io/etcd/etcdserver/api/v3rpc.(*serverWatchStream).recvLoop')?.stats.last).toBe(1150);
  });

  it('steady heap: no leak; the growth is the raft log, bounded by the next snapshot', async () => {
    // The rules say which growth is bounded (raft-log-retention's `growth` block).
    const bounded = boundedGrowthFromRules(await loadRules());
    expect(bounded.map((b) => [b.id, b.rule])).toEqual([['raft-log', 'raft-log-retention']]);
    const r = trend(await load(series('steady', 'heap')), { bounded });
    expect(r.leak).toBe(false);
    expect(r.leakStacks).toBe(0);
    expect(r.total.verdict).toBe('bounded');
    expect(r.unboundedTotal.verdict).toBe('stable');
    const grow = r.stacks.filter((s) => s.stats.fittedGrowth > 0 && s.verdict !== 'stable');
    expect(grow.length).toBeGreaterThan(0);
    for (const s of grow) expect(s.verdict).toBe('bounded');
    expect(grow[0]!.frames[0]).toBe('go.etcd.io/etcd/etcdserver/etcdserverpb.(*InternalRaftRequest).Marshal');
    expect(r.summary).toMatch(/^No leak: .*bounded \(raft-log/);
    // Without the rules' knowledge the same raft-log growth is not called bounded.
    const bare = trend(await load(series('steady', 'heap')));
    expect(bare.boundedKinds).toEqual([]);
    expect(bare.stacks.some((s) => s.verdict === 'bounded')).toBe(false);
  });

  it('steady goroutines: no leak, stable', async () => {
    const r = trend(await load(series('steady', 'goroutine')));
    expect(r.leak).toBe(false);
    expect(r.total.verdict).toBe('stable');
    expect(r.stacks).toEqual([]);
  });

  it("follows the rules' signatures: watch signatures grow in the leak, not in the steady run", async () => {
    const rules = await loadRules();
    const leak = trend(await load(series('watch-leak', 'heap')), { rules });
    const ids = leak.rules!.filter((x) => x.verdict === 'leak').map((x) => x.id);
    expect(ids).toContain('watch-memory');
    const wm = leak.rules!.find((x) => x.id === 'watch-memory')!;
    expect(wm.shares[4]!).toBeGreaterThan(wm.shares[0]!);
    const steady = trend(await load(series('steady', 'heap')), { rules });
    expect(steady.rules!.some((x) => x.verdict === 'leak')).toBe(false);
    expect(steady.rules!.find((x) => x.id === 'raft-log-retention')?.verdict).toBe('bounded');
  });

  it('projects when a limit is reached at the total slope', async () => {
    const r = trend(await load(series('watch-leak', 'heap')));
    const p = projectLimit(r, 8 * 2 ** 30);
    expect(p.status).toBe('approaching');
    const expected = (8 * 2 ** 30 - r.total.stats.last) / r.total.stats.slopePerHour!;
    expect(p.hoursToLimit).toBeCloseTo(expected, 9);
    expect(p.atNanos).toBeCloseTo(r.snapshots[4]!.timeNanos + expected * 3600e9, -6);
    expect(p.caveat).toBeUndefined();
    const s = trend(await load(series('steady', 'heap')), { bounded: boundedGrowthFromRules(await loadRules()) });
    expect(projectLimit(s, 8 * 2 ** 30).caveat).toMatch(/bounded/);
    const g = trend(await load(series('steady', 'goroutine')));
    expect(projectLimit(g, 10_000).status).toBe('not-approaching');
    expect(projectLimit(g, 50).status).toBe('reached');
  });
});

describe('synthetic shapes', () => {
  it('a linear leak is a leak, with its slope per hour', () => {
    const r = trend(heapSeries([steadyBase, { stack: 'main.main;app.leaky', bytes: (k) => (1 + k) * 4 * MB }]));
    expect(r.leak).toBe(true);
    const s = r.stacks.find((x) => x.frames[0] === 'app.leaky')!;
    expect(s.verdict).toBe('leak');
    expect(s.stats.r2).toBeCloseTo(1, 12);
    expect(s.stats.slopePerHour).toBeCloseTo(4 * MB * 60, 3);
    expect(s.values).toEqual([4, 8, 12, 16, 20].map((v) => v * MB));
    expect(s.confidence).toBeGreaterThan(0.8);
    expect(r.stacks.find((x) => x.frames[0] === 'app.base')).toBeUndefined();
  });

  it("a rule's growth block makes steady growth through its frames bounded, not a leak", () => {
    const rule = parseRule(
      `id: app-cache-fill
title: The application's cache fills up to its size limit
severity: info
appliesTo: [any-go]
detect:
  - profile: heap
    require: [{ frame: 'app.fill', cum: 50% }]
explanation: The cache fills up under load and evicts once it is full.
remediation: ['Size the cache']
references: ['https://example.com/cache']
growth:
  kind: bounded
  frame: 're:^app\\.fill$'
  reason: the cache, evicting once it reaches its size limit
`,
      'app-cache-fill.yaml',
    );
    const ps = heapSeries([steadyBase, { stack: 'main.main;app.fill', bytes: (k) => (1 + k) * 8 * MB }]);
    expect(trend(ps).stacks.find((x) => x.frames[0] === 'app.fill')!.verdict).toBe('leak');
    const r = trend(ps, { rules: [rule] });
    expect(r.boundedKinds).toEqual([
      { id: 'app-cache-fill', reason: 'the cache, evicting once it reaches its size limit', rule: 'app-cache-fill' },
    ]);
    const s = r.stacks.find((x) => x.frames[0] === 'app.fill')!;
    expect(s.verdict).toBe('bounded');
    expect(s.bounded).toBe('app-cache-fill');
    expect(r.leak).toBe(false);
  });

  it('growth that levels off is a plateau, not a leak', () => {
    const r = trend(
      heapSeries([steadyBase, { stack: 'main.main;app.cache', bytes: (k) => [2, 10, 14, 14, 14, 14][k]! * MB }], 6),
    );
    expect(r.stacks.find((x) => x.frames[0] === 'app.cache')!.verdict).toBe('plateau');
    expect(r.leak).toBe(false);
  });

  it('up and down is fluctuating; down is shrinking; small is stable', () => {
    const r = trend(
      heapSeries([
        steadyBase,
        { stack: 'main.main;app.wobble', bytes: (k) => [2, 9, 1, 10, 3][k]! * MB },
        { stack: 'main.main;app.free', bytes: (k) => (20 - 4 * k) * MB },
        { stack: 'main.main;app.tiny', bytes: (k) => 10 * MB + k * 1000 },
      ]),
    );
    const v = (f: string) => r.stacks.find((x) => x.frames[0] === f)?.verdict ?? 'stable';
    expect(v('app.wobble')).toBe('fluctuating');
    expect(v('app.free')).toBe('shrinking');
    expect(v('app.tiny')).toBe('stable');
    expect(r.leak).toBe(false);
  });

  it('a leak spread over many small stacks shows in the total', () => {
    const stacks = Array.from({ length: 200 }, (_, i) => ({
      stack: `main.main;app.worker;app.item${i}`,
      bytes: (k: number) => 4000 + k * 2000,
    }));
    const r = trend(heapSeries([steadyBase, ...stacks]));
    expect(r.leakStacks).toBe(0);
    expect(r.unboundedTotal.verdict).toBe('leak');
    expect(r.leak).toBe(true);
    expect(r.functions.find((f) => f.name === 'app.worker')?.verdict).toBe('leak');
  });

  it('orders snapshots by time_nanos, whatever the argument order', () => {
    const ps = heapSeries([steadyBase, { stack: 'main.main;app.leaky', bytes: (k) => (1 + k) * 4 * MB }]);
    const shuffled = [ps[3]!, ps[0]!, ps[4]!, ps[1]!, ps[2]!];
    const r = trend(shuffled, { names: ['d', 'a', 'e', 'b', 'c'] });
    expect(r.order).toBe('time');
    expect(r.snapshots.map((s) => s.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(r.snapshots.map((s) => s.offsetSeconds)).toEqual([0, 60, 120, 180, 240]);
    expect(r.leak).toBe(true);
  });

  it('keeps the given order without times, per snapshot, or per hour with --interval', () => {
    const ps = heapSeries([steadyBase, { stack: 'main.main;app.leaky', bytes: (k) => (1 + k) * 4 * MB }]);
    for (const p of ps) p.timeNanos = 0;
    const r = trend(ps);
    expect(r.order).toBe('given');
    expect(r.total.stats.slopePerHour).toBeNull();
    expect(r.total.stats.slopePerSnapshot).toBeCloseTo(4 * MB, 6);
    expect(r.warnings.some((w) => /order given/.test(w))).toBe(true);
    const withInterval = trend(ps, { intervalSeconds: 600 });
    expect(withInterval.order).toBe('interval');
    expect(withInterval.total.stats.slopePerHour).toBeCloseTo(4 * MB * 6, 3);
    const p = projectLimit(r, 100 * MB);
    expect(p.hoursToLimit).toBeNull();
    expect(p.snapshotsToLimit).toBeCloseTo((100 * MB - r.total.stats.last) / (4 * MB), 6);
  });

  it('has no leak verdict on since-start counters (alloc_space)', () => {
    const r = trend(heapSeries([steadyBase, { stack: 'main.main;app.leaky', bytes: (k) => (1 + k) * 4 * MB }]), {
      sampleIndex: 'alloc_space',
    });
    expect(r.cumulative).toBe(true);
    expect(r.leak).toBe(false);
    expect(r.stacks.every((s) => s.verdict === 'cumulative')).toBe(true);
  });

  it('uses 3 goroutines as the noise floor of goroutine counts', () => {
    const mk = (counts: number[]) =>
      counts.map((c, k) => {
        const p = goroutineProfile([
          { stack: 'main.main;app.loop', count: 40 },
          { stack: 'main.main;app.worker', count: c },
        ]);
        p.timeNanos = 1_700_000_000e9 + k * MIN;
        return p;
      });
    expect(trend(mk([1, 1, 2, 2, 2])).leak).toBe(false);
    expect(trend(mk([1, 2, 3, 4, 5])).leak).toBe(true);
  });
});

describe('refusals', () => {
  const ps = heapSeries([steadyBase]);
  it('needs three profiles', () => {
    expect(() => trend(ps.slice(0, 2))).toThrow(/at least 3 profiles/);
  });
  it('reads heap, allocs or goroutine profiles only', () => {
    const cpu = [0, 1, 2].map(() => cpuProfile([{ stack: 'main.main;f', ns: 1e7 }]));
    expect(() => trend(cpu, { names: ['a', 'b', 'c'] })).toThrow(
      /^a: trend reads heap, allocs or goroutine profiles; this is a cpu profile$/,
    );
  });
  it('refuses a mix of kinds', () => {
    const g = goroutineProfile([{ stack: 'main.main;f', count: 1 }]);
    expect(() => trend([ps[0]!, ps[1]!, g])).toThrow(UserError);
    expect(() => trend([ps[0]!, ps[1]!, g])).toThrow(/different sample types/);
  });
});

describe('helpers', () => {
  it('fits a line', () => {
    const f = fitLine([0, 1, 2, 3, 4], [0, 0, 2, 2, 3]);
    expect(f.slope).toBeCloseTo(0.8, 12);
    expect(f.intercept).toBeCloseTo(-0.2, 12);
    expect(f.r2).toBeCloseTo(1 - 0.8 / 7.2, 12);
    expect(fitLine([0, 1, 2], [5, 5, 5])).toMatchObject({ slope: 0, r2: 1 });
    expect(fitLine([0, 1, 2], [1, 3, 5]).r2).toBe(1);
  });
  it('parses limits in the sample unit', () => {
    expect(parseLimit('8GiB', 'bytes')).toBe(8 * 2 ** 30);
    expect(parseLimit('512MB', 'bytes')).toBe(512 * 2 ** 20);
    expect(parseLimit('1.5g', 'bytes')).toBe(1.5 * 2 ** 30);
    expect(parseLimit('10k', 'count')).toBe(10_000);
    expect(parseLimit('2500', 'count')).toBe(2500);
    expect(() => parseLimit('lots', 'bytes')).toThrow(/not a size/);
    expect(() => parseLimit('8 parsecs', 'bytes')).toThrow(/unknown unit/);
    expect(parseInterval('5m')).toBe(300);
    expect(parseInterval('30')).toBe(30);
  });
});
