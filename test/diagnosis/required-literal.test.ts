/**
 * requiredLiteral: the needle the matcher searches for must be in every match. A property test
 * builds random expressions together with a random string each matches (sampled from the same
 * tree), and checks the string contains the needle; a table pins what is found and what is not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternNeedle } from '../../src/diagnosis/patterns.js';
import { requiredLiteral } from '../../src/diagnosis/required-literal.js';

describe('requiredLiteral', () => {
  it.each([
    ['^math/big\\.', 'math/big.'],
    ['^crypto/(rsa|ecdsa|ed25519)\\.', 'crypto/'],
    ['curve25519\\.', 'curve25519.'],
    ['ab?cde', 'cde'],
    ['x(abc)+y', 'abc'],
    ['(abc)?def', 'def'],
    ['a{2}bcd', 'bcd'],
    ['ab{0,3}cdef', 'cdef'],
    ['(?:abc)(?:def)', 'abcdef'],
    ['abc*def', 'def'],
    ['[abc]xyz+', 'xyz'],
    ['abc|defgh', ''],
    ['(?=abc)abc', ''],
    ['(?i)abcdef', ''],
    ['(a)\\1bcd', ''],
    ['\\d+\\.\\w+', '.'],
    ['.*', ''],
  ])('%s → %s', (source, needle) => {
    expect(requiredLiteral(source)).toBe(needle);
  });

  it('gives pattern needles where literal pieces are too short', () => {
    expect(patternNeedle('{capnslog}.{any}')).toBe('github.com/coreos/pkg/capnslog');
    expect(patternNeedle('{zap}/{any}')).toBe('go.uber.org/zap');
    expect(patternNeedle('re:^math/big\\.')).toBe('math/big.');
    expect(patternNeedle('{any}')).toBeUndefined();
  });

  // A small regex tree that knows how to print itself and to produce a string it matches.
  type Node =
    | { k: 'lit'; s: string }
    | { k: 'class'; chars: string }
    | { k: 'dot' }
    | { k: 'seq'; items: Node[] }
    | { k: 'alt'; items: Node[] }
    | { k: 'group'; inner: Node; capture: boolean }
    | { k: 'rep'; inner: Node; q: '?' | '*' | '+' | '{2}' | '{0,2}' | '{1,3}' };

  const special = new Set([...'.*+?^$()[]{}|\\/']);
  const print = (n: Node): string => {
    switch (n.k) {
      case 'lit':
        return [...n.s].map((c) => (special.has(c) ? `\\${c}` : c)).join('');
      case 'class':
        return `[${n.chars}]`;
      case 'dot':
        return '.';
      case 'seq':
        return n.items.map(print).join('');
      case 'alt':
        return `(?:${n.items.map(print).join('|')})`;
      case 'group':
        return `(${n.capture ? '' : '?:'}${print(n.inner)})`;
      case 'rep': {
        const inner = n.inner.k === 'lit' && n.inner.s.length === 1 ? print(n.inner) : `(?:${print(n.inner)})`;
        return `${inner}${n.q}`;
      }
    }
  };
  const sample = (n: Node, pick: () => number): string => {
    switch (n.k) {
      case 'lit':
        return n.s;
      case 'class':
        return n.chars[pick() % n.chars.length]!;
      case 'dot':
        return 'qz'[pick() % 2]!;
      case 'seq':
        return n.items.map((i) => sample(i, pick)).join('');
      case 'alt':
        return sample(n.items[pick() % n.items.length]!, pick);
      case 'group':
        return sample(n.inner, pick);
      case 'rep': {
        const [lo, hi] = { '?': [0, 1], '*': [0, 3], '+': [1, 3], '{2}': [2, 2], '{0,2}': [0, 2], '{1,3}': [1, 3] }[
          n.q
        ];
        const times = lo! + (pick() % (hi! - lo! + 1));
        let out = '';
        for (let i = 0; i < times; i++) out += sample(n.inner, pick);
        return out;
      }
    }
  };
  const text = fc.stringMatching(/^[a-e./()]{1,4}$/);
  const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ k: fc.constant('lit' as const), s: text }),
      fc.record({ k: fc.constant('class' as const), chars: fc.constantFrom('ab', 'c', 'xyz') }),
      fc.record({ k: fc.constant('dot' as const) }),
      fc.record({ k: fc.constant('seq' as const), items: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
      fc.record({ k: fc.constant('alt' as const), items: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ k: fc.constant('group' as const), inner: tie('node'), capture: fc.boolean() }),
      fc.record({
        k: fc.constant('rep' as const),
        inner: tie('node'),
        q: fc.constantFrom('?', '*', '+', '{2}', '{0,2}', '{1,3}') as fc.Arbitrary<
          '?' | '*' | '+' | '{2}' | '{0,2}' | '{1,3}'
        >,
      }),
    ),
  })).node;

  it('is in every string the expression matches (random expressions and matches)', () => {
    fc.assert(
      fc.property(node, fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), (n, picks) => {
        let i = 0;
        const s = sample(n, () => picks[i++ % picks.length]!);
        const source = print(n);
        expect(new RegExp(`^(?:${source})$`).test(s)).toBe(true); // the sample really matches
        expect(s).toContain(requiredLiteral(source));
      }),
      { numRuns: 2000 },
    );
  });
});
