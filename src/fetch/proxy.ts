/**
 * Which proxy a request goes through, from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or their lower-case
 * forms), with the rules of Go's net/http ProxyFromEnvironment, so that pprof-doctor reaches a member
 * exactly when `go tool pprof` and etcdctl on the same shell would:
 *  - https:// URLs use HTTPS_PROXY, http:// URLs HTTP_PROXY (no fall-back from one to the other);
 *    the upper-case name wins when both are set and non-empty;
 *  - `localhost` and loopback IP literals are never proxied, whatever NO_PROXY says;
 *  - NO_PROXY is a comma list of `*`, IP addresses, CIDR blocks, domain names (`example.com` matches
 *    it and its subdomains, `.example.com` and `*.example.com` only subdomains), each optionally with
 *    a `:port`.
 * Where Go is silent a clear error is better: a proxy value that is not a URL, or a SOCKS proxy, is
 * reported instead of being skipped. Pure code (no Node modules).
 */
import { UserError } from '../errors.js';
import { redactUrlText, urlSecrets } from './url.js';

/** The environment variables read here (process.env in real use). */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export interface ProxyChoice {
  /** The proxy, user-info included (never print it: use `label`). */
  url: URL;
  /** `http://***@proxy.corp:3128 (HTTPS_PROXY)`: safe to print. */
  label: string;
  /** Proxy-Authorization header value, from the proxy URL's user-info. */
  authorization?: string;
  /** The variable the proxy came from, for hints (`put the password in HTTPS_PROXY`). */
  variable: string;
  /** Strings to scrub from messages (the proxy's user name and password). */
  secrets: string[];
}

/**
 * The proxy for `url`, or undefined to connect directly. Throws UserError when the proxy variable
 * that applies cannot be used.
 */
export function proxyForUrl(url: URL, env: ProxyEnv): ProxyChoice | undefined {
  const names = url.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy'];
  const variable = names.find((n) => (env[n] ?? '') !== '');
  if (variable === undefined) return undefined;
  if (url.protocol === 'http:' && (env.REQUEST_METHOD ?? '') !== '') {
    // Go refuses too: in a CGI program a client's `Proxy:` header arrives as HTTP_PROXY (httpoxy).
    throw new UserError(
      `refusing to use ${variable} in a CGI environment (REQUEST_METHOD is set): a client can set it with a Proxy: header`,
    );
  }
  if (!useProxy(url, env.NO_PROXY || env.no_proxy || '')) return undefined;
  return parseProxy(env[variable]!, variable);
}

const SCHEME_RE = /^([a-z][a-z0-9+.-]*):\/\//i;

/** Parses a proxy variable's value: a URL, or `host[:port]` taken as http://. */
export function parseProxy(value: string, variable: string): ProxyChoice {
  const text = value.trim();
  const bad = (why: string) => new UserError(`${variable} '${redactUrlText(text)}' ${why}`);
  const scheme = SCHEME_RE.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw bad(`is a ${scheme}:// proxy; only http:// and https:// proxies are supported`);
  }
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `http://${text}` : text);
  } catch {
    throw bad('is not a valid proxy URL (expected http://[user:password@]host:port)');
  }
  if (url.hostname === '') throw bad('has no host');
  const hadUserInfo = url.username !== '' || url.password !== '';
  const label = `${url.protocol}//${hadUserInfo ? '***@' : ''}${url.host} (${variable})`;
  const choice: ProxyChoice = { url, label, variable, secrets: urlSecrets(url) };
  if (hadUserInfo) {
    choice.authorization = `Basic ${base64(`${decode(url.username)}:${decode(url.password)}`)}`;
  }
  return choice;
}

/** False when `url`'s host must be reached directly: loopback, or listed in NO_PROXY. */
export function useProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (host === '') return true;
  if (host === 'localhost') return false;
  const ip = parseIp(host);
  if (ip !== undefined && isLoopback(ip)) return false;
  for (const m of noProxyMatchers(noProxy)) {
    if (m(host, port, ip)) return false;
  }
  return true;
}

type Matcher = (host: string, port: string, ip: Ip | undefined) => boolean;

/** NO_PROXY entries as matchers, parsed as Go parses them (malformed entries are ignored). */
function noProxyMatchers(noProxy: string): Matcher[] {
  const out: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return [() => true];
    const cidr = parseCidr(p);
    if (cidr !== undefined) {
      out.push((_h, _p, ip) => ip !== undefined && cidrContains(cidr, ip));
      continue;
    }
    let phost = p;
    let pport = '';
    const split = splitHostPort(p);
    if (split !== undefined) {
      if (split.host === '') continue;
      phost = split.host;
      pport = split.port;
    }
    const pip = parseIp(phost);
    if (pip !== undefined) {
      out.push((_h, port, ip) => ip !== undefined && sameIp(pip, ip) && (pport === '' || pport === port));
      continue;
    }
    if (phost === '') continue;
    if (phost.startsWith('*.')) phost = phost.slice(1);
    const matchHost = !phost.startsWith('.');
    if (matchHost) phost = `.${phost}`;
    const suffix = toAscii(phost);
    out.push(
      (host, port) =>
        (host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) && (pport === '' || pport === port),
    );
  }
  return out;
}

/** Go's net.SplitHostPort: `host:port` or `[v6]:port`; undefined where Go returns an error. */
function splitHostPort(s: string): { host: string; port: string } | undefined {
  const i = s.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let from = 0;
  let to = 0;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0 || end + 1 !== i) return undefined;
    host = s.slice(1, end);
    from = 1;
    to = end + 1;
  } else {
    host = s.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (s.slice(from).includes('[') || s.slice(to).includes(']')) return undefined;
  return { host, port: s.slice(i + 1) };
}

/** A non-ASCII domain in NO_PROXY compared in its punycode form, as the URL's host is. */
function toAscii(domain: string): string {
  if (/^[\x00-\x7f]*$/.test(domain)) return domain;
  try {
    return `.${new URL(`http://${domain.slice(1)}`).hostname}`;
  } catch {
    return domain;
  }
}

/** An IP address as 16 bytes (IPv4 as ::ffff:a.b.c.d), and whether it is an IPv4 address. */
interface Ip {
  bytes: Uint8Array;
  v4: boolean;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Go's net.ParseIP: dotted IPv4 (no leading zeros) or IPv6 (`::`, trailing IPv4), no zone. */
export function parseIp(s: string): Ip | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { bytes: new Uint8Array([...V4_MAPPED_PREFIX, ...v4]), v4: true };
  const v6 = parseV6(s);
  if (v6 === undefined) return undefined;
  const mapped = V4_MAPPED_PREFIX.every((b, i) => v6[i] === b);
  return { bytes: v6, v4: mapped };
}

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): Uint8Array | undefined {
  if (!s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const fields = part.split(':');
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (i === fields.length - 1 && f.includes('.')) {
        const v4 = parseV4(f);
        if (v4 === undefined) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(f)) {
        out.push(Number.parseInt(f, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** Go's IP.IsLoopback: 127.0.0.0/8 (also IPv4-mapped) or ::1. */
function isLoopback(ip: Ip): boolean {
  if (ip.v4) return ip.bytes[12] === 127;
  return ip.bytes.every((b, i) => b === (i === 15 ? 1 : 0));
}

function sameIp(a: Ip, b: Ip): boolean {
  return a.bytes.every((x, i) => x === b.bytes[i]);
}

interface Cidr {
  ip: Ip;
  bits: number;
}

/** Go's net.ParseCIDR: `addr/bits`, bits at most 32 for IPv4 and 128 for IPv6. */
function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (ip === undefined || !/^\d{1,7}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const v4Text = parseV4(s.slice(0, slash)) !== undefined;
  if (bits > (v4Text ? 32 : 128)) return undefined;
  // Bits count over the 16-byte form. Go turns an IPv4-mapped IPv6 block into an IPv4 block by
  // keeping the last 4 bytes of its mask, hence the floor at 96.
  return { ip, bits: v4Text ? 96 + bits : ip.v4 ? Math.max(96, bits) : bits };
}

/**
 * Go's IPNet.Contains: an IPv4 block holds IPv4 addresses (mapped ones too); an IPv6 block only
 * addresses that are not IPv4.
 */
function cidrContains(c: Cidr, ip: Ip): boolean {
  if (c.ip.v4 !== ip.v4) return false;
  for (let bit = 0; bit < c.bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((c.ip.bytes[byte]! & mask) !== (ip.bytes[byte]! & mask)) return false;
  }
  return true;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
