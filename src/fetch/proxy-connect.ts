/**
 * Connecting through an HTTP(S) proxy: the CONNECT tunnel an https:// fetch goes through (the TLS
 * session with the etcd member, client certificate included, runs inside it end to end, so the
 * proxy sees neither the certificates nor the profile), and the trust roots for a proxy that is
 * itself reached over TLS. Node-only.
 */
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import { DeadlineExceeded, describeProxyError, describeProxyRefusal } from './net-errors.js';
import type { ProxyChoice } from './proxy.js';
import { printable } from './sniff.js';
import { type TlsMaterial, extraCaCerts } from './tls.js';

/** A failure at the proxy; `reason` is the one-line part after `cannot fetch <url> via <proxy>: `. */
export class ProxyFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ProxyFailure';
  }
}

/**
 * Roots for verifying an https:// proxy: the same ones the member is verified with (Node's,
 * NODE_EXTRA_CA_CERTS, --cacert), as Go uses one TLS configuration for both. The proxy is verified
 * even with --insecure-skip-tls-verify, which names the server's certificate, not the proxy's.
 */
export function proxyCa(tls: TlsMaterial): string[] | undefined {
  if (tls.ca) return tls.ca;
  const extra = extraCaCerts();
  return extra.length > 0 ? [...rootCertificates, ...extra] : undefined;
}

/** Request options that reach the proxy itself (host, port, TLS to it when it is https://). */
export function proxyEndpoint(proxy: ProxyChoice, tls: TlsMaterial): Record<string, unknown> {
  const https = proxy.url.protocol === 'https:';
  return {
    protocol: proxy.url.protocol,
    hostname: proxy.url.hostname.replace(/^\[|\]$/g, ''),
    port: proxy.url.port || (https ? 443 : 80),
    agent: false,
    ...(https ? { ca: proxyCa(tls) } : {}),
  };
}

/**
 * Asks the proxy for a tunnel to `host:port` and resolves with the raw socket once it answers 2xx.
 * Rejects with ProxyFailure (connection, TLS to the proxy, refusal, 407) or DeadlineExceeded.
 */
export function openTunnel(
  proxy: ProxyChoice,
  target: { host: string; port: string },
  tls: TlsMaterial,
  userAgent: string,
  deadline: number,
): Promise<Socket> {
  const authority = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const headers: Record<string, string> = { Host: authority, 'User-Agent': userAgent };
  if (proxy.authorization) headers['Proxy-Authorization'] = proxy.authorization;
  const options = { ...proxyEndpoint(proxy, tls), method: 'CONNECT', path: authority, headers };
  return new Promise<Socket>((resolve, reject) => {
    let req: ReturnType<typeof httpRequest>;
    try {
      req = (proxy.url.protocol === 'https:' ? httpsRequest : httpRequest)(options);
    } catch (err) {
      reject(new ProxyFailure(describeProxyError(err, proxy)));
      return;
    }
    const timer = setTimeout(() => req.destroy(new DeadlineExceeded()), Math.max(0, deadline - Date.now()));
    timer.unref?.();
    const refused = (res: IncomingMessage) =>
      new ProxyFailure(
        describeProxyRefusal(res.statusCode ?? 0, printable(res.statusMessage ?? '', 60), proxy, authority),
      );
    req.on('connect', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      clearTimeout(timer);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        socket.destroy();
        reject(refused(res));
        return;
      }
      // Bytes the proxy already relayed from the member belong to the TLS stream.
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    // Node reports every answer to a CONNECT as 'connect'; this is for a proxy that upgrades oddly.
    req.on('response', (res: IncomingMessage) => {
      clearTimeout(timer);
      res.resume();
      reject(refused(res));
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(
        err instanceof DeadlineExceeded || Date.now() >= deadline
          ? new DeadlineExceeded()
          : new ProxyFailure(describeProxyError(err, proxy)),
      );
    });
    req.end();
  });
}
