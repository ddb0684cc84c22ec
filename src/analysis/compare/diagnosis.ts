/**
 * The diagnosis view of a comparison: which rules fire on each side (the rule engine's own
 * verdict, version and process checks included) and how large each rule's signature is on each
 * side: the share of the profile that its first frame condition measures, e.g. "`watch-memory`
 * signature: 2% → 63% of inuse_space".
 *
 * Environment-neutral: no Node-only imports (the caller loads the rules).
 */
import { type AnalyzeOptions, analyzeProfiles, ruleExclusion } from '../../diagnosis/engine.js';
import { ProfileView } from '../../diagnosis/matcher.js';
import { profileKinds, sampleIndexFor } from '../../diagnosis/profile-kind.js';
import type { Condition, Rule, Severity } from '../../diagnosis/schema.js';
import { defaultSampleIndex, type Profile } from '../../profile/model.js';

export interface RuleSignature {
  /** The detector's profile kind and sample type. */
  kind: string;
  sampleType: string;
  unit: string;
  /** The frame patterns measured (the first `require` frame condition). */
  patterns: string[];
  /** `flat` when the condition is a flat threshold, else `cum`. */
  basis: 'flat' | 'cum';
  value: number;
  /** value / total of the sample type, 0–1. */
  share: number;
  total: number;
}

/** The signature a rule reads on one profile, or undefined when no detector can read it. */
export function ruleSignature(view: ProfileView, rule: Rule): RuleSignature | undefined {
  const p = view.profile;
  if (!p.source.hasStacks) return undefined;
  const kinds = profileKinds(p);
  const def = defaultSampleIndex(p);
  let best: { cond: Condition; index: number; kind: string } | undefined;
  for (const d of rule.detect) {
    if (!kinds.includes(d.profile)) continue;
    const index = sampleIndexFor(p, d.profile, d.sampleType);
    if (index < 0) continue;
    const cond = d.require.find((c) => c.frame && c.frame.length > 0);
    if (!cond) continue;
    const cand = { cond, index, kind: d.profile };
    if (!best || (best.index !== def && index === def)) best = cand;
  }
  if (!best) return undefined;
  const { cond, index, kind } = best;
  const m = view.measure(cond, index);
  const flatOnly =
    (cond.flat !== undefined || cond.flatValue !== undefined) && cond.cum === undefined && cond.cumValue === undefined;
  return {
    kind,
    sampleType: view.sampleTypeName(index),
    unit: view.unit(index),
    patterns: (cond.frame ?? []).map((c) => c.pattern),
    basis: flatOnly ? 'flat' : 'cum',
    value: flatOnly ? m.flat : m.cum,
    share: flatOnly ? m.flatShare : m.cumShare,
    total: m.total,
  };
}

export type RuleChangeStatus = 'appeared' | 'vanished' | 'grew' | 'shrank' | 'steady';

export interface RuleSide {
  /** The rule engine diagnosed it on this side. */
  fired: boolean;
  confidence?: number;
  /** Signature share 0–1 (0 when the signature is absent). */
  share: number;
  value: number;
}

export interface RuleChange {
  id: string;
  title: string;
  severity: Severity;
  status: RuleChangeStatus;
  sampleType: string;
  unit: string;
  basis: 'flat' | 'cum';
  patterns: string[];
  base: RuleSide;
  new: RuleSide;
  /** Fixed etcd releases, when the rule names them. */
  fixedIn: string[];
}

export interface DiagnosisComparison {
  rules: RuleChange[];
  /** Rules evaluated. */
  evaluated: number;
}

export interface CompareDiagnosesOptions extends Pick<AnalyzeOptions, 'etcdVersion' | 'goVersion'> {
  baseName?: string;
  newName?: string;
}

/** A share moved enough to call it grown or shrunk: by ≥ 1 point and by ≥ 25 % of itself. */
function moved(from: number, to: number): 'up' | 'down' | undefined {
  if (to - from >= 0.01 && to >= 1.25 * from) return 'up';
  if (from - to >= 0.01 && from >= 1.25 * to) return 'down';
  return undefined;
}

const STATUS_ORDER: Record<RuleChangeStatus, number> = { appeared: 0, grew: 1, vanished: 2, shrank: 3, steady: 4 };

/** Runs the rules on both sides and pairs the results (see the file comment). */
export function compareDiagnoses(
  base: Profile,
  next: Profile,
  rules: Rule[],
  opts: CompareDiagnosesOptions = {},
): DiagnosisComparison {
  const engineOpts = { etcdVersion: opts.etcdVersion, goVersion: opts.goVersion, top: () => [] };
  const rb = analyzeProfiles([{ profile: base, name: opts.baseName ?? 'base' }], rules, engineOpts);
  const rn = analyzeProfiles([{ profile: next, name: opts.newName ?? 'new' }], rules, engineOpts);
  const firedB = new Map(rb.diagnoses.map((d) => [d.id, d]));
  const firedN = new Map(rn.diagnoses.map((d) => [d.id, d]));
  const vb = new ProfileView(base, opts.baseName ?? 'base');
  const vn = new ProfileView(next, opts.newName ?? 'new');
  const out: RuleChange[] = [];
  for (const rule of rules) {
    const sb = ruleSignature(vb, rule);
    const sn = ruleSignature(vn, rule);
    const db = firedB.get(rule.id);
    const dn = firedN.get(rule.id);
    const shareB = sb?.share ?? 0;
    const shareN = sn?.share ?? 0;
    const move = moved(shareB, shareN);
    let status: RuleChangeStatus;
    if (dn && !db) status = 'appeared';
    else if (db && !dn) status = 'vanished';
    else if (move === 'up') status = 'grew';
    else if (move === 'down') status = 'shrank';
    else status = 'steady';
    // Rules that fire on neither side are listed only when their signature moved a lot, and only
    // when they apply to the process: analyze's process and version exclusions hold here too (a
    // bug fixed in 3.4.10 does not "grow" on a 3.4.23 server).
    if (!db && !dn && !(Math.abs(shareN - shareB) >= 0.02 && Math.max(shareB, shareN) >= 0.05 && move)) continue;
    if (!db && !dn && (ruleExclusion(rule, rn.process) || ruleExclusion(rule, rb.process))) continue;
    const sig = sn ?? sb;
    out.push({
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      status,
      sampleType: sig?.sampleType ?? '',
      unit: sig?.unit ?? '',
      basis: sig?.basis ?? 'cum',
      patterns: sig?.patterns ?? [],
      base: { fired: !!db, confidence: db?.confidence, share: shareB, value: sb?.value ?? 0 },
      new: { fired: !!dn, confidence: dn?.confidence, share: shareN, value: sn?.value ?? 0 },
      fixedIn: rule.etcdVersions?.fixed ?? [],
    });
  }
  out.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      Math.abs(b.new.share - b.base.share) - Math.abs(a.new.share - a.base.share) ||
      a.id.localeCompare(b.id),
  );
  return { rules: out, evaluated: rules.length };
}
