/**
 * Finds the members of a cluster in what `analyze` was given, and loads each member's files: a
 * `collect` bundle (manifest.json + one folder per member), a folder whose sub-folders each hold
 * one member's profiles (samples/…/put-1mb-3member), or several folders of profiles given
 * together. Each member's profiles, metrics.txt and status.json are read apart. Node-only.
 */
import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseStatus } from '../collect/member-info.js';
import { MANIFEST_FILE, type Manifest, parseManifest } from '../collect/manifest.js';
import { InputError, UserError } from '../errors.js';
import { loadProfile, readProfileFile } from '../input/load.js';
import { loadMetrics } from '../metrics/load.js';
import type { MemberInput } from './analyze-cluster.js';

/** Files in a member folder that are not profiles. */
const NOT_A_PROFILE = /\.(json|md|yaml|yml|sh|log|html|tar\.gz)$|(^|\/)metrics\.txt$/i;

export interface MemberDir {
  name: string;
  dir: string;
  endpoint?: string;
  error?: string;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => !d.name.startsWith('.'));
  } catch {
    return [];
  }
}

async function hasProfiles(dir: string): Promise<boolean> {
  return (await entries(dir)).some((d) => d.isFile() && !NOT_A_PROFILE.test(d.name));
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const m = parseManifest(text);
  if (typeof m === 'string') throw new InputError(join(dir, MANIFEST_FILE), `not a pprof-doctor manifest: ${m}`);
  return m;
}

/**
 * The members, when the arguments describe several processes of one cluster; undefined when they
 * are one process (the usual `analyze`).
 */
export async function findClusterMembers(args: readonly string[]): Promise<MemberDir[] | undefined> {
  if (args.length === 0) return undefined;
  if (args.length === 1) {
    const dir = args[0]!;
    if (!(await isDir(dir))) return undefined;
    const manifest = await readManifest(dir);
    if (manifest) {
      return manifest.members.map((m) => ({
        name: m.name,
        dir: join(dir, m.name),
        ...(m.endpoint ? { endpoint: m.endpoint } : {}),
        ...(m.error ? { error: m.error } : {}),
      }));
    }
    if (await hasProfiles(dir)) return undefined;
    const subs: MemberDir[] = [];
    for (const d of await entries(dir)) {
      if (d.isDirectory() && (await hasProfiles(join(dir, d.name))))
        subs.push({ name: d.name, dir: join(dir, d.name) });
    }
    return subs.length >= 2 ? subs.sort((a, b) => a.name.localeCompare(b.name)) : undefined;
  }
  // Several folders of profiles: one member each.
  const dirs: string[] = [];
  for (const a of args) {
    if (!(await isDir(a)) || !(await hasProfiles(a))) return undefined;
    dirs.push(a);
  }
  const names = dirs.map((d) => basename(resolve(d)));
  const unique = new Set(names).size === names.length;
  return dirs.map((d, i) => ({ name: unique ? names[i]! : d, dir: d }));
}

/**
 * Profiles named one by one that sit in different member folders of a bundle are different
 * processes: the reason to refuse them as one, or undefined.
 */
export async function mixedMembers(paths: readonly string[]): Promise<string | undefined> {
  const byMember = new Map<string, string>();
  for (const p of paths) {
    const memberDir = dirname(resolve(p));
    const bundle = dirname(memberDir);
    if (!(await readManifest(bundle).catch(() => undefined))) continue;
    byMember.set(memberDir, p);
  }
  if (byMember.size < 2) return undefined;
  const [a, b] = [...byMember.values()];
  return `${a} and ${b} come from different members of one bundle (different processes); analyse the bundle folder to compare them, or one member's files at a time`;
}

export interface LoadedMember extends MemberInput {
  skipped: string[];
}

/** Loads one member's folder: profiles (files that are not are skipped with a note), metrics.txt, status.json. */
export async function loadMember(m: MemberDir): Promise<LoadedMember> {
  const out: LoadedMember = {
    name: m.name,
    inputs: [],
    skipped: [],
    ...(m.endpoint ? { endpoint: m.endpoint } : {}),
    ...(m.error ? { error: m.error } : {}),
  };
  const list = await entries(m.dir);
  if (list.length === 0 && m.error === undefined) out.error = `no files in ${m.dir}`;
  for (const d of list
    .filter((x) => x.isFile())
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))) {
    const path = join(m.dir, d.name);
    if (d.name === 'metrics.txt') {
      const loaded = await loadMetrics(path);
      out.metrics = { scrape: loaded.scrape, facts: loaded.facts };
      continue;
    }
    if (d.name === 'status.json') {
      out.status = { status: parseStatus(await readFile(path, 'utf8')), source: path };
      continue;
    }
    if (NOT_A_PROFILE.test(d.name)) continue;
    try {
      const bytes = await readProfileFile(path);
      out.inputs.push({ profile: await loadProfile(bytes, { name: path }), name: path });
    } catch (err) {
      if (err instanceof InputError) out.skipped.push(`${path}: ${err.problem}`);
      else if (err instanceof UserError) out.skipped.push(err.message);
      else throw err;
    }
  }
  return out;
}
