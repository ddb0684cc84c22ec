/**
 * Sample and frame filters with `go tool pprof` semantics (profile/filter.go, profile/prune.go of
 * Go 1.19's vendored pprof):
 *
 *  - `removeUninteresting`: the profile's own drop_frames / keep_frames (applied at load time by
 *    pprof, before the total is computed);
 *  - `filterProfile`: focus / ignore / hide / show, then show_from, then prune_from — the order
 *    pprof's `applyFocus` uses.
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
import type { Line, Location, Profile, SampleTable } from './model.js';

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
  try {
    return compile(pattern);
  } catch {
    return undefined;
  }
}

/** Whether filtering `p` with `f` will compile a regex (so the engine must be loaded). */
export function needsRegexEngine(p: Profile, f: NameFilters & { allFrames?: boolean }): boolean {
  return !!(f.focus || f.ignore || f.hide || f.show || f.showFrom || f.pruneFrom || (p.dropFrames && !f.allFrames));
}

/** Options of `filterProfile`; each is a regex, unset or '' = off. */
export interface NameFilters {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  showFrom?: string;
  pruneFrom?: string;
}

/** Which filters matched something (pprof warns "<Option> expression matched no samples"). */
export interface FilterMatches {
  focus?: boolean;
  ignore?: boolean;
  hide?: boolean;
  show?: boolean;
  showFrom?: boolean;
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
 * A drop_frames pattern that does not compile is ignored, as pprof does.
 */
export function removeUninteresting(p: Profile): Profile {
  if (!p.dropFrames) return p;
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
 * Applies focus/ignore/hide/show (pprof's FilterSamplesByName), then show_from, then prune_from.
 * Returns the filtered profile and which filters matched.
 */
export function filterProfile(p: Profile, f: NameFilters): { profile: Profile; matched: FilterMatches } {
  const matched: FilterMatches = {};
  const focus = f.focus ? compileRegex('focus', f.focus) : undefined;
  const ignore = f.ignore ? compileRegex('ignore', f.ignore) : undefined;
  const hide = f.hide ? compileRegex('hide', f.hide) : undefined;
  const show = f.show ? compileRegex('show', f.show) : undefined;
  const showFrom = f.showFrom ? compileRegex('show_from', f.showFrom) : undefined;
  const pruneFrom = f.pruneFrom ? compileRegex('prune_from', f.pruneFrom) : undefined;

  let out = p;
  if (focus || ignore || hide || show) {
    const r = filterByName(out, focus, ignore, hide, show);
    out = r.profile;
    if (focus) matched.focus = r.fm;
    if (ignore) matched.ignore = r.im;
    if (hide) matched.hide = r.hm;
    if (show) matched.show = r.hnm;
  }
  if (showFrom) {
    const r = applyShowFrom(out, showFrom);
    out = r.profile;
    matched.showFrom = r.matched;
  }
  if (pruneFrom) out = applyPruneFrom(out, pruneFrom);
  return { profile: out, matched };
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
