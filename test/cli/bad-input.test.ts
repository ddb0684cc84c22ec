/**
 * Bad input through the CLI: exactly one line on stderr naming the file, exit code 2, no stack
 * trace, nothing on stdout. Inputs are generated here, in a temp dir.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePprof } from '../../src/profile/encode.js';
import { buildProfile } from '../helpers/build-profile.js';
import { ensureBuilt, runCli } from './cli-helpers.js';

let dir = '';

/** A deterministic pseudo-random byte string. */
function randomBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const files: Record<string, Buffer | string | null> = {};

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-bad-'));
  const good = Buffer.from(
    encodePprof(
      buildProfile({
        samples: [
          [
            ['main.work', 'main.main'],
            [1, 10_000_000],
          ],
        ],
      }),
    ),
  );
  const gz = gzipSync(good);
  // sample_type { type: 5, unit: 0 } with a string table of just "": index 5 does not exist.
  const badIndex = Buffer.from([0x0a, 0x04, 0x08, 0x05, 0x10, 0x00, 0x32, 0x00]);
  Object.assign(files, {
    'empty.pb.gz': Buffer.alloc(0),
    'random.bin': randomBytes(4096, 42),
    'truncated.pb.gz': gz.subarray(0, Math.floor(gz.length / 2)),
    'image.png': Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
    ]),
    'profile.json': JSON.stringify({ nodes: [], samples: [], timeDeltas: [] }),
    'string-index.pb': badIndex,
    'string-index.pb.gz': gzipSync(badIndex),
    'concatenated.pb.gz': Buffer.concat([gz, gz]),
    'concatenated.pb': Buffer.concat([good, good]),
  });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data!);
  mkdirSync(join(dir, 'a-directory'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectOneLineError(path: string, command = 'top'): string {
  const r = runCli(command === 'peek' ? ['peek', path, 'main'] : [command, path]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines, r.stderr).toHaveLength(2); // one line + the final newline
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(/^pprof-doctor: /);
  expect(lines[0]).toContain(path);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|internal error/);
  return lines[0]!;
}

describe('bad input', () => {
  it.each([
    'empty.pb.gz',
    'random.bin',
    'truncated.pb.gz',
    'image.png',
    'profile.json',
    'string-index.pb',
    'string-index.pb.gz',
    'concatenated.pb.gz',
    'concatenated.pb',
  ])('%s', (name) => {
    expectOneLineError(join(dir, name));
  });

  it('a directory', () => {
    expect(expectOneLineError(join(dir, 'a-directory'))).toMatch(/directory/);
  });

  it('a missing file', () => {
    expect(expectOneLineError(join(dir, 'does-not-exist.pb.gz'))).toMatch(/no such file/);
  });

  it.each(['peek', 'traces'])('the same for %s', (command) => {
    expectOneLineError(join(dir, 'truncated.pb.gz'), command);
  });
});
