/**
 * Issue #13, sample and decompression bombs: every count the decoder turns into memory (samples,
 * locations, functions, strings, sample types, comments, labels, stack depth) and the gzip ratio
 * is bounded before the memory is spent, with a one-line error naming the limit and `--max`.
 * Inputs are generated here (scripts/fuzz/synth.mjs); both decoders (the WebAssembly kernel for
 * inputs up to 16 MiB, the JavaScript one above) are checked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deepStackProfile, sampleBomb, sampleBombGzip } from '../../scripts/fuzz/synth.mjs';
import { FormatError, InputError } from '../../src/errors.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import { nodeGunzip } from '../../src/input/gzip-node.js';
import { DEFAULT_LIMITS, parseLimitArgs } from '../../src/input/limits.js';
import { loadProfile } from '../../src/input/load.js';
import { decodePprofJs } from '../../src/input/pprof/decode.js';
import { cliBuilt, runCli } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-input-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const message = (err as Error).message;
    expect(message).toMatch(/^[^\r\n]{1,299}$/);
    return message;
  }
  throw new Error('expected the input to be refused');
}

const parse = (bytes: Uint8Array, limits = {}) => parseProfileBytes(bytes, 'bomb.pb', { gunzip: nodeGunzip, limits });

describe('sample bombs', () => {
  it('a ~1 MB gzip inflating to 600 MiB of small samples is refused by the ratio, not a crash', () => {
    const bomb = sampleBombGzip(600);
    expect(bomb.length).toBeLessThan(1.5e6);
    const m = refused(() => parse(bomb));
    expect(m).toMatch(/^bomb\.pb: gzip data of [\d,]+ bytes inflates to more than .* over 100 times its size/);
    expect(m).toContain('--max ratio=N');
  });

  it('with the ratio raised, the sample count stops it while the top level is indexed', () => {
    const bomb = new Uint8Array(gzipSync(sampleBomb(1_200_000)));
    const m = refused(() => parse(bomb, { ratio: 100_000, samples: 1_000_000 }));
    expect(m).toBe(
      "bomb.pb: the profile has more than 1,000,000 samples (limit 'samples'; raise it with --max samples=N)",
    );
  });

  it('an uncompressed profile at the limit decodes; one sample more is refused (both decoders)', () => {
    const ok = sampleBomb(1000);
    expect(parse(ok, { samples: 1000 }).samples.length).toBe(1000);
    expect(decodePprofJs(ok, { ...DEFAULT_LIMITS, samples: 1000 }).samples.length).toBe(1000);
    const over = sampleBomb(1001);
    expect(refused(() => parse(over, { samples: 1000 }))).toMatch(/more than 1,000 samples/);
    expect(() => decodePprofJs(over, { ...DEFAULT_LIMITS, samples: 1000 })).toThrow(FormatError);
  });

  // Each record is the smallest message of its kind; the limit is checked before any is decoded.
  it.each([
    ['locations', Uint8Array.of(0x22, 0x00), /more than 100 locations/],
    ['functions', Uint8Array.of(0x2a, 0x00), /more than 100 functions/],
    ['strings', Uint8Array.of(0x32, 0x00), /more than 100 strings in its string table/],
    ['types', Uint8Array.of(0x0a, 0x00), /more than 100 sample types/],
    ['comments', Uint8Array.of(0x68, 0x00), /more than 100 comments/],
  ] as const)('%s: 101 of the smallest message are refused under a limit of 100', (name, record, pattern) => {
    const bytes = sampleBomb(101, record);
    const limits = { [name]: 100 };
    const m = refused(() => parse(bytes, limits));
    expect(m).toMatch(pattern);
    expect(m).toContain(`--max ${name}=N`);
    expect(() => decodePprofJs(bytes, { ...DEFAULT_LIMITS, ...limits })).toThrow(pattern);
  });

  it('labels: counted over all samples', () => {
    // sample { location_id: [1], value: [1], label { key: 3 ("main.f"), str: 1 } }
    const labelled = Uint8Array.of(0x12, 0x0b, 0x0a, 0x01, 0x01, 0x10, 0x01, 0x1a, 0x04, 0x08, 0x03, 0x10, 0x01);
    const bytes = sampleBomb(60, labelled);
    expect(parse(bytes, { labels: 60 }).samples.labels?.length).toBe(60);
    expect(refused(() => parse(bytes, { labels: 59 }))).toMatch(/more than 59 labels \(limit 'labels'/);
    expect(() => decodePprofJs(bytes, { ...DEFAULT_LIMITS, labels: 59 })).toThrow(/more than 59 labels/);
  });

  it('depth: a stack deeper than the limit is refused, at the limit it decodes', () => {
    const bytes = deepStackProfile(5000, 100);
    expect(parse(bytes, { depth: 5000 }).samples.length).toBe(3);
    expect(refused(() => parse(bytes, { depth: 4999 }))).toMatch(/more than 4,999 frames in one stack/);
    expect(() => decodePprofJs(bytes, { ...DEFAULT_LIMITS, depth: 4999 })).toThrow(/frames in one stack/);
  });

  it('loadProfile applies the same limits', async () => {
    await expect(loadProfile(sampleBomb(11), { name: 'x.pb', limits: { samples: 10 } })).rejects.toThrow(
      /^x\.pb: the profile has more than 10 samples/,
    );
  });
});

describe('--max', () => {
  it('parses NAME=N, repeated and comma-separated; refuses anything else', () => {
    expect(parseLimitArgs(['samples=20000000', 'depth=2e6,ratio=1000'])).toEqual({
      samples: 20_000_000,
      depth: 2_000_000,
      ratio: 1000,
    });
    expect(() => parseLimitArgs(['sample=1'])).toThrow(/--max needs NAME=N with NAME one of samples, /);
    expect(() => parseLimitArgs(['samples=0'])).toThrow(/must be a whole number/);
    expect(() => parseLimitArgs(['samples=-1'])).toThrow(/--max needs NAME=N/);
  });

  it.skipIf(!cliBuilt())(
    'through the CLI: exit 2, one line naming the option; raising it reads the profile',
    async () => {
      const f = join(tmp, 'many.pb');
      writeFileSync(f, sampleBomb(2000));
      const r = await runCli(['top', f, '--max', 'samples=1000']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `pprof-doctor: ${f}: the profile has more than 1,000 samples (limit 'samples'; raise it with --max samples=N)\n`,
      );
      const ok = await runCli(['top', f, '--max', 'samples=2000']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/main\.f/);
      const a = await runCli(['analyze', f, '--max', 'samples=1000']);
      expect(a.code).toBe(2);
      expect(a.stderr).toMatch(/more than 1,000 samples.*--max samples=N\)\n$/);
    },
  );
});
