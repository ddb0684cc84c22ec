/**
 * Memory that grows for a while by design and is then released: growth there is not a leak, even
 * when it climbs steadily across a series of heap profiles. Each entry names the frames that hold
 * the memory and why it is bounded; `trend` calls such stacks `bounded` instead of `leak`.
 *
 *  - the raft log: every committed entry stays in raft's MemoryStorage (and the proposal bytes
 *    marshalled for it, `InternalRaftRequest.Marshal`, on the member that proposed it; the decoded
 *    entries, `raftpb.(*Entry).Unmarshal`, on followers) until the next snapshot, every
 *    --snapshot-count applied entries; then all but the last 5000 are compacted away. Under a
 *    steady write load the heap climbs linearly for --snapshot-count entries (100,000 by default
 *    in 3.2–3.5), then drops. See rules/etcd-server/raft-log-retention.yaml.
 *
 * Environment-neutral: no Node-only imports.
 */
import { compilePattern } from '../../diagnosis/patterns.js';

export interface BoundedGrowth {
  id: string;
  /** Function-name patterns (rule pattern syntax, see diagnosis/patterns.ts); any frame matching. */
  frames: RegExp[];
  /** One line for the user. */
  reason: string;
  /** The rule that explains it. */
  rule?: string;
}

let cached: BoundedGrowth[] | undefined;

export function boundedGrowthKinds(): BoundedGrowth[] {
  if (cached) return cached;
  cached = [
    {
      id: 'raft-log',
      frames: [
        '{raft}.(*MemoryStorage).Append',
        '{raft}.(*unstable).truncateAndAppend',
        '{raft}.(*raftLog).append',
        '{etcdserverpb}.(*InternalRaftRequest).Marshal',
        '{raftpb}.(*Entry).Unmarshal',
      ].map(compilePattern),
      reason:
        'raft log entries, kept in memory until the next snapshot (every --snapshot-count entries, then compacted): grows under writes, then drops',
      rule: 'raft-log-retention',
    },
  ];
  return cached;
}

/** Per function index: the index of the bounded-growth kind its name matches, or -1. */
export function boundedFunctionMask(names: readonly string[], kinds: BoundedGrowth[]): Int8Array {
  const out = new Int8Array(names.length).fill(-1);
  names.forEach((name, i) => {
    for (let k = 0; k < kinds.length; k++) {
      if (kinds[k]!.frames.some((re) => re.test(name))) {
        out[i] = k;
        break;
      }
    }
  });
  return out;
}
