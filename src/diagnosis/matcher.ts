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
 * a peek/tree report where an edge shows B calling A directly (table-edges.ts). A table's cum also
 * comes with the range the true figure lies in (`cumRange`): at most Σ cum of the matching rows
 * (a sample in two rows' cum is one sample of their union) — or the whole total when a function
 * the pattern may match can be missing from the table (a pattern that is a regex or has `{any}`,
 * `{id}`, `{n}`, or names a function the table has no row for: a cut paste or pprof's dropped
 * nodes lose rows); at least the measured cum, or 0 when a caller or label condition could not be
 * checked (the part under that caller may be anything up to the whole).
 *
 * Hot path: one pass over the column-wise sample table per condition, masks per function and per
 * location computed once per pattern set, no per-sample allocation. Environment-neutral.
 */
import { goroutineStacks, type StackGroup } from '../analysis/goroutine-stacks.js';
import {
  type FunctionNameIndex,
  type Label,
  type Profile,
  sampleTotal,
  type TableLine,
  tailBucket,
} from '../profile/model.js';
import type { CompiledPattern, Condition } from './schema.js';
import { joinNames, type NameText, nameAt, sliceNames } from './name-text.js';
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
  /** `sameStack` conditions: the stack measured (flat and cum are its figures). */
  stack?: StackGroup;
  /**
   * Where the true cum lies when the input cannot give it exactly (a pasted table): [at least, at
   * most]. Absent when `cum` is exact (stacks).
   */
  cumRange?: [number, number];
  /**
   * A pasted `list` / `weblist`: the hottest source lines of the matching functions (by flat,
   * then cum; at most HOT_LINES), in the profile's unit. Absent when the input has no lines.
   */
  lines?: TableLine[];
}

/** Source lines kept per measure (the evidence names them). */
const HOT_LINES = 3;

type MeasuredCondition = Pick<Condition, 'frame' | 'under' | 'notUnder' | 'labels' | 'sameStack'>;

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
  private readonly fnSets = new Map<string, { mask: Uint8Array; hits: number[] }>();
  private readonly locSets = new Map<string, number[]>();
  /** A mask with no function set, shared by every pattern that matches nothing (never written). */
  private noFns?: Uint8Array;
  /** Per function, the locations with a line of it: CSR (see locationsOf). */
  private fnLocs?: { start: Uint32Array; locs: Uint32Array };
  private readonly totals = new Map<number, number>();
  private fnStamp?: Int32Array;
  /** Lines of every location flattened: location i has functions lineFn[lineStart[i] .. lineStart[i+1]). */
  private flat?: { lineStart: Uint32Array; lineFn: Int32Array };
  private names?: NameText;
  /** The kernel's joined names (null: the profile has none). */
  private kernelIndex?: FunctionNameIndex | null;
  private readonly patternMasks = new Map<string, { mask: Uint8Array; hits: number[] }>();
  private fnNames?: string[];
  private fileList?: string[];
  /** Function indices by a hash of the last 3 characters of their names (see patternMask). */
  private byTail?: Map<number, number[]>;
  /** Per location, the samples whose stacks hold it (each sample once per location): CSR. */
  private locSamples?: { start: Uint32Array; samples: Uint32Array };
  /** Scratch for measure(): per-function sums and the functions touched. */
  private scratch?: { flat: Float64Array; cum: Float64Array; touched: Int32Array; sampleMark: Int32Array };
  private measureCount = 0;

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
    } else t = sampleTotal(p, sampleIndex);
    this.totals.set(sampleIndex, t);
    return t;
  }

  /**
   * Function names by index. On a profile from the decoder's WebAssembly kernel they come from its
   * columns (the string table decoded at once), so the function objects are never built.
   */
  functionNames(): string[] {
    if (this.fnNames) return this.fnNames;
    const c = this.profile.columns;
    if (c) {
      const all = c.strings();
      const ids = c.fnName;
      const out: string[] = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) out[i] = all[ids[i]!]!;
      this.fnNames = out;
    } else this.fnNames = this.profile.functions.map((f) => f.name);
    return this.fnNames;
  }

  /**
   * Function names without repeats, in order of first appearance (functionNames() through a Set).
   * The kernel has marked equal names already when every name is ASCII (fnCanon).
   */
  distinctNames(): string[] {
    const names = this.functionNames();
    const c = this.profile.columns;
    if (c?.namesAscii) {
      const out: string[] = [];
      const canon = c.fnCanon;
      for (let i = 0; i < names.length; i++) if (canon[i] === i) out.push(names[i]!);
      return out;
    }
    return [...new Set(names)];
  }

  /** The functions' file names, each once, without empty ones (columns too, as functionNames). */
  fileNames(): string[] {
    if (this.fileList) return this.fileList;
    const c = this.profile.columns;
    const out = new Set<string>();
    if (c) {
      // Strings one at a time: a profile has few file names, and decoding the whole table for
      // them would cost more than the rest of this.
      const seen = new Set<number>();
      let prev = -1;
      for (const x of c.fnFilename) {
        // Functions of one file mostly come together: most names need no Set lookup.
        if (x === prev) continue;
        prev = x;
        if (seen.has(x)) continue;
        seen.add(x);
        const f = c.string(x);
        if (f) out.add(f);
      }
    } else for (const f of this.profile.functions) if (f.filename) out.add(f.filename);
    this.fileList = [...out];
    return this.fileList;
  }

  /** 1 for every function whose name matches any of the patterns. */
  fnMask(patterns: CompiledPattern[]): Uint8Array {
    return this.fnSet(patterns).mask;
  }

  /** The functions any of the patterns match: a mask and the list (ascending). */
  private fnSet(patterns: CompiledPattern[]): { mask: Uint8Array; hits: number[] } {
    const key = patterns.length === 1 ? patterns[0]!.pattern : patterns.map((p) => p.pattern).join('\u0000');
    let r = this.fnSets.get(key);
    if (r) return r;
    if (patterns.length === 1) r = this.patternMask(patterns[0]!);
    else {
      const hits = [...new Set(patterns.flatMap((p) => this.patternMask(p).hits))].sort((x, y) => x - y);
      r = { mask: this.emptyFnMask(), hits };
      if (hits.length > 0) {
        r.mask = new Uint8Array(this.fnCount());
        for (const i of hits) r.mask[i] = 1;
      }
    }
    this.fnSets.set(key, r);
    return r;
  }

  private emptyFnMask(): Uint8Array {
    this.noFns ??= new Uint8Array(this.fnCount());
    return this.noFns;
  }

  /**
   * The functions one pattern matches (cached per pattern: rule sets share most of theirs). The 40
   * built-in rules test some 300 patterns, and most of them occur in no name of a given profile, so
   * the regex runs only on candidates:
   *  - a literal pattern (not `re:`) matches whole names, so a name it matches ends with the
   *    literal text after its last macro: with 3 characters or more of it, the candidates are the
   *    names with the same last 3 characters (one map lookup);
   *  - else, with a needle (a literal every match contains), the needle is searched in all names at
   *    once (one native indexOf over the joined names per occurrence);
   *  - else every name.
   */
  private patternMask(p: CompiledPattern): { mask: Uint8Array; hits: number[] } {
    let r = this.patternMasks.get(p.pattern);
    if (r) return r;
    const n = this.fnCount();
    r = { mask: this.emptyFnMask(), hits: [] };
    const tail = literalTail(p.pattern);
    const needle = p.needle;
    const kernelIndex = this.kernelNames();
    if (tail !== undefined && tail.length >= 3 && kernelIndex) {
      // The kernel's buckets by the last 3 characters; the joined text says which names end with the tail.
      const { text, starts, tailStart, tailFns } = kernelIndex;
      const b = tailBucket(tail);
      if (b >= 0) {
        for (let k = tailStart[b]!, e = tailStart[b + 1]!; k < e; k++) {
          const i = tailFns[k]!;
          const end = starts[i + 1]! - 1;
          if (
            end - starts[i]! >= tail.length &&
            text.startsWith(tail, end - tail.length) &&
            p.regex.test(this.nameOf(i))
          )
            r.hits.push(i);
        }
      }
    } else if (tail !== undefined && tail.length >= 3) {
      const names = this.functionNames();
      const bucket = this.tails().get(tailKey(tail));
      if (bucket) for (const i of bucket) if (names[i]!.endsWith(tail) && p.regex.test(names[i]!)) r.hits.push(i);
    } else if (needle !== undefined && needle !== '' && !needle.includes('\n')) {
      const { text, starts } = this.nameText();
      for (let at = text.indexOf(needle); at >= 0; ) {
        const i = nameAt(starts, at);
        if (p.regex.test(this.nameOf(i))) r.hits.push(i);
        // Go on in the next name: a further hit in this one could not change its bit.
        at = text.indexOf(needle, Math.max(starts[i + 1]!, at + 1));
      }
    } else {
      for (let i = 0; i < n; i++) if (p.regex.test(this.nameOf(i))) r.hits.push(i);
    }
    if (r.hits.length > 0) {
      r.hits.sort((x, y) => x - y);
      r.mask = new Uint8Array(n);
      for (const i of r.hits) r.mask[i] = 1;
    }
    this.patternMasks.set(p.pattern, r);
    return r;
  }

  /** Function indices by tailKey of their names (names under 3 characters are in no bucket). */
  private tails(): Map<number, number[]> {
    if (this.byTail) return this.byTail;
    const names = this.functionNames();
    const m = new Map<number, number[]>();
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      if (n.length < 3) continue;
      const k = tailKey(n);
      const b = m.get(k);
      if (b) b.push(i);
      else m.set(k, [i]);
    }
    this.byTail = m;
    return m;
  }

  /**
   * Every function name (functionNames(), repeats included) joined by newlines, with each name's
   * start: for native searches over all names at once (name-text.ts).
   */
  nameText(): NameText {
    if (this.names) return this.names;
    const k = this.kernelNames();
    this.names = k ? sliceNames(k.text, k.starts) : joinNames(this.functionNames());
    return this.names;
  }

  /** The decoder kernel's joined names and tail buckets, when it decoded this profile (ASCII names). */
  private kernelNames(): FunctionNameIndex | undefined {
    if (this.kernelIndex === undefined) this.kernelIndex = this.profile.columns?.nameIndex() ?? null;
    return this.kernelIndex ?? undefined;
  }

  /** How many functions the profile has (its columns' count when it has columns). */
  private fnCount(): number {
    return this.profile.columns ? this.profile.columns.fnName.length : this.profile.functions.length;
  }

  /** The name of function i, without building every name when the kernel's joined text has it. */
  private nameOf(i: number): string {
    if (this.fnNames) return this.fnNames[i]!;
    return this.nameText().name(i);
  }

  private lines(): { lineStart: Uint32Array; lineFn: Int32Array } {
    if (this.flat) return this.flat;
    const c = this.profile.columns;
    if (c) {
      // The decoder's kernel has them already (the location objects are then never built).
      this.flat = { lineStart: c.locLineStart, lineFn: c.lineFn };
      return this.flat;
    }
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

  /**
   * Per location, the samples whose stacks hold it, in ascending order (a sample once per
   * location, however often the location repeats in its stack): measure() then visits only the
   * samples that can hold A instead of walking every stack. Built on first use, in two passes.
   */
  private samplesByLocation(nLocs: number): { start: Uint32Array; samples: Uint32Array } {
    if (this.locSamples) return this.locSamples;
    const { stackStart, stack, length } = this.profile.samples;
    const last = new Int32Array(nLocs).fill(-1);
    const count = new Uint32Array(nLocs + 1);
    let total = 0;
    for (let s = 0; s < length; s++) {
      for (let k = stackStart[s]!, e = stackStart[s + 1]!; k < e; k++) {
        const l = stack[k]!;
        if (last[l] === s) continue;
        last[l] = s;
        count[l]!++;
        total++;
      }
    }
    const start = new Uint32Array(nLocs + 1);
    for (let l = 0; l < nLocs; l++) start[l + 1] = start[l]! + count[l]!;
    const fill = start.slice(0, nLocs);
    const samples = new Uint32Array(total);
    last.fill(-1);
    for (let s = 0; s < length; s++) {
      for (let k = stackStart[s]!, e = stackStart[s + 1]!; k < e; k++) {
        const l = stack[k]!;
        if (last[l] === s) continue;
        last[l] = s;
        samples[fill[l]!++] = s;
      }
    }
    this.locSamples = { start, samples };
    return this.locSamples;
  }

  /**
   * The samples whose stacks hold a location with a line of a function in `mask` (the functions
   * `patterns` match), ascending, each once: from the decoder's kernel when it holds this
   * profile's samples (one pass in WebAssembly), else through the per-location sample index.
   */
  private samplesHolding(
    patterns: CompiledPattern[],
    mask: Uint8Array,
    nLocs: number,
    sampleMark: Int32Array,
  ): Uint32Array {
    const c = this.profile.columns;
    if (c !== undefined && c.samples === this.profile.samples) return c.graph.samplesHolding(mask);
    const idx = this.samplesByLocation(nLocs);
    const mark = ++this.measureCount;
    const cand: number[] = [];
    for (const l of this.locSet(patterns)) {
      for (let k = idx.start[l]!, e = idx.start[l + 1]!; k < e; k++) {
        const s = idx.samples[k]!;
        if (sampleMark[s] === mark) continue;
        sampleMark[s] = mark;
        cand.push(s);
      }
    }
    return Uint32Array.from(cand).sort();
  }

  /** The locations with a line whose function any of the patterns match, ascending. */
  private locSet(patterns: CompiledPattern[]): number[] {
    const key = patterns.length === 1 ? patterns[0]!.pattern : patterns.map((p) => p.pattern).join('\u0000');
    let r = this.locSets.get(key);
    if (r) return r;
    const { hits } = this.fnSet(patterns);
    // Most pattern sets match no function of a given profile: then no location either.
    if (hits.length === 0) r = [];
    else {
      const { start, locs } = this.locationsOf();
      const set = new Set<number>();
      for (const fn of hits) for (let k = start[fn]!; k < start[fn + 1]!; k++) set.add(locs[k]!);
      r = [...set].sort((x, y) => x - y);
    }
    this.locSets.set(key, r);
    return r;
  }

  /** Per function, the locations that have a line of it (CSR over lines(), built once). */
  private locationsOf(): { start: Uint32Array; locs: Uint32Array } {
    if (this.fnLocs) return this.fnLocs;
    const { lineStart, lineFn } = this.lines();
    const nFns = this.fnCount();
    const nLocs = lineStart.length - 1;
    const start = new Uint32Array(nFns + 1);
    for (let j = 0; j < lineFn.length; j++) if (lineFn[j]! >= 0) start[lineFn[j]! + 1]!++;
    for (let f = 0; f < nFns; f++) start[f + 1]! += start[f]!;
    const fill = start.slice(0, nFns);
    const locs = new Uint32Array(start[nFns]!);
    for (let l = 0; l < nLocs; l++) {
      for (let j = lineStart[l]!; j < lineStart[l + 1]!; j++) {
        const fn = lineFn[j]!;
        if (fn >= 0) locs[fill[fn]!++] = l;
      }
    }
    this.fnLocs = { start, locs };
    return this.fnLocs;
  }

  /** True when any function in the profile (or any table row) matches. */
  present(patterns: CompiledPattern[]): boolean {
    const p = this.profile;
    if (!p.source.hasStacks && p.table) return p.table.rows.some((r) => patterns.some((q) => q.regex.test(r.name)));
    return this.fnSet(patterns).hits.length > 0;
  }

  /** Names of matching functions (or table rows). */
  matchingNames(patterns: CompiledPattern[]): string[] {
    const p = this.profile;
    if (!p.source.hasStacks && p.table) {
      return p.table.rows.filter((r) => patterns.some((q) => q.regex.test(r.name))).map((r) => r.name);
    }
    return this.fnSet(patterns).hits.map((i) => this.nameOf(i));
  }

  /** Measures a frame condition (`frame`, `under`, `notUnder`, `labels`) on one sample type. */
  measure(cond: MeasuredCondition, sampleIndex: number): FrameMeasure {
    const p = this.profile;
    if (!p.source.hasStacks && p.table) return this.measureTable(cond, sampleIndex);
    const total = this.total(sampleIndex);
    const frame = cond.frame ?? [];
    const labelFilters = cond.labels ? Object.entries(cond.labels) : undefined;
    const { labels } = p.samples;
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
    // Most frame conditions match no function of a given profile.
    if (this.fnSet(frame).hits.length === 0) {
      return { total, flat: 0, cum: 0, flatShare: 0, cumShare: 0, functions: [], samples: 0, unverified: [] };
    }
    const aMask = this.fnMask(frame);
    const bMask = cond.under ? this.fnMask(cond.under) : undefined;
    const nbMask = cond.notUnder ? this.fnMask(cond.notUnder) : undefined;
    const { lineStart, lineFn } = this.lines();
    const { values, stackStart, stack } = p.samples;
    const nTypes = p.sampleTypes.length;
    const nFns = this.fnCount();
    const nLocs = lineStart.length - 1;
    const sc = this.scratchFor(nFns, p.samples.length);
    const { flat: fnFlat, cum: fnCum, touched, sampleMark } = sc;
    let nTouched = 0;
    let flat = 0;
    let cum = 0;
    let samples = 0;

    const order = this.samplesHolding(frame, aMask, nLocs, sampleMark);
    const qualified: number[] | undefined = cond.sameStack ? [] : undefined;

    for (let c = 0; c < order.length; c++) {
      const s = order[c]!;
      const start = stackStart[s]!;
      const end = stackStart[s + 1]!;
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
          if (sc.stamp[fn] !== s) {
            if (sc.stamp[fn] === -1) touched[nTouched++] = fn;
            sc.stamp[fn] = s;
            fnCum[fn] += v;
          }
          if (pos === 0) fnFlat[fn] += v;
        }
      }
      if (!counted) continue;
      qualified?.push(s);
      cum += v;
      samples++;
      if (lo === 0 && hi >= 0) {
        const leafLoc = stack[start]!;
        const ls = lineStart[leafLoc]!;
        const leafFn = ls < lineStart[leafLoc + 1]! ? lineFn[ls]! : -1;
        if (leafFn >= 0 && aMask[leafFn]) flat += v;
      }
    }
    // In function order, as a scan of every function would list them.
    const fnOrder = touched.subarray(0, nTouched).sort();
    const functions: MatchedFunction[] = [];
    for (const i of fnOrder) {
      if (fnCum[i]! > 0) functions.push({ name: this.nameOf(i), flat: fnFlat[i]!, cum: fnCum[i]! });
      fnCum[i] = 0;
      fnFlat[i] = 0;
      sc.stamp[i] = -1;
    }
    functions.sort((a, b) => b.cum - a.cum || b.flat - a.flat || a.name.localeCompare(b.name));
    if (qualified) return this.largestStack(frame, sampleIndex, total, qualified);
    return {
      total,
      flat,
      cum,
      flatShare: total > 0 ? flat / total : 0,
      cumShare: total > 0 ? cum / total : 0,
      functions,
      samples,
      unverified: [],
    };
  }

  /**
   * A `sameStack` condition: the largest group of the qualifying samples with the same frames.
   * flat is its value when its leaf matches A, cum its value; `functions` are its frames from the
   * leaf (each with the group's value as cum).
   */
  private largestStack(
    frame: CompiledPattern[],
    sampleIndex: number,
    total: number,
    qualified: number[],
  ): FrameMeasure {
    const g = goroutineStacks(this.profile, sampleIndex, 1, qualified).groups[0];
    if (!g) return { total, flat: 0, cum: 0, flatShare: 0, cumShare: 0, functions: [], samples: 0, unverified: [] };
    const leaf = g.frames[0];
    const flat = leaf !== undefined && frame.some((p) => p.regex.test(leaf)) ? g.value : 0;
    return {
      total,
      flat,
      cum: g.value,
      flatShare: total > 0 ? flat / total : 0,
      cumShare: total > 0 ? g.value / total : 0,
      functions: g.frames.map((name, i) => ({ name, flat: i === 0 ? flat : 0, cum: g.value })),
      samples: 1,
      unverified: [],
      stack: g,
    };
  }

  /** measure()'s per-function sums, kept zeroed between calls (only touched entries are reset). */
  private scratchFor(
    nFns: number,
    nSamples: number,
  ): { flat: Float64Array; cum: Float64Array; touched: Int32Array; sampleMark: Int32Array; stamp: Int32Array } {
    if (!this.scratch || this.scratch.flat.length < nFns || this.scratch.sampleMark.length < nSamples) {
      this.scratch = {
        flat: new Float64Array(nFns),
        cum: new Float64Array(nFns),
        touched: new Int32Array(nFns),
        sampleMark: new Int32Array(nSamples),
      };
      this.fnStamp = new Int32Array(nFns).fill(-1);
    }
    return { ...this.scratch, stamp: this.fnStamp! };
  }

  private measureTable(cond: MeasuredCondition, sampleIndex: number): FrameMeasure {
    const t = this.profile.table!;
    const { factor } = tableUnit(t.unit);
    const total = this.total(sampleIndex);
    if (cond.sameStack) {
      // One stack's figures cannot be read from per-function rows: nothing qualifies.
      const unverified = ['one-stack figures (a pasted table has no stacks)'];
      return { total, flat: 0, cum: 0, flatShare: 0, cumShare: 0, functions: [], samples: 0, unverified };
    }
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
    // The range of the true cum (file comment).
    let rowsCum = 0;
    for (const r of t.rows) if (pats.some((q) => q.regex.test(r.name))) rowsCum += Math.abs(r.cum) * factor;
    const allNamed = pats.every((q) => namesOneFunction(q.pattern) && t.rows.some((r) => q.regex.test(r.name)));
    const upper = allNamed ? Math.min(total, Math.max(rowsCum, cum)) : Math.max(total, cum);
    const lower = unverified.length > 0 ? 0 : cum;
    // Per-line detail of a list/weblist paste: where in the matching functions the value goes.
    let lines: TableLine[] | undefined;
    if (t.lines?.length && functions.length) {
      const names = new Set(functions.map((f) => f.name));
      lines = t.lines
        .filter((l) => names.has(l.fn))
        .map((l) => ({ ...l, flat: Math.abs(l.flat) * factor, cum: Math.abs(l.cum) * factor }))
        .sort((a, b) => b.flat - a.flat || b.cum - a.cum || a.line - b.line)
        .slice(0, HOT_LINES);
    }
    return {
      total,
      flat,
      cum,
      flatShare: total > 0 ? flat / total : 0,
      cumShare: total > 0 ? cum / total : 0,
      functions,
      samples: functions.length,
      unverified,
      cumRange: [lower, upper],
      ...(lines?.length ? { lines } : {}),
    };
  }
}

/**
 * True when a pattern can match one function of a program only: a literal name whose macros stand
 * for package spellings (`{etcd}/mvcc.(*store).Range`), not a regex nor `{any}`, `{id}`, `{n}`.
 */
function namesOneFunction(pattern: string): boolean {
  return !pattern.startsWith('re:') && !/\{(?:any|id|n)\}/.test(pattern);
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

/**
 * The literal text a literal pattern ends with (after its last `{macro}`), which every name it
 * matches ends with (literal patterns are anchored at both ends); undefined for `re:` patterns.
 */
function literalTail(pattern: string): string | undefined {
  if (pattern.startsWith('re:')) return undefined;
  return pattern.slice(pattern.lastIndexOf('}') + 1);
}

/** A number from the last 3 characters of a name (≥ 3 characters): equal tails, equal keys. */
function tailKey(s: string): number {
  const n = s.length;
  return ((s.charCodeAt(n - 3) & 0x3ff) << 20) | ((s.charCodeAt(n - 2) & 0x3ff) << 10) | (s.charCodeAt(n - 1) & 0x3ff);
}
