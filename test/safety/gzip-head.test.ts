/**
 * A large gzip stream is judged by its first decompressed bytes before it is inflated: a stream of
 * zero bytes (the cheapest gzip bomb) is refused at once with the message the full decode would
 * end with, while profiles, double-gzipped data and small streams go on as before.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import type { GunzipFn } from '../../src/input/gzip.js';
import { nodeGunzip } from '../../src/input/gzip-node.js';
import { loadProfile } from '../../src/input/load.js';
import { refuseHead } from '../../src/input/sniff.js';

/** `members` gzip members of 1 MiB of zero bytes each: a multi-member stream, ~1 kB per MiB. */
function zeroStream(members: number): Uint8Array {
  const one = gzipSync(Buffer.alloc(1 << 20));
  const out = new Uint8Array(one.length * members);
  for (let i = 0; i < members; i++) out.set(one, i * one.length);
  return out;
}

/** nodeGunzip that counts full inflates. */
function counting(): { fn: GunzipFn; full: () => number } {
  let n = 0;
  const fn: GunzipFn = Object.assign(
    (b: Uint8Array, max: number) => {
      n++;
      return nodeGunzip(b, max);
    },
    { head: nodeGunzip.head },
  );
  return { fn, full: () => n };
}

describe('gzip head sniffing', () => {
  it('refuses a large stream of zero bytes without inflating it', async () => {
    const bomb = zeroStream(400); // 400 MiB of zeros in ~400 kB: the output cap is 40 MB by ratio
    const { fn, full } = counting();
    expect(() => parseProfileBytes(bomb, 'zeros.pb.gz', { gunzip: fn })).toThrow(
      new InputError(
        'zeros.pb.gz',
        'not a pprof profile: gzip-compressed data that is not a profile inside (starts with 00 00 00 00 00 00 00 00; a profile never starts with a zero byte)',
      ),
    );
    expect(full()).toBe(0);
    // The loader (the CLI's path) says the same.
    await expect(loadProfile(bomb, { name: 'zeros.pb.gz' })).rejects.toThrow(/a profile never starts with a zero byte/);
  });

  it('under a small --max-size the full decode judges, as before (the sniff is for large output caps)', () => {
    const small = zeroStream(4);
    const { fn, full } = counting();
    expect(() => parseProfileBytes(small, 'small.pb.gz', { gunzip: fn, maxSize: 8 << 20 })).toThrow(
      /not a pprof profile: gzip-compressed data that is not a profile inside \(starts with 00 00 00 00 00 00 00 00; protobuf decoding stopped/,
    );
    expect(full()).toBe(1);
  });

  it('a real profile passes the sniff and decodes', () => {
    const { fn, full } = counting();
    const p = parseProfileBytes(new Uint8Array(readFileSync('test/fixtures/large.cpu.pb.gz')), 'large.cpu', {
      gunzip: fn,
    });
    expect(p.samples.length).toBe(20430);
    expect(full()).toBe(1);
  });

  it('a gperftools CPU profile (it starts with zero words) gets its own message, as from the full decode', () => {
    const words = new Uint8Array(8 * 5 + (40 << 20)); // 64-bit header words 0, 3, 0, period, 0, then zeros
    words[8] = 3;
    words[24] = 100;
    const gz = gzipSync(words);
    expect(() => parseProfileBytes(gz, 'legacy.prof.gz')).toThrow(/legacy gperftools CPU profile/);
  });

  it('judges only a leading zero byte', () => {
    expect(refuseHead(new Uint8Array([0x0a, 0x00]))).toBeUndefined();
    expect(refuseHead(new TextEncoder().encode('goroutine profile: total 3\n'))).toBeUndefined();
    expect(refuseHead(new Uint8Array(0))).toBeUndefined();
    expect(refuseHead(new Uint8Array(16))).toMatch(/never starts with a zero byte/);
  });

  it('the head of a cut or corrupt stream is empty, never an error', () => {
    expect(nodeGunzip.head?.(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), 4096).length).toBe(0);
    const gz = gzipSync(Buffer.from('goroutine profile: total 1\n'.repeat(1000)));
    expect(new TextDecoder().decode(nodeGunzip.head?.(gz.subarray(0, 80), 4096)).startsWith('goroutine profile')).toBe(
      true,
    );
  });
});
