/**
 * The analysis result: a plain, serialisable object (no classes, no Maps, no typed arrays), built
 * by the engine and rendered by src/report/analysis-text.ts, analysis-json.ts and later Markdown /
 * HTML. `schemaVersion` changes when a field changes meaning or disappears.
 */
import type { ModelName, ProfileKind, Severity, Target } from './schema.js';

/**
 * 2: diagnoses ranked by the lens (`lens`, `Diagnosis.measures`, `lensNote`), causes before the
 * symptoms they explain (`explains`, `explainedBy`), remediation steps and metrics filtered by the
 * process's versions (`env`, `etcd`, `go`, `versionNote`, `omitted`).
 */
export const ANALYSIS_SCHEMA_VERSION = 2;

export interface ProfileSummary {
  /** File name / URL as given. */
  name: string;
  format: string;
  /** Kinds this input answers for (heap, allocs, cpu, …). */
  kinds: ProfileKind[];
  sampleTypes: string[];
  /** Sample type used for the total and the top table. */
  sampleType: string;
  unit: string;
  total: number;
  totalText: string;
  durationSeconds?: number;
  hasStacks: boolean;
  samples: number;
  truncated: boolean;
  notes: string[];
}

export interface VersionSummary {
  range: string;
  label: string;
  /** stated = --etcd-version/--go-version; metrics = the process's own /metrics or status. */
  source: 'stated' | 'metrics' | 'inferred' | 'assumed';
  evidence: string[];
}

export interface ProcessSummary {
  kind: 'etcd-server' | 'etcd-client' | 'etcd-embedder' | 'other-go' | 'unknown';
  role: 'leader' | 'follower' | 'unknown';
  flavor?: string;
  etcdVersion: VersionSummary | null;
  goVersion: VersionSummary | null;
  evidence: string[];
  roleEvidence: string[];
}

export interface FunctionFigure {
  name: string;
  flat: number;
  cum: number;
  flatShare: number;
  cumShare: number;
  flatText: string;
  cumText: string;
}

/** One source line of a matching function, from a pasted `list` / `weblist` (its hottest lines). */
export interface LineFigure {
  /** The routine the line belongs to. */
  function: string;
  /** The file as printed, and the line number. */
  file: string;
  line: number;
  flat: number;
  cum: number;
  flatShare: number;
  cumShare: number;
  flatText: string;
  cumText: string;
  /** The source text as printed (bounded). */
  source: string;
}

/** One stack and the goroutines (or contention) on it: see src/analysis/goroutine-stacks.ts. */
export interface StackFigure {
  /** Function names, leaf first (at most MAX_STACK_FRAMES). */
  frames: string[];
  /** Frames rootward of those, left out. */
  moreFrames: number;
  value: number;
  /** value ÷ profile total. */
  share: number;
  valueText: string;
  /** Wait states, most goroutines first. */
  states: { state: string; value: number }[];
  /** dump = the goroutine dump's headers; stack = implied by the runtime frames; none = unknown. */
  stateSource: 'dump' | 'stack' | 'none';
  /** From a goroutine dump: goroutines blocked a minute or more, and the most minutes printed. */
  blocked?: { maxMinutes: number; value: number };
}

/** The largest stacks of a goroutine profile (count, share, wait state). */
export interface StackTable {
  profile: string;
  sampleType: string;
  unit: string;
  total: number;
  totalText: string;
  /** Distinct stacks in the profile. */
  distinct: number;
  rows: StackFigure[];
  /** What the input can and cannot say about wait states. */
  note?: string;
}

export interface Evidence {
  /** Input the figure comes from. */
  profile: string;
  profileKind: ProfileKind;
  sampleType: string;
  unit: string;
  /** require = needed to fire; support = corroboration; exclude = rules it out. */
  role: 'require' | 'support' | 'exclude';
  held: boolean;
  /** Plain-language meaning (the condition's note, or generated). */
  what: string;
  patterns: string[];
  under?: string[];
  notUnder?: string[];
  /** Threshold in words ("flat ≥ 20%"), empty when presence is enough. */
  threshold: string;
  flat: number;
  cum: number;
  total: number;
  flatShare: number;
  cumShare: number;
  flatText: string;
  cumText: string;
  totalText: string;
  /** measured / threshold for the binding threshold (≥ 1 when held). */
  margin?: number;
  /** Largest matching functions. */
  functions: FunctionFigure[];
  /** What could not be checked on this input. */
  unverified: string[];
  /** One-line summary. */
  text: string;
  /** `sameStack` conditions: the stack that was measured. */
  stack?: StackFigure;
  /**
   * On an input that cannot give the cum exactly (a pasted table), the range its share of the
   * total lies in: [at least, at most]. `cumShare` is the figure measured, inside it.
   */
  cumShareRange?: [number, number];
  /** A pasted `list` / `weblist`: the hottest source lines of the matching functions (at most 3). */
  lines?: LineFigure[];
}

export interface ModelInput {
  name: string;
  value: number | null;
  text: string;
  /** How it was measured or estimated. */
  how: string;
}

export interface ModelResult {
  name: ModelName;
  title: string;
  unit: 'bytes' | 'count' | 'ratio';
  estimate: number | null;
  estimateText: string;
  measured: number | null;
  measuredText: string;
  inputs: ModelInput[];
  /** One line: "model ≈ X vs measured Y". */
  text: string;
  notes: string[];
}

export interface ConfidenceFactor {
  factor: string;
  delta: number;
  why: string;
}

export interface RemediationOut {
  do: string;
  command?: string;
  flag?: string;
  /** An environment variable to set (NAME=value), not a flag. */
  env?: string;
  code?: string;
  /** etcd / Go versions the step exists in (semver ranges), as the rule states them. */
  etcd?: string;
  go?: string;
  /** Set when the process's version is unknown or only partly inside that range: "etcd ≥ 3.5.14 only". */
  versionNote?: string;
}

/**
 * A rule's metric as shown for a diagnosis: kept for the process's versions (see advice.ts), and
 * checked against the scrape when one was given (see metric-checks.ts).
 */
export interface MetricOut {
  name: string;
  expect: string;
  /** etcd / Go versions the metric exists in (semver ranges), as the rule states them. */
  etcd?: string;
  go?: string;
  /** Set when the process's version is unknown or only partly inside that range. */
  versionNote?: string;
  /** The rule's machine check of `expect`, when it has one. */
  check?: { op: '>' | '>=' | '<' | '<=' | '=='; value?: number; metric?: string; times?: number };
  /** Only with a scrape: confirmed / contradicted by `check`, not-scraped, or unchecked (no check). */
  status?: 'confirmed' | 'contradicted' | 'not-scraped' | 'unchecked';
  /** The scraped value (sum of the matching samples). */
  value?: number;
  /** One line: "20000 >= 1000 in metrics.txt". */
  text?: string;
}

/** A remediation step or metric left out because the process's version does not have it. */
export interface OmittedAdvice {
  kind: 'step' | 'metric';
  /** The step's `do` or the metric's name. */
  text: string;
  /** "needs etcd ≥ 3.5.14; this process: etcd 3.4.x (inferred)". */
  reason: string;
}

/**
 * What a finding measures, from the sample types its detectors fired on: memory `in-use` now,
 * memory `allocated` since the process started, `cpu` time, `goroutines`, `contention` delay,
 * `threads` created.
 */
export type Measure = 'in-use' | 'allocated' | 'cpu' | 'goroutines' | 'contention' | 'threads' | 'other';

/**
 * The question the inputs answer, which orders the diagnoses: a heap profile answers "what holds
 * memory now" (`in-use` first, `allocated` after), an allocs profile "what allocates" (the
 * reverse), a CPU profile "what uses the CPU"; several profiles of different kinds `combined`
 * (the state now first, allocation since start after).
 */
export interface Lens {
  kind: Exclude<Measure, 'other'> | 'combined';
  /** The measures in rank order: findings on tiers[0] first, then tiers[1], …; others last. */
  tiers: Measure[][];
  /** The sample type read, for a single-question lens. */
  sampleType?: string;
  /** One line for people: "memory in use now (heap profile, inuse_space); …". */
  text: string;
}

export interface Diagnosis {
  id: string;
  title: string;
  severity: Severity;
  /** 0–1, see `confidenceFactors`. */
  confidence: number;
  confidenceFactors: ConfidenceFactor[];
  appliesTo: Target[];
  /** Which detectors fired, on which input. */
  firedOn: { profile: string; profileKind: ProfileKind; sampleType: string; note?: string }[];
  evidence: Evidence[];
  models: ModelResult[];
  /** etcd versions affected (semver range), or null when the rule names none. */
  affected: string | null;
  /** The same for people: "≤ 3.1.18 or 3.2.0 – 3.2.23 or 3.3.0 – 3.3.8". */
  affectedLabel: string | null;
  fixedIn: string[];
  versionNote?: string;
  goAffected: string | null;
  goAffectedLabel: string | null;
  explanation: string;
  remediation: RemediationOut[];
  /**
   * The rule's metrics kept for the process's versions, each checked against the scrape when one
   * was given (see advice.ts, metric-checks.ts).
   */
  metrics: MetricOut[];
  /** Steps and metrics left out for the process's version (see RemediationOut.etcd / go). */
  omitted: OmittedAdvice[];
  /** What the evidence that fired measures (see Measure). */
  measures: Measure[];
  /**
   * Set when the finding measures something other than the lens's first question, e.g.
   * "allocated since start (alloc_space): ranked after memory in use now".
   */
  lensNote?: string;
  /** Ids of the diagnoses shown under this one as its consequences (its rule `explains` them). */
  explains: string[];
  /** The diagnosis this one is shown under, as its consequence. */
  explainedBy?: string;
  /**
   * Ranked by share (a single-question lens): the share of the lens's measure it was ranked by,
   * as [at least, at most] — one figure twice when the input measures it exactly; for a cause,
   * the best of it and the consequences shown under it.
   */
  rankShare?: [number, number];
  /**
   * On the first diagnosis only: the findings the input cannot tell it apart from, because their
   * ranges of share overlap its own (a pasted table gives ranges, not figures): which comes first
   * is not known from this input. Their order is then by confidence, severity, id.
   */
  undecidedWith?: string[];
  references: { title: string; url?: string }[];
  ruleFile: string;
}

export interface RuledOut {
  id: string;
  title: string;
  severity: Severity;
  /** version = the version context excludes it; process = wrong process kind or role; exclusion = a
   * frame that rules it out; insufficient = it needs data the inputs lack. */
  because: 'version' | 'process' | 'exclusion' | 'insufficient';
  reason: string;
  evidence: Evidence[];
}

export interface TopRow {
  name: string;
  flat: number;
  flatPercent: number;
  sumPercent: number;
  cum: number;
  cumPercent: number;
  flatText: string;
  cumText: string;
}

export interface TopTable {
  profile: string;
  sampleType: string;
  unit: string;
  total: number;
  totalText: string;
  rows: TopRow[];
}

export interface AnalysisReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  /** The first (primary) input. */
  profile: ProfileSummary;
  /** Every input, when several profiles of one process were given. */
  profiles: ProfileSummary[];
  process: ProcessSummary;
  /** How the diagnoses are ranked. */
  lens: Lens;
  /**
   * Ranked by the lens (its first question first), then by confidence; a consequence follows the
   * cause that explains it.
   */
  diagnoses: Diagnosis[];
  ruledOut: RuledOut[];
  /** Rules evaluated and how many inputs they could read. */
  rulesEvaluated: number;
  /** Top functions of the primary input. */
  top: TopRow[];
  /** Top tables of every input (same rows as `top` for the first). */
  tops: TopTable[];
  /** Goroutine inputs: the largest stacks (a function table of one says `runtime.gopark`). */
  stacks: StackTable[];
  notes: string[];
}
