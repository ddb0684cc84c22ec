/**
 * A minimal protobuf wire-format scanner and writer for structure-aware mutations: the fuzzer needs
 * to find length prefixes, varints and nested messages in real profiles to corrupt them precisely.
 * Independent of the decoder under test (it only knows the wire format, not profile.proto rules).
 */

/** Encodes a non-negative integer (number or bigint, < 2^64) as a varint. */
export function varint(v) {
  if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
    const out = [];
    let n = Math.trunc(v);
    while (n >= 128) {
      out.push((n % 128) | 128);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
  }
  let x = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
  if (x < 0n) x = BigInt.asUintN(64, x);
  const out = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
  return out;
}

/** A varint padded to `n` bytes with redundant continuation groups (valid up to 10 bytes). */
export function paddedVarint(v, n) {
  const base = varint(v);
  while (base.length < n) {
    base[base.length - 1] |= 0x80;
    base.push(0);
  }
  return base;
}

export function tag(field, wt) {
  return varint(BigInt(field) * 8n + BigInt(wt));
}

/** Reads a varint at `pos`; returns [value as bigint, next pos] or undefined when it runs out / exceeds 10 bytes. */
export function readVarint(b, pos, end = b.length) {
  let x = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) return undefined;
    const c = b[pos++];
    x |= BigInt(c & 0x7f) << shift;
    if (c < 0x80) return [x, pos];
    shift += 7n;
  }
  return undefined;
}

/**
 * Scans the fields of one message in [start, end). Returns undefined if the bytes are not a
 * well-formed message. Each field: { field, wt, start, lenPos, valStart, end }, where for wire type 2
 * `lenPos` is where the length prefix starts and [valStart, end) is the payload.
 */
export function scanFields(b, start = 0, end = b.length) {
  const fields = [];
  let pos = start;
  while (pos < end) {
    const t = readVarint(b, pos, end);
    if (!t) return undefined;
    const [tv, p1] = t;
    const field = Number(tv >> 3n);
    const wt = Number(tv & 7n);
    if (field === 0) return undefined;
    let valStart = p1;
    let fend;
    let lenPos = -1;
    if (wt === 0) {
      const v = readVarint(b, p1, end);
      if (!v) return undefined;
      fend = v[1];
    } else if (wt === 1) fend = p1 + 8;
    else if (wt === 5) fend = p1 + 4;
    else if (wt === 2) {
      const v = readVarint(b, p1, end);
      if (!v) return undefined;
      lenPos = p1;
      valStart = v[1];
      fend = valStart + Number(v[0]);
    } else return undefined;
    if (fend > end) return undefined;
    fields.push({ field, wt, start: pos, lenPos, valStart, end: fend });
    pos = fend;
  }
  return fields;
}

/** Concatenates byte arrays / number arrays into one Uint8Array. */
export function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A length-delimited field. */
export function lenField(field, payload) {
  return concat([tag(field, 2), varint(payload.length), payload]);
}

export function varintField(field, v) {
  return concat([tag(field, 0), varint(v)]);
}

/** Packed varints. */
export function packed(field, values) {
  const body = [];
  for (const v of values) {
    const b = varint(v);
    for (let i = 0; i < b.length; i++) body.push(b[i]);
  }
  return lenField(field, Uint8Array.from(body));
}
