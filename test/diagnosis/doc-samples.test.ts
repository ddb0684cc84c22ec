/**
 * The profiles rebuilt from the source documents (samples/docs/, made by scripts/samples/rebuild.mjs):
 *  - they reproduce the document-003 tables (test/fixtures/docs/*.top.txt) row for row, checked with
 *    our own pprof-compatible `top` at pprof's old default granularity (function + file), so no Go
 *    is needed;
 *  - `analyze` names the cause each document found first;
 *  - the tables pasted as text give the same first diagnosis as the rebuilt profiles.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { top } from '../../src/analysis/top.js';
import { loadProfile } from '../../src/input/load.js';
import type { Profile } from '../../src/profile/model.js';
import { analyze } from '../helpers/rule-tester.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sample = (f: string) => join(root, 'samples', 'docs', f);
const fixture = (f: string) => join(root, 'test', 'fixtures', 'docs', f);

const cache = new Map<string, Promise<Profile>>();
function load(path: string): Promise<Profile> {
  let p = cache.get(path);
  if (!p) {
    p = loadProfile(path);
    cache.set(path, p);
  }
  return p;
}

/** The rules this engineer added (etcd-known-issues.md §2 beyond the core 17). */
const EXTRA_RULES = [
  'raft-readindex-pending-leak',
  'grpcproxy-cache-interval-leak',
  'v2-httpproxy-request-leak',
  'clientv3-watch-lazy-cancel',
  'watchserver-recvloop-ctrlstream-leak',
  'lease-renew-ensureleadership-cpu',
  'grpcproxy-cluster-monitor-busyloop',
  'auth-restore-tokenprovider-lease-leak',
  'mvcc-watch-chanbuflen-1024',
  'range-log-proto-size-alloc',
  'backend-concurrent-readtx-buffer-copy',
  'mvcc-compact-restore-deadlock',
  'mvcc-index-compaction-blocking',
  'lease-expiry-linear-scan-cpu',
  'auth-checkpassword-bcrypt-under-lock',
  'grpc-http2-rapid-reset',
  'fdusage-readdir-cpu',
  'raft-committed-entries-unpaginated',
  'compaction-ticker-latency',
  'http2-priority-scheduler-watch-starvation',
  'auth-simple-token-map-growth',
  'bbolt-nofreelistsync-open-scan',
  'grpc-metadata-string-watch-streams',
];

// ---------------------------------------------------------------------------------------------
// Tables

interface DocRow {
  flat: string;
  flatPct: string;
  sumPct: string;
  cum: string;
  cumPct: string;
  name: string;
}

function docTable(text: string): { rows: DocRow[]; total: string; shown: string; shownPct: string } {
  const rows: DocRow[] = [];
  let total = '';
  let shown = '';
  let shownPct = '';
  for (const line of text.split('\n')) {
    const h = /^Showing nodes accounting for (\S+), ([\d.]+)% of (\S+) total/.exec(line);
    if (h) [, shown, shownPct, total] = h as unknown as [string, string, string, string];
    const m = /^\s*(\S+)\s+(\S+)%\s+(\S+)%\s+(\S+)\s+(\S+)%\s\s(.*)$/.exec(line);
    if (m && !line.includes('flat%')) {
      rows.push({ flat: m[1]!, flatPct: m[2]!, sumPct: m[3]!, cum: m[4]!, cumPct: m[5]!, name: m[6]! });
    }
  }
  return { rows, total, shown, shownPct };
}

const UNITS: Record<string, number> = { MB: 1024 * 1024, mins: 60e9 };

/** Prints `v` (bytes or nanoseconds) the way the document's pprof did: in `like`'s unit, %.2f, ".00" stripped. */
function asDoc(v: number, like: string): string {
  if (like === '0') return v === 0 ? '0' : String(v);
  const unit = like.replace(/^[\d.]+/, '');
  const s = (v / UNITS[unit]!).toFixed(2).replace(/\.00$/, '');
  return s + unit;
}

/** pprof's percentage: %.2f from 1 %, %.2g below, "0" for zero. */
function pct(v: number, total: number): string {
  const p = Math.abs((100 * v) / total);
  if (p === 0) return '0';
  if (p >= 1) return p.toFixed(2);
  return Number(p.toPrecision(2)).toString();
}

const TABLES = [
  ['etcd-3.2.23-leader-heap.pb.gz', 'etcd-3.2.23-leader-heap.top.txt'],
  ['etcd-3.2.23-leader-cpu-tls.pb.gz', 'etcd-3.2.23-leader-cpu-tls.top.txt'],
  ['etcd-3.2.23-leader-cpu-notls.pb.gz', 'etcd-3.2.23-leader-cpu-notls.top.txt'],
] as const;

describe('rebuilt document-003 profiles reproduce the published tables', () => {
  for (const [pb, txt] of TABLES) {
    it(`${pb} ↔ ${txt}`, async () => {
      const doc = docTable(readFileSync(fixture(txt), 'utf8'));
      expect(doc.rows).toHaveLength(20);
      const p = await load(sample(pb));
      // The document's pprof (Go 1.9/1.10 era) printed function + file by default.
      const r = top(p, { granularity: 'filefunctions', nodeCount: 20 });
      expect(asDoc(r.total, doc.total)).toBe(doc.total);
      expect(asDoc(r.shownFlat, doc.shown)).toBe(doc.shown);
      expect(pct(r.shownFlat, r.total)).toBe(doc.shownPct);
      let sum = 0;
      doc.rows.forEach((d, i) => {
        const g = r.rows[i]!;
        sum += g.flat;
        const got = [
          g.name,
          asDoc(g.flat, d.flat),
          pct(g.flat, r.total),
          pct(sum, r.total),
          asDoc(g.cum, d.cum),
          pct(g.cum, r.total),
        ];
        expect(got, `row ${i + 1}`).toEqual([d.name, d.flat, d.flatPct, d.sumPct, d.cum, d.cumPct]);
      });
    });
  }

  it('carry the rebuild comment, realistic sample types and a date near the document', async () => {
    const heap = await load(sample('etcd-3.2.23-leader-heap.pb.gz'));
    expect(heap.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual([
      'alloc_objects/count',
      'alloc_space/bytes',
      'inuse_objects/count',
      'inuse_space/bytes',
    ]);
    expect(heap.period).toBe(524288);
    expect(heap.comments[0]).toMatch(/^rebuilt by pprof-doctor from document 003 .*; not a raw profile$/);
    expect(new Date(heap.timeNanos / 1e6).toISOString()).toMatch(/^2018-07-03T08:57/);
    const cpu = await load(sample('etcd-3.2.23-leader-cpu-tls.pb.gz'));
    expect(cpu.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(['samples/count', 'cpu/nanoseconds']);
    expect(cpu.period).toBe(10000000);
    // 2.64 minutes, and the 1306.43 % samples-to-wall-clock ratio of the table's header.
    expect(Math.round(cpu.durationNanos / 6e8) / 100).toBe(2.64);
    const total = top(cpu, { nodeCount: 1 }).total;
    expect(((100 * total) / cpu.durationNanos).toFixed(2)).toBe('1306.43');
  });
});

// ---------------------------------------------------------------------------------------------
// Diagnoses

const EXPECTED = [
  { file: 'etcd-3.2.23-leader-heap.pb.gz', first: 'lease-keepalive-storm', kind: 'etcd-server', etcd: '3.2.23' },
  {
    file: 'etcd-3.2.23-leader-cpu-tls.pb.gz',
    first: 'tls-handshake-churn',
    also: ['gc-pressure'],
    kind: 'etcd-server',
    etcd: '3.2.23',
  },
  { file: 'etcd-3.2.23-leader-cpu-notls.pb.gz', first: 'lock-timer-churn', kind: 'etcd-server', etcd: '3.2.23' },
  {
    file: 'client-3.1.3-watch-leak-heap.pb.gz',
    first: 'clientv3-watch-stream-leak',
    kind: 'etcd-client',
    etcd: '3.1.3',
  },
  { file: 'etcd-3.4.9-raft-log-1mb-heap.pb.gz', first: 'raft-log-retention', kind: 'etcd-server', etcd: '3.4.9' },
] as const;

describe('analyze names each document’s cause first', () => {
  for (const e of EXPECTED) {
    it(`${e.file} → ${e.first}`, async () => {
      const r = await analyze([{ profile: await load(sample(e.file)), name: e.file }]);
      const ids = r.diagnoses.map((d) => d.id);
      expect(ids[0], `diagnoses: ${ids.join(', ')}`).toBe(e.first);
      for (const id of 'also' in e ? e.also : []) expect(ids).toContain(id);
      expect(r.process.kind).toBe(e.kind);
      // The versions the documents name are inside what the frames imply.
      expect(r.process.etcdVersion).not.toBeNull();
      expect(semver.satisfies(e.etcd, r.process.etcdVersion!.range)).toBe(true);
      // None of the version-specific catalog rules is mistaken for the documents' causes.
      for (const id of EXTRA_RULES) expect(ids).not.toContain(id);
    });
  }

  it('the 3.2 leader scans its leases but far below lease-expiry-linear-scan-cpu’s threshold', async () => {
    const p = await load(sample('etcd-3.2.23-leader-cpu-notls.pb.gz'));
    const r = await analyze([{ profile: p, name: 'notls' }]);
    expect(r.diagnoses.map((d) => d.id)).not.toContain('lease-expiry-linear-scan-cpu');
    const t = top(p, { nodeCount: 0, nodeFraction: 0 });
    const scan = t.rows.find((x) => x.name.endsWith('lease.(*lessor).findExpiredLeases'));
    expect(scan).toBeDefined();
    expect(scan!.cum / t.total).toBeLessThan(0.1);
  });
});

describe('pasted document tables give the same first diagnosis as the rebuilt profiles', () => {
  for (const [pb, txt] of TABLES) {
    it(`${txt} ≡ ${pb}`, async () => {
      const table = await load(fixture(txt));
      expect(table.source.hasStacks).toBe(false);
      const fromTable = await analyze([{ profile: table, name: txt }]);
      const fromProfile = await analyze([{ profile: await load(sample(pb)), name: pb }]);
      expect(fromTable.diagnoses[0]?.id).toBeDefined();
      expect(fromTable.diagnoses[0]!.id).toBe(fromProfile.diagnoses[0]!.id);
      // A table has no stacks: it must not look more certain than the profile.
      expect(fromTable.diagnoses[0]!.confidence).toBeLessThanOrEqual(fromProfile.diagnoses[0]!.confidence);
    });
  }
});
