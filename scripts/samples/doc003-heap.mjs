// Leader heap profile (inuse_space) of document 003, Jul 3, 2018 4:57pm CST: 11259.98MB in use,
// 63.56 % of it appended to gRPC's unbounded receive backlog (recvBuffer.put) by the request-body
// reader goroutines of gRPC-over-net/http (HandleStreams.func4) on the TLS client port.
//
// The table gives per-function flat/cum; the stacks are ours (Go 1.8 net/http, crypto/tls and
// grpc-go 1.7 call chains of an etcd 3.2 release binary). As in the table, the runtime allocator
// frames (mallocgc, newobject, growslice, makeslice, newarray) are not shown, so allocations land
// on their callers; runtime.makechan / malg / mapassign / hashGrow / systemstack stay visible, as
// they do in the table.

import { fitRows, parseTopTable, tableFiles } from './lib.mjs';
import { E, G, HeapStacks } from './frames.mjs';

export const fixture = 'etcd-3.2.23-leader-heap.top.txt';

export function build(tableText) {
  const table = parseTopTable(tableText);
  // Fit the rows in KiB (pprof prints MB with two decimals, so KiB is fine enough), then use bytes.
  const totalKiB = Math.round(11259.98 * 1024);
  const total = totalKiB * 1024;
  const RK = fitRows(table, totalKiB, 1024);
  const R = Object.fromEntries(
    Object.entries(RK).map(([k, r]) => [k, { ...r, flat: r.flat * 1024, cum: r.cum * 1024 }]),
  );
  const row = (name) => {
    const r = Object.values(R).find((x) => x.name === name);
    if (!r) throw new Error(`no row ${name}`);
    return r;
  };
  const put = row(`${G}transport.(*recvBuffer).put`);
  const func4 = row(`${G}transport.(*serverHandlerTransport).HandleStreams.func4`);
  const bodyBuf = row('net/http.http2putRequestBodyBuf');
  const makechan = row('runtime.makechan');
  const reserve = row('crypto/tls.(*block).reserve');
  const dialConn = row('net/http.(*Transport).dialConn');
  const malg = row('runtime.malg');
  const mapassign = row('runtime.mapassign');
  const readHandshake = row('crypto/tls.(*Conn).readHandshake');
  const systemstack = row('runtime.systemstack');
  const serveConn = row('net/http.(*http2Server).ServeConn');
  const readMeta = row('net/http.(*http2Framer).readMetaFrame');
  const connServe = row('net/http.(*conn).serve');
  const readFrames = row('net/http.(*http2serverConn).readFrames');
  const newWR = row('net/http.(*http2serverConn).newWriterAndRequest');
  const h2serve = row('net/http.(*http2serverConn).serve');
  const binary = row('[etcd]');
  const handshake = row('crypto/tls.(*Conn).Handshake');
  const readRecord = row('crypto/tls.(*Conn).readRecord');
  const serverHandshake = row('crypto/tls.(*Conn).serverHandshake');
  if (handshake.cum !== serverHandshake.cum) throw new Error('Handshake and serverHandshake should match');

  const MB = (x) => Math.round(x * 1048576);
  const h = new HeapStacks();
  const add = (stack, bytes, obj, churn) => h.add(stack, bytes, obj, churn);

  // --- gRPC over net/http (TLS client port): the receive backlog ---
  const f4 = `runtime.goexit;${G}transport.(*serverHandlerTransport).HandleStreams.func4`;
  // put: append to recvBuffer.backlog; slices of recvMsg, re-grown by doubling (large objects).
  add(`${f4};${G}transport.(*recvBuffer).put`, put.flat, 4 * 1048576, 1.6);
  // func4: 8196-byte read buffers, each a new slice once the previous one is used up.
  add(f4, func4.flat, 8196, 2.5);
  add(
    `${f4};${G}transport.mapRecvMsgError;${G}transport.connectionErrorf;fmt.Sprintf`,
    func4.cum - func4.flat - put.flat,
    96,
    3,
  );

  // --- HTTP/1.1 and HTTP/2 connections, TLS handshakes ---
  const conn = 'runtime.goexit;net/http.(*conn).serve';
  add(conn, connServe.flat, 96, 4);
  const hs = `${conn};crypto/tls.(*Conn).Handshake;crypto/tls.(*Conn).serverHandshake`;
  const hello = `${hs};crypto/tls.(*serverHandshakeState).readClientHello;crypto/tls.(*Conn).readHandshake`;
  const full = `${hs};crypto/tls.(*serverHandshakeState).doFullHandshake`;
  const fullRead = `${full};crypto/tls.(*Conn).readHandshake`;
  // readHandshake: half from reading the ClientHello, half from the client's certificate and key
  // exchange in the full handshake.
  // TLS records read by the readFrames goroutines (application data) vs by handshakes.
  const rrData = readFrames.cum - readFrames.flat - readMeta.cum;
  const rrHandshake = readRecord.cum - rrData;
  const rhChildren = {
    readRecord: rrHandshake,
    hello: MB(14),
    cert: MB(12),
    buf: readHandshake.cum - readHandshake.flat - rrHandshake - MB(26),
  };
  const rhHalf = Math.floor(readHandshake.flat / 2);
  add(hello, rhHalf, 16384, 6);
  add(fullRead, readHandshake.flat - rhHalf, 16384, 6);
  add(`${hello};crypto/tls.(*clientHelloMsg).unmarshal`, rhChildren.hello, 512, 6);
  add(`${fullRead};crypto/tls.(*certificateMsg).unmarshal`, rhChildren.cert, 2048, 6);
  add(`${fullRead};bytes.(*Buffer).Write;bytes.(*Buffer).grow;bytes.makeSlice`, rhChildren.buf, 4096, 6);
  // readRecord (64.60MB) = reading handshake records + application-data records on h2 connections.
  const reserveInRead = MB(62);
  const rrHsReserve = Math.round((rrHandshake * reserveInRead) / readRecord.cum);
  const rrDataReserve = reserveInRead - rrHsReserve;
  const rr = 'crypto/tls.(*Conn).readRecord';
  add(
    `${hello};${rr};crypto/tls.(*block).readFromUntil;crypto/tls.(*block).reserve`,
    Math.floor(rrHsReserve / 2),
    16384,
    5,
  );
  add(
    `${fullRead};${rr};crypto/tls.(*block).readFromUntil;crypto/tls.(*block).reserve`,
    rrHsReserve - Math.floor(rrHsReserve / 2),
    16384,
    5,
  );
  const rrHsNew = rrHandshake - rrHsReserve;
  add(`${hello};${rr};crypto/tls.(*halfConn).newBlock`, Math.floor(rrHsNew / 2), 64, 5);
  add(`${fullRead};${rr};crypto/tls.(*halfConn).newBlock`, rrHsNew - Math.floor(rrHsNew / 2), 64, 5);
  const tlsRead =
    'runtime.goexit;net/http.(*http2serverConn).readFrames;net/http.(*http2Framer).ReadFrame;io.ReadFull;io.ReadAtLeast;crypto/tls.(*Conn).Read';
  add(`${tlsRead};${rr};crypto/tls.(*block).readFromUntil;crypto/tls.(*block).reserve`, rrDataReserve, 16384, 8);
  add(`${tlsRead};${rr};crypto/tls.(*halfConn).newBlock`, rrData - rrDataReserve, 64, 8);
  // The rest of the handshake: client certificates, ECDHE/RSA, keys, hashes, our records.
  const hsRest = serverHandshake.cum - readHandshake.cum;
  const wr = `${full};crypto/tls.(*Conn).writeRecord`;
  const hsParts = [
    [
      `${full};crypto/tls.(*serverHandshakeState).processCertsFromClient;crypto/x509.ParseCertificate;crypto/x509.parseCertificate`,
      MB(18),
      1024,
    ],
    [
      `${full};crypto/tls.(*serverHandshakeState).processCertsFromClient;crypto/x509.ParseCertificate;encoding/asn1.Unmarshal;encoding/asn1.UnmarshalWithParams;encoding/asn1.parseField`,
      MB(12),
      64,
    ],
    [
      `${full};crypto/tls.(*ecdheKeyAgreement).generateServerKeyExchange;crypto/rsa.SignPKCS1v15;crypto/rsa.decryptAndCheck;crypto/rsa.decrypt;math/big.nat.make`,
      MB(14),
      512,
    ],
    [`${full};crypto/tls.(*serverHandshakeState).establishKeys;crypto/aes.NewCipher`, MB(5), 512],
    [`${full};crypto/tls.(*serverHandshakeState).establishKeys;crypto/cipher.NewGCM`, MB(7), 512],
    [`${wr};crypto/tls.(*block).resize;crypto/tls.(*block).reserve`, reserve.flat - reserveInRead, 16384],
    [`${wr};crypto/tls.(*halfConn).newBlock`, MB(4), 64],
    [`${full};crypto/tls.(*serverHelloMsg).marshal`, MB(5), 256],
  ];
  const hsFixed = hsParts.reduce((a, [, v]) => a + v, 0);
  hsParts.push([`${hs};crypto/tls.newFinishedHash;crypto/sha256.New`, hsRest - hsFixed, 128]);
  for (const [stack, bytes, obj] of hsParts) add(stack, bytes, obj, 6);

  // HTTP/2 server connections (client port): ServeConn → serve → processHeaders → newWriterAndRequest.
  const sc = `${conn};net/http.http2ConfigureServer.func1;net/http.(*http2Server).ServeConn`;
  add(sc, serveConn.flat, 1024, 3);
  add(`${sc};runtime.makechan`, MB(10), 96, 3);
  add(`${sc};net/http.http2NewFramer`, MB(9.01), 512, 3);
  const scRest = serveConn.cum - serveConn.flat - h2serve.cum - MB(10) - MB(9.01);
  add(`${sc};net/http.http2newBufferedWriter`, scRest, 64, 3);
  const srv = `${sc};net/http.(*http2serverConn).serve`;
  add(srv, h2serve.flat, 128, 3);
  const proc = `${srv};net/http.(*http2serverConn).processFrameFromReader;net/http.(*http2serverConn).processFrame`;
  const heads = `${proc};net/http.(*http2serverConn).processHeaders`;
  const nwr = `${heads};net/http.(*http2serverConn).newWriterAndRequest`;
  add(nwr, newWR.flat, 512, 3);
  add(`${nwr};net/http.http2putRequestBodyBuf`, bodyBuf.flat, 65536, 2);
  // Header maps: mapassign (+ hashGrow growing the buckets) spread over three callers.
  const maFlat = mapassign.flat;
  const maGrow = mapassign.cum - mapassign.flat;
  const maCallers = [
    [`${nwr};net/http.Header.Add;net/textproto.MIMEHeader.Add;runtime.mapassign`, MB(45.91)],
    [`${heads};net/http.(*http2serverConn).newStream;runtime.mapassign`, MB(20)],
  ];
  maCallers.push([
    'runtime.goexit;net/http.(*persistConn).readLoop;net/http.(*Transport).tryPutIdleConn;runtime.mapassign',
    mapassign.cum - MB(65.91),
  ]);
  let maFlatLeft = maFlat;
  let maGrowLeft = maGrow;
  maCallers.forEach(([stack, share], i) => {
    const last = i === maCallers.length - 1;
    const f = last ? maFlatLeft : Math.round((share * maFlat) / mapassign.cum);
    const g = last ? maGrowLeft : share - f;
    maFlatLeft -= f;
    maGrowLeft -= g;
    add(stack, f, 208, 2);
    add(`${stack};runtime.hashGrow`, g, 4096, 2);
  });
  const nwrRest = newWR.cum - newWR.flat - bodyBuf.flat - MB(45.91);
  add(`${nwr};net/url.ParseRequestURI`, MB(6), 144, 3);
  add(`${nwr};runtime.makemap`, nwrRest - MB(6), 48, 3);
  const ns = `${heads};net/http.(*http2serverConn).newStream`;
  add(ns, MB(4), 256, 3);
  add(`${ns};runtime.makechan`, MB(6), 96, 3);
  const srvRest = h2serve.cum - h2serve.flat - newWR.cum - MB(30);
  add(
    `${srv};net/http.(*http2serverConn).scheduleFrameWrite;net/http.(*http2priorityWriteScheduler).Push`,
    MB(2),
    96,
    3,
  );
  add(`${srv};time.AfterFunc`, srvRest - MB(2), 96, 3);
  // readFrames goroutine: frame headers and HPACK decoding.
  const rf = 'runtime.goexit;net/http.(*http2serverConn).readFrames';
  add(rf, readFrames.flat, 64, 5);
  const rmf = `${rf};net/http.(*http2Framer).ReadFrame;net/http.(*http2Framer).readMetaFrame`;
  add(rmf, readMeta.flat, 256, 5);
  const dec = `${rmf};net/http.(*http2Decoder).Write;net/http.(*http2Decoder).parseHeaderFieldRepr;net/http.(*http2Decoder).parseFieldLiteral`;
  add(`${dec};net/http.(*http2Decoder).readString`, MB(20), 32, 5);
  add(
    `${dec};net/http.(*http2Decoder).callEmit;net/http.(*http2Framer).readMetaFrame.func1`,
    readMeta.cum - readMeta.flat - MB(20),
    64,
    5,
  );
  // HTTP/1.1 requests on the peer port (followers forwarding lease renewals).
  add(
    `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader`,
    MB(2),
    512,
    20,
  );
  add(
    `${conn};net/http.serverHandler.ServeHTTP;net/http.(*ServeMux).ServeHTTP;${E}lease/leasehttp.(*leaseHandler).ServeHTTP;io/ioutil.ReadAll;io/ioutil.readAll;bytes.(*Buffer).ReadFrom;bytes.(*Buffer).grow;bytes.makeSlice`,
    connServe.cum - connServe.flat - serverHandshake.cum - serveConn.cum - MB(2),
    512,
    40,
  );

  // The leader dialing its peers.
  add('runtime.goexit;net/http.(*Transport).getConn.func4;net/http.(*Transport).dialConn', dialConn.flat, 4096, 3);
  add(
    'runtime.goexit;net/http.(*Transport).getConn.func4;net/http.(*Transport).dialConn;runtime.makechan',
    dialConn.cum - dialConn.flat,
    96,
    3,
  );

  // gRPC handler goroutines (one per LeaseKeepAlive stream).
  const handler = `runtime.goexit;net/http.(*http2serverConn).runHandler;net/http.HandlerFunc.ServeHTTP;${E}embed.grpcHandlerFunc.func1;${G}grpc.(*Server).ServeHTTP`;
  const hst = `${handler};${G}grpc.(*Server).serveStreams;${G}transport.(*serverHandlerTransport).HandleStreams`;
  const nsht = `${handler};${G}transport.NewServerHandlerTransport`;
  add(nsht, MB(12), 208, 3);
  add(`${nsht};runtime.makechan`, MB(40), 96, 3);
  add(`${hst};runtime.makechan`, MB(30), 96, 3);
  add(`${hst};${G}transport.newRecvBuffer;runtime.makechan`, MB(45), 96, 3);
  add(`${hst};net/http.(*http2responseWriter).CloseNotify;runtime.makechan`, MB(30), 96, 3);
  add(`${hst};context.WithCancel;context.(*cancelCtx).Done;runtime.makechan`, MB(40), 96, 3);
  // LeaseKeepAlive runs the receive loop (leaseKeepAlive) in its own goroutine (LeaseKeepAlive.func1).
  const lk = `runtime.goexit;${G}grpc.(*Server).serveStreams.func1.1;${G}grpc.(*Server).handleStream;${G}grpc.(*Server).processStreamingRPC;${E}etcdserver/etcdserverpb._Lease_LeaseKeepAlive_Handler;${E}etcdserver/api/v3rpc.(*LeaseServer).LeaseKeepAlive`;
  const lka = `runtime.goexit;${E}etcdserver/api/v3rpc.(*LeaseServer).LeaseKeepAlive.func1;${E}etcdserver/api/v3rpc.(*LeaseServer).leaseKeepAlive`;
  add(`${lk};runtime.makechan`, MB(46.65), 96, 3);
  add(lka, MB(20), 64, 20);
  add(`${lka};${G}grpc.(*serverStream).RecvMsg;${G}grpc.recv;${G}grpc.(*parser).recvMsg`, MB(20), 32, 20);
  add(
    `${lka};${G}grpc.(*serverStream).SendMsg;${G}grpc.encode;${G}grpc.protoCodec.Marshal;github.com/coreos/etcd/cmd/vendor/github.com/golang/protobuf/proto.Marshal`,
    MB(10),
    64,
    20,
  );
  // makechan from peer round trips fills makechan up to the table's figure.
  const mcSoFar =
    MB(10) + MB(6) + (dialConn.cum - dialConn.flat) + MB(40) + MB(30) + MB(45) + MB(30) + MB(40) + MB(46.65);
  add(
    `runtime.goexit;${E}rafthttp.(*pipeline).handle;${E}rafthttp.(*pipeline).post;net/http.(*Client).Do;net/http.(*Client).send;net/http.send;net/http.(*Transport).RoundTrip;net/http.(*Transport).getConn;runtime.makechan`,
    makechan.flat - mcSoFar,
    96,
    3,
  );

  // Goroutine creation on the system stack (unsymbolized caller, as in the table's "[etcd]").
  add('[binary];runtime.systemstack;runtime.newproc.func1;runtime.newproc1;runtime.malg', malg.flat, 384, 1.2);
  const ssInBinary = binary.cum - malg.flat;
  add('[binary];runtime.systemstack', ssInBinary, 8192, 1);
  add('runtime.mstart;runtime.systemstack', systemstack.flat - ssInBinary, 8192, 1);
  add('runtime.mstart;runtime.systemstack;runtime.allocm', systemstack.cum - systemstack.flat - malg.flat, 1024, 1);

  // Everything else an etcd 3.2 leader holds (leases, index, raft log, buffers), each small.
  const startup = `runtime.main;main.main;${E}etcdmain.Main;${E}etcdmain.startEtcdOrProxyV2;${E}etcdmain.startEtcd;${E}embed.StartEtcd;${E}etcdserver.NewServer`;
  const rest = [
    [
      `runtime.goexit;${E}etcdserver.(*EtcdServer).run;${E}etcdserver.(*EtcdServer).applyAll;${E}etcdserver.(*EtcdServer).applyEntries;${E}etcdserver.(*EtcdServer).apply;${E}etcdserver.(*EtcdServer).applyEntryNormal;${E}etcdserver.(*applierV3backend).LeaseGrant;${E}lease.(*lessor).Grant`,
      30,
      208,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*EtcdServer).run;${E}etcdserver.(*EtcdServer).applyAll;${E}etcdserver.(*EtcdServer).applyEntries;${E}etcdserver.(*EtcdServer).apply;${E}etcdserver.(*EtcdServer).applyEntryNormal;${E}etcdserver.(*applierV3backend).LeaseGrant;${E}lease.(*lessor).Grant;runtime.makemap`,
      15,
      48,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*EtcdServer).run;${E}etcdserver.(*EtcdServer).applyAll;${E}etcdserver.(*EtcdServer).applyEntries;${E}etcdserver.(*EtcdServer).apply;${E}etcdserver.(*EtcdServer).applyEntryNormal;${E}etcdserver.(*applierV3backend).Put;${E}mvcc.(*storeTxnWrite).put;${E}mvcc.(*treeIndex).Put;${E}mvcc.(*keyIndex).put`,
      25,
      64,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*EtcdServer).run;${E}etcdserver.(*EtcdServer).applyAll;${E}etcdserver.(*EtcdServer).applyEntries;${E}etcdserver.(*EtcdServer).apply;${E}etcdserver.(*EtcdServer).applyEntryNormal;${E}etcdserver.(*applierV3backend).Put;${E}mvcc.(*storeTxnWrite).put;${E}mvcc.(*treeIndex).Put;github.com/coreos/etcd/cmd/vendor/github.com/google/btree.(*BTree).ReplaceOrInsert;github.com/coreos/etcd/cmd/vendor/github.com/google/btree.(*node).insert`,
      20,
      256,
    ],
    [`runtime.goexit;${E}etcdserver.(*raftNode).start.func1;${E}raft.(*MemoryStorage).Append`, 20, 4096],
    [
      `runtime.goexit;${E}rafthttp.(*streamReader).decodeLoop;${E}rafthttp.(*messageDecoder).decode;${E}raft/raftpb.(*Message).Unmarshal;${E}raft/raftpb.(*Entry).Unmarshal`,
      30,
      256,
    ],
    [
      `runtime.goexit;${E}mvcc/backend.(*backend).run;${E}mvcc/backend.(*batchTxBuffered).Commit;${E}mvcc/backend.(*batchTxBuffered).unsafeCommit;github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt.(*Tx).Commit;github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt.(*Bucket).spill;github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt.(*node).spill`,
      15,
      4096,
    ],
    [`runtime.goexit;${E}lease.(*lessor).runLoop;${E}lease.(*lessor).findExpiredLeases`, 10, 4096],
    [
      `runtime.goexit;${G}grpc.(*Server).serveStreams.func1.1;${G}grpc.(*Server).handleStream;${G}grpc.(*Server).processUnaryRPC;${G}grpc.(*parser).recvMsg`,
      15,
      128,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*EtcdServer).run;${E}etcdserver.(*EtcdServer).applyAll;${E}etcdserver.(*EtcdServer).applyEntries;${E}etcdserver.(*EtcdServer).apply;${E}etcdserver.(*EtcdServer).applyEntryNormal;${E}etcdserver/etcdserverpb.(*InternalRaftRequest).Unmarshal`,
      15,
      128,
    ],
    [`runtime.goexit;${E}rafthttp.(*streamReader).decodeLoop;${E}rafthttp.(*messageDecoder).decode`, 12.08, 512],
    [
      'runtime.goexit;net/http.(*Transport).getConn.func4;net/http.(*Transport).dial;' +
        `${E}pkg/transport.(*rwTimeoutDialer).Dial`,
      5,
      128,
    ],
    [`${startup};${E}rafthttp.(*Transport).AddPeer;${E}rafthttp.startPeer`, 6, 4096],
    [`${startup};${E}rafthttp.(*Transport).AddPeer;${E}rafthttp.startPeer;${E}rafthttp.startStreamWriter`, 6, 4096],
    [`${startup};${E}mvcc.NewStore;github.com/coreos/etcd/cmd/vendor/github.com/google/btree.New`, 2, 4096],
    [
      `runtime.goexit;${E}mvcc/backend.(*backend).run;${E}mvcc/backend.(*batchTxBuffered).Commit;${E}mvcc/backend.(*batchTxBuffered).unsafeCommit;github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt.(*Tx).Commit;github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt.(*Tx).allocate;github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt.(*DB).allocate`,
      5,
      65536,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*EtcdServer).run;${E}etcdserver.(*EtcdServer).applyAll;${E}etcdserver.(*EtcdServer).applyEntries;${E}etcdserver.(*EtcdServer).apply;${E}etcdserver.(*EtcdServer).applyEntryNormal;${E}etcdserver.(*applierV3backend).Put;${E}mvcc.(*storeTxnWrite).put;${E}mvcc/mvccpb.(*KeyValue).Marshal`,
      10,
      256,
    ],
    [`runtime.goexit;${E}etcdserver.(*EtcdServer).linearizableReadLoop`, 4, 64],
    [
      `runtime.goexit;${G}grpc.(*Server).serveStreams.func1.1;${G}grpc.(*Server).handleStream;${G}grpc.(*Server).processStreamingRPC;github.com/coreos/etcd/cmd/vendor/github.com/grpc-ecosystem/go-grpc-prometheus.(*ServerMetrics).StreamServerInterceptor.func1;github.com/coreos/etcd/cmd/vendor/github.com/grpc-ecosystem/go-grpc-prometheus.newServerReporter;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.(*CounterVec).WithLabelValues;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.(*MetricVec).getOrCreateMetricWithLabelValues`,
      8,
      128,
    ],
    ['runtime.goexit;net/http.(*Server).Serve;net/http.(*Server).newConn', 20, 256],
    ['runtime.goexit;net/http.(*Server).Serve;crypto/tls.(*listener).Accept;crypto/tls.Server', 12, 640],
    [
      'runtime.goexit;net/http.(*Server).Serve;net.(*TCPListener).Accept;net.(*TCPListener).accept;net.(*netFD).accept;net.newFD',
      6,
      128,
    ],
  ];
  for (const [stack, mb, obj] of rest) add(stack, MB(mb), obj, 4);
  const left = total - h.total();
  if (left < 0 || left > MB(20)) throw new Error(`heap total off by ${left} bytes`);
  add(
    `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;${E}wal.(*WAL).Save;${E}wal.(*encoder).encode`,
    left,
    32768,
    4,
  );
  return h.finish({
    timeNanos: BigInt(Date.UTC(2018, 6, 3, 8, 57, 4)) * 1000000n,
    tableFiles: tableFiles(R),
    comment:
      'rebuilt by pprof-doctor from document 003 (etcd clientv3 lease keepalive incident), leader heap (inuse_space) table; not a raw profile',
  });
}
