/**
 * Builds a `Profile` (the shared model) from readable lists, for tests:
 *
 *   buildProfile({
 *     sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
 *     samples: [
 *       { stack: ['main.leaf', 'main.main', 'runtime.main'], values: [1, 10_000_000] },
 *       [['main.leaf', 'main.main'], [2, 20_000_000]],
 *     ],
 *   })
 *
 * Stacks are leaf first, as in profile.proto. A frame is a function name, a `FrameSpec`
 * (name plus file/line/address), or an array of those standing for ONE location with inlined
 * frames (innermost first). Identical frames share a location; identical (name, file) pairs
 * share a function.
 */
import type { Label, Line, Location, Mapping, Profile, ValueType } from '../../src/profile/model.js';

export interface FrameSpec {
  fn?: string;
  file?: string;
  line?: number;
  /** Explicit address; by default each distinct location gets its own. */
  address?: number;
  startLine?: number;
  /** Index into `mappings` (default 0 when there is a mapping). */
  mapping?: number;
}

export type Frame = string | FrameSpec | (string | FrameSpec)[];

export interface SampleSpec {
  stack: Frame[];
  values: number[];
  labels?: Label[];
}

export interface BuildOptions {
  sampleTypes?: [string, string][];
  defaultSampleType?: string;
  periodType?: [string, string];
  period?: number;
  timeNanos?: number;
  durationNanos?: number;
  comments?: string[];
  dropFrames?: string;
  keepFrames?: string;
  /** Mapping files; the first is the main binary. Default: one mapping named `/bin/app`. Use [] for none. */
  mappings?: (string | Partial<Mapping>)[];
  samples: (SampleSpec | [Frame[], number[]] | [Frame[], number[], Label[]])[];
}

function toSpec(f: string | FrameSpec): FrameSpec {
  return typeof f === 'string' ? { fn: f } : f;
}

export function buildProfile(opts: BuildOptions): Profile {
  const sampleTypes: ValueType[] = (
    opts.sampleTypes ?? [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ]
  ).map(([type, unit]) => ({ type, unit }));
  const nTypes = sampleTypes.length;

  const mappingSpecs = opts.mappings ?? ['/bin/app'];
  const mappings: Mapping[] = mappingSpecs.map((m, i) => ({
    id: i + 1,
    memoryStart: 0x400000 * (i + 1),
    memoryLimit: 0x400000 * (i + 2),
    fileOffset: 0,
    file: '',
    buildId: '',
    hasFunctions: true,
    hasFilenames: true,
    hasLineNumbers: true,
    hasInlineFrames: true,
    ...(typeof m === 'string' ? { file: m } : m),
  }));

  const functions: Profile['functions'] = [];
  const fnIndex = new Map<string, number>();
  const locations: Location[] = [];
  const locIndex = new Map<string, number>();

  const fnOf = (s: FrameSpec): number => {
    if (s.fn === undefined) return -1;
    const key = `${s.fn}\u0000${s.file ?? ''}\u0000${s.startLine ?? 0}`;
    let i = fnIndex.get(key);
    if (i === undefined) {
      i = functions.length;
      functions.push({ id: i + 1, name: s.fn, systemName: s.fn, filename: s.file ?? '', startLine: s.startLine ?? 0 });
      fnIndex.set(key, i);
    }
    return i;
  };

  const locOf = (frame: Frame): number => {
    const specs = (Array.isArray(frame) ? frame : [frame]).map(toSpec);
    const key = JSON.stringify(specs);
    let i = locIndex.get(key);
    if (i === undefined) {
      i = locations.length;
      const lines: Line[] = specs
        .filter((s) => s.fn !== undefined)
        .map((s) => ({ fn: fnOf(s), line: s.line ?? 0, column: 0 }));
      const mapping = specs[0]?.mapping ?? (mappings.length > 0 ? 0 : -1);
      const base = mapping >= 0 ? mappings[mapping]!.memoryStart : 0x1000;
      locations.push({
        id: i + 1,
        mapping,
        address: specs[0]?.address ?? base + 0x10 * (i + 1),
        lines,
        isFolded: false,
      });
      locIndex.set(key, i);
    }
    return i;
  };

  const specs: SampleSpec[] = opts.samples.map((s) =>
    Array.isArray(s) ? { stack: s[0], values: s[1], labels: s[2] } : s,
  );
  const n = specs.length;
  const values = new Float64Array(n * nTypes);
  const stackStart = new Uint32Array(n + 1);
  const stack: number[] = [];
  const labels: (Label[] | undefined)[] = [];
  let anyLabels = false;
  specs.forEach((s, i) => {
    if (s.values.length !== nTypes) throw new Error(`sample ${i}: ${s.values.length} values for ${nTypes} types`);
    values.set(s.values, i * nTypes);
    stackStart[i] = stack.length;
    for (const f of s.stack) stack.push(locOf(f));
    labels.push(s.labels);
    if (s.labels) anyLabels = true;
  });
  stackStart[n] = stack.length;

  const periodType = opts.periodType ? { type: opts.periodType[0], unit: opts.periodType[1] } : undefined;
  return {
    sampleTypes,
    defaultSampleType: opts.defaultSampleType,
    periodType,
    period: opts.period ?? 0,
    timeNanos: opts.timeNanos ?? 0,
    durationNanos: opts.durationNanos ?? 0,
    comments: opts.comments ?? [],
    dropFrames: opts.dropFrames,
    keepFrames: opts.keepFrames,
    mappings,
    locations,
    functions,
    samples: {
      length: n,
      values,
      stackStart,
      stack: Uint32Array.from(stack),
      labels: anyLabels ? labels : undefined,
    },
    source: { format: 'pprof-proto', truncated: false, hasStacks: true, notes: [] },
  };
}
