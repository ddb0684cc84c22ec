/**
 * pprof-kernel: the fast path of the profile.proto decoder, in AssemblyScript (compiled to
 * WebAssembly by scripts/build-kernel.mjs into src/input/pprof/kernel-wasm.ts).
 *
 * Why WebAssembly: a `pprof-doctor top` run lives ~0.2 s, and the JavaScript decoder spends most
 * of its time in that run before V8 has optimized it (first decode of large.cpu ~50 ms, warm
 * ~15 ms). WebAssembly code runs at full speed from its first call.
 *
 * What it does: walks the message once, like the JavaScript decoder (src/input/pprof/decode.ts),
 * and writes flat columns: byte offsets of the sample types, mappings and strings (decoded in
 * JavaScript), the functions, the locations with their lines, and the sample table. It also
 * groups functions whose names have the same bytes (what `top` merges by).
 *
 * It never reports errors: anything unusual (an unknown field, a wire type the decoder does not
 * expect, an id that is not 1..N, a value count that does not match, truncation) makes it stop
 * with a non-zero code, and the JavaScript decoder decodes the same bytes and says what is wrong
 * (or decodes what is merely unusual). So it only needs to be right for what it accepts; the tests
 * compare both decoders on every fixture and on fuzzed input.
 *
 * Memory: one instance per decode. The input is copied to `input()`, followed by 16 zero bytes,
 * so a varint that runs past the end stops inside the padding and the `> end` checks catch it.
 */

// ---------------------------------------------------------------------------------------------
// Bump allocator over a fresh instance's memory (zero-filled by WebAssembly).

let heapTop: usize = 0;

function alloc(bytes: usize): usize {
  if (heapTop == 0) heapTop = (__heap_base + 15) & ~(<usize>15);
  const p = heapTop;
  heapTop = (heapTop + bytes + 15) & ~(<usize>15);
  const needPages = <i32>((heapTop + 0xffff) >>> 16);
  const have = memory.size();
  if (needPages > have) {
    if (memory.grow(needPages - have) < 0) unreachable();
  }
  return p;
}

export let inputBase: usize = 0;
export let inputEnd: usize = 0;

/** Reserves room for `len` input bytes (plus zero padding); returns where to copy them. */
export function input(len: u32): usize {
  inputBase = alloc(<usize>len + 16);
  inputEnd = inputBase + <usize>len;
  return inputBase;
}

// ---------------------------------------------------------------------------------------------
// Reading

let pos: usize = 0;
/** Set when a varint is longer than 10 bytes. */
let badVarint: bool = false;

@inline
function readU(): u64 {
  let c = <u32>load<u8>(pos++);
  if (c < 0x80) return <u64>c;
  let v: u64 = <u64>(c & 0x7f);
  let shift: u64 = 7;
  do {
    c = <u32>load<u8>(pos++);
    // The 10th byte: only its lowest bit fits in 64 bits (the shift drops the rest), as in
    // the JavaScript decoder; a continuation bit there is an error.
    v |= (<u64>(c & 0x7f)) << shift;
    shift += 7;
  } while (c >= 0x80 && shift < 70);
  if (c >= 0x80) badVarint = true;
  return v;
}

/** Skips the payload of a field whose tag was just read; false for an unknown wire type. */
function skipField(tag: u64): bool {
  const wt = <u32>(tag & 7);
  if (wt == 0) readU();
  else if (wt == 1) pos += 8;
  else if (wt == 2) {
    const n = readU();
    if (n > <u64>(inputEnd - pos)) return false;
    pos += <usize>n;
  } else if (wt == 5) pos += 4;
  else return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Results, read by src/input/pprof/kernel.ts through these exported globals.

/** (start, end) byte offsets per top-level kind: field 1 sample_type … field 6 string_table. */
export let kindOffs: usize = 0;
/** Start of kind k's pairs in kindOffs, k = 0..7 (i32 each; kind 0 unused). */
export let kindStart: usize = 0;
/** Byte offsets of the other top-level fields' tags, in order (the JavaScript side reads them). */
export let otherOffs: usize = 0;
export let nOther: i32 = 0;

export let nSampleTypes: i32 = 0;
export let nSamples: i32 = 0;
export let nMappings: i32 = 0;
export let nLocations: i32 = 0;
export let nFunctions: i32 = 0;
export let nStrings: i32 = 0;

// Functions
export let fnId: usize = 0; // f64
export let fnName: usize = 0; // i32 string index
export let fnSystemName: usize = 0; // i32
export let fnFilename: usize = 0; // i32
export let fnStartLine: usize = 0; // f64
/** i32: index of the first function whose name has the same bytes. */
export let fnCanon: usize = 0;
/** 1 when every function name is ASCII (then equal bytes ⇔ equal decoded strings). */
export let namesAscii: i32 = 1;

// Locations
export let locId: usize = 0; // f64
export let locMappingId: usize = 0; // f64 (raw mapping id; 0 = none)
export let locAddress: usize = 0; // f64
export let locFolded: usize = 0; // u8
export let locLineStart: usize = 0; // u32, nLocations + 1
export let nLines: i32 = 0;
export let lineFn: usize = 0; // i32 function index, -1 = none
export let lineLine: usize = 0; // f64
export let lineColumn: usize = 0; // f64

/** i32 per location: mapping index, -1 for none or an unknown id (valid when mappingsDense). */
export let locMapping: usize = 0;
/** 1 when the mapping ids are 1..N, each once (else the JavaScript side resolves them). */
export let mappingsDense: i32 = 0;
/** Locations whose mapping id is not in the profile. */
export let unknownMappings: i32 = 0;

// Samples
export let values: usize = 0; // f64, nSamples × nSampleTypes
export let stackStart: usize = 0; // u32, nSamples + 1
export let stack: usize = 0; // u32 location indices
export let nStack: i32 = 0;
/** Per label: sample index, start, end (u32 × 3). */
export let labelOffs: usize = 0;
export let nLabels: i32 = 0;

// ---------------------------------------------------------------------------------------------

/** Bail-out codes (only for tests and debugging: the JavaScript decoder explains the input). */
const OK = 0;
const BAD_TOP = 1;
const BAD_FUNCTION = 2;
const BAD_LOCATION = 3;
const BAD_SAMPLE = 4;
const BAD_IDS = 5;
const BAD_STRINGS = 6;

@inline
function pairStart(kind: i32, i: i32): usize {
  return <usize>load<u32>(kindOffs + ((<usize>(load<i32>(kindStart + (<usize>kind << 2)) + i)) << 3));
}

@inline
function pairEnd(kind: i32, i: i32): usize {
  return <usize>load<u32>(kindOffs + ((<usize>(load<i32>(kindStart + (<usize>kind << 2)) + i)) << 3) + 4);
}

/** Decodes the input; 0 when every column is filled, else a bail-out code. */
export function decode(): i32 {
  let r = indexTop();
  if (r != OK) return r;
  r = decodeFunctions();
  if (r != OK) return r;
  r = decodeLocations();
  if (r != OK) return r;
  r = decodeSamples();
  if (r != OK) return r;
  canonicalNames();
  resolveMappings();
  reserveGraph();
  return badVarint ? BAD_TOP : OK;
}

function indexTop(): i32 {
  const end = inputEnd;
  const counts = alloc(8 * 4);
  // Pass 1: count each kind.
  pos = inputBase;
  let others: i32 = 0;
  while (pos < end) {
    const tag = readU();
    if ((tag & 7) == 2 && tag >= 0x0a && tag <= 0x32) {
      const n = readU();
      if (n > <u64>(end - pos)) return BAD_TOP;
      const k = <usize>(tag >>> 3);
      store<i32>(counts + (k << 2), load<i32>(counts + (k << 2)) + 1);
      pos += <usize>n;
    } else {
      if (tag > 0xffffffff) return BAD_TOP;
      others++;
      if (!skipField(tag)) return BAD_TOP;
    }
  }
  if (pos != end || badVarint) return BAD_TOP;

  kindStart = alloc(8 * 4);
  let total: i32 = 0;
  for (let k = 0; k < 7; k++) {
    store<i32>(kindStart + (<usize>k << 2), total);
    total += load<i32>(counts + (<usize>k << 2));
  }
  store<i32>(kindStart + 28, total);
  kindOffs = alloc(<usize>total * 8);
  otherOffs = alloc(<usize>others * 4);
  nOther = others;
  const fill = alloc(8 * 4);
  memory.copy(fill, kindStart, 32);

  // Pass 2: record the offsets.
  pos = inputBase;
  let o: i32 = 0;
  while (pos < end) {
    const at = pos;
    const tag = readU();
    if ((tag & 7) == 2 && tag >= 0x0a && tag <= 0x32) {
      const n = <usize>readU();
      const k = <usize>(tag >>> 3);
      const slot = load<i32>(fill + (k << 2));
      store<i32>(fill + (k << 2), slot + 1);
      store<u32>(kindOffs + (<usize>slot << 3), <u32>(pos - inputBase));
      store<u32>(kindOffs + (<usize>slot << 3) + 4, <u32>(pos + n - inputBase));
      pos += n;
    } else {
      store<u32>(otherOffs + (<usize>o << 2), <u32>(at - inputBase));
      o++;
      skipField(tag);
    }
  }
  nSampleTypes = load<i32>(counts + 4);
  nSamples = load<i32>(counts + 8);
  nMappings = load<i32>(counts + 12);
  nLocations = load<i32>(counts + 16);
  nFunctions = load<i32>(counts + 20);
  nStrings = load<i32>(counts + 24);
  if (nStrings == 0) return BAD_STRINGS;
  return OK;
}

/** A string index from an int64 field, or -1 when it is out of range. */
@inline
function strIndex(v: u64): i32 {
  const x = <i64>v;
  if (x < 0 || x >= <i64>nStrings) return -1;
  return <i32>x;
}

function decodeFunctions(): i32 {
  const n = nFunctions;
  fnId = alloc(<usize>n * 8);
  fnName = alloc(<usize>n * 4);
  fnSystemName = alloc(<usize>n * 4);
  fnFilename = alloc(<usize>n * 4);
  fnStartLine = alloc(<usize>n * 8);
  fnCanon = alloc(<usize>n * 4);
  const seen = alloc(<usize>n + 1);
  for (let i = 0; i < n; i++) {
    const s = inputBase + pairStart(5, i);
    const e = inputBase + pairEnd(5, i);
    pos = s;
    let id: u64 = 0;
    let nameX: u64 = 0;
    let systemNameX: u64 = 0;
    let filenameX: u64 = 0;
    let startLine: u64 = 0;
    while (pos < e) {
      const tag = readU();
      if (tag == 0x08) id = readU();
      else if (tag == 0x10) nameX = readU();
      else if (tag == 0x18) systemNameX = readU();
      else if (tag == 0x20) filenameX = readU();
      else if (tag == 0x28) startLine = readU();
      else return BAD_FUNCTION;
    }
    if (pos != e) return BAD_FUNCTION;
    const a = strIndex(nameX);
    const b = strIndex(systemNameX);
    const c = strIndex(filenameX);
    if (a < 0 || b < 0 || c < 0) return BAD_FUNCTION;
    // Ids 1..n, each once (anything else: the JavaScript decoder's id tables).
    if (id == 0 || id > <u64>n) return BAD_IDS;
    if (load<u8>(seen + <usize>id) != 0) return BAD_IDS;
    store<u8>(seen + <usize>id, 1);
    store<f64>(fnId + (<usize>i << 3), <f64>id);
    store<i32>(fnName + (<usize>i << 2), a);
    store<i32>(fnSystemName + (<usize>i << 2), b);
    store<i32>(fnFilename + (<usize>i << 2), c);
    store<f64>(fnStartLine + (<usize>i << 3), <f64>(<i64>startLine));
  }
  return OK;
}

/** function id → index (ids are 1..n, checked above). */
let fnIndexById: usize = 0;
/** location id → index. */
let locIndexById: usize = 0;

function decodeLocations(): i32 {
  const nf = nFunctions;
  fnIndexById = alloc((<usize>nf + 1) * 4);
  for (let i = 0; i < nf; i++) {
    store<i32>(fnIndexById + (<usize>(<u64>load<f64>(fnId + (<usize>i << 3))) << 2), i);
  }
  const n = nLocations;
  locId = alloc(<usize>n * 8);
  locMappingId = alloc(<usize>n * 8);
  locAddress = alloc(<usize>n * 8);
  locFolded = alloc(<usize>n);
  locLineStart = alloc((<usize>n + 1) * 4);
  locIndexById = alloc((<usize>n + 1) * 4);
  // Each line takes at least 2 bytes (tag + length): a bound for the line columns.
  let bytes: usize = 0;
  for (let i = 0; i < n; i++) bytes += pairEnd(4, i) - pairStart(4, i);
  const cap = bytes / 2 + 1;
  lineFn = alloc(cap * 4);
  lineLine = alloc(cap * 8);
  lineColumn = alloc(cap * 8);
  let nl: i32 = 0;
  for (let i = 0; i < n; i++) {
    const s = inputBase + pairStart(4, i);
    const e = inputBase + pairEnd(4, i);
    pos = s;
    store<u32>(locLineStart + (<usize>i << 2), nl);
    let id: u64 = 0;
    let mappingId: u64 = 0;
    let address: u64 = 0;
    let folded: u64 = 0;
    while (pos < e) {
      const tag = readU();
      if (tag == 0x22) {
        const le = payloadEnd(e);
        if (le == 0) return BAD_LOCATION;
        let fid: u64 = 0;
        let line: u64 = 0;
        let column: u64 = 0;
        while (pos < le) {
          const t = readU();
          if (t == 0x08) fid = readU();
          else if (t == 0x10) line = readU();
          else if (t == 0x18) column = readU();
          else return BAD_LOCATION;
        }
        if (pos != le) return BAD_LOCATION;
        let fi: i32 = -1;
        if (fid != 0) {
          if (fid > <u64>nf) return BAD_IDS;
          fi = load<i32>(fnIndexById + (<usize>fid << 2));
        }
        store<i32>(lineFn + (<usize>nl << 2), fi);
        store<f64>(lineLine + (<usize>nl << 3), <f64>(<i64>line));
        store<f64>(lineColumn + (<usize>nl << 3), <f64>(<i64>column));
        nl++;
      } else if (tag == 0x08) id = readU();
      else if (tag == 0x10) mappingId = readU();
      else if (tag == 0x18) address = readU();
      else if (tag == 0x28) folded = readU();
      else return BAD_LOCATION;
    }
    if (pos != e) return BAD_LOCATION;
    if (id == 0 || id > <u64>n) return BAD_IDS;
    const slot = locIndexById + (<usize>id << 2);
    if (load<i32>(slot) != 0) return BAD_IDS;
    store<i32>(slot, i + 1); // +1: 0 = not seen
    store<f64>(locId + (<usize>i << 3), <f64>id);
    store<f64>(locMappingId + (<usize>i << 3), <f64>mappingId);
    store<f64>(locAddress + (<usize>i << 3), <f64>address);
    store<u8>(locFolded + <usize>i, folded != 0 ? 1 : 0);
  }
  store<u32>(locLineStart + (<usize>n << 2), nl);
  nLines = nl;
  return OK;
}

function decodeSamples(): i32 {
  const n = nSamples;
  const nTypes = nSampleTypes;
  if (n > 0 && nTypes == 0) return BAD_SAMPLE;
  let bytes: usize = 0;
  let labels: i32 = 0;
  for (let i = 0; i < n; i++) bytes += pairEnd(2, i) - pairStart(2, i);
  // Every value takes at least one byte (the JavaScript decoder refuses the rest).
  if (<u64>n * <u64>nTypes > <u64>bytes) return BAD_SAMPLE;
  values = alloc(<usize>n * <usize>nTypes * 8);
  stackStart = alloc((<usize>n + 1) * 4);
  // Each location id takes at least one byte.
  stack = alloc(bytes * 4 + 4);
  let sn: i32 = 0;
  for (let i = 0; i < n; i++) {
    const s = inputBase + pairStart(2, i);
    const e = inputBase + pairEnd(2, i);
    pos = s;
    store<u32>(stackStart + (<usize>i << 2), sn);
    const vbase = values + ((<usize>i * <usize>nTypes) << 3);
    let nv: i32 = 0;
    while (pos < e) {
      const tag = readU();
      if (tag == 0x0a) {
        const le = payloadEnd(e);
        if (le == 0) return BAD_SAMPLE;
        while (pos < le) {
          sn = pushLocation(sn, readU());
          if (sn < 0) return BAD_IDS;
        }
        if (pos != le) return BAD_SAMPLE;
      } else if (tag == 0x08) {
        sn = pushLocation(sn, readU());
        if (sn < 0) return BAD_IDS;
      } else if (tag == 0x12) {
        const le = payloadEnd(e);
        if (le == 0) return BAD_SAMPLE;
        while (pos < le) {
          nv = putValue(vbase, nv, readU());
          if (nv < 0) return BAD_SAMPLE;
        }
        if (pos != le) return BAD_SAMPLE;
      } else if (tag == 0x10) {
        nv = putValue(vbase, nv, readU());
        if (nv < 0) return BAD_SAMPLE;
      } else if (tag == 0x1a) {
        const le = payloadEnd(e);
        if (le == 0) return BAD_SAMPLE;
        labels++;
        pos = le;
      } else return BAD_SAMPLE;
    }
    if (pos != e || nv != nTypes) return BAD_SAMPLE;
  }
  store<u32>(stackStart + (<usize>n << 2), sn);
  nStack = sn;
  if (labels > 0) recordLabels(labels);
  return OK;
}

/** Reads a length and returns where that payload ends, or 0 when it runs past `end`. */
@inline
function payloadEnd(end: usize): usize {
  const len = readU();
  if (len > <u64>(end - pos)) return 0;
  return pos + <usize>len;
}

/** Appends the index of location `id` at stack[sn]; the new fill, or -1 when no location has that id. */
@inline
function pushLocation(sn: i32, id: u64): i32 {
  if (id == 0 || id > <u64>nLocations) return -1;
  const k = load<i32>(locIndexById + (<usize>id << 2));
  if (k == 0) return -1;
  store<u32>(stack + (<usize>sn << 2), k - 1);
  return sn + 1;
}

/** Stores int64 value number nv of a sample (at vbase); the new count, or -1 past the sample types. */
@inline
function putValue(vbase: usize, nv: i32, v: u64): i32 {
  if (nv >= nSampleTypes) return -1;
  store<f64>(vbase + (<usize>nv << 3), <f64>(<i64>v));
  return nv + 1;
}

/** Second walk over samples with labels: (sample, start, end) of each label message. */
function recordLabels(count: i32): void {
  labelOffs = alloc(<usize>count * 12);
  nLabels = count;
  let k: i32 = 0;
  for (let i = 0; i < nSamples; i++) {
    const e = inputBase + pairEnd(2, i);
    pos = inputBase + pairStart(2, i);
    while (pos < e) {
      const tag = readU();
      if (tag == 0x1a) {
        const len = <usize>readU();
        const at = k * 12;
        store<u32>(labelOffs + <usize>at, i);
        store<u32>(labelOffs + <usize>at + 4, <u32>(pos - inputBase));
        store<u32>(labelOffs + <usize>at + 8, <u32>(pos + len - inputBase));
        k++;
        pos += len;
      } else if ((tag & 7) == 2) {
        // (Not `pos += readU()`: that reads pos before readU moves it.)
        const skip = <usize>readU();
        pos += skip;
      } else readU();
    }
  }
}

/**
 * fnCanon: for each function, the first function whose name has the same bytes (FNV-1a hash,
 * open addressing, bytes compared on a hash match). Clears namesAscii when a name has a byte
 * ≥ 0x80: different invalid UTF-8 bytes can decode to the same string, so then only a string
 * comparison is exact.
 */
function canonicalNames(): void {
  const n = nFunctions;
  let cap: usize = 16;
  while (cap < (<usize>n) * 2) cap <<= 1;
  const table = alloc(cap * 4); // function index + 1; 0 = empty
  const hashes = alloc(<usize>n * 4);
  const mask = cap - 1;
  let ascii: bool = true;
  for (let i = 0; i < n; i++) {
    const x = load<i32>(fnName + (<usize>i << 2));
    const s = inputBase + pairStart(6, x);
    const e = inputBase + pairEnd(6, x);
    let h: u32 = 0x811c9dc5;
    for (let p = s; p < e; p++) {
      const b = <u32>load<u8>(p);
      if (b >= 0x80) ascii = false;
      h = (h ^ b) * 16777619;
    }
    store<u32>(hashes + (<usize>i << 2), h);
    let slot = <usize>h & mask;
    for (;;) {
      const j1 = load<i32>(table + (slot << 2));
      if (j1 == 0) {
        store<i32>(table + (slot << 2), i + 1);
        store<i32>(fnCanon + (<usize>i << 2), i);
        break;
      }
      const j = j1 - 1;
      if (load<u32>(hashes + (<usize>j << 2)) == h && sameString(load<i32>(fnName + (<usize>j << 2)), x)) {
        store<i32>(fnCanon + (<usize>i << 2), j);
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  namesAscii = ascii ? 1 : 0;
}

function sameString(a: i32, b: i32): bool {
  if (a == b) return true;
  const as = inputBase + pairStart(6, a);
  const bs = inputBase + pairStart(6, b);
  const len = pairEnd(6, a) - pairStart(6, a);
  if (pairEnd(6, b) - pairStart(6, b) != len) return false;
  return memory.compare(as, bs, len) == 0;
}

// ---------------------------------------------------------------------------------------------
// Function-granularity graph for `top` and the other reports (src/analysis/graph.ts): the nodes of
// each location and the flat/cum weights, computed where the samples already are. Their memory is
// reserved at the end of decode(): growing the memory later would detach the JavaScript views of
// the columns.

export let nodeLocStart: usize = 0; // u32, nLocations + 1
export let nodeLocNodes: usize = 0; // u32
/** Per node: the (canonical) function it stands for. */
export let nodeFn: usize = 0; // i32
export let flat: usize = 0; // f64 per node
export let cum: usize = 0; // f64 per node
let fnNode: usize = 0; // i32 per function
let stamp: usize = 0; // i32 per node
/** samplesHolding(): the functions to look for (1 = wanted, written by the caller), per location a mark, and the result. */
export let fnWanted: usize = 0; // u8 per function
let locWanted: usize = 0; // u8 per location
export let holding: usize = 0; // u32 per sample
/**
 * nameIndex(): the function names joined by newlines (namesText), where each starts (nameStarts,
 * nFunctions + 1 entries, the last being the joined length + 1), and the functions bucketed by a
 * hash of their names' last 3 bytes (tailStart: TAIL_BUCKETS + 1 offsets into tailFns; names
 * shorter than 3 bytes are in no bucket).
 */
export let namesText: usize = 0;
export let nameStarts: usize = 0; // u32
export let tailStart: usize = 0; // u32
export let tailFns: usize = 0; // u32
let tailFill: usize = 0; // u32 per bucket
export const TAIL_BUCKETS: i32 = 4096;

function reserveGraph(): void {
  const nLoc = <usize>nLocations;
  const nFn = <usize>nFunctions;
  nodeLocStart = alloc((nLoc + 1) * 4);
  nodeLocNodes = alloc((<usize>nLines + nLoc) * 4);
  nodeFn = alloc(nFn * 4);
  fnNode = alloc(nFn * 4);
  flat = alloc(nFn * 8);
  cum = alloc(nFn * 8);
  stamp = alloc(nFn * 4);
  fnWanted = alloc(nFn);
  locWanted = alloc(nLoc);
  holding = alloc(<usize>nSamples * 4);
  let nameBytes: usize = 0;
  for (let i = 0; i < nFunctions; i++) {
    const x = load<i32>(fnName + (<usize>i << 2));
    nameBytes += pairEnd(6, x) - pairStart(6, x) + 1;
  }
  namesText = alloc(nameBytes);
  nameStarts = alloc((nFn + 1) * 4);
  tailStart = alloc((<usize>TAIL_BUCKETS + 1) * 4);
  tailFill = alloc(<usize>TAIL_BUCKETS * 4);
  tailFns = alloc(nFn * 4);
}

/** The bucket of a name ending at `end` (≥ 3 bytes long): a multiplicative hash of its last 3 bytes. */
@inline
function tailBucket(end: usize): u32 {
  const key = (<u32>load<u8>(end - 3) << 16) | (<u32>load<u8>(end - 2) << 8) | <u32>load<u8>(end - 1);
  return (key * 2654435761) >>> 20; // 12 bits: TAIL_BUCKETS
}

/** Fills namesText, nameStarts and the tail buckets (see above); returns the joined length. */
export function nameIndex(): i32 {
  const n = nFunctions;
  memory.fill(tailStart, 0, (<usize>TAIL_BUCKETS + 1) * 4);
  let at: usize = 0;
  for (let i = 0; i < n; i++) {
    const x = load<i32>(fnName + (<usize>i << 2));
    const s = inputBase + pairStart(6, x);
    const len = pairEnd(6, x) - pairStart(6, x);
    store<u32>(nameStarts + (<usize>i << 2), <u32>at);
    memory.copy(namesText + at, s, len);
    at += len;
    store<u8>(namesText + at, 0x0a);
    at++;
    if (len >= 3) {
      const b = tailStart + ((<usize>tailBucket(s + len) + 1) << 2);
      store<u32>(b, load<u32>(b) + 1);
    }
  }
  store<u32>(nameStarts + (<usize>n << 2), <u32>at);
  for (let b = 0; b < TAIL_BUCKETS; b++) {
    const here = load<u32>(tailStart + (<usize>b << 2));
    store<u32>(tailStart + (<usize>(b + 1) << 2), load<u32>(tailStart + (<usize>(b + 1) << 2)) + here);
    store<u32>(tailFill + (<usize>b << 2), here);
  }
  for (let i = 0; i < n; i++) {
    const x = load<i32>(fnName + (<usize>i << 2));
    const len = pairEnd(6, x) - pairStart(6, x);
    if (len < 3) continue;
    const f = tailFill + (<usize>tailBucket(inputBase + pairStart(6, x) + len) << 2);
    const k = load<u32>(f);
    store<u32>(tailFns + (<usize>k << 2), i);
    store<u32>(f, k + 1);
  }
  return n == 0 ? 0 : <i32>at - 1;
}

/**
 * The samples whose stacks hold a location with a line of a function marked in `fnWanted`, each
 * once, ascending, written to `holding`; returns how many. (The rule engine's candidates for a
 * frame condition: one pass here instead of an index of every location's samples in JavaScript.)
 */
export function samplesHolding(): i32 {
  const nLoc = nLocations;
  for (let l = 0; l < nLoc; l++) {
    let hit: u8 = 0;
    const e = load<u32>(locLineStart + (<usize>(l + 1) << 2));
    for (let k = load<u32>(locLineStart + (<usize>l << 2)); k < e; k++) {
      const fi = load<i32>(lineFn + (<usize>k << 2));
      if (fi >= 0 && load<u8>(fnWanted + <usize>fi) != 0) {
        hit = 1;
        break;
      }
    }
    store<u8>(locWanted + <usize>l, hit);
  }
  let n: i32 = 0;
  let k = load<u32>(stackStart);
  for (let s = 0; s < nSamples; s++) {
    const e = load<u32>(stackStart + (<usize>(s + 1) << 2));
    for (; k < e; k++) {
      if (load<u8>(locWanted + <usize>load<u32>(stack + (<usize>k << 2))) != 0) {
        store<u32>(holding + (<usize>n << 2), s);
        n++;
        break;
      }
    }
    k = e;
  }
  return n;
}

/**
 * A node per distinct function name, numbered in order of first use over the locations' lines
 * (innermost first; only the outermost line with noInlines). Returns the node count, or -1 when a
 * location has no lines, a line no function, or a function no name (the JavaScript side handles
 * those).
 */
export function functionNodes(noInlines: i32): i32 {
  const nLoc = nLocations;
  memory.fill(fnNode, 0xff, <usize>nFunctions * 4);
  let total: u32 = 0;
  let count: i32 = 0;
  for (let l = 0; l < nLoc; l++) {
    store<u32>(nodeLocStart + (<usize>l << 2), total);
    const s = load<u32>(locLineStart + (<usize>l << 2));
    const e = load<u32>(locLineStart + (<usize>(l + 1) << 2));
    if (s == e) return -1;
    for (let k = noInlines != 0 ? e - 1 : s; k < e; k++) {
      const fi = load<i32>(lineFn + (<usize>k << 2));
      if (fi < 0) return -1;
      const canon = load<i32>(fnCanon + (<usize>fi << 2));
      let id = load<i32>(fnNode + (<usize>canon << 2));
      if (id < 0) {
        const x = load<i32>(fnName + (<usize>canon << 2));
        if (pairEnd(6, x) == pairStart(6, x)) return -1;
        id = count++;
        store<i32>(fnNode + (<usize>canon << 2), id);
        store<i32>(nodeFn + (<usize>id << 2), canon);
      }
      store<u32>(nodeLocNodes + (<usize>total << 2), id);
      total++;
    }
  }
  store<u32>(nodeLocStart + (<usize>nLoc << 2), total);
  return count;
}

/**
 * pprof's weights for value column `valueIndex` over the nodes of functionNodes(): cum once per
 * node per sample, flat to the innermost node of the leaf location; samples in order, so the sums
 * are the same doubles as the JavaScript computeWeights.
 */
export function weights(valueIndex: i32, nNodes: i32): void {
  memory.fill(flat, 0, <usize>nNodes * 8);
  memory.fill(cum, 0, <usize>nNodes * 8);
  memory.fill(stamp, 0xff, <usize>nNodes * 4);
  const nTypes = <usize>nSampleTypes;
  for (let s = 0; s < nSamples; s++) {
    const w = load<f64>(values + ((<usize>s * nTypes + <usize>valueIndex) << 3));
    if (w == 0) continue;
    const start = <i32>load<u32>(stackStart + (<usize>s << 2));
    let leaf: i32 = -1;
    for (let j = <i32>load<u32>(stackStart + (<usize>(s + 1) << 2)) - 1; j >= start; j--) {
      const loc = <usize>load<u32>(stack + (<usize>j << 2));
      const first = <i32>load<u32>(nodeLocStart + (loc << 2));
      for (let k = <i32>load<u32>(nodeLocStart + ((loc + 1) << 2)) - 1; k >= first; k--) {
        const node = <usize>load<u32>(nodeLocNodes + (<usize>k << 2));
        if (load<i32>(stamp + (node << 2)) != s) {
          store<i32>(stamp + (node << 2), s);
          store<f64>(cum + (node << 3), load<f64>(cum + (node << 3)) + w);
        }
        leaf = <i32>node;
      }
    }
    if (leaf >= 0) store<f64>(flat + (<usize>leaf << 3), load<f64>(flat + (<usize>leaf << 3)) + w);
  }
}

/**
 * Each location's mapping index, when the mapping ids are 1..N (what Go writes). The mapping
 * messages are read only for their id (field 1, last one wins, as in the JavaScript decoder, which
 * decodes the mappings in full and checks them).
 */
function resolveMappings(): void {
  const n = nMappings;
  const ixById = alloc((<usize>n + 1) * 4); // index + 1; 0 = none
  mappingsDense = 0;
  for (let i = 0; i < n; i++) {
    const e = inputBase + pairEnd(3, i);
    pos = inputBase + pairStart(3, i);
    let id: u64 = 0;
    while (pos < e) {
      const tag = readU();
      if (tag == 0x08) id = readU();
      else if (tag > 0xffffffff || !skipField(tag)) return;
    }
    if (pos != e || id == 0 || id > <u64>n) return;
    const slot = ixById + (<usize>id << 2);
    if (load<i32>(slot) != 0) return;
    store<i32>(slot, i + 1);
  }
  const nLoc = nLocations;
  locMapping = alloc(<usize>nLoc * 4);
  let unknown: i32 = 0;
  for (let l = 0; l < nLoc; l++) {
    const mid = <u64>load<f64>(locMappingId + (<usize>l << 3));
    let m: i32 = -1;
    if (mid != 0) {
      if (mid <= <u64>n) m = load<i32>(ixById + (<usize>mid << 2)) - 1;
      else unknown++;
    }
    store<i32>(locMapping + (<usize>l << 2), m);
  }
  unknownMappings = unknown;
  mappingsDense = 1;
}

/** pprof's report total for value column `valueIndex` (no labels): the sum of |value|, in order. */
export function total(valueIndex: i32): f64 {
  const nTypes = <usize>nSampleTypes;
  let t: f64 = 0;
  for (let s = 0; s < nSamples; s++) t += Math.abs(load<f64>(values + ((<usize>s * nTypes + <usize>valueIndex) << 3)));
  return t;
}
