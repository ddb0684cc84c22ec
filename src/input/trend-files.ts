/**
 * The files `trend` reads, and the member each came from. An argument is one of:
 *
 *  - a file (or `-`): read as given, no member;
 *  - a bundle written by `pprof-doctor collect` (a folder with manifest.json): its kept profiles,
 *    each with the member and kind the manifest gives it (metrics, version and status files are
 *    not profiles and are left out);
 *  - a folder: its profile files (no member), and for each sub-folder either a bundle (a folder of
 *    hourly collections) or, without a manifest, a member named after the sub-folder.
 *
 * Files that are not profiles by their name (.json, .md, .txt, scripts…) are skipped in folders.
 * A folder with no profile in it is a one-line error naming it. Node only.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, parseManifest } from '../collect/manifest.js';
import { InputError } from '../errors.js';
import { expandProfilePaths } from './load.js';

export interface TrendFile {
  path: string;
  member?: string;
  /** The manifest's kind (heap, allocs, goroutine, goroutine-debug2, cpu, mutex, block). */
  kind?: string;
}

/** Files in a series folder that are not profiles. */
export const NOT_A_PROFILE = /\.(json|md|yaml|yml|sh|log|txt)$/i;

/** Manifest kinds that are profiles. */
const PROFILE_KINDS = new Set(['heap', 'allocs', 'goroutine', 'goroutine-debug2', 'cpu', 'mutex', 'block']);

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    // expandProfilePaths words the error (missing, permission…) as every command does.
    await expandProfilePaths([path]);
    return false;
  }
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => !d.name.startsWith('.'));
  } catch {
    await expandProfilePaths([dir]);
    return [];
  }
}

async function hasManifest(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, MANIFEST_FILE))).isFile();
  } catch {
    return false;
  }
}

/** The profiles a `collect` bundle kept, with their member and kind. */
export async function bundleFiles(dir: string): Promise<TrendFile[]> {
  const where = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(where, 'utf8');
  } catch {
    throw new InputError(where, 'cannot read the bundle manifest');
  }
  const m = parseManifest(text);
  if (typeof m === 'string') throw new InputError(where, `not a bundle manifest (${m})`);
  return m.files
    .filter((f) => f.path !== undefined && !f.error && !f.skipped && PROFILE_KINDS.has(f.kind))
    .map((f) => ({ path: join(dir, f.path!), member: f.member, kind: f.kind }));
}

function profileFiles(dir: string, list: Dirent[]): string[] {
  return list
    .filter((d) => (d.isFile() || d.isSymbolicLink()) && !NOT_A_PROFILE.test(d.name))
    .map((d) => d.name)
    .sort(byName)
    .map((n) => join(dir, n));
}

async function folderFiles(dir: string): Promise<TrendFile[]> {
  if (await hasManifest(dir)) return bundleFiles(dir);
  const list = await entries(dir);
  const out: TrendFile[] = profileFiles(dir, list).map((path) => ({ path }));
  const subs = list
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort(byName);
  for (const name of subs) {
    const sub = join(dir, name);
    if (await hasManifest(sub)) out.push(...(await bundleFiles(sub)));
    else for (const path of profileFiles(sub, await entries(sub))) out.push({ path, member: name });
  }
  if (out.length === 0) throw new InputError(dir, 'is a directory with no profile files in it');
  return out;
}

export async function trendFiles(args: readonly string[]): Promise<TrendFile[]> {
  const out: TrendFile[] = [];
  for (const arg of args) {
    if (arg !== '-' && (await isDirectory(arg))) out.push(...(await folderFiles(arg)));
    else out.push({ path: arg });
  }
  return out;
}
