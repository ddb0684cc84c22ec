/**
 * Version ranges: intersection, containment, and a short label for display. Ranges are semver range
 * strings ("<3.1.19 || >=3.2.0 <3.2.24"). Environment-neutral.
 */
import semver from 'semver';

interface Bound {
  v: string;
  incl: boolean;
}
interface Interval {
  lo?: Bound;
  hi?: Bound;
}

function intervalsOf(range: string): Interval[] {
  const r = new semver.Range(range);
  const out: Interval[] = [];
  for (const set of r.set) {
    const iv: Interval = {};
    let empty = false;
    for (const c of set) {
      if (c.operator === '') {
        if (c.value === '') continue; // "*" (semver's ANY comparator)
        // exact version
        const v = c.semver.version;
        tightenLo(iv, { v, incl: true });
        tightenHi(iv, { v, incl: true });
        continue;
      }
      const v = c.semver.version;
      if (c.operator === '>=') tightenLo(iv, { v, incl: true });
      else if (c.operator === '>') tightenLo(iv, { v, incl: false });
      else if (c.operator === '<=') tightenHi(iv, { v, incl: true });
      else if (c.operator === '<') {
        // "<0.0.0-0" is how semver writes "nothing"
        if (v === '0.0.0-0') empty = true;
        tightenHi(iv, { v, incl: false });
      }
    }
    if (!empty && !isEmpty(iv)) out.push(iv);
  }
  return out;
}

function tightenLo(iv: Interval, b: Bound): void {
  if (!iv.lo) iv.lo = b;
  else {
    const c = semver.compare(b.v, iv.lo.v);
    if (c > 0 || (c === 0 && !b.incl)) iv.lo = b;
  }
}
function tightenHi(iv: Interval, b: Bound): void {
  if (!iv.hi) iv.hi = b;
  else {
    const c = semver.compare(b.v, iv.hi.v);
    if (c < 0 || (c === 0 && !b.incl)) iv.hi = b;
  }
}
function isEmpty(iv: Interval): boolean {
  if (!iv.lo || !iv.hi) return false;
  const c = semver.compare(iv.lo.v, iv.hi.v);
  return c > 0 || (c === 0 && !(iv.lo.incl && iv.hi.incl));
}

function intervalToRange(iv: Interval): string {
  if (iv.lo && iv.hi && iv.lo.incl && iv.hi.incl && iv.lo.v === iv.hi.v) return iv.lo.v;
  const parts: string[] = [];
  if (iv.lo) parts.push(`${iv.lo.incl ? '>=' : '>'}${iv.lo.v}`);
  if (iv.hi) parts.push(`${iv.hi.incl ? '<=' : '<'}${iv.hi.v}`);
  return parts.length ? parts.join(' ') : '*';
}

/** The intersection of two ranges, or null when they share no version. */
export function intersect(a: string, b: string): string | null {
  const out: string[] = [];
  for (const x of intervalsOf(a)) {
    for (const y of intervalsOf(b)) {
      const iv: Interval = { lo: x.lo, hi: x.hi };
      if (y.lo) tightenLo(iv, y.lo);
      if (y.hi) tightenHi(iv, y.hi);
      if (!isEmpty(iv)) out.push(intervalToRange(iv));
    }
  }
  return out.length ? out.join(' || ') : null;
}

/** True when every version in `inner` is in `outer`. */
export function isSubset(inner: string, outer: string): boolean {
  return semver.subset(inner, outer);
}

/** True when the ranges share at least one version. */
export function overlaps(a: string, b: string): boolean {
  return intersect(a, b) !== null;
}

/** The last version below an exclusive upper bound, for display: <3.2.24 → 3.2.23, <1.16.0 → 1.15.x. */
function below(v: string): string | null {
  const h = semver.parse(v);
  if (!h) return null;
  if (h.patch > 0) return `${h.major}.${h.minor}.${h.patch - 1}`;
  if (h.minor > 0) return `${h.major}.${h.minor - 1}.x`;
  return null;
}

/** Short human label: "3.4.23", "3.4.x", "3.4.2 – 3.4.x", "3.2.0 – 3.2.23", "≥ 3.5.0", "≤ 3.3.13". */
export function rangeLabel(range: string): string {
  const ivs = intervalsOf(range);
  if (ivs.length === 0) return 'none';
  return ivs
    .map((iv) => {
      const { lo, hi } = iv;
      if (lo && hi && lo.incl && hi.incl && lo.v === hi.v) return lo.v;
      // >=3.5.16 <3.5.17: one release
      if (lo && hi && lo.incl && !hi.incl && below(hi.v) === lo.v) return lo.v;
      const loText = lo ? (lo.incl ? lo.v : `> ${lo.v}`) : undefined;
      const hiText = hi ? (hi.incl ? hi.v : below(hi.v)) : undefined;
      if (lo && hi && lo.incl && !hi.incl) {
        const l = semver.parse(lo.v)!;
        const h = semver.parse(hi.v)!;
        if (h.patch === 0 && h.major === l.major && h.minor === l.minor + 1 && l.patch === 0)
          return `${l.major}.${l.minor}.x`;
      }
      if (loText && hiText) return `${loText} – ${hiText}`;
      if (loText) return lo!.incl ? `≥ ${lo!.v}` : `> ${lo!.v}`;
      if (hi) return hiText ? `≤ ${hiText}` : `< ${hi.v}`;
      return 'any';
    })
    .join(' or ');
}

/** Normalises a user-typed version ("3.4", "v3.5.9", "go1.12") to a semver range. */
export function versionToRange(text: string): string | null {
  const t = text.trim().replace(/^(v|go)/i, '');
  if (semver.valid(t)) return t;
  const m = /^(\d+)\.(\d+)$/.exec(t);
  if (m) return `>=${m[1]}.${m[2]}.0 <${m[1]}.${Number(m[2]) + 1}.0`;
  const c = semver.validRange(t);
  return c ? t : null;
}
