/**
 * Analyses the members of one cluster apart (profiles of different processes are never merged),
 * then puts them side by side: a summary row per member, the cross-member memory pattern, and
 * every diagnosis tagged with its member. A rule that names a `cluster:` pattern gains confidence
 * when the bundle shows it and is ruled out when the bundle shows another. Pure code.
 */
import type { MemberStatus } from '../collect/member-info.js';
import { type AnalyzeInput, type AnalyzeOptions, analyzeProfiles } from '../diagnosis/engine.js';
import { confidenceFromFactors } from '../diagnosis/metric-checks.js';
import type { AnalysisReport } from '../diagnosis/report.js';
import type { Rule } from '../diagnosis/schema.js';
import type { MetricFacts } from '../metrics/facts.js';
import type { PromScrape } from '../metrics/prom-text.js';
import { crossMemberEvidence } from './cross-member.js';
import { orderClusterDiagnoses } from './order.js';
import {
  CLUSTER_SCHEMA_VERSION,
  type ClusterDiagnosis,
  type ClusterMember,
  type ClusterReport,
  type ClusterRuledOut,
} from './report.js';

export interface MemberInput {
  name: string;
  endpoint?: string;
  inputs: AnalyzeInput[];
  metrics?: { scrape: PromScrape; facts: MetricFacts };
  status?: { status: MemberStatus; source: string };
  /** The collection's error for this member (manifest). */
  error?: string;
}

/** Facts from status.json fill what the metrics lack (role, version); status alone stands in for metrics. */
function factsFor(m: MemberInput): { scrape: PromScrape; facts: MetricFacts } | undefined {
  const st = m.status?.status;
  if (!m.metrics && !st) return undefined;
  const base: { scrape: PromScrape; facts: MetricFacts } = m.metrics ?? {
    scrape: { samples: [], types: {} },
    facts: { source: m.status!.source, etcdServer: true },
  };
  const facts = { ...base.facts };
  if (st?.isLeader !== undefined && facts.isLeader === undefined) facts.isLeader = st.isLeader;
  if (st?.etcdVersion !== undefined && facts.etcdVersion === undefined) facts.etcdVersion = st.etcdVersion;
  if (st?.dbSize !== undefined && facts.dbSize === undefined) facts.dbSize = st.dbSize;
  return { scrape: base.scrape, facts };
}

function heapFromProfiles(r: AnalysisReport): number | null {
  const heap = r.profiles.find((p) => p.kinds.includes('heap') && p.sampleType === 'inuse_space');
  return heap ? heap.total : null;
}

function goroutinesFromProfiles(r: AnalysisReport): number | null {
  const g = r.profiles.find((p) => p.kinds.includes('goroutine'));
  return g ? g.total : null;
}

export function analyzeCluster(
  members: readonly MemberInput[],
  rules: Rule[],
  opts: AnalyzeOptions = {},
): ClusterReport {
  const notes: string[] = [];
  const reports: ClusterReport['reports'] = [];
  const rows: ClusterMember[] = [];
  for (const m of members) {
    const metrics = factsFor(m);
    const report =
      m.inputs.length > 0 ? analyzeProfiles(m.inputs, rules, { ...opts, ...(metrics ? { metrics } : {}) }) : null;
    reports.push({ member: m.name, report });
    const f = metrics?.facts;
    const st = m.status?.status;
    const role =
      st?.isLeader !== undefined
        ? st.isLeader
          ? 'leader'
          : 'follower'
        : (report?.process.role ?? (f?.isLeader !== undefined ? (f.isLeader ? 'leader' : 'follower') : 'unknown'));
    const roleSource: ClusterMember['roleSource'] =
      st?.isLeader !== undefined
        ? 'status'
        : m.metrics?.facts.isLeader !== undefined
          ? 'metrics'
          : role !== 'unknown'
            ? 'profiles'
            : null;
    rows.push({
      name: m.name,
      endpoint: m.endpoint ?? null,
      role,
      roleSource,
      etcdVersion: st?.etcdVersion ?? f?.etcdVersion ?? report?.process.etcdVersion?.label ?? null,
      goVersion: f?.goVersion ?? report?.process.goVersion?.label ?? null,
      dbSize: st?.dbSize ?? f?.dbSize ?? null,
      rss: f?.rss ?? null,
      heapInuse: f?.heapInuse ?? (report ? heapFromProfiles(report) : null),
      goroutines: f?.goroutines ?? (report ? goroutinesFromProfiles(report) : null),
      ...(m.error !== undefined ? { error: m.error } : report === null ? { error: 'no profile to analyse' } : {}),
    });
    if (m.error !== undefined) notes.push(`${m.name}: ${m.error}`);
  }

  const cross = crossMemberEvidence(
    rows.map((r) => ({ name: r.name, role: r.role, heapInuse: r.heapInuse ?? undefined })),
  );
  const byId = new Map(rules.map((r) => [r.id, r]));
  const diagnoses: ClusterDiagnosis[] = [];
  const ruledOut: ClusterRuledOut[] = [];
  for (const { member, report } of reports) {
    if (!report) continue;
    for (const d of report.diagnoses) {
      const want = byId.get(d.id)?.cluster;
      if (want && cross.pattern !== 'unknown') {
        if (cross.pattern === want) {
          const factors = [
            ...d.confidenceFactors,
            { factor: 'cluster', delta: 0.1, why: `cross-member: ${cross.text}` },
          ];
          diagnoses.push({ ...d, member, confidenceFactors: factors, confidence: confidenceFromFactors(factors) });
        } else {
          ruledOut.push({
            id: d.id,
            title: d.title,
            severity: d.severity,
            because: 'exclusion',
            reason: `needs ${want} memory across the members; the bundle shows: ${cross.text}`,
            evidence: d.evidence,
            member,
          });
        }
        continue;
      }
      diagnoses.push({ ...d, member });
    }
  }
  const versions = new Set(rows.map((r) => r.etcdVersion).filter((v): v is string => v !== null));
  if (versions.size > 1) notes.push(`members run different etcd versions: ${[...versions].join(', ')}`);
  const leaders = rows.filter((r) => r.role === 'leader');
  if (leaders.length > 1)
    notes.push(
      `more than one member says it is the leader: ${leaders.map((r) => r.name).join(', ')} (taken at different moments?)`,
    );
  return {
    schemaVersion: CLUSTER_SCHEMA_VERSION,
    tool: { name: 'pprof-doctor', version: opts.toolVersion ?? '' },
    cluster: { members: rows, crossMember: cross, notes },
    diagnoses: orderClusterDiagnoses(diagnoses),
    ruledOut,
    reports,
  };
}
