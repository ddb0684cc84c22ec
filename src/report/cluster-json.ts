/** JSON rendering of a ClusterReport (schema/cluster.schema.json). Environment-neutral. */
import type { ClusterReport } from '../cluster/report.js';
import { analysisJson } from './analysis-json.js';

export function clusterJson(r: ClusterReport): Record<string, unknown> {
  return {
    schemaVersion: r.schemaVersion,
    tool: r.tool,
    cluster: r.cluster,
    diagnoses: r.diagnoses,
    ruledOut: r.ruledOut,
    members: r.reports.map(({ member, report }) => ({ member, report: report ? analysisJson(report) : null })),
  };
}

export function formatClusterJson(r: ClusterReport): string {
  return `${JSON.stringify(clusterJson(r), (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v), 2)}\n`;
}
