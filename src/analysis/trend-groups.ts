/**
 * Splits what `trend` was given into series it can read: one per member and profile kind (a folder
 * that mixes heap and goroutine profiles, or several `collect` bundles each holding every member).
 * Kinds trend does not read (CPU, mutex, block, threadcreate) are left out with a note, and a text
 * dump of the same member and kind as a proto series is left out as a duplicate. Pure code.
 */
import type { Profile } from '../profile/model.js';
import { profileKindWord } from './compare/combine.js';

export interface TrendItem {
  path: string;
  /** The member (sub-folder of a bundle), '' for a single process. */
  member: string;
  profile: Profile;
}

export interface TrendGroup {
  member: string;
  /** heap, allocs or goroutine. */
  kind: string;
  items: TrendItem[];
}

const TRENDABLE = new Set(['heap', 'allocs', 'goroutine']);

/** heap / allocs (the same data; allocs defaults to alloc_space) / goroutine / other kinds. */
export function trendKind(p: Profile): string {
  const w = profileKindWord(p);
  if (w === 'heap' && p.defaultSampleType === 'alloc_space') return 'allocs';
  return w;
}

export function groupForTrend(items: readonly TrendItem[]): { groups: TrendGroup[]; notes: string[] } {
  const notes: string[] = [];
  const byKey = new Map<string, TrendGroup & { format: string }>();
  for (const it of items) {
    const kind = trendKind(it.profile);
    if (!TRENDABLE.has(kind)) {
      notes.push(`${it.path}: a ${kind} profile; trend reads heap, allocs and goroutine profiles (left out)`);
      continue;
    }
    const format = it.profile.source.format;
    const key = `${it.member}\u0000${kind}\u0000${format}`;
    let g = byKey.get(key);
    if (!g) {
      g = { member: it.member, kind, format, items: [] };
      byKey.set(key, g);
    }
    g.items.push(it);
  }
  const groups: TrendGroup[] = [];
  for (const g of byKey.values()) {
    if (g.format !== 'pprof-proto') {
      const proto = byKey.get(`${g.member}\u0000${g.kind}\u0000pprof-proto`);
      if (proto) {
        notes.push(
          `${g.items.length} ${g.kind} text profile(s)${g.member ? ` of ${g.member}` : ''} left out: the same snapshots are in the proto series`,
        );
        continue;
      }
    }
    groups.push({ member: g.member, kind: g.kind, items: g.items });
  }
  const order = ['heap', 'allocs', 'goroutine'];
  groups.sort((a, b) => a.member.localeCompare(b.member) || order.indexOf(a.kind) - order.indexOf(b.kind));
  return { groups, notes };
}
