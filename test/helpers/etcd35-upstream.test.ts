import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/profile/model.js';
import {
  etcd35ProfileFiles,
  loadDebian35,
  loadUpstream35,
  REPO_ROOT,
  rewriteProfileStrings,
  toUpstream35Path,
  upstream35Copy,
} from './etcd35-upstream.js';

const DEBIAN_35 = /(?<![\w.\-/])go\.etcd\.io\/etcd\/(server|api|pkg|raft|client\/pkg)(?!\/v3)[/.]/;

function names(p: Profile): string[] {
  return p.functions.flatMap((f) => [f.name, f.systemName, f.filename]);
}

describe('toUpstream35Path', () => {
  it.each([
    ['go.etcd.io/etcd/server/mvcc.(*keyIndex).put', 'go.etcd.io/etcd/server/v3/mvcc.(*keyIndex).put'],
    ['go.etcd.io/etcd/server/mvcc/key_index.go', 'go.etcd.io/etcd/server/v3/mvcc/key_index.go'],
    ['go.etcd.io/etcd/server/main.go', 'go.etcd.io/etcd/server/v3/main.go'],
    ['go.etcd.io/etcd/api/etcdserverpb._KV_Range_Handler', 'go.etcd.io/etcd/api/v3/etcdserverpb._KV_Range_Handler'],
    ['go.etcd.io/etcd/raft.(*node).Propose', 'go.etcd.io/etcd/raft/v3.(*node).Propose'],
    ['go.etcd.io/etcd/raft/raftpb.(*Entry).Marshal', 'go.etcd.io/etcd/raft/v3/raftpb.(*Entry).Marshal'],
    ['go.etcd.io/etcd/pkg/traceutil.TODO', 'go.etcd.io/etcd/pkg/v3/traceutil.TODO'],
    [
      'go.etcd.io/etcd/client/pkg/logutil.CreateDefaultZapLogger',
      'go.etcd.io/etcd/client/pkg/v3/logutil.CreateDefaultZapLogger',
    ],
    ['\tgo.etcd.io/etcd/server/wal/wal.go:800 +0x1f', '\tgo.etcd.io/etcd/server/v3/wal/wal.go:800 +0x1f'],
  ])('%s', (from, to) => {
    expect(toUpstream35Path(from)).toBe(to);
    // Idempotent: an upstream path stays as it is.
    expect(toUpstream35Path(to)).toBe(to);
  });

  it.each([
    'go.etcd.io/etcd/client/v3.(*watchGrpcStream).serveSubstream',
    'go.etcd.io/etcd/client/v2.(*httpClusterClient).Do',
    'go.etcd.io/bbolt.(*DB).allocate',
    'go.etcd.io/etcd/clientv3.(*watchGrpcStream).run',
    'example.com/vendor/go.etcd.io/etcd/server/mvcc.(*store).Read',
    'go.etcd.io/etcd/serverx/foo.Bar',
  ])('leaves %s alone', (s) => {
    expect(toUpstream35Path(s)).toBe(s);
  });
});

describe('rewriteProfileStrings', () => {
  it('rejects a truncated proto', () => {
    // Field 6, length 10, but only 2 bytes follow.
    expect(() => rewriteProfileStrings(Uint8Array.from([0x32, 10, 0x61, 0x62]), (s) => s)).toThrow(/past the end/);
  });
});

describe('upstream-path copies of the etcd 3.5 samples', () => {
  const files = etcd35ProfileFiles();
  const protos = files.filter((f) => f.endsWith('.pb.gz'));

  it('cover the recorded scenarios', () => {
    expect(protos.length).toBeGreaterThanOrEqual(20);
    expect(protos).toContain('samples/etcd-3.5.16/idle/heap.pb.gz');
  });

  it.each(protos)('%s: same samples, upstream names only', async (rel) => {
    const orig = await loadDebian35(rel);
    const copy = await loadUpstream35(rel);
    expect(copy.samples.length).toBe(orig.samples.length);
    expect(copy.sampleTypes).toEqual(orig.sampleTypes);
    expect(copy.locations.length).toBe(orig.locations.length);
    expect(copy.functions.length).toBe(orig.functions.length);
    expect(copy.timeNanos).toBe(orig.timeNanos);
    const before = names(orig);
    const after = names(copy);
    expect(after).toEqual(before.map(toUpstream35Path));
    expect(after.filter((n) => DEBIAN_35.test(n))).toEqual([]);
    // The recordings are etcd servers or clients: some frame is etcd code and was renamed.
    if (before.some((n) => DEBIAN_35.test(n))) {
      expect(after.some((n) => /go\.etcd\.io\/etcd\/(server|api|pkg|raft|client\/pkg)\/v3[/.]/.test(n))).toBe(true);
    }
  });

  it.each(files.filter((f) => f.endsWith('.txt')))('%s: text rewritten line by line', (rel) => {
    const before = readFileSync(join(REPO_ROOT, rel), 'utf8');
    const after = Buffer.from(upstream35Copy(rel)).toString('utf8');
    expect(after.split('\n').length).toBe(before.split('\n').length);
    expect(DEBIAN_35.test(after)).toBe(false);
  });
});
