/**
 * Property tests for the codec:
 *  1. decode(encode(p)) deep-equals p for random model profiles;
 *  2. decoding what pprof-format (an independent encoder) writes gives back what it was given.
 */
import fc from 'fast-check';
import * as pf from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { decodePprof } from '../../../src/input/pprof/decode.js';
import { encodePprof } from '../../../src/profile/encode.js';
import { valueType } from './handmade.js';
import { bytes, msg, num, packed, strings } from './proto-writer.js';
import type { Label, Location, Profile } from '../../../src/profile/model.js';
import { validateProfile } from '../../../src/profile/validate.js';

const RUNS = 150;

const text = fc.string({
  unit: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...'abcdefgxyz./_-()*[]{}:0123456789 ') },
    { weight: 2, arbitrary: fc.constantFrom('é', 'ü', '中', '😀', '\t', '\u0000') },
  ),
  maxLength: 24,
});
const nonEmpty = text.filter((s) => s.length > 0);
/** int64 values a double holds exactly: small, mid and large magnitudes, both signs. */
const int64 = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.maxSafeInteger(),
  fc.maxSafeInteger().map((x) => -Math.abs(x) || 0),
  fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map((b) => Number(BigInt.asIntN(64, b) & ~0x7ffn)),
);
/** uint64 values a double holds exactly, below 2^64. */
const uint64 = fc.oneof(
  fc.nat(),
  fc.maxSafeInteger().map(Math.abs),
  fc.bigInt(0n, 2n ** 63n).map((b) => Number(b & ~0x7ffn)),
);
/**
 * What the decoder gives for any int64 / uint64: the value rounded to a double, which near the top
 * of the range is out of it (2^63 for 2^63-1; 2^64 for 0xffffffffffffffff, the address Go's
 * runtime writes for a zero PC). The model holds these, so the encoder must write them back.
 */
const int64Decoded = fc.oneof(
  int64,
  fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map(Number),
  fc.constantFrom(2 ** 63, -(2 ** 63)),
);
const uint64Decoded = fc.oneof(uint64, fc.bigInt(0n, 2n ** 64n - 1n).map(Number), fc.constant(2 ** 64));
/** The int64 the encoder writes for a model value (2^63 stands for 2^63-1). */
const asInt64 = (v: number): bigint => (v >= 2 ** 63 ? 2n ** 63n - 1n : BigInt(v));

/** Distinct non-zero ids: sometimes 1..n, sometimes sparse (exercising the decoder's Map). */
const ids = (n: number): fc.Arbitrary<number[]> =>
  fc.oneof(
    fc.constant(Array.from({ length: n }, (_, i) => i + 1)),
    fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 53 - 1 }), { minLength: n, maxLength: n }),
  );
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

const labelOf = (n: fc.Arbitrary<number>): fc.Arbitrary<Label> =>
  fc.oneof(
    fc.record({ key: text, str: nonEmpty }),
    fc.record({ key: text, num: n.filter((x) => x !== 0) }),
    fc.record({ key: text, num: n, unit: nonEmpty }),
  );
const label = labelOf(int64);
const labelDecoded = labelOf(int64Decoded);

const profileArb: fc.Arbitrary<Profile> = fc
  .record({
    nTypes: fc.integer({ min: 1, max: 4 }),
    nFn: fc.integer({ min: 0, max: 12 }),
    nMap: fc.integer({ min: 0, max: 3 }),
    nLoc: fc.integer({ min: 0, max: 16 }),
    nSamples: fc.integer({ min: 0, max: 30 }),
  })
  .chain(({ nTypes, nFn, nMap, nLoc, nSamples }) =>
    fc.record({
      sampleTypes: fc.array(fc.record({ type: text, unit: text }), { minLength: nTypes, maxLength: nTypes }),
      fnIds: ids(nFn),
      functions: fc.array(fc.record({ name: text, systemName: text, filename: text, startLine: int64Decoded }), {
        minLength: nFn,
        maxLength: nFn,
      }),
      mapIds: ids(nMap),
      mappings: fc.array(
        fc.record({
          memoryStart: uint64Decoded,
          memoryLimit: uint64Decoded,
          fileOffset: uint64Decoded,
          file: text,
          buildId: text,
          hasFunctions: fc.boolean(),
          hasFilenames: fc.boolean(),
          hasLineNumbers: fc.boolean(),
          hasInlineFrames: fc.boolean(),
        }),
        { minLength: nMap, maxLength: nMap },
      ),
      locIds: ids(nLoc),
      locations: fc.array(
        fc.record({
          mapping: fc.integer({ min: -1, max: nMap - 1 }),
          address: uint64Decoded,
          lines: fc.array(
            fc.record({ fn: fc.integer({ min: -1, max: nFn - 1 }), line: int64Decoded, column: int64Decoded }),
            {
              maxLength: 3,
            },
          ),
          isFolded: fc.boolean(),
        }),
        { minLength: nLoc, maxLength: nLoc },
      ),
      stacks: fc.array(nLoc > 0 ? fc.array(fc.nat(nLoc - 1), { maxLength: 40 }) : fc.constant([] as number[]), {
        minLength: nSamples,
        maxLength: nSamples,
      }),
      values: fc.array(int64Decoded, { minLength: nSamples * nTypes, maxLength: nSamples * nTypes }),
      labels: fc.option(
        fc.array(opt(fc.array(labelDecoded, { minLength: 1, maxLength: 4 })), {
          minLength: nSamples,
          maxLength: nSamples,
        }),
        {
          nil: undefined,
        },
      ),
      header: fc.record({
        defaultSampleType: opt(nonEmpty),
        periodType: opt(fc.record({ type: text, unit: text })),
        period: int64Decoded,
        timeNanos: int64Decoded,
        durationNanos: int64Decoded,
        comments: fc.array(text, { maxLength: 4 }),
        docUrl: opt(nonEmpty),
        dropFrames: opt(nonEmpty),
        keepFrames: opt(nonEmpty),
      }),
    }),
  )
  .map((r) => {
    const stackStart = new Uint32Array(r.stacks.length + 1);
    r.stacks.forEach((s, i) => {
      stackStart[i + 1] = stackStart[i]! + s.length;
    });
    const p: Profile = {
      sampleTypes: r.sampleTypes,
      period: r.header.period,
      timeNanos: r.header.timeNanos,
      durationNanos: r.header.durationNanos,
      comments: r.header.comments,
      mappings: r.mappings.map((m, i) => ({ id: r.mapIds[i]!, ...m })),
      functions: r.functions.map((f, i) => ({ id: r.fnIds[i]!, ...f })),
      locations: r.locations.map((l, i): Location => ({ id: r.locIds[i]!, ...l })),
      samples: {
        length: r.stacks.length,
        values: Float64Array.from(r.values),
        stackStart,
        stack: Uint32Array.from(r.stacks.flat()),
      },
      source: { format: 'pprof-proto', truncated: false, hasStacks: true, notes: [] },
    };
    if (r.labels?.some((l) => l !== undefined)) p.samples.labels = r.labels;
    for (const k of ['defaultSampleType', 'periodType', 'docUrl', 'dropFrames', 'keepFrames'] as const) {
      if (r.header[k] !== undefined) Object.assign(p, { [k]: r.header[k] });
    }
    // fc.record builds null-prototype objects; the decoder builds plain ones.
    return structuredClone(p);
  });

describe('encodePprof / decodePprof round trip', () => {
  it('decode(encode(p)) deep-equals p for random profiles', () => {
    fc.assert(
      fc.property(profileArb, (p) => {
        expect(validateProfile(p)).toEqual([]);
        const q = decodePprof(encodePprof(p));
        expect(q).toStrictEqual(p);
      }),
      { numRuns: RUNS },
    );
  });

  it('renumbers a table whose ids are unusable, keeping references intact', () => {
    fc.assert(
      fc.property(profileArb, fc.constantFrom(0, -3, 1.5), (p, badId) => {
        if (p.functions.length === 0) return;
        p.functions[0]!.id = badId;
        const q = decodePprof(encodePprof(p));
        expect(q.functions.map((f) => f.id)).toEqual(p.functions.map((_, i) => i + 1));
        expect(q.functions.map((f) => f.name)).toEqual(p.functions.map((f) => f.name));
        expect(q.locations).toStrictEqual(p.locations);
      }),
      { numRuns: 30 },
    );
  });

  it('writes 64-bit extremes that round out of range as the largest value of their field', () => {
    // The shape of Go's threadcreate profiles (go1.24+): a location at 0xffffffffffffffff (the
    // return address before a zero PC) with no mapping and a line naming an empty function,
    // next to a mapping above 2^63 ([vsyscall]) and int64 fields at their limits.
    const original = bytes(
      valueType(1, 1, 2),
      msg(2, packed(1, [1, 2]), packed(2, [2n ** 63n - 1n])),
      msg(2, packed(1, [1]), packed(2, [-(2n ** 63n)])),
      msg(3, num(1, 1), num(2, 0xffffffffff600000n), num(3, 2n ** 64n - 1n), num(5, 3)),
      msg(4, num(1, 1), num(3, 2n ** 64n - 1n), msg(4, num(1, 1))),
      msg(4, num(1, 2), num(2, 1), num(3, 0x44a904), msg(4, num(1, 2), num(2, 2n ** 63n - 1n))),
      msg(5, num(1, 1)),
      msg(5, num(1, 2), num(2, 4), num(5, -(2n ** 63n))),
      strings(['', 'threadcreate', 'count', '[vsyscall]', 'runtime.allocm']),
      num(9, 2n ** 63n - 1n),
    );
    const p = decodePprof(original);
    expect(p.locations[0]!.address).toBe(2 ** 64);
    expect(p.mappings[0]!.memoryLimit).toBe(2 ** 64);
    expect(p.mappings[0]!.memoryStart).toBe(Number(0xffffffffff600000n));
    expect(p.locations[1]!.lines[0]!.line).toBe(2 ** 63);
    expect(p.functions[1]!.startLine).toBe(-(2 ** 63));
    expect(Array.from(p.samples.values)).toEqual([2 ** 63, -(2 ** 63)]);

    const encoded = encodePprof(p);
    // Read back by an independent decoder: the values Go wrote, not wrapped ones.
    const q = pf.Profile.decode(encoded);
    expect(BigInt(q.location[0]!.address)).toBe(2n ** 64n - 1n);
    expect(BigInt(q.mapping[0]!.memoryLimit)).toBe(2n ** 64n - 1n);
    expect(BigInt(q.mapping[0]!.memoryStart)).toBe(0xffffffffff600000n);
    expect(BigInt.asIntN(64, BigInt(q.location[1]!.line[0]!.line))).toBe(2n ** 63n - 1n);
    expect(BigInt.asIntN(64, BigInt(q.function[1]!.startLine))).toBe(-(2n ** 63n));
    expect(q.sample.map((s) => BigInt.asIntN(64, BigInt(s.value[0]!)))).toEqual([2n ** 63n - 1n, -(2n ** 63n)]);
    expect(BigInt.asIntN(64, BigInt(q.timeNanos))).toBe(2n ** 63n - 1n);
    const { bytes: _b, ...source } = p.source;
    expect(decodePprof(encoded)).toStrictEqual({ ...p, source });
  });

  it('saturates values outside the 64-bit ranges instead of corrupting the framing', () => {
    fc.assert(
      fc.property(
        profileArb,
        fc.constantFrom(2 ** 70, Number.POSITIVE_INFINITY, -(2 ** 70), Number.NEGATIVE_INFINITY, -1, Number.NaN),
        (p, v) => {
          if (p.locations.length === 0 || p.samples.values.length === 0) return;
          p.locations[0]!.address = v;
          p.samples.values[0] = v;
          const q = decodePprof(encodePprof(p));
          expect(q.locations[0]!.address).toBe(v > 0 ? 2 ** 64 : 0);
          const saturated = Number.isNaN(v) ? 0 : Math.min(2 ** 63, Math.max(-(2 ** 63), v));
          expect(q.samples.values[0]).toBe(saturated);
          expect(q.locations.slice(1)).toStrictEqual(p.locations.slice(1));
          expect(q.functions).toStrictEqual(p.functions);
          expect(Array.from(q.samples.values.subarray(1))).toEqual(Array.from(p.samples.values.subarray(1)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rounds fractional values to integers (profile.proto has none)', () => {
    fc.assert(
      fc.property(profileArb, (p) => {
        if (p.samples.values.length === 0) return;
        p.samples.values[0] = 2.5;
        p.samples.values[p.samples.values.length - 1] = -7.4;
        const q = decodePprof(encodePprof(p));
        expect(q.samples.values[0]).toBe(p.samples.values.length === 1 ? -7 : 3);
        expect(q.samples.values[q.samples.values.length - 1]).toBe(-7);
      }),
      { numRuns: 20 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// pprof-format as the independent encoder.

interface PfCase {
  profile: pf.Profile;
  /** What our decoder must produce, written down from the same random input. */
  expected: {
    sampleTypes: [string, string][];
    stacks: number[][];
    values: number[][];
    labels: Label[][];
    functions: [number, string, string, string, number][];
    locations: [number, number, number, [number, number, number][], boolean][];
    mappings: [number, number, number, number, string, string][];
    comments: string[];
    header: { timeNanos: number; durationNanos: number; period: number; periodType?: [string, string] };
    defaultSampleType?: string;
    dropFrames?: string;
    keepFrames?: string;
    docUrl?: string;
  };
}

const pfCase: fc.Arbitrary<PfCase> = fc
  .record({
    nTypes: fc.integer({ min: 1, max: 3 }),
    nFn: fc.integer({ min: 1, max: 8 }),
    nMap: fc.integer({ min: 0, max: 2 }),
    nLoc: fc.integer({ min: 1, max: 10 }),
    nSamples: fc.integer({ min: 0, max: 20 }),
  })
  .chain(({ nTypes, nFn, nMap, nLoc, nSamples }) =>
    fc.record({
      types: fc.array(fc.tuple(nonEmpty, nonEmpty), { minLength: nTypes, maxLength: nTypes }),
      fnIds: ids(nFn),
      fns: fc.array(fc.tuple(nonEmpty, text, text, int64), { minLength: nFn, maxLength: nFn }),
      mapIds: ids(nMap),
      maps: fc.array(fc.tuple(uint64, uint64, uint64, text, text), { minLength: nMap, maxLength: nMap }),
      locIds: ids(nLoc),
      locs: fc.array(
        fc.tuple(
          fc.integer({ min: -1, max: nMap - 1 }),
          uint64,
          fc.array(fc.tuple(fc.nat(nFn - 1), int64, int64), { maxLength: 3 }),
          fc.boolean(),
        ),
        { minLength: nLoc, maxLength: nLoc },
      ),
      samples: fc.array(
        fc.tuple(
          fc.array(fc.nat(nLoc - 1), { maxLength: 30 }),
          fc.array(int64, { minLength: nTypes, maxLength: nTypes }),
          fc.array(label, { maxLength: 3 }),
        ),
        { minLength: nSamples, maxLength: nSamples },
      ),
      comments: fc.array(nonEmpty, { maxLength: 3 }),
      timeNanos: int64,
      durationNanos: int64,
      period: int64,
      periodType: opt(fc.tuple(nonEmpty, nonEmpty)),
      defaultSampleType: opt(nonEmpty),
      dropFrames: opt(nonEmpty),
      keepFrames: opt(nonEmpty),
      docUrl: opt(nonEmpty),
    }),
  )
  .map((r): PfCase => {
    const st = new pf.StringTable();
    const d = (s: string): number => st.dedup(s);
    const profile = new pf.Profile({
      sampleType: r.types.map(([type, unit]) => new pf.ValueType({ type: d(type), unit: d(unit) })),
      function: r.fns.map(
        ([name, sys, file, start], i) =>
          new pf.Function({ id: r.fnIds[i]!, name: d(name), systemName: d(sys), filename: d(file), startLine: start }),
      ),
      mapping: r.maps.map(
        ([start, limit, off, file, build], i) =>
          new pf.Mapping({
            id: r.mapIds[i]!,
            memoryStart: start,
            memoryLimit: limit,
            fileOffset: off,
            filename: d(file),
            buildId: d(build),
          }),
      ),
      location: r.locs.map(
        ([m, addr, lines, folded], i) =>
          new pf.Location({
            id: r.locIds[i]!,
            mappingId: m >= 0 ? r.mapIds[m]! : 0,
            address: addr,
            line: lines.map(([fn, line, column]) => new pf.Line({ functionId: r.fnIds[fn]!, line, column })),
            isFolded: folded,
          }),
      ),
      sample: r.samples.map(
        ([stack, values, labels]) =>
          new pf.Sample({
            locationId: stack.map((ix) => r.locIds[ix]!),
            value: values,
            label: labels.map(
              (l) =>
                new pf.Label(
                  l.str !== undefined
                    ? { key: d(l.key), str: d(l.str) }
                    : { key: d(l.key), num: l.num!, numUnit: l.unit !== undefined ? d(l.unit) : 0 },
                ),
            ),
          }),
      ),
      comment: r.comments.map(d),
      timeNanos: r.timeNanos,
      durationNanos: r.durationNanos,
      period: r.period,
      ...(r.periodType ? { periodType: new pf.ValueType({ type: d(r.periodType[0]), unit: d(r.periodType[1]) }) } : {}),
      defaultSampleType: r.defaultSampleType ? d(r.defaultSampleType) : 0,
      dropFrames: r.dropFrames ? d(r.dropFrames) : 0,
      keepFrames: r.keepFrames ? d(r.keepFrames) : 0,
      docUrl: r.docUrl ? d(r.docUrl) : 0,
      stringTable: st,
    });
    return {
      profile,
      expected: {
        sampleTypes: r.types,
        stacks: r.samples.map(([s]) => s.map((ix) => r.locIds[ix]!)),
        values: r.samples.map(([, v]) => v),
        labels: structuredClone(r.samples.map(([, , l]) => l)),
        functions: r.fns.map(([name, sys, file, start], i) => [r.fnIds[i]!, name, sys, file, start]),
        locations: r.locs.map(([m, addr, lines, folded], i) => [
          r.locIds[i]!,
          m,
          addr,
          lines.map(([fn, line, column]): [number, number, number] => [fn, line, column]),
          folded,
        ]),
        mappings: r.maps.map(([start, limit, off, file, build], i) => [r.mapIds[i]!, start, limit, off, file, build]),
        comments: r.comments,
        header: {
          timeNanos: r.timeNanos,
          durationNanos: r.durationNanos,
          period: r.period,
          ...(r.periodType ? { periodType: r.periodType } : {}),
        },
        defaultSampleType: r.defaultSampleType,
        dropFrames: r.dropFrames,
        keepFrames: r.keepFrames,
        docUrl: r.docUrl,
      },
    };
  });

describe('decodePprof reads what pprof-format encodes', () => {
  it('gives back every field, including negative int64 values', () => {
    fc.assert(
      fc.property(pfCase, ({ profile, expected: e }) => {
        const p = decodePprof(profile.encode());
        expect(p.sampleTypes.map((t) => [t.type, t.unit])).toEqual(e.sampleTypes);
        expect(p.samples.length).toBe(e.stacks.length);
        for (let i = 0; i < p.samples.length; i++) {
          const s = p.samples;
          expect(
            Array.from(s.stack.subarray(s.stackStart[i], s.stackStart[i + 1]), (ix) => p.locations[ix]!.id),
          ).toEqual(e.stacks[i]);
          const n = p.sampleTypes.length;
          expect(Array.from(s.values.subarray(i * n, i * n + n))).toEqual(e.values[i]);
          expect(s.labels?.[i] ?? []).toStrictEqual(e.labels[i]);
        }
        expect(p.functions.map((f) => [f.id, f.name, f.systemName, f.filename, f.startLine])).toEqual(e.functions);
        expect(
          p.locations.map((l) => [
            l.id,
            l.mapping,
            l.address,
            l.lines.map((ln) => [ln.fn, ln.line, ln.column]),
            l.isFolded,
          ]),
        ).toEqual(e.locations);
        expect(p.mappings.map((m) => [m.id, m.memoryStart, m.memoryLimit, m.fileOffset, m.file, m.buildId])).toEqual(
          e.mappings,
        );
        expect(p.comments).toEqual(e.comments);
        expect(p.timeNanos).toBe(e.header.timeNanos);
        expect(p.durationNanos).toBe(e.header.durationNanos);
        expect(p.period).toBe(e.header.period);
        expect(p.periodType && [p.periodType.type, p.periodType.unit]).toEqual(e.header.periodType);
        expect(p.defaultSampleType).toBe(e.defaultSampleType);
        expect(p.dropFrames).toBe(e.dropFrames);
        expect(p.keepFrames).toBe(e.keepFrames);
        expect(p.docUrl).toBe(e.docUrl);
      }),
      { numRuns: RUNS },
    );
  });

  it('pprof-format reads what we encode (same string table, same samples)', () => {
    fc.assert(
      fc.property(profileArb, (p) => {
        const q = pf.Profile.decode(encodePprof(p));
        const strs = q.stringTable.strings;
        expect(q.sampleType.map((t) => [strs[Number(t.type)], strs[Number(t.unit)]])).toEqual(
          p.sampleTypes.map((t) => [t.type, t.unit]),
        );
        expect(q.sample.length).toBe(p.samples.length);
        expect(q.function.map((f) => strs[Number(f.name)])).toEqual(p.functions.map((f) => f.name));
        for (let i = 0; i < q.sample.length; i++) {
          const s = p.samples;
          expect(q.sample[i]!.locationId.map(Number)).toEqual(
            Array.from(s.stack.subarray(s.stackStart[i], s.stackStart[i + 1]), (ix) => p.locations[ix]!.id),
          );
          // pprof-format does not sign-convert: compare as uint64.
          const n = p.sampleTypes.length;
          expect(q.sample[i]!.value.map((v) => BigInt.asIntN(64, BigInt(v)))).toEqual(
            Array.from(s.values.subarray(i * n, i * n + n), asInt64),
          );
        }
      }),
      { numRuns: 60 },
    );
  });
});
