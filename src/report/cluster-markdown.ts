/**
 * Markdown rendering of a ClusterReport (a ticket or an issue): the cluster table, cross-member
 * evidence, every member's diagnoses, then each member's report. Environment-neutral.
 */
import type { ClusterReport } from '../cluster/report.js';
import { CLUSTER_HEADER, clusterRow } from './cluster-table.js';
import { confidenceText } from './describe.js';
import { cell, mdText, renderMarkdown } from './markdown.js';

export function renderClusterMarkdown(r: ClusterReport, opts: { command?: string } = {}): string {
  const out: string[] = ['# pprof-doctor: cluster report', ''];
  if (opts.command) out.push(`\`${opts.command.replace(/`/g, "'")}\``, '');
  out.push('## Cluster', '');
  out.push(`| ${CLUSTER_HEADER.join(' | ')} |`, `| ${CLUSTER_HEADER.map(() => '---').join(' | ')} |`);
  for (const m of r.cluster.members)
    out.push(
      `| ${clusterRow(m)
        .map((c) => cell(mdText(c)))
        .join(' | ')} |`,
    );
  out.push('');
  for (const m of r.cluster.members) if (m.error) out.push(`- **${mdText(m.name)}**: ${mdText(m.error)}`);
  out.push(`- Cross-member: ${mdText(r.cluster.crossMember.text)}`);
  for (const n of r.cluster.notes) out.push(`- Note: ${mdText(n)}`);
  out.push('', `## Diagnoses across the cluster (${r.diagnoses.length})`, '');
  if (r.diagnoses.length === 0) out.push('None.');
  r.diagnoses.forEach((d, i) => {
    out.push(
      `${i + 1}. **${d.severity.toUpperCase()}** · ${mdText(d.member)}: ${mdText(d.title)} (\`${d.id}\`, ${confidenceText(d.confidence)})`,
    );
  });
  if (r.ruledOut.length) {
    out.push('', '### Ruled out by cross-member evidence', '');
    for (const x of r.ruledOut) out.push(`- ${mdText(x.member)}: \`${x.id}\` — ${mdText(x.reason)}`);
  }
  for (const { member, report } of r.reports) {
    out.push('', `## Member ${mdText(member)}`, '');
    if (!report) {
      out.push('Nothing to analyse.');
      continue;
    }
    // The member's own report, its headings pushed one level down.
    out.push(
      renderMarkdown(report)
        .trimEnd()
        .replace(/^(#+) /gm, '$1## '),
    );
  }
  return `${out.join('\n')}\n`;
}
