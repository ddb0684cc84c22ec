/**
 * Deterministic synthetic heap profiles for the benchmark, shaped like a big Go heap profile:
 * the runtime's four sample types, ~24 frames per stack over tens of thousands of functions and
 * locations (a few inlined), a hot set of call paths so aggregation has something to merge, and
 * the numeric `bytes` label the runtime writes. Built as the shared model, encoded with our encoder
 * (dist/profile/encode.js) and gzipped, then cached in the temp dir between runs.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Bump when the generator changes, so cached files are rebuilt. */
const GENERATOR_VERSION = 3;

/** Small fast PRNG (mulberry32): the same seed gives the same profile everywhere. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIZES = [8, 16, 24, 32, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];

/**
 * @param {{ samples: number, functions: number, locations: number, seed?: number }} o
 * @returns {import('../dist/profile/model.js').Profile}
 */
export function synthHeap({ samples, functions, locations, seed = 1 }) {
  const r = rng(seed);
  const fns = new Array(functions);
  for (let i = 0; i < functions; i++) {
    const pkg = `github.com/example/svc/internal/pkg${i % 397}`;
    fns[i] = {
      id: i + 1,
      name: `${pkg}.(*Type${(i >>> 3) % 211}).Method${i}`,
      systemName: `${pkg}.(*Type${(i >>> 3) % 211}).Method${i}`,
      filename: `/home/build/src/${pkg}/file${i % 53}.go`,
      startLine: 10 + (i % 900),
    };
  }
  const locs = new Array(locations);
  for (let i = 0; i < locations; i++) {
    const fn = i < functions ? i : Math.floor(r() * functions);
    const lines = [{ fn, line: 20 + Math.floor(r() * 2000), column: 0 }];
    // One location in ten carries an inlined callee before the physical frame.
    if (i % 10 === 3) lines.unshift({ fn: Math.floor(r() * functions), line: 5 + Math.floor(r() * 300), column: 0 });
    locs[i] = { id: i + 1, mapping: 0, address: 0x400000 + i * 16, lines, isFolded: false };
  }

  // A static call graph: every location calls a few others (fan-out 1..6, skewed towards
  // "popular" callees). Stacks are random walks from a handful of roots, so the number of distinct
  // caller→callee edges stays bounded as in a real program, while almost every stack is distinct
  // (the runtime writes one sample per distinct stack).
  const callees = new Array(locations);
  for (let i = 0; i < locations; i++) {
    const k = 1 + Math.floor(r() * 6);
    const c = new Uint32Array(k);
    for (let j = 0; j < k; j++) c[j] = Math.floor(r() * r() * locations);
    callees[i] = c;
  }
  const roots = Uint32Array.from({ length: 64 }, () => Math.floor(r() * locations));
  const stackStart = new Uint32Array(samples + 1);
  const stack = new Uint32Array(samples * 28);
  const values = new Float64Array(samples * 4);
  const labels = new Array(samples);
  const labelCache = new Map();
  const walk = new Uint32Array(32);
  let n = 0;
  for (let i = 0; i < samples; i++) {
    stackStart[i] = n;
    const depth = 20 + Math.floor(r() * 9); // 20..28, about 24 on average
    let at = roots[Math.floor(r() * r() * roots.length)];
    for (let d = 0; d < depth; d++) {
      walk[d] = at;
      const c = callees[at];
      at = c[Math.floor(r() * c.length)];
    }
    for (let d = depth - 1; d >= 0; d--) stack[n++] = walk[d]; // leaf first
    const size = SIZES[Math.floor(r() * r() * SIZES.length)];
    const allocObjects = 1 + Math.floor(r() * 2000);
    const inuseObjects = Math.floor(allocObjects * r() * r());
    values[i * 4] = allocObjects;
    values[i * 4 + 1] = allocObjects * size;
    values[i * 4 + 2] = inuseObjects;
    values[i * 4 + 3] = inuseObjects * size;
    let l = labelCache.get(size);
    if (!l) {
      l = [{ key: 'bytes', num: size }];
      labelCache.set(size, l);
    }
    labels[i] = l;
  }
  stackStart[samples] = n;

  return {
    sampleTypes: [
      { type: 'alloc_objects', unit: 'count' },
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ],
    periodType: { type: 'space', unit: 'bytes' },
    period: 524288,
    timeNanos: 1_700_000_000_000_000_000,
    durationNanos: 0,
    comments: [],
    mappings: [
      {
        id: 1,
        memoryStart: 0x400000,
        memoryLimit: 0x400000 + locations * 16 + 4096,
        fileOffset: 0,
        file: '/usr/local/bin/synth-service',
        buildId: 'synthetic',
        hasFunctions: true,
        hasFilenames: true,
        hasLineNumbers: true,
        hasInlineFrames: true,
      },
    ],
    locations: locs,
    functions: fns,
    samples: { length: samples, values, stackStart, stack: stack.slice(0, n), labels },
    source: { format: 'pprof-proto', truncated: false, hasStacks: true, notes: [] },
  };
}

/**
 * Path of the cached `.pb.gz` for these parameters, generating it first when missing.
 * @param {{ samples: number, functions: number, locations: number, seed?: number }} o
 * @param {(p: object) => Uint8Array} encode
 */
export function cachedSynthHeap(o, encode) {
  const dir = join(tmpdir(), 'pprof-doctor-bench');
  mkdirSync(dir, { recursive: true });
  const name = `synth-heap-v${GENERATOR_VERSION}-${o.samples}s-${o.functions}f-${o.locations}l-${o.seed ?? 1}.pb.gz`;
  const path = join(dir, name);
  // Files from older generator versions are stale: remove them.
  for (const f of readdirSync(dir)) {
    if (/^synth-heap-v\d+-/.test(f) && !f.startsWith(`synth-heap-v${GENERATOR_VERSION}-`))
      rmSync(join(dir, f), { force: true });
  }
  if (existsSync(path) && statSync(path).size > 0) return { path, generated: false };
  const raw = encode(synthHeap(o));
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, gzipSync(raw, { level: 1 }));
  renameSync(tmp, path);
  return { path, generated: true, rawBytes: raw.length };
}
