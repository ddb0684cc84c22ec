/**
 * URL handling for fetching profiles: what counts as a URL, how a bare `host:port/path` is completed,
 * the `seconds` parameter, the default timeout, and redaction of secrets for anything printed.
 * Pure code (no Node modules): it can run in a browser.
 */
import { UserError } from '../errors.js';
import { redactText, SECRET_PARAM_RE } from '../report/redact.js';

/** Go's net/http/pprof CPU handler; `go tool pprof host:port` fetches it when the path is empty. */
export const CPU_PROFILE_PATH = '/debug/pprof/profile';
/** The CPU handler samples this long when no `seconds` parameter is given (net/http/pprof). */
export const SERVER_DEFAULT_CPU_SECONDS = 30;
/** Timeout when no `seconds` is involved (pprof's default). */
export const DEFAULT_TIMEOUT_SECONDS = 60;

const SCHEME_RE = /^([a-z][a-z0-9+.-]*):\/\//i;
// host:port[/...] — a hostname, IPv4 or [IPv6] with a port. A bare word with a colon and a number
// after it is very unlikely to be a file the user means.
const HOST_PORT_RE =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\]):\d{1,5}(?:[/?#].*)?$/i;
// host/debug/pprof/... without a port.
const HOST_PPROF_RE = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\/debug\/pprof(?:[/?#].*)?$/i;

/**
 * True when `arg` is meant as a URL rather than a file: it has a `scheme://` (any scheme, so that
 * `ftp://...` is rejected with a clear message by fetchProfile instead of "no such file"), or it
 * looks like `host:port[/path]` or `host/debug/pprof/...`.
 *
 * Syntax only: `go tool pprof` treats an argument as a file whenever a file of that name exists; a
 * caller that wants exactly that should stat the argument first.
 */
export function isUrl(arg: string): boolean {
  const s = arg.trim();
  if (SCHEME_RE.test(s)) return true;
  return HOST_PORT_RE.test(s) || HOST_PPROF_RE.test(s);
}

export interface ParsedFetchUrl {
  /** The URL to request, user-info included (never print it: use redactUrl). */
  url: URL;
  /** The scheme was `https+insecure://` (pprof's way of skipping verification). */
  insecureScheme: boolean;
  /** The argument had an explicit scheme. */
  schemeGiven: boolean;
}

/**
 * Parses a fetch argument. `host:port/path` gets `http://` prepended, like pprof, or `https://` when
 * `preferHttps` (TLS flags were given: etcd's client port speaks TLS). An empty path becomes
 * /debug/pprof/profile, like `go tool pprof`. Only http, https and https+insecure are accepted.
 */
export function parseFetchUrl(arg: string, opts: { preferHttps?: boolean } = {}): ParsedFetchUrl {
  const s = arg.trim();
  if (s === '') throw new UserError('empty URL');
  const m = SCHEME_RE.exec(s);
  let text = s;
  let insecureScheme = false;
  if (m) {
    const scheme = m[1]!.toLowerCase();
    if (scheme === 'https+insecure') {
      insecureScheme = true;
      text = `https://${s.slice(m[0].length)}`;
    } else if (scheme !== 'http' && scheme !== 'https') {
      throw new UserError(
        `${redactUrlText(s)}: unsupported URL scheme '${scheme}': only http:// and https:// can be fetched`,
      );
    }
  } else {
    text = `${opts.preferHttps ? 'https' : 'http'}://${s}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${redactUrlText(s)}: not a valid URL`);
  }
  if (url.hostname === '') throw new UserError(`${redactUrlText(s)}: the URL has no host`);
  if (url.pathname === '' || url.pathname === '/') url.pathname = CPU_PROFILE_PATH;
  url.hash = '';
  return { url, insecureScheme, schemeGiven: m !== null };
}

/** Sets `seconds=N` in the query (replacing any value there), as pprof's -seconds does. */
export function applySeconds(url: URL, seconds: number | undefined): void {
  if (seconds !== undefined && seconds > 0) url.searchParams.set('seconds', String(seconds));
}

/** The `seconds` query parameter as a positive integer, or undefined. */
export function secondsInUrl(url: URL): number | undefined {
  const v = url.searchParams.get('seconds');
  if (v === null || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}

/** How long the server will take to build the profile: the `seconds` parameter, or 30 for the CPU handler. */
export function expectedServerSeconds(url: URL): number | undefined {
  const s = secondsInUrl(url);
  if (s !== undefined) return s;
  return url.pathname.replace(/\/+$/, '').endsWith(CPU_PROFILE_PATH) ? SERVER_DEFAULT_CPU_SECONDS : undefined;
}

/**
 * The total time allowed for the request, in seconds: the explicit timeout, else seconds×1.5+5 when
 * the URL asks for `seconds` (pprof: 1.5× plus the 5 s its client adds), else 60.
 */
export function effectiveTimeout(url: URL, timeout: number | undefined): number {
  if (timeout !== undefined && timeout > 0) return timeout;
  const s = secondsInUrl(url);
  return s !== undefined ? s * 1.5 + 5 : DEFAULT_TIMEOUT_SECONDS;
}

// Query parameter names whose values are secrets.

/** A printable form of the URL: user-info replaced by `***`, secret-looking query values by `***`. */
export function redactUrl(url: URL): string {
  const u = new URL(url.href);
  const hadUserInfo = u.username !== '' || u.password !== '';
  u.username = '';
  u.password = '';
  for (const name of [...new Set(u.searchParams.keys())]) {
    if (SECRET_PARAM_RE.test(name)) u.searchParams.set(name, '***');
  }
  let out = u.href.replace(/%2A%2A%2A/g, '***');
  if (hadUserInfo) out = out.replace('://', '://***@');
  return out;
}

/** Redacts user-info and secret query values in a URL-ish string that may not parse. */
export function redactUrlText(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@')
    .replace(/^[^/?#@:]+:[^/?#@]*@/, '***@')
    .replace(/([?&]([^=&#]*)=)([^&#]*)/g, (all, head: string, name: string) =>
      SECRET_PARAM_RE.test(name) ? `${head}***` : all,
    );
}

/**
 * The secret strings of a URL (user name, password, secret query values; raw and decoded), for
 * scrubbing free text such as server error bodies. Strings shorter than 4 characters are left out:
 * scrubbing them would garble messages while hiding next to nothing.
 */
export function urlSecrets(url: URL): string[] {
  const out = new Set<string>();
  const add = (s: string) => {
    if (s.length >= 4) out.add(s);
    try {
      const d = decodeURIComponent(s);
      if (d.length >= 4) out.add(d);
    } catch {
      // not percent-encoded text: the raw form is enough
    }
  };
  add(url.username);
  add(url.password);
  for (const [name, value] of url.searchParams) {
    if (SECRET_PARAM_RE.test(name)) {
      add(value);
      add(encodeURIComponent(value));
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of the secrets in `text` with `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
  return redactText(text, secrets);
}

/** `host` and `port` for file names and progress lines (port defaulted from the scheme). */
export function hostAndPort(url: URL): { host: string; port: string } {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { host, port };
}

/** The profile name for a file name: the last path segment (`heap`, `profile`, `goroutine`, ...). */
export function profileName(url: URL): string {
  const segs = url.pathname.split('/').filter((s) => s !== '');
  const last = segs.length > 0 ? segs[segs.length - 1]! : 'index';
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // keep the raw segment
  }
  if (name === 'pprof') name = 'index';
  return safeNamePart(name) || 'profile';
}

/** Keeps letters, digits, '.', '-' and '_'; anything else becomes '_'. No leading dot. */
export function safeNamePart(s: string): string {
  return s
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 80);
}
