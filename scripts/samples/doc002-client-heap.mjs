// Heap profile (inuse_space) of the client application of document 002: a service using the etcd
// v3 client 3.1.3 takes and releases locks in a loop with deadline contexts; its memory goes from
// ~100 MB at start to "over 1 GB", newWatcherGrpcStream is the biggest grower and fmt.Sprintf under
// it holds 86.01 MB (the document shows pprof screenshots, not a table).
//
// What we rebuilt: every Watch call formats its context with fmt.Sprintf("%v", ctx) to find a cached
// watch stream; a deadline context prints its remaining time, so the lookup never hits, a new
// watchGrpcStream (struct, channels, substream map, derived context, key string) is created and
// stored in w.streams, and closeStream later deletes under a different key — nothing is freed.
// Sizes per leaked stream follow from Go's object sizes: a ~110-character key (112-byte size class,
// as in the document's printed keys), the stream struct plus five channels and a map header, the
// cancelCtx and the parent's children map. 86.01 MB / 112 B ≈ 805 000 leaked streams.
//
// Invented for the rebuild (the document does not show them): the application frames
// (`main.foo.func1` follows the document's demo; `example.com/app/lock` stands for its lock
// package), the application's other memory, and the Go version (runtime allocator frames hidden,
// as Go ≥1.9 writes heap profiles).

import { HeapStacks } from './frames.mjs';
import { MiB } from './lib.mjs';

const C = 'github.com/coreos/etcd/clientv3';

export const fixture = undefined;

export function build() {
  const h = new HeapStacks();
  const MB = (x) => Math.round(x * MiB);
  const lock = 'runtime.goexit;main.foo.func1;example.com/app/lock.(*etcdLocker).Trylock';
  const watch = `${lock};${C}/concurrency.(*Mutex).Lock;${C}/concurrency.waitDeletes;${C}/concurrency.waitDelete;${C}.(*watcher).Watch`;
  const nw = `${watch};${C}.(*watcher).newWatcherGrpcStream`;
  // The leak.
  h.add(nw, MB(602.4), 130, 1.02);
  h.add(`${nw};fmt.Sprintf`, MB(86.01), 112, 2.6);
  h.add(`${nw};context.WithCancel`, MB(49.12), 64, 1.02);
  h.add(`${nw};context.WithCancel;context.propagateCancel`, MB(110.5), 144, 1.02);
  h.add(watch, MB(30.2), 4096, 2.2);
  h.add(`${watch};fmt.Sprintf`, MB(85.97), 112, 2.6);
  // The lock library's deadline contexts stay reachable from the leaked streams.
  h.add(`${lock};context.WithTimeout;context.WithDeadline`, MB(88.1), 112, 1.02);
  h.add(`${lock};context.WithTimeout;context.WithDeadline;time.AfterFunc`, MB(70.4), 88, 1.02);
  // Streams currently open (one per lock attempt in flight).
  const run = `runtime.goexit;${C}.(*watchGrpcStream).run;${C}.(*watchGrpcStream).newWatchClient;${C}.(*watchGrpcStream).openWatchClient;github.com/coreos/etcd/etcdserver/etcdserverpb.(*watchClient).Watch`;
  h.add(`${run};google.golang.org/grpc.NewClientStream`, MB(6), 1024, 40);
  h.add(
    `${run};google.golang.org/grpc.NewClientStream;google.golang.org/grpc/transport.(*http2Client).NewStream`,
    MB(4),
    512,
    40,
  );
  h.add(`runtime.goexit;${C}.(*watchGrpcStream).run;${C}.(*watchGrpcStream).serveSubstream`, MB(1.5), 256, 40);
  h.add('runtime.systemstack;runtime.newproc.func1;runtime.newproc1;runtime.malg', MB(12), 384, 1.5);
  // The rest of the application (about 100 MB at start).
  h.add(
    'runtime.main;main.main;example.com/app/server.Run;encoding/json.Unmarshal;encoding/json.(*decodeState).unmarshal;encoding/json.(*decodeState).value;encoding/json.(*decodeState).object;encoding/json.(*decodeState).literalStore',
    MB(40),
    48,
    3,
  );
  h.add('runtime.goexit;example.com/app/cache.(*store).refresh;example.com/app/cache.(*store).Add', MB(35), 256, 2);
  h.add('runtime.goexit;net/http.(*Transport).getConn.func4;net/http.(*Transport).dialConn', MB(4), 4096, 3);
  h.add(
    'runtime.goexit;net/http.(*Transport).getConn.func4;net/http.(*Transport).dialConn;bufio.NewReaderSize',
    MB(4),
    4096,
    3,
  );
  h.add(
    `runtime.main;main.main;${C}.New;${C}.newClient;${C}.(*Client).dial;google.golang.org/grpc.Dial;google.golang.org/grpc.DialContext;google.golang.org/grpc/transport.newHTTP2Client`,
    MB(4),
    32768,
    1,
  );
  h.add('runtime.goexit;net/http.(*conn).serve;net/http.(*conn).readRequest', MB(2), 4096, 10);
  return h.finish({
    timeNanos: BigInt(Date.UTC(2019, 0, 27, 4, 31, 8)) * 1000000n,
    binary: '/usr/local/bin/kube-odin',
    fileOf: clientFile,
    comment:
      'rebuilt by pprof-doctor from document 002 (etcd clientv3 3.1.3 watch leak in a client application); not a raw profile',
  });
}

function clientFile(frame) {
  const name = frame.replace(/#.*$/, '');
  if (name.startsWith(`${C}/concurrency.`)) return '/go/src/github.com/coreos/etcd/clientv3/concurrency/mutex.go';
  if (name.startsWith(`${C}.`)) {
    return `/go/src/github.com/coreos/etcd/clientv3/${/watch/i.test(name) ? 'watch.go' : 'client.go'}`;
  }
  if (name.startsWith('github.com/coreos/etcd/etcdserver/etcdserverpb.'))
    return '/go/src/github.com/coreos/etcd/etcdserver/etcdserverpb/rpc.pb.go';
  if (name.startsWith('google.golang.org/grpc/transport.'))
    return '/go/src/google.golang.org/grpc/transport/http2_client.go';
  if (name.startsWith('google.golang.org/grpc.'))
    return `/go/src/google.golang.org/grpc/${name.includes('Dial') ? 'clientconn.go' : 'stream.go'}`;
  if (name.startsWith('example.com/') || name.startsWith('main.')) return '/go/src/example.com/app/main.go';
  const pkg = name.slice(0, name.indexOf('.', name.lastIndexOf('/') + 1));
  const file =
    {
      fmt: 'print.go',
      context: 'context.go',
      time: 'sleep.go',
      bufio: 'bufio.go',
      'encoding/json': 'decode.go',
      'net/http': 'transport.go',
      runtime: 'proc.go',
    }[pkg] ?? `${pkg.split('/').pop()}.go`;
  return `/usr/local/go/src/${pkg}/${file}`;
}
