/**
 * A rule's `metrics:` entries checked against a /metrics scrape of the same process: confirmed
 * (the entry's `check` holds), contradicted (it does not), not scraped (the metric is absent), or
 * shown without a verdict (the entry has no machine check, or the scrape is missing). The verdicts
 * are part of the confidence. Pure code.
 */
import { type PromScrape, parseSelector, sumOf } from '../metrics/prom-text.js';
import type { ConfidenceFactor, MetricOut } from './report.js';

type Check = NonNullable<MetricOut['check']>;

/** The scraped value of a selector (`name{label="v"}`: sum of the matching samples). */
export function scrapedValue(scrape: PromScrape, selector: string): number | undefined {
  const sel = parseSelector(selector);
  return sel ? sumOf(scrape, sel.name, sel.labels) : undefined;
}

function compare(a: number, op: Check['op'], b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
  }
}

function num(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1e6) return n.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Math.round(n * 1000) / 1000);
}

/**
 * Checks one entry (a rule's metric, or one advice.ts kept for the process's versions: its version
 * fields are carried over). `source` names the scrape in the text ("metrics.txt").
 */
export function checkMetric(m: MetricOut, scrape: PromScrape | undefined, source: string): MetricOut {
  const out: MetricOut = { ...m };
  if (!scrape) return out;
  const value = scrapedValue(scrape, m.name);
  if (value === undefined) {
    out.status = 'not-scraped';
    out.text = `not in ${source}`;
    return out;
  }
  out.value = value;
  if (!m.check) {
    out.status = 'unchecked';
    out.text = `${num(value)} in ${source}`;
    return out;
  }
  const c = m.check;
  let bound: number;
  let boundText: string;
  if (c.metric !== undefined) {
    const other = scrapedValue(scrape, c.metric);
    if (other === undefined) {
      out.status = 'not-scraped';
      out.text = `${num(value)}, but ${c.metric} is not in ${source}`;
      return out;
    }
    bound = other * (c.times ?? 1);
    boundText = `${c.times !== undefined ? `${c.times} × ` : ''}${c.metric} (${num(bound)})`;
  } else {
    bound = c.value!;
    boundText = num(bound);
  }
  const held = compare(value, c.op, bound);
  out.status = held ? 'confirmed' : 'contradicted';
  out.text = `${num(value)} ${held ? '' : 'not '}${c.op} ${boundText} in ${source}`;
  return out;
}

/**
 * The confidence factor of a diagnosis's metric checks, or undefined when none was decided:
 * +0.10 × share confirmed, −0.20 × share contradicted (a scrape that contradicts the rule weighs
 * more than one that agrees: the profile already agreed).
 */
export function metricsFactor(checks: readonly MetricOut[], source: string): ConfidenceFactor | undefined {
  const confirmed = checks.filter((c) => c.status === 'confirmed').length;
  const contradicted = checks.filter((c) => c.status === 'contradicted').length;
  const decided = confirmed + contradicted;
  if (decided === 0) return undefined;
  const delta = Math.round(((0.1 * confirmed - 0.2 * contradicted) / decided) * 100) / 100;
  const parts = [`${confirmed} confirmed`, `${contradicted} contradicted`];
  return { factor: 'metrics', delta, why: `${parts.join(', ')} of ${decided} metric checks against ${source}` };
}

/** Confidence from its factors (the engine's rule: the sum, kept within 0.05–0.99). */
export function confidenceFromFactors(factors: readonly ConfidenceFactor[]): number {
  const sum = factors.reduce((a, x) => a + x.delta, 0);
  return Math.round(Math.max(0.05, Math.min(0.99, sum)) * 100) / 100;
}
