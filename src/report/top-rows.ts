/**
 * The report's top tables with pprof's numbers: src/analysis `top` (pprof's -top semantics,
 * trimming and inline markers) turned into the engine's `TopRow`s. Pass it to
 * `analyzeProfiles(…, { top: pprofTopRows })`.
 *
 * Values are written with `autoLabel` (each value in its own most natural unit, pprof's
 * `-unit=auto`: 12.82MB, not 13124.41kB), the one function the rest of an analysis report uses for
 * values (evidence lines, totals), so a number reads the same in the table and in the evidence.
 * A pasted table's file column is not part of the row name here: `name` is the function, as in a
 * profile with stacks.
 *
 * Environment-neutral: no Node-only imports.
 */
import { top } from '../analysis/top.js';
import type { TopProvider } from '../diagnosis/engine.js';
import type { TopRow } from '../diagnosis/report.js';
import type { Profile } from '../profile/model.js';
import { autoLabel } from '../profile/units.js';

/** Pasted tables: `top()`'s printed name ("func file:line") → the function name alone. */
function tableNames(profile: Profile): Map<string, string> | null {
  const rows = profile.table?.rows;
  if (!rows) return null;
  let m: Map<string, string> | null = null;
  for (const r of rows) {
    if (!r.location) continue;
    m ??= new Map();
    m.set(`${r.name} ${r.location}`, r.name);
  }
  return m;
}

export const pprofTopRows: TopProvider = (profile, sampleIndex, n) => {
  // A pasted table has one column; its own sample type applies.
  const r = top(profile, { sampleIndex: profile.source.hasStacks ? sampleIndex : undefined, nodeCount: 0 });
  const unit = profile.source.hasStacks
    ? (profile.sampleTypes[sampleIndex]?.unit ?? 'count')
    : (profile.table?.unit ?? 'count');
  const fmt = (v: number) => autoLabel(v, unit);
  const names = profile.source.hasStacks ? null : tableNames(profile);
  const total = r.total;
  const shown = n > 0 ? r.rows.slice(0, n) : r.rows;
  let sum = 0;
  return shown.map((row): TopRow => {
    sum += row.flat;
    const name = names?.get(row.name) ?? row.name;
    return {
      name: row.inline ? `${name} (${row.inline})` : name,
      flat: row.flat,
      flatPercent: total ? (100 * row.flat) / total : (row.flatPercent ?? 0),
      sumPercent: total ? (100 * sum) / total : 0,
      cum: row.cum,
      cumPercent: total ? (100 * row.cum) / total : (row.cumPercent ?? 0),
      flatText: fmt(row.flat),
      cumText: fmt(row.cum),
    };
  });
};
