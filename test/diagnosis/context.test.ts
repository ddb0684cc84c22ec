import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTEXT_PATTERNS, goVersionFromPath, inferContext } from '../../src/diagnosis/context.js';
import { compilePattern } from '../../src/diagnosis/patterns.js';
import { ProfileView } from '../../src/diagnosis/matcher.js';
import { loadProfile } from '../../src/input/load.js';
import type { Profile } from '../../src/profile/model.js';
import { clientBaseStacks, E32, E33, E34, E35, E35D, etcdCpu, etcdHeap, G32, MB, SEC } from '../helpers/etcd-frames.js';
import { cpuProfile, heapProfile, tableProfile } from '../helpers/profile-builder.js';

const ctx = (ps: Profile[], opts = {}) =>
  inferContext(
    ps.map((p, i) => new ProfileView(p, `p${i}`)),
    opts,
  );

describe('process kind and etcd version', () => {
  it.each([
    ['3.2', '>=3.0.0 <3.3.14'],
    ['3.3.14', '>=3.3.14 <3.4.0'],
    ['3.4', '>=3.4.0 <3.5.0'],
  ] as const)('etcd %s server', (rel, range) => {
    const c = ctx([etcdHeap(rel, [])]);
    expect(c.kind).toBe('etcd-server');
    expect(c.etcdVersion!.range).toBe(range);
    expect(c.etcdVersion!.source).toBe('inferred');
    expect(c.kindEvidence[0]).toMatch(/etcd server packages/);
  });

  it('etcd 3.5 server (storage packages directly under server/v3)', () => {
    const c = ctx([
      etcdHeap('3.5', [{ stack: `runtime.goexit;${E35}mvcc.(*watchableStore).syncWatchersLoop`, bytes: MB }]),
    ]);
    expect(c.etcdVersion!.range).toBe('>=3.5.0 <3.6.0');
  });

  it('etcd 3.6 server (server/v3/storage, go.etcd.io/raft/v3)', () => {
    const c = ctx([
      heapProfile([
        { stack: `runtime.goexit;${E35}etcdserver.(*EtcdServer).run;go.etcd.io/raft/v3.(*node).run`, bytes: MB },
        { stack: `runtime.goexit;${E35}storage/mvcc.(*watchableStore).syncWatchersLoop`, bytes: MB },
      ]),
    ]);
    expect(c.kind).toBe('etcd-server');
    expect(c.etcdVersion!.range).toBe('>=3.6.0');
  });

  it('etcd 3.5 as Debian and Ubuntu build it (GOPATH mode: no /v3 suffix) is a 3.5 server, not 3.4 nor an embedder', () => {
    const c = ctx([
      etcdHeap('3.5-debian', [
        { stack: `runtime.goexit;${E35D}mvcc.(*watchableStore).syncWatchersLoop`, bytes: MB },
        {
          stack: `runtime.goexit;${E35D}etcdserver.(*raftNode).start.func1;go.etcd.io/etcd/raft.(*node).run;go.etcd.io/etcd/raft/raftpb.(*Entry).Unmarshal`,
          bytes: MB,
        },
        {
          stack: `runtime.goexit;${E35D}etcdserver/api/v3rpc.(*kvServer).Range;go.etcd.io/etcd/api/etcdserverpb.(*RangeResponse).Marshal`,
          bytes: MB,
        },
      ]),
    ]);
    expect(c.kind).toBe('etcd-server');
    expect(c.etcdVersion!.range).toBe('>=3.5.0 <3.6.0');
    expect(c.notes).toEqual([]);
    expect(c.etcdVersion!.evidence.join('\n')).toMatch(/GOPATH/);
    expect(c.etcdVersion!.evidence.join('\n')).not.toMatch(/3\.4\.x/);
  });

  it('a Debian 3.5 server whose only server frames are etcdserver and raft is still a server, 3.5+', () => {
    const c = ctx([
      heapProfile([
        {
          stack: `runtime.goexit;${E35D}etcdserver.(*raftNode).start.func1;go.etcd.io/etcd/raft.(*node).run;go.etcd.io/etcd/raft.(*raftLog).append`,
          bytes: 64 * MB,
        },
      ]),
    ]);
    expect(c.kind).toBe('etcd-server');
    expect(c.etcdVersion!.range).toBe('>=3.5.0');
  });

  it('near miss: raft alone under go.etcd.io/etcd/raft (3.4, or a 3.5 GOPATH build) inside another program is an embedder', () => {
    const c = ctx([
      heapProfile([
        { stack: 'runtime.goexit;example.com/store.(*Node).loop;go.etcd.io/etcd/raft.(*node).run', bytes: MB },
      ]),
    ]);
    expect(c.kind).toBe('etcd-embedder');
  });

  it('a client built in GOPATH mode (client/v3, client/pkg and api without /v3): a 3.5+ client', () => {
    const c = ctx([
      heapProfile(
        [
          ...clientBaseStacks('go.etcd.io/etcd/client/v3'),
          'runtime.goexit;go.etcd.io/etcd/client/v3.(*watchGrpcStream).run;go.etcd.io/etcd/api/etcdserverpb.(*watchWatchClient).Recv',
          'runtime.main;main.main;go.etcd.io/etcd/client/pkg/transport.TLSInfo.ClientConfig',
        ].map((stack) => ({ stack, bytes: MB })),
      ),
    ]);
    expect(c.kind).toBe('etcd-client');
    expect(c.etcdVersion!.range).toBe('>=3.5.0');
  });

  it('function markers narrow the range', () => {
    const c = ctx([
      etcdCpu('3.4', [
        {
          stack: `runtime.goexit;${E34}etcdserver.(*EtcdServer).LeaseRenew;${E34}etcdserver.(*EtcdServer).ensureLeadership`,
          ns: SEC,
        },
      ]),
    ]);
    expect(c.etcdVersion!.range).toBe('>=3.4.31 <3.5.0');
    expect(c.etcdVersion!.evidence.join(' ')).toMatch(/ensureLeadership/);
  });

  it('client applications, by client package and markers', () => {
    const client = (pkg: string, extra: string[] = []) =>
      ctx([heapProfile([...clientBaseStacks(pkg), ...extra].map((stack) => ({ stack, bytes: MB })))]);
    let c = client('github.com/coreos/etcd/clientv3');
    expect(c.kind).toBe('etcd-client');
    expect(c.etcdVersion!.range).toBe('<3.4.0');
    c = client('go.etcd.io/etcd/client/v3');
    expect(c.etcdVersion!.range).toBe('>=3.5.0');
    c = client('github.com/coreos/etcd/clientv3', [
      'runtime.goexit;github.com/coreos/etcd/clientv3.(*simpleBalancer).updateNotifyLoop',
    ]);
    expect(c.etcdVersion!.range).toBe('>=3.2.0 <3.2.10');
    c = client('k8s.io/kubernetes/vendor/github.com/coreos/etcd/clientv3', [
      'runtime.goexit;k8s.io/kubernetes/vendor/github.com/coreos/etcd/clientv3.streamKeyFromCtx',
    ]);
    expect(c.kind).toBe('etcd-client');
    expect(c.flavor).toBe('kubernetes');
    expect(c.etcdVersion!.range).toBe('>=3.2.10 <3.4.0');
  });

  it('programs embedding etcd libraries', () => {
    let c = ctx([
      heapProfile([
        { stack: 'runtime.main;main.main;github.com/cockroachdb/cockroach/pkg/cli.Main', bytes: MB },
        {
          stack:
            'runtime.goexit;github.com/cockroachdb/cockroach/pkg/kv/kvserver.(*Store).processReady;go.etcd.io/raft/v3.(*RawNode).Ready',
          bytes: MB,
        },
      ]),
    ]);
    expect(c.kind).toBe('etcd-embedder');
    expect(c.flavor).toBe('cockroachdb');
    expect(c.etcdVersion).toBeNull();
    c = ctx([
      heapProfile([
        {
          stack: 'runtime.goexit;github.com/containerd/containerd/metadata.(*DB).Update;go.etcd.io/bbolt.(*DB).Update',
          bytes: MB,
        },
      ]),
    ]);
    expect(c.kind).toBe('etcd-embedder');
    expect(c.flavor).toBe('containerd');
  });

  it('k3s with kine (etcd API over SQL) is a client of its own kine server, not an etcd server', () => {
    const c = ctx([
      heapProfile([
        {
          stack:
            'runtime.goexit;github.com/k3s-io/kine/pkg/server.(*KVServerBridge).Range;github.com/k3s-io/kine/pkg/logstructured/sqllog.(*SQLLog).List',
          bytes: MB,
        },
        {
          stack:
            'runtime.goexit;k8s.io/apiserver/pkg/storage/etcd3.(*store).GetList;go.etcd.io/etcd/client/v3.(*kv).Get',
          bytes: MB,
        },
      ]),
    ]);
    expect(c.kind).toBe('etcd-client');
    expect(c.flavor).toBe('kine');
  });

  it('a Go program without etcd, and a profile with nothing to go on', () => {
    expect(ctx([cpuProfile([{ stack: 'runtime.main;main.main;main.work', ns: SEC }])]).kind).toBe('other-go');
    expect(ctx([cpuProfile([{ stack: '__libc_start_main;main;compute', ns: SEC }])]).kind).toBe('unknown');
  });

  it.each(['samples/etcd-3.5.30/idle/cpu.pb.gz', 'samples/heldout/3.4.23-idle-after-load/cpu.pb.gz'])(
    '%s: an idle server whose CPU samples show only raft is the etcd server (the binary is named etcd)',
    async (file) => {
      const p = await loadProfile(file);
      expect(p.mappings[0]?.file).toMatch(/\/etcd$/);
      const c = inferContext([new ProfileView(p, file)]);
      expect(c.kind).toBe('etcd-server');
      expect(c.kindEvidence[0]).toMatch(/raft.*the binary is named "etcd"/);
      // near miss: the same frames in a binary with another name are an embedder's
      const renamed = { ...p, mappings: p.mappings.map((m, i) => (i === 0 ? { ...m, file: '/usr/bin/mystore' } : m)) };
      expect(inferContext([new ProfileView(renamed, file)]).kind).toBe('etcd-embedder');
    },
  );

  it('a binary named etcd without etcd frames (a pasted CPU table) is an etcd server, on weak evidence', () => {
    const t = tableProfile([{ name: 'runtime.futex', flat: SEC, cum: SEC }], {
      sampleType: 'cpu',
      unit: 'nanoseconds',
      total: 2 * SEC,
    });
    t.table!.header.push('File: etcd', 'Type: cpu');
    const c = ctx([t]);
    expect(c.kind).toBe('etcd-server');
    expect(c.kindEvidence[0]).toMatch(/weak/);
  });

  it('--etcd-version overrides inference and pins the official build Go version', () => {
    const c = ctx([etcdHeap('3.4', [])], { etcdVersion: '3.4.3' });
    expect(c.etcdVersion).toMatchObject({ range: '3.4.3', source: 'stated' });
    expect(c.goVersion!.range).toBe('>=1.12.0 <1.13.0');
    expect(c.goVersion!.source).toBe('assumed');
  });
});

describe('raft role', () => {
  const leader = `runtime.goexit;${E34}raft.(*node).run;${E34}raft.stepLeader;${E34}raft.(*raft).bcastAppend;${E34}raft.(*raft).sendAppend`;
  const follower = `runtime.goexit;${E34}etcdserver/api/rafthttp.(*msgAppV2Decoder).decode;${E34}raft.stepFollower;${E34}raft.(*raft).handleAppendEntries`;

  it('leader and follower from CPU work', () => {
    expect(ctx([etcdCpu('3.4', [{ stack: leader, ns: SEC }])]).role).toBe('leader');
    expect(ctx([etcdCpu('3.4', [{ stack: follower, ns: SEC }])]).role).toBe('follower');
  });

  it('unknown when both sides are sampled evenly, or neither', () => {
    const mixed = ctx([
      etcdCpu('3.4', [
        { stack: leader, ns: SEC },
        { stack: follower, ns: SEC },
      ]),
    ]);
    expect(mixed.role).toBe('unknown');
    expect(mixed.roleEvidence[0]).toMatch(/both/);
    expect(ctx([etcdCpu('3.4', [])]).role).toBe('unknown');
  });

  it('goroutine profiles are not used (every member parks the same goroutines)', async () => {
    const { etcdGoroutines } = await import('../helpers/etcd-frames.js');
    expect(ctx([etcdGoroutines('3.4', [{ stack: follower, count: 3 }])]).role).toBe('unknown');
  });
});

describe('Go version', () => {
  it('from Go root paths', () => {
    expect(goVersionFromPath('/usr/local/go1.12.9/src/runtime/proc.go')).toBe('1.12.9');
    expect(goVersionFromPath('/usr/lib/go-1.19/src/runtime/proc.go')).toBe('>=1.19.0 <1.20.0');
    expect(goVersionFromPath('/opt/hostedtoolcache/go/1.20.3/x64/src/runtime/proc.go')).toBe('1.20.3');
    expect(goVersionFromPath('/usr/local/go/src/runtime/proc.go')).toBeNull();
  });

  it('from runtime markers', () => {
    const g = (stack: string, files: Record<string, string> = {}) =>
      ctx([cpuProfile([{ stack, ns: SEC }], { files })]).goVersion?.range;
    expect(g('runtime.main;main.main;runtime.selectgoImpl')).toBe('<1.9.0');
    expect(
      g('runtime.main;main.main;runtime.mapassign', { 'runtime.mapassign': '/usr/local/go/src/runtime/hashmap.go' }),
    ).toBe('<1.11.0');
    expect(g('runtime.main;main.main;runtime.asyncPreempt')).toBe('>=1.14.0');
    expect(g('main.main;syscall.Syscall;runtime/internal/syscall.Syscall6')).toBe('>=1.19.0');
    expect(g('runtime.goexit;runtime.(*scavengerState).run')).toBe('>=1.19.0');
    // Near misses: other syscall frames say nothing about 1.19.
    expect(g('main.main;syscall.Syscall;syscall.RawSyscall6')).toBeUndefined();
    // Current Go: the runtime's internal packages under internal/runtime/…, Swiss-table maps, ChaCha8.
    expect(g('runtime.goexit;runtime.bgsweep;internal/chacha8rand.(*State).Refill')).toBe('>=1.22.0');
    expect(g('main.main;syscall.Syscall;internal/runtime/syscall.Syscall6')).toBe('>=1.23.0');
    expect(g('main.main;runtime.mapassign_faststr;internal/runtime/maps.(*table).grow')).toBe('>=1.24.0');
    // Debian's etcd 3.5.30 (go1.26.4): the syscall package has a linux/ sub-package, Green Tea GC
    expect(g('main.main;syscall.Syscall;internal/runtime/syscall/linux.Syscall6')).toBe('>=1.25.0');
    expect(
      g('runtime.gcBgMarkWorker;runtime.gcDrain;runtime.tryDeferToSpanScan', {
        'runtime.tryDeferToSpanScan': 'runtime/mgcmark_greenteagc.go',
      }),
    ).toBe('>=1.25.0');
    expect(g('main.main;sync.(*Map).Load;internal/sync.(*HashTrieMap[go.shape.string,go.shape.int]).Load')).toBe(
      '>=1.24.0',
    );
    expect(
      g('main.main;runtime.mapaccess1_faststr', {
        'runtime.mapaccess1_faststr': 'internal/runtime/maps/runtime_faststr_swiss.go',
      }),
    ).toBe('>=1.24.0');
    // Near misses: internal/poll and runtime's own map functions in runtime/ files say nothing of 1.22+.
    expect(
      g('main.main;internal/poll.(*FD).Read;runtime.mapaccess1_faststr', {
        'runtime.mapaccess1_faststr': 'runtime/map_faststr.go',
      }),
    ).toBe('>=1.11.0');
  });

  it("Debian's etcd 3.4.23 (built with Go 1.19, no toolchain paths in the profile): Go ≥ 1.19", async () => {
    const p = await loadProfile('samples/etcd-3.4.23/many-watchers/cpu.pb.gz');
    const c = ctx([p]);
    expect(c.kind).toBe('etcd-server');
    expect(c.goVersion!.range).toBe('>=1.19.0');
    expect(c.goVersion!.evidence.join(' ')).toMatch(/runtime\/internal\/syscall/);
  });

  it('Debian Go 1.19 test programs', async () => {
    const p = await loadProfile('test/fixtures/go/cpu.pb.gz');
    const c = ctx([p]);
    expect(c.kind).toBe('other-go');
    expect(c.goVersion!.range).toBe('>=1.19.0 <1.20.0');
  });
});

describe.skipIf(!existsSync('samples/etcd-3.4.23/put-1mb-3member/leader/cpu.pb.gz'))(
  'real etcd 3.4.23 profiles',
  () => {
    for (const role of ['leader', 'follower'] as const) {
      it(`the ${role} of put-1mb-3member`, async () => {
        const base = `samples/etcd-3.4.23/put-1mb-3member/${role}`;
        const ps = await Promise.all(
          ['cpu.pb.gz', 'heap.pb.gz', 'goroutine.pb.gz'].map((f) => loadProfile(`${base}/${f}`)),
        );
        const c = ctx(ps);
        expect(c.kind).toBe('etcd-server');
        expect(c.role).toBe(role);
        expect(c.etcdVersion!.range.startsWith('>=3.4.')).toBe(true);
        expect(c.etcdVersion!.range.endsWith('<3.5.0')).toBe(true);
      });
    }
  },
);

describe('mixed release frames', () => {
  it('conflicting markers are noted, not fatal', () => {
    const c = ctx([
      heapProfile([
        { stack: `runtime.goexit;${E32}etcdserver.(*EtcdServer).run`, bytes: MB },
        { stack: `runtime.goexit;${E33}mvcc.(*treeIndex).CountRevisions`, bytes: MB },
      ]),
    ]);
    expect(c.etcdVersion!.range).toBe('>=3.0.0 <3.3.14');
    expect(c.notes.join(' ')).toMatch(/disagree/);
  });
});

describe('etcd 3.0–3.3.13 names under cmd/vendor', () => {
  // The release binaries of 3.0–3.3.13 name etcd's own packages
  // github.com/coreos/etcd/cmd/vendor/github.com/coreos/etcd/…: they contain
  // github.com/coreos/etcd/etcdserver, but they are not the 3.3.14 layout.
  const leader32 = () =>
    etcdHeap('3.2', [
      {
        stack: `runtime.goexit;${E32}lease/leasehttp.(*leaseHandler).ServeHTTP;${E32}lease.(*lessor).Renew`,
        bytes: MB,
      },
      {
        stack: `runtime.goexit;${G32}transport.(*serverHandlerTransport).HandleStreams.func4;${G32}transport.(*recvBuffer).put`,
        bytes: 64 * MB,
      },
      {
        stack: `runtime.goexit;${E32}mvcc.(*watchableStore).syncWatchersLoop;${E32}mvcc.(*treeIndex).Revisions`,
        bytes: MB,
      },
    ]);

  it('do not count as the 3.3.14–3.3.x layout: no disagreement note, the 3.0–3.3.13 range', () => {
    const c = ctx([leader32()]);
    expect(c.kind).toBe('etcd-server');
    expect(c.notes.join(' ')).not.toMatch(/disagree/);
    // cmd/vendor (3.0–3.3.13), grpc/transport without /internal (≤ 3.3.13), treeIndex.Revisions (≥ 3.3.0)
    expect(c.etcdVersion!.range).toBe('>=3.3.0 <3.3.14');
    const evidence = c.etcdVersion!.evidence.join('\n');
    expect(evidence).toMatch(/cmd\/vendor/);
    expect(evidence).not.toMatch(/3\.3\.14–3\.3\.x/);
  });

  it('with coreos/bbolt frames: 3.2.10–3.3.13, still without a note', () => {
    const c = ctx([
      etcdHeap('3.2', [
        {
          stack: `runtime.goexit;${E32}mvcc/backend.(*backend).run;${E32}mvcc/backend.(*batchTx).Commit;github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt.(*node).spill`,
          bytes: MB,
        },
      ]),
    ]);
    expect(c.notes).toEqual([]);
    expect(c.etcdVersion!.range).toBe('>=3.2.10 <3.3.14');
  });

  it('3.3.14+ names (no cmd/vendor) still give 3.3.14–3.3.x', () => {
    const c = ctx([etcdHeap('3.3.14', [])]);
    expect(c.notes.join(' ')).not.toMatch(/disagree/);
    expect(c.etcdVersion!.range).toBe('>=3.3.14 <3.4.0');
  });

  it('a Kubernetes binary vendoring etcd 3.3.14+ server packages still gives 3.3.14–3.3.x', () => {
    const K = 'k8s.io/kubernetes/vendor/github.com/coreos/etcd/';
    const c = ctx([
      heapProfile([
        { stack: `runtime.goexit;${K}etcdserver.(*EtcdServer).run;${K}etcdserver.(*EtcdServer).applyAll`, bytes: MB },
      ]),
    ]);
    expect(c.etcdVersion!.range).toBe('>=3.3.14 <3.4.0');
  });
});

describe("the module's own frame patterns", () => {
  it('pass the same RE2 check as rule patterns, and compile to the same regex', () => {
    expect(CONTEXT_PATTERNS.length).toBeGreaterThan(20);
    for (const p of CONTEXT_PATTERNS) expect(() => compilePattern(p), p).not.toThrow();
  });
});
