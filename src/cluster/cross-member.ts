/**
 * Cross-member evidence from one bundle: where the memory is, by role. The leader far above every
 * follower (a leader-only rise: lease keep-alive storm, read-index leak), every follower far above
 * the leader (followers-only: the 3.4 follower lease leak), or one member far above the others.
 * "Far above" = at least FAR_RATIO × the other side. From one bundle these are levels; `trend` over
 * several bundles gives the growth itself. Pure code.
 */

export const FAR_RATIO = 2;

export type CrossPattern = 'leader-only' | 'followers-only' | 'outlier' | 'even' | 'unknown';

export interface CrossMemberInput {
  name: string;
  role: 'leader' | 'follower' | 'unknown';
  heapInuse?: number;
}

export interface CrossMemberEvidence {
  pattern: CrossPattern;
  /** The member(s) far above the others. */
  members: string[];
  text: string;
}

function mb(n: number): string {
  return `${(n / 2 ** 20).toFixed(1)} MiB`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function crossMemberEvidence(members: readonly CrossMemberInput[]): CrossMemberEvidence {
  const known = members.filter(
    (m): m is CrossMemberInput & { heapInuse: number } => m.heapInuse !== undefined && m.heapInuse > 0,
  );
  if (known.length < 2) {
    return { pattern: 'unknown', members: [], text: 'fewer than two members with a heap size: no comparison' };
  }
  const leaders = known.filter((m) => m.role === 'leader');
  const followers = known.filter((m) => m.role === 'follower');
  if (leaders.length === 1 && followers.length >= 1) {
    const l = leaders[0]!;
    const fMax = Math.max(...followers.map((f) => f.heapInuse));
    const fMin = Math.min(...followers.map((f) => f.heapInuse));
    if (l.heapInuse >= FAR_RATIO * fMax) {
      return {
        pattern: 'leader-only',
        members: [l.name],
        text: `the leader ${l.name} holds ${mb(l.heapInuse)} of heap, ≥ ${FAR_RATIO}× every follower (largest ${mb(fMax)})`,
      };
    }
    if (fMin >= FAR_RATIO * l.heapInuse) {
      return {
        pattern: 'followers-only',
        members: followers.map((f) => f.name),
        text: `every follower holds ≥ ${FAR_RATIO}× the leader's heap (followers ${mb(fMin)}–${mb(fMax)}, leader ${l.name} ${mb(l.heapInuse)})`,
      };
    }
  }
  if (known.length >= 3) {
    for (const m of known) {
      const others = median(known.filter((o) => o !== m).map((o) => o.heapInuse));
      if (m.heapInuse >= FAR_RATIO * others) {
        return {
          pattern: 'outlier',
          members: [m.name],
          text: `${m.name} (${m.role}) holds ${mb(m.heapInuse)} of heap, ≥ ${FAR_RATIO}× the others' median ${mb(others)}`,
        };
      }
    }
  }
  const range = `${mb(Math.min(...known.map((m) => m.heapInuse)))}–${mb(Math.max(...known.map((m) => m.heapInuse)))}`;
  const roles = leaders.length === 1 && followers.length >= 1 ? '' : ' (roles not all known)';
  return { pattern: 'even', members: [], text: `heap in use within ${FAR_RATIO}× across members (${range})${roles}` };
}
