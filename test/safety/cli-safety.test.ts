/**
 * Cross-checks through the built CLI (the fetch owner tests the same rules at unit level):
 *  - `-o` never overwrites an input file, even with --force, and never an existing file without it;
 *  - user-info, tokens and key material never appear in stdout, stderr or saved file names.
 * `fetch` is the command with `-o` today; `analyze -o` should join the table when it exists.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProfile } from '../../scripts/fuzz/synth.mjs';
import { cliBuilt, runCli } from './cli.js';

const profile = gzipSync(
  writeProfile({
    types: [['inuse_space', 'bytes']],
    names: ['main.leak'],
    samples: [[[1], [4096]]],
    timeNanos: 1.7e18,
  }),
);
let server: Server;
let base: string;
let cwd: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.url} ${req.headers.authorization ?? ''}`);
    if (req.url?.startsWith('/debug/pprof/heap')) res.end(profile);
    else {
      res.statusCode = 404;
      res.end(`404 page not found: ${req.url}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  cwd = mkdtempSync(join(tmpdir(), 'pprof-doctor-safety-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(cwd, { recursive: true, force: true });
});

const oneLine = /^pprof-doctor: [^\n]+\n$/;

describe.skipIf(!cliBuilt())('-o through the CLI', () => {
  it('refuses an existing file without --force and leaves it untouched', async () => {
    const out = join(cwd, 'existing.pb.gz');
    writeFileSync(out, 'keep me');
    const r = await runCli(['fetch', `http://${base}/debug/pprof/heap`, '-o', out], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(oneLine);
    expect(r.stderr).toMatch(/already exists; pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  });

  it('overwrites it with --force, with the exact bytes served', async () => {
    const out = join(cwd, 'existing2.pb.gz');
    writeFileSync(out, 'old');
    const r = await runCli(['fetch', `http://${base}/debug/pprof/heap`, '-o', out, '--force'], { cwd });
    expect(r.code).toBe(0);
    expect(new Uint8Array(readFileSync(out))).toEqual(new Uint8Array(profile));
    expect(readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['--cacert', 'ca.pem'],
    ['--cert', 'client.pem'],
    ['--key', 'client-key.pem'],
  ])('never overwrites the %s input file, not even with --force', async (flag, name) => {
    const input = join(cwd, name);
    writeFileSync(input, '-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n');
    const before = readFileSync(input, 'utf8');
    const args = ['fetch', 'https://127.0.0.1:1/debug/pprof/heap', flag, input, '-o', input, '--force'];
    if (flag === '--cert') args.push('--key', join(cwd, 'other-key.pem'));
    if (flag === '--key') args.push('--cert', join(cwd, 'other.pem'));
    const r = await runCli(args, { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(oneLine);
    expect(r.stderr).toMatch(/refusing to write .* it is an input file/);
    expect(readFileSync(input, 'utf8')).toBe(before);
  });
});

describe.skipIf(!cliBuilt())('secrets never reach the output', () => {
  const SECRET = 'S3cr3tPa55';

  async function noSecret(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const before = new Set(readdirSync(cwd));
    const r = await runCli(args, { cwd });
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
    for (const f of readdirSync(cwd)) if (!before.has(f)) expect(f).not.toContain(SECRET);
    return r;
  }

  it('user:password in the URL of a failing fetch (connection refused)', async () => {
    const r = await noSecret(['fetch', `https://user:${SECRET}@127.0.0.1:1/debug/pprof/heap`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(oneLine);
    expect(r.stderr).toMatch(/\*\*\*/);
  });

  it('user:password and tokens in the URL of a 404', async () => {
    const r = await noSecret([
      'fetch',
      `http://user:${SECRET}@${base}/debug/pprof/nope?token=${SECRET}&access_token=${SECRET}`,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(oneLine);
  });

  it('a successful fetch with user-info and a token saves and prints no secret', async () => {
    const r = await noSecret(['fetch', `http://user:${SECRET}@${base}/debug/pprof/heap?seconds=1&token=${SECRET}`]);
    expect(r.code).toBe(0);
    expect(requests.some((q) => q.includes('/debug/pprof/heap'))).toBe(true);
  });

  it('key material in an unreadable --key / --cert is not echoed', async () => {
    const key = join(cwd, 'k.pem');
    const cert = join(cwd, 'c.pem');
    writeFileSync(key, `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`);
    writeFileSync(cert, `-----BEGIN CERTIFICATE-----\n${SECRET}\n-----END CERTIFICATE-----\n`);
    const r = await noSecret([
      'fetch',
      'https://127.0.0.1:1/debug/pprof/heap',
      '--cert',
      cert,
      '--key',
      key,
      '--cacert',
      cert,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(oneLine);
  });
});
