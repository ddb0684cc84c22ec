/**
 * `pprof-doctor diff` and `pprof-doctor trend` end to end (in-process): every output format on
 * the real etcd series, JSON documents validated against schema/diff.schema.json and
 * schema/trend.schema.json (ajv, draft 2020-12), `-o`, and one-line errors with exit code 2.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';

const root = join(__dirname, '..', '..');
const S = join(root, 'samples', 'etcd-3.4.23', 'series');
const E = join(root, 'samples', 'etcd-3.4.23');
const file = (series: string, kind: string, i: number) => join(S, series, `${kind}.0${i}.pb.gz`);
const all = (series: string, kind: string) => [1, 2, 3, 4, 5].map((i) => file(series, kind, i));

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateDiff = ajv.compile(JSON.parse(readFileSync(join(root, 'schema', 'diff.schema.json'), 'utf8')));
const validateTrend = ajv.compile(JSON.parse(readFileSync(join(root, 'schema', 'trend.schema.json'), 'utf8')));
function valid(v: typeof validateDiff, doc: unknown): string {
  return v(doc) ? '' : ajv.errorsText(v.errors, { separator: '\n' });
}

const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-compare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('diff', () => {
  const base = file('watch-leak', 'heap', 1);
  const next = file('watch-leak', 'heap', 5);

  it('text: signed deltas, statuses, the rules on each side', async () => {
    const r = await runMain(['diff', base, next]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Diff of inuse_space, mode compare (pprof -diff_base)');
    expect(r.stdout).toMatch(/change: \+16\.53MB \(\+154\.08% of base\)/);
    expect(r.stdout).toMatch(
      /\+5\.53MB\s+\+51\.58%\s+\+5\.53MB\s+\+51\.58%\s+1\.51MB → 7\.04MB\s+go\.etcd\.io\/etcd\/mvcc\.\(\*watchableStore\)\.NewWatchStream/,
    );
    expect(r.stdout).toMatch(/-532\.26kB\s+-4\.85%.*gone\s+go\.etcd\.io\/etcd\/raft\.\(\*MemoryStorage\)\.Append/);
    expect(r.stdout).toMatch(
      /Diagnosis \(rules on each side\):\n(.*\n)*\s+grew\s+watch-memory \(warning\): signature \d+\.\d+% → \d+\.\d+% of inuse_space/,
    );
  });

  it('json: valid against schema/diff.schema.json, numbers equal to pprof, signed', async () => {
    const r = await runMain(['diff', base, next, '--format=json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(valid(validateDiff, doc)).toBe('');
    expect(doc.mode).toBe('compare');
    expect(doc.total).toBe(11247727);
    const row = (n: string) => doc.rows.find((x: { name: string }) => x.name === n);
    // go tool pprof -top -diff_base: 5665.06kB 51.58% … NewWatchStream; -532.26kB 4.85% … Append.
    expect(row('go.etcd.io/etcd/mvcc.(*watchableStore).NewWatchStream')).toMatchObject({
      status: 'changed',
      flatText: '+5.53MB',
    });
    expect(row('go.etcd.io/etcd/mvcc.(*watchableStore).NewWatchStream').flatPercent).toBeCloseTo(51.58, 2);
    expect(row('go.etcd.io/etcd/raft.(*MemoryStorage).Append')).toMatchObject({ status: 'disappeared' });
    expect(row('go.etcd.io/etcd/raft.(*MemoryStorage).Append').flatPercent).toBeCloseTo(-4.85, 2);
    expect(row('go.etcd.io/etcd/mvcc.watcherSet.add')).toMatchObject({ status: 'appeared', inline: 'inline' });
    expect(doc.diagnosis.rules.find((x: { id: string }) => x.id === 'watch-memory').status).toBe('grew');
  });

  it('json in subtract mode and normalized, goroutines', async () => {
    const r = await runMain([
      'diff',
      file('steady', 'goroutine', 1),
      file('steady', 'goroutine', 5),
      '--mode=subtract',
      '--normalize',
      '--format=json',
      '--no-diagnosis',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(valid(validateDiff, doc)).toBe('');
    expect(doc.mode).toBe('subtract');
    expect(doc.diagnosis).toBeNull();
    expect(doc.normalized).toBe(true);
  });

  it('markdown and html', async () => {
    const md = await runMain(['diff', base, next, '--format=markdown', '--nodecount=5']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('## pprof-doctor diff: inuse\\_space');
    expect(md.stdout).toContain(
      '| +5.53MB | +51.58% | +5.53MB | +51.58% | 1.51MB → 7.04MB |  | `go.etcd.io/etcd/mvcc.(*watchableStore).NewWatchStream` |',
    );
    expect(md.stdout).toContain('### Diagnosis on each side');
    const html = await runMain(['diff', base, next, '--format=html']);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(html.stdout).toContain("default-src 'none'");
    expect(html.stdout).not.toMatch(/(src|href)="https?:/);
    expect(html.stdout).toContain('go.etcd.io/etcd/mvcc.(*watchableStore).NewWatchStream');
  });

  it('--pprof prints pprof text; a CPU pair of two scenarios works', async () => {
    const r = await runMain([
      'diff',
      join(E, 'many-watchers', 'cpu.pb.gz'),
      join(E, 'large-range', 'cpu.pb.gz'),
      '--pprof',
      '-nodecount=5',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Type: cpu');
    expect(r.stdout).toContain('Showing top 5 nodes out of');
  });

  it('-o writes the file, never over an input', async () => {
    const out = join(tmp, 'diff.md');
    const r = await runMain(['diff', base, next, '--format=markdown', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('## pprof-doctor diff');
    const again = await runMain(['diff', base, next, '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --force/);
    const onInput = await runMain(['diff', base, next, '-o', base, '--force']);
    expect(onInput.code).toBe(2);
    expect(onInput.stderr).toMatch(/it is an input file/);
  });

  it('a heap against a CPU profile: one line, exit 2', async () => {
    const r = await runMain(['diff', base, join(E, 'large-range', 'cpu.pb.gz')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^pprof-doctor: cannot compare .*heap\.01\.pb\.gz \(heap: .*\) with .*cpu\.pb\.gz \(cpu: .*\): different sample types\n$/,
    );
  });

  it('a missing file: one line naming it, exit 2', async () => {
    const r = await runMain(['diff', base, join(tmp, 'nope.pb.gz')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pprof-doctor: .*nope\.pb\.gz: no such file\n$/);
  });
});

describe('trend', () => {
  it('json: watch-leak heap is a leak, valid against schema/trend.schema.json', async () => {
    const r = await runMain(['trend', ...all('watch-leak', 'heap'), '--format=json', '--limit=8GiB']);
    expect(r.code).toBe(0);
    const root = JSON.parse(r.stdout);
    expect(valid(validateTrend, root)).toBe('');
    expect(root.schemaVersion).toBe(2);
    expect(root.groups).toHaveLength(1);
    expect(root.groups[0]).toMatchObject({ kind: 'heap', member: null, note: null });
    const doc = root.groups[0].trend;
    expect(root.leak).toBe(true);
    expect(doc.leak).toBe(true);
    expect(doc.order).toBe('time');
    expect(doc.projection.status).toBe('approaching');
    expect(doc.projection.limit).toBe(8 * 2 ** 30);
    const top = doc.stacks[0];
    expect(top.verdict).toBe('leak');
    expect(top.values).toHaveLength(5);
    expect(typeof top.slopePerHour).toBe('number');
    expect(top.r2).toBeGreaterThan(0.9);
    expect(doc.functions.length).toBeGreaterThan(0);
  });

  for (const [series, kind, leak] of [
    ['watch-leak', 'goroutine', true],
    ['steady', 'heap', false],
    ['steady', 'goroutine', false],
  ] as const) {
    it(`json: ${series} ${kind} → leak ${leak}`, async () => {
      const r = await runMain(['trend', ...all(series, kind), '--format=json', '--limit=10k']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(valid(validateTrend, doc)).toBe('');
      expect(doc.groups[0].trend.leak).toBe(leak);
    });
  }

  it('text and markdown show sparklines; html an inline SVG chart', async () => {
    const text = await runMain(['trend', ...all('watch-leak', 'goroutine')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Verdict: LEAK: /m);
    expect(text.stdout).toMatch(/leak\s+\d+%\s+[▁▂▃▄▅▆▇█]{5}\s+160 → 1150/);
    const md = await runMain(['trend', ...all('steady', 'heap'), '--format=markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/\*\*Verdict:\*\* No leak: /);
    expect(md.stdout).toMatch(/\| bounded \| \d+% \| [▁▂▃▄▅▆▇█]{5} \|/);
    expect(md.stdout).toContain('### Bounded growth');
    const html = await runMain(['trend', ...all('watch-leak', 'heap'), '--format=html']);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/<svg [^>]*role="img"/);
    expect(html.stdout).toContain('<polyline');
    expect(html.stdout).not.toMatch(/(src|href)="https?:/);
  });

  it('-o writes the file', async () => {
    const out = join(tmp, 'trend.html');
    const r = await runMain(['trend', ...all('watch-leak', 'heap'), '--format=html', '-o', out]);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('fewer than 3 profiles: usage error', async () => {
    const r = await runMain(['trend', file('watch-leak', 'heap', 1), file('watch-leak', 'heap', 2)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "pprof-doctor: trend needs at least 3 profiles of one process (got 2); for two, use 'pprof-doctor diff'\n",
    );
  });

  it('heap and goroutine profiles in one folder: a trend per kind, summary lines first', async () => {
    const r = await runMain(['trend', join(S, 'watch-leak')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Trend of 2 groups (profile kind), 2 trended:');
    expect(lines[1]).toMatch(/^ {2}heap {7}LEAK: /);
    expect(lines[2]).toMatch(/^ {2}goroutine {2}LEAK: /);
    expect(r.stdout).toContain('── heap (5 profiles) ──\nTrend of inuse_space over 5 heap profiles');
    expect(r.stdout).toContain('── goroutine (5 profiles) ──\nTrend of goroutine over 5 goroutine profiles');
  });

  it('a bad --limit: one line, exit 2', async () => {
    const r = await runMain(['trend', ...all('steady', 'heap'), '--limit=lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("pprof-doctor: --limit: 'lots' is not a size such as 8GiB or 512MB\n");
  });
});
