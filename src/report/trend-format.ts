/**
 * Bits shared by the trend renderings: sparklines, slope and verdict wording. Environment-neutral.
 */
import type { TrendGroups } from '../analysis/trend-groups.js';
import type { TrendEntry, TrendReport } from '../analysis/trend.js';
import { plainValue, signedValue, snapshotTime } from './diff-format.js';

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A Unicode sparkline, one character per snapshot, scaled from min(0, values) to the row's
 * maximum (so a small wobble on a large value stays flat).
 */
export function sparkline(values: readonly number[]): string {
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values);
  if (hi === lo) return BARS[0]!.repeat(values.length);
  return values.map((v) => BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]!).join('');
}

/** `+198.52MB/h` or `+12/snapshot`. */
export function slopeText(e: TrendEntry, unit: string): string {
  if (e.stats.slopePerHour !== null) return `${signedValue(e.stats.slopePerHour, unit, 'auto')}/h`;
  return `${signedValue(e.stats.slopePerSnapshot, unit, 'auto')}/snapshot`;
}

/** `1.51MB → 7.04MB`. */
export function rangeText(e: TrendEntry, unit: string): string {
  return `${plainValue(e.stats.first, unit, 'auto')} → ${plainValue(e.stats.last, unit, 'auto')}`;
}

export function r2Text(e: TrendEntry): string {
  return e.stats.r2.toFixed(2);
}

export function confidenceText(e: TrendEntry): string {
  return e.verdict === 'leak' || e.verdict === 'bounded' ? `${Math.round(100 * e.confidence)}%` : '';
}

/** How the snapshots were ordered, in words. */
export function orderText(r: TrendReport): string {
  switch (r.order) {
    case 'time':
      return 'ordered by the time each profile was taken (time_nanos)';
    case 'interval':
      return 'in the order given, spaced by --interval (the profiles carry no time)';
    default:
      return 'in the order given (the profiles carry no time: slopes are per snapshot)';
  }
}

/** A stack as `leaf ← caller ← …` with at most `n` frames. */
export function stackText(frames: readonly string[], n = 4): string {
  if (frames.length === 0) return '<no stack>';
  return frames.slice(0, n).join(' ← ') + (frames.length > n ? ` ← … (${frames.length - n} more)` : '');
}

/** `8GB reached in about 14 h (2026-11-22 04:12:50 UTC) at the current slope of +602MB/h`. */
export function projectionText(r: TrendReport, tz: 'utc' | 'local' = 'utc'): string {
  const p = r.projection;
  if (!p) return '';
  const limit = plainValue(p.limit, r.unit, 'auto');
  if (p.status === 'reached') return `${limit}: already reached (${plainValue(p.current, r.unit, 'auto')} now)`;
  if (p.status === 'not-approaching') return `${limit}: ${p.text}`;
  const at = p.atNanos ? ` (${snapshotTime(Math.round(p.atNanos), tz)})` : '';
  const slope = p.slopePerHour !== null ? ` of ${signedValue(p.slopePerHour, r.unit, 'auto')}/h` : '';
  return `${limit} reached ${p.text}${at} at the current slope${slope}${p.caveat ? `; but ${p.caveat}` : ''}`;
}

/** The one trend of a run that has nothing else to say (rendered as a single trend), or null. */
export function onlyTrend(g: TrendGroups): TrendReport | null {
  const [first] = g.groups;
  if (g.groups.length !== 1 || !first?.report || first.note || g.notes.length) return null;
  return first.report;
}

/** Files listed for a group that has no trend. */
export const FILES_SHOWN = 10;

/** `5 profiles` / `1 profile`. */
export function profilesText(n: number): string {
  return `${n} ${n === 1 ? 'profile' : 'profiles'}`;
}

/** What the summary covers: `4 groups (profile kind × member), 3 trended`. */
export function groupsHeading(g: TrendGroups): string {
  const members = g.groups.some((x) => x.member !== null);
  return `${g.groups.length} ${g.groups.length === 1 ? 'group' : 'groups'} (profile kind${members ? ' × member' : ''}), ${g.trended} trended`;
}
