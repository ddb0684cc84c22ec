/**
 * The result of analysing a whole cluster (a `collect` bundle, or one folder per member): a summary
 * row per member, the cross-member evidence, every diagnosis tagged with its member, and each
 * member's own report. Plain, serialisable data. `schemaVersion` follows schema/cluster.schema.json.
 */
import type { AnalysisReport, Diagnosis, RuledOut } from '../diagnosis/report.js';
import type { CrossMemberEvidence } from './cross-member.js';

export const CLUSTER_SCHEMA_VERSION = 1;

export interface ClusterMember {
  name: string;
  endpoint: string | null;
  role: 'leader' | 'follower' | 'unknown';
  /** Where the role comes from: status.json, metrics, or the profiles. */
  roleSource: 'status' | 'metrics' | 'profiles' | null;
  etcdVersion: string | null;
  goVersion: string | null;
  /** Bytes, from status.json or the metrics. */
  dbSize: number | null;
  rss: number | null;
  heapInuse: number | null;
  goroutines: number | null;
  /** Why the member has no analysis or is incomplete (from the collection manifest). */
  error?: string;
}

export interface ClusterDiagnosis extends Diagnosis {
  member: string;
}

export interface ClusterRuledOut extends RuledOut {
  member: string;
}

export interface ClusterReport {
  schemaVersion: typeof CLUSTER_SCHEMA_VERSION;
  tool: { name: string; version: string };
  cluster: {
    members: ClusterMember[];
    crossMember: CrossMemberEvidence;
    notes: string[];
  };
  /** Every member's diagnoses, most likely first. */
  diagnoses: ClusterDiagnosis[];
  /** Diagnoses ruled out by cross-member evidence. */
  ruledOut: ClusterRuledOut[];
  /** Each member's own report (null when nothing of it could be analysed). */
  reports: { member: string; report: AnalysisReport | null }[];
}
