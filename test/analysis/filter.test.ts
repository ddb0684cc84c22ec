import '../../src/profile/regex.js';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  compileRegex,
  filterProfile,
  pruneFrames,
  removeUninteresting,
  simplifyFunc,
} from '../../src/profile/filter.js';
import type { Profile } from '../../src/profile/model.js';
import { buildProfile } from '../helpers/build-profile.js';

/** Each sample's stack as function names, leaf first; inlined lines joined with '+'. */
function stacks(p: Profile): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < p.samples.length; i++) {
    const s: string[] = [];
    for (let j = p.samples.stackStart[i]!; j < p.samples.stackStart[i + 1]!; j++) {
      const loc = p.locations[p.samples.stack[j]!]!;
      s.push(loc.lines.map((l) => p.functions[l.fn]!.name).join('+'));
    }
    out.push(s);
  }
  return out;
}

const one = (stack: string[]) => buildProfile({ samples: [[stack, [1, 10]]] });

describe('show_from / prune_from (pprof doc examples; stacks leaf first)', () => {
  // pprof: a sample with frames [A, B, C, B] where A is the root.
  const p = one(['B', 'C', 'B', 'A']);
  it.each([
    ['A', [['B', 'C', 'B', 'A']]],
    ['B', [['B', 'C', 'B']]],
    ['C', [['B', 'C']]],
    ['D', []],
  ])('show_from=%s', (re, want) => {
    expect(stacks(filterProfile(p, { showFrom: re }).profile)).toEqual(want);
  });

  // pprof: Location [A,B,C,B,D] (leaf first, D is the root).
  const q = one(['A', 'B', 'C', 'B', 'D']);
  it.each([
    ['A', ['A', 'B', 'C', 'B', 'D']],
    ['B', ['B', 'C', 'B', 'D']],
  ])('prune_from=%s', (re, want) => {
    expect(stacks(filterProfile(q, { pruneFrom: re }).profile)).toEqual([want]);
  });

  it('drop_frames prunes the matching frame and everything beneath it (Prune)', () => {
    expect(stacks(pruneFrames(q, compileRegex('x', '^(A)$')))).toEqual([['B', 'C', 'B', 'D']]);
    expect(stacks(pruneFrames(q, compileRegex('x', '^(B)$')))).toEqual([['D']]);
  });

  it('show_from keeps the lines of a location up to the matching one', () => {
    const r = buildProfile({
      samples: [
        [
          [['inner', 'mid', 'outer'], 'main'],
          [1, 1],
        ],
      ],
    });
    expect(stacks(filterProfile(r, { showFrom: 'mid' }).profile)).toEqual([['inner+mid']]);
  });
});

describe('focus / ignore / hide / show', () => {
  const p = buildProfile({
    samples: [
      [
        ['runtime.mallocgc', 'mvcc.put', 'main.main'],
        [1, 10],
      ],
      [
        ['runtime.mallocgc', 'raft.step', 'main.main'],
        [1, 20],
      ],
      [
        ['syscall.read', 'main.main'],
        [1, 30],
      ],
      [[], [1, 40]],
    ],
  });

  it('focus keeps samples through a matching frame; ignore drops them', () => {
    expect(stacks(filterProfile(p, { focus: 'mvcc' }).profile)).toEqual([
      ['runtime.mallocgc', 'mvcc.put', 'main.main'],
    ]);
    expect(stacks(filterProfile(p, { ignore: 'mallocgc' }).profile)).toEqual([['syscall.read', 'main.main']]);
    expect(stacks(filterProfile(p, { focus: 'main', ignore: 'raft' }).profile)).toHaveLength(2);
  });

  it('hide removes frames; show keeps only matching ones; empty stacks go', () => {
    expect(stacks(filterProfile(p, { hide: 'runtime' }).profile)).toEqual([
      ['mvcc.put', 'main.main'],
      ['raft.step', 'main.main'],
      ['syscall.read', 'main.main'],
    ]);
    expect(stacks(filterProfile(p, { show: 'mvcc|raft' }).profile)).toEqual([['mvcc.put'], ['raft.step']]);
  });

  it('matches file names and the mapping file too', () => {
    const q = buildProfile({
      mappings: ['/usr/bin/etcd'],
      samples: [
        [
          [{ fn: 'f', file: '/src/server/mvcc/kv.go' }, 'main'],
          [1, 1],
        ],
      ],
    });
    expect(filterProfile(q, { focus: 'mvcc/kv' }).profile.samples.length).toBe(1);
    expect(filterProfile(q, { focus: 'bin/etcd' }).profile.samples.length).toBe(1);
    expect(filterProfile(q, { focus: 'nothing' }).profile.samples.length).toBe(0);
  });

  it('reports which filters matched', () => {
    const { matched } = filterProfile(p, { focus: 'nomatch', hide: 'runtime', show: 'zzz' });
    expect(matched).toEqual({ focus: false, hide: true, show: false });
  });

  it('never modifies its input', () => {
    const before = JSON.stringify(stacks(p));
    filterProfile(p, { hide: 'runtime', show: 'main', showFrom: 'main', pruneFrom: 'mvcc' });
    expect(JSON.stringify(stacks(p))).toBe(before);
    expect(p.samples.length).toBe(4);
  });

  it('keeps values and labels with their samples', () => {
    const q = buildProfile({
      samples: [
        { stack: ['a'], values: [1, 10], labels: [{ key: 'k', str: 'x' }] },
        { stack: ['b'], values: [2, 20], labels: [{ key: 'k', str: 'y' }] },
      ],
    });
    const r = filterProfile(q, { focus: '^b$' }).profile;
    expect(Array.from(r.samples.values)).toEqual([2, 20]);
    expect(r.samples.labels).toEqual([[{ key: 'k', str: 'y' }]]);
  });
});

describe('regexes', () => {
  it('use RE2 syntax and reject what RE2 rejects, naming the option', () => {
    expect(compileRegex('focus', '\\pL+\\.\\(\\*T\\)').test('pkg.(*T).M')).toBe(true);
    expect(() => compileRegex('focus', '(?=x)')).toThrow(UserError);
    expect(() => compileRegex('focus', '(')).toThrow(/^parsing focus regexp: /);
  });

  it('match in linear time (no catastrophic backtracking)', () => {
    const re = compileRegex('focus', '(a+)+$');
    const t0 = performance.now();
    expect(re.test(`${'a'.repeat(30000)}b`)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('simplifyFunc and drop_frames', () => {
  it.each([
    ['foo(int)', 'foo'],
    ['.foo', 'foo'],
    ['(anonymous namespace)::f(int)', '(anonymous namespace)::f'],
    ['A::operator()(int)', 'A::operator()'],
    ['main.(*T).M', 'main.'],
  ])('%s → %s', (a, b) => expect(simplifyFunc(a)).toBe(b));

  it('removeUninteresting applies the anchored drop/keep patterns', () => {
    const p = buildProfile({
      dropFrames: 'runtime\\..*',
      keepFrames: 'runtime\\.keep',
      samples: [
        [
          ['runtime.mallocgc', 'main.f', 'main.main'],
          [1, 1],
        ],
        [
          ['runtime.keep', 'main.g', 'main.main'],
          [1, 1],
        ],
        [
          ['xruntime.mallocgc', 'main.main'],
          [1, 1],
        ],
      ],
    });
    expect(stacks(removeUninteresting(p))).toEqual([
      ['main.f', 'main.main'],
      ['runtime.keep', 'main.g', 'main.main'],
      ['xruntime.mallocgc', 'main.main'],
    ]);
  });

  it('ignores a drop_frames pattern that does not compile, as pprof does', () => {
    const p = buildProfile({
      dropFrames: '(',
      samples: [
        [
          ['a', 'b'],
          [1, 1],
        ],
      ],
    });
    expect(removeUninteresting(p)).toBe(p);
  });
});
