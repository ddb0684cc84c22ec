/**
 * The report's top tables with pprof's numbers: src/analysis `top` (pprof's -top semantics,
 * trimming and inline markers) turned into the engine's `TopRow`s, values formatted in the unit
 * `go tool pprof -top` picks. Pass it to `analyzeProfiles(…, { top: pprofTopRows })`.
 *
 * Environment-neutral: no Node-only imports.
 */
import { top } from '../analysis/top.js';
import type { TopProvider } from '../diagnosis/engine.js';
import type { TopRow } from '../diagnosis/report.js';
import { valueFormatter } from './pprof-text.js';

export const pprofTopRows: TopProvider = (profile, sampleIndex, n) => {
  // A pasted table has one column; its own sample type applies.
  const r = top(profile, { sampleIndex: profile.source.hasStacks ? sampleIndex : undefined, nodeCount: n });
  const unit = profile.source.hasStacks
    ? (profile.sampleTypes[sampleIndex]?.unit ?? 'count')
    : (profile.table?.unit ?? 'count');
  const fmt = valueFormatter(unit, r.outputUnit);
  const total = r.total;
  let sum = 0;
  return r.rows.map((row): TopRow => {
    sum += row.flat;
    return {
      name: row.inline ? `${row.name} (${row.inline})` : row.name,
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
