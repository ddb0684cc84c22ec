/**
 * The text report (`analyze` default output) for the reader at 3 a.m.: the summary line first,
 * labelled numbers, no empty model blocks, colour only when asked; and the top rows it shows
 * (`pprofTopRows`): the same unit and names as `pprof-doctor top`.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { top } from '../../src/analysis/top.js';
import { loadProfile } from '../../src/input/load.js';
import { formatAnalysisText } from '../../src/report/analysis-text.js';
import { valueFormatter } from '../../src/report/pprof-text.js';
import { stripAnsi } from '../../src/report/terminal.js';
import { pprofTopRows } from '../../src/report/top-rows.js';
import { reportFor } from './helpers.js';

const TABLE = 'test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt';
const CLEAN = 'test/fixtures/go/cpu.pb.gz';
const WATCH_HEAP = 'samples/etcd-3.4.23/many-watchers/heap.pb.gz';
const CLIENT_HEAP = 'samples/docs/client-3.1.3-watch-leak-heap.pb.gz';

describe('analyze text report', () => {
  it('opens with the lens, then the most likely cause, its severity and fix, before the profile details', async () => {
    const { report } = await reportFor([TABLE]);
    const out = formatAnalysisText(report);
    expect(out.split('\n')[0]).toBe(
      'Ranked by memory in use now (heap profile, inuse_space); findings on allocation since start rank',
    );
    const first = out.split('\n\n')[0]!.replace(/\s+/g, ' ');
    expect(first).toMatch(/^Ranked by memory in use now .* rank after\. \[CRITICAL\] clientv3 lease keep-alive storm/);
    expect(first).toContain('(lease-keepalive-storm, confidence');
    expect(first).toContain('fixed in etcd 3.1.19, 3.2.24, 3.3.9, 3.4.0');
    expect(out.indexOf('[CRITICAL] clientv3')).toBeLessThan(out.indexOf('Profile:'));
    expect(out.indexOf('Profile:')).toBeLessThan(out.indexOf('Process:'));
    // a pasted table: labelled total, no duration
    expect(out.replace(/\s+/g, ' ')).toMatch(
      /heap \(top-table\), 11GB in use \(inuse_space\), pasted table \(no stacks\)/,
    );
  });

  it('says in the headline when the input cannot tell the first finding from another (near miss: it can)', async () => {
    const { report } = await reportFor([TABLE]);
    const plain = formatAnalysisText(report).split('\n\n')[0]!;
    expect(plain).not.toMatch(/cannot tell/);
    const second = 'gc-pressure';
    report.diagnoses[0]!.undecidedWith = [second];
    const headline = formatAnalysisText(report).split('\n\n')[0]!.replace(/\s+/g, ' ');
    expect(headline).toContain(`This input cannot tell whether it comes before ${second}: see the note under Process.`);
  });

  it('labels every number of a CPU profile: samples, wall time, CPUs busy', async () => {
    const { report } = await reportFor([CLEAN]);
    const out = formatAnalysisText(report);
    expect(out).toMatch(/cpu \(pprof-proto\), 3\.95s of CPU samples over 12s \(≈ 0\.33 CPUs busy\)/);
    expect(out).not.toMatch(/cpu total/);
  });

  it('no diagnosis: says so first, and the top table is set off by a blank line', async () => {
    const { report } = await reportFor([CLEAN]);
    const out = formatAnalysisText(report);
    expect(out.startsWith(`No diagnosis: none of the ${report.rulesEvaluated} rules matched this profile.\n\n`)).toBe(
      true,
    );
    expect(out).toMatch(/\n\nTop 10 of test\/fixtures\/go\/cpu\.pb\.gz/);
  });

  it.skipIf(!existsSync(WATCH_HEAP))('heap only: no empty goroutine model block', async () => {
    const { report } = await reportFor([WATCH_HEAP]);
    const d = report.diagnoses.find((x) => x.id === 'watch-memory')!;
    // the engine computes it, with nothing measured …
    const g = d.models.find((m) => m.name === 'goroutines-per-watch-stream')!;
    expect(g.estimate === null && g.measured === null).toBe(true);
    // … and the text leaves it out, but keeps the watch-memory model
    const out = formatAnalysisText(report);
    expect(out).toContain('watch memory model (17 KB/connection');
    expect(out).not.toMatch(/goroutines per watch stream/);
  });

  it('deterministic, within the width, colour only when asked', async () => {
    const { report } = await reportFor([TABLE]);
    const a = formatAnalysisText(report, { width: 80 });
    expect(formatAnalysisText(report, { width: 80 })).toBe(a);
    expect(a).not.toContain('\u001b[');
    // prose lines wrap at the width (URLs, code and table rows may be longer)
    const prose = a.split('\n').filter((l) => !/https?:|\$ |flat%|^\s*[\d.]+[kMG]?B\s/.test(l) && !/\S{40,}/.test(l));
    for (const l of prose) expect(l.length, l).toBeLessThanOrEqual(80);
    const c = formatAnalysisText(report, { width: 80, color: true });
    expect(c).toContain('\u001b[');
    expect(stripAnsi(c)).toBe(a);
  });
});

describe('pprofTopRows: the rows analyze shows', () => {
  it.skipIf(!existsSync(CLIENT_HEAP))('use the unit pprof picks over all rows, as `top` does', async () => {
    const p = await loadProfile(CLIENT_HEAP);
    const inuse = p.sampleTypes.findIndex((t) => t.type === 'inuse_space');
    const rows = pprofTopRows(p, inuse, 10);
    expect(rows).toHaveLength(10);
    const all = top(p, { sampleIndex: inuse, nodeCount: 0 });
    const fmt = valueFormatter('bytes', all.outputUnit);
    expect(rows[0]!.flatText).toBe(fmt(all.rows[0]!.flat));
    // 602.40MB like `go tool pprof -top`, not 0.59GB (the unit of the 10 rows alone)
    expect(rows[0]!.flatText).toMatch(/MB$/);
    expect(rows.map((r) => r.flat)).toEqual(all.rows.slice(0, 10).map((r) => r.flat));
  });

  it("a pasted table's file column is not part of the function name", async () => {
    const p = await loadProfile(TABLE);
    expect(p.table!.rows.some((r) => r.location)).toBe(true);
    const rows = pprofTopRows(p, 0, 10);
    expect(rows[0]!.name).toBe('github.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/transport.(*recvBuffer).put');
    for (const r of rows) expect(r.name).not.toMatch(/\.go(:\d+)?$|\s\//);
  });
});
