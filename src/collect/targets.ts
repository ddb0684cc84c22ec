/**
 * What `collect` takes from every etcd member, and under which file name. Pure code.
 */

/** One thing fetched from a member. */
export interface Target {
  /** Manifest kind: heap, allocs, goroutine, goroutine-debug2, cpu, mutex, block, metrics, version, status, members. */
  kind: string;
  /** Path (with query) on the member's client URL. */
  path: string;
  /** File name inside the member's folder. */
  file: string;
  /** A pprof profile: checked to be one (and, with `dropWhenEmpty`, to hold samples). */
  profile: boolean;
  /** Not kept when the profile holds no sample (mutex and block are off unless the server enables them). */
  dropWhenEmpty?: boolean;
  /** POST this JSON body (etcd's gRPC gateway) instead of a GET. */
  jsonBody?: string;
}

/** The CPU profile: taken on every member at the same time, for `seconds`. */
export function cpuTarget(seconds: number): Target {
  return { kind: 'cpu', path: `/debug/pprof/profile?seconds=${seconds}`, file: 'cpu.pb.gz', profile: true };
}

/** Snapshot profiles and the member's own description, taken right after the CPU window. */
export function snapshotTargets(gatewayPrefix: string): Target[] {
  return [
    { kind: 'heap', path: '/debug/pprof/heap', file: 'heap.pb.gz', profile: true },
    { kind: 'allocs', path: '/debug/pprof/allocs', file: 'allocs.pb.gz', profile: true },
    { kind: 'goroutine', path: '/debug/pprof/goroutine', file: 'goroutine.pb.gz', profile: true },
    { kind: 'goroutine-debug2', path: '/debug/pprof/goroutine?debug=2', file: 'goroutine.debug2.txt', profile: true },
    { kind: 'mutex', path: '/debug/pprof/mutex', file: 'mutex.pb.gz', profile: true, dropWhenEmpty: true },
    { kind: 'block', path: '/debug/pprof/block', file: 'block.pb.gz', profile: true, dropWhenEmpty: true },
    { kind: 'metrics', path: '/metrics', file: 'metrics.txt', profile: false },
    statusTarget(gatewayPrefix),
  ];
}

/** `/version`: {"etcdserver":"3.4.23","etcdcluster":"3.4.0"}. */
export const VERSION_TARGET: Target = { kind: 'version', path: '/version', file: 'version.json', profile: false };

/** Member status from the JSON gateway on the client port (leader, member id, raft index/term, db size). */
export function statusTarget(gatewayPrefix: string): Target {
  return {
    kind: 'status',
    path: `${gatewayPrefix}/maintenance/status`,
    file: 'status.json',
    profile: false,
    jsonBody: '{}',
  };
}

/** The member list (names and client URLs), to name each member's folder. */
export function membersTarget(gatewayPrefix: string): Target {
  return {
    kind: 'members',
    path: `${gatewayPrefix}/cluster/member/list`,
    file: 'members.json',
    profile: false,
    jsonBody: '{}',
  };
}

/**
 * The gateway's path prefix for a server version: /v3beta on 3.3 (3.4 serves both, 3.5 only /v3),
 * /v3alpha before. Unknown version: /v3.
 */
export function gatewayPrefix(etcdVersion: string | undefined): string {
  const m = /^(\d+)\.(\d+)\./.exec(etcdVersion ?? '');
  if (!m) return '/v3';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 3 && minor <= 2) return '/v3alpha';
  if (major === 3 && minor === 3) return '/v3beta';
  return '/v3';
}
