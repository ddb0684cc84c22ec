/**
 * The flags of `pprof-doctor fetch` that the other commands taking a URL share (`analyze <url>`), and
 * the FetchOptions they mean. CLI-only: the library's fetchProfile (src/fetch/resolve.ts) takes
 * FetchOptions and knows nothing of yargs.
 */
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import type { FetchOptions } from '../fetch/resolve.js';

/** The flags of `pprof-doctor fetch` that other commands taking a URL share (not -o/--force). */
export function addFetchOptions(y: Argv): Argv {
  return y
    .option('seconds', {
      type: 'number',
      describe:
        'With a URL: profile for N seconds (CPU), or take a delta over N seconds (heap, allocs, block, mutex, goroutine)',
    })
    .option('timeout', {
      type: 'number',
      describe: 'With a URL: give up after N seconds (default 60, or seconds×1.5+5 with --seconds)',
    })
    .option('cacert', {
      type: 'string',
      alias: 'tls-ca',
      describe: 'PEM CA bundle to verify the server with, besides the default roots (etcd: --trusted-ca-file)',
    })
    .option('cert', {
      type: 'string',
      alias: 'tls-cert',
      describe: 'PEM client certificate, for servers that require one (etcd --client-cert-auth); needs --key',
    })
    .option('key', { type: 'string', alias: 'tls-key', describe: 'PEM private key of --cert (unencrypted)' })
    .option('insecure-skip-tls-verify', {
      type: 'boolean',
      describe: 'Do not verify the server certificate (as does an https+insecure:// URL)',
    })
    .group(['seconds', 'timeout', 'cacert', 'cert', 'key', 'insecure-skip-tls-verify'], 'Fetch options:');
}

/** FetchOptions from parsed yargs arguments (the flags of addFetchOptions). */
export function fetchOptionsFromArgs(args: Record<string, unknown>): FetchOptions {
  const opts: FetchOptions = {};
  const seconds = lastOf(args.seconds);
  if (seconds !== undefined) opts.seconds = toNumber('--seconds', seconds);
  const timeout = lastOf(args.timeout);
  if (timeout !== undefined) opts.timeout = toNumber('--timeout', timeout);
  for (const name of ['cacert', 'cert', 'key'] as const) {
    const v = lastOf(args[name]);
    if (v !== undefined) {
      if (typeof v !== 'string' || v === '') throw new UserError(`--${name} needs a file name`);
      opts[name] = v;
    }
  }
  if (lastOf(args.insecureSkipTlsVerify ?? args['insecure-skip-tls-verify']) === true) {
    opts.insecureSkipTlsVerify = true;
  }
  return opts;
}

// A flag given twice arrives as an array: the last one wins, as with Go's flag package.
function lastOf(v: unknown): unknown {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function toNumber(flag: string, v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n))
    throw new UserError(`${flag} needs a number${Number.isNaN(v) ? '' : ` (got '${String(v)}')`}`);
  return n;
}
