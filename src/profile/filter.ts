/**
 * Sample and frame filters with `go tool pprof` semantics (profile/filter.go, profile/prune.go of
 * Go 1.19's vendored pprof):
 *
 *  - `removeUninteresting`: the profile's own drop_frames / keep_frames (applied at load time by
 *    pprof, before the total is computed);
 *  - `filterProfile`: focus / ignore / hide / show, then show_from, then the tag filters
 *    (tagfocus / tagignore on samples, tagshow / taghide on label keys), then prune_from — the
 *    order pprof's `applyFocus` (internal/driver/driver_focus.go) uses.
 *
 * All user patterns are Go RE2 syntax, compiled once by the regex engine (re2js, registered by
 * ./regex.ts: linear time, so a hostile pattern cannot hang the tool). Each regex is run at most
 * once per function name, file name and mapping file, never per sample. Filters never mutate
 * their input: they return a new Profile sharing the untouched parts (functions, mappings,
 * unchanged locations).
 *
 * The engine is registered rather than imported so that commands which need no regex do not pay
 * for loading it (importing ./regex.js, or the package entry, registers it).
 *
 * Environment-neutral: no Node-only imports.
 */
import { UserError } from '../errors.js';
import { patternOverBudget } from './pattern-budget.js';
import type { Label, Line, Location, Profile, SampleTable } from './model.js';
import { scale } from './units.js';

/** A compiled pattern; `test` is an unanchored search, like Go's `MatchString`. */
export interface Matcher {
  readonly source: string;
  test(s: string): boolean;
}

/** Compiles a pattern or throws an Error whose message says what is wrong with it. */
export type RegexEngine = (pattern: string) => Matcher;

let engine: RegexEngine | undefined;

/** Installs the regex engine (./regex.ts does this when imported). */
export function setRegexEngine(e: RegexEngine): void {
  engine = e;
}

function currentEngine(): RegexEngine {
  if (!engine) throw new Error("no regex engine: import 'src/profile/regex.js' (or the package entry) first");
  return engine;
}

/** Compiles a user pattern (RE2 syntax). A bad pattern is a UserError naming the option. */
export function compileRegex(option: string, pattern: string): Matcher {
  const compile = currentEngine();
  const over = patternOverBudget(pattern);
  if (over) throw new UserError(`parsing ${option} regexp: ${over}`);
  try {
    return compile(pattern);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new UserError(`parsing ${option} regexp: ${msg}`);
  }
}

/** Same as compileRegex, but returns undefined instead of throwing. */
function tryCompile(pattern: string): Matcher | undefined {
  const compile = currentEngine();
  if (patternOverBudget(pattern)) return undefined;
  try {
    return compile(pattern);
  } catch {
    return undefined;
  }
}

/** Whether filtering `p` with `f` will compile a regex (so the engine must be loaded). */
export function needsRegexEngine(p: Profile, f: NameFilters & { allFrames?: boolean }): boolean {
  return !!(
    f.focus ||
    f.ignore ||
    f.hide ||
    f.show ||
    f.showFrom ||
    f.pruneFrom ||
    f.tagFocus ||
    f.tagIgnore ||
    f.tagShow ||
    f.tagHide ||
    (p.dropFrames && !f.allFrames)
  );
}

/** Options of `filterProfile`; each is a regex, unset or '' = off. */
export interface NameFilters {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  showFrom?: string;
  pruneFrom?: string;
  /**
   * pprof's -tagfocus / -tagignore: keep / drop samples by label. `[key=]regex[,regex…]` for
   * string labels, `[key=]range` for numeric ones (`4kb`, `1kb:`, `:64b`, `1mb:2mb`).
   */
  tagFocus?: string;
  tagIgnore?: string;
  /** pprof's -tagshow / -taghide: keep / remove labels whose key matches the regex. */
  tagShow?: string;
  tagHide?: string;
}

/** Which filters matched something (pprof warns "<Option> expression matched no samples"). */
export interface FilterMatches {
  focus?: boolean;
  ignore?: boolean;
  hide?: boolean;
  show?: boolean;
  showFrom?: boolean;
  tagFocus?: boolean;
  tagIgnore?: boolean;
  tagShow?: boolean;
  tagHide?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Working state: per-location lines, and a sample table under construction.

/** Per function / mapping memo of one regex's verdict (-1 unknown, 0 no, 1 yes). */
class NameMatcher {
  private readonly fnMemo: Int8Array;
  private readonly mapMemo: Int8Array;
  constructor(
    private readonly p: Profile,
    private readonly re: Matcher,
  ) {
    this.fnMemo = new Int8Array(p.functions.length).fill(-1);
    this.mapMemo = new Int8Array(p.mappings.length).fill(-1);
  }
  /** Function name or file name matches. */
  fn(i: number): boolean {
    if (i < 0) return false;
    let v = this.fnMemo[i]!;
    if (v < 0) {
      const f = this.p.functions[i]!;
      v = this.re.test(f.name) || this.re.test(f.filename) ? 1 : 0;
      this.fnMemo[i] = v;
    }
    return v === 1;
  }
  /** The mapping's file matches (mapping -1 = none, never matches). */
  mapping(i: number): boolean {
    if (i < 0) return false;
    let v = this.mapMemo[i]!;
    if (v < 0) {
      v = this.re.test(this.p.mappings[i]!.file) ? 1 : 0;
      this.mapMemo[i] = v;
    }
    return v === 1;
  }
  /** pprof's Location.matchesName: any line's function or file, or the mapping file. */
  location(lines: Line[], mapping: number): boolean {
    for (const ln of lines) if (this.fn(ln.fn)) return true;
    return this.mapping(mapping);
  }
}

/** Builds a new sample table from kept samples, each with a [start, end) slice of `stack`. */
class SampleBuilder {
  private values: Float64Array;
  private stackStart: Uint32Array;
  private stack: Uint32Array;
  private labels: SampleTable['labels'];
  private n = 0;
  private top = 0;
  constructor(
    private readonly src: SampleTable,
    private readonly nTypes: number,
  ) {
    this.values = new Float64Array(src.length * nTypes);
    this.stackStart = new Uint32Array(src.length + 1);
    this.stack = new Uint32Array(src.stack.length);
    this.labels = src.labels ? [] : undefined;
  }
  /** Keeps sample `i` with `locs` (location indices, leaf first). */
  push(i: number, locs: ArrayLike<number>, from = 0, to = locs.length): void {
    const nT = this.nTypes;
    for (let k = 0; k < nT; k++) this.values[this.n * nT + k] = this.src.values[i * nT + k]!;
    this.stackStart[this.n] = this.top;
    if (this.top + (to - from) > this.stack.length) {
      const grown = new Uint32Array(Math.max(this.stack.length * 2, this.top + (to - from)));
      grown.set(this.stack);
      this.stack = grown;
    }
    for (let j = from; j < to; j++) this.stack[this.top++] = locs[j]!;
    if (this.labels) this.labels.push(this.src.labels![i]);
    this.n++;
  }
  build(): SampleTable {
    this.stackStart[this.n] = this.top;
    return {
      length: this.n,
      values: this.values.subarray(0, this.n * this.nTypes),
      stackStart: this.stackStart.subarray(0, this.n + 1),
      stack: this.stack.subarray(0, this.top),
      labels: this.labels,
    };
  }
}

function withLines(p: Profile, lines: (Line[] | undefined)[]): Location[] {
  let changed = false;
  const out = p.locations.map((l, i) => {
    const ls = lines[i];
    if (ls === undefined || ls === l.lines) return l;
    changed = true;
    return { ...l, lines: ls };
  });
  return changed ? out : p.locations;
}

// ---------------------------------------------------------------------------------------------
// drop_frames / keep_frames

/**
 * pprof's `simplifyFunc`: drops a leading '.', and an argument list starting at the first '('
 * that does not belong to "(anonymous namespace)" or "operator()".
 */
export function simplifyFunc(name: string): string {
  const s = name.startsWith('.') ? name.slice(1) : name;
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('(anonymous namespace)', i)) {
      i += '(anonymous namespace)'.length;
      continue;
    }
    if (s.startsWith('operator()', i)) {
      i += 'operator()'.length;
      continue;
    }
    if (s.charCodeAt(i) === 40 /* ( */) return s.slice(0, i);
    i++;
  }
  return s;
}

/**
 * pprof's `Prune`: in each sample, removes every frame beneath (leafward of) a frame whose
 * simplified function name fully matches `drop` and not `keep`, along with that frame —
 * except frames before the first frame that is not pruned (scanning from the root).
 */
export function pruneFrames(p: Profile, drop: Matcher, keep?: Matcher): Profile {
  const nLoc = p.locations.length;
  const prune = new Uint8Array(nLoc);
  const pruneBeneath = new Uint8Array(nLoc);
  const newLines: (Line[] | undefined)[] = new Array(nLoc);
  const fnMemo = new Int8Array(p.functions.length).fill(-1);
  const dropsFn = (fi: number): boolean => {
    let v = fnMemo[fi]!;
    if (v < 0) {
      const name = simplifyFunc(p.functions[fi]!.name);
      v = drop.test(name) && !keep?.test(name) ? 1 : 0;
      fnMemo[fi] = v;
    }
    return v === 1;
  };
  let any = false;
  for (let li = 0; li < nLoc; li++) {
    const lines = p.locations[li]!.lines;
    let i = lines.length - 1;
    for (; i >= 0; i--) {
      const fi = lines[i]!.fn;
      if (fi >= 0 && p.functions[fi]!.name !== '' && dropsFn(fi)) break;
    }
    if (i >= 0) {
      any = true;
      pruneBeneath[li] = 1;
      if (i === lines.length - 1) prune[li] = 1;
      else newLines[li] = lines.slice(i + 1);
    }
  }
  if (!any) return p;

  const s = p.samples;
  const b = new SampleBuilder(s, p.sampleTypes.length);
  for (let i = 0; i < s.length; i++) {
    const start = s.stackStart[i]!;
    const end = s.stackStart[i + 1]!;
    let from = start;
    let foundUser = false;
    for (let j = end - 1; j >= start; j--) {
      const id = s.stack[j]!;
      if (!prune[id] && !pruneBeneath[id]) {
        foundUser = true;
        continue;
      }
      if (!foundUser) continue;
      if (prune[id]) {
        from = j + 1;
        break;
      }
      if (pruneBeneath[id]) {
        from = j;
        break;
      }
    }
    b.push(i, s.stack, from, end);
  }
  return { ...p, locations: withLines(p, newLines), samples: b.build() };
}

/**
 * pprof's `RemoveUninteresting`: applies the profile's drop_frames / keep_frames (both anchored).
 * A drop_frames pattern that does not compile is ignored, as pprof does; so is one over the
 * compile budget (pattern-budget.ts), with a note, because the profile carries it.
 */
export function removeUninteresting(p: Profile): Profile {
  if (!p.dropFrames) return p;
  const dropOver = patternOverBudget(p.dropFrames);
  const keepOver = p.keepFrames ? patternOverBudget(p.keepFrames) : undefined;
  if (dropOver || keepOver) {
    const which = dropOver ? 'drop_frames' : 'keep_frames';
    const note = `the profile's ${which} was ignored: ${dropOver ?? keepOver}`;
    if (p.source.notes.includes(note)) return p;
    return { ...p, source: { ...p.source, notes: [...p.source.notes, note] } };
  }
  const drop = tryCompile(`^(${p.dropFrames})$`);
  if (!drop) return p;
  let keep: Matcher | undefined;
  if (p.keepFrames) {
    keep = tryCompile(`^(${p.keepFrames})$`);
    if (!keep) return p;
  }
  return pruneFrames(p, drop, keep);
}

// ---------------------------------------------------------------------------------------------
// focus / ignore / hide / show / show_from / prune_from

/**
 * Applies focus/ignore/hide/show (pprof's FilterSamplesByName), then show_from, then
 * tagfocus/tagignore (FilterSamplesByTag), then tagshow/taghide (FilterTagsByName), then
 * prune_from. Returns the filtered profile, which filters matched, and pprof's notes on the tag
 * filters ("tagfocus:Interpreted '1kb:' as range, not regexp"), which it prints on stderr.
 * Patterns are compiled in pprof's order, so the first bad one is the one reported.
 */
export function filterProfile(
  p: Profile,
  f: NameFilters,
): { profile: Profile; matched: FilterMatches; notes: string[] } {
  const matched: FilterMatches = {};
  const notes: string[] = [];
  const focus = f.focus ? compileRegex('focus', f.focus) : undefined;
  const ignore = f.ignore ? compileRegex('ignore', f.ignore) : undefined;
  const hide = f.hide ? compileRegex('hide', f.hide) : undefined;
  const show = f.show ? compileRegex('show', f.show) : undefined;
  const showFrom = f.showFrom ? compileRegex('show_from', f.showFrom) : undefined;
  const units = f.tagFocus || f.tagIgnore ? numLabelUnits(p).units : undefined;
  const tagFocus = f.tagFocus ? compileTagFilter('tagfocus', f.tagFocus, units!, notes) : undefined;
  const tagIgnore = f.tagIgnore ? compileTagFilter('tagignore', f.tagIgnore, units!, notes) : undefined;
  const pruneFrom = f.pruneFrom ? compileRegex('prune_from', f.pruneFrom) : undefined;
  const tagShow = f.tagShow ? compileRegex('tagshow', f.tagShow) : undefined;
  const tagHide = f.tagHide ? compileRegex('taghide', f.tagHide) : undefined;

  let out = p;
  if (focus || ignore || hide || show) {
    const r = filterByName(out, focus, ignore, hide, show);
    out = r.profile;
    if (focus) matched.focus = r.fm;
    if (ignore) matched.ignore = r.im;
    if (hide) matched.hide = r.hm;
    if (show) matched.show = r.hnm;
  } else {
    // pprof runs FilterSamplesByName with no pattern too, and it drops samples without a stack
    // (a -relative_percentages total leaves them out).
    out = dropEmptySamples(out);
  }
  if (showFrom) {
    const r = applyShowFrom(out, showFrom);
    out = r.profile;
    matched.showFrom = r.matched;
  }
  if (tagFocus || tagIgnore) {
    const r = filterByTag(out, tagFocus, tagIgnore);
    out = r.profile;
    if (tagFocus) matched.tagFocus = r.fm;
    if (tagIgnore) matched.tagIgnore = r.im;
  }
  if (tagShow || tagHide) {
    const r = filterLabelKeys(out, tagShow, tagHide);
    out = r.profile;
    if (tagShow) matched.tagShow = r.sm;
    if (tagHide) matched.tagHide = r.hm;
  }
  if (pruneFrom) out = applyPruneFrom(out, pruneFrom);
  return { profile: out, matched, notes };
}

/** The profile without its samples that have no location (itself when there are none). */
function dropEmptySamples(p: Profile): Profile {
  const s = p.samples;
  if (!hasEmptyStack(s.stackStart, s.length)) return p;
  const b = new SampleBuilder(s, p.sampleTypes.length);
  for (let i = 0; i < s.length; i++) {
    const start = s.stackStart[i]!;
    const end = s.stackStart[i + 1]!;
    if (end > start) b.push(i, s.stack, start, end);
  }
  return { ...p, samples: b.build() };
}

function hasEmptyStack(stackStart: Uint32Array, length: number): boolean {
  for (let i = 0; i < length; i++) if (stackStart[i + 1] === stackStart[i]) return true;
  return false;
}

function filterByName(
  p: Profile,
  focus: Matcher | undefined,
  ignore: Matcher | undefined,
  hide: Matcher | undefined,
  show: Matcher | undefined,
): { profile: Profile; fm: boolean; im: boolean; hm: boolean; hnm: boolean } {
  let fm = false;
  let im = false;
  let hm = false;
  let hnm = false;
  const nLoc = p.locations.length;
  // 0 = neither, 1 = focused, 2 = ignored.
  const focusOrIgnore = new Uint8Array(nLoc);
  const hidden = new Uint8Array(nLoc);
  let anyHidden = false;
  const newLines: (Line[] | undefined)[] = new Array(nLoc);
  const mFocus = focus && new NameMatcher(p, focus);
  const mIgnore = ignore && new NameMatcher(p, ignore);
  const mHide = hide && new NameMatcher(p, hide);
  const mShow = show && new NameMatcher(p, show);

  for (let li = 0; li < nLoc; li++) {
    const loc = p.locations[li]!;
    if (mIgnore?.location(loc.lines, loc.mapping)) {
      im = true;
      focusOrIgnore[li] = 2;
    } else if (!mFocus || mFocus.location(loc.lines, loc.mapping)) {
      fm = true;
      focusOrIgnore[li] = 1;
    }
    let lines = loc.lines;
    if (mHide?.location(lines, loc.mapping)) {
      hm = true;
      if (mHide.mapping(loc.mapping)) lines = [];
      else lines = lines.filter((ln) => !mHide.fn(ln.fn));
      if (lines.length === 0) hidden[li] = 1;
    }
    if (mShow) {
      if (!mShow.mapping(loc.mapping)) lines = lines.filter((ln) => ln.fn < 0 || mShow.fn(ln.fn));
      if (lines.length === 0) hidden[li] = 1;
      else hnm = true;
    }
    if (hidden[li]) anyHidden = true;
    if (lines !== loc.lines) newLines[li] = lines;
  }

  const s = p.samples;
  const b = new SampleBuilder(s, p.sampleTypes.length);
  const tmp: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const start = s.stackStart[i]!;
    const end = s.stackStart[i + 1]!;
    let focused = false;
    let ignored = false;
    for (let j = start; j < end; j++) {
      const v = focusOrIgnore[s.stack[j]!];
      if (v === 1) focused = true;
      else if (v === 2) {
        ignored = true;
        break;
      }
    }
    if (!focused || ignored) continue;
    if (anyHidden) {
      tmp.length = 0;
      for (let j = start; j < end; j++) {
        const id = s.stack[j]!;
        if (!hidden[id]) tmp.push(id);
      }
      if (tmp.length === 0) continue;
      b.push(i, tmp);
    } else {
      b.push(i, s.stack, start, end);
    }
  }
  return { profile: { ...p, locations: withLines(p, newLines), samples: b.build() }, fm, im, hm, hnm };
}

/** pprof's ShowFrom: drops all frames above (rootward of) the highest matching frame. */
function applyShowFrom(p: Profile, re: Matcher): { profile: Profile; matched: boolean } {
  const m = new NameMatcher(p, re);
  const nLoc = p.locations.length;
  const match = new Uint8Array(nLoc);
  const newLines: (Line[] | undefined)[] = new Array(nLoc);
  let matched = false;
  for (let li = 0; li < nLoc; li++) {
    const loc = p.locations[li]!;
    if (m.mapping(loc.mapping)) {
      match[li] = 1;
      matched = true;
      continue;
    }
    for (let i = loc.lines.length - 1; i >= 0; i--) {
      if (m.fn(loc.lines[i]!.fn)) {
        if (i + 1 !== loc.lines.length) newLines[li] = loc.lines.slice(0, i + 1);
        match[li] = 1;
        matched = true;
        break;
      }
    }
  }
  const s = p.samples;
  const b = new SampleBuilder(s, p.sampleTypes.length);
  for (let i = 0; i < s.length; i++) {
    const start = s.stackStart[i]!;
    const end = s.stackStart[i + 1]!;
    for (let j = end - 1; j >= start; j--) {
      if (match[s.stack[j]!]) {
        b.push(i, s.stack, start, j + 1);
        break;
      }
    }
  }
  return { profile: { ...p, locations: withLines(p, newLines), samples: b.build() }, matched };
}

/** pprof's PruneFrom: drops the frames beneath (leafward of) the lowest matching frame. */
function applyPruneFrom(p: Profile, re: Matcher): Profile {
  const nLoc = p.locations.length;
  const pruneBeneath = new Uint8Array(nLoc);
  const newLines: (Line[] | undefined)[] = new Array(nLoc);
  const fnMemo = new Int8Array(p.functions.length).fill(-1);
  for (let li = 0; li < nLoc; li++) {
    const lines = p.locations[li]!.lines;
    for (let i = 0; i < lines.length; i++) {
      const fi = lines[i]!.fn;
      if (fi < 0 || p.functions[fi]!.name === '') continue;
      let v = fnMemo[fi]!;
      if (v < 0) {
        v = re.test(simplifyFunc(p.functions[fi]!.name)) ? 1 : 0;
        fnMemo[fi] = v;
      }
      if (v === 1) {
        pruneBeneath[li] = 1;
        if (i > 0) newLines[li] = lines.slice(i);
        break;
      }
    }
  }
  const s = p.samples;
  const b = new SampleBuilder(s, p.sampleTypes.length);
  for (let i = 0; i < s.length; i++) {
    const start = s.stackStart[i]!;
    const end = s.stackStart[i + 1]!;
    let from = start;
    for (let j = start; j < end; j++) {
      if (pruneBeneath[s.stack[j]!]) {
        from = j;
        break;
      }
    }
    b.push(i, s.stack, from, end);
  }
  return { ...p, locations: withLines(p, newLines), samples: b.build() };
}

// ---------------------------------------------------------------------------------------------
// tagfocus / tagignore / tagshow / taghide

/** Does a sample, given its labels, pass a tag filter? */
export type TagMatch = (labels: readonly Label[] | undefined) => boolean;

/**
 * pprof's Profile.NumLabelUnits: the unit of each numeric label key is the first non-empty unit
 * seen on it; keys that never carry one are taken as bytes (`alignment`, `request`) or as their
 * own unit. `conflicts` are pprof's messages for keys seen with several units (keys and units
 * sorted here; pprof prints them in Go's random map order).
 */
export function numLabelUnits(p: Profile): { units: Map<string, string>; conflicts: string[] } {
  const units = new Map<string, string>();
  const others = new Map<string, Set<string>>();
  const keys = new Set<string>();
  for (const ls of p.samples.labels ?? []) {
    if (!ls) continue;
    for (const l of ls) {
      if (l.str !== undefined) continue;
      keys.add(l.key);
      const u = l.unit;
      if (!u) continue;
      const want = units.get(l.key);
      if (want === undefined) units.set(l.key, u);
      else if (want !== u) {
        const set = others.get(l.key);
        if (set) set.add(u);
        else others.set(l.key, new Set([u]));
      }
    }
  }
  for (const k of keys) {
    if (!units.get(k)) units.set(k, k === 'alignment' || k === 'request' ? 'bytes' : k);
  }
  const conflicts = [...others.keys()]
    .sort()
    .map(
      (k) =>
        `For tag ${k} used unit ${units.get(k)}, also encountered unit(s) ${[...others.get(k)!].sort().join(', ')}`,
    );
  return { units, conflicts };
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Go's strconv.ParseInt(s, 10, 64) for the digits the range syntax allows; throws past int64. */
function parseInt64(option: string, s: string): number {
  const b = BigInt(s);
  if (b > INT64_MAX || b < INT64_MIN) {
    // pprof panics here; a one-line error says the same thing.
    throw new UserError(`parsing ${option} range: ${s} is out of the range of a 64-bit integer`);
  }
  return Number(b);
}

/**
 * pprof's parseTagFilterRange: `32kb` (equal), `:64kb` (at most), `4mb:` (at least),
 * `12kb:64mb` (between, both included). Undefined when `filter` is not such a range (it is then
 * taken as regexes). A value matches when, converted to the range's unit, it is in that unit and
 * in range: so `1024` (no unit) never matches a label in bytes, as in pprof.
 */
export function parseTagFilterRange(
  option: string,
  filter: string,
): ((value: number, unit: string) => boolean) | undefined {
  // A fixed pattern of ours (pprof's tagFilterRangeRx), not a user pattern: the user's text is
  // only the subject, and the pattern cannot backtrack much.
  const rx = /([+-]?[0-9]+)([A-Za-z]+)?/g;
  const ranges: RegExpExecArray[] = [];
  for (let m = rx.exec(filter); m !== null && ranges.length < 2; m = rx.exec(filter)) ranges.push(m);
  if (ranges.length === 0) return undefined;
  const r0 = ranges[0]!;
  const [scaled, unit] = scale(parseInt64(option, r0[1]!), r0[2] ?? '', r0[2] ?? '');
  const inUnit = (v: number, u: string, test: (sv: number) => boolean) => {
    const [sv, su] = scale(v, u, unit);
    return su === unit && test(sv);
  };
  if (ranges.length === 1) {
    const match = r0[0];
    if (filter === match) return (v, u) => inUnit(v, u, (sv) => sv === scaled);
    if (filter === `${match}:`) return (v, u) => inUnit(v, u, (sv) => sv >= scaled);
    if (filter === `:${match}`) return (v, u) => inUnit(v, u, (sv) => sv <= scaled);
    return undefined;
  }
  const r1 = ranges[1]!;
  if (filter !== `${r0[0]}:${r1[0]}`) return undefined;
  const [scaled2, unit2] = scale(parseInt64(option, r1[1]!), r1[2] ?? '', unit);
  if (unit2 !== unit) return undefined;
  return (v, u) => inUnit(v, u, (sv) => sv >= scaled && sv <= scaled2);
}

/** A regex whose verdict on each distinct string is computed once. */
function memoTest(re: Matcher): (s: string) => boolean {
  const memo = new Map<string, boolean>();
  return (s) => {
    let v = memo.get(s);
    if (v === undefined) {
      v = re.test(s);
      memo.set(s, v);
    }
    return v;
  };
}

/**
 * pprof's compileTagFilter for -tagfocus / -tagignore (`option` names it in messages). `value` is
 * `[key=]filter`; a filter that parses as a numeric range tests numeric labels (in the units of
 * `units`), otherwise it is a comma-separated list of regexes on string labels: with a key, any
 * regex matching any value of that key; without, every regex matching some `key:value`.
 * pprof's "Interpreted … as range" note is appended to `notes`.
 */
export function compileTagFilter(
  option: string,
  value: string,
  units: ReadonlyMap<string, string>,
  notes: string[],
): TagMatch {
  let wantKey = '';
  let filter = value;
  const eq = value.indexOf('=');
  if (eq >= 0) {
    wantKey = value.slice(0, eq);
    filter = value.slice(eq + 1);
  }
  const range = parseTagFilterRange(option, filter);
  if (range) {
    notes.push(`${option}:Interpreted '${filter}' as range, not regexp`);
    const unitOf = (key: string) => units.get(key) ?? '';
    return (labels) => {
      if (!labels) return false;
      for (const l of labels) {
        if (l.str !== undefined || (wantKey !== '' && l.key !== wantKey)) continue;
        if (range(l.num ?? 0, unitOf(l.key))) return true;
      }
      return false;
    };
  }
  const tests = filter.split(',').map((part) => memoTest(compileRegex(option, part)));
  if (wantKey === '') {
    return (labels) => {
      if (!labels) return false;
      for (const test of tests) {
        let hit = false;
        for (const l of labels) {
          if (l.str !== undefined && test(`${l.key}:${l.str}`)) {
            hit = true;
            break;
          }
        }
        if (!hit) return false;
      }
      return true;
    };
  }
  return (labels) => {
    if (!labels) return false;
    for (const l of labels) {
      if (l.str === undefined || l.key !== wantKey) continue;
      for (const test of tests) if (test(l.str)) return true;
    }
    return false;
  };
}

/** pprof's FilterSamplesByTag: keeps the samples `focus` accepts and `ignore` does not. */
function filterByTag(
  p: Profile,
  focus: TagMatch | undefined,
  ignore: TagMatch | undefined,
): { profile: Profile; fm: boolean; im: boolean } {
  let fm = false;
  let im = false;
  const s = p.samples;
  const b = new SampleBuilder(s, p.sampleTypes.length);
  for (let i = 0; i < s.length; i++) {
    const labels = s.labels?.[i];
    const focused = focus ? focus(labels) : true;
    const ignored = ignore ? ignore(labels) : false;
    if (focused) fm = true;
    if (ignored) im = true;
    if (focused && !ignored) b.push(i, s.stack, s.stackStart[i]!, s.stackStart[i + 1]!);
  }
  return { profile: { ...p, samples: b.build() }, fm, im };
}

/**
 * pprof's FilterTagsByName: removes, from every sample, the labels whose key does not match
 * `show` or matches `hide`. `sm` / `hm`: some key matched show / hide.
 */
function filterLabelKeys(
  p: Profile,
  show: Matcher | undefined,
  hide: Matcher | undefined,
): { profile: Profile; sm: boolean; hm: boolean } {
  let sm = false;
  let hm = false;
  const labels = p.samples.labels;
  if (!labels) return { profile: p, sm, hm };
  const remove = new Map<string, boolean>();
  const removed = (key: string): boolean => {
    let r = remove.get(key);
    if (r === undefined) {
      const matchShow = !show || show.test(key);
      const matchHide = !!hide && hide.test(key);
      if (matchShow) sm = true;
      if (matchHide) hm = true;
      r = !matchShow || matchHide;
      remove.set(key, r);
    }
    return r;
  };
  const out = labels.map((ls) => {
    if (!ls) return ls;
    const kept = ls.filter((l) => !removed(l.key));
    if (kept.length === ls.length) return ls;
    return kept.length > 0 ? kept : undefined;
  });
  return { profile: { ...p, samples: { ...p.samples, labels: out } }, sm, hm };
}
