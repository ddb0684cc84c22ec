/**
 * Reads what etcd's JSON gateway and /version say about a member. Every field is untrusted server
 * text: numbers are parsed strictly, strings bounded. Pure code.
 */

export interface MemberStatus {
  /** Hex member id, as etcdctl prints it. */
  memberId?: string;
  leaderId?: string;
  isLeader?: boolean;
  etcdVersion?: string;
  dbSize?: number;
  dbSizeInUse?: number;
  raftIndex?: number;
  raftTerm?: number;
  raftAppliedIndex?: number;
}

export interface ListedMember {
  id: string;
  name: string;
  clientUrls: string[];
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The gateway writes 64-bit integers as decimal strings. */
function uint(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return Number(v);
  return undefined;
}

/** A 64-bit id (decimal string from the gateway) as etcdctl's hex. */
function hexId(v: unknown): string | undefined {
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) {
    const n = BigInt(v);
    return n < 1n << 64n ? n.toString(16) : undefined;
  }
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v.toString(16);
  return undefined;
}

/** Printable, short text: a version, a member name. */
export function shortText(v: unknown, max = 64): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/[^\x20-\x7e]/g, '').slice(0, max);
  return s === '' ? undefined : s;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** POST /v3/maintenance/status → MemberStatus (empty when the text is not the expected JSON). */
export function parseStatus(text: string): MemberStatus {
  const o = obj(parseJson(text));
  if (!o) return {};
  const header = obj(o.header);
  const out: MemberStatus = {};
  const set = <K extends keyof MemberStatus>(k: K, v: MemberStatus[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('memberId', hexId(header?.member_id));
  set('leaderId', hexId(o.leader));
  if (out.memberId !== undefined && out.leaderId !== undefined) out.isLeader = out.memberId === out.leaderId;
  set('etcdVersion', shortText(o.version));
  set('dbSize', uint(o.dbSize));
  set('dbSizeInUse', uint(o.dbSizeInUse));
  set('raftIndex', uint(o.raftIndex));
  set('raftTerm', uint(o.raftTerm));
  set('raftAppliedIndex', uint(o.raftAppliedIndex));
  return out;
}

/** POST /v3/cluster/member/list → the members with names and client URLs. */
export function parseMemberList(text: string): ListedMember[] {
  const o = obj(parseJson(text));
  const list = Array.isArray(o?.members) ? o.members : [];
  const out: ListedMember[] = [];
  for (const m of list.slice(0, 1000)) {
    const mo = obj(m);
    const id = hexId(mo?.ID);
    if (!mo || id === undefined) continue;
    const urls = Array.isArray(mo.clientURLs) ? mo.clientURLs : [];
    out.push({
      id,
      name: shortText(mo.name) ?? '',
      clientUrls: urls.flatMap((u) => (typeof u === 'string' ? [u.slice(0, 300)] : [])),
    });
  }
  return out;
}

/** GET /version → the server version ("3.4.23"). */
export function parseVersion(text: string): string | undefined {
  const v = shortText(obj(parseJson(text))?.etcdserver);
  return v && /^\d+\.\d+\.\d+/.test(v) ? v : undefined;
}

/** The listed member serving `endpoint` (same origin as one of its client URLs). */
export function memberForEndpoint(members: readonly ListedMember[], endpoint: URL): ListedMember | undefined {
  return members.find((m) =>
    m.clientUrls.some((u) => {
      try {
        const parsed = new URL(u);
        return parsed.hostname === endpoint.hostname && sameOrDefaultPort(parsed, endpoint);
      } catch {
        return false;
      }
    }),
  );
}

function sameOrDefaultPort(a: URL, b: URL): boolean {
  const port = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80');
  return port(a) === port(b);
}
