/**
 * Profile model → uncompressed profile.proto bytes (the inverse of src/input/pprof/decode.ts).
 *
 * Writes everything the decoder reads, in one pass: messages first, interning strings as it goes,
 * then the rebuilt string table ("" first), then the scalar header fields. Repeated scalars are
 * always packed. Sample values are written as int64 (rounded to the nearest integer: profile.proto
 * has no fractional values); addresses and ids as uint64.
 *
 * Out-of-range numbers saturate instead of wrapping. The model holds 64-bit fields as doubles, so
 * decoding a uint64 of 0xffffffffffffffff (the address Go's runtime writes for a zero PC, e.g. in
 * threadcreate profiles) gives 2^64, and an int64 of 2^63-1 gives 2^63: both are written back as
 * the largest value their field holds, so decode(encode(p)) gives the same doubles. Likewise an
 * int64 below -2^63 is written as -2^63, and a negative or NaN uint64 as 0. The size functions
 * agree with the writers for every double (a mismatch corrupts every length prefix around it).
 *
 * Ids: a table whose ids are all non-zero, integral and distinct keeps them (so decode(encode(p))
 * gives back the same ids); otherwise the whole table is renumbered 1..N.
 *
 * Not representable, so not round-tripped: a string label whose value is "" and a numeric label
 * whose value is 0 without a unit (profile.proto cannot tell them from "no label"; pprof drops
 * them on reading, and so does our decoder).
 *
 * Environment-neutral (TextEncoder is a web standard).
 */
import type { Label, Profile } from './model.js';

let out = new Uint8Array(0);
let at = 0;

const TWO32 = 4294967296;
const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;

function ensure(n: number): void {
  if (at + n <= out.length) return;
  let cap = out.length * 2;
  while (cap < at + n) cap *= 2;
  const next = new Uint8Array(cap);
  next.set(out.subarray(0, at));
  out = next;
}

/**
 * uint64 varint. Integers 0..2^64-1 are written as they are (exact up to 2^53, wider values as
 * rounded); 2^64 and above (the double a decoded 0xffffffffffffffff becomes) as 2^64-1; negative
 * numbers and NaN as 0.
 */
function writeU(v: number): void {
  const o = out;
  if (v < 0x80000000 && v >= 0) {
    while (v >= 0x80) {
      o[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    o[at++] = v;
    return;
  }
  if (!(v > 0)) {
    o[at++] = 0;
    return;
  }
  if (v >= TWO64) {
    writeHiLo(0xffffffff, 0xffffffff);
    return;
  }
  const hi = Math.floor(v / TWO32);
  writeHiLo(hi >>> 0, (v - hi * TWO32) >>> 0);
}

/** Varint of the 64-bit value hi·2^32 + lo (both unsigned 32-bit integers, so at least 5 bytes). */
function writeHiLo(hi: number, lo: number): void {
  const o = out;
  // Low 28 bits, 7 at a time.
  for (let i = 0; i < 4; i++) {
    o[at++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  // Byte 5: 4 bits from lo, 3 from hi.
  let b = (lo & 0x0f) | ((hi & 0x07) << 4);
  hi >>>= 3;
  if (hi === 0) {
    o[at++] = b;
    return;
  }
  o[at++] = b | 0x80;
  while (hi >= 0x80) {
    o[at++] = (hi & 0x7f) | 0x80;
    hi >>>= 7;
  }
  b = hi;
  o[at++] = b;
}

/**
 * int64 varint: negative numbers as 10-byte two's complement. 2^63 and above (the double a
 * decoded 2^63-1 becomes) are written as 2^63-1, below -2^63 as -2^63, NaN as 0.
 */
function writeI(v: number): void {
  if (!(v < 0)) {
    if (v >= TWO63) writeHiLo(0x7fffffff, 0xffffffff);
    else writeU(v);
    return;
  }
  if (v < -TWO63) {
    writeHiLo(0x80000000, 0);
    return;
  }
  // 2^64 + v, split into 32-bit halves.
  const hi = Math.floor(v / TWO32);
  const lo = v - hi * TWO32;
  writeHiLo(hi >>> 0, lo >>> 0);
}

/** Bytes writeU(v) writes. */
function sizeU(v: number): number {
  if (!(v >= 0x80)) return 1; // also negative numbers and NaN, written as 0
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  if (v >= TWO64) return 10;
  let n = 4;
  v = Math.floor(v / 0x10000000);
  while (v > 0) {
    n++;
    v = Math.floor(v / 128);
  }
  return n;
}

/** Bytes writeI(v) writes. */
function sizeI(v: number): number {
  if (v < 0) return 10;
  return v >= TWO63 ? 9 : sizeU(v);
}

/** Integral value for an int64 field (profile.proto holds integers). */
function int(v: number): number {
  return Number.isInteger(v) ? v : Math.round(v);
}

// ---------------------------------------------------------------------------------------------

class Strings {
  readonly index = new Map<string, number>([['', 0]]);
  readonly list: string[] = [''];
  add(s: string | undefined): number {
    if (!s) return 0;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(s, i);
      this.list.push(s);
    }
    return i;
  }
}

/** The ids to write for a table: its own when usable, else 1..N. */
function tableIds(items: readonly { id: number }[]): Float64Array {
  const n = items.length;
  const ids = new Float64Array(n);
  let dense = true;
  for (let i = 0; i < n; i++) {
    const id = items[i]!.id;
    ids[i] = id;
    if (id !== i + 1) dense = false;
  }
  if (dense) return ids;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (!(id > 0 && Number.isInteger(id)) || seen.has(id)) {
      for (let j = 0; j < n; j++) ids[j] = j + 1;
      return ids;
    }
    seen.add(id);
  }
  return ids;
}

const utf8 = new TextEncoder();

function writeString(field: number, s: string): void {
  const n = s.length;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    ensure(11 + n);
    out[at++] = (field << 3) | 2;
    writeU(n);
    const o = out;
    for (let i = 0; i < n; i++) o[at++] = s.charCodeAt(i);
    return;
  }
  const bytes = utf8.encode(s);
  ensure(11 + bytes.length);
  out[at++] = (field << 3) | 2;
  writeU(bytes.length);
  out.set(bytes, at);
  at += bytes.length;
}

/** Field tag + length prefix of an embedded message or packed run. */
function writeLen(field: number, len: number): void {
  out[at++] = (field << 3) | 2;
  writeU(len);
}

function writeVarField(field: number, v: number): void {
  out[at++] = field << 3;
  writeU(v);
}

function writeIntField(field: number, v: number): void {
  out[at++] = field << 3;
  writeI(v);
}

function labelSize(l: Label, keyX: number, strX: number, unitX: number): number {
  let n = keyX ? 1 + sizeU(keyX) : 0;
  if (l.str !== undefined) {
    if (strX) n += 1 + sizeU(strX);
  } else {
    const num = int(l.num ?? 0);
    if (num) n += 1 + sizeI(num);
    if (unitX) n += 1 + sizeU(unitX);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------

/** Encodes a profile as uncompressed profile.proto bytes (gzip them to get a `.pb.gz`). */
export function encodePprof(p: Profile): Uint8Array {
  const s = p.samples;
  out = new Uint8Array(Math.max(1024, s.stack.length * 2 + s.length * 16 + p.locations.length * 24 + 4096));
  at = 0;
  try {
    encode(p);
    return out.slice(0, at);
  } finally {
    out = new Uint8Array(0);
    at = 0;
  }
}

function encode(p: Profile): void {
  const st = new Strings();
  const locIds = tableIds(p.locations);
  const fnIds = tableIds(p.functions);
  const mapIds = tableIds(p.mappings);

  // sample_type = 1
  for (const vt of p.sampleTypes) writeValueType(1, vt.type, vt.unit, st);

  // sample = 2
  const { values, stackStart, stack, labels } = p.samples;
  const nTypes = p.sampleTypes.length;
  for (let i = 0; i < p.samples.length; i++) {
    const a = stackStart[i]!;
    const b = stackStart[i + 1]!;
    let locBytes = 0;
    for (let j = a; j < b; j++) locBytes += sizeU(locIds[stack[j]!]!);
    let valBytes = 0;
    const vb = i * nTypes;
    for (let k = 0; k < nTypes; k++) valBytes += sizeI(int(values[vb + k]!));
    let size = 0;
    if (b > a) size += 1 + sizeU(locBytes) + locBytes;
    if (nTypes > 0) size += 1 + sizeU(valBytes) + valBytes;
    const ls = labels?.[i];
    let labelX: number[] | undefined;
    if (ls && ls.length > 0) {
      labelX = new Array(ls.length * 4);
      for (let k = 0; k < ls.length; k++) {
        const l = ls[k]!;
        const keyX = st.add(l.key);
        const strX = l.str !== undefined ? st.add(l.str) : 0;
        const unitX = l.str === undefined ? st.add(l.unit) : 0;
        const ln = labelSize(l, keyX, strX, unitX);
        labelX[k * 4] = keyX;
        labelX[k * 4 + 1] = strX;
        labelX[k * 4 + 2] = unitX;
        labelX[k * 4 + 3] = ln;
        size += 1 + sizeU(ln) + ln;
      }
    }
    ensure(6 + size);
    writeLen(2, size);
    if (b > a) {
      writeLen(1, locBytes);
      for (let j = a; j < b; j++) writeU(locIds[stack[j]!]!);
    }
    if (nTypes > 0) {
      writeLen(2, valBytes);
      for (let k = 0; k < nTypes; k++) writeI(int(values[vb + k]!));
    }
    if (ls && labelX) {
      for (let k = 0; k < ls.length; k++) {
        const l = ls[k]!;
        const keyX = labelX[k * 4]!;
        const strX = labelX[k * 4 + 1]!;
        const unitX = labelX[k * 4 + 2]!;
        writeLen(3, labelX[k * 4 + 3]!);
        if (keyX) writeVarField(1, keyX);
        if (l.str !== undefined) {
          if (strX) writeVarField(2, strX);
        } else {
          const num = int(l.num ?? 0);
          if (num) writeIntField(3, num);
          if (unitX) writeVarField(4, unitX);
        }
      }
    }
  }

  // mapping = 3
  for (let i = 0; i < p.mappings.length; i++) {
    const m = p.mappings[i]!;
    const fileX = st.add(m.file);
    const buildX = st.add(m.buildId);
    const fields: [number, number][] = [
      [1, mapIds[i]!],
      [2, m.memoryStart],
      [3, m.memoryLimit],
      [4, m.fileOffset],
      [5, fileX],
      [6, buildX],
      [7, m.hasFunctions ? 1 : 0],
      [8, m.hasFilenames ? 1 : 0],
      [9, m.hasLineNumbers ? 1 : 0],
      [10, m.hasInlineFrames ? 1 : 0],
    ];
    writeScalarMessage(3, fields);
  }

  // location = 4
  for (let i = 0; i < p.locations.length; i++) {
    const l = p.locations[i]!;
    const mapId = l.mapping >= 0 ? mapIds[l.mapping]! : 0;
    let size = 1 + sizeU(locIds[i]!);
    if (mapId) size += 1 + sizeU(mapId);
    if (l.address) size += 1 + sizeU(l.address);
    if (l.isFolded) size += 2;
    const lineSizes = new Array<number>(l.lines.length);
    for (let k = 0; k < l.lines.length; k++) {
      const ln = l.lines[k]!;
      const fnId = ln.fn >= 0 ? fnIds[ln.fn]! : 0;
      let n = 0;
      if (fnId) n += 1 + sizeU(fnId);
      if (ln.line) n += 1 + sizeI(int(ln.line));
      if (ln.column) n += 1 + sizeI(int(ln.column));
      lineSizes[k] = n;
      size += 1 + sizeU(n) + n;
    }
    ensure(6 + size);
    writeLen(4, size);
    writeVarField(1, locIds[i]!);
    if (mapId) writeVarField(2, mapId);
    if (l.address) writeVarField(3, l.address);
    for (let k = 0; k < l.lines.length; k++) {
      const ln = l.lines[k]!;
      const fnId = ln.fn >= 0 ? fnIds[ln.fn]! : 0;
      writeLen(4, lineSizes[k]!);
      if (fnId) writeVarField(1, fnId);
      if (ln.line) writeIntField(2, int(ln.line));
      if (ln.column) writeIntField(3, int(ln.column));
    }
    if (l.isFolded) writeVarField(5, 1);
  }

  // function = 5
  for (let i = 0; i < p.functions.length; i++) {
    const f = p.functions[i]!;
    writeScalarMessage(5, [
      [1, fnIds[i]!],
      [2, st.add(f.name)],
      [3, st.add(f.systemName)],
      [4, st.add(f.filename)],
      [5, int(f.startLine), true],
    ]);
  }

  // Header fields that intern strings, before the table is written.
  const dropX = st.add(p.dropFrames);
  const keepX = st.add(p.keepFrames);
  const commentX = p.comments.map((c) => st.add(c));
  const defaultX = st.add(p.defaultSampleType);
  const docX = st.add(p.docUrl);
  const ptType = p.periodType ? st.add(p.periodType.type) : 0;
  const ptUnit = p.periodType ? st.add(p.periodType.unit) : 0;

  // string_table = 6
  for (const str of st.list) writeString(6, str);

  ensure(128);
  if (dropX) writeVarField(7, dropX);
  if (keepX) writeVarField(8, keepX);
  if (p.timeNanos) writeIntField(9, int(p.timeNanos));
  if (p.durationNanos) writeIntField(10, int(p.durationNanos));
  if (p.periodType)
    writeScalarMessage(11, [
      [1, ptType],
      [2, ptUnit],
    ]);
  if (p.period) writeIntField(12, int(p.period));
  if (commentX.length > 0) {
    let n = 0;
    for (const x of commentX) n += sizeU(x);
    ensure(6 + n);
    writeLen(13, n);
    for (const x of commentX) writeU(x);
  }
  ensure(32);
  if (defaultX) writeVarField(14, defaultX);
  if (docX) writeVarField(15, docX);
}

function writeValueType(field: number, type: string, unit: string, st: Strings): void {
  writeScalarMessage(field, [
    [1, st.add(type)],
    [2, st.add(unit)],
  ]);
}

/**
 * A message made of varint fields (field numbers < 16); zero fields are omitted. Each field is
 * uint64 unless marked int64 (`true`): the two differ for values of 2^63 and above.
 */
function writeScalarMessage(field: number, fields: readonly (readonly [number, number, boolean?])[]): void {
  let size = 0;
  for (const [, v, signed] of fields) if (v) size += 1 + (signed ? sizeI(v) : sizeU(v));
  ensure(6 + size);
  writeLen(field, size);
  for (const [f, v, signed] of fields) {
    if (!v) continue;
    out[at++] = f << 3;
    if (signed) writeI(v);
    else writeU(v);
  }
}
