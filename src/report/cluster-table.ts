/** The cluster summary table shared by the cluster renderers: header and one row of text per member. Pure code. */
import type { ClusterMember } from '../cluster/report.js';
import { autoLabel } from '../profile/units.js';
import { escapeText } from './escape.js';

export const CLUSTER_HEADER = [
  'member',
  'endpoint',
  'role',
  'etcd',
  'Go',
  'db size',
  'RSS',
  'heap in use',
  'goroutines',
];

function bytes(n: number | null): string {
  return n === null ? '–' : autoLabel(n, 'bytes');
}

/** Control characters of untrusted text (member names and endpoints come from files) made visible. */
export function plain(s: string, max = 120): string {
  // The project's one terminal rule (escape.ts), on the cut string so no escape is split.
  return escapeText(s.slice(0, max));
}

export function clusterRow(m: ClusterMember): string[] {
  const role =
    m.role === 'unknown' ? '?' : `${m.role}${m.roleSource && m.roleSource !== 'status' ? ` (${m.roleSource})` : ''}`;
  return [
    plain(m.name, 60),
    plain(m.endpoint ?? '–'),
    role,
    plain(m.etcdVersion ?? '?', 40),
    plain(m.goVersion ?? '?', 40),
    bytes(m.dbSize),
    bytes(m.rss),
    bytes(m.heapInuse),
    m.goroutines === null ? '–' : String(Math.round(m.goroutines)),
  ];
}
