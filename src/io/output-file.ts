/**
 * Writing `-o FILE` safely, for every command that writes a file:
 *  - never over an input file (same path, or the same file through a link), not even with --force;
 *  - never over an existing file unless --force;
 *  - never a half-written file: without --force the file is created exclusively (O_EXCL) and removed
 *    again if writing fails; with --force the data goes to a temporary file beside it, renamed over;
 *    either is removed if the process is interrupted (SIGINT, SIGTERM) while it is being written;
 *  - --force replaces only a regular file, and keeps its permission bits: a symbolic link, a FIFO, a
 *    device or a socket at the path is refused (it would be replaced by a plain file, or the link's
 *    target left as it was while the user believes it was written).
 * Errors are UserErrors (one line, exit code 2) naming the file.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { promises as fsp, lstatSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

export interface WriteOutputOptions {
  /** Overwrite an existing file (never an input). */
  force?: boolean;
  /** Files the command reads (profiles, certificates, ...): the output must not be one of them. */
  inputs?: ReadonlyArray<string | undefined>;
}

/**
 * Checks that `path` may be written, without writing. Commands that work for a while before writing
 * (a 30 s CPU profile download) call this first, so a bad -o fails at once. writeOutputFile checks again.
 */
export function checkOutputPath(path: string, opts: WriteOutputOptions = {}): void {
  if (path === '') throw new UserError('-o needs a file name');
  const abs = resolve(path);
  let st: Stats | undefined;
  try {
    st = statSync(abs);
  } catch (err) {
    if (code(err) !== 'ENOENT') throw new UserError(`cannot write '${path}': ${fsReason(err)}`);
    // A dangling symbolic link: writing would create its target.
    const kind = notRegular(abs);
    if (kind) throw new UserError(`refusing to write '${path}': it is ${kind}, not a regular file`);
    const dir = dirname(abs);
    let dst: Stats | undefined;
    try {
      dst = statSync(dir);
    } catch {
      dst = undefined;
    }
    if (!dst?.isDirectory()) throw new UserError(`cannot write '${path}': directory '${dirname(path)}' does not exist`);
  }
  for (const input of opts.inputs ?? []) {
    if (input === undefined || input === '' || input === '-') continue;
    if (resolve(input) === abs || (st !== undefined && sameFile(st, input))) {
      throw new UserError(`refusing to write '${path}': it is an input file ('${input}')`);
    }
  }
  if (st?.isDirectory()) throw new UserError(`cannot write '${path}': it is a directory`);
  if (st !== undefined) {
    const kind = notRegular(abs);
    if (kind) throw new UserError(`refusing to write '${path}': it is ${kind}, not a regular file`);
  }
  if (st !== undefined && !opts.force) {
    throw new UserError(`'${path}' already exists; pass --force to overwrite it`);
  }
}

/** Writes `data` to `path` under the rules above. */
export async function writeOutputFile(
  path: string,
  data: Uint8Array | string,
  opts: WriteOutputOptions = {},
): Promise<void> {
  checkOutputPath(path, opts);
  const abs = resolve(path);
  if (!opts.force) {
    await writeExclusive(abs, path, data);
    return;
  }
  let mode: number | undefined;
  try {
    mode = lstatSync(abs).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pending.add(tmp);
  watchSignals();
  try {
    await writeExclusive(tmp, path, data);
    if (mode !== undefined) await fsp.chmod(tmp, mode);
    // Checked again just before the rename: the path may have changed during the write.
    const kind = notRegular(abs);
    if (kind) throw new UserError(`refusing to write '${path}': it is ${kind}, not a regular file`);
    await fsp.rename(tmp, abs);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot write '${path}': ${fsReason(err)}`);
  } finally {
    pending.delete(tmp);
  }
}

/** What is at `abs` when it is there and not a regular file ("a symbolic link", "a FIFO", ...). */
function notRegular(abs: string): string | undefined {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch {
    return undefined;
  }
  if (st.isFile()) return undefined;
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** Files being written right now: removed if a signal ends the process first. */
const pending = new Set<string>();
let watching = false;

function watchSignals(): void {
  if (watching) return;
  watching = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      for (const f of pending) rmSync(f, { force: true });
      pending.clear();
      // Then end the way the signal would have: remove our handler and send it again.
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/**
 * Creates `abs` exclusively and writes `data`; on failure removes what was created. `shown` is the
 * name used in messages. Throws UserError; EEXIST says "already exists".
 */
export async function writeExclusive(abs: string, shown: string, data: Uint8Array | string): Promise<void> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(abs, 'wx');
  } catch (err) {
    if (code(err) === 'EEXIST') throw new UserError(`'${shown}' already exists; pass --force to overwrite it`);
    throw new UserError(`cannot write '${shown}': ${fsReason(err)}`);
  }
  const ours = !pending.has(abs);
  if (ours) {
    pending.add(abs);
    watchSignals();
  }
  try {
    await fh.writeFile(data);
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fsp.rm(abs, { force: true });
    throw new UserError(`cannot write '${shown}': ${fsReason(err)}`);
  } finally {
    if (ours) pending.delete(abs);
  }
}

function sameFile(st: Stats, other: string): boolean {
  try {
    const o = statSync(other);
    return o.dev === st.dev && o.ino === st.ino;
  } catch {
    return false;
  }
}

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** A short reason for a file system error ('no such file or directory', 'permission denied', ...). */
export function fsReason(err: unknown): string {
  switch (code(err)) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    case 'EEXIST':
      return 'already exists';
    default:
      return code(err) ?? (err instanceof Error ? err.message : String(err));
  }
}
