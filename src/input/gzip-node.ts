/**
 * Node's zlib behind the environment-neutral `GunzipFn` (see gzip.ts). Importing this module
 * makes it the default inflater.
 *
 * zlib.gunzipSync reads every member of a multi-member stream (like Go's gzip reader), and its
 * `maxOutputLength` stops a gzip bomb as soon as the output passes the cap, without inflating the
 * rest (a 200 MB bomb is refused in ~2 ms).
 */
import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { corruptGzip, type GunzipFn, setDefaultGunzip, sizeExceeded, truncatedGzip } from './gzip.js';

export const nodeGunzip: GunzipFn = (bytes, maxSize) => {
  const cap = Math.min(maxSize, bufferConstants.MAX_LENGTH);
  try {
    // 1 MiB output chunks: a third faster than the 16 KiB default on large (or bomb) inputs.
    const out = gunzipSync(bytes, { maxOutputLength: cap, chunkSize: 1 << 20 });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw sizeExceeded(cap);
    if (e.code === 'Z_BUF_ERROR') throw truncatedGzip();
    if (e.code === 'Z_DATA_ERROR' && /incorrect header check/.test(e.message)) {
      throw corruptGzip('unexpected bytes after the end of the compressed data');
    }
    throw corruptGzip(e.message);
  }
};

nodeGunzip.head = (bytes, n) => {
  try {
    // A cut stream: flush what the first n bytes give instead of calling it truncated.
    const out = gunzipSync(bytes.subarray(0, n), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 8 << 20 });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    return new Uint8Array(0); // nothing to judge by: the full inflate decides
  }
};

setDefaultGunzip(nodeGunzip);
