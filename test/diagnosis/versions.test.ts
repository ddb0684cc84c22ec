import { describe, expect, it } from 'vitest';
import { intersect, isSubset, overlaps, rangeLabel, versionToRange } from '../../src/diagnosis/versions.js';

describe('version ranges', () => {
  it('intersects ranges, including disjunctions', () => {
    expect(intersect('>=3.0.0 <3.3.14', '<3.3.14')).toBe('>=3.0.0 <3.3.14');
    expect(intersect('>=3.4.0 <3.5.0', '>=3.4.2')).toBe('>=3.4.2 <3.5.0');
    expect(intersect('>=3.4.0 <3.5.0', '>=3.5.0')).toBeNull();
    expect(intersect('>=3.4.0', '>=3.4.31 <3.5.0 || >=3.5.13')).toBe('>=3.4.31 <3.5.0 || >=3.5.13');
    expect(intersect('3.4.23', '>=3.4.0 <3.5.0')).toBe('3.4.23');
  });

  it('tells subset and overlap apart', () => {
    expect(isSubset('>=3.2.0 <3.2.10', '>=3.0.0 <3.2.10')).toBe(true);
    expect(isSubset('>=3.0.0 <3.3.14', '<3.1.19 || >=3.2.0 <3.2.24 || >=3.3.0 <3.3.9')).toBe(false);
    expect(overlaps('>=3.0.0 <3.3.14', '<3.1.19 || >=3.2.0 <3.2.24 || >=3.3.0 <3.3.9')).toBe(true);
    expect(overlaps('>=3.5.0', '<3.1.19 || >=3.2.0 <3.2.24 || >=3.3.0 <3.3.9')).toBe(false);
    expect(overlaps('>=1.14.0', '>=1.12.0 <1.16.0')).toBe(true);
    expect(isSubset('>=1.14.0', '>=1.12.0 <1.16.0')).toBe(false);
  });

  it('labels ranges for people', () => {
    expect(rangeLabel('3.4.23')).toBe('3.4.23');
    expect(rangeLabel('>=3.4.0 <3.5.0')).toBe('3.4.x');
    expect(rangeLabel('>=3.4.2 <3.5.0')).toBe('3.4.2 – 3.4.x');
    expect(rangeLabel('>=3.5.0')).toBe('≥ 3.5.0');
    expect(rangeLabel('>=3.5.16 <3.5.17')).toBe('3.5.16');
    expect(rangeLabel('>=3.5.30 <3.5.32')).toBe('3.5.30 – 3.5.31');
    expect(rangeLabel('>=3.0.0 <3.3.14')).toBe('3.0.0 – 3.3.13');
    expect(rangeLabel('<3.1.19 || >=3.2.0 <3.2.24 || >=3.3.0 <3.3.9')).toBe(
      '≤ 3.1.18 or 3.2.0 – 3.2.23 or 3.3.0 – 3.3.8',
    );
    expect(rangeLabel('>=1.12.0 <1.16.0')).toBe('1.12.0 – 1.15.x');
    expect(rangeLabel('<1.9.0')).toBe('≤ 1.8.x');
  });

  it('reads user-typed versions', () => {
    expect(versionToRange('3.4.23')).toBe('3.4.23');
    expect(versionToRange('v3.5.9')).toBe('3.5.9');
    expect(versionToRange('3.4')).toBe('>=3.4.0 <3.5.0');
    expect(versionToRange('go1.12')).toBe('>=1.12.0 <1.13.0');
    expect(versionToRange('banana')).toBeNull();
  });
});
