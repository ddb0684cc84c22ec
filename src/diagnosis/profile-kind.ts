/**
 * Which profile kinds an input can answer for (a Go heap profile is both `heap` and `allocs`), and
 * which sample type a detector reads on it. Environment-neutral.
 */
import type { Profile } from '../profile/model.js';
import type { ProfileKind } from './schema.js';

/** Default sample types per kind, first present wins. */
const DEFAULT_TYPES: Record<ProfileKind, string[]> = {
  heap: ['inuse_space', 'space'],
  allocs: ['alloc_space'],
  cpu: ['cpu', 'samples'],
  goroutine: ['goroutine', 'goroutines'],
  mutex: ['delay', 'contentions'],
  block: ['delay', 'contentions'],
  threadcreate: ['threadcreate'],
};

function tableKinds(p: Profile): ProfileKind[] {
  const t = p.table!;
  const st = (t.sampleType ?? p.sampleTypes[0]?.type ?? '').toLowerCase();
  if (st.startsWith('inuse_')) return ['heap'];
  if (st.startsWith('alloc_')) return ['allocs'];
  if (st === 'cpu' || st === 'samples') return ['cpu'];
  if (st === 'goroutine' || st === 'goroutines') return ['goroutine'];
  if (st === 'delay' || st === 'contentions') return ['mutex', 'block'];
  if (st === 'threadcreate') return ['threadcreate'];
  const unit = t.unit.toLowerCase();
  // No sample type (a `list` report prints none): bytes are in-use or allocated space.
  if (/^(b|bytes|kb|mb|gb|tb|kib|mib|gib)$/.test(unit))
    return st === '' || st === 'unknown' ? ['heap', 'allocs'] : ['heap'];
  if (/^(ns|us|µs|ms|s|mins?|hrs?|nanoseconds|seconds)$/.test(unit)) return ['cpu'];
  return [];
}

/** The kinds this profile can be read as. */
export function profileKinds(p: Profile): ProfileKind[] {
  if (!p.source.hasStacks && p.table) return tableKinds(p);
  if (p.source.format === 'goroutine-dump') return ['goroutine'];
  const types = new Set(p.sampleTypes.map((t) => t.type));
  const kinds: ProfileKind[] = [];
  if (types.has('inuse_space') || types.has('inuse_objects') || types.has('space')) kinds.push('heap');
  if (types.has('alloc_space') || types.has('alloc_objects')) kinds.push('allocs');
  if (types.has('cpu') || (types.has('samples') && p.periodType?.type === 'cpu')) kinds.push('cpu');
  if (types.has('goroutine') || types.has('goroutines')) kinds.push('goroutine');
  if (types.has('delay') || types.has('contentions')) {
    const path = (p.source.path ?? '').toLowerCase();
    if (path.includes('mutex')) kinds.push('mutex');
    else if (path.includes('block')) kinds.push('block');
    else kinds.push('mutex', 'block');
  }
  if (types.has('threadcreate')) kinds.push('threadcreate');
  if (kinds.length === 0 && types.has('samples')) kinds.push('cpu');
  return kinds;
}

/**
 * Index of the sample type a detector reads, or -1 when the profile lacks it. `override` is the
 * detector's `sampleType` (or the user's --sample-index).
 */
export function sampleIndexFor(p: Profile, kind: ProfileKind, override?: string): number {
  if (!p.source.hasStacks && p.table) {
    // A table has one column; it answers for its own kind only.
    if (override && p.table.sampleType && override !== p.table.sampleType) return -1;
    return 0;
  }
  const names = override ? [override] : DEFAULT_TYPES[kind];
  for (const n of names) {
    const i = p.sampleTypes.findIndex((t) => t.type === n);
    if (i >= 0) return i;
  }
  if (!override && kind === 'goroutine' && p.sampleTypes.length === 1) return 0;
  return -1;
}

/** A short description: "heap (inuse_space)". */
export function describeKinds(p: Profile): string {
  const kinds = profileKinds(p);
  return kinds.length ? kinds.join('/') : 'unknown';
}
