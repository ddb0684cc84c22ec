/**
 * The order of the diagnoses: the lens (what the input is asked), the share of that measure, and
 * causes before the symptoms they explain (src/diagnosis/lens.ts, ranking.ts).
 */
import { describe, expect, it } from 'vitest';
import { chooseLens, lensNote, measureOf } from '../../src/diagnosis/lens.js';
import { rankDiagnoses } from '../../src/diagnosis/ranking.js';
import type { Diagnosis, Evidence, Measure, ProfileSummary } from '../../src/diagnosis/report.js';

function summary(sampleType: string, kinds: ProfileSummary['kinds'], name = `${sampleType}.pb.gz`): ProfileSummary {
  return {
    name,
    format: 'pprof-proto',
    kinds,
    sampleTypes: [],
    sampleType,
    unit: 'bytes',
    total: 1,
    totalText: '1B',
    hasStacks: true,
    samples: 1,
    truncated: false,
    notes: [],
  };
}

function ev(sampleType: string, cumShare: number): Evidence {
  return {
    profile: 'p',
    profileKind: 'heap',
    sampleType,
    unit: 'bytes',
    role: 'require',
    held: true,
    what: 'x',
    patterns: [],
    threshold: '',
    flat: 0,
    cum: 0,
    total: 1,
    flatShare: 0,
    cumShare,
    flatText: '',
    cumText: '',
    totalText: '',
    functions: [],
    unverified: [],
    text: '',
  };
}

/** A diagnosis that fired on `on` (sample type → cum share of its require condition). */
function diag(id: string, confidence: number, on: Record<string, number>): Diagnosis {
  const types = Object.keys(on);
  return {
    id,
    title: id,
    severity: 'warning',
    confidence,
    confidenceFactors: [],
    appliesTo: ['etcd-server'],
    firedOn: types.map((t) => ({ profile: 'p', profileKind: 'heap', sampleType: t })),
    evidence: types.map((t) => ev(t, on[t]!)),
    models: [],
    affected: null,
    affectedLabel: null,
    fixedIn: [],
    goAffected: null,
    goAffectedLabel: null,
    explanation: '',
    remediation: [],
    metrics: [],
    omitted: [],
    measures: [...new Set(types.map((t): Measure => measureOf(t)))],
    explains: [],
    references: [],
    ruleFile: '',
  };
}

const HEAP = chooseLens([summary('inuse_space', ['heap', 'allocs'])]);
const ALLOCS = chooseLens([summary('alloc_space', ['heap', 'allocs'])]);
const CPU = chooseLens([summary('cpu', ['cpu'])]);
const none = new Map<string, string[]>();

describe('the lens', () => {
  it('is the question of the input: heap, allocs, CPU, goroutines; several kinds are combined', () => {
    expect(HEAP.kind).toBe('in-use');
    expect(HEAP.text).toBe(
      'Ranked by memory in use now (heap profile, inuse_space); findings on allocation since start rank after.',
    );
    expect(ALLOCS.kind).toBe('allocated');
    expect(ALLOCS.tiers).toEqual([['allocated'], ['in-use']]);
    expect(CPU.text).toBe('Ranked by share of CPU (CPU profile, cpu).');
    expect(chooseLens([summary('goroutine', ['goroutine'])]).kind).toBe('goroutines');
    // --sample-index=alloc_space asks a heap profile what allocates
    expect(chooseLens([summary('inuse_space', ['heap', 'allocs'])], 'alloc_space').kind).toBe('allocated');
    // the same question twice is still that question
    expect(chooseLens([summary('inuse_space', ['heap'], 'a'), summary('inuse_space', ['heap'], 'b')]).kind).toBe(
      'in-use',
    );
    const dir = chooseLens([
      summary('alloc_space', ['heap', 'allocs']),
      summary('cpu', ['cpu']),
      summary('inuse_space', ['heap', 'allocs']),
    ]);
    expect(dir.kind).toBe('combined');
    expect(dir.tiers).toEqual([['in-use', 'cpu'], ['allocated']]);
    expect(dir.text).toMatch(/^Ranked by the state now across 3 profiles \(memory in use now, CPU\)/);
  });

  it('labels findings outside its first tier', () => {
    expect(lensNote(HEAP, ['allocated'], ['alloc_space'])).toBe(
      'allocated since start (alloc_space): ranked after memory in use now',
    );
    expect(lensNote(HEAP, ['in-use', 'allocated'], ['inuse_space', 'alloc_space'])).toBeUndefined();
    expect(lensNote(ALLOCS, ['in-use'], ['inuse_space'])).toBe(
      'memory in use now (inuse_space): ranked after allocated since start',
    );
  });
});

describe('ranking', () => {
  it('heap: in-use findings first, allocation findings after, whatever their confidence', () => {
    const alloc = diag('readtx-copy', 0.9, { alloc_space: 0.92 });
    const held = diag('watch-memory', 0.66, { inuse_space: 0.57 });
    const r = rankDiagnoses([alloc, held], HEAP, none);
    expect(r.map((d) => d.id)).toEqual(['watch-memory', 'readtx-copy']);
    expect(r[1]!.lensNote).toMatch(/^allocated since start/);
    expect(r[0]!.lensNote).toBeUndefined();
  });

  it('allocs: the reverse', () => {
    const r = rankDiagnoses(
      [diag('watch-memory', 0.9, { inuse_space: 0.57 }), diag('readtx-copy', 0.6, { alloc_space: 0.92 })],
      ALLOCS,
      none,
    );
    expect(r.map((d) => d.id)).toEqual(['readtx-copy', 'watch-memory']);
  });

  it('CPU: by the share of CPU, then confidence', () => {
    const r = rankDiagnoses(
      [diag('small', 0.95, { cpu: 0.05 }), diag('big', 0.6, { cpu: 0.4 }), diag('big-sure', 0.7, { cpu: 0.4 })],
      CPU,
      none,
    );
    expect(r.map((d) => d.id)).toEqual(['big-sure', 'big', 'small']);
  });

  it('combined: confidence across measures (shares of different totals do not compare)', () => {
    const dir = chooseLens([summary('inuse_space', ['heap']), summary('cpu', ['cpu'])]);
    const r = rankDiagnoses(
      [diag('cpu-big', 0.6, { cpu: 0.9 }), diag('heap-sure', 0.8, { inuse_space: 0.3 })],
      dir,
      none,
    );
    expect(r.map((d) => d.id)).toEqual(['heap-sure', 'cpu-big']);
  });

  it('a cause ranks first and its symptom follows it, even when the symptom measured more', () => {
    const gc = diag('gc-pressure', 0.74, { cpu: 0.6 });
    const cause = diag('readtx-copy', 0.7, { cpu: 0.4 });
    const other = diag('other', 0.9, { cpu: 0.5 });
    const r = rankDiagnoses([cause, other, gc], CPU, new Map([['readtx-copy', ['gc-pressure']]]));
    expect(r.map((d) => d.id)).toEqual(['readtx-copy', 'gc-pressure', 'other']);
    expect(r[0]!.explains).toEqual(['gc-pressure']);
    expect(r[1]!.explainedBy).toBe('readtx-copy');
    expect(r[2]!.explainedBy).toBeUndefined();
  });

  it('a symptom without its cause stays where it ranks; a cause that did not fire changes nothing', () => {
    const r = rankDiagnoses(
      [diag('gc-pressure', 0.74, { cpu: 0.6 }), diag('other', 0.9, { cpu: 0.1 })],
      CPU,
      new Map([['readtx-copy', ['gc-pressure']]]),
    );
    expect(r.map((d) => d.id)).toEqual(['gc-pressure', 'other']);
    expect(r.every((d) => d.explains.length === 0 && d.explainedBy === undefined)).toBe(true);
  });

  it('several causes: the symptom goes under the best-ranked one; chains nest; cycles are cut', () => {
    const explains = new Map([
      ['a', ['s']],
      ['b', ['s']],
    ]);
    const r = rankDiagnoses(
      [diag('s', 0.9, { cpu: 0.9 }), diag('b', 0.8, { cpu: 0.5 }), diag('a', 0.8, { cpu: 0.3 })],
      CPU,
      explains,
    );
    expect(r.map((d) => [d.id, d.explainedBy])).toEqual([
      ['b', undefined],
      ['s', 'b'],
      ['a', undefined],
    ]);
    const chain = rankDiagnoses(
      [diag('c', 0.9, { cpu: 0.9 }), diag('b', 0.9, { cpu: 0.5 }), diag('a', 0.9, { cpu: 0.1 })],
      CPU,
      new Map([
        ['a', ['b']],
        ['b', ['c']],
      ]),
    );
    expect(chain.map((d) => [d.id, d.explainedBy])).toEqual([
      ['a', undefined],
      ['b', 'a'],
      ['c', 'b'],
    ]);
    const cycle = rankDiagnoses(
      [diag('x', 0.9, { cpu: 0.9 }), diag('y', 0.9, { cpu: 0.5 })],
      CPU,
      new Map([
        ['x', ['y']],
        ['y', ['x']],
      ]),
    );
    expect(cycle.map((d) => [d.id, d.explainedBy])).toEqual([
      ['x', undefined],
      ['y', 'x'],
    ]);
  });
});
