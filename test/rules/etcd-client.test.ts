/** Rules under rules/etcd-client/: firing cases and honest near misses. */
import { expect } from 'vitest';
import { loadProfile } from '../../src/input/load.js';
import { clientBaseStacks, E34, etcdHeap, MB } from '../helpers/etcd-frames.js';
import { goroutineProfile, heapProfile } from '../helpers/profile-builder.js';
import { ruleTester } from '../helpers/rule-tester.js';

// Recorded client applications (scripts/collect/clients/record.sh): 5,000 watchers held and read;
// goroutine?debug=1 leaves out the leading runtime frames (runtime.chanrecv2 of the readers).
const READ_WATCHERS = 'samples/clients/etcd-client-3.4/many-watchers';
const readProto = { profile: await loadProfile(`${READ_WATCHERS}/goroutine.pb.gz`), name: 'goroutine.pb.gz' };
const readDebug1 = {
  profile: await loadProfile(`${READ_WATCHERS}/goroutine.debug1.txt`),
  name: 'goroutine.debug1.txt',
};

// ---------------------------------------------------------------------------------------------
// clientv3-watch-stream-leak

const leakHeap = (pkg: string, share: number, extra: string[] = []) =>
  heapProfile([
    ...clientBaseStacks(pkg).map((stack) => ({ stack, bytes: MB })),
    {
      stack: `runtime.goexit;example.com/svc/app.(*Locker).loop;${pkg}.(*watcher).Watch;${pkg}.(*watcher).newWatcherGrpcStream;runtime.makechan`,
      bytes: share * 600 * MB,
    },
    {
      stack: `runtime.goexit;example.com/svc/app.(*Locker).loop;${pkg}.(*watcher).Watch;fmt.Sprintf;fmt.(*pp).handleMethods;context.(*timerCtx).String`,
      bytes: share * 86 * MB,
    },
    { stack: 'runtime.goexit;example.com/svc/app.cache', bytes: (1 - share) * 700 * MB },
    ...extra.map((stack) => ({ stack, bytes: MB })),
  ]);

const streamGoroutines = (pkg: string, n: number) =>
  goroutineProfile([
    ...clientBaseStacks(pkg).map((stack) => ({ stack, count: 1 })),
    { stack: `runtime.goexit;${pkg}.(*watchGrpcStream).run;runtime.selectgo;runtime.gopark`, count: n },
    {
      stack: `runtime.goexit;${pkg}.(*watchGrpcStream).serveWatchClient;google.golang.org/grpc/transport.(*recvBufferReader).Read;runtime.gopark`,
      count: n,
    },
    { stack: 'runtime.goexit;example.com/svc/app.worker;runtime.gopark', count: 50 },
  ]);

ruleTester('clientv3-watch-stream-leak', {
  fires: [
    {
      name: 'client 3.1 heap: newWatcherGrpcStream and fmt.Sprintf under Watch (seed 002)',
      profiles: [leakHeap('github.com/coreos/etcd/clientv3', 0.8)],
      minConfidence: 0.6,
      check: (r, d) => {
        expect(r.process.kind).toBe('etcd-client');
        expect(d!.fixedIn).toEqual(['3.2.10', '3.3.0']);
        expect(d!.versionNote).toMatch(/3\.2\.20/);
        expect(d!.evidence.some((e) => e.role === 'support' && e.under?.[0] === '{clientv3}.(*watcher).Watch')).toBe(
          true,
        );
      },
    },
    {
      name: 'stated client 3.1.3: version agrees',
      profiles: [leakHeap('github.com/coreos/etcd/clientv3', 0.8)],
      opts: { etcdVersion: '3.1.3' },
      check: (_r, d) => expect(d!.confidenceFactors.some((f) => f.factor === 'version' && f.delta > 0)).toBe(true),
    },
    {
      name: 'clientv3 vendored in kube-apiserver (k8s.io/kubernetes/vendor/...)',
      profiles: [leakHeap('k8s.io/kubernetes/vendor/github.com/coreos/etcd/clientv3', 0.8)],
      check: (r) => expect(r.process.flavor).toBe('kubernetes'),
    },
    {
      name: 'goroutine profile: 500 leaked streams',
      profiles: [streamGoroutines('github.com/coreos/etcd/clientv3', 500)],
      check: (_r, d) => expect(d!.models[0]!.measured).toBe(500),
    },
  ],
  silent: [
    {
      name: 'newWatcherGrpcStream under 10% of the heap',
      profiles: [leakHeap('github.com/coreos/etcd/clientv3', 0.05)],
    },
    { name: '50 watch streams', profiles: [streamGoroutines('github.com/coreos/etcd/clientv3', 50)] },
    {
      name: 'client ≥ 3.2.10 (streamKeyFromCtx in the profile): version',
      profiles: [
        leakHeap('github.com/coreos/etcd/clientv3', 0.8, [
          'runtime.goexit;github.com/coreos/etcd/clientv3.(*watcher).Watch;github.com/coreos/etcd/clientv3.streamKeyFromCtx',
        ]),
      ],
      ruledOut: 'version',
    },
    {
      name: 'client/v3 of etcd 3.5: version',
      profiles: [leakHeap('go.etcd.io/etcd/client/v3', 0.8)],
      ruledOut: 'version',
    },
    {
      name: 'the clientv3 frames inside an etcd server process: wrong process',
      profiles: [
        etcdHeap('3.4', [
          {
            stack: `runtime.goexit;${E34}clientv3.(*watcher).Watch;${E34}clientv3.(*watcher).newWatcherGrpcStream`,
            bytes: 500 * MB,
          },
          { stack: 'runtime.goexit;other.work', bytes: 300 * MB },
        ]),
      ],
      ruledOut: 'process',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// clientv3-watcher-leak and clientv3-many-watchers (clientv3 3.2.10+: one substream per Watch)

const C35 = 'go.etcd.io/etcd/client/v3';
const C34 = 'go.etcd.io/etcd/clientv3';
/** pb: the api prefix of 3.5 (`go.etcd.io/etcd/api`), or '' for 3.4's etcdserver/etcdserverpb and mvcc/mvccpb. */
const recvEvents = (pkg: string, pb: string) => {
  const spb = pb ? `${pb}/etcdserverpb` : 'go.etcd.io/etcd/etcdserver/etcdserverpb';
  const mpb = pb ? `${pb}/mvccpb` : 'go.etcd.io/etcd/mvcc/mvccpb';
  return `runtime.goexit;${pkg}.(*watchGrpcStream).serveWatchClient;${spb}.(*watchWatchClient).Recv;google.golang.org/grpc.(*clientStream).RecvMsg;${spb}.(*WatchResponse).Unmarshal;${mpb}.(*Event).Unmarshal;${mpb}.(*KeyValue).Unmarshal`;
};
const substreams = (pkg: string, n: number) => ({
  stack: `runtime.goexit;${pkg}.(*watchGrpcStream).serveSubstream;runtime.selectgo;runtime.gopark`,
  count: n,
});
const consumers = (n: number) => ({
  stack: 'runtime.goexit;example.com/svc/app.consume;runtime.chanrecv2;runtime.chanrecv;runtime.gopark',
  count: n,
});
const clientGoroutines = (pkg: string, stacks: { stack: string; count: number }[]) =>
  goroutineProfile([...clientBaseStacks(pkg).map((stack) => ({ stack, count: 1 })), ...stacks]);
const clientHeap = (pkg: string, stacks: { stack: string; bytes: number }[]) =>
  heapProfile([...clientBaseStacks(pkg).map((stack) => ({ stack, bytes: MB })), ...stacks]);

ruleTester('clientv3-watcher-leak', {
  fires: [
    {
      name: 'client 3.5 (as recorded): 611 substreams of 626 goroutines, unread events 59 % of the heap',
      profiles: [
        clientGoroutines(C35, [
          substreams(C35, 611),
          { stack: 'runtime.goexit;example.com/svc/app.worker', count: 13 },
        ]),
        clientHeap(C35, [
          { stack: recvEvents(C35, 'go.etcd.io/etcd/api'), bytes: 5.5 * MB },
          {
            stack: `runtime.goexit;${C35}.(*watchGrpcStream).run;${C35}.(*watchGrpcStream).dispatchEvent`,
            bytes: 0.5 * MB,
          },
        ]),
      ],
      minConfidence: 0.8,
      check: (r) => expect(r.process.kind).toBe('etcd-client'),
    },
    {
      name: 'client 3.4 paths, heap only',
      profiles: [clientHeap(C34, [{ stack: recvEvents(C34, ''), bytes: 7.5 * MB }])],
    },
    {
      name: 'goroutine?debug=1 alone of 5,000 read watchers (recorded): the readers cannot be seen, so it fires, unverified and after clientv3-many-watchers',
      profiles: [readDebug1],
      maxConfidence: 0.55,
      check: (r, d) => {
        expect(d!.confidenceFactors.find((f) => f.factor === 'unverified')!.why).toMatch(/debug=1 text hides/);
        expect(r.diagnoses[0]!.id).toBe('clientv3-many-watchers');
      },
    },
  ],
  silent: [
    {
      name: 'near miss: 5,000 watchers that are read (as many goroutines receiving from the watch channels)',
      profiles: [clientGoroutines(C35, [substreams(C35, 5000), consumers(5000)])],
      ruledOut: 'exclusion',
    },
    {
      name: 'near miss: events are decoded but not held (8 % of the heap)',
      profiles: [
        clientHeap(C35, [
          { stack: recvEvents(C35, 'go.etcd.io/etcd/api'), bytes: 1 * MB },
          { stack: 'runtime.goexit;example.com/svc/app.cache', bytes: 10 * MB },
        ]),
      ],
    },
    {
      name: 'near miss: 50 watchers',
      profiles: [clientGoroutines(C35, [substreams(C35, 50)])],
    },
    {
      name: 'goroutine.pb.gz and goroutine?debug=1 of 5,000 read watchers (recorded): the proto shows the readers and rules it out for both',
      profiles: [readDebug1, readProto],
      ruledOut: 'exclusion',
    },
  ],
});

ruleTester('clientv3-many-watchers', {
  fires: [
    {
      name: 'client 3.5 (as recorded): 5,000 substreams and 5,000 consumers',
      profiles: [clientGoroutines(C35, [substreams(C35, 5000), consumers(5000)])],
      check: (r) => expect(r.diagnoses[0]!.id).toBe('clientv3-many-watchers'),
    },
    {
      name: "client 3.4 heap: the watch streams' substreams 40 % of the heap",
      profiles: [
        clientHeap(C34, [
          { stack: `runtime.goexit;${C34}.(*watchGrpcStream).run;runtime.makechan`, bytes: 4.6 * MB },
          { stack: 'runtime.goexit;runtime.newproc1;runtime.malg', bytes: 3.5 * MB },
          { stack: 'runtime.goexit;example.com/svc/app.cache', bytes: 3 * MB },
        ]),
      ],
    },
  ],
  silent: [
    {
      name: 'near miss: 600 watchers',
      profiles: [clientGoroutines(C35, [substreams(C35, 600), consumers(600)])],
    },
    {
      name: 'near miss: the heap is full of unread events (a leak, not many read watchers)',
      profiles: [
        clientHeap(C35, [
          { stack: `runtime.goexit;${C35}.(*watchGrpcStream).run;runtime.makechan`, bytes: 4 * MB },
          { stack: recvEvents(C35, 'go.etcd.io/etcd/api'), bytes: 6 * MB },
        ]),
      ],
      ruledOut: 'exclusion',
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// clientv3-many-keepalives

const keepAliveGoroutines = (n: number) =>
  clientGoroutines(C35, [
    {
      stack: `runtime.goexit;example.com/svc/app.hold.func1;${C35}.(*lessor).keepAliveCtxCloser;runtime.selectgo;runtime.gopark`,
      count: n,
    },
    { stack: 'runtime.goexit;example.com/svc/app.hold.func2;runtime.chanrecv2;runtime.gopark', count: n },
  ]);

ruleTester('clientv3-many-keepalives', {
  fires: [
    {
      name: 'client 3.5 (as recorded): 19,957 leases kept alive one by one',
      profiles: [keepAliveGoroutines(19957)],
      check: (r) => expect(r.process.kind).toBe('etcd-client'),
    },
    {
      name: 'heap: KeepAlive records 33 % of the heap',
      profiles: [
        clientHeap(C35, [
          { stack: `runtime.goexit;example.com/svc/app.hold;${C35}.(*lessor).KeepAlive`, bytes: 12.8 * MB },
          { stack: 'runtime.goexit;runtime.newproc1;runtime.malg', bytes: 10.7 * MB },
          { stack: 'runtime.goexit;example.com/svc/app.cache', bytes: 14 * MB },
        ]),
      ],
    },
  ],
  silent: [
    { name: 'near miss: 50 leases kept alive', profiles: [keepAliveGoroutines(50)] },
    {
      name: 'near miss: KeepAlive records 5 % of the heap',
      profiles: [
        clientHeap(C35, [
          { stack: `runtime.goexit;example.com/svc/app.hold;${C35}.(*lessor).KeepAlive`, bytes: 1 * MB },
          { stack: 'runtime.goexit;example.com/svc/app.cache', bytes: 19 * MB },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// clientv3-unclosed-clients: recorded (samples/heldout/3.5.30-client35-unclosed-clients: 10 new
// clients a second, never closed, 70 s) and recorded applications that share one client.

const UNCLOSED = 'samples/heldout/3.5.30-client35-unclosed-clients';
const rec = async (f: string) => ({ profile: await loadProfile(f), name: f });

ruleTester('clientv3-unclosed-clients', {
  fires: [
    {
      name: 'goroutine profile (recorded): 693 gRPC connection readers; the pile-up of their goroutines is shown under it',
      profiles: [await rec(`${UNCLOSED}/goroutine.pb.gz`)],
      minConfidence: 0.8,
      check: (r, d) => {
        expect(r.diagnoses[0]!.id).toBe('clientv3-unclosed-clients');
        expect(d!.evidence.find((e) => e.role === 'require')!.cum).toBeGreaterThanOrEqual(600);
        // the generic finding on the ClientConn goroutines is its consequence
        expect(r.diagnoses.find((x) => x.id === 'goroutine-pileup')?.explainedBy).toBe('clientv3-unclosed-clients');
      },
    },
    {
      name: 'heap profile (recorded): clients created and still referenced hold 91 % of the heap (81 MB)',
      profiles: [await rec(`${UNCLOSED}/heap.pb.gz`)],
      check: (_r, d) => expect(d!.firedOn[0]!.sampleType).toBe('inuse_space'),
    },
  ],
  silent: [
    {
      name: 'near miss (built): 40 gRPC connections (an application talking to many clusters, or a pool)',
      profiles: [
        clientGoroutines(C35, [
          {
            stack:
              'runtime.goexit;google.golang.org/grpc/internal/transport.NewHTTP2Client.func6;google.golang.org/grpc/internal/transport.(*http2Client).reader',
            count: 40,
          },
        ]),
      ],
    },
    ...(await Promise.all(
      [
        'samples/clients/etcd-client-3.5/many-watchers',
        'samples/clients/etcd-client-3.5/keepalive',
        'samples/clients/etcd-client-3.4/watch-leak',
        'samples/heldout/3.5.30-client34-many-watchers-2k',
      ].map(async (dir) => ({
        name: `near miss (recorded): ${dir}, one shared client (one connection; creating it 0.75–1.3 MB of heap)`,
        profiles: [await rec(`${dir}/goroutine.pb.gz`), await rec(`${dir}/heap.pb.gz`)],
      })),
    )),
  ],
});
