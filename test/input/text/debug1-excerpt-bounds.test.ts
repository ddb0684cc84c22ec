import { describe, expect, it } from 'vitest';
import { parseTextProfile } from '../../../src/input/text/index.js';

const FRAME = '#\t0x43fe6e\tmain.wait+0x2e\t/src/main.go:12';

describe('headerless debug=1 count records', () => {
  it('adds up records into the total it writes in', () => {
    const p = parseTextProfile(`3 @ 0x43fe6e\n${FRAME}\n\n4 @ 0x43fe6e\n${FRAME}\n`);
    expect(p?.samples.values.reduce((s, x) => s + x, 0)).toBe(7);
  });

  it('refuses records whose counts add up past what a number holds, with a line error', () => {
    // Each count is allowed on its own; their sum is not a whole number any more (fuzz seed 7, #1280).
    const big = '9007199254740991';
    const text = `${big} @ 0x43fe6e\n${FRAME}\n\n${big} @ 0x43fe6e\n${FRAME}\n\n${big} @ 0x43fe6e\n${FRAME}\n`;
    expect(() => parseTextProfile(text)).toThrow(/line \d+: the record counts add up to more than/);
  });

  it('a count header that does not parse is a line error, not a crash', () => {
    expect(() => parseTextProfile(`goroutine profile: total -1\n1 @ 0x43fe6e\n${FRAME}\n`)).not.toThrow(TypeError);
  });
});
