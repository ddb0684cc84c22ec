/**
 * JSON rendering of an `AnalysisReport`. The report is already plain data; this fixes the key
 * order of the top level (what a reader looks for first) and rounds shares for readability.
 * Environment-neutral.
 */
import type { AnalysisReport } from '../diagnosis/report.js';

/** The object printed by `analyze --format json`. */
export function analysisJson(r: AnalysisReport): Record<string, unknown> {
  return {
    schemaVersion: r.schemaVersion,
    tool: r.tool,
    profile: r.profile,
    process: r.process,
    lens: r.lens,
    diagnoses: r.diagnoses,
    ruledOut: r.ruledOut,
    top: r.top,
    profiles: r.profiles,
    tops: r.tops,
    stacks: r.stacks,
    rulesEvaluated: r.rulesEvaluated,
    notes: r.notes,
  };
}

/** Pretty-printed JSON text with a trailing newline. */
export function formatAnalysisJson(r: AnalysisReport): string {
  return `${JSON.stringify(analysisJson(r), (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v), 2)}\n`;
}
