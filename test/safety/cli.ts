/** Runs the built CLI (bin/pprof-doctor → dist/; `npm test` builds first). */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'pprof-doctor');

export function cliBuilt(): boolean {
  return existsSync(join(ROOT, 'dist', 'cli', 'main.js'));
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** True when some CLI source file defines the long option `name` (e.g. 'max-size'). */
export function cliHasOption(name: string): boolean {
  const dirs = [join(ROOT, 'src', 'cli'), join(ROOT, 'src', 'cli', 'commands')];
  for (const d of dirs) {
    for (const f of readdirSync(d)) {
      if (!f.endsWith('.ts')) continue;
      if (readFileSync(join(d, f), 'utf8').includes(`'${name}'`)) return true;
    }
  }
  return false;
}
