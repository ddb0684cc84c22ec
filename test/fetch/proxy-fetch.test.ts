// fetchProfile through a proxy on 127.0.0.1: http:// forwarded, https:// through a CONNECT tunnel
// with the member's mTLS inside it, NO_PROXY, and the proxy's failures. The member is fetched as
// member.pprof-doctor.test (loopback hosts are never proxied); only the test proxy resolves that name.
import type { LookupFunction } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { httpGet } from '../../src/fetch/http.js';
import { type FetchOptions, fetchProfile } from '../../src/fetch/resolve.js';
import { loadTlsMaterial } from '../../src/fetch/tls.js';
import { type Pki, makePki } from './helpers/pki.js';
import { type RunningProxy, startProxy } from './helpers/proxy.js';
import { type Running, closedPort, smallProfileGz, startHttp, startHttps } from './helpers/servers.js';

const HOST = 'member.pprof-doctor.test';
const USER = 'proxyuser';
const PASS = 'pr0xy-s3cret';

let pki: Pki;
let mtls: Running;
let plain: Running;
let proxy: RunningProxy; // no credentials needed
let authProxy: RunningProxy; // wants USER:PASS
let tlsProxy: RunningProxy; // an https:// proxy
let refusing: RunningProxy; // answers CONNECT with 403
let silentProxy: RunningProxy; // never answers CONNECT
let dir: string;
const profile = smallProfileGz();

function handler(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const u = new URL(req.url ?? '/', 'http://x');
  if (u.pathname === '/debug/pprof/heap') {
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(profile);
  } else if (u.pathname === '/moved') {
    res.statusCode = 302;
    res.setHeader('Location', `https://127.0.0.1:${mtls.port}/debug/pprof/heap`);
    res.end();
  } else {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Unknown profile\n');
  }
}

beforeAll(async () => {
  pki = makePki();
  mtls = await startHttps(pki.server, handler, pki.ca);
  plain = await startHttp(handler);
  proxy = await startProxy();
  authProxy = await startProxy({ auth: `${USER}:${PASS}` });
  tlsProxy = await startProxy({ tls: pki.server });
  refusing = await startProxy({ refuseConnect: '403 Forbidden' });
  silentProxy = await startProxy({ silent: true });
  dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-proxy-'));
});

afterAll(async () => {
  await Promise.all([mtls, plain, proxy, authProxy, tlsProxy, refusing, silentProxy].map((s) => s?.close()));
  pki?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const mtlsOpts = (env: Record<string, string>): FetchOptions => ({
  cacert: pki.ca,
  cert: pki.client.cert,
  key: pki.client.key,
  dir,
  progress: false,
  env,
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
  expect(u.message).not.toContain(PASS);
  expect(u.message).not.toContain(USER);
  return u;
}

describe('fetch through a proxy', () => {
  it('https:// goes through a CONNECT tunnel, mTLS end to end, proxy credentials only to the proxy', async () => {
    const url = `https://${HOST}:${mtls.port}/debug/pprof/heap`;
    const seenBefore = mtls.headers.length;
    const r = await fetchProfile(url, mtlsOpts({ HTTPS_PROXY: `http://${USER}:${PASS}@127.0.0.1:${authProxy.port}` }));
    expect(r.bytes).toEqual(profile);
    expect(r.url).toBe(url);
    expect(r.savedTo).toContain(`pprof-doctor.${HOST}_${mtls.port}.heap.`);
    const connect = authProxy.seen.at(-1)!;
    expect(connect.method).toBe('CONNECT');
    expect(connect.target).toBe(`${HOST}:${mtls.port}`);
    expect(connect.headers['proxy-authorization']).toBe(`Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`);
    // The member got the request (through the tunnel, client certificate accepted) without the proxy's credentials.
    expect(mtls.headers.length).toBe(seenBefore + 1);
    expect(mtls.headers.at(-1)!['proxy-authorization']).toBeUndefined();
    expect(mtls.headers.at(-1)!.host).toBe(`${HOST}:${mtls.port}`);
  });

  it('http:// is sent to the proxy with the absolute URL; URL credentials still go as Authorization', async () => {
    const r = await fetchProfile(`http://alice:wonder1and@${HOST}:${plain.port}/debug/pprof/heap?seconds=1`, {
      dir,
      progress: false,
      env: { http_proxy: `127.0.0.1:${proxy.port}` },
    });
    expect(r.bytes).toEqual(profile);
    expect(r.url).toBe(`http://***@${HOST}:${plain.port}/debug/pprof/heap?seconds=1`);
    const fwd = proxy.seen.at(-1)!;
    expect(fwd.method).toBe('GET');
    expect(fwd.target).toBe(`http://${HOST}:${plain.port}/debug/pprof/heap?seconds=1`); // no user-info in the line
    expect(fwd.headers.host).toBe(`${HOST}:${plain.port}`);
    expect(fwd.headers.authorization).toBe(`Basic ${Buffer.from('alice:wonder1and').toString('base64')}`);
    expect(plain.urls.at(-1)).toBe('/debug/pprof/heap?seconds=1');
  });

  it('an https:// proxy is reached over TLS (verified with the same roots) and tunnels mTLS inside', async () => {
    const before = tlsProxy.seen.length;
    const r = await fetchProfile(
      `https://${HOST}:${mtls.port}/debug/pprof/heap`,
      mtlsOpts({ HTTPS_PROXY: `https://127.0.0.1:${tlsProxy.port}` }),
    );
    expect(r.bytes).toEqual(profile);
    expect(tlsProxy.seen.slice(before).map((s) => s.method)).toEqual(['CONNECT']);
    // Not trusted without the CA that signed the proxy's certificate: refused, naming the proxy.
    const e = await failure(
      fetchProfile(`https://${HOST}:${mtls.port}/debug/pprof/heap`, {
        ...mtlsOpts({ HTTPS_PROXY: `https://127.0.0.1:${tlsProxy.port}` }),
        cacert: undefined,
        insecureSkipTlsVerify: true,
      }),
    );
    expect(e.message).toMatch(
      new RegExp(
        `^cannot fetch https://${HOST}:${mtls.port}/debug/pprof/heap via https://127\\.0\\.0\\.1:${tlsProxy.port} \\(HTTPS_PROXY\\): unable to verify the proxy's TLS certificate: `,
      ),
    );
  });

  it("the member's certificate is checked against its name inside the tunnel", async () => {
    const e = await failure(
      fetchProfile(
        `https://other.pprof-doctor.test:${mtls.port}/debug/pprof/heap`,
        mtlsOpts({ HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` }),
      ),
    );
    expect(e.message).toMatch(
      /via http:\/\/127\.0\.0\.1:\d+ \(HTTPS_PROXY\): the server certificate is not valid for 'other\.pprof-doctor\.test'/,
    );
  });

  it('server errors through the proxy name the proxy too', async () => {
    const e = await failure(
      fetchProfile(
        `https://${HOST}:${mtls.port}/debug/pprof/nosuch`,
        mtlsOpts({ HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` }),
      ),
    );
    expect(e.message).toBe(
      `cannot fetch https://${HOST}:${mtls.port}/debug/pprof/nosuch via http://127.0.0.1:${proxy.port} (HTTPS_PROXY): server response: 404 Not Found - Unknown profile`,
    );
  });
});

describe('hosts reached directly', () => {
  it('loopback hosts are never proxied, even when the proxy is down', async () => {
    const down = await closedPort();
    const r = await fetchProfile(
      `https://127.0.0.1:${mtls.port}/debug/pprof/heap`,
      mtlsOpts({ HTTPS_PROXY: `http://127.0.0.1:${down}` }),
    );
    expect(r.bytes).toEqual(profile);
  });

  it('NO_PROXY: a listed domain connects directly and the proxy sees nothing', async () => {
    // Name resolution for the direct connection: the test's .test name is this machine.
    const lookup = ((_host: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) => {
      if (options.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    }) as unknown as LookupFunction;
    const before = proxy.seen.length;
    const tls = loadTlsMaterial({ cacert: pki.ca, cert: pki.client.cert, key: pki.client.key });
    const get = (noProxy: string) =>
      httpGet({
        url: new URL(`https://${HOST}:${mtls.port}/debug/pprof/heap`),
        tls,
        insecureSkipTlsVerify: false,
        timeoutMs: 10_000,
        maxBytes: 1 << 20,
        secrets: [],
        env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: noProxy },
        lookup,
      });
    for (const noProxy of ['.pprof-doctor.test', `${HOST}:${mtls.port}`, 'example.com, *']) {
      const r = await get(noProxy);
      expect(Buffer.from(r.bytes)).toEqual(Buffer.from(profile));
    }
    expect(proxy.seen.length).toBe(before);
    // A NO_PROXY entry for another port does not apply: through the proxy.
    await get(`${HOST}:1`);
    expect(proxy.seen.length).toBe(before + 1);
  });

  it('a redirect to a loopback host leaves the proxy', async () => {
    const before = proxy.seen.length;
    const r = await fetchProfile(`https://${HOST}:${mtls.port}/moved`, {
      ...mtlsOpts({ HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` }),
    });
    expect(r.bytes).toEqual(profile);
    expect(proxy.seen.length).toBe(before + 1); // only the first hop was tunnelled
  });
});

describe("the proxy's failures: one line naming the proxy, never its credentials", () => {
  const url = () => `https://${HOST}:${mtls.port}/debug/pprof/heap`;

  it('connection refused', async () => {
    const port = await closedPort();
    const e = await failure(fetchProfile(url(), mtlsOpts({ HTTPS_PROXY: `http://${USER}:${PASS}@127.0.0.1:${port}` })));
    expect(e.message).toBe(
      `cannot fetch ${url()} via http://***@127.0.0.1:${port} (HTTPS_PROXY): connection refused by the proxy (is it running, and is HTTPS_PROXY right? NO_PROXY lists hosts to reach directly)`,
    );
    const e2 = await failure(
      fetchProfile(`http://${HOST}:${plain.port}/debug/pprof/heap`, {
        dir,
        progress: false,
        env: { HTTP_PROXY: `http://${USER}:${PASS}@127.0.0.1:${port}` },
      }),
    );
    expect(e2.message).toMatch(/via http:\/\/\*\*\*@127\.0\.0\.1:\d+ \(HTTP_PROXY\): connection refused by the proxy/);
  });

  it('407 without credentials, and with wrong ones, for CONNECT and for forwarded requests', async () => {
    const noCreds = await failure(fetchProfile(url(), mtlsOpts({ HTTPS_PROXY: `http://127.0.0.1:${authProxy.port}` })));
    expect(noCreds.message).toBe(
      `cannot fetch ${url()} via http://127.0.0.1:${authProxy.port} (HTTPS_PROXY): the proxy answered 407 Proxy Authentication Required: put its user name and password in HTTPS_PROXY (http://user:password@host:port)`,
    );
    const wrong = await failure(
      fetchProfile(url(), mtlsOpts({ https_proxy: `http://${USER}:${PASS}x@127.0.0.1:${authProxy.port}` })),
    );
    expect(wrong.message).toBe(
      `cannot fetch ${url()} via http://***@127.0.0.1:${authProxy.port} (https_proxy): the proxy answered 407 Proxy Authentication Required: it did not accept the user name and password in https_proxy`,
    );
    const fwd = await failure(
      fetchProfile(`http://${HOST}:${plain.port}/debug/pprof/heap`, {
        dir,
        progress: false,
        env: { HTTP_PROXY: `http://${USER}:nope-${PASS}@127.0.0.1:${authProxy.port}` },
      }),
    );
    expect(fwd.message).toBe(
      `cannot fetch http://${HOST}:${plain.port}/debug/pprof/heap via http://***@127.0.0.1:${authProxy.port} (HTTP_PROXY): the proxy answered 407 Proxy Authentication Required: it did not accept the user name and password in HTTP_PROXY`,
    );
  });

  it('CONNECT refused', async () => {
    const e = await failure(fetchProfile(url(), mtlsOpts({ HTTPS_PROXY: `http://127.0.0.1:${refusing.port}` })));
    expect(e.message).toBe(
      `cannot fetch ${url()} via http://127.0.0.1:${refusing.port} (HTTPS_PROXY): the proxy refused the CONNECT tunnel to ${HOST}:${mtls.port}: 403 Forbidden`,
    );
  });

  it('a proxy that never answers runs into the timeout', async () => {
    const t0 = Date.now();
    const e = await failure(
      fetchProfile(url(), { ...mtlsOpts({ HTTPS_PROXY: `http://127.0.0.1:${silentProxy.port}` }), timeout: 0.5 }),
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.message).toBe(
      `cannot fetch ${url()} via http://127.0.0.1:${silentProxy.port} (HTTPS_PROXY): timed out after 0.5s; pass a larger --timeout to wait longer`,
    );
  });

  it('an unusable proxy variable is reported before anything is sent', async () => {
    const e = await failure(fetchProfile(url(), mtlsOpts({ HTTPS_PROXY: `socks5://${USER}:${PASS}@127.0.0.1:1080` })));
    expect(e.message).toBe(
      "HTTPS_PROXY 'socks5://***@127.0.0.1:1080' is a socks5:// proxy; only http:// and https:// proxies are supported",
    );
  });
});
