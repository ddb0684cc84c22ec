/**
 * Warnings for a comparison of profiles that may not be of the same process: a different process
 * kind (etcd server vs client application…) or etcd / Go versions that cannot be the same (the
 * ranges inferred from each profile's symbols do not overlap). The comparison still runs — an
 * upgrade is a legitimate thing to compare — but the user is told why big differences may be
 * expected. One line each, starting with `warning:` like checkComparable's.
 *
 * Environment-neutral: no Node-only imports.
 */
import semver from 'semver';
import { inferContext, type ProcessInfo, type VersionInfo } from '../../diagnosis/context.js';
import { ProfileView } from '../../diagnosis/matcher.js';
import type { Profile } from '../../profile/model.js';

const KIND_WORDS: Record<ProcessInfo['kind'], string> = {
  'etcd-server': 'an etcd server',
  'etcd-client': 'an etcd client application',
  'etcd-embedder': 'a program embedding etcd',
  'other-go': 'a Go program without etcd',
  unknown: 'an unknown program',
};

function disjoint(a: VersionInfo | null, b: VersionInfo | null): boolean {
  if (!a || !b) return false;
  try {
    return !semver.intersects(a.range, b.range, { includePrerelease: true });
  } catch {
    return false;
  }
}

export function contextWarnings(base: Profile, next: Profile, baseName = 'base', newName = 'new'): string[] {
  const cb = inferContext([new ProfileView(base, baseName)]);
  const cn = inferContext([new ProfileView(next, newName)]);
  const out: string[] = [];
  if (cb.kind !== cn.kind && cb.kind !== 'unknown' && cn.kind !== 'unknown') {
    out.push(
      `warning: ${baseName} looks like ${KIND_WORDS[cb.kind]} and ${newName} like ${KIND_WORDS[cn.kind]}: different processes? Only functions with the same name are matched`,
    );
  }
  if (disjoint(cb.etcdVersion, cn.etcdVersion)) {
    out.push(
      `warning: ${baseName} is from etcd ${cb.etcdVersion!.label} and ${newName} from etcd ${cn.etcdVersion!.label}: differences may come from the version change, not from the workload`,
    );
  }
  if (disjoint(cb.goVersion, cn.goVersion)) {
    out.push(
      `warning: ${baseName} was built with Go ${cb.goVersion!.label} and ${newName} with Go ${cn.goVersion!.label}: the runtime's own frames and costs differ between them`,
    );
  }
  return out;
}
