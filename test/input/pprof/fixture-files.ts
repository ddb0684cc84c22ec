/**
 * The files in test/fixtures/pprof/: how each is made. fixtures.test.ts checks the committed files
 * against these builders (`UPDATE_FIXTURES=1 npx vitest run test/input/pprof` rewrites them).
 * `.gz` files are compared after gunzip, so a different zlib build does not break the check.
 */
import { gzipSync } from 'node:zlib';
import { deltaHeap, goStyleCpu, labelsAndHeader, minimal } from './handmade.js';
import { msg, num } from './proto-writer.js';

const gz = (b: Uint8Array): Uint8Array => new Uint8Array(gzipSync(b));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Deterministic pseudo-random bytes (an LCG), starting with a byte no profile starts with. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  out[0] = 0xc7;
  return out;
}

/** A 1×1 PNG. */
const PNG = Uint8Array.from(
  Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
    'hex',
  ),
);

export const FIXTURES: Record<string, () => Uint8Array> = {
  'go-style-cpu.pb': goStyleCpu,
  'delta-heap.pb.gz': () => gz(deltaHeap()),
  'labels-header.pb.gz': () => gz(labelsAndHeader()),
  'double-gzip.pb.gz': () => gz(gz(goStyleCpu())),
  'bad/empty.pb.gz': () => new Uint8Array(0),
  'bad/random.bin': () => randomBytes(4096, 42),
  'bad/truncated.pb.gz': () => gz(deltaHeap()).subarray(0, 100),
  'bad/image.png': () => PNG,
  'bad/profile.json': () => text('{"traceEvents": [], "displayTimeUnit": "ns"}\n'),
  'bad/error-page.html': () =>
    text('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>\n'),
  'bad/string-index.pb.gz': () => gz(minimal([msg(5, num(1, 2), num(2, 99))])),
  'bad/concatenated.pb.gz': () => Uint8Array.from([...gz(minimal([num(9, 1000)])), ...gz(minimal([num(9, 2000)]))]),
};
