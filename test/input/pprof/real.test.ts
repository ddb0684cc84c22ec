/**
 * Real profiles written by Go. Expected numbers for large.cpu come from `go tool pprof -raw` (go1.19):
 * 20,430 sample lines, 499,787 location ids in stacks, 23,355 locations of which 12 have more than
 * one line (inlining), total cpu 240,290,000,000 ns ("Total samples = 240.29s"), first sample
 * `1 10000000: 1 2 3 4 5 4 6 4 7 8`. Every other Go profile found in the repository is checked
 * against pprof-format's decoder, sample by sample.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as pf from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../../src/input/load.js';
import { decodePprof } from '../../../src/input/pprof/decode.js';
import { encodePprof } from '../../../src/profile/encode.js';
import type { Profile } from '../../../src/profile/model.js';
import { validateProfile } from '../../../src/profile/validate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const LARGE = join(ROOT, 'test/fixtures/large.cpu.pb.gz');

/** int64 as pprof-format returns it (number or bigint, never sign-converted) → number. */
const i64 = (v: number | bigint): number => Number(BigInt.asIntN(64, BigInt(v)));
const u64 = (v: number | bigint): number => Number(BigInt.asUintN(64, BigInt(v)));

/** Checks our decoding against pprof-format's, field by field. */
function expectSameAsPprofFormat(p: Profile, q: pf.Profile): void {
  const s = q.stringTable.strings;
  const str = (x: number | bigint): string => s[Number(x)]!;
  expect(p.sampleTypes).toEqual(q.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) })));
  expect(p.period).toBe(i64(q.period));
  expect(p.timeNanos).toBe(i64(q.timeNanos));
  expect(p.durationNanos).toBe(i64(q.durationNanos));
  expect(p.defaultSampleType ?? '').toBe(str(q.defaultSampleType));
  expect(p.comments).toEqual(q.comment.map(str));
  expect(p.functions.map((f) => [f.id, f.name, f.systemName, f.filename, f.startLine])).toEqual(
    q.function.map((f) => [u64(f.id), str(f.name), str(f.systemName), str(f.filename), i64(f.startLine)]),
  );
  expect(p.mappings.map((m) => [m.id, m.memoryStart, m.memoryLimit, m.fileOffset, m.file, m.buildId])).toEqual(
    q.mapping.map((m) => [
      u64(m.id),
      u64(m.memoryStart),
      u64(m.memoryLimit),
      u64(m.fileOffset),
      str(m.filename),
      str(m.buildId),
    ]),
  );
  expect(p.locations.length).toBe(q.location.length);
  p.locations.forEach((l, i) => {
    const o = q.location[i]!;
    expect(l.id).toBe(u64(o.id));
    expect(l.address).toBe(u64(o.address));
    expect(l.mapping >= 0 ? p.mappings[l.mapping]!.id : 0).toBe(u64(o.mappingId));
    expect(l.lines.map((ln) => [ln.fn >= 0 ? p.functions[ln.fn]!.id : 0, ln.line])).toEqual(
      o.line.map((ln) => [u64(ln.functionId), i64(ln.line)]),
    );
  });
  expect(p.samples.length).toBe(q.sample.length);
  const n = p.sampleTypes.length;
  const { values, stack, stackStart, labels } = p.samples;
  q.sample.forEach((o, i) => {
    const ids = Array.from(stack.subarray(stackStart[i], stackStart[i + 1]), (ix) => p.locations[ix]!.id);
    expect(ids).toEqual(o.locationId.map(u64));
    expect(Array.from(values.subarray(i * n, i * n + n))).toEqual(o.value.map(i64));
    const want = o.label
      .filter((l) => Number(l.str) !== 0 || Number(l.num) !== 0 || Number(l.numUnit) !== 0)
      .map((l) =>
        Number(l.str) !== 0
          ? { key: str(l.key), str: str(l.str) }
          : Number(l.numUnit) !== 0
            ? { key: str(l.key), num: i64(l.num), unit: str(l.numUnit) }
            : { key: str(l.key), num: i64(l.num) },
      );
    expect(labels?.[i] ?? []).toEqual(want);
  });
}

describe('large.cpu (real Go CPU profile, 2.45 MB raw)', () => {
  const raw = new Uint8Array(gunzipSync(readFileSync(LARGE)));
  const p = decodePprof(raw);

  it('has the counts go tool pprof -raw shows', () => {
    expect(p.samples.length).toBe(20_430);
    expect(p.locations.length).toBe(23_355);
    expect(p.samples.stack.length).toBe(499_787);
    expect(p.locations.filter((l) => l.lines.length > 1).length).toBe(12);
    let cpu = 0;
    for (let i = 0; i < p.samples.length; i++) cpu += p.samples.values[2 * i + 1]!;
    expect(cpu).toBe(240_290_000_000);
    const first = Array.from(p.samples.stack.subarray(0, p.samples.stackStart[1]), (ix) => p.locations[ix]!.id);
    expect(first).toEqual([1, 2, 3, 4, 5, 4, 6, 4, 7, 8]);
    expect(Array.from(p.samples.values.subarray(0, 2))).toEqual([1, 10_000_000]);
  });

  it('has the header go tool pprof shows', () => {
    expect(p.sampleTypes).toEqual([
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ]);
    expect(p.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(p.period).toBe(10_000_000);
    // "Time: 2022-10-18 15:39:57.086748038 +0000 UTC", to the nearest double.
    expect(p.timeNanos).toBe(Number(1_666_107_597_086_748_038n));
    expect(p.durationNanos).toBe(240_359_136_496);
    expect(p.mappings[0]!.file).toBe('/tmp/go-build2236913095/b001/exe/large');
    expect(p.functions.length).toBe(23_038);
    expect(p.functions[0]).toEqual({
      id: 1,
      name: 'time.Now',
      systemName: 'time.Now',
      filename: '/usr/lib/google-golang/src/time/time.go',
      startLine: 0,
    });
  });

  it('matches pprof-format field by field, and is valid', () => {
    expectSameAsPprofFormat(p, pf.Profile.decode(raw));
    expect(validateProfile(p)).toEqual([]);
  });

  it('survives encode → decode unchanged', () => {
    expect(decodePprof(encodePprof(p))).toStrictEqual(p);
  });

  it('loads from the file, gzipped', async () => {
    const q = await loadProfile(LARGE);
    expect(q.source.gzipped).toBe(true);
    expect(q.source.bytes).toBe(statSync(LARGE).size);
    expect(q.samples.length).toBe(20_430);
  });
});

/** Every .pb.gz under the given directories (those that exist). */
function goProfiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.pb.gz')) out.push(path);
    }
  };
  for (const d of ['test/fixtures/go', 'test/fixtures/text', 'samples']) walk(join(ROOT, d));
  return out.sort();
}

describe('Go runtime profiles in the repository', () => {
  const files = goProfiles();
  it.skipIf(files.length === 0)('there are some', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(relative(ROOT, file), async () => {
      const p = await loadProfile(file);
      expect(p.source.format).toBe('pprof-proto');
      expect(validateProfile(p)).toEqual([]);
      expectSameAsPprofFormat(p, pf.Profile.decode(gunzipSync(readFileSync(file))));
      const kinds = p.sampleTypes.map((t) => t.type).join(',');
      // The shapes the Go runtime writes (runtime/pprof).
      expect([
        'samples,cpu',
        'alloc_objects,alloc_space,inuse_objects,inuse_space',
        'goroutine',
        'threadcreate',
        'contentions,delay',
      ]).toContain(kinds);
      if (kinds.startsWith('alloc_objects')) {
        expect(p.periodType).toEqual({ type: 'space', unit: 'bytes' });
        // (a ?seconds=N delta is built by merging, which loses default_sample_type, in pprof too)
        if (/allocs\.pb\.gz$/.test(file)) expect(p.defaultSampleType).toBe('alloc_space');
      }
      const { path: _path, bytes: _bytes, gzipped: _gzipped, ...decoded } = p.source;
      expect(decodePprof(encodePprof(p))).toStrictEqual({ ...p, source: decoded });
    });
  }
});
