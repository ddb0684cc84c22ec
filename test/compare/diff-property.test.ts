/**
 * Properties of `diff` on random profiles (fast-check):
 *  - diff(a, a) is all zero, in both modes, with or without --normalize (but see the ScaleN quirk);
 *  - each row is exactly top(new) − top(base) for that function (flat and cum), and each side's
 *    figures are top(base) / top(new);
 *  - swapping base and new negates every row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/analysis/diff.js';
import { top } from '../../src/analysis/top.js';
import type { Profile } from '../../src/profile/model.js';
import '../../src/profile/regex.js';
import { buildProfile } from '../helpers/build-profile.js';

const NAMES = ['main.main', 'app.serve', 'app.cache', 'runtime.mallocgc', 'pkg.(*T).m', 'x.y.func1', 'app.serve'];

// Leaf first; every stack ends in main.main, so two random profiles are of one program (diff refuses
// profiles with no function in common).
const stackArb = fc.array(fc.constantFrom(...NAMES), { minLength: 0, maxLength: 6 }).map((s) => [...s, 'main.main']);
const sampleArb = fc.record({
  stack: stackArb,
  values: fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 1 << 24 })),
});
const profileArb: fc.Arbitrary<Profile> = fc.array(sampleArb, { minLength: 1, maxLength: 25 }).map((samples) =>
  buildProfile({
    sampleTypes: [
      ['inuse_objects', 'count'],
      ['inuse_space', 'bytes'],
    ],
    samples: samples.map((s) => ({ stack: s.stack, values: [s.values[0], s.values[1]] })),
  }),
);

const modeArb = fc.constantFrom('compare' as const, 'subtract' as const);

function sumsNonZero(p: Profile): boolean {
  const n = p.sampleTypes.length;
  return p.sampleTypes.every((_, k) => {
    let s = 0;
    for (let i = 0; i < p.samples.length; i++) s += p.samples.values[i * n + k]!;
    return s !== 0;
  });
}

function byName(p: Profile): Map<string, { flat: number; cum: number }> {
  const m = new Map<string, { flat: number; cum: number }>();
  for (const r of top(p, { trim: false }).rows) m.set(r.name, { flat: r.flat, cum: r.cum });
  return m;
}

describe('diff properties', () => {
  it('diff(a, a) is all zero', () => {
    fc.assert(
      fc.property(profileArb, modeArb, fc.boolean(), (a, mode, normalize) => {
        // pprof's -normalize scales a type whose new total is 0 by 0, and its ScaleN then drops
        // samples whose scaled columns are all 0 even if an unscaled column is not (replicated;
        // see diff.test.ts). Every other normalization of a profile against itself is a no-op.
        if (normalize) fc.pre(sumsNonZero(a));
        const r = diff(a, a, { mode, normalize, trim: false });
        expect(r.rows.every((x) => x.flat === 0 && x.cum === 0)).toBe(true);
        expect(r.rows).toEqual([]);
        expect(r.delta).toBe(0);
        expect(r.appearedCount).toBe(0);
        expect(r.disappearedCount).toBe(0);
        expect(r.top.shownFlat).toBe(0);
        if (mode === 'subtract') expect(r.total).toBe(0);
        else expect(r.total).toBe(r.base.total);
      }),
      { numRuns: 200 },
    );
  });

  it('rows are top(new) − top(base), function by function', () => {
    fc.assert(
      fc.property(profileArb, profileArb, modeArb, (a, b, mode) => {
        const r = diff(a, b, { mode, trim: false });
        const ta = byName(a);
        const tb = byName(b);
        const names = new Set([...ta.keys(), ...tb.keys()]);
        const expected = new Map<string, { flat: number; cum: number }>();
        for (const n of names) {
          const x = ta.get(n) ?? { flat: 0, cum: 0 };
          const y = tb.get(n) ?? { flat: 0, cum: 0 };
          if (y.flat - x.flat !== 0 || y.cum - x.cum !== 0)
            expected.set(n, { flat: y.flat - x.flat, cum: y.cum - x.cum });
        }
        expect(new Map(r.rows.map((x) => [x.name, { flat: x.flat, cum: x.cum }]))).toEqual(expected);
        for (const x of r.rows) {
          expect(x.base).toEqual(ta.get(x.name) ?? { flat: 0, cum: 0 });
          expect(x.new).toEqual(tb.get(x.name) ?? { flat: 0, cum: 0 });
          expect(x.status).toBe(x.base.cum === 0 ? 'appeared' : x.new.cum === 0 ? 'disappeared' : 'changed');
          if (r.total !== 0) expect(x.flatPercent).toBeCloseTo((100 * x.flat) / r.total, 9);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('swapping base and new negates every row', () => {
    fc.assert(
      fc.property(profileArb, profileArb, (a, b) => {
        const ab = diff(a, b, { mode: 'subtract', trim: false });
        const ba = diff(b, a, { mode: 'subtract', trim: false });
        expect(ba.total).toBe(ab.total);
        const neg = new Map(ab.rows.map((x) => [x.name, { flat: -x.flat || 0, cum: -x.cum || 0 }]));
        expect(new Map(ba.rows.map((x) => [x.name, { flat: x.flat, cum: x.cum }]))).toEqual(neg);
      }),
      { numRuns: 100 },
    );
  });
});
