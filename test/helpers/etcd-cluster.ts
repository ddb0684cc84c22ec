/**
 * A real etcd cluster on 127.0.0.1 for the collect and fetch tests: N members, client URLs with TLS and
 * client-certificate authentication (--client-cert-auth), peers over plain http, pprof enabled.
 * Ports are taken from PPROF_DOCTOR_TEST_PORTS (e.g. 24000-24999) when set, else from the OS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pki } from '../fetch/helpers/pki.js';

/** Debian's etcd-server 3.4.23, which CI installs. */
export const SYSTEM_ETCD = '/usr/bin/etcd';

/** SYSTEM_ETCD when installed; else undefined, with a warning that `what` is skipped. */
export function systemEtcd(what: string): string | undefined {
  if (existsSync(SYSTEM_ETCD)) return SYSTEM_ETCD;
  console.warn(`skipping ${what}: ${SYSTEM_ETCD} is not installed (apt-get install etcd-server)`);
  return undefined;
}

export interface EtcdMember {
  name: string;
  clientPort: number;
  peerPort: number;
  child: ChildProcess;
  log: string;
}

export interface EtcdCluster {
  members: EtcdMember[];
  endpoints: string[];
  stop(member: EtcdMember): Promise<void>;
  close(): Promise<void>;
}

async function canListen(port: number): Promise<boolean> {
  const s = createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function osPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.PPROF_DOCTOR_TEST_PORTS ?? '');
  const out: number[] = [];
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    const start = lo + Math.floor(Math.random() * Math.max(1, hi - lo - count * 4));
    for (let p = start; p <= hi && out.length < count; p++) if (await canListen(p)) out.push(p);
  }
  while (out.length < count) {
    const p = await osPort();
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function health(port: number, pki: Pki): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/health',
        ca: readFileSync(pki.ca),
        cert: readFileSync(pki.client.cert),
        key: readFileSync(pki.client.key),
        agent: false,
        timeout: 2000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const killer = setTimeout(() => child.pid !== undefined && child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** Starts the cluster and waits until every member answers /health (200). */
export async function startCluster(
  binary: string,
  count: number,
  pki: Pki,
  extraArgs: string[] = [],
): Promise<EtcdCluster> {
  const work = mkdtempSync(join(tmpdir(), 'pprof-doctor-cluster-'));
  const ports = await freePorts(count * 2);
  const names = Array.from({ length: count }, (_, i) => `m${i + 1}`);
  const initial = names.map((n, i) => `${n}=http://127.0.0.1:${ports[count + i]}`).join(',');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCD')));
  const members: EtcdMember[] = names.map((name, i) => {
    const clientPort = ports[i]!;
    const peerPort = ports[count + i]!;
    const child = spawn(
      binary,
      [
        '--name',
        name,
        '--data-dir',
        join(work, name),
        '--listen-client-urls',
        `https://127.0.0.1:${clientPort}`,
        '--advertise-client-urls',
        `https://127.0.0.1:${clientPort}`,
        '--listen-peer-urls',
        `http://127.0.0.1:${peerPort}`,
        '--initial-advertise-peer-urls',
        `http://127.0.0.1:${peerPort}`,
        '--initial-cluster',
        initial,
        '--initial-cluster-state',
        'new',
        '--initial-cluster-token',
        `pprof-doctor-test-${process.pid}`,
        '--cert-file',
        pki.server.cert,
        '--key-file',
        pki.server.key,
        '--client-cert-auth',
        '--trusted-ca-file',
        pki.ca,
        '--enable-pprof',
        ...extraArgs,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const m: EtcdMember = { name, clientPort, peerPort, child, log: '' };
    const keep = (d: Buffer) => {
      m.log = (m.log + d.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return m;
  });
  const close = async () => {
    await Promise.all(members.map((m) => stopChild(m.child)));
    rmSync(work, { recursive: true, force: true });
  };
  const deadline = Date.now() + 40_000;
  for (const m of members) {
    while ((await health(m.clientPort, pki)) !== 200) {
      if (m.child.exitCode !== null || Date.now() > deadline) {
        await close();
        throw new Error(`etcd ${m.name} did not become healthy on port ${m.clientPort}:\n${m.log}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    members,
    endpoints: members.map((m) => `https://127.0.0.1:${m.clientPort}`),
    stop: (m) => stopChild(m.child),
    close,
  };
}
