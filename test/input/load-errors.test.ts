/**
 * File-system errors the test machine cannot produce for real (tests often run as root, where
 * chmod 000 does not stop a read): node:fs's stat and readFile are mocked to fail with each errno.
 */
import { describe, expect, it, vi } from 'vitest';

const failWith = vi.hoisted(() => ({ code: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const fail = (_path: unknown, cb: (err: Error) => void): void => {
    process.nextTick(() => cb(Object.assign(new Error(`${failWith.code}: simulated`), { code: failWith.code })));
  };
  return { ...real, stat: fail, readFile: fail };
});

const { loadProfile } = await import('../../src/input/load.js');
const { InputError } = await import('../../src/errors.js');

describe('loadProfile: file-system errors', () => {
  const cases: [string, string][] = [
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['ENOENT', 'no such file'],
    ['EISDIR', 'is a directory (give a profile file)'],
    ['ELOOP', 'too many levels of symbolic links'],
    ['EIO', 'I/O error while reading'],
    ['EWEIRD', 'cannot read (EWEIRD)'],
  ];
  for (const [code, problem] of cases) {
    it(code, async () => {
      failWith.code = code;
      const err = await loadProfile('/some/profile.pb.gz').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InstanceType<typeof InputError>).message).toBe(`/some/profile.pb.gz: ${problem}`);
    });
  }
});
