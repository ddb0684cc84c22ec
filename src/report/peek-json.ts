/**
 * `peek --format json`: the functions matching the regex with their callers and callees, as data
 * (schema/peek.schema.json). Values are in the sample unit; percentages are of the report total,
 * as pprof prints flat% and cum%. `schemaVersion` changes when a field changes meaning or goes away.
 */
import type { PeekEdge, PeekReport } from '../analysis/peek.js';

export const PEEK_SCHEMA_VERSION = 1;

export interface PeekJsonOptions {
  toolVersion?: string;
  /** The regex the functions were matched with. */
  regex: string;
}

function percentOf(v: number, total: number): number {
  return total !== 0 ? (v / total) * 100 : 0;
}

function edges(list: PeekEdge[], total: number) {
  return list.map((e) => ({ name: e.name, value: e.weight, percent: percentOf(e.weight, total), inline: e.inline }));
}

export function peekJson(r: PeekReport, opts: PeekJsonOptions) {
  return {
    schemaVersion: PEEK_SCHEMA_VERSION,
    tool: { name: 'pprof-doctor', version: opts.toolVersion ?? '' },
    kind: 'peek' as const,
    regex: opts.regex,
    sampleType: r.header.sampleType,
    unit: r.header.sampleUnit,
    total: r.total,
    activeFilters: r.header.activeFilters,
    functions: r.entries.map((e) => ({
      name: e.name,
      flat: e.flat,
      flatPercent: percentOf(e.flat, r.total),
      cum: e.cum,
      cumPercent: percentOf(e.cum, r.total),
      callers: edges(e.callers, r.total),
      callees: edges(e.callees, r.total),
    })),
    warnings: r.warnings,
  };
}

export function formatPeekJson(r: PeekReport, opts: PeekJsonOptions): string {
  return `${JSON.stringify(peekJson(r, opts), null, 2)}\n`;
}
