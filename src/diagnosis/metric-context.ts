/**
 * What the process's own /metrics (or member status) says overrides what the profiles suggest:
 * the exact etcd and Go versions, the raft role, and that it is an etcd server. Stated versions
 * (--etcd-version, --go-version) still win. Every override is noted with what inference had said.
 * Pure code.
 */
import type { MetricFacts } from '../metrics/facts.js';
import type { ProcessInfo, VersionInfo } from './context.js';
import { rangeLabel, versionToRange } from './versions.js';

function fromMetrics(version: string, evidence: string): VersionInfo | null {
  const range = versionToRange(version);
  return range ? { range, label: rangeLabel(range), source: 'metrics', evidence: [evidence] } : null;
}

function overrideNote(what: string, now: VersionInfo, before: VersionInfo | null): string | undefined {
  if (!before) return undefined;
  // the same release, however written (3.5.16 and >=3.5.16 <3.5.17): nothing overridden
  if (before.range === now.range || before.label === now.label) return undefined;
  return `${what} ${now.label} from ${now.evidence[0]} overrides the ${before.source} ${before.label}`;
}

export function applyMetricFacts(ctx: ProcessInfo, f: MetricFacts): ProcessInfo {
  const out: ProcessInfo = { ...ctx, notes: [...ctx.notes], kindEvidence: [...ctx.kindEvidence] };
  // A process that exports etcd_server_is_leader is a raft member serving clients: an etcd server,
  // even when its frames look like a program embedding etcd's packages.
  const member = f.etcdServer && (f.isLeader !== undefined || f.etcdVersion !== undefined);
  if (member && (ctx.kind === 'unknown' || ctx.kind === 'other-go' || ctx.kind === 'etcd-embedder')) {
    out.kind = 'etcd-server';
    out.kindEvidence.push(`etcd server metrics in ${f.source}`);
    if (ctx.kind !== 'unknown') {
      out.notes.push(
        `${f.source} has etcd server metrics (a raft member): treated as an etcd server, not the ${ctx.kind} the profiles suggest`,
      );
    }
  }
  if (f.etcdVersion && ctx.etcdVersion?.source !== 'stated') {
    const v = fromMetrics(f.etcdVersion, `etcd_server_version{server_version="${f.etcdVersion}"} in ${f.source}`);
    if (v) {
      const note = overrideNote('etcd', v, ctx.etcdVersion);
      if (note) out.notes.push(note);
      out.etcdVersion = v;
    }
  }
  if (f.goVersion && ctx.goVersion?.source !== 'stated') {
    const v = fromMetrics(f.goVersion, `go_info{version="go${f.goVersion}"} in ${f.source}`);
    if (v) {
      const note = overrideNote('Go', v, ctx.goVersion);
      if (note) out.notes.push(note);
      out.goVersion = v;
    }
  }
  if (f.isLeader !== undefined && (out.kind === 'etcd-server' || out.kind === 'unknown')) {
    const role = f.isLeader ? 'leader' : 'follower';
    const why = `etcd_server_is_leader ${f.isLeader ? 1 : 0} in ${f.source}`;
    if (ctx.role !== 'unknown' && ctx.role !== role) {
      out.notes.push(`role ${role} from ${why} overrides the ${ctx.role} inferred from the profiles`);
    }
    out.role = role;
    out.roleEvidence = [why, ...ctx.roleEvidence.map((e) => `profiles: ${e}`)];
  }
  return out;
}
