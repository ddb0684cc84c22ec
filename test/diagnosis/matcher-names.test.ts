/**
 * ProfileView.fnMask finds the functions a rule pattern matches by searching its needle in all names
 * at once: it must give exactly what testing every name against the regex gives, however the needle
 * falls (twice in one name, at a name's start or end, across two adjacent names, in no name).
 */
import { describe, expect, it } from 'vitest';
import { ProfileView } from '../../src/diagnosis/matcher.js';
import { compilePattern, patternNeedle } from '../../src/diagnosis/patterns.js';
import type { CompiledPattern } from '../../src/diagnosis/schema.js';
import { buildProfile } from '../helpers/build-profile.js';

const NAMES = [
  'go.etcd.io/etcd/mvcc.(*watchableStore).watch',
  'github.com/coreos/etcd/mvcc.(*watchableStore).watch',
  'main.watchwatch', // the needle twice
  'watch', // the needle is the whole name
  'main.fooWatc', // with the next name, "fooWatch" across a name boundary in the joined text
  'h.main',
  'runtime.mallocgc',
  'google.golang.org/grpc/internal/transport.(*recvBuffer).put',
  '',
];

function pattern(p: string): CompiledPattern {
  return { pattern: p, regex: compilePattern(p), needle: patternNeedle(p) };
}

function naive(names: string[], ps: CompiledPattern[]): number[] {
  return names.map((n) => (ps.some((p) => p.regex.test(n)) ? 1 : 0));
}

describe('ProfileView.fnMask', () => {
  const profile = buildProfile({
    sampleTypes: [['samples', 'count']],
    samples: NAMES.filter((n) => n !== '').map((n) => ({ stack: [n], values: [1] })),
  });
  const names = profile.functions.map((f) => f.name);

  it.each([
    ['watch'],
    ['{any}watch{any}'],
    ['{any}.watchwatch'],
    ['{etcd}mvcc.(*watchableStore).watch'],
    ['{any}fooWatch{any}'],
    ['{any}fooWatch'],
    ['{any}(*recvBuffer).put'],
    ['runtime.mallocgc'],
    ['absent.function.name'],
    ['re:^main\\.'],
  ])('%s: same functions as testing every name', (p) => {
    const ps = [pattern(p)];
    expect(Array.from(new ProfileView(profile, 'p').fnMask(ps))).toEqual(naive(names, ps));
  });

  it('a set of patterns is the union of theirs, and cached results stay right', () => {
    const view = new ProfileView(profile, 'p');
    const a = [pattern('{any}watch{any}')];
    const b = [pattern('runtime.mallocgc'), pattern('{any}(*recvBuffer).put')];
    const ab = [...a, ...b];
    expect(Array.from(view.fnMask(ab))).toEqual(naive(names, ab));
    expect(Array.from(view.fnMask(a))).toEqual(naive(names, a));
    expect(Array.from(view.fnMask(b))).toEqual(naive(names, b));
    expect(view.fnMask(ab).filter((x) => x === 1).length).toBeGreaterThan(3);
  });
});
