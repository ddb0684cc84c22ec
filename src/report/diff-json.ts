/**
 * `pprof-doctor diff --format json`: the document described by schema/diff.schema.json. Values
 * are in the sample type's unit (bytes, nanoseconds, counts), signed (new − base); percentages
 * are signed, of `total`; `*Text` fields are the same values as pprof formats them.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { DiagnosisComparison } from '../analysis/compare/diagnosis.js';
import type { DiffReport } from '../analysis/diff.js';
import { isoTime, plainValue, signedValue } from './diff-format.js';

export const DIFF_SCHEMA_VERSION = 1;

export interface DiffRenderInput {
  report: DiffReport;
  diagnosis?: DiagnosisComparison;
}

export interface DiffRenderOptions {
  toolVersion?: string;
  /** The command line that produced the report (Markdown and HTML show it). */
  command?: string;
  tz?: 'utc' | 'local';
  /** Rows to show in text/Markdown/HTML (JSON has every row). */
  rowLimit?: number;
}

/** The plain-language description of the two modes. */
export function modeDescription(r: DiffReport): string {
  return r.mode === 'compare'
    ? 'compare (pprof -diff_base): values are new − base; percentages are of the base total'
    : 'subtract (pprof -base): values are new − base; percentages are of Σ|new − base| over stacks';
}

export const SIGN_NOTE =
  'Percentages keep their sign here (−4.85% = shrank by 4.85% of the total); go tool pprof prints them unsigned.';

export function diffJson(input: DiffRenderInput, opts: DiffRenderOptions = {}): Record<string, unknown> {
  const r = input.report;
  const u = r.unit;
  const ou = 'auto';
  const side = (s: DiffReport['base']) => ({
    name: s.name,
    time: isoTime(s.timeNanos),
    timeNanos: s.timeNanos,
    durationNanos: s.durationNanos,
    total: s.total,
    totalText: plainValue(s.total, u, ou),
    samples: s.samples,
  });
  const notes = [modeDescription(r), SIGN_NOTE];
  if (r.normalized) notes.push(`new values were scaled by ${r.normalizeScale.toPrecision(6)} (--normalize)`);
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    tool: { name: 'pprof-doctor', version: opts.toolVersion ?? '' },
    mode: r.mode,
    normalized: r.normalized,
    normalizeScale: r.normalizeScale,
    sampleType: r.sampleType,
    unit: u,
    total: r.total,
    totalText: plainValue(r.total, u, ou),
    base: side(r.base),
    new: side(r.new),
    delta: r.delta,
    deltaText: signedValue(r.delta, u, ou),
    deltaPercent: r.base.total !== 0 ? (100 * r.delta) / r.base.total : 0,
    sortedBy: r.sortedBy,
    rows: r.rows.map((row) => ({
      name: row.name,
      inline: row.inline,
      flat: row.flat,
      flatText: signedValue(row.flat, u, ou),
      flatPercent: row.flatPercent,
      cum: row.cum,
      cumText: signedValue(row.cum, u, ou),
      cumPercent: row.cumPercent,
      status: row.status,
      base: { flat: row.base.flat, cum: row.base.cum },
      new: { flat: row.new.flat, cum: row.new.cum },
    })),
    appeared: { count: r.appearedCount, functions: r.appeared },
    disappeared: { count: r.disappearedCount, functions: r.disappeared },
    diagnosis: input.diagnosis
      ? {
          evaluated: input.diagnosis.evaluated,
          rules: input.diagnosis.rules.map((c) => ({
            id: c.id,
            title: c.title,
            severity: c.severity,
            status: c.status,
            sampleType: c.sampleType,
            unit: c.unit,
            basis: c.basis,
            patterns: c.patterns,
            base: dropUndefined(c.base),
            new: dropUndefined(c.new),
            fixedIn: c.fixedIn,
          })),
        }
      : null,
    warnings: r.warnings,
    notes,
  };
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function formatDiffJson(input: DiffRenderInput, opts: DiffRenderOptions = {}): string {
  return `${JSON.stringify(diffJson(input, opts), null, 2)}\n`;
}
