/**
 * Does a pasted variant diagnose like the profile it came from? Used by the paste-corpus test.
 *
 * "Same": the top diagnosis (highest confidence; "none" when nothing fired) is the same rule on
 * both, each analysed with the same sample type.
 *
 * "Not enough left": only for a variant that carries part of the profile — cut at a row (the
 * manifest says where) or a peek/list report of selected functions (the manifest's `selection`) —
 * and only when this is measured, not assumed: the source's top rule has a require condition that held on the source
 * and does not hold on the variant, and the variant measures less of that condition's frames than
 * the source (the cut removed rows the rule needed: its frames, or enough of their value). The
 * condition and both figures are returned, so a failure or a pass can be read. Or: the rule is
 * ruled out on the variant for the process, which the variant infers differently from the source
 * (the frames that identified it were cut away).
 *
 * "Ranked lower": the variant still diagnoses the source's top rule, below another rule that the
 * source diagnosed too, and the confidence factors show why: the variant's confidence in the rule
 * carries `unverified` (a condition a table without stacks cannot check) where the source's does
 * not, or — for a partial variant — a lower margin or corroboration (the cut took rows the rule's
 * thresholds or supporting signs were measured on). The paste does not hold what tells them apart.
 */
import { analyzeProfiles } from '../../src/diagnosis/engine.js';
import { ProfileView } from '../../src/diagnosis/matcher.js';
import { sampleIndexFor } from '../../src/diagnosis/profile-kind.js';
import type { AnalysisReport } from '../../src/diagnosis/report.js';
import type { Condition, Rule } from '../../src/diagnosis/schema.js';
import type { Profile } from '../../src/profile/model.js';

export interface VariantEntry {
  file: string;
  source: string;
  sampleIndex: string;
  form: string;
  go: string;
  transforms: string[];
  cut?: Record<string, unknown>;
  /** peek / list: the functions the report was asked for (only those are in the text). */
  selection?: string[];
}

/** The variant carries only part of the profile. */
export function partial(entry: VariantEntry): boolean {
  return entry.cut !== undefined || entry.selection !== undefined;
}

export interface Verdict {
  outcome: 'same' | 'not-enough-left' | 'ranked-lower' | 'different';
  sourceTop: string;
  variantTop: string;
  detail: string;
}

export function topId(r: AnalysisReport): string {
  return r.diagnoses[0]?.id ?? 'none';
}

export function analyzeOne(profile: Profile, name: string, rules: Rule[], sampleIndex: string): AnalysisReport {
  return analyzeProfiles([{ profile, name }], rules, { sampleIndex });
}

function holds(c: Condition, m: ReturnType<ProfileView['measure']>): boolean {
  if (m.cum <= 0) return false;
  if (c.flat !== undefined && m.flatShare < c.flat) return false;
  if (c.cum !== undefined && m.cumShare < c.cum) return false;
  if (c.flatValue !== undefined && m.flat < c.flatValue) return false;
  if (c.cumValue !== undefined && m.cum < c.cumValue) return false;
  return true;
}

export function verdict(
  entry: VariantEntry,
  source: Profile,
  variant: Profile,
  rules: Rule[],
  srcReport: AnalysisReport,
  varReport: AnalysisReport,
): Verdict {
  const sourceTop = topId(srcReport);
  const variantTop = topId(varReport);
  if (sourceTop === variantTop) return { outcome: 'same', sourceTop, variantTop, detail: '' };
  const vd = varReport.diagnoses.find((d) => d.id === sourceTop);
  const sd = srcReport.diagnoses[0];
  if (vd && sd && srcReport.diagnoses.some((d) => d.id === variantTop)) {
    const factor = (d: typeof sd, name: string) => d.confidenceFactors.find((f) => f.factor === name);
    const reasons: string[] = [];
    const unv = factor(vd, 'unverified');
    if (!variant.source.hasStacks && unv && !factor(sd, 'unverified')) reasons.push(unv.why);
    if (partial(entry)) {
      for (const name of ['margin', 'corroboration']) {
        const a = factor(sd, name)?.delta ?? 0;
        const b = factor(vd, name)?.delta ?? 0;
        if (b < a) reasons.push(`${name} ${a} on the source, ${b} on the variant (${factor(vd, name)?.why ?? 'none'})`);
      }
    }
    if (reasons.length > 0) {
      return {
        outcome: 'ranked-lower',
        sourceTop,
        variantTop,
        detail: `${sourceTop} ${sd.confidence} → ${vd.confidence}: ${reasons.join('; ')}`,
      };
    }
  }
  const others = varReport.diagnoses.map((d) => `${d.id} ${d.confidence}`).join(', ') || 'nothing';
  const srcAll = srcReport.diagnoses.map((d) => `${d.id} ${d.confidence}`).join(', ') || 'nothing';
  if (!partial(entry) || sourceTop === 'none') {
    const why = partial(entry) ? 'partial, but the source diagnosed nothing' : 'the whole profile';
    return { outcome: 'different', sourceTop, variantTop, detail: `${why}; source: ${srcAll}; variant: ${others}` };
  }
  const rule = rules.find((r) => r.id === sourceTop)!;
  const fired = srcReport.diagnoses[0]!.firedOn.map((f) => f.profileKind);
  const sv = new ProfileView(source, 'source');
  const vv = new ProfileView(variant, 'variant');
  const lost: string[] = [];
  for (const d of rule.detect) {
    if (!fired.includes(d.profile)) continue;
    const si = sampleIndexFor(source, d.profile, entry.sampleIndex);
    const vi = sampleIndexFor(variant, d.profile, entry.sampleIndex);
    if (si < 0) continue;
    for (const c of d.require) {
      if (!c.frame) continue;
      const ms = sv.measure(c, si);
      if (!holds(c, ms)) continue;
      const mv = vi < 0 ? undefined : vv.measure(c, vi);
      const held = mv !== undefined && holds(c, mv);
      if (!held && (mv === undefined || mv.cum < ms.cum * 0.999)) {
        lost.push(
          `${c.frame.map((p) => p.pattern).join('|')}: cum ${ms.cum} (${(ms.cumShare * 100).toFixed(1)}%) in the source, ` +
            `${mv?.cum ?? 0} (${((mv?.cumShare ?? 0) * 100).toFixed(1)}%) left after the cut`,
        );
      }
    }
  }
  if (lost.length > 0) return { outcome: 'not-enough-left', sourceTop, variantTop, detail: lost.join('; ') };
  // The rule's conditions are there, but not the frames that tell which process this is.
  const out = varReport.ruledOut.find((r) => r.id === sourceTop);
  if (out?.because === 'process' && varReport.process.kind !== srcReport.process.kind) {
    return {
      outcome: 'not-enough-left',
      sourceTop,
      variantTop,
      detail: `the process is ${varReport.process.kind} on the variant (${varReport.process.evidence[0] ?? ''}), ${srcReport.process.kind} on the source: ${out.reason}`,
    };
  }
  return {
    outcome: 'different',
    sourceTop,
    variantTop,
    detail: `partial, but every require condition of the source rule still holds; source: ${srcAll}; variant: ${others}`,
  };
}
