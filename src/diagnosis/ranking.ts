/**
 * The order of the diagnoses in a report:
 *
 * 1. by the lens (lens.ts): findings on what the inputs are asked first (in-use memory for a heap
 *    profile), the rest after, labelled (`lensNote`);
 * 2. within a tier of a single-question lens, by the share of that measure the finding's evidence
 *    accounts for (a CPU profile: the finding behind 40 % of the CPU before the one behind 5 %);
 *    across the measures of a combined lens, shares of different totals do not compare, so by
 *    confidence; then confidence, severity, id;
 * 3. causes before symptoms: a rule lists in `explains` the rules whose findings it explains
 *    (heavy allocation → gc-pressure). When both fire, the cause takes the better of the two places
 *    and the symptom is shown right after it as its consequence (`explainedBy`; the cause's
 *    `explains` lists what is shown under it). A symptom several causes explain goes under the
 *    best-ranked one; chains (A explains B explains C) nest; in a cycle the better-ranked finding
 *    stays on top.
 * 4. what the input cannot tell: a pasted table gives a range for some shares (Evidence
 *    `cumShareRange`: a pattern over several functions, a caller it cannot check). Findings are
 *    ranked by the figure measured as before, but when the range of the first finding (with the
 *    consequences under it) overlaps the range of another top-level finding in its tier, the
 *    first one says so (`undecidedWith`): this input does not hold what puts one before the
 *    other. A condition that cannot be checked thus neither wins nor loses the first place.
 *
 * Environment-neutral.
 */
import { lensNote, measureOf, tierOf } from './lens.js';
import type { Diagnosis, Lens } from './report.js';
import type { Severity } from './schema.js';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The tier a finding is ranked in: the best tier of the measures it fired on. */
function tier(lens: Lens, d: Diagnosis): number {
  return d.measures.length ? Math.min(...d.measures.map((m) => tierOf(lens, m))) : lens.tiers.length;
}

/**
 * The largest share of the total that a held `require` condition measured, on the measures of
 * tier `t`, with the range it lies in ([at least, at most]; the figure twice when exact).
 */
function share(lens: Lens, d: Diagnosis, t: number): { s: number; lo: number; hi: number } {
  let best = 0;
  let lo = 0;
  let hi = 0;
  for (const e of d.evidence) {
    if (e.role !== 'require' || !e.held || e.sampleType === 'memstats') continue;
    if (tierOf(lens, measureOf(e.sampleType)) !== t) continue;
    best = Math.max(best, e.cumShare);
    lo = Math.max(lo, e.cumShareRange?.[0] ?? e.cumShare);
    hi = Math.max(hi, e.cumShareRange?.[1] ?? e.cumShare);
  }
  return { s: best, lo, hi };
}

/**
 * Ranks `diagnoses` (see the file comment); `explainsOf` maps a rule id to the ids its rule
 * `explains`. Sets `lensNote`, `explains` and `explainedBy` on the diagnoses and returns them in
 * their final order.
 */
export function rankDiagnoses(
  diagnoses: Diagnosis[],
  lens: Lens,
  explainsOf: ReadonlyMap<string, readonly string[]>,
): Diagnosis[] {
  const byShare = lens.kind !== 'combined';
  const keyed = diagnoses.map((d) => {
    const t = tier(lens, d);
    const sh = byShare ? share(lens, d, t) : { s: 0, lo: 0, hi: 0 };
    return { d, t, s: sh.s, lo: sh.lo, hi: sh.hi };
  });
  keyed.sort(
    (a, b) =>
      a.t - b.t ||
      b.s - a.s ||
      b.d.confidence - a.d.confidence ||
      SEVERITY_RANK[b.d.severity] - SEVERITY_RANK[a.d.severity] ||
      // Rule ids are ASCII kebab-case: code-unit order is their collation order, without ICU.
      (a.d.id < b.d.id ? -1 : a.d.id > b.d.id ? 1 : 0),
  );
  const sorted = keyed.map((k) => k.d);
  for (const d of sorted) {
    d.lensNote = lensNote(
      lens,
      d.measures,
      d.firedOn.map((f) => f.sampleType),
    );
    d.explains = [];
    delete d.explainedBy;
    delete d.rankShare;
    delete d.undecidedWith;
  }

  // Causes of each fired symptom, best-ranked first.
  const pos = new Map(sorted.map((d, i) => [d.id, i]));
  const causes = new Map<string, string[]>();
  for (const d of sorted) {
    for (const s of explainsOf.get(d.id) ?? []) {
      if (s === d.id || !pos.has(s)) continue;
      const list = causes.get(s) ?? [];
      list.push(d.id);
      causes.set(s, list);
    }
  }
  const parent = new Map<string, string>();
  const ancestors = (id: string): Set<string> => {
    const seen = new Set<string>();
    for (let p = parent.get(id); p !== undefined && !seen.has(p); p = parent.get(p)) seen.add(p);
    return seen;
  };
  // Worst-ranked symptoms first, so that in a cycle the better-ranked finding keeps its place on top.
  for (const d of [...sorted].reverse()) {
    for (const c of causes.get(d.id) ?? []) {
      if (c === d.id || ancestors(c).has(d.id)) continue; // would close a cycle
      parent.set(d.id, c);
      break;
    }
  }
  const children = new Map<string, Diagnosis[]>();
  for (const d of sorted) {
    const p = parent.get(d.id);
    if (p === undefined) continue;
    children.set(p, [...(children.get(p) ?? []), d]);
    d.explainedBy = p;
  }
  // A root ranks at the best place of anything under it.
  const best = new Map<string, number>();
  const bestOf = (d: Diagnosis): number => {
    const known = best.get(d.id);
    if (known !== undefined) return known;
    let b = pos.get(d.id)!;
    for (const c of children.get(d.id) ?? []) b = Math.min(b, bestOf(c));
    best.set(d.id, b);
    return b;
  };
  const roots = sorted.filter((d) => !parent.has(d.id));
  roots.sort((a, b) => bestOf(a) - bestOf(b) || pos.get(a.id)! - pos.get(b.id)!);
  const out: Diagnosis[] = [];
  const emit = (d: Diagnosis) => {
    out.push(d);
    for (const c of children.get(d.id) ?? []) {
      d.explains.push(c.id);
      emit(c);
    }
  };
  for (const r of roots) emit(r);
  if (byShare) undecided(roots, children, keyed);
  return out;
}

/**
 * Sets `rankShare` on every diagnosis (a cause: the best of its subtree) and `undecidedWith` on
 * the first root when its range overlaps another root's in the same tier (see the file comment).
 */
function undecided(
  roots: Diagnosis[],
  children: ReadonlyMap<string, Diagnosis[]>,
  keyed: readonly { d: Diagnosis; t: number; lo: number; hi: number }[],
): void {
  const keys = new Map(keyed.map((k) => [k.d.id, k]));
  for (const k of keyed) k.d.rankShare = [k.lo, k.hi];
  const range = (d: Diagnosis, seen = new Set<string>()): { t: number; lo: number; hi: number } => {
    const k = keys.get(d.id)!;
    let r = { t: k.t, lo: k.lo, hi: k.hi };
    seen.add(d.id);
    for (const c of children.get(d.id) ?? []) {
      if (seen.has(c.id)) continue;
      const x = range(c, seen);
      if (x.t < r.t) r = { ...x };
      else if (x.t === r.t) r = { t: r.t, lo: Math.max(r.lo, x.lo), hi: Math.max(r.hi, x.hi) };
    }
    return r;
  };
  const ranges = roots.map((d) => ({ d, ...range(d) }));
  for (const r of ranges) r.d.rankShare = [r.lo, r.hi];
  const first = ranges[0];
  if (!first) return;
  const exact = (x: { lo: number; hi: number }) => x.hi - x.lo <= 1e-9;
  const with_ = ranges
    .slice(1)
    .filter((r) => r.t === first.t && (!exact(r) || !exact(first)) && r.hi >= first.lo && first.hi >= r.lo)
    .map((r) => r.d.id);
  if (with_.length > 0) first.d.undecidedWith = with_;
}
