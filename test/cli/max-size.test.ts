/** `--max-size`: parsing of sizes, and the cap reaching the loader in top / peek / traces. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxSizeFromArgs, parseSize } from '../../src/cli/options.js';
import { UserError } from '../../src/errors.js';
import { ensureBuilt, root, runCli } from './cli-helpers.js';

const LARGE = 'test/fixtures/large.cpu.pb.gz';

describe('parseSize', () => {
  it('reads bytes, decimal and binary units, any case', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('512MB')).toBe(512e6);
    expect(parseSize('2gb')).toBe(2e9);
    expect(parseSize('512MiB')).toBe(512 * 1024 * 1024);
    expect(parseSize('8GiB')).toBe(8 * 1024 ** 3);
    expect(parseSize('8g')).toBe(8 * 1024 ** 3);
    expect(parseSize('1.5 KiB')).toBe(1536);
    expect(parseSize('100B')).toBe(100);
  });
  it('refuses what is not a positive size, with a UserError naming the option', () => {
    for (const bad of ['', 'abc', '-5', '0', '12 parsecs', '1e9', 'MB']) {
      expect(() => parseSize(bad), bad).toThrow(UserError);
    }
    expect(() => parseSize('x')).toThrow(/--max-size needs a size/);
  });
  it('maxSizeFromArgs takes the last value, undefined when absent', () => {
    expect(maxSizeFromArgs({})).toBeUndefined();
    expect(maxSizeFromArgs({ 'max-size': ['1MB', '2MB'] })).toBe(2e6);
  });
});

describe('--max-size on the commands', () => {
  beforeAll(() => ensureBuilt());
  const onDisk = statSync(join(root, LARGE)).size;

  it('top refuses a file above the cap, in one line, exit 2', () => {
    const r = runCli(['top', LARGE, '--max-size', '100KB']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/large\.cpu\.pb\.gz.*exceeds 97\.7 KiB .*--max-size/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('the cap also applies to the decompressed size', () => {
    // Above the gzipped size (1.2 MB), below the raw size (2.45 MB).
    const r = runCli(['peek', LARGE, 'time\\.Now', `--max-size=${onDisk + 1000}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/decompressed size exceeds/);
  });
  it('a cap above the size changes nothing', () => {
    const r = runCli(['traces', 'test/fixtures/pprof/labels-header.pb.gz', '--max-size', '1GiB']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^File: /);
  });
  it('a bad size is a usage error before any reading', () => {
    const r = runCli(['top', 'no-such-file.pb.gz', '--max-size', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "pprof-doctor: --max-size needs a size such as 512MB, 8GiB or a number of bytes, got 'lots'\n",
    );
  });
});
