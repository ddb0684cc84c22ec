/**
 * `trend`: is it a leak? Three or more heap (or allocs, or goroutine) profiles of one process,
 * taken over time, are lined up — by their `time_nanos`, or in the order given when a profile
 * has none (`order` says which) — and every stack and every function gets a least-squares line:
 * slope per hour in the sample unit, fit quality R², first and last values, and a verdict:
 *
 *  - `leak`: grows steadily — fitted growth above the noise floor and ≥ 1% of the largest total,
 *    R² ≥ 0.8, at least 75% of the steps non-decreasing, and no plateau (the last half of the
 *    series still climbs at ≥ 25% of the overall slope);
 *  - `bounded`: would be a leak, but the memory is held by something released by design (the raft
 *    log until the next snapshot): frames that a rule's `growth` block declares (compare/bounded.ts);
 *  - `plateau`: grew, then stopped; `growing`: up, but not steadily enough to call it;
 *  - `fluctuating`: up and down; `stable`: change below the floor; `shrinking`;
 *  - `cumulative`: alloc_* and other since-start counters only ever grow; no leak verdict.
 *
 * The noise floor is 2 × the heap sampling period for sampled byte values (a sampled heap profile
 * moves in steps of about one period), 3 for goroutine counts, none otherwise.
 *
 * `leak` (top level) is true when at least one stack is a `leak`, or when the total without the
 * bounded stacks is leak-shaped (growth spread over stacks too small to judge one by one). The
 * projection tells when `limit` would be reached at the total's slope.
 *
 * Environment-neutral: no Node-only imports.
 */
import { analyzeProfiles } from '../diagnosis/engine.js';
import { ProfileView } from '../diagnosis/matcher.js';
import type { Rule, Severity } from '../diagnosis/schema.js';
import { UserError } from '../errors.js';
import type { Profile } from '../profile/model.js';
import { unitKind } from '../profile/units.js';
import { type BoundedGrowth, boundedFunctionMask, boundedGrowthFromRules } from './compare/bounded.js';
import { checkComparable, profileKindWord } from './compare/combine.js';
import { ruleSignature } from './compare/diagnosis.js';
import { fitLine } from './compare/regression.js';
import { buildNodes, computeWeights } from './graph.js';
import { type AnalysisOptions, prepare, resolveSampleIndex } from './prepare.js';

export type Verdict =
  | 'leak'
  | 'bounded'
  | 'plateau'
  | 'growing'
  | 'fluctuating'
  | 'stable'
  | 'shrinking'
  | 'cumulative';

export interface TrendOptions extends AnalysisOptions {
  /** Names of the inputs, in the order given. */
  names?: string[];
  /** Seconds between snapshots, used when the profiles carry no time. */
  intervalSeconds?: number;
  /** `--limit` in the sample unit, for the projection. */
  limit?: number;
  /** Most stacks / functions listed (default 100 each). */
  maxStacks?: number;
  maxFunctions?: number;
  /** Rules whose signatures to follow across the series (none: no rules section). */
  rules?: Rule[];
  /**
   * Growth that is bounded by design, from the rules' `growth` blocks (boundedGrowthFromRules).
   * Default: that of `rules`; with neither, no stack is called bounded.
   */
  bounded?: BoundedGrowth[];
  /** The etcd version, for the rule engine's verdict on the last snapshot. */
  etcdVersion?: string;
}

export interface SeriesStats {
  first: number;
  last: number;
  min: number;
  max: number;
  /** Per hour in the sample unit; null when the snapshots have no time. */
  slopePerHour: number | null;
  /** Per snapshot (always known). */
  slopePerSnapshot: number;
  r2: number;
  /** The line's rise from the first to the last snapshot. */
  fittedGrowth: number;
  /** Steps (snapshot to next) that did not go down / that went up. */
  nonDecreasingSteps: number;
  increasingSteps: number;
  steps: number;
}

export interface ConfidenceFactor {
  factor: string;
  delta: number;
  why: string;
}

export interface TrendEntry {
  name: string;
  values: number[];
  stats: SeriesStats;
  verdict: Verdict;
  /** 0–1, for leak / bounded / growing verdicts; 0 otherwise. */
  confidence: number;
  confidenceFactors: ConfidenceFactor[];
  /** Why the verdict is what it is, in words. */
  why: string;
  /** Which bounded growth holds it (id), for `bounded`. */
  bounded?: string;
}

export interface StackTrend extends TrendEntry {
  /** Frames, leaf first. */
  frames: string[];
}

export interface RuleTrend extends TrendEntry {
  id: string;
  title: string;
  severity: Severity;
  sampleType: string;
  unit: string;
  basis: 'flat' | 'cum';
  patterns: string[];
  /** Signature share 0–1 per snapshot. */
  shares: number[];
  /** The rule engine diagnoses it on the last snapshot. */
  firesOnLast: boolean;
  fixedIn: string[];
}

export interface Snapshot {
  name: string;
  timeNanos: number;
  /** Seconds since the first snapshot; null when unknown. */
  offsetSeconds: number | null;
  total: number;
}

export interface Projection {
  limit: number;
  current: number;
  slopePerHour: number | null;
  /** `reached`: already at or above; `approaching`: grows towards it; `not-approaching`. */
  status: 'reached' | 'approaching' | 'not-approaching';
  /** Hours from the last snapshot until the total reaches the limit; null when unknown or never. */
  hoursToLimit: number | null;
  /** When (ns since the epoch), if the snapshot times are known. */
  atNanos: number | null;
  /** Snapshots (at the same spacing) until the limit, when there is no time. */
  snapshotsToLimit: number | null;
  /** `in about 14 h`, `in about 12 more snapshots`, or why not. */
  text: string;
  /** Set when the growth is bounded and should level off before. */
  caveat?: string;
}

export interface TrendReport {
  kind: string;
  sampleType: string;
  unit: string;
  cumulative: boolean;
  order: 'time' | 'given' | 'interval';
  snapshots: Snapshot[];
  /** The profile total (Σ|value|, before focus filters) per snapshot. */
  total: TrendEntry;
  /** The total without bounded stacks. */
  unboundedTotal: TrendEntry;
  stacks: StackTrend[];
  stackCount: number;
  functions: TrendEntry[];
  functionCount: number;
  leak: boolean;
  leakConfidence: number;
  /** Stacks judged `leak`. */
  leakStacks: number;
  /** One line: the verdict for humans. */
  summary: string;
  projection?: Projection;
  /** Rules whose signature grows, or that fire on the last snapshot (when rules were given). */
  rules?: RuleTrend[];
  boundedKinds: { id: string; reason: string; rule?: string }[];
  warnings: string[];
  notes: string[];
}

const CUMULATIVE = new Set(['alloc_space', 'alloc_objects', 'contentions', 'delay']);
const TREND_KINDS = new Set(['heap', 'goroutine']);

interface Thresholds {
  floor: number;
  relative: number;
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function seriesStats(x: number[], y: number[], hours: boolean): SeriesStats {
  const fit = fitLine(x, y);
  const n = y.length;
  let nonDec = 0;
  let inc = 0;
  for (let i = 1; i < n; i++) {
    if (y[i]! >= y[i - 1]!) nonDec++;
    if (y[i]! > y[i - 1]!) inc++;
  }
  const span = x[n - 1]! - x[0]!;
  const perSnapshot = fitLine(
    y.map((_, i) => i),
    y,
  ).slope;
  return {
    first: y[0]!,
    last: y[n - 1]!,
    min: Math.min(...y),
    max: Math.max(...y),
    slopePerHour: hours ? fit.slope : null,
    slopePerSnapshot: perSnapshot,
    r2: fit.r2,
    fittedGrowth: fit.slope * span,
    nonDecreasingSteps: nonDec,
    increasingSteps: inc,
    steps: n - 1,
  };
}

/** The verdict of one series (see the file comment). `bounded` names the bounded kind, if any. */
export function judge(
  x: number[],
  y: number[],
  stats: SeriesStats,
  th: Thresholds,
  cumulative: boolean,
  bounded?: BoundedGrowth,
): Pick<TrendEntry, 'verdict' | 'confidence' | 'confidenceFactors' | 'why' | 'bounded'> {
  const none = { confidence: 0, confidenceFactors: [] as ConfidenceFactor[] };
  if (cumulative) {
    return { verdict: 'cumulative', ...none, why: 'counted since the process started: it only grows' };
  }
  const threshold = Math.max(th.floor, th.relative);
  const growth = stats.fittedGrowth;
  const change = stats.last - stats.first;
  if (Math.abs(growth) < threshold && Math.abs(change) < threshold) {
    // No trend; but a series that swings far in between is not stable.
    if (stats.max - stats.min > 2 * threshold) return { verdict: 'fluctuating', ...none, why: 'goes up and down' };
    return { verdict: 'stable', ...none, why: 'changes less than the noise floor' };
  }
  if (growth <= 0) {
    return stats.r2 >= 0.6
      ? { verdict: 'shrinking', ...none, why: 'goes down' }
      : { verdict: 'fluctuating', ...none, why: 'goes up and down' };
  }
  const n = y.length;
  const upFrac = stats.steps ? stats.nonDecreasingSteps / stats.steps : 0;
  let plateau = false;
  if (n >= 4 && growth >= threshold) {
    const k = Math.max(3, Math.ceil(n / 2));
    const tail = fitLine(x.slice(n - k), y.slice(n - k));
    const all = fitLine(x, y);
    plateau = tail.slope <= 0.25 * all.slope;
  }
  const steady = growth >= threshold && stats.r2 >= 0.8 && upFrac >= 0.75 && !plateau;
  const factors: ConfidenceFactor[] = [];
  const conf = () => {
    factors.push({ factor: 'base', delta: 0.5, why: 'grows steadily' });
    factors.push({
      factor: 'fit',
      delta: 0.2 * clamp01((stats.r2 - 0.8) / 0.2),
      why: `R² ${stats.r2.toFixed(2)} (1.00 gives the full +0.20)`,
    });
    factors.push({
      factor: 'monotonic',
      delta: stats.steps ? (0.1 * stats.increasingSteps) / stats.steps : 0,
      why: `${stats.increasingSteps} of ${stats.steps} steps went up`,
    });
    factors.push({
      factor: 'snapshots',
      delta: 0.1 * clamp01((n - 3) / 3),
      why: `${n} snapshots (6 or more give the full +0.10)`,
    });
    const ratio = threshold > 0 ? growth / threshold : 8;
    factors.push({
      factor: 'magnitude',
      delta: 0.1 * clamp01(Math.log2(Math.max(ratio, 1)) / 3),
      why: `grew ${ratio.toFixed(1)}× the threshold (8× gives the full +0.10)`,
    });
    for (const f of factors) f.delta = round2(f.delta);
    return Math.min(0.99, round2(factors.reduce((a, f) => a + f.delta, 0)));
  };
  if (steady) {
    const c = conf();
    if (bounded) {
      return {
        verdict: 'bounded',
        confidence: c,
        confidenceFactors: factors,
        why: `grows steadily, but it is bounded: ${bounded.reason}`,
        bounded: bounded.id,
      };
    }
    return {
      verdict: 'leak',
      confidence: c,
      confidenceFactors: factors,
      why: `grows steadily (R² ${stats.r2.toFixed(2)}, ${stats.nonDecreasingSteps} of ${stats.steps} steps not down)`,
    };
  }
  if (plateau) return { verdict: 'plateau', ...none, why: 'grew, then levelled off' };
  if (stats.r2 < 0.5 || upFrac < 0.5) return { verdict: 'fluctuating', ...none, why: 'goes up and down' };
  return {
    verdict: 'growing',
    ...none,
    why: `up, but not steadily enough to call it a leak (R² ${stats.r2.toFixed(2)}, ${stats.nonDecreasingSteps} of ${stats.steps} steps not down)`,
  };
}

interface Ordered {
  order: TrendReport['order'];
  idx: number[];
  /** x in hours (time/interval) or snapshot index (given). */
  x: number[];
  hours: boolean;
  offsets: (number | null)[];
  warnings: string[];
}

/** Orders the snapshots by time_nanos, or keeps the given order (spaced by `intervalSeconds`). */
export function orderSnapshots(profiles: Profile[], names: string[], intervalSeconds?: number): Ordered {
  const n = profiles.length;
  const warnings: string[] = [];
  const idx = profiles.map((_, i) => i);
  if (profiles.every((p) => p.timeNanos > 0)) {
    idx.sort((a, b) => profiles[a]!.timeNanos - profiles[b]!.timeNanos || a - b);
    const t0 = profiles[idx[0]!]!.timeNanos;
    const seen = new Set<number>();
    for (const i of idx) {
      const t = profiles[i]!.timeNanos;
      if (seen.has(t)) warnings.push(`warning: ${names[i]} has the same time as another snapshot`);
      seen.add(t);
    }
    const offsets = idx.map((i) => (profiles[i]!.timeNanos - t0) / 1e9);
    if (offsets[n - 1] === 0) {
      warnings.push('warning: every snapshot has the same time; slopes are per snapshot');
      return {
        order: 'given',
        idx: profiles.map((_, i) => i),
        x: idx.map((_, k) => k),
        hours: false,
        offsets: idx.map(() => null),
        warnings,
      };
    }
    return { order: 'time', idx, x: offsets.map((s) => s / 3600), hours: true, offsets, warnings };
  }
  if (intervalSeconds !== undefined) {
    const offsets = idx.map((k) => k * intervalSeconds);
    return { order: 'interval', idx, x: offsets.map((s) => s / 3600), hours: true, offsets, warnings };
  }
  warnings.push(
    'note: not every profile carries its collection time: snapshots are taken in the order given and slopes are per snapshot (pass --interval to say how far apart they are)',
  );
  return { order: 'given', idx, x: idx.map((k) => k), hours: false, offsets: idx.map(() => null), warnings };
}

/** The sample type trend reads by default: inuse_space when present (not the since-start alloc_*). */
function defaultTrendIndex(p: Profile, requested: string | number | undefined): string | number | undefined {
  if (requested !== undefined && requested !== '') return requested;
  if (p.sampleTypes.some((t) => t.type === 'inuse_space')) return 'inuse_space';
  return undefined;
}

export function trend(profiles: Profile[], opts: TrendOptions = {}): TrendReport {
  const names = opts.names ?? profiles.map((_, i) => `#${i + 1}`);
  if (profiles.length < 3) {
    throw new UserError(`trend needs at least 3 profiles of one process, got ${profiles.length}`);
  }
  const warnings: string[] = [];
  const notes: string[] = [];
  const kind = profileKindWord(profiles[0]!);
  profiles.forEach((p, i) => {
    const k = profileKindWord(p);
    if (!TREND_KINDS.has(k)) {
      throw new UserError(`${names[i]}: trend reads heap, allocs or goroutine profiles; this is a ${k} profile`);
    }
  });
  const seenW = new Set<string>();
  for (let i = 1; i < profiles.length; i++) {
    for (const w of checkComparable(profiles[0]!, profiles[i]!, names[0], names[i])) {
      if (!seenW.has(w)) {
        seenW.add(w);
        warnings.push(w);
      }
    }
  }
  const ord = orderSnapshots(profiles, names, opts.intervalSeconds);
  warnings.push(...ord.warnings);
  const ps = ord.idx.map((i) => profiles[i]!);
  const ns = ord.idx.map((i) => names[i]!);
  const n = ps.length;

  const sampleIndex = defaultTrendIndex(ps[0]!, opts.sampleIndex);
  const vi0 = resolveSampleIndex(ps[0]!, sampleIndex);
  const st = ps[0]!.sampleTypes[vi0]!;
  const cumulative = CUMULATIVE.has(st.type);
  if (cumulative) {
    notes.push(
      `${st.type} is counted since the process started: it only grows, so there is no leak verdict; slopes are allocation rates. Use inuse_space / inuse_objects for leaks.`,
    );
  } else if (
    opts.sampleIndex === undefined &&
    st.type === 'inuse_space' &&
    ps[0]!.defaultSampleType === 'alloc_space'
  ) {
    notes.push('these are allocs profiles; trend reads their inuse_space (what is still held), not alloc_space');
  }
  // A since-start counter going down means the process restarted between two snapshots.
  const allocIdx = ps[0]!.sampleTypes.findIndex((t) => t.type === 'alloc_space');
  const kinds = opts.bounded ?? boundedGrowthFromRules(opts.rules ?? []);

  const stackMap = new Map<string, { values: Float64Array; bounded: number }>();
  const fnAll = new Map<string, Float64Array>();
  const fnUnb = new Map<string, Float64Array>();
  const totals = new Float64Array(n);
  const unbTotals = new Float64Array(n);
  let prevAlloc = -1;
  let periodFloor = 0;
  ps.forEach((p, k) => {
    const prep = prepare(p, { ...opts, sampleIndex: sampleIndex });
    totals[k] = prep.total;
    const q = prep.profile;
    if (allocIdx >= 0) {
      let a = 0;
      const nT = p.sampleTypes.length;
      for (let s = 0; s < p.samples.length; s++) a += p.samples.values[s * nT + allocIdx]!;
      if (prevAlloc >= 0 && a < prevAlloc) {
        warnings.push(`warning: alloc_space went down at ${ns[k]}: the process restarted between snapshots?`);
      }
      prevAlloc = a;
    }
    if (unitKind(st.unit) === 'bytes' && p.periodType?.type === 'space' && p.period > 1) {
      periodFloor = Math.max(periodFloor, 2 * p.period);
    }
    const nodes = buildNodes(q, opts.granularity ?? 'functions', !!opts.noInlines);
    const fnBounded = boundedFunctionMask(
      q.functions.map((f) => f.name),
      kinds,
    );
    // Per location: its frame names (innermost first) and bounded kind.
    const locKey: string[] = new Array(q.locations.length);
    const locBounded = new Int32Array(q.locations.length).fill(-1);
    for (let l = 0; l < q.locations.length; l++) {
      const parts: string[] = [];
      for (let j = nodes.locStart[l]!; j < nodes.locStart[l + 1]!; j++) parts.push(nodes.name(nodes.locNodes[j]!));
      locKey[l] = parts.join('\n');
      for (const ln of q.locations[l]!.lines) {
        if (ln.fn >= 0 && fnBounded[ln.fn]! >= 0) {
          locBounded[l] = fnBounded[ln.fn]!;
          break;
        }
      }
    }
    const { values, stackStart, stack, length } = q.samples;
    const nT = q.sampleTypes.length;
    const keep: number[] = [];
    for (let s = 0; s < length; s++) {
      const v = values[s * nT + prep.valueIndex]!;
      let key = '';
      let b = -1;
      for (let j = stackStart[s]!; j < stackStart[s + 1]!; j++) {
        const l = stack[j]!;
        key += j === stackStart[s] ? locKey[l] : `\n${locKey[l]}`;
        if (b < 0 && locBounded[l]! >= 0) b = locBounded[l]!;
      }
      let e = stackMap.get(key);
      if (!e) {
        e = { values: new Float64Array(n), bounded: b };
        stackMap.set(key, e);
      }
      e.values[k]! += v;
      if (b < 0) keep.push(s);
    }
    // Functions: cum over all samples and over the unbounded ones.
    const wAll = computeWeights(q, nodes, prep.valueIndex);
    const unb = subsetProfile(q, keep);
    const wUnb = computeWeights(unb, nodes, prep.valueIndex);
    let unbTotal = 0;
    for (const s of keep) unbTotal += Math.abs(values[s * nT + prep.valueIndex]!);
    // The unbounded total keeps what focus filters dropped out of the bounded share.
    unbTotals[k] = prep.total - (sumAbs(q, prep.valueIndex) - unbTotal);
    for (let id = 0; id < nodes.count; id++) {
      if (wAll.cum[id] === 0 && wAll.flat[id] === 0) continue;
      const name = nodes.name(id);
      let a = fnAll.get(name);
      if (!a) {
        a = new Float64Array(n);
        fnAll.set(name, a);
        fnUnb.set(name, new Float64Array(n));
      }
      a[k]! += wAll.cum[id]!;
      fnUnb.get(name)![k]! += wUnb.cum[id]!;
    }
  });

  const x = ord.x;
  const th: Thresholds = {
    floor:
      periodFloor > 0 ? periodFloor : st.unit === 'count' && (kind === 'goroutine' || st.type === 'goroutine') ? 3 : 0,
    relative: 0.01 * Math.max(...totals),
  };
  const entry = (name: string, vals: ArrayLike<number>, bounded?: BoundedGrowth): TrendEntry => {
    const y = Array.from(vals);
    const stats = seriesStats(x, y, ord.hours);
    return { name, values: y, stats, ...judge(x, y, stats, th, cumulative, bounded) };
  };

  const stacks: StackTrend[] = [];
  for (const [key, e] of stackMap) {
    const frames = key === '' ? [] : key.split('\n');
    const name = frames.length ? frames.slice(0, 3).join(' ← ') + (frames.length > 3 ? ' ← …' : '') : '<no stack>';
    const t = entry(name, e.values, e.bounded >= 0 ? kinds[e.bounded] : undefined);
    stacks.push({ ...t, frames });
  }
  const growthOrder = (a: TrendEntry, b: TrendEntry) =>
    b.stats.fittedGrowth - a.stats.fittedGrowth || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  stacks.sort(growthOrder);

  const functions: TrendEntry[] = [];
  for (const [name, all] of fnAll) {
    const unb = fnUnb.get(name)!;
    const full = entry(name, all);
    const part = entry(name, unb);
    let t: TrendEntry;
    if (full.verdict === 'leak' && part.verdict !== 'leak') {
      // Its growth is the bounded stacks' growth: judge the function by what it holds beyond them.
      const b = kinds.find((kk) => stacks.some((s) => s.bounded === kk.id && s.frames.includes(name))) ?? kinds[0]!;
      t = { ...full, verdict: 'bounded', bounded: b.id, why: `its growth is in bounded stacks: ${b.reason}` };
    } else t = { ...full, verdict: part.verdict === 'leak' ? 'leak' : full.verdict };
    if (t.verdict === 'leak' && full.verdict !== 'leak') t = { ...t, confidence: part.confidence, why: part.why };
    functions.push(t);
  }
  functions.sort(growthOrder);

  let total = entry('total', totals);
  const unboundedTotal = entry('total without bounded growth', unbTotals);
  if (total.verdict === 'leak' && unboundedTotal.verdict !== 'leak') {
    // The total climbs only because of the bounded stacks.
    const b = kinds.find((kk) => stacks.some((s) => s.bounded === kk.id && s.stats.fittedGrowth > 0)) ?? kinds[0]!;
    total = { ...total, verdict: 'bounded', bounded: b.id, why: `its growth is in bounded stacks: ${b.reason}` };
  }
  const leakStacks = stacks.filter((s) => s.verdict === 'leak');
  const leak = leakStacks.length > 0 || unboundedTotal.verdict === 'leak';
  const leakConfidence = leak
    ? Math.max(
        unboundedTotal.verdict === 'leak' ? unboundedTotal.confidence - 0.1 : 0,
        ...leakStacks.map((s) => s.confidence),
      )
    : 0;

  const interesting = (e: TrendEntry) => e.verdict !== 'stable';
  const maxStacks = opts.maxStacks ?? 100;
  const maxFunctions = opts.maxFunctions ?? 100;
  const shownStacks = stacks.filter(interesting);
  const shownFns = functions.filter(interesting);

  const report: TrendReport = {
    kind: kind === 'heap' && ps[0]!.defaultSampleType === 'alloc_space' ? 'allocs' : kind,
    sampleType: st.type,
    unit: st.unit,
    cumulative,
    order: ord.order,
    snapshots: ps.map((p, k) => ({
      name: ns[k]!,
      timeNanos: p.timeNanos,
      offsetSeconds: ord.offsets[k]!,
      total: totals[k]!,
    })),
    total,
    unboundedTotal,
    stacks: shownStacks.slice(0, maxStacks),
    stackCount: shownStacks.length,
    functions: shownFns.slice(0, maxFunctions),
    functionCount: shownFns.length,
    leak,
    leakConfidence: round2(leakConfidence),
    leakStacks: leakStacks.length,
    summary: '',
    boundedKinds: kinds.map((b) => ({ id: b.id, reason: b.reason, rule: b.rule })),
    warnings,
    notes,
  };
  report.summary = summarize(report);
  if (opts.rules) report.rules = ruleTrends(ps, ns, opts.rules, kinds, x, ord.hours, periodFloor, opts.etcdVersion);
  if (opts.limit !== undefined) report.projection = projectLimit(report, opts.limit);
  return report;
}

/** Each rule's signature across the snapshots, judged like a stack. */
function ruleTrends(
  ps: Profile[],
  ns: string[],
  rules: Rule[],
  kinds: BoundedGrowth[],
  x: number[],
  hours: boolean,
  periodFloor: number,
  etcdVersion?: string,
): RuleTrend[] {
  const views = ps.map((p, k) => new ProfileView(p, ns[k]!));
  const last = analyzeProfiles([{ profile: ps[ps.length - 1]!, name: ns[ns.length - 1]! }], rules, {
    etcdVersion,
    top: () => [],
  });
  const fired = new Set(last.diagnoses.map((d) => d.id));
  const out: RuleTrend[] = [];
  for (const rule of rules) {
    const sigs = views.map((v) => ruleSignature(v, rule));
    const sig = sigs.find((s) => s !== undefined);
    if (!sig) continue;
    const y = sigs.map((s) => s?.value ?? 0);
    const totals = sigs.map((s) => s?.total ?? 0);
    const stats = seriesStats(x, y, hours);
    const th: Thresholds = {
      floor: unitKind(sig.unit) === 'bytes' ? periodFloor : sig.sampleType === 'goroutine' ? 3 : 0,
      relative: 0.01 * Math.max(...totals),
    };
    const bounded = kinds.find((k) => k.rule === rule.id);
    const j = judge(x, y, stats, th, CUMULATIVE.has(sig.sampleType), bounded);
    const firesOnLast = fired.has(rule.id);
    const grows = j.verdict === 'leak' || j.verdict === 'bounded' || j.verdict === 'growing' || j.verdict === 'plateau';
    if (!firesOnLast && !grows) continue;
    out.push({
      name: rule.id,
      values: y,
      stats,
      ...j,
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      sampleType: sig.sampleType,
      unit: sig.unit,
      basis: sig.basis,
      patterns: sig.patterns,
      shares: sigs.map((s) => s?.share ?? 0),
      firesOnLast,
      fixedIn: rule.etcdVersions?.fixed ?? [],
    });
  }
  const RANK: Partial<Record<Verdict, number>> = { leak: 0, growing: 1, bounded: 2, plateau: 3 };
  const rank = (r: RuleTrend) => RANK[r.verdict] ?? 4;
  out.sort((a, b) => rank(a) - rank(b) || b.stats.fittedGrowth - a.stats.fittedGrowth || a.id.localeCompare(b.id));
  return out;
}

function sumAbs(p: Profile, vi: number): number {
  const nT = p.sampleTypes.length;
  let t = 0;
  for (let s = 0; s < p.samples.length; s++) t += Math.abs(p.samples.values[s * nT + vi]!);
  return t;
}

function subsetProfile(p: Profile, keep: number[]): Profile {
  const s = p.samples;
  const nT = p.sampleTypes.length;
  if (keep.length === s.length) return p;
  const values = new Float64Array(keep.length * nT);
  const stackStart = new Uint32Array(keep.length + 1);
  let frames = 0;
  for (const i of keep) frames += s.stackStart[i + 1]! - s.stackStart[i]!;
  const stack = new Uint32Array(frames);
  let at = 0;
  keep.forEach((i, j) => {
    values.set(s.values.subarray(i * nT, i * nT + nT), j * nT);
    stackStart[j] = at;
    stack.set(s.stack.subarray(s.stackStart[i]!, s.stackStart[i + 1]!), at);
    at += s.stackStart[i + 1]! - s.stackStart[i]!;
  });
  stackStart[keep.length] = at;
  return { ...p, samples: { length: keep.length, values, stackStart, stack } };
}

function summarize(r: TrendReport): string {
  const g = r.total.stats;
  const pctChange =
    g.first !== 0 ? ` (${g.last >= g.first ? '+' : ''}${((100 * (g.last - g.first)) / g.first).toFixed(0)}%)` : '';
  if (r.cumulative) return `No leak verdict: ${r.sampleType} only grows (allocation rate)`;
  if (r.leak) {
    const what =
      r.leakStacks > 0
        ? `${r.leakStacks} ${r.leakStacks === 1 ? 'stack grows' : 'stacks grow'} steadily`
        : 'the total grows steadily';
    return `LEAK: ${what}; total ${r.total.verdict === 'leak' || r.total.verdict === 'growing' ? 'grows' : 'changes'}${pctChange}; confidence ${Math.round(100 * r.leakConfidence)}%`;
  }
  if (
    r.total.verdict === 'bounded' ||
    (r.unboundedTotal.verdict !== r.total.verdict && r.stacks.some((s) => s.verdict === 'bounded'))
  ) {
    const b = r.stacks.find((s) => s.verdict === 'bounded');
    const kind = r.boundedKinds.find((k) => k.id === b?.bounded);
    return `No leak: the total grows${pctChange}, but the growth is bounded (${kind?.id ?? 'bounded'}: ${kind?.reason ?? ''})`;
  }
  const words: Record<Verdict, string> = {
    leak: 'grows',
    bounded: 'grows (bounded)',
    plateau: 'grew, then levelled off',
    growing: 'grows, but not steadily',
    fluctuating: 'goes up and down',
    stable: 'is stable',
    shrinking: 'shrinks',
    cumulative: 'only grows',
  };
  return `No leak: the total ${words[r.total.verdict]}${pctChange}`;
}

/** When the total reaches `limit` (in the sample unit) at its current slope. */
export function projectLimit(r: TrendReport, limit: number): Projection {
  const lastNanos = r.order === 'time' ? r.snapshots[r.snapshots.length - 1]!.timeNanos : 0;
  const hours = r.order !== 'given';
  const s = r.total.stats;
  const current = s.last;
  const base = { limit, current, slopePerHour: s.slopePerHour };
  if (current >= limit) {
    return {
      ...base,
      status: 'reached',
      hoursToLimit: 0,
      atNanos: lastNanos || null,
      snapshotsToLimit: 0,
      text: 'already reached',
    };
  }
  const growing = r.total.verdict === 'leak' || r.total.verdict === 'growing' || r.total.verdict === 'bounded';
  if (r.cumulative || !growing || s.slopePerSnapshot <= 0) {
    const why = r.cumulative ? `${r.sampleType} is a since-start counter` : `the total is ${r.total.verdict}`;
    return {
      ...base,
      status: 'not-approaching',
      hoursToLimit: null,
      atNanos: null,
      snapshotsToLimit: null,
      text: `not approaching (${why})`,
    };
  }
  const boundedOnly =
    r.total.verdict === 'bounded' || (r.unboundedTotal.verdict !== 'leak' && r.unboundedTotal.verdict !== 'growing');
  const caveat = boundedOnly ? 'the growth is bounded, so it should level off before' : undefined;
  if (hours && s.slopePerHour !== null && s.slopePerHour > 0) {
    const h = (limit - current) / s.slopePerHour;
    return {
      ...base,
      status: 'approaching',
      hoursToLimit: h,
      atNanos: lastNanos ? lastNanos + h * 3600e9 : null,
      snapshotsToLimit: null,
      text: `in about ${hoursText(h)}`,
      caveat,
    };
  }
  const k = (limit - current) / s.slopePerSnapshot;
  return {
    ...base,
    status: 'approaching',
    hoursToLimit: null,
    atNanos: null,
    snapshotsToLimit: k,
    text: `in about ${Math.ceil(k)} more snapshots at the same spacing`,
    caveat,
  };
}

export function hoursText(h: number): string {
  if (h < 1 / 60) return `${Math.max(1, Math.round(h * 3600))}s`;
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${h < 10 ? h.toFixed(1) : Math.round(h)} h`;
  const d = h / 24;
  if (d < 60) return `${d < 10 ? d.toFixed(1) : Math.round(d)} days`;
  return `${Math.round(d / 30.4)} months`;
}
