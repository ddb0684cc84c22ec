/**
 * Advice that fits the process (src/diagnosis/advice.ts): remediation steps and metrics carry the
 * etcd / Go versions they exist in, and the report keeps, labels or leaves them out for the
 * inferred or stated version; environment variables are shown as such. `diff` and `trend` apply
 * analyze's version exclusions to rules that did not fire.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareDiagnoses } from '../../src/analysis/compare/diagnosis.js';
import { trend } from '../../src/analysis/trend.js';
import { adviceFor } from '../../src/diagnosis/advice.js';
import { loadRules } from '../../src/diagnosis/load-rules-node.js';
import { parseRule } from '../../src/diagnosis/rule-parse.js';
import { versionToRange } from '../../src/diagnosis/versions.js';
import { loadProfile } from '../../src/input/load.js';
import '../../src/profile/regex.js';
import { formatAnalysisText } from '../../src/report/analysis-text.js';
import { analyze } from '../helpers/rule-tester.js';

const known = (range: string) => ({ range, label: range, source: 'stated' as const });
const steps = [
  { do: 'always' },
  { do: 'new flag', flag: '--experimental-snapshot-catchup-entries=1000', etcd: '>=3.5.14 <3.6.0' },
  { do: 'before the flag', etcd: '<3.5.14' },
  { do: 'memory limit', env: 'GOMEMLIMIT=3600MiB', go: '>=1.19.0' },
];
const metrics = [
  { name: 'etcd_mvcc_range_total', expect: 'range rate', etcd: '>=3.4.0' },
  { name: 'etcd_debugging_mvcc_range_total', expect: 'range rate', etcd: '<3.4.0' },
];

describe('adviceFor', () => {
  it('a version inside the range keeps the step as written; outside leaves it out with the reason', () => {
    const a = adviceFor(steps, metrics, { etcdVersion: known('3.4.23'), goVersion: known('1.19.9') });
    expect(a.remediation.map((s) => s.do)).toEqual(['always', 'before the flag', 'memory limit']);
    expect(a.remediation.every((s) => s.versionNote === undefined)).toBe(true);
    expect(a.metrics.map((m) => m.name)).toEqual(['etcd_mvcc_range_total']);
    expect(a.omitted).toEqual([
      { kind: 'step', text: 'new flag', reason: 'needs etcd 3.5.14 – 3.5.x; this process: etcd 3.4.23 (stated)' },
      {
        kind: 'metric',
        text: 'etcd_debugging_mvcc_range_total',
        reason: 'needs etcd ≤ 3.3.x; this process: etcd 3.4.23 (stated)',
      },
    ]);
  });

  it('3.5.14 gets the flag instead of the replacement; an old Go loses GOMEMLIMIT', () => {
    const a = adviceFor(steps, [], { etcdVersion: known('3.5.14'), goVersion: known('<1.9.0') });
    expect(a.remediation.map((s) => s.do)).toEqual(['always', 'new flag']);
    expect(a.omitted.map((o) => o.text)).toEqual(['before the flag', 'memory limit']);
    expect(a.omitted[1]!.reason).toBe('needs Go ≥ 1.19.0; this process: Go <1.9.0 (stated)');
  });

  it('unknown or partly overlapping versions keep the step, labelled', () => {
    const a = adviceFor(steps, metrics, { etcdVersion: null, goVersion: known('>=1.14.0') });
    expect(a.omitted).toEqual([]);
    expect(a.remediation.find((s) => s.do === 'new flag')!.versionNote).toBe('etcd 3.5.14 – 3.5.x only');
    expect(a.remediation.find((s) => s.do === 'memory limit')!.versionNote).toBe('Go ≥ 1.19.0 only');
    const b = adviceFor(steps, [], { etcdVersion: known('>=3.5.0 <3.6.0'), goVersion: null });
    expect(b.remediation.map((s) => [s.do, s.versionNote])).toEqual([
      ['always', undefined],
      ['new flag', 'etcd 3.5.14 – 3.5.x only'],
      ['before the flag', 'etcd ≤ 3.5.13 only'],
      ['memory limit', 'Go ≥ 1.19.0 only'],
    ]);
  });
});

describe('the rule schema', () => {
  const RULE = `id: demo-rule
title: A demo rule for tests
severity: warning
appliesTo: [any-go]
detect:
  - profile: cpu
    require: [{ frame: 'runtime.scanobject', cum: 10% }]
explanation: Something costs CPU in the demo.
references: ['https://go.dev/doc/gc-guide']
`;
  const err = (text: string) => {
    try {
      parseRule(text, 'demo.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };

  it('reads env, etcd and go on steps and metrics', () => {
    const r = parseRule(
      `${RULE}remediation:\n  - do: cap the heap\n    env: GOMEMLIMIT=1GiB\n    go: '>=1.19.0'\nmetrics:\n  - name: go_gc_duration_seconds\n    expect: long pauses\n    etcd: '>=3.4.0'\n`,
      'demo.yaml',
    );
    expect(r.remediation[0]).toEqual({ do: 'cap the heap', env: 'GOMEMLIMIT=1GiB', go: '>=1.19.0' });
    expect(r.metrics[0]!.etcd).toBe('>=3.4.0');
  });

  it('refuses an environment variable written as a flag, a bad env, a bad range, a rule explaining itself', () => {
    expect(err(`${RULE}remediation:\n  - do: x\n    flag: GOGC=200\n`)).toMatch(
      /remediation\[0\]\.flag: is an environment variable \(NAME=value\): write it as 'env'/,
    );
    expect(err(`${RULE}remediation:\n  - do: x\n    env: --gogc=200\n`)).toMatch(
      /remediation\[0\]\.env: must be NAME=value/,
    );
    expect(err(`${RULE}remediation:\n  - do: x\n    etcd: '>=3.banana'\n`)).toMatch(
      /remediation\[0\]\.etcd: is not a valid semver range/,
    );
    expect(err(`${RULE}remediation: [x]\nexplains: [demo-rule]\n`)).toMatch(
      /explains\[0\]: a rule cannot explain itself/,
    );
    expect(err(`${RULE}remediation: [x]\nexplains: [Not_An_Id]\n`)).toMatch(/explains\[0\]: must be kebab-case/);
  });

  it('every built-in rule explains only rules that exist', async () => {
    const rules = await loadRules();
    const ids = new Set(rules.map((r) => r.id));
    for (const r of rules) for (const x of r.explains) expect(ids.has(x), `${r.id} explains ${x}`).toBe(true);
    expect(rules.find((r) => r.id === 'backend-concurrent-readtx-buffer-copy')!.explains).toContain('gc-pressure');
  });
});

describe('analyze: the built-in advice on real profiles', () => {
  const load = async (p: string) => [{ profile: await loadProfile(p), name: p }];

  it('raft log on etcd 3.4: no --experimental-snapshot-catchup-entries; on 3.5.14 it is there', async () => {
    const inputs = await load('samples/docs/etcd-3.4.9-raft-log-1mb-heap.pb.gz');
    const d34 = (await analyze(inputs)).diagnoses.find((d) => d.id === 'raft-log-retention')!;
    const flags34 = d34.remediation.map((s) => s.flag ?? '');
    expect(flags34).not.toContain('--experimental-snapshot-catchup-entries=1000');
    expect(d34.remediation.map((s) => s.do)).toContain(
      'The kept tail (5000 entries) cannot be changed before 3.5.14; upgrading to 3.5.14+ makes it configurable',
    );
    expect(d34.omitted.map((o) => o.reason)).toContain(
      'needs etcd 3.5.14 – 3.5.x; this process: etcd 3.4.x (inferred)',
    );
    const d35 = (await analyze(inputs, { etcdVersion: versionToRange('3.5.14')! })).diagnoses.find(
      (d) => d.id === 'raft-log-retention',
    )!;
    expect(d35.remediation.map((s) => s.flag)).toContain('--experimental-snapshot-catchup-entries=1000');
    expect(d35.remediation.map((s) => s.do)).not.toContain(
      'The kept tail (5000 entries) cannot be changed before 3.5.14; upgrading to 3.5.14+ makes it configurable',
    );
    const d36 = (await analyze(inputs, { etcdVersion: versionToRange('3.6.1')! })).diagnoses.find(
      (d) => d.id === 'raft-log-retention',
    )!;
    expect(d36.remediation.map((s) => s.flag)).toContain('--snapshot-catchup-entries=1000');
  });

  it('gc-pressure: GOMEMLIMIT is an environment variable, dropped for a Go ≤ 1.8 binary', async () => {
    const inputs = await load('samples/docs/etcd-3.2.23-leader-cpu-tls.pb.gz');
    const r = await analyze(inputs);
    expect(r.process.goVersion!.label).toBe('≤ 1.8.x');
    const gc = r.diagnoses.find((d) => d.id === 'gc-pressure')!;
    expect(gc.remediation.some((s) => s.env?.startsWith('GOMEMLIMIT='))).toBe(false);
    expect(gc.remediation.find((s) => s.env === 'GOGC=200')).toBeDefined();
    expect(gc.remediation.every((s) => !s.flag || !/^[A-Z]+=/.test(s.flag))).toBe(true);
    expect(gc.omitted.map((o) => o.reason)).toEqual(['needs Go ≥ 1.19.0; this process: Go ≤ 1.8.x (inferred)']);
    const text = formatAnalysisText(r);
    expect(text).toContain('environment variable: GOGC=200');
    expect(text).not.toMatch(/flag: GOGC/);
    // the same profile said to be a Go 1.21 build gets the memory limit, as an environment variable
    const r21 = await analyze(inputs, { goVersion: versionToRange('1.21')! });
    const gc21 = r21.diagnoses.find((d) => d.id === 'gc-pressure')!;
    expect(gc21.remediation.find((s) => s.env === 'GOMEMLIMIT=3600MiB')).toBeDefined();
    expect(formatAnalysisText(r21)).toContain('environment variable: GOMEMLIMIT=3600MiB');
  });

  it('a client upgrade says the import path changes', async () => {
    const r = await analyze(await load('samples/docs/client-3.1.3-watch-leak-heap.pb.gz'));
    const d = r.diagnoses.find((x) => x.id === 'clientv3-watch-stream-leak')!;
    const step = d.remediation.find((s) => s.command === 'go get go.etcd.io/etcd/client/v3@latest')!;
    expect(step.do).toMatch(
      /github\.com\/coreos\/etcd\/clientv3 .* go\.etcd\.io\/etcd\/clientv3 .* go\.etcd\.io\/etcd\/client\/v3/,
    );
  });

  it('the keep-alive storm on a ≤ 3.3 server: the 3.4+ renew metric is left out', async () => {
    const r = await analyze(await load('samples/docs/etcd-3.2.23-leader-heap.pb.gz'));
    const d = r.diagnoses.find((x) => x.id === 'lease-keepalive-storm')!;
    expect(d.metrics.map((m) => m.name)).not.toContain('etcd_debugging_lease_renewed_total');
    expect(d.omitted).toEqual([
      {
        kind: 'metric',
        text: 'etcd_debugging_lease_renewed_total',
        reason: `needs etcd ≥ 3.4.0; this process: etcd ${r.process.etcdVersion!.label} (inferred)`,
      },
    ]);
  });
});

describe('diff and trend apply the version exclusions of analyze', () => {
  const S = 'samples/etcd-3.4.23/series/watch-leak';
  const heap = (i: number) => loadProfile(join(S, `heap.0${i}.pb.gz`));

  // heap.05 carries a linearizable read (requestCurrentIndex, etcd ≥ 3.4.20) on its stacks; heap.01–04
  // only say 3.4.2 – 3.4.x (pkg/traceutil), which still admits the releases before the fix.
  it('diff: mvcc-watch-chanbuflen-1024 (fixed in 3.4.10) is not listed when a profile shows ≥ 3.4.20', async () => {
    const rules = await loadRules();
    const [a, d, e] = [await heap(1), await heap(4), await heap(5)];
    const unmarked = compareDiagnoses(a, d, rules);
    // its signature does grow: inferred only as 3.4.2 – 3.4.x, the bug may apply
    expect(unmarked.rules.find((x) => x.id === 'mvcc-watch-chanbuflen-1024')?.status).toBe('grew');
    const marked = compareDiagnoses(a, e, rules);
    expect(marked.rules.map((x) => x.id)).not.toContain('mvcc-watch-chanbuflen-1024');
    expect(marked.rules.find((x) => x.id === 'watch-memory')?.status).toBe('grew');
    const stated = compareDiagnoses(a, d, rules, { etcdVersion: '3.4.23' });
    expect(stated.rules.map((x) => x.id)).not.toContain('mvcc-watch-chanbuflen-1024');
  });

  it('trend: the same, judged on the last snapshot', async () => {
    const rules = await loadRules();
    const ps = await Promise.all([1, 2, 3, 4, 5].map(heap));
    const unmarked = trend(ps.slice(0, 4), { rules });
    expect(unmarked.rules!.map((x) => x.id)).toContain('mvcc-watch-chanbuflen-1024');
    const marked = trend(ps, { rules });
    expect(marked.rules!.map((x) => x.id)).not.toContain('mvcc-watch-chanbuflen-1024');
    expect(marked.rules!.find((x) => x.id === 'watch-memory')?.verdict).toBe('leak');
    const stated = trend(ps.slice(0, 4), { rules, etcdVersion: '3.4.23', goVersion: '>=1.19.0 <1.20.0' });
    expect(stated.rules!.map((x) => x.id)).not.toContain('mvcc-watch-chanbuflen-1024');
  });
});
