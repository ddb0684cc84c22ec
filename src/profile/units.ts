/**
 * Unit scaling and number formatting with the exact rules of `go tool pprof` (Go 1.19's vendored
 * pprof, internal/measurement): which unit a value is shown in, how it is rounded, how a
 * percentage is printed. Reports that claim pprof parity format every number through here.
 *
 * Go's fmt rounds the exact binary value half-to-even (`%.2f` of 0.125 is `0.12`), where
 * `Number.prototype.toFixed` rounds ties away from zero, so the decimal expansion is computed
 * exactly (BigInt) and rounded here.
 *
 * Environment-neutral: no Node-only imports.
 */

// ---------------------------------------------------------------------------------------------
// Exact decimal formatting (Go's strconv semantics)

/** A positive decimal: value = 0.d1d2…dn × 10^dp, no leading/trailing zero digits. */
interface Decimal {
  d: string;
  dp: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const pow5Cache: bigint[] = [1n];

function pow5(k: number): bigint {
  for (let i = pow5Cache.length; i <= k; i++) pow5Cache.push(pow5Cache[i - 1]! * 5n);
  return pow5Cache[k]!;
}

/** Exact decimal expansion of a finite positive double. */
function exactDecimal(a: number): Decimal {
  if (Number.isSafeInteger(a)) {
    const s = String(a);
    return trimDecimal(s, s.length);
  }
  f64[0] = a;
  const hi = LITTLE ? u32[1]! : u32[0]!;
  const lo = LITTLE ? u32[0]! : u32[1]!;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) {
    e = -1074;
  } else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) {
    const s = (mant << BigInt(e)).toString();
    return trimDecimal(s, s.length);
  }
  const s = (mant * pow5(-e)).toString();
  return trimDecimal(s, s.length + e);
}

function trimDecimal(s: string, dp: number): Decimal {
  let start = 0;
  while (start < s.length && s.charCodeAt(start) === 48) {
    start++;
    dp--;
  }
  let end = s.length;
  while (end > start && s.charCodeAt(end - 1) === 48) end--;
  if (start === end) return { d: '', dp: 0 };
  return { d: s.slice(start, end), dp };
}

/** Rounds to `nd` digits, half to even on exact ties (Go's decimal.Round). */
function roundDecimal(x: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= x.d.length) return x;
  const c = x.d.charCodeAt(nd);
  let up: boolean;
  if (c === 53 /* '5' */ && nd + 1 === x.d.length) {
    up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = c >= 53;
  }
  if (!up) return trimDecimal(x.d.slice(0, nd), x.dp);
  // Round up: add one at position nd-1, carrying.
  let i = nd - 1;
  while (i >= 0 && x.d.charCodeAt(i) === 57 /* '9' */) i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return trimDecimal(x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), x.dp);
}

function digitAt(x: Decimal, i: number): string {
  return i >= 0 && i < x.d.length ? x.d[i]! : '0';
}

function fmtF(x: Decimal, prec: number): string {
  let out = '';
  if (x.dp > 0) {
    for (let i = 0; i < x.dp; i++) out += digitAt(x, i);
  } else {
    out = '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(x, x.dp + i - 1);
  }
  return out;
}

function fmtE(x: Decimal, prec: number): string {
  let out = x.d.length ? x.d[0]! : '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(x, i);
  }
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  let sign = '+';
  if (exp < 0) {
    sign = '-';
    exp = -exp;
  }
  return `${out}e${sign}${exp < 10 ? `0${exp}` : String(exp)}`;
}

/** Go's `fmt.Sprintf("%.<prec>f", v)`. */
export function goFixed(v: number, prec: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let body: string;
  if (Number.isSafeInteger(a)) {
    body = prec > 0 ? `${a}.${'0'.repeat(prec)}` : String(a);
  } else {
    const d = exactDecimal(a);
    body = fmtF(roundDecimal(d, d.dp + prec), prec);
  }
  return neg ? `-${body}` : body;
}

/** Go's `fmt.Sprintf("%.<prec>g", v)` (prec ≥ 1). */
export function goG(v: number, prec: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  const x = a === 0 ? { d: '', dp: 0 } : roundDecimal(exactDecimal(a), prec);
  let eprec = prec;
  if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
  const exp = x.dp - 1;
  let body: string;
  if (exp < -4 || exp >= eprec) {
    const p = Math.min(prec, x.d.length);
    body = fmtE(x, p - 1);
  } else {
    const p = prec > x.dp ? x.d.length : prec;
    body = fmtF(x, Math.max(p - x.dp, 0));
  }
  return neg ? `-${body}` : body;
}

/** Go's `%<width>s`: right-aligned, padded to `width` runes. */
export function padLeft(s: string, width: number): string {
  let n = s.length;
  if (n < width) {
    // Count code points only when there are surrogates (rare).
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) n--;
    }
  }
  return n >= width ? s : ' '.repeat(width - n) + s;
}

// ---------------------------------------------------------------------------------------------
// Units (internal/measurement)

interface Unit {
  name: string;
  aliases: string[];
  factor: number;
}
interface UnitType {
  units: Unit[];
  dflt: Unit;
}

const UNIT_TYPES: UnitType[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    dflt: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    dflt: { name: 's', aliases: [], factor: 1e9 },
  },
  {
    units: [
      { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { name: 'GCU', aliases: ['gcu'], factor: 1 },
      { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    dflt: { name: 'GCU', aliases: [], factor: 1 },
  },
];

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const sniffCache = new Map<string, { type: UnitType; unit: Unit } | null>();

/** The unit a profile's unit string stands for (case-insensitive, a trailing `s` tolerated). */
function sniffUnit(unit: string): { type: UnitType; unit: Unit } | null {
  const cached = sniffCache.get(unit);
  if (cached !== undefined) return cached;
  let u = unit.toLowerCase();
  // Go measures the length in bytes: "μs" is 3 bytes long, so its "s" is trimmed too.
  if (utf8Length(u) > 2 && u.endsWith('s')) u = u.slice(0, -1);
  let found: { type: UnitType; unit: Unit } | null = null;
  for (const type of UNIT_TYPES) {
    const hit = type.units.find((x) => x.aliases.includes(u));
    if (hit) {
      found = { type, unit: hit };
      break;
    }
  }
  sniffCache.set(unit, found);
  return found;
}

/** Kind of a sample unit: memory, time, or anything else (counts). */
export function unitKind(unit: string): 'bytes' | 'time' | 'gcu' | 'other' {
  const s = sniffUnit(unit);
  if (!s) return 'other';
  return s.type === UNIT_TYPES[0] ? 'bytes' : s.type === UNIT_TYPES[1] ? 'time' : 'gcu';
}

/**
 * pprof's `measurement.Scale`: converts `value` (in `fromUnit`) to `toUnit`, which may be a unit
 * name, `minimum`/`auto` (pick a natural unit), or a unit-less word. Returns the scaled value and
 * the unit to print ('' when uninteresting, e.g. counts).
 */
export function scale(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scale(-value, fromUnit, toUnit);
    return [-v, u];
  }
  const from = sniffUnit(fromUnit);
  if (from) {
    const ut = from.type;
    const v = value * from.unit.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      let f = 0;
      let name = '';
      for (const u of ut.units) {
        if (u.factor >= f && v / u.factor >= 1.0) {
          f = u.factor;
          name = u.name;
        }
      }
      if (f !== 0) return [v / f, name];
      return [v / ut.dflt.factor, ut.dflt.name];
    }
    // The target is looked up inside the source's unit family only; unknown → the default unit.
    const alias = normalizeAlias(toUnit);
    const to = ut.units.find((u) => u.aliases.includes(alias));
    if (!to) return [v / ut.dflt.factor, ut.dflt.name];
    return [v / to.factor, to.name];
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

function normalizeAlias(unit: string): string {
  let u = unit.toLowerCase();
  if (utf8Length(u) > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return u;
}

/** pprof's `ScaledLabel`: `%.2f` of the scaled value, a trailing `.00` dropped, unit appended. */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scale(value, fromUnit, toUnit);
  let sv = goFixed(v, 2);
  if (sv.endsWith('.00')) sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + u;
}

/** pprof's `measurement.Label`: a value in its most natural unit. */
export function autoLabel(value: number, unit: string): string {
  return scaledLabel(value, unit, 'auto');
}

/** pprof's `Percentage`: `  100%`, `%5.2f%%` from 1%, `%5.2g%%` below; always of |value/total|. */
export function percentage(value: number, total: number): string {
  let ratio = 0;
  if (total !== 0) ratio = Math.abs(value / total) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1.0) return `${padLeft(goFixed(ratio, 2), 5)}%`;
  return `${padLeft(goG(ratio, 2), 5)}%`;
}

/**
 * The unit pprof prints a report in (`selectOutputUnit` with `-unit=minimum`): the unit of the
 * smallest non-zero node value, bumped up when that value is under 1% of the total.
 * `minValue` is the smallest non-zero |flat| (or |cum| when flat is 0) over the shown rows.
 * `ratio` is pprof's -divide_by as a factor (1/divisor): both values are scaled by it first.
 */
export function selectOutputUnit(minValue: number, total: number, sampleUnit: string, ratio = 1): string {
  let min = minValue;
  let max = total;
  if (min === 0) min = max;
  if (ratio > 0 && ratio !== 1) {
    min = Math.trunc(min * ratio);
    max = Math.trunc(max * ratio);
  }
  const [, minUnit] = scale(min, sampleUnit, 'minimum');
  const [, maxUnit] = scale(max, sampleUnit, 'minimum');
  let unit = minUnit;
  if (minUnit !== maxUnit && min * 100 < max) {
    [, unit] = scale(100 * min, sampleUnit, 'minimum');
  }
  return unit !== '' ? unit : sampleUnit;
}

/**
 * Why pprof's `-unit=<unit>` will not show what was asked for on values in `sampleUnit`, or
 * undefined when it will. pprof refuses no unit: a unit of another family (`ms` for bytes) or an
 * unknown word falls back to the family's default unit (B, s, GCU), and on plain counts any word
 * but count/sample/unit is appended to each number as is. We print what pprof prints, with this
 * one-line note on stderr.
 */
export function outputUnitNote(sampleUnit: string, unit: string): string | undefined {
  if (unit === 'minimum' || unit === 'auto') return undefined;
  const from = sniffUnit(sampleUnit);
  if (from) {
    const alias = normalizeAlias(unit);
    if (from.type.units.some((u) => u.aliases.includes(alias))) return undefined;
    const names = from.type.units.map((u) => u.name).join(', ');
    return `unit '${unit}' is not one of ${names}: values in ${sampleUnit} are shown in ${from.type.dflt.name}, as go tool pprof does`;
  }
  if (unit === '' || unit === 'count' || unit === 'sample' || unit === 'unit') return undefined;
  return `unit '${unit}' does not apply to values in ${sampleUnit || 'no unit'}: go tool pprof appends it to each number unchanged, and so do we`;
}
