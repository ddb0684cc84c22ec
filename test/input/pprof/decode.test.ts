import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/errors.js';
import { decodePprof, PprofDecodeError } from '../../../src/input/pprof/decode.js';
import type { Profile } from '../../../src/profile/model.js';
import { validateProfile } from '../../../src/profile/validate.js';
import { deltaHeap, goStyleCpu, labelsAndHeader, minimal } from './handmade.js';
import { bytes, msg, num, packed, strings, unpacked } from './proto-writer.js';

/** Sample i's stack as location ids, leaf first. */
function stackIds(p: Profile, i: number): number[] {
  const s = p.samples;
  return Array.from(s.stack.subarray(s.stackStart[i], s.stackStart[i + 1]), (ix) => p.locations[ix]!.id);
}

function values(p: Profile, i: number): number[] {
  const n = p.sampleTypes.length;
  return Array.from(p.samples.values.subarray(i * n, i * n + n));
}

function decodeError(b: Uint8Array): PprofDecodeError {
  try {
    decodePprof(b);
  } catch (err) {
    expect(err).toBeInstanceOf(PprofDecodeError);
    expect(err).toBeInstanceOf(FormatError);
    return err as PprofDecodeError;
  }
  throw new Error('expected a decoding error');
}

describe('decodePprof: Go-style CPU profile (unpacked, interleaved, strings last)', () => {
  const p = decodePprof(goStyleCpu());

  it('reads the header', () => {
    expect(p.sampleTypes).toEqual([
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ]);
    expect(p.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(p.period).toBe(10_000_000);
    // time_nanos needs more than 53 bits: the nearest double is kept.
    expect(p.timeNanos).toBe(Number(1_700_000_000_123_456_789n));
    expect(p.durationNanos).toBe(2_000_000_000);
    expect(p.defaultSampleType).toBeUndefined();
    expect(p.comments).toEqual([]);
    expect(p.source).toEqual({ format: 'pprof-proto', truncated: false, hasStacks: true, notes: [] });
  });

  it('reads unpacked location ids and values', () => {
    expect(p.samples.length).toBe(2);
    expect(stackIds(p, 0)).toEqual([1, 2, 3]);
    expect(stackIds(p, 1)).toEqual([2, 3]);
    expect(values(p, 0)).toEqual([3, 30_000_000]);
    expect(values(p, 1)).toEqual([1, 10_000_000]);
    expect(p.samples.labels).toBeUndefined();
  });

  it('resolves functions, inlined lines and mappings', () => {
    expect(p.functions.map((f) => [f.id, f.name, f.filename, f.startLine])).toEqual([
      [1, 'main.work', 'main.go', 18],
      [2, 'main.main', 'main.go', 0],
      [3, 'runtime.main', 'proc.go', 0],
      [4, 'main.inlined', 'main.go', 0],
    ]);
    const loc1 = p.locations.find((l) => l.id === 1)!;
    expect(loc1.address).toBe(0x401000);
    expect(loc1.lines.map((l) => [p.functions[l.fn]!.name, l.line])).toEqual([
      ['main.inlined', 12],
      ['main.work', 20],
    ]);
    expect(p.mappings).toEqual([
      {
        id: 1,
        memoryStart: 0x400000,
        memoryLimit: 0x500000,
        fileOffset: 0,
        file: '/bin/app',
        buildId: 'buildid-1',
        hasFunctions: true,
        hasFilenames: false,
        hasLineNumbers: false,
        hasInlineFrames: false,
      },
    ]);
    expect(p.locations.every((l) => l.mapping === 0)).toBe(true);
    expect(validateProfile(p)).toEqual([]);
  });
});

describe('decodePprof: heap delta profile (packed, negative values, sparse ids)', () => {
  const p = decodePprof(deltaHeap());

  it('reads negative int64 values, small and 10-byte', () => {
    expect(p.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(values(p, 0)).toEqual([10, 10240, 4, 4096]);
    expect(values(p, 1)).toEqual([0, 0, -3, -3072]);
    expect(values(p, 2)).toEqual([0, 0, -1, -(2 ** 40)]);
  });

  it('maps non-dense ids through the id table', () => {
    expect(stackIds(p, 0)).toEqual([1001, 1003]);
    expect(stackIds(p, 2)).toEqual([1002, 1003]);
    const leaf = p.locations[p.samples.stack[p.samples.stackStart[1]!]!]!;
    expect(p.functions[leaf.lines[0]!.fn]!.name).toBe('main.shrink');
    expect(leaf.mapping).toBe(-1);
  });

  it('reads the numeric bytes label and the period', () => {
    expect(p.samples.labels).toEqual([
      [{ key: 'bytes', num: 1024 }],
      [{ key: 'bytes', num: 1024 }],
      [{ key: 'bytes', num: 2 ** 40 }],
    ]);
    expect(p.periodType).toEqual({ type: 'space', unit: 'bytes' });
    expect(p.period).toBe(524288);
    expect(p.durationNanos).toBe(30_000_000_000);
    expect(validateProfile(p)).toEqual([]);
  });
});

describe('decodePprof: labels and header fields', () => {
  const p = decodePprof(labelsAndHeader());

  it('reads string, numeric and unit labels, dropping what pprof drops', () => {
    expect(p.samples.labels).toEqual([
      [
        { key: 'worker', str: 'handler' },
        { key: 'size', num: 42, unit: 'kilobytes' },
        { key: 'size', num: -7 },
        { key: 'worker', str: 'main.run' },
      ],
      undefined,
    ]);
  });

  it('reads comments (unpacked and packed), default type, drop/keep frames, doc url', () => {
    expect(p.comments).toEqual(['comment one', 'comment two', 'comment three']);
    expect(p.defaultSampleType).toBe('goroutine');
    expect(p.dropFrames).toBe('runtime\\..*');
    expect(p.keepFrames).toBe('runtime\\.main');
    expect(p.docUrl).toBe('https://example.com/doc');
    expect(p.periodType).toEqual({ type: 'goroutine', unit: 'count' });
  });

  it('reads columns, folded locations and unknown mappings', () => {
    const byId = new Map(p.locations.map((l) => [l.id, l]));
    expect(byId.get(7)).toEqual({
      id: 7,
      mapping: 0,
      address: 0x1000,
      lines: [{ fn: 0, line: 33, column: 7 }],
      isFolded: true,
    });
    expect(byId.get(8)).toEqual({ id: 8, mapping: -1, address: 0, lines: [], isFolded: false });
    // A mapping id that is not in the profile: pprof tolerates it and leaves the location unmapped.
    expect(byId.get(9)).toEqual({
      id: 9,
      mapping: -1,
      address: 0,
      lines: [{ fn: 0, line: 5, column: 0 }],
      isFolded: false,
    });
    expect(p.source.notes).toEqual([
      '1 location(s) reference a mapping id that is not in the profile; treated as unmapped',
    ]);
    expect(p.functions).toEqual([
      { id: 20, name: 'main.run', systemName: 'main.run', filename: 'run.go', startLine: 30 },
    ]);
    expect(validateProfile(p)).toEqual([]);
  });
});

describe('decodePprof: leniency', () => {
  it('keeps a line without a function as fn -1 (go1.19 pprof refuses such a profile)', () => {
    const p = decodePprof(bytes(msg(4, num(1, 1), msg(4, num(2, 5))), strings([''])));
    expect(p.locations[0]!.lines).toEqual([{ fn: -1, line: 5, column: 0 }]);
  });
});

describe('decodePprof: varints', () => {
  it('reads every varint length (1..10 bytes) for uint64 and int64 fields', () => {
    const vals = [
      0,
      1,
      127,
      128,
      16383,
      16384,
      2 ** 21,
      2 ** 28 - 1,
      2 ** 28,
      2 ** 31,
      2 ** 32 + 5,
      2 ** 35,
      2 ** 42 + 3,
      2 ** 49,
      2 ** 53 - 1,
    ];
    for (const v of [...vals, ...vals.map((x) => -x), -(2 ** 53) + 1, -1]) {
      const p = decodePprof(withValue(v));
      expect(p.samples.values[0]).toBe(v === 0 ? 0 : v);
    }
    for (const addr of vals) {
      const p = decodePprof(bytes(msg(4, num(1, 1), num(3, addr)), strings([''])));
      expect(p.locations[0]!.address).toBe(addr);
    }
  });

  it('rounds uint64 above 2^53 to the nearest double', () => {
    const p = decodePprof(bytes(msg(4, num(1, 1), num(3, 0xffff_ffff_ffff_f000n)), strings([''])));
    expect(p.locations[0]!.address).toBe(Number(0xffff_ffff_ffff_f000n));
  });

  it('refuses a varint longer than 10 bytes', () => {
    const e = decodeError(
      bytes(strings(['']), [0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    );
    expect(e.message).toMatch(/^malformed varint at byte \d+ \(longer than 10 bytes\)$/);
  });
});

function withValue(v: number): Uint8Array {
  return bytes(
    msg(1, num(1, 1), num(2, 2)),
    msg(2, unpacked(1, [1]), unpacked(2, [v])),
    msg(4, num(1, 1)),
    strings(['', 'samples', 'count']),
  );
}

describe('decodePprof: refuses what pprof refuses', () => {
  const cases: [string, Uint8Array, RegExp | string][] = [
    ['empty input', new Uint8Array(0), 'empty input'],
    [
      'string index out of range',
      minimal([msg(5, num(1, 2), num(2, 99))]),
      'string index 99 out of range (table has 4 strings)',
    ],
    ['negative string index', minimal([num(14, -1)]), 'string index -1 out of range (table has 4 strings)'],
    [
      'string table entry 0 not empty',
      bytes(strings(['oops', 'x'])),
      'string table entry 0 must be empty (found "oops")',
    ],
    [
      'no string table',
      bytes(msg(1, num(1, 0), num(2, 0))),
      'no string table (every profile.proto has one, starting with "")',
    ],
    [
      'value count differs from sample type count',
      minimal([msg(2, packed(1, [1]), packed(2, [1, 2]))]),
      'sample #2 has 2 values but the profile has 1 sample types',
    ],
    [
      'samples without sample types',
      bytes(msg(2, packed(1, [1])), strings([''])),
      'the profile has samples but no sample types',
    ],
    ['duplicate location id', minimal([msg(4, num(1, 1))]), 'duplicate location id 1'],
    [
      'duplicate sparse function id',
      bytes(msg(5, num(1, 90)), msg(5, num(1, 90)), strings([''])),
      'duplicate function id 90',
    ],
    ['location id 0', minimal([msg(4, num(2, 0))]), 'location #2 has the reserved id 0'],
    ['mapping id 0', minimal([msg(3, num(2, 1))]), 'mapping #1 has the reserved id 0'],
    [
      'unknown location id',
      minimal([msg(2, packed(1, [42]), packed(2, [1]))]),
      'sample #2 references unknown location id 42',
    ],
    [
      'unknown function id',
      minimal([msg(4, num(1, 2), msg(4, num(1, 9)))]),
      'location id 2 references unknown function id 9',
    ],
    [
      'concatenated profiles',
      Uint8Array.from([...minimal([num(9, 1000)]), ...minimal([num(9, 2000)])]),
      'concatenated profiles detected (the data holds two or more profiles back to back; save each to its own file)',
    ],
    [
      'wire type mismatch (scalar as bytes)',
      minimal([msg(9, [1])]),
      'wire type mismatch: profile field 9 has wire type 2',
    ],
    [
      'wire type mismatch (message as varint)',
      minimal([num(4, 1)]),
      'wire type mismatch: profile field 4 has wire type 0',
    ],
    [
      'wire type mismatch inside a sample',
      minimal([msg(2, [0x09, 1, 2, 3, 4, 5, 6, 7, 8])]),
      /wire type mismatch: sample field 1/,
    ],
    ['group wire type', minimal([[0xa3, 0x01]]), /^unsupported protobuf wire type 3 \(field 20\)/],
    ['truncated message', minimal().subarray(0, 20), /^truncated protobuf data/],
    ['truncated varint at the very end', bytes(strings(['']), [0x48, 0xff]), /^truncated protobuf data/],
    [
      'length past the end of a sample',
      minimal([msg(2, [0x0a, 0x05, 1])]),
      /^truncated protobuf data: field 1 runs past/,
    ],
  ];
  for (const [what, input, message] of cases) {
    it(what, () => {
      const e = decodeError(input);
      if (typeof message === 'string') expect(e.message).toBe(message);
      else expect(e.message).toMatch(message);
      expect(e.message).not.toContain('\n');
    });
  }

  it('accepts a second time_nanos after a zero one, as pprof does', () => {
    expect(decodePprof(minimal([num(9, 0), num(9, 5)])).timeNanos).toBe(5);
  });

  it('says whether the top-level structure parsed', () => {
    expect(decodeError(minimal([msg(5, num(1, 2), num(2, 99))])).structural).toBe(false);
    expect(decodeError(minimal([num(4, 1)])).structural).toBe(true);
  });

  it('leaves the input untouched', () => {
    const input = goStyleCpu();
    const copy = input.slice();
    decodePprof(input);
    expect(input).toEqual(copy);
  });
});

describe('decodePprof: strings', () => {
  it('decodes UTF-8, long strings and strings scattered through the file', () => {
    const long = 'x'.repeat(300);
    const p = decodePprof(
      bytes(
        msg(5, num(1, 1), num(2, 1), num(4, 2)),
        strings(['']),
        msg(5, num(1, 2), num(2, 3), num(4, 4)),
        strings(['héllo.wörld', '/ü/file.go']),
        msg(1, num(1, 0)),
        strings([long, 'plain']),
      ),
    );
    expect(p.functions.map((f) => [f.name, f.filename])).toEqual([
      ['héllo.wörld', '/ü/file.go'],
      [long, 'plain'],
    ]);
  });
});
