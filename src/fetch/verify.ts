/**
 * Is a download a profile? Sniffs the bytes, and for gzip also decompresses them and checks that
 * what is inside is a pprof protobuf, so a truncated or corrupt download is caught here rather than
 * later. Node-only (zlib).
 */
import { gunzipSync } from 'node:zlib';
import { DEFAULT_LIMITS, RATIO_FLOOR } from '../input/limits.js';
import { type Sniffed, isProtobufProfile, sniffContent } from './sniff.js';

export interface Verified extends Sniffed {
  /** Why bytes that look like a profile are not one after all (corrupt gzip, not pprof inside). */
  problem?: string;
}

/** Beyond this, decompressing only to check would cost too much memory: gzip magic is enough. */
const MAX_CHECKED_INFLATED = 1 << 30;

export function verifyDownload(bytes: Uint8Array): Verified {
  const s = sniffContent(bytes);
  if (s.kind !== 'pprof-gzip') return s;
  let inner: Uint8Array;
  try {
    // Also bounded by the gzip ratio cap (limits.ts): a bomb is left for the loader to refuse.
    const cap = Math.min(MAX_CHECKED_INFLATED, Math.max(RATIO_FLOOR, bytes.length * DEFAULT_LIMITS.ratio));
    inner = gunzipSync(bytes, { maxOutputLength: cap, chunkSize: 1 << 20 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return s;
    const why = code === 'Z_BUF_ERROR' ? 'it ends early: truncated download' : 'corrupt data';
    return { ...s, isProfile: false, problem: `gzip data that does not decompress (${why})` };
  }
  if (inner.length === 0 || isProtobufProfile(inner)) return s;
  const innerKind = sniffContent(inner);
  if (innerKind.kind === 'text-profile') return s;
  return { ...s, isProfile: false, problem: `gzip data holding ${innerKind.description}, not a pprof profile` };
}
