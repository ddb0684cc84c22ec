/**
 * The entry point other commands use for URL arguments (`analyze <url>`, `top <url>`):
 *
 *   if (isUrl(arg)) {
 *     const { bytes, savedTo, url } = await fetchProfile(arg, fetchOptionsFromArgs(args));
 *     // ... decode `bytes`; tell the user the profile was kept in `savedTo`
 *   }
 *
 * and `addFetchOptions(y)` in the command's builder for the same flags as `pprof-doctor fetch`.
 * This module is light: the TLS/HTTP code is imported only when a fetch happens.
 */
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';

export { isUrl } from './url.js';

export interface FetchOptions {
  /** Sets `seconds=N` in the URL: CPU profile length, or the delta window of heap/allocs/block/mutex/goroutine. */
  seconds?: number;
  /** PEM CA bundle trusted in addition to the default roots (etcd's --trusted-ca-file). */
  cacert?: string;
  /** PEM client certificate; needs `key`. */
  cert?: string;
  /** PEM private key (unencrypted) of `cert`. */
  key?: string;
  /** Do not verify the server certificate. */
  insecureSkipTlsVerify?: boolean;
  /** Total seconds allowed (default 60, or seconds×1.5+5 when `seconds` is set). */
  timeout?: number;
  /** Save here instead of the timestamped default name; refuses an existing file unless `force`. */
  outFile?: string;
  force?: boolean;
  /** Other files the command reads: `outFile` must not be one of them (the TLS files are always checked). */
  inputs?: readonly string[];
  /** Directory for the default file name (default: the current directory). */
  dir?: string;
  /** Countdown on stderr while the server profiles (only when stderr is a terminal). Default true. */
  progress?: boolean;
  /** Largest response accepted, in bytes (default 1 GiB). */
  maxBytes?: number;
  /**
   * Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms) are read, with the rules
   * of Go's net/http: loopback hosts are never proxied. Default: process.env.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface FetchResult {
  /** The exact bytes received (also saved in `savedTo`). */
  bytes: Uint8Array;
  /** Where the bytes were saved (the -o path, or the default name, relative to the current directory). */
  savedTo: string;
  /** The URL fetched, as it may be printed (user-info and secret query values shown as ***). */
  url: string;
  /** 'pprof-gzip' (what Go serves), 'pprof' (uncompressed protobuf) or 'text' (?debug=1/2 output). */
  kind: 'pprof-gzip' | 'pprof' | 'text';
}

/**
 * Downloads a profile and saves the exact bytes (see FetchOptions). Throws UserError (exit code 2)
 * with a one-line message for every failure; when the server answers with something that is not a
 * profile (an HTML login page, ...) the bytes are still saved and the message says where.
 */
export async function fetchProfile(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const { fetchAndSave } = await import('./fetch.js');
  return fetchAndSave(url, opts);
}

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
