import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { fetchOptionsFromArgs } from '../../src/cli/fetch-options.js';
import { isUrl } from '../../src/fetch/resolve.js';
import { defaultFileName } from '../../src/fetch/save.js';
import {
  applySeconds,
  effectiveTimeout,
  expectedServerSeconds,
  parseFetchUrl,
  profileName,
  redactUrl,
  redactUrlText,
  scrub,
  urlSecrets,
} from '../../src/fetch/url.js';

describe('isUrl', () => {
  it.each([
    'http://127.0.0.1:2379/debug/pprof/heap',
    'https://etcd-0.example.com:2379/debug/pprof/profile?seconds=30',
    'https+insecure://10.0.0.1:2379/debug/pprof/heap',
    '127.0.0.1:2379/debug/pprof/heap',
    'localhost:6060',
    'etcd-0.etcd:2379/debug/pprof/goroutine?debug=2',
    '[::1]:2379/debug/pprof/heap',
    'etcd-0/debug/pprof/heap',
    'ftp://host/file', // rejected later with a clear message, not taken for a file name
  ])('%s is a URL', (arg) => {
    expect(isUrl(arg)).toBe(true);
  });
  it.each([
    'heap.pb.gz',
    './samples/etcd.cpu.pb.gz',
    '/tmp/profile',
    'C:\\profiles\\heap.pb.gz',
    'pprof-doctor.127.0.0.1_2379.heap.20250101-120000.pb.gz',
    '-',
  ])('%s is a file', (arg) => {
    expect(isUrl(arg)).toBe(false);
  });
});

describe('parseFetchUrl', () => {
  it('prepends http:// to host:port/path like pprof, https:// when TLS flags are given', () => {
    expect(parseFetchUrl('127.0.0.1:2379/debug/pprof/heap').url.href).toBe('http://127.0.0.1:2379/debug/pprof/heap');
    expect(parseFetchUrl('127.0.0.1:2379/debug/pprof/heap', { preferHttps: true }).url.href).toBe(
      'https://127.0.0.1:2379/debug/pprof/heap',
    );
    expect(parseFetchUrl('http://h:1/debug/pprof/heap', { preferHttps: true }).url.protocol).toBe('http:');
  });
  it('fetches the CPU profile handler when the path is empty, like go tool pprof', () => {
    expect(parseFetchUrl('localhost:6060').url.pathname).toBe('/debug/pprof/profile');
    expect(parseFetchUrl('https://h:2379/').url.pathname).toBe('/debug/pprof/profile');
  });
  it('takes https+insecure:// as https without verification', () => {
    const p = parseFetchUrl('https+insecure://h:2379/debug/pprof/heap');
    expect(p.url.protocol).toBe('https:');
    expect(p.insecureScheme).toBe(true);
  });
  it('rejects other schemes and hosts without names, without echoing credentials', () => {
    expect(() => parseFetchUrl('ftp://u:secretpw@h/x')).toThrow(UserError);
    expect(() => parseFetchUrl('ftp://u:secretpw@h/x')).toThrow(/unsupported URL scheme 'ftp'/);
    try {
      parseFetchUrl('file:///etc/passwd');
    } catch (e) {
      expect((e as Error).message).toMatch(/only http:\/\/ and https:\/\//);
    }
    let msg = '';
    try {
      parseFetchUrl('ftp://u:secretpw@h/x');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).not.toContain('secretpw');
    expect(() => parseFetchUrl('')).toThrow(UserError);
    expect(() => parseFetchUrl('http://')).toThrow(UserError);
  });
});

describe('seconds and timeout', () => {
  it('sets seconds= in the query, replacing a value already there', () => {
    const { url } = parseFetchUrl('h:1/debug/pprof/profile?seconds=5&x=1');
    applySeconds(url, 30);
    expect(url.searchParams.get('seconds')).toBe('30');
    expect(url.searchParams.get('x')).toBe('1');
  });
  it('defaults the timeout to 60 s, or seconds×1.5+5, unless given', () => {
    expect(effectiveTimeout(new URL('http://h/debug/pprof/heap'), undefined)).toBe(60);
    expect(effectiveTimeout(new URL('http://h/debug/pprof/profile?seconds=30'), undefined)).toBe(50);
    expect(effectiveTimeout(new URL('http://h/debug/pprof/profile?seconds=30'), 100)).toBe(100);
  });
  it('expects the server to take `seconds`, or 30 s for the CPU handler without it', () => {
    expect(expectedServerSeconds(new URL('http://h/debug/pprof/heap'))).toBeUndefined();
    expect(expectedServerSeconds(new URL('http://h/debug/pprof/heap?seconds=10'))).toBe(10);
    expect(expectedServerSeconds(new URL('http://h/debug/pprof/profile'))).toBe(30);
  });
  it('fetchOptionsFromArgs reads the shared flags and rejects non-numbers', () => {
    expect(
      fetchOptionsFromArgs({ seconds: 5, timeout: 9, cacert: 'ca.pem', cert: ['a.pem', 'b.pem'], key: 'k.pem' }),
    ).toEqual({ seconds: 5, timeout: 9, cacert: 'ca.pem', cert: 'b.pem', key: 'k.pem' });
    expect(fetchOptionsFromArgs({ insecureSkipTlsVerify: true }).insecureSkipTlsVerify).toBe(true);
    expect(() => fetchOptionsFromArgs({ seconds: Number.NaN })).toThrow(/--seconds needs a number/);
    expect(() => fetchOptionsFromArgs({ cert: '' })).toThrow(/--cert needs a file name/);
  });
});

describe('redaction', () => {
  it('hides user-info and secret query values in printed URLs', () => {
    const u = new URL('https://alice:s3cr3tpw@etcd:2379/debug/pprof/heap?token=abc123xyz&debug=1');
    const shown = redactUrl(u);
    expect(shown).toBe('https://***@etcd:2379/debug/pprof/heap?token=***&debug=1');
    expect(shown).not.toMatch(/alice|s3cr3tpw|abc123xyz/);
    // the URL object itself keeps its credentials for the request
    expect(u.password).toBe('s3cr3tpw');
  });
  it('redacts URL-ish text that does not parse', () => {
    expect(redactUrlText('ftp://bob:pw@h/x?access_token=zzz&a=1')).toBe('ftp://***@h/x?access_token=***&a=1');
    expect(redactUrlText('bob:pw@h:1/x')).toBe('***@h:1/x');
  });
  it('scrubs the secrets of a URL from free text, longest first', () => {
    const u = new URL('https://alice:p%40ssw0rd@h/x?api_key=KEY12345');
    const secrets = urlSecrets(u);
    expect(secrets).toContain('p@ssw0rd');
    expect(scrub('denied for alice with p@ssw0rd and KEY12345', secrets)).toBe('denied for *** with *** and ***');
  });
});

describe('default file name', () => {
  it('names host, port, profile and local time, nothing else of the URL', () => {
    const u = new URL('https://alice:pw1234@etcd-0.example:2379/debug/pprof/heap?token=t0k3n');
    const name = defaultFileName(u, '.pb.gz', new Date(2025, 0, 2, 3, 4, 5));
    expect(name).toBe('pprof-doctor.etcd-0.example_2379.heap.20250102-030405.pb.gz');
    expect(defaultFileName(new URL('http://[::1]/debug/pprof/goroutine?debug=2'), '.txt', new Date(2025, 0, 2))).toBe(
      'pprof-doctor.__1_80.goroutine.20250102-000000.txt',
    );
  });
  it('sanitises odd path segments', () => {
    expect(profileName(new URL('http://h/debug/pprof/'))).toBe('index');
    expect(profileName(new URL('http://h/debug/pprof/..%2F..%2Fetc'))).toBe('_.._etc');
    expect(profileName(new URL('http://h/a b'))).toBe('a_b');
  });
});
