/**
 * `diff` semantics on hand-built profiles: signed values and percentages, the two totals
 * (compare = base total, subtract = Σ|new − base| per stack), --normalize, appeared /
 * disappeared, the profile header pprof prints, and the refusals (different sample types, a heap
 * against a CPU profile, different programs).
 */
import '../../src/profile/regex.js';
import { describe, expect, it } from 'vitest';
import { combineForDiff } from '../../src/analysis/compare/combine.js';
import { diff } from '../../src/analysis/diff.js';
import { UserError } from '../../src/errors.js';
import { formatTop } from '../../src/report/pprof-text.js';
import { cpuProfile, goroutineProfile, heapProfile, tableProfile } from '../helpers/profile-builder.js';

const base = heapProfile([
  { stack: 'main.main;app.serve;app.cache', bytes: 4000 },
  { stack: 'main.main;app.serve;app.old', bytes: 1000 },
  { stack: 'main.main;app.steady', bytes: 5000 },
]);
const next = heapProfile([
  { stack: 'main.main;app.serve;app.cache', bytes: 9000 },
  { stack: 'main.main;app.serve;app.fresh', bytes: 2000 },
  { stack: 'main.main;app.steady', bytes: 5000 },
]);
const row = (r: ReturnType<typeof diff>, name: string) => r.rows.find((x) => x.name === name);

describe('compare mode (pprof -diff_base)', () => {
  const r = diff(base, next, { nodeFraction: 0 });

  it('reports new − base with signed percentages of the base total', () => {
    expect(r.mode).toBe('compare');
    expect(r.total).toBe(10000);
    expect(row(r, 'app.cache')).toMatchObject({
      flat: 5000,
      cum: 5000,
      flatPercent: 50,
      cumPercent: 50,
      status: 'changed',
    });
    expect(row(r, 'app.old')).toMatchObject({ flat: -1000, flatPercent: -10, status: 'disappeared' });
    expect(row(r, 'app.fresh')).toMatchObject({ flat: 2000, flatPercent: 20, status: 'appeared' });
    expect(row(r, 'app.serve')).toMatchObject({ flat: 0, cum: 6000, cumPercent: 60 });
    // Unchanged functions have nothing to show (pprof drops rows whose flat and cum are 0).
    expect(row(r, 'app.steady')).toBeUndefined();
  });

  it("carries each side's own figures", () => {
    expect(row(r, 'app.cache')!.base).toEqual({ flat: 4000, cum: 4000 });
    expect(row(r, 'app.cache')!.new).toEqual({ flat: 9000, cum: 9000 });
    expect(row(r, 'main.main')!.base.cum).toBe(10000);
    expect(row(r, 'main.main')!.new.cum).toBe(16000);
    expect(r.base.total).toBe(10000);
    expect(r.new.total).toBe(16000);
    expect(r.delta).toBe(6000);
  });

  it('lists what appeared and what disappeared', () => {
    expect(r.appeared.map((f) => f.name)).toEqual(['app.fresh']);
    expect(r.appeared[0]).toMatchObject({ cum: 2000, cumPercent: 20 });
    expect(r.disappeared.map((f) => f.name)).toEqual(['app.old']);
    expect(r.disappeared[0]).toMatchObject({ cum: -1000, cumPercent: -10 });
    expect(r.appearedCount).toBe(1);
  });

  it("prints pprof's layout with unsigned percentages in the pprof text", () => {
    const text = formatTop(r.top);
    expect(text).toContain('Showing nodes accounting for 6000B, 60.00% of 10000B total');
    expect(text).toMatch(/ {5}-1000B 10\.00% .* app\.old/);
  });
});

describe('subtract mode (pprof -base)', () => {
  it('uses Σ|new − base| per stack as the total', () => {
    const r = diff(base, next, { mode: 'subtract', nodeFraction: 0 });
    // |9000 − 4000| + |−1000| + |2000| (the steady stack cancels out).
    expect(r.total).toBe(8000);
    expect(row(r, 'app.cache')).toMatchObject({ flat: 5000, flatPercent: 62.5 });
    expect(row(r, 'app.old')).toMatchObject({ flat: -1000, flatPercent: -12.5 });
  });

  it('keeps stacks with different labels apart, as pprof merges by stack and labels', () => {
    const b = heapProfile([{ stack: 'main.main;f', bytes: 100 }]);
    const n = heapProfile([{ stack: 'main.main;f', bytes: 100 }]);
    n.samples.labels = [[{ key: 'bytes', num: 64, unit: 'bytes' }]];
    expect(diff(b, n, { mode: 'subtract' }).total).toBe(200);
    expect(diff(b, b, { mode: 'subtract' }).total).toBe(0);
  });
});

describe('--normalize', () => {
  it("scales new to base's total per sample type, rounding like Go", () => {
    const r = diff(base, next, { normalize: true, nodeFraction: 0 });
    expect(r.normalizeScale).toBeCloseTo(10000 / 16000, 12);
    expect(r.new.total).toBe(10000);
    // 9000 × 0.625 = 5625; cache grew 5625 − 4000.
    expect(row(r, 'app.cache')!.flat).toBe(1625);
  });

  it('drops samples whose scaled values all round to zero (pprof ScaleN)', () => {
    const b = goroutineProfile([{ stack: 'main.main;a', count: 1 }]);
    const n = goroutineProfile([
      { stack: 'main.main;a', count: 1000 },
      { stack: 'main.main;b', count: 1 },
    ]);
    const c = combineForDiff(b, n, { normalize: true });
    expect(c.newSide.samples.length).toBe(1);
    expect(Array.from(c.newSide.samples.values)).toEqual([1]);
  });

  it("keeps pprof's quirk: a type whose new total is 0 is scaled by 0, and such samples go", () => {
    // Profile.Normalize gives ratio 0 to a type whose sum is 0; ScaleN then only looks at the
    // scaled columns, so a sample [0, 1] is dropped although its second column is 1.
    const p = heapProfile([{ stack: 'main.main;f', bytes: 1 }]);
    p.samples.values.set([0, 1, 0, 1]);
    const r = diff(p, p, { normalize: true, nodeFraction: 0 });
    expect(r.normalizeScale).toBe(1);
    expect(r.new.samples).toBe(0);
    expect(row(r, 'f')).toMatchObject({ flat: -1, status: 'disappeared' });
    expect(diff(p, p, { nodeFraction: 0 }).rows).toEqual([]);
  });
});

describe('header of the combined profile', () => {
  it('takes the earliest time and sums durations, as pprof merges', () => {
    const b = cpuProfile([{ stack: 'main.main;f', ns: 1e7 }]);
    const n = cpuProfile([{ stack: 'main.main;f', ns: 3e7 }]);
    b.timeNanos = 2_000_000_000_000;
    n.timeNanos = 1_000_000_000_000;
    const c = combineForDiff(b, n);
    expect(c.profile.timeNanos).toBe(1_000_000_000_000);
    expect(c.profile.durationNanos).toBe(60e9);
    // Go's quirk: a base without time wins the "earliest" comparison.
    b.timeNanos = 0;
    expect(combineForDiff(b, n).profile.timeNanos).toBe(0);
  });
});

describe('profiles that cannot be compared', () => {
  it('refuses a heap against a CPU profile in one line', () => {
    const cpu = cpuProfile([{ stack: 'main.main;f', ns: 1e7 }]);
    expect(() => diff(base, cpu)).toThrow(UserError);
    expect(() => diff(base, cpu, { baseName: 'a.pb.gz', newName: 'b.pb.gz' })).toThrow(
      /^cannot compare a\.pb\.gz \(heap: .*\) with b\.pb\.gz \(cpu: .*\): different sample types$/,
    );
  });

  it('refuses different sample types of the same kind count', () => {
    const g = goroutineProfile([{ stack: 'main.main;f', count: 1 }]);
    const t = goroutineProfile([{ stack: 'main.main;f', count: 1 }]);
    t.sampleTypes = [{ type: 'threadcreate', unit: 'count' }];
    expect(() => diff(g, t)).toThrow(/different sample types/);
  });

  it('refuses profiles with no function in common', () => {
    const other = heapProfile([{ stack: 'other.main;other.work', bytes: 100 }], { mappingFile: '/usr/bin/other' });
    expect(() => diff(base, other)).toThrow(/no function in common.*different programs \('app' vs 'other'\)/);
  });

  it('warns when the main binaries differ but functions are shared', () => {
    const renamed = heapProfile([{ stack: 'main.main;app.steady', bytes: 100 }], { mappingFile: '/opt/app2' });
    const r = diff(base, renamed);
    expect(r.warnings.some((w) => /from 'app' and .* from 'app2'/.test(w))).toBe(true);
  });

  it('refuses a pasted top table', () => {
    const t = tableProfile([{ name: 'f', flat: 1, cum: 1 }], { unit: 'MB', total: 1, sampleType: 'inuse_space' });
    expect(() => diff(t, base)).toThrow(/pasted top table has no call stacks/);
  });

  it('scales units of one kind to the finer one, as pprof does', () => {
    const kb = heapProfile([{ stack: 'main.main;app.cache', bytes: 4 }]);
    kb.sampleTypes = kb.sampleTypes.map((t) => (t.unit === 'bytes' ? { ...t, unit: 'kilobytes' } : t));
    const r = diff(kb, next, { nodeFraction: 0 });
    expect(r.unit).toBe('bytes');
    expect(r.base.total).toBe(4096);
  });
});
