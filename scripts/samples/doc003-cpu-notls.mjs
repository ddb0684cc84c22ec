// Leader CPU profile of document 003, taken after TLS between members was switched off:
// "Duration: 30.01s, Total samples = 6.16mins (1231.36%)" at Jul 3, 2018 4:55pm CST.
//
// The table gives per-function flat/cum only. The call stacks below are ours: real Go 1.8 runtime
// and net/http call chains of an etcd 3.2 leader whose followers forward lease renewals over
// HTTP/1.1 (`POST /leases` on the peer port, a fresh connection per request) — read/write deadlines
// on every peer connection churn the global timer heap (`deltimer`/`addtimer` under one lock), which
// is what the table's runtime.lock/unlock/deltimer/futex rows show.

import { fitRows, parseTopTable, tableFiles } from './lib.mjs';
import { CpuStacks, E, G } from './frames.mjs';

export const fixture = 'etcd-3.2.23-leader-cpu-notls.top.txt';

export function build(tableText) {
  const table = parseTopTable(tableText);
  const N = 36953; // 369.53 s of samples: prints "6.16mins" and 1231.36% of 30.01 s
  const R = fitRows(table, N, 0.01);
  const row = (name) => {
    const k = Object.keys(R).find((x) => R[x].name === name);
    if (!k) throw new Error(`no row ${name}`);
    return R[k];
  };
  const futex = row('runtime.futex');
  const sys = row('syscall.Syscall');
  const ext = row('runtime._ExternalCode');
  const lock = row('runtime.lock');
  const procyield = row('runtime.procyield');
  const selectgo = row('runtime.selectgoImpl');
  const osyield = row('runtime.osyield');
  const unlock = row('runtime.unlock');
  const malloc = row('runtime.mallocgc');
  const hbfo = row('runtime.heapBitsForObject');
  const scan = row('runtime.scanobject');
  const siftup = row('runtime.siftupTimer');
  const grey = row('runtime.greyobject');
  const deferret = row('runtime.deferreturn');
  const deltimer = row('runtime.deltimer');
  const pcvalue = row('runtime.pcvalue');
  const siftdown = row('runtime.siftdownTimer');
  const gentb = row('runtime.gentraceback');
  const casg = row('runtime.casgstatus');
  const memmove = row('runtime.memmove');

  const s = new CpuStacks();

  // Peer connections (etcd's timeout listener wraps every accepted conn in timeoutConn, which sets
  // a read/write deadline before each Read/Write).
  const httpRead = [
    'runtime.goexit',
    'net/http.(*conn).serve',
    'net/http.(*conn).readRequest',
    'net/http.readRequest',
    'net/textproto.(*Reader).ReadLine',
    'net/textproto.(*Reader).readLineSlice',
    'bufio.(*Reader).ReadLine',
    'bufio.(*Reader).ReadSlice',
    'bufio.(*Reader).fill',
    'net/http.(*connReader).Read',
    `${E}pkg/transport.(*timeoutConn).Read`,
  ].join(';');
  const httpWrite = [
    'runtime.goexit',
    'net/http.(*conn).serve',
    'net/http.(*response).finishRequest',
    'bufio.(*Writer).Flush',
    'net/http.checkConnErrorWriter.Write',
    `${E}pkg/transport.(*timeoutConn).Write`,
  ].join(';');
  const pcRead = [
    'runtime.goexit',
    'net/http.(*persistConn).readLoop',
    'bufio.(*Reader).Peek',
    'bufio.(*Reader).fill',
    'net/http.(*persistConn).Read',
    `${E}pkg/transport.(*timeoutConn).Read`,
  ].join(';');
  const rd = 'net.(*conn).SetReadDeadline;net.(*netFD).setReadDeadline;net.setDeadlineImpl;net.runtime_pollSetDeadline';
  const wd =
    'net.(*conn).SetWriteDeadline;net.(*netFD).setWriteDeadline;net.setDeadlineImpl;net.runtime_pollSetDeadline';
  const rDeadline = `${httpRead};${rd}`;
  const wDeadline = `${httpWrite};${wd}`;
  const pDeadline = `${pcRead};${rd}`;

  // deltimer: the timer heap lock dominates.
  const dtLock = 3500;
  const dtSift = {
    'runtime.siftdownTimer': 140,
    'runtime.siftdownTimer;runtime.writebarrierptr': 10,
    'runtime.siftupTimer': 100,
  };
  const dtUnlock = deltimer.cum - deltimer.flat - dtLock - 250;
  s.spread(
    'runtime.deltimer',
    { '': deltimer.flat, 'runtime.lock': dtLock, 'runtime.unlock': dtUnlock, ...dtSift },
    { [rDeadline]: 3000, [wDeadline]: 2000, [pDeadline]: deltimer.cum - 5000 },
  );
  // addtimer re-arms the deadline timer.
  const atSiftup = siftup.flat - 100;
  s.spread(
    'runtime.addtimer',
    {
      '': 20,
      'runtime.lock': 1200,
      'runtime.unlock': 1500,
      'runtime.addtimerLocked': 30,
      'runtime.addtimerLocked;runtime.siftupTimer': atSiftup,
    },
    { [rDeadline]: 1100, [wDeadline]: 700, [pDeadline]: 20 + 1200 + 1500 + 30 + atSiftup - 1800 },
  );

  // select statements (sellock/selunlock take every channel's lock).
  // LeaseKeepAlive runs its receive loop in a goroutine of its own (LeaseKeepAlive.func1).
  const lkStream = [
    'runtime.goexit',
    `${E}etcdserver/api/v3rpc.(*LeaseServer).LeaseKeepAlive.func1`,
    `${E}etcdserver/api/v3rpc.(*LeaseServer).leaseKeepAlive`,
  ].join(';');
  const recvMsg = `${lkStream};${G}grpc.(*serverStream).RecvMsg;${G}grpc.recv;${G}grpc.(*parser).recvMsg`;
  const sg = 'runtime.selectgo;runtime.selectgoImpl';
  s.spread(
    sg,
    {
      '': selectgo.flat,
      'runtime.sellock;runtime.lock': 300,
      'runtime.selunlock;runtime.unlock': selectgo.cum - selectgo.flat - 300,
    },
    {
      'runtime.goexit;net/http.(*persistConn).writeLoop': 300,
      'runtime.goexit;net/http.(*persistConn).readLoop': 300,
      [`${recvMsg};io.ReadAtLeast;${G}transport.(*transportReader).Read;${G}transport.(*recvBufferReader).Read`]: 400,
      [`runtime.goexit;${E}etcdserver.(*raftNode).start.func1`]: 175,
      [`runtime.goexit;${E}rafthttp.(*streamWriter).run`]: selectgo.cum - 1175,
    },
  );

  // Allocation (mcentral locks, GC assist).
  const mOther = 45 + 5 + 20 + 300 + 350 + 154 + 120 + 150 + 100;
  const cache = 'runtime.(*mcache).nextFree;runtime.(*mcache).refill;runtime.(*mcentral).cacheSpan';
  s.spread(
    'runtime.mallocgc',
    {
      '': malloc.flat,
      'runtime.(*mcache).nextFree': 45,
      'runtime.(*mcache).nextFree;runtime.(*mcache).refill': 5,
      [cache]: 20,
      [`${cache};runtime.lock`]: 300,
      [`${cache};runtime.unlock`]: 350,
      [`${cache};runtime.(*mspan).sweep`]: 154,
      [`${cache};runtime.(*mcentral).grow;runtime.(*mheap).alloc;runtime.systemstack;runtime.(*mheap).alloc.func1;runtime.(*mheap).alloc_m`]: 120,
      'runtime.heapBitsSetType': 150,
      'runtime.memclrNoHeapPointers': 100,
      'runtime.gcAssistAlloc;runtime.systemstack;runtime.gcAssistAlloc.func1;runtime.gcAssistAlloc1;runtime.gcDrainN;runtime.scanobject':
        malloc.cum - malloc.flat - mOther,
    },
    {
      'runtime.goexit;net/http.(*conn).serve;net/http.(*conn).readRequest;net/http.readRequest;runtime.newobject': 400,
      'runtime.goexit;net/http.(*conn).serve;net/http.newBufioReader;bufio.NewReaderSize;runtime.makeslice': 350,
      'runtime.goexit;net/http.(*conn).serve;net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;runtime.makemap': 300,
      'runtime.goexit;net/http.(*conn).serve;context.WithCancel;runtime.newobject': 200,
      [`runtime.goexit;${E}rafthttp.(*streamReader).decodeLoop;${E}rafthttp.(*messageDecoder).decode;runtime.makeslice`]: 300,
      [`${recvMsg};runtime.makeslice`]: malloc.cum - 1550,
    },
  );

  // GC mark work: background workers + the assists above.
  const gcw = 'runtime.goexit;runtime.gcBgMarkWorker;runtime.systemstack;runtime.gcBgMarkWorker.func2;runtime.gcDrain';
  const assisted = s.sumEndingWith('runtime.scanobject');
  s.add(`${gcw};runtime.scanobject`, scan.cum - assisted);
  const scanGrey = 180;
  s.expand('runtime.scanobject', {
    '': scan.flat,
    'runtime.heapBitsForObject': scan.cum - scan.flat - scanGrey,
    'runtime.greyobject': scanGrey,
  });
  const hbfoRest = hbfo.flat - (scan.cum - scan.flat - scanGrey);
  const greyRest = grey.flat - scanGrey;
  // Stack scanning of thousands of goroutines walks their frames.
  const frameCb = 'runtime.scanstack.func1;runtime.scanframeworker';
  const gtFixed = gentb.flat + 66 + pcvalue.cum + 20 + 60 + hbfoRest + greyRest;
  s.add(
    `${gcw};runtime.markroot;runtime.markroot.func1;runtime.scang;runtime.scanstack;runtime.gentraceback`,
    gentb.cum,
  );
  s.expand('runtime.gentraceback', {
    '': gentb.flat,
    'runtime.funcspdelta': 66,
    'runtime.funcspdelta;runtime.pcvalue': pcvalue.cum,
    'runtime.findfunc': gentb.cum - gtFixed,
    [frameCb]: 20,
    [`${frameCb};runtime.scanblock`]: 60,
    [`${frameCb};runtime.scanblock;runtime.heapBitsForObject`]: hbfoRest,
    [`${frameCb};runtime.scanblock;runtime.greyobject`]: greyRest,
  });
  s.expand('runtime.pcvalue', {
    '': pcvalue.flat,
    'runtime.step': 205,
    'runtime.step;runtime.readvarint': 180,
    'runtime.findmoduledatap': pcvalue.cum - pcvalue.flat - 385,
  });

  // Lease renewals arriving from followers: lessor.Renew takes a deferred unlock.
  const leaseH = `runtime.goexit;net/http.(*conn).serve;net/http.serverHandler.ServeHTTP;net/http.(*ServeMux).ServeHTTP;${E}lease/leasehttp.(*leaseHandler).ServeHTTP`;
  s.spread(
    'runtime.deferreturn',
    { '': deferret.flat, 'runtime.freedefer': 100, 'runtime.jmpdefer': deferret.cum - deferret.flat - 100 },
    { [`${leaseH};${E}lease.(*lessor).Renew`]: 250, [leaseH]: deferret.cum - 250 },
  );

  // Network system calls on the churned peer connections.
  const sysTemplate = {
    '': sys.flat,
    'runtime.entersyscall;runtime.reentersyscall': 60,
    'runtime.exitsyscall;runtime.casgstatus': 63,
    'runtime.exitsyscall;runtime.exitsyscallfast': sys.cum - sys.flat - 123,
  };
  const rdCall = 'net.(*conn).Read;net.(*netFD).Read;syscall.Read;syscall.read';
  const wrCall = 'net.(*conn).Write;net.(*netFD).Write;syscall.Write;syscall.write';
  s.spread('syscall.Syscall', sysTemplate, {
    [`${httpRead};${rdCall}`]: 1200,
    [`${pcRead};${rdCall}`]: 800,
    [`${httpWrite};${wrCall}`]: 900,
    [`runtime.goexit;net/http.(*persistConn).writeLoop;net/http.(*Request).write;bufio.(*Writer).Flush;net/http.persistConnWriter.Write;${E}pkg/transport.(*timeoutConn).Write;${wrCall}`]: 617,
    'runtime.goexit;net/http.(*conn).serve;net/http.(*conn).close;net.(*conn).Close;net.(*netFD).Close;net.(*netFD).decref;net.(*netFD).destroy;syscall.Close':
      sys.cum - 3517,
  });

  s.add('runtime._System;runtime._ExternalCode', ext.flat);

  // Scheduler.
  const sched = 'runtime.mstart;runtime.mstart1;runtime.schedule';
  s.add(`${sched};runtime.execute;runtime.casgstatus`, 80);
  s.add('runtime.mcall;runtime.park_m;runtime.casgstatus', casg.flat - 63 - 80);
  s.add(`${sched};runtime.findrunnable;runtime.lock`, 1100);
  s.add(`${sched};runtime.findrunnable;runtime.unlock`, 1140);

  // Channel operations.
  s.add(
    `${lkStream};${G}grpc.(*serverStream).SendMsg;${G}transport.(*serverHandlerTransport).Write;${G}transport.(*serverHandlerTransport).do;runtime.chansend1;runtime.chansend;runtime.lock`,
    300,
  );
  s.add(
    `${lkStream};${G}grpc.(*serverStream).SendMsg;${G}transport.(*serverHandlerTransport).Write;${G}transport.(*serverHandlerTransport).do;runtime.chansend1;runtime.chansend;runtime.unlock`,
    400,
  );
  s.add(`runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.chansend1;runtime.chansend;runtime.lock`, 300);
  s.add(`runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.chansend1;runtime.chansend;runtime.unlock`, 400);

  // The timer goroutine.
  const lockSoFar = s.sumEndingWith('runtime.lock');
  const unlockSoFar = s.sumEndingWith('runtime.unlock');
  s.spread(
    'runtime.timerproc',
    {
      '': 50,
      'runtime.lock': lock.cum - lockSoFar,
      'runtime.unlock': unlock.cum - unlockSoFar,
      'runtime.siftdownTimer': siftdown.flat - 140,
      'runtime.siftdownTimer;runtime.writebarrierptr': siftdown.cum - siftdown.flat - 10,
    },
    { 'runtime.goexit': 50 + lock.cum - lockSoFar + unlock.cum - unlockSoFar + siftdown.cum - 150 },
  );

  // runtime.lock / unlock themselves: spinning, then sleeping / waking on the futex.
  const lockFutex = lock.cum - lock.flat - procyield.flat - osyield.flat - 60;
  s.expand('runtime.lock', {
    '': lock.flat,
    'runtime.procyield': procyield.flat,
    'runtime.osyield': osyield.flat,
    'runtime.futexsleep': 60,
    'runtime.futexsleep;runtime.futex': lockFutex,
  });
  const unlockFutex = unlock.cum - unlock.flat - 40;
  s.expand('runtime.unlock', {
    '': unlock.flat,
    'runtime.futexwakeup': 40,
    'runtime.futexwakeup;runtime.futex': unlockFutex,
  });
  s.add(
    `${sched};runtime.findrunnable;runtime.stopm;runtime.notesleep;runtime.futexsleep;runtime.futex`,
    futex.flat - lockFutex - unlockFutex,
  );

  // Copies.
  s.add(
    'runtime.goexit;net/http.(*conn).serve;net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;net/textproto.(*Reader).readContinuedLineSlice;bufio.(*Reader).ReadLine;bufio.(*Reader).ReadSlice;bufio.(*Reader).fill;runtime.memmove',
    120,
  );
  s.add(`${recvMsg};runtime.chanrecv1;runtime.chanrecv;runtime.typedmemmove;runtime.memmove`, memmove.flat - 120);

  // Everything else: many small functions, none reaching the table's 20th row.
  const bg = backgroundNoTls();
  const bgTotal = N - s.total();
  s.background(bgTotal, bg);
  s.assertBelow(memmove.flat, R);
  return s.finish({
    timeNanos: BigInt(Date.UTC(2018, 6, 3, 8, 55, 12)) * 1000000n,
    durationNanos: 30010000000,
    tableFiles: tableFiles(R),
    comment:
      'rebuilt by pprof-doctor from document 003 (etcd clientv3 lease keepalive incident), leader CPU table without peer TLS; not a raw profile',
  });
}

function backgroundNoTls() {
  const sched = 'runtime.mstart;runtime.mstart1;runtime.schedule';
  const conn = 'runtime.goexit;net/http.(*conn).serve';
  const accept = 'runtime.goexit;net/http.(*Server).Serve;net.(*TCPListener).Accept;net.(*TCPListener).accept';
  const leaseH = `${conn};net/http.serverHandler.ServeHTTP;net/http.(*ServeMux).ServeHTTP;${E}lease/leasehttp.(*leaseHandler).ServeHTTP`;
  const lk = `runtime.goexit;${E}etcdserver/api/v3rpc.(*LeaseServer).LeaseKeepAlive.func1;${E}etcdserver/api/v3rpc.(*LeaseServer).leaseKeepAlive`;
  const h2 = `${conn};net/http.http2ConfigureServer.func1;net/http.(*http2Server).ServeConn;net/http.(*http2serverConn).serve`;
  const gcw = 'runtime.goexit;runtime.gcBgMarkWorker;runtime.systemstack;runtime.gcBgMarkWorker.func2;runtime.gcDrain';
  return [
    [`${sched};runtime.findrunnable;runtime.runqgrab`, 180],
    [`${sched};runtime.findrunnable;runtime.netpoll;runtime.epollwait`, 190],
    [`${sched};runtime.findrunnable`, 170],
    [`${sched};runtime.findrunnable;runtime.netpoll`, 100],
    [sched, 120],
    [`${sched};runtime.execute`, 90],
    [`${sched};runtime.findrunnable;runtime.runqsteal`, 80],
    ['runtime.mstart;runtime.mstart1;runtime.sysmon;runtime.usleep', 190],
    ['runtime.mstart;runtime.mstart1;runtime.sysmon;runtime.retake', 100],
    ['runtime.mstart;runtime.mstart1;runtime.sysmon', 80],
    ['runtime.mcall;runtime.park_m', 60],
    ['runtime.mcall;runtime.goexit0', 90],
    ['runtime.mcall;runtime.goexit0;runtime.gfput', 50],
    ['runtime.goexit;runtime.timerproc;runtime.nanotime', 150],
    ['runtime.goexit;runtime.timerproc;time.sendTime;runtime.selectnbsend;runtime.chansend', 120],
    [`runtime.goexit;${E}lease.(*lessor).runLoop;${E}lease.(*lessor).findExpiredLeases`, 100],
    [`runtime.goexit;${E}lease.(*lessor).runLoop;${E}lease.(*lessor).findExpiredLeases;runtime.mapiternext`, 150],
    [`runtime.goexit;${E}lease.(*lessor).runLoop;${E}lease.(*lessor).findExpiredLeases;time.Time.Sub`, 60],
    [`runtime.goexit;${E}lease.(*lessor).runLoop;${E}lease.(*lessor).findExpiredLeases;time.Now;time.now`, 60],
    [`${accept};net.(*netFD).accept;net.accept;syscall.Accept4;syscall.accept4;syscall.Syscall6`, 130],
    [
      `${accept};net.(*netFD).accept;net.(*netFD).init;net.(*pollDesc).init;net.runtime_pollOpen;runtime.netpollopen;runtime.epollctl`,
      150,
    ],
    [`${accept};net.setKeepAlive;syscall.SetsockoptInt;syscall.setsockopt;syscall.Syscall6`, 60],
    [
      `${conn};net/http.(*conn).close;net.(*conn).Close;net.(*netFD).Close;net.(*pollDesc).evict;net.runtime_pollUnblock;runtime.netpollunblock`,
      40,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;net/textproto.canonicalMIMEHeaderKey`,
      150,
    ],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader`, 120],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest;net/url.ParseRequestURI;net/url.parse`, 90],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest`, 90],
    [`${conn};net/http.(*conn).readRequest`, 80],
    [
      `${conn};net/http.(*response).finishRequest;net/http.(*chunkWriter).Write;net/http.(*chunkWriter).writeHeader;net/http.Header.WriteSubset;net/http.Header.sortedKeyValues`,
      100,
    ],
    [
      `${conn};net/http.(*response).finishRequest;net/http.(*chunkWriter).Write;net/http.(*chunkWriter).writeHeader;net/http.Header.WriteSubset`,
      80,
    ],
    [
      `${conn};net/http.serverHandler.ServeHTTP;net/http.(*ServeMux).ServeHTTP;net/http.(*ServeMux).Handler;net/http.(*ServeMux).match`,
      80,
    ],
    [`${conn};context.WithCancel;context.propagateCancel;runtime.mapassign`, 80],
    [`${conn};net/http.(*conn).setState;net/http.(*Server).trackConn;runtime.mapassign`, 60],
    [`${conn};net/http.(*conn).setState;net/http.(*Server).trackConn;runtime.mapdelete`, 60],
    [`${conn};net/http.(*conn).serve.func1;context.(*cancelCtx).cancel;context.removeChild;runtime.mapdelete`, 50],
    [`${leaseH};io/ioutil.ReadAll;io/ioutil.readAll;bytes.(*Buffer).ReadFrom;net/http.(*body).Read`, 60],
    [`${leaseH};${E}etcdserver/etcdserverpb.(*LeaseKeepAliveRequest).Unmarshal`, 70],
    [`${leaseH};${E}etcdserver/etcdserverpb.(*LeaseKeepAliveResponse).Marshal`, 60],
    [`${leaseH};net/http.(*response).Write;net/http.(*response).write`, 60],
    [`${leaseH};${E}lease.(*lessor).Renew;sync.(*RWMutex).Lock;sync.(*Mutex).Lock`, 120],
    [`${leaseH};${E}lease.(*lessor).Renew;${E}lease.(*Lease).refresh`, 90],
    [`${leaseH};${E}lease.(*lessor).Renew`, 80],
    [
      'runtime.goexit;net/http.(*persistConn).readLoop;net/http.ReadResponse;net/textproto.(*Reader).ReadMIMEHeader',
      60,
    ],
    ['runtime.goexit;net/http.(*persistConn).writeLoop;net/http.(*Request).write;net/http.Header.WriteSubset', 50],
    [`${lk};${G}grpc.(*serverStream).RecvMsg;${G}grpc.recv;${G}grpc.(*parser).recvMsg`, 80],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;${G}grpc.encode;${G}grpc.protoCodec.Marshal;github.com/coreos/etcd/cmd/vendor/github.com/golang/protobuf/proto.Marshal`,
      90,
    ],
    [
      `${lk};${E}etcdserver.(*EtcdServer).LeaseRenew;${E}lease.(*lessor).Renew;sync.(*RWMutex).Lock;sync.(*Mutex).Lock`,
      60,
    ],
    [`${lk};${E}etcdserver/api/v3rpc.(*header).fill`, 50],
    [
      'runtime.goexit;net/http.(*http2serverConn).readFrames;net/http.(*http2Framer).ReadFrame;net/http.http2readFrameHeader;io.ReadFull;io.ReadAtLeast;crypto/tls.(*Conn).Read;crypto/tls.(*Conn).readRecord;crypto/tls.(*halfConn).decrypt;crypto/cipher.(*gcmAsm).Open;crypto/aes.gcmAesDec',
      150,
    ],
    [
      'runtime.goexit;net/http.(*http2serverConn).readFrames;net/http.(*http2Framer).ReadFrame;net/http.http2readFrameHeader;io.ReadFull;io.ReadAtLeast;crypto/tls.(*Conn).Read;crypto/tls.(*Conn).readRecord',
      60,
    ],
    [
      `${h2};net/http.(*http2serverConn).processFrameFromReader;net/http.(*http2serverConn).processFrame;net/http.(*http2serverConn).processData`,
      80,
    ],
    [
      `${h2};net/http.(*http2serverConn).processFrameFromReader;net/http.(*http2serverConn).processFrame;net/http.(*http2serverConn).processHeaders;net/http.(*http2serverConn).newWriterAndRequest`,
      60,
    ],
    [
      `${h2};net/http.(*http2serverConn).writeFrame;net/http.(*http2serverConn).startFrameWrite;net/http.(*http2bufferedWriter).Flush;bufio.(*Writer).Flush;crypto/tls.(*Conn).Write;crypto/tls.(*Conn).writeRecord;crypto/cipher.(*gcmAsm).Seal;crypto/aes.gcmAesEnc`,
      150,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;${E}wal.(*WAL).Save;${E}wal.(*encoder).encode;${E}pkg/crc.(*digest).Write;hash/crc32.Update;hash/crc32.updateCastagnoli;hash/crc32.castagnoliSSE42`,
      80,
    ],
    [
      `runtime.goexit;${E}rafthttp.(*streamWriter).run;${E}rafthttp.(*msgAppV2Encoder).encode;${E}raft/raftpb.(*Message).Marshal`,
      70,
    ],
    [
      `runtime.goexit;${E}mvcc/backend.(*backend).run;${E}mvcc/backend.(*batchTxBuffered).Commit;${E}mvcc/backend.(*batchTxBuffered).unsafeCommit;github.com/coreos/etcd/cmd/vendor/github.com/coreos/bbolt.(*Tx).Commit`,
      60,
    ],
    [gcw, 120],
    [`${gcw};runtime.(*gcWork).balance;runtime.handoff`, 40],
    [`${gcw};runtime.markroot;runtime.markrootSpans`, 90],
    [`${gcw};runtime.markroot;runtime.markrootBlock;runtime.scanblock`, 80],
    [
      'runtime.goexit;runtime.bgsweep;runtime.gosweepone;runtime.systemstack;runtime.gosweepone.func1;runtime.sweepone;runtime.(*mspan).sweep',
      50,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.writebarrierptr;runtime.writebarrierptr_prewrite1;runtime.systemstack;runtime.writebarrierptr_prewrite1.func1;runtime.gcmarkwb_m`,
      60,
    ],
    [
      'runtime.goexit;net/http.(*Server).Serve;runtime.newproc;runtime.systemstack;runtime.newproc.func1;runtime.newproc1',
      120,
    ],
    [
      'runtime.goexit;net/http.(*Server).Serve;runtime.newproc;runtime.systemstack;runtime.newproc.func1;runtime.newproc1;runtime.gfget',
      60,
    ],
    [`${conn};runtime.morestack;runtime.newstack`, 60],
    [`${conn};net/http.newBufioReader;sync.(*Pool).Get`, 60],
    [`${conn};net/http.(*conn).finalFlush;net/http.putBufioReader;sync.(*Pool).Put;sync.(*Pool).pin`, 60],
    [
      `${conn};net/http.(*connReader).backgroundRead;net.(*conn).Read;net.(*netFD).Read;net.(*pollDesc).waitRead;net.(*pollDesc).wait;net.runtime_pollWait;runtime.netpollblock;runtime.gopark`,
      100,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/http.Header.get;net/textproto.MIMEHeader.Get;runtime.mapaccess1_faststr`,
      120,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/http.Header.get;net/textproto.MIMEHeader.Get;runtime.mapaccess1_faststr;runtime.aeshashbody`,
      100,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/http.readTransfer;net/http.fixLength;strconv.ParseInt;strconv.ParseUint`,
      60,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;runtime.slicebytetostring`,
      90,
    ],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;bytes.IndexByte`,
      80,
    ],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest;net/http.parseRequestLine;strings.Index`, 60],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest;runtime.concatstrings`, 60],
    [
      `${conn};net/http.serverHandler.ServeHTTP;net/http.(*ServeMux).ServeHTTP;net/http.(*ServeMux).Handler;net/http.(*ServeMux).handler;runtime.memeqbody`,
      60,
    ],
    [`${leaseH};${E}lease.(*lessor).Renew;runtime.mapaccess2_fast64`, 90],
    [`${leaseH};${E}lease.(*lessor).Renew;sync.(*RWMutex).Unlock;sync.(*Mutex).Unlock`, 90],
    [
      `${leaseH};${E}lease.(*lessor).Renew;sync.(*RWMutex).Lock;sync.(*Mutex).Lock;sync.runtime_SemacquireMutex;runtime.semacquire`,
      60,
    ],
    [
      `${leaseH};${E}lease.(*lessor).Renew;sync.(*RWMutex).Unlock;sync.(*Mutex).Unlock;sync.runtime_Semrelease;runtime.semrelease`,
      50,
    ],
    [
      `${lk};${G}grpc.(*serverStream).RecvMsg;github.com/coreos/etcd/cmd/vendor/github.com/grpc-ecosystem/go-grpc-prometheus.(*serverReporter).ReceivedMessage;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.(*CounterVec).WithLabelValues;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.(*MetricVec).hashLabelValues;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.hashAdd`,
      70,
    ],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;github.com/coreos/etcd/cmd/vendor/github.com/grpc-ecosystem/go-grpc-prometheus.(*serverReporter).SentMessage;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.(*CounterVec).WithLabelValues;github.com/coreos/etcd/cmd/vendor/github.com/prometheus/client_golang/prometheus.(*MetricVec).getOrCreateMetricWithLabelValues`,
      60,
    ],
    [
      `${lk};${E}etcdserver/etcdserverpb.(*LeaseKeepAliveResponse).Marshal;${E}etcdserver/etcdserverpb.(*ResponseHeader).MarshalTo`,
      40,
    ],
    [`${lk};${E}etcdserver.(*EtcdServer).LeaseRenew;${E}lease.(*lessor).Renew;runtime.mapaccess2_fast64`, 60],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;${G}transport.(*serverHandlerTransport).Write;${G}transport.(*serverHandlerTransport).do;runtime.chansend1;runtime.chansend;runtime.goready;runtime.systemstack;runtime.goready.func1;runtime.ready`,
      100,
    ],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;${G}transport.(*serverHandlerTransport).Write;${G}transport.(*serverHandlerTransport).do;runtime.chansend1;runtime.chansend;runtime.goready;runtime.systemstack;runtime.goready.func1;runtime.ready;runtime.runqput`,
      80,
    ],
    [
      `${lk};${G}grpc.(*serverStream).SendMsg;${G}transport.(*serverHandlerTransport).Write;${G}transport.(*serverHandlerTransport).do;runtime.chansend1;runtime.chansend;runtime.acquireSudog`,
      70,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.chansend1;runtime.chansend;runtime.releaseSudog`,
      60,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*raftNode).start.func1;runtime.chansend1;runtime.chansend;runtime.(*waitq).dequeue`,
      60,
    ],
    [`${conn};net/http.(*conn).readRequest;net/http.readRequest;runtime.convT2E`, 60],
    [`${conn};net/http.serverHandler.ServeHTTP;runtime.assertE2I2;runtime.getitab`, 60],
    [
      `${conn};net/http.(*response).finishRequest;net/http.(*chunkWriter).Write;net/http.(*chunkWriter).writeHeader;net/http.Header.get;net/textproto.MIMEHeader.Get;runtime.mapaccess1_faststr`,
      60,
    ],
    [`${accept};net.(*netFD).accept;net.(*netFD).readLock;net.(*fdMutex).rwlock`, 60],
    [
      `${conn};net/http.(*response).finishRequest;bufio.(*Writer).Flush;net/http.checkConnErrorWriter.Write;${E}pkg/transport.(*timeoutConn).Write;net.(*conn).Write;net.(*netFD).Write;net.(*netFD).writeLock;net.(*fdMutex).rwlock`,
      60,
    ],
    [
      'runtime.goexit;runtime.timerproc;time.sendTime;runtime.selectnbsend;runtime.chansend;runtime.goready;runtime.systemstack;runtime.goready.func1;runtime.ready;runtime.runqput',
      60,
    ],
    [`${sched};runtime.findrunnable;runtime.(*gcControllerState).findRunnableGCWorker`, 40],
    [`${sched};runtime.resetspinning;runtime.wakep;runtime.startm;runtime.mget`, 40],
    [
      'runtime.goexit;runtime.bgsweep;runtime.gosweepone;runtime.systemstack;runtime.gosweepone.func1;runtime.sweepone;runtime.(*mspan).sweep;runtime.(*mheap).freeSpan',
      40,
    ],
    [
      `runtime.goexit;${E}etcdserver.(*EtcdServer).run;${E}etcdserver.(*EtcdServer).applyAll;${E}etcdserver.(*EtcdServer).applyEntries;${E}etcdserver.(*EtcdServer).apply;${E}etcdserver.(*EtcdServer).applyEntryNormal`,
      50,
    ],
    ['runtime.mcall;runtime.park_m;runtime.schedule', 60],
    ['runtime.mcall;runtime.park_m;runtime.schedule;runtime.execute', 60],
    ['runtime.mcall;runtime.park_m;runtime.schedule;runtime.findrunnable;runtime.runqsteal', 60],
    ['runtime.goexit;runtime.timerproc;runtime.goparkunlock;runtime.gopark', 60],
    [
      `${conn};net/http.(*conn).readRequest;net/http.readRequest;net/textproto.(*Reader).ReadMIMEHeader;net/textproto.(*Reader).readContinuedLineSlice`,
      100,
    ],
    [
      'runtime.goexit;net/http.(*persistConn).readLoop;net/http.(*persistConn).readResponse;net/http.ReadResponse;net/textproto.(*Reader).ReadLine;net/textproto.(*Reader).readLineSlice',
      80,
    ],
    [
      'runtime.goexit;net/http.(*persistConn).writeLoop;net/http.(*Request).write;net/http.(*transferWriter).WriteBody;io.Copy;io.copyBuffer;bytes.(*Reader).WriteTo',
      60,
    ],
    [
      `runtime.goexit;${E}rafthttp.(*streamReader).decodeLoop;${E}rafthttp.(*messageDecoder).decode;${E}raft/raftpb.(*Message).Unmarshal`,
      100,
    ],
    [
      `runtime.goexit;${E}rafthttp.(*streamReader).decodeLoop;${E}rafthttp.(*messageDecoder).decode;io.ReadFull;io.ReadAtLeast;net/http.(*body).Read;net/http.(*body).readLocked;net/http.(*chunkedReader).Read`,
      80,
    ],
    [
      `runtime.goexit;${E}rafthttp.(*streamWriter).run;${E}rafthttp.(*messageEncoder).encode;${E}pkg/pbutil.MustMarshal;${E}raft/raftpb.(*Message).Marshal`,
      60,
    ],
    [`runtime.goexit;${E}raft.(*node).run;${E}raft.(*raft).Step;${E}raft.stepLeader`, 80],
    [`runtime.goexit;${E}raft.(*node).run;${E}raft.newReady`, 50],
    [`runtime.goexit;${E}raft.(*node).run;${E}raft.(*raft).tickHeartbeat`, 40],
    [`${accept};net.(*netFD).accept;net.newFD`, 50],
    ['runtime.goexit;net/http.(*Server).Serve;net/http.(*Server).newConn', 60],
    ['runtime.goexit;net/http.(*Server).Serve;net/http.(*conn).setState', 40],
    [
      `runtime.goexit;net/http.(*http2serverConn).runHandler;net/http.HandlerFunc.ServeHTTP;${E}embed.grpcHandlerFunc.func1;${G}grpc.(*Server).ServeHTTP;${G}grpc.(*Server).serveStreams;${G}transport.(*serverHandlerTransport).HandleStreams;${G}transport.(*serverHandlerTransport).runStream`,
      60,
    ],
    [
      `runtime.goexit;${G}transport.(*serverHandlerTransport).HandleStreams.func4;net/http.(*http2requestBody).Read;net/http.(*http2pipe).Read`,
      60,
    ],
    [`runtime.goexit;${G}transport.(*serverHandlerTransport).HandleStreams.func4;${G}transport.(*recvBuffer).put`, 80],
  ];
}
