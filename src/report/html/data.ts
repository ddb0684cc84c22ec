/**
 * The data the HTML report page carries: one "view" per (input, sample type) with its flame graph
 * (pruned, see ../flamegraph.ts) and its top table (src/analysis `top`, pprof's numbers and
 * formatting). Plain JSON; frame names live once in a shared table.
 *
 * Environment-neutral: no Node-only imports.
 */
import { top } from '../../analysis/top.js';
import type { TopTable } from '../../diagnosis/report.js';
import { defaultSampleIndex, type Profile } from '../../profile/model.js';
import { autoLabel, percentage, scaledLabel } from '../../profile/units.js';
import { buildFlameTree, FLAME_MAX_DEPTH, type FlameGraph, type PruneOptions, pruneFlameTree } from '../flamegraph.js';

export interface HtmlInput {
  /** Name as in the report (file name or URL). */
  name: string;
  profile: Profile;
}

export interface TopRowText {
  name: string;
  /** '', 'inline' or 'partial-inline'. */
  inline: string;
  flat: string;
  flatPct: string;
  sumPct: string;
  cum: string;
  cumPct: string;
}

export interface PageView {
  id: string;
  /** Shown in the sample type switch. */
  label: string;
  profile: string;
  sampleType: string;
  unit: string;
  total: number;
  totalText: string;
  /** Null when the input has no stacks (a pasted table). */
  graph: Omit<FlameGraph, 'typeIndex' | 'sampleType' | 'unit' | 'total'> | null;
  top: { rows: TopRowText[]; note: string };
}

export interface PageData {
  names: string[];
  views: PageView[];
  /** Index into `views` shown first. */
  initial: number;
  minFraction: number;
}

export interface PageDataOptions extends PruneOptions {
  /** Rows per top table (default 25). */
  topRows?: number;
  /** Sample type to show first for the first input (default: the profile's default). */
  initialSampleType?: string;
}

function baseName(s: string): string {
  const i = s.replace(/[/\\]+$/, '').search(/[^/\\]*$/);
  return i > 0 ? s.slice(i) : s;
}

function topOf(p: Profile, typeIndex: number, rows: number): { rows: TopRowText[]; note: string } {
  const r = top(p, { sampleIndex: typeIndex, nodeCount: rows });
  const unit = r.header.sampleUnit;
  const fmt = (v: number) => scaledLabel(v, unit, r.outputUnit);
  let sum = 0;
  const out = r.rows.map((row) => {
    sum += row.flat;
    return {
      name: row.name,
      inline: row.inline,
      flat: fmt(row.flat),
      flatPct: percentage(row.flat, r.total).trim(),
      sumPct: percentage(sum, r.total).trim(),
      cum: fmt(row.cum),
      cumPct: percentage(row.cum, r.total).trim(),
    };
  });
  const parts = [`${fmt(r.total)} total`];
  if (r.droppedNodes > 0) parts.push(`dropped ${r.droppedNodes} nodes (cum <= ${fmt(r.dropCutoff)})`);
  if (r.rows.length < r.origCount) parts.push(`showing top ${r.rows.length} of ${r.origCount} nodes`);
  return { rows: out, note: parts.join('; ') };
}

function tableTop(t: TopTable | undefined): { rows: TopRowText[]; note: string } {
  if (!t) return { rows: [], note: 'no stacks and no top table in this input' };
  return {
    rows: t.rows.map((r) => ({
      name: r.name,
      inline: '',
      flat: r.flatText,
      flatPct: percentage(r.flatPercent, 100).trim(),
      sumPct: percentage(r.sumPercent, 100).trim(),
      cum: r.cumText,
      cumPct: percentage(r.cumPercent, 100).trim(),
    })),
    note: `${t.totalText} total; a pasted table: per-function figures only, no call stacks (no flame graph)`,
  };
}

/**
 * Builds the views. Inputs without stacks get a view with the report's top table (from `tops`,
 * matched by name) and no graph.
 */
export function buildPageData(inputs: HtmlInput[], tops: TopTable[], opts: PageDataOptions = {}): PageData {
  const names = { list: [] as string[], index: new Map<string, number>() };
  const views: PageView[] = [];
  let initial = 0;
  const rows = opts.topRows ?? 25;
  const multi = inputs.length > 1;
  inputs.forEach((input, k) => {
    const p = input.profile;
    const prefix = multi ? `${baseName(input.name)} · ` : '';
    if (!p.source.hasStacks) {
      const t = tops.find((x) => x.profile === input.name);
      views.push({
        id: `v${views.length}`,
        label: `${prefix}${t?.sampleType ?? p.table?.sampleType ?? 'table'}`,
        profile: input.name,
        sampleType: t?.sampleType ?? '',
        unit: t?.unit ?? '',
        total: t?.total ?? 0,
        totalText: t?.totalText ?? '',
        graph: null,
        top: tableTop(t),
      });
      return;
    }
    const tree = buildFlameTree(p, { maxDepth: opts.maxDepth ?? FLAME_MAX_DEPTH });
    const dflt =
      k === 0 && opts.initialSampleType
        ? Math.max(
            0,
            p.sampleTypes.findIndex((t) => t.type === opts.initialSampleType),
          )
        : defaultSampleIndex(p);
    p.sampleTypes.forEach((st, t) => {
      const g = pruneFlameTree(tree, t, st, names, opts);
      if (g.total === 0 && t !== dflt) return;
      if (k === 0 && t === dflt) initial = views.length;
      const { typeIndex: _t, sampleType: _s, unit: _u, total: _total, ...graph } = g;
      views.push({
        id: `v${views.length}`,
        label: `${prefix}${st.type}`,
        profile: input.name,
        sampleType: st.type,
        unit: st.unit,
        total: g.total,
        totalText: autoLabel(g.total, st.unit),
        graph,
        top: topOf(p, t, rows),
      });
    });
  });
  return { names: names.list, views, initial, minFraction: opts.minFraction ?? 0.001 };
}
