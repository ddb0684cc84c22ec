/**
 * Upstream-module-path copies of the real etcd 3.5 samples, for tests.
 *
 * Debian (and Ubuntu) build etcd 3.5 in GOPATH mode, which drops the modules' major-version
 * suffix: the binary's frames read `go.etcd.io/etcd/server/mvcc.(*keyIndex).put`,
 * `go.etcd.io/etcd/api/etcdserverpb…`, `go.etcd.io/etcd/raft.(*node).Propose`. A release built
 * from the upstream modules names the same code `go.etcd.io/etcd/server/v3/mvcc…`,
 * `go.etcd.io/etcd/api/v3/…`, `go.etcd.io/etcd/raft/v3.(*node).Propose`. The module layout of the
 * 3.5 branch (each folder's go.mod): `api` → `api/v3`, `client/pkg` → `client/pkg/v3`,
 * `client/v2` and `client/v3` (the folder already carries the suffix), `pkg` → `pkg/v3`,
 * `raft` → `raft/v3`, `server` → `server/v3`, `etcdctl` → `etcdctl/v3`, `etcdutl` → `etcdutl/v3`.
 *
 * The copy changes only the strings of the profile's string table (function names, system names,
 * file names); every other byte of the proto is kept, so samples, values, locations and mappings
 * are exactly those of the recorded profile. Text profiles (debug=1 heap, debug=1/2 goroutine)
 * get the same rewrite line by line.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadProfile } from '../../src/input/load.js';
import type { Profile } from '../../src/profile/model.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folders holding the real etcd 3.5 recordings (Debian builds) that have an upstream-path copy. */
export const ETCD35_SAMPLE_ROOTS = [
  'samples/etcd-3.5.16',
  'samples/etcd-3.5.30',
  'samples/clients/etcd-client-3.5',
] as const;

/** Module folders of etcd 3.5 whose import path gains `/v3` upstream. */
const SUFFIXED = ['server', 'api', 'pkg', 'raft', 'client/pkg', 'etcdctl', 'etcdutl'];

// A package path starts at the beginning of the string or after a character that cannot be part
// of a path (space, tab, '(', '*', '[', ',', '=' …); it is followed by '/' (sub-package or file)
// or '.' (a function of the module's root package, e.g. `go.etcd.io/etcd/raft.(*node).Step`).
// Paths that already carry the suffix are left alone.
const MODULE_RE = new RegExp(
  `(?<![\\w.\\-/])go\\.etcd\\.io/etcd/(${SUFFIXED.map((m) => m.replace('/', '\\/')).join('|')})(?=[/.])(?!/v3(?=[/.]|$))`,
  'g',
);

/** `go.etcd.io/etcd/server/mvcc.(*keyIndex).put` → `go.etcd.io/etcd/server/v3/mvcc.(*keyIndex).put`. */
export function toUpstream35Path(s: string): string {
  return s.replace(MODULE_RE, 'go.etcd.io/etcd/$1/v3');
}

function readVarint(b: Uint8Array, at: number): [value: number, next: number] {
  let v = 0;
  let mul = 1;
  for (let i = at; i < b.length; i++) {
    const byte = b[i] as number;
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) return [v, i + 1];
    mul *= 128;
  }
  throw new Error('truncated varint');
}

function writeVarint(v: number, out: number[]): void {
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/**
 * Rewrites the string table (field 6 of profile.proto's Profile) of an uncompressed profile;
 * every other top-level field is copied byte for byte.
 */
export function rewriteProfileStrings(proto: Uint8Array, rewrite: (s: string) => string): Uint8Array {
  const chunks: Uint8Array[] = [];
  const dec = new TextDecoder('utf-8', { fatal: true });
  const enc = new TextEncoder();
  let at = 0;
  while (at < proto.length) {
    const start = at;
    const [key, afterKey] = readVarint(proto, at);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let end: number;
    if (wire === 0) end = readVarint(proto, afterKey)[1];
    else if (wire === 1) end = afterKey + 8;
    else if (wire === 5) end = afterKey + 4;
    else if (wire === 2) {
      const [len, afterLen] = readVarint(proto, afterKey);
      end = afterLen + len;
      if (end > proto.length) throw new Error(`field ${field} at byte ${start} runs past the end`);
      if (field === 6) {
        const s = rewrite(dec.decode(proto.subarray(afterLen, end)));
        const bytes = enc.encode(s);
        const head: number[] = [];
        writeVarint(key, head);
        writeVarint(bytes.length, head);
        chunks.push(Uint8Array.from(head), bytes);
        at = end;
        continue;
      }
    } else throw new Error(`unexpected wire type ${wire} at byte ${start}`);
    if (end > proto.length) throw new Error(`field ${field} at byte ${start} runs past the end`);
    chunks.push(proto.subarray(start, end));
    at = end;
  }
  return Buffer.concat(chunks);
}

/**
 * The upstream-path copy of one recorded file (path relative to the repository or absolute):
 * `.pb.gz` → gzipped proto with rewritten strings; any other file → its text rewritten.
 */
export function upstream35Copy(file: string): Uint8Array {
  const abs = file.startsWith('/') ? file : join(REPO_ROOT, file);
  const raw = readFileSync(abs);
  if (abs.endsWith('.pb.gz')) return gzipSync(rewriteProfileStrings(gunzipSync(raw), toUpstream35Path));
  return Buffer.from(toUpstream35Path(raw.toString('utf8')));
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Recorded profiles (proto and text) under the 3.5 sample roots, relative to the repository. */
export function etcd35ProfileFiles(roots: readonly string[] = ETCD35_SAMPLE_ROOTS): string[] {
  return roots.flatMap((root) =>
    (existsSync(join(REPO_ROOT, root)) ? listFiles(join(REPO_ROOT, root)) : [])
      .filter((f) => /\.pb\.gz$|\/(heap\.debug1|goroutine\.debug[12])\.txt$/.test(f))
      .map((f) => relative(REPO_ROOT, f)),
  );
}

/**
 * Writes the upstream-path copy of every 3.5 profile under `outDir`, keeping the layout
 * (`<outDir>/samples/etcd-3.5.16/idle/heap.pb.gz`, …). Returns the written paths. For CLI tests
 * that need files on disk (use a temporary folder).
 */
export function writeUpstream35Copies(outDir: string, roots: readonly string[] = ETCD35_SAMPLE_ROOTS): string[] {
  return etcd35ProfileFiles(roots).map((rel) => {
    const dest = join(outDir, rel);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, upstream35Copy(rel));
    return dest;
  });
}

/** The recorded profile `rel` (e.g. `samples/etcd-3.5.16/idle/heap.pb.gz`) as Debian named it. */
export function loadDebian35(rel: string): Promise<Profile> {
  return loadProfile(readFileSync(join(REPO_ROOT, rel)));
}

/** The same profile with upstream module paths (`go.etcd.io/etcd/server/v3/…`). */
export function loadUpstream35(rel: string): Promise<Profile> {
  return loadProfile(upstream35Copy(rel));
}
