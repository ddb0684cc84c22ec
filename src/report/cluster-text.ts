/**
 * Plain-text rendering of a ClusterReport: the cluster table first, the cross-member evidence, the
 * diagnoses of every member (tagged), what cross-member evidence ruled out, then each member's own
 * report. Environment-neutral.
 */
import type { ClusterReport } from '../cluster/report.js';
import { formatAnalysisText } from './analysis-text.js';
import { CLUSTER_HEADER, clusterRow, plain } from './cluster-table.js';
import { confidenceText } from './describe.js';
import { escapeText } from './escape.js';

export function formatClusterText(r: ClusterReport, opts: { width?: number; color?: boolean } = {}): string {
  const out: string[] = [];
  const ms = r.cluster.members;
  const leader = ms.find((m) => m.role === 'leader');
  out.push(
    `Cluster: ${ms.length} member(s)${leader ? `, leader ${plain(leader.name, 60)}` : ''} — ${r.diagnoses.length} finding(s)`,
  );
  const rows = [CLUSTER_HEADER, ...ms.map(clusterRow)];
  const widths = CLUSTER_HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows)
    out.push(
      `  ${row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}`,
    );
  for (const m of ms) if (m.error) out.push(`  ${plain(m.name, 60)}: ${plain(m.error, 300)}`);
  out.push(`Cross-member: ${escapeText(r.cluster.crossMember.text)}`);
  for (const n of r.cluster.notes) out.push(`  note: ${plain(n, 300)}`);
  out.push('');
  out.push(`Diagnoses across the cluster (${r.diagnoses.length}, most likely first):`);
  if (r.diagnoses.length === 0) out.push('  none');
  r.diagnoses.forEach((d, i) => {
    out.push(
      `  ${i + 1}. [${d.severity.toUpperCase()}] ${plain(d.member, 60)}: ${escapeText(d.title)} (${d.id}, ${confidenceText(d.confidence)})`,
    );
  });
  if (r.ruledOut.length) {
    out.push('Ruled out by cross-member evidence:');
    for (const x of r.ruledOut) out.push(`  - ${plain(x.member, 60)}: ${x.id} — ${escapeText(x.reason)}`);
  }
  for (const { member, report } of r.reports) {
    out.push('', `════ member ${plain(member, 60)} ════`);
    out.push(report ? formatAnalysisText(report, opts).trimEnd() : '  (nothing to analyse)');
  }
  return `${out.join('\n')}\n`;
}
