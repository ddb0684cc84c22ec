/**
 * `top`: pprof's flat text report (report.go TextItems/printText with newTrimmedGraph), as data.
 * Formatting lives in src/report/pprof-text.ts.
 *
 * Environment-neutral: no Node-only imports.
 */
import { UserError } from '../errors.js';
import type { Profile, TableRow } from '../profile/model.js';
import { selectOutputUnit } from '../profile/units.js';
import {
  buildNodes,
  computeEdges,
  computeWeights,
  type EdgeTable,
  type NodeTable,
  sortNodes,
  type Weights,
} from './graph.js';
import { type AnalysisOptions, goIntDiv, type ProfileHeader, prepare } from './prepare.js';

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
  /**
   * pprof's -unit: `minimum` (default: one unit for the table, from its smallest value), `auto`
   * (each value in its own most natural unit), or a unit name or alias (`ms`, `MB`, `kb`,
   * `megabytes`…; see units.ts).
   */
  unit?: string;
  /**
   * pprof's -mean: each row's flat and cum divided by the first sample type summed over the same
   * samples (bytes per allocation, time per event); rows are still chosen and sorted by the
   * plain values, as pprof does.
   */
  mean?: boolean;
  /** pprof's -divide_by: printed values divided by this (truncated); 0 is refused. */
  divideBy?: number;
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
  /** Unit pprof prints values in ('minimum' or 'auto' = each value scaled on its own). */
  outputUnit: string;
  /**
   * pprof's -divide_by as a factor (1/divisor) the printed values are multiplied by; 1 or absent
   * = none. Rows and totals stay undivided (percentages and trimming use them).
   */
  ratio?: number;
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

/**
 * pprof's inline markers for `ids`, from the edges among them heavier than `edgeCutoff`. With
 * `divisorIndex` (pprof's -mean), samples whose value is 0 but whose divisor is not also make
 * edges (of weight 0), as in pprof's graph, and can change a marker.
 */
export function inlineMarks(
  profile: Profile,
  nodes: NodeTable,
  valueIndex: number,
  ids: number[],
  edgeCutoff: number,
  divisorIndex?: number,
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
  let edges = computeEdges(profile, nodes, valueIndex, kept, targets);
  if (divisorIndex !== undefined && divisorIndex !== valueIndex) {
    edges = unionEdges(edges, computeEdges(profile, nodes, divisorIndex, kept, targets), nodes.count);
  }
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

/**
 * The edges of `a` (weights kept) plus those only `b` has (weight 0); an edge is inline only if
 * every contribution to it was, on either side.
 */
function unionEdges(a: EdgeTable, b: EdgeTable, nNodes: number): EdgeTable {
  const at = new Map<number, number>();
  for (let e = 0; e < a.count; e++) at.set(a.src[e]! * nNodes + a.dst[e]!, e);
  const src = Array.from(a.src);
  const dst = Array.from(a.dst);
  const weight = Array.from(a.weight);
  const inline = Array.from(a.inline);
  for (let e = 0; e < b.count; e++) {
    const i = at.get(b.src[e]! * nNodes + b.dst[e]!);
    if (i !== undefined) {
      if (!b.inline[e]) inline[i] = 0;
      continue;
    }
    src.push(b.src[e]!);
    dst.push(b.dst[e]!);
    weight.push(0);
    inline.push(b.inline[e]!);
  }
  return {
    count: src.length,
    src: Int32Array.from(src),
    dst: Int32Array.from(dst),
    weight: Float64Array.from(weight),
    inline: Uint8Array.from(inline),
  };
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

/** pprof's -divide_by as the factor values are multiplied by. Throws on 0, as pprof does. */
export function divideRatio(divideBy: number | undefined): number {
  if (divideBy === undefined) return 1;
  if (divideBy === 0) throw new UserError('zero divisor specified');
  return 1 / divideBy;
}

/** pprof's Node.FlatValue / CumValue under -mean: the value over its divisor, when that is not 0. */
function meanOf(v: number, div: number): number {
  return div === 0 ? v : goIntDiv(v, div);
}

/** pprof's `top` / `text` report. */
export function top(p: Profile, opts: TopOptions = {}): TopReport {
  if (!p.source.hasStacks && p.table) return topFromTable(p, opts);
  const ratio = divideRatio(opts.divideBy);
  const prep = prepare(p, opts, { mean: opts.mean });
  const trim = opts.trim ?? true;
  const nodeCount = trim ? (opts.nodeCount ?? 0) : 0;
  const nodeFraction = trim ? (opts.nodeFraction ?? 0.005) : 0;
  const edgeFraction = trim ? (opts.edgeFraction ?? 0.001) : 0;
  const byCum = !!opts.cum;
  const unit = opts.unit ?? 'minimum';

  const nodes = buildNodes(prep.profile, opts.granularity ?? 'functions', !!opts.noInlines);
  const w = computeWeights(prep.profile, nodes, prep.valueIndex);
  const sel = selectNodes(w, nodes.count, nodeFraction);
  let ids = sel.ids;
  const edgeCutoff = Math.abs(Math.trunc(sel.totalValue * edgeFraction));
  const droppedNodes = sel.dropped;
  const origCount = ids.length;
  // Selection and order use the plain values even with -mean (pprof trims on Node.Flat/Cum).
  sortNodes(ids, nodes, w, byCum);
  if (nodeCount > 0 && nodeCount < ids.length) ids = ids.slice(0, nodeCount);

  // pprof divides by the first sample type (its valueExtractor(0)).
  const divisorIndex = opts.mean ? 0 : undefined;
  const shown = divisorIndex === undefined ? w : meanWeights(w, computeWeights(prep.profile, nodes, divisorIndex), ids);
  const marks = inlineMarks(prep.profile, nodes, prep.valueIndex, ids, edgeCutoff, divisorIndex);
  let shownFlat = 0;
  const rows: TopRow[] = ids.map((id) => {
    shownFlat += shown.flat[id]!;
    return { name: nodes.name(id), inline: marks.get(id) ?? '', flat: shown.flat[id]!, cum: shown.cum[id]! };
  });
  let outputUnit = unit;
  if (unit === 'minimum') {
    outputUnit =
      ids.length === 0 ? 'minimum' : selectOutputUnit(minNodeValue(ids, shown), prep.total, prep.sampleUnit, ratio);
  }
  return {
    header: prep.header,
    total: prep.total,
    outputUnit,
    ratio,
    rows,
    shownFlat,
    droppedNodes,
    dropCutoff: Math.abs(Math.trunc(prep.total * nodeFraction)),
    origCount,
    sortedBy: byCum ? 'cum' : 'flat',
    warnings: prep.warnings,
  };
}

/** The values -mean shows for `ids`: each weight over its divisor's weight. */
function meanWeights(w: Weights, div: Weights, ids: number[]): Weights {
  const flat = new Float64Array(w.flat.length);
  const cum = new Float64Array(w.cum.length);
  for (const id of ids) {
    flat[id] = meanOf(w.flat[id]!, div.flat[id]!);
    cum[id] = meanOf(w.cum[id]!, div.cum[id]!);
  }
  return { flat, cum };
}

const STACK_OPTIONS: (keyof TopOptions)[] = ['focus', 'ignore', 'hide', 'show', 'showFrom', 'pruneFrom'];

const LABEL_OPTIONS: (keyof TopOptions)[] = ['tagFocus', 'tagIgnore', 'tagShow', 'tagHide', 'mean'];

/** `top` of a pasted table: its rows in the requested order; no stacks, so no filtering. */
function topFromTable(p: Profile, opts: TopOptions): TopReport {
  const t = p.table!;
  for (const k of LABEL_OPTIONS) {
    if (opts[k]) {
      throw new UserError(
        `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs the profile's samples, but the input is a pasted top table`,
      );
    }
  }
  const ratio = divideRatio(opts.divideBy);
  const unit = opts.unit ?? 'minimum';
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
  return {
    header: {
      comments: [],
      sampleType: t.sampleType ?? '',
      sampleUnit: t.unit,
      timeNanos: 0,
      durationNanos: 0,
      activeFilters: [],
    },
    total,
    outputUnit:
      unit !== 'minimum' ? unit : shown.length === 0 ? 'minimum' : selectOutputUnit(min, total || min, t.unit, ratio),
    ratio,
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
