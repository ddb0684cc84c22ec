/**
 * pprof's -mean, -divide_by and -unit for `top` (internal/report/report.go and
 * internal/graph/graph.go of Go 1.19's pprof), on small hand-made profiles whose numbers can be
 * worked out by hand. test/golden/ checks the same options byte for byte against
 * `go tool pprof` on real profiles.
 */
import '../../src/profile/regex.js';
import { describe, expect, it } from 'vitest';
import { computeTotal, goIntDiv, prepare } from '../../src/analysis/prepare.js';
import { divideRatio, top } from '../../src/analysis/top.js';
import { UserError } from '../../src/errors.js';
import { outputUnitNote, selectOutputUnit } from '../../src/profile/units.js';
import { formatTop, topJson, valueFormatter } from '../../src/report/pprof-text.js';
import { buildProfile } from '../helpers/build-profile.js';

/** alloc_objects is the first sample type: the count -mean divides by. */
const heap = () =>
  buildProfile({
    sampleTypes: [
      ['alloc_objects', 'count'],
      ['alloc_space', 'bytes'],
    ],
    samples: [
      // `big`: much space in many objects (small mean); `few`: less space in one object.
      [
        ['big', 'main'],
        [100, 1000],
      ],
      [
        ['few', 'main'],
        [1, 500],
      ],
      // A sample with space but no count: its value counts, its divisor adds nothing.
      [
        ['few', 'main'],
        [0, 7],
      ],
    ],
  });

/** The table rows of a text report, split into cells. */
const cells = (text: string) => {
  const lines = text.trimEnd().split('\n');
  const head = lines.findIndex((l) => l.trim().startsWith('flat  flat%'));
  return lines.slice(head + 1).map((l) => l.trim().split(/\s+/));
};

describe('-mean', () => {
  it('divides each row by its own sum of the first sample type, truncating like Go', () => {
    const r = top(heap(), { sampleIndex: 'alloc_space', mean: true, nodeFraction: 0 });
    expect(r.rows.map((x) => [x.name, x.flat, x.cum])).toEqual([
      // big: 1000/100; few: (500+7)/1 — the sample without objects adds 7 bytes and 0 objects.
      ['big', 10, 10],
      ['few', 507, 507],
      // main: 1507 / 101 = 14.92…
      ['main', 0, 14],
    ]);
    // Total: Σ|value| / Σ divisor = 1507 / 101.
    expect(r.total).toBe(14);
    expect(r.shownFlat).toBe(517);
  });

  it('still chooses and orders rows by the plain values (pprof trims on them)', () => {
    const r = top(heap(), { sampleIndex: 'alloc_space', mean: true, nodeFraction: 0, nodeCount: 1 });
    // `big` has the larger plain flat (1000 > 507) though its mean is far smaller.
    expect(r.rows.map((x) => x.name)).toEqual(['big']);
    expect(r.origCount).toBe(3);
  });

  it('names the type mean_<type> in the header and the JSON', () => {
    const r = top(heap(), { sampleIndex: 'alloc_space', mean: true });
    expect(formatTop(r)).toContain('\nType: mean_alloc_space\n');
    expect(topJson(r).sampleType).toBe('mean_alloc_space');
    expect(prepare(heap(), { sampleIndex: 'alloc_space' }).header.sampleType).toBe('alloc_space');
  });

  it('uses the divisor only over the samples pprof::base marks, in a -diff_base profile', () => {
    const p = buildProfile({
      sampleTypes: [
        ['n', 'count'],
        ['v', 'bytes'],
      ],
      samples: [
        [['a'], [2, 100], [{ key: 'pprof::base', str: 'true' }]],
        [['a'], [-3, -30]],
      ],
    });
    expect(computeTotal(p, 1, 0)).toBe(50);
    expect(computeTotal(p, 1)).toBe(100);
    // Without base samples the divisor sums with its sign: (100 + 30) / (2 - 3).
    const q = buildProfile({
      sampleTypes: p.sampleTypes.map((t) => [t.type, t.unit]) as [string, string][],
      samples: [
        [['a'], [2, 100]],
        [['a'], [-3, -30]],
      ],
    });
    expect(computeTotal(q, 1, 0)).toBe(-130);
  });

  it('goIntDiv truncates toward zero like Go', () => {
    expect(goIntDiv(-7, 2)).toBe(-3);
    expect(goIntDiv(7, -2)).toBe(-3);
    expect(goIntDiv(2 ** 53 - 1, 3)).toBe(3002399751580330);
  });
});

describe('-divide_by', () => {
  it('divides printed values (truncated), not percentages', () => {
    const p = heap();
    const plain = top(p, { sampleIndex: 'alloc_space', nodeFraction: 0 });
    const half = top(p, { sampleIndex: 'alloc_space', nodeFraction: 0, divideBy: 3 });
    expect(half.ratio).toBeCloseTo(1 / 3);
    expect(cells(formatTop(half))).toEqual([
      ['333B', '66.36%', '66.36%', '333B', '66.36%', 'big'],
      ['169B', '33.64%', '100%', '169B', '33.64%', 'few'],
      ['0', '0%', '100%', '502B', '100%', 'main'],
    ]);
    // Same rows and percentages as without.
    expect(half.rows).toEqual(plain.rows);
    expect(formatTop(half)).toContain('Showing nodes accounting for 502B, 100% of 502B total');
    expect(topJson(half).rows.map((r) => r.flat)).toEqual([333, 169, 0]);
  });

  it("refuses 0 with pprof's message and, like pprof, ignores a divisor that is not > 0", () => {
    expect(() => divideRatio(0)).toThrow(UserError);
    expect(() => top(heap(), { divideBy: 0 })).toThrow(/^zero divisor specified$/);
    for (const d of [-2, Number.POSITIVE_INFINITY, Number.NaN]) {
      const f = valueFormatter('bytes', 'B', divideRatio(d));
      expect(f(1000), String(d)).toBe('1000B');
    }
  });

  it('picks the output unit from the divided values', () => {
    // 3 MiB would print in MB; a thousandth of it in kB.
    expect(selectOutputUnit(3 << 20, 3 << 20, 'bytes')).toBe('MB');
    expect(selectOutputUnit(3 << 20, 3 << 20, 'bytes', 1 / 1000)).toBe('kB');
  });
});

describe('-unit', () => {
  const cpu = () =>
    buildProfile({
      samples: [
        [
          ['work', 'main'],
          [3, 30_000_000],
        ],
        [
          ['idle', 'main'],
          [1, 1_500_000],
        ],
      ],
    });

  it('prints every value in the unit asked for, or each in its own with auto', () => {
    const ms = formatTop(top(cpu(), { unit: 'ms', nodeFraction: 0 }));
    expect(cells(ms)).toEqual([
      ['30ms', '95.24%', '95.24%', '30ms', '95.24%', 'work'],
      ['1.50ms', '4.76%', '100%', '1.50ms', '4.76%', 'idle'],
      ['0', '0%', '100%', '31.50ms', '100%', 'main'],
    ]);
    // pprof prints two decimals: in seconds 30ms is 0.03s and 1.5ms rounds to nothing.
    const s = formatTop(top(cpu(), { unit: 'seconds', nodeFraction: 0 }));
    expect(cells(s).map((c) => c[0])).toEqual(['0.03s', '0', '0']);
    const auto = formatTop(top(cpu(), { unit: 'auto', nodeFraction: 0 }));
    expect(cells(auto).map((c) => c[0])).toEqual(['30ms', '1.50ms', '0']);
    // minimum (the default) picks one unit for the table from its smallest value.
    expect(top(cpu(), { nodeFraction: 0 }).outputUnit).toBe('ms');
  });

  it('falls back as pprof does for a unit of another kind, and says so in a note', () => {
    const r = top(cpu(), { unit: 'MB', nodeFraction: 0 });
    expect(cells(formatTop(r))[0]![0]).toBe('0.03s');
    expect(outputUnitNote('nanoseconds', 'MB')).toBe(
      "unit 'MB' is not one of ns, us, ms, s, hrs: values in nanoseconds are shown in s, as go tool pprof does",
    );
    expect(outputUnitNote('count', 'MB')).toBe(
      "unit 'MB' does not apply to values in count: go tool pprof appends it to each number unchanged, and so do we",
    );
  });

  it('notes μs, which pprof lists but never matches (it trims the s of any unit over 2 bytes)', () => {
    expect(outputUnitNote('nanoseconds', 'μs')).toMatch(
      /^unit 'μs' is not one of .*shown in s, as go tool pprof does$/,
    );
    expect(cells(formatTop(top(cpu(), { unit: 'μs', nodeFraction: 0 })))[0]![0]).toBe('0.03s');
  });

  it('has no note for a unit that applies', () => {
    for (const [from, to] of [
      ['bytes', 'megabytes'],
      ['bytes', 'kb'],
      ['nanoseconds', 'milliseconds'],
      ['nanoseconds', 'us'],
      ['count', 'count'],
      ['count', ''],
      ['bytes', 'minimum'],
      ['bytes', 'auto'],
    ]) {
      expect(outputUnitNote(from!, to!), `${from} → ${to}`).toBeUndefined();
    }
  });
});

describe('samples without a stack', () => {
  it('are left out of a relative total, as pprof always drops them when filtering', () => {
    const p = buildProfile({
      samples: [
        [['main'], [1, 10]],
        [[], [5, 50]],
      ],
    });
    expect(top(p, { sampleIndex: 'cpu' }).total).toBe(60);
    expect(top(p, { sampleIndex: 'cpu', relativePercentages: true }).total).toBe(10);
  });
});
