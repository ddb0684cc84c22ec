/**
 * `traces --format json`: every sample with its value, labels and stack, as data
 * (schema/traces.schema.json). Values are in the sample unit; stacks are leaf first, as pprof
 * prints them. Labels are lists of {key, values} (never object keys: a label key is profile data).
 * `schemaVersion` changes when a field changes meaning or goes away.
 */
import type { TracesReport } from '../analysis/traces.js';

export const TRACES_SCHEMA_VERSION = 1;

export interface TracesJsonOptions {
  toolVersion?: string;
}

export function tracesJson(r: TracesReport, opts: TracesJsonOptions = {}) {
  return {
    schemaVersion: TRACES_SCHEMA_VERSION,
    tool: { name: 'pprof-doctor', version: opts.toolVersion ?? '' },
    kind: 'traces' as const,
    sampleType: r.header.sampleType,
    unit: r.header.sampleUnit,
    total: r.total,
    activeFilters: r.header.activeFilters,
    samples: r.samples.map((s) => ({
      value: s.value,
      labels: s.labels.map(([key, values]) => ({ key, values })),
      numLabels: s.numLabels.map(([key, values, unit]) => ({ key, values, unit })),
      frames: s.frames.map((f) => ({ name: f.name, inline: f.inline })),
    })),
    warnings: r.warnings,
  };
}

export function formatTracesJson(r: TracesReport, opts: TracesJsonOptions = {}): string {
  return `${JSON.stringify(tracesJson(r, opts), null, 2)}\n`;
}
