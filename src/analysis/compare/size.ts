/**
 * Parsing `--limit` values: sizes (`8GiB`, `512MB`, `1.5G`, `800000000`) for byte-valued profiles,
 * counts (`10000`, `10k`, `2M`) for goroutines, durations (in nanoseconds) for time-valued ones. Byte units are
 * 1024-based whatever the spelling (`MB` = `MiB`), as pprof prints them. Environment-neutral.
 */
import { UserError } from '../../errors.js';
import { unitKind } from '../../profile/units.js';

const BYTES: Record<string, number> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  kb: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mb: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gb: 2 ** 30,
  gib: 2 ** 30,
  t: 2 ** 40,
  tb: 2 ** 40,
  tib: 2 ** 40,
};
const COUNTS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };
const TIMES: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9, h: 3600e9 };

/** A limit in the sample unit (`unit` is the profile's, e.g. `bytes` or `count`). Throws UserError. */
export function parseLimit(text: string, unit: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-zA-Zµ]*)\s*$/.exec(text);
  const kind = unitKind(unit);
  const table = kind === 'bytes' ? BYTES : kind === 'time' ? TIMES : COUNTS;
  const what =
    kind === 'bytes'
      ? 'a size such as 8GiB or 512MB'
      : kind === 'time'
        ? 'a duration such as 30s'
        : 'a count such as 10000 or 10k';
  if (!m) throw new UserError(`--limit: '${text}' is not ${what}`);
  const factor = table[m[2]!.toLowerCase()];
  if (factor === undefined) throw new UserError(`--limit: unknown unit '${m[2]}' in '${text}' (expected ${what})`);
  const v = Number(m[1]) * factor;
  if (!Number.isFinite(v) || v <= 0)
    throw new UserError(`--limit: '${text}' must be a positive ${kind === 'bytes' ? 'size' : 'number'}`);
  return v;
}

/** `--interval` values (`30s`, `5m`, `1h`) in seconds. Throws UserError. */
export function parseInterval(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(ms|s|m|min|h)?\s*$/.exec(text);
  if (!m) throw new UserError(`--interval: '${text}' is not a duration such as 30s, 5m or 1h`);
  const f = { ms: 1e-3, s: 1, m: 60, min: 60, h: 3600 }[m[2] ?? 's']!;
  const v = Number(m[1]) * f;
  if (!(v > 0)) throw new UserError(`--interval: '${text}' must be positive`);
  return v;
}
