import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkOutputPath, writeOutputFile } from '../../src/io/output-file.js';
import { UserError } from '../../src/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-out-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeOutputFile', () => {
  it('writes a new file with the exact bytes', async () => {
    const p = join(dir, 'out.pb.gz');
    const data = new Uint8Array([0x1f, 0x8b, 0, 1, 2, 255]);
    await writeOutputFile(p, data);
    expect(new Uint8Array(readFileSync(p))).toEqual(data);
  });
  it('refuses an existing file without --force, and leaves it alone', async () => {
    const p = join(dir, 'report.md');
    writeFileSync(p, 'old');
    await expect(writeOutputFile(p, 'new')).rejects.toThrow(`'${p}' already exists; pass --force to overwrite it`);
    expect(readFileSync(p, 'utf8')).toBe('old');
  });
  it('overwrites with --force, through a temporary file that does not stay behind', async () => {
    const p = join(dir, 'report.md');
    writeFileSync(p, 'old');
    await writeOutputFile(p, 'new', { force: true });
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report.md']);
  });
  it('never overwrites an input file, not even with --force: same path, other spelling, hard link, symlink', async () => {
    const input = join(dir, 'heap.pb.gz');
    writeFileSync(input, 'profile');
    const err = await writeOutputFile(input, 'x', { force: true, inputs: [input] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/refusing to write .*: it is an input file/);
    await expect(
      writeOutputFile(join(dir, '.', 'x', '..', 'heap.pb.gz'), 'x', { force: true, inputs: [input] }),
    ).rejects.toThrow(/input file/);
    linkSync(input, join(dir, 'hard'));
    await expect(writeOutputFile(join(dir, 'hard'), 'x', { force: true, inputs: [input] })).rejects.toThrow(
      /input file/,
    );
    symlinkSync(input, join(dir, 'soft'));
    await expect(writeOutputFile(join(dir, 'soft'), 'x', { force: true, inputs: [input] })).rejects.toThrow(
      /input file/,
    );
    expect(readFileSync(input, 'utf8')).toBe('profile');
  });
  it('says what is wrong with a directory or a missing parent', async () => {
    mkdirSync(join(dir, 'sub'));
    await expect(writeOutputFile(join(dir, 'sub'), 'x', { force: true })).rejects.toThrow(/it is a directory/);
    await expect(writeOutputFile(join(dir, 'nope', 'f'), 'x')).rejects.toThrow(/directory .* does not exist/);
    expect(() => checkOutputPath('')).toThrow(/-o needs a file name/);
  });
  it('checkOutputPath passes for a new file and ignores undefined inputs', () => {
    expect(() => checkOutputPath(join(dir, 'new.txt'), { inputs: [undefined, '-'] })).not.toThrow();
  });
});
