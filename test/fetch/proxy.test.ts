// Which proxy a URL goes through (HTTPS_PROXY / HTTP_PROXY / NO_PROXY), against Go's net/http rules:
// a table of cases, then the same decisions asked of Go itself when a Go toolchain is installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { type ProxyEnv, parseIp, proxyForUrl } from '../../src/fetch/proxy.js';

const PROXY = 'http://proxy.corp:3128';

/** The proxy's host:port for `url` under `env`, or 'DIRECT'. */
function decide(url: string, env: ProxyEnv): string {
  const p = proxyForUrl(new URL(url), env);
  return p === undefined ? 'DIRECT' : `${p.url.protocol}//${p.url.host}`;
}

describe('proxyForUrl: which variable', () => {
  it('https:// uses HTTPS_PROXY and http:// uses HTTP_PROXY, with no fall-back between them', () => {
    const env = { HTTPS_PROXY: 'http://tls-proxy:1', HTTP_PROXY: 'http://plain-proxy:2' };
    expect(decide('https://etcd-0.example:2379/debug/pprof/heap', env)).toBe('http://tls-proxy:1');
    expect(decide('http://etcd-0.example:2379/debug/pprof/heap', env)).toBe('http://plain-proxy:2');
    expect(decide('https://etcd-0.example:2379/', { HTTP_PROXY: PROXY })).toBe('DIRECT');
    expect(decide('http://etcd-0.example:2379/', { HTTPS_PROXY: PROXY })).toBe('DIRECT');
  });
  it('the upper-case name wins; an empty one counts as unset; the lower-case form works alone', () => {
    expect(decide('https://a.example/', { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })).toBe(
      'http://upper:1',
    );
    expect(decide('https://a.example/', { HTTPS_PROXY: '', https_proxy: 'http://lower:2' })).toBe('http://lower:2');
    expect(decide('http://a.example/', { http_proxy: 'http://lower:2' })).toBe('http://lower:2');
    expect(decide('https://a.example/', { HTTPS_PROXY: PROXY, NO_PROXY: '', no_proxy: 'a.example' })).toBe('DIRECT');
  });
  it('a bare host:port is an http:// proxy; https:// proxies are kept; default ports apply', () => {
    expect(decide('https://a.example/', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(decide('https://a.example/', { HTTPS_PROXY: '10.1.2.3:8080' })).toBe('http://10.1.2.3:8080');
    expect(decide('https://a.example/', { HTTPS_PROXY: 'https://proxy.corp' })).toBe('https://proxy.corp');
    const p = proxyForUrl(new URL('https://a.example/'), { HTTPS_PROXY: 'https://proxy.corp' })!;
    expect(p.url.port).toBe(''); // 443 implied
  });
});

describe('proxyForUrl: hosts that are never proxied', () => {
  it.each([
    'https://localhost:2379/',
    'https://127.0.0.1:2379/',
    'https://127.42.0.7:2379/',
    'https://[::1]:2379/',
    'https://[::ffff:127.0.0.1]:2379/',
  ])('%s (loopback, like Go) goes direct even without NO_PROXY', (url) => {
    expect(decide(url, { HTTPS_PROXY: PROXY })).toBe('DIRECT');
  });
  it('a name that merely resolves to loopback, or another local address, is proxied (Go looks at the text)', () => {
    expect(decide('https://localhost.localdomain/', { HTTPS_PROXY: PROXY })).toBe(PROXY);
    expect(decide('https://0.0.0.0:2379/', { HTTPS_PROXY: PROXY })).toBe(PROXY);
    expect(decide('https://[::2]:2379/', { HTTPS_PROXY: PROXY })).toBe(PROXY);
  });
});

describe('proxyForUrl: NO_PROXY', () => {
  const cases: Array<[string, string, boolean]> = [
    // [NO_PROXY, URL, proxied]
    ['*', 'https://etcd-0.example:2379/', false],
    ['foo.com,*', 'https://etcd-0.example:2379/', false],
    ['example.com', 'https://example.com/', false],
    ['example.com', 'https://etcd-0.example.com:2379/', false],
    ['example.com', 'https://notexample.com/', true],
    ['.example.com', 'https://example.com/', true],
    ['.example.com', 'https://etcd-0.example.com/', false],
    ['*.example.com', 'https://example.com/', true],
    ['*.example.com', 'https://a.b.example.com/', false],
    [' Example.COM ', 'https://ETCD.example.com/', false],
    ['example.com:2379', 'https://etcd.example.com:2379/', false],
    ['example.com:2379', 'https://etcd.example.com:2380/', true],
    ['example.com:443', 'https://etcd.example.com/', false],
    ['example.com:80', 'http://etcd.example.com/', false],
    ['10.0.0.5', 'https://10.0.0.5:2379/', false],
    ['10.0.0.5', 'https://10.0.0.6:2379/', true],
    ['10.0.0.5:2379', 'https://10.0.0.5:2379/', false],
    ['10.0.0.5:2379', 'https://10.0.0.5:2380/', true],
    ['10.0.0.0/8', 'https://10.200.3.4:2379/', false],
    ['10.0.0.0/8', 'https://11.0.0.1:2379/', true],
    ['192.168.1.0/24', 'https://192.168.1.255/', false],
    ['192.168.1.0/24', 'https://192.168.2.1/', true],
    ['2001:db8::/32', 'https://[2001:db8:1::7]:2379/', false],
    ['2001:db8::/32', 'https://[2001:db9::7]:2379/', true],
    ['2001:db8::7', 'https://[2001:db8::7]:2379/', false],
    ['[2001:db8::7]:2379', 'https://[2001:db8::7]:2379/', false],
    ['[2001:db8::7]:2379', 'https://[2001:db8::7]:2380/', true],
    ['::ffff:10.0.0.5', 'https://10.0.0.5/', false], // the same address written as IPv6
    ['2001:db8::/32', 'https://10.0.0.1/', true], // an IPv6 block holds no IPv4 address
    ['0.0.5', 'https://10.0.0.5/', false], // not an IP: a domain suffix, matched as text, as Go does
    [',, ,foo.com,', 'https://etcd.example.com/', true], // empty entries ignored
    [':2379', 'https://etcd.example.com:2379/', true], // no host: ignored, as Go does
    ['bücher.example', 'https://www.xn--bcher-kva.example/', false], // compared in punycode
  ];
  it.each(cases)('NO_PROXY=%j, %s: proxied %s', (noProxy, url, proxied) => {
    expect(decide(url, { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY, NO_PROXY: noProxy })).toBe(proxied ? PROXY : 'DIRECT');
  });
});

describe('proxyForUrl: credentials and bad values', () => {
  it('user:password in the proxy URL becomes Proxy-Authorization, and the label hides it', () => {
    const p = proxyForUrl(new URL('https://etcd.example/'), {
      HTTPS_PROXY: 'http://al%40ice:s3cr%3At@proxy.corp:3128',
    })!;
    expect(p.authorization).toBe(`Basic ${Buffer.from('al@ice:s3cr:t').toString('base64')}`);
    expect(p.label).toBe('http://***@proxy.corp:3128 (HTTPS_PROXY)');
    expect(p.variable).toBe('HTTPS_PROXY');
    expect(p.secrets).toEqual(expect.arrayContaining(['al%40ice', 'al@ice', 's3cr%3At', 's3cr:t']));
    const q = proxyForUrl(new URL('https://etcd.example/'), { https_proxy: 'proxy.corp:3128' })!;
    expect(q.authorization).toBeUndefined();
    expect(q.label).toBe('http://proxy.corp:3128 (https_proxy)');
  });
  function error(env: ProxyEnv, url = 'https://etcd.example/'): string {
    try {
      proxyForUrl(new URL(url), env);
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return (err as UserError).message;
    }
    throw new Error('no error');
  }
  it('a SOCKS proxy or a value that is no URL is an error naming the variable, credentials hidden', () => {
    expect(error({ HTTPS_PROXY: 'socks5://bob:hunter22@proxy.corp:1080' })).toBe(
      "HTTPS_PROXY 'socks5://***@proxy.corp:1080' is a socks5:// proxy; only http:// and https:// proxies are supported",
    );
    expect(error({ https_proxy: 'http://bob:hunter22@[bad' })).toBe(
      "https_proxy 'http://***@[bad' is not a valid proxy URL (expected http://[user:password@]host:port)",
    );
  });
  it('a bad value does not matter for hosts that are not proxied', () => {
    expect(decide('https://127.0.0.1:2379/', { HTTPS_PROXY: 'socks5://proxy:1080' })).toBe('DIRECT');
    expect(decide('https://etcd.example/', { HTTPS_PROXY: 'socks5://proxy:1080', NO_PROXY: '*' })).toBe('DIRECT');
  });
  it('refuses HTTP_PROXY in a CGI environment (httpoxy), as Go does; HTTPS_PROXY is still used', () => {
    expect(error({ HTTP_PROXY: PROXY, REQUEST_METHOD: 'GET' }, 'http://etcd.example/')).toMatch(
      /^refusing to use HTTP_PROXY in a CGI environment \(REQUEST_METHOD is set\)/,
    );
    expect(decide('https://etcd.example/', { HTTPS_PROXY: PROXY, REQUEST_METHOD: 'GET' })).toBe(PROXY);
  });
});

describe('parseIp (Go net.ParseIP)', () => {
  it.each([
    ['10.0.0.1', true],
    ['255.255.255.255', true],
    ['256.0.0.1', false],
    ['010.0.0.1', false], // leading zeros are refused since Go 1.17
    ['1.2.3', false],
    ['::1', true],
    ['2001:db8::1', true],
    ['::ffff:1.2.3.4', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7::8', false], // '::' must stand for at least one group
    ['1:2:3:4:5:6:1.2.3.4', true],
    ['1::2::3', false],
    ['12345::1', false],
    ['fe80::1%eth0', false],
    ['example.com', false],
  ])('%s parses: %s', (text, ok) => {
    expect(parseIp(text) !== undefined).toBe(ok);
  });
});

// Go's own answers: http.ProxyFromEnvironment reads the environment once per process, so the
// helper runs once per environment and is asked about every URL at once.
const GO_HELPER = `package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	for _, u := range os.Args[1:] {
		req, err := http.NewRequest("GET", u, nil)
		if err != nil {
			fmt.Println("ERROR")
			continue
		}
		p, err := http.ProxyFromEnvironment(req)
		if err != nil {
			fmt.Println("ERROR")
		} else if p == nil {
			fmt.Println("DIRECT")
		} else {
			fmt.Println(p.Scheme + "://" + p.Host)
		}
	}
}
`;

function goAvailable(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!goAvailable())("proxyForUrl agrees with Go's http.ProxyFromEnvironment", () => {
  const urls = [
    'https://etcd-0.example.com:2379/debug/pprof/heap',
    'http://etcd-0.example.com:2379/debug/pprof/heap',
    'https://example.com/',
    'https://notexample.com/',
    'https://a.b.example.com/',
    'https://etcd.example.com:2380/',
    'http://etcd.example.com/',
    'https://localhost:2379/',
    'https://127.0.0.1:2379/',
    'https://127.9.9.9/',
    'https://[::1]:2379/',
    'https://[::ffff:127.0.0.1]/',
    'https://0.0.0.0/',
    'https://10.0.0.5:2379/',
    'https://10.0.0.5:2380/',
    'https://10.200.3.4/',
    'https://11.0.0.1/',
    'https://192.168.1.255/',
    'https://[2001:db8:1::7]:2379/',
    'https://[2001:db8::7]:2380/',
    'https://[2001:db9::7]/',
    'https://www.xn--bcher-kva.example/',
  ];
  const envs: ProxyEnv[] = [
    { HTTPS_PROXY: PROXY },
    { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', http_proxy: 'http://plain:3' },
    { https_proxy: 'proxy.corp:3128', NO_PROXY: 'example.com' },
    { HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY, NO_PROXY: '.example.com, 10.0.0.5:2379' },
    { HTTPS_PROXY: PROXY, no_proxy: '*.example.com:2379,10.0.0.0/8,2001:db8::/32' },
    { HTTPS_PROXY: PROXY, NO_PROXY: '192.168.1.0/24,[2001:db8::7]:2379,::ffff:10.0.0.5,0.0.5' },
    { HTTPS_PROXY: PROXY, NO_PROXY: 'foo.com,*' },
    { HTTPS_PROXY: 'https://secure-proxy:8443', NO_PROXY: 'bücher.example,:2379,,' },
  ];
  it('on every URL under every environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-goproxy-'));
    try {
      writeFileSync(join(dir, 'main.go'), GO_HELPER);
      writeFileSync(join(dir, 'go.mod'), 'module proxycheck\n\ngo 1.19\n');
      const exe = join(dir, 'proxycheck');
      execFileSync('go', ['build', '-o', exe, '.'], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, GOFLAGS: '-mod=mod', GOCACHE: join(dir, 'cache'), GOPATH: join(dir, 'gopath') },
      });
      const clean: NodeJS.ProcessEnv = { PATH: process.env.PATH };
      for (const env of envs) {
        const go = execFileSync(exe, urls, { env: { ...clean, ...env } as NodeJS.ProcessEnv, encoding: 'utf8' })
          .trim()
          .split('\n');
        const ours = urls.map((u) => decide(u, env));
        expect({ env, decisions: ours }).toEqual({ env, decisions: go });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
