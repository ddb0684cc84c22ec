/** `analyze` and `rules` through the CLI entry (in-process). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';

const HEAP_DOC = 'test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt';
const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const GOOD_RULE = `id: my-time-now
title: The program spends its time reading the clock
severity: warning
appliesTo: [any-go]
detect:
  - profile: cpu
    require:
      - frame: ['time.Now', 'time.now']
        cum: 50%
explanation: A user rule, to show that --rules DIR adds rules to the built-in pack.
remediation: ['Read the clock less often']
references: ['https://pkg.go.dev/time#Now']
`;

function ruleDir(name: string, text: string): string {
  const d = join(tmp, name);
  rmSync(d, { recursive: true, force: true });
  mkdtempSync(`${d}-`);
  const dir = mkdtempSync(join(tmp, `${name}-`));
  writeFileSync(join(dir, 'my-rule.yaml'), text);
  return dir;
}

function expectOneLine(stderr: string, re: RegExp): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(re);
  expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

describe('pprof-doctor rules', () => {
  it('lists every rule with id, severity, applies-to and title', async () => {
    const r = await runMain(['rules']);
    expect(r.code).toBe(0);
    for (const id of ['lease-keepalive-storm', 'clientv3-watch-stream-leak', 'go-madv-free-rss'])
      expect(r.stdout).toContain(id);
    expect(r.stdout).toMatch(/^ID\s+SEVERITY\s+APPLIES TO\s+PROFILES\s+TITLE/);
    expect(r.stdout).toMatch(/lease-keepalive-storm\s+critical\s+etcd-server/);
  });

  it('shows one rule fully', async () => {
    const r = await runMain(['rules', 'show', 'lease-keepalive-storm']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fixed in 3.1.19, 3.2.24, 3.3.9, 3.4.0');
    expect(r.stdout).toContain('{grpc}/transport.(*recvBuffer).put');
    expect(r.stdout).toContain('https://github.com/etcd-io/etcd/pull/9952');
    const j = await runMain(['rules', 'show', 'lease-keepalive-storm', '--format', 'json']);
    const rule = JSON.parse(j.stdout);
    expect(rule.detect[0].require[0].frame).toEqual(['{grpc}/transport.(*recvBuffer).put']);
  });

  it('an unknown id is a one-line error, exit 2', async () => {
    const r = await runMain(['rules', 'show', 'lease-keepalive']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, /no rule 'lease-keepalive' \(did you mean [^)]*\blease-keepalive-storm\b/);
  });

  it.each([
    [
      'a bad regex',
      GOOD_RULE.replace("['time.Now', 'time.now']", "'re:time\\.(Now'"),
      /my-rule\.yaml: detect\[0\]\.require\[0\]\.frame: invalid regex/,
    ],
    ['an unknown field', `${GOOD_RULE}severty: high\n`, /my-rule\.yaml: \(top level\): unknown field 'severty'/],
    [
      'a bad semver range',
      `${GOOD_RULE}etcdVersions:\n  affected: '>=3.x.y <'\n`,
      /my-rule\.yaml: etcdVersions\.affected: is not a valid semver range/,
    ],
    ['a missing id', GOOD_RULE.replace('id: my-time-now\n', ''), /my-rule\.yaml: id: is required/],
  ])('rules check: %s names the file and the field', async (_n, text, re) => {
    const dir = ruleDir('bad', text);
    const r = await runMain(['rules', 'check', dir]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, re);
    const a = await runMain(['analyze', HEAP_DOC, '--rules', dir]);
    expect(a.code).toBe(2);
    expectOneLine(a.stderr, re);
  });
});

describe('pprof-doctor analyze', () => {
  it('text: what the profile is, the diagnosis with evidence, fix, references, then the top', async () => {
    const r = await runMain(['analyze', HEAP_DOC]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    const flat = out.replace(/\s+/g, ' ');
    // the lens first (a heap table: memory in use now), then the one-line summary: cause, severity, fix
    expect(out).toMatch(/^Ranked by memory in use now \(heap profile, inuse_space\)/);
    expect(out).toMatch(/^\[CRITICAL\] clientv3 lease keep-alive storm/m);
    expect(flat).toContain('fixed in etcd 3.1.19, 3.2.24, 3.3.9, 3.4.0');
    expect(out.indexOf('[CRITICAL]')).toBeLessThan(out.indexOf('Profile:'));
    expect(out).toMatch(/Process:\n {2}etcd server \(role: unknown\) · etcd 3\.0\.0 – 3\.3\.13 \(inferred\)/);
    expect(out).toMatch(/1\. \[CRITICAL\] clientv3 lease keep-alive storm/);
    expect(out).toContain('lease-keepalive-storm · confidence');
    expect(flat).toContain('flat 6.99GB (63.6%)');
    expect(flat).toContain(
      'etcd affected: ≤ 3.1.18 or 3.2.0 – 3.2.23 or 3.3.0 – 3.3.8; fixed in: 3.1.19, 3.2.24, 3.3.9, 3.4.0',
    );
    expect(out).toContain('What to do now:');
    expect(out).toContain('https://github.com/etcd-io/etcd/pull/9952');
    expect(out.indexOf('Top ')).toBeGreaterThan(out.indexOf('What to do now:'));
    expect(out).toMatch(
      /63\.56% 63\.56%\s+\S+ 63\.56%\s+github\.com\/coreos\/etcd\/cmd\/vendor\/google\.golang\.org\/grpc\/transport\.\(\*recvBuffer\)\.put/,
    );
  });

  it('json: profile, process, diagnoses (ordered, with severity/fixedIn/remediation/references), top', async () => {
    const r = await runMain(['analyze', HEAP_DOC, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 7)).toEqual([
      'schemaVersion',
      'tool',
      'profile',
      'process',
      'lens',
      'diagnoses',
      'ruledOut',
    ]);
    expect(j.schemaVersion).toBe(2);
    expect(j.lens).toMatchObject({ kind: 'in-use', sampleType: 'inuse_space' });
    expect(j.process).toMatchObject({ kind: 'etcd-server', role: 'unknown' });
    expect(j.process.etcdVersion.range).toBe('>=3.0.0 <3.3.14');
    expect(j.process.goVersion.range).toBe('<1.11.0');
    const d = j.diagnoses[0];
    expect(d).toMatchObject({ id: 'lease-keepalive-storm', severity: 'critical' });
    for (const k of ['id', 'title', 'severity', 'confidence', 'evidence', 'fixedIn', 'remediation', 'references'])
      expect(d).toHaveProperty(k);
    for (const x of j.diagnoses) expect(['info', 'warning', 'critical']).toContain(x.severity);
    for (const x of j.diagnoses) expect(x.measures.length).toBeGreaterThan(0);
    // the function name only: a pasted table's file column is not part of it
    expect(j.top[0].name).toBe('github.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/transport.(*recvBuffer).put');
    for (const row of j.top) expect(row.name).not.toMatch(/\.go(:\d+)?$/);
  });

  it('--fail-on: exit 1 at or above the threshold, 0 below', async () => {
    expect((await runMain(['analyze', HEAP_DOC, '--fail-on', 'critical'])).code).toBe(1);
    expect((await runMain(['analyze', HEAP_DOC, '--fail-on', 'warning'])).code).toBe(1);
    expect((await runMain(['analyze', 'test/fixtures/go/cpu.pb.gz', '--fail-on', 'warning'])).code).toBe(0);
  });

  it('--etcd-version overrides inference: a fixed version rules the storm out, with the reason', async () => {
    const r = await runMain(['analyze', HEAP_DOC, '--etcd-version', '3.5.9', '--fail-on', 'critical']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Ruled out \(\d+\):/);
    expect(r.stdout).toMatch(/lease-keepalive-storm \(version\): etcd 3\.5\.9 \(stated/);
  });

  it('no matching rule: says so plainly and still shows the top', async () => {
    const r = await runMain(['analyze', 'test/fixtures/go/cpu.pb.gz']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No diagnosis: none of the \d+ rules matched this profile\.\n\n/);
    expect(r.stdout).toMatch(/\n\nTop \d+ of test\/fixtures\/go\/cpu\.pb\.gz/);
  });

  it('--rules DIR adds a user rule', async () => {
    const dir = ruleDir('good', GOOD_RULE);
    const r = await runMain(['analyze', 'test/fixtures/large.cpu.pb.gz', '--rules', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diagnoses.map((d: { id: string }) => d.id)).toContain('my-time-now');
  });

  it('bad arguments are one-line errors with exit 2', async () => {
    let r = await runMain(['analyze', HEAP_DOC, '--etcd-version', 'banana']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, /--etcd-version: 'banana' is not a version/);
    r = await runMain(['analyze', 'no/such/file.pb.gz']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, /no\/such\/file\.pb\.gz: no such file/);
  });
});
