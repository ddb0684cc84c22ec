// Fetching from a real etcd (Debian's etcd-server 3.4.23, /usr/bin/etcd) serving /debug/pprof on a
// client URL that requires client certificates (--client-cert-auth), as in production.
// Skipped only when /usr/bin/etcd is absent; CI installs it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { type FetchOptions, fetchProfile } from '../../src/fetch/resolve.js';
import { type Pki, makePki } from './helpers/pki.js';
import { builtCli, closedPort, runCli } from './helpers/servers.js';

const ETCD = '/usr/bin/etcd';
const haveEtcd = existsSync(ETCD);
if (!haveEtcd)
  console.warn(`skipping the real-etcd fetch tests: ${ETCD} is not installed (apt-get install etcd-server)`);

const root = resolve(import.meta.dirname, '..', '..');
let pki: Pki;
let etcd: ChildProcess | undefined;
let etcdLog = '';
let clientPort = 0;
let dataDir = '';
let work = '';

function strings(p: Profile): string[] {
  return p.stringTable.strings;
}

/** The sample types of a gzipped pprof profile, decoded independently of pprof-doctor's own decoder. */
function sampleTypes(bytes: Uint8Array): string[] {
  const p = Profile.decode(gunzipSync(bytes));
  return p.sampleType.map((t) => strings(p)[Number(t.type)]!);
}

function health(): Promise<number> {
  return new Promise((resolveStatus) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: clientPort,
        path: '/health',
        ca: readFileSync(pki.ca),
        cert: readFileSync(pki.client.cert),
        key: readFileSync(pki.client.key),
        agent: false,
        timeout: 2000,
      },
      (res) => {
        res.resume();
        resolveStatus(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolveStatus(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

beforeAll(async () => {
  if (!haveEtcd) return;
  pki = makePki();
  work = mkdtempSync(join(tmpdir(), 'pprof-doctor-etcd-'));
  dataDir = join(work, 'data');
  clientPort = await closedPort();
  let peerPort = await closedPort();
  while (peerPort === clientPort) peerPort = await closedPort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD')));
  etcd = spawn(
    ETCD,
    [
      '--name',
      'pprof-doctor-test',
      '--data-dir',
      dataDir,
      '--listen-client-urls',
      `https://127.0.0.1:${clientPort}`,
      '--advertise-client-urls',
      `https://127.0.0.1:${clientPort}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${peerPort}`,
      '--initial-cluster',
      `pprof-doctor-test=http://127.0.0.1:${peerPort}`,
      '--cert-file',
      pki.server.cert,
      '--key-file',
      pki.server.key,
      '--client-cert-auth',
      '--trusted-ca-file',
      pki.ca,
      '--enable-pprof',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (d: Buffer) => {
    etcdLog = (etcdLog + d.toString()).slice(-4000);
  };
  etcd.stdout?.on('data', keep);
  etcd.stderr?.on('data', keep);
  const deadline = Date.now() + 30_000;
  while ((await health()) !== 200) {
    if (etcd.exitCode !== null || Date.now() > deadline) {
      throw new Error(`etcd did not become healthy on port ${clientPort}:\n${etcdLog}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);

afterAll(async () => {
  const child = etcd;
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(child.pid, 'SIGTERM');
    const killer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
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
