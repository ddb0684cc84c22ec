import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/errors.js';
import { parseTextProfile } from '../../../src/input/text/index.js';
import { validateProfile } from '../../../src/profile/validate.js';
import { fixtureText } from './helpers.js';

/** Whatever the input, the importer returns undefined, a valid profile, or throws a one-line FormatError. */
function check(text: string): void {
  let p: ReturnType<typeof parseTextProfile>;
  try {
    p = parseTextProfile(text);
  } catch (err) {
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toMatch(/^line \d+: [^\n]+$/);
    return;
  }
  if (p) expect(validateProfile(p)).toEqual([]);
}

const FIXTURES = [
  'go119/heap.debug1.txt',
  'go119/goroutine.debug1.txt',
  'go119/mutex.debug1.txt',
  'go119/block.debug1.txt',
  'go119/goroutine.debug2.txt',
  'go119/sigquit.txt',
  'tables/seed003-heap.txt',
  'tables/heap-wordwrap.txt',
  'go119/pprof-top-lines-heap.txt',
];

describe('robustness', () => {
  it('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => check(s)),
      { numRuns: 300 },
    );
  });

  it.each(FIXTURES)('%s cut at any point, or with lines dropped or swapped', (f) => {
    const text = fixtureText(f);
    const lines = text.split('\n');
    fc.assert(
      fc.property(fc.nat({ max: text.length }), (n) => check(text.slice(0, n))),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(fc.nat({ max: lines.length - 1 }), fc.nat({ max: lines.length - 1 }), (a, b) => {
        const copy = lines.slice();
        copy.splice(a, 1);
        check(copy.join('\n'));
        const swapped = lines.slice();
        [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
        check(swapped.join('\n'));
      }),
      { numRuns: 60 },
    );
  });
});
