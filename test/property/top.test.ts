/**
 * Property tests of `top` against pprof's semantics on random profiles (fast-check): negative
 * values, recursion (a location twice in a stack, a function in two locations, inlined lines of
 * one function), functions that share a name, empty stacks, several sample types.
 *
 * The reference is a deliberately naive re-statement of pprof's graph rules at `functions`
 * granularity (report.go / graph.go): a sample's frames are its locations' lines (innermost first,
 * leaf location first); its value goes to the flat of the first frame and to the cum of every
 * distinct frame name once; the report total is Σ|value| over all samples.
 *
 * (The codec round trips — decode(encode(p)) and decoding what pprof-format writes — are property
 * tests in test/input/pprof/roundtrip.test.ts; they are not repeated here.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/analysis/diff.js';
import { top } from '../../src/analysis/top.js';
import type { FunctionInfo, Label, Location, Profile } from '../../src/profile/model.js';
import '../../src/profile/regex.js';
import { validateProfile } from '../../src/profile/validate.js';

const NAMES = ['main.a', 'main.b', 'pkg.(*T).m', 'runtime.mallocgc', 'main.a', 'x.y.func1', 'main.main'];

interface Spec {
  nTypes: number;
  fnNames: string[];
  locLines: number[][];
  samples: { stack: number[]; values: number[] }[];
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 1000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    nTypes: fc.integer({ min: 1, max: 3 }),
    nFn: fc.integer({ min: 1, max: 7 }),
    nLoc: fc.integer({ min: 1, max: 10 }),
  })
  .chain(({ nTypes, nFn, nLoc }) =>
    fc.record({
      nTypes: fc.constant(nTypes),
      fnNames: fc.array(fc.constantFrom(...NAMES), { minLength: nFn, maxLength: nFn }),
      locLines: fc.array(fc.array(fc.nat(nFn - 1), { minLength: 1, maxLength: 3 }), {
        minLength: nLoc,
        maxLength: nLoc,
      }),
      samples: fc.array(
        fc.record({
          stack: fc.array(fc.nat(nLoc - 1), { maxLength: 12 }),
          values: fc.array(value, { minLength: nTypes, maxLength: nTypes }),
        }),
        { maxLength: 30 },
      ),
    }),
  );

function build(spec: Spec, extraLabels?: (Label[] | undefined)[]): Profile {
  const functions: FunctionInfo[] = spec.fnNames.map((name, i) => ({
    id: i + 1,
    name,
    systemName: name,
    filename: '',
    startLine: 0,
  }));
  const locations: Location[] = spec.locLines.map((fns, i) => ({
    id: i + 1,
    mapping: -1,
    address: 0x1000 + i,
    lines: fns.map((fn, k) => ({ fn, line: k + 1, column: 0 })),
    isFolded: false,
  }));
  const n = spec.samples.length;
  const values = new Float64Array(n * spec.nTypes);
  const stackStart = new Uint32Array(n + 1);
  const stack: number[] = [];
  spec.samples.forEach((s, i) => {
    stackStart[i] = stack.length;
    stack.push(...s.stack);
    s.values.forEach((v, k) => {
      values[i * spec.nTypes + k] = v;
    });
  });
  stackStart[n] = stack.length;
  const p: Profile = {
    sampleTypes: Array.from({ length: spec.nTypes }, (_, k) => ({
      type: `t${k}`,
      unit: ['count', 'bytes', 'nanoseconds'][k]!,
    })),
    period: 1,
    timeNanos: 0,
    durationNanos: 0,
    comments: [],
    mappings: [],
    locations,
    functions,
    samples: { length: n, values, stackStart, stack: Uint32Array.from(stack) },
    source: { format: 'pprof-proto', truncated: false, hasStacks: true, notes: [] },
  };
  if (extraLabels) p.samples.labels = extraLabels;
  return p;
}

/** pprof's flat/cum per function name, computed the obvious way. */
function reference(
  spec: Spec,
  k: number,
): { flat: Map<string, number>; cum: Map<string, number>; total: number; leafSum: number } {
  const flat = new Map<string, number>();
  const cum = new Map<string, number>();
  let total = 0;
  let leafSum = 0;
  for (const s of spec.samples) {
    const v = s.values[k]!;
    total += Math.abs(v);
    const frames = s.stack.flatMap((loc) => spec.locLines[loc]!.map((fn) => spec.fnNames[fn]!));
    if (frames.length === 0) continue;
    leafSum += v;
    flat.set(frames[0]!, (flat.get(frames[0]!) ?? 0) + v);
    for (const name of new Set(frames)) cum.set(name, (cum.get(name) ?? 0) + v);
  }
  return { flat, cum, total, leafSum };
}

const ALL = { nodeFraction: 0, nodeCount: 0, trim: false } as const;

describe('top on random profiles (pprof semantics)', () => {
  it('builds valid profiles (the generator itself)', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        expect(validateProfile(build(spec))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('Σ flat over the rows = Σ value of samples with a stack; total = Σ|value| (every sample type)', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = build(spec);
        for (let k = 0; k < spec.nTypes; k++) {
          const r = top(p, { ...ALL, sampleIndex: k });
          const ref = reference(spec, k);
          const sumFlat = r.rows.reduce((a, row) => a + row.flat, 0);
          expect(sumFlat).toBe(ref.leafSum);
          expect(r.shownFlat).toBe(ref.leafSum);
          expect(r.total).toBe(ref.total);
          expect(r.droppedNodes).toBe(0);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('flat and cum of every function equal the reference; no row is missing or extra', () => {
    fc.assert(
      fc.property(specArb, fc.nat(2), (spec, kk) => {
        const k = kk % spec.nTypes;
        const r = top(build(spec), { ...ALL, sampleIndex: k });
        const ref = reference(spec, k);
        const got = new Map(r.rows.map((row) => [row.name, [row.flat, row.cum]]));
        const want = new Map<string, number[]>();
        for (const [name, cum] of ref.cum) {
          const flat = ref.flat.get(name) ?? 0;
          if (flat !== 0 || cum !== 0) want.set(name, [flat, cum]);
        }
        expect(got).toEqual(want);
        expect(r.rows.length).toBe(got.size); // one row per function name
      }),
      { numRuns: 400 },
    );
  });

  it('with no negative values: 0 ≤ flat ≤ cum ≤ total; with any values: |cum| ≤ Σ|value| of the samples through it ≤ total', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = build(spec);
        for (let k = 0; k < spec.nTypes; k++) {
          const r = top(p, { ...ALL, sampleIndex: k });
          const nonNegative = spec.samples.every((s) => s.values[k]! >= 0);
          // Σ|v| of the samples whose stack holds each name: a bound on |cum| and |flat| that holds with cancellations.
          const through = new Map<string, number>();
          for (const s of spec.samples) {
            const names = new Set(s.stack.flatMap((loc) => spec.locLines[loc]!.map((fn) => spec.fnNames[fn]!)));
            for (const n of names) through.set(n, (through.get(n) ?? 0) + Math.abs(s.values[k]!));
          }
          for (const row of r.rows) {
            if (nonNegative) {
              expect(row.flat).toBeGreaterThanOrEqual(0);
              expect(row.flat).toBeLessThanOrEqual(row.cum);
              expect(row.cum).toBeLessThanOrEqual(r.total);
            }
            expect(Math.abs(row.cum)).toBeLessThanOrEqual(through.get(row.name)!);
            expect(Math.abs(row.flat)).toBeLessThanOrEqual(through.get(row.name)!);
            expect(through.get(row.name)!).toBeLessThanOrEqual(r.total);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rows are sorted by |flat| (or |cum| with cum), and nodecount keeps a prefix of the full list', () => {
    fc.assert(
      fc.property(specArb, fc.boolean(), fc.integer({ min: 1, max: 5 }), (spec, byCum, n) => {
        const p = build(spec);
        const all = top(p, { ...ALL, trim: true, cum: byCum });
        const key = (row: { flat: number; cum: number }) => Math.abs(byCum ? row.cum : row.flat);
        for (let i = 1; i < all.rows.length; i++)
          expect(key(all.rows[i - 1]!)).toBeGreaterThanOrEqual(key(all.rows[i]!));
        const some = top(p, { nodeFraction: 0, nodeCount: n, cum: byCum });
        // (inline) marks may differ: pprof decides them on the trimmed graph's edges.
        const plain = (rows: typeof all.rows) => rows.map((r) => [r.name, r.flat, r.cum]);
        expect(plain(some.rows)).toEqual(plain(all.rows.slice(0, n)));
        expect(some.origCount).toBe(all.rows.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a focus that matches every frame and an ignore that matches none change nothing', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = build(spec);
        const base = top(p, ALL);
        const focused = top(p, { ...ALL, focus: '.' });
        const ignored = top(p, { ...ALL, ignore: 'no_such_function_zzz' });
        expect(focused.rows).toEqual(base.rows);
        expect(focused.total).toBe(base.total);
        expect(ignored.rows).toEqual(base.rows);
      }),
      { numRuns: 200 },
    );
  });

  it('hiding a function removes its row and moves flat to its callers, never changing the total', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom(...NAMES), (spec, hidden) => {
        const p = build(spec);
        const base = top(p, ALL);
        const r = top(p, { ...ALL, hide: `^${hidden.replace(/[.*()[\]]/g, '\\$&')}$` });
        expect(r.rows.map((x) => x.name)).not.toContain(hidden);
        expect(r.total).toBe(base.total);
        // Samples that still have a frame keep their value: Σ flat = Σ v over samples with a visible frame.
        let expected = 0;
        for (const s of spec.samples) {
          const visible = s.stack.some((loc) => spec.locLines[loc]!.some((fn) => spec.fnNames[fn] !== hidden));
          if (visible) expected += s.values[p.sampleTypes.length - 1]!;
        }
        expect(r.rows.reduce((a, x) => a + x.flat, 0)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * diff(a, a) is all zero. pprof's -diff_base B merges A with B's samples negated and labelled
 * pprof::base=true (driver/fetch.go); the total is then Σ|value| of the base samples. The
 * properties are stated on that construction (below) and on src/analysis/diff.ts, which must agree
 * with it.
 */
function diffBase(a: Profile, b: Profile): Profile {
  expect(b.locations).toEqual(a.locations); // both sides share locations in these properties
  const n = a.samples.length + b.samples.length;
  const nT = a.sampleTypes.length;
  const values = new Float64Array(n * nT);
  values.set(a.samples.values, 0);
  for (let i = 0; i < b.samples.values.length; i++) values[a.samples.values.length + i] = -b.samples.values[i]! || 0;
  const stackStart = new Uint32Array(n + 1);
  stackStart.set(a.samples.stackStart.subarray(0, a.samples.length), 0);
  const off = a.samples.stack.length;
  for (let i = 0; i <= b.samples.length; i++) stackStart[a.samples.length + i] = b.samples.stackStart[i]! + off;
  const stack = new Uint32Array(off + b.samples.stack.length);
  stack.set(a.samples.stack, 0);
  stack.set(b.samples.stack, off);
  const labels: (Label[] | undefined)[] = [];
  for (let i = 0; i < a.samples.length; i++) labels.push(undefined);
  for (let i = 0; i < b.samples.length; i++) labels.push([{ key: 'pprof::base', str: 'true' }]);
  return { ...a, samples: { length: n, values, stackStart, stack, labels } };
}

describe('diff(a, a) (pprof -diff_base semantics)', () => {
  it('every function nets to zero: no row, Σ flat 0, and the total is Σ|value| of the base', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const a = build(spec);
        const d = diffBase(a, a);
        expect(validateProfile(d)).toEqual([]);
        for (let k = 0; k < spec.nTypes; k++) {
          const r = top(d, { ...ALL, sampleIndex: k });
          expect(r.rows).toEqual([]);
          expect(r.shownFlat).toBe(0);
          expect(r.total).toBe(reference(spec, k).total);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('diff(a, empty) is a itself; diff(empty, a) is a negated', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const a = build(spec);
        const empty = build({ ...spec, samples: [] });
        const plus = top(diffBase(a, empty), ALL).rows;
        const minus = top(diffBase(empty, a), ALL).rows;
        const base = top(a, ALL).rows;
        const byName = (rows: typeof base) => new Map(rows.map((r) => [r.name, [r.flat, r.cum]]));
        expect(byName(plus)).toEqual(byName(base));
        expect(byName(minus)).toEqual(new Map([...byName(base)].map(([n, [f, c]]) => [n, [-f! || 0, -c! || 0]])));
      }),
      { numRuns: 200 },
    );
  });
});

describe('diff() (src/analysis/diff.ts) against pprof semantics', () => {
  /** Two profiles of the same program: same functions and locations, different samples. */
  const pairArb = specArb.chain((spec) =>
    fc.record({
      spec: fc.constant(spec),
      other: fc.array(
        fc.record({
          stack: fc.array(fc.nat(spec.locLines.length - 1), { maxLength: 12 }),
          values: fc.array(value, { minLength: spec.nTypes, maxLength: spec.nTypes }),
        }),
        { maxLength: 30 },
      ),
    }),
  );
  const byName = (rows: { name: string; flat: number; cum: number }[]) =>
    new Map(rows.filter((r) => r.flat !== 0 || r.cum !== 0).map((r) => [r.name, [r.flat, r.cum]]));

  it('diff(a, a) has no non-zero row and delta 0, in both modes; compare keeps Σ|a| as the total', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom('compare' as const, 'subtract' as const), (spec, mode) => {
        const a = build(spec);
        const r = diff(a, build(spec), { ...ALL, mode });
        expect(byName(r.rows)).toEqual(new Map());
        expect(r.delta).toBe(0);
        if (mode === 'compare') expect(r.total).toBe(reference(spec, spec.nTypes - 1).total);
        else expect(r.total).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('diff(base, new) in compare mode = top of new merged with base negated (pprof -diff_base)', () => {
    fc.assert(
      fc.property(pairArb, ({ spec, other }) => {
        const base = build(spec);
        const next = build({ ...spec, samples: other });
        const r = diff(base, next, ALL);
        const want = top(diffBase(next, base), ALL);
        expect(byName(r.rows)).toEqual(byName(want.rows));
        expect(r.total).toBe(want.total);
        // per function: new − base of each side's own flat and cum
        const b = reference(spec, spec.nTypes - 1);
        const n = reference({ ...spec, samples: other }, spec.nTypes - 1);
        for (const row of r.rows) {
          expect(row.flat).toBe((n.flat.get(row.name) ?? 0) - (b.flat.get(row.name) ?? 0));
          expect(row.cum).toBe((n.cum.get(row.name) ?? 0) - (b.cum.get(row.name) ?? 0));
        }
      }),
      { numRuns: 200 },
    );
  });
});
