/** How a rule metric's check against the scrape is shown: ✓ confirmed, ✗ contradicted, – not scraped. Pure code. */
import type { MetricOut } from '../diagnosis/report.js';

export function metricMark(m: MetricOut): string {
  switch (m.status) {
    case 'confirmed':
      return '✓ ';
    case 'contradicted':
      return '✗ ';
    case 'not-scraped':
      return '– ';
    default:
      return '';
  }
}

/** ` (✓ 20000 >= 1000 in metrics.txt)`, or '' without a scrape. */
export function metricVerdict(m: MetricOut): string {
  if (!m.status || !m.text) return '';
  const word = {
    confirmed: 'confirmed',
    contradicted: 'contradicted',
    'not-scraped': 'not scraped',
    unchecked: 'scraped',
  }[m.status];
  return ` [${metricMark(m)}${word}: ${m.text}]`;
}
