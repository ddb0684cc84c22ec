/**
 * Reads a /metrics scrape for `analyze --metrics FILE|URL` (or a metrics.txt beside the profiles):
 * a file, or a URL fetched with the same client as profiles (TLS, client certificates, proxies,
 * redaction). Errors are one line naming the file or URL. Node-only.
 */
import { readFile } from 'node:fs/promises';
import { InputError, UserError } from '../errors.js';
import type { FetchOptions } from '../fetch/resolve.js';
import { isUrl, parseFetchUrl, redactUrl, urlSecrets } from '../fetch/url.js';
import { fsReason } from '../io/output-file.js';
import { type MetricFacts, metricFacts } from './facts.js';
import { MAX_SCRAPE_BYTES, PromParseError, type PromScrape, parsePromText } from './prom-text.js';

export interface LoadedMetrics {
  scrape: PromScrape;
  facts: MetricFacts;
  /** The file or URL as it may be printed. */
  source: string;
}

/** Parses scrape text read from `source`; throws InputError naming it. */
export function metricsFromText(text: string, source: string): LoadedMetrics {
  let scrape: PromScrape;
  try {
    scrape = parsePromText(text);
  } catch (err) {
    if (err instanceof PromParseError) throw new InputError(source, `not Prometheus text format: ${err.message}`);
    throw err;
  }
  if (scrape.samples.length === 0) throw new InputError(source, 'no metric samples (an empty scrape)');
  return { scrape, facts: metricFacts(scrape, source), source };
}

export async function loadMetrics(arg: string, fetchOpts: FetchOptions = {}): Promise<LoadedMetrics> {
  if (!isUrl(arg)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(arg);
    } catch (err) {
      throw new UserError(`cannot read --metrics file '${arg}': ${fsReason(err)}`);
    }
    if (bytes.length > MAX_SCRAPE_BYTES) throw new InputError(arg, `larger than ${MAX_SCRAPE_BYTES >> 20} MiB`);
    return metricsFromText(bytes.toString('utf8'), arg);
  }
  // The HTTP/TLS client is loaded only when a URL is given (start-up of analyze on files).
  const [{ httpGet }, { loadTlsMaterial }] = await Promise.all([import('../fetch/http.js'), import('../fetch/tls.js')]);
  const tlsFlags = fetchOpts.cacert !== undefined || fetchOpts.cert !== undefined || fetchOpts.key !== undefined;
  const parsed = parseFetchUrl(arg, { preferHttps: tlsFlags });
  const url = parsed.url;
  // host:port alone means the member's /metrics here, not its CPU profile.
  if (url.pathname === '/debug/pprof/profile' && !/\/debug\/pprof\/profile/.test(arg)) url.pathname = '/metrics';
  const r = await httpGet({
    url,
    tls: url.protocol === 'https:' ? loadTlsMaterial(fetchOpts) : {},
    insecureSkipTlsVerify: fetchOpts.insecureSkipTlsVerify === true || parsed.insecureScheme,
    timeoutMs: (fetchOpts.timeout ?? 60) * 1000,
    maxBytes: MAX_SCRAPE_BYTES,
    secrets: urlSecrets(url),
    ...(fetchOpts.env ? { env: fetchOpts.env } : {}),
  });
  return metricsFromText(new TextDecoder().decode(r.bytes), redactUrl(url));
}
