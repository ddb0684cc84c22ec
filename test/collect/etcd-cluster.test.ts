// `pprof-doctor collect` against a real 3-member etcd 3.4.23 cluster (Debian's /usr/bin/etcd) on
// 127.0.0.1 with client-certificate TLS: every file from every member; then a member stopped during
// the collection is recorded in the manifest and the summary while the others are collected.
// Skipped when /usr/bin/etcd is absent (CI installs etcd-server).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/collect/manifest.js';
import { type Pki, makePki } from '../fetch/helpers/pki.js';
import { builtCli, runCli } from '../fetch/helpers/servers.js';
import { type EtcdCluster, startCluster, systemEtcd } from '../helpers/etcd-cluster.js';

const ETCD = systemEtcd('the real-cluster collect tests');
const haveEtcd = ETCD !== undefined;

const root = resolve(import.meta.dirname, '..', '..');
let pki: Pki;
let cluster: EtcdCluster | undefined;
let work = '';

beforeAll(async () => {
  if (!haveEtcd) return;
  pki = makePki();
  work = mkdtempSync(join(tmpdir(), 'pprof-doctor-collect-'));
  cluster = await startCluster(ETCD!, 3, pki);
}, 60_000);

afterAll(async () => {
  await cluster?.close();
  pki?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
}, 30_000);

const tlsArgs = () => ['--cacert', pki.ca, '--cert', pki.client.cert, '--key', pki.client.key];

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

function sampleTypes(bytes: Uint8Array): string[] {
  const p = Profile.decode(gunzipSync(bytes));
  return p.sampleType.map((t) => p.stringTable.strings[Number(t.type)]!);
}

describe('collect from a real 3-member etcd 3.4.23 cluster with client-certificate TLS', () => {
  it.skipIf(!haveEtcd)(
    'gets every file from every member, CPU windows together, hashes that match',
    async () => {
      const c = cluster!;
      const out = join(work, 'bundle');
      const r = await runCli(
        builtCli(root),
        ['collect', '--endpoints', c.endpoints.join(','), ...tlsArgs(), '--seconds', '2', '-o', out, '--tar'],
        work,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const m = readManifest(out);
      expect(m.members.map((x) => x.name).sort()).toEqual(['m1', 'm2', 'm3']);
      expect(m.members.filter((x) => x.role === 'leader')).toHaveLength(1);
      expect(m.members.filter((x) => x.role === 'follower')).toHaveLength(2);
      for (const mem of m.members) {
        expect(mem.etcdVersion).toBe('3.4.23');
        expect(mem.error).toBeUndefined();
        expect(mem.dbSize).toBeGreaterThan(0);
        const files = readdirSync(join(out, mem.name)).sort();
        // mutex: etcd's --enable-pprof sets a mutex fraction, but an idle cluster may not contend;
        // block is never enabled by etcd: an empty profile is recorded as skipped, not kept.
        for (const f of [
          'allocs.pb.gz',
          'cpu.pb.gz',
          'goroutine.debug2.txt',
          'goroutine.pb.gz',
          'heap.pb.gz',
          'members.json',
          'metrics.txt',
          'status.json',
          'version.json',
        ])
          expect(files).toContain(f);
        expect(files).not.toContain('block.pb.gz');
        const block = m.files.find((f) => f.member === mem.name && f.kind === 'block');
        expect(block?.skipped).toMatch(/no samples/);
        expect(sampleTypes(readFileSync(join(out, mem.name, 'cpu.pb.gz')))).toEqual(['samples', 'cpu']);
        expect(sampleTypes(readFileSync(join(out, mem.name, 'heap.pb.gz')))).toContain('inuse_space');
        expect(readFileSync(join(out, mem.name, 'goroutine.debug2.txt'), 'utf8')).toMatch(/^goroutine \d+ \[/);
        expect(readFileSync(join(out, mem.name, 'metrics.txt'), 'utf8')).toMatch(
          /etcd_server_version\{server_version="3\.4\.23"\} 1/,
        );
      }
      // every kept file is in the manifest with its size and hash
      for (const f of m.files.filter((x) => x.path !== undefined)) {
        const bytes = readFileSync(join(out, f.path!));
        expect(f.bytes).toBe(bytes.length);
        expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
        expect(f.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      }
      // the CPU requests started within a second of each other
      const cpuTimes = m.files.filter((f) => f.kind === 'cpu').map((f) => Date.parse(f.time));
      expect(cpuTimes).toHaveLength(3);
      expect(Math.max(...cpuTimes) - Math.min(...cpuTimes)).toBeLessThan(1000);
      // no credential or TLS file name anywhere in the manifest
      const text = readFileSync(join(out, 'manifest.json'), 'utf8');
      expect(text).not.toContain(pki.dir);
      expect(text).not.toMatch(/PRIVATE KEY|client\.key/);
      // the summary names every member; the tarball lists every kept file
      for (const name of ['m1', 'm2', 'm3']) expect(r.stdout).toMatch(new RegExp(`^${name}\\s+https://`, 'm'));
      const listing = await new Promise<string>((res) => {
        const t = spawn('tar', ['-tzf', `${out}.tar.gz`]);
        let s = '';
        t.stdout.on('data', (d: Buffer) => {
          s += d.toString();
        });
        t.on('close', () => res(s));
      });
      for (const f of m.files.filter((x) => x.path)) expect(listing).toContain(`bundle/${f.path}`);
      expect(listing).toContain('bundle/manifest.json');
    },
    40_000,
  );

  it.skipIf(!haveEtcd)(
    'a member stopped during the collection is recorded; the others are collected',
    async () => {
      const c = cluster!;
      const out = join(work, 'bundle-stopped');
      const victim = c.members[2]!;
      const run = runCli(builtCli(root), ['collect', ...c.endpoints, ...tlsArgs(), '--seconds', '3', '-o', out], work);
      // Stop it while its CPU profile is being taken.
      await new Promise((r) => setTimeout(r, 1500));
      await c.stop(victim);
      const r = await run;
      expect(r.code).toBe(0);
      const m = readManifest(out);
      const dead = m.members.find((x) => x.endpoint.endsWith(`:${victim.clientPort}`))!;
      expect(dead.name).toBe('m3');
      // etcd finishes in-flight requests on SIGTERM: the CPU profile may still arrive; the first
      // request after the stop fails, and the member's later requests are not tried.
      expect(dead.error).toMatch(/^cannot fetch https:\/\/127\.0\.0\.1:\d+\/\S+: connection refused/);
      const m3 = m.files.filter((f) => f.member === 'm3');
      const firstFailure = m3.findIndex((f) => f.error !== undefined);
      expect(firstFailure).toBeGreaterThan(0);
      expect(m3.slice(firstFailure + 1).length).toBeGreaterThan(0);
      for (const f of m3.slice(firstFailure + 1)) expect(f.error).toMatch(/^not tried: /);
      expect(m3.find((f) => f.kind === 'status')?.error).toBeDefined();
      expect(r.stdout).toMatch(/^m3\s+https:\/\/127\.0\.0\.1:\d+.*FAILED: cannot fetch/m);
      for (const alive of m.members.filter((x) => x.name !== 'm3')) {
        expect(alive.error).toBeUndefined();
        expect(existsSync(join(out, alive.name, 'cpu.pb.gz'))).toBe(true);
        expect(existsSync(join(out, alive.name, 'heap.pb.gz'))).toBe(true);
      }
      // analyze on the bundle: the cluster summary first, m3's failure in it, the others analysed
      // apart with versions and roles from their own metrics/status.
      const a = await runCli(builtCli(root), ['analyze', out, '--format', 'json'], work);
      expect(a.stderr).toBe('');
      const doc = JSON.parse(a.stdout);
      const rows = doc.cluster.members as { name: string; role: string; etcdVersion: string; error?: string }[];
      expect(rows.map((x) => x.name)).toEqual(m.members.map((x) => x.name));
      expect(rows.find((x) => x.name === 'm3')!.error).toMatch(/connection refused/);
      for (const row of rows.filter((x) => x.name !== 'm3')) {
        expect(row.etcdVersion).toBe('3.4.23');
        expect(['leader', 'follower']).toContain(row.role);
        const rep = doc.members.find((x: { member: string }) => x.member === row.name).report;
        expect(rep.process.etcdVersion).toMatchObject({ label: '3.4.23', source: 'metrics' });
        expect(rep.profiles.every((p: { name: string }) => p.name.includes(`/${row.name}/`))).toBe(true);
      }
      const text = await runCli(builtCli(root), ['analyze', out], work);
      expect(text.stdout).toMatch(/^Cluster: 3 member\(s\)/);
      expect(text.stdout).toMatch(/^ {2}m3: cannot fetch/m);
    },
    50_000,
  );
});
