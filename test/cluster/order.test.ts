// The cluster-wide list keeps main's cause-before-symptom order: a consequence (explainedBy, in
// its member's report) follows its cause of the same member even when it scored more.
import { describe, expect, it } from 'vitest';
import { orderClusterDiagnoses } from '../../src/cluster/order.js';
import type { ClusterDiagnosis } from '../../src/cluster/report.js';

function d(member: string, id: string, confidence: number, explainedBy?: string): ClusterDiagnosis {
  // Only the fields the order reads matter here.
  return { member, id, confidence, severity: 'warning', explainedBy } as unknown as ClusterDiagnosis;
}

const ids = (xs: ClusterDiagnosis[]) => xs.map((x) => `${x.member}:${x.id}`);

describe('orderClusterDiagnoses', () => {
  it('most likely first; a consequence right after its cause of the same member', () => {
    const out = orderClusterDiagnoses([
      d('m1', 'gc-pressure', 0.9, 'heavy-alloc'),
      d('m2', 'watch-memory', 0.7),
      d('m1', 'heavy-alloc', 0.6),
      d('m2', 'gc-pressure', 0.8),
    ]);
    expect(ids(out)).toEqual(['m2:gc-pressure', 'm2:watch-memory', 'm1:heavy-alloc', 'm1:gc-pressure']);
  });

  it('a consequence whose cause is not in the list (ruled out for the cluster) keeps its own place', () => {
    const out = orderClusterDiagnoses([d('m1', 'gc-pressure', 0.9, 'heavy-alloc'), d('m2', 'heavy-alloc', 0.95)]);
    expect(ids(out)).toEqual(['m2:heavy-alloc', 'm1:gc-pressure']);
  });

  it('chains and cycles lose nothing', () => {
    const chain = orderClusterDiagnoses([d('m1', 'c', 0.9, 'b'), d('m1', 'b', 0.8, 'a'), d('m1', 'a', 0.1)]);
    expect(ids(chain)).toEqual(['m1:a', 'm1:b', 'm1:c']);
    const cycle = orderClusterDiagnoses([d('m1', 'x', 0.5, 'y'), d('m1', 'y', 0.6, 'x')]);
    expect(ids(cycle).sort()).toEqual(['m1:x', 'm1:y']);
  });
});
