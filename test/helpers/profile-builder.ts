/**
 * Builds a `Profile` from folded stacks ("root;caller;leaf") for tests: one location per function,
 * samples column-wise as the model wants. Values: one number per sample type.
 */
import type { Label, Profile, TableRow, ValueType } from '../../src/profile/model.js';
import { buildProfile as buildFromSpecs } from './build-profile.js';

export interface StackSpec {
  /** Root first, leaf last, separated by ';' (flame-graph "folded" order). */
  stack: string;
  /** One value per sample type (a single number for single-type profiles). */
  value: number | number[];
  labels?: Label[];
}

export interface BuildOptions {
  sampleTypes?: ValueType[];
  defaultSampleType?: string;
  periodType?: ValueType;
  period?: number;
  durationNanos?: number;
  /** function name → file name (for Go-version markers such as runtime/hashmap.go). */
  files?: Record<string, string>;
  /** file name given to functions not in `files` (default: none). */
  defaultFile?: string;
  memStats?: Record<string, string>;
  path?: string;
  comments?: string[];
  mappingFile?: string;
}

export const HEAP_TYPES: ValueType[] = [
  { type: 'alloc_objects', unit: 'count' },
  { type: 'alloc_space', unit: 'bytes' },
  { type: 'inuse_objects', unit: 'count' },
  { type: 'inuse_space', unit: 'bytes' },
];
export const CPU_TYPES: ValueType[] = [
  { type: 'samples', unit: 'count' },
  { type: 'cpu', unit: 'nanoseconds' },
];
export const GOROUTINE_TYPES: ValueType[] = [{ type: 'goroutine', unit: 'count' }];
export const CONTENTION_TYPES: ValueType[] = [
  { type: 'contentions', unit: 'count' },
  { type: 'delay', unit: 'nanoseconds' },
];

/** Builds through the shared test helper (build-profile.ts); folded stacks are reversed to leaf-first. */
export function buildProfile(stacks: StackSpec[], opts: BuildOptions = {}): Profile {
  const sampleTypes = opts.sampleTypes ?? [{ type: 'inuse_space', unit: 'bytes' }];
  const frame = (name: string) => {
    const file = opts.files?.[name] ?? opts.defaultFile;
    return file ? { fn: name, file } : name;
  };
  const p = buildFromSpecs({
    sampleTypes: sampleTypes.map((t): [string, string] => [t.type, t.unit]),
    defaultSampleType: opts.defaultSampleType,
    periodType: opts.periodType ? [opts.periodType.type, opts.periodType.unit] : undefined,
    period: opts.period ?? 1,
    durationNanos: opts.durationNanos ?? 0,
    comments: opts.comments,
    mappings: [opts.mappingFile ?? '/usr/local/bin/app'],
    samples: stacks.map((s) => ({
      stack: s.stack
        .split(';')
        .filter((f) => f.length > 0)
        .reverse()
        .map(frame),
      values: Array.isArray(s.value) ? s.value : sampleTypes.map(() => s.value as number),
      labels: s.labels,
    })),
  });
  p.source.path = opts.path;
  p.memStats = opts.memStats;
  return p;
}

/** A heap profile where every stack gets the same value in all four columns (objects = bytes / 1 KiB). */
export function heapProfile(stacks: { stack: string; bytes: number }[], opts: BuildOptions = {}): Profile {
  return buildProfile(
    stacks.map((s) => ({
      stack: s.stack,
      value: [Math.ceil(s.bytes / 1024), s.bytes, Math.ceil(s.bytes / 1024), s.bytes],
    })),
    { sampleTypes: HEAP_TYPES, defaultSampleType: 'inuse_space', ...opts },
  );
}

/** A CPU profile; values in nanoseconds (samples = ns / 10ms). */
export function cpuProfile(stacks: { stack: string; ns: number }[], opts: BuildOptions = {}): Profile {
  return buildProfile(
    stacks.map((s) => ({ stack: s.stack, value: [Math.round(s.ns / 1e7), s.ns] })),
    {
      sampleTypes: CPU_TYPES,
      periodType: { type: 'cpu', unit: 'nanoseconds' },
      period: 1e7,
      durationNanos: 30e9,
      ...opts,
    },
  );
}

/** A goroutine profile; one sample per stack with its goroutine count. */
export function goroutineProfile(
  stacks: { stack: string; count: number; labels?: Label[] }[],
  opts: BuildOptions = {},
): Profile {
  return buildProfile(
    stacks.map((s) => ({ stack: s.stack, value: [s.count], labels: s.labels })),
    { sampleTypes: GOROUTINE_TYPES, periodType: { type: 'goroutine', unit: 'count' }, ...opts },
  );
}

/** A pasted `go tool pprof -top` table (no stacks). */
export function tableProfile(
  rows: { name: string; flat: number; cum: number; location?: string }[],
  opts: { sampleType?: string; unit: string; total: number },
): Profile {
  const tableRows: TableRow[] = rows.map((r) => ({
    name: r.name,
    flat: r.flat,
    cum: r.cum,
    flatPercent: (100 * r.flat) / opts.total,
    cumPercent: (100 * r.cum) / opts.total,
    location: r.location,
  }));
  return {
    sampleTypes: [{ type: opts.sampleType ?? 'unknown', unit: opts.unit }],
    period: 1,
    timeNanos: 0,
    durationNanos: 0,
    comments: [],
    mappings: [],
    locations: [],
    functions: [],
    samples: { length: 0, values: new Float64Array(0), stackStart: new Uint32Array(1), stack: new Uint32Array(0) },
    source: { format: 'top-table', truncated: false, hasStacks: false, notes: [] },
    table: {
      rows: tableRows,
      sampleType: opts.sampleType,
      unit: opts.unit,
      total: opts.total,
      totalSource: 'header',
      sortedBy: 'flat',
      header: [],
    },
  };
}
