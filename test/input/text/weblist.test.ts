/**
 * `go tool pprof -weblist` on real output (test/fixtures/weblist, scripts/source-views/regen.mjs): the
 * HTML page as pprof writes it (Go 1.19 and Go 1.24) and the page's text as a browser copies it,
 * and the same for the source view of pprof's web UI (`-http`), which prints no overall total.
 * The profile is of a small program built there, so pprof had its source and binary: every routine
 * has its lines, and the disassembly under them is in the page, hidden.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { top } from '../../../src/analysis/top.js';
import '../../../src/input/gzip-node.js';
import { parseProfileBytes } from '../../../src/input/detect.js';
import { parseTextProfile } from '../../../src/input/text/index.js';
import type { Profile } from '../../../src/profile/model.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'weblist');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
const proto = parseProfileBytes(new Uint8Array(readFileSync(join(dir, 'heap.pb.gz'))), 'heap.pb.gz');
const inuse = proto.sampleTypes.findIndex((t) => t.type === 'inuse_space');
const exact = new Map(top(proto, { sampleIndex: inuse, nodeCount: 0 }).rows.map((r) => [r.name, r]));
const total = top(proto, { sampleIndex: inuse, nodeCount: 0 }).total;
/** pprof prints 2 decimals in an auto-chosen unit (kB, MB): within 0.5 %. */
const near = (a: number, b: number) => Math.abs(a - b) <= Math.abs(b) * 0.005 + 1;

function row(p: Profile, name: string) {
  const r = p.table!.rows.find((x) => x.name === name);
  expect(r, `${name} in ${p.table!.rows.map((x) => x.name).join(', ')}`).toBeDefined();
  return r!;
}

for (const go of ['go1.19', 'go1.24']) {
  describe(`weblist (${go})`, () => {
    const forms = {
      'the HTML page': read(`weblist-${go}.html`),
      'the page copied from the browser': read(`weblist-${go}.copied.txt`),
      'the -http source view': read(`http-source-${go}.html`),
      'the -http source view copied from the browser': read(`http-source-${go}.copied.txt`),
    };
    for (const [what, text] of Object.entries(forms)) {
      it(`${what}: routines with the profile's figures, their hottest lines, no disassembly`, () => {
        const p = parseTextProfile(text)!;
        expect(p.source.format).toBe('pprof-list');
        if (what.includes('-http')) {
          // No "Total:" on the page: estimated from a routine's percentage (2 decimals).
          expect(p.table!.totalSource).toBe('percent');
          expect(Math.abs(p.table!.total! - total)).toBeLessThan(total * 0.001);
        } else {
          expect(p.table!.sampleType).toBe('inuse_space');
          expect(near(p.table!.total!, total)).toBe(true);
        }
        // weblist names routines by the binary's symbols: buildIndex is inlined into main.main.
        expect(p.table!.rows.map((r) => r.name).sort()).toEqual(['main.fillCache', 'main.main']);
        const fill = row(p, 'main.fillCache');
        expect(near(fill.flat, exact.get('main.fillCache')!.flat)).toBe(true);
        expect(near(fill.cum, exact.get('main.fillCache')!.cum)).toBe(true);
        expect(fill.location).toBe('/tmp/pprof-doctor-weblist/main.go');
        const main = row(p, 'main.main');
        expect(near(main.cum, exact.get('main.main')!.cum)).toBe(true);
        // main's own flat is buildIndex's, inlined into it.
        expect(near(main.flat, exact.get('main.buildIndex')!.flat)).toBe(true);
        const lines = p.table!.lines!;
        const hottest = lines.find((l) => l.fn === 'main.fillCache')!;
        expect(hottest).toMatchObject({ file: '/tmp/pprof-doctor-weblist/main.go', line: 26 });
        expect(hottest.source).toBe('keep = append(keep, make([]byte, 4096))');
        expect(
          lines.some((l) => l.fn === 'main.main' && l.line === 16 && l.source === 'm[i] = make([]byte, 256)'),
        ).toBe(true);
        for (const l of lines) expect(l.source, 'no disassembly in a source line').not.toMatch(/CALL|MOV|[0-9a-f]{6}:/);
      });
    }
  });
}

describe('weblist and list of the same profile', () => {
  it('give the same lines with the same figures', () => {
    const list = parseTextProfile(read('list-go1.19.txt'))!;
    const web = parseTextProfile(read('weblist-go1.19.copied.txt'))!;
    const key = (l: { file: string; line: number; flat: number; cum: number }) => `${l.line} ${l.flat}`;
    const listFill = list.table!.lines!.filter((l) => l.fn === 'main.fillCache').map(key);
    const webFill = web.table!.lines!.filter((l) => l.fn === 'main.fillCache').map(key);
    expect(webFill).toEqual(listFill);
  });
});
