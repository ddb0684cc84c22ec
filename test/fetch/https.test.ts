// fetchProfile against local HTTPS servers that require a client certificate, as etcd does with
// --client-cert-auth. Certificates are made with openssl in beforeAll.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { type FetchOptions, fetchProfile } from '../../src/fetch/resolve.js';
import { type Pki, makePki } from './helpers/pki.js';
import { type Running, closedPort, smallProfileGz, startHttp, startHttps } from './helpers/servers.js';

let pki: Pki;
let mtls: Running; // requires a client certificate signed by pki.ca
let open: Running; // TLS, no client certificate needed
let wrongName: Running; // certificate for other.example only
let silent: Running; // never answers
let plain: Running; // plain HTTP
let dir: string;
const profile = smallProfileGz();

function pprofHandler(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const u = new URL(req.url ?? '/', 'http://x');
  if (u.pathname === '/debug/pprof/heap' || u.pathname === '/debug/pprof/profile') {
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(profile);
  } else if (u.pathname === '/debug/pprof/goroutine') {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('goroutine profile: total 1\n1 @ 0x1\n');
  } else if (u.pathname === '/login') {
    res.setHeader('Content-Type', 'text/html');
    res.end(
      `<!DOCTYPE html><html><head><title>Sign in</title></head><body>token ${u.searchParams.get('token')}</body></html>`,
    );
  } else if (u.pathname === '/redirect') {
    res.statusCode = 302;
    res.setHeader('Location', '/debug/pprof/heap');
    res.end();
  } else if (u.pathname === '/debug/pprof/broken') {
    res.statusCode = 500;
    res.setHeader('X-Go-Pprof', '1');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Could not enable CPU profiling: cpu profiling already in use\nsecond line\n');
  } else if (u.pathname === '/empty') {
    res.end();
  } else {
    res.statusCode = 404;
    res.setHeader('X-Go-Pprof', '1');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Unknown profile\n');
  }
}

beforeAll(async () => {
  pki = makePki();
  mtls = await startHttps(pki.server, pprofHandler, pki.ca);
  open = await startHttps(pki.server, pprofHandler);
  wrongName = await startHttps(pki.wrongName, pprofHandler);
  silent = await startHttps(pki.server, () => undefined);
  plain = await startHttp(pprofHandler);
  dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-fetch-'));
});

afterAll(async () => {
  await Promise.all([mtls, open, wrongName, silent, plain].map((s) => s?.close()));
  pki?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const withClientCert = (): FetchOptions => ({
  cacert: pki.ca,
  cert: pki.client.cert,
  key: pki.client.key,
  dir,
  progress: false,
});

async function failure(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UserError);
  const u = e as UserError;
  expect(u.exitCode).toBe(2);
  expect(u.message).not.toContain('\n');
  return u;
}

describe('fetchProfile over mTLS', () => {
  it('downloads with --cacert/--cert/--key, keeping the exact bytes under a timestamped name', async () => {
    const url = `https://127.0.0.1:${mtls.port}/debug/pprof/heap`;
    const r = await fetchProfile(url, withClientCert());
    expect(r.bytes).toEqual(profile);
    expect(r.kind).toBe('pprof-gzip');
    expect(r.url).toBe(url);
    expect(r.savedTo).toMatch(
      new RegExp(
        `^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/pprof-doctor\\.127\\.0\\.0\\.1_${mtls.port}\\.heap\\.\\d{8}-\\d{6}\\.pb\\.gz$`,
      ),
    );
    expect(new Uint8Array(readFileSync(r.savedTo))).toEqual(profile);
  });
  it('does not overwrite an earlier fetch from the same second', async () => {
    const url = `https://127.0.0.1:${mtls.port}/debug/pprof/heap`;
    const sub = mkdtempSync(join(dir, 'same-second-'));
    const a = await fetchProfile(url, { ...withClientCert(), dir: sub });
    const b = await fetchProfile(url, { ...withClientCert(), dir: sub });
    expect(a.savedTo).not.toBe(b.savedTo);
    expect(readdirSync(sub)).toHaveLength(2);
  });
  it('takes host:port/path as https when TLS flags are given', async () => {
    const r = await fetchProfile(`127.0.0.1:${mtls.port}/debug/pprof/heap`, withClientCert());
    expect(r.url).toBe(`https://127.0.0.1:${mtls.port}/debug/pprof/heap`);
    expect(r.bytes).toEqual(profile);
  });
  it('passes --seconds as the seconds query parameter', async () => {
    const before = mtls.urls.length;
    await fetchProfile(`https://127.0.0.1:${mtls.port}/debug/pprof/profile`, { ...withClientCert(), seconds: 2 });
    expect(mtls.urls.slice(before)).toEqual(['/debug/pprof/profile?seconds=2']);
  });
  it('without a client certificate: a clear rejection message', async () => {
    const e = await failure(
      fetchProfile(`https://127.0.0.1:${mtls.port}/debug/pprof/heap`, { cacert: pki.ca, dir, progress: false }),
    );
    expect(e.message).toBe(
      `cannot fetch https://127.0.0.1:${mtls.port}/debug/pprof/heap: the server rejected the client certificate (or none was sent): pass --cert and --key`,
    );
  });
  it('with a client certificate from a CA the server does not trust: rejected, naming the file', async () => {
    const e = await failure(
      fetchProfile(`https://127.0.0.1:${mtls.port}/debug/pprof/heap`, {
        ...withClientCert(),
        cert: pki.strangerClient.cert,
        key: pki.strangerClient.key,
      }),
    );
    expect(e.message).toMatch(/rejected the client certificate/);
    expect(e.message).toContain(pki.strangerClient.cert);
  });
  it('with the wrong CA: the server certificate cannot be verified', async () => {
    const e = await failure(
      fetchProfile(`https://127.0.0.1:${mtls.port}/debug/pprof/heap`, { ...withClientCert(), cacert: pki.otherCa }),
    );
    expect(e.message).toMatch(
      /: unable to verify the server certificate: .+; pass --cacert <ca\.pem> or --insecure-skip-tls-verify$/,
    );
  });
  it('with no CA at all: the server certificate cannot be verified either', async () => {
    const e = await failure(fetchProfile(`https://127.0.0.1:${open.port}/debug/pprof/heap`, { dir, progress: false }));
    expect(e.message).toMatch(/unable to verify the server certificate/);
  });
  it('--insecure-skip-tls-verify works without --cacert (and so does https+insecure://)', async () => {
    const r = await fetchProfile(`https://127.0.0.1:${mtls.port}/debug/pprof/heap`, {
      cert: pki.client.cert,
      key: pki.client.key,
      insecureSkipTlsVerify: true,
      dir,
      progress: false,
    });
    expect(r.bytes).toEqual(profile);
    const r2 = await fetchProfile(`https+insecure://127.0.0.1:${open.port}/debug/pprof/heap`, { dir, progress: false });
    expect(r2.bytes).toEqual(profile);
  });
  it('host name mismatch: says which names the certificate is for', async () => {
    const e = await failure(
      fetchProfile(`https://127.0.0.1:${wrongName.port}/debug/pprof/heap`, { cacert: pki.ca, dir, progress: false }),
    );
    expect(e.message).toMatch(
      /the server certificate is not valid for '127\.0\.0\.1' \(it is for DNS:other\.example\)/,
    );
  });
});

describe('fetchProfile: HTTP answers', () => {
  it('404 and 500 show the status and the first line of the text body', async () => {
    const e404 = await failure(fetchProfile(`https://127.0.0.1:${mtls.port}/debug/pprof/nosuch`, withClientCert()));
    expect(e404.message).toBe(
      `cannot fetch https://127.0.0.1:${mtls.port}/debug/pprof/nosuch: server response: 404 Not Found - Unknown profile`,
    );
    const e500 = await failure(fetchProfile(`https://127.0.0.1:${mtls.port}/debug/pprof/broken`, withClientCert()));
    expect(e500.message).toMatch(
      /server response: 500 Internal Server Error - Could not enable CPU profiling: cpu profiling already in use$/,
    );
  });
  it('follows a redirect', async () => {
    const r = await fetchProfile(`http://127.0.0.1:${plain.port}/redirect`, { dir, progress: false });
    expect(r.bytes).toEqual(profile);
  });
  it('keeps a text profile (?debug=1) as .txt', async () => {
    const r = await fetchProfile(`127.0.0.1:${plain.port}/debug/pprof/goroutine?debug=1`, { dir, progress: false });
    expect(r.kind).toBe('text');
    expect(r.savedTo).toMatch(/\.goroutine\.\d{8}-\d{6}\.txt$/);
  });
  it('an HTML page is not a profile: the bytes are kept, the message says where; no secret is shown', async () => {
    const sub = mkdtempSync(join(dir, 'html-'));
    const e = await failure(
      fetchProfile(`https://alice:hunter22@127.0.0.1:${mtls.port}/login?token=s3cr3tT0ken`, {
        ...withClientCert(),
        dir: sub,
      }),
    );
    const files = readdirSync(sub);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      new RegExp(`^pprof-doctor\\.127\\.0\\.0\\.1_${mtls.port}\\.login\\.\\d{8}-\\d{6}\\.html$`),
    );
    expect(e.message).toBe(
      `https://***@127.0.0.1:${mtls.port}/login?token=*** did not return a profile: it sent an HTML page ("Sign in"); the ${
        readFileSync(join(sub, files[0]!)).length
      } bytes were kept in '${join(sub, files[0]!)}'`,
    );
    expect(readFileSync(join(sub, files[0]!), 'utf8')).toContain('token s3cr3tT0ken'); // exact bytes kept
    expect(e.message).not.toMatch(/alice|hunter22|s3cr3tT0ken/);
    // the credentials were sent as Basic authorization
    expect(mtls.headers.at(-1)?.authorization).toBe(`Basic ${Buffer.from('alice:hunter22').toString('base64')}`);
  });
  it('an empty 200 is an error and saves nothing', async () => {
    const sub = mkdtempSync(join(dir, 'empty-'));
    const e = await failure(fetchProfile(`http://127.0.0.1:${plain.port}/empty`, { dir: sub, progress: false }));
    expect(e.message).toMatch(/empty body/);
    expect(readdirSync(sub)).toEqual([]);
  });
});

describe('fetchProfile: network failures', () => {
  it('times out', async () => {
    const t0 = Date.now();
    const e = await failure(
      fetchProfile(`https://127.0.0.1:${silent.port}/debug/pprof/heap`, {
        cacert: pki.ca,
        timeout: 0.5,
        dir,
        progress: false,
      }),
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.message).toMatch(/timed out after 0\.5s; pass a larger --timeout/);
  });
  it('connection refused', async () => {
    const port = await closedPort();
    const e = await failure(fetchProfile(`http://127.0.0.1:${port}/debug/pprof/heap`, { dir, progress: false }));
    expect(e.message).toBe(
      `cannot fetch http://127.0.0.1:${port}/debug/pprof/heap: connection refused by 127.0.0.1:${port} (is the server running, and listening on this port?)`,
    );
  });
  it('plain HTTP to a TLS port, and TLS to a plain port', async () => {
    const e1 = await failure(fetchProfile(`http://127.0.0.1:${mtls.port}/debug/pprof/heap`, { dir, progress: false }));
    expect(e1.message).toMatch(/closed the connection without answering \(if this port serves TLS, use https:\/\/\)/);
    const e2 = await failure(
      fetchProfile(`https://127.0.0.1:${plain.port}/debug/pprof/heap`, { dir, progress: false }),
    );
    expect(e2.message).toMatch(/does not speak TLS on this port/);
  });
});

describe('fetchProfile: options', () => {
  it('-o writes there, refuses an existing file without force, and never an input file', async () => {
    const url = `https://127.0.0.1:${mtls.port}/debug/pprof/heap`;
    const out = join(dir, 'o.pb.gz');
    const r = await fetchProfile(url, { ...withClientCert(), outFile: out });
    expect(r.savedTo).toBe(out);
    expect(new Uint8Array(readFileSync(out))).toEqual(profile);
    const before = mtls.urls.length;
    const e = await failure(fetchProfile(url, { ...withClientCert(), outFile: out }));
    expect(e.message).toBe(`'${out}' already exists; pass --force to overwrite it`);
    expect(mtls.urls.length).toBe(before); // checked before fetching anything
    writeFileSync(out, 'old');
    await fetchProfile(url, { ...withClientCert(), outFile: out, force: true });
    expect(new Uint8Array(readFileSync(out))).toEqual(profile);
    const keyBefore = readFileSync(pki.client.key, 'utf8');
    const e2 = await failure(fetchProfile(url, { ...withClientCert(), outFile: pki.client.key, force: true }));
    expect(e2.message).toMatch(/it is an input file/);
    expect(readFileSync(pki.client.key, 'utf8')).toBe(keyBefore);
  });
  it('cert and key must come together; unreadable or wrong files are named', async () => {
    const url = `https://127.0.0.1:${mtls.port}/debug/pprof/heap`;
    const base = { cacert: pki.ca, dir, progress: false };
    expect((await failure(fetchProfile(url, { ...base, cert: pki.client.cert }))).message).toMatch(
      /--cert needs --key/,
    );
    expect((await failure(fetchProfile(url, { ...base, key: pki.client.key }))).message).toMatch(/--key needs --cert/);
    const missing = join(dir, 'missing.pem');
    expect((await failure(fetchProfile(url, { ...base, cert: missing, key: pki.client.key }))).message).toBe(
      `cannot read --cert file '${missing}': no such file or directory`,
    );
    expect((await failure(fetchProfile(url, { ...base, cacert: missing }))).message).toBe(
      `cannot read --cacert file '${missing}': no such file or directory`,
    );
    const swapped = await failure(fetchProfile(url, { ...base, cert: pki.client.key, key: pki.client.cert }));
    expect(swapped.message).toMatch(/holds a private key, not a certificate \(swapped --cert and --key\?\)/);
    const mismatch = await failure(fetchProfile(url, { ...base, cert: pki.client.cert, key: pki.strangerClient.key }));
    expect(mismatch.message).toMatch(/do not belong together/);
    const notPem = join(dir, 'garbage.pem');
    writeFileSync(notPem, 'not a certificate');
    expect((await failure(fetchProfile(url, { ...base, cacert: notPem }))).message).toMatch(/holds no PEM certificate/);
    // no key material in any message
    const keyText = readFileSync(pki.client.key, 'utf8');
    for (const m of [swapped.message, mismatch.message]) expect(m).not.toContain(keyText.split('\n')[1]!);
  });
  it('rejects TLS flags with an explicit http:// URL, bad numbers and other schemes', async () => {
    const e = await failure(fetchProfile(`http://127.0.0.1:${plain.port}/debug/pprof/heap`, withClientCert()));
    expect(e.message).toMatch(/--cacert, --cert and --key are for https:\/\/ URLs/);
    expect((await failure(fetchProfile('h:1/debug/pprof/profile', { seconds: 1.5 }))).message).toMatch(
      /--seconds must be a whole number/,
    );
    expect((await failure(fetchProfile('h:1/debug/pprof/profile', { seconds: 30, timeout: 10 }))).message).toMatch(
      /--timeout 10 is not longer than the 30s/,
    );
    expect((await failure(fetchProfile('ftp://h/x', {}))).message).toMatch(/unsupported URL scheme 'ftp'/);
  });
  it('leaves no stray files behind in the save directory on failures before the download', () => {
    expect(existsSync(dir)).toBe(true);
    const stray = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    expect(stray).toEqual([]);
  });
});

describe('fetchProfile: redirects', () => {
  it('refuses a redirect from https to plain http', async () => {
    const down = await startHttps(pki.server, (_req, res) => {
      res.statusCode = 302;
      res.setHeader('Location', `http://127.0.0.1:${plain.port}/debug/pprof/heap`);
      res.end();
    });
    try {
      const e = await failure(
        fetchProfile(`https://127.0.0.1:${down.port}/debug/pprof/heap`, { cacert: pki.ca, dir, progress: false }),
      );
      expect(e.message).toMatch(/redirected from https to plain http; refusing to drop TLS/);
    } finally {
      await down.close();
    }
  });
});
