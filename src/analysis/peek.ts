/**
 * `peek <regex>`: callers and callees of the functions matching a regex (pprof's tree report
 * restricted to matching nodes, never trimmed). Formatting lives in src/report/pprof-text.ts.
 *
 * Environment-neutral: no Node-only imports.
 */
import { UserError } from '../errors.js';
import { compileRegex } from '../profile/filter.js';
import type { Profile } from '../profile/model.js';
import { selectOutputUnit } from '../profile/units.js';
import { buildNodes, computeEdges, computeWeights, sortNodes } from './graph.js';
import { type AnalysisOptions, type ProfileHeader, prepare } from './prepare.js';
import { minNodeValue } from './top.js';

export interface PeekOptions extends AnalysisOptions {
  /** Order the matching functions by cum instead of flat. */
  cum?: boolean;
}

export interface PeekEdge {
  name: string;
  weight: number;
  inline: boolean;
}

export interface PeekEntry {
  name: string;
  flat: number;
  cum: number;
  /** Callers, heaviest first. */
  callers: PeekEdge[];
  /** Callees, heaviest first. */
  callees: PeekEdge[];
}

export interface PeekReport {
  header: ProfileHeader;
  total: number;
  outputUnit: string;
  /** Σ flat over every node (peek never trims). */
  shownFlat: number;
  /** Number of nodes in the graph. */
  nodeCount: number;
  entries: PeekEntry[];
  warnings: string[];
}

/** pprof's `peek`: throws a UserError when nothing matches. */
export function peek(p: Profile, pattern: string, opts: PeekOptions = {}): PeekReport {
  let rx: { test(s: string): boolean };
  try {
    rx = compileRegex('argument', pattern);
  } catch (err) {
    throw new UserError(
      `parsing argument regexp ${pattern}: ${(err as Error).message.replace(/^parsing argument regexp: /, '')}`,
    );
  }
  const prep = prepare(p, opts);
  const nodes = buildNodes(prep.profile, opts.granularity ?? 'functions', !!opts.noInlines);
  const w = computeWeights(prep.profile, nodes, prep.valueIndex);
  const ids: number[] = [];
  let shownFlat = 0;
  for (let i = 0; i < nodes.count; i++) {
    if (w.cum[i] === 0 && w.flat[i] === 0) continue;
    ids.push(i);
    shownFlat += w.flat[i]!;
  }
  sortNodes(ids, nodes, w, !!opts.cum);
  const matching = ids.filter((id) => rx.test(nodes.name(id)));

  const entries: PeekEntry[] = [];
  if (matching.length > 0) {
    const edges = computeEdges(prep.profile, nodes, prep.valueIndex, null);
    const inEdges = new Map<number, number[]>();
    const outEdges = new Map<number, number[]>();
    for (const id of matching) {
      inEdges.set(id, []);
      outEdges.set(id, []);
    }
    for (let e = 0; e < edges.count; e++) {
      inEdges.get(edges.dst[e]!)?.push(e);
      outEdges.get(edges.src[e]!)?.push(e);
    }
    const name = (id: number) => nodes.name(id);
    // pprof's edgeList order: |weight| desc, then caller name, then callee name.
    const byWeight = (a: number, b: number): number => {
      const wa = edges.weight[a]!;
      const wb = edges.weight[b]!;
      if (wa !== wb) return Math.abs(wb) - Math.abs(wa);
      const sa = name(edges.src[a]!);
      const sb = name(edges.src[b]!);
      if (sa !== sb) return sa < sb ? -1 : 1;
      const da = name(edges.dst[a]!);
      const db = name(edges.dst[b]!);
      return da < db ? -1 : da > db ? 1 : 0;
    };
    for (const id of matching) {
      entries.push({
        name: name(id),
        flat: w.flat[id]!,
        cum: w.cum[id]!,
        callers: inEdges
          .get(id)!
          .sort(byWeight)
          .map((e) => ({ name: name(edges.src[e]!), weight: edges.weight[e]!, inline: edges.inline[e] === 1 })),
        callees: outEdges
          .get(id)!
          .sort(byWeight)
          .map((e) => ({ name: name(edges.dst[e]!), weight: edges.weight[e]!, inline: edges.inline[e] === 1 })),
      });
    }
  }
  if (entries.length === 0) throw new UserError(`no matches found for regexp: ${pattern}`);
  return {
    header: prep.header,
    total: prep.total,
    outputUnit: ids.length === 0 ? 'minimum' : selectOutputUnit(minNodeValue(ids, w), prep.total, prep.sampleUnit),
    shownFlat,
    nodeCount: ids.length,
    entries,
    warnings: prep.warnings,
  };
}
