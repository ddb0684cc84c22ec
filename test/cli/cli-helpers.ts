/**
 * Runs the built CLI (`./bin/pprof-doctor`, which loads dist/). `npm test` builds first; when
 * dist/ is missing (a bare `npx vitest run test/cli`) it is built once here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'pprof-doctor');

export function ensureBuilt(): void {
  if (existsSync(join(root, 'dist', 'cli', 'main.js'))) return;
  spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'ignore',
  });
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('could not build dist/ (run npm run build)');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: Buffer | string): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input,
    env: { ...process.env, TZ: 'America/New_York' },
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
