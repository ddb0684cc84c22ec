/**
 * `diff`: what changed between two profiles of one program, with pprof's two semantics:
 *
 *  - `compare` (pprof's `-diff_base`, the default): values are new − base, every percentage is of
 *    the BASE total (Σ|base|), so "+50%" means "grew by half of what the base had";
 *  - `subtract` (pprof's `-base`): values are new − base as well, but the total is Σ|new − base|
 *    over stacks, so percentages are shares of the change.
 *
 * pprof prints |percentages| (its Percentage takes the absolute value); this report keeps the sign
 * (`flatPercent: -4.85` for a function that shrank). The pprof text (`top`) of the same comparison
 * is in `DiffReport.top`, byte for byte what `go tool pprof -top -diff_base` / `-base` prints.
 *
 * Each row also carries each side's own flat/cum and a status: `appeared` (no sample of the base
 * holds the function), `disappeared` (no sample of the new one does) or `changed`.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { Profile, SampleTable } from '../profile/model.js';
import { BASE_LABEL, type Combined, combineForDiff, type DiffMode } from './compare/combine.js';
import { contextWarnings } from './compare/context-warnings.js';
import { buildNodes, computeWeights, type NodeTable, type Weights } from './graph.js';
import { computeTotal, type ProfileHeader, prepare, resolveSampleIndex } from './prepare.js';
import { type InlineMark, type TopOptions, type TopReport, top } from './top.js';

export type { DiffMode } from './compare/combine.js';

export interface DiffOptions extends TopOptions {
  /** Default `compare` (pprof's -diff_base). */
  mode?: DiffMode;
  /** Scale new so its total equals base's, per sample type (pprof's -normalize). */
  normalize?: boolean;
  /** Names of the inputs, for messages and the report. */
  baseName?: string;
  newName?: string;
  /** How many appeared / disappeared functions to list (default 20; counts are always complete). */
  listLimit?: number;
}

export type DiffStatus = 'appeared' | 'disappeared' | 'changed';

export interface SideValues {
  flat: number;
  cum: number;
}

export interface DiffRow {
  name: string;
  inline: InlineMark;
  /** new − base, in the sample unit. */
  flat: number;
  cum: number;
  /** Signed, of the report total (compare: base total; subtract: Σ|new − base|). */
  flatPercent: number;
  cumPercent: number;
  status: DiffStatus;
  base: SideValues;
  new: SideValues;
}

export interface DiffFunction {
  name: string;
  flat: number;
  cum: number;
  /** Of the report total, signed like the rows. */
  cumPercent: number;
}

export interface DiffSide {
  name: string;
  timeNanos: number;
  durationNanos: number;
  /** Σ|value| of the sample type (new: after --normalize). */
  total: number;
  samples: number;
}

export interface DiffReport {
  mode: DiffMode;
  normalized: boolean;
  /** Factor applied to the new values of this sample type (1 without --normalize). */
  normalizeScale: number;
  sampleType: string;
  unit: string;
  /** Unit pprof would print values in (see units.ts selectOutputUnit). */
  outputUnit: string;
  /** Report total: the denominator of every percentage. */
  total: number;
  base: DiffSide;
  new: DiffSide;
  /** new.total − base.total. */
  delta: number;
  /** pprof's rows (same trimming and order as `go tool pprof -top`), with each side's figures. */
  rows: DiffRow[];
  sortedBy: 'flat' | 'cum';
  /** Functions no base sample holds, largest cum first (at most listLimit). */
  appeared: DiffFunction[];
  appearedCount: number;
  /** Functions no new sample holds. */
  disappeared: DiffFunction[];
  disappearedCount: number;
  /** The pprof `top` report of the comparison (for the byte-exact pprof text). */
  top: TopReport;
  header: ProfileHeader;
  warnings: string[];
}

function hasBaseLabel(labels: SampleTable['labels'], i: number): boolean {
  const ls = labels?.[i];
  if (!ls) return false;
  for (const l of ls) if (l.key === BASE_LABEL && l.str === 'true') return true;
  return false;
}

/** Splits a sample table into the new and base samples (base values negated back). */
function splitSides(p: Profile): [Profile, Profile] {
  const s = p.samples;
  const nT = p.sampleTypes.length;
  const pick = (wantBase: boolean): Profile => {
    const idx: number[] = [];
    let frames = 0;
    for (let i = 0; i < s.length; i++) {
      if (hasBaseLabel(s.labels, i) === wantBase) {
        idx.push(i);
        frames += s.stackStart[i + 1]! - s.stackStart[i]!;
      }
    }
    const values = new Float64Array(idx.length * nT);
    const stackStart = new Uint32Array(idx.length + 1);
    const stack = new Uint32Array(frames);
    let at = 0;
    idx.forEach((i, j) => {
      for (let k = 0; k < nT; k++) {
        const v = s.values[i * nT + k]!;
        values[j * nT + k] = wantBase ? -v : v;
      }
      stackStart[j] = at;
      stack.set(s.stack.subarray(s.stackStart[i]!, s.stackStart[i + 1]!), at);
      at += s.stackStart[i + 1]! - s.stackStart[i]!;
    });
    stackStart[idx.length] = at;
    return { ...p, samples: { length: idx.length, values, stackStart, stack } };
  };
  return [pick(false), pick(true)];
}

function pct(v: number, total: number): number {
  return total !== 0 ? (100 * v) / total : 0;
}

function listFunctions(
  nodes: NodeTable,
  present: Weights,
  absent: Weights,
  sign: number,
  total: number,
  limit: number,
): { list: DiffFunction[]; count: number } {
  const ids: number[] = [];
  for (let i = 0; i < nodes.count; i++) {
    if (present.cum[i] !== 0 && absent.cum[i] === 0) ids.push(i);
  }
  ids.sort((a, b) => {
    const d = Math.abs(present.cum[b]!) - Math.abs(present.cum[a]!);
    if (d !== 0) return d;
    const na = nodes.name(a);
    const nb = nodes.name(b);
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
  return {
    count: ids.length,
    list: ids.slice(0, limit).map((id) => ({
      name: nodes.name(id),
      flat: sign * present.flat[id]!,
      cum: sign * present.cum[id]!,
      cumPercent: pct(sign * present.cum[id]!, total),
    })),
  };
}

/** Compares `next` against `base` (see the file comment). Throws UserError when they cannot be compared. */
export function diff(base: Profile, next: Profile, opts: DiffOptions = {}): DiffReport {
  const mode = opts.mode ?? 'compare';
  const combined: Combined = combineForDiff(base, next, {
    mode,
    normalize: opts.normalize,
    baseName: opts.baseName,
    newName: opts.newName,
  });
  const t = top(combined.profile, opts);

  // Each side's own figures, on the same nodes and after the same filters.
  const prep = prepare(combined.sided, opts);
  const nodes = buildNodes(prep.profile, opts.granularity ?? 'functions', !!opts.noInlines);
  const [newPart, basePart] = splitSides(prep.profile);
  const wNew = computeWeights(newPart, nodes, prep.valueIndex);
  const wBase = computeWeights(basePart, nodes, prep.valueIndex);
  const byName = new Map<string, number>();
  for (let i = 0; i < nodes.count; i++) {
    const n = nodes.name(i);
    if (!byName.has(n)) byName.set(n, i);
  }
  const total = t.total;
  const rows: DiffRow[] = t.rows.map((r) => {
    const id = byName.get(r.name);
    const b = id === undefined ? { flat: 0, cum: 0 } : { flat: wBase.flat[id]!, cum: wBase.cum[id]! };
    const n = id === undefined ? { flat: 0, cum: 0 } : { flat: wNew.flat[id]!, cum: wNew.cum[id]! };
    const status: DiffStatus =
      b.cum === 0 && n.cum !== 0 ? 'appeared' : n.cum === 0 && b.cum !== 0 ? 'disappeared' : 'changed';
    return {
      name: r.name,
      inline: r.inline,
      flat: r.flat,
      cum: r.cum,
      flatPercent: pct(r.flat, total),
      cumPercent: pct(r.cum, total),
      status,
      base: b,
      new: n,
    };
  });
  const limit = opts.listLimit ?? 20;
  const appeared = listFunctions(nodes, wNew, wBase, 1, total, limit);
  const disappeared = listFunctions(nodes, wBase, wNew, -1, total, limit);

  const vi = resolveSampleIndex(combined.sided, opts.sampleIndex);
  const st = combined.sided.sampleTypes[vi]!;
  const baseTotal = computeTotal(combined.baseSide, vi);
  const newTotal = computeTotal(combined.newSide, vi);
  return {
    mode,
    normalized: !!opts.normalize,
    normalizeScale: combined.normalizeScale[vi] ?? 1,
    sampleType: st.type,
    unit: st.unit,
    outputUnit: t.outputUnit,
    total,
    base: {
      name: opts.baseName ?? 'base',
      timeNanos: base.timeNanos,
      durationNanos: base.durationNanos,
      total: baseTotal,
      samples: combined.baseSide.samples.length,
    },
    new: {
      name: opts.newName ?? 'new',
      timeNanos: next.timeNanos,
      durationNanos: next.durationNanos,
      total: newTotal,
      samples: combined.newSide.samples.length,
    },
    delta: newTotal - baseTotal,
    rows,
    sortedBy: t.sortedBy,
    appeared: appeared.list,
    appearedCount: appeared.count,
    disappeared: disappeared.list,
    disappearedCount: disappeared.count,
    top: t,
    header: t.header,
    warnings: [...combined.warnings, ...contextWarnings(base, next, opts.baseName, opts.newName), ...t.warnings],
  };
}
