/**
 * Small profiles encoded by hand (see proto-writer.ts), each exercising encodings real writers use:
 * Go's field order and unpacked short fields, packed runs, negative int64, sparse ids, labels,
 * every header field. They are also written to test/fixtures/pprof/ (fixtures.test.ts keeps the
 * files in step: `UPDATE_FIXTURES=1 npx vitest run test/input/pprof`).
 */
import { type Bytes, bytes, fixed32, fixed64, msg, num, packed, str, strings, unpacked } from './proto-writer.js';

const valueType = (field: number, type: number, unit: number): Bytes => msg(field, num(1, type), num(2, unit));

/**
 * A CPU profile laid out the way Go's runtime writes it: sample types, then locations and functions
 * interleaved with the samples, the string table last, header scalars after it. Short repeated
 * fields are unpacked (Go packs only runs of more than two). Unknown fields of every wire type are
 * sprinkled in, at top level and inside messages.
 *
 * Strings: 0 "" 1 samples 2 count 3 cpu 4 nanoseconds 5 main.work 6 main.go 7 main.main
 * 8 runtime.main 9 proc.go 10 main.inlined 11 /bin/app 12 buildid-1
 */
export function goStyleCpu(): Uint8Array {
  return bytes(
    valueType(1, 1, 2),
    valueType(1, 3, 4),
    // location 1: address 0x401000, inlined: main.inlined (fn 4) inside main.work (fn 1)
    msg(4, num(1, 1), num(2, 1), num(3, 0x401000), msg(4, num(1, 4), num(2, 12)), msg(4, num(1, 1), num(2, 20))),
    msg(5, num(1, 1), num(2, 5), num(3, 5), num(4, 6), num(5, 18)),
    // sample 1: stack 1,2,3 and values 3, 30ms — all unpacked
    msg(2, unpacked(1, [1, 2, 3]), unpacked(2, [3, 30_000_000])),
    msg(4, num(1, 2), num(2, 1), num(3, 0x402000), msg(4, num(1, 2), num(2, 7))),
    num(99, 12345), // unknown varint field
    msg(5, num(1, 2), num(2, 7), num(3, 7), num(4, 6), fixed32(9)),
    msg(4, num(1, 3), num(2, 1), num(3, 0x403000), msg(4, num(1, 3), num(2, 250)), fixed64(15)),
    msg(5, num(1, 3), num(2, 8), num(3, 8), num(4, 9)),
    msg(5, num(1, 4), num(2, 10), num(3, 10), num(4, 6)),
    // sample 2: stack 2,3 and values 1, 10ms
    msg(2, unpacked(1, [2, 3]), unpacked(2, [1, 10_000_000]), msg(30, [1, 2, 3])),
    msg(3, num(1, 1), num(2, 0x400000), num(3, 0x500000), num(4, 0), num(5, 11), num(6, 12), num(7, 1)),
    fixed64(100),
    fixed32(101),
    strings([
      '',
      'samples',
      'count',
      'cpu',
      'nanoseconds',
      'main.work',
      'main.go',
      'main.main',
      'runtime.main',
      'proc.go',
      'main.inlined',
      '/bin/app',
      'buildid-1',
    ]),
    num(9, 1_700_000_000_123_456_789n),
    num(10, 2_000_000_000),
    valueType(11, 3, 4),
    num(12, 10_000_000),
  );
}

/**
 * A heap delta profile (`/debug/pprof/heap?seconds=N`): four packed sample types, negative values
 * (small and large, i.e. 10-byte varints), the numeric `bytes` label, ids in a non-dense range
 * (so the decoder's Map path runs), strings first.
 *
 * Strings: 0 "" 1 alloc_objects 2 count 3 alloc_space 4 bytes 5 inuse_objects 6 inuse_space
 * 7 space 8 main.grow 9 main.go 10 main.shrink 11 main.main
 */
export function deltaHeap(): Uint8Array {
  return bytes(
    strings([
      '',
      'alloc_objects',
      'count',
      'alloc_space',
      'bytes',
      'inuse_objects',
      'inuse_space',
      'space',
      'main.grow',
      'main.go',
      'main.shrink',
      'main.main',
    ]),
    valueType(1, 1, 2),
    valueType(1, 3, 4),
    valueType(1, 5, 2),
    valueType(1, 6, 4),
    msg(2, packed(1, [1001, 1003]), packed(2, [10, 10240, 4, 4096]), msg(3, num(1, 4), num(3, 1024))),
    msg(2, packed(1, [1002, 1003]), packed(2, [0, 0, -3, -3072]), msg(3, num(1, 4), num(3, 1024))),
    msg(2, packed(1, [1002, 1003]), packed(2, [0, 0, -1, -(2 ** 40)]), msg(3, num(1, 4), num(3, 2 ** 40))),
    msg(4, num(1, 1001), msg(4, num(1, 500), num(2, 10))),
    msg(4, num(1, 1002), msg(4, num(1, 600), num(2, 20))),
    msg(4, num(1, 1003), msg(4, num(1, 700), num(2, 30))),
    msg(5, num(1, 500), num(2, 8), num(3, 8), num(4, 9)),
    msg(5, num(1, 600), num(2, 10), num(3, 10), num(4, 9)),
    msg(5, num(1, 700), num(2, 11), num(3, 11), num(4, 9)),
    valueType(11, 7, 4),
    num(12, 524288),
    num(9, 1_700_000_000_000_000_000n),
    num(10, 30_000_000_000),
  );
}

/**
 * Labels and every header field: string / numeric / numeric-with-unit labels, a label pprof drops
 * (str, num and num_unit all 0), a label with both str and num (str wins, as in pprof), comments
 * unpacked and packed, default_sample_type, drop_frames, keep_frames, doc_url, a line with a column,
 * a folded location, a location with no mapping and no lines, and a location whose mapping id is
 * not in the profile (pprof leaves it unmapped).
 *
 * Strings: 0 "" 1 goroutine 2 count 3 worker 4 handler 5 size 6 kilobytes 7 comment one
 * 8 comment two 9 comment three 10 runtime\..* 11 runtime\.main 12 https://example.com/doc
 * 13 main.run 14 run.go 15 empty
 */
export function labelsAndHeader(): Uint8Array {
  return bytes(
    valueType(1, 1, 2),
    msg(
      2,
      unpacked(1, [7, 8]),
      unpacked(2, [5]),
      msg(3, num(1, 3), num(2, 4)), // worker=handler
      msg(3, num(1, 5), num(3, 42), num(4, 6)), // size=42 kilobytes
      msg(3, num(1, 5), num(3, -7)), // size=-7, no unit
      msg(3, num(1, 15)), // dropped: str, num and unit all 0
      msg(3, num(1, 3), num(2, 13), num(3, 99)), // str wins
    ),
    msg(2, packed(1, [9]), packed(2, [2])),
    msg(3, num(1, 3), num(5, 14)),
    msg(4, num(1, 7), num(2, 3), num(3, 0x1000), msg(4, num(1, 20), num(2, 33), num(3, 7)), num(5, 1)),
    msg(4, num(1, 8)),
    msg(4, num(1, 9), num(2, 77), msg(4, num(1, 20), num(2, 5))),
    msg(5, num(1, 20), num(2, 13), num(3, 13), num(4, 14), num(5, 30)),
    strings([
      '',
      'goroutine',
      'count',
      'worker',
      'handler',
      'size',
      'kilobytes',
      'comment one',
      'comment two',
      'comment three',
      'runtime\\..*',
      'runtime\\.main',
      'https://example.com/doc',
      'main.run',
      'run.go',
      'empty',
    ]),
    num(13, 7),
    packed(13, [8, 9]),
    num(14, 1),
    num(7, 10),
    num(8, 11),
    num(15, 12),
    valueType(11, 1, 2),
    num(12, 1),
  );
}

/** A minimal valid profile: one sample type, one sample, one location, one function. */
export function minimal(extra: Bytes[] = [], tableExtra: string[] = []): Uint8Array {
  return bytes(
    valueType(1, 1, 2),
    msg(2, packed(1, [1]), packed(2, [1])),
    msg(4, num(1, 1), msg(4, num(1, 1), num(2, 3))),
    msg(5, num(1, 1), num(2, 3)),
    strings(['', 'samples', 'count', 'main.f', ...tableExtra]),
    ...extra,
  );
}

export { msg, num, packed, str, strings, unpacked, valueType };
