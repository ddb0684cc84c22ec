import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  autoLabel,
  goFixed,
  goG,
  padLeft,
  percentage,
  scale,
  scaledLabel,
  selectOutputUnit,
} from '../../src/profile/units.js';

describe('Go number formatting', () => {
  // Expected strings printed by go1.19: fmt.Sprintf("[%.2f] [%5.2g] [%.0f]", v, v, v).
  const cases: [number, string, string, string][] = [
    [0.125, '0.12', ' 0.12', '0'],
    [0.375, '0.38', ' 0.38', '0'],
    [2.5, '2.50', '  2.5', '2'],
    [1.125, '1.12', '  1.1', '1'],
    [0.0625, '0.06', '0.062', '0'],
    [0.00001, '0.00', '1e-05', '0'],
    [0, '0.00', '    0', '0'],
    [0.4, '0.40', '  0.4', '0'],
    [0.017, '0.02', '0.017', '0'],
    [99.5, '99.50', '1e+02', '100'],
    [0.995, '0.99', ' 0.99', '1'],
    [0.0999, '0.10', '  0.1', '0'],
    [5e-5, '0.00', '5e-05', '0'],
    [1234567.125, '1234567.12', '1.2e+06', '1234567'],
  ];
  it.each(cases)('%s → %%.2f %s, %%5.2g %s, %%.0f %s', (v, f2, g2, f0) => {
    expect(goFixed(v, 2)).toBe(f2);
    expect(padLeft(goG(v, 2), 5)).toBe(g2);
    expect(goFixed(v, 0)).toBe(f0);
  });

  it('rounds half to even only on exact ties, like Go', () => {
    expect(goFixed(0.625, 2)).toBe('0.62');
    expect(goFixed(0.875, 2)).toBe('0.88');
    expect(goFixed(-0.125, 2)).toBe('-0.12');
    expect(goFixed(2.675, 2)).toBe('2.67'); // 2.675 is really 2.67499999…
    expect(goFixed(1.005, 2)).toBe('1.00'); // 1.00499999…
    expect(goFixed(-0, 2)).toBe('-0.00'); // Go keeps the sign of -0 (toFixed does not)
  });

  it('agrees with toFixed whenever the value is not an exact binary tie', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (v) => {
        const t = Math.abs(v) * 800;
        fc.pre(!(Number.isInteger(t) && t % 2 === 1) && !Object.is(v, -0));
        expect(goFixed(v, 2)).toBe(v.toFixed(2));
      }),
    );
  });

  it('pads by runes, like %10s', () => {
    expect(padLeft('μμ', 10)).toBe('        μμ');
    expect(padLeft('too long for ten', 10)).toBe('too long for ten');
  });
});

describe('pprof units (measurement.go)', () => {
  it('scales memory in binary units and time in decimal ones', () => {
    expect(scaledLabel(131072, 'bytes', 'minimum')).toBe('128kB');
    expect(scaledLabel(1536, 'bytes', 'minimum')).toBe('1.50kB');
    expect(scaledLabel(131072, 'bytes', 'MB')).toBe('0.12MB');
    expect(scaledLabel(240_290_000_000, 'nanoseconds', 's')).toBe('240.29s');
    expect(scaledLabel(10_000_000, 'nanoseconds', 'minimum')).toBe('10ms');
    expect(scaledLabel(3 * 3600e9, 'nanoseconds', 'minimum')).toBe('3hrs');
    expect(scaledLabel(42, 'count', 'count')).toBe('42');
    expect(scaledLabel(0, 'bytes', 'MB')).toBe('0');
    expect(scaledLabel(-1048576, 'bytes', 'minimum')).toBe('-1MB');
    expect(scaledLabel(1, 'bytes', 'GB')).toBe('0');
  });

  it('accepts unit spellings the way pprof sniffs them', () => {
    expect(scale(1, 'Bytes', 'minimum')).toEqual([1, 'B']);
    expect(scale(2000, 'microseconds', 'ms')).toEqual([2, 'ms']);
    expect(scale(5, 'count', 'minimum')).toEqual([5, '']);
    expect(scale(5, 'widgets', 'nanoseconds')).toEqual([5, 'nanoseconds']);
    expect(scale(5, 'bytes', 'nanoseconds')).toEqual([5, 'B']); // unknown in the family → default unit
    expect(scale(0, 'nanoseconds', 'minimum')).toEqual([0, 's']);
  });

  it('labels durations automatically', () => {
    expect(autoLabel(240_360_000_000, 'nanoseconds')).toBe('240.36s');
    expect(autoLabel(30_000_000_000, 'nanoseconds')).toBe('30s');
  });

  it('formats percentages like measurement.Percentage', () => {
    expect(percentage(1, 1)).toBe('  100%');
    expect(percentage(99951, 100000)).toBe('  100%');
    // Checked against go1.19: 99.95 is inside the 100% band, 99.949 prints as 99.95%.
    expect(percentage(9995, 10000)).toBe('  100%');
    expect(percentage(99949, 100000)).toBe('99.95%');
    expect(percentage(9990, 10000)).toBe('99.90%');
    expect(percentage(5, 100)).toBe(' 5.00%');
    expect(percentage(4, 24029)).toBe('0.017%');
    expect(percentage(0, 10)).toBe('    0%');
    expect(percentage(-5, 100)).toBe(' 5.00%');
    expect(percentage(5, 0)).toBe('    0%');
  });

  it('picks the output unit like selectOutputUnit(minimum)', () => {
    // Smallest row 40ms, total 240s: 40ms×100 = 4s < 240s, so bump to the unit of 4s.
    expect(selectOutputUnit(40_000_000, 240_290_000_000, 'nanoseconds')).toBe('s');
    // Smallest row 10ms, total 500ms: 1s ≥ 500ms, keep ms.
    expect(selectOutputUnit(10_000_000, 500_000_000, 'nanoseconds')).toBe('ms');
    expect(selectOutputUnit(0, 5 << 20, 'bytes')).toBe('MB');
    expect(selectOutputUnit(3, 300, 'count')).toBe('count');
  });
});
