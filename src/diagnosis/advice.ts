/**
 * Advice that fits the process: a rule's remediation steps and metrics may name the etcd and Go
 * versions they exist in (`etcd: '>=3.5.14'` on a flag added in 3.5.14, `go: '>=1.19.0'` on
 * GOMEMLIMIT). Against the process's inferred or stated versions:
 *
 *  - the version is known to be inside the range: kept as written;
 *  - unknown, or only partly inside: kept, labelled ("etcd ≥ 3.5.14 only");
 *  - outside: left out, and listed in `omitted` with the reason (a rule may carry a replacement
 *    step for the other versions, e.g. "upgrade to 3.5.14+ to get the flag", with the complementary
 *    range).
 *
 * Environment-neutral.
 */
import type { VersionInfo } from './context.js';
import type { MetricOut, OmittedAdvice, RemediationOut } from './report.js';
import type { Metric, RemediationStep } from './schema.js';
import { isSubset, overlaps, rangeLabel } from './versions.js';

interface Versions {
  etcdVersion: Pick<VersionInfo, 'range' | 'label' | 'source'> | null;
  goVersion: Pick<VersionInfo, 'range' | 'label' | 'source'> | null;
}

type Fit = { keep: true; note?: string } | { keep: false; reason: string };

function fitOne(what: 'etcd' | 'Go', needs: string | undefined, known: Versions['etcdVersion']): Fit {
  if (needs === undefined) return { keep: true };
  const label = `${what} ${rangeLabel(needs)}`;
  if (!known) return { keep: true, note: `${label} only` };
  if (!overlaps(known.range, needs))
    return { keep: false, reason: `needs ${label}; this process: ${what} ${known.label} (${known.source})` };
  if (isSubset(known.range, needs)) return { keep: true };
  return { keep: true, note: `${label} only` };
}

function fitVersions(item: { etcd?: string; go?: string }, v: Versions): Fit {
  const a = fitOne('etcd', item.etcd, v.etcdVersion);
  const b = fitOne('Go', item.go, v.goVersion);
  if (!a.keep) return a;
  if (!b.keep) return b;
  const notes = [a.note, b.note].filter((n): n is string => n !== undefined);
  return notes.length ? { keep: true, note: notes.join(', ') } : { keep: true };
}

/** The remediation steps and metrics of a rule that fit the process's versions (see the file comment). */
export function adviceFor(
  remediation: readonly RemediationStep[],
  metrics: readonly Metric[],
  v: Versions,
): { remediation: RemediationOut[]; metrics: MetricOut[]; omitted: OmittedAdvice[] } {
  const omitted: OmittedAdvice[] = [];
  const steps: RemediationOut[] = [];
  for (const s of remediation) {
    const f = fitVersions(s, v);
    if (!f.keep) omitted.push({ kind: 'step', text: s.do, reason: f.reason });
    else steps.push(f.note ? { ...s, versionNote: f.note } : { ...s });
  }
  const ms: MetricOut[] = [];
  for (const m of metrics) {
    const f = fitVersions(m, v);
    if (!f.keep) omitted.push({ kind: 'metric', text: m.name, reason: f.reason });
    else ms.push(f.note ? { ...m, versionNote: f.note } : { ...m });
  }
  return { remediation: steps, metrics: ms, omitted };
}
