// Frame names, source files and stack accumulators shared by the rebuilt document profiles.

import { apportion, MiB, ProfileBuilder, spreadSubtree } from './lib.mjs';

/** etcd 3.0–3.3.13 binaries vendor everything under cmd/vendor. */
export const E = 'github.com/coreos/etcd/cmd/vendor/github.com/coreos/etcd/';
export const G = 'github.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/';
/** Where the official 3.2.x release binaries were built (seen in the document's heap table). */
const RELEASE_GOPATH = '/home/gyuho/go/src/github.com/coreos/etcd/release/etcd/gopath/src/';
const GOROOT = '/usr/local/go/src/';

// Source files of the functions we use, by name. Functions not listed fall back to a per-package
// guess (see fileOf).
const FILES = {
  'runtime.futex': 'runtime/sys_linux_amd64.s',
  'runtime.futexsleep': 'runtime/os_linux.go',
  'runtime.futexwakeup': 'runtime/os_linux.go',
  'runtime.notesleep': 'runtime/lock_futex.go',
  'runtime.lock': 'runtime/lock_futex.go',
  'runtime.unlock': 'runtime/lock_futex.go',
  'runtime.procyield': 'runtime/asm_amd64.s',
  'runtime.osyield': 'runtime/sys_linux_amd64.s',
  'runtime.usleep': 'runtime/sys_linux_amd64.s',
  'runtime.epollwait': 'runtime/sys_linux_amd64.s',
  'runtime.epollctl': 'runtime/sys_linux_amd64.s',
  'runtime.nanotime': 'runtime/sys_linux_amd64.s',
  'runtime.memmove': 'runtime/memmove_amd64.s',
  'runtime.memclrNoHeapPointers': 'runtime/memclr_amd64.s',
  'runtime.systemstack': 'runtime/asm_amd64.s',
  'runtime.mstart': 'runtime/proc.go',
  'runtime.morestack': 'runtime/asm_amd64.s',
  'runtime.mcall': 'runtime/asm_amd64.s',
  'runtime.goexit': 'runtime/asm_amd64.s',
  'runtime.jmpdefer': 'runtime/asm_amd64.s',
  'runtime.deferreturn': 'runtime/panic.go',
  'runtime.freedefer': 'runtime/panic.go',
  'runtime.selectgo': 'runtime/select.go',
  'runtime.selectgoImpl': 'runtime/select.go',
  'runtime.sellock': 'runtime/select.go',
  'runtime.selunlock': 'runtime/select.go',
  'runtime.selectnbsend': 'runtime/chan.go',
  'runtime.chansend': 'runtime/chan.go',
  'runtime.chansend1': 'runtime/chan.go',
  'runtime.chanrecv': 'runtime/chan.go',
  'runtime.chanrecv1': 'runtime/chan.go',
  'runtime.makechan': 'runtime/chan.go',
  'runtime.typedmemmove': 'runtime/mbarrier.go',
  'runtime.writebarrierptr': 'runtime/mbarrier.go',
  'runtime.writebarrierptr_prewrite1': 'runtime/mbarrier.go',
  'runtime.writebarrierptr_prewrite1.func1': 'runtime/mbarrier.go',
  'runtime.gcmarkwb_m': 'runtime/mbarrier.go',
  'runtime.deltimer': 'runtime/time.go',
  'runtime.addtimer': 'runtime/time.go',
  'runtime.addtimerLocked': 'runtime/time.go',
  'runtime.siftupTimer': 'runtime/time.go',
  'runtime.siftdownTimer': 'runtime/time.go',
  'runtime.timerproc': 'runtime/time.go',
  'net.runtime_pollSetDeadline': 'runtime/netpoll.go',
  'net.runtime_pollOpen': 'runtime/netpoll.go',
  'net.runtime_pollUnblock': 'runtime/netpoll.go',
  'runtime.netpollunblock': 'runtime/netpoll.go',
  'runtime.netpoll': 'runtime/netpoll_epoll.go',
  'runtime.netpollopen': 'runtime/netpoll_epoll.go',
  'runtime.mallocgc': 'runtime/malloc.go',
  'runtime.newobject': 'runtime/malloc.go',
  'runtime.newarray': 'runtime/malloc.go',
  'runtime.profilealloc': 'runtime/malloc.go',
  'runtime.makeslice': 'runtime/slice.go',
  'runtime.growslice': 'runtime/slice.go',
  'runtime.makemap': 'runtime/hashmap.go',
  'runtime.mapassign': 'runtime/hashmap.go',
  'runtime.mapdelete': 'runtime/hashmap.go',
  'runtime.mapiternext': 'runtime/hashmap.go',
  'runtime.hashGrow': 'runtime/hashmap.go',
  'runtime.heapBitsSetType': 'runtime/mbitmap.go',
  'runtime.heapBitsForObject': 'runtime/mbitmap.go',
  'runtime.(*mcache).nextFree': 'runtime/malloc.go',
  'runtime.(*mcache).refill': 'runtime/mcache.go',
  'runtime.(*mcentral).cacheSpan': 'runtime/mcentral.go',
  'runtime.(*mcentral).grow': 'runtime/mcentral.go',
  'runtime.(*mheap).alloc': 'runtime/mheap.go',
  'runtime.(*mheap).alloc.func1': 'runtime/mheap.go',
  'runtime.(*mheap).alloc_m': 'runtime/mheap.go',
  'runtime.(*mspan).sweep': 'runtime/mgcsweep.go',
  'runtime.sweepone': 'runtime/mgcsweep.go',
  'runtime.gosweepone': 'runtime/mgcsweep.go',
  'runtime.gosweepone.func1': 'runtime/mgcsweep.go',
  'runtime.bgsweep': 'runtime/mgcsweep.go',
  'runtime.gcAssistAlloc': 'runtime/mgcmark.go',
  'runtime.gcAssistAlloc.func1': 'runtime/mgcmark.go',
  'runtime.gcAssistAlloc1': 'runtime/mgcmark.go',
  'runtime.gcDrain': 'runtime/mgcmark.go',
  'runtime.gcDrainN': 'runtime/mgcmark.go',
  'runtime.scanobject': 'runtime/mgcmark.go',
  'runtime.greyobject': 'runtime/mgcmark.go',
  'runtime.scanblock': 'runtime/mgcmark.go',
  'runtime.scanstack': 'runtime/mgcmark.go',
  'runtime.scanstack.func1': 'runtime/mgcmark.go',
  'runtime.scanframeworker': 'runtime/mgcmark.go',
  'runtime.scang': 'runtime/proc.go',
  'runtime.markroot': 'runtime/mgcmark.go',
  'runtime.markroot.func1': 'runtime/mgcmark.go',
  'runtime.markrootSpans': 'runtime/mgcmark.go',
  'runtime.markrootBlock': 'runtime/mgcmark.go',
  'runtime.gcBgMarkWorker': 'runtime/mgc.go',
  'runtime.gcBgMarkWorker.func2': 'runtime/mgc.go',
  'runtime.(*gcWork).balance': 'runtime/mgcwork.go',
  'runtime.(*gcWork).put': 'runtime/mgcwork.go',
  'runtime.handoff': 'runtime/mgcwork.go',
  'runtime.gentraceback': 'runtime/traceback.go',
  'runtime.pcvalue': 'runtime/symtab.go',
  'runtime.step': 'runtime/symtab.go',
  'runtime.readvarint': 'runtime/symtab.go',
  'runtime.findfunc': 'runtime/symtab.go',
  'runtime.findmoduledatap': 'runtime/symtab.go',
  'runtime.funcspdelta': 'runtime/symtab.go',
  'runtime.casgstatus': 'runtime/proc.go',
  'runtime._ExternalCode': 'runtime/proc.go',
  'runtime._System': 'runtime/proc.go',
  'runtime.entersyscall': 'runtime/proc.go',
  'runtime.reentersyscall': 'runtime/proc.go',
  'runtime.exitsyscall': 'runtime/proc.go',
  'runtime.exitsyscallfast': 'runtime/proc.go',
  'runtime.malg': 'runtime/proc.go',
  'runtime.allocm': 'runtime/proc.go',
  'runtime.newproc': 'runtime/proc.go',
  'runtime.newproc.func1': 'runtime/proc.go',
  'runtime.newproc1': 'runtime/proc.go',
  'runtime.newstack': 'runtime/stack.go',
  'runtime.stackalloc': 'runtime/stack.go',
  'syscall.Syscall': 'syscall/asm_linux_amd64.s',
  'syscall.Syscall6': 'syscall/asm_linux_amd64.s',
  'syscall.Read': 'syscall/syscall_unix.go',
  'syscall.Write': 'syscall/syscall_unix.go',
  'syscall.read': 'syscall/zsyscall_linux_amd64.go',
  'syscall.write': 'syscall/zsyscall_linux_amd64.go',
  'syscall.Close': 'syscall/zsyscall_linux_amd64.go',
  'syscall.accept4': 'syscall/zsyscall_linux_amd64.go',
  'syscall.setsockopt': 'syscall/zsyscall_linux_amd64.go',
  'syscall.Accept4': 'syscall/syscall_linux.go',
  'syscall.SetsockoptInt': 'syscall/syscall_unix.go',
  'math/big.nat.montgomery': 'math/big/nat.go',
  'math/big.nat.divLarge': 'math/big/nat.go',
  'math/big.nat.div': 'math/big/nat.go',
  'math/big.nat.divW': 'math/big/nat.go',
  'math/big.nat.expNN': 'math/big/nat.go',
  'math/big.nat.expNNMontgomery': 'math/big/nat.go',
  'math/big.nat.make': 'math/big/nat.go',
  'math/big.nat.mul': 'math/big/nat.go',
  'math/big.nat.sqr': 'math/big/nat.go',
  'math/big.nat.modW': 'math/big/nat.go',
  'math/big.nat.setBytes': 'math/big/nat.go',
  'math/big.nat.norm': 'math/big/nat.go',
  'math/big.basicMul': 'math/big/nat.go',
  'math/big.(*Int).Exp': 'math/big/int.go',
  'math/big.(*Int).Mod': 'math/big/int.go',
  'math/big.(*Int).Mul': 'math/big/int.go',
  'math/big.(*Int).ModInverse': 'math/big/int.go',
  'math/big.(*Int).GCD': 'math/big/int.go',
  'math/big.(*byteReader).Read': '<autogenerated>',
  'crypto/rsa.decrypt': 'crypto/rsa/rsa.go',
  'crypto/rsa.decryptAndCheck': 'crypto/rsa/rsa.go',
  'crypto/rsa.SignPKCS1v15': 'crypto/rsa/pkcs1v15.go',
  'crypto/rsa.VerifyPKCS1v15': 'crypto/rsa/pkcs1v15.go',
  'crypto/rsa.(*PrivateKey).Sign': 'crypto/rsa/rsa.go',
  'crypto/tls.(*Conn).Handshake': 'crypto/tls/conn.go',
  'crypto/tls.(*Conn).serverHandshake': 'crypto/tls/handshake_server.go',
  'crypto/tls.(*Conn).readRecord': 'crypto/tls/conn.go',
  'crypto/tls.(*Conn).readHandshake': 'crypto/tls/conn.go',
  'crypto/tls.(*Conn).writeRecord': 'crypto/tls/conn.go',
  'crypto/tls.(*Conn).Read': 'crypto/tls/conn.go',
  'crypto/tls.(*Conn).Write': 'crypto/tls/conn.go',
  'crypto/tls.(*block).reserve': 'crypto/tls/conn.go',
  'crypto/tls.(*block).readFromUntil': 'crypto/tls/conn.go',
  'crypto/tls.(*block).resize': 'crypto/tls/conn.go',
  'crypto/tls.(*halfConn).newBlock': 'crypto/tls/conn.go',
  'crypto/tls.(*halfConn).decrypt': 'crypto/tls/conn.go',
  'crypto/tls.newFinishedHash': 'crypto/tls/prf.go',
  'vendor/golang_org/x/crypto/curve25519.ladderstep': 'vendor/golang_org/x/crypto/curve25519/ladderstep_amd64.s',
  'vendor/golang_org/x/crypto/curve25519.mul': 'vendor/golang_org/x/crypto/curve25519/mul_amd64.s',
  'vendor/golang_org/x/crypto/curve25519.square': 'vendor/golang_org/x/crypto/curve25519/square_amd64.s',
  'vendor/golang_org/x/crypto/curve25519.mladder': 'vendor/golang_org/x/crypto/curve25519/mont25519_amd64.go',
  'vendor/golang_org/x/crypto/curve25519.scalarMult': 'vendor/golang_org/x/crypto/curve25519/mont25519_amd64.go',
  'vendor/golang_org/x/crypto/curve25519.ScalarMult': 'vendor/golang_org/x/crypto/curve25519/doc.go',
  'vendor/golang_org/x/crypto/curve25519.ScalarBaseMult': 'vendor/golang_org/x/crypto/curve25519/doc.go',
  'vendor/golang_org/x/crypto/curve25519.invert': 'vendor/golang_org/x/crypto/curve25519/mont25519_amd64.go',
  'sync.(*Pool).pin': 'sync/pool.go',
  'sync.(*Pool).pinSlow': 'sync/pool.go',
  'sync.(*Pool).Get': 'sync/pool.go',
  'sync.(*Pool).Put': 'sync/pool.go',
  'sync.(*Mutex).Lock': 'sync/mutex.go',
  'sync.(*Mutex).Unlock': 'sync/mutex.go',
  'sync.(*RWMutex).Lock': 'sync/rwmutex.go',
  'sync.runtime_procPin': 'runtime/proc.go',
  'fmt.Sprintf': 'fmt/print.go',
  'fmt.newPrinter': 'fmt/print.go',
  'fmt.(*pp).free': 'fmt/print.go',
  'fmt.(*pp).doPrintf': 'fmt/print.go',
  'fmt.(*pp).printArg': 'fmt/print.go',
  'fmt.(*pp).handleMethods': 'fmt/print.go',
  'context.WithCancel': 'context/context.go',
  'context.WithDeadline': 'context/context.go',
  'context.WithTimeout': 'context/context.go',
  'context.(*cancelCtx).Done': 'context/context.go',
  'context.(*timerCtx).String': 'context/context.go',
  'context.(*cancelCtx).String': 'context/context.go',
  'bufio.NewReaderSize': 'bufio/bufio.go',
  'bufio.NewWriterSize': 'bufio/bufio.go',
  'bytes.makeSlice': 'bytes/buffer.go',
  'bytes.(*Buffer).grow': 'bytes/buffer.go',
  'bytes.(*Buffer).Write': 'bytes/buffer.go',
  'bytes.(*Buffer).ReadFrom': 'bytes/buffer.go',
  'io/ioutil.ReadAll': 'io/ioutil/ioutil.go',
  'io/ioutil.readAll': 'io/ioutil/ioutil.go',
};

/** Source file of a frame, with the build paths an official etcd 3.2 release binary records. */
export function fileOf(frame, tableFiles = {}) {
  if (frame.includes('#nofile')) return '';
  const name = frame.replace(/#.*$/, '');
  if (tableFiles[name]) return tableFiles[name];
  if (FILES[name]) return FILES[name].startsWith('<') ? FILES[name] : GOROOT + FILES[name];
  const pkg = packageOf(name);
  const last = pkg.split('/').pop();
  if (name.startsWith('github.com/coreos/etcd/cmd/vendor/')) return `${RELEASE_GOPATH + pkg}/${guessFile(name, last)}`;
  if (name.startsWith('go.etcd.io/') || name.includes('.com/') || name.includes('.org/') || name.includes('.io/')) {
    return `${pkg}/${guessFile(name, last)}`;
  }
  return `${GOROOT + pkg}/${guessFile(name, last)}`;
}

/** The import path part of a Go function name. */
export function packageOf(name) {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? name : name.slice(0, dot);
}

function guessFile(name, last) {
  if (name.startsWith('net/http.')) {
    if (name.includes('http2')) return 'h2_bundle.go';
    if (/persistConn|Transport|persistConnWriter/.test(name)) return 'transport.go';
    if (/readRequest|\(\*Request\)/.test(name)) return 'request.go';
    if (/Header\./.test(name)) return 'header.go';
    if (/\(\*body\)/.test(name)) return 'transfer.go';
    if (/ReadResponse/.test(name)) return 'response.go';
    return 'server.go';
  }
  if (name.startsWith('runtime.')) return 'proc.go';
  if (name.includes('/grpc/transport.')) {
    if (name.includes('serverHandlerTransport') || name.includes('NewServerHandlerTransport'))
      return 'handler_server.go';
    if (name.includes('http2Client')) return 'http2_client.go';
    return 'transport.go';
  }
  if (name.includes('/grpc.')) return /Server/.test(name) ? 'server.go' : 'rpc_util.go';
  if (name.includes('/clientv3.')) {
    if (/watch/i.test(name)) return 'watch.go';
    if (/lease|lessor/i.test(name)) return 'lease.go';
    return 'client.go';
  }
  if (/\/etcdserverpb\./.test(name)) return 'rpc.pb.go';
  if (/\/raftpb\./.test(name)) return 'raft.pb.go';
  if (/\/mvccpb\./.test(name)) return 'kv.pb.go';
  return `${last}.go`;
}

/** Accumulates CPU stacks (values in samples of 10 ms). */
export class CpuStacks {
  constructor() {
    this.entries = new Map();
  }

  add(stack, n) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`bad value ${n} for ${stack}`);
    if (n === 0) return;
    this.entries.set(stack, (this.entries.get(stack) ?? 0) + n);
  }

  total() {
    let t = 0;
    for (const v of this.entries.values()) t += v;
    return t;
  }

  sumEndingWith(frame) {
    let t = 0;
    for (const [k, v] of this.entries) if (k === frame || k.endsWith(`;${frame}`)) t += v;
    return t;
  }

  /** Writes `node` with its sub-tree `template` below each caller stack. */
  spread(node, template, callers) {
    for (const [stack, v] of spreadSubtree(node, template, callers)) this.add(stack, v);
  }

  /** Replaces every stack ending in `frame` by that frame's sub-tree (template) spread over them. */
  expand(frame, template) {
    const callers = {};
    for (const [k, v] of [...this.entries]) {
      if (k.endsWith(`;${frame}`)) {
        callers[k.slice(0, -(frame.length + 1))] = v;
        this.entries.delete(k);
      }
    }
    this.spread(frame, template, callers);
  }

  /** Flat samples per leaf function. */
  flatByFunction() {
    const out = new Map();
    for (const [k, v] of this.entries) {
      const leaf = k.slice(k.lastIndexOf(';') + 1);
      out.set(leaf, (out.get(leaf) ?? 0) + v);
    }
    return out;
  }

  /** Throws when a function outside `rows` gets `cap` or more flat samples (it would enter the top). */
  assertBelow(cap, rows) {
    const names = new Set(Object.values(rows).map((r) => (r.file === '' ? `${r.name}#nofile` : r.name)));
    for (const [fn, v] of this.flatByFunction()) {
      if (!names.has(fn) && v >= cap) throw new Error(`${fn} has ${v} flat samples (cap ${cap})`);
    }
  }

  /** Spreads `total` samples over `list` ([stack, weight]) in proportion to the weights. */
  background(total, list) {
    const parts = apportion(
      total,
      list.map(([, w]) => w),
    );
    list.forEach(([stack], i) => {
      this.add(stack, parts[i]);
    });
  }

  finish({ timeNanos, durationNanos, comment, tableFiles }) {
    const b = new ProfileBuilder({
      sampleTypes: [
        ['samples', 'count'],
        ['cpu', 'nanoseconds'],
      ],
      periodType: ['cpu', 'nanoseconds'],
      period: 10000000,
      timeNanos,
      durationNanos,
      comments: [comment],
      binary: '/usr/local/bin/etcd',
      fileOf: (f) => fileOf(f, tableFiles),
    });
    for (const [k, v] of this.entries) b.add(k, [v, v * 10000000]);
    return b;
  }
}

/**
 * Accumulates heap stacks. Each site says its in-use bytes, the average object size, and how many
 * times more it allocated over the process lifetime than it still holds (alloc/inuse ratio).
 */
export class HeapStacks {
  constructor() {
    this.entries = [];
  }

  /** `bytes` in-use at the site; `obj` average object size; `churn` alloc_space / inuse_space. */
  add(stack, bytes, obj, churn = 1) {
    if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`bad bytes ${bytes} for ${stack}`);
    if (bytes === 0) return;
    this.entries.push({ stack, bytes, obj, churn });
  }

  addMB(stack, mb, obj, churn = 1) {
    this.add(stack, Math.round(mb * MiB), obj, churn);
  }

  total() {
    return this.entries.reduce((a, e) => a + e.bytes, 0);
  }

  finish({ timeNanos, comment, binary, tableFiles, fileOf: fo }) {
    const b = new ProfileBuilder({
      sampleTypes: [
        ['alloc_objects', 'count'],
        ['alloc_space', 'bytes'],
        ['inuse_objects', 'count'],
        ['inuse_space', 'bytes'],
      ],
      periodType: ['space', 'bytes'],
      period: 524288,
      timeNanos,
      comments: [comment],
      binary: binary ?? '/usr/local/bin/etcd',
      fileOf: fo ?? ((f) => fileOf(f, tableFiles)),
    });
    for (const e of this.entries) {
      const inuseObjects = Math.max(1, Math.round(e.bytes / e.obj));
      const allocBytes = Math.round(e.bytes * e.churn);
      const allocObjects = Math.max(inuseObjects, Math.round(allocBytes / e.obj));
      b.add(e.stack, [allocObjects, allocBytes, inuseObjects, e.bytes]);
    }
    return b;
  }
}
