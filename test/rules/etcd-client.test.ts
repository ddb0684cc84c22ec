/** Rules under rules/etcd-client/: firing cases and honest near misses. */
import { expect } from 'vitest';
import { clientBaseStacks, E34, etcdHeap, MB } from '../helpers/etcd-frames.js';
import { goroutineProfile, heapProfile } from '../helpers/profile-builder.js';
import { ruleTester } from '../helpers/rule-tester.js';

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
