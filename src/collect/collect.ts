/**
 * Collects one incident bundle from every member of an etcd cluster at once: the CPU profile on all
 * members in the same window, then heap, allocs, goroutines, mutex/block (when they hold samples),
 * /metrics, /version and the member status from the JSON gateway. A member that fails is recorded
 * in the manifest and the others continue. Node-only; reuses src/fetch's client (TLS, proxies,
 * deadlines, size caps, redaction).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { httpGet } from '../fetch/http.js';
import { loadTlsMaterial, type TlsMaterial } from '../fetch/tls.js';
import { hostAndPort, parseFetchUrl, redactUrl, safeNamePart, urlSecrets } from '../fetch/url.js';
import { verifyDownload } from '../fetch/verify.js';
import { fsReason, writeExclusive } from '../io/output-file.js';
import { loadProfile } from '../input/load.js';
import { VERSION } from '../version.js';
import {
  MANIFEST_FILE,
  MANIFEST_SCHEMA_VERSION,
  type Manifest,
  type ManifestFile,
  type ManifestMember,
} from './manifest.js';
import { type ListedMember, memberForEndpoint, parseMemberList, parseStatus, parseVersion } from './member-info.js';
import { type Target, VERSION_TARGET, cpuTarget, gatewayPrefix, membersTarget, snapshotTargets } from './targets.js';

export interface CollectOptions {
  /** Client URLs (`https://host:2379`, or `host:2379`: https when TLS flags are given). */
  endpoints: readonly string[];
  cacert?: string;
  cert?: string;
  key?: string;
  insecureSkipTlsVerify?: boolean;
  /** CPU window in seconds (default 30). */
  seconds?: number;
  /** Seconds allowed for one request (default 30); the CPU profile gets `seconds` more. */
  timeout?: number;
  /** The bundle folder: created; an existing one must be empty. */
  outDir: string;
  /** Largest response accepted per file (default 1 GiB). */
  maxBytes?: number;
  env?: Readonly<Record<string, string | undefined>>;
  /** Progress events (the CLI prints them on a terminal only). */
  onEvent?: (member: string, text: string) => void;
}

export const DEFAULT_COLLECT_SECONDS = 30;
export const DEFAULT_REQUEST_TIMEOUT = 30;

interface Member {
  url: URL;
  endpoint: string;
  secrets: string[];
  name: string;
  info: ManifestMember;
  /** Set after a connection-level failure: the member's remaining requests are not tried. */
  down?: string;
  version?: string;
  listed: ListedMember[];
}

/** Parses the endpoint list: comma-separated values and separate arguments, duplicates removed. */
export function parseEndpoints(given: readonly string[], preferHttps: boolean): { url: URL; insecure: boolean }[] {
  const out: { url: URL; insecure: boolean }[] = [];
  const seen = new Set<string>();
  for (const raw of given.flatMap((g) => g.split(','))) {
    const s = raw.trim();
    if (s === '') continue;
    const parsed = parseFetchUrl(s, { preferHttps });
    const url = new URL(parsed.url.href);
    if (url.pathname !== '/debug/pprof/profile' && url.pathname !== '/' && url.pathname !== '') {
      throw new UserError(`${redactUrl(url)}: give the member's client URL (scheme://host:port), without a path`);
    }
    url.pathname = '/';
    url.search = '';
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    out.push({ url, insecure: parsed.insecureScheme });
  }
  if (out.length === 0) throw new UserError('no endpoint given: pass --endpoints URL[,URL…] or URLs as arguments');
  return out;
}

/** The endpoint as it may be printed: scheme://host:port, user-info shown as ***. */
export function printableEndpoint(url: URL): string {
  return redactUrl(url).replace(/\/$/, '');
}

export async function collectCluster(opts: CollectOptions): Promise<Manifest> {
  const seconds = opts.seconds ?? DEFAULT_COLLECT_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new UserError(`--seconds must be a whole number of seconds, at least 1 (got ${seconds})`);
  }
  const timeout = opts.timeout ?? DEFAULT_REQUEST_TIMEOUT;
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new UserError(`--timeout must be a number of seconds above 0 (got ${timeout})`);
  }
  const tlsFlags = opts.cacert !== undefined || opts.cert !== undefined || opts.key !== undefined;
  const endpoints = parseEndpoints(opts.endpoints, tlsFlags || opts.insecureSkipTlsVerify === true);
  const anyHttps = endpoints.some((e) => e.url.protocol === 'https:');
  if (tlsFlags && !anyHttps) {
    throw new UserError('--cacert, --cert and --key are for https:// endpoints (etcd with TLS on its client URLs)');
  }
  const outDir = resolve(opts.outDir);
  await prepareOutDir(opts.outDir, outDir);
  const tls: TlsMaterial = anyHttps ? loadTlsMaterial(opts) : {};
  const startedAt = new Date().toISOString();
  const files: ManifestFile[] = [];
  const event = opts.onEvent ?? (() => undefined);

  const members: Member[] = endpoints.map(({ url }) => {
    const endpoint = printableEndpoint(url);
    const { host, port } = hostAndPort(url);
    const name = safeNamePart(`${host}_${port}`);
    return {
      url,
      endpoint,
      secrets: urlSecrets(url),
      name,
      listed: [],
      info: { name, endpoint, filesKept: 0, failed: 0 },
    };
  });
  const insecure = opts.insecureSkipTlsVerify === true || endpoints.some((e) => e.insecure);

  interface Got {
    bytes?: Uint8Array;
    record: ManifestFile;
  }
  const get = async (m: Member, t: Target, timeoutSec: number): Promise<Got> => {
    const time = new Date();
    const record: ManifestFile = { member: m.name, endpoint: m.endpoint, kind: t.kind, time: time.toISOString() };
    files.push(record);
    if (m.down !== undefined) {
      record.error = `not tried: ${m.down}`;
      m.info.failed++;
      return { record };
    }
    const url = new URL(t.path, m.url);
    url.username = m.url.username;
    url.password = m.url.password;
    try {
      const r = await httpGet({
        url,
        tls: url.protocol === 'https:' ? tls : {},
        insecureSkipTlsVerify: insecure,
        timeoutMs: timeoutSec * 1000,
        maxBytes: opts.maxBytes ?? 1 << 30,
        secrets: m.secrets,
        ...(opts.env ? { env: opts.env } : {}),
        ...(t.jsonBody !== undefined ? { jsonBody: t.jsonBody } : {}),
      });
      record.durationMs = Date.now() - time.getTime();
      return { bytes: r.bytes, record };
    } catch (err) {
      record.durationMs = Date.now() - time.getTime();
      if (!(err instanceof UserError)) throw err;
      record.error = err.message;
      m.info.failed++;
      // An HTTP answer (404 for a profile the server does not have) says the member is up; anything
      // else (refused, reset, timed out, TLS) means it is not worth asking again this run.
      if (!/server response: /.test(err.message)) {
        m.down = `${m.endpoint} failed earlier (${err.message.replace(/^cannot fetch \S+: /, '')})`;
        m.info.error ??= err.message;
      }
      event(m.name, `${t.kind} failed: ${err.message}`);
      return { record };
    }
  };

  const keep = async (m: Member, t: Target, { bytes, record }: Got): Promise<void> => {
    if (!bytes) return;
    record.member = m.name;
    if (t.profile) {
      const v = verifyDownload(bytes);
      if (!v.isProfile || v.kind === 'empty') {
        record.error = `not a profile: ${v.problem ?? v.description}`;
        m.info.failed++;
        return;
      }
      if (t.dropWhenEmpty) {
        try {
          const p = await loadProfile(bytes, { name: `${m.name}/${t.file}` });
          if (p.samples.length === 0) {
            record.skipped = 'no samples (the server does not record this profile)';
            record.bytes = bytes.length;
            event(m.name, `${t.kind}: no samples, not kept`);
            return;
          }
        } catch (err) {
          record.error = err instanceof Error ? err.message : String(err);
          m.info.failed++;
          return;
        }
      }
    }
    const rel = `${m.name}/${t.file}`;
    try {
      await writeExclusive(join(outDir, m.name, t.file), join(opts.outDir, rel), bytes);
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
      m.info.failed++;
      return;
    }
    record.path = rel;
    record.bytes = bytes.length;
    record.sha256 = createHash('sha256').update(bytes).digest('hex');
    m.info.filesKept++;
    event(m.name, `${t.kind} ${bytes.length} bytes`);
  };

  // 1. Who is who: /version (picks the gateway prefix) and the member list (names the folders).
  const first = new Map<Member, [Target, Got][]>();
  await Promise.all(
    members.map(async (m) => {
      const v = await get(m, VERSION_TARGET, timeout);
      if (v.bytes) m.version = parseVersion(text(v.bytes));
      const lt = membersTarget(gatewayPrefix(m.version));
      const list = await get(m, lt, timeout);
      if (list.bytes) m.listed = parseMemberList(text(list.bytes));
      first.set(m, [
        [VERSION_TARGET, v],
        [lt, list],
      ]);
    }),
  );
  const listed = members.flatMap((m) => m.listed);
  const taken = new Set<string>();
  for (const m of members) {
    const named = safeNamePart(memberForEndpoint(listed, m.url)?.name ?? '');
    let name = named !== '' ? named : m.name;
    for (let i = 2; taken.has(name); i++) name = `${named || m.name}-${i}`;
    taken.add(name);
    for (const [, got] of first.get(m) ?? []) got.record.member = name;
    m.name = name;
    m.info.name = name;
    if (m.version) m.info.etcdVersion = m.version;
    await mkdir(join(outDir, name), { recursive: true });
  }
  // The answers of step 1 are kept now that each folder has its name.
  for (const m of members) for (const [t, got] of first.get(m) ?? []) await keep(m, t, got);

  // 2. The CPU profile on every member at once.
  const cpu = cpuTarget(seconds);
  event('*', `CPU profile on ${members.length} member(s), ${seconds}s`);
  await Promise.all(
    members.map(async (m) => {
      await keep(m, cpu, await get(m, cpu, seconds + timeout));
    }),
  );

  // 3. Snapshots and descriptions, members in parallel, one request at a time per member.
  await Promise.all(
    members.map(async (m) => {
      for (const t of snapshotTargets(gatewayPrefix(m.version))) {
        const got = await get(m, t, timeout);
        await keep(m, t, got);
        if (t.kind === 'status' && got.bytes) {
          const s = parseStatus(text(got.bytes));
          Object.assign(m.info, {
            ...(s.memberId !== undefined ? { memberId: s.memberId } : {}),
            ...(s.isLeader !== undefined ? { role: s.isLeader ? 'leader' : 'follower' } : {}),
            ...(s.etcdVersion !== undefined ? { etcdVersion: s.etcdVersion } : {}),
            ...(s.dbSize !== undefined ? { dbSize: s.dbSize } : {}),
            ...(s.raftIndex !== undefined ? { raftIndex: s.raftIndex } : {}),
            ...(s.raftTerm !== undefined ? { raftTerm: s.raftTerm } : {}),
            ...(s.raftAppliedIndex !== undefined ? { raftAppliedIndex: s.raftAppliedIndex } : {}),
          });
        }
      }
    }),
  );

  const manifest: Manifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    tool: `pprof-doctor ${VERSION}`,
    startedAt,
    finishedAt: new Date().toISOString(),
    cpuSeconds: seconds,
    members: members.map((m) => m.info),
    files,
  };
  await writeExclusive(
    join(outDir, MANIFEST_FILE),
    join(opts.outDir, MANIFEST_FILE),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return manifest;
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** The bundle folder must not hold anything yet: a collection never mixes with or replaces another. */
async function prepareOutDir(shown: string, abs: string): Promise<void> {
  let entries: string[] | undefined;
  try {
    entries = await readdir(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new UserError(`-o '${shown}': ${fsReason(err)}`);
  }
  if (entries !== undefined && entries.length > 0) {
    throw new UserError(`-o '${shown}' is not empty; give a new folder for the bundle`);
  }
  try {
    await mkdir(abs, { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create '${shown}': ${fsReason(err)}`);
  }
}
