/**
 * One test per pasted text form, on real output: go tool pprof (Go 1.19 and 1.24) renderings of
 * committed profiles in test/fixtures/paste/forms/ (scripts/paste-corpus/generate.mjs), and the Go
 * runtime's debug=1/debug=2 texts under samples/ and test/fixtures/text/go119/. Each form's
 * figures are checked against the profile it was rendered from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { top } from '../../../src/analysis/top.js';
import { analyzeProfiles } from '../../../src/diagnosis/engine.js';
import { loadRules } from '../../../src/diagnosis/load-rules-node.js';
import '../../../src/input/gzip-node.js';
import { parseProfileBytes } from '../../../src/input/detect.js';
import { parseTextProfile } from '../../../src/input/text/index.js';
import type { Profile } from '../../../src/profile/model.js';

const root = join(import.meta.dirname, '..', '..', '..');
const forms = join(root, 'test/fixtures/paste/forms');
const HEAP = 'samples/etcd-3.4.23/many-watchers/heap.pb.gz';
const CPU = 'samples/etcd-3.4.23/large-range/cpu.pb.gz';

function load(path: string): Profile {
  return parseProfileBytes(new Uint8Array(readFileSync(join(root, path))), path);
}
function form(name: string): Profile {
  const p = parseTextProfile(readFileSync(join(forms, name), 'utf8'));
  expect(p, name).toBeDefined();
  return p!;
}
function text(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}
/** Flat and cum per function name of a profile, for one sample type. */
function figures(p: Profile, sampleIndex?: number): Map<string, { flat: number; cum: number }> {
  const r = top(p, { sampleIndex, nodeCount: 0 });
  return new Map(r.rows.map((x) => [x.name, { flat: x.flat, cum: x.cum }]));
}
const sampleIndexOf = (p: Profile, type: string) => p.sampleTypes.findIndex((t) => t.type === type);
/** pprof prints values with 2 decimals in an auto-chosen unit: 0.5 % of a value, or 1 unit step. */
const close = (a: number, b: number, unitStep: number) => Math.abs(a - b) <= Math.max(Math.abs(b) * 0.005, unitStep);

for (const go of ['go1.19', 'go1.24']) {
  describe(`go tool pprof output (${go})`, () => {
    it('-raw: the whole profile, every sample type, exact', () => {
      for (const [file, src] of [
        [`raw-${go}-watchers-heap.txt`, HEAP],
        [`raw-${go}-range-cpu.txt`, CPU],
      ] as const) {
        const p = form(file);
        const s = load(src);
        expect(p.source.format).toBe('pprof-raw');
        expect(p.source.hasStacks).toBe(true);
        expect(p.sampleTypes).toEqual(s.sampleTypes);
        // Go 1.19's pprof merges samples with the same stack and labels before printing.
        if (go === 'go1.24') {
          expect(p.samples.length).toBe(s.samples.length);
          expect(Array.from(p.samples.values)).toEqual(Array.from(s.samples.values));
        } else {
          expect(p.samples.length).toBeLessThanOrEqual(s.samples.length);
        }
        for (let i = 0; i < s.sampleTypes.length; i++) expect(figures(p, i)).toEqual(figures(s, i));
        expect(p.mappings[0]?.file).toBe(s.mappings[0]?.file);
      }
    });

    it('-traces: a stack per sample, values as printed, same flat/cum per function', () => {
      for (const [file, src, type, step] of [
        [`traces-${go}-watchers-heap.txt`, HEAP, 'inuse_space', 10],
        [`traces-${go}-range-cpu.txt`, CPU, 'cpu', 1e7],
      ] as const) {
        const p = form(file);
        const s = load(src);
        expect(p.source.format).toBe('pprof-traces');
        expect(p.source.hasStacks).toBe(true);
        expect(p.source.lacks).toContain('file-lines');
        expect(p.sampleTypes[0]!.type).toBe(type);
        if (go === 'go1.24') expect(p.samples.length).toBe(s.samples.length);
        const want = figures(s, sampleIndexOf(s, type));
        const got = figures(p, 0);
        for (const [name, f] of want) {
          if (f.cum === 0) continue;
          expect(got.get(name), name).toBeDefined();
          expect(close(got.get(name)!.cum, f.cum, step * 10), `${name} cum ${got.get(name)!.cum} vs ${f.cum}`).toBe(
            true,
          );
        }
      }
    });

    it('-peek: the functions asked for, with their callers and callees', () => {
      const p = form(`peek-${go}-watchers-heap.txt`);
      const s = figures(load(HEAP), 3);
      expect(p.source.format).toBe('pprof-peek');
      expect(p.source.hasStacks).toBe(false);
      expect(p.source.lacks).toContain('deep-stacks');
      expect(p.table!.total).toBe(13824901);
      expect(p.table!.rows.length).toBeGreaterThanOrEqual(3);
      for (const r of p.table!.rows) {
        expect(close(r.flat, s.get(r.name)!.flat, 11), r.name).toBe(true);
        expect(close(r.cum, s.get(r.name)!.cum, 11), r.name).toBe(true);
      }
      const watch = 'go.etcd.io/etcd/mvcc.(*watchableStore).watch';
      expect(p.table!.edges).toContainEqual(
        expect.objectContaining({ caller: 'go.etcd.io/etcd/mvcc.(*watchStream).Watch', callee: watch }),
      );
    });

    it('-tree: every node kept, with its edges', () => {
      const p = form(`tree-${go}-range-cpu.txt`);
      const s = figures(load(CPU), 1);
      expect(p.source.hasStacks).toBe(false);
      expect(p.table!.rows.length).toBeGreaterThan(20);
      expect(p.table!.edges!.length).toBeGreaterThan(p.table!.rows.length);
      for (const r of p.table!.rows.slice(0, 10)) expect(close(r.cum, s.get(r.name)!.cum, 1e7), r.name).toBe(true);
    });

    it('-list: each routine, its flat and cum, its hottest lines', () => {
      const p = form(`list-${go}-range-cpu.txt`);
      const s = figures(load(CPU), 1);
      expect(p.source.format).toBe('pprof-list');
      expect(p.table!.rows.length).toBeGreaterThanOrEqual(1);
      for (const r of p.table!.rows) {
        expect(close(r.cum, s.get(r.name)!.cum, 1e7), `${r.name} cum ${r.cum} vs ${s.get(r.name)!.cum}`).toBe(true);
      }
      // Go's own source was on the path: runtime routines show per-line figures.
      const lines = p.table!.lines!;
      expect(lines.length).toBeGreaterThan(0);
      expect(lines[0]).toMatchObject({ fn: expect.any(String), line: expect.any(Number), source: expect.any(String) });
      for (const l of lines) expect(p.table!.rows.some((r) => r.name === l.fn)).toBe(true);
    });

    it('a top table followed by a list block: one profile with both', () => {
      const p = form(`top-list-${go}-watchers-heap.txt`);
      expect(p.table!.forms).toEqual(['top', 'list']);
      expect(p.table!.rows.length).toBe(form(`top-${go}-watchers-heap.txt`).table!.rows.length);
      expect(p.source.notes[0]).toMatch(/2 reports \(top, list\)/);
    });
  });
}

describe('the runtime’s own texts, pasted in part', () => {
  const heapText = text('samples/etcd-3.4.23/many-watchers/heap.debug1.txt');

  it('debug=1 heap records without their header: the records read as in the whole text, total = their sum', () => {
    const whole = parseTextProfile(heapText)!;
    const lines = heapText.split('\n');
    // `grep -A`: from the 5th record on.
    const starts = lines.flatMap((l, i) => (/^\d+: \d+ \[/.test(l) ? [i] : []));
    const excerpt = parseTextProfile(lines.slice(starts[4]).join('\n'))!;
    expect(excerpt.source.format).toBe('heap-text');
    expect(excerpt.source.lacks).toContain('header-total');
    expect(excerpt.source.notes[0]).toMatch(/No header: an excerpt of a debug=1 heap profile/);
    expect(excerpt.samples.length).toBe(whole.samples.length - 4);
    // Same values, record for record (same sampling rate: etcd runs with Go's default).
    const n = whole.sampleTypes.length;
    expect(Array.from(excerpt.samples.values)).toEqual(Array.from(whole.samples.values.subarray(4 * n)));
  });

  it('debug=1 goroutine records under a curl | head prompt, and cut at a record: read', () => {
    const g = text('samples/etcd-3.4.23/many-watchers/goroutine.debug1.txt').split('\n');
    const p = parseTextProfile(
      ['$ curl -s http://127.0.0.1:2379/debug/pprof/goroutine?debug=1 | head -n 10', ...g.slice(0, 10)].join('\n'),
    )!;
    expect(p.source.format).toBe('count-text');
    expect(p.sampleTypes[0]!.type).toBe('goroutine');
    const headless = parseTextProfile(g.slice(g.findIndex((l) => /^\d+ @/.test(l))).join('\n'))!;
    expect(headless.source.notes[0]).toMatch(/No header: an excerpt of a debug=1 goroutine profile/);
    const sum = Array.from(headless.samples.values).reduce((a, b) => a + b, 0);
    expect(sum).toBe(Number(/total (\d+)/.exec(g[0]!)![1]));
  });

  it('debug=1 mutex and block records without their header: delays in cycles, said so', () => {
    for (const f of ['mutex', 'block']) {
      const t = text(`test/fixtures/text/go119/${f}.debug1.txt`).split('\n');
      const p = parseTextProfile(t.slice(t.findIndex((l) => /^\d+ \d+ @/.test(l))).join('\n'))!;
      expect(p.source.format).toBe('contention-text');
      expect(p.sampleTypes.map((x) => x.type)).toEqual(['contentions', 'delay']);
      expect(p.source.notes.join(' ')).toMatch(/CPU cycles/);
    }
  });

  it('a debug=2 dump with a log prefix on every line reads as the dump itself', () => {
    const dump = text('samples/etcd-3.4.23/many-watchers/goroutine.debug2.txt');
    const clean = parseTextProfile(dump)!;
    const lines = dump.split('\n');
    const prefixes = [
      (i: number) => `Apr 26 18:18:${String(57 + (i % 3)).padStart(2, '0')} host etcd[412644]: `,
      (i: number) => `2024-05-01T10:00:00.${String(123456 + i * 7).replace(/0+$/, '')}Z `,
      (i: number) => `E0426 18:18:57.${String(100000 + i).slice(0, 6)}       1 stacks.go:${100 + (i % 50)}] `,
    ];
    for (const prefix of prefixes) {
      const p = parseTextProfile(lines.map((l, i) => prefix(i) + l).join('\n'))!;
      expect(p.source.format).toBe('goroutine-dump');
      expect(p.samples.length).toBe(clean.samples.length);
      expect(Array.from(p.samples.values)).toEqual(Array.from(clean.samples.values));
      expect(p.source.notes.join(' ')).toMatch(/log prefix/);
    }
  });
});

describe('old pprof "Total: N MB" tables', () => {
  // No pre-Go 1.5 pprof is at hand: the table is written here in the old layout (bare values in
  // the unit of the Total line) from the rows of the real heap profile, as old pprof printed them.
  it('values in the Total line’s unit, read as heap in-use space, diagnosed like the profile', async () => {
    const s = load(HEAP);
    const r = top(s, { sampleIndex: 3, nodeCount: 20 });
    const MB = 1024 * 1024;
    let sum = 0;
    const rows = r.rows.map((x) => {
      sum += x.flat;
      const pct = (v: number) => `${((100 * v) / r.total).toFixed(1)}%`;
      return `${(x.flat / MB).toFixed(1).padStart(8)} ${pct(x.flat).padStart(6)} ${pct(sum).padStart(6)} ${(x.cum / MB).toFixed(1).padStart(8)} ${pct(x.cum).padStart(6)} ${x.name}`;
    });
    const p = parseTextProfile([`Total: ${(r.total / MB).toFixed(1)} MB`, ...rows].join('\n'))!;
    expect(p.table!.forms).toEqual(['legacy-top']);
    expect(p.table!.unit).toBe('bytes');
    expect(p.table!.sampleType).toBe('inuse_space');
    expect(p.table!.total).toBe(Math.round(13.2 * MB * 10) / 10);
    expect(p.table!.rows[0]!.flat).toBeCloseTo(Number((r.rows[0]!.flat / MB).toFixed(1)) * MB, 0);
    const rules = await loadRules();
    const a = analyzeProfiles([{ profile: s, name: 'heap' }], rules, { sampleIndex: 'inuse_space' });
    const b = analyzeProfiles([{ profile: p, name: 'table' }], rules, { sampleIndex: 'inuse_space' });
    expect(b.diagnoses[0]?.id).toBe(a.diagnoses[0]?.id);
  });
});
