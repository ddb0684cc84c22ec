/**
 * profile.proto decoder: uncompressed bytes → the shared `Profile` model.
 *
 * Why hand-written (and why not protobufjs or pprof-format): both decode eagerly into one object per
 * message and were measured far slower on the same bytes. `npm run bench` (BENCHMARKS.md; Node 20,
 * 2-core VM, 2026-11-21, best-of-3 CPU time after warm-up): large.cpu (2.45 MB raw) ours 39 ms vs
 * pprof-format 2.3.2 270 ms (6.9×; 15–17 ms vs ~150 ms wall when the machine was idle); a 31 MB
 * synthetic heap profile (340k samples) ours 0.29 s vs pprof-format 2.34 s (8.2×), retaining 99 MB
 * vs 286 MB. pprof-format also returns a mix of number and bigint and does not sign-convert int64
 * (a delta profile's -5 comes back as 18446744073709551611n); protobufjs needs `Long` objects for
 * 64-bit fields and was slower still in the shared research measurements.
 *
 * Design: two flat passes. Pass 1 walks the top-level fields once, decodes the string table and the
 * scalar header fields, and records where each sample / location / function / mapping message lies
 * (field order is never assumed: Go writes strings last and interleaves locations with samples).
 * Pass 2 decodes mappings, functions and locations (building id → index tables), then fills the
 * column-wise sample table straight from the bytes: no object per sample, no intermediate arrays.
 *
 * Numbers: every varint is read as up to 10 bytes; int64 fields are two's-complement converted
 * (delta profiles have negative values); uint64 fields (addresses, ids) become `number`, exact up to
 * 2^53 and rounded above that (a documented, accepted loss: addresses above 2^53 do not occur in
 * user-space Go profiles, and ids above 2^53 only need to stay distinct, which they do unless two of
 * them round to the same double).
 *
 * Validation mirrors pprof's decoder and CheckValid; every problem is a `FormatError`.
 *
 * Environment-neutral: no Node-only imports (TextDecoder is a web standard).
 */
import { FormatError } from '../../errors.js';
import type {
  FunctionInfo,
  Label,
  Line,
  Location,
  Mapping,
  Profile,
  ProfileColumns,
  SampleTable,
  ValueType,
} from '../../profile/model.js';
import { DEFAULT_LIMITS, type InputLimits, LimitError, type LimitName, limitExceeded } from '../limits.js';
import { type KernelColumns, runKernel } from './kernel.js';

// ---------------------------------------------------------------------------------------------
// Varint reading. The cursor lives in module state so the hot loops pay no allocation and no
// property access for it; decodePprof is synchronous, so no two decodes ever interleave.

let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
/** 1 while the top level is being indexed, 2 afterwards (see PprofDecodeError.structural). */
let stage = 1;
/** The bounds of the decode in progress (limits.ts). */
let lim: Readonly<InputLimits> = DEFAULT_LIMITS;

const TWO32 = 4294967296;

/**
 * Reads an unsigned varint (uint64 → number, rounded above 2^53). Bytes 1..4 inline, in a loop
 * rather than one branch per length: a value one byte longer than any seen before the JIT
 * compiled this would otherwise deoptimize it (each deopt costs a recompile, and on a cold run
 * compiling is much of the time spent here).
 */
function readU(): number {
  const b = buf;
  let p = pos;
  let c = b[p++]!;
  let lo = c & 0x7f;
  let shift = 7;
  while (c >= 0x80 && shift < 28) {
    c = b[p++]!;
    lo |= (c & 0x7f) << shift;
    shift += 7;
  }
  pos = p;
  if (c >= 0x80) return readLong(lo, false);
  return lo;
}

/** Reads an int64 varint (two's complement → negative numbers); as readU. */
function readI(): number {
  const b = buf;
  let p = pos;
  let c = b[p++]!;
  let lo = c & 0x7f;
  let shift = 7;
  while (c >= 0x80 && shift < 28) {
    c = b[p++]!;
    lo |= (c & 0x7f) << shift;
    shift += 7;
  }
  pos = p;
  if (c >= 0x80) return readLong(lo, true);
  return lo;
}

/** Bytes 5..10 of a varint whose first 28 bits are in `lo28`. */
function readLong(lo28: number, signed: boolean): number {
  const b = buf;
  let p = pos;
  let c = b[p++]!;
  const lo = (lo28 | ((c & 0x0f) << 28)) >>> 0;
  let hi = (c & 0x7f) >>> 4;
  if (c >= 0x80) {
    let shift = 3;
    for (;;) {
      c = b[p++]!;
      if (shift === 31) {
        // 10th byte: only its lowest bit is part of a 64-bit value.
        if (c === undefined || c >= 0x80) throw badVarint(p - 10, c === undefined);
        hi |= (c & 0x01) << 31;
        break;
      }
      if (c === undefined) throw badVarint(p - 1, true);
      hi |= (c & 0x7f) << shift;
      if (c < 0x80) break;
      shift += 7;
    }
  }
  pos = p;
  hi >>>= 0;
  if (signed && hi >= 0x80000000) {
    // Two's complement: value = -(2^64 - (hi·2^32 + lo)).
    const nlo = (~lo + 1) >>> 0;
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    return -(nhi * TWO32 + nlo);
  }
  return hi * TWO32 + lo;
}

function badVarint(at: number, truncated: boolean): FormatError {
  if (truncated) return new FormatError(`truncated protobuf data: a varint at byte ${at} runs past the end`);
  return new FormatError(`malformed varint at byte ${at} (longer than 10 bytes)`);
}

/** Skips one field's payload after its tag has been read. */
function skip(tag: number, end: number): void {
  switch (tag & 7) {
    case 0:
      readU();
      break;
    case 1:
      pos += 8;
      break;
    case 2: {
      const n = readU();
      pos += n;
      break;
    }
    case 5:
      pos += 4;
      break;
    default:
      throw new FormatError(`unsupported protobuf wire type ${tag & 7} (field ${tag >>> 3}) at byte ${pos}`);
  }
  if (pos > end) throw overrun(tag >>> 3, end);
}

function overrun(field: number, end: number): FormatError {
  return new FormatError(`truncated protobuf data: field ${field} runs past the end of its message (byte ${end})`);
}

/** Reads a length prefix and returns the end offset, checked against the enclosing `end`. */
function readLen(field: number, end: number): number {
  const n = readU();
  const e = pos + n;
  if (e > end) throw overrun(field, end);
  return e;
}

function mismatch(what: string, tag: number): FormatError {
  return new FormatError(`wire type mismatch: ${what} field ${tag >>> 3} has wire type ${tag & 7}`);
}

// ---------------------------------------------------------------------------------------------
// Small growable typed lists (pass 1 offsets, the stack column).

class U32List {
  a: Uint32Array;
  n = 0;
  constructor(cap: number) {
    this.a = new Uint32Array(Math.max(16, cap));
  }
  push(x: number): void {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n++] = x;
  }
  grow(min: number): void {
    const next = new Uint32Array(Math.max(min, this.a.length * 2));
    next.set(this.a.subarray(0, this.n));
    this.a = next;
  }
  /** The filled part; copied when that saves more than a fifth of the buffer. */
  done(): Uint32Array {
    if (this.n === this.a.length) return this.a;
    if (this.n < this.a.length * 0.8) return this.a.slice(0, this.n);
    return this.a.subarray(0, this.n);
  }
}

// ---------------------------------------------------------------------------------------------
// Strings

const utf8 = new TextDecoder('utf-8');
/** windows-1252 (what WHATWG calls latin1) maps every byte to exactly one UTF-16 unit. */
const singleByte: InstanceType<typeof TextDecoder> | undefined = (() => {
  try {
    return new TextDecoder('latin1');
  } catch {
    return undefined; // a runtime without single-byte decoders: fall back to one decode per string
  }
})();

/**
 * Decodes the string table from (start, end) byte pairs. One TextDecoder call per string costs
 * ~0.2 µs of call overhead, so when the strings sit close together (Go writes them in one run)
 * the whole run is decoded once, one char per byte, and each pure-ASCII string is a slice of it.
 */
function readStrings(a: ArrayLike<number>, bytes: number): string[] {
  const n = a.length >>> 1;
  const out: string[] = new Array(n);
  if (n === 0) return out;
  // Pass 1 walks the data in order, so the first string starts lowest and the last ends highest.
  const lo = a[0]!;
  const hi = a[a.length - 1]!;
  // (Only when the run is dense, and far below V8's maximum string length.)
  const dense = hi - lo <= 2 * bytes + 6 * n && hi - lo < 1 << 28;
  if (dense) {
    // Usually every byte of the run is ASCII (Go symbol names and paths). UTF-8 decoding is the
    // fastest decoder, and when it returns exactly one char per byte, no byte took part in a
    // multi-byte sequence (those, and invalid runs of 2+ bytes, shorten the text), so each string
    // is the slice at its byte offsets, equal to decoding it on its own (a lone invalid byte is
    // U+FFFD either way).
    const whole = utf8.decode(buf.subarray(lo, hi));
    if (whole.length === hi - lo) {
      sliceStrings(a, whole, lo, out);
      return out;
    }
  }
  const region = singleByte && dense ? singleByte.decode(buf.subarray(lo, hi)) : undefined;
  const b = buf;
  for (let i = 0, k = 0; i < a.length; i += 2, k++) {
    const s = a[i]!;
    const e = a[i + 1]!;
    if (s === e) {
      out[k] = '';
      continue;
    }
    let ascii = region !== undefined;
    if (ascii) {
      for (let j = s; j < e; j++) {
        if (b[j]! >= 0x80) {
          ascii = false;
          break;
        }
      }
    }
    out[k] = ascii ? region!.slice(s - lo, e - lo) : utf8.decode(b.subarray(s, e));
  }
  return out;
}

/** Every string as a slice of `region` (which starts at byte `lo`, one char per byte). */
function sliceStrings(a: ArrayLike<number>, region: string, lo: number, out: string[]): void {
  for (let i = 0, k = 0; i < a.length; i += 2, k++) out[k] = region.slice(a[i]! - lo, a[i + 1]! - lo);
}

// ---------------------------------------------------------------------------------------------
// id → index tables (dense array for ids 1..N, a Map for the rest, as pprof does).

interface IdIndex {
  dense: Int32Array;
  sparse: Map<number, number> | undefined;
}

function buildIdIndex(ids: ArrayLike<number>, kind: string): IdIndex {
  const n = ids.length;
  const dense = new Int32Array(n + 1).fill(-1);
  let sparse: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id === 0) throw new FormatError(`${kind} #${i + 1} has the reserved id 0`);
    if (id <= n) {
      if (dense[id] !== -1) throw new FormatError(`duplicate ${kind} id ${id}`);
      dense[id] = i;
    } else {
      sparse ??= new Map();
      if (sparse.has(id)) throw new FormatError(`duplicate ${kind} id ${id}`);
      sparse.set(id, i);
    }
  }
  return { dense, sparse };
}

function lookup(ix: IdIndex, id: number): number {
  if (id < ix.dense.length) return ix.dense[id]!;
  return ix.sparse?.get(id) ?? -1;
}

// ---------------------------------------------------------------------------------------------

/** A decoding failure, with what the sniffing in detect.ts needs to word it. */
export class PprofDecodeError extends FormatError {
  /**
   * True when the top-level message structure itself did not parse (the bytes may not be a profile
   * at all); false when the structure parsed and a profile-level check failed (a broken profile).
   */
  readonly structural: boolean;
  /** How far the decoder got, in bytes. */
  readonly offset: number;
  constructor(message: string, structural: boolean, offset: number) {
    super(message);
    this.structural = structural;
    this.offset = offset;
  }
}

/**
 * Decodes an uncompressed profile.proto message. Throws `FormatError` for anything pprof would
 * refuse (and a little more: wire types are checked on every known field).
 *
 * The WebAssembly kernel (kernel.ts) decodes the usual profile; whatever it declines, and every
 * error, goes through the JavaScript decoder below, which is the reference for both.
 */
export function decodePprof(bytes: Uint8Array, limits: Readonly<InputLimits> = DEFAULT_LIMITS): Profile {
  const columns = bytes.length > 0 ? runKernel(bytes) : undefined;
  if (columns !== undefined) {
    try {
      lim = limits;
      return fromKernel(bytes, columns);
    } catch {
      // An error in what the kernel left to JavaScript (a limit included): the JavaScript decoder
      // words it.
    } finally {
      buf = new Uint8Array(0);
      pos = 0;
    }
  }
  return decodePprofJs(bytes, limits);
}

/** The JavaScript decoder alone (the reference the kernel is tested against). */
export function decodePprofJs(bytes: Uint8Array, limits: Readonly<InputLimits> = DEFAULT_LIMITS): Profile {
  buf = bytes;
  pos = 0;
  stage = 1;
  lim = limits;
  try {
    return decode(bytes.length);
  } catch (err) {
    if (err instanceof PprofDecodeError || err instanceof LimitError) throw err;
    if (err instanceof FormatError) throw new PprofDecodeError(err.message, stage === 1, Math.min(pos, bytes.length));
    throw err;
  } finally {
    buf = new Uint8Array(0);
    pos = 0;
  }
}

function decode(total: number): Profile {
  if (total === 0) throw new FormatError('empty input');

  // ---- Pass 1: index the top level (see indexTopLevel).
  const t = indexTopLevel(buf, total);
  const { sampleTypeOffs, sampleOffs, mappingOffs, locationOffs, functionOffs, stringOffs, sampleBytes } = t;
  if (pos > total) throw new FormatError('truncated protobuf data: the last field runs past the end of the data');
  if (stringOffs.length === 0) throw new FormatError('no string table (every profile.proto has one, starting with "")');
  stage = 2;
  const strings = readStrings(stringOffs, t.stringBytes);

  const str = stringLookup(strings);

  // ---- Pass 2: the tables, then the samples.
  const mappings = decodeMappings(mappingOffs, str);
  const mappingIx = buildIdIndex(
    mappings.map((m) => m.id),
    'mapping',
  );
  const functionIds = new Float64Array(functionOffs.length >>> 1);
  const functions = decodeFunctions(functionOffs, str, functionIds);
  const functionIx = buildIdIndex(functionIds, 'function');
  const notes: string[] = [];
  const locationIds = new Float64Array(locationOffs.length >>> 1);
  const locations = decodeLocations(locationOffs, mappingIx, functionIx, notes, locationIds);
  const locationIx = buildIdIndex(locationIds, 'location');

  const sampleTypes: ValueType[] = [];
  for (let i = 0; i < sampleTypeOffs.length; i += 2) {
    sampleTypes.push(decodeValueType(sampleTypeOffs[i]!, sampleTypeOffs[i + 1]!, str));
  }
  const samples = decodeSamples(sampleOffs, sampleTypes.length, sampleBytes, locationIx, str);

  return assembleProfile(t, str, { sampleTypes, mappings, locations, functions, samples, notes });
}

/** The decoded parts of a profile, before the scalar fields are added. */
interface Parts {
  sampleTypes: ValueType[];
  mappings: Mapping[];
  locations: Location[];
  functions: FunctionInfo[];
  samples: SampleTable;
  notes: string[];
}

function assembleProfile(t: TopLevel, str: (x: number) => string, parts: Parts): Profile {
  const profile: Profile = {
    sampleTypes: parts.sampleTypes,
    period: t.period,
    timeNanos: t.timeNanos,
    durationNanos: t.durationNanos,
    comments: t.commentIdx.map(str),
    mappings: parts.mappings,
    locations: parts.locations,
    functions: parts.functions,
    samples: parts.samples,
    source: { format: 'pprof-proto', truncated: false, hasStacks: true, notes: parts.notes },
  };
  const dst = str(t.defaultSampleTypeX);
  if (dst) profile.defaultSampleType = dst;
  if (t.periodTypeStart >= 0) profile.periodType = decodeValueType(t.periodTypeStart, t.periodTypeEnd, str);
  const doc = str(t.docUrlX);
  if (doc) profile.docUrl = doc;
  const drop = str(t.dropFramesX);
  if (drop) profile.dropFrames = drop;
  const keep = str(t.keepFramesX);
  if (keep) profile.keepFrames = keep;
  return profile;
}

function stringLookup(strings: string[]): (x: number) => string {
  const nStrings = strings.length;
  return (x: number): string => {
    if (x >= 0 && x < nStrings) return strings[x]!;
    throw new FormatError(`string index ${x} out of range (table has ${nStrings} strings)`);
  };
}

// ---------------------------------------------------------------------------------------------
// From the kernel's columns (kernel.ts). The kernel has checked the ids, string indices and value
// counts of functions, locations and samples; the top-level scalar fields, sample types, mappings,
// strings and labels are decoded here by the same functions as above. Any error thrown here sends
// the bytes to the JavaScript decoder (decodePprof), which reports it.

function fromKernel(bytes: Uint8Array, c: KernelColumns): Profile {
  buf = bytes;
  const total = bytes.length;
  // The kernel's input is at most 16 MiB, so what it built is bounded; the limits still apply.
  const counts: [LimitName, number][] = [
    ['samples', c.kinds[2]!.length >>> 1],
    ['locations', Math.max(c.kinds[3]!.length, c.kinds[4]!.length) >>> 1],
    ['functions', c.kinds[5]!.length >>> 1],
    ['strings', c.kinds[6]!.length >>> 1],
    ['labels', c.labels.length / 3],
    ['types', c.kinds[1]!.length >>> 1],
  ];
  for (const [name, n] of counts) if (n > lim[name]) throw limitExceeded(name, lim[name]);
  const ss = c.stackStart;
  for (let i = 1; i < ss.length; i++) if (ss[i]! - ss[i - 1]! > lim.depth) throw limitExceeded('depth', lim.depth);
  const t = emptyTopLevel();
  for (let i = 0; i < c.others.length; i++) {
    pos = c.others[i]!;
    topScalar(readU(), total, t);
  }
  const so = c.kinds[6]!;
  if (so[0] !== so[1]) throw new FormatError('string table entry 0 is not empty');
  // Strings are decoded when asked for (`top` needs a few dozen of a large.cpu's 23k); all of them
  // at once, as the JavaScript decoder does, when the functions become objects.
  const text = c.input;
  let all: string[] | undefined;
  const allStrings = (): string[] => {
    if (all === undefined) {
      const saved = buf;
      buf = text;
      let bytes = 0;
      for (let i = 0; i < so.length; i += 2) bytes += so[i + 1]! - so[i]!;
      all = readStrings(so, bytes);
      buf = saved;
    }
    return all;
  };
  const nStrings = so.length >>> 1;
  const decoded: (string | undefined)[] = new Array(nStrings);
  const string = (x: number): string => {
    if (all !== undefined) return all[x]!;
    let v = decoded[x];
    if (v === undefined) {
      const s = so[2 * x]!;
      const e = so[2 * x + 1]!;
      v = s === e ? '' : utf8.decode(text.subarray(s, e));
      decoded[x] = v;
    }
    return v;
  };
  const str = (x: number): string => {
    if (x >= 0 && x < nStrings) return string(x);
    throw new FormatError(`string index ${x} out of range (table has ${nStrings} strings)`);
  };

  const mappings = decodeMappings(c.kinds[3]!, str);
  const mappingIx = buildIdIndex(
    mappings.map((m) => m.id),
    'mapping',
  );
  const notes: string[] = [];
  const locMapping = c.locMapping ?? resolveMappings(c.locMappingId, mappingIx);
  const unknown = c.locMapping ? c.unknownMappings : countUnknown(c.locMappingId, locMapping);
  if (unknown > 0) {
    notes.push(`${unknown} location(s) reference a mapping id that is not in the profile; treated as unmapped`);
  }
  const sampleTypes: ValueType[] = [];
  const st = c.kinds[1]!;
  for (let i = 0; i < st.length; i += 2) sampleTypes.push(decodeValueType(st[i]!, st[i + 1]!, str));
  const samples: SampleTable = {
    length: c.stackStart.length - 1,
    values: c.values,
    stackStart: c.stackStart,
    stack: c.stack,
  };
  if (c.labels.length > 0) {
    const labels = kernelLabels(c.labels, samples.length, str);
    if (labels) samples.labels = labels;
  }
  const profile = assembleProfile(t, str, { sampleTypes, mappings, locations: [], functions: [], samples, notes });
  // Functions and locations become objects when something reads them; `top` and the other
  // reports at function granularity read the columns instead (graph.ts).
  lazyProperty(profile, 'functions', () => kernelFunctions(c, allStrings()));
  lazyProperty(profile, 'locations', () => kernelLocations(c, locMapping));
  const columns: ProfileColumns = {
    string,
    strings: allStrings,
    fnName: c.fnName,
    fnCanon: c.fnCanon,
    fnFilename: c.fnFilename,
    namesAscii: c.namesAscii,
    locLineStart: c.locLineStart,
    lineFn: c.lineFn,
    graph: c.graph,
    nameIndex: c.nameIndex,
    samples,
  };
  Object.defineProperty(profile, 'columns', { value: columns, enumerable: false, configurable: true });
  return profile;
}

/** Replaces `key` by a property computed on first read (and assignable, like a plain one). */
function lazyProperty<K extends 'functions' | 'locations'>(p: Profile, key: K, make: () => Profile[K]): void {
  let value: Profile[K] | undefined;
  Object.defineProperty(p, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      value ??= make();
      return value;
    },
    set: (v: Profile[K]) => {
      Object.defineProperty(p, key, { value: v, enumerable: true, configurable: true, writable: true });
      // The columns describe the decoded functions and locations only.
      if ('columns' in p) delete (p as { columns?: ProfileColumns }).columns;
    },
  });
}

/** Mapping index per location (-1 = none or unknown), when the kernel left it to JavaScript. */
function resolveMappings(ids: Float64Array, ix: IdIndex): Int32Array {
  const out = new Int32Array(ids.length);
  for (let l = 0; l < ids.length; l++) out[l] = ids[l] === 0 ? -1 : lookup(ix, ids[l]!);
  return out;
}

/** Locations with a mapping id that no mapping has. */
function countUnknown(ids: Float64Array, resolved: Int32Array): number {
  let n = 0;
  for (let l = 0; l < ids.length; l++) if (ids[l] !== 0 && resolved[l]! < 0) n++;
  return n;
}

function kernelLabels(offs: Uint32Array, n: number, str: (x: number) => string): (Label[] | undefined)[] | undefined {
  let labels: (Label[] | undefined)[] | undefined;
  for (let i = 0; i < offs.length; i += 3) {
    const s = offs[i]!;
    pos = offs[i + 1]!;
    const label = decodeLabel(offs[i + 2]!, str);
    if (label) {
      labels ??= new Array(n).fill(undefined);
      const list = labels[s];
      if (list) list.push(label);
      else labels[s] = [label];
    }
  }
  return labels;
}

function kernelFunctions(c: KernelColumns, strings: string[]): FunctionInfo[] {
  const n = c.fnId.length;
  const out: FunctionInfo[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      id: c.fnId[i]!,
      name: strings[c.fnName[i]!]!,
      systemName: strings[c.fnSystemName[i]!]!,
      filename: strings[c.fnFilename[i]!]!,
      startLine: c.fnStartLine[i]!,
    };
  }
  return out;
}

function kernelLocations(c: KernelColumns, locMapping: Int32Array): Location[] {
  const n = c.locId.length;
  const out: Location[] = new Array(n);
  const { locLineStart, lineFn, lineLine, lineColumn } = c;
  for (let l = 0; l < n; l++) {
    const lines: Line[] = [];
    for (let k = locLineStart[l]!; k < locLineStart[l + 1]!; k++) {
      lines.push({ fn: lineFn[k]!, line: lineLine[k]!, column: lineColumn[k]! });
    }
    out[l] = {
      id: c.locId[l]!,
      mapping: locMapping[l]!,
      address: c.locAddress[l]!,
      lines,
      isFolded: c.locFolded[l] === 1,
    };
  }
  return out;
}

/** What pass 1 finds: (start, end) byte pairs per repeated message kind, and the scalar fields. */
interface TopLevel {
  sampleTypeOffs: number[];
  sampleOffs: number[];
  mappingOffs: number[];
  locationOffs: number[];
  functionOffs: number[];
  stringOffs: number[];
  commentIdx: number[];
  dropFramesX: number;
  keepFramesX: number;
  timeNanos: number;
  durationNanos: number;
  period: number;
  periodTypeStart: number;
  periodTypeEnd: number;
  defaultSampleTypeX: number;
  docUrlX: number;
  sampleBytes: number;
  /** Σ string lengths, in bytes. */
  stringBytes: number;
}

/**
 * Pass 1: walks the top-level fields once. This loop runs once per message (≈90k for large.cpu),
 * usually before the JIT has optimized anything, so it is kept small, keeps its cursor in a local
 * (the module-level `pos` is a context slot: a load and a store per access), reads one- and
 * two-byte tags and lengths inline, and leaves the rare scalar fields to `topScalar`.
 */
function emptyTopLevel(): TopLevel {
  return {
    sampleTypeOffs: [],
    sampleOffs: [],
    mappingOffs: [],
    locationOffs: [],
    functionOffs: [],
    stringOffs: [],
    commentIdx: [],
    dropFramesX: 0,
    keepFramesX: 0,
    timeNanos: 0,
    durationNanos: 0,
    period: 0,
    periodTypeStart: -1,
    periodTypeEnd: -1,
    defaultSampleTypeX: 0,
    docUrlX: 0,
    sampleBytes: 0,
    stringBytes: 0,
  };
}

function indexTopLevel(b: Uint8Array, total: number): TopLevel {
  const t = emptyTopLevel();
  // Indexed by field number (1-6): one store path for every kind, so no branch of this loop is
  // first taken after the JIT compiled it (each such branch costs a deopt and a recompile).
  const lists: number[][] = [
    [],
    t.sampleTypeOffs,
    t.sampleOffs,
    t.mappingOffs,
    t.locationOffs,
    t.functionOffs,
    t.stringOffs,
  ];
  // Payload bytes per field number (samples: an allocation bound; strings: the decode run).
  const fieldBytes = new Float64Array(7);
  // Twice the most messages of each kind (two offsets per message): checked as they are listed.
  const caps = [
    0,
    2 * lim.types,
    2 * lim.samples,
    2 * lim.locations,
    2 * lim.locations,
    2 * lim.functions,
    2 * lim.strings,
  ];
  const capNames: LimitName[] = ['samples', 'types', 'samples', 'locations', 'locations', 'functions', 'strings'];
  let p = 0;
  while (p < total) {
    let tag = b[p]!;
    if (tag < 0x80) p++;
    else {
      pos = p;
      tag = readU();
      p = pos;
    }
    // Fields 1-6 with wire type 2 (length-delimited): tags 0x0a, 0x12, …, 0x32.
    if ((tag & 7) === 2 && tag >= 0x0a && tag <= 0x32) {
      let n = b[p]!;
      if (n < 0x80) p++;
      else {
        const c = b[p + 1]!;
        if (c < 0x80) {
          n = (n & 0x7f) | (c << 7);
          p += 2;
        } else {
          pos = p;
          n = readU();
          p = pos;
        }
      }
      const e = p + n;
      if (e > total) {
        pos = p;
        throw overrun(tag >>> 3, total);
      }
      fieldBytes[tag >>> 3]! += n;
      const list = lists[tag >>> 3]!;
      if (list.length >= caps[tag >>> 3]!) throw limitExceeded(capNames[tag >>> 3]!, lim[capNames[tag >>> 3]!]);
      list.push(p, e);
      p = e;
    } else {
      pos = p;
      topScalar(tag, total, t);
      p = pos;
    }
  }
  pos = p;
  t.sampleBytes = fieldBytes[2]!;
  t.stringBytes = fieldBytes[6]!;
  const so = t.stringOffs;
  if (so.length > 0 && so[0] !== so[1]) throw badFirstString(b, so[0]!, so[1]!);
  return t;
}

function badFirstString(b: Uint8Array, start: number, e: number): FormatError {
  const found = utf8.decode(b.subarray(start, Math.min(e, start + 40)));
  const shown = JSON.stringify(found); // binary junk: up to 6 characters per byte
  return new FormatError(
    `string table entry 0 must be empty (found ${shown.length > 48 ? `${shown.slice(0, 47)}…` : shown})`,
  );
}

/** A top-level field other than fields 1-6 with wire type 2, after its tag; moves `pos`. */
function topScalar(tag: number, total: number, t: TopLevel): void {
  const field = tag >>> 3;
  if (field >= 1 && field <= 6) throw mismatch('profile', tag);
  if (field === 11) {
    if ((tag & 7) !== 2) throw mismatch('profile', tag);
    const e = readLen(field, total);
    t.periodTypeStart = pos;
    t.periodTypeEnd = e;
    pos = e;
  } else if (field === 13) {
    const wt = tag & 7;
    if (wt === 2) {
      const e = readLen(field, total);
      while (pos < e) {
        if (t.commentIdx.length >= lim.comments) throw limitExceeded('comments', lim.comments);
        t.commentIdx.push(readI());
      }
      if (pos > e) throw overrun(field, e);
    } else if (wt === 0) {
      if (t.commentIdx.length >= lim.comments) throw limitExceeded('comments', lim.comments);
      t.commentIdx.push(readI());
    } else {
      throw mismatch('profile', tag);
    }
  } else if (field >= 7 && field <= 15) {
    if ((tag & 7) !== 0) throw mismatch('profile', tag);
    const v = readI();
    switch (field) {
      case 7:
        t.dropFramesX = v;
        break;
      case 8:
        t.keepFramesX = v;
        break;
      case 9:
        if (t.timeNanos !== 0) {
          throw new PprofDecodeError(
            'concatenated profiles detected (the data holds two or more profiles back to back; save each to its own file)',
            false,
            pos,
          );
        }
        t.timeNanos = v;
        break;
      case 10:
        t.durationNanos = v;
        break;
      case 12:
        t.period = v;
        break;
      case 14:
        t.defaultSampleTypeX = v;
        break;
      case 15:
        t.docUrlX = v;
        break;
    }
  } else {
    skip(tag, total);
  }
}

function decodeValueType(start: number, end: number, str: (x: number) => string): ValueType {
  pos = start;
  let typeX = 0;
  let unitX = 0;
  while (pos < end) {
    const tag = readU();
    if (tag === 0x08) typeX = readI();
    else if (tag === 0x10) unitX = readI();
    else if (tag >>> 3 === 1 || tag >>> 3 === 2) throw mismatch('value type', tag);
    else skip(tag, end);
  }
  if (pos > end) throw overrun(0, end);
  return { type: str(typeX), unit: str(unitX) };
}

function decodeMappings(offs: ArrayLike<number>, str: (x: number) => string): Mapping[] {
  const out: Mapping[] = new Array(offs.length >>> 1);
  for (let i = 0, k = 0; i < offs.length; i += 2, k++) {
    const end = offs[i + 1]!;
    pos = offs[i]!;
    let id = 0;
    let start = 0;
    let limit = 0;
    let offset = 0;
    let fileX = 0;
    let buildIdX = 0;
    let hasFunctions = false;
    let hasFilenames = false;
    let hasLineNumbers = false;
    let hasInlineFrames = false;
    while (pos < end) {
      const tag = readU();
      const field = tag >>> 3;
      if (field >= 1 && field <= 10) {
        if ((tag & 7) !== 0) throw mismatch('mapping', tag);
        switch (field) {
          case 1:
            id = readU();
            break;
          case 2:
            start = readU();
            break;
          case 3:
            limit = readU();
            break;
          case 4:
            offset = readU();
            break;
          case 5:
            fileX = readI();
            break;
          case 6:
            buildIdX = readI();
            break;
          case 7:
            hasFunctions = readU() !== 0;
            break;
          case 8:
            hasFilenames = readU() !== 0;
            break;
          case 9:
            hasLineNumbers = readU() !== 0;
            break;
          case 10:
            hasInlineFrames = readU() !== 0;
            break;
        }
      } else {
        skip(tag, end);
      }
    }
    if (pos > end) throw overrun(0, end);
    out[k] = {
      id,
      memoryStart: start,
      memoryLimit: limit,
      fileOffset: offset,
      file: str(fileX),
      buildId: str(buildIdX),
      hasFunctions,
      hasFilenames,
      hasLineNumbers,
      hasInlineFrames,
    };
  }
  return out;
}

// The per-message bodies below are separate small functions, called once per message, rather than
// one big loop: V8 then optimizes each small body normally after a few hundred calls, instead of
// OSR-compiling one large loop function (measured: decodeLocations as one function took 10 + 31 ms
// of Turbofan compile on the first decode of large.cpu, and was deoptimized in between because the
// code after its loop had no type feedback yet).

/** Decodes the functions; their ids go to `ids` (for buildIdIndex, without a closure per id). */
function decodeFunctions(offs: number[], str: (x: number) => string, ids: Float64Array): FunctionInfo[] {
  const out: FunctionInfo[] = new Array(offs.length >>> 1);
  for (let i = 0, k = 0; i < offs.length; i += 2, k++) {
    const f = decodeFunction(offs[i]!, offs[i + 1]!, str);
    out[k] = f;
    ids[k] = f.id;
  }
  return out;
}

function decodeFunction(start: number, end: number, str: (x: number) => string): FunctionInfo {
  const b = buf;
  pos = start;
  let id = 0;
  let nameX = 0;
  let systemNameX = 0;
  let filenameX = 0;
  let startLine = 0;
  while (pos < end) {
    let tag = b[pos]!;
    if (tag < 0x80) pos++;
    else tag = readU();
    if (tag === 0x08) id = readU();
    else if (tag === 0x10) nameX = readI();
    else if (tag === 0x18) systemNameX = readI();
    else if (tag === 0x20) filenameX = readI();
    else if (tag === 0x28) startLine = readI();
    else fieldOther(tag, end, 'function', 5);
  }
  if (pos > end) throw overrun(0, end);
  return { id, name: str(nameX), systemName: str(systemNameX), filename: str(filenameX), startLine };
}

/** An unexpected field: a known field number with the wrong wire type is an error, others are skipped. */
function fieldOther(tag: number, end: number, what: string, maxField: number): void {
  if (tag >>> 3 >= 1 && tag >>> 3 <= maxField) throw mismatch(what, tag);
  skip(tag, end);
}

/** Per-decode state of decodeLocations, so decodeLocation's signature stays small. */
let unknownMappings = 0;

/** Decodes the locations; their ids go to `ids` (as decodeFunctions). */
function decodeLocations(
  offs: number[],
  mappingIx: IdIndex,
  functionIx: IdIndex,
  notes: string[],
  ids: Float64Array,
): Location[] {
  const out: Location[] = new Array(offs.length >>> 1);
  unknownMappings = 0;
  for (let i = 0, k = 0; i < offs.length; i += 2, k++) {
    const l = decodeLocation(offs[i]!, offs[i + 1]!, k, mappingIx, functionIx);
    out[k] = l;
    ids[k] = l.id;
  }
  if (unknownMappings > 0) {
    notes.push(`${unknownMappings} location(s) reference a mapping id that is not in the profile; treated as unmapped`);
  }
  return out;
}

/**
 * Lines of the location being decoded; copied out with one exact-size slice per location. Filled
 * in advance so a location's second line is an in-bounds store (growing the array would deopt).
 */
const lineScratch: Line[] = Array.from({ length: 32 }, () => ({ fn: -1, line: 0, column: 0 }));

function decodeLocation(start: number, end: number, k: number, mappingIx: IdIndex, functionIx: IdIndex): Location {
  const b = buf;
  pos = start;
  let id = 0;
  let mappingId = 0;
  let address = 0;
  let isFolded = false;
  // Nearly every location has exactly one line: the lines go to a scratch array and are copied
  // out with one slice, so no branch (first array vs push) is taken only by a rare multi-line
  // location after the JIT compiled this function.
  let nl = 0;
  while (pos < end) {
    let tag = b[pos]!;
    if (tag < 0x80) pos++;
    else tag = readU();
    if (tag === 0x22) lineScratch[nl++] = decodeLine(readLen(4, end), functionIx, id, k);
    else if (tag === 0x08) id = readU();
    else if (tag === 0x10) mappingId = readU();
    else if (tag === 0x18) address = readU();
    else if (tag === 0x28) isFolded = readU() !== 0;
    else fieldOther(tag, end, 'location', 5);
  }
  if (pos > end) throw overrun(0, end);
  let mapping = -1;
  if (mappingId !== 0) {
    mapping = lookup(mappingIx, mappingId);
    // pprof leaves such a location without a mapping rather than refusing the profile.
    if (mapping < 0) unknownMappings++;
  }
  const lines = lineScratch.slice(0, nl);
  return { id, mapping, address, lines, isFolded };
}

function decodeLine(le: number, functionIx: IdIndex, locId: number, k: number): Line {
  const b = buf;
  let fnId = 0;
  let line = 0;
  let column = 0;
  while (pos < le) {
    let t = b[pos]!;
    if (t < 0x80) pos++;
    else t = readU();
    if (t === 0x08) fnId = readU();
    else if (t === 0x10) line = readI();
    else if (t === 0x18) column = readI();
    else fieldOther(t, le, 'line', 3);
  }
  if (pos > le) throw overrun(4, le);
  let fn = -1;
  if (fnId !== 0) {
    fn = lookup(functionIx, fnId);
    if (fn < 0) throw new FormatError(`location id ${locId || `#${k + 1}`} references unknown function id ${fnId}`);
  }
  return { fn, line, column };
}

function decodeSamples(
  offA: number[],
  nTypes: number,
  sampleBytes: number,
  locationIx: IdIndex,
  str: (x: number) => string,
): SampleTable {
  const n = offA.length >>> 1;
  if (n > 0 && nTypes === 0) throw new FormatError('the profile has samples but no sample types');
  // Every value takes at least one byte, so a crafted file cannot make us allocate n × nTypes
  // doubles (1M samples × 1M types = 8 TB) from a few MB of input: such a file is invalid anyway.
  if (n * nTypes > sampleBytes) {
    throw new FormatError(
      `the samples are too small to hold ${nTypes} values each (${n} samples, ${sampleBytes} bytes): the sample values do not match the ${nTypes} sample types`,
    );
  }
  const values = new Float64Array(n * nTypes);
  const stackStart = new Uint32Array(n + 1);
  // Location ids take 1-3 bytes each in practice; start near that and grow by doubling.
  const stack = new U32List(sampleBytes >>> 1);
  let labels: (Label[] | undefined)[] | undefined;
  const dense = locationIx.dense;
  const denseLen = dense.length;
  const b = buf;
  const maxDepth = lim.depth;
  let labelsLeft = lim.labels;

  for (let i = 0; i < n; i++) {
    const end = offA[2 * i + 1]!;
    pos = offA[2 * i]!;
    stackStart[i] = stack.n;
    const vbase = i * nTypes;
    let nv = 0;
    while (pos < end) {
      let tag = b[pos]!;
      if (tag < 0x80) pos++;
      else tag = readU();
      if (tag === 0x0a) {
        const e = readLen(1, end);
        const need = stack.n + (e - pos);
        if (need > stack.a.length) stack.grow(need);
        stack.n = readPackedLocations(e, stack.a, stack.n, locationIx, i);
      } else if (tag === 0x08) {
        const id = readU();
        const ix = id < denseLen ? dense[id]! : (locationIx.sparse?.get(id) ?? -1);
        if (ix < 0) throw unknownLocation(i, id);
        stack.push(ix);
      } else if (tag === 0x12) {
        const e = readLen(2, end);
        nv = readPackedValues(e, values, vbase, nv, nTypes);
      } else if (tag === 0x10) {
        const v = readI();
        if (nv < nTypes) values[vbase + nv] = v;
        nv++;
      } else if (tag === 0x1a) {
        const e = readLen(3, end);
        const label = decodeLabel(e, str);
        if (label) {
          if (--labelsLeft < 0) throw limitExceeded('labels', lim.labels);
          labels ??= new Array(n).fill(undefined);
          const list = labels[i];
          if (list) list.push(label);
          else labels[i] = [label];
        }
      } else {
        if (tag >>> 3 >= 1 && tag >>> 3 <= 3) throw mismatch('sample', tag);
        skip(tag, end);
      }
    }
    if (pos > end) throw overrun(0, end);
    if (stack.n - stackStart[i]! > maxDepth) throw limitExceeded('depth', maxDepth);
    if (nv !== nTypes) {
      throw new FormatError(
        `sample #${i + 1} has ${nv} value${nv === 1 ? '' : 's'} but the profile has ${nTypes} sample types`,
      );
    }
  }
  stackStart[n] = stack.n;
  const table: SampleTable = { length: n, values, stackStart, stack: stack.done() };
  if (labels) table.labels = labels;
  return table;
}

/**
 * A packed run of location ids, as indices, into `sa` from `sn`; returns the new fill. The hottest
 * loop of the decoder: small, so the JIT optimizes it early even on the first decode.
 */
function readPackedLocations(e: number, sa: Uint32Array, sn: number, ix: IdIndex, sample: number): number {
  const b = buf;
  const dense = ix.dense;
  const denseLen = dense.length;
  let p = pos;
  while (p < e) {
    // Ids of up to 4 bytes (< 2^28) inline; the loop, not one branch per length, so an id longer
    // than any seen before the JIT compiled this does not deoptimize it.
    let c = b[p++]!;
    let id = c & 0x7f;
    let shift = 7;
    while (c >= 0x80 && shift < 28) {
      c = b[p++]!;
      id |= (c & 0x7f) << shift;
      shift += 7;
    }
    if (c >= 0x80) {
      pos = p;
      id = readLong(id, false);
      p = pos;
    }
    const k = id < denseLen ? dense[id]! : (ix.sparse?.get(id) ?? -1);
    if (k < 0) {
      pos = p;
      throw unknownLocation(sample, id);
    }
    sa[sn++] = k;
  }
  pos = p;
  if (p > e) throw overrun(1, e);
  return sn;
}

/** A packed run of values into `values[vbase + nv ..]` (at most nTypes); returns the new count. */
function readPackedValues(e: number, values: Float64Array, vbase: number, nv: number, nTypes: number): number {
  const b = buf;
  while (pos < e) {
    let v = b[pos]!;
    if (v < 0x80) pos++;
    else v = readI();
    if (nv < nTypes) values[vbase + nv] = v;
    nv++;
  }
  if (pos > e) throw overrun(2, e);
  return nv;
}

function unknownLocation(i: number, id: number): FormatError {
  return new FormatError(`sample #${i + 1} references unknown location id ${id}`);
}

/** A label, or undefined when pprof would drop it (str, num and num_unit all 0). */
function decodeLabel(end: number, str: (x: number) => string): Label | undefined {
  let keyX = 0;
  let strX = 0;
  let num = 0;
  let unitX = 0;
  while (pos < end) {
    const tag = readU();
    if (tag === 0x08) keyX = readI();
    else if (tag === 0x10) strX = readI();
    else if (tag === 0x18) num = readI();
    else if (tag === 0x20) unitX = readI();
    else if (tag >>> 3 >= 1 && tag >>> 3 <= 4) throw mismatch('label', tag);
    else skip(tag, end);
  }
  if (pos > end) throw overrun(3, end);
  const key = str(keyX);
  if (strX !== 0) return { key, str: str(strX) };
  if (num !== 0 || unitX !== 0) {
    if (unitX !== 0) return { key, num, unit: str(unitX) };
    return { key, num };
  }
  return undefined;
}
