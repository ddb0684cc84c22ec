/**
 * Memory that grows for a while by design and is then released: growth there is not a leak, even
 * when it climbs steadily across a series of heap profiles. `trend` calls such stacks `bounded`
 * instead of `leak`.
 *
 * The knowledge lives in the rules, beside the cause that explains it: a rule's `growth` block
 * (`kind: bounded`, the frames that hold the memory, and why it is released; rules/README.md). The
 * raft log is one: rules/etcd-server/raft-log-retention.yaml. This file only turns loaded rules
 * into the kinds `trend` matches frames against.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { CompiledPattern, Rule } from '../../diagnosis/schema.js';

export interface BoundedGrowth {
  id: string;
  /** Function-name patterns, compiled when the rule was loaded; any frame matching. */
  frames: CompiledPattern[];
  /** One line for the user. */
  reason: string;
  /** The rule that explains it. */
  rule?: string;
}

/** The bounded growth the rules declare, in rule order (ids are unique: see mergeRuleSets). */
export function boundedGrowthFromRules(rules: readonly Rule[]): BoundedGrowth[] {
  const out: BoundedGrowth[] = [];
  for (const r of rules) {
    if (r.growth?.kind !== 'bounded') continue;
    out.push({ id: r.growth.id ?? r.id, frames: r.growth.frame, reason: r.growth.reason, rule: r.id });
  }
  return out;
}

function matches(p: CompiledPattern, name: string): boolean {
  // The literal needle is a cheap pre-test; most names fail it.
  return (p.needle === undefined || name.includes(p.needle)) && p.regex.test(name);
}

/** Per function index: the index of the bounded-growth kind its name matches, or -1. */
export function boundedFunctionMask(names: readonly string[], kinds: readonly BoundedGrowth[]): Int32Array {
  const out = new Int32Array(names.length).fill(-1);
  if (kinds.length === 0) return out;
  names.forEach((name, i) => {
    for (let k = 0; k < kinds.length; k++) {
      if (kinds[k]!.frames.some((p) => matches(p, name))) {
        out[i] = k;
        break;
      }
    }
  });
  return out;
}
