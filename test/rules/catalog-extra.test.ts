/**
 * The additional catalog rules (etcd-known-issues.md §2 entries 5d, 11–25, 27–33): for each, a
 * profile where it fires and honest near misses (under the threshold, "A" without "under B", a
 * version outside the affected range, the fix present, the wrong process kind).
 */
import { expect } from 'vitest';
import {
  clientBaseStacks,
  E32,
  E33,
  E34,
  E35,
  etcdCpu,
  etcdGoroutines,
  etcdHeap,
  GB,
  MB,
  SEC,
} from '../helpers/etcd-frames.js';
import { buildProfile, CONTENTION_TYPES, cpuProfile, heapProfile } from '../helpers/profile-builder.js';
import { ruleTester } from '../helpers/rule-tester.js';

const GRPC = 'google.golang.org/grpc';
const other = (bytes: number) => ({ stack: 'runtime.goexit;example.com/other.work', bytes });
const otherCpu = (ns: number) => ({ stack: 'runtime.goexit;example.com/other.work', ns });
const otherG = (count: number) => ({ stack: 'runtime.goexit;example.com/other.wait;runtime.gopark', count });

// ---------------------------------------------------------------------------------------------
// raft-readindex-pending-leak (3.1.0–3.1.4)

const readIndexHeap = (prefix: string, release: '3.2' | '3.4', addMB: number) =>
  etcdHeap(release, [
    {
      stack: `runtime.goexit;${prefix}raft.(*node).run;${prefix}raft.(*raft).Step;${prefix}raft.stepLeader;${prefix}raft.(*readOnly).addRequest`,
      bytes: addMB * MB,
    },
    {
      stack: `runtime.goexit;${prefix}raft.(*node).run;${prefix}raft.(*raft).Step;${prefix}raft.stepLeader;${prefix}raft.(*readOnly).addRequest;runtime.makemap`,
      bytes: (addMB / 3) * MB,
    },
    { stack: `runtime.goexit;${prefix}raft.(*node).run;${prefix}raft.(*raft).tickHeartbeat`, bytes: MB },
    other(400 * MB),
  ]);

ruleTester('raft-readindex-pending-leak', {
  fires: [
    {
      name: '3.1 leader: readOnly.addRequest holds 800 MB (issue #7571)',
      profiles: [readIndexHeap(E32, '3.2', 600)],
      opts: { etcdVersion: '3.1.2' },
      minConfidence: 0.7,
      check: (r, d) => {
        expect(r.process.role).toBe('leader');
        expect(d!.fixedIn).toEqual(['3.1.5', '3.2.0']);
      },
    },
    {
      name: 'addRequest inlined: the memory shows as flat in raft.stepLeader',
      profiles: [
        etcdHeap('3.2', [
          {
            stack: `runtime.goexit;${E32}raft.(*node).run;${E32}raft.(*raft).Step;${E32}raft.stepLeader`,
            bytes: 700 * MB,
          },
          other(300 * MB),
        ]),
      ],
    },
  ],
  silent: [
    { name: 'a few MB of read requests (normal)', profiles: [readIndexHeap(E32, '3.2', 20)] },
    {
      name: 'same frames in etcd 3.4: ruled out by version',
      profiles: [readIndexHeap(E34, '3.4', 600)],
      ruledOut: 'version',
    },
    {
      name: 'stated 3.1.5 (fixed)',
      profiles: [readIndexHeap(E32, '3.2', 600)],
      opts: { etcdVersion: '3.1.5' },
      ruledOut: 'version',
    },
    {
      name: 'stepLeader flat but the heap is raft log entries (excluded)',
      profiles: [
        etcdHeap('3.2', [
          {
            stack: `runtime.goexit;${E32}raft.(*node).run;${E32}raft.(*raft).Step;${E32}raft.stepLeader`,
            bytes: 400 * MB,
          },
          {
            stack: `runtime.goexit;${E32}rafthttp.(*streamReader).decodeLoop;${E32}raft/raftpb.(*Entry).Unmarshal`,
            bytes: 600 * MB,
          },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// grpcproxy-cache-interval-leak

const proxyHeap = (prefix: string, release: '3.2' | '3.4', addMB: number) =>
  etcdHeap(release, [
    {
      stack: `runtime.goexit;${prefix}proxy/grpcproxy.(*kvProxy).Range;${prefix}proxy/grpcproxy/cache.(*cache).Add`,
      bytes: addMB * MB,
    },
    {
      stack: `runtime.goexit;${prefix}proxy/grpcproxy.(*kvProxy).Range;${prefix}proxy/grpcproxy/cache.(*cache).Add;${prefix}pkg/adt.(*IntervalTree).Insert`,
      bytes: 10 * MB,
    },
    other(300 * MB),
  ]);

ruleTester('grpcproxy-cache-interval-leak', {
  fires: [
    {
      name: 'grpc-proxy 3.3.10: cache.Add holds most of the heap (issue #10326)',
      profiles: [proxyHeap(E32, '3.2', 900)],
      opts: { etcdVersion: '3.3.10' },
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.2.26', '3.3.11', '3.4.0']),
    },
  ],
  silent: [
    { name: 'a small cache (40 MB, 11%)', profiles: [proxyHeap(E32, '3.2', 40)] },
    { name: 'proxy 3.4 (fixed): version', profiles: [proxyHeap(E34, '3.4', 900)], ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// v2-httpproxy-request-leak

const v2proxyGoroutines = (n: number) =>
  etcdGoroutines('3.2', [
    {
      stack: `runtime.goexit;net/http.(*conn).serve;net/http.serverHandler.ServeHTTP;${E32}proxy/httpproxy.(*reverseProxy).ServeHTTP;io.Copy;io.copyBuffer;net/http.(*body).Read;runtime.gopark`,
      count: n,
    },
    { stack: 'runtime.goexit;net/http.(*persistConn).readLoop;runtime.gopark', count: n },
    { stack: 'runtime.goexit;net/http.(*persistConn).writeLoop;runtime.gopark', count: n },
    otherG(200),
  ]);

ruleTester('v2-httpproxy-request-leak', {
  fires: [
    {
      name: 'v2 proxy 3.2.16 with 3000 stuck handlers',
      profiles: [v2proxyGoroutines(3000)],
      opts: { etcdVersion: '3.2.16' },
      minConfidence: 0.7,
    },
  ],
  silent: [
    {
      name: '100 handlers in flight (normal load)',
      profiles: [v2proxyGoroutines(100)],
      opts: { etcdVersion: '3.2.16' },
    },
    {
      name: 'stated 3.2.17 (fixed)',
      profiles: [v2proxyGoroutines(3000)],
      opts: { etcdVersion: '3.2.17' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// clientv3-watch-lazy-cancel

const watchRecv = (p: string) =>
  `runtime.goexit;${p}etcdserver/api/v3rpc.(*watchServer).Watch.func2;${p}etcdserver/api/v3rpc.(*serverWatchStream).recvLoop`;
const lazyHeap = (p: string, r: '3.4' | '3.5', watcherMB: number, streamMB: number) =>
  etcdHeap(r, [
    { stack: `${watchRecv(p)};${p}mvcc.(*watchStream).Watch;${p}mvcc.(*watchableStore).watch`, bytes: watcherMB * MB },
    {
      stack: `${watchRecv(p)};${p}mvcc.(*watchStream).Watch;${p}mvcc.(*watchableStore).watch;${p}mvcc.(*watcherGroup).add`,
      bytes: (watcherMB / 5) * MB,
    },
    {
      stack: `runtime.goexit;${p}etcdserver/api/v3rpc.(*watchServer).Watch;${p}mvcc.(*watchableStore).NewWatchStream`,
      bytes: streamMB * MB,
    },
    other(600 * MB),
  ]);

ruleTester('clientv3-watch-lazy-cancel', {
  fires: [
    {
      name: '3.4 server: 360 MB of watchers on few streams',
      profiles: [lazyHeap(E34, '3.4', 300, 5)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.10', '3.5.0']),
    },
  ],
  silent: [
    { name: 'watchers are 40 MB (5%)', profiles: [lazyHeap(E34, '3.4', 40, 5)] },
    {
      name: 'memory is in per-stream buffers (many streams): excluded',
      profiles: [lazyHeap(E34, '3.4', 300, 200)],
      ruledOut: 'exclusion',
    },
    { name: 'etcd 3.5 server: version', profiles: [lazyHeap(E35, '3.5', 300, 5)], ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// watchserver-recvloop-ctrlstream-leak

const recvLoopGoroutines = (stuck: number) =>
  etcdGoroutines('3.5', [
    { stack: `${watchRecv(E35)};runtime.chansend1;runtime.chansend;runtime.gopark`, count: stuck },
    {
      stack: `${watchRecv(E35)};${GRPC}.(*serverStream).RecvMsg;${GRPC}/internal/transport.(*recvBufferReader).Read;runtime.gopark`,
      count: 1000,
    },
    {
      stack: `runtime.goexit;${E35}etcdserver/api/v3rpc.(*watchServer).Watch.func1;${E35}etcdserver/api/v3rpc.(*serverWatchStream).sendLoop;runtime.selectgo;runtime.gopark`,
      count: 1000,
    },
    otherG(100),
  ]);

ruleTester('watchserver-recvloop-ctrlstream-leak', {
  fires: [
    {
      name: '3.5 member: 800 recvLoops blocked on the ctrlStream send',
      profiles: [recvLoopGoroutines(800)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.35', '3.5.17', '3.6.0']),
    },
  ],
  silent: [
    { name: 'recvLoops all waiting in RecvMsg (A without the chansend)', profiles: [recvLoopGoroutines(0)] },
    { name: 'a handful stuck (10)', profiles: [recvLoopGoroutines(10)] },
    {
      name: 'stated 3.5.17 (fixed)',
      profiles: [recvLoopGoroutines(800)],
      opts: { etcdVersion: '3.5.17' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// lease-renew-ensureleadership-cpu

const renew = `runtime.goexit;${E35}etcdserver/api/v3rpc.(*LeaseServer).LeaseKeepAlive.func1;${E35}etcdserver/api/v3rpc.(*LeaseServer).leaseKeepAlive;${E35}etcdserver.(*EtcdServer).LeaseRenew`;
const ensureCpu = (ensureSec: number, fixed = false) =>
  etcdCpu('3.5', [
    {
      stack: `${renew};${E35}etcdserver.(*EtcdServer).ensureLeadership;${E35}etcdserver.(*EtcdServer).linearizableReadNotify`,
      ns: ensureSec * SEC,
    },
    {
      stack: `runtime.goexit;${E35}etcdserver.(*EtcdServer).linearizableReadLoop;${E35}etcdserver.(*EtcdServer).requestCurrentIndex`,
      ns: 1 * SEC,
    },
    {
      stack: `runtime.goexit;go.etcd.io/etcd/raft/v3.(*node).run;go.etcd.io/etcd/raft/v3.(*raft).Step;go.etcd.io/etcd/raft/v3.stepLeader;go.etcd.io/etcd/raft/v3.(*raft).bcastHeartbeatWithCtx`,
      ns: 0.5 * SEC,
    },
    ...(fixed ? [{ stack: `${renew};${E35}etcdserver.(*EtcdServer).isActive`, ns: 0.1 * SEC }] : []),
    otherCpu(14 * SEC),
  ]);

ruleTester('lease-renew-ensureleadership-cpu', {
  fires: [
    {
      name: '3.5.13+ leader: 20% of CPU in ensureLeadership under LeaseRenew (issue #18069)',
      profiles: [ensureCpu(4)],
      check: (r, d) => {
        expect(r.process.role).toBe('leader');
        expect(d!.fixedIn).toEqual(['3.4.34', '3.5.16']);
      },
    },
  ],
  silent: [
    { name: 'ensureLeadership 1% of CPU', profiles: [ensureCpu(0.2)] },
    { name: 'the fix (isActive under LeaseRenew) is present', profiles: [ensureCpu(4, true)] },
    {
      // Debian's 3.5.16 (recorded: samples/etcd-3.5.16/lease-keepalive): isActive is inlined, so the
      // fixed ensureLeadership shows up with only the clock read and the logger under it
      name: '3.5.16 as recorded: ensureLeadership 6 % of CPU on its fast path, no linearizable read',
      profiles: [
        etcdCpu('3.5', [
          { stack: `${renew};${E35}etcdserver.(*EtcdServer).ensureLeadership;time.Now`, ns: 0.3 * SEC },
          {
            stack: `${renew};${E35}etcdserver.(*EtcdServer).ensureLeadership;${E35}etcdserver.(*EtcdServer).Logger`,
            ns: 0.1 * SEC,
          },
          { stack: `${renew};${E35}lease.(*lessor).Renew`, ns: 1 * SEC },
          otherCpu(5 * SEC),
        ]),
      ],
    },
    { name: 'stated 3.5.16 (fixed)', profiles: [ensureCpu(4)], opts: { etcdVersion: '3.5.16' }, ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// grpcproxy-cluster-monitor-busyloop

const monitor = `runtime.goexit;${E35}proxy/grpcproxy.(*clusterProxy).monitor`;
const monitorCpu = (sec: number) =>
  etcdCpu('3.5', [
    { stack: monitor, ns: sec * 0.3 * SEC },
    { stack: `${monitor};runtime.selectgo`, ns: sec * 0.5 * SEC },
    { stack: `${monitor};sync.(*Mutex).Lock`, ns: sec * 0.2 * SEC },
    { stack: `runtime.goexit;${E35}proxy/grpcproxy.(*kvProxy).Range`, ns: 2 * SEC },
    otherCpu(5 * SEC),
  ]);

ruleTester('grpcproxy-cluster-monitor-busyloop', {
  fires: [
    { name: 'grpc-proxy 3.5: the monitor loop takes most of the CPU', profiles: [monitorCpu(20)], minConfidence: 0.7 },
  ],
  silent: [
    { name: 'monitor 1% (normal watch processing)', profiles: [monitorCpu(0.1)] },
    { name: 'stated 3.5.20 (fixed)', profiles: [monitorCpu(20)], opts: { etcdVersion: '3.5.20' }, ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// auth-restore-tokenprovider-lease-leak

const revoke = `runtime.goexit;${E34}etcdserver.(*EtcdServer).run.func5;${E34}etcdserver.(*EtcdServer).LeaseRevoke`;
const authRevokeCpu = (withRevoke: boolean) =>
  etcdCpu('3.4', [
    ...(withRevoke
      ? [
          { stack: `${revoke};${E34}auth.(*authStore).WithRoot;${E34}auth.(*tokenSimple).assign`, ns: 1 * SEC },
          { stack: revoke, ns: 0.5 * SEC },
          {
            stack: `runtime.goexit;${E34}lease.(*lessor).runLoop;${E34}lease.(*lessor).revokeExpiredLeases`,
            ns: 0.5 * SEC,
          },
        ]
      : [
          {
            stack: `runtime.goexit;${E34}etcdserver.(*EtcdServer).Authenticate;${E34}auth.(*authStore).WithRoot`,
            ns: 1 * SEC,
          },
        ]),
    { stack: `runtime.goexit;${E34}lease.(*lessor).runLoop;${E34}lease.(*lessor).findExpiredLeases`, ns: 0.2 * SEC },
    otherCpu(12 * SEC),
  ]);

ruleTester('auth-restore-tokenprovider-lease-leak', {
  fires: [
    {
      name: '3.4 leader retrying lease revokes through the auth store',
      profiles: [authRevokeCpu(true)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.19', '3.5.5']),
    },
    {
      name: 'heap: leases piling up with the auth revoke path present',
      profiles: [
        etcdHeap('3.4', [
          {
            stack: `runtime.goexit;${E34}etcdserver.(*EtcdServer).applyEntryNormal;${E34}lease.(*lessor).Grant`,
            bytes: 300 * MB,
          },
          { stack: `${revoke};${E34}auth.(*authStore).WithRoot`, bytes: MB },
          other(400 * MB),
        ]),
      ],
    },
  ],
  silent: [
    { name: 'WithRoot without lease revocations (A without B)', profiles: [authRevokeCpu(false)] },
    {
      name: 'stated 3.4.19 (fixed)',
      profiles: [authRevokeCpu(true)],
      opts: { etcdVersion: '3.4.19' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// mvcc-watch-chanbuflen-1024

const chanHeap = (r: '3.3.14' | '3.4', p: string, mb: number) =>
  etcdHeap(r, [
    {
      stack: `runtime.goexit;${p}etcdserver/api/v3rpc.(*watchServer).Watch;${p}mvcc.(*watchableStore).NewWatchStream`,
      bytes: mb * MB,
    },
    other(500 * MB),
  ]);

ruleTester('mvcc-watch-chanbuflen-1024', {
  fires: [
    {
      name: '3.3.17 member with 8000 watch streams (400 MB of channels, issue #11906)',
      profiles: [chanHeap('3.3.14', E33, 400)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.3.23', '3.4.10', '3.5.0']),
    },
  ],
  silent: [
    { name: '30 MB of stream buffers', profiles: [chanHeap('3.4', E34, 30)] },
    {
      name: 'stated 3.4.10 (128-slot channels)',
      profiles: [chanHeap('3.4', E34, 400)],
      opts: { etcdVersion: '3.4.10' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// range-log-proto-size-alloc

const rangePath = `runtime.goexit;${GRPC}.(*Server).processUnaryRPC;${E34}etcdserver/api/v3rpc.(*kvServer).Range;${E34}etcdserver.(*EtcdServer).Range`;
const protoSizeAllocs = (underWarn: boolean) =>
  etcdHeap('3.4', [
    {
      stack: underWarn
        ? `${rangePath};${E34}etcdserver.(*EtcdServer).Range.func1;${E34}etcdserver.warnOfExpensiveReadOnlyRangeRequest;github.com/golang/protobuf/proto.Size;github.com/golang/protobuf/proto.Marshal;${E34}etcdserver/etcdserverpb.(*RangeResponse).Marshal`
        : `runtime.goexit;${GRPC}.(*serverStream).SendMsg;${E34}etcdserver/api/v3rpc.(*codec).Marshal;github.com/golang/protobuf/proto.Size;github.com/golang/protobuf/proto.Marshal`,
      bytes: 2 * GB,
    },
    {
      stack: `${rangePath};${E34}mvcc.(*storeTxnRead).rangeKeys;${E34}mvcc/mvccpb.(*KeyValue).Unmarshal`,
      bytes: 3 * GB,
    },
    other(GB),
  ]);

ruleTester('range-log-proto-size-alloc', {
  fires: [
    {
      name: '3.4 member: a third of allocations from proto.Size in the slow-request log (issue #12835)',
      profiles: [protoSizeAllocs(true)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.16', '3.5.0']),
    },
  ],
  silent: [
    {
      name: 'proto.Size on the normal response path (A not under the logging helper)',
      profiles: [protoSizeAllocs(false)],
    },
    {
      name: 'stated 3.4.16 (fixed)',
      profiles: [protoSizeAllocs(true)],
      opts: { etcdVersion: '3.4.16' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// backend-concurrent-readtx-buffer-copy

const copyStack = (p: string) =>
  `runtime.goexit;${p}etcdserver.(*EtcdServer).Range;${p}mvcc.(*store).Read;${p}mvcc/backend.(*backend).ConcurrentReadTx;${p}mvcc/backend.(*txReadBuffer).unsafeCopy;${p}mvcc/backend.(*bucketBuffer).Copy`;
const copyAllocs = (r: '3.4' | '3.5', p: string, mb: number) =>
  etcdHeap(r, [{ stack: copyStack(p), bytes: mb * MB }, other(1000 * MB)]);

ruleTester('backend-concurrent-readtx-buffer-copy', {
  fires: [
    {
      name: '3.4 member: per-read buffer copies are 60% of allocations',
      profiles: [copyAllocs('3.4', E34, 1500)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.24', '3.5.0']),
    },
    {
      name: 'CPU profile: 15% copying buffers',
      profiles: [etcdCpu('3.4', [{ stack: copyStack(E34), ns: 3 * SEC }, otherCpu(17 * SEC)])],
    },
  ],
  silent: [
    { name: 'copies are 5% of allocations', profiles: [copyAllocs('3.4', E34, 50)] },
    { name: 'etcd 3.5 (shared buffer): version', profiles: [copyAllocs('3.5', E35, 1500)], ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// mvcc-compact-restore-deadlock

const deadlockGoroutines = (withCompaction: boolean) =>
  etcdGoroutines('3.4', [
    {
      stack: `runtime.goexit;${E34}etcdserver.(*EtcdServer).run.func8;${E34}etcdserver.(*EtcdServer).applyAll;${E34}etcdserver.(*EtcdServer).applySnapshot;${E34}mvcc.(*watchableStore).Restore;${E34}mvcc.(*store).Restore;${E34}pkg/schedule.(*fifo).Stop;runtime.chanrecv1;runtime.chanrecv;runtime.gopark`,
      count: 1,
    },
    ...(withCompaction
      ? [
          {
            stack: `runtime.goexit;${E34}pkg/schedule.(*fifo).run;${E34}mvcc.(*store).compact.func1;${E34}mvcc.(*store).compactBarrier;sync.(*RWMutex).Lock;sync.runtime_SemacquireMutex;runtime.semacquire1;runtime.gopark`,
            count: 1,
          },
        ]
      : []),
    otherG(300),
  ]);

ruleTester('mvcc-compact-restore-deadlock', {
  fires: [
    {
      name: '3.4.7 member: Restore waits for the scheduler while the compaction waits for the lock',
      profiles: [deadlockGoroutines(true)],
      opts: { etcdVersion: '3.4.7' },
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.3.21', '3.4.8', '3.5.0']),
    },
  ],
  silent: [
    {
      name: 'a restore waiting for the scheduler, no compaction stuck (B without A)',
      profiles: [deadlockGoroutines(false)],
    },
    {
      name: 'stated 3.4.8 (fixed)',
      profiles: [deadlockGoroutines(true)],
      opts: { etcdVersion: '3.4.8' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// mvcc-index-compaction-blocking

const compactCpu = (r: '3.3.14' | '3.5', p: string, sec: number) =>
  etcdCpu(r, [
    {
      stack: `runtime.goexit;${p}etcdserver.(*applierV3backend).Compaction;${p}mvcc.(*store).Compact;${p}mvcc.(*store).compact;${p}mvcc.(*treeIndex).Compact;${p}mvcc.(*treeIndex).Compact.func1;${p}mvcc.(*keyIndex).compact`,
      ns: sec * SEC,
    },
    otherCpu(16 * SEC),
  ]);

ruleTester('mvcc-index-compaction-blocking', {
  fires: [
    {
      name: '3.3 member compacting millions of keys: 20% of CPU in treeIndex.Compact',
      profiles: [compactCpu('3.3.14', E33, 4)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.7', '3.5.0']),
    },
  ],
  silent: [
    { name: 'a small compaction (3%)', profiles: [compactCpu('3.3.14', E33, 0.5)] },
    { name: 'etcd 3.5: version', profiles: [compactCpu('3.5', E35, 4)], ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// lease-expiry-linear-scan-cpu

const expiryCpu = (r: '3.2' | '3.4', p: string, sec: number, heap34 = false) =>
  etcdCpu(r, [
    { stack: `runtime.goexit;${p}lease.(*lessor).runLoop;${p}lease.(*lessor).findExpiredLeases`, ns: sec * 0.4 * SEC },
    heap34
      ? {
          stack: `runtime.goexit;${p}lease.(*lessor).runLoop;${p}lease.(*lessor).findExpiredLeases;${p}lease.(*lessor).expireExists`,
          ns: sec * 0.6 * SEC,
        }
      : {
          stack: `runtime.goexit;${p}lease.(*lessor).runLoop;${p}lease.(*lessor).findExpiredLeases;runtime.mapiternext`,
          ns: sec * 0.6 * SEC,
        },
    otherCpu(16 * SEC),
  ]);

ruleTester('lease-expiry-linear-scan-cpu', {
  fires: [
    {
      name: '3.2 leader with many leases: 20% of CPU scanning the lease map',
      profiles: [expiryCpu('3.2', E32, 4)],
      check: (r, d) => {
        expect(r.process.role).toBe('leader');
        expect(d!.fixedIn).toEqual(['3.4.0']);
      },
    },
  ],
  silent: [
    { name: 'a 3.2 leader scanning for 2% of CPU', profiles: [expiryCpu('3.2', E32, 0.4)] },
    { name: '3.4 lessor (expiry heap, no map iteration)', profiles: [expiryCpu('3.4', E34, 4, true)] },
  ],
});

// ---------------------------------------------------------------------------------------------
// auth-checkpassword-bcrypt-under-lock

const bcrypt =
  'golang.org/x/crypto/bcrypt.CompareHashAndPassword;golang.org/x/crypto/bcrypt.bcrypt;golang.org/x/crypto/bcrypt.expensiveBlowfishSetup;golang.org/x/crypto/blowfish.ExpandKey';
const authCpu = (underCheck: boolean) =>
  etcdCpu('3.4', [
    {
      stack: underCheck
        ? `runtime.goexit;${GRPC}.(*Server).processUnaryRPC;${E34}etcdserver.(*EtcdServer).Authenticate;${E34}auth.(*authStore).CheckPassword;${bcrypt}`
        : `runtime.goexit;example.com/sidecar.(*users).verify;${bcrypt}`,
      ns: 8 * SEC,
    },
    otherCpu(12 * SEC),
  ]);

ruleTester('auth-checkpassword-bcrypt-under-lock', {
  fires: [
    {
      name: '3.4.8 member: 40% of CPU in bcrypt inside CheckPassword (Authenticate storm)',
      profiles: [authCpu(true)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.9', '3.5.0']),
    },
    {
      name: 'goroutines: writers queued on the batch-tx lock while a password check runs',
      profiles: [
        etcdGoroutines('3.4', [
          {
            stack: `runtime.goexit;${E34}etcdserver.(*EtcdServer).run.func8;${E34}etcdserver.(*applierV3backend).Put;${E34}mvcc/backend.(*batchTx).Lock;sync.(*Mutex).Lock;sync.runtime_SemacquireMutex;runtime.gopark`,
            count: 300,
          },
          {
            stack: `runtime.goexit;${GRPC}.(*Server).processUnaryRPC;${E34}etcdserver.(*EtcdServer).Authenticate;${E34}auth.(*authStore).CheckPassword;${bcrypt}`,
            count: 1,
          },
          otherG(200),
        ]),
      ],
    },
  ],
  silent: [
    { name: 'bcrypt in unrelated code, not under CheckPassword', profiles: [authCpu(false)] },
    { name: 'stated 3.4.9 (fixed)', profiles: [authCpu(true)], opts: { etcdVersion: '3.4.9' }, ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// grpc-http2-rapid-reset

const unary = `runtime.goexit;${GRPC}.(*Server).serveStreams.func1.2;${GRPC}.(*Server).handleStream;${GRPC}.(*Server).processUnaryRPC;${E34}etcdserver/api/v3rpc.(*kvServer).Range;runtime.gopark`;
const watchH = `runtime.goexit;${GRPC}.(*Server).serveStreams.func1.2;${GRPC}.(*Server).handleStream;${GRPC}.(*Server).processStreamingRPC;${E34}etcdserver/api/v3rpc.(*watchServer).Watch;runtime.gopark`;
const resetGoroutines = (unaryN: number, watchN: number) =>
  etcdGoroutines('3.4', [
    { stack: unary, count: unaryN },
    ...(watchN ? [{ stack: watchH, count: watchN }] : []),
    otherG(500),
  ]);

ruleTester('grpc-http2-rapid-reset', {
  fires: [
    {
      name: '3.4.27 member with 20 000 concurrent unary handlers',
      profiles: [resetGoroutines(20000, 0)],
      opts: { etcdVersion: '3.4.27' },
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.28', '3.5.10']),
    },
  ],
  silent: [
    { name: '300 handlers (busy but sane)', profiles: [resetGoroutines(300, 0)], opts: { etcdVersion: '3.4.27' } },
    {
      name: 'mostly long-lived watch handlers: excluded',
      profiles: [resetGoroutines(12000, 15000)],
      opts: { etcdVersion: '3.4.27' },
      ruledOut: 'exclusion',
    },
    {
      name: 'stated 3.4.28 (grpc-go 1.58.3)',
      profiles: [resetGoroutines(20000, 0)],
      opts: { etcdVersion: '3.4.28' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// fdusage-readdir-cpu

const fdCpu = (sec: number) =>
  etcdCpu('3.3.14', [
    {
      stack: `runtime.goexit;${E33}etcdserver.monitorFileDescriptor;${E33}pkg/runtime.FDUsage;io/ioutil.ReadDir;os.(*File).Readdir;os.Lstat;os.lstat;syscall.Lstat`,
      ns: sec * 0.8 * SEC,
    },
    {
      stack: `runtime.goexit;${E33}etcdserver.monitorFileDescriptor;${E33}pkg/runtime.FDUsage;io/ioutil.ReadDir;sort.Sort`,
      ns: sec * 0.2 * SEC,
    },
    otherCpu(18 * SEC),
  ]);

ruleTester('fdusage-readdir-cpu', {
  fires: [
    {
      name: '3.3 member with tens of thousands of fds: 7% of CPU listing /proc/self/fd',
      profiles: [fdCpu(1.5)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.2.31', '3.3.23', '3.4.10', '3.5.0']),
    },
  ],
  silent: [
    { name: 'a few fds (1%)', profiles: [fdCpu(0.2)] },
    {
      name: 'stated 3.3.23 (every 10 minutes)',
      profiles: [fdCpu(1.5)],
      opts: { etcdVersion: '3.3.23' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// raft-committed-entries-unpaginated

const nextEntsHeap = (r: '3.2' | '3.4', p: string, mb: number) =>
  etcdHeap(r, [
    {
      stack: `runtime.goexit;${p}raft.(*node).run;${p}raft.newReady;${p}raft.(*raftLog).nextEnts;${p}raft.(*raftLog).slice`,
      bytes: mb * MB,
    },
    other(700 * MB),
  ]);

ruleTester('raft-committed-entries-unpaginated', {
  fires: [
    {
      name: '3.2 member after restart: 300 MB slice of committed entries',
      profiles: [nextEntsHeap('3.2', E32, 300)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.0']),
    },
  ],
  silent: [
    { name: '20 MB of pending entries', profiles: [nextEntsHeap('3.2', E32, 20)] },
    { name: 'etcd 3.4 (paginated): version', profiles: [nextEntsHeap('3.4', E34, 300)], ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// compaction-ticker-latency

const tickerCpu = etcdCpu('3.5', [
  { stack: `runtime.goexit;${E35}mvcc.(*store).compact.func1;${E35}mvcc.(*store).scheduleCompaction`, ns: 1 * SEC },
  {
    stack: `runtime.goexit;${E35}mvcc.(*store).compact.func1;${E35}mvcc.(*store).scheduleCompaction;${E35}mvcc/backend.(*batchTxBuffered).UnsafeDelete;go.etcd.io/bbolt.(*Cursor).Delete`,
    ns: 3 * SEC,
  },
  otherCpu(16 * SEC),
]);

ruleTester('compaction-ticker-latency', {
  fires: [
    {
      name: 'stated 3.5.17: compaction burst takes 20% of CPU',
      profiles: [tickerCpu],
      opts: { etcdVersion: '3.5.17' },
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.5.19']),
    },
    {
      name: 'block profile: writers waiting for the batch-tx lock during compaction',
      profiles: [
        buildProfile(
          [
            {
              stack: `runtime.goexit;${E35}etcdserver.(*applierV3backend).Put;${E35}mvcc/backend.(*batchTx).Lock;sync.(*Mutex).Lock`,
              value: [500, 40 * SEC],
            },
            {
              stack: `runtime.goexit;${E35}mvcc.(*store).compact.func1;${E35}mvcc.(*store).scheduleCompaction;sync.(*Mutex).Lock`,
              value: [5, 1 * SEC],
            },
            { stack: `runtime.goexit;${E35}etcdserver.(*EtcdServer).run;runtime.selectgo`, value: [100, 20 * SEC] },
          ],
          { sampleTypes: CONTENTION_TYPES, path: 'block.pb.gz', mappingFile: '/usr/local/bin/etcd' },
        ),
      ],
      opts: { etcdVersion: '3.5.18' },
    },
  ],
  silent: [
    {
      name: '3.5 of unknown patch level: the rule needs the version (compaction CPU alone is normal)',
      profiles: [tickerCpu],
      ruledOut: 'insufficient',
    },
    { name: 'stated 3.5.19 (fixed)', profiles: [tickerCpu], opts: { etcdVersion: '3.5.19' }, ruledOut: 'version' },
  ],
});

// ---------------------------------------------------------------------------------------------
// http2-priority-scheduler-watch-starvation

const h2 = `runtime.goexit;net/http.(*http2serverConn).serve;net/http.(*http2serverConn).scheduleFrameWrite`;
const schedCpu = (popSec: number) =>
  etcdCpu('3.4', [
    { stack: `${h2};net/http.(*http2priorityWriteScheduler).Pop`, ns: popSec * SEC },
    {
      stack: `runtime.goexit;${E34}etcdserver/api/v3rpc.(*watchServer).Watch.func1;${E34}etcdserver/api/v3rpc.(*serverWatchStream).sendLoop;${GRPC}.(*serverStream).SendMsg;${GRPC}/internal/transport.(*serverHandlerTransport).Write`,
      ns: 2 * SEC,
    },
    otherCpu(15 * SEC),
  ]);

ruleTester('http2-priority-scheduler-watch-starvation', {
  fires: [
    {
      name: '3.4 member on a TLS port: 8% of CPU in the priority write scheduler with busy watches',
      profiles: [schedCpu(1.5)],
      check: (_r, d) => expect(d!.fixedIn).toEqual(['3.4.25', '3.5.8']),
    },
  ],
  silent: [
    { name: 'scheduler at 1%', profiles: [schedCpu(0.15)] },
    {
      name: 'stated 3.4.25 (random scheduler)',
      profiles: [schedCpu(1.5)],
      opts: { etcdVersion: '3.4.25' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// auth-simple-token-map-growth

const keeperCpu = (sec: number) =>
  etcdCpu('3.5', [
    { stack: `runtime.goexit;${E35}auth.(*simpleTokenTTLKeeper).run`, ns: sec * 0.4 * SEC },
    { stack: `runtime.goexit;${E35}auth.(*simpleTokenTTLKeeper).run;runtime.mapiternext`, ns: sec * 0.6 * SEC },
    otherCpu(15 * SEC),
  ]);

ruleTester('auth-simple-token-map-growth', {
  fires: [
    { name: '3.5 member: 40% of CPU in the simple-token keeper', profiles: [keeperCpu(10)] },
    {
      name: 'heap: 300 MB of simple tokens',
      profiles: [
        etcdHeap('3.5', [
          {
            stack: `runtime.goexit;${E35}etcdserver.(*applierV3backend).Authenticate;${E35}auth.(*tokenSimple).assign;${E35}auth.(*tokenSimple).assignSimpleTokenToUser;${E35}auth.(*simpleTokenTTLKeeper).addSimpleToken`,
            bytes: 300 * MB,
          },
          other(500 * MB),
        ]),
      ],
    },
  ],
  silent: [{ name: 'keeper at 2% of CPU (few tokens)', profiles: [keeperCpu(0.3)] }],
});

// ---------------------------------------------------------------------------------------------
// bbolt-nofreelistsync-open-scan

const openScanCpu = (r: '3.2' | '3.4', p: string, bolt: string, sec: number) =>
  etcdCpu(r, [
    {
      stack: `runtime.main;main.main;${p}etcdmain.Main;${p}etcdmain.startEtcd;${p}embed.StartEtcd;${p}etcdserver.NewServer;${p}mvcc/backend.New;${p}mvcc/backend.newBackend;${bolt}.Open;${bolt}.(*DB).loadFreelist;${bolt}.(*DB).freepages;${bolt}.(*Tx).forEachPage`,
      ns: sec * SEC,
    },
    otherCpu(6 * SEC),
  ]);

ruleTester('bbolt-nofreelistsync-open-scan', {
  fires: [
    {
      name: '3.4 member starting on a 6 GB db: 60% of CPU rebuilding the freelist',
      profiles: [openScanCpu('3.4', E34, 'go.etcd.io/bbolt', 9)],
    },
  ],
  silent: [
    { name: 'a small db (the scan is 5%)', profiles: [openScanCpu('3.4', E34, 'go.etcd.io/bbolt', 0.3)] },
    {
      name: 'stated 3.2.32 (freelist persisted, before NoFreelistSync)',
      profiles: [openScanCpu('3.2', E32, 'github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt', 9)],
      opts: { etcdVersion: '3.2.32' },
      ruledOut: 'version',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// grpc-metadata-string-watch-streams

const C35 = 'go.etcd.io/etcd/client/v3';
const clientWatchHeap = (withMdString: boolean) =>
  heapProfile(
    [
      ...clientBaseStacks(C35).map((stack) => ({ stack, bytes: 50 * MB })),
      {
        stack: `runtime.goexit;example.com/svc/app.(*Informer).run;${C35}.(*watcher).Watch;${C35}.(*watcher).newWatcherGrpcStream`,
        bytes: 200 * MB,
      },
      {
        stack: withMdString
          ? `runtime.goexit;example.com/svc/app.(*Informer).run;${C35}.(*watcher).Watch;${C35}.streamKeyFromCtx;fmt.Sprintf;fmt.(*pp).doPrintf;fmt.(*pp).handleMethods;${GRPC}/metadata.MD.String`
          : `runtime.goexit;example.com/svc/app.(*Informer).run;${C35}.(*watcher).Watch;${C35}.streamKeyFromCtx;fmt.Sprintf`,
        bytes: 30 * MB,
      },
    ],
    { mappingFile: '/usr/local/bin/kube-apiserver' },
  );

ruleTester('grpc-metadata-string-watch-streams', {
  fires: [
    {
      name: 'client built with grpc-go 1.64: a new watch stream per call, keys via MD.String',
      profiles: [clientWatchHeap(true)],
      check: (r, d) => {
        expect(r.process.kind).toBe('etcd-client');
        expect(d!.fixedIn).toEqual(['3.4.34', '3.5.15', '3.6.0']);
      },
    },
    {
      name: 'CPU: stream keys formatted through MD.String',
      profiles: [
        cpuProfile([
          ...clientBaseStacks(C35).map((stack) => ({ stack, ns: 1 * SEC })),
          {
            stack: `runtime.goexit;example.com/svc/app.(*Informer).run;${C35}.(*watcher).Watch;${C35}.streamKeyFromCtx;fmt.Sprintf;${GRPC}/metadata.MD.String`,
            ns: 0.5 * SEC,
          },
          {
            stack: `runtime.goexit;example.com/svc/app.(*Informer).run;${C35}.(*watcher).Watch;${C35}.(*watcher).newWatcherGrpcStream`,
            ns: 1 * SEC,
          },
          otherCpu(10 * SEC),
        ]),
      ],
    },
  ],
  silent: [
    { name: 'the same growth without MD.String (older grpc-go: another cause)', profiles: [clientWatchHeap(false)] },
    {
      name: 'stated client 3.5.15 (fixed)',
      profiles: [clientWatchHeap(true)],
      opts: { etcdVersion: '3.5.15' },
      ruledOut: 'version',
    },
  ],
});
