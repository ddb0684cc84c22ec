/**
 * Frame matching on one profile, with pprof's flat/cum semantics:
 *  - cum(A) = Σ |value| of samples whose stack holds a frame matching A, each sample once;
 *  - flat(A) = Σ |value| of samples whose leaf frame (the innermost line of the first location)
 *    matches A;
 *  - "A under B": only occurrences of A with a frame matching B rootward (a caller) in the same
 *    sample; "A notUnder B": only occurrences of A with no such caller.
 * Inlined frames are frames (a location's lines, innermost first), as pprof shows them.
 *
 * Pasted tables carry per-function rows only: flat(A) = Σ flat of matching rows (flat never
 * overlaps), cum(A) = max(largest matching cum, Σ matching flat) — a lower bound, since rows of
 * callers and callees overlap; `under` cannot be checked and is reported as unverified, except on
 * a peek/tree report where an edge shows B calling A directly (table-edges.ts).
 *
 * Hot path: one pass over the column-wise sample table per condition, masks per function and per
 * location computed once per pattern set, no per-sample allocation. Environment-neutral.
 */
import type { Label, Profile } from '../profile/model.js';
import type { CompiledPattern, Condition } from './schema.js';
import { underByEdges } from './table-edges.js';

export interface MatchedFunction {
  name: string;
  flat: number;
  cum: number;
}

export interface FrameMeasure {
  total: number;
  flat: number;
  cum: number;
  flatShare: number;
  cumShare: number;
  /** Matching functions with their own flat/cum under the same constraints, largest cum first. */
  functions: MatchedFunction[];
  /** Number of samples (stacks) counted in `cum`. */
  samples: number;
  /** Parts of the condition that could not be checked on this input, in plain words. */
  unverified: string[];
}

type LabelFilter = { regex?: RegExp; min?: number; max?: number };

const TABLE_UNIT_FACTORS: Record<string, number> = {
  b: 1,
  bytes: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  tb: 1024 ** 4,
  ns: 1,
  nanoseconds: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  seconds: 1e9,
  min: 60e9,
  mins: 60e9,
  hr: 3600e9,
  hrs: 3600e9,
};

/** Base unit of a table unit ("MB" → bytes) and the factor to get there. */
export function tableUnit(unit: string): { factor: number; base: string } {
  const u = unit.toLowerCase();
  const f = TABLE_UNIT_FACTORS[u];
  if (f === undefined) return { factor: 1, base: unit };
  if (/^(b|bytes|kb|mb|gb|tb)$/.test(u)) return { factor: f, base: 'bytes' };
  return { factor: f, base: 'nanoseconds' };
}

export class ProfileView {
  readonly profile: Profile;
  readonly name: string;
  private readonly fnMasks = new Map<string, Uint8Array>();
  private readonly locMasks = new Map<string, Uint8Array>();
  private readonly totals = new Map<number, number>();
  private fnStamp?: Int32Array;
  /** Lines of every location flattened: location i has functions lineFn[lineStart[i] .. lineStart[i+1]). */
  private flat?: { lineStart: Uint32Array; lineFn: Int32Array };
  private names?: { text: string; starts: Int32Array };
  private readonly patternMasks = new Map<string, { mask: Uint8Array; hits: number[] }>();

  constructor(profile: Profile, name: string) {
    this.profile = profile;
    this.name = name;
  }

  get hasStacks(): boolean {
    return this.profile.source.hasStacks;
  }

  /** Unit of a sample type; for tables, the base unit (bytes / nanoseconds) values are scaled to. */
  unit(sampleIndex: number): string {
    const p = this.profile;
    if (!p.source.hasStacks && p.table) return tableUnit(p.table.unit).base;
    return p.sampleTypes[sampleIndex]?.unit ?? 'count';
  }

  sampleTypeName(sampleIndex: number): string {
    const p = this.profile;
    if (!p.source.hasStacks && p.table) return p.table.sampleType ?? p.sampleTypes[0]?.type ?? 'unknown';
    return p.sampleTypes[sampleIndex]?.type ?? 'unknown';
  }

  /** pprof's total: Σ |value| over samples (tables: the header's total). */
  total(sampleIndex: number): number {
    const cached = this.totals.get(sampleIndex);
    if (cached !== undefined) return cached;
    const p = this.profile;
    let t = 0;
    if (!p.source.hasStacks && p.table) {
      const f = tableUnit(p.table.unit).factor;
      if (p.table.total !== undefined) t = p.table.total * f;
      else {
        for (const r of p.table.rows) t += Math.abs(r.flat) * f;
      }
    } else {
      const n = p.sampleTypes.length;
      const v = p.samples.values;
      for (let i = 0; i < p.samples.length; i++) t += Math.abs(v[i * n + sampleIndex]!);
    }
    this.totals.set(sampleIndex, t);
    return t;
  }

  /** 1 for every function whose name matches any of the patterns. */
  fnMask(patterns: CompiledPattern[]): Uint8Array {
    const key = patterns.map((p) => p.pattern).join('\u0000');
    let m = this.fnMasks.get(key);
    if (m) return m;
    if (patterns.length === 1) m = this.patternMask(patterns[0]!).mask;
    else {
      m = new Uint8Array(this.profile.functions.length);
      for (const p of patterns) for (const i of this.patternMask(p).hits) m[i] = 1;
    }
    this.fnMasks.set(key, m);
    return m;
  }

  /**
   * The functions one pattern matches (cached per pattern: rule sets share most of theirs). With a
   * needle, the needle is searched in all names at once (one native indexOf over the joined names
   * per occurrence) and only names holding it are tested against the regex: the 40 built-in rules
   * test some 300 patterns, and most of them occur in no name of a given profile.
   */
  private patternMask(p: CompiledPattern): { mask: Uint8Array; hits: number[] } {
    let r = this.patternMasks.get(p.pattern);
    if (r) return r;
    const fns = this.profile.functions;
    r = { mask: new Uint8Array(fns.length), hits: [] };
    const needle = p.needle;
    if (needle !== undefined && needle !== '' && !needle.includes('\n')) {
      const { text, starts } = this.joinedNames();
      for (let at = text.indexOf(needle); at >= 0; ) {
        const i = nameAt(starts, at);
        if (p.regex.test(fns[i]!.name)) r.hits.push(i);
        // Go on in the next name: a further hit in this one could not change its bit.
        at = text.indexOf(needle, Math.max(starts[i + 1]!, at + 1));
      }
    } else {
      for (let i = 0; i < fns.length; i++) if (p.regex.test(fns[i]!.name)) r.hits.push(i);
    }
    for (const i of r.hits) r.mask[i] = 1;
    this.patternMasks.set(p.pattern, r);
    return r;
  }

  /** Every function name joined by newlines, with each name's start offset (and the end). */
  private joinedNames(): { text: string; starts: Int32Array } {
    if (this.names) return this.names;
    const fns = this.profile.functions;
    const starts = new Int32Array(fns.length + 1);
    const parts: string[] = new Array(fns.length);
    let at = 0;
    for (let i = 0; i < fns.length; i++) {
      const name = fns[i]!.name;
      starts[i] = at;
      parts[i] = name;
      at += name.length + 1;
    }
    starts[fns.length] = at;
    this.names = { text: parts.join('\n'), starts };
    return this.names;
  }

  private lines(): { lineStart: Uint32Array; lineFn: Int32Array } {
    if (this.flat) return this.flat;
    const locs = this.profile.locations;
    const lineStart = new Uint32Array(locs.length + 1);
    let n = 0;
    for (let i = 0; i < locs.length; i++) {
      lineStart[i] = n;
      n += locs[i]!.lines.length;
    }
    lineStart[locs.length] = n;
    const lineFn = new Int32Array(n);
    let k = 0;
    for (const loc of locs) for (const l of loc.lines) lineFn[k++] = l.fn;
    this.flat = { lineStart, lineFn };
    return this.flat;
  }

  /** 1 for every location with a line whose function matches. */
  private locMask(patterns: CompiledPattern[]): Uint8Array {
    const key = patterns.map((p) => p.pattern).join('\u0000');
    let m = this.locMasks.get(key);
    if (m) return m;
    const fm = this.fnMask(patterns);
    const { lineStart, lineFn } = this.lines();
    const nLocs = lineStart.length - 1;
    m = new Uint8Array(nLocs);
    // Most pattern sets match no function of a given profile: then no location either.
    const none = !fm.includes(1);
    for (let i = 0; i < nLocs && !none; i++) {
      for (let j = lineStart[i]!; j < lineStart[i + 1]!; j++) {
        const fn = lineFn[j]!;
        if (fn >= 0 && fm[fn]) {
          m[i] = 1;
          break;
        }
      }
    }
    this.locMasks.set(key, m);
    return m;
  }

  /** True when any function in the profile (or any table row) matches. */
  present(patterns: CompiledPattern[]): boolean {
    const p = this.profile;
    if (!p.source.hasStacks && p.table) return p.table.rows.some((r) => patterns.some((q) => q.regex.test(r.name)));
    return this.fnMask(patterns).includes(1);
  }

  /** Names of matching functions (or table rows). */
  matchingNames(patterns: CompiledPattern[]): string[] {
    const p = this.profile;
    if (!p.source.hasStacks && p.table) {
      return p.table.rows.filter((r) => patterns.some((q) => q.regex.test(r.name))).map((r) => r.name);
    }
    const m = this.fnMask(patterns);
    const out: string[] = [];
    for (let i = 0; i < m.length; i++) if (m[i]) out.push(p.functions[i]!.name);
    return out;
  }

  /** Measures a frame condition (`frame`, `under`, `notUnder`, `labels`) on one sample type. */
  measure(cond: Pick<Condition, 'frame' | 'under' | 'notUnder' | 'labels'>, sampleIndex: number): FrameMeasure {
    const p = this.profile;
    if (!p.source.hasStacks && p.table) return this.measureTable(cond, sampleIndex);
    const total = this.total(sampleIndex);
    const frame = cond.frame ?? [];
    const aMask = this.fnMask(frame);
    const aLoc = this.locMask(frame);
    const bMask = cond.under ? this.fnMask(cond.under) : undefined;
    const nbMask = cond.notUnder ? this.fnMask(cond.notUnder) : undefined;
    const labelFilters = cond.labels ? Object.entries(cond.labels) : undefined;
    const { lineStart, lineFn } = this.lines();
    const { values, stackStart, stack, labels } = p.samples;
    const nTypes = p.sampleTypes.length;
    const nFns = p.functions.length;
    const fnFlat = new Float64Array(nFns);
    const fnCum = new Float64Array(nFns);
    if (!this.fnStamp || this.fnStamp.length < nFns) this.fnStamp = new Int32Array(nFns);
    const stamp = this.fnStamp;
    stamp.fill(-1);
    let flat = 0;
    let cum = 0;
    let samples = 0;
    const unverified: string[] = [];
    if (labelFilters && !labels) {
      // The condition needs labels this input does not carry: nothing qualifies.
      return {
        total,
        flat: 0,
        cum: 0,
        flatShare: 0,
        cumShare: 0,
        functions: [],
        samples: 0,
        unverified: ['labels (this profile carries none)'],
      };
    }
    if (!aLoc.includes(1)) {
      return { total, flat: 0, cum: 0, flatShare: 0, cumShare: 0, functions: [], samples: 0, unverified };
    }

    for (let s = 0; s < p.samples.length; s++) {
      const start = stackStart[s]!;
      const end = stackStart[s + 1]!;
      // Quick reject: no location of this stack holds A.
      let k0 = start;
      while (k0 < end && !aLoc[stack[k0]!]) k0++;
      if (k0 === end) continue;
      const v = Math.abs(values[s * nTypes + sampleIndex]!);
      if (v === 0) continue;
      if (labelFilters && labels && !labelsMatch(labels[s], labelFilters)) continue;
      // Positions of frames, leaf = 0, growing rootward. Find the extreme positions we need.
      let pos = 0;
      let minA = -1; // innermost A
      let maxA = -1; // outermost A
      let maxB = -1; // outermost B
      let maxNB = -1; // outermost notUnder-B
      for (let k = start; k < end; k++) {
        const loc = stack[k]!;
        for (let j = lineStart[loc]!, je = lineStart[loc + 1]!; j < je; j++, pos++) {
          const fn = lineFn[j]!;
          if (fn < 0) continue;
          if (aMask[fn]) {
            if (minA < 0) minA = pos;
            maxA = pos;
          }
          if (bMask?.[fn]) maxB = pos;
          if (nbMask?.[fn]) maxNB = pos;
        }
      }
      if (minA < 0) continue;
      // Which A occurrences qualify: under B ⇒ position < maxB; notUnder ⇒ position > maxNB.
      const lo = nbMask ? maxNB + 1 : 0;
      const hi = bMask ? maxB - 1 : Number.MAX_SAFE_INTEGER;
      if (maxA < lo || minA > hi) continue;
      // Attribute to each qualifying function once per sample.
      let counted = false;
      pos = 0;
      for (let k = start; k < end && pos <= hi; k++) {
        const loc = stack[k]!;
        for (let j = lineStart[loc]!, je = lineStart[loc + 1]!; j < je; j++, pos++) {
          if (pos < lo || pos > hi) continue;
          const fn = lineFn[j]!;
          if (fn < 0 || !aMask[fn]) continue;
          counted = true;
          if (stamp[fn] !== s) {
            stamp[fn] = s;
            fnCum[fn] += v;
          }
          if (pos === 0) fnFlat[fn] += v;
        }
      }
      if (!counted) continue;
      cum += v;
      samples++;
      if (lo === 0 && hi >= 0) {
        const leafLoc = stack[start]!;
        const ls = lineStart[leafLoc]!;
        const leafFn = ls < lineStart[leafLoc + 1]! ? lineFn[ls]! : -1;
        if (leafFn >= 0 && aMask[leafFn]) flat += v;
      }
    }
    const functions: MatchedFunction[] = [];
    for (let i = 0; i < nFns; i++) {
      if (fnCum[i]! > 0) functions.push({ name: p.functions[i]!.name, flat: fnFlat[i]!, cum: fnCum[i]! });
    }
    functions.sort((a, b) => b.cum - a.cum || b.flat - a.flat || a.name.localeCompare(b.name));
    return {
      total,
      flat,
      cum,
      flatShare: total > 0 ? flat / total : 0,
      cumShare: total > 0 ? cum / total : 0,
      functions,
      samples,
      unverified,
    };
  }

  private measureTable(
    cond: Pick<Condition, 'frame' | 'under' | 'notUnder' | 'labels'>,
    sampleIndex: number,
  ): FrameMeasure {
    const t = this.profile.table!;
    const { factor } = tableUnit(t.unit);
    const total = this.total(sampleIndex);
    const pats = cond.frame ?? [];
    const functions: MatchedFunction[] = [];
    let flat = 0;
    let maxCum = 0;
    for (const r of t.rows) {
      if (!pats.some((q) => q.regex.test(r.name))) continue;
      const f = Math.abs(r.flat) * factor;
      const c = Math.abs(r.cum) * factor;
      flat += f;
      if (c > maxCum) maxCum = c;
      functions.push({ name: r.name, flat: f, cum: c });
    }
    functions.sort((a, b) => b.cum - a.cum || b.flat - a.flat);
    let cum = Math.max(maxCum, flat);
    const unverified: string[] = [];
    // A peek/tree report shows direct callers: "under" holds where an edge shows it.
    const byEdges = cond.under ? underByEdges(t, pats, cond.under, factor) : undefined;
    if (byEdges) {
      flat = byEdges.flat;
      cum = byEdges.cum;
      functions.splice(0, functions.length, ...byEdges.functions);
    } else if (cond.under)
      unverified.push(`"under ${cond.under.map((u) => u.pattern).join(' | ')}" (a pasted table has no stacks)`);
    if (cond.notUnder)
      unverified.push(`"not under ${cond.notUnder.map((u) => u.pattern).join(' | ')}" (a pasted table has no stacks)`);
    if (cond.labels) unverified.push('labels (a pasted table has none)');
    return {
      total,
      flat,
      cum,
      flatShare: total > 0 ? flat / total : 0,
      cumShare: total > 0 ? cum / total : 0,
      functions,
      samples: functions.length,
      unverified,
    };
  }
}

function labelsMatch(ls: Label[] | undefined, filters: [string, LabelFilter][]): boolean {
  for (const [key, f] of filters) {
    const l = ls?.find((x) => x.key === key);
    if (!l) return false;
    if (f.regex) {
      if (l.str === undefined || !f.regex.test(l.str)) return false;
    } else {
      const n = l.num ?? (l.str !== undefined ? Number(l.str) : Number.NaN);
      if (!Number.isFinite(n)) return false;
      if (f.min !== undefined && n < f.min) return false;
      if (f.max !== undefined && n > f.max) return false;
    }
  }
  return true;
}

/** The index of the name that holds offset `at` of the joined names (starts ascending). */
function nameAt(starts: Int32Array, at: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
