/**
 * The order of the cluster-wide list of diagnoses: most likely first (confidence, then severity,
 * id, member), and, as in every member's own report, a consequence right after its cause — a
 * diagnosis its member's report shows under another (`explainedBy`, the cause's rule `explains`
 * it) follows that cause of the same member, whatever its own confidence. Pure code.
 */
import type { ClusterDiagnosis } from './report.js';

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

export function orderClusterDiagnoses(diagnoses: readonly ClusterDiagnosis[]): ClusterDiagnosis[] {
  const sorted = [...diagnoses].sort(
    (a, b) =>
      b.confidence - a.confidence ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.id.localeCompare(b.id) ||
      a.member.localeCompare(b.member),
  );
  const key = (member: string, id: string) => `${member}\u0000${id}`;
  const present = new Set(sorted.map((d) => key(d.member, d.id)));
  const follows = (d: ClusterDiagnosis) =>
    d.explainedBy !== undefined && d.explainedBy !== d.id && present.has(key(d.member, d.explainedBy));
  const consequences = new Map<string, ClusterDiagnosis[]>();
  for (const d of sorted) {
    if (!follows(d)) continue;
    const k = key(d.member, d.explainedBy!);
    consequences.set(k, [...(consequences.get(k) ?? []), d]);
  }
  const out: ClusterDiagnosis[] = [];
  const emitted = new Set<ClusterDiagnosis>();
  const emit = (d: ClusterDiagnosis) => {
    if (emitted.has(d)) return;
    emitted.add(d);
    out.push(d);
    for (const c of consequences.get(key(d.member, d.id)) ?? []) emit(c);
  };
  for (const d of sorted) if (!follows(d)) emit(d);
  // A cycle of explanations (not possible with the member ranking, kept safe anyway): sorted order.
  for (const d of sorted) emit(d);
  return out;
}
