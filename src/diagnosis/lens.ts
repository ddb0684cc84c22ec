/**
 * The lens: which question the inputs answer, and so how the diagnoses are ranked. A heap profile
 * answers "what holds memory now": findings on in-use memory first, findings on allocation volume
 * since the process started after them. An allocs profile answers "what allocates": the reverse.
 * A CPU profile answers "what uses the CPU", a goroutine profile "where are the goroutines", and so
 * on. Several inputs of different kinds (a directory of every profile) answer "what is wrong now":
 * in-use memory, CPU, goroutines and contention first, allocation since start after.
 *
 * Environment-neutral.
 */
import type { Lens, Measure, ProfileSummary } from './report.js';

/** What a sample type measures. */
export function measureOf(sampleType: string): Measure {
  switch (sampleType) {
    case 'inuse_space':
    case 'inuse_objects':
    case 'space':
    case 'memstats':
      return 'in-use';
    case 'alloc_space':
    case 'alloc_objects':
      return 'allocated';
    case 'cpu':
    case 'samples':
      return 'cpu';
    case 'goroutine':
    case 'goroutines':
      return 'goroutines';
    case 'delay':
    case 'contentions':
      return 'contention';
    case 'threadcreate':
      return 'threads';
    default:
      return 'other';
  }
}

/** What an input measures by default: its own sample type, else its first profile kind. */
function inputMeasure(p: ProfileSummary, forced?: string): Measure {
  if (forced !== undefined && !/^\d+$/.test(forced) && p.hasStacks) {
    const m = measureOf(forced);
    if (m !== 'other') return m;
  }
  const m = measureOf(p.sampleType);
  if (m !== 'other') return m;
  const byKind: Record<string, Measure> = {
    heap: 'in-use',
    allocs: 'allocated',
    cpu: 'cpu',
    goroutine: 'goroutines',
    mutex: 'contention',
    block: 'contention',
    threadcreate: 'threads',
  };
  return byKind[p.kinds[0] ?? ''] ?? 'other';
}

/** The state now: what a directory of profiles is asked first. */
const NOW: Measure[] = ['in-use', 'cpu', 'goroutines', 'contention', 'threads'];

const SINGLE: Record<Exclude<Measure, 'other'>, { tiers: Measure[][]; what: string; after?: string }> = {
  'in-use': {
    tiers: [['in-use'], ['allocated']],
    what: 'memory in use now (heap profile',
    after: 'findings on allocation since start rank after',
  },
  allocated: {
    tiers: [['allocated'], ['in-use']],
    what: 'allocation since start (allocs profile',
    after: 'findings on memory in use now rank after',
  },
  cpu: { tiers: [['cpu']], what: 'share of CPU (CPU profile' },
  goroutines: { tiers: [['goroutines']], what: 'share of goroutines (goroutine profile' },
  contention: { tiers: [['contention']], what: 'share of contention delay (mutex/block profile' },
  threads: { tiers: [['threads']], what: 'threads created (threadcreate profile' },
};

/**
 * The lens for these inputs. `forcedSampleIndex` is the user's --sample-index (a name such as
 * alloc_space turns a heap profile into an allocation question).
 */
export function chooseLens(profiles: ProfileSummary[], forcedSampleIndex?: string): Lens {
  const measures = [...new Set(profiles.map((p) => inputMeasure(p, forcedSampleIndex)))];
  const known = measures.filter((m): m is Exclude<Measure, 'other'> => m !== 'other');
  if (known.length === 1 && measures.length === 1) {
    const kind = known[0]!;
    const s = SINGLE[kind];
    const sampleType =
      forcedSampleIndex !== undefined && !/^\d+$/.test(forcedSampleIndex) ? forcedSampleIndex : profiles[0]!.sampleType;
    return {
      kind,
      tiers: s.tiers,
      sampleType,
      text: `Ranked by ${s.what}, ${sampleType})${s.after ? `; ${s.after}` : ''}.`,
    };
  }
  // Only the measures these inputs have, so the labels name nothing that is not there.
  const now = NOW.filter((m) => measures.includes(m));
  if (now.length === 0) now.push(...known.filter((m) => m !== 'allocated'));
  const what = now.map((m) => MEASURE_WORDS[m]).join(', ');
  return {
    kind: 'combined',
    tiers: now.length ? [now, ['allocated']] : [['allocated']],
    text: now.length
      ? `Ranked by the state now across ${profiles.length} profiles (${what}); findings on allocation since start rank after.`
      : `Ranked by allocation since start across ${profiles.length} profiles.`,
  };
}

/** Index of the tier a measure is ranked in (measures the lens does not list come last). */
export function tierOf(lens: Lens, m: Measure): number {
  const i = lens.tiers.findIndex((t) => t.includes(m));
  return i < 0 ? lens.tiers.length : i;
}

const MEASURE_WORDS: Record<Measure, string> = {
  'in-use': 'memory in use now',
  allocated: 'allocated since start',
  cpu: 'CPU',
  goroutines: 'goroutines',
  contention: 'contention delay',
  threads: 'threads created',
  other: 'other samples',
};

/**
 * The label of a finding ranked outside the lens's first tier, e.g. "allocated since start
 * (alloc_space): ranked after memory in use now". Undefined for findings in the first tier.
 */
export function lensNote(lens: Lens, measures: Measure[], sampleTypes: string[]): string | undefined {
  if (measures.length === 0) return undefined;
  const tier = Math.min(...measures.map((m) => tierOf(lens, m)));
  if (tier === 0) return undefined;
  const own = measures.filter((m) => tierOf(lens, m) === tier);
  const types = [...new Set(sampleTypes.filter((t) => own.includes(measureOf(t))))];
  const first = lens.tiers[0]!.filter((m) => m !== 'threads').map((m) => MEASURE_WORDS[m]);
  return `${own.map((m) => MEASURE_WORDS[m]).join(', ')}${types.length ? ` (${types.join(', ')})` : ''}: ranked after ${first.join(', ')}`;
}
