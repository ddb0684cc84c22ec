/**
 * The Node loader: reads a profile from a file (or stdin, or bytes already in memory) and turns
 * every file-system problem into a one-line `InputError` naming the file. Parsing is what the
 * environment-neutral `parseProfileBytes` (detect.ts) does, with one difference: profile.proto is
 * decoded straight away, and detect.ts (with the text importers) is loaded only for other data,
 * which keeps `pprof-doctor top cpu.pb.gz` from compiling modules it does not use.
 */
import type { Dirent } from 'node:fs';
// The callback API, wrapped: importing node:fs/promises loads ~1.5 ms of Node internals that a
// one-file `top` run otherwise never needs.
import { readdir as readdirCb, readFile as readFileCb, stat as statCb, type Stats } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { Profile } from '../profile/model.js';
import { DEFAULT_MAX_SIZE, formatSize, inflateInput, recordInput } from './gzip.js';
import { nodeGunzip } from './gzip-node.js';
import { refuseHead } from './sniff.js';
import { type InputLimits, LimitError, resolveLimits } from './limits.js';
import { decodePprof, PprofDecodeError } from './pprof/decode.js';

function stat(path: string): Promise<Stats> {
  return new Promise((resolve, reject) => statCb(path, (err, st) => (err ? reject(err) : resolve(st))));
}

function readFile(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => readFileCb(path, (err, b) => (err ? reject(err) : resolve(b))));
}

function readdir(path: string, _opts: { withFileTypes: true }): Promise<Dirent[]> {
  return new Promise((resolve, reject) =>
    readdirCb(path, { withFileTypes: true }, (err, entries) => (err ? reject(err) : resolve(entries))),
  );
}

export interface LoadOptions {
  /** Cap on the (decompressed) profile size in bytes; default 1 GiB. */
  maxSize?: number;
  /** Name used in messages and `source.path`; defaults to the path (or `<bytes>` / `<stdin>`). */
  name?: string;
  /** Bounds on counts, stack depth and gzip ratio (limits.ts); defaults for the rest. */
  limits?: Partial<InputLimits>;
}

/**
 * Loads one profile. `source` is a file path, `-` for standard input, or the bytes themselves.
 * Never modifies its input.
 */
export async function loadProfile(source: string | Uint8Array, opts: LoadOptions = {}): Promise<Profile> {
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  let name: string;
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    name = opts.name ?? (source === '-' ? '<stdin>' : source);
    bytes = source === '-' ? await readStdin(name, maxSize) : await readProfileFile(source, name, maxSize);
  } else {
    name = opts.name ?? '<bytes>';
    bytes = source;
  }
  const limits = resolveLimits(opts.limits);
  const { data, layers } = inflateInput(bytes, name, maxSize, nodeGunzip, limits.ratio, refuseHead);
  let profile: Profile;
  try {
    profile = decodePprof(data, limits);
  } catch (err) {
    if (err instanceof LimitError) throw new InputError(name, err.message);
    if (!(err instanceof PprofDecodeError)) throw err;
    const { identifyNonProto } = await import('./detect.js');
    profile = identifyNonProto(data, name, layers > 0, err);
  }
  return recordInput(profile, name, bytes.length, layers);
}

/** Reads a file's bytes with file-system errors worded for the user. */
export async function readProfileFile(path: string, name = path, maxSize = DEFAULT_MAX_SIZE): Promise<Uint8Array> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new InputError(name, 'is a directory (give a profile file)');
    if (st.isFile() && st.size > maxSize) {
      throw new InputError(name, `file size exceeds ${formatSize(maxSize)} (use --max-size to raise it)`);
    }
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    throw fsError(err, name);
  }
}

async function readStdin(name: string, maxSize: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > maxSize)
      throw new InputError(name, `input exceeds ${formatSize(maxSize)} (use --max-size to raise it)`);
    chunks.push(b);
  }
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

/** One-line wording for the errors a read can hit. */
function fsError(err: unknown, name: string): Error {
  if (err instanceof InputError) return err;
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return new InputError(name, 'no such file');
    case 'ENOTDIR':
      return new InputError(name, 'no such file (a parent in the path is not a directory)');
    case 'EACCES':
    case 'EPERM':
      return new InputError(name, 'permission denied');
    case 'EISDIR':
      return new InputError(name, 'is a directory (give a profile file)');
    case 'ELOOP':
      return new InputError(name, 'too many levels of symbolic links');
    case 'ENAMETOOLONG':
      return new InputError(name, 'file name too long');
    case 'EMFILE':
    case 'ENFILE':
      return new InputError(name, 'too many open files');
    case 'EIO':
      return new InputError(name, 'I/O error while reading');
    default:
      if (e && typeof e.code === 'string') return new InputError(name, `cannot read (${e.code})`);
      return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Expands inputs for commands that take many profiles (trend, merge): a directory stands for its
 * regular, non-hidden files in name order (not recursive); files are kept as given. Missing paths
 * and unreadable directories are reported as `InputError`s.
 */
export async function expandProfilePaths(inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = (await stat(input)).isDirectory();
    } catch (err) {
      throw fsError(err, input);
    }
    if (!isDir) {
      out.push(input);
      continue;
    }
    let entries: Dirent[];
    try {
      entries = await readdir(input, { withFileTypes: true });
    } catch (err) {
      throw fsError(err, input);
    }
    const files = entries
      .filter((d) => !d.name.startsWith('.') && (d.isFile() || d.isSymbolicLink()))
      .map((d) => d.name)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (files.length === 0) throw new InputError(input, 'is a directory with no profile files in it');
    for (const f of files) out.push(join(input, f));
  }
  return out;
}
