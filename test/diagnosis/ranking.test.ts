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

describe('what the input cannot tell (share ranges of a pasted table)', () => {
  /** As diag(), with the cpu share measured as `cum` in the range [lo, hi]. */
  const ranged = (id: string, confidence: number, cum: number, lo: number, hi: number) => {
    const d = diag(id, confidence, { cpu: cum });
    d.evidence[0]!.cumShareRange = [lo, hi];
    return d;
  };

  it('exact shares (stacks): ranked by them, nothing undecided; every finding carries its share', () => {
    const r = rankDiagnoses([diag('a', 0.6, { cpu: 0.52 }), diag('b', 0.9, { cpu: 0.51 })], CPU, none);
    expect(r.map((d) => d.id)).toEqual(['a', 'b']);
    expect(r[0]!.undecidedWith).toBeUndefined();
    expect(r.map((d) => d.rankShare)).toEqual([
      [0.52, 0.52],
      [0.51, 0.51],
    ]);
  });

  it('a range overlapping the first one: the first says it cannot be told apart from it', () => {
    // The readtx-copy / gc-pressure / lease keep-alive case of a pasted top table: gc-pressure's
    // patterns span many functions, so its share is 51 % to 100 %; the cause ranks at its place.
    const gc = ranged('gc-pressure', 0.52, 0.51, 0.51, 1);
    const cause = ranged('readtx-copy', 0.5, 0.4, 0, 0.4);
    const lease = diag('lease', 0.58, { cpu: 0.524 });
    const far = ranged('far', 0.9, 0.05, 0.05, 0.1);
    const r = rankDiagnoses([cause, lease, gc, far], CPU, new Map([['readtx-copy', ['gc-pressure']]]));
    expect(r.map((d) => d.id)).toEqual(['lease', 'readtx-copy', 'gc-pressure', 'far']);
    expect(r[0]!.undecidedWith).toEqual(['readtx-copy']);
    expect(r[1]!.rankShare).toEqual([0.51, 1]);
    expect(r[1]!.undecidedWith).toBeUndefined();
  });

  it('near miss: ranges that do not reach the first one decide nothing', () => {
    const r = rankDiagnoses(
      [diag('lease', 0.58, { cpu: 0.524 }), ranged('gc', 0.9, 0.3, 0.3, 0.5), ranged('copy', 0.9, 0.2, 0, 0.2)],
      CPU,
      none,
    );
    expect(r[0]!.id).toBe('lease');
    expect(r[0]!.undecidedWith).toBeUndefined();
  });
});
