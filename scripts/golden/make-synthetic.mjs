#!/usr/bin/env node
/**
 * Writes small synthetic profiles that hit pprof's corner cases, for the golden parity cases
 * (scripts/golden/cases.json): inlined frames that are also called (partial-inline), recursion,
 * same function name in two files, a location without lines (binary name only), an empty stack,
 * string and numeric labels, comments (one hidden by '#'), a build id, negative values (a delta
 * heap), drop_frames/keep_frames, equal values (ties sorted by name), values on rounding ties.
 *
 * Output: test/fixtures/golden/synthetic-*.pb.gz (deterministic). Needs `npm run build` first
 * (uses dist/profile/encode.js). Run: node scripts/golden/make-synthetic.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { encodePprof } = await import(join(root, 'dist', 'profile', 'encode.js'));

/**
 * spec.functions: [name, file, startLine]; spec.locations: [mappingIndex, address, [[fnIndex, line], …]]
 * (lines innermost first); spec.samples: [[locIndex…] leaf first, [values…], labels?].
 */
function build(spec) {
  const nT = spec.sampleTypes.length;
  const n = spec.samples.length;
  const values = new Float64Array(n * nT);
  const stackStart = new Uint32Array(n + 1);
  const stack = [];
  const labels = [];
  spec.samples.forEach(([locs, vals, ls], i) => {
    values.set(vals, i * nT);
    stackStart[i] = stack.length;
    stack.push(...locs);
    labels.push(ls);
  });
  stackStart[n] = stack.length;
  return {
    sampleTypes: spec.sampleTypes.map(([type, unit]) => ({ type, unit })),
    defaultSampleType: spec.defaultSampleType,
    periodType: spec.periodType ? { type: spec.periodType[0], unit: spec.periodType[1] } : undefined,
    period: spec.period ?? 0,
    timeNanos: spec.timeNanos ?? 0,
    durationNanos: spec.durationNanos ?? 0,
    comments: spec.comments ?? [],
    dropFrames: spec.dropFrames,
    keepFrames: spec.keepFrames,
    mappings: (spec.mappings ?? []).map(([file, buildId], i) => ({
      id: i + 1,
      memoryStart: 0x400000 * (i + 1),
      memoryLimit: 0x400000 * (i + 2),
      fileOffset: 0,
      file,
      buildId: buildId ?? '',
      hasFunctions: true,
      hasFilenames: true,
      hasLineNumbers: true,
      hasInlineFrames: true,
    })),
    functions: spec.functions.map(([name, filename, startLine], i) => ({
      id: i + 1,
      name,
      systemName: name,
      filename,
      startLine: startLine ?? 0,
    })),
    locations: spec.locations.map(([mapping, address, lines], i) => ({
      id: i + 1,
      mapping,
      address,
      lines: lines.map(([fn, line]) => ({ fn, line, column: 0 })),
      isFolded: false,
    })),
    samples: {
      length: n,
      values,
      stackStart,
      stack: Uint32Array.from(stack),
      labels: labels.some((l) => l) ? labels : undefined,
    },
    source: { format: 'pprof-proto', truncated: false, hasStacks: true, notes: [] },
  };
}

const MS = 1_000_000;
const cpu = build({
  sampleTypes: [
    ['samples', 'count'],
    ['cpu', 'nanoseconds'],
  ],
  periodType: ['cpu', 'nanoseconds'],
  period: 10 * MS,
  timeNanos: 1_700_000_000_123_456_800,
  durationNanos: 10_000 * MS,
  comments: ['synthetic edge cases', '#not shown'],
  mappings: [['/usr/local/bin/edge', 'b1d0c0ffee'], ['/lib/x86_64-linux-gnu/libc.so.6']],
  functions: [
    ['main.main', '/src/edge/main.go', 10], // 0
    ['main.work', '/src/edge/work.go', 20], // 1
    ['main.inl', '/src/edge/inl.go', 30], // 2
    ['pkg.helper', '/src/pkg/a.go', 5], // 3
    ['pkg.helper', '/src/pkg/b.go', 7], // 4
    ['main.rec', '/src/edge/./rec.go', 40], // 5  (path cleaned by pprof)
    ['runtime.main', '/usr/lib/go/src/runtime/proc.go', 100], // 6
    ['main.tieB', '/src/edge/tie.go', 50], // 7
    ['main.tieA', '/src/edge/tie.go', 60], // 8
    ['', '/src/edge/anon.go', 70], // 9 (no name)
  ],
  locations: [
    [0, 0x401000, [[6, 250]]], // 0 runtime.main
    [0, 0x401100, [[0, 12]]], // 1 main.main
    [0, 0x401200, [[1, 22]]], // 2 main.work
    [
      0,
      0x401300,
      [
        [2, 31],
        [1, 25],
      ],
    ], // 3 main.inl inlined into main.work
    [0, 0x401400, [[2, 33]]], // 4 main.inl called
    [0, 0x401500, [[3, 6]]], // 5 pkg.helper (a.go)
    [0, 0x401600, [[4, 8]]], // 6 pkg.helper (b.go)
    [0, 0x401700, [[5, 41]]], // 7 main.rec
    [1, 0x800100, []], // 8 no lines, in libc
    [0, 0x401800, [[7, 51]]], // 9 main.tieB
    [0, 0x401900, [[8, 61]]], // 10 main.tieA
    [0, 0x401a00, [[9, 71]]], // 11 unnamed function
    [
      0,
      0x401b00,
      [
        [2, 35],
        [5, 44],
      ],
    ], // 12 main.inl inlined into main.rec
  ],
  samples: [
    [[3, 2, 1, 0], [30, 300 * MS], [{ key: 'worker', str: 'a' }]],
    [
      [4, 2, 1, 0],
      [5, 50 * MS],
      [
        { key: 'worker', str: 'b' },
        { key: 'bytes', num: 4096, unit: 'bytes' },
      ],
    ],
    [
      [5, 1, 0],
      [12, 120 * MS],
    ],
    [
      [6, 1, 0],
      [13, 130 * MS],
    ],
    [[7, 7, 7, 7, 1, 0], [20, 200 * MS], [{ key: 'request', num: 2048 }]],
    [
      [12, 7, 7, 1, 0],
      [2, 20 * MS],
    ],
    [
      [8, 2, 1, 0],
      [4, 40 * MS],
    ],
    [
      [9, 1, 0],
      [7, 70 * MS],
    ],
    [
      [10, 1, 0],
      [7, 70 * MS],
    ],
    [
      [11, 1, 0],
      [1, 10 * MS],
    ],
    [[], [3, 30 * MS]],
    [[3, 2, 1, 0], [1, 10 * MS], [{ key: 'worker', str: 'a' }]], // merges with the first one
    [
      [2, 1, 0],
      [0, 0],
    ], // all zero: dropped by pprof's merge
  ],
});

const KB = 1024;
const heap = build({
  sampleTypes: [
    ['alloc_objects', 'count'],
    ['alloc_space', 'bytes'],
    ['inuse_objects', 'count'],
    ['inuse_space', 'bytes'],
  ],
  defaultSampleType: 'inuse_space',
  periodType: ['space', 'bytes'],
  period: 524288,
  timeNanos: 1_700_000_100_000_000_000,
  durationNanos: 30_000 * MS,
  dropFrames: 'runtime\\..*|pkg\\.drop.*',
  keepFrames: 'runtime\\.keep',
  mappings: [['https://example.com/binary']],
  functions: [
    ['main.main', 'main.go'], // 0
    ['main.grow', 'grow.go'], // 1
    ['main.shrink', 'shrink.go'], // 2
    ['runtime.mallocgc', 'malloc.go'], // 3
    ['runtime.keepme', 'keep.go'], // 4
    ['pkg.dropThis(int)', 'drop.go'], // 5
    ['main.even', 'even.go'], // 6
    ['runtime.keep', 'keep.go'], // 7
  ],
  locations: [
    [0, 0x401000, [[0, 1]]], // 0 main.main
    [0, 0x401100, [[1, 2]]], // 1 main.grow
    [0, 0x401200, [[2, 3]]], // 2 main.shrink
    [0, 0x401300, [[3, 4]]], // 3 runtime.mallocgc (dropped frame)
    [0, 0x401400, [[4, 5]]], // 4 runtime.keepme (matches drop, not keep: dropped)
    [0, 0x401500, [[5, 6]]], // 5 pkg.dropThis(int)
    [0, 0x401600, [[6, 7]]], // 6 main.even
    [0, 0x401700, [[7, 8]]], // 7 runtime.keep (kept)
    [
      0,
      0x401800,
      [
        [3, 9],
        [1, 10],
      ],
    ], // 8 mallocgc inlined into grow
  ],
  samples: [
    [
      [3, 1, 0],
      [10, 1280 * KB, 10, 1280 * KB],
    ],
    [
      [3, 2, 0],
      [-4, -512 * KB, -4, -512 * KB],
    ],
    [
      [4, 5, 6, 0],
      [1, 128 * KB, 1, 128 * KB],
    ],
    [
      [7, 6, 0],
      [1, 128 * KB, 1, 128 * KB],
    ],
    [
      [8, 0],
      [3, 384 * KB, 0, 0],
    ],
    [
      [3, 0],
      [2, 40 * KB, 2, 40 * KB],
    ],
  ],
});

const dir = join(root, 'test', 'fixtures', 'golden');
mkdirSync(dir, { recursive: true });
for (const [name, p] of [
  ['synthetic-cpu', cpu],
  ['synthetic-heap', heap],
]) {
  const file = join(dir, `${name}.pb.gz`);
  // mtime 0 in the gzip header keeps the file byte-identical across runs.
  writeFileSync(file, gzipSync(encodePprof(p)));
  console.log(file);
}
