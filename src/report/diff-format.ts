/**
 * Number and time wording shared by the diff and trend renderings: signed values and percentages
 * in pprof's formats, short durations, snapshot times. Environment-neutral.
 */
import { percentage } from '../profile/units.js';
import { formatTime, valueFormatter } from './pprof-text.js';

/** A value in the report's unit with an explicit sign: `+5.53MB`, `-512kB`, `0`. */
export function signedValue(v: number, unit: string, outputUnit: string): string {
  const s = valueFormatter(unit, outputUnit)(v);
  return v > 0 ? `+${s}` : s;
}

/** A value in the report's unit (no sign added). */
export function plainValue(v: number, unit: string, outputUnit: string): string {
  return valueFormatter(unit, outputUnit)(v);
}

/** pprof's percentage of |v/total| with the sign put back: `+51.58%`, `-4.85%`, `0%`. */
export function signedPercent(v: number, total: number): string {
  const s = percentage(v, total).trim();
  if (s === '0%' || total === 0) return s;
  return v > 0 ? `+${s}` : v < 0 ? `-${s}` : s;
}

/** A share 0–1 as pprof prints a percentage (`63.12%`, `0.5%`): the analysis reports' wording. */
export { shareText } from './describe.js';

/** `1m40s`, `2h5m`, `3d4h`, `850ms`. */
export function durationText(ns: number): string {
  const neg = ns < 0;
  let s = Math.abs(ns) / 1e9;
  let out: string;
  if (s === 0) out = '0s';
  else if (s < 1) out = `${Math.round(s * 1000)}ms`;
  else if (s < 60) out = `${Number(s.toFixed(s < 10 ? 1 : 0))}s`;
  else {
    const parts: string[] = [];
    s = Math.round(s);
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    if (d) parts.push(`${d}d`);
    if (h) parts.push(`${h}h`);
    if (m && !d) parts.push(`${m}m`);
    if (sec && !d && !h) parts.push(`${sec}s`);
    out = parts.join('');
  }
  return neg ? `-${out}` : out;
}

/** How far the new profile is from the base in time: `5m later`, `3063d5h earlier`, `same time`. */
export function relativeTimeText(baseNanos: number, newNanos: number): string {
  const d = newNanos - baseNanos;
  if (d === 0) return 'same time';
  return `${durationText(Math.abs(d))} ${d > 0 ? 'later' : 'earlier'}`;
}

/** A snapshot time (`2026-11-21 14:37:39 UTC`), or `time unknown`. */
export function snapshotTime(timeNanos: number, tz: 'utc' | 'local' = 'utc'): string {
  return timeNanos ? formatTime(timeNanos, { timeStyle: 'new', tz }) : 'time unknown';
}

/** ISO-8601 UTC time, or null when unknown (JSON). */
export function isoTime(timeNanos: number): string | null {
  if (!timeNanos) return null;
  const d = new Date(Math.floor(timeNanos / 1e6));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Pads to a width (right-aligned), counting code points. */
export function padStart(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : ' '.repeat(width - n) + s;
}

/** Pads to a width (left-aligned), counting code points. */
export function padEnd(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : s + ' '.repeat(width - n);
}
