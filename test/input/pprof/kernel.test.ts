/**
 * The WebAssembly decoder kernel (wasm/pprof-kernel, run by src/input/pprof/kernel.ts) against the
 * JavaScript decoder, which is the reference: on every profile in the repository and on seeded
 * mutations of them, `decodePprof` (kernel first) and `decodePprofJs` must agree exactly, the same
 * model or the same error; and `top` / `peek` / `traces` from the kernel's columns must equal the
 * same reports from the object model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildNodes, computeWeights } from '../../../src/analysis/graph.js';
import { top } from '../../../src/analysis/top.js';
import '../../../src/profile/regex.js';
import { decodePprof, decodePprofJs } from '../../../src/input/pprof/decode.js';
import { KERNEL_MAX_INPUT, lastKernelCode, runKernel } from '../../../src/input/pprof/kernel.js';
import type { Profile } from '../../../src/profile/model.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

/** Every profile.proto in the repository (raw bytes), by relative path. */
const PROTOS: [string, Uint8Array][] = [...files(join(ROOT, 'test', 'fixtures')), ...files(join(ROOT, 'samples'))]
  .map((f): [string, Uint8Array] | undefined => {
    // A plain Uint8Array: Buffer's slice() is a view, and the mutation test below copies with slice().
    let b = new Uint8Array(readFileSync(f));
    if (b[0] === 0x1f && b[1] === 0x8b) {
      try {
        b = new Uint8Array(gunzipSync(b));
        if (b[0] === 0x1f && b[1] === 0x8b) b = new Uint8Array(gunzipSync(b));
      } catch {
        return undefined;
      }
    }
    try {
      decodePprofJs(b);
    } catch {
      return undefined;
    }
    return [f.slice(ROOT.length + 1), b];
  })
  .filter((x): x is [string, Uint8Array] => x !== undefined && x[1].length <= KERNEL_MAX_INPUT);

/** The profile as plain data (the kernel's lazy functions/locations read, columns left out). */
function plain(p: Profile): Record<string, unknown> {
  return { ...p, functions: p.functions, locations: p.locations };
}

type Outcome = { model: Record<string, unknown> } | { error: string; name: string };

function outcome(decode: (b: Uint8Array) => Profile, b: Uint8Array): Outcome {
  try {
    return { model: plain(decode(b)) };
  } catch (err) {
    const e = err as Error;
    return { error: e.message, name: e.constructor.name };
  }
}

describe('kernel decoder', () => {
  it('finds the repository profiles', () => {
    expect(PROTOS.length).toBeGreaterThan(60);
  });

  it('decodes the usual Go profiles itself (the fast path is the one used)', () => {
    const accepted = PROTOS.filter(([, b]) => runKernel(b) !== undefined).map(([f]) => f);
    for (const f of [
      'test/fixtures/large.cpu.pb.gz',
      'samples/docs/etcd-3.2.23-leader-heap.pb.gz',
      'samples/etcd-3.4.23/many-watchers/heap.pb.gz',
      'test/fixtures/go/cpu.pb.gz',
      'test/fixtures/go/goroutine.pb.gz',
    ]) {
      expect(accepted).toContain(f);
    }
    expect(accepted.length / PROTOS.length).toBeGreaterThan(0.9);
  });

  it('gives the same model as the JavaScript decoder on every repository profile', () => {
    for (const [f, b] of PROTOS) {
      const k = decodePprof(b);
      expect(plain(k), f).toStrictEqual(plain(decodePprofJs(b)));
    }
  });

  it('declines what it does not handle, and the JavaScript decoder decodes it', () => {
    // A function with a field the kernel does not know (field 9, skipped by both decoders).
    const withExtra = PROTOS.find(([f]) => f === 'test/fixtures/go/cpu.pb.gz')![1];
    expect(runKernel(withExtra)).toBeDefined();
    const extra = new Uint8Array([...withExtra, 0x48, 0x01]); // top-level field 9 = time_nanos again
    expect(outcome(decodePprof, extra)).toStrictEqual(outcome(decodePprofJs, extra));
  });

  it('agrees with the JavaScript decoder on 3,000 seeded mutations (same model or same error)', () => {
    let x = 12345;
    const rand = (n: number) => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return x % n;
    };
    const small = PROTOS.filter(([, b]) => b.length < 200_000);
    let kernelDecoded = 0;
    let same = 0;
    for (let i = 0; i < 3000; i++) {
      const [f, orig] = small[rand(small.length)]!;
      const b = orig.slice();
      const op = rand(4);
      let what = '';
      if (op === 0) {
        const at = rand(b.length);
        b[at] = rand(256);
        what = `byte ${at} = ${b[at]}`;
      } else if (op === 1) {
        const at = rand(b.length);
        b[at]! ^= 1 << rand(8);
        what = `bit flip at ${at}`;
      } else if (op === 2) {
        const n = rand(b.length);
        what = `cut at ${n}`;
        const k = outcome(decodePprof, b.subarray(0, n));
        expect(k, `${f} ${what}`).toStrictEqual(outcome(decodePprofJs, b.subarray(0, n)));
        same++;
        continue;
      } else {
        const at = rand(b.length);
        b.copyWithin(at, rand(b.length));
        what = `copyWithin at ${at}`;
      }
      const k = outcome(decodePprof, b);
      if (lastKernelCode === 0) kernelDecoded++;
      expect(k, `${f} ${what}`).toStrictEqual(outcome(decodePprofJs, b));
      same++;
    }
    expect(same).toBe(3000);
    // Some mutations keep a valid profile (49 with this seed): those went through the kernel.
    expect(kernelDecoded).toBeGreaterThan(20);
  });
});

describe('graph from the kernel columns', () => {
  const optionSets = [{}, { cum: true }, { nodeCount: 5 }, { noInlines: true }, { nodeFraction: 0 }];

  it('top equals top on the object model, for every sample type', () => {
    let viaKernel = 0;
    for (const [f, b] of PROTOS) {
      const k = decodePprof(b);
      // A spread copy has no columns: the object path.
      const o = { ...decodePprofJs(b) };
      if (k.columns && buildNodes(k, 'functions', false).kernel) viaKernel++;
      for (let si = 0; si < k.sampleTypes.length; si++) {
        for (const opts of optionSets) {
          const a = top(k, { ...opts, sampleIndex: si });
          expect(a, `${f} ${si} ${JSON.stringify(opts)}`).toStrictEqual(top(o, { ...opts, sampleIndex: si }));
        }
      }
    }
    expect(viaKernel).toBeGreaterThan(50);
  });

  it('weights equal the JavaScript loop exactly (the same doubles)', () => {
    for (const [f, b] of PROTOS.slice(0, 40)) {
      const k = decodePprof(b);
      const nodes = buildNodes(k, 'functions', false);
      if (!nodes.kernel) continue;
      const js = computeWeights({ ...k, samples: { ...k.samples } }, nodes, k.sampleTypes.length - 1);
      const wasm = computeWeights(k, nodes, k.sampleTypes.length - 1);
      expect(Array.from(wasm.flat), f).toStrictEqual(Array.from(js.flat));
      expect(Array.from(wasm.cum), f).toStrictEqual(Array.from(js.cum));
    }
  });

  it('nodes for one layout stay right after the other layout was computed', () => {
    const b = PROTOS.find(([f]) => f === 'test/fixtures/large.cpu.pb.gz')![1];
    const k = decodePprof(b);
    const withInlines = buildNodes(k, 'functions', false);
    const noInlines = buildNodes(k, 'functions', true);
    const w1 = computeWeights(k, withInlines, 1);
    const w2 = computeWeights(k, noInlines, 1);
    const again = computeWeights(k, withInlines, 1);
    expect(Array.from(again.cum)).toStrictEqual(Array.from(w1.cum));
    expect(w2.cum.length).toBe(noInlines.count);
  });
});
