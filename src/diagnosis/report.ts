/**
 * The analysis result: a plain, serialisable object (no classes, no Maps, no typed arrays), built
 * by the engine and rendered by src/report/analysis-text.ts, analysis-json.ts and later Markdown /
 * HTML. `schemaVersion` changes when a field changes meaning or disappears.
 */
import type { ModelName, ProfileKind, Severity, Target } from './schema.js';

export const ANALYSIS_SCHEMA_VERSION = 1;

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
  code?: string;
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
  /** The rule's metrics, each checked against the scrape when one was given (see metric-checks.ts). */
  metrics: MetricOut[];
  references: { title: string; url?: string }[];
  sources: string[];
  ruleFile: string;
}

export interface MetricOut {
  name: string;
  expect: string;
  /** The rule's machine check of `expect`, when it has one. */
  check?: { op: '>' | '>=' | '<' | '<=' | '=='; value?: number; metric?: string; times?: number };
  /** Only with a scrape: confirmed / contradicted by `check`, not-scraped, or unchecked (no check). */
  status?: 'confirmed' | 'contradicted' | 'not-scraped' | 'unchecked';
  /** The scraped value (sum of the matching samples). */
  value?: number;
  /** One line: "20000 >= 1000 in metrics.txt". */
  text?: string;
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
  /** Most likely first. */
  diagnoses: Diagnosis[];
  ruledOut: RuledOut[];
  /** Rules evaluated and how many inputs they could read. */
  rulesEvaluated: number;
  /** Top functions of the primary input. */
  top: TopRow[];
  /** Top tables of every input (same rows as `top` for the first). */
  tops: TopTable[];
  notes: string[];
}
