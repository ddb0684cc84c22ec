// trend over several collect bundles (a bundle every hour): one series per member and kind, so a
// member that leaks is told from members that do not; JSON valid against trend-series.schema.json.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePprof } from '../../src/profile/encode.js';
import { E34, MB, etcdHeap } from '../helpers/etcd-frames.js';
import { runMain } from '../helpers/run-main.js';

const work = mkdtempSync(join(tmpdir(), 'pprof-doctor-trend-bundles-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const T0 = Date.parse('2026-01-01T00:00:00Z');

function heapAt(hour: number, growingMB: number) {
  const p = etcdHeap('3.4', [
    {
      stack: `runtime.goexit;${E34}lease.(*lessor).Grant;${E34}lease.(*LeaseExpiredNotifier).RegisterOrUpdate`,
      bytes: growingMB * MB,
    },
    { stack: 'runtime.goexit;other.work', bytes: 100 * MB },
  ]);
  p.timeNanos = (T0 + hour * 3600_000) * 1e6;
  return p;
}

function bundles(): string[] {
  const out: string[] = [];
  for (let h = 0; h < 4; h++) {
    const dir = join(work, `bundle-${h}`);
    for (const [member, slope] of [
      ['m1', 0],
      ['m2', 200],
      ['m3', 180],
    ] as const) {
      mkdirSync(join(dir, member), { recursive: true });
      writeFileSync(join(dir, member, 'heap.pb.gz'), gzipSync(encodePprof(heapAt(h, 10 + slope * h))));
      writeFileSync(join(dir, member, 'metrics.txt'), 'up 1\n');
    }
    writeFileSync(join(dir, 'manifest.json'), '{}');
    out.push(dir);
  }
  return out;
}

describe('trend over several bundles', () => {
  it('gives a trend per member: the followers that grow leak, the flat member does not', async () => {
    const dirs = bundles();
    const r = await runMain(['trend', ...dirs, '--format', 'json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addSchema(JSON.parse(readFileSync('schema/trend.schema.json', 'utf8')));
    const validate = ajv.compile(JSON.parse(readFileSync('schema/trend-series.schema.json', 'utf8')));
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    const byMember = Object.fromEntries(
      doc.series.map((s: { member: string; kind: string; files: string[]; trend: { leak: boolean } }) => [
        s.member,
        { kind: s.kind, n: s.files.length, leak: s.trend.leak },
      ]),
    );
    expect(byMember).toEqual({
      m1: { kind: 'heap', n: 4, leak: false },
      m2: { kind: 'heap', n: 4, leak: true },
      m3: { kind: 'heap', n: 4, leak: true },
    });
    // each series holds one member's files only, in time order
    for (const s of doc.series) {
      expect(s.files.every((f: string) => f.includes(`/${s.member}/`))).toBe(true);
    }
    const text = await runMain(['trend', ...dirs]);
    expect(text.stdout).toMatch(
      /^3 series \(one per member and profile kind\)\n {2}m1 heap: no leak\n {2}m2 heap: LEAK \(\d+%\)\n {2}m3 heap: LEAK \(\d+%\)\n/,
    );
    expect(text.stdout).toMatch(/^═══ member m2 · heap \(4 profiles\) ═══$/m);
    const html = await runMain(['trend', ...dirs, '--format', 'html']);
    expect(html.code).toBe(2);
    expect(html.stderr).toMatch(/^pprof-doctor: 3 series \(m1 heap, m2 heap, m3 heap\): HTML shows one series/);
  });
});
