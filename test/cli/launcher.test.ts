/**
 * bin/pprof-doctor as a user runs it (its shebang line: V8 flags, NODE_EXTRA_CA_CERTS kept out of
 * start-up) loads the CLI from the chunks under dist/bundle/ with their V8 code caches
 * (scripts/bundle-cli.mjs). The bundle must print what the ES modules print, and the caches must be
 * accepted under the launcher's own flags (a rejected cache still works, only slower: this is the
 * check that the start-up work is in effect).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './cli-helpers.js';

const bin = join(root, 'bin', 'pprof-doctor');

describe('bin/pprof-doctor', () => {
  it('the bundle prints what the ES modules print', () => {
    ensureBuilt();
    for (const args of [
      ['top', 'test/fixtures/large.cpu.pb.gz', '--nodecount=15'],
      ['analyze', 'samples/docs/etcd-3.2.23-leader-heap.pb.gz', '--format', 'json'],
      ['peek', 'samples/docs/etcd-3.2.23-leader-heap.pb.gz', 'recvBuffer'],
    ]) {
      const bundled = spawnSync(bin, args, { cwd: root, encoding: 'utf8' });
      const modules = spawnSync(bin, args, {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PPROF_DOCTOR_NO_BUNDLE: '1' },
      });
      expect(bundled.status, args.join(' ')).toBe(modules.status);
      expect(bundled.stdout.length).toBeGreaterThan(100);
      expect(bundled.stdout, args.join(' ')).toBe(modules.stdout);
    }
  });

  it('loads its chunks from their code caches with its own V8 flags', () => {
    ensureBuilt();
    const shebang = readFileSync(bin, 'utf8').split('\n', 1)[0]!;
    const flags = shebang.split(/\s+/).filter((w) => w.startsWith('--'));
    expect(flags.length).toBeGreaterThan(0);
    const probe = [
      `const { compileBundle } = require(${JSON.stringify(join(root, 'bin', 'launch.cjs'))});`,
      'const b = compileBundle();',
      `b.main(['top', ${JSON.stringify(join(root, 'test/fixtures/large.cpu.pb.gz'))}]).then(() => {`,
      "  process.stderr.write(JSON.stringify(b.scripts.map((s) => [s.file.split('/').pop(), s.script.cachedDataRejected])));",
      '});',
    ].join('\n');
    const r = spawnSync(process.execPath, [...flags, '-e', probe], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const chunks = JSON.parse(r.stderr) as [string, boolean][];
    expect(chunks.map(([f]) => f)).toContain('cli.cjs');
    expect(chunks.length).toBeGreaterThan(3);
    // Every chunk `top` loads was recorded, and V8 took every cache.
    expect(chunks.filter(([, rejected]) => rejected !== false)).toEqual([]);
  });
});
