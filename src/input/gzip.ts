/**
 * gzip handling that does not depend on the runtime: magic sniffing, the size cap, the
 * "gzipped twice" case, and the error wording. The inflater itself is pluggable (`GunzipFn`);
 * the Node one (zlib) lives in gzip-node.ts and registers itself as the default when imported.
 */
import { FormatError, InputError } from '../errors.js';
import type { Profile } from '../profile/model.js';
import { DEFAULT_LIMITS, RATIO_FLOOR, ratioExceeded } from './limits.js';

/**
 * Inflates a complete gzip stream (all members, concatenated, as Go's reader does), producing at
 * most `maxSize` bytes. Throws `FormatError` with one of the messages built below.
 */
export type GunzipFn = ((bytes: Uint8Array, maxSize: number) => Uint8Array) & {
  /**
   * Optional: the first decompressed bytes of a stream, from its first `n` compressed bytes (a
   * cut stream is fine); empty when they cannot be had. Lets a large stream be judged early.
   */
  head?: (bytes: Uint8Array, n: number) => Uint8Array;
};

/** Above this output cap, the first decompressed bytes are judged before the whole is inflated. */
export const SNIFF_ABOVE = 16 * 1024 * 1024;
/** Compressed bytes inflated for that judgement (deflate expands at most ~1,032×: ≤ 4.2 MB). */
export const SNIFF_INPUT = 4096;

/**
 * Default cap on decompressed size: 1 GiB. Sized for a 24 GB machine: analysing a profile takes about
 * 7× its raw size at peak (1.6 GB for 220 MB, BENCHMARKS.md), so 1 GiB raw stays well inside 24 GB,
 * while a gzip bomb is refused after ~1 s instead of ~6 s at 4 GiB. `--max-size` raises it.
 */
export const DEFAULT_MAX_SIZE = 1024 * 1024 * 1024;

let defaultGunzip: GunzipFn | undefined;

/** Installs the inflater used when a caller does not pass one (gzip-node.ts does this). */
export function setDefaultGunzip(fn: GunzipFn): void {
  defaultGunzip = fn;
}

export function getDefaultGunzip(): GunzipFn | undefined {
  return defaultGunzip;
}

/** gzip magic (1f 8b), the same test pprof uses. */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** "4 GiB", "512 MiB", "1.5 KiB", "100 bytes". */
export function formatSize(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${n} bytes`;
  const s = Number.isInteger(v) ? String(v) : v.toFixed(1).replace(/\.0$/, '');
  return `${s} ${units[u]}`;
}

export function sizeExceeded(maxSize: number): FormatError {
  return new FormatError(`decompressed size exceeds ${formatSize(maxSize)} (use --max-size to raise it)`);
}

export function truncatedGzip(): FormatError {
  return new FormatError('truncated gzip data (the download may have been cut off)');
}

export function corruptGzip(detail: string): FormatError {
  return new FormatError(`corrupt gzip data (${detail})`);
}

export interface InflateResult {
  data: Uint8Array;
  /** gzip layers removed: 0 (not gzipped), 1, or 2 (gzipped twice). */
  layers: number;
}

/**
 * Removes gzip compression if present. A gzip stream inside a gzip stream (a `.pb.gz` gzipped
 * again, e.g. by a web server) is inflated once more; a third layer is refused.
 *
 * Output is capped at `maxSize` and, past RATIO_FLOOR bytes, at `ratio` times the compressed size
 * (see limits.ts): a 1 MB gzip of zeros is refused after 100 MB instead of after 1 GiB.
 */
export function inflateIfGzip(
  bytes: Uint8Array,
  maxSize: number,
  gunzip: GunzipFn | undefined,
  ratio: number = DEFAULT_LIMITS.ratio,
  refuseHead?: (head: Uint8Array) => string | undefined,
): InflateResult {
  if (!isGzip(bytes)) return { data: bytes, layers: 0 };
  const fn = gunzip ?? defaultGunzip;
  if (!fn) throw new FormatError('gzip-compressed, and no gunzip is available in this environment');
  const byRatio = Math.max(RATIO_FLOOR, bytes.length * ratio);
  const cap = Math.min(maxSize, byRatio);
  // A stream that may inflate to a lot: its first kilobytes can already show it is no profile.
  if (refuseHead && fn.head && cap > SNIFF_ABOVE) {
    const head = fn.head(bytes, SNIFF_INPUT);
    const why = isGzip(head) ? undefined : refuseHead(head);
    if (why) throw new FormatError(why);
  }
  const run = (input: Uint8Array): Uint8Array => {
    try {
      return fn(input, cap);
    } catch (err) {
      if (cap < maxSize && err instanceof FormatError && err.message === sizeExceeded(cap).message) {
        throw ratioExceeded(ratio, bytes.length, formatSize(cap));
      }
      throw err;
    }
  };
  let data = run(bytes);
  if (!isGzip(data)) return { data, layers: 1 };
  data = run(data);
  if (isGzip(data)) throw new FormatError('gzip-compressed more than twice; decompress it first');
  return { data, layers: 2 };
}

/** `inflateIfGzip` for a named input: problems become one-line `InputError`s naming it. */
export function inflateInput(
  bytes: Uint8Array,
  name: string,
  maxSize: number,
  gunzip: GunzipFn | undefined,
  ratio?: number,
  refuseHead?: (head: Uint8Array) => string | undefined,
): InflateResult {
  if (bytes.length === 0) throw new InputError(name, 'empty file');
  let r: InflateResult;
  try {
    r = inflateIfGzip(bytes, maxSize, gunzip, ratio, refuseHead);
  } catch (err) {
    if (err instanceof FormatError) throw new InputError(name, err.message);
    throw err;
  }
  if (r.data.length === 0) throw new InputError(name, 'empty file (the gzip data decompresses to nothing)');
  return r;
}

/** Records where a profile came from (its name, size as given, gzip layers) in `profile.source`. */
export function recordInput(profile: Profile, name: string, bytes: number, layers: number): Profile {
  const src = profile.source;
  src.path = name;
  src.bytes = bytes;
  src.gzipped = layers > 0;
  if (layers === 2) src.notes.push('the file was gzip-compressed twice; both layers were removed');
  return profile;
}
