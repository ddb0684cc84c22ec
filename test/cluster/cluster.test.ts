// Cluster analysis on synthetic bundles written by the test: leader-only and followers-only memory
// told apart, a rule's `cluster:` pattern confirmed or ruling it out, members never merged, the JSON
// valid against schema/cluster.schema.json, and a missing member reported.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { crossMemberEvidence } from '../../src/cluster/cross-member.js';
import { encodePprof } from '../../src/profile/encode.js';
import type { Profile } from '../../src/profile/model.js';
import { E34, MB, etcdHeap } from '../helpers/etcd-frames.js';
import { runMain } from '../helpers/run-main.js';

const grant34 = `runtime.goexit;${E34}etcdserver.(*EtcdServer).apply;${E34}etcdserver.(*applierV3backend).LeaseGrant;${E34}lease.(*lessor).Grant`;
const followerWork = `runtime.goexit;${E34}etcdserver/api/rafthttp.(*streamReader).decodeLoop;${E34}etcdserver/api/rafthttp.(*msgAppV2Decoder).decode;${E34}raft.(*node).Step;${E34}raft.stepFollower;${E34}raft.(*raft).handleAppendEntries`;
const leaderWork = `runtime.goexit;${E34}raft.(*node).run;${E34}raft.stepLeader;${E34}raft.(*raft).bcastAppend;${E34}raft.(*raft).maybeSendAppend;${E34}raft.(*raft).sendAppend`;

/** A 3.4 member's heap: `leakMB` held by the lease notifier (the 3.4 follower leak's signature). */
function heap(role: 'leader' | 'follower', leakMB: number, otherMB: number): Profile {
  return etcdHeap('3.4', [
    {
      stack: `${grant34};${E34}lease.(*LeaseExpiredNotifier).RegisterOrUpdate;${E34}lease.(*LeaseQueue).Push;runtime.growslice`,
      bytes: leakMB * MB,
    },
    { stack: role === 'leader' ? leaderWork : followerWork, bytes: 2 * MB },
    { stack: 'runtime.goexit;other.work', bytes: otherMB * MB },
  ]);
}

function metrics(leader: boolean, heapMB: number, version = '3.4.3'): string {
  return [
    '# TYPE etcd_server_is_leader gauge',
    `etcd_server_is_leader ${leader ? 1 : 0}`,
    `etcd_server_version{server_version="${version}"} 1`,
    'go_info{version="go1.12.12"} 1',
    `go_memstats_heap_inuse_bytes ${heapMB * MB}`,
    `process_resident_memory_bytes ${heapMB * 1.3 * MB}`,
    'go_goroutines 120',
    `etcd_mvcc_db_total_size_in_bytes ${64 * MB}`,
    '',
  ].join('\n');
}

const work = mkdtempSync(join(tmpdir(), 'pprof-doctor-cluster-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A bundle as `collect` writes it: manifest.json and one folder per member. */
function bundle(
  name: string,
  members: { name: string; leader: boolean; heapMB: number; leakMB: number; missing?: boolean }[],
): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const manifest = {
    schemaVersion: 1,
    tool: 'pprof-doctor test',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    cpuSeconds: 2,
    members: members.map((m, i) => ({
      name: m.name,
      endpoint: `https://127.0.0.1:${24100 + i}`,
      filesKept: m.missing ? 0 : 2,
      failed: m.missing ? 9 : 0,
      ...(m.missing ? { error: `cannot fetch https://127.0.0.1:${24100 + i}/version: connection refused` } : {}),
    })),
    files: [],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  for (const m of members) {
    mkdirSync(join(dir, m.name));
    if (m.missing) continue;
    const role = m.leader ? 'leader' : 'follower';
    writeFileSync(join(dir, m.name, 'heap.pb.gz'), gzipSync(encodePprof(heap(role, m.leakMB, m.heapMB - m.leakMB))));
    writeFileSync(join(dir, m.name, 'metrics.txt'), metrics(m.leader, m.heapMB));
  }
  return dir;
}

const analysisSchema = JSON.parse(readFileSync('schema/analysis.schema.json', 'utf8'));
const clusterSchema = JSON.parse(readFileSync('schema/cluster.schema.json', 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(analysisSchema);
const validate = ajv.compile(clusterSchema);

async function analyzeJson(dir: string) {
  const r = await runMain(['analyze', dir, '--format', 'json']);
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout);
  expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
  return doc;
}

describe('cross-member evidence', () => {
  it('tells a leader-only rise from a followers-only rise, an outlier and an even cluster', () => {
    const m = (name: string, role: 'leader' | 'follower', heapInuse: number) => ({ name, role, heapInuse });
    expect(crossMemberEvidence([m('a', 'leader', 900), m('b', 'follower', 100), m('c', 'follower', 120)]).pattern).toBe(
      'leader-only',
    );
    expect(crossMemberEvidence([m('a', 'leader', 100), m('b', 'follower', 900), m('c', 'follower', 700)]).pattern).toBe(
      'followers-only',
    );
    // one follower far above: neither role pattern, an outlier
    const o = crossMemberEvidence([m('a', 'leader', 100), m('b', 'follower', 900), m('c', 'follower', 110)]);
    expect(o).toMatchObject({ pattern: 'outlier', members: ['b'] });
    // just under 2×: even
    expect(crossMemberEvidence([m('a', 'leader', 199), m('b', 'follower', 100), m('c', 'follower', 100)]).pattern).toBe(
      'even',
    );
    expect(crossMemberEvidence([m('a', 'leader', 100)]).pattern).toBe('unknown');
  });
});

describe('analyze on a bundle', () => {
  it('followers-only growth: the 3.4 follower lease leak is confirmed on both followers', async () => {
    const dir = bundle('followers', [
      { name: 'm1', leader: true, heapMB: 200, leakMB: 0 },
      { name: 'm2', leader: false, heapMB: 1200, leakMB: 700 },
      { name: 'm3', leader: false, heapMB: 1100, leakMB: 650 },
    ]);
    const doc = await analyzeJson(dir);
    expect(doc.cluster.crossMember.pattern).toBe('followers-only');
    expect(doc.cluster.members.map((m: { name: string; role: string }) => [m.name, m.role])).toEqual([
      ['m1', 'leader'],
      ['m2', 'follower'],
      ['m3', 'follower'],
    ]);
    expect(doc.cluster.members[1]).toMatchObject({
      etcdVersion: '3.4.3',
      goVersion: '1.12.12',
      heapInuse: 1200 * MB,
      goroutines: 120,
      dbSize: 64 * MB,
      endpoint: 'https://127.0.0.1:24101',
    });
    const leak = doc.diagnoses.filter((d: { id: string }) => d.id === 'lease-follower-leak-3.4');
    expect(leak.map((d: { member: string }) => d.member).sort()).toEqual(['m2', 'm3']);
    for (const d of leak)
      expect(d.confidenceFactors.find((f: { factor: string }) => f.factor === 'cluster').why).toMatch(
        /every follower holds ≥ 2×/,
      );
    // each member analysed apart: one report per member, its own profile only
    expect(
      doc.members.map((m: { member: string; report: { profiles: unknown[] } }) => m.report.profiles.length),
    ).toEqual([1, 1, 1]);
  });

  it('leader-only growth: the same follower signature is ruled out by the cross-member evidence', async () => {
    const dir = bundle('leader', [
      { name: 'm1', leader: true, heapMB: 1500, leakMB: 0 },
      { name: 'm2', leader: false, heapMB: 300, leakMB: 150 },
      { name: 'm3', leader: false, heapMB: 320, leakMB: 160 },
    ]);
    const doc = await analyzeJson(dir);
    expect(doc.cluster.crossMember).toMatchObject({ pattern: 'leader-only', members: ['m1'] });
    expect(doc.diagnoses.some((d: { id: string }) => d.id === 'lease-follower-leak-3.4')).toBe(false);
    const out = doc.ruledOut.filter((d: { id: string }) => d.id === 'lease-follower-leak-3.4');
    expect(out.map((d: { member: string }) => d.member).sort()).toEqual(['m2', 'm3']);
    expect(out[0].reason).toMatch(/needs followers-only memory across the members; the bundle shows: the leader m1/);
  });

  it('a member that could not be collected is in the summary; the others are analysed', async () => {
    const dir = bundle('missing', [
      { name: 'm1', leader: true, heapMB: 200, leakMB: 0 },
      { name: 'm2', leader: false, heapMB: 1200, leakMB: 700 },
      { name: 'm3', leader: false, heapMB: 0, leakMB: 0, missing: true },
    ]);
    const doc = await analyzeJson(dir);
    expect(doc.cluster.members[2]).toMatchObject({ name: 'm3', role: 'unknown', heapInuse: null });
    expect(doc.cluster.members[2].error).toMatch(/connection refused/);
    expect(doc.members[2].report).toBeNull();
    expect(doc.diagnoses.filter((d: { member: string }) => d.member === 'm2').length).toBeGreaterThan(0);
    const text = await runMain(['analyze', dir]);
    expect(text.stdout).toMatch(/^Cluster: 3 member\(s\), leader m1/);
    expect(text.stdout).toMatch(/^ {2}m3: cannot fetch https:\/\/127\.0\.0\.1:24102\/version: connection refused$/m);
    const md = await runMain(['analyze', dir, '--format', 'markdown']);
    expect(md.stdout).toMatch(/\| member \| endpoint \| role \|/);
    expect(md.stdout).toMatch(/## Member m2/);
    const html = await runMain(['analyze', dir, '--format', 'html']);
    expect(html.stdout).toMatch(/<th>heap in use<\/th>/);
  });

  it('files of two members named as one process are refused with one line', async () => {
    const dir = join(work, 'followers');
    const r = await runMain(['analyze', join(dir, 'm1', 'heap.pb.gz'), join(dir, 'm2', 'heap.pb.gz')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^pprof-doctor: .*m1\/heap\.pb\.gz and .*m2\/heap\.pb\.gz come from different members of one bundle \(different processes\)/,
    );
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('untrusted member names are shown inert', async () => {
    const dir = bundle('odd', [
      { name: 'm1', leader: true, heapMB: 200, leakMB: 0 },
      { name: 'm2', leader: false, heapMB: 200, leakMB: 0 },
    ]);
    const man = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    man.members[0].endpoint = 'https://x\u001b[31m<b>';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(man));
    const text = await runMain(['analyze', dir]);
    expect(text.stdout).not.toContain('\u001b[31m');
    const html = await runMain(['analyze', dir, '--format', 'html']);
    expect(html.stdout).not.toContain('<b>');
    expect(html.stdout).toContain('&lt;b&gt;');
  });
});

describe('the 1 MB-value load on a real 3.4.23 cluster (samples/etcd-3.4.23/put-1mb-3member)', () => {
  it('names raft-log retention on every member profiled, versions pinned from each one’s metrics', async () => {
    const doc = await analyzeJson('samples/etcd-3.4.23/put-1mb-3member');
    const members = doc.cluster.members as { name: string; role: string; etcdVersion: string; goVersion: string }[];
    expect(members.map((m) => [m.name, m.role, m.etcdVersion, m.goVersion])).toEqual([
      ['follower', 'follower', '3.4.23', '1.19.8'],
      ['leader', 'leader', '3.4.23', '1.19.8'],
    ]);
    const raft = doc.diagnoses.filter((d: { id: string }) => d.id === 'raft-log-retention');
    expect(raft.map((d: { member: string }) => d.member).sort()).toEqual(['follower', 'leader']);
    for (const { report } of doc.members) {
      expect(report.process.etcdVersion).toMatchObject({ label: '3.4.23', source: 'metrics' });
    }
  }, 60_000);
});

describe('profiles of different programs given as one process', () => {
  it('are refused with one line naming both files and build IDs', async () => {
    const withBuild = (id: string) => {
      const p = heap('follower', 10, 100);
      p.mappings = [
        {
          id: 1,
          memoryStart: 0x400000,
          memoryLimit: 0x1000000,
          fileOffset: 0,
          file: '/usr/bin/etcd',
          buildId: id,
          hasFunctions: true,
          hasFilenames: true,
          hasLineNumbers: true,
          hasInlineFrames: true,
        },
      ];
      return p;
    };
    const a = join(work, 'a.pb.gz');
    const b = join(work, 'b.pb.gz');
    writeFileSync(a, gzipSync(encodePprof(withBuild('aaaa1111'))));
    writeFileSync(b, gzipSync(encodePprof(withBuild('bbbb2222'))));
    const r = await runMain(['analyze', a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `pprof-doctor: ${a} and ${b} come from different programs (build IDs aaaa1111 and bbbb2222); analyse each process apart, or give a collect bundle to compare members\n`,
    );
    const same = await runMain(['analyze', a, a.replace('a.pb.gz', 'a.pb.gz')]);
    expect(same.code).toBe(0);
  });
});
