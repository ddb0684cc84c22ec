/**
 * The rule schema (zod). One YAML file per rule under `rules/<group>/<id>.yaml`; the format is
 * documented for rule authors in `rules/README.md`. Keep this file and the README in step.
 *
 * Parsing normalises the YAML into `Rule`: single patterns become lists, shares become fractions,
 * quantities become numbers in the sample type's base unit, and every frame pattern is compiled
 * (so a bad regex is a load error, not a run-time surprise).
 *
 * Environment-neutral (no Node imports).
 */
import semver from 'semver';
import { z } from 'zod';
import { compilePattern, PatternError, patternNeedle } from './patterns.js';

/** Schema version of the rule format; bump on incompatible changes. */
export const RULE_FORMAT_VERSION = 1;

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * What a rule can apply to. `etcd-leader` / `etcd-follower` are etcd servers whose role the frames
 * show (a server whose role is unknown still qualifies, with lower confidence); `any-go` is any Go
 * process, etcd or not.
 */
export const TARGETS = [
  'etcd-server',
  'etcd-leader',
  'etcd-follower',
  'etcd-client',
  'etcd-embedder',
  'any-go',
] as const;
export type Target = (typeof TARGETS)[number];

/** Profile kinds a detector reads; each maps to default sample types (see profile-kind.ts). */
export const PROFILE_KINDS = ['heap', 'allocs', 'cpu', 'goroutine', 'mutex', 'block', 'threadcreate'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** Built-in quantitative models a rule can ask the engine to compute (see models.ts). */
export const MODELS = ['watch-memory', 'raft-log-memory', 'goroutines-per-watch-stream', 'heap-vs-rss'] as const;
export type ModelName = (typeof MODELS)[number];

// ---------------------------------------------------------------------------------------------
// Scalars

const kebabId = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'must be kebab-case: lower-case letters, digits, dashes');

/** A frame pattern, compiled at load time. */
export interface CompiledPattern {
  pattern: string;
  regex: RegExp;
  /** A literal every matching name contains (fast pre-test), when the pattern has one. */
  needle?: string;
}

/** One pattern or a list of them; each compiled (a bad one is an issue at its own index). */
const patterns = z.unknown().transform((v, ctx): CompiledPattern[] => {
  // Optional pattern fields never get here with undefined (`.optional()` returns first).
  if (v === undefined) {
    ctx.addIssue({ code: 'custom', message: 'is required (a frame pattern or a list of them)' });
    return z.NEVER;
  }
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must list at least one pattern' });
    return z.NEVER;
  }
  const out: CompiledPattern[] = [];
  list.forEach((p, i) => {
    const path = Array.isArray(v) ? [i] : [];
    if (typeof p !== 'string' || p.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must be a frame pattern (a non-empty string) or a list of them', path });
      return;
    }
    try {
      out.push({ pattern: p, regex: compilePattern(p), needle: patternNeedle(p) });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof PatternError ? err.message : String(err), path });
    }
  });
  return out;
});

/** A share of the total: `20%`, `0.5%` or a fraction 0–1. Stored as a fraction. */
const share = z
  .union([z.number(), z.string()], { error: "must be a share such as '20%' or 0.2" })
  .transform((v, ctx) => {
    let f: number;
    if (typeof v === 'number') f = v;
    else {
      const m = /^\s*([0-9]*\.?[0-9]+)\s*%\s*$/.exec(v);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `'${v}' is not a share (write e.g. '20%')` });
        return z.NEVER;
      }
      f = Number(m[1]) / 100;
    }
    if (!(f >= 0 && f <= 1)) {
      ctx.addIssue({ code: 'custom', message: `share ${v} is outside 0–100%` });
      return z.NEVER;
    }
    return f;
  });

const UNIT_FACTORS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1024 ** 4,
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  min: 60e9,
  h: 3600e9,
  k: 1e3,
  m: 1e6,
};

/** Parses `64MB`, `1.5GiB`, `500ms`, `10s`, `1000`, `20k`; bytes are 1024-based as in pprof. */
export function parseQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = /^\s*([0-9]*\.?[0-9]+)\s*([a-zA-Zµ]*)\s*$/.exec(text);
  if (!m) return undefined;
  const factor = UNIT_FACTORS[m[2]!.toLowerCase()];
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

const quantity = z
  .union([z.number(), z.string()], { error: "must be a quantity such as '64MB', '10s' or 1000" })
  .transform((v, ctx) => {
    const q = parseQuantity(v);
    if (q === undefined) {
      ctx.addIssue({ code: 'custom', message: `'${v}' is not a quantity (e.g. 64MB, 1GiB, 500ms, 1000)` });
      return z.NEVER;
    }
    return q;
  });

const semverRange = z.string({ error: 'must be a semver range string' }).refine((r) => semver.validRange(r) !== null, {
  message: 'is not a valid semver range',
});
const semverVersion = z
  .union([z.string(), z.number()], { error: 'must be a version string' })
  .transform((v) => String(v))
  .refine((v) => semver.valid(v) !== null, { message: 'is not a valid semver version (write e.g. 3.2.24)' });

/** Label filter: a string regex for string labels, or `{min, max}` for numeric labels. */
const labelFilter = z.union(
  [
    z.string().transform((p, ctx) => {
      try {
        return { regex: compilePattern(`re:${p}`) } as { regex?: RegExp; min?: number; max?: number };
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
    z.strictObject({ min: z.number().optional(), max: z.number().optional() }),
  ],
  { error: 'must be a regex string or {min, max}' },
);

// ---------------------------------------------------------------------------------------------
// Conditions, detectors, rules

/** memStats ratio condition: `ratio: [HeapIdle, HeapInuse]` ⇒ HeapIdle / HeapInuse ≥ atLeast. */
const memStatsCond = z.strictObject({
  ratio: z.tuple([z.string(), z.string()], { error: 'must be [numerator, denominator] memStats keys' }),
  atLeast: z.number({ error: 'must be a number' }),
  /** Optional minimum for the numerator, e.g. only meaningful above 64MB idle. */
  numeratorAtLeast: quantity.optional(),
});

const conditionBase = z.strictObject({
  /** A: the frame(s) looked for (any of the patterns). */
  frame: patterns.optional(),
  /** B: A counts only in samples where a frame matching B is rootward of A (a caller). */
  under: patterns.optional(),
  /** A counts only in samples where no frame matching this is rootward of A. */
  notUnder: patterns.optional(),
  /** Minimum flat share (A is the leaf frame) of the profile total. */
  flat: share.optional(),
  /** Minimum cum share (A anywhere on the stack; each sample counted once). */
  cum: share.optional(),
  /** Minimum absolute flat value, in the sample type's unit (`64MB`, `2s`, `1000`). */
  flatValue: quantity.optional(),
  /** Minimum absolute cum value. */
  cumValue: quantity.optional(),
  /** Only samples whose labels match (goroutine dumps: `state`, `wait_minutes`). */
  labels: z.record(z.string(), labelFilter).optional(),
  /** Instead of frames: a ratio of two `runtime.MemStats` fields (debug=1 heap text). */
  memStats: memStatsCond.optional(),
  /** Shown in the evidence: what this condition means. */
  note: z.string().optional(),
});

const condition = conditionBase.superRefine((c, ctx) => {
  if (!c.frame && !c.memStats)
    ctx.addIssue({ code: 'custom', message: "needs 'frame' (or 'memStats')", path: ['frame'] });
  if (c.frame && c.memStats)
    ctx.addIssue({ code: 'custom', message: "use either 'frame' or 'memStats'", path: ['memStats'] });
  if (c.memStats && (c.under || c.notUnder || c.flat !== undefined || c.cum !== undefined))
    ctx.addIssue({ code: 'custom', message: "'memStats' takes no frame thresholds", path: ['memStats'] });
});
export type Condition = z.output<typeof condition>;

const exclusion = conditionBase
  .extend({
    /** Why this rules the diagnosis out, shown to the user. */
    reason: z.string({ error: 'must say why (a string)' }),
  })
  .superRefine((c, ctx) => {
    if (!c.frame && !c.memStats) ctx.addIssue({ code: 'custom', message: "needs 'frame'", path: ['frame'] });
  });
export type Exclusion = z.output<typeof exclusion>;

const detector = z.strictObject({
  /** Which profile kind this detector reads. */
  profile: z.enum(PROFILE_KINDS, { error: `must be one of ${PROFILE_KINDS.join(', ')}` }),
  /** Sample type to read (default per kind: heap→inuse_space, allocs→alloc_space, cpu→cpu, …). */
  sampleType: z.string().optional(),
  /** Every condition must hold for the detector to fire. */
  require: z.array(condition, { error: 'must be a list of conditions' }).min(1, 'needs at least one condition'),
  /** Optional corroboration; each one that holds raises the confidence. */
  support: z.array(condition, { error: 'must be a list of conditions' }).default([]),
  /** Any one that holds rules the diagnosis out for this profile. */
  exclude: z.array(exclusion, { error: 'must be a list of conditions with a reason' }).default([]),
  /** Shown in the evidence: what the detector shows. */
  note: z.string().optional(),
});
export type Detector = z.output<typeof detector>;

const versionsSchema = z.strictObject({
  /** Versions that have the problem (semver range, e.g. '>=3.2.0 <3.2.24 || >=3.3.0 <3.3.9'). */
  affected: semverRange,
  /** First fixed release on each branch (empty when never fixed / by design). */
  fixed: z.array(semverVersion).default([]),
  /**
   * When the version cannot be inferred: `allow` (default, fires with lower confidence) or
   * `require` (the rule needs the version known to be inside `affected`; a range that only
   * overlaps it, such as "Go ≥ 1.14" against 1.12–1.15, is not enough).
   */
  whenUnknown: z.enum(['allow', 'require']).default('allow'),
  /** Caveats (e.g. "the bug is in the client library; the server version only proxies it"). */
  note: z.string().optional(),
});
export type Versions = z.output<typeof versionsSchema>;

const remediationStep = z
  .union(
    [
      z.string(),
      z.strictObject({
        do: z.string({ error: "must say what to do ('do')" }),
        command: z.string().optional(),
        flag: z.string().optional(),
        code: z.string().optional(),
      }),
    ],
    { error: 'must be a string or {do, command?, flag?, code?}' },
  )
  .transform((s) => (typeof s === 'string' ? { do: s } : s));
export type RemediationStep = z.output<typeof remediationStep>;

const metricCheck = z
  .strictObject({
    op: z.enum(['>', '>=', '<', '<=', '=='], { error: 'must be one of >, >=, <, <=, ==' }),
    value: z.number({ error: 'must be a number' }).optional(),
    metric: z
      .string({ error: 'must be a metric name' })
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/, 'is not a Prometheus metric name')
      .optional(),
    times: z.number({ error: 'must be a number' }).positive('must be above 0').optional(),
  })
  .refine((c) => (c.value === undefined) !== (c.metric === undefined), {
    error: 'needs exactly one of value and metric',
  })
  .refine((c) => c.times === undefined || c.metric !== undefined, { error: 'times goes with metric' });

const metric = z.strictObject({
  name: z
    .string({ error: 'must be a metric name' })
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/, 'is not a Prometheus metric name'),
  /** What to look for, e.g. 'rate ≈ 2 × number of leases per second'. */
  expect: z.string({ error: 'must say what to expect' }),
  /**
   * A machine check of `expect` against a scrape (see src/diagnosis/metric-checks.ts): the value of
   * `name` (sum of the matching samples) compared with `value`, or with another metric × `times`.
   */
  check: metricCheck.optional(),
});

const reference = z
  .union(
    [
      z.string().url('must be a URL'),
      z.strictObject({ title: z.string(), url: z.string().url('must be a URL').optional() }),
    ],
    { error: 'must be a URL or {title, url}' },
  )
  .transform((r) => (typeof r === 'string' ? { title: r, url: r } : r));
export type Reference = z.output<typeof reference>;

/** What a rule's `growth` block can declare; only `bounded` so far. */
export const GROWTH_KINDS = ['bounded'] as const;
export type GrowthKind = (typeof GROWTH_KINDS)[number];

/**
 * Memory that the rule's cause makes grow by design and releases later (the raft log until the next
 * snapshot). `trend` calls stacks through these frames `bounded` instead of `leak`, so a rule
 * author can declare such growth without touching the engine.
 */
const growthSchema = z.strictObject({
  kind: z.enum(GROWTH_KINDS, { error: `must be one of ${GROWTH_KINDS.join(', ')}` }),
  /** Names the growth in trend's output; default: the rule's id. */
  id: kebabId.optional(),
  /** Any stack with a frame matching one of these holds the growth. */
  frame: patterns,
  /** One line for the user: what holds the memory and when it is released. */
  reason: z
    .string({ error: 'must say why the growth is bounded (a string)' })
    .trim()
    .min(10, 'is too short')
    .refine((r) => !/[\r\n]/.test(r), { message: 'must be one line' }),
});
export type Growth = z.output<typeof growthSchema>;

export const ruleSchema = z.strictObject({
  id: kebabId,
  title: z.string({ error: 'is required (a one-line title)' }).min(5, 'is too short'),
  severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
  appliesTo: z
    .array(z.enum(TARGETS, { error: `must be one of ${TARGETS.join(', ')}` }), {
      error: 'must be a list of process kinds',
    })
    .min(1, 'needs at least one process kind'),
  /** One or more detectors; the rule fires when any fires. */
  detect: z.array(detector, { error: 'must be a list of detectors' }).min(1, 'needs at least one detector'),
  /** etcd versions affected / fixed, checked against the inferred or stated etcd version. */
  etcdVersions: versionsSchema.optional(),
  /** Go versions affected, checked against the inferred Go version. */
  goVersions: versionsSchema.optional(),
  /** Quantitative models to compute and show beside the measured figures. */
  models: z.array(z.enum(MODELS, { error: `must be one of ${MODELS.join(', ')}` })).default([]),
  /** Why this happens (plain text, may span lines). */
  explanation: z.string({ error: 'is required' }).min(20, 'is too short'),
  remediation: z.array(remediationStep, { error: 'must be a list of steps' }).min(1, 'needs at least one step'),
  metrics: z.array(metric, { error: 'must be a list of {name, expect}' }).default([]),
  references: z.array(reference, { error: 'must be a list of references' }).min(1, 'needs at least one reference'),
  /** Growth this cause makes by design (see growthSchema); read by `trend`. */
  growth: growthSchema.optional(),
  /** Facts from the source documents / research this rule encodes (e.g. 'seed-digest §4'). */
  sources: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
});

export type Rule = z.output<typeof ruleSchema> & {
  /** Where the rule came from (file path or 'inline'); set by the loader. */
  file: string;
};
export type RuleInput = z.input<typeof ruleSchema>;

/** The profile kinds a rule reads (from its detectors). */
export function ruleProfileKinds(rule: Pick<Rule, 'detect'>): ProfileKind[] {
  return [...new Set(rule.detect.map((d) => d.profile))];
}
