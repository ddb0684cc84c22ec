import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectCluster, parseEndpoints, printableEndpoint } from '../../src/collect/collect.js';
import { parseManifest } from '../../src/collect/manifest.js';
import { memberForEndpoint, parseMemberList, parseStatus, parseVersion } from '../../src/collect/member-info.js';
import { gatewayPrefix } from '../../src/collect/targets.js';
import { packTarGz, ustarHeader } from '../../src/collect/tar.js';
import { UserError } from '../../src/errors.js';

describe('endpoints', () => {
  it('splits commas, accepts separate arguments, drops duplicates, completes the scheme', () => {
    const eps = parseEndpoints(['127.0.0.1:2379,127.0.0.1:22379', 'https://127.0.0.1:2379'], true);
    expect(eps.map((e) => e.url.href)).toEqual(['https://127.0.0.1:2379/', 'https://127.0.0.1:22379/']);
    expect(parseEndpoints(['10.0.0.1:2379'], false)[0]!.url.protocol).toBe('http:');
  });
  it('refuses a path, and an empty list', () => {
    expect(() => parseEndpoints(['http://h:2379/debug/pprof/heap'], false)).toThrow(/without a path/);
    expect(() => parseEndpoints([' , '], false)).toThrow(UserError);
  });
  it('prints user-info as ***', () => {
    const [e] = parseEndpoints(['https://root:s3cret@10.0.0.1:2379'], false);
    expect(printableEndpoint(e!.url)).toBe('https://***@10.0.0.1:2379');
  });
});

describe('member status, list and version from the JSON gateway', () => {
  // Shapes as etcd 3.4.23's gateway writes them (64-bit integers as decimal strings).
  const status = JSON.stringify({
    header: { cluster_id: '14841639068965178418', member_id: '10276657743932975437', revision: '1', raft_term: '2' },
    version: '3.4.23',
    dbSize: '20480',
    leader: '10276657743932975437',
    raftIndex: '8',
    raftTerm: '2',
    raftAppliedIndex: '8',
    dbSizeInUse: '16384',
  });
  it('reads the status: hex ids, role, sizes and raft numbers', () => {
    const s = parseStatus(status);
    expect(s.memberId).toBe('8e9e05c52164694d');
    expect(s.isLeader).toBe(true);
    expect(s).toMatchObject({ etcdVersion: '3.4.23', dbSize: 20480, raftIndex: 8, raftTerm: 2, raftAppliedIndex: 8 });
    expect(parseStatus(status.replace('"leader":"10276657743932975437"', '"leader":"1"')).isLeader).toBe(false);
  });
  it('ignores what is not the expected JSON', () => {
    expect(parseStatus('<html>')).toEqual({});
    expect(parseStatus('{"dbSize":"-1","version":"3.4\\u0007"}')).toEqual({ etcdVersion: '3.4' });
    expect(parseVersion('{"etcdserver":"bogus"}')).toBeUndefined();
    expect(parseVersion('{"etcdserver":"3.5.16","etcdcluster":"3.5.0"}')).toBe('3.5.16');
  });
  it('names the member serving an endpoint', () => {
    const list = parseMemberList(
      JSON.stringify({
        members: [
          { ID: '1', name: 'm1', clientURLs: ['https://127.0.0.1:24001'] },
          { ID: '2', name: 'm2', clientURLs: ['https://127.0.0.1:24002'] },
          { name: 'no-id' },
        ],
      }),
    );
    expect(list.map((m) => m.name)).toEqual(['m1', 'm2']);
    expect(memberForEndpoint(list, new URL('https://127.0.0.1:24002/'))?.name).toBe('m2');
    expect(memberForEndpoint(list, new URL('https://127.0.0.1:24003/'))).toBeUndefined();
  });
  it('picks the gateway prefix by version', () => {
    expect(gatewayPrefix('3.3.27')).toBe('/v3beta');
    expect(gatewayPrefix('3.4.23')).toBe('/v3');
    expect(gatewayPrefix('3.5.16')).toBe('/v3');
    expect(gatewayPrefix(undefined)).toBe('/v3');
  });
});

describe('tar.gz of a bundle', () => {
  it('is read back by tar with the same contents', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-tar-'));
    try {
      const src = join(dir, 'b');
      mkdirSync(join(src, 'm1'), { recursive: true });
      writeFileSync(join(src, 'manifest.json'), '{}\n');
      const big = Buffer.alloc(1300, 7);
      writeFileSync(join(src, 'm1', 'heap.pb.gz'), big);
      const long = 'x'.repeat(90);
      mkdirSync(join(src, long));
      writeFileSync(join(src, long, `${'y'.repeat(60)}.txt`), 'long name');
      writeFileSync(join(dir, 'b.tar.gz'), await packTarGz(src, 'b', new Date(0)));
      const out = join(dir, 'out');
      mkdirSync(out);
      execFileSync('tar', ['-xzf', join(dir, 'b.tar.gz'), '-C', out]);
      expect(readFileSync(join(out, 'b', 'm1', 'heap.pb.gz'))).toEqual(big);
      expect(readFileSync(join(out, 'b', 'manifest.json'), 'utf8')).toBe('{}\n');
      expect(readFileSync(join(out, 'b', long, `${'y'.repeat(60)}.txt`), 'utf8')).toBe('long name');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses a name ustar cannot hold', () => {
    expect(() => ustarHeader('z'.repeat(120), 0, 0, false)).toThrow(/too long/);
  });
});

describe('collect: failures', () => {
  it('records an unreachable member and goes on; refuses a non-empty folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-collect-'));
    try {
      // Port 1 on loopback: nothing listens there.
      const events: string[] = [];
      const m = await collectCluster({
        endpoints: ['http://127.0.0.1:1'],
        seconds: 1,
        timeout: 2,
        outDir: join(dir, 'b'),
        onEvent: (member, text) => events.push(`${member}: ${text}`),
      });
      // progress per member (the CLI prints these on a terminal only)
      expect(events[0]).toMatch(
        /^127\.0\.0\.1_1: version failed: cannot fetch http:\/\/127\.0\.0\.1:1\/version: connection refused/,
      );
      expect(events).toContain('*: CPU profile on 1 member(s), 1s');
      expect(m.members[0]!.error).toMatch(/connection refused/);
      expect(m.members[0]!.filesKept).toBe(0);
      expect(m.files.filter((f) => f.error?.startsWith('not tried: ')).length).toBeGreaterThan(5);
      const back = parseManifest(readFileSync(join(dir, 'b', 'manifest.json'), 'utf8'));
      expect(typeof back).toBe('object');
      await expect(collectCluster({ endpoints: ['http://127.0.0.1:1'], outDir: join(dir, 'b') })).rejects.toThrow(
        /is not empty/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses TLS flags with http endpoints, and a bad --seconds, before any request', async () => {
    await expect(
      collectCluster({ endpoints: ['http://127.0.0.1:1'], cacert: 'x', outDir: '/nonexistent/x' }),
    ).rejects.toThrow(/https:\/\/ endpoints/);
    await expect(
      collectCluster({ endpoints: ['http://127.0.0.1:1'], seconds: 0, outDir: '/nonexistent/x' }),
    ).rejects.toThrow(/--seconds/);
  });
  it('a manifest path that leaves the bundle is refused', () => {
    expect(
      parseManifest(
        JSON.stringify({ schemaVersion: 1, members: [], files: [{ member: 'a', kind: 'heap', path: '../x' }] }),
      ),
    ).toMatch(/leaves the bundle/);
  });
});
