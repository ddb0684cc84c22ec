/**
 * The report's top tables with pprof's numbers: src/analysis `top` (pprof's -top semantics,
 * trimming and inline markers) turned into the engine's `TopRow`s, values formatted in the unit
 * `go tool pprof -top` picks. Pass it to `analyzeProfiles(…, { top: pprofTopRows })`.
 *
 * The unit is chosen over ALL rows (pprof picks the unit from the smallest value it prints, and
 * `go tool pprof -top` / `pprof-doctor top` print every row), then the first `n` rows are kept, so
 * the numbers read exactly like `pprof-doctor top`. A pasted table's file column is not part of the
 * row name here: `name` is the function, as in a profile with stacks.
 *
 * Environment-neutral: no Node-only imports.
 */
import { top } from '../analysis/top.js';
import type { TopProvider } from '../diagnosis/engine.js';
import type { TopRow } from '../diagnosis/report.js';
import type { Profile } from '../profile/model.js';
import { valueFormatter } from './pprof-text.js';

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
  const fmt = valueFormatter(unit, r.outputUnit);
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
