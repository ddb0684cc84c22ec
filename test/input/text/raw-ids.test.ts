import { describe, expect, it } from 'vitest';
import { parseTextProfile } from '../../../src/input/text/index.js';
import { validateProfile } from '../../../src/profile/validate.js';

const raw = (sampleIds: string, locId: string) =>
  [
    'PeriodType: cpu nanoseconds',
    'Period: 10000000',
    'Samples:',
    'samples/count cpu/nanoseconds',
    `         15  150000000: ${sampleIds} `,
    'Locations',
    `     ${locId}: 0x404d2e M=1 main.work /src/main.go:36 s=0`,
    '     2: 0x404d12 M=1 main.main /src/main.go:12 s=0',
    'Mappings',
    '1: 0x400000/0x4b8000/0x0 /bin/app  [FN]',
    '',
  ].join('\n');

describe('-raw text: location ids', () => {
  it('reads a well-formed paste into a valid model', () => {
    const p = parseTextProfile(raw('1 2', '1'));
    expect(p).toBeDefined();
    expect(validateProfile(p!)).toEqual([]);
    expect(p!.locations.map((l) => l.id)).toEqual([1, 2]);
  });

  it('refuses location 0 in a sample or in the Locations list (fuzz seed 1, #59584)', () => {
    expect(() => parseTextProfile(raw('0 2', '1'))).toThrow(/line 5: a sample names location 0/);
    expect(() => parseTextProfile(raw('1 2', '0'))).toThrow(/line 7: location ids start at 1/);
  });
});
