/**
 * `analyze` on several members of one cluster (a `collect` bundle, or one folder per member):
 * loads each member apart, analyses them apart, and renders the cluster report.
 */
import { analyzeCluster } from '../cluster/analyze-cluster.js';
import { type MemberDir, loadMember } from '../cluster/bundle.js';
import type { ClusterReport } from '../cluster/report.js';
import type { AnalyzeOptions } from '../diagnosis/engine.js';
import type { Rule } from '../diagnosis/schema.js';
import { needsRegexEngine } from '../profile/filter.js';

export type ClusterFormat = 'text' | 'markdown' | 'json' | 'html';

export async function runClusterAnalysis(
  dirs: readonly MemberDir[],
  rules: Rule[],
  opts: AnalyzeOptions,
): Promise<{ report: ClusterReport; skipped: string[] }> {
  const members = [];
  const skipped: string[] = [];
  for (const d of dirs) {
    const m = await loadMember(d);
    skipped.push(...m.skipped);
    members.push(m);
  }
  if (members.some((m) => m.inputs.some((i) => needsRegexEngine(i.profile, {})))) await import('../profile/regex.js');
  const report = analyzeCluster(members, rules, opts);
  for (const s of skipped) report.cluster.notes.push(`skipped ${s}`);
  return { report, skipped };
}

export async function renderCluster(
  r: ClusterReport,
  format: ClusterFormat,
  opts: { command?: string; width?: number; color?: boolean },
): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('../report/cluster-json.js')).formatClusterJson(r);
    case 'markdown':
      return (await import('../report/cluster-markdown.js')).renderClusterMarkdown(r, opts);
    case 'html':
      return (await import('../report/cluster-html.js')).renderClusterHtml(r, opts);
    default:
      return (await import('../report/cluster-text.js')).formatClusterText(r, opts);
  }
}
