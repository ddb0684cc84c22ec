/**
 * The files `trend` reads, each with its member: a folder of profiles (one process), a `collect`
 * bundle or a folder of member folders (one series per member), several of them (a bundle every
 * hour: the members' series across bundles), or files. Node-only.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expandProfilePaths } from '../input/load.js';

/** Files in a series or bundle folder that are not profiles. */
export const NOT_A_PROFILE = /\.(json|md|yaml|yml|sh|log|txt|tar\.gz)$/i;

async function children(dir: string): Promise<Dirent[]> {
  return (await readdir(dir, { withFileTypes: true })).filter((d) => !d.name.startsWith('.'));
}

export async function trendInputs(given: readonly string[]): Promise<{ path: string; member: string }[]> {
  const out: { path: string; member: string }[] = [];
  for (const arg of given) {
    let isDir = false;
    try {
      isDir = arg !== '-' && (await stat(arg)).isDirectory();
    } catch {
      // expandProfilePaths reports it
    }
    if (isDir) {
      const list = await children(arg);
      const ownFiles = list.filter((d) => d.isFile() && !NOT_A_PROFILE.test(d.name));
      const memberDirs = list.filter((d) => d.isDirectory());
      if (ownFiles.length === 0 && memberDirs.length > 0) {
        for (const m of memberDirs.sort((a, b) => a.name.localeCompare(b.name))) {
          const files = (await children(join(arg, m.name)))
            .filter((d) => d.isFile() && !NOT_A_PROFILE.test(d.name))
            .map((d) => d.name)
            .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
          for (const f of files) out.push({ path: join(arg, m.name, f), member: m.name });
        }
        continue;
      }
    }
    const expanded = await expandProfilePaths([arg]);
    const fromDir = expanded.length !== 1 || expanded[0] !== arg;
    for (const p of expanded) if (!fromDir || !NOT_A_PROFILE.test(p)) out.push({ path: p, member: '' });
  }
  return out;
}
