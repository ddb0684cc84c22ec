/**
 * Saving fetched bytes: a timestamped default name in the current directory, or -o through the
 * shared safe writer. Node-only.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { fsReason } from '../io/output-file.js';
import { UserError } from '../errors.js';
import { hostAndPort, profileName, safeNamePart } from './url.js';

/**
 * `pprof-doctor.<host>_<port>.<profile>.<YYYYMMDD-HHMMSS><ext>`, local time. Only the host and port
 * of the URL appear: never user-info or query parameters.
 */
export function defaultFileName(url: URL, ext: string, now: Date = new Date()): string {
  const { host, port } = hostAndPort(url);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}${p2(now.getMonth() + 1)}${p2(now.getDate())}-` +
    `${p2(now.getHours())}${p2(now.getMinutes())}${p2(now.getSeconds())}`;
  const h = safeNamePart(host.replace(/:/g, '_')) || 'host';
  return `pprof-doctor.${h}_${port}.${profileName(url)}.${stamp}${ext}`;
}

/**
 * Creates `dir/name` without overwriting anything: when the name is taken (two fetches in the same
 * second) `.2`, `.3`, ... is inserted before the extension. Returns the path written.
 */
export async function saveUnderNewName(dir: string, name: string, ext: string, data: Uint8Array): Promise<string> {
  const stem = name.endsWith(ext) ? name.slice(0, name.length - ext.length) : name;
  for (let i = 1; i <= 1000; i++) {
    const candidate = i === 1 ? `${stem}${ext}` : `${stem}.${i}${ext}`;
    const path = dir === '.' || dir === '' ? candidate : join(dir, candidate);
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new UserError(`cannot save the profile as '${path}': ${fsReason(err)}`);
    }
    try {
      await fh.writeFile(data);
      await fh.close();
    } catch (err) {
      await fh.close().catch(() => undefined);
      await fsp.rm(path, { force: true });
      throw new UserError(`cannot save the profile as '${path}': ${fsReason(err)}`);
    }
    return path;
  }
  throw new UserError(`cannot save the profile in '${dir}': too many files named ${stem}.*${ext}`);
}
