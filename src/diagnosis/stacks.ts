/**
 * Stacks in the analysis report: the largest stacks of every goroutine input (count, share, wait
 * state), the stack a `sameStack` condition measured, and what an empty mutex or block profile
 * means. Plain data for the renderers. Environment-neutral.
 */
import { callerFrames, goroutineStacks, type StackGroup, statesText } from '../analysis/goroutine-stacks.js';
import { defaultSampleIndex } from '../profile/model.js';
import { autoLabel } from '../profile/units.js';
import { shortName } from './context.js';
import type { ProfileView } from './matcher.js';
import { profileKinds } from './profile-kind.js';
import type { StackFigure, StackTable } from './report.js';

/** Frames kept per stack in the report (a goroutine stack can be hundreds deep). */
export const MAX_STACK_FRAMES = 16;
/** Stacks listed per goroutine input. */
export const TOP_STACKS = 5;

export function stackFigure(g: StackGroup, unit: string): StackFigure {
  return {
    frames: g.frames.slice(0, MAX_STACK_FRAMES),
    moreFrames: Math.max(0, g.frames.length - MAX_STACK_FRAMES),
    value: g.value,
    share: g.share,
    valueText: autoLabel(g.value, unit),
    states: g.states,
    stateSource: g.stateSource,
    blocked: g.blocked,
  };
}

/** One line naming a stack: its caller frames, the goroutines on it, their wait state and minutes blocked. */
export function stackSummary(s: StackFigure, total: number, totalText: string, sampleType: string): string {
  const frames = callerFrames(s.frames, 3).map(shortName).join(' ← ');
  const pct = total > 0 ? `${((100 * s.value) / total).toFixed(1)}%` : '0%';
  const m = s.blocked?.maxMinutes;
  const blocked = s.blocked ? `; ${s.blocked.value} blocked ≥ 1 minute (up to ${m} minute${m === 1 ? '' : 's'})` : '';
  const goroutines = sampleType === 'goroutine' || sampleType === 'goroutines';
  const what = goroutines ? 'goroutines' : sampleType;
  const states = goroutines ? `, ${statesText(s)}` : '';
  return `${frames}: ${s.valueText} of ${totalText} ${what} (${pct})${states}${blocked}`;
}

/** The largest stacks of every goroutine input with stacks. */
export function stackTables(views: ProfileView[]): StackTable[] {
  const out: StackTable[] = [];
  for (const v of views) {
    const p = v.profile;
    if (!p.source.hasStacks || !profileKinds(p).includes('goroutine')) continue;
    const idx = defaultSampleIndex(p);
    const unit = v.unit(idx);
    const g = goroutineStacks(p, idx, TOP_STACKS);
    const dump = p.source.format === 'goroutine-dump';
    out.push({
      profile: v.name,
      sampleType: v.sampleTypeName(idx),
      unit,
      total: g.total,
      totalText: autoLabel(g.total, unit),
      distinct: g.distinct,
      rows: g.groups.map((x) => stackFigure(x, unit)),
      note: dump
        ? undefined
        : 'this format carries no wait states or minutes blocked (a debug=2 dump does): states are inferred from the runtime frames',
    });
  }
  return out;
}

/**
 * Notes on mutex and block inputs with nothing in them: the runtime records neither until the
 * program sets a rate, so an empty one almost always means profiling was never switched on.
 */
export function contentionNotes(views: ProfileView[]): string[] {
  const notes: string[] = [];
  for (const v of views) {
    const p = v.profile;
    if (!p.source.hasStacks) continue;
    const kinds = profileKinds(p);
    if (!kinds.includes('mutex') && !kinds.includes('block')) continue;
    if (p.samples.length > 0 && v.total(defaultSampleIndex(p)) > 0) continue;
    const mutex = kinds.includes('mutex');
    const block = kinds.includes('block');
    const calls = [
      mutex ? 'runtime.SetMutexProfileFraction (mutex profile)' : '',
      block ? 'runtime.SetBlockProfileRate (block profile)' : '',
    ].filter(Boolean);
    const what = mutex && block ? 'contention' : mutex ? 'mutex' : 'block';
    notes.push(
      `${v.name}: the ${what} profile is empty. The Go runtime records nothing until the program calls ${calls.join(
        ' or ',
      )} with a positive rate (both are off by default), so the program most likely never set it; ` +
        'otherwise nothing contended since the rate was set.',
    );
  }
  return notes;
}
