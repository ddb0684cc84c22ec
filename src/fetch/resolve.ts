/**
 * The entry point other commands use for URL arguments (`analyze <url>`, `top <url>`):
 *
 *   if (isUrl(arg)) {
 *     const { bytes, savedTo, url } = await fetchProfile(arg, fetchOptionsFromArgs(args));
 *     // ... decode `bytes`; tell the user the profile was kept in `savedTo`
 *   }
 *
 * The command-line side (the shared flags, and FetchOptions from them) is src/cli/fetch-options.ts.
 * This module is light: the TLS/HTTP code is imported only when a fetch happens. It is part of the
 * library's public API, so it imports no CLI library (its declarations must not need @types/yargs).
 */

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
