/**
 * Local test servers on 127.0.0.1 (random ports) and small helpers shared by the fetch tests.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Profile, StringTable, ValueType } from 'pprof-format';
import type { Pair } from './pki.js';

export interface Running {
  port: number;
  /** Every request's URL (path and query), in order. */
  urls: string[];
  headers: IncomingMessage['headers'][];
  close(): Promise<void>;
}

async function listen(server: Server, handler: RequestListener): Promise<Running> {
  const urls: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    urls.push(req.url ?? '');
    headers.push(req.headers);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    urls,
    headers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** An HTTPS server; with `ca`, it requires a client certificate signed by it (etcd --client-cert-auth). */
export function startHttps(pair: Pair, handler: RequestListener, ca?: string): Promise<Running> {
  const server = createHttpsServer({
    cert: readFileSync(pair.cert),
    key: readFileSync(pair.key),
    ...(ca ? { ca: readFileSync(ca), requestCert: true, rejectUnauthorized: true } : {}),
  });
  return listen(server, handler);
}

export function startHttp(handler: RequestListener): Promise<Running> {
  return listen(createHttpServer(), handler);
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A small real heap profile (pprof protobuf, gzipped the way Go serves it). */
export function smallProfileGz(): Uint8Array {
  const st = new StringTable();
  const p = new Profile({
    sampleType: [
      new ValueType({ type: st.dedup('inuse_objects'), unit: st.dedup('count') }),
      new ValueType({ type: st.dedup('inuse_space'), unit: st.dedup('bytes') }),
    ],
    function: [
      { id: 1, name: st.dedup('main.leak'), systemName: st.dedup('main.leak'), filename: st.dedup('main.go') },
    ],
    location: [{ id: 1, address: 0x1000, line: [{ functionId: 1, line: 42 }] }],
    sample: [{ locationId: [1], value: [3, 3072] }],
    periodType: new ValueType({ type: st.dedup('space'), unit: st.dedup('bytes') }),
    period: 524288,
    timeNanos: 1_700_000_000_000_000_000n,
    stringTable: st,
  });
  return new Uint8Array(gzipSync(p.encode()));
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/pprof-doctor ...args` without blocking this process (its servers must keep serving). */
/**
 * Runs the CLI: `node bin args` by default; with `asUser`, the launcher itself as a user runs it
 * (its /bin/sh line with its V8 flags and environment handling).
 */
export function runCli(
  bin: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  asUser = false,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = asUser ? [bin, args] : [process.execPath, [bin, ...args]];
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The built CLI launcher. The CLI tests run `bin/pprof-doctor` (which loads dist/), so dist/ must be
 * built from the current sources: `npm test` builds first; after editing, run `npm run build`.
 */
export function builtCli(root: string): string {
  const bin = join(root, 'bin', 'pprof-doctor');
  const built = join(root, 'dist', 'cli', 'commands', 'fetch.js');
  if (!existsSync(built)) throw new Error('dist/ is not built: run `npm run build` first (npm test does)');
  const builtAt = statSync(built).mtimeMs;
  const sources = [
    'src/cli/main.ts',
    'src/cli/commands/fetch.ts',
    'src/io/output-file.ts',
    'src/io/progress.ts',
    ...readdirSync(join(root, 'src', 'fetch')).map((f) => `src/fetch/${f}`),
  ];
  const stale = sources.filter((s) => statSync(join(root, s)).mtimeMs > builtAt + 1000);
  if (stale.length > 0) throw new Error(`dist/ is older than ${stale.join(', ')}: run \`npm run build\` first`);
  return bin;
}
