/**
 * The one profile model every importer fills and every analysis reads.
 *
 * It mirrors profile.proto closely (so numbers can match `go tool pprof`), with three deliberate
 * differences:
 *  - strings are resolved (no string-table indices escape the decoder);
 *  - cross references are array indices, not ids (`Line.fn` indexes `functions`, a sample's stack
 *    holds indices into `locations`, `Location.mapping` indexes `mappings`);
 *  - samples are stored column-wise in typed arrays, so a profile with millions of samples costs a
 *    few bytes per frame instead of one object per sample.
 *
 * Inputs that carry less than a full profile (a pasted `go tool pprof -top` table) say so in
 * `source` and carry what they have in `table`.
 *
 * This module is environment-neutral: no Node-only imports anywhere under src/profile.
 */

/** A (type, unit) pair such as ("inuse_space", "bytes") or ("cpu", "nanoseconds"). */
export interface ValueType {
  type: string;
  unit: string;
}

export interface Mapping {
  id: number;
  memoryStart: number;
  memoryLimit: number;
  fileOffset: number;
  file: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface FunctionInfo {
  id: number;
  name: string;
  systemName: string;
  filename: string;
  startLine: number;
}

/** One frame inside a location. */
export interface Line {
  /** Index into `Profile.functions`, or -1 when the line names no function. */
  fn: number;
  line: number;
  column: number;
}

/**
 * A program counter with the frames it stands for. As in profile.proto, when a location holds
 * several lines the first is the innermost inlined callee and the last is the physical caller.
 */
export interface Location {
  id: number;
  /** Index into `Profile.mappings`, or -1 when unknown. */
  mapping: number;
  address: number;
  lines: Line[];
  isFolded: boolean;
}

/** A sample label: exactly one of `str` / `num` is set. */
export interface Label {
  key: string;
  str?: string;
  num?: number;
  unit?: string;
}

/**
 * Samples in columns. Sample `i` has values `values[i*nTypes .. i*nTypes+nTypes)` and stack
 * `stack[stackStart[i] .. stackStart[i+1])` (leaf first, as in profile.proto), each entry an
 * index into `Profile.locations`.
 */
export interface SampleTable {
  length: number;
  values: Float64Array;
  stackStart: Uint32Array;
  stack: Uint32Array;
  /** Per-sample labels; `undefined` (whole table or an entry) means none. */
  labels?: (Label[] | undefined)[];
  /**
   * Per sample type, the total the input itself states when the records read add up to less (a
   * `debug=1` text cut after some records under its `total N` header): shares are of this total,
   * as they were in the whole profile. Only on a table holding every record that was read.
   */
  declaredTotals?: number[];
}

/** The input formats we read. */
export type InputFormat =
  | 'pprof-proto'
  | 'heap-text'
  | 'count-text'
  | 'contention-text'
  | 'goroutine-dump'
  | 'top-table'
  | 'pprof-peek'
  | 'pprof-tree'
  | 'pprof-list'
  | 'pprof-traces'
  | 'pprof-raw';

/**
 * What a text form leaves out, so that readers (and the diagnosis engine) know what a number can
 * and cannot say:
 *  - `stacks`: per-function figures only, no call stacks (top, list);
 *  - `deep-stacks`: direct callers and callees only (peek, tree), not whole stacks;
 *  - `header-total`: the total is the sum of what was pasted, not the profile's own total;
 *  - `sample-types`: one sample type of several (every `go tool pprof` report);
 *  - `exact-values`: values rounded for display (traces, list);
 *  - `file-lines`: no file and line per frame (traces);
 *  - `labels`: no sample labels;
 *  - `runtime-frames`: leading runtime frames hidden by the runtime's text writer.
 */
export type TextLack =
  | 'stacks'
  | 'deep-stacks'
  | 'header-total'
  | 'sample-types'
  | 'exact-values'
  | 'file-lines'
  | 'labels'
  | 'runtime-frames';

/** A caller → callee edge from a pasted `peek` or `tree` report, in the table's unit. */
export interface TableEdge {
  caller: string;
  callee: string;
  value: number;
  inline?: boolean;
}

/** One source line of a pasted `list` / `weblist` routine, in the table's unit. */
export interface TableLine {
  /** The routine (function) the line belongs to. */
  fn: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
  /** The source text as printed, bounded. */
  source: string;
}

/** A row of a pasted `go tool pprof -top` table: per-function numbers only, no stacks. */
export interface TableRow {
  name: string;
  flat: number;
  cum: number;
  /** As printed, when the table had them. */
  flatPercent?: number;
  cumPercent?: number;
  /** `(inline)` / `(partial-inline)` marker, or the file/line column when printed. */
  inline?: 'inline' | 'partial-inline';
  location?: string;
}

/** What a pasted table tells, and what it does not. */
export interface PastedTable {
  rows: TableRow[];
  /** Sample type name when the header said (`Type: inuse_space`). */
  sampleType?: string;
  unit: string;
  /** The profile total, from "of X total" or, failing that, estimated from percentages. */
  total?: number;
  totalSource: 'header' | 'percent' | 'unknown';
  /** "Showing nodes accounting for X": what the rows cover. */
  shown?: number;
  droppedNodes?: number;
  sortedBy: 'flat' | 'cum' | 'unknown';
  /** Raw header lines kept for display (File, Type, Time, Duration, Showing …). */
  header: string[];
  /** Which report(s) the rows came from (absent: a plain top table). */
  forms?: ('top' | 'legacy-top' | 'peek' | 'tree' | 'list')[];
  /** Caller → callee edges (peek, tree): who calls whom directly, with the value on the edge. */
  edges?: TableEdge[];
  /** The hottest source lines of each listed routine (list, weblist). */
  lines?: TableLine[];
}

export interface SourceInfo {
  format: InputFormat;
  /** File path or URL the profile was read from, when known. */
  path?: string;
  /** Byte size of the input as given (before gunzip). */
  bytes?: number;
  gzipped?: boolean;
  /** The input ended early (a cut-off paste, a truncated dump); what was read is kept. */
  truncated: boolean;
  /** False for pasted tables: per-function figures only, no call stacks. */
  hasStacks: boolean;
  /** Plain-language notes on what the importer could not know or had to assume. */
  notes: string[];
  /** What a pasted text form leaves out (absent on complete profiles). */
  lacks?: TextLack[];
}

export interface Profile {
  sampleTypes: ValueType[];
  /** Name of the default sample type, when the profile names one. */
  defaultSampleType?: string;
  periodType?: ValueType;
  period: number;
  /** Collection time, ns since the epoch (0 when unknown). */
  timeNanos: number;
  durationNanos: number;
  comments: string[];
  docUrl?: string;
  dropFrames?: string;
  keepFrames?: string;

  mappings: Mapping[];
  locations: Location[];
  functions: FunctionInfo[];
  samples: SampleTable;

  source: SourceInfo;
  /** Pasted tables only. */
  table?: PastedTable;
  /** `# runtime.MemStats` block of a debug=1 heap profile, key → value as printed. */
  memStats?: Record<string, string>;
  /**
   * Only on a profile straight from the pprof decoder's WebAssembly kernel, and not enumerable (a
   * spread or a copy never carries it): column-wise views of its functions and locations, which
   * the graph reads instead of the objects (those are built only when something reads them).
   */
  readonly columns?: ProfileColumns;
}

/** Column-wise functions and locations (see Profile.columns). */
export interface ProfileColumns {
  /** String `x` of the profile's string table (decoded on demand). */
  string(x: number): string;
  /** The whole string table, decoded at once (cheaper than string() for most of it). */
  strings(): string[];
  /** Per function: the string index of its name. */
  fnName: Int32Array;
  /** Per function: the first function whose name has the same bytes. */
  fnCanon: Int32Array;
  /** Per function: the string index of its file name. */
  fnFilename: Int32Array;
  /** True when every function name is ASCII, so that equal bytes mean equal names. */
  namesAscii: boolean;
  /** Per location: its lines are lineFn[locLineStart[l] .. locLineStart[l+1]), innermost first. */
  locLineStart: Uint32Array;
  /** Per line: function index, -1 for none. */
  lineFn: Int32Array;
  /** Function-granularity nodes and weights computed by the kernel, over `samples` (graph.ts). */
  graph: ColumnGraph;
  /** The function names joined, with a tail index (see FunctionNameIndex); undefined unless every name is ASCII. */
  nameIndex(): FunctionNameIndex | undefined;
  /** The sample table the kernel holds (the profile's own, until something replaces it). */
  samples: SampleTable;
}

/**
 * Every function name joined by newlines in function order (`text`; function i is
 * text[starts[i], starts[i+1] - 1)), and the functions whose names are at least 3 characters
 * long grouped by a hash of their last 3 (tailBucket): bucket b is tailFns[tailStart[b],
 * tailStart[b+1]), ascending.
 */
export interface FunctionNameIndex {
  text: string;
  starts: Uint32Array;
  tailStart: Uint32Array;
  tailFns: Uint32Array;
}

/** FunctionNameIndex's bucket of a name's (or a suffix's) last 3 characters, ASCII only; -1 otherwise. */
export function tailBucket(s: string): number {
  const n = s.length;
  if (n < 3) return -1;
  const a = s.charCodeAt(n - 3);
  const b = s.charCodeAt(n - 2);
  const c = s.charCodeAt(n - 1);
  if ((a | b | c) > 0x7f) return -1;
  return Math.imul((a << 16) | (b << 8) | c, 0x9e3779b1 | 0) >>> 20;
}

/** The kernel's function-granularity graph (see ProfileColumns.graph). */
export interface ColumnGraph {
  /**
   * A node per distinct function name in order of first use, as graph.ts's buildNodes; undefined
   * when a location has no lines, a line no function or a function no name.
   */
  functionNodes(noInlines: boolean): { locStart: Uint32Array; locNodes: Uint32Array; nodeFn: Int32Array } | undefined;
  /** Flat and cum per node of functionNodes(noInlines), for one value column. */
  weights(valueIndex: number, noInlines: boolean): { flat: Float64Array; cum: Float64Array };
  /** Σ |value| of one value column over the samples, in order (pprof's total without labels). */
  total(valueIndex: number): number;
  /**
   * The samples (ascending, each once) whose stacks hold a location with a line of a function
   * whose `fnMask` entry is non-zero.
   */
  samplesHolding(fnMask: Uint8Array): Uint32Array;
}

/**
 * Σ |value| of column `valueIndex` over every sample, in order (computed by the decoder's kernel
 * when it holds these samples) — or the total the input itself states for a text cut short
 * (SampleTable.declaredTotals). pprof's total for a profile without -diff_base labels.
 */
export function sampleTotal(p: Profile, valueIndex: number): number {
  const declared = p.samples.declaredTotals?.[valueIndex];
  if (declared !== undefined) return declared;
  if (p.columns !== undefined && p.columns.samples === p.samples) return p.columns.graph.total(valueIndex);
  const { values, length } = p.samples;
  const nTypes = p.sampleTypes.length;
  let total = 0;
  for (let s = 0; s < length; s++) total += Math.abs(values[s * nTypes + valueIndex]!);
  return total;
}

/** An empty sample table. */
export function emptySamples(): SampleTable {
  return { length: 0, values: new Float64Array(0), stackStart: new Uint32Array(1), stack: new Uint32Array(0) };
}

/**
 * A profile that is only a pasted report table (top, peek/tree, list): one sample type, no samples,
 * locations or functions; the rows are in `table`.
 */
export function tableProfile(type: ValueType, durationNanos: number, source: SourceInfo, table: PastedTable): Profile {
  return {
    sampleTypes: [type],
    defaultSampleType: type.type,
    period: 0,
    timeNanos: 0,
    durationNanos,
    comments: [],
    mappings: [],
    locations: [],
    functions: [],
    samples: emptySamples(),
    source,
    table,
  };
}

/**
 * Index of the sample type pprof shows when none is asked for: `default_sample_type` when set and
 * present, else the last type.
 */
export function defaultSampleIndex(p: Profile): number {
  if (p.defaultSampleType) {
    const i = p.sampleTypes.findIndex((t) => t.type === p.defaultSampleType);
    if (i >= 0) return i;
  }
  return Math.max(0, p.sampleTypes.length - 1);
}
