// Heap profile (inuse_space) of the etcd 3.4.9 demo in documents 000/004: a 3-member cluster,
// `etcdctl put key` 1000 times with a 1 MB value; "the raft log then holds at least ~1 GB"
// (--snapshot-count 100000, so no snapshot compacts the in-memory log during the demo).
//
// The documents give no profile. The stacks below follow a real etcd 3.4.23 leader measured with the
// same load by this project (samples/etcd-3.4.23/put-1mb-3member/leader/heap.pb.gz): on the leader
// the 1 MB proposals are allocated by InternalRaftRequest.Marshal in processInternalRaftRequestOnce
// and stay referenced by the raft log (MemoryStorage.ents holds the entries; the slice itself is
// small). We put all 1000 values in memory (1000 × 1 MiB + request framing), the figure the lesson
// states, where the measured 3.4.23 profile estimated 912.74 MB through heap sampling. Frames that
// exist only in later 3.4 releases were left out; Go 1.12 (3.4.9's toolchain) hides the runtime
// allocator frames, as the 3.4.23 profile does.

import { HeapStacks } from './frames.mjs';
import { MiB } from './lib.mjs';

const E = 'go.etcd.io/etcd/';
const GRPC = 'google.golang.org/grpc';
const MW = 'github.com/grpc-ecosystem/go-grpc-middleware';

export const fixture = undefined;

export function build() {
  const h = new HeapStacks();
  const MB = (x) => Math.round(x * MiB);
  const unary = `runtime.goexit;${GRPC}.(*Server).serveStreams.func1.1;${GRPC}.(*Server).handleStream;${GRPC}.(*Server).processUnaryRPC`;
  const putH = `${unary};${E}etcdserver/etcdserverpb._KV_Put_Handler;${MW}.ChainUnaryServer.func1;${MW}.ChainUnaryServer.func1.1.1;${E}etcdserver/api/v3rpc.newUnaryInterceptor.func1;${MW}.ChainUnaryServer.func1.1.1;github.com/grpc-ecosystem/go-grpc-prometheus.(*ServerMetrics).UnaryServerInterceptor.func1;${E}etcdserver/etcdserverpb._KV_Put_Handler.func1;${E}etcdserver/api/v3rpc.(*quotaKVServer).Put;${E}etcdserver/api/v3rpc.(*kvServer).Put;${E}etcdserver.(*EtcdServer).Put`;
  // raftRequest is inlined into Put (one location, two frames).
  const propose = `${putH}>${E}etcdserver.(*EtcdServer).raftRequest;${E}etcdserver.(*EtcdServer).raftRequestOnce;${E}etcdserver.(*EtcdServer).processInternalRaftRequestOnce`;
  // 1000 proposals of a 1 MiB value plus the request framing, each kept by the raft log.
  h.add(`${propose};${E}etcdserver/etcdserverpb.(*InternalRaftRequest).Marshal`, 1000 * (MiB + 48), MiB + 48, 1);
  h.add(`runtime.goexit;${E}etcdserver.(*raftNode).start.func1;${E}raft.(*MemoryStorage).Append`, 143360, 71680, 2);
  // Apply: the value is copied into the backend's write buffer until the batch commits.
  const apply = `runtime.goexit;${E}pkg/schedule.(*fifo).run;${E}etcdserver.(*EtcdServer).run.func8;${E}etcdserver.(*EtcdServer).applyAll;${E}etcdserver.(*EtcdServer).applyEntries;${E}etcdserver.(*EtcdServer).apply;${E}etcdserver.(*EtcdServer).applyEntryNormal`;
  h.add(
    `${apply};${E}etcdserver.(*authApplierV3).Apply;${E}etcdserver.(*applierV3backend).Apply;${E}etcdserver.(*authApplierV3).Put;${E}etcdserver.(*quotaApplierV3).Put;${E}etcdserver.(*applierV3backend).Put;${E}mvcc.(*metricsTxnWrite).Put;${E}mvcc.(*storeTxnWrite).Put;${E}mvcc.(*storeTxnWrite).put;${E}mvcc/mvccpb.(*KeyValue).Marshal`,
    MB(9.3),
    MiB + 64,
    110,
  );
  h.add(
    `${apply};${E}etcdserver/etcdserverpb.(*InternalRaftRequest).Unmarshal;${E}etcdserver/etcdserverpb.(*PutRequest).Unmarshal`,
    MB(1.01),
    MiB,
    1000,
  );
  h.add(`${unary};${GRPC}.recvAndDecompress;${GRPC}.(*parser).recvMsg`, MB(1.16), MiB, 1000);
  h.add(
    `${unary};${E}etcdserver/etcdserverpb._KV_Put_Handler;${GRPC}.(*Server).processUnaryRPC.func2;${E}etcdserver/api/v3rpc.(*codec).Unmarshal;github.com/gogo/protobuf/proto.Unmarshal;${E}etcdserver/etcdserverpb.(*PutRequest).Unmarshal`,
    MB(1.16),
    MiB,
    1000,
  );
  h.add(
    `runtime.goexit;${GRPC}.(*Server).handleRawConn.func1;${GRPC}.(*Server).serveStreams;${GRPC}/internal/transport.(*http2Server).HandleStreams;${GRPC}/internal/transport.(*http2Server).handleData;bytes.(*Buffer).Write;bytes.(*Buffer).grow;bytes.makeSlice`,
    MB(3.05),
    16384,
    300,
  );
  // WAL and peer streams.
  const wal = `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;${E}wal.(*WAL).Save`;
  h.add(`${wal};${E}wal.(*WAL).cut;${E}wal.newFileEncoder>${E}wal.newEncoder`, MB(1.16), MiB, 20);
  h.add(`${wal};${E}wal.(*WAL).saveEntry;${E}wal.(*encoder).encode`, MB(1.26), MiB + 256, 900);
  h.add(
    `runtime.goexit;${E}etcdserver/api/rafthttp.(*streamReader).run;${E}etcdserver/api/rafthttp.(*streamReader).decodeLoop>${E}etcdserver/api/rafthttp.newMsgAppV2Decoder`,
    MB(2.31),
    MiB,
    2,
  );
  h.add(
    `runtime.goexit;${E}etcdserver/api/rafthttp.(*streamWriter).run>${E}etcdserver/api/rafthttp.newMsgAppV2Encoder`,
    MB(2.31),
    MiB,
    2,
  );
  const start = `runtime.main;main.main;${E}etcdmain.Main;${E}etcdmain.startEtcdOrProxyV2;${E}etcdmain.startEtcd;${E}embed.StartEtcd`;
  h.add(
    `${start};${E}etcdserver.NewServer;${E}etcdserver/api/rafthttp.(*Transport).AddPeer;${E}etcdserver/api/rafthttp.startPeer`,
    MB(4.49),
    65536,
    1,
  );
  h.add(
    `${start};${E}etcdserver.NewServer;${E}etcdserver/api/rafthttp.(*Transport).AddPeer;${E}etcdserver/api/rafthttp.startPeer;${E}etcdserver/api/rafthttp.startStreamWriter`,
    MB(5.98),
    65536,
    1,
  );
  h.add(
    `${start};${E}etcdserver.NewServer;${E}mvcc/backend.New;${E}mvcc/backend.newBackend;go.etcd.io/bbolt.Open`,
    MB(0.6),
    4096,
    1,
  );
  h.add(
    `runtime.goexit;${E}mvcc/backend.(*backend).run;${E}mvcc/backend.(*batchTxBuffered).Commit;${E}mvcc/backend.(*batchTxBuffered).commit;${E}mvcc/backend.(*batchTxBuffered).unsafeCommit;${E}mvcc/backend.(*batchTx).commit;go.etcd.io/bbolt.(*Tx).Commit;go.etcd.io/bbolt.(*Tx).allocate;go.etcd.io/bbolt.(*DB).allocate`,
    MB(5.06),
    MiB + 4096,
    60,
  );
  h.add(
    `runtime.goexit;${E}mvcc/backend.(*backend).run;${E}mvcc/backend.(*batchTxBuffered).Commit;${E}mvcc/backend.(*batchTxBuffered).commit;${E}mvcc/backend.(*batchTxBuffered).unsafeCommit;${E}mvcc/backend.(*backend).begin;${E}mvcc/backend.(*backend).unsafeBegin;go.etcd.io/bbolt.(*DB).Begin;go.etcd.io/bbolt.(*DB).beginRWTx;go.etcd.io/bbolt.(*DB).freePages;go.etcd.io/bbolt.(*freelist).release;go.etcd.io/bbolt.(*freelist).arrayMergeSpans;go.etcd.io/bbolt.pgids.merge`,
    MB(0.71),
    16384,
    40,
  );
  h.add(
    `${start};${E}embed.(*Etcd).servePeers;${E}etcdserver/api/v3rpc.Server;github.com/grpc-ecosystem/go-grpc-prometheus.Register;github.com/grpc-ecosystem/go-grpc-prometheus.(*ServerMetrics).InitializeMetrics;github.com/grpc-ecosystem/go-grpc-prometheus.preRegisterMethod;github.com/prometheus/client_golang/prometheus.(*MetricVec).GetMetricWithLabelValues;github.com/prometheus/client_golang/prometheus.(*metricMap).getOrCreateMetricWithLabelValues;github.com/prometheus/client_golang/prometheus.NewCounterVec.func1;github.com/prometheus/client_golang/prometheus.MakeLabelPairs`,
    MB(0.5),
    48,
    1,
  );
  return h.finish({
    timeNanos: BigInt(Date.UTC(2021, 1, 20, 2, 31, 40)) * 1000000n,
    fileOf: raftFile,
    comment:
      'rebuilt by pprof-doctor from documents 000/004 (etcd 3.4.9, 1000 puts of a 1 MB value); not a raw profile',
  });
}

function raftFile(frame) {
  const name = frame.replace(/#.*$/, '');
  const slash = name.lastIndexOf('/');
  const pkg = name.slice(0, name.indexOf('.', slash + 1));
  const known = {
    'go.etcd.io/etcd/etcdserver': 'server.go',
    'go.etcd.io/etcd/etcdserver/etcdserverpb': 'raft_internal.pb.go',
    'go.etcd.io/etcd/raft': 'storage.go',
    'go.etcd.io/etcd/mvcc/mvccpb': 'kv.pb.go',
    'go.etcd.io/etcd/mvcc': 'kvstore_txn.go',
    'go.etcd.io/etcd/mvcc/backend': 'batch_tx.go',
    'go.etcd.io/etcd/wal': 'wal.go',
    'go.etcd.io/etcd/etcdserver/api/rafthttp': 'stream.go',
    'go.etcd.io/etcd/etcdserver/api/v3rpc': 'key.go',
    'go.etcd.io/bbolt': 'db.go',
    'google.golang.org/grpc': 'server.go',
  };
  const file = known[pkg] ?? `${pkg.split('/').pop()}.go`;
  if (pkg.includes('.')) return `${pkg}/${file}`;
  return `/usr/local/go/src/${pkg}/${file}`;
}
