import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoLabel } from '../../src/profile/units.js';
import { FORMAT_JS } from '../../src/report/html/format-js.js';

// The page's formatter, evaluated as the browser would (plain script, no modules).
const pdLabel = new Function(`${FORMAT_JS}; return pdLabel;`)() as (v: number, unit: string) => string;

const UNITS = [
  'bytes',
  'nanoseconds',
  'count',
  'B',
  'kilobytes',
  'ms',
  'seconds',
  'microseconds',
  'μs',
  'hours',
  'objects',
  'gcu',
  '',
];

describe('page value formatter', () => {
  it('matches autoLabel on chosen values, rounding ties and unit boundaries', () => {
    const values = [
      0,
      1,
      0.001,
      0.005,
      0.125,
      0.375,
      1.125,
      2.5,
      1023,
      1024,
      1025,
      1536,
      1048576,
      1179648,
      1.5 * 2 ** 30,
      2 ** 40 * 3.875,
      999,
      1000,
      999999,
      1e9,
      1.5e9,
      3600e9,
      7200e9 + 1,
      240.29e9,
      2072.4e9,
      -1,
      -1024,
      -0.001,
      123456789,
      2 ** 53,
    ];
    for (const unit of UNITS) {
      for (const v of values) expect(pdLabel(v, unit), `${v} ${unit}`).toBe(autoLabel(v, unit));
    }
  });

  it('matches autoLabel on random values (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: -1e15, max: 1e15, noNaN: true, noDefaultInfinity: true }),
          fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
          fc.integer({ min: 0, max: 2 ** 20 }).map((k) => k / 8),
          fc.integer({ min: 0, max: 2 ** 20 }).map((k) => k * 128),
        ),
        fc.constantFrom(...UNITS),
        (v, unit) => {
          expect(pdLabel(v, unit)).toBe(autoLabel(v, unit));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
