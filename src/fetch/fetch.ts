/**
 * Download a profile from a /debug/pprof endpoint and keep the exact bytes: check the options,
 * fetch (TLS verified by default, client certificates for etcd's --client-cert-auth), verify that the
 * bytes are a profile, save them. Node-only; loaded lazily through resolve.ts.
 */
import { checkOutputPath, writeOutputFile } from '../io/output-file.js';
import { type Countdown, startCountdown } from '../io/progress.js';
import { UserError } from '../errors.js';
import { httpGet } from './http.js';
import type { FetchOptions, FetchResult } from './resolve.js';
import { defaultFileName, saveUnderNewName } from './save.js';
import { loadTlsMaterial } from './tls.js';
import {
  applySeconds,
  effectiveTimeout,
  expectedServerSeconds,
  hostAndPort,
  parseFetchUrl,
  profileName,
  redactUrl,
  scrub,
  secondsInUrl,
  urlSecrets,
} from './url.js';
import { verifyDownload } from './verify.js';

/** Largest response accepted (profiles of a few hundred MB exist; an endless stream must end). */
export const DEFAULT_MAX_BYTES = 1 << 30;

export async function fetchAndSave(arg: string, opts: FetchOptions): Promise<FetchResult> {
  validateNumbers(opts);
  const tlsFlags = opts.cacert !== undefined || opts.cert !== undefined || opts.key !== undefined;
  const parsed = parseFetchUrl(arg, { preferHttps: tlsFlags || opts.insecureSkipTlsVerify === true });
  const { url } = parsed;
  if (url.protocol === 'http:' && tlsFlags) {
    throw new UserError(
      `${redactUrl(url)}: --cacert, --cert and --key are for https:// URLs; use https:// (etcd's client URLs with --client-cert-auth speak TLS)`,
    );
  }
  applySeconds(url, opts.seconds);
  const timeout = effectiveTimeout(url, opts.timeout);
  const serverSeconds = secondsInUrl(url);
  if (opts.timeout !== undefined && serverSeconds !== undefined && opts.timeout <= serverSeconds) {
    throw new UserError(
      `--timeout ${opts.timeout} is not longer than the ${serverSeconds}s the server profiles for; give a larger --timeout or leave it out`,
    );
  }
  const inputs = [opts.cacert, opts.cert, opts.key, ...(opts.inputs ?? [])];
  // A bad -o must fail now, not after a 30 s profile.
  if (opts.outFile !== undefined) checkOutputPath(opts.outFile, { force: opts.force, inputs });
  const tls = url.protocol === 'https:' ? loadTlsMaterial(opts) : {};

  const expected = expectedServerSeconds(url);
  let countdown: Countdown | undefined;
  const { host, port } = hostAndPort(url);
  const label = `${profileName(url)} from ${host.includes(':') ? `[${host}]` : host}:${port}`;
  let result: Awaited<ReturnType<typeof httpGet>>;
  try {
    result = await httpGet({
      url,
      tls,
      insecureSkipTlsVerify: opts.insecureSkipTlsVerify === true || parsed.insecureScheme,
      timeoutMs: timeout * 1000,
      maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
      secrets: urlSecrets(url),
      ...(opts.env ? { env: opts.env } : {}),
      onSent: () => {
        if (expected !== undefined && opts.progress !== false) {
          countdown = startCountdown(expected, `${label}, ${expected}s`);
        }
      },
      onResponse: () => countdown?.stop(),
    });
  } finally {
    countdown?.stop();
  }

  const where = redactUrl(url);
  const { bytes } = result;
  const verdict = verifyDownload(bytes);
  if (verdict.kind === 'empty') {
    throw new UserError(`${where} did not return a profile: the server sent 200 OK with an empty body`);
  }
  let savedTo: string;
  if (opts.outFile !== undefined) {
    await writeOutputFile(opts.outFile, bytes, { force: opts.force, inputs });
    savedTo = opts.outFile;
  } else {
    savedTo = await saveUnderNewName(opts.dir ?? '.', defaultFileName(url, verdict.ext), verdict.ext, bytes);
  }
  if (!verdict.isProfile) {
    const what = scrub(verdict.problem ?? verdict.description, urlSecrets(url));
    const redirected = result.finalUrl.href !== url.href ? ` (redirected to ${redactUrl(result.finalUrl)})` : '';
    throw new UserError(
      `${where} did not return a profile${redirected}: it sent ${what}; the ${bytes.length} bytes were kept in '${savedTo}'`,
    );
  }
  const kind = verdict.kind === 'pprof-gzip' || verdict.kind === 'pprof' ? verdict.kind : 'text';
  return { bytes, savedTo, url: where, kind };
}

function validateNumbers(opts: FetchOptions): void {
  if (opts.seconds !== undefined && !(Number.isInteger(opts.seconds) && opts.seconds >= 1)) {
    throw new UserError(`--seconds must be a whole number of seconds, at least 1 (got ${opts.seconds})`);
  }
  if (opts.timeout !== undefined && !(Number.isFinite(opts.timeout) && opts.timeout > 0)) {
    throw new UserError(`--timeout must be a number of seconds above 0 (got ${opts.timeout})`);
  }
}
