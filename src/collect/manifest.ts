/**
 * The manifest of a collected bundle (DIR/manifest.json): which member each file came from, what it
 * is, its size and SHA-256, when it was taken — or why it is missing. Never a credential: endpoints
 * are shown without user-info, and no TLS file name is recorded. Pure code.
 */

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SCHEMA_VERSION = 1;

export interface ManifestFile {
  /** The member's folder name (its etcd name when the member list gave one). */
  member: string;
  /** The member's client URL as printed (user-info replaced by ***). */
  endpoint: string;
  /** heap, allocs, goroutine, goroutine-debug2, cpu, mutex, block, metrics, version, status, members. */
  kind: string;
  /** Path inside the bundle (member/file), when the file was kept. */
  path?: string;
  bytes?: number;
  sha256?: string;
  /** When the request was sent (ISO 8601, UTC). */
  time: string;
  durationMs?: number;
  /** Why there is no file: the request failed (one line). */
  error?: string;
  /** Why a good answer was not kept (a mutex/block profile without samples). */
  skipped?: string;
}

export interface ManifestMember {
  name: string;
  endpoint: string;
  /** Hex member id (from the status), when known. */
  memberId?: string;
  role?: 'leader' | 'follower';
  etcdVersion?: string;
  dbSize?: number;
  raftIndex?: number;
  raftTerm?: number;
  raftAppliedIndex?: number;
  /** Files kept / requests that failed. */
  filesKept: number;
  failed: number;
  /** Set when the member could not be reached at all, or stopped answering (first failure). */
  error?: string;
}

export interface Manifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  tool: string;
  startedAt: string;
  finishedAt: string;
  /** The CPU window, the same on every member. */
  cpuSeconds: number;
  members: ManifestMember[];
  files: ManifestFile[];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A manifest read back from a bundle, or the reason it is not one (one line). */
export function parseManifest(text: string): Manifest | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!isObj(v) || v.schemaVersion !== MANIFEST_SCHEMA_VERSION)
    return `not a version ${MANIFEST_SCHEMA_VERSION} manifest`;
  if (!Array.isArray(v.members) || !Array.isArray(v.files)) return 'no members or files list';
  for (const m of v.members) if (!isObj(m) || typeof m.name !== 'string') return 'a member without a name';
  for (const f of v.files) {
    if (!isObj(f) || typeof f.member !== 'string' || typeof f.kind !== 'string') return 'a file without member or kind';
    if (f.path !== undefined && (typeof f.path !== 'string' || f.path.split('/').some((p) => p === '..' || p === '')))
      return `a file path that leaves the bundle`;
  }
  return v as unknown as Manifest;
}
