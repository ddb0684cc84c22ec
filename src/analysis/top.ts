/**
 * `top`: pprof's flat text report (report.go TextItems/printText with newTrimmedGraph), as data.
 * Formatting lives in src/report/pprof-text.ts.
 *
 * Environment-neutral: no Node-only imports.
 */
import { UserError } from '../errors.js';
import type { Profile, TableRow } from '../profile/model.js';
import { selectOutputUnit } from '../profile/units.js';
import { buildNodes, computeEdges, computeWeights, type NodeTable, sortNodes, type Weights } from './graph.js';
import { type AnalysisOptions, type ProfileHeader, prepare } from './prepare.js';

export interface TopOptions extends AnalysisOptions {
  /** Max rows; 0 or unset = all (pprof's `-top` on the command line). */
  nodeCount?: number;
  /** Drop nodes whose |cum| is below this fraction of the total (default 0.005). */
  nodeFraction?: number;
  /** Edges below this fraction are ignored when deciding `(inline)` markers (default 0.001). */
  edgeFraction?: number;
  /** Sort by cum instead of flat. */
  cum?: boolean;
  /** false = no trimming at all (pprof's -trim=false). */
  trim?: boolean;
}

export type InlineMark = '' | 'inline' | 'partial-inline';

export interface TopRow {
  name: string;
  /** pprof's ` (inline)` / ` (partial-inline)` suffix. */
  inline: InlineMark;
  flat: number;
  cum: number;
  /** Pasted tables only: the percentages as printed (more exact than the rounded values). */
  flatPercent?: number;
  cumPercent?: number;
}

export interface TopReport {
  header: ProfileHeader;
  /** Report total (denominator of every percentage), in the sample unit. */
  total: number;
  /** Unit pprof prints values in ('minimum' = each value scaled on its own). */
  outputUnit: string;
  rows: TopRow[];
  /** Σ flat over the rows ("Showing nodes accounting for …"). */
  shownFlat: number;
  droppedNodes: number;
  /** The value printed in "Dropped N nodes (cum <= X)": |total × nodefraction|. */
  dropCutoff: number;
  /** Nodes left after the nodefraction cut ("Showing top N nodes out of M"). */
  origCount: number;
  sortedBy: 'flat' | 'cum';
  warnings: string[];
  /**
   * Set when the input was a pasted table (no stacks): its own header lines, and whether every
   * row had its percentages printed (then those are shown rather than recomputed).
   */
  pastedTable?: { headerLines: string[]; printedPercents: boolean };
}

/** Nodes that are an inlined line of some location (only they can be marked inline). */
function inlineCapable(nodes: NodeTable): Uint8Array {
  const cap = new Uint8Array(nodes.count);
  const { locStart, locNodes } = nodes;
  for (let l = 0; l + 1 < locStart.length; l++) {
    const last = locStart[l + 1]! - 1;
    for (let k = locStart[l]!; k < last; k++) cap[locNodes[k]!] = 1;
  }
  return cap;
}

/** pprof's inline markers for `ids`, from the edges among them heavier than `edgeCutoff`. */
export function inlineMarks(
  profile: Profile,
  nodes: NodeTable,
  valueIndex: number,
  ids: number[],
  edgeCutoff: number,
): Map<number, InlineMark> {
  const marks = new Map<number, InlineMark>();
  const capable = inlineCapable(nodes);
  if (!ids.some((id) => capable[id])) return marks;
  const kept = new Uint8Array(nodes.count);
  const targets = new Uint8Array(nodes.count);
  for (const id of ids) {
    kept[id] = 1;
    if (capable[id]) targets[id] = 1;
  }
  const edges = computeEdges(profile, nodes, valueIndex, kept, targets);
  const hasInline = new Uint8Array(nodes.count);
  const hasCall = new Uint8Array(nodes.count);
  for (let e = 0; e < edges.count; e++) {
    if (Math.abs(edges.weight[e]!) < edgeCutoff) continue;
    const d = edges.dst[e]!;
    if (edges.inline[e]) hasInline[d] = 1;
    else hasCall[d] = 1;
  }
  for (const id of ids) {
    if (hasInline[id]) marks.set(id, hasCall[id] ? 'partial-inline' : 'inline');
  }
  return marks;
}

/** Smallest non-zero |flat| (|cum| when flat is 0) over `ids`: pprof's selectOutputUnit input. */
export function minNodeValue(ids: number[], w: Weights): number {
  let min = 0;
  for (const id of ids) {
    let v = Math.abs(w.flat[id]!);
    if (v === 0) v = Math.abs(w.cum[id]!);
    if (v > 0 && (min === 0 || v < min)) min = v;
  }
  return min;
}

/**
 * The nodes with a non-zero weight whose |cum| reaches the nodefraction cutoff, in id order; the
 * cutoff is a fraction of Σ flat. Typed-array loops, each in a function of its own (a loop the JIT
 * compiles on the fly deoptimizes when it reaches code after it that never ran): over ~23k nodes
 * in a cold process this is several times faster than a closure-based filter.
 */
function selectNodes(
  w: Weights,
  count: number,
  nodeFraction: number,
): { ids: number[]; totalValue: number; dropped: number } {
  const nonZero: number[] = [];
  const totalValue = collectNonZero(w.flat, w.cum, count, nonZero);
  const cutoff = Math.abs(Math.trunc(totalValue * nodeFraction));
  const ids = cutoff > 0 ? keepCum(nonZero, w.cum, cutoff) : nonZero;
  return { ids, totalValue, dropped: nonZero.length - ids.length };
}

/** Pushes the ids of nodes with a non-zero flat or cum to `out`; returns Σ flat. */
function collectNonZero(flat: Float64Array, cum: Float64Array, count: number, out: number[]): number {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const f = flat[i]!;
    if (f !== 0 || cum[i] !== 0) {
      out.push(i);
      total += f;
    }
  }
  return total;
}

function keepCum(ids: number[], cum: Float64Array, cutoff: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (Math.abs(cum[id]!) >= cutoff) out.push(id);
  }
  return out;
}

/** pprof's `top` / `text` report. */
export function top(p: Profile, opts: TopOptions = {}): TopReport {
  if (!p.source.hasStacks && p.table) return topFromTable(p, opts);
  const prep = prepare(p, opts);
  const trim = opts.trim ?? true;
  const nodeCount = trim ? (opts.nodeCount ?? 0) : 0;
  const nodeFraction = trim ? (opts.nodeFraction ?? 0.005) : 0;
  const edgeFraction = trim ? (opts.edgeFraction ?? 0.001) : 0;
  const byCum = !!opts.cum;

  const nodes = buildNodes(prep.profile, opts.granularity ?? 'functions', !!opts.noInlines);
  const w = computeWeights(prep.profile, nodes, prep.valueIndex);
  const sel = selectNodes(w, nodes.count, nodeFraction);
  let ids = sel.ids;
  const edgeCutoff = Math.abs(Math.trunc(sel.totalValue * edgeFraction));
  const droppedNodes = sel.dropped;
  const origCount = ids.length;
  sortNodes(ids, nodes, w, byCum);
  if (nodeCount > 0 && nodeCount < ids.length) ids = ids.slice(0, nodeCount);

  const marks = inlineMarks(prep.profile, nodes, prep.valueIndex, ids, edgeCutoff);
  let shownFlat = 0;
  const rows: TopRow[] = ids.map((id) => {
    shownFlat += w.flat[id]!;
    return { name: nodes.name(id), inline: marks.get(id) ?? '', flat: w.flat[id]!, cum: w.cum[id]! };
  });
  const outputUnit = ids.length === 0 ? 'minimum' : selectOutputUnit(minNodeValue(ids, w), prep.total, prep.sampleUnit);
  return {
    header: prep.header,
    total: prep.total,
    outputUnit,
    rows,
    shownFlat,
    droppedNodes,
    dropCutoff: Math.abs(Math.trunc(prep.total * nodeFraction)),
    origCount,
    sortedBy: byCum ? 'cum' : 'flat',
    warnings: prep.warnings,
  };
}

const STACK_OPTIONS: (keyof TopOptions)[] = ['focus', 'ignore', 'hide', 'show', 'showFrom', 'pruneFrom'];

/** `top` of a pasted table: its rows in the requested order; no stacks, so no filtering. */
function topFromTable(p: Profile, opts: TopOptions): TopReport {
  const t = p.table!;
  for (const k of STACK_OPTIONS) {
    if (opts[k]) {
      throw new UserError(
        `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs call stacks, but the input is a pasted top table without stacks`,
      );
    }
  }
  if (opts.granularity && opts.granularity !== 'functions') {
    throw new UserError(`--${opts.granularity} needs call stacks, but the input is a pasted top table without stacks`);
  }
  if (opts.sampleIndex !== undefined && opts.sampleIndex !== '' && t.sampleType && opts.sampleIndex !== t.sampleType) {
    throw new UserError(`the pasted table only has sample type ${t.sampleType}`);
  }
  const byCum = !!opts.cum;
  const rows: TopRow[] = t.rows.map((r: TableRow) => ({
    // The file column, when the table had one, stays part of the printed name.
    name: r.location ? `${r.name} ${r.location}` : r.name,
    inline: r.inline ?? '',
    flat: r.flat,
    cum: r.cum,
    flatPercent: r.flatPercent,
    cumPercent: r.cumPercent,
  }));
  const first = (r: TopRow) => Math.abs(byCum ? r.cum : r.flat);
  const second = (r: TopRow) => Math.abs(byCum ? r.flat : r.cum);
  rows.sort((a, b) => first(b) - first(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || second(b) - second(a));
  const nodeCount = opts.nodeCount ?? 0;
  const shown = nodeCount > 0 ? rows.slice(0, nodeCount) : rows;
  const total = t.total ?? 0;
  let shownFlat = 0;
  let min = 0;
  for (const r of shown) {
    shownFlat += r.flat;
    let v = Math.abs(r.flat);
    if (v === 0) v = Math.abs(r.cum);
    if (v > 0 && (min === 0 || v < min)) min = v;
  }
  const unit = t.unit;
  return {
    header: {
      comments: [],
      sampleType: t.sampleType ?? '',
      sampleUnit: unit,
      timeNanos: 0,
      durationNanos: 0,
      activeFilters: [],
    },
    total,
    outputUnit: shown.length === 0 ? 'minimum' : selectOutputUnit(min, total || min, unit),
    rows: shown,
    shownFlat,
    droppedNodes: 0,
    dropCutoff: 0,
    origCount: rows.length,
    sortedBy: byCum ? 'cum' : 'flat',
    warnings: [],
    pastedTable: {
      headerLines: t.header,
      printedPercents: rows.every((r) => r.flatPercent !== undefined && r.cumPercent !== undefined),
    },
  };
}
