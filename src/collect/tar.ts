/**
 * Packs a collected bundle as a .tar.gz for a ticket: POSIX ustar entries (regular files and their
 * folders, mode 0644/0755, owner 0), gzipped with Node's zlib. A bundle is a few dozen files under
 * short names, so the ustar subset is all that is needed and no dependency is taken for it; `tar
 * -tzvf` lists the result (see test/collect/tar.test.ts). Node-only.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../errors.js';

const BLOCK = 512;

/** A ustar header for `name` (folders end with '/'). Throws when the name does not fit ustar's 100+155 bytes. */
export function ustarHeader(name: string, size: number, mtimeSec: number, isDir: boolean): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const enc = new TextEncoder();
  const bytes = enc.encode(name);
  let prefix = new Uint8Array(0);
  let base = bytes;
  if (bytes.length > 100) {
    // Split at a '/' so that the prefix fits 155 bytes and the rest 100.
    let cut = -1;
    for (let i = Math.min(bytes.length - 1, 155); i > 0; i--) {
      if (bytes[i] === 0x2f && bytes.length - i - 1 <= 100 && bytes.length - i - 1 > 0) {
        cut = i;
        break;
      }
    }
    if (cut < 0) throw new UserError(`cannot pack '${name}': the path is too long for a tar archive`);
    prefix = bytes.subarray(0, cut);
    base = bytes.subarray(cut + 1);
  }
  const octal = (v: number, width: number) => enc.encode(`${v.toString(8).padStart(width - 1, '0')}\0`);
  h.set(base, 0);
  h.set(octal(isDir ? 0o755 : 0o644, 8), 100);
  h.set(octal(0, 8), 108);
  h.set(octal(0, 8), 116);
  if (size >= 8 ** 11) throw new UserError(`cannot pack '${name}': larger than 8 GiB`);
  h.set(octal(size, 12), 124);
  h.set(octal(Math.max(0, Math.floor(mtimeSec)), 12), 136);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h[156] = isDir ? 0x35 : 0x30; // '5' folder, '0' file
  h.set(enc.encode('ustar\0'), 257);
  h.set(enc.encode('00'), 263);
  h.set(prefix, 345);
  let sum = 0;
  for (const b of h) sum += b;
  h.set(enc.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  return h;
}

/** The archive (not yet gzipped) of `entries`, in order. */
export function ustar(entries: readonly { name: string; data?: Uint8Array }[], mtimeSec: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const isDir = e.data === undefined;
    const size = e.data?.length ?? 0;
    parts.push(ustarHeader(isDir ? `${e.name.replace(/\/$/, '')}/` : e.name, size, mtimeSec, isDir));
    if (e.data) {
      parts.push(e.data);
      const pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (pad) parts.push(new Uint8Array(pad));
    }
  }
  parts.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(parts);
}

/** `dir`'s files (recursively, sorted, regular files only) under `root/` in a .tar.gz. */
export async function packTarGz(dir: string, root: string, mtime = new Date()): Promise<Uint8Array> {
  const entries: { name: string; data?: Uint8Array }[] = [{ name: root }];
  const walk = async (abs: string, rel: string): Promise<void> => {
    const list = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const d of list) {
      const name = `${rel}/${d.name}`;
      if (d.isDirectory()) {
        entries.push({ name });
        await walk(join(abs, d.name), name);
      } else if (d.isFile()) {
        entries.push({ name, data: new Uint8Array(await readFile(join(abs, d.name))) });
      }
    }
  };
  await walk(dir, root);
  return gzipSync(ustar(entries, mtime.getTime() / 1000));
}
