// `pprof-doctor fetch` end to end through bin/pprof-doctor (build first: `npm run build`; npm test does).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pki, makePki } from './helpers/pki.js';
import { type RunningProxy, startProxy } from './helpers/proxy.js';
import {
  type CliResult,
  type Running,
  builtCli,
  closedPort,
  runCli,
  smallProfileGz,
  startHttps,
} from './helpers/servers.js';

const root = resolve(import.meta.dirname, '..', '..');
let bin: string;
let pki: Pki;
let server: Running;
let silent: Running;
let proxy: RunningProxy;
let cwd: string;
const profile = smallProfileGz();

beforeAll(async () => {
  bin = builtCli(root);
  pki = makePki();
  server = await startHttps(
    pki.server,
    (req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname.startsWith('/debug/pprof/heap') || u.pathname.startsWith('/debug/pprof/profile')) {
        res.end(profile);
      } else if (u.pathname === '/login') {
        res.setHeader('Content-Type', 'text/html');
        res.end('<html><head><title>Login</title></head></html>');
      } else {
        res.statusCode = 404;
        res.setHeader('X-Go-Pprof', '1');
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end('Unknown profile\n');
      }
    },
    pki.ca,
  );
  silent = await startHttps(pki.server, () => undefined);
  proxy = await startProxy({ auth: 'ops:Pr0xyPa55' });
  cwd = mkdtempSync(join(tmpdir(), 'pprof-doctor-cli-'));
});

afterAll(async () => {
  await Promise.all([server, silent, proxy].map((s) => s?.close()));
  pki?.cleanup();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

const tlsArgs = () => ['--cacert', pki.ca, '--cert', pki.client.cert, '--key', pki.client.key];
const run = (args: string[], dir = cwd): Promise<CliResult> => runCli(bin, ['fetch', ...args], dir);

function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^pprof-doctor: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('pprof-doctor fetch', () => {
  it('saves the exact bytes and prints the path on stdout (nothing on stderr when piped)', async () => {
    const sub = mkdtempSync(join(cwd, 'ok-'));
    const r = await run([`https://127.0.0.1:${server.port}/debug/pprof/heap`, ...tlsArgs()], sub);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const path = r.stdout.trimEnd();
    expect(r.stdout).toBe(`${path}\n`);
    expect(path).toMatch(
      new RegExp(`^pprof-doctor\\.127\\.0\\.0\\.1_${server.port}\\.heap\\.\\d{8}-\\d{6}\\.pb\\.gz$`),
    );
    expect(readdirSync(sub)).toEqual([path]);
    expect(new Uint8Array(readFileSync(join(sub, path)))).toEqual(profile);
  });
  it('--seconds goes into the query; no countdown when stderr is not a terminal', async () => {
    const before = server.urls.length;
    const r = await run([`127.0.0.1:${server.port}/debug/pprof/profile`, '--seconds', '1', ...tlsArgs()]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(server.urls.slice(before)).toEqual(['/debug/pprof/profile?seconds=1']);
  });
  it('accepts pprof-style flags: -seconds=1 -tls_ca -tls_cert -tls_key', async () => {
    const r = await run([
      `https://127.0.0.1:${server.port}/debug/pprof/heap`,
      '-seconds=1',
      '-tls_ca',
      pki.ca,
      '-tls_cert',
      pki.client.cert,
      '-tls_key',
      pki.client.key,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  it('-insecure_skip_tls_verify (pprof spelling) works without --cacert', async () => {
    const r = await run([
      `https://127.0.0.1:${server.port}/debug/pprof/heap`,
      '-insecure_skip_tls_verify',
      '--cert',
      pki.client.cert,
      '--key',
      pki.client.key,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  it('NODE_EXTRA_CA_CERTS is trusted, through the launcher that keeps it out of start-up', async () => {
    // Run as a user does (the /bin/sh line, not `node bin/pprof-doctor`): bin/pprof-doctor unsets
    // NODE_EXTRA_CA_CERTS for Node's start-up and src/fetch/tls.ts trusts the file's certificates.
    const direct = (env: NodeJS.ProcessEnv): Promise<CliResult> =>
      runCli(
        bin,
        [
          'fetch',
          `https://127.0.0.1:${server.port}/debug/pprof/heap`,
          '--cert',
          pki.client.cert,
          '--key',
          pki.client.key,
          '-o',
          'extra.pb.gz',
        ],
        cwd,
        env,
        true,
      );
    const trusted = await direct({ NODE_EXTRA_CA_CERTS: pki.ca });
    expect(trusted.stderr).not.toMatch(/unable to verify/);
    expect(trusted.code).toBe(0);
    expect(new Uint8Array(readFileSync(join(cwd, 'extra.pb.gz')))).toEqual(new Uint8Array(profile));
    rmSync(join(cwd, 'extra.pb.gz'));
    const untrusted = await direct({ NODE_EXTRA_CA_CERTS: '' });
    expectOneLineError(untrusted, /unable to verify the server certificate/);
  });
  it('no client certificate: exit 2 and one clear line', async () => {
    const r = await run([`https://127.0.0.1:${server.port}/debug/pprof/heap`, '--cacert', pki.ca]);
    expectOneLineError(r, /the server rejected the client certificate \(or none was sent\): pass --cert and --key/);
  });
  it('wrong CA: exit 2, verify failure', async () => {
    const r = await run([
      `https://127.0.0.1:${server.port}/debug/pprof/heap`,
      '--cacert',
      pki.otherCa,
      '--cert',
      pki.client.cert,
      '--key',
      pki.client.key,
    ]);
    expectOneLineError(
      r,
      /unable to verify the server certificate: .*; pass --cacert <ca\.pem> or --insecure-skip-tls-verify/,
    );
  });
  it('HTTP 404: status and body', async () => {
    const r = await run([`https://127.0.0.1:${server.port}/debug/pprof/nope`, ...tlsArgs()]);
    expectOneLineError(r, /server response: 404 Not Found - Unknown profile$/m);
  });
  it('timeout, connection refused, DNS failure', async () => {
    const t = await run([`https://127.0.0.1:${silent.port}/debug/pprof/heap`, '--cacert', pki.ca, '--timeout', '0.5']);
    expectOneLineError(t, /timed out after 0\.5s/);
    const port = await closedPort();
    expectOneLineError(await run([`127.0.0.1:${port}/debug/pprof/heap`]), /connection refused by 127\.0\.0\.1:\d+/);
    expectOneLineError(
      await run(['http://no-such-host.invalid:2379/debug/pprof/heap', '--timeout', '20']),
      /cannot resolve host 'no-such-host\.invalid'/,
    );
  });
  it('user-info and tokens never show, not in messages nor in file names', async () => {
    const sub = mkdtempSync(join(cwd, 'secret-'));
    const r = await run(
      [`https://bob:Pa55word99@127.0.0.1:${server.port}/login?access_token=T0kenT0ken`, ...tlsArgs()],
      sub,
    );
    expectOneLineError(r, /did not return a profile: it sent an HTML page \("Login"\)/);
    expect(r.stderr).toContain(`https://***@127.0.0.1:${server.port}/login?access_token=***`);
    const files = readdirSync(sub);
    expect(files).toHaveLength(1);
    for (const text of [r.stderr, r.stdout, files[0]!]) expect(text).not.toMatch(/bob|Pa55word99|T0kenT0ken/);
  });
  it('-o refuses an existing file and an input file; --force overwrites', async () => {
    const out = join(cwd, 'existing.pb.gz');
    writeFileSync(out, 'old');
    const url = `https://127.0.0.1:${server.port}/debug/pprof/heap`;
    expectOneLineError(await run([url, ...tlsArgs(), '-o', out]), /already exists; pass --force to overwrite it/);
    expect(readFileSync(out, 'utf8')).toBe('old');
    const ok = await run([url, ...tlsArgs(), '-o', out, '--force']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`${out}\n`);
    expect(new Uint8Array(readFileSync(out))).toEqual(profile);
    const keyBefore = readFileSync(pki.client.key, 'utf8');
    expectOneLineError(await run([url, ...tlsArgs(), '-o', pki.client.key, '--force']), /it is an input file/);
    expect(readFileSync(pki.client.key, 'utf8')).toBe(keyBefore);
  });
  it('usage errors: cert without key, no URL, other scheme', async () => {
    expectOneLineError(
      await run([`https://127.0.0.1:${server.port}/debug/pprof/heap`, '--cert', pki.client.cert]),
      /--cert needs --key/,
    );
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).not.toMatch(/\n\s+at /);
    expectOneLineError(await run(['file:///etc/passwd']), /unsupported URL scheme 'file'/);
  });
  it('HTTPS_PROXY: through the proxy with its credentials; a refusal names the proxy, never the password', async () => {
    // member.pprof-doctor.test: a name only the test proxy resolves (loopback hosts are never proxied).
    const url = `https://member.pprof-doctor.test:${server.port}/debug/pprof/heap`;
    const sub = mkdtempSync(join(cwd, 'proxy-'));
    const ok = await runCli(bin, ['fetch', url, ...tlsArgs()], sub, {
      HTTPS_PROXY: `http://ops:Pr0xyPa55@127.0.0.1:${proxy.port}`,
    });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(new Uint8Array(readFileSync(join(sub, ok.stdout.trimEnd())))).toEqual(profile);
    expect(proxy.seen.at(-1)).toMatchObject({ method: 'CONNECT', target: `member.pprof-doctor.test:${server.port}` });
    const refused = await runCli(bin, ['fetch', url, ...tlsArgs()], sub, {
      https_proxy: `http://ops:wrong-Pr0xyPa55@127.0.0.1:${proxy.port}`,
    });
    expectOneLineError(
      refused,
      new RegExp(
        `^pprof-doctor: cannot fetch ${url.replace(/[.?]/g, '\\$&')} via http://\\*\\*\\*@127\\.0\\.0\\.1:${proxy.port} \\(https_proxy\\): the proxy answered 407 Proxy Authentication Required`,
      ),
    );
    expect(refused.stderr).not.toMatch(/ops|Pr0xyPa55/);
  });
});
