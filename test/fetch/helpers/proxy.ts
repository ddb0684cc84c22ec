/**
 * A small HTTP proxy on 127.0.0.1 for the fetch tests: CONNECT tunnels (https:// URLs) and forwarded
 * absolute-URL requests (http:// URLs), optionally over TLS and behind Basic credentials. Every
 * host name a client asks for is taken to mean 127.0.0.1, so tests can fetch from a non-loopback
 * name (loopback hosts are never proxied) without any name resolution or traffic leaving the machine.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Pair } from './pki.js';

export interface ProxyOptions {
  /** `user:password` the client must send as Proxy-Authorization (Basic). */
  auth?: string;
  /** Serve the proxy itself over TLS with this certificate (an https:// proxy). */
  tls?: Pair;
  /** Answer every CONNECT with this status line instead of opening the tunnel, e.g. '403 Forbidden'. */
  refuseConnect?: string;
  /** Accept CONNECT requests but never answer them. */
  silent?: boolean;
}

export interface ProxySeen {
  method: string;
  /** The request target: `host:port` for CONNECT, the absolute URL for a forwarded request. */
  target: string;
  headers: IncomingMessage['headers'];
}

export interface RunningProxy {
  port: number;
  seen: ProxySeen[];
  close(): Promise<void>;
}

/** The port a client asked for in `host:port` or an absolute URL (the host itself is ignored). */
function portOf(target: string, fallback: number): number {
  const m = /:(\d+)(?:\/|$)/.exec(target.replace(/^[a-z]+:\/\//, ''));
  return m ? Number(m[1]) : fallback;
}

export async function startProxy(opts: ProxyOptions = {}): Promise<RunningProxy> {
  const server: Server = opts.tls
    ? createHttpsServer({ cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) })
    : createHttpServer();
  const seen: ProxySeen[] = [];
  const sockets = new Set<Duplex>();
  const track = (s: Duplex) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const expected = opts.auth ? `Basic ${Buffer.from(opts.auth).toString('base64')}` : undefined;
  const authorized = (req: IncomingMessage) => !expected || req.headers['proxy-authorization'] === expected;

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    seen.push({ method: 'CONNECT', target: req.url ?? '', headers: req.headers });
    if (opts.silent) return;
    if (!authorized(req)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    if (opts.refuseConnect) {
      client.end(`HTTP/1.1 ${opts.refuseConnect}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(portOf(req.url ?? '', 443), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  server.on('request', (req: IncomingMessage, res) => {
    seen.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    if (!authorized(req)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    if (!/^http:\/\//.test(req.url ?? '')) {
      res.writeHead(400).end('not a proxy request\n');
      return;
    }
    const u = new URL(req.url!);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = httpRequest(
      { host: '127.0.0.1', port: portOf(req.url!, 80), path: `${u.pathname}${u.search}`, method: req.method, headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
