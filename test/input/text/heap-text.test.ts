import { describe, expect, it } from 'vitest';
import { top } from '../../../src/analysis/top.js';
import { FormatError } from '../../../src/errors.js';
import { parseTextProfile, scaleHeapSample } from '../../../src/input/text/index.js';
import { asObject, fixtureText, flatCum, loadProto, parseFixture, total } from './helpers.js';

/** Functions with non-zero numbers only. */
function nonZero(m: ReturnType<typeof flatCum>) {
  return asObject(new Map([...m].filter(([, v]) => v.flat !== 0 || v.cum !== 0)));
}

describe('heap debug=1 text: parity with the proto written at the same moment (go119 fixtures)', () => {
  const text = parseFixture('go119/heap.debug1.txt');
  const proto = loadProto('go119/heap.pb.gz');

  it('has the proto layout: four sample types, space/bytes period = MemProfileRate', () => {
    expect(text.source.format).toBe('heap-text');
    expect(text.sampleTypes).toEqual(proto.sampleTypes);
    expect(text.periodType).toEqual(proto.periodType);
    expect(text.period).toBe(proto.period);
    expect(text.period).toBe(8192); // header says heap/16384
    expect(text.defaultSampleType).toBeUndefined();
    expect(text.source.hasStacks).toBe(true);
    expect(text.source.truncated).toBe(false);
  });

  it.each([0, 1, 2, 3])('same total and per-function flat/cum for sample type %i', (k) => {
    expect(total(text, k)).toBe(total(proto, k));
    // The text was written after the proto, and the proto's own allocations appear in it as
    // records whose four values are all 0 (the heap profile only publishes at GC). Zero rows do
    // not change any number; they are left out of the comparison.
    expect(nonZero(flatCum(text, k))).toEqual(nonZero(flatCum(proto, k)));
  });

  it('groups inlined frames into one location like the proto (top shows main.mk (inline))', () => {
    const a = top(text, {});
    const b = top(proto, {});
    expect(a.total).toBe(b.total);
    expect(a.rows).toEqual(b.rows);
    expect(a.rows.find((r) => r.name === 'main.mk')?.inline).toBe('inline');
    const mk = text.functions.findIndex((f) => f.name === 'main.mk');
    const loc = text.locations.find((l) => l.lines[0]?.fn === mk)!;
    expect(loc.lines.map((l) => text.functions[l.fn]!.name)).toEqual(['main.mk', 'main.allocRetainedInlined']);
    expect(loc.lines.map((l) => l.line)).toEqual([54, 66]);
  });

  it('keeps recursion as separate locations (same PC, same function: not an inline group)', () => {
    const rec = text.functions.findIndex((f) => f.name === 'main.allocRecursive');
    const locs = text.locations.filter((l) => l.lines.some((x) => x.fn === rec));
    expect(locs.every((l) => l.lines.length === 1)).toBe(true);
    const s = text.samples;
    let maxDepth = 0;
    for (let i = 0; i < s.length; i++) {
      let d = 0;
      for (let k = s.stackStart[i]!; k < s.stackStart[i + 1]!; k++)
        if (text.locations[s.stack[k]!]!.lines[0]!.fn === rec) d++;
      maxDepth = Math.max(maxDepth, d);
    }
    expect(maxDepth).toBe(5); // allocRecursive(4) → five frames
  });

  it('keeps file, line and the # PC as the location address', () => {
    const big = text.functions.find((f) => f.name === 'main.allocBig')!;
    expect(big.filename).toMatch(/scripts\/fixtures\/text\/gen\/main\.go$/);
    const loc = text.locations.find((l) => l.lines[0]!.fn === big.id - 1)!;
    expect(loc.address).toBe(0x4eed4b);
    expect(loc.lines[0]!.line).toBe(79);
  });

  it('sets the bytes label to the average allocation size, as the proto does', () => {
    const s = text.samples;
    const sizes = new Set<number>();
    for (let i = 0; i < s.length; i++) for (const l of s.labels?.[i] ?? []) if (l.key === 'bytes') sizes.add(l.num!);
    const protoSizes = new Set<number>();
    for (let i = 0; i < proto.samples.length; i++) {
      for (const l of proto.samples.labels?.[i] ?? []) if (l.key === 'bytes') protoSizes.add(l.num!);
    }
    expect(sizes.has(3145728)).toBe(true);
    for (const v of protoSizes) expect(sizes.has(v)).toBe(true);
  });

  it('keeps the runtime.MemStats block', () => {
    expect(text.memStats?.NumGC).toMatch(/^\d+$/);
    expect(text.memStats?.Stack).toMatch(/^\d+ \/ \d+$/);
    expect(Object.keys(text.memStats ?? {})).toEqual(
      expect.arrayContaining([
        'Alloc',
        'TotalAlloc',
        'Sys',
        'HeapAlloc',
        'HeapInuse',
        'NextGC',
        'PauseNs',
        'GCCPUFraction',
      ]),
    );
  });
});

describe('heap text: other fixtures', () => {
  it('reads test/fixtures/go heap and allocs text like their protos', () => {
    for (const [t, pb] of [
      ['../go/heap.debug1.txt', '../go/heap.pb.gz'],
      ['../go/allocs.debug1.txt', '../go/allocs.pb.gz'],
    ] as const) {
      const a = parseFixture(t);
      const b = loadProto(pb);
      for (const k of [1, 3]) expect(total(a, k)).toBe(total(b, k));
    }
  });
});

describe('scaleHeapSample', () => {
  it('matches the Go function bit for bit (values printed by go1.19 running the same formula)', () => {
    expect(scaleHeapSample(1, 16, 524288)).toEqual([32768, 524296]);
    expect(scaleHeapSample(3, 3145728, 524288)).toEqual([3, 3638089]);
    expect(scaleHeapSample(62, 2976, 8192)).toEqual([10612, 509393]);
    expect(scaleHeapSample(20000, 960000, 524288)).toEqual([218463333, 10486240007]);
    expect(scaleHeapSample(7, 7340032, 8192)).toEqual([7, 7340032]);
    expect(scaleHeapSample(123, 456789, 4096)).toEqual([206, 766251]);
    expect(scaleHeapSample(0, 0, 524288)).toEqual([0, 0]);
    expect(scaleHeapSample(5, 100, 1)).toEqual([5, 100]);
  });
});

describe('heap text: edge cases', () => {
  const header = 'heap profile: 2: 2048 [4: 4096] @ heap/1048576\n';
  const rec = '2: 2048 [4: 4096] @ 0x4eed4c 0x466981\n#\t0x4eed4b\tmain.f+0x2b\t/src/main.go:9\n\n';

  it('is truncated without the MemStats trailer', () => {
    const p = parseTextProfile(header + rec)!;
    expect(p.source.truncated).toBe(true);
    expect(p.samples.length).toBe(1);
    expect(p.source.notes.join(' ')).toMatch(/cut off/);
  });

  it('falls back to address-only frames when the # lines were removed', () => {
    const p = parseTextProfile(`${header}2: 2048 [4: 4096] @ 0x4eed4c 0x466981\n\n# runtime.MemStats\n# Alloc = 1\n`)!;
    expect(p.locations.map((l) => l.address)).toEqual([0x4eed4b, 0x466980]);
    expect(p.locations.every((l) => l.lines.length === 0)).toBe(true);
    expect(p.memStats).toEqual({ Alloc: '1' });
  });

  it('reads heap_v2 (rate as printed) and heapprofile (unscaled, two types when alloc = inuse)', () => {
    const v2 = parseTextProfile('heap profile: 1: 16 [2: 32] @ heap_v2/524288\n1: 16 [2: 32] @ 0x10\n')!;
    expect(v2.period).toBe(524288);
    expect(v2.samples.values[3]).toBe(scaleHeapSample(1, 16, 524288)[1]);
    const hp = parseTextProfile('heap profile: 1: 16 [1: 16] @ heapprofile\n1: 16 [1: 16] @ 0x10\n')!;
    expect(hp.sampleTypes.map((t) => t.type)).toEqual(['objects', 'space']);
    expect(Array.from(hp.samples.values)).toEqual([1, 16]);
  });

  it('throws a one-line FormatError naming the line for a malformed record', () => {
    const bad = `${header}${rec}2: 2048 [x: 4096] @ 0x10\n`;
    expect(() => parseTextProfile(bad)).toThrow(FormatError);
    expect(() => parseTextProfile(bad)).toThrow(/^line 5: expected a heap record/);
    expect(() => parseTextProfile('heap profile: 1: 16 [1: 16] @ growthz\n')).toThrow(
      /line 1: unsupported heap profile kind/,
    );
    expect(() => parseTextProfile(`${header}0: 16 [1: 16] @ 0x10\n`)).toThrow(/line 2: in-use object count is 0/);
  });

  it('drops a record cut in the middle of its line and says so', () => {
    const p = parseTextProfile(`${header}${rec}1: 20`)!;
    expect(p.samples.length).toBe(1);
    expect(p.source.truncated).toBe(true);
  });

  it('accepts CRLF line endings', () => {
    const a = fixtureText('go119/heap.debug1.txt');
    const p = parseTextProfile(a.replace(/\n/g, '\r\n'))!;
    const q = parseFixture('go119/heap.debug1.txt');
    expect(Array.from(p.samples.values)).toEqual(Array.from(q.samples.values));
    expect(p.memStats).toEqual(q.memStats);
  });
});
