// Leader CPU profile of document 003 while members still talked TLS to each other:
// "Duration: 2.64mins, Total samples = 34.54mins (1306.43%)" at Jul 3, 2018 4:13pm CST.
//
// The table gives per-function flat/cum only; the stacks are ours, built from Go 1.8 crypto/tls,
// crypto/rsa, math/big and runtime call chains. Every forwarded lease renewal opens a new TLS
// connection to the leader (peer port, HTTP/1.1 `POST /leases`); the leader's side of each
// handshake signs the ECDHE parameters with its RSA key (`rsa.SignPKCS1v15` → `decrypt` →
// `big.(*Int).Exp` → `nat.expNNMontgomery` → `nat.montgomery`), runs two X25519 scalar
// multiplications and verifies the follower's client certificate (`rsa.VerifyPKCS1v15` →
// `nat.expNN` → `nat.divLarge`). The growing heap keeps the GC busy (scanobject, assists).
//
// Like the document's table, we attribute most of montgomery's callee time to math/big.divWVW and
// math/big.bitLen and list those two functions a second time without a source file (the table's
// profile symbolized its assembly that way; Go's montgomery itself only calls addMulVVW).

import { fitRows, parseTopTable, tableFiles } from './lib.mjs';
import { CpuStacks, E, G } from './frames.mjs';

export const fixture = 'etcd-3.2.23-leader-cpu-tls.top.txt';

const CURVE = 'vendor/golang_org/x/crypto/curve25519.';

export function build(tableText) {
  const table = parseTopTable(tableText);
  const N = 207240; // 2072.40 s of samples = "34.54mins"
  const R = fitRows(table, N, 0.01);
  const row = (key) => {
    const r = Object.values(R).find((x) => x.name === key && x.file !== '');
    if (!r) throw new Error(`no row ${key}`);
    return r;
  };
  const noFile = (name) => {
    const r = Object.values(R).find((x) => x.name === name && x.file === '');
    if (!r) throw new Error(`no file-less row ${name}`);
    return r;
  };
  const futex = row('runtime.futex');
  const divWVW = row('math/big.divWVW');
  const bitLen = row('math/big.bitLen');
  const mont = row('math/big.nat.montgomery');
  const memmove = row('runtime.memmove');
  const scan = row('runtime.scanobject');
  const sys = row('syscall.Syscall');
  const hbfo = row('runtime.heapBitsForObject');
  const grey = row('runtime.greyobject');
  const divWVW2 = noFile('math/big.divWVW');
  const siftdown = row('runtime.siftdownTimer');
  const divLarge = row('math/big.nat.divLarge');
  const addMul = row('math/big.addMulVVW');
  const ext = row('runtime._ExternalCode');
  const byteReader = row('math/big.(*byteReader).Read');
  const malloc = row('runtime.mallocgc');
  const mulAdd = row('math/big.mulAddVWW');
  const ladder = row(`${CURVE}ladderstep`);
  const bitLen2 = noFile('math/big.bitLen');
  const pin = row('sync.(*Pool).pin');

  const s = new CpuStacks();

  // --- TLS server handshakes on the peer listener (one per forwarded renewal) ---
  const hs = 'runtime.goexit;net/http.(*conn).serve;crypto/tls.(*Conn).Handshake;crypto/tls.(*Conn).serverHandshake';
  const full = `${hs};crypto/tls.(*serverHandshakeState).doFullHandshake`;
  const skx = `${full};crypto/tls.(*ecdheKeyAgreement).generateServerKeyExchange`;
  const sign = `${skx};crypto/rsa.SignPKCS1v15;crypto/rsa.decryptAndCheck;crypto/rsa.decrypt`;
  const expMont = 'math/big.(*Int).Exp;math/big.nat.expNN;math/big.nat.expNNMontgomery';
  const expSmall = 'math/big.(*Int).Exp;math/big.nat.expNN;math/big.nat.div';
  const verifyCert = `${full};crypto/tls.(*serverHandshakeState).processCertsFromClient;crypto/x509.(*Certificate).Verify;crypto/x509.(*Certificate).buildChains;crypto/x509.(*CertPool).findVerifiedParents;crypto/x509.(*Certificate).CheckSignatureFrom;crypto/x509.(*Certificate).CheckSignature;crypto/x509.checkSignature;crypto/rsa.VerifyPKCS1v15;crypto/rsa.encrypt`;
  const verifyHs = `${full};crypto/rsa.VerifyPKCS1v15;crypto/rsa.encrypt`;

  // Montgomery multiplication inside the RSA private-key operation.
  const montFixed = divWVW.flat + bitLen.flat + addMul.flat + byteReader.flat + 6000 + 1000 + 1000;
  s.add(`${sign};${expMont};math/big.nat.montgomery`, mont.cum);
  s.expand('math/big.nat.montgomery', {
    '': mont.flat,
    'math/big.divWVW': divWVW.flat,
    'math/big.bitLen': bitLen.flat,
    'math/big.addMulVVW': addMul.flat,
    'math/big.(*byteReader).Read': byteReader.flat,
    'runtime.memmove': 6000,
    'runtime.memclrNoHeapPointers': 1000,
    'math/big.subVV': 1000,
    'math/big.nat.make;runtime.makeslice;runtime.mallocgc': mont.cum - mont.flat - montFixed,
  });

  // Long division (certificate and handshake signature checks, CRT recombination, R² setup).
  const dlFixed = mulAdd.flat + bitLen2.flat + divWVW2.flat + 900 + 1000 + 800 + 600;
  const dlCallers = {
    [`${verifyCert};${expSmall}`]: 5200,
    [`${verifyHs};${expSmall}`]: 3800,
    [`${sign};crypto/rsa.encrypt;${expSmall}`]: 4000,
    [`${sign};math/big.(*Int).Mod;math/big.(*Int).QuoRem;math/big.nat.div`]: 3000,
  };
  dlCallers[`${sign};${expMont};math/big.nat.div`] = divLarge.cum - 16000;
  s.spread(
    'math/big.nat.divLarge',
    {
      '': divLarge.flat,
      'math/big.mulAddVWW': mulAdd.flat,
      'math/big.bitLen#nofile': bitLen2.flat,
      'math/big.divWVW#nofile': divWVW2.flat,
      'math/big.addVV': 900,
      'math/big.shlVU': 1000,
      'math/big.shrVU': 800,
      'math/big.greaterThan': 600,
      'math/big.nat.make;runtime.makeslice;runtime.mallocgc': divLarge.cum - divLarge.flat - dlFixed,
    },
    dlCallers,
  );

  // X25519 for ECDHE: one base-point and one variable-point multiplication per handshake.
  const half = Math.floor(ladder.flat / 2);
  s.add(`${skx};${CURVE}ScalarBaseMult;${CURVE}scalarMult;${CURVE}mladder;${CURVE}ladderstep`, half);
  s.add(
    `${full};crypto/tls.(*ecdheKeyAgreement).processClientKeyExchange;${CURVE}ScalarMult;${CURVE}scalarMult;${CURVE}mladder;${CURVE}ladderstep`,
    ladder.flat - half,
  );

  // --- The lease-renewal stream on the client port (gRPC over http2 over TLS) ---
  const func4 = `runtime.goexit;${G}transport.(*serverHandlerTransport).HandleStreams.func4`;
  const put = `${func4};${G}transport.(*recvBuffer).put`;

  // --- Allocation: the backlog grows, GC assists ---
  s.add(`${func4};runtime.makeslice;runtime.mallocgc`, 5000);
  s.add(`${put};runtime.growslice;runtime.mallocgc`, 4000);
  s.add(`${hs};crypto/tls.(*Conn).readHandshake;runtime.makeslice;runtime.mallocgc`, 1500);
  s.add(
    'runtime.goexit;net/http.(*conn).serve;net/http.(*conn).readRequest;net/http.readRequest;runtime.newobject;runtime.mallocgc',
    1500,
  );
  const mallocSoFar = s.sumEndingWith('runtime.mallocgc');
  s.add(
    `runtime.goexit;net/http.(*conn).serve;net/http.serverHandler.ServeHTTP;net/http.(*ServeMux).ServeHTTP;${E}lease/leasehttp.(*leaseHandler).ServeHTTP;io/ioutil.ReadAll;io/ioutil.readAll;bytes.(*Buffer).ReadFrom;bytes.(*Buffer).grow;bytes.makeSlice;runtime.makeslice;runtime.mallocgc`,
    malloc.cum - mallocSoFar,
  );
  const cache = 'runtime.(*mcache).nextFree;runtime.(*mcache).refill;runtime.(*mcentral).cacheSpan';
  const mFixed = 300 + 50 + 150 + 200 + 1500 + 1000 + 600 + 1200 + 800;
  s.expand('runtime.mallocgc', {
    '': malloc.flat,
    'runtime.(*mcache).nextFree': 300,
    'runtime.(*mcache).nextFree;runtime.(*mcache).refill': 50,
    [cache]: 150,
    [`${cache};runtime.lock`]: 200,
    [`${cache};runtime.lock;runtime.futexsleep;runtime.futex`]: 1500,
    [`${cache};runtime.unlock;runtime.futexwakeup;runtime.futex`]: 1000,
    [`${cache};runtime.(*mspan).sweep`]: 600,
    'runtime.heapBitsSetType': 1200,
    'runtime.memclrNoHeapPointers': 800,
    'runtime.gcAssistAlloc;runtime.systemstack;runtime.gcAssistAlloc.func1;runtime.gcAssistAlloc1;runtime.gcDrainN;runtime.scanobject':
      malloc.cum - malloc.flat - mFixed,
  });
  const gcw = 'runtime.goexit;runtime.gcBgMarkWorker;runtime.systemstack;runtime.gcBgMarkWorker.func2;runtime.gcDrain';
  s.add(`${gcw};runtime.scanobject`, scan.cum - s.sumEndingWith('runtime.scanobject'));
  const greyInScan = 5960;
  const hbfoInScan = scan.cum - scan.flat - greyInScan;
  s.expand('runtime.scanobject', {
    '': scan.flat,
    'runtime.heapBitsForObject': hbfoInScan,
    'runtime.greyobject': greyInScan,
  });
  // Goroutine stacks (hundreds of thousands of handler goroutines) and data/bss roots.
  const greyRest = grey.cum - greyInScan;
  const hbfoRest = hbfo.flat - hbfoInScan;
  s.add(
    `${gcw};runtime.markroot;runtime.markroot.func1;runtime.scang;runtime.scanstack;runtime.gentraceback;runtime.scanstack.func1;runtime.scanframeworker;runtime.scanblock;runtime.heapBitsForObject`,
    hbfoRest,
  );
  s.add(
    `${gcw};runtime.markroot;runtime.markroot.func1;runtime.scang;runtime.scanstack;runtime.gentraceback;runtime.scanstack.func1;runtime.scanframeworker;runtime.scanblock;runtime.greyobject`,
    greyRest,
  );
  s.expand('runtime.greyobject', { '': grey.flat, 'runtime.(*gcWork).put': grey.cum - grey.flat });

  // --- Timers: deadlines on every peer connection ---
  const tconnRead = `${E}pkg/transport.(*timeoutConn).Read;net.(*conn).SetReadDeadline;net.(*netFD).setReadDeadline;net.setDeadlineImpl;net.runtime_pollSetDeadline;runtime.deltimer`;
  const hsRead = `${hs};crypto/tls.(*Conn).readHandshake;crypto/tls.(*Conn).readRecord;crypto/tls.(*block).readFromUntil`;
  const sdWb = siftdown.cum - siftdown.flat;
  s.add(`${hsRead};${tconnRead};runtime.siftdownTimer`, 3000);
  s.add(`${hsRead};${tconnRead};runtime.siftdownTimer;runtime.writebarrierptr`, Math.floor(sdWb / 2));
  s.add('runtime.goexit;runtime.timerproc;runtime.siftdownTimer', siftdown.flat - 3000);
  s.add('runtime.goexit;runtime.timerproc;runtime.siftdownTimer;runtime.writebarrierptr', sdWb - Math.floor(sdWb / 2));

  // --- Network system calls ---
  const netRead = 'net.(*conn).Read;net.(*netFD).Read;syscall.Read;syscall.read';
  const netWrite = 'net.(*conn).Write;net.(*netFD).Write;syscall.Write;syscall.write';
  s.spread(
    'syscall.Syscall',
    {
      '': sys.flat,
      'runtime.entersyscall;runtime.reentersyscall': 150,
      'runtime.exitsyscall;runtime.casgstatus': 145,
      'runtime.exitsyscall;runtime.exitsyscallfast': sys.cum - sys.flat - 295,
    },
    {
      [`${hsRead};${E}pkg/transport.(*timeoutConn).Read;${netRead}`]: 3000,
      [`${hs};crypto/tls.(*Conn).writeRecord;${E}pkg/transport.(*timeoutConn).Write;${netWrite}`]: 2500,
      [`runtime.goexit;net/http.(*http2serverConn).readFrames;net/http.(*http2Framer).ReadFrame;io.ReadFull;io.ReadAtLeast;crypto/tls.(*Conn).Read;crypto/tls.(*Conn).readRecord;crypto/tls.(*block).readFromUntil;${netRead}`]: 1500,
      'runtime.goexit;net/http.(*conn).serve;net/http.(*conn).close;net.(*conn).Close;net.(*netFD).Close;net.(*netFD).decref;net.(*netFD).destroy;syscall.Close':
        sys.cum - 7000,
    },
  );

  s.add('runtime._System;runtime._ExternalCode', ext.flat);

  // Copies outside montgomery: TLS record plaintext and the growing backlog slice.
  s.add(
    'runtime.goexit;net/http.(*http2serverConn).readFrames;net/http.(*http2Framer).ReadFrame;io.ReadFull;io.ReadAtLeast;crypto/tls.(*Conn).Read;crypto/tls.(*block).Read;runtime.memmove',
    2000,
  );
  s.add(`${put};runtime.growslice;runtime.memmove`, memmove.flat - 6000 - 2000);

  // sync.Pool on every request: bufio readers/writers and fmt printers.
  const pinFixed = pin.flat + 200;
  s.spread(
    'sync.(*Pool).pin',
    { '': pin.flat, 'sync.runtime_procPin': 200, 'sync.(*Pool).pinSlow': pin.cum - pinFixed },
    {
      'runtime.goexit;net/http.(*conn).serve;net/http.newBufioReader;sync.(*Pool).Get': 800,
      'runtime.goexit;net/http.(*conn).serve;net/http.(*conn).finalFlush;net/http.putBufioReader;sync.(*Pool).Put': 700,
      'runtime.goexit;net/http.(*conn).serve;net/http.(*conn).readRequest;net/http.newBufioWriterSize;sync.(*Pool).Get': 500,
      'runtime.goexit;net/http.(*conn).serve;net/http.(*response).finishRequest;net/http.putBufioWriter;sync.(*Pool).Put':
        pin.cum - 2000,
    },
  );

  // The futex: the scheduler parking and waking threads, and the timer heap lock.
  const futexLeft = futex.flat - s.sumEndingWith('runtime.futex');
  const sched = 'runtime.mstart;runtime.mstart1;runtime.schedule;runtime.findrunnable';
  const timerLock = `${hsRead};${tconnRead};runtime.lock;runtime.futexsleep;runtime.futex`;
  const timerUnlock = `${hsRead};${tconnRead};runtime.unlock;runtime.futexwakeup;runtime.futex`;
  s.add(`${sched};runtime.stopm;runtime.notesleep;runtime.futexsleep;runtime.futex`, Math.round(futexLeft * 0.3));
  s.add(
    'runtime.mcall;runtime.park_m;runtime.schedule;runtime.resetspinning;runtime.wakep;runtime.startm;runtime.notewakeup;runtime.futexwakeup;runtime.futex',
    Math.round(futexLeft * 0.15),
  );
  s.add(timerLock, Math.round(futexLeft * 0.25));
  s.add(timerUnlock, Math.round(futexLeft * 0.2));
  s.add(
    'runtime.goexit;runtime.timerproc;runtime.lock;runtime.futexsleep;runtime.futex',
    futex.flat - s.sumEndingWith('runtime.futex'),
  );

  // Everything else.
  const bg = background(hs, full, hsRead, func4, put, gcw, sched);
  const bgTotal = N - s.total();
  s.background(bgTotal, bg);
  s.assertBelow(pin.flat, R);
  return s.finish({
    timeNanos: BigInt(Date.UTC(2018, 6, 3, 8, 13, 20)) * 1000000n,
    durationNanos: Math.round((N / 100 / 13.0643) * 1e9),
    tableFiles: tableFiles(R),
    comment:
      'rebuilt by pprof-doctor from document 003 (etcd clientv3 lease keepalive incident), leader CPU table with peer TLS; not a raw profile',
  });
}

function background(hs, full, hsRead, func4, put, gcw, sched) {
  const conn = 'runtime.goexit;net/http.(*conn).serve';
  const accept = 'runtime.goexit;net/http.(*Server).Serve;net.(*TCPListener).Accept;net.(*TCPListener).accept';
  const leaseH = `${conn};net/http.serverHandler.ServeHTTP;net/http.(*ServeMux).ServeHTTP;${E}lease/leasehttp.(*leaseHandler).ServeHTTP`;
  const lk = `runtime.goexit;${E}etcdserver/api/v3rpc.(*LeaseServer).LeaseKeepAlive.func1;${E}etcdserver/api/v3rpc.(*LeaseServer).leaseKeepAlive`;
  const readFrames =
    'runtime.goexit;net/http.(*http2serverConn).readFrames;net/http.(*http2Framer).ReadFrame;io.ReadFull;io.ReadAtLeast;crypto/tls.(*Conn).Read;crypto/tls.(*Conn).readRecord';
  const h2 = `${conn};net/http.http2ConfigureServer.func1;net/http.(*http2Server).ServeConn;net/http.(*http2serverConn).serve`;
  const certs = `${full};crypto/tls.(*serverHandshakeState).processCertsFromClient`;
  const parseCert = `${certs};crypto/x509.ParseCertificate;crypto/x509.parseCertificate`;
  const asn1 = `${certs};crypto/x509.ParseCertificate;encoding/asn1.Unmarshal;encoding/asn1.UnmarshalWithParams;encoding/asn1.parseField`;
  const sign = `${full};crypto/tls.(*ecdheKeyAgreement).generateServerKeyExchange;crypto/rsa.SignPKCS1v15;crypto/rsa.decryptAndCheck;crypto/rsa.decrypt`;
  const deadline = `${hsRead};${E}pkg/transport.(*timeoutConn).Read;net.(*conn).SetReadDeadline;net.(*netFD).setReadDeadline;net.setDeadlineImpl;net.runtime_pollSetDeadline`;
  const scanstack = `${gcw};runtime.markroot;runtime.markroot.func1;runtime.scang;runtime.scanstack;runtime.gentraceback`;
  return [
    // TLS handshake work besides the big-number arithmetic.
    [`${full};crypto/tls.(*finishedHash).Write;crypto/sha256.(*digest).Write;crypto/sha256.block`, 1800],
    [
      `${full};crypto/tls.(*serverHandshakeState).establishKeys;crypto/tls.prf12;crypto/tls.pHash;crypto/hmac.(*hmac).Write`,
      900,
    ],
    [`${full};crypto/tls.(*serverHandshakeState).establishKeys;crypto/tls.prf12;crypto/tls.pHash`, 700],
    [
      `${full};crypto/tls.(*serverHandshakeState).establishKeys;crypto/tls.cipherAES;crypto/aes.NewCipher;crypto/aes.newCipher;crypto/aes.expandKeyAsm`,
      500,
    ],
    [
      `${full};crypto/tls.(*serverHandshakeState).establishKeys;crypto/tls.aeadAESGCM;crypto/cipher.NewGCM;crypto/aes.(*aesCipherGCM).NewGCM;crypto/aes.gcmAesInit`,
      500,
    ],
    [asn1, 1600],
    [`${asn1};encoding/asn1.parseTagAndLength`, 900],
    [`${asn1};encoding/asn1.parseField;reflect.Value.Field`, 600],
    [`${asn1};encoding/asn1.parseField;encoding/asn1.parseObjectIdentifier`, 500],
    [`${asn1};encoding/asn1.parseField;encoding/asn1.parseBigInt;math/big.(*Int).SetBytes;math/big.nat.setBytes`, 600],
    [parseCert, 800],
    [`${parseCert};crypto/x509.parsePublicKey;encoding/asn1.Unmarshal;encoding/asn1.UnmarshalWithParams`, 400],
    [
      `${certs};crypto/x509.(*Certificate).Verify;crypto/x509.(*Certificate).buildChains;crypto/x509.(*CertPool).findVerifiedParents`,
      500,
    ],
    [`${sign};math/big.(*Int).Exp;math/big.nat.expNN;math/big.nat.expNNMontgomery;math/big.nat.norm`, 700],
    [`${sign};math/big.(*Int).Exp;math/big.nat.expNN;math/big.nat.expNNMontgomery`, 1500],
    [`${sign};math/big.(*Int).Mul;math/big.nat.mul;math/big.basicMul`, 1500],
    [`${sign};math/big.(*Int).Add;math/big.nat.add;math/big.addVW`, 500],
    [
      `${sign};math/big.(*Int).ModInverse;math/big.(*Int).GCD;math/big.(*Int).QuoRem;math/big.nat.div;math/big.nat.divW;math/big.divWW`,
      600,
    ],
    [`${sign};math/big.(*Int).ModInverse;math/big.(*Int).GCD;math/big.(*Int).Mul;math/big.nat.mul`, 400],
    [`${sign};crypto/rand.Int;math/big.(*Int).SetBytes;math/big.nat.setBytes`, 300],
    [
      `${full};crypto/tls.(*Conn).readHandshake;crypto/tls.(*Conn).readRecord;crypto/tls.(*halfConn).decrypt;crypto/cipher.(*gcmAsm).Open;crypto/aes.gcmAesDec`,
      400,
    ],
    [`${hs};crypto/tls.(*Conn).readHandshake;crypto/tls.(*clientHelloMsg).unmarshal`, 600],
    [`${full};crypto/tls.(*Conn).writeRecord;crypto/cipher.(*gcmAsm).Seal;crypto/aes.gcmAesEnc`, 500],
    [`${full};crypto/tls.(*serverHelloMsg).marshal`, 300],
    [`${full};crypto/tls.(*certificateMsg).marshal`, 300],
    // Client-port traffic (renewals and other RPCs).
    [`${readFrames};crypto/tls.(*halfConn).decrypt;crypto/cipher.(*gcmAsm).Open;crypto/aes.gcmAesDec`, 1300],
    [`${readFrames}`, 600],
    [
      `${h2};net/http.(*http2serverConn).writeFrame;net/http.(*http2serverConn).startFrameWrite;net/http.(*http2bufferedWriter).Flush;bufio.(*Writer).Flush;crypto/tls.(*Conn).Write;crypto/tls.(*Conn).writeRecord;crypto/cipher.(*gcmAsm).Seal;crypto/aes.gcmAesEnc`,
      1300,
    ],
    [
      `${h2};net/http.(*http2serverConn).processFrameFromReader;net/http.(*http2serverConn).processFrame;net/http.(*http2serverConn).processData`,
      700,
    ],
    [
      `${h2};net/http.(*http2serverConn).processFrameFromReader;net/http.(*http2serverConn).processFrame;net/http.(*http2serverConn).processHeaders;net/http.(*http2serverConn).newWriterAndRequest`,
      600,
    ],
    [
      `runtime.goexit;net/http.(*http2serverConn).readFrames;net/http.(*http2Framer).ReadFrame;net/http.(*http2Framer).readMetaFrame;net/http.(*http2Decoder).Write;net/http.(*http2Decoder).parseHeaderFieldRepr`,
      500,
    ],
    [put, 1300],
    [`${put};sync.(*Mutex).Lock`, 900],
    [`${put};sync.(*Mutex).Unlock`, 500],
    [`${func4};net/http.(*http2requestBody).Read;net/http.(*http2pipe).Read`, 500],
    [
      `${lk};${G}grpc.(*serverStream).RecvMsg;${G}grpc.recv;${G}grpc.(*parser).recvMsg;io.ReadAtLeast;${G}transport.(*transportReader).Read;${G}transport.(*recvBufferReader).Read`,
      700,
    ],
    [
      `${lk};${G}grpc.(*serverStream).RecvMsg;${G}grpc.recv;${G}grpc.(*parser).recvMsg;io.ReadAtLeast;${G}transport.(*transportReader).Read;${G}transport.(*recvBufferReader).Read;${G}transport.(*recvBuffer).load`,
      500,
    ],
    [`${lk};${G}grpc.(*serverStream).RecvMsg;${G}grpc.recv;${G}grpc.(*parser).recvMsg`, 400],
    [`${lk};${G}grpc.(*serverStream).RecvMsg;${E}etcdserver/etcdserverpb.(*LeaseKeepAliveRequest).Unmarshal`, 300],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;${G}grpc.encode;${G}grpc.protoCodec.Marshal;github.com/coreos/etcd/cmd/vendor/github.com/golang/protobuf/proto.Marshal`,
      400,
    ],
    [`${lk};${E}etcdserver.(*EtcdServer).LeaseRenew;${E}lease.(*lessor).Renew`, 500],
    [
      `${lk};${E}etcdserver.(*EtcdServer).LeaseRenew;${E}lease.(*lessor).Renew;sync.(*RWMutex).Lock;sync.(*Mutex).Lock`,
      600,
    ],
    [
      `${lk};${G}grpc.(*serverStream).RecvMsg;github.com/coreos/etcd/cmd/vendor/github.com/grpc-ecosystem/go-grpc-prometheus.(*serverReporter).ReceivedMessage;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.(*CounterVec).WithLabelValues;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.(*MetricVec).hashLabelValues;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.hashAdd`,
      300,
    ],
    // Renewals forwarded by followers on the peer port.
    [`${leaseH};${E}lease.(*lessor).Renew`, 400],
    [`${leaseH};${E}lease.(*lessor).Renew;runtime.mapaccess2_fast64`, 400],
    [`${leaseH};${E}etcdserver/etcdserverpb.(*LeaseKeepAliveRequest).Unmarshal`, 200],
    [`${leaseH};${E}lease.(*lessor).Renew;sync.(*RWMutex).Lock;sync.(*Mutex).Lock`, 500],
    [`${leaseH};runtime.deferreturn`, 800],
    [`${leaseH};runtime.deferreturn;runtime.freedefer`, 300],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader`, 900],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;net/textproto.canonicalMIMEHeaderKey`,
      600,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;runtime.slicebytetostring`,
      600,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;runtime.mapassign`,
      700,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;bytes.IndexByte`,
      500,
    ],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest`, 400],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest;net/url.ParseRequestURI;net/url.parse`, 300],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/http.Header.get;net/textproto.MIMEHeader.Get;runtime.mapaccess1_faststr`,
      900,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/http.Header.get;net/textproto.MIMEHeader.Get;runtime.mapaccess1_faststr;runtime.aeshashbody`,
      700,
    ],
    [
      `${conn};net/http.(*response).finishRequest;net/http.(*chunkWriter).Write;net/http.(*chunkWriter).writeHeader;net/http.Header.WriteSubset`,
      500,
    ],
    [
      `${conn};net/http.(*response).finishRequest;net/http.(*chunkWriter).Write;net/http.(*chunkWriter).writeHeader;net/http.Header.WriteSubset;net/http.Header.sortedKeyValues`,
      400,
    ],
    [`${conn};context.WithCancel;context.propagateCancel;runtime.mapassign`, 400],
    [`${conn};net/http.(*conn).setState;net/http.(*Server).trackConn;runtime.mapdelete`, 400],
    [`${conn};net/http.(*conn).serve.func1;context.(*cancelCtx).cancel;context.removeChild;runtime.mapdelete`, 300],
    [`${conn}`, 200],
    [`${conn};runtime.morestack;runtime.newstack`, 300],
    [`${conn};runtime.morestack;runtime.newstack;runtime.copystack`, 400],
    [
      `${conn};runtime.morestack;runtime.newstack;runtime.copystack;runtime.gentraceback;runtime.adjustframe;runtime.adjustpointers`,
      500,
    ],
    // Accepting and closing a connection per renewal.
    [`${accept};net.(*netFD).accept;net.accept;syscall.Accept4;syscall.accept4;syscall.Syscall6`, 1000],
    [`${accept};net.setKeepAlive;syscall.SetsockoptInt;syscall.setsockopt;syscall.Syscall6`, 500],
    [
      `${accept};net.(*netFD).accept;net.(*netFD).init;net.(*pollDesc).init;net.runtime_pollOpen;runtime.netpollopen;runtime.epollctl`,
      800,
    ],
    [`${accept};net.(*netFD).accept;net.newFD`, 300],
    [
      'runtime.goexit;net/http.(*Server).Serve;runtime.newproc;runtime.systemstack;runtime.newproc.func1;runtime.newproc1',
      700,
    ],
    [
      'runtime.goexit;net/http.(*Server).Serve;runtime.newproc;runtime.systemstack;runtime.newproc.func1;runtime.newproc1;runtime.gfget',
      300,
    ],
    ['runtime.mcall;runtime.goexit0', 500],
    ['runtime.mcall;runtime.goexit0;runtime.gfput', 300],
    [deadline, 400],
    [`${deadline};runtime.deltimer`, 1000],
    [`${deadline};runtime.deltimer;runtime.siftupTimer`, 700],
    [`${deadline};runtime.addtimer`, 400],
    [`${deadline};runtime.addtimer;runtime.addtimerLocked;runtime.siftupTimer`, 800],
    [`${deadline};runtime.deltimer;runtime.lock`, 1800],
    [`${deadline};runtime.deltimer;runtime.lock;runtime.procyield`, 1500],
    [`${deadline};runtime.deltimer;runtime.lock;runtime.osyield`, 900],
    [`${deadline};runtime.deltimer;runtime.unlock`, 1200],
    ['runtime.goexit;runtime.timerproc', 500],
    ['runtime.goexit;runtime.timerproc;runtime.nanotime', 600],
    ['runtime.goexit;runtime.timerproc;time.sendTime;runtime.selectnbsend;runtime.chansend', 400],
    // Scheduler and select.
    [sched, 1800],
    [`${sched};runtime.runqgrab`, 1500],
    [`${sched};runtime.netpoll;runtime.epollwait`, 1200],
    [`${sched};runtime.netpoll`, 400],
    ['runtime.mstart;runtime.mstart1;runtime.sysmon;runtime.usleep', 1000],
    ['runtime.mstart;runtime.mstart1;runtime.sysmon;runtime.retake', 300],
    ['runtime.mstart;runtime.mstart1;runtime.schedule', 900],
    ['runtime.mstart;runtime.mstart1;runtime.schedule;runtime.execute', 500],
    ['runtime.mstart;runtime.mstart1;runtime.schedule;runtime.execute;runtime.casgstatus', 600],
    ['runtime.mcall;runtime.park_m;runtime.casgstatus', 500],
    ['runtime.mcall;runtime.park_m', 400],
    [`runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.selectgo;runtime.selectgoImpl`, 600],
    [`runtime.goexit;${E}rafthttp.(*streamWriter).run;runtime.selectgo;runtime.selectgoImpl`, 500],
    ['runtime.goexit;net/http.(*persistConn).writeLoop;runtime.selectgo;runtime.selectgoImpl', 400],
    [
      `${lk};${G}grpc.(*serverStream).RecvMsg;${G}grpc.recv;${G}grpc.(*parser).recvMsg;io.ReadAtLeast;${G}transport.(*transportReader).Read;${G}transport.(*recvBufferReader).Read;runtime.selectgo;runtime.selectgoImpl`,
      300,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.selectgo;runtime.selectgoImpl;runtime.sellock`,
      700,
    ],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;${G}transport.(*serverHandlerTransport).Write;${G}transport.(*serverHandlerTransport).do;runtime.chansend1;runtime.chansend`,
      800,
    ],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;${G}transport.(*serverHandlerTransport).Write;${G}transport.(*serverHandlerTransport).do;runtime.chansend1;runtime.chansend;runtime.goready;runtime.systemstack;runtime.goready.func1;runtime.ready`,
      500,
    ],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;${G}transport.(*serverHandlerTransport).Write;${G}transport.(*serverHandlerTransport).do;runtime.chansend1;runtime.chansend;runtime.goready;runtime.systemstack;runtime.goready.func1;runtime.ready;runtime.runqput`,
      400,
    ],
    [`runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.chanrecv1;runtime.chanrecv`, 800],
    [`runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.chanrecv1;runtime.chanrecv;runtime.gopark`, 400],
    // GC.
    [gcw, 1500],
    [`${gcw};runtime.markroot;runtime.markrootSpans`, 800],
    [`${gcw};runtime.(*gcWork).balance;runtime.handoff`, 300],
    [`${gcw};runtime.markroot;runtime.markrootBlock;runtime.scanblock`, 700],
    [scanstack, 1500],
    [`${scanstack};runtime.funcspdelta;runtime.pcvalue`, 1800],
    [`${scanstack};runtime.funcspdelta;runtime.pcvalue;runtime.step`, 1500],
    [`${scanstack};runtime.funcspdelta;runtime.pcvalue;runtime.step;runtime.readvarint`, 900],
    [`${scanstack};runtime.findfunc`, 700],
    [`${scanstack};runtime.funcspdelta`, 200],
    [`${scanstack};runtime.scanstack.func1;runtime.scanframeworker`, 300],
    [`${scanstack};runtime.scanstack.func1;runtime.scanframeworker;runtime.scanblock`, 300],
    [
      'runtime.goexit;runtime.bgsweep;runtime.gosweepone;runtime.systemstack;runtime.gosweepone.func1;runtime.sweepone;runtime.(*mspan).sweep',
      800,
    ],
    [
      'runtime.goexit;runtime.bgsweep;runtime.gosweepone;runtime.systemstack;runtime.gosweepone.func1;runtime.sweepone;runtime.(*mspan).sweep;runtime.(*mheap).freeSpan',
      500,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.writebarrierptr;runtime.writebarrierptr_prewrite1;runtime.systemstack;runtime.writebarrierptr_prewrite1.func1;runtime.gcmarkwb_m`,
      900,
    ],
    [`${put};runtime.growslice;runtime.typedmemmove`, 700],
    [`${put};runtime.growslice`, 600],
    [`${put};runtime.writebarrierptr`, 800],
    // Leases expiring: the lessor scans every lease twice a second (3.2 lessor).
    [`runtime.goexit;${E}lease.(*lessor).runLoop;${E}lease.(*lessor).findExpiredLeases`, 500],
    [`runtime.goexit;${E}lease.(*lessor).runLoop;${E}lease.(*lessor).findExpiredLeases;runtime.mapiternext`, 600],
    // raft/WAL on the leader.
    [
      `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;${E}wal.(*WAL).Save;${E}wal.(*encoder).encode;${E}pkg/crc.(*digest).Write;hash/crc32.Update;hash/crc32.updateCastagnoli;hash/crc32.castagnoliSSE42`,
      400,
    ],
    [`runtime.goexit;${E}raft.(*node).run;${E}raft.(*raft).Step;${E}raft.stepLeader`, 300],
    [
      `runtime.goexit;${E}rafthttp.(*streamWriter).run;${E}rafthttp.(*messageEncoder).encode;${E}pkg/pbutil.MustMarshal;${E}raft/raftpb.(*Message).Marshal`,
      300,
    ],
    [
      `runtime.goexit;${E}rafthttp.(*streamWriter).run;${E}rafthttp.(*messageEncoder).encode;crypto/tls.(*Conn).Write;crypto/tls.(*Conn).writeRecord;crypto/cipher.(*gcmAsm).Seal;crypto/aes.gcmAesEnc`,
      300,
    ],
    // Atomics and locks elsewhere.
    [`${sched};runtime.runqsteal`, 500],
    [`${sched};runtime.(*gcControllerState).findRunnableGCWorker`, 300],
    [`${h2};net/http.(*http2serverConn).writeFrame;net/http.(*http2serverConn).startFrameWrite`, 300],
    [`${lk};${E}etcdserver/api/v3rpc.(*header).fill`, 300],
  ].filter(([, w]) => w > 0);
}
