/**
 * Turns the errors Node's http/https/tls stack raises into one-line messages that say what failed
 * and what to do. Pure code (it only reads `code`, `message` and `cert` of the error object).
 */
import type { ProxyChoice } from './proxy.js';

/** The total time allowed ran out (the caller words it with the --timeout it was given). */
export class DeadlineExceeded extends Error {}

export interface NetErrorContext {
  host: string;
  port: string;
  https: boolean;
  /** A client certificate was configured (--cert/--key). */
  clientCertFile?: string;
  /** The client certificate's expiry, to say so when the server rejects an expired one. */
  clientCertValidTo?: Date;
  /** The TLS handshake had completed when the error came. */
  tlsEstablished: boolean;
}

// OpenSSL X509_V_ERR_* names Node uses as `code` when it cannot verify the server's certificate.
const VERIFY_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

// TLS alerts a server sends when it does not accept the client's certificate (or the lack of one).
const CLIENT_CERT_ALERT_RE =
  /alert (certificate required|bad certificate|unknown ca|certificate unknown|certificate expired|certificate revoked|unsupported certificate|access denied)/i;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);

interface ErrLike {
  code?: unknown;
  message?: unknown;
  reason?: unknown;
  cert?: { subjectaltname?: unknown };
}

/** The reason part of an error, without the URL (the caller prefixes it). One line. */
export function describeNetError(err: unknown, ctx: NetErrorContext): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const at = `${ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host}:${ctx.port}`;

  if (DNS_CODES.has(code)) {
    return `cannot resolve host '${ctx.host}' (DNS lookup failed: ${code === 'EAI_AGAIN' ? 'temporary failure' : 'no such host'})`;
  }
  if (code === 'ECONNREFUSED') {
    return `connection refused by ${at} (is the server running, and listening on this port?)`;
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${at} is unreachable (${code})`;
  if (code === 'ETIMEDOUT') return `connecting to ${at} timed out`;

  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = typeof e.cert?.subjectaltname === 'string' ? e.cert.subjectaltname : '';
    return (
      `the server certificate is not valid for '${ctx.host}'` +
      (names ? ` (it is for ${names})` : ' (no matching subject alternative name)') +
      '; use a host name the certificate lists, or pass --insecure-skip-tls-verify'
    );
  }
  if (VERIFY_CODES.has(code)) {
    return `unable to verify the server certificate: ${oneLine(message)}; pass --cacert <ca.pem> or --insecure-skip-tls-verify`;
  }

  const alert = CLIENT_CERT_ALERT_RE.exec(message) ?? CLIENT_CERT_ALERT_RE.exec(code.replace(/_/g, ' '));
  if (alert) return clientCertRejected(ctx, alert[1]!.toLowerCase());
  if (/alert handshake failure/i.test(message) && !ctx.clientCertFile) {
    // TLS 1.2 servers that require a client certificate answer its absence with handshake_failure.
    return clientCertRejected(ctx, 'handshake failure');
  }
  if (/wrong version number|packet length too long|http request|unknown protocol/i.test(message)) {
    return `the server at ${at} does not speak TLS on this port (try http:// instead of https://)`;
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || /SSL routines/.test(message)) {
    return `the TLS handshake with ${at} failed: ${opensslReason(message)}`;
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) {
    if (ctx.https && ctx.tlsEstablished) {
      // Servers that check the client certificate after the handshake (TLS 1.3, Node servers) just
      // close the connection; the alert may not reach us.
      return `the server closed the connection right after the TLS handshake without answering: it probably rejected the client certificate (or none was sent): ${clientCertHint(ctx)}`;
    }
    if (ctx.https) return `the connection to ${at} was reset during the TLS handshake`;
    return `the server at ${at} closed the connection without answering (if this port serves TLS, use https://)`;
  }
  return oneLine(code && !message.includes(code) ? `${message} (${code})` : message);
}

/**
 * The reason part for a failure on the way to or at the proxy (connecting, its TLS, the CONNECT
 * exchange). The caller prefixes the URL and the proxy's label.
 */
export function describeProxyError(err: unknown, proxy: ProxyChoice): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const host = proxy.url.hostname.replace(/^\[|\]$/g, '');
  if (DNS_CODES.has(code)) {
    return `cannot resolve the proxy's host '${host}' (DNS lookup failed: ${code === 'EAI_AGAIN' ? 'temporary failure' : 'no such host'})`;
  }
  if (code === 'ECONNREFUSED') {
    return `connection refused by the proxy (is it running, and is ${proxy.variable} right? NO_PROXY lists hosts to reach directly)`;
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `the proxy is unreachable (${code})`;
  if (code === 'ETIMEDOUT') return 'connecting to the proxy timed out';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the proxy's TLS certificate is not valid for '${host}'`;
  if (VERIFY_CODES.has(code)) return `unable to verify the proxy's TLS certificate: ${oneLine(message)}`;
  if (/wrong version number|packet length too long|http request|unknown protocol/i.test(message)) {
    return `the proxy does not speak TLS on this port (use http:// in ${proxy.variable})`;
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) {
    return 'the proxy closed the connection without answering';
  }
  return oneLine(code && !message.includes(code) ? `${message} (${code})` : message);
}

/**
 * The reason part when the proxy answers a request with an error status: 407 (credentials missing
 * or refused), or any other status to a CONNECT (`tunnelTo` is then the host:port asked for).
 */
export function describeProxyRefusal(
  status: number,
  statusText: string,
  proxy: ProxyChoice,
  tunnelTo?: string,
): string {
  const what = `${status}${statusText ? ` ${statusText}` : ''}`;
  if (status === 407) {
    return proxy.authorization
      ? `the proxy answered ${what}: it did not accept the user name and password in ${proxy.variable}`
      : `the proxy answered ${what}: put its user name and password in ${proxy.variable} (http://user:password@host:port)`;
  }
  return tunnelTo !== undefined
    ? `the proxy refused the CONNECT tunnel to ${tunnelTo}: ${what}`
    : `the proxy answered ${what}`;
}

function clientCertRejected(ctx: NetErrorContext, alert: string): string {
  if (!ctx.clientCertFile) {
    return 'the server rejected the client certificate (or none was sent): pass --cert and --key';
  }
  return `the server rejected the client certificate (TLS alert: ${alert}): ${clientCertHint(ctx)}`;
}

function clientCertHint(ctx: NetErrorContext): string {
  if (!ctx.clientCertFile) return 'pass --cert and --key';
  if (ctx.clientCertValidTo && ctx.clientCertValidTo.getTime() < Date.now()) {
    return `--cert '${ctx.clientCertFile}' expired on ${ctx.clientCertValidTo.toISOString().slice(0, 10)}`;
  }
  return `check that --cert '${ctx.clientCertFile}' is signed by a CA the server trusts (its --trusted-ca-file) and allows client authentication`;
}

/** 'tlsv13 alert certificate required' out of OpenSSL's 'error:0A00045C:SSL routines:fn:reason:file:line:...'. */
export function opensslReason(message: string): string {
  const m = /routines:[^:]*:([^:]+)/.exec(message);
  return oneLine(m ? m[1]! : message);
}

export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
