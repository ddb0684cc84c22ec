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
 * Also "not enough left" when the source's top rule owes its place to a consequence it explains
 * (ranking.ts: a cause ranks at the best place of the findings shown under it) and the cut removed
 * that consequence's condition, measured the same way.
 *
 * "Cannot tell": the variant's report says itself that it cannot tell its first finding from the
 * source's top one (`undecidedWith`: their ranges of share overlap, as a pasted table gives
 * ranges), and those ranges are true — each holds the share the source measures exactly.
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
  outcome: 'same' | 'not-enough-left' | 'cannot-tell' | 'different';
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
  const vTop = varReport.diagnoses[0];
  if (vTop?.undecidedWith?.includes(sourceTop)) {
    // The ranges the variant gives must hold what the source measures.
    const tol = (x: number) => x * 0.01 + 1e-4;
    const checks = [variantTop, sourceTop].map((id) => {
      const s = srcReport.diagnoses.find((d) => d.id === id)?.rankShare;
      const v = varReport.diagnoses.find((d) => d.id === id)?.rankShare;
      const ok = s !== undefined && v !== undefined && s[0] >= v[0] - tol(v[0]) && s[1] <= v[1] + tol(v[1]);
      const f = (r?: [number, number]) => (r ? `${(r[0] * 100).toFixed(1)}–${(r[1] * 100).toFixed(1)}%` : 'none');
      return { ok, text: `${id}: source ${f(s)}, variant ${f(v)}` };
    });
    return {
      outcome: checks.every((c) => c.ok) ? 'cannot-tell' : 'different',
      sourceTop,
      variantTop,
      detail: `${checks.every((c) => c.ok) ? '' : 'a range does not hold the source figure: '}${checks.map((c) => c.text).join('; ')}`,
    };
  }
  const others = varReport.diagnoses.map((d) => `${d.id} ${d.confidence}`).join(', ') || 'nothing';
  const srcAll = srcReport.diagnoses.map((d) => `${d.id} ${d.confidence}`).join(', ') || 'nothing';
  if (!partial(entry) || sourceTop === 'none') {
    const why = partial(entry) ? 'partial, but the source diagnosed nothing' : 'the whole profile';
    return { outcome: 'different', sourceTop, variantTop, detail: `${why}; source: ${srcAll}; variant: ${others}` };
  }
  // The source's top rule and the consequences shown under it (its place may be theirs).
  const chain: string[] = [sourceTop];
  for (let i = 0; i < chain.length; i++)
    for (const c of srcReport.diagnoses.find((d) => d.id === chain[i])?.explains ?? [])
      if (!chain.includes(c)) chain.push(c);
  const sv = new ProfileView(source, 'source');
  const vv = new ProfileView(variant, 'variant');
  const lost: string[] = [];
  for (const id of chain) {
    const rule = rules.find((r) => r.id === id)!;
    const fired = srcReport.diagnoses.find((d) => d.id === id)!.firedOn.map((f) => f.profileKind);
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
            `${id === sourceTop ? '' : `${id} (shown under ${sourceTop}): `}${c.frame.map((p) => p.pattern).join('|')}: cum ${ms.cum} (${(ms.cumShare * 100).toFixed(1)}%) in the source, ` +
              `${mv?.cum ?? 0} (${((mv?.cumShare ?? 0) * 100).toFixed(1)}%) left after the cut`,
          );
        }
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
