// The metrics a diagnosis shows are those that exist in the process's version (advice.ts) AND are
// checked against the scrape (metric-checks.ts): a metric left out for the version is neither
// checked nor counted in the confidence; a kept one carries both its version range and its verdict.
// Real data: etcd 3.4.23, 200 watch streams / 20,000 watchers, with its /metrics scrape.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProfiles } from '../../src/diagnosis/engine.js';
import { parseRule } from '../../src/diagnosis/rule-parse.js';
import { loadProfile } from '../../src/input/load.js';
import { metricsFromText } from '../../src/metrics/load.js';
import '../../src/profile/regex.js';
import { formatAnalysisText } from '../../src/report/analysis-text.js';
import { renderMarkdown } from '../../src/report/markdown.js';

const DIR = 'samples/etcd-3.4.23/many-watchers';
const RULE = `id: demo-watchers
title: Watchers hold memory (test rule)
severity: warning
appliesTo: [etcd-server]
detect:
  - profile: heap
    require: [{ frame: '{etcd}/mvcc.(*watchableStore).watch', cum: 5% }]
explanation: Watchers hold memory.
remediation: [close the watchers]
metrics:
  - name: etcd_debugging_mvcc_watcher_total
    expect: tens of thousands of watchers
    check: {op: '>=', value: 1000}
    etcd: '>=3.4.0'
  - name: go_goroutines
    expect: an absurd number of goroutines
    check: {op: '>=', value: 1000000000}
  - name: etcd_debugging_mvcc_watch_stream_total
    expect: streams (a range this process does not have)
    check: {op: '>=', value: 1}
    etcd: '<3.4.0'
  - name: etcd_mvcc_range_total
    expect: range rate (from 3.5 only)
    etcd: '>=3.5.0'
references: ['https://github.com/etcd-io/etcd/pull/9952']
`;

async function run(withMetrics: boolean) {
  const files = readdirSync(DIR).filter((f) => f === 'heap.pb.gz' || f === 'goroutine.pb.gz');
  const inputs = await Promise.all(
    files.map(async (f) => ({ profile: await loadProfile(join(DIR, f)), name: join(DIR, f) })),
  );
  const m = metricsFromText(readFileSync(join(DIR, 'metrics.txt'), 'utf8'), join(DIR, 'metrics.txt'));
  const rule = parseRule(RULE, 'demo.yaml');
  return analyzeProfiles(inputs, [rule], withMetrics ? { metrics: { scrape: m.scrape, facts: m.facts } } : {});
}

describe('metrics kept for the version, then checked against the scrape', () => {
  it('with the scrape: the version it pins filters the metrics; the kept ones get verdicts', async () => {
    const r = await run(true);
    const d = r.diagnoses.find((x) => x.id === 'demo-watchers')!;
    expect(d).toBeDefined();
    expect(r.process.etcdVersion).toMatchObject({ label: '3.4.23', source: 'metrics' });
    expect(d.metrics.map((m) => [m.name, m.status])).toEqual([
      ['etcd_debugging_mvcc_watcher_total', 'confirmed'],
      ['go_goroutines', 'contradicted'],
    ]);
    const w = d.metrics[0]!;
    expect(w).toMatchObject({ etcd: '>=3.4.0', value: 20000, check: { op: '>=', value: 1000 } });
    expect(w.versionNote).toBeUndefined();
    expect(d.omitted.map((o) => [o.kind, o.text])).toEqual([
      ['metric', 'etcd_debugging_mvcc_watch_stream_total'],
      ['metric', 'etcd_mvcc_range_total'],
    ]);
    expect(d.omitted[0]!.reason).toBe('needs etcd ≤ 3.3.x; this process: etcd 3.4.23 (metrics)');
    // 1 confirmed, 1 contradicted; the omitted check (it would hold: 200 streams ≥ 1) is not counted
    const f = d.confidenceFactors.find((x) => x.factor === 'metrics')!;
    expect(f.delta).toBe(-0.05);
    expect(f.why).toMatch(/^1 confirmed, 1 contradicted of 2 metric checks/);
    // both shown to the reader: the verdict beside the kept metric, the omitted one listed
    const text = formatAnalysisText(r, { color: false, width: 200 });
    expect(text).toMatch(
      /- etcd_debugging_mvcc_watcher_total: tens of thousands of watchers \[✓ confirmed: 20000 >= 1000 in /,
    );
    expect(text).toMatch(/- metric "etcd_debugging_mvcc_watch_stream_total": needs etcd ≤ 3\.3\.x/);
    const md = renderMarkdown(r);
    expect(md).toMatch(/`go_goroutines`: an absurd number of goroutines \\\[✗ contradicted: /);
    expect(md).toMatch(
      /- metric `etcd_mvcc_range_total`: needs etcd ≥ 3\.5\.0; this process: etcd 3\.4\.23 \(metrics\)/,
    );
  }, 60_000);

  it('without the scrape: filtered by the inferred version, nothing is checked', async () => {
    const r = await run(false);
    const d = r.diagnoses.find((x) => x.id === 'demo-watchers')!;
    expect(d.metrics.every((m) => m.status === undefined)).toBe(true);
    expect(d.confidenceFactors.some((x) => x.factor === 'metrics')).toBe(false);
    expect(r.process.etcdVersion?.source).toBe('inferred');
    expect(d.metrics.map((m) => m.name)).toContain('etcd_debugging_mvcc_watcher_total');
    expect(d.omitted.find((o) => o.text === 'etcd_mvcc_range_total')!.reason).toMatch(/\(inferred\)$/);
  }, 60_000);
});
