/**
 * The rule engine: evaluates rules on one or more profiles of one process and builds the
 * `AnalysisReport` (plain data). Environment-neutral.
 *
 * Per rule: every detector reads the inputs of its profile kind; a detector fires on an input when
 * all `require` conditions hold and no `exclude` holds. A rule that fires is then checked against
 * the process (kind, role) and the version context (etcd, Go); a mismatch moves it to `ruledOut`
 * with the reason. Confidence (0–1) is explained factor by factor (see `confidence()`).
 */
import { type Profile, defaultSampleIndex } from '../profile/model.js';
import { top } from '../analysis/top.js';
import { autoLabel } from '../profile/units.js';
import { valueFormatter } from '../report/pprof-text.js';
import { adviceFor } from './advice.js';
import { type InferOptions, inferContext, type ProcessInfo, shortName } from './context.js';
import { chooseLens, measureOf } from './lens.js';
import { ProfileView } from './matcher.js';
import { withStatedSampleType } from './stated-type.js';
import { hidesLeadingRuntimeFrames, namesOnlyRuntimeFrames } from './hidden-frames.js';
import { missingStacksWhy } from './table-edges.js';
import { computeModel } from './models.js';
import { profileKinds, sampleIndexFor } from './profile-kind.js';
import { rankDiagnoses } from './ranking.js';
import { contentionNotes, stackFigure, stackSummary, stackTables } from './stacks.js';
import {
  ANALYSIS_SCHEMA_VERSION,
  type AnalysisReport,
  type ConfidenceFactor,
  type Diagnosis,
  type Evidence,
  type Measure,
  type ProcessSummary,
  type ProfileSummary,
  type RuledOut,
  type TopRow,
  type TopTable,
} from './report.js';
import type { Condition, Detector, ProfileKind, Rule, Severity, Target, Versions } from './schema.js';
import { isSubset, overlaps, rangeLabel } from './versions.js';
import type { MetricFacts } from '../metrics/facts.js';
import type { PromScrape } from '../metrics/prom-text.js';
import { applyMetricFacts } from './metric-context.js';
import { checkMetric, confidenceFromFactors, metricsFactor } from './metric-checks.js';

export interface AnalyzeInput {
  profile: Profile;
  /** File name or URL, shown in the evidence. */
  name: string;
}

/** Top-N provider (the analysis module's `top`), so numbers match `go tool pprof -top`. */
export type TopProvider = (profile: Profile, sampleIndex: number, n: number) => TopRow[];

export interface AnalyzeOptions extends InferOptions {
  /** A /metrics scrape of the same process: versions and role, rule metric checks, exact model counts. */
  metrics?: { scrape: PromScrape; facts: MetricFacts };
  /** Analyse one sample type only (name such as inuse_space, or an index). */
  sampleIndex?: string;
  /** Rows in the top table (default 10). */
  topN?: number;
  top?: TopProvider;
  toolVersion?: string;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export function severityAtLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[threshold];
}

function pct(x: number): string {
  const p = 100 * x;
  if (p === 0) return '0%';
  if (p >= 10) return `${p.toFixed(1)}%`;
  if (p >= 1) return `${p.toFixed(2)}%`;
  return `${p.toPrecision(2)}%`;
}

function fmt(v: number, unit: string): string {
  return autoLabel(v, unit);
}

// ---------------------------------------------------------------------------------------------
// Conditions

interface ConditionResult {
  evidence: Evidence;
  /** The input lacks what the condition needs (no memStats, no labels). */
  insufficient: boolean;
}

function thresholdText(c: Condition, unit: string): string {
  const parts: string[] = [];
  if (c.flat !== undefined) parts.push(`flat ≥ ${pct(c.flat)}`);
  if (c.cum !== undefined) parts.push(`cum ≥ ${pct(c.cum)}`);
  if (c.flatValue !== undefined) parts.push(`flat ≥ ${fmt(c.flatValue, unit)}`);
  if (c.cumValue !== undefined) parts.push(`cum ≥ ${fmt(c.cumValue, unit)}`);
  return parts.join(', ');
}

function describePatterns(c: Condition): string {
  const a = (c.frame ?? []).map((p) => p.pattern).join(' | ');
  const u = c.under ? ` under ${c.under.map((p) => p.pattern).join(' | ')}` : '';
  const nu = c.notUnder ? ` not under ${c.notUnder.map((p) => p.pattern).join(' | ')}` : '';
  return `${a}${u}${nu}`;
}

function memStatNumber(ms: Record<string, string> | undefined, key: string): number | null {
  const raw = ms?.[key];
  if (raw === undefined) return null;
  const n = Number(raw.split('/')[0]!.trim());
  return Number.isFinite(n) ? n : null;
}

function evalCondition(
  view: ProfileView,
  kind: ProfileKind,
  sampleIndex: number,
  c: Condition,
  role: Evidence['role'],
): ConditionResult {
  const unit = view.unit(sampleIndex);
  const sampleType = view.sampleTypeName(sampleIndex);
  if (c.memStats) {
    const ms = view.profile.memStats;
    const [numKey, denKey] = c.memStats.ratio;
    const num = memStatNumber(ms, numKey);
    const den = memStatNumber(ms, denKey);
    const insufficient = num === null || den === null;
    const ratio = !insufficient && den! > 0 ? num! / den! : 0;
    const numOk = c.memStats.numeratorAtLeast === undefined || (num ?? 0) >= c.memStats.numeratorAtLeast;
    const held = !insufficient && ratio >= c.memStats.atLeast && numOk;
    const threshold = `${numKey}/${denKey} ≥ ${c.memStats.atLeast}${
      c.memStats.numeratorAtLeast !== undefined ? `, ${numKey} ≥ ${fmt(c.memStats.numeratorAtLeast, 'bytes')}` : ''
    }`;
    const what = c.note ?? `runtime.MemStats ${numKey} / ${denKey}`;
    const text = insufficient
      ? `${what}: no runtime.MemStats ${numKey}/${denKey} in ${view.name} (use a debug=1 heap profile)`
      : `${what}: ${numKey} ${fmt(num!, 'bytes')} / ${denKey} ${fmt(den!, 'bytes')} = ${ratio.toFixed(2)} (needs ${threshold})`;
    return {
      insufficient,
      evidence: {
        profile: view.name,
        profileKind: kind,
        sampleType: 'memstats',
        unit: 'bytes',
        role,
        held,
        what,
        patterns: [],
        threshold,
        flat: num ?? 0,
        cum: num ?? 0,
        total: den ?? 0,
        flatShare: ratio,
        cumShare: ratio,
        flatText: num === null ? 'n/a' : fmt(num, 'bytes'),
        cumText: num === null ? 'n/a' : fmt(num, 'bytes'),
        totalText: den === null ? 'n/a' : fmt(den, 'bytes'),
        margin: insufficient ? undefined : ratio / c.memStats.atLeast,
        functions: [],
        unverified: insufficient ? ['runtime.MemStats not in this input'] : [],
        text,
      },
    };
  }
  const m = view.measure(c, sampleIndex);
  const ratios: number[] = [];
  let held = true;
  const check = (measured: number, thr: number | undefined) => {
    if (thr === undefined) return;
    if (measured < thr) held = false;
    if (thr > 0) ratios.push(measured / thr);
  };
  check(m.flatShare, c.flat);
  check(m.cumShare, c.cum);
  check(m.flat, c.flatValue);
  check(m.cum, c.cumValue);
  if (m.cum <= 0) held = false;
  const threshold = thresholdText(c, unit);
  const margin = ratios.length ? Math.min(...ratios) : undefined;
  const functions = m.functions.slice(0, 3).map((f) => ({
    name: f.name,
    flat: f.flat,
    cum: f.cum,
    flatShare: m.total > 0 ? f.flat / m.total : 0,
    cumShare: m.total > 0 ? f.cum / m.total : 0,
    flatText: fmt(f.flat, unit),
    cumText: fmt(f.cum, unit),
  }));
  const what = c.note ?? describePatterns(c);
  const who = functions.length
    ? functions
        .slice(0, 2)
        .map((f) => shortName(f.name))
        .join(', ') + (m.functions.length > 2 ? ` (+${m.functions.length - 2} more)` : '')
    : 'no matching frame';
  const stack = m.stack ? stackFigure(m.stack, unit) : undefined;
  const text = stack
    ? `${what} — ${stackSummary(stack, m.total, fmt(m.total, unit), sampleType)}${threshold ? `; needs ${threshold}` : ''}`
    : m.cum > 0
      ? `${what} — ${who}: flat ${fmt(m.flat, unit)} (${pct(m.flatShare)}), cum ${fmt(m.cum, unit)} (${pct(m.cumShare)}) of ${fmt(
          m.total,
          unit,
        )} ${sampleType}${threshold ? `; needs ${threshold}` : ''}${m.unverified.length ? `; not verified: ${m.unverified.join(', ')}` : ''}`
      : `${what} — ${who} in ${view.name} (${sampleType})${threshold ? `; needs ${threshold}` : ''}`;
  return {
    insufficient: Boolean(c.labels && !view.profile.samples.labels && view.hasStacks),
    evidence: {
      profile: view.name,
      profileKind: kind,
      sampleType,
      unit,
      role,
      held,
      what,
      patterns: (c.frame ?? []).map((p) => p.pattern),
      under: c.under?.map((p) => p.pattern),
      notUnder: c.notUnder?.map((p) => p.pattern),
      threshold,
      flat: m.flat,
      cum: m.cum,
      total: m.total,
      flatShare: m.flatShare,
      cumShare: m.cumShare,
      flatText: fmt(m.flat, unit),
      cumText: fmt(m.cum, unit),
      totalText: fmt(m.total, unit),
      margin,
      functions,
      unverified: m.unverified,
      text,
      ...(stack ? { stack } : {}),
      ...(m.lines
        ? {
            lines: m.lines.map((l) => ({
              function: l.fn,
              file: l.file,
              line: l.line,
              flat: l.flat,
              cum: l.cum,
              flatShare: m.total > 0 ? l.flat / m.total : 0,
              cumShare: m.total > 0 ? l.cum / m.total : 0,
              flatText: fmt(l.flat, unit),
              cumText: fmt(l.cum, unit),
              source: l.source,
            })),
          }
        : {}),
      ...(m.cumRange && m.total > 0 && (m.cumRange[0] !== m.cum || m.cumRange[1] !== m.cum)
        ? { cumShareRange: [m.cumRange[0] / m.total, m.cumRange[1] / m.total] as [number, number] }
        : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Detectors

interface DetectorResult {
  detector: Detector;
  view: ProfileView;
  sampleType: string;
  fired: boolean;
  requireHeld: boolean;
  insufficient: boolean;
  require: Evidence[];
  support: Evidence[];
  excludedBy?: { reason: string; evidence: Evidence };
  /** An exclusion this input cannot check (its text form hides the runtime frames it names). */
  uncheckedExclusion?: string;
  /** Min margin over require conditions with thresholds (1 when presence only). */
  margin: number;
  unverified: string[];
  /** The sample type read is the input's own default (heap.pb.gz for inuse_space, not allocs.pb.gz). */
  isDefaultType: boolean;
}

function resolveSampleIndex(view: ProfileView, d: Detector, forced?: string): number {
  if (forced !== undefined) {
    const p = view.profile;
    if (/^\d+$/.test(forced)) {
      const i = Number(forced);
      if (!p.source.hasStacks) return i === 0 ? 0 : -1;
      // only when the forced column belongs to this detector's kind family
      const own = sampleIndexFor(p, d.profile, d.sampleType);
      return i === own ? i : -1;
    }
    const own = sampleIndexFor(p, d.profile, d.sampleType);
    const forcedIdx = sampleIndexFor(p, d.profile, forced);
    return forcedIdx >= 0 && forcedIdx === own ? own : -1;
  }
  return sampleIndexFor(view.profile, d.profile, d.sampleType);
}

function evalDetector(d: Detector, view: ProfileView, sampleIndex: number): DetectorResult {
  const req = d.require.map((c) => evalCondition(view, d.profile, sampleIndex, c, 'require'));
  const requireHeld = req.every((r) => r.evidence.held);
  const insufficient = req.some((r) => r.insufficient);
  const support = d.support.map((c) => evalCondition(view, d.profile, sampleIndex, c, 'support').evidence);
  let excludedBy: DetectorResult['excludedBy'];
  let uncheckedExclusion: string | undefined;
  if (requireHeld) {
    const hidden = hidesLeadingRuntimeFrames(view.profile);
    for (const x of d.exclude) {
      const r = evalCondition(view, d.profile, sampleIndex, x, 'exclude');
      // An exclusion that cannot be verified (no stacks for "under") does not exclude.
      if (r.evidence.held && r.evidence.unverified.length === 0) {
        excludedBy = { reason: x.reason, evidence: r.evidence };
        break;
      }
      // Nor does one about runtime frames this text form leaves out, but the finding says so.
      if (!r.evidence.held && hidden && namesOnlyRuntimeFrames(x)) uncheckedExclusion ??= x.reason;
    }
  }
  const margins = req.map((r) => r.evidence.margin).filter((m): m is number => m !== undefined);
  const unverified = [...new Set(req.flatMap((r) => r.evidence.unverified))];
  if (uncheckedExclusion && !excludedBy)
    unverified.push(`the exclusion "${uncheckedExclusion}" (debug=1 text hides the runtime frames it needs)`);
  return {
    detector: d,
    view,
    sampleType: view.sampleTypeName(sampleIndex),
    fired: requireHeld && !excludedBy,
    requireHeld,
    insufficient,
    require: req.map((r) => r.evidence),
    support,
    excludedBy,
    ...(uncheckedExclusion && !excludedBy ? { uncheckedExclusion } : {}),
    margin: margins.length ? Math.min(...margins) : 1,
    unverified,
    isDefaultType: !view.hasStacks || defaultSampleIndex(view.profile) === sampleIndex,
  };
}

function better(a: DetectorResult, b: DetectorResult | undefined): boolean {
  if (!b) return true;
  if (a.fired !== b.fired) return a.fired;
  if (a.requireHeld !== b.requireHeld) return a.requireHeld;
  if (Math.abs(a.margin - b.margin) > 1e-9 * Math.max(1, Math.abs(b.margin))) return a.margin > b.margin;
  // Same figures from two copies of one state (goroutine.pb.gz and goroutine?debug=2): the one that
  // also shows more of the supporting signs (the minutes blocked only a debug=2 dump carries).
  const held = (r: DetectorResult) => r.support.filter((s) => s.held).length;
  if (held(a) !== held(b)) return held(a) > held(b);
  // Same figures (the same heap read from heap.pb.gz, allocs.pb.gz and heap.debug1.txt): prefer the
  // input whose default sample type is the one read, then protobuf over text.
  if (a.isDefaultType !== b.isDefaultType) return a.isDefaultType;
  const proto = (r: DetectorResult) => r.view.profile.source.format === 'pprof-proto';
  if (proto(a) !== proto(b)) return proto(a);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Process and versions

function targetFits(t: Target, ctx: ProcessInfo): { fits: boolean; roleMatch?: boolean } {
  switch (t) {
    case 'any-go':
      return { fits: true };
    case 'etcd-server':
      return { fits: ctx.kind === 'etcd-server' || ctx.kind === 'unknown' };
    case 'etcd-leader':
      if (ctx.kind !== 'etcd-server' && ctx.kind !== 'unknown') return { fits: false };
      if (ctx.role === 'follower') return { fits: false };
      return { fits: true, roleMatch: ctx.role === 'leader' };
    case 'etcd-follower':
      if (ctx.kind !== 'etcd-server' && ctx.kind !== 'unknown') return { fits: false };
      if (ctx.role === 'leader') return { fits: false };
      return { fits: true, roleMatch: ctx.role === 'follower' };
    case 'etcd-client':
      return { fits: ctx.kind === 'etcd-client' || ctx.kind === 'unknown' };
    case 'etcd-embedder':
      return { fits: ctx.kind === 'etcd-embedder' || ctx.kind === 'unknown' };
  }
}

function processFit(rule: Rule, ctx: ProcessInfo): { fits: boolean; roleMatch?: boolean } {
  let best: { fits: boolean; roleMatch?: boolean } = { fits: false };
  for (const t of rule.appliesTo) {
    const f = targetFits(t, ctx);
    if (f.fits && (!best.fits || (f.roleMatch === undefined && best.roleMatch === false) || f.roleMatch)) best = f;
  }
  return best;
}

function describeProcess(ctx: ProcessInfo): string {
  const role = ctx.kind === 'etcd-server' && ctx.role !== 'unknown' ? ` (${ctx.role})` : '';
  const names: Record<ProcessInfo['kind'], string> = {
    'etcd-server': 'an etcd server',
    'etcd-client': 'an application using the etcd client',
    'etcd-embedder': 'a program embedding etcd libraries',
    'other-go': 'a Go program that is not etcd',
    unknown: 'an unknown process',
  };
  return `${names[ctx.kind]}${role}`;
}

type VersionVerdict =
  | { status: 'in'; why: string }
  | { status: 'partial'; why: string }
  | { status: 'unknown'; why: string }
  | { status: 'out'; why: string }
  | { status: 'required-unknown'; why: string };

function versionVerdict(
  what: 'etcd' | 'Go',
  v: Versions | undefined,
  known: ProcessInfo['etcdVersion'],
): VersionVerdict | null {
  if (!v) return null;
  if (!known) {
    if (v.whenUnknown === 'require')
      return { status: 'required-unknown', why: `the ${what} version is unknown and this rule needs it` };
    return { status: 'unknown', why: `${what} version unknown` };
  }
  const src = known.source === 'stated' ? 'stated' : known.source === 'assumed' ? 'assumed' : 'inferred';
  if (!overlaps(known.range, v.affected)) {
    const fixed = v.fixed.length ? `; fixed in ${v.fixed.join(', ')}` : '';
    return {
      status: 'out',
      why: `${what} ${known.label} (${src}${known.evidence[0] ? `: ${known.evidence[0]}` : ''}) is outside the affected range ${rangeLabel(v.affected)}${fixed}`,
    };
  }
  if (isSubset(known.range, v.affected))
    return { status: 'in', why: `${what} ${known.label} (${src}) is in the affected range` };
  if (v.whenUnknown === 'require') {
    return {
      status: 'required-unknown',
      why: `${what} ${known.label} (${src}) may or may not be in the affected range ${rangeLabel(v.affected)}; this rule needs it known to be (state it with --${what === 'Go' ? 'go' : 'etcd'}-version)`,
    };
  }
  return {
    status: 'partial',
    why: `${what} ${known.label} (${src}) overlaps the affected range ${rangeLabel(v.affected)}`,
  };
}

/**
 * Why a rule does not apply to this process, whatever its detectors say: the process kind or role
 * (`appliesTo`), or a version outside `etcdVersions` / `goVersions`. `diff` and `trend` use it to
 * apply the same exclusions as `analyze` to rules that did not fire.
 */
export function ruleExclusion(
  rule: Pick<Rule, 'appliesTo' | 'etcdVersions' | 'goVersions'>,
  process: Pick<ProcessSummary, 'kind' | 'role' | 'etcdVersion' | 'goVersion'>,
): { because: 'process' | 'version' | 'insufficient'; reason: string } | undefined {
  const ctx = process as ProcessInfo;
  if (!processFit(rule as Rule, ctx).fits)
    return {
      because: 'process',
      reason: `the profile is from ${describeProcess(ctx)}; this rule applies to ${rule.appliesTo.join(', ')}`,
    };
  const etcdV = versionVerdict('etcd', rule.etcdVersions, ctx.etcdVersion);
  const goV = versionVerdict('Go', rule.goVersions, ctx.goVersion);
  const blocking = [etcdV, goV].find((v) => v && (v.status === 'out' || v.status === 'required-unknown'));
  if (blocking) return { because: blocking.status === 'out' ? 'version' : 'insufficient', reason: blocking.why };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Confidence

function confidence(
  best: DetectorResult,
  firedKinds: number,
  ctx: ProcessInfo,
  roleMatch: boolean | undefined,
  verdicts: (VersionVerdict | null)[],
): { value: number; factors: ConfidenceFactor[] } {
  const f: ConfidenceFactor[] = [{ factor: 'base', delta: 0.5, why: 'a detector fired' }];
  const m = best.margin;
  const marginDelta = 0.2 * Math.max(0, Math.min(1, Math.log(m) / Math.log(4)));
  f.push({
    factor: 'margin',
    delta: marginDelta,
    why: best.require.some((e) => e.threshold)
      ? `measured ${m.toFixed(1)}× the threshold (4× or more gives the full +0.20)`
      : 'presence only',
  });
  const sup = best.support;
  if (sup.length) {
    const held = sup.filter((s) => s.held).length;
    f.push({
      factor: 'corroboration',
      delta: (0.2 * held) / sup.length,
      why: `${held} of ${sup.length} supporting signs present`,
    });
  }
  if (!best.view.hasStacks) f.push({ factor: 'stacks', delta: -0.1, why: missingStacksWhy(best.view.profile) });
  if (best.unverified.length)
    f.push({ factor: 'unverified', delta: -0.1, why: `not verifiable here: ${best.unverified.join('; ')}` });
  if (firedKinds > 1) f.push({ factor: 'several profiles', delta: 0.1, why: `fired on ${firedKinds} profile kinds` });
  if (ctx.kind === 'unknown')
    f.push({ factor: 'process', delta: -0.15, why: 'the process kind could not be inferred' });
  if (roleMatch === true) f.push({ factor: 'role', delta: 0.05, why: `the ${ctx.role} role matches` });
  if (roleMatch === false) f.push({ factor: 'role', delta: -0.05, why: 'the raft role could not be inferred' });
  for (const v of verdicts) {
    if (!v) continue;
    if (v.status === 'in') f.push({ factor: 'version', delta: 0.1, why: v.why });
    else if (v.status === 'unknown') f.push({ factor: 'version', delta: -0.05, why: v.why });
    else if (v.status === 'partial') f.push({ factor: 'version', delta: -0.05, why: v.why });
  }
  const sum = f.reduce((a, x) => a + x.delta, 0);
  const value = Math.round(Math.max(0.05, Math.min(0.99, sum)) * 100) / 100;
  for (const x of f) x.delta = Math.round(x.delta * 100) / 100;
  return { value, factors: f };
}

// ---------------------------------------------------------------------------------------------
// Summaries and top

function summarize(v: ProfileView): ProfileSummary {
  const p = v.profile;
  const kinds = profileKinds(p);
  const idx = p.source.hasStacks ? defaultSampleIndex(p) : 0;
  const unit = v.unit(idx);
  const total = v.total(idx);
  return {
    name: v.name,
    format: p.source.format,
    kinds,
    sampleTypes: p.source.hasStacks ? p.sampleTypes.map((t) => `${t.type}/${t.unit}`) : [v.sampleTypeName(0)],
    sampleType: v.sampleTypeName(idx),
    unit,
    total,
    totalText: fmt(total, unit),
    durationSeconds: p.durationNanos > 0 ? p.durationNanos / 1e9 : undefined,
    hasStacks: p.source.hasStacks,
    samples: p.source.hasStacks ? p.samples.length : (p.table?.rows.length ?? 0),
    truncated: p.source.truncated,
    notes: p.source.notes,
  };
}

/** The analysis module's `top` (pprof's -top numbers, trimming and units) as TopRows. */
export const pprofTop: TopProvider = (profile, sampleIndex, n) => {
  const r = top(profile, { sampleIndex: profile.source.hasStacks ? sampleIndex : undefined, nodeCount: n });
  const fmtV = valueFormatter(r.header.sampleUnit, r.outputUnit);
  const total = r.total;
  let sum = 0;
  return r.rows.map((row): TopRow => {
    sum += row.flat;
    return {
      name: row.inline ? `${row.name} (${row.inline})` : row.name,
      flat: row.flat,
      flatPercent: total ? (100 * row.flat) / total : (row.flatPercent ?? 0),
      sumPercent: total ? (100 * sum) / total : 0,
      cum: row.cum,
      cumPercent: total ? (100 * row.cum) / total : (row.cumPercent ?? 0),
      flatText: fmtV(row.flat),
      cumText: fmtV(row.cum),
    };
  });
};

/** The note for a first place the input cannot decide (ranking.ts `undecidedWith`), or undefined. */
function undecidedNote(ranked: Diagnosis[]): string | undefined {
  const first = ranked[0];
  if (!first?.undecidedWith?.length) return undefined;
  const shareText = (d: Diagnosis) => {
    const r = d.rankShare;
    if (!r) return d.id;
    return Math.abs(r[1] - r[0]) <= 1e-9 ? `${d.id}: ${pct(r[0])}` : `${d.id}: ${pct(r[0])} to ${pct(r[1])}`;
  };
  const others = first.undecidedWith.map((id) => ranked.find((d) => d.id === id)).filter((d) => d !== undefined);
  return (
    `This input cannot tell which finding comes first — ${[first, ...others].map(shareText).join('; ')} of the total ` +
    '(a pasted table gives a range, not a figure, for a share over several functions, or under a caller or label it cannot check); ' +
    'they are listed by the figure measured. A profile with stacks (the .pb.gz or -traces) decides it.'
  );
}

// ---------------------------------------------------------------------------------------------
// The entry point

export function analyzeProfiles(inputs: AnalyzeInput[], rules: Rule[], opts: AnalyzeOptions = {}): AnalysisReport {
  if (inputs.length === 0) throw new Error('analyzeProfiles: no input');
  const views = inputs.map((i) => new ProfileView(withStatedSampleType(i.profile, opts.sampleIndex), i.name));
  const inferred = inferContext(views, opts);
  // Facts a scrape states (versions, role) override inference; the version filter below sees them.
  const ctx = opts.metrics ? applyMetricFacts(inferred, opts.metrics.facts) : inferred;
  const diagnoses: Diagnosis[] = [];
  const ruledOut: RuledOut[] = [];
  const notes = [...ctx.notes, ...contentionNotes(views)];

  for (const rule of rules) {
    const bestPerDetector: DetectorResult[] = [];
    for (const d of rule.detect) {
      let best: DetectorResult | undefined;
      let excluded: DetectorResult | undefined;
      for (const v of views) {
        if (!profileKinds(v.profile).includes(d.profile)) continue;
        const idx = resolveSampleIndex(v, d, opts.sampleIndex);
        if (idx < 0) continue;
        const r = evalDetector(d, v, idx);
        if (r.excludedBy) excluded ??= r;
        if (better(r, best)) best = r;
      }
      // An input that could check the exclusion (goroutine.pb.gz) rules out what one that could
      // not (goroutine?debug=1 of the same process) would report.
      if (best?.uncheckedExclusion && excluded) best = excluded;
      if (best) bestPerDetector.push(best);
    }
    const fired = bestPerDetector.filter((r) => r.fired);
    if (fired.length === 0) {
      const excluded = bestPerDetector.find((r) => r.excludedBy);
      if (excluded) {
        ruledOut.push({
          id: rule.id,
          title: rule.title,
          severity: rule.severity,
          because: 'exclusion',
          reason: excluded.excludedBy!.reason,
          evidence: [...excluded.require, excluded.excludedBy!.evidence],
        });
      } else {
        // Part of the signature is there but the input lacks the data for the rest (memStats, labels).
        const partial = bestPerDetector.find((r) => r.insufficient && r.require.some((e) => e.held));
        if (partial) {
          ruledOut.push({
            id: rule.id,
            title: rule.title,
            severity: rule.severity,
            because: 'insufficient',
            reason:
              partial.require.find((e) => !e.held && e.unverified.length)?.text ??
              'the input lacks data this rule needs',
            evidence: partial.require,
          });
        }
      }
      continue;
    }
    fired.sort((a, b) => b.margin - a.margin);
    const best = fired[0]!;
    const evidence = fired.flatMap((r) => [...r.require, ...r.support.filter((s) => s.held)]);

    const fit = processFit(rule, ctx);
    if (!fit.fits) {
      ruledOut.push({
        id: rule.id,
        title: rule.title,
        severity: rule.severity,
        because: 'process',
        reason: `the profile is from ${describeProcess(ctx)}; this rule applies to ${rule.appliesTo.join(', ')}`,
        evidence,
      });
      continue;
    }
    const etcdV = versionVerdict('etcd', rule.etcdVersions, ctx.etcdVersion);
    const goV = versionVerdict('Go', rule.goVersions, ctx.goVersion);
    const blocking = [etcdV, goV].find((v) => v && (v.status === 'out' || v.status === 'required-unknown'));
    if (blocking) {
      ruledOut.push({
        id: rule.id,
        title: rule.title,
        severity: rule.severity,
        because: blocking.status === 'out' ? 'version' : 'insufficient',
        reason: blocking.why,
        evidence,
      });
      continue;
    }
    const kinds = new Set(fired.map((r) => r.detector.profile));
    const conf = confidence(best, kinds.size, ctx, fit.roleMatch, [etcdV, goV]);
    // The metrics kept for the process's versions are the ones checked against the scrape.
    const advice = adviceFor(rule.remediation, rule.metrics, ctx);
    const source = opts.metrics?.facts.source ?? '';
    const metricOut = advice.metrics.map((m) => checkMetric(m, opts.metrics?.scrape, source));
    const byMetrics = metricsFactor(metricOut, source);
    if (byMetrics) {
      conf.factors.push(byMetrics);
      conf.value = confidenceFromFactors(conf.factors);
    }
    const measures = [...new Set(fired.map((r): Measure => measureOf(r.sampleType)))];
    diagnoses.push({
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      confidence: conf.value,
      confidenceFactors: conf.factors,
      appliesTo: rule.appliesTo,
      firedOn: fired.map((r) => ({
        profile: r.view.name,
        profileKind: r.detector.profile,
        sampleType: r.sampleType,
        note: r.detector.note,
      })),
      evidence,
      models: rule.models.map((m) => computeModel(m, views, ctx, opts.metrics?.facts)),
      affected: rule.etcdVersions?.affected ?? null,
      affectedLabel: rule.etcdVersions ? rangeLabel(rule.etcdVersions.affected) : null,
      fixedIn: rule.etcdVersions?.fixed ?? [],
      versionNote: rule.etcdVersions?.note ?? rule.goVersions?.note,
      goAffected: rule.goVersions?.affected ?? null,
      goAffectedLabel: rule.goVersions ? rangeLabel(rule.goVersions.affected) : null,
      explanation: rule.explanation.trim(),
      remediation: advice.remediation,
      metrics: metricOut,
      omitted: advice.omitted,
      measures,
      explains: [],
      references: rule.references,
      ruleFile: rule.file,
    });
  }

  const profiles = views.map(summarize);
  const lens = chooseLens(profiles, opts.sampleIndex);
  const ranked = rankDiagnoses(diagnoses, lens, new Map(rules.map((r) => [r.id, r.explains ?? []])));
  const undecided = undecidedNote(ranked);
  if (undecided) notes.push(undecided);
  // By code unit: rule ids are lower-case ASCII kebab-case, where that is the collation order too,
  // and a first localeCompare would load ICU's collation data (~40 M instructions).
  ruledOut.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const topN = opts.topN ?? 10;
  const topFn = opts.top ?? pprofTop;
  const tops: TopTable[] = views.map((v) => {
    const p = v.profile;
    const idx = p.source.hasStacks ? defaultSampleIndex(p) : 0;
    const unit = v.unit(idx);
    const total = v.total(idx);
    return {
      profile: v.name,
      sampleType: v.sampleTypeName(idx),
      unit,
      total,
      totalText: fmt(total, unit),
      rows: topFn(p, idx, topN),
    };
  });
  for (const s of profiles)
    if (s.kinds.length === 0) notes.push(`${s.name}: profile type not recognised; only generic rules can read it`);

  return {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    tool: { name: 'pprof-doctor', version: opts.toolVersion ?? '' },
    profile: profiles[0]!,
    profiles,
    process: {
      kind: ctx.kind,
      role: ctx.role,
      flavor: ctx.flavor,
      etcdVersion: ctx.etcdVersion,
      goVersion: ctx.goVersion,
      evidence: ctx.kindEvidence,
      roleEvidence: ctx.roleEvidence,
    },
    lens,
    diagnoses: ranked,
    ruledOut,
    rulesEvaluated: rules.length,
    top: tops[0]!.rows,
    tops,
    stacks: stackTables(views),
    notes,
  };
}
