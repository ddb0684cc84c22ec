/**
 * bin/pprof-doctor as a user runs it (a /bin/sh line: V8 flags, NODE_EXTRA_CA_CERTS kept out of
 * start-up) loads the CLI from the chunks under dist/bundle/ with their V8 code caches
 * (scripts/bundle-cli.mjs). The bundle must print what the ES modules print, and the caches must be
 * accepted under the launcher's own flags (a rejected cache still works, only slower: this is the
 * check that the start-up work is in effect).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './cli-helpers.js';

const bin = join(root, 'bin', 'pprof-doctor');

/** The V8 flags on the launcher's `exec node` line (as scripts/bundle-cli.mjs reads them). */
function launcherV8Flags(): string[] {
  const execLine = readFileSync(bin, 'utf8')
    .split('\n')
    .find((line) => /\bexec node /.test(line))!;
  return execLine
    .slice(execLine.indexOf('exec node '))
    .split(/\s+/)
    .filter((w) => w.startsWith('--'));
}

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
    const flags = launcherV8Flags();
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

  // The shells a user may have as /bin/sh: Debian's dash, bash, BusyBox's ash (Alpine, node:alpine);
  // and BusyBox's env, which has no -S. Each one that is installed is tried.
  const shells: [string, string[]][] = [
    ['sh', ['/bin/sh']],
    ['dash', ['/bin/dash']],
    ['bash', ['/bin/bash']],
    ['busybox sh', ['/bin/busybox', 'sh']],
    ['busybox env', ['/bin/busybox', 'env']],
  ];
  const installed = shells.filter(([, cmd]) => existsSync(cmd[0]!));

  it.each(installed)('starts under %s with the same output as node', (_name, cmd) => {
    ensureBuilt();
    const args = ['top', 'test/fixtures/large.cpu.pb.gz', '--nodecount=5'];
    const viaShell = spawnSync(cmd[0]!, [...cmd.slice(1), bin, ...args], { cwd: root, encoding: 'utf8' });
    const direct = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
    expect(viaShell.stderr).toBe('');
    expect(viaShell.status).toBe(0);
    expect(viaShell.stdout).toContain('flat%');
    expect(viaShell.stdout).toBe(direct.stdout);
  });

  it.each(installed)(
    'under %s: V8 flags given, NODE_EXTRA_CA_CERTS moved to PPROF_DOCTOR_EXTRA_CA_CERTS',
    (_name, cmd) => {
      // The launcher's shell line with a probe in place of the CLI: what Node starts with.
      const dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-launcher-'));
      try {
        const lines = readFileSync(bin, 'utf8').split('\n');
        const probe = join(dir, 'probe');
        writeFileSync(
          probe,
          [
            lines[0],
            lines[1],
            'process.stdout.write(JSON.stringify([process.env.NODE_EXTRA_CA_CERTS ?? null, process.env.PPROF_DOCTOR_EXTRA_CA_CERTS ?? null, process.execArgv, process.argv.slice(2)]));',
          ].join('\n'),
        );
        chmodSync(probe, 0o755);
        const caFile = "/etc/ssl/a b/$HOME 'x'*.pem";
        const r = spawnSync(cmd[0]!, [...cmd.slice(1), probe, 'top', 'a b', '*', '$HOME'], {
          encoding: 'utf8',
          env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
        });
        expect(r.stderr).toBe('');
        const [nodeExtra, ours, execArgv, argv] = JSON.parse(r.stdout) as [string | null, string, string[], string[]];
        expect(nodeExtra).toBeNull();
        expect(ours).toBe(caFile);
        expect(execArgv).toEqual(launcherV8Flags());
        expect(execArgv.length).toBeGreaterThan(0);
        expect(argv).toEqual(['top', 'a b', '*', '$HOME']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
