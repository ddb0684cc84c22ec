/**
 * Reading numbers back from `go tool pprof` text output. Environment-neutral.
 *
 * pprof prints a value scaled to a unit with `%.2f`, a trailing `.00` dropped, and the unit glued
 * on (`7156.71MB`, `10ms`, `0`). Memory units are binary (kB = 1024). Time units are `ns us ms s
 * hrs` in current pprof (internal/measurement); pprof releases before 2019 printed `mins`, `hrs`,
 * `days`, `wks`, `yrs` for long durations (a year = 365 days), which is what older pastes show.
 * Count-like units print bare numbers.
 */

export type Dimension = 'bytes' | 'nanoseconds' | 'count';

const BYTES: Record<string, number> = {
  B: 1,
  kB: 2 ** 10,
  KB: 2 ** 10,
  MB: 2 ** 20,
  GB: 2 ** 30,
  TB: 2 ** 40,
  PB: 2 ** 50,
};

const NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  sec: 1e9,
  min: 60e9,
  mins: 60e9,
  hr: 3600e9,
  hrs: 3600e9,
  day: 86400e9,
  days: 86400e9,
  wk: 7 * 86400e9,
  wks: 7 * 86400e9,
  yr: 365 * 86400e9,
  yrs: 365 * 86400e9,
};

const VALUE_RE = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)([A-Za-zµμ]*)$/;
const PERCENT_RE = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)%$/;

export interface ParsedValue {
  /** In base units: bytes, nanoseconds or a count. */
  value: number;
  /** `undefined` for a bare number (a count, or a zero of any unit). */
  dimension?: Dimension;
}

/** Parses `7156.71MB`, `34.54mins`, `10ms`, `123`; `undefined` if not a pprof value. */
export function parseValue(token: string): ParsedValue | undefined {
  const m = VALUE_RE.exec(token);
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = m[2]!;
  // `1e999MB` is not a value pprof prints (and would become Infinity).
  if (!Number.isFinite(n)) return undefined;
  if (u === '') return { value: n };
  const f = u in BYTES ? BYTES[u]! : u in NANOS ? NANOS[u]! : 0;
  const v = Math.round(n * f);
  if (f === 0 || !Number.isFinite(v)) return undefined;
  return { value: v, dimension: u in BYTES ? 'bytes' : 'nanoseconds' };
}

/** Parses `63.56%`, `0.0089%`, `1e-05%`; `undefined` if not a percentage. */
export function parsePercent(token: string): number | undefined {
  const m = PERCENT_RE.exec(token);
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The unit a sample type's values are in, from its name; `undefined` when the name does not say. */
export function dimensionOfType(type: string): Dimension | undefined {
  const t = type.replace(/^(mean|total)_/, '');
  if (/space|bytes|memory/.test(t)) return 'bytes';
  if (/^(cpu|delay|wall|time|nanoseconds|duration|lock_time)$/.test(t)) return 'nanoseconds';
  if (/^(samples|objects|alloc_objects|inuse_objects|count|contentions|goroutine|threadcreate|thread)$/.test(t)) {
    return 'count';
  }
  return undefined;
}
