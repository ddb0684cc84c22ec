import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/diagnosis/context.js';
import { applyMetricFacts } from '../../src/diagnosis/metric-context.js';

const inferred = (range: string, label: string): ProcessInfo => ({
  kind: 'etcd-server',
  role: 'unknown',
  kindEvidence: [],
  roleEvidence: [],
  etcdVersion: { range, label, source: 'inferred', evidence: ['x'] },
  goVersion: null,
  notes: [],
});

describe('the version a scrape gives', () => {
  it('overrides a wider inferred range, and says so', () => {
    const out = applyMetricFacts(inferred('>=3.5.0 <3.6.0', '3.5.x'), {
      source: 'metrics.txt',
      etcdServer: true,
      etcdVersion: '3.5.16',
    });
    expect(out.etcdVersion).toMatchObject({ range: '3.5.16', source: 'metrics' });
    expect(out.notes).toEqual([expect.stringMatching(/^etcd 3\.5\.16 from .* overrides the inferred 3\.5\.x$/)]);
  });

  it('the same single release, written as a range by inference: no override note', () => {
    const out = applyMetricFacts(inferred('>=3.5.16 <3.5.17', '3.5.16'), {
      source: 'metrics.txt',
      etcdServer: true,
      etcdVersion: '3.5.16',
    });
    expect(out.etcdVersion).toMatchObject({ range: '3.5.16', source: 'metrics' });
    expect(out.notes).toEqual([]);
  });
});
