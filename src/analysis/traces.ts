/**
 * `traces`: every sample with its labels, value and stack (pprof's printTraces), as data.
 * Formatting lives in src/report/pprof-text.ts.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { Profile } from '../profile/model.js';
import { numLabelUnits } from '../profile/filter.js';
import { buildNodes } from './graph.js';
import { mergeSamples } from './merge-samples.js';
import { type AnalysisOptions, type ProfileHeader, prepare } from './prepare.js';

export interface TraceFrame {
  name: string;
  inline: boolean;
}

export interface TraceSample {
  value: number;
  /** String labels: key → values, in the sample's order. */
  labels: [string, string[]][];
  /** Numeric labels: key → values, with the unit pprof shows them in. */
  numLabels: [string, number[], string][];
  /** Leaf first. */
  frames: TraceFrame[];
}

export interface TracesReport {
  header: ProfileHeader;
  total: number;
  samples: TraceSample[];
  warnings: string[];
}

/** pprof's `traces` report. */
export function traces(p: Profile, opts: AnalysisOptions = {}): TracesReport {
  const merged = p.source.hasStacks ? mergeSamples(p) : p;
  const { units } = numLabelUnits(merged);
  const prep = prepare(merged, opts);
  const prof = prep.profile;
  const nodes = buildNodes(prof, opts.granularity ?? 'functions', !!opts.noInlines);
  const { values, stackStart, stack, length, labels } = prof.samples;
  const nT = prof.sampleTypes.length;
  const out: TraceSample[] = [];
  for (let s = 0; s < length; s++) {
    const frames: TraceFrame[] = [];
    for (let j = stackStart[s]!; j < stackStart[s + 1]!; j++) {
      const loc = stack[j]!;
      const first = nodes.locStart[loc]!;
      const end = nodes.locStart[loc + 1]!;
      for (let k = first; k < end; k++) {
        frames.push({ name: nodes.name(nodes.locNodes[k]!), inline: k !== end - 1 });
      }
    }
    if (frames.length === 0) continue;
    const strLabels = new Map<string, string[]>();
    const numLabels = new Map<string, number[]>();
    for (const l of labels?.[s] ?? []) {
      if (l.str !== undefined) {
        const v = strLabels.get(l.key);
        if (v) v.push(l.str);
        else strLabels.set(l.key, [l.str]);
      } else {
        const v = numLabels.get(l.key);
        if (v) v.push(l.num ?? 0);
        else numLabels.set(l.key, [l.num ?? 0]);
      }
    }
    out.push({
      value: values[s * nT + prep.valueIndex]!,
      labels: [...strLabels.entries()],
      numLabels: [...numLabels.entries()].map(([k, v]) => [k, v, units.get(k) ?? k]),
      frames,
    });
  }
  return { header: prep.header, total: prep.total, samples: out, warnings: prep.warnings };
}
