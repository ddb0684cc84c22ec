// Metrics as evidence on real etcd 3.4.23 data: versions and role from the scrape override symbol
// inference, the watch-memory model takes the exact watcher count, and rules' metric checks are
// confirmed or contradicted by the scrape and move the confidence.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMetric, metricsFactor } from '../../src/diagnosis/metric-checks.js';
import { loadProfile } from '../../src/input/load.js';
import { metricsFromText } from '../../src/metrics/load.js';
import { parsePromText } from '../../src/metrics/prom-text.js';
import { analyze } from '../helpers/rule-tester.js';

async function scenario(dir: string, withMetrics: boolean) {
  const files = readdirSync(dir).filter((f) => /\.(pb\.gz|txt)$/.test(f) && f !== 'metrics.txt');
  const inputs = await Promise.all(
    files.map(async (f) => ({ profile: await loadProfile(join(dir, f)), name: join(dir, f) })),
  );
  const m = metricsFromText(readFileSync(join(dir, 'metrics.txt'), 'utf8'), join(dir, 'metrics.txt'));
  return analyze(inputs, withMetrics ? { metrics: { scrape: m.scrape, facts: m.facts } } : {});
}

describe('metrics as evidence', () => {
  it('1 MB-value load, both members: raft-log retention with etcd 3.4.23 and Go 1.19.8 from the metrics', async () => {
    for (const member of ['leader', 'follower']) {
      const r = await scenario(`samples/etcd-3.4.23/put-1mb-3member/${member}`, true);
      expect(r.diagnoses.map((d) => d.id)).toContain('raft-log-retention');
      expect(r.process.etcdVersion).toMatchObject({ label: '3.4.23', source: 'metrics' });
      expect(r.process.goVersion).toMatchObject({ label: '1.19.8', source: 'metrics' });
      expect(r.process.role).toBe(member);
      expect(r.process.roleEvidence[0]).toBe(
        `etcd_server_is_leader ${member === 'leader' ? 1 : 0} in samples/etcd-3.4.23/put-1mb-3member/${member}/metrics.txt`,
      );
      expect(r.notes.join('\n')).toMatch(
        /etcd 3\.4\.23 from etcd_server_version\{server_version="3\.4\.23"\} .* overrides the inferred/,
      );
      // Without the scrape, the versions are a range inferred from symbols.
      const bare = await scenario(`samples/etcd-3.4.23/put-1mb-3member/${member}`, false);
      expect(bare.process.etcdVersion?.source).toBe('inferred');
      expect(bare.process.etcdVersion?.label).not.toBe('3.4.23');
    }
  }, 60_000);

  it('many watchers: the watch-memory model uses etcd_debugging_mvcc_watcher_total and says so', async () => {
    const r = await scenario('samples/etcd-3.4.23/many-watchers', true);
    const d = r.diagnoses.find((x) => x.id === 'watch-memory')!;
    const model = d.models.find((m) => m.name === 'watch-memory')!;
    const w = model.inputs.find((i) => i.name === 'watchers')!;
    expect(w.value).toBe(20000);
    expect(w.how).toMatch(
      /^etcd_debugging_mvcc_watcher_total in .*metrics\.txt \(exact, not sampled\); the heap profile alone would estimate ≈ \d+/,
    );
    expect(model.inputs.find((i) => i.name === 'gRPC watch streams')!.value).toBe(200);
    expect(model.notes.join(' ')).toMatch(/watcher count from the metrics/);
    expect(model.text).toMatch(/20000 watchers/);
    // and the rule's checks: 20000 ≥ 1000 watchers, goroutines ≥ 2 × streams
    const watchers = d.metrics.find((m) => m.name === 'etcd_debugging_mvcc_watcher_total')!;
    expect(watchers.status).toBe('confirmed');
    expect(d.metrics.find((m) => m.name === 'go_goroutines')!.status).toBe('confirmed');
    const factor = d.confidenceFactors.find((f) => f.factor === 'metrics')!;
    expect(factor.delta).toBe(0.1);
    // Without the scrape: the sampled estimate, no metrics factor.
    const bare = await scenario('samples/etcd-3.4.23/many-watchers', false);
    const bd = bare.diagnoses.find((x) => x.id === 'watch-memory')!;
    const bw = bd.models[0]!.inputs.find((i) => i.name === 'watchers')!;
    expect(bw.value).not.toBe(20000);
    expect(bw.text).toMatch(/^≈ /);
    expect(bd.confidenceFactors.some((f) => f.factor === 'metrics')).toBe(false);
    expect(d.confidence).toBeGreaterThan(bd.confidence);
  }, 60_000);

  it('a scrape that contradicts a check lowers the confidence (idle member: no watchers)', () => {
    const idle = parsePromText(readFileSync('samples/etcd-3.4.23/idle/metrics.txt', 'utf8'));
    const m = checkMetric(
      { name: 'etcd_debugging_mvcc_watcher_total', expect: 'many', check: { op: '>=', value: 1000 } },
      idle,
      'idle/metrics.txt',
    );
    expect(m.status).toBe('contradicted');
    expect(m.text).toMatch(/^\d+ not >= 1000 in idle\/metrics\.txt$/);
    expect(metricsFactor([m], 'idle')?.delta).toBe(-0.2);
    const ratio = checkMetric(
      {
        name: 'process_resident_memory_bytes',
        expect: 'far above heap',
        check: { op: '>', metric: 'go_memstats_heap_inuse_bytes', times: 2 },
      },
      idle,
      'idle',
    );
    expect(['confirmed', 'contradicted']).toContain(ratio.status);
    expect(ratio.text).toMatch(/2 × go_memstats_heap_inuse_bytes \(/);
    const absent = checkMetric(
      { name: 'etcd_debugging_store_writes_total{x="y"}', expect: 'v2', check: { op: '>', value: 0 } },
      idle,
      'idle',
    );
    expect(absent.status).toBe('not-scraped');
    expect(metricsFactor([absent], 'idle')).toBeUndefined();
  });
});
