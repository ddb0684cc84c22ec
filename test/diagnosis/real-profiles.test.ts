/**
 * The engine on real profiles: the etcd 3.4.23 scenarios in samples/ (collected by
 * scripts/collect), the published tables of the source documents (test/fixtures/docs), and Go
 * programs that are not etcd (test/fixtures/go, test/fixtures/large.cpu.pb.gz).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { severityAtLeast } from '../../src/diagnosis/engine.js';
import { loadProfile } from '../../src/input/load.js';
import { analyze, builtinRules } from '../helpers/rule-tester.js';

const PROFILE_FILES = /\.(pb\.gz|txt)$/;
async function scenario(dir: string) {
  const files = readdirSync(dir).filter((f) => PROFILE_FILES.test(f) && f !== 'metrics.txt');
  return Promise.all(files.map(async (f) => ({ profile: await loadProfile(join(dir, f)), name: join(dir, f) })));
}

const S = 'samples/etcd-3.4.23';
const have = (d: string) => existsSync(join(S, d));

describe.skipIf(!have('idle'))('etcd 3.4.23 scenarios', () => {
  it('idle: an etcd server, no diagnosis of severity warning or higher', async () => {
    const r = await analyze(await scenario(join(S, 'idle')));
    expect(r.process.kind).toBe('etcd-server');
    expect(r.process.etcdVersion!.range).toMatch(/^>=3\.4\.\d+ <3\.5\.0$/);
    expect(r.diagnoses.filter((d) => severityAtLeast(d.severity, 'warning'))).toEqual([]);
    const ids = r.diagnoses.map((d) => d.id);
    expect(ids).not.toContain('watch-memory');
    expect(ids).not.toContain('lease-heap');
  });

  it.skipIf(!have('put-1mb-3member'))(
    'put-1mb-3member: the raft log holds the 1 MB puts, leader and follower',
    async () => {
      for (const role of ['leader', 'follower']) {
        const r = await analyze(await scenario(join(S, 'put-1mb-3member', role)));
        expect(r.process.role).toBe(role);
        expect(r.diagnoses[0]!.id).toBe('raft-log-retention');
        const m = r.diagnoses[0]!.models.find((x) => x.name === 'raft-log-memory')!;
        // ~1 MiB per entry, hundreds of entries held
        expect(m.inputs.find((i) => i.name === 'average entry size')!.value!).toBeGreaterThan(0.9 * 1024 * 1024);
        expect(m.inputs.find((i) => i.name === 'average entry size')!.value!).toBeLessThan(1.2 * 1024 * 1024);
      }
    },
  );

  it.skipIf(!have('count-only'))(
    'count-only: the index walk of count-only ranges, not an expensive full range',
    async () => {
      const r = await analyze(await scenario(join(S, 'count-only')));
      expect(r.diagnoses[0]!.id).toBe('count-only-limit-scan');
      expect(r.diagnoses.map((d) => d.id)).not.toContain('expensive-range');
    },
  );

  it.skipIf(!have('large-range'))('large-range: unpaginated ranges of large values', async () => {
    const r = await analyze(await scenario(join(S, 'large-range')));
    expect(r.diagnoses[0]!.id).toBe('expensive-range');
    expect(r.diagnoses.map((d) => d.id)).not.toContain('count-only-limit-scan');
    // Go ≥ 1.14 inferred does not prove MADV_FREE: never fires on a partial overlap
    expect(r.diagnoses.map((d) => d.id)).not.toContain('go-madv-free-rss');
  });

  it.skipIf(!have('many-leases'))(
    'many-leases: 50 000 leases are the dominant share of the heap (lease-heap); the 3.2 storm is ruled out',
    async () => {
      const r = await analyze(await scenario(join(S, 'many-leases')));
      const ids = r.diagnoses.map((d) => d.id);
      expect(ids).toContain('lease-heap');
      expect(ids).not.toContain('lease-keepalive-storm');
      const x = r.ruledOut.find((d) => d.id === 'lease-heap' || d.id === 'lease-keepalive-storm');
      if (x) expect(x.because).toBe('version');
      const d = r.diagnoses.find((y) => y.id === 'lease-heap')!;
      // the heap detector fired on an in-use heap
      expect(d.firedOn.some((f) => f.sampleType === 'inuse_space')).toBe(true);
      const e = d.evidence.find((y) => y.role === 'require' && y.held && y.unit === 'bytes')!;
      expect(e.cumShare).toBeGreaterThan(0.25);
      // ~14 MB: a dominant share but a modest amount, so not a near-certain diagnosis
      expect(e.cum).toBeLessThan(64 * 1024 * 1024);
      expect(d.confidence).toBeLessThan(0.8);
    },
  );

  it.skipIf(!have('many-watchers'))(
    'many-watchers: 20 000 watchers on 200 streams are the dominant share of the heap (watch-memory)',
    async () => {
      const r = await analyze(await scenario(join(S, 'many-watchers')));
      const ids = r.diagnoses.map((d) => d.id);
      expect(ids).toContain('watch-memory');
      expect(ids).not.toContain('watch-event-backlog');
      const d = r.diagnoses.find((y) => y.id === 'watch-memory')!;
      // both the heap and the goroutine profile show it
      const kinds = new Set(d.firedOn.map((f) => f.profileKind));
      expect(kinds.has('heap')).toBe(true);
      expect(kinds.has('goroutine')).toBe(true);
      // the top in-use-heap diagnosis
      const heapTop = r.diagnoses.find((y) => y.firedOn.some((f) => f.sampleType === 'inuse_space'));
      expect(heapTop!.id).toBe('watch-memory');
      // the model's inputs come from the profiles: 200 streams (scenario.json), one client connection
      const m = d.models.find((x) => x.name === 'watch-memory')!;
      expect(m.inputs.find((i) => i.name === 'gRPC watch streams')!.value).toBe(200);
      const conns = m.inputs.find((i) => i.name === 'gRPC connections')!.value!;
      expect(conns).toBeGreaterThanOrEqual(1);
      expect(conns).toBeLessThanOrEqual(3);
      expect(m.measured!).toBeGreaterThan(4 * 1024 * 1024);
      expect(m.measured!).toBeLessThan(16 * 1024 * 1024);
      // 20,000 watchers were open (scenario.json), seen through 8 sampled allocations: within the
      // sampling error the model states (±35 %), not the 2.7× of counting objects as watchers.
      const watchers = m.inputs.find((i) => i.name === 'watchers')!;
      expect(watchers.value!).toBeGreaterThan(20_000 * 0.65);
      expect(watchers.value!).toBeLessThan(20_000 * 1.5);
      expect(watchers.text).toMatch(/± \d+ %: \d+ sampled allocations/);
      expect(d.confidence).toBeLessThan(0.8);
    },
  );

  it.skipIf(!have('series/watch-leak'))(
    'series/watch-leak: the last snapshot (1150 streams) is watch-memory',
    async () => {
      const dir = join(S, 'series/watch-leak');
      const r = await analyze([
        { profile: await loadProfile(join(dir, 'heap.05.pb.gz')), name: 'heap.05.pb.gz' },
        { profile: await loadProfile(join(dir, 'goroutine.05.pb.gz')), name: 'goroutine.05.pb.gz' },
      ]);
      expect(r.diagnoses.map((d) => d.id)).toContain('watch-memory');
      const m = r.diagnoses.find((d) => d.id === 'watch-memory')!.models.find((x) => x.name === 'watch-memory')!;
      expect(m.inputs.find((i) => i.name === 'gRPC watch streams')!.value).toBe(1150);
    },
  );

  it.skipIf(!have('series/steady'))('series/steady: no watch or lease diagnosis', async () => {
    const dir = join(S, 'series/steady');
    const r = await analyze(await scenario(dir));
    const ids = r.diagnoses.map((d) => d.id);
    expect(ids).not.toContain('watch-memory');
    expect(ids).not.toContain('lease-heap');
  });
});

describe.skipIf(!have('idle'))('etcd 3.4.23: ranked by the question the profile answers, causes first', () => {
  const one = async (f: string) => analyze([{ profile: await loadProfile(join(S, f)), name: f }]);

  it.each([
    ['many-watchers/heap.pb.gz'],
    ['series/watch-leak/heap.01.pb.gz'],
    ['series/watch-leak/heap.03.pb.gz'],
    ['series/watch-leak/heap.05.pb.gz'],
  ])('%s: a heap profile leads with the watch memory it holds; allocation churn comes after, labelled', async (f) => {
    const r = await one(f);
    expect(r.lens.kind).toBe('in-use');
    expect(r.diagnoses[0]!.id).toBe('watch-memory');
    const churn = r.diagnoses.find((d) => d.id === 'backend-concurrent-readtx-buffer-copy')!;
    // it fires, on allocation volume since start, and says so
    expect(churn.measures).toEqual(['allocated']);
    expect(churn.lensNote).toBe('allocated since start (alloc_space): ranked after memory in use now');
    expect(r.diagnoses.indexOf(churn)).toBeGreaterThan(0);
  });

  it('the same heap asked what allocates (--sample-index=alloc_space, or an allocs profile) leads with the churn', async () => {
    const r = await analyze([{ profile: await loadProfile(join(S, 'many-watchers/heap.pb.gz')), name: 'heap.pb.gz' }], {
      sampleIndex: 'alloc_space',
    });
    expect(r.lens.kind).toBe('allocated');
    expect(r.diagnoses[0]!.id).toBe('backend-concurrent-readtx-buffer-copy');
    const a = await one('many-watchers/allocs.pb.gz');
    expect(a.lens.kind).toBe('allocated');
    expect(a.diagnoses[0]!.id).toBe('backend-concurrent-readtx-buffer-copy');
    expect(a.diagnoses.find((d) => d.id === 'watch-memory')!.lensNote).toMatch(/^memory in use now/);
  });

  it.skipIf(!have('large-range'))('large-range allocs: leads with expensive-range', async () => {
    const r = await one('large-range/allocs.pb.gz');
    expect(r.lens.kind).toBe('allocated');
    expect(r.diagnoses[0]!.id).toBe('expensive-range');
  });

  it.skipIf(!have('many-leases'))(
    'many-leases CPU: the copy of the write buffer on every read, then gc-pressure under it as its consequence',
    async () => {
      const r = await one('many-leases/cpu.pb.gz');
      expect(r.lens.kind).toBe('cpu');
      const ids = r.diagnoses.map((d) => d.id);
      expect(ids.slice(0, 2)).toEqual(['backend-concurrent-readtx-buffer-copy', 'gc-pressure']);
      expect(r.diagnoses[0]!.explains).toEqual(['gc-pressure']);
      expect(r.diagnoses[1]!.explainedBy).toBe('backend-concurrent-readtx-buffer-copy');
      // gc-pressure alone measures more CPU: without the cause it would lead
      const gcShare = r.diagnoses[1]!.evidence.find((e) => e.role === 'require')!.cumShare;
      const causeShare = r.diagnoses[0]!.evidence.find((e) => e.role === 'require' && e.sampleType === 'cpu')!.cumShare;
      expect(gcShare).toBeGreaterThan(causeShare);
    },
  );
});

describe.skipIf(!existsSync('test/fixtures/docs'))('the published tables of the source documents (seed 003)', () => {
  const doc = async (f: string) => analyze([{ profile: await loadProfile(`test/fixtures/docs/${f}`), name: f }]);

  it('leader heap: the lease keep-alive storm, fixed in 3.2.24 / 3.3.9', async () => {
    const r = await doc('etcd-3.2.23-leader-heap.top.txt');
    expect(r.process.kind).toBe('etcd-server');
    expect(r.process.etcdVersion!.range).toBe('>=3.0.0 <3.3.14');
    expect(r.process.goVersion!.range).toBe('<1.11.0');
    const d = r.diagnoses[0]!;
    expect(d.id).toBe('lease-keepalive-storm');
    expect(d.severity).toBe('critical');
    expect(d.fixedIn).toContain('3.2.24');
    expect(d.fixedIn).toContain('3.3.9');
    const e = d.evidence.find((x) => x.role === 'require')!;
    expect(e.flatText).toBe('6.99GB');
    expect(e.flatShare).toBeCloseTo(0.6356, 3);
  });

  it('leader heap with --etcd-version 3.5.0: ruled out, with the reason', async () => {
    const r = await analyze(
      [{ profile: await loadProfile('test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt'), name: 'heap' }],
      { etcdVersion: '3.5.0' },
    );
    expect(r.diagnoses.map((d) => d.id)).not.toContain('lease-keepalive-storm');
    expect(r.ruledOut.find((d) => d.id === 'lease-keepalive-storm')!.reason).toMatch(
      /3\.5\.0 \(stated.*outside the affected range/,
    );
  });

  it('CPU with peer TLS: TLS handshakes and GC', async () => {
    const r = await doc('etcd-3.2.23-leader-cpu-tls.top.txt');
    const ids = r.diagnoses.map((d) => d.id);
    expect(ids).toContain('tls-handshake-churn');
    expect(ids).toContain('gc-pressure');
    expect(ids).not.toContain('lock-timer-churn');
  });

  it('CPU without peer TLS: lock and timer churn', async () => {
    const r = await doc('etcd-3.2.23-leader-cpu-notls.top.txt');
    expect(r.diagnoses[0]!.id).toBe('lock-timer-churn');
    expect(r.diagnoses.map((d) => d.id)).not.toContain('tls-handshake-churn');
    expect(r.process.goVersion!.range).toBe('<1.9.0');
  });
});

describe('Go programs that are not etcd get no etcd diagnosis', async () => {
  const rules = await builtinRules();
  const etcdOnly = new Set(rules.filter((r) => !r.appliesTo.includes('any-go')).map((r) => r.id));
  const files = [
    'test/fixtures/large.cpu.pb.gz',
    ...(existsSync('test/fixtures/go')
      ? readdirSync('test/fixtures/go')
          .filter((f) => /\.(pb\.gz|txt)$/.test(f) && f !== 'go-version.txt')
          .map((f) => `test/fixtures/go/${f}`)
      : []),
  ].filter((f) => existsSync(f));
  it.each(files)('%s', async (f) => {
    let profile: Awaited<ReturnType<typeof loadProfile>>;
    try {
      profile = await loadProfile(f);
    } catch {
      return; // not every fixture is a profile (panic.txt is a crash dump for the goroutine importer tests)
    }
    const r = await analyze([{ profile, name: f }]);
    expect(['other-go', 'unknown']).toContain(r.process.kind);
    expect(r.diagnoses.filter((d) => etcdOnly.has(d.id))).toEqual([]);
  });
});
