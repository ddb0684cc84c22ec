/**
 * One HTTP(S) GET with everything a profile download needs: client certificates, a total deadline,
 * a size cap, redirects, proxies from the environment, and errors that say what failed. Node-only.
 */
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { UserError } from '../errors.js';
import { formatSize } from '../input/gzip.js';
import { VERSION } from '../version.js';
import { DeadlineExceeded, describeNetError, describeProxyError, describeProxyRefusal, oneLine } from './net-errors.js';
import { type ProxyChoice, type ProxyEnv, proxyForUrl } from './proxy.js';
import { ProxyFailure, openTunnel, proxyEndpoint } from './proxy-connect.js';
import { firstLine, printable } from './sniff.js';
import type { TlsMaterial } from './tls.js';
import { hostAndPort, redactUrl, scrub } from './url.js';

export interface HttpGetOptions {
  /** The URL, user-info included (sent as Basic authorization, never printed). */
  url: URL;
  tls: TlsMaterial;
  insecureSkipTlsVerify: boolean;
  /** Total time allowed, from the first connection to the last byte. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  /** Strings to scrub from anything printed (see urlSecrets). */
  secrets: readonly string[];
  /** Called once, when the first request has been sent (the server starts profiling). */
  onSent?: () => void;
  /** Called when response headers arrive. */
  onResponse?: () => void;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read (default: process.env). */
  env?: ProxyEnv;
  /** Name resolution for direct connections (default: the system's); tests point names at 127.0.0.1. */
  lookup?: LookupFunction;
  /**
   * A POST with this JSON body instead of a GET (etcd's gRPC gateway, e.g. /v3/maintenance/status
   * with `{}`). Redirects are not followed for a POST.
   */
  jsonBody?: string;
}

export interface HttpGetResult {
  bytes: Uint8Array;
  headers: IncomingHttpHeaders;
  /** Where the bytes came from after redirects. */
  finalUrl: URL;
}

const ERROR_BODY_LIMIT = 64 * 1024;

export async function httpGet(opts: HttpGetOptions): Promise<HttpGetResult> {
  const maxRedirects = opts.maxRedirects ?? 10;
  let url = opts.url;
  let authorization = basicAuth(opts.url);
  const origin = opts.url.origin;
  let sent = false;
  const deadline = Date.now() + opts.timeoutMs;
  for (let hop = 0; ; hop++) {
    const where = redactUrl(url);
    // Decided again on every hop: a redirect may lead to a host NO_PROXY lists, or to https.
    const proxy = proxyForUrl(url, opts.env ?? process.env);
    const hopOpts = proxy ? { ...opts, secrets: mergeSecrets(opts.secrets, proxy.secrets) } : opts;
    const res = await requestOnce(url, hopOpts, authorization, deadline, proxy, () => {
      if (!sent) {
        sent = true;
        opts.onSent?.();
      }
    });
    const status = res.response.statusCode ?? 0;
    const location = res.response.headers.location;
    if (status >= 300 && status < 400 && location && status !== 304 && opts.jsonBody === undefined) {
      res.response.resume();
      if (hop >= maxRedirects) throw new UserError(`cannot fetch ${where}: more than ${maxRedirects} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new UserError(`cannot fetch ${where}: the server redirected to an invalid URL`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new UserError(
          `cannot fetch ${where}: the server redirected to a ${next.protocol} URL (only http and https)`,
        );
      }
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw new UserError(
          `cannot fetch ${where}: the server redirected from https to plain http; refusing to drop TLS`,
        );
      }
      // Credentials from the URL go to the origin they were written for, not to wherever it redirects.
      if (next.origin !== origin) authorization = undefined;
      url = next;
      continue;
    }
    opts.onResponse?.();
    if (status === 407 && proxy && url.protocol === 'http:') {
      res.response.resume();
      const text = printable(res.response.statusMessage ?? '', 60);
      throw new UserError(
        `cannot fetch ${where}${res.state.via}: ${scrub(describeProxyRefusal(status, text, proxy), hopOpts.secrets)}`,
      );
    }
    if (status !== 200) {
      const body = await readBody(res, url, hopOpts, ERROR_BODY_LIMIT, deadline, true);
      throw new UserError(
        `cannot fetch ${where}${res.state.via}: ${statusMessage(res.response, body, url, hopOpts.secrets)}`,
      );
    }
    const bytes = await readBody(res, url, hopOpts, opts.maxBytes, deadline, false);
    return { bytes, headers: res.response.headers, finalUrl: url };
  }
}

interface Pending {
  req: ClientRequest;
  response: IncomingMessage;
  state: RequestState;
}

interface RequestState {
  tlsEstablished: boolean;
  /** ` via http://proxy:3128 (HTTPS_PROXY)` when proxied, else ''. */
  via: string;
  /** The request goes to a forwarding proxy: a failure before the answer is the proxy's. */
  forwardProxy?: ProxyChoice;
}

async function requestOnce(
  url: URL,
  opts: HttpGetOptions,
  authorization: string | undefined,
  deadline: number,
  proxy: ProxyChoice | undefined,
  onSent: () => void,
): Promise<Pending> {
  const isHttps = url.protocol === 'https:';
  const headers: Record<string, string> = {
    'User-Agent': `pprof-doctor/${VERSION}`,
    Accept: '*/*',
    // The exact bytes the pprof handler writes (already gzipped), not a re-encoding of them.
    'Accept-Encoding': 'identity',
  };
  if (authorization) headers.Authorization = authorization;
  const body = opts.jsonBody;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const options: RequestOptions & Record<string, unknown> = {
    method: body === undefined ? 'GET' : 'POST',
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers,
    agent: false,
  };
  const tlsOptions = {
    rejectUnauthorized: !opts.insecureSkipTlsVerify,
    ...(opts.tls.ca ? { ca: opts.tls.ca } : {}),
    ...(opts.tls.cert ? { cert: opts.tls.cert } : {}),
    ...(opts.tls.key ? { key: opts.tls.key } : {}),
  };
  if (isHttps) Object.assign(options, tlsOptions);
  if (!proxy && opts.lookup) options.lookup = opts.lookup;
  const state: RequestState = { tlsEstablished: false, via: proxy ? ` via ${proxy.label}` : '' };
  let send = isHttps ? httpsRequest : httpRequest;
  let tunnel: { destroy(): void } | undefined;
  if (proxy && !isHttps) {
    // Plain http goes to the proxy as a request for the absolute URL (user-info left out: it is
    // sent as Authorization), and the proxy forwards it.
    Object.assign(options, proxyEndpoint(proxy, opts.tls), { path: absoluteUrl(url) });
    headers.Host = url.host;
    if (proxy.authorization) headers['Proxy-Authorization'] = proxy.authorization;
    send = proxy.url.protocol === 'https:' ? httpsRequest : httpRequest;
    state.forwardProxy = proxy;
  } else if (proxy) {
    const target = hostAndPort(url);
    let socket: Awaited<ReturnType<typeof openTunnel>>;
    try {
      socket = await openTunnel(proxy, target, opts.tls, headers['User-Agent']!, deadline);
    } catch (err) {
      throw toUserError(err, url, opts, state, deadline);
    }
    tunnel = socket;
    // TLS with the member inside the tunnel, verified against its host name as on a direct connection.
    options.agent = undefined;
    options.createConnection = () =>
      tlsConnect({
        ...tlsOptions,
        socket,
        host: target.host,
        ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      });
  }
  return new Promise<Pending>((resolve, reject) => {
    let req: ClientRequest;
    try {
      req = send(options);
    } catch (err) {
      // createSecureContext rejects the TLS material synchronously; loadTlsMaterial checks most of it first.
      tunnel?.destroy();
      reject(
        new UserError(
          `cannot fetch ${redactUrl(url)}${state.via}: ${oneLine(describeNetError(err, netCtx(url, opts, state)))}`,
        ),
      );
      return;
    }
    const timer = armDeadline(req, deadline);
    req.on('socket', (socket) => {
      socket.on('secureConnect', () => {
        state.tlsEstablished = true;
      });
    });
    req.on('finish', onSent);
    req.on('response', (response) => {
      clearTimeout(timer);
      resolve({ req, response, state });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(toUserError(err, url, opts, state, deadline));
    });
    req.end(body);
  });
}

function armDeadline(req: ClientRequest, deadline: number): NodeJS.Timeout {
  const t = setTimeout(() => req.destroy(new DeadlineExceeded()), Math.max(0, deadline - Date.now()));
  t.unref?.();
  return t;
}

function readBody(
  p: Pending,
  url: URL,
  opts: HttpGetOptions,
  limit: number,
  deadline: number,
  truncateQuietly: boolean,
): Promise<Uint8Array> {
  const { response } = p;
  const declared = Number(response.headers['content-length']);
  if (!truncateQuietly && Number.isFinite(declared) && declared > limit) {
    response.destroy();
    return Promise.reject(tooBig(url, limit));
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const timer = setTimeout(() => response.destroy(new DeadlineExceeded()), Math.max(0, deadline - Date.now()));
    timer.unref?.();
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err !== undefined) {
        if (truncateQuietly && !(err instanceof DeadlineExceeded)) resolve(Buffer.concat(chunks));
        else reject(toUserError(err, url, opts, p.state, deadline, size));
        return;
      }
      const body = Buffer.concat(chunks, size);
      if (!truncateQuietly && Number.isFinite(declared) && body.length !== declared) {
        reject(
          new UserError(
            `cannot fetch ${redactUrl(url)}: the connection closed after ${body.length} of ${declared} bytes (truncated download)`,
          ),
        );
        return;
      }
      resolve(new Uint8Array(body.buffer, body.byteOffset, body.length));
    };
    response.on('data', (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > limit) {
        if (truncateQuietly) {
          chunks.push(chunk.subarray(0, limit - size));
          size = limit;
          done = true;
          clearTimeout(timer);
          resolve(Buffer.concat(chunks, size));
          response.destroy();
          return;
        }
        // Settled before destroy(): destroying emits 'aborted'/'close', which must not turn
        // "too large" into "the connection broke" (a body without Content-Length).
        done = true;
        clearTimeout(timer);
        reject(tooBig(url, limit));
        response.destroy();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    response.on('end', () => finish());
    response.on('aborted', () => finish(new Error('aborted')));
    response.on('error', (err) => finish(err));
    response.on('close', () => {
      if (!response.complete) finish(new Error('aborted'));
    });
  });
}

function tooBig(url: URL, limit: number): UserError {
  return new UserError(
    `cannot fetch ${redactUrl(url)}: the response is too large (over ${formatSize(limit)}; use --max-size to raise the cap)`,
  );
}

function toUserError(
  err: unknown,
  url: URL,
  opts: HttpGetOptions,
  state: RequestState,
  deadline: number,
  received?: number,
): UserError {
  const where = `${redactUrl(url)}${state.via}`;
  if (err instanceof DeadlineExceeded || Date.now() >= deadline) {
    const secs = Math.round(opts.timeoutMs / 100) / 10;
    const got = received ? ` (${received} bytes received)` : '';
    return new UserError(
      `cannot fetch ${where}: timed out after ${secs}s${got}; pass a larger --timeout to wait longer`,
    );
  }
  if (received !== undefined) {
    return new UserError(`cannot fetch ${where}: the connection broke after ${received} bytes (truncated download)`);
  }
  if (err instanceof ProxyFailure) return new UserError(`cannot fetch ${where}: ${scrub(err.reason, opts.secrets)}`);
  if (state.forwardProxy) {
    return new UserError(`cannot fetch ${where}: ${scrub(describeProxyError(err, state.forwardProxy), opts.secrets)}`);
  }
  return new UserError(
    `cannot fetch ${where}: ${scrub(describeNetError(err, netCtx(url, opts, state)), opts.secrets)}`,
  );
}

function netCtx(url: URL, opts: HttpGetOptions, state: RequestState) {
  const { host, port } = hostAndPort(url);
  return {
    host,
    port,
    https: url.protocol === 'https:',
    clientCertFile: opts.tls.clientCert?.file,
    clientCertValidTo: opts.tls.clientCert?.validTo,
    tlsEstablished: state.tlsEstablished,
  };
}

/**
 * `server response: 404 Not Found - Unknown profile`, like pprof: the first line of a text body
 * (net/http/pprof sends its errors as text/plain with X-Go-Pprof: 1), the title of an HTML one.
 */
function statusMessage(res: IncomingMessage, body: Uint8Array, url: URL, secrets: readonly string[]): string {
  const status = `${res.statusCode ?? '?'}${res.statusMessage ? ` ${printable(res.statusMessage, 60)}` : ''}`;
  const type = String(res.headers['content-type'] ?? '').toLowerCase();
  let detail = '';
  if (res.headers['x-go-pprof'] !== undefined || type === '' || type.startsWith('text/plain')) {
    detail = firstLine(body, 200);
  } else if (type.includes('html')) {
    const title = /<title[^>]*>([^<]*)/i.exec(Buffer.from(body).toString('utf8'))?.[1];
    if (title) detail = printable(title, 120);
  }
  let msg = `server response: ${status}${detail ? ` - ${detail}` : ''}`;
  if (/client sent an http request to an https server/i.test(detail)) {
    msg += '; the server speaks HTTPS: use an https:// URL (with --cacert, --cert and --key)';
  } else if (res.statusCode === 404 && url.pathname.startsWith('/debug/pprof') && /404 page not found/i.test(detail)) {
    msg += '; is profiling enabled? (etcd serves /debug/pprof only with --enable-pprof)';
  } else if (res.statusCode === 401 || res.statusCode === 403) {
    msg += '; the endpoint needs credentials';
  }
  return scrub(msg, secrets);
}

function basicAuth(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `Basic ${Buffer.from(`${dec(url.username)}:${dec(url.password)}`).toString('base64')}`;
}

/** The request line's target for a forwarding proxy: the URL without user-info or fragment. */
function absoluteUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search}`;
}

/** Both lists of secrets, longest first (so that a secret containing another is replaced whole). */
function mergeSecrets(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort((x, y) => y.length - x.length);
}
