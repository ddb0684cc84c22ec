/** Rules under rules/go-runtime/: firing cases and honest near misses. */
import { expect } from 'vitest';
import type { AnalyzeInput } from '../../src/diagnosis/engine.js';
import type { AnalysisReport, Diagnosis } from '../../src/diagnosis/report.js';
import { loadProfile } from '../../src/input/load.js';
import { MB, SEC } from '../helpers/etcd-frames.js';
import {
  buildProfile,
  CONTENTION_TYPES,
  cpuProfile,
  goroutineProfile,
  heapProfile,
  tableProfile,
} from '../helpers/profile-builder.js';
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

// ---------------------------------------------------------------------------------------------
// goroutine-pileup, mutex-contention-hotspot, block-lock-wait-hotspot: real profiles of
// scripts/collect/goprogs/leak (test/fixtures/go/leak/, Go 1.19 and Go 1.24) and built near misses.

const LEAK = 'test/fixtures/go/leak';

const REAL_FILES = [
  ...['go1.19', 'go1.24'].flatMap((v) =>
    [
      'leak-goroutine.pb.gz',
      'leak-goroutine.debug1.txt.gz',
      'leak-goroutine.debug2.txt.gz',
      'leak-mutex.pb.gz',
      'leak-block.pb.gz',
      'pool-goroutine.pb.gz',
      'pool-goroutine.debug2.txt.gz',
      'pool-mutex.pb.gz',
    ].map((f) => `${LEAK}/${v}/${f}`),
  ),
  'test/fixtures/go/mutex.pb.gz',
  'test/fixtures/go/block.pb.gz',
  'samples/etcd-3.4.23/many-leases/mutex.pb.gz',
  'samples/etcd-3.4.23/many-leases/block.pb.gz',
];
const REAL = new Map(
  await Promise.all(
    REAL_FILES.map(async (f): Promise<[string, AnalyzeInput]> => [f, { profile: await loadProfile(f), name: f }]),
  ),
);

function real(path: string): AnalyzeInput {
  const r = REAL.get(path);
  if (!r) throw new Error(`not loaded: ${path}`);
  return r;
}

const parked = (fn: string, wait: string) => `runtime.goexit;${fn};${wait};runtime.gopark`;

ruleTester('goroutine-pileup', {
  fires: [
    ...(['go1.19', 'go1.24'] as const).flatMap((v) => [
      {
        name: `${v}: 5,000 leaked watchers in chan receive (goroutine proto): the stack and the state inferred from its runtime frames`,
        profiles: [real(`${LEAK}/${v}/leak-goroutine.pb.gz`)],
        check: (r: AnalysisReport, d: Diagnosis | undefined) => {
          const e = d!.evidence.find((x) => x.role === 'require')!;
          expect(e.stack?.value).toBe(5000);
          expect(e.stack?.frames).toContain('main.(*hub).watch');
          expect(e.stack?.states).toEqual([{ state: 'chan receive', value: 5000 }]);
          expect(e.stack?.stateSource).toBe('stack');
          expect(e.text).toContain('main.(*hub).watch');
          expect(e.text).toContain('chan receive (inferred from the runtime frames)');
          expect(r.process.kind).toBe('other-go');
        },
      },
      {
        name: `${v}: the same leak in a debug=2 dump: wait state and minutes blocked from the dump`,
        profiles: [real(`${LEAK}/${v}/leak-goroutine.debug2.txt.gz`)],
        minConfidence: 0.75,
        check: (r: AnalysisReport, d: Diagnosis | undefined) => {
          const e = d!.evidence.find((x) => x.role === 'require')!;
          expect(e.stack?.frames[0]).toBe('main.(*hub).watch');
          expect(e.stack?.states).toEqual([{ state: 'chan receive', value: 5000 }]);
          expect(e.stack?.stateSource).toBe('dump');
          expect(e.stack?.blocked).toEqual({ maxMinutes: 1, value: 5000 });
          expect(d!.evidence.some((x) => x.role === 'support' && x.held)).toBe(true);
          expect(e.text).toContain('5000 blocked ≥ 1 minute');
          // Before: "Process: unknown" (a dump hides the runtime frames).
          expect(r.process.kind).toBe('other-go');
        },
      },
      {
        name: `${v}: the debug=1 text of the same moment`,
        profiles: [real(`${LEAK}/${v}/leak-goroutine.debug1.txt.gz`)],
      },
      {
        name: `${v}: the proto and the debug=2 dump of the same moment together: the dump's minutes blocked are kept`,
        profiles: [real(`${LEAK}/${v}/leak-goroutine.pb.gz`), real(`${LEAK}/${v}/leak-goroutine.debug2.txt.gz`)],
        minConfidence: 0.75,
        check: (_r: AnalysisReport, d: Diagnosis | undefined) => {
          // both count 5,000 on the stack (same margin): the one that also shows the minutes wins
          expect(d!.firedOn.map((f) => f.profile)).toEqual([`${LEAK}/${v}/leak-goroutine.debug2.txt.gz`]);
          expect(d!.evidence.some((x) => x.role === 'support' && x.held)).toBe(true);
        },
      },
    ]),
    {
      name: 'built: 1,200 of 1,500 goroutines on one stack',
      profiles: [
        goroutineProfile([
          { stack: parked('main.handle', 'runtime.chanrecv1'), count: 1200 },
          { stack: parked('main.worker', 'runtime.selectgo'), count: 300 },
        ]),
      ],
    },
  ],
  silent: [
    ...(['go1.19', 'go1.24'] as const).flatMap((v) => [
      {
        name: `${v}: a healthy pool of 50 workers parked in chan receive (80 % of 62 goroutines, far below 1,000)`,
        profiles: [real(`${LEAK}/${v}/pool-goroutine.pb.gz`)],
      },
      {
        name: `${v}: the same pool in a debug=2 dump`,
        profiles: [real(`${LEAK}/${v}/pool-goroutine.debug2.txt.gz`)],
      },
    ]),
    {
      name: 'built: 2,000 goroutines spread over four stacks (none holds half)',
      profiles: [
        goroutineProfile([
          { stack: parked('main.sessionA', 'runtime.chanrecv1'), count: 900 },
          { stack: parked('main.sessionB', 'runtime.chanrecv1'), count: 500 },
          { stack: parked('main.sessionC', 'runtime.selectgo'), count: 400 },
          { stack: parked('main.sessionD', 'runtime.selectgo'), count: 200 },
        ]),
      ],
    },
    {
      name: 'built: 1,400 goroutines in chan receive but on two call sites of 700 (the stack, not the state, counts)',
      profiles: [
        goroutineProfile([
          { stack: parked('main.a', 'runtime.chanrecv1'), count: 700 },
          { stack: parked('main.b', 'runtime.chanrecv1'), count: 700 },
        ]),
      ],
    },
    {
      name: 'a pasted top table of the leak (runtime.gopark 99 %): one stack cannot be read from function rows',
      profiles: [
        tableProfile(
          [
            { name: 'runtime.gopark', flat: 5069, cum: 5069 },
            { name: 'main.(*hub).watch', flat: 0, cum: 5000 },
          ],
          { sampleType: 'goroutine', unit: 'count', total: 5070 },
        ),
      ],
    },
  ],
});

ruleTester('mutex-contention-hotspot', {
  fires: (['go1.19', 'go1.24'] as const).map((v) => ({
    name: `${v}: 6 goroutines on the hub's one lock: main.(*hub).record holds all the waiting`,
    profiles: [real(`${LEAK}/${v}/leak-mutex.pb.gz`)],
    check: (_r: AnalysisReport, d: Diagnosis | undefined) => {
      const e = d!.evidence.find((x) => x.role === 'require')!;
      expect(e.stack?.frames).toContain('main.(*hub).record');
      expect(e.cum).toBeGreaterThan(10e9);
      expect(e.text).toContain('(*hub).record');
    },
  })),
  silent: [
    {
      name: 'test/fixtures/go/mutex.pb.gz: one lock at 50 % of the waiting but only 1.7 s of it',
      profiles: [real('test/fixtures/go/mutex.pb.gz')],
    },
    {
      name: 'etcd 3.4.23 (many leases): 1.3 s of waiting in all',
      profiles: [real('samples/etcd-3.4.23/many-leases/mutex.pb.gz')],
    },
    {
      name: 'the pool program never set the rate: an empty mutex profile (and the note says why)',
      profiles: [real(`${LEAK}/go1.19/pool-mutex.pb.gz`)],
      check: (r: AnalysisReport) => {
        expect(r.notes.join('\n')).toContain('the mutex profile is empty');
        expect(r.notes.join('\n')).toContain('runtime.SetMutexProfileFraction');
      },
    },
    {
      name: 'built: 40 s of waiting spread over three lock sites (none holds half)',
      profiles: [
        buildProfile(
          [
            { stack: 'runtime.goexit;main.a;sync.(*Mutex).Unlock', value: [10, 18e9] },
            { stack: 'runtime.goexit;main.b;sync.(*Mutex).Unlock', value: [10, 12e9] },
            { stack: 'runtime.goexit;main.c;sync.(*Mutex).Unlock', value: [10, 10e9] },
          ],
          { sampleTypes: CONTENTION_TYPES, path: 'mutex.pb.gz' },
        ),
      ],
    },
  ],
});

ruleTester('block-lock-wait-hotspot', {
  fires: (['go1.19', 'go1.24'] as const).map((v) => ({
    name: `${v}: a minute and more of waiting in sync.(*Mutex).Lock under main.(*hub).record (1–2 % of a block profile that is mostly idle workers)`,
    profiles: [real(`${LEAK}/${v}/leak-block.pb.gz`)],
    check: (_r: AnalysisReport, d: Diagnosis | undefined) => {
      const e = d!.evidence.find((x) => x.role === 'require')!;
      expect(e.stack?.frames).toContain('main.(*hub).record');
      expect(e.cumShare).toBeLessThan(0.05);
    },
  })),
  silent: [
    {
      name: 'test/fixtures/go/block.pb.gz: 9.3 s in one lock site, under 10 s',
      profiles: [real('test/fixtures/go/block.pb.gz')],
    },
    {
      name: 'built: an hour of workers waiting on a channel, no lock waits',
      profiles: [
        buildProfile(
          [
            { stack: 'runtime.goexit;main.worker;runtime.chanrecv2', value: [1000, 3600e9] },
            { stack: 'runtime.goexit;main.ticker;runtime.selectgo', value: [100, 600e9] },
          ],
          { sampleTypes: CONTENTION_TYPES, path: 'block.pb.gz' },
        ),
      ],
    },
    {
      name: 'etcd 3.4.23 never sets the block rate: an empty block profile (and the note says why)',
      profiles: [real('samples/etcd-3.4.23/many-leases/block.pb.gz')],
      check: (r: AnalysisReport) => {
        expect(r.notes.join('\n')).toContain('the block profile is empty');
        expect(r.notes.join('\n')).toContain('runtime.SetBlockProfileRate');
      },
    },
  ],
});
