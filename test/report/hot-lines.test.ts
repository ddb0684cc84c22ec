/**
 * A `list` / `weblist` paste: the evidence of a finding names the hottest source lines of its
 * matching functions (file:line, flat and cum, the source), computed once by the engine
 * (matcher.ts → Evidence.lines) and only rendered by the terminal, Markdown, JSON and HTML
 * reports, each escaping the source text for its sink. Real output: test/fixtures/list/
 * gc-list-go1.19.txt (scripts/source-views/regen.mjs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeProfiles } from '../../src/diagnosis/engine.js';
import { loadRules } from '../../src/diagnosis/load-rules-node.js';
import type { AnalysisReport } from '../../src/diagnosis/report.js';
import type { Rule } from '../../src/diagnosis/schema.js';
import '../../src/input/gzip-node.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import { parseTextProfile } from '../../src/input/text/index.js';
import { renderReport } from '../../src/report/render.js';

const root = join(import.meta.dirname, '..', '..');
const GC_LIST = readFileSync(join(root, 'test/fixtures/list/gc-list-go1.19.txt'), 'utf8');
let rules: Rule[];
beforeAll(async () => {
  rules = await loadRules();
});

function analyze(text: string): AnalysisReport {
  return analyzeProfiles([{ profile: parseTextProfile(text)!, name: 'paste.txt' }], rules, {});
}

/** The source lines of one routine of a list text, as [line, flat in ms, source], read here on their own. */
function routineLines(text: string, fn: string): [number, number, string][] {
  const out: [number, number, string][] = [];
  let inFn = false;
  for (const l of text.split('\n')) {
    if (l.startsWith('ROUTINE')) inFn = l.includes(` ${fn} in `);
    const m = /^\s*(\.|[\d.]+m?s)\s+\S+\s+(\d+):(.*)$/.exec(l);
    if (inFn && m) {
      const flat = m[1] === '.' ? 0 : m[1]!.endsWith('ms') ? Number.parseFloat(m[1]!) : Number.parseFloat(m[1]!) * 1000;
      out.push([Number(m[2]), flat, m[3]!.trim()]);
    }
  }
  return out;
}

describe('hottest lines of a list paste in the evidence', () => {
  it('a finding on a list paste names its functions’ hottest lines, largest flat first', () => {
    const r = analyze(GC_LIST);
    const d = r.diagnoses.find((x) => x.id === 'gc-pressure')!;
    expect(d).toBeDefined();
    const e = d.evidence.find((x) => x.lines?.length)!;
    expect(e.lines!.length).toBe(3);
    const want = routineLines(GC_LIST, 'runtime.scanobject').sort((a, b) => b[1] - a[1])[0]!;
    expect(e.lines![0]).toMatchObject({
      function: 'runtime.scanobject',
      file: 'runtime/mgcmark.go',
      line: want[0],
      flat: want[1] * 1e6,
      source: want[2],
    });
    expect(e.lines![0]!.flatText).toBe(`${want[1]}ms`);
    const flats = e.lines!.map((l) => l.flat);
    expect([...flats].sort((a, b) => b - a)).toEqual(flats);
  });

  it('near miss: no lines where the paste has none (pprof did not find the source) or the input has stacks', () => {
    const noSource = readFileSync(join(root, 'test/fixtures/paste/forms/list-go1.19-watchers-heap.txt'), 'utf8');
    const r = analyze(noSource);
    expect(r.diagnoses.length).toBeGreaterThan(0);
    for (const d of r.diagnoses) for (const e of d.evidence) expect(e.lines).toBeUndefined();
    const path = 'samples/etcd-3.4.23/many-leases/cpu.pb.gz';
    const p = parseProfileBytes(new Uint8Array(readFileSync(join(root, path))), path);
    const s = analyzeProfiles([{ profile: p, name: path }], rules, {});
    for (const d of s.diagnoses) for (const e of d.evidence) expect(e.lines).toBeUndefined();
  });

  it('rendered by every report: terminal, Markdown, JSON, HTML', async () => {
    const r = analyze(GC_LIST);
    const l = r.diagnoses.find((x) => x.id === 'gc-pressure')!.evidence.find((x) => x.lines)!.lines![0]!;
    const label = `mgcmark.go:${l.line}`;
    const text = await renderReport(r, 'text', { width: 200 });
    expect(text).toContain('hottest lines:');
    expect(text).toContain(`${label} flat ${l.flatText}`);
    const md = await renderReport(r, 'markdown');
    expect(md).toContain(`hottest lines: \`${label}\``);
    const json = JSON.parse(await renderReport(r, 'json'));
    const ev = json.diagnoses.find((x: { id: string }) => x.id === 'gc-pressure').evidence;
    expect(ev.some((x: { lines?: { line: number }[] }) => x.lines?.[0]?.line === l.line)).toBe(true);
    const html = await renderReport(r, 'html');
    expect(html).toContain(`<span class="mono">${label}</span>`);
  });

  it('source text from the paste is escaped for each sink', async () => {
    // The hottest line's source replaced with markup, a code-span breaker and a terminal escape.
    const hostile = '<script>alert(1)</script> `x` | \u001b[31mred';
    const lines = GC_LIST.split('\n');
    const at = lines.findIndex((x) => /^\s*370ms\s+370ms\s+\d+:/.test(x));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace(/:(.*)$/, `:\t${hostile}`);
    const r = analyze(lines.join('\n'));
    const html = await renderReport(r, 'html');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const text = await renderReport(r, 'text', { width: 200 });
    expect(text).not.toContain('\u001b[31m');
    const md = await renderReport(r, 'markdown');
    const mdLine = md.split('\n').find((x) => x.includes('hottest lines'))!;
    // In a code span (Markdown shows its text literally), without the raw escape character.
    expect(mdLine).toMatch(/`+ ?<script>alert\(1\)<\/script>/);
    expect(mdLine).not.toContain('\u001b');
  });
});
