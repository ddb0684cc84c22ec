/**
 * Rules under rules/etcd-server/: for each, profiles where it fires and honest near misses (under
 * the threshold, wrong process, version excluded, "A" without "under B").
 */
import { expect } from 'vitest';
import {
  clientBaseStacks,
  E32,
  E34,
  E35,
  E35D,
  etcdCpu,
  etcdGoroutines,
  etcdHeap,
  G,
  G32,
  GB,
  MB,
  SEC,
} from '../helpers/etcd-frames.js';
import { heapProfile, tableProfile } from '../helpers/profile-builder.js';
import { ruleTester } from '../helpers/rule-tester.js';

// ---------------------------------------------------------------------------------------------
// lease-keepalive-storm

const recv32 = `${G32}transport.(*recvBuffer).put`;
const handle32 = `${G32}transport.(*serverHandlerTransport).HandleStreams.func4`;
const stormHeap32 = (putMB: number) =>
  etcdHeap('3.2', [
    { stack: `runtime.goexit;net/http.(*http2serverConn).runHandler;${handle32};${recv32}`, bytes: putMB * MB },
    { stack: `runtime.goexit;net/http.(*http2serverConn).runHandler;${handle32}`, bytes: 2258 * MB },
    { stack: `runtime.goexit;net/http.(*http2serverConn).readFrames;net/http.http2putRequestBodyBuf`, bytes: 663 * MB },
    {
      stack: `runtime.goexit;${G32}.(*Server).processStreamingRPC;${E32}etcdserver/api/v3rpc.(*LeaseServer).LeaseKeepAlive;${E32}etcdserver/api/v3rpc.(*LeaseServer).leaseKeepAlive;runtime.makechan`,
      bytes: 277 * MB,
    },
    { stack: 'runtime.goexit;other.work', bytes: 900 * MB },
  ]);

ruleTester('lease-keepalive-storm', {
  fires: [
    {
      name: 'heap of a 3.2 member: recvBuffer.put 63% flat (seed 003)',
      profiles: [stormHeap32(7156)],
      minConfidence: 0.7,
      check: (r, d) => {
        expect(r.process.kind).toBe('etcd-server');
        expect(d!.fixedIn).toEqual(['3.1.19', '3.2.24', '3.3.9', '3.4.0']);
        const e = d!.evidence.find((x) => x.role === 'require')!;
        expect(e.flatShare).toBeGreaterThan(0.6);
        expect(e.flatText).toBe('6.99GB');
      },
    },
    {
      name: 'stated version 3.2.23 agrees and raises the confidence',
      profiles: [stormHeap32(7156)],
      opts: { etcdVersion: '3.2.23' },
      check: (_r, d) => {
        expect(d!.confidenceFactors.find((f) => f.factor === 'version')!.delta).toBeGreaterThan(0);
      },
    },
    {
      name: 'the pasted heap table of seed 003 (no stacks: lower confidence)',
      profiles: [
        tableProfile(
          [
            { name: recv32, flat: 7156.71 * MB, cum: 7156.71 * MB },
            { name: handle32, flat: 2258.28 * MB, cum: 9417.49 * MB },
            { name: 'net/http.http2putRequestBodyBuf', flat: 663.28 * MB, cum: 663.28 * MB },
            { name: 'runtime.makechan', flat: 277.15 * MB, cum: 277.15 * MB },
          ],
          { sampleType: 'inuse_space', unit: 'bytes', total: 11259.98 * MB },
        ),
      ],
      maxConfidence: 0.8,
      check: (r, d) => {
        expect(r.process.kind).toBe('etcd-server');
        expect(r.process.etcdVersion!.range).toBe('>=3.0.0 <3.3.14');
        expect(d!.confidenceFactors.some((f) => f.factor === 'stacks' && f.delta < 0)).toBe(true);
      },
    },
  ],
  silent: [
    { name: 'recvBuffer.put present but under 20% flat', profiles: [stormHeap32(400)] },
    {
      name: 'etcd 3.5 server (fixed release): ruled out by version',
      profiles: [
        etcdHeap('3.5', [
          {
            stack: `runtime.goexit;${G}transport.(*serverHandlerTransport).HandleStreams.func4;${G}transport.(*recvBuffer).put`,
            bytes: 2 * GB,
          },
          { stack: 'runtime.goexit;other.work', bytes: 500 * MB },
        ]),
      ],
      ruledOut: 'version',
      check: (r) => {
        expect(r.process.etcdVersion!.range).toBe('>=3.5.0');
        expect(r.ruledOut.find((x) => x.id === 'lease-keepalive-storm')!.reason).toMatch(
          /fixed in 3\.1\.19, 3\.2\.24, 3\.3\.9/,
        );
      },
    },
    {
      name: 'stated --etcd-version 3.3.9 (fixed): ruled out by version',
      profiles: [stormHeap32(7156)],
      opts: { etcdVersion: '3.3.9' },
      ruledOut: 'version',
    },
    {
      name: 'the same backlog in a client application: wrong process',
      profiles: [
        heapProfile([
          ...clientBaseStacks('github.com/coreos/etcd/clientv3').map((stack) => ({ stack, bytes: MB })),
          {
            stack: `runtime.goexit;google.golang.org/grpc/transport.(*serverHandlerTransport).HandleStreams.func4;google.golang.org/grpc/transport.(*recvBuffer).put`,
            bytes: GB,
          },
        ]),
      ],
      ruledOut: 'process',
    },
    {
      name: 'the backlog is under Watch streams: excluded',
      profiles: [
        etcdHeap('3.2', [
          {
            stack: `runtime.goexit;${E32}etcdserver/api/v3rpc.(*watchServer).Watch;${handle32};${recv32}`,
            bytes: 3 * GB,
          },
          { stack: 'runtime.goexit;other.work', bytes: GB },
        ]),
      ],
      ruledOut: 'exclusion',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// lease-follower-leak-3.4

const grant34 = `runtime.goexit;${E34}etcdserver.(*EtcdServer).apply;${E34}etcdserver.(*applierV3backend).LeaseGrant;${E34}lease.(*lessor).Grant`;
const followerWork34 = `runtime.goexit;${E34}etcdserver/api/rafthttp.(*streamReader).decodeLoop;${E34}etcdserver/api/rafthttp.(*msgAppV2Decoder).decode;${E34}raft.(*node).Step;${E34}raft.stepFollower;${E34}raft.(*raft).handleAppendEntries`;
const leaderWork34 = `runtime.goexit;${E34}raft.(*node).run;${E34}raft.stepLeader;${E34}raft.(*raft).bcastAppend;${E34}raft.(*raft).maybeSendAppend;${E34}raft.(*raft).sendAppend`;
const notifierHeap = (role: string, share: number, extra: string[] = []) =>
  etcdHeap('3.4', [
    {
      stack: `${grant34};${E34}lease.(*LeaseExpiredNotifier).RegisterOrUpdate;${E34}lease.(*LeaseQueue).Push;runtime.growslice`,
      bytes: share * 1000 * MB,
    },
    {
      stack: `${grant34};${E34}lease.(*LeaseExpiredNotifier).RegisterOrUpdate;runtime.mapassign_fast64`,
      bytes: share * 200 * MB,
    },
    { stack: role, bytes: 2 * MB },
    { stack: 'runtime.goexit;other.work', bytes: (1 - share) * 1200 * MB },
    ...extra.map((stack) => ({ stack, bytes: MB })),
  ]);

ruleTester('lease-follower-leak-3.4', {
  fires: [
    {
      name: 'a 3.4 follower holding notifier items under lessor.Grant',
      profiles: [notifierHeap(followerWork34, 0.6)],
      minConfidence: 0.6,
      check: (r, d) => {
        expect(r.process.role).toBe('follower');
        expect(d!.fixedIn).toEqual(['3.4.6', '3.5.0']);
      },
    },
    {
      name: 'stated 3.4.3 follower',
      profiles: [notifierHeap(followerWork34, 0.6)],
      opts: { etcdVersion: '3.4.3' },
      minConfidence: 0.8,
    },
  ],
  silent: [
    { name: 'notifier memory under 10%', profiles: [notifierHeap(followerWork34, 0.05)] },
    {
      name: 'the same heap on the leader (it pops the items): wrong role',
      profiles: [notifierHeap(leaderWork34, 0.6)],
      ruledOut: 'process',
    },
    {
      name: 'stated 3.4.23 (fixed): version',
      profiles: [notifierHeap(followerWork34, 0.6)],
      opts: { etcdVersion: '3.4.23' },
      ruledOut: 'version',
    },
    {
      name: 'frames of 3.4.31+ (ensureLeadership) in the profile: version',
      profiles: [
        notifierHeap(followerWork34, 0.6, [
          `runtime.goexit;${E34}etcdserver.(*EtcdServer).LeaseRenew;${E34}etcdserver.(*EtcdServer).ensureLeadership`,
        ]),
      ],
      ruledOut: 'version',
    },
    {
      name: 'notifier allocations not under lessor.Grant ("A" without "under B")',
      profiles: [
        etcdHeap('3.4', [
          {
            stack: `runtime.goexit;${E34}lease.(*lessor).Promote;${E34}lease.(*LeaseExpiredNotifier).RegisterOrUpdate;${E34}lease.(*LeaseQueue).Push`,
            bytes: 800 * MB,
          },
          { stack: followerWork34, bytes: 2 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 400 * MB },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// raft-log-retention

const proposeLeader34 = `runtime.goexit;${E34}etcdserver.(*EtcdServer).Put;${E34}etcdserver.(*EtcdServer).processInternalRaftRequestOnce;${E34}etcdserver/etcdserverpb.(*InternalRaftRequest).Marshal`;
const decodeFollower35 = `runtime.goexit;${E35}etcdserver/api/rafthttp.(*streamReader).decodeLoop;${E35}etcdserver/api/rafthttp.(*msgAppV2Decoder).decode;go.etcd.io/etcd/raft/v3/raftpb.(*Entry).Unmarshal`;

ruleTester('raft-log-retention', {
  fires: [
    {
      name: 'leader: proposals of 1 MB values held (put-1mb shape)',
      profiles: [
        etcdHeap('3.4', [
          { stack: proposeLeader34, bytes: 874 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 40 * MB },
        ]),
      ],
      check: (_r, d) => {
        const m = d!.models.find((x) => x.name === 'raft-log-memory')!;
        expect(m.measured).toBeCloseTo(874 * MB, -3);
        expect(m.text).toMatch(/100000 \+ 5000/);
      },
    },
    {
      name: 'follower of 3.5: entries decoded from the leader stream',
      profiles: [
        etcdHeap('3.5', [
          { stack: decodeFollower35, bytes: 600 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 100 * MB },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'raft entries are most of a small heap (under 64MB)',
      profiles: [
        etcdHeap('3.4', [
          { stack: proposeLeader34, bytes: 20 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 10 * MB },
        ]),
      ],
    },
    {
      name: 'raft entries 10% of the heap',
      profiles: [
        etcdHeap('3.4', [
          { stack: proposeLeader34, bytes: 100 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 900 * MB },
        ]),
      ],
    },
    {
      name: 'a program embedding etcd raft (not an etcd server): wrong process',
      profiles: [
        heapProfile([
          { stack: 'runtime.main;main.main;github.com/cockroachdb/cockroach/pkg/server.(*Server).Start', bytes: MB },
          {
            stack: `runtime.goexit;github.com/cockroachdb/cockroach/pkg/kv/kvserver.(*Replica).handleRaftReady;go.etcd.io/etcd/raft/v3/raftpb.(*Entry).Unmarshal`,
            bytes: 500 * MB,
          },
        ]),
      ],
      ruledOut: 'process',
      check: (r) => expect(r.process.kind).toBe('etcd-embedder'),
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// mvcc-history-uncompacted

const keyPut34 = `runtime.goexit;${E34}etcdserver.(*applierV3backend).Put;${E34}mvcc.(*storeTxnWrite).put;${E34}mvcc.(*treeIndex).Put;${E34}mvcc.(*keyIndex).put;runtime.growslice`;
const btree34 = `runtime.goexit;${E34}mvcc.(*storeTxnWrite).put;${E34}mvcc.(*treeIndex).Put;github.com/google/btree.(*BTree).ReplaceOrInsert;github.com/google/btree.(*node).insert`;

ruleTester('mvcc-history-uncompacted', {
  fires: [
    {
      name: 'keyIndex / B-tree memory 45% of 1 GB',
      profiles: [
        etcdHeap('3.4', [
          { stack: keyPut34, bytes: 300 * MB },
          { stack: btree34, bytes: 150 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 550 * MB },
        ]),
      ],
    },
    {
      name: 'CPU at start-up rebuilding the index from a large db (3.2 binary)',
      profiles: [
        etcdCpu('3.2', [
          {
            stack: `runtime.goexit;${E32}mvcc.(*store).restore;${E32}mvcc.restoreIntoIndex.func1;${E32}mvcc.(*keyIndex).restore`,
            ns: 20 * SEC,
          },
          { stack: `runtime.goexit;${E32}mvcc.(*store).restore;${E32}mvcc/mvccpb.(*KeyValue).Unmarshal`, ns: 10 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 30 * SEC },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'index memory 10% of the heap',
      profiles: [
        etcdHeap('3.4', [
          { stack: keyPut34, bytes: 100 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 900 * MB },
        ]),
      ],
    },
    {
      name: 'index is most of a 20 MB heap (under 64MB)',
      profiles: [
        etcdHeap('3.4', [
          { stack: keyPut34, bytes: 15 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 5 * MB },
        ]),
      ],
    },
  ],
});

// The revision history of one rewritten key (Debian's 3.5.16, recorded: samples/etcd-3.5.16/uncompacted-history):
// keyIndex.put holds the revision lists, treeIndex.Put allocates almost nothing (one key).
const keyHistory = (p: string) =>
  `runtime.goexit;${p}etcdserver.(*EtcdServer).applyEntryNormal;${p}mvcc.(*storeTxnWrite).put;${p}mvcc.(*treeIndex).Put;${p}mvcc.(*keyIndex).put`;
const newKeys = (p: string) =>
  `runtime.goexit;${p}etcdserver.(*EtcdServer).applyEntryNormal;${p}mvcc.(*storeTxnWrite).put;${p}mvcc.(*treeIndex).Put`;

ruleTester('mvcc-history-uncompacted', {
  fires: [
    {
      name: 'few keys, long history: keyIndex.put 34 % of a 10 MB heap (Debian 3.5 paths)',
      profiles: [
        etcdHeap('3.5-debian', [
          { stack: keyHistory(E35D), bytes: 3.5 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 5 * MB },
        ]),
      ],
      check: (r, d) => {
        expect(r.process.etcdVersion!.range).toBe('>=3.5.0 <3.6.0');
        expect(d!.firedOn[0]!.sampleType).toBe('inuse_space');
      },
    },
    {
      name: 'a shorter history on 3.4: keyIndex.put 22 % of a 10.5 MB heap (as recorded: 120,000 rewrites on 3.4.23)',
      profiles: [
        etcdHeap('3.4', [
          { stack: keyHistory(E34), bytes: 2.3 * MB },
          // with the builder's 2 MB of server stacks: 2.3 of 10.5 MB
          { stack: 'runtime.goexit;other.work', bytes: 6.2 * MB },
        ]),
      ],
    },
    {
      name: 'the same with upstream 3.5 module paths',
      profiles: [
        etcdHeap('3.5', [
          { stack: keyHistory(E35), bytes: 3.5 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 5 * MB },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'near miss: many new keys (treeIndex.Put allocates as much as keyIndex.put) in a small heap',
      profiles: [
        etcdHeap('3.5-debian', [
          { stack: keyHistory(E35D), bytes: 3.5 * MB },
          { stack: newKeys(E35D), bytes: 3.5 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 3 * MB },
        ]),
      ],
      ruledOut: 'exclusion',
    },
    {
      name: 'near miss: keyIndex.put 13 % of the heap',
      profiles: [
        etcdHeap('3.5-debian', [
          { stack: keyHistory(E35D), bytes: 1.5 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 8 * MB },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// expensive-range

const range34 = `runtime.goexit;${E34}etcdserver/etcdserverpb._KV_Range_Handler;${E34}etcdserver/api/v3rpc.(*kvServer).Range;${E34}etcdserver.(*EtcdServer).Range;${E34}etcdserver.(*EtcdServer).Range.func3;${E34}etcdserver.(*applierV3backend).Range;${E34}mvcc.(*storeTxnRead).rangeKeys`;

ruleTester('expensive-range', {
  fires: [
    {
      name: 'KeyValue.Unmarshal under EtcdServer.Range: 60% of 2 GB (issue #12457 shape)',
      profiles: [
        etcdHeap('3.4', [
          { stack: `${range34};${E34}mvcc/mvccpb.(*KeyValue).Unmarshal`, bytes: 1200 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 800 * MB },
        ]),
      ],
    },
    {
      name: 'response marshalling in the gRPC codec',
      profiles: [
        etcdHeap('3.4', [
          {
            stack: `runtime.goexit;google.golang.org/grpc.(*Server).processUnaryRPC;google.golang.org/grpc.encode;${E34}etcdserver/api/v3rpc.(*codec).Marshal;${E34}etcdserver/etcdserverpb.(*RangeResponse).Marshal`,
            bytes: 500 * MB,
          },
          { stack: 'runtime.goexit;other.work', bytes: 500 * MB },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'KeyValue.Unmarshal at start-up restore, not under Range ("A" without "under B")',
      profiles: [
        etcdHeap('3.4', [
          {
            stack: `runtime.goexit;${E34}mvcc.(*store).restore;${E34}mvcc/mvccpb.(*KeyValue).Unmarshal`,
            bytes: 1200 * MB,
          },
          { stack: 'runtime.goexit;other.work', bytes: 800 * MB },
        ]),
      ],
    },
    {
      name: 'range data 5% of the heap',
      profiles: [
        etcdHeap('3.4', [
          { stack: `${range34};${E34}mvcc/mvccpb.(*KeyValue).Unmarshal`, bytes: 50 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 950 * MB },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// count-only-limit-scan

const walk34 = `${range34};${E34}mvcc.(*treeIndex).Revisions;${E34}mvcc.(*treeIndex).visit;github.com/google/btree.(*node).iterate;${E34}mvcc.(*treeIndex).Revisions.func1;${E34}mvcc.(*keyIndex).get`;

ruleTester('count-only-limit-scan', {
  fires: [
    {
      name: 'CPU in the index walk under rangeKeys (3.4)',
      profiles: [
        etcdCpu('3.4', [
          { stack: walk34, ns: 12 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 8 * SEC },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'the walk plus reading every value: an expensive full range instead (excluded)',
      profiles: [
        etcdCpu('3.4', [
          { stack: walk34, ns: 12 * SEC },
          { stack: `${range34};${E34}mvcc/mvccpb.(*KeyValue).Unmarshal`, ns: 10 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 3 * SEC },
        ]),
      ],
      ruledOut: 'exclusion',
    },
    {
      name: 'etcd 3.5 (limit pushed into the index): version',
      profiles: [
        etcdCpu('3.5', [
          { stack: walk34.replaceAll(E34, E35), ns: 12 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 8 * SEC },
        ]),
      ],
      ruledOut: 'version',
    },
    {
      name: 'index walk 5% of CPU',
      profiles: [
        etcdCpu('3.4', [
          { stack: walk34, ns: 1 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 19 * SEC },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// watch-memory

const watcherAlloc34 = `runtime.goexit;${E34}etcdserver/api/v3rpc.(*watchServer).Watch.func2;${E34}etcdserver/api/v3rpc.(*serverWatchStream).recvLoop;${E34}mvcc.(*watchStream).Watch;${E34}mvcc.(*watchableStore).watch`;
const recvLoop34 = `runtime.goexit;${E34}etcdserver/api/v3rpc.(*watchServer).Watch.func2;${E34}etcdserver/api/v3rpc.(*serverWatchStream).recvLoop;${G}transport.(*recvBufferReader).Read;runtime.gopark`;
const sendLoop34 = `runtime.goexit;${E34}etcdserver/api/v3rpc.(*watchServer).Watch.func1;${E34}etcdserver/api/v3rpc.(*serverWatchStream).sendLoop;runtime.selectgo;runtime.gopark`;

ruleTester('watch-memory', {
  fires: [
    {
      name: 'watchers and streams are 50% of a 400 MB heap, with the goroutine profile for the model',
      minConfidence: 0.85,
      profiles: [
        etcdHeap('3.4', [
          { stack: watcherAlloc34, bytes: 200 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 200 * MB },
        ]),
        etcdGoroutines('3.4', [
          { stack: recvLoop34, count: 3000 },
          { stack: sendLoop34, count: 3000 },
          { stack: `runtime.goexit;${G}transport.(*http2Server).HandleStreams;runtime.gopark`, count: 40 },
        ]),
      ],
      check: (_r, d) => {
        const m = d!.models.find((x) => x.name === 'watch-memory')!;
        const streams = m.inputs.find((i) => i.name === 'gRPC watch streams')!;
        expect(streams.value).toBe(3000);
        expect(m.inputs.find((i) => i.name === 'gRPC connections')!.value).toBe(40);
        const watchers = m.inputs.find((i) => i.name === 'watchers')!.value!;
        // 17 KB × 40 + 18 KB × 3000 + 350 B × watchers
        expect(m.estimate).toBeCloseTo(17 * 1024 * 40 + 18 * 1024 * 3000 + 350 * watchers, 0);
        const g = d!.models.find((x) => x.name === 'goroutines-per-watch-stream')!;
        expect(g.measured).toBe(2);
      },
    },
    {
      name: 'a small (14 MB) heap where watch structures are 57% (the many-watchers sample): fires, less sure',
      profiles: [
        etcdHeap('3.4', [
          { stack: watcherAlloc34, bytes: 7.5 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 4 * MB },
        ]),
      ],
      maxConfidence: 0.75,
      check: (_r, d) => {
        // the "large in absolute terms" sign does not hold, so corroboration stays partial
        expect(d!.evidence.some((e) => e.role === 'support' && /large in absolute terms/.test(e.text))).toBe(false);
        expect(d!.confidenceFactors.find((f) => f.factor === 'corroboration')!.delta).toBeLessThan(0.2);
      },
    },
    {
      name: '200 streams = 400 of 645 goroutines (the many-watchers goroutine profile)',
      profiles: [
        etcdGoroutines('3.4', [
          { stack: recvLoop34, count: 200 },
          { stack: sendLoop34, count: 200 },
          { stack: 'runtime.goexit;other.wait;runtime.gopark', count: 243 },
        ]),
      ],
      check: (_r, d) => {
        const m = d!.models.find((x) => x.name === 'watch-memory')!;
        expect(m.inputs.find((i) => i.name === 'gRPC watch streams')!.value).toBe(200);
      },
    },
  ],
  silent: [
    {
      name: 'watch memory is 60% of a tiny (5 MB) heap: under the 4 MiB floor',
      profiles: [etcdHeap('3.4', [{ stack: watcherAlloc34, bytes: 3 * MB }])],
    },
    {
      name: 'watchers are 5% of a 400 MB heap',
      profiles: [
        etcdHeap('3.4', [
          { stack: watcherAlloc34, bytes: 20 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 380 * MB },
        ]),
      ],
    },
    {
      name: '50 watch streams (100 goroutines): under the 100-stream floor',
      profiles: [
        etcdGoroutines('3.4', [
          { stack: recvLoop34, count: 50 },
          { stack: sendLoop34, count: 50 },
        ]),
      ],
    },
    {
      name: '300 watch streams among 3000 goroutines: 20%, not a dominant share',
      profiles: [
        etcdGoroutines('3.4', [
          { stack: recvLoop34, count: 300 },
          { stack: sendLoop34, count: 300 },
          { stack: 'runtime.goexit;other.wait;runtime.gopark', count: 2400 },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// watch-event-backlog

ruleTester('watch-event-backlog', {
  fires: [
    {
      name: 'moveVictims 35% of CPU (issue #12710 shape, 3.3.18)',
      profiles: [
        etcdCpu('3.3.14', [
          {
            stack: `runtime.goexit;github.com/coreos/etcd/mvcc.(*watchableStore).syncVictimsLoop;github.com/coreos/etcd/mvcc.(*watchableStore).moveVictims;runtime.mapaccess1_fast64`,
            ns: 7 * SEC,
          },
          { stack: 'runtime.goexit;other.work', ns: 13 * SEC },
        ]),
      ],
    },
    {
      name: 'Debian 3.5 heap (as recorded: 1,000 watchers that stopped reading): event batches 13.6 MB = 46 %',
      profiles: [
        etcdHeap('3.5-debian', [
          {
            stack: `runtime.goexit;${E35D}mvcc.(*watchableStore).syncWatchersLoop;${E35D}mvcc.(*watchableStore).syncWatchers;${E35D}mvcc.newWatcherBatch;${E35D}mvcc.watcherBatch.add;${E35D}mvcc.(*eventBatch).add`,
            bytes: 13.6 * MB,
          },
          { stack: 'runtime.goexit;other.work', bytes: 14 * MB },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'near miss: event batches 40 % of a 15 MB heap (6 MB, under 8 MiB)',
      profiles: [
        etcdHeap('3.5-debian', [
          { stack: `runtime.goexit;${E35D}mvcc.(*watchableStore).notify;${E35D}mvcc.(*eventBatch).add`, bytes: 6 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 7 * MB },
        ]),
      ],
    },
    {
      name: 'victim handling 5% of CPU',
      profiles: [
        etcdCpu('3.4', [
          {
            stack: `runtime.goexit;${E34}mvcc.(*watchableStore).syncVictimsLoop;${E34}mvcc.(*watchableStore).moveVictims`,
            ns: 1 * SEC,
          },
          { stack: 'runtime.goexit;other.work', ns: 19 * SEC },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// v2-store-memory

ruleTester('v2-store-memory', {
  fires: [
    {
      name: 'a 3.2 member holding 400 MB of v2 keys',
      profiles: [
        etcdHeap('3.2', [
          {
            stack: `runtime.goexit;${E32}etcdserver.(*EtcdServer).applyRequest;${E32}store.(*store).Set;${E32}store.(*store).internalCreate;${E32}store.newKV`,
            bytes: 400 * MB,
          },
          { stack: 'runtime.goexit;other.work', bytes: 400 * MB },
        ]),
      ],
    },
    {
      name: 'CPU of a 3.4 member serialising v2store at snapshots',
      profiles: [
        etcdCpu('3.4', [
          {
            stack: `runtime.goexit;${E34}etcdserver.(*EtcdServer).snapshot.func1;${E34}etcdserver/api/v2store.(*store).SaveNoCopy;encoding/json.Marshal`,
            ns: 5 * SEC,
          },
          { stack: 'runtime.goexit;other.work', ns: 10 * SEC },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'the v2 store holds only membership (2 MB)',
      profiles: [
        etcdHeap('3.4', [
          {
            stack: `runtime.goexit;${E34}etcdserver/api/v2store.(*store).Set;${E34}etcdserver/api/v2store.newKV`,
            bytes: 2 * MB,
          },
          { stack: 'runtime.goexit;other.work', bytes: 3 * MB },
        ]),
      ],
    },
    {
      name: 'encoding/json.Marshal CPU not under the snapshot path',
      profiles: [
        etcdCpu('3.4', [
          { stack: 'runtime.goexit;example.com/x.handler;encoding/json.Marshal', ns: 5 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 10 * SEC },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// goroutine-pileup-blocked-logging

const capnsWait32 = `runtime.goexit;${E32}etcdserver.(*EtcdServer).run;github.com/coreos/etcd/cmd/vendor/github.com/coreos/pkg/capnslog.(*PackageLogger).Infof;github.com/coreos/etcd/cmd/vendor/github.com/coreos/pkg/capnslog.(*PackageLogger).internalLog;sync.(*Mutex).Lock;sync.runtime_SemacquireMutex;runtime.semacquire1;runtime.gopark`;
const capnsWriter32 = `runtime.goexit;${E32}etcdserver.(*raftNode).start.func1;github.com/coreos/etcd/cmd/vendor/github.com/coreos/pkg/capnslog.(*PackageLogger).Warningf;github.com/coreos/etcd/cmd/vendor/github.com/coreos/pkg/capnslog.(*PackageLogger).internalLog;github.com/coreos/etcd/cmd/vendor/github.com/coreos/pkg/capnslog.(*PrettyFormatter).Format;bufio.(*Writer).Flush;os.(*File).Write;internal/poll.(*FD).Write;syscall.Write`;
const zapWait35 = `runtime.goexit;${E35}etcdserver.(*EtcdServer).linearizableReadLoop;go.uber.org/zap.(*Logger).Warn;go.uber.org/zap/zapcore.(*CheckedEntry).Write;go.uber.org/zap/zapcore.(*ioCore).Write;go.uber.org/zap/zapcore.(*lockedWriteSyncer).Write;sync.(*Mutex).Lock;sync.(*Mutex).lockSlow;sync.runtime_SemacquireMutex`;

ruleTester('goroutine-pileup-blocked-logging', {
  fires: [
    {
      name: '3.2: 800 goroutines behind capnslog, one writer stuck in write(2)',
      profiles: [
        etcdGoroutines('3.2', [
          { stack: capnsWait32, count: 800 },
          { stack: capnsWriter32, count: 1 },
          { stack: 'runtime.goexit;other.idle;runtime.gopark', count: 200 },
        ]),
      ],
      check: (_r, d) =>
        expect(d!.evidence.some((e) => e.role === 'support' && /stuck in a write/.test(e.what))).toBe(true),
    },
    {
      name: '3.5: zap lockedWriteSyncer waiters, with wait times from a goroutine dump',
      profiles: [
        etcdGoroutines('3.5', [
          { stack: zapWait35, count: 1, labels: undefined },
          ...Array.from({ length: 60 }, () => ({
            stack: zapWait35,
            count: 1,
            labels: [{ key: 'wait_minutes', num: 42 }],
          })),
          { stack: 'runtime.goexit;other.idle;runtime.gopark', count: 100 },
        ] as { stack: string; count: number }[]),
      ],
    },
  ],
  silent: [
    {
      name: '5 goroutines briefly waiting for the log lock (normal)',
      profiles: [
        etcdGoroutines('3.2', [
          { stack: capnsWait32, count: 5 },
          { stack: 'runtime.goexit;other.idle;runtime.gopark', count: 200 },
        ]),
      ],
    },
    {
      name: '800 goroutines in sync.(*Mutex).Lock but not under a logger ("A" without "under B")',
      profiles: [
        etcdGoroutines('3.4', [
          {
            stack: `runtime.goexit;${E34}mvcc.(*store).Read;sync.(*Mutex).Lock;sync.runtime_SemacquireMutex;runtime.gopark`,
            count: 800,
          },
          { stack: 'runtime.goexit;other.idle;runtime.gopark', count: 200 },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// bbolt-freelist

const commit34 = `runtime.goexit;${E34}mvcc/backend.(*backend).run;${E34}mvcc/backend.(*batchTxBuffered).commit;go.etcd.io/bbolt.(*Tx).Commit`;

ruleTester('bbolt-freelist', {
  fires: [
    {
      name: '3.4 (array freelist by default): arrayAllocate 30% of CPU',
      profiles: [
        etcdCpu('3.4', [
          {
            stack: `${commit34};go.etcd.io/bbolt.(*Bucket).spill;go.etcd.io/bbolt.(*node).spill;go.etcd.io/bbolt.(*Tx).allocate;go.etcd.io/bbolt.(*DB).allocate;go.etcd.io/bbolt.(*freelist).arrayAllocate`,
            ns: 6 * SEC,
          },
          {
            stack: `${commit34};go.etcd.io/bbolt.(*Tx).commitFreelist;go.etcd.io/bbolt.(*freelist).write;go.etcd.io/bbolt.(*freelist).copyall;sort.Sort`,
            ns: 2 * SEC,
          },
          { stack: 'runtime.goexit;other.work', ns: 12 * SEC },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'the hashmap freelist is in use: excluded',
      profiles: [
        etcdCpu('3.4', [
          {
            stack: `${commit34};go.etcd.io/bbolt.(*Tx).commitFreelist;go.etcd.io/bbolt.(*freelist).write;go.etcd.io/bbolt.(*freelist).copyall`,
            ns: 6 * SEC,
          },
          {
            stack: `${commit34};go.etcd.io/bbolt.(*Tx).allocate;go.etcd.io/bbolt.(*freelist).hashmapAllocate`,
            ns: 1 * SEC,
          },
          { stack: 'runtime.goexit;other.work', ns: 12 * SEC },
        ]),
      ],
      ruledOut: 'exclusion',
    },
    {
      name: 'etcd 3.5 (map freelist by default): version',
      profiles: [
        etcdCpu('3.5', [
          {
            stack: `runtime.goexit;${E35}mvcc/backend.(*backend).run;go.etcd.io/bbolt.(*Tx).Commit;go.etcd.io/bbolt.(*freelist).copyall`,
            ns: 6 * SEC,
          },
          { stack: 'runtime.goexit;other.work', ns: 12 * SEC },
        ]),
      ],
      ruledOut: 'version',
    },
    {
      name: 'freelist 3% of CPU',
      profiles: [
        etcdCpu('3.4', [
          { stack: `${commit34};go.etcd.io/bbolt.(*freelist).arrayAllocate`, ns: 0.3 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 10 * SEC },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// lease-heap

ruleTester('lease-heap', {
  fires: [
    {
      name: 'lease objects 40% of 500 MB',
      profiles: [
        etcdHeap('3.4', [
          { stack: `${grant34};runtime.mapassign_fast64`, bytes: 200 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 300 * MB },
        ]),
      ],
      minConfidence: 0.7,
      check: (_r, d) =>
        expect(d!.evidence.some((e) => e.role === 'support' && /large in absolute terms/.test(e.text))).toBe(true),
    },
    {
      name: '50,000 leases: lessor 30% of a 48 MB heap (the many-leases sample): fires, less sure',
      profiles: [
        etcdHeap('3.4', [
          { stack: grant34, bytes: 13 * MB },
          { stack: `${grant34};runtime.mapassign_fast64`, bytes: 1.3 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 32 * MB },
        ]),
      ],
      maxConfidence: 0.75,
      check: (_r, d) => {
        // the "large in absolute terms" sign does not hold, so corroboration stays partial
        expect(d!.evidence.some((e) => e.role === 'support' && /large in absolute terms/.test(e.text))).toBe(false);
        expect(d!.confidenceFactors.find((f) => f.factor === 'corroboration')!.delta).toBeLessThan(0.2);
      },
    },
    {
      name: '3.3 leader scanning the lease map every tick',
      profiles: [
        etcdCpu('3.3.14', [
          {
            stack: `runtime.goexit;github.com/coreos/etcd/lease.(*lessor).runLoop;github.com/coreos/etcd/lease.(*lessor).findExpiredLeases;runtime.mapiternext`,
            ns: 4 * SEC,
          },
          { stack: 'runtime.goexit;other.work', ns: 10 * SEC },
        ]),
      ],
      check: (_r, d) => expect(d!.evidence.some((e) => e.role === 'support' && e.held)).toBe(true),
    },
  ],
  silent: [
    {
      name: 'leases 50% of a tiny (6 MB) heap: under the 4 MiB floor',
      profiles: [etcdHeap('3.4', [{ stack: grant34, bytes: 3 * MB }])],
    },
    {
      name: 'leases 5% of the heap',
      profiles: [
        etcdHeap('3.4', [
          { stack: grant34, bytes: 25 * MB },
          { stack: 'runtime.goexit;other.work', bytes: 475 * MB },
        ]),
      ],
    },
    {
      name: 'container/heap CPU not under the lessor loop ("A" without "under B")',
      profiles: [
        etcdCpu('3.4', [
          { stack: 'runtime.goexit;example.com/q.(*Queue).Run;container/heap.Pop', ns: 4 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 10 * SEC },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// count-only-range-index-walk (3.4.24+ / 3.5: CountRevisions walks, collects nothing)

const countRange = (p: string) =>
  `runtime.goexit;${p}etcdserver/api/v3rpc.(*kvServer).Range;${p}etcdserver.(*EtcdServer).Range;${p}mvcc.(*storeTxnRead).rangeKeys;${p}mvcc.(*treeIndex).CountRevisions;${p}mvcc.(*treeIndex).visit;github.com/google/btree.(*node).iterate`;

ruleTester('count-only-range-index-walk', {
  fires: [
    {
      name: 'Debian 3.5: CountRevisions 95 % of CPU, keyIndex.get under it',
      profiles: [
        etcdCpu('3.5-debian', [
          { stack: countRange(E35D), ns: 2 * SEC },
          {
            stack: `${countRange(E35D)};${E35D}mvcc.(*treeIndex).visit.func1;${E35D}mvcc.(*keyIndex).get`,
            ns: 2.5 * SEC,
          },
        ]),
      ],
      minConfidence: 0.7,
    },
    {
      name: 'upstream 3.5 module paths',
      profiles: [etcdCpu('3.5', [{ stack: countRange(E35), ns: 4 * SEC }])],
    },
  ],
  silent: [
    {
      name: 'near miss: the same walk on a server stated to be 3.4.20 (before CountRevisions: count-only-limit-scan)',
      profiles: [etcdCpu('3.4', [{ stack: countRange(E34), ns: 4 * SEC }])],
      opts: { etcdVersion: '3.4.20' },
      ruledOut: 'version',
    },
    {
      name: 'near miss: values are decoded too (a full range)',
      profiles: [
        etcdCpu('3.5-debian', [
          { stack: countRange(E35D), ns: 2 * SEC },
          {
            stack: `runtime.goexit;${E35D}etcdserver.(*EtcdServer).Range;${E35D}mvcc.(*storeTxnRead).rangeKeys;go.etcd.io/etcd/api/mvccpb.(*KeyValue).Unmarshal`,
            ns: 2 * SEC,
          },
        ]),
      ],
      ruledOut: 'exclusion',
    },
    {
      name: 'near miss: counting is 10 % of CPU',
      profiles: [
        etcdCpu('3.5-debian', [
          { stack: countRange(E35D), ns: 0.4 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 3.6 * SEC },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// auth-password-bcrypt-cpu

const authenticate = (p: string, api: string) =>
  `runtime.goexit;${api}etcdserverpb._Auth_Authenticate_Handler;${p}etcdserver/api/v3rpc.(*AuthServer).Authenticate;${p}etcdserver.(*EtcdServer).Authenticate;${p}auth.(*authStore).CheckPassword;golang.org/x/crypto/bcrypt.CompareHashAndPassword;golang.org/x/crypto/bcrypt.bcrypt;golang.org/x/crypto/bcrypt.expensiveBlowfishSetup;golang.org/x/crypto/blowfish.ExpandKey;golang.org/x/crypto/blowfish.encryptBlock`;

ruleTester('auth-password-bcrypt-cpu', {
  fires: [
    {
      name: 'Debian 3.5: bcrypt under CheckPassword 97 % of CPU',
      profiles: [
        etcdCpu('3.5-debian', [
          { stack: authenticate(E35D, 'go.etcd.io/etcd/api/'), ns: 2.6 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 0.05 * SEC },
        ]),
      ],
      minConfidence: 0.8,
      check: (r) => {
        // 3.5 is past the 3.4.9 fix of the lock problem: that rule is ruled out by version
        expect(r.ruledOut.find((x) => x.id === 'auth-checkpassword-bcrypt-under-lock')?.because).toBe('version');
      },
    },
    {
      name: 'upstream 3.5 module paths',
      profiles: [etcdCpu('3.5', [{ stack: authenticate(E35, 'go.etcd.io/etcd/api/v3/'), ns: 2.6 * SEC }])],
    },
    {
      name: 'a 3.4.x server (inferred, patch unknown): first, before the lock problem of 3.4.8 and older',
      profiles: [
        etcdCpu('3.4', [
          { stack: authenticate(E34, 'go.etcd.io/etcd/etcdserver/'), ns: 2.6 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 0.05 * SEC },
        ]),
      ],
      check: (r, d) => {
        // The same CPU fires both; the older-release rule only may apply (3.4.x overlaps <3.4.9), so
        // at equal evidence it costs confidence and follows the finding that holds on every release.
        const lock = r.diagnoses.find((x) => x.id === 'auth-checkpassword-bcrypt-under-lock')!;
        expect(lock.confidence).toBeLessThan(d!.confidence);
        expect(r.diagnoses[0]!.id).toBe('auth-password-bcrypt-cpu');
      },
    },
  ],
  silent: [
    {
      name: 'near miss: password checks are 10 % of CPU',
      profiles: [
        etcdCpu('3.5-debian', [
          { stack: authenticate(E35D, 'go.etcd.io/etcd/api/'), ns: 0.3 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 2.7 * SEC },
        ]),
      ],
    },
    {
      name: 'near miss: bcrypt outside CheckPassword (e.g. the server hashing a new password in UserAdd)',
      profiles: [
        etcdCpu('3.5-debian', [
          {
            stack: `runtime.goexit;${E35D}etcdserver.(*applierV3backend).UserAdd;${E35D}auth.(*authStore).UserAdd;golang.org/x/crypto/bcrypt.GenerateFromPassword;golang.org/x/crypto/bcrypt.bcrypt`,
            ns: 2 * SEC,
          },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// lease-keepalive-cpu

const keepAlive = (p: string) =>
  `runtime.goexit;${p}etcdserver/api/v3rpc.(*LeaseServer).LeaseKeepAlive.func1;${p}etcdserver/api/v3rpc.(*LeaseServer).leaseKeepAlive`;
const keepAliveCpu = (p: string, sec: number) =>
  etcdCpu(p === E35D ? '3.5-debian' : '3.5', [
    { stack: `${keepAlive(p)};${p}etcdserver.(*EtcdServer).LeaseRenew;${p}lease.(*lessor).Renew`, ns: sec * 0.3 * SEC },
    {
      stack: `${keepAlive(p)};${p}etcdserver.(*EtcdServer).LeaseRenew;${p}lease.(*lessor).Renew;${p}lease.(*LeaseExpiredNotifier).RegisterOrUpdate;container/heap.Fix;${p}lease.LeaseQueue.Less`,
      ns: sec * 0.2 * SEC,
    },
    { stack: `${keepAlive(p)};google.golang.org/grpc.(*serverStream).RecvMsg`, ns: sec * 0.5 * SEC },
    { stack: 'runtime.goexit;runtime.gcBgMarkWorker;runtime.gcDrain', ns: 0.1 * SEC },
  ]);

ruleTester('lease-keepalive-cpu', {
  fires: [
    {
      name: 'Debian 3.5 (as recorded: 12,700 keep-alives/s): leaseKeepAlive 68 % of CPU',
      profiles: [keepAliveCpu(E35D, 0.56)],
      minConfidence: 0.8,
    },
    { name: 'upstream 3.5 module paths', profiles: [keepAliveCpu(E35, 0.56)] },
  ],
  silent: [
    {
      name: 'near miss: keep-alives 24 % of CPU (many leases, few renewals: see lease-heap)',
      profiles: [
        etcdCpu('3.5-debian', [
          { stack: `${keepAlive(E35D)};${E35D}etcdserver.(*EtcdServer).LeaseRenew`, ns: 0.24 * SEC },
          { stack: 'runtime.goexit;other.work', ns: 0.76 * SEC },
        ]),
      ],
    },
    {
      name: 'near miss: a client application (the same frames cannot come from one)',
      profiles: [heapProfile(clientBaseStacks('go.etcd.io/etcd/client/v3').map((stack) => ({ stack, bytes: MB })))],
    },
  ],
});
