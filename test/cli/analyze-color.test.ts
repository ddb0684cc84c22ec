/**
 * Colour in the text report: only when stdout is a terminal (simulated with FORCE_COLOR, as a
 * child's stdout here is a pipe), never with NO_COLOR, never in piped output or -o files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './cli-helpers.js';

const sample = 'samples/docs/etcd-3.2.23-leader-heap.pb.gz';
const ANSI = /\u001b\[/;

function run(args: string[], env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  delete clean.NO_COLOR;
  delete clean.FORCE_COLOR;
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pprof-doctor'), ...args], {
    cwd: root,
    env: { ...clean, ...env },
  });
  return { code: r.status, stdout: r.stdout.toString() };
}

describe('analyze text colour', () => {
  beforeAll(() => ensureBuilt());

  it('piped output has no escape codes', () => {
    const r = run(['analyze', sample], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[CRITICAL]');
    expect(ANSI.test(r.stdout)).toBe(false);
  });

  it('a terminal (FORCE_COLOR) gets colour', () => {
    const r = run(['analyze', sample], { FORCE_COLOR: '1' });
    expect(ANSI.test(r.stdout)).toBe(true);
  });

  it('NO_COLOR wins over a terminal', () => {
    const r = run(['analyze', sample], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(ANSI.test(r.stdout)).toBe(false);
  });

  it('-o files never get colour', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pd-color-')), 'report.txt');
    const r = run(['analyze', sample, '--format', 'text', '-o', out], { FORCE_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(ANSI.test(readFileSync(out, 'utf8'))).toBe(false);
  });
});
