/** Rules under rules/go-runtime/: firing cases and honest near misses. */
import { expect } from 'vitest';
import { MB, SEC } from '../helpers/etcd-frames.js';
import { cpuProfile, heapProfile, tableProfile } from '../helpers/profile-builder.js';
import { ruleTester } from '../helpers/rule-tester.js';

const MIN = 60 * SEC;

// ---------------------------------------------------------------------------------------------
// tls-handshake-churn

const handshake =
  'runtime.goexit;net/http.(*conn).serve;crypto/tls.(*Conn).Handshake;crypto/tls.(*Conn).serverHandshake;crypto/tls.(*serverHandshakeState).doFullHandshake;crypto/rsa.DecryptPKCS1v15;crypto/rsa.decrypt;math/big.(*Int).Exp;math/big.nat.expNN;math/big.nat.expNNMontgomery';

/** The published CPU table with peer TLS (seed 003, first table), as a pasted table. */
const seedCpuTls = tableProfile(
  [
    { name: 'runtime.futex', flat: 3.62 * MIN, cum: 3.62 * MIN },
    { name: 'math/big.divWVW', flat: 2.99 * MIN, cum: 2.99 * MIN },
    { name: 'math/big.bitLen', flat: 2.34 * MIN, cum: 2.34 * MIN },
    { name: 'math/big.nat.montgomery', flat: 1.9 * MIN, cum: 10.44 * MIN },
    { name: 'runtime.memmove', flat: 1.67 * MIN, cum: 1.67 * MIN },
    { name: 'runtime.scanobject', flat: 1.46 * MIN, cum: 3.57 * MIN },
    { name: 'syscall.Syscall', flat: 1.36 * MIN, cum: 1.44 * MIN },
    { name: 'runtime.heapBitsForObject', flat: 1.3 * MIN, cum: 1.3 * MIN },
    { name: 'runtime.greyobject', flat: 1.04 * MIN, cum: 1.04 * MIN },
    { name: 'runtime.siftdownTimer', flat: 0.8 * MIN, cum: 0.83 * MIN },
    { name: 'math/big.nat.divLarge', flat: 0.8 * MIN, cum: 3.17 * MIN },
    { name: 'math/big.addMulVVW', flat: 0.78 * MIN, cum: 0.78 * MIN },
    { name: 'runtime.mallocgc', flat: 0.42 * MIN, cum: 3.22 * MIN },
    { name: 'vendor/golang_org/x/crypto/curve25519.ladderstep', flat: 0.34 * MIN, cum: 0.34 * MIN },
  ],
  { sampleType: 'cpu', unit: 'nanoseconds', total: 34.54 * MIN },
);

/** The published CPU table without peer TLS (seed 003, second table). */
const seedCpuNoTls = tableProfile(
  [
    { name: 'runtime.futex', flat: 2.13 * MIN, cum: 2.13 * MIN },
    { name: 'syscall.Syscall', flat: 0.59 * MIN, cum: 0.62 * MIN },
    { name: 'runtime._ExternalCode', flat: 0.33 * MIN, cum: 0.33 * MIN },
    { name: 'runtime.lock', flat: 0.25 * MIN, cum: 1.23 * MIN },
    { name: 'runtime.procyield', flat: 0.13 * MIN, cum: 0.13 * MIN },
    { name: 'runtime.selectgoImpl', flat: 0.11 * MIN, cum: 0.23 * MIN },
    { name: 'runtime.osyield', flat: 0.1 * MIN, cum: 0.1 * MIN },
    { name: 'runtime.unlock', flat: 0.09 * MIN, cum: 1.47 * MIN },
    { name: 'runtime.mallocgc', flat: 0.07 * MIN, cum: 0.33 * MIN },
    { name: 'runtime.heapBitsForObject', flat: 0.07 * MIN, cum: 0.07 * MIN },
    { name: 'runtime.scanobject', flat: 0.06 * MIN, cum: 0.15 * MIN },
    { name: 'runtime.siftupTimer', flat: 0.05 * MIN, cum: 0.05 * MIN },
    { name: 'runtime.greyobject', flat: 0.04 * MIN, cum: 0.04 * MIN },
    { name: 'runtime.deltimer', flat: 0.04 * MIN, cum: 1.35 * MIN },
    { name: 'runtime.siftdownTimer', flat: 0.04 * MIN, cum: 0.04 * MIN },
  ],
  { sampleType: 'cpu', unit: 'nanoseconds', total: 6.16 * MIN },
);

ruleTester('tls-handshake-churn', {
  fires: [
    {
      name: 'RSA math under crypto/tls server handshakes: 40% of CPU',
      profiles: [
        cpuProfile([
          { stack: handshake, ns: 40 * SEC },
          { stack: 'runtime.goexit;main.work', ns: 60 * SEC },
        ]),
      ],
      minConfidence: 0.6,
    },
    {
      name: 'the published CPU table with peer TLS (no stacks: "under" unverified, lower confidence)',
      profiles: [seedCpuTls],
      maxConfidence: 0.75,
      check: (_r, d) => expect(d!.evidence[0]!.unverified.join(' ')).toMatch(/under/),
    },
  ],
  silent: [
    {
      name: 'math/big 40% of CPU but not under crypto/tls (a program doing bignum math)',
      profiles: [
        cpuProfile([
          {
            stack: 'runtime.main;main.main;main.factor;math/big.nat.expNNMontgomery;math/big.nat.montgomery',
            ns: 40 * SEC,
          },
          { stack: 'runtime.goexit;main.work', ns: 60 * SEC },
        ]),
      ],
    },
    {
      name: 'handshakes 5% of CPU',
      profiles: [
        cpuProfile([
          { stack: handshake, ns: 5 * SEC },
          { stack: 'runtime.goexit;main.work', ns: 95 * SEC },
        ]),
      ],
    },
    { name: 'the table without peer TLS', profiles: [seedCpuNoTls] },
  ],
});

// ---------------------------------------------------------------------------------------------
// gc-pressure

const gcMark =
  'runtime.goexit;runtime.gcBgMarkWorker;runtime.systemstack;runtime.gcBgMarkWorker.func2;runtime.gcDrain;runtime.scanobject';

ruleTester('gc-pressure', {
  fires: [
    {
      name: 'background marking 30% of 60 s of CPU',
      profiles: [
        cpuProfile([
          { stack: gcMark, ns: 18 * SEC },
          { stack: 'runtime.goexit;main.work', ns: 42 * SEC },
        ]),
      ],
    },
    {
      name: 'the published CPU table with peer TLS (scanobject, greyobject, heapBitsForObject)',
      profiles: [seedCpuTls],
      check: (_r, d) => expect(d!.evidence[0]!.cumShare).toBeGreaterThan(0.1),
    },
  ],
  silent: [
    {
      name: 'GC 5% of CPU',
      profiles: [
        cpuProfile([
          { stack: gcMark, ns: 3 * SEC },
          { stack: 'runtime.goexit;main.work', ns: 57 * SEC },
        ]),
      ],
    },
    {
      name: 'GC 40% of an almost idle profile (0.2 s of CPU: under the 1 s floor)',
      profiles: [
        cpuProfile([
          { stack: gcMark, ns: 0.08 * SEC },
          { stack: 'runtime.goexit;main.work', ns: 0.12 * SEC },
        ]),
      ],
    },
    { name: 'the published CPU table without peer TLS (GC ≈ 2%)', profiles: [seedCpuNoTls] },
  ],
});

// ---------------------------------------------------------------------------------------------
// lock-timer-churn

ruleTester('lock-timer-churn', {
  fires: [
    {
      name: 'the published CPU table without peer TLS (futex 34.6%, deltimer 21.9% cum)',
      profiles: [seedCpuNoTls],
      check: (r) => expect(r.process.goVersion!.range).toBe('<1.9.0'),
    },
    {
      name: 'timers and runtime locks with stacks',
      profiles: [
        cpuProfile([
          {
            stack:
              'runtime.goexit;main.handle;time.(*Timer).Stop;time.stopTimer;runtime.deltimer;runtime.lock;runtime.futex',
            ns: 12 * SEC,
          },
          {
            stack:
              'runtime.goexit;main.handle;time.NewTimer;time.startTimer;runtime.addtimer;runtime.unlock;runtime.futexwakeup;runtime.futex',
            ns: 8 * SEC,
          },
          { stack: 'runtime.goexit;main.work', ns: 40 * SEC },
        ]),
      ],
    },
  ],
  silent: [
    { name: 'the published CPU table with peer TLS (timers ≈ 2%)', profiles: [seedCpuTls] },
    {
      name: 'runtime lock contention without timer churn',
      profiles: [
        cpuProfile([
          { stack: 'runtime.goexit;main.handle;runtime.chansend;runtime.lock;runtime.futex', ns: 20 * SEC },
          { stack: 'runtime.goexit;main.work', ns: 40 * SEC },
        ]),
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// go-madv-free-rss

const memStats = (releasedMB: number, inuseMB: number) => ({
  HeapInuse: String(inuseMB * MB),
  HeapIdle: String((releasedMB + 10) * MB),
  HeapReleased: String(releasedMB * MB),
  Sys: String((releasedMB + inuseMB + 60) * MB),
});
const heapWithStats = (goFile: string, released: number, inuse: number) =>
  heapProfile([{ stack: 'runtime.main;main.main;main.load', bytes: inuse * MB }], {
    memStats: memStats(released, inuse),
    files: { 'runtime.main': goFile },
  });

ruleTester('go-madv-free-rss', {
  fires: [
    {
      name: 'Go 1.12 paths, 1.8 GB released vs 300 MB in use',
      profiles: [heapWithStats('/usr/local/go1.12.9/src/runtime/proc.go', 1800, 300)],
      check: (r, d) => {
        expect(r.process.goVersion!.range).toBe('1.12.9');
        const m = d!.models.find((x) => x.name === 'heap-vs-rss')!;
        expect(m.measured).toBe(300 * MB);
        expect(m.notes.join(' ')).toMatch(/MADV_FREE/);
      },
    },
    {
      name: 'stated --go-version 1.14',
      profiles: [heapWithStats('/usr/local/go/src/runtime/proc.go', 1800, 300)],
      opts: { goVersion: '>=1.14.0 <1.15.0' },
    },
  ],
  silent: [
    {
      name: 'Go 1.19 paths: released memory really leaves RSS',
      profiles: [heapWithStats('/usr/lib/go-1.19/src/runtime/proc.go', 1800, 300)],
      ruledOut: 'version',
    },
    {
      name: 'Go version unknown: never fires on memStats alone',
      profiles: [heapWithStats('/usr/local/go/src/runtime/proc.go', 1800, 300)],
      ruledOut: 'insufficient',
    },
    {
      name: 'Go 1.12 but little released memory',
      profiles: [heapWithStats('/usr/local/go1.12.9/src/runtime/proc.go', 20, 300)],
    },
    {
      name: 'Go 1.12 heap profile without memStats (proto)',
      profiles: [
        heapProfile([{ stack: 'runtime.main;main.main;main.load', bytes: 300 * MB }], {
          files: { 'runtime.main': '/usr/local/go1.12.9/src/runtime/proc.go' },
        }),
      ],
    },
  ],
});
