// Fetching from a real etcd (Debian's etcd-server 3.4.23, /usr/bin/etcd) serving /debug/pprof on a
// client URL that requires client certificates (--client-cert-auth), as in production.
// Skipped only when /usr/bin/etcd is absent; CI installs it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { type FetchOptions, fetchProfile } from '../../src/fetch/resolve.js';
import { type Pki, makePki } from './helpers/pki.js';
import { type EtcdCluster, startCluster, systemEtcd } from '../helpers/etcd-cluster.js';
import { builtCli, runCli } from './helpers/servers.js';

const ETCD = systemEtcd('the real-etcd fetch tests');
const haveEtcd = ETCD !== undefined;

const root = resolve(import.meta.dirname, '..', '..');
let pki: Pki;
let cluster: EtcdCluster | undefined;
let clientPort = 0;
let work = '';

function strings(p: Profile): string[] {
  return p.stringTable.strings;
}

/** The sample types of a gzipped pprof profile, decoded independently of pprof-doctor's own decoder. */
function sampleTypes(bytes: Uint8Array): string[] {
  const p = Profile.decode(gunzipSync(bytes));
  return p.sampleType.map((t) => strings(p)[Number(t.type)]!);
}

beforeAll(async () => {
  if (!haveEtcd) return;
  pki = makePki();
  work = mkdtempSync(join(tmpdir(), 'pprof-doctor-etcd-'));
  // one member, TLS with client-certificate authentication on the client URL, pprof on
  cluster = await startCluster(ETCD!, 1, pki);
  clientPort = cluster.members[0]!.clientPort;
}, 60_000);

afterAll(async () => {
  await cluster?.close();
  pki?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
}, 30_000);

const opts = (): FetchOptions => ({
  cacert: pki.ca,
  cert: pki.client.cert,
  key: pki.client.key,
  dir: work,
  progress: false,
});

describe('fetch from a real etcd with client-certificate TLS', () => {
  it.skipIf(!haveEtcd)('fetches /debug/pprof/heap: a gzipped pprof heap profile that decodes', async () => {
    const r = await fetchProfile(`https://127.0.0.1:${clientPort}/debug/pprof/heap`, opts());
    expect(r.kind).toBe('pprof-gzip');
    expect([r.bytes[0], r.bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(new Uint8Array(readFileSync(r.savedTo))).toEqual(r.bytes);
    expect(sampleTypes(r.bytes)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    // and pprof-doctor's own loader reads it, when it is there
    if (existsSync(join(root, 'src', 'input', 'load.ts'))) {
      const { loadProfile } = (await import('../../src/input/load.js')) as {
        loadProfile: (b: Uint8Array) => Promise<{ sampleTypes: { type: string }[] }>;
      };
      const p = await loadProfile(r.bytes);
      expect(p.sampleTypes.map((t) => t.type)).toContain('inuse_space');
    }
  });

  it.skipIf(!haveEtcd)(
    'fetches /debug/pprof/profile?seconds=1 through bin/pprof-doctor fetch --seconds 1',
    async () => {
      const bin = builtCli(root);
      const r = await runCli(
        bin,
        [
          'fetch',
          `127.0.0.1:${clientPort}/debug/pprof/profile`,
          '--seconds',
          '1',
          '--cacert',
          pki.ca,
          '--cert',
          pki.client.cert,
          '--key',
          pki.client.key,
        ],
        work,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const path = join(work, r.stdout.trim());
      expect(r.stdout.trim()).toMatch(
        new RegExp(`^pprof-doctor\\.127\\.0\\.0\\.1_${clientPort}\\.profile\\.\\d{8}-\\d{6}\\.pb\\.gz$`),
      );
      const bytes = new Uint8Array(readFileSync(path));
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      expect(sampleTypes(bytes)).toEqual(['samples', 'cpu']);
      const p = Profile.decode(gunzipSync(bytes));
      // about one second of profiling
      expect(Number(p.durationNanos)).toBeGreaterThan(0.9e9);
      expect(Number(p.durationNanos)).toBeLessThan(5e9);
    },
    30_000,
  );

  it.skipIf(!haveEtcd)('fetches goroutine?debug=2 as a text profile', async () => {
    const r = await fetchProfile(`https://127.0.0.1:${clientPort}/debug/pprof/goroutine?debug=2`, opts());
    expect(r.kind).toBe('text');
    expect(new TextDecoder().decode(r.bytes)).toMatch(/^goroutine \d+ \[/);
  });

  it.skipIf(!haveEtcd)('without a client certificate: the clear rejection message', async () => {
    const e = await fetchProfile(`https://127.0.0.1:${clientPort}/debug/pprof/heap`, {
      cacert: pki.ca,
      dir: work,
      progress: false,
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toBe(
      `cannot fetch https://127.0.0.1:${clientPort}/debug/pprof/heap: the server rejected the client certificate (or none was sent): pass --cert and --key`,
    );
  });

  it.skipIf(!haveEtcd)('with a client certificate etcd does not trust: rejected, naming the file', async () => {
    const e = await fetchProfile(`https://127.0.0.1:${clientPort}/debug/pprof/heap`, {
      ...opts(),
      cert: pki.strangerClient.cert,
      key: pki.strangerClient.key,
    }).catch((err: unknown) => err);
    expect((e as Error).message).toMatch(/the server rejected the client certificate \(TLS alert: bad certificate\)/);
    expect((e as Error).message).toContain(pki.strangerClient.cert);
  });

  it.skipIf(!haveEtcd)('without the CA: the server certificate cannot be verified', async () => {
    const e = await fetchProfile(`https://127.0.0.1:${clientPort}/debug/pprof/heap`, {
      ...opts(),
      cacert: undefined,
    }).catch((err: unknown) => err);
    expect((e as Error).message).toMatch(
      /unable to verify the server certificate: .+; pass --cacert <ca\.pem> or --insecure-skip-tls-verify$/,
    );
  });

  it.skipIf(!haveEtcd)("an unknown profile: etcd's 404 text", async () => {
    const e = await fetchProfile(`https://127.0.0.1:${clientPort}/debug/pprof/nosuch`, opts()).catch(
      (err: unknown) => err,
    );
    expect((e as Error).message).toMatch(/server response: 404 Not Found - Unknown profile$/);
  });
});
