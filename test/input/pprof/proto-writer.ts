/**
 * A deliberately naive protobuf writer for hand-made test inputs: BigInt varints, any field
 * order, packed or unpacked, unknown fields and odd wire types. Independent of src/ on purpose.
 */
export type Bytes = number[];

export function varint(v: number | bigint): Bytes {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: Bytes = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}

export const tag = (field: number, wt: number): Bytes => varint((field << 3) | wt);

/** A varint field (int64 values may be negative). */
export const num = (field: number, v: number | bigint): Bytes => [...tag(field, 0), ...varint(v)];

/** A length-delimited field holding raw bytes or a nested message. */
export const msg = (field: number, ...parts: Bytes[]): Bytes => {
  const body = parts.flat();
  return [...tag(field, 2), ...varint(body.length), ...body];
};

export const str = (field: number, s: string): Bytes => msg(field, Array.from(new TextEncoder().encode(s)));

/** A packed repeated varint field. */
export const packed = (field: number, vs: (number | bigint)[]): Bytes =>
  msg(
    field,
    vs.flatMap((v) => varint(v)),
  );

/** The same values, one field each (unpacked). */
export const unpacked = (field: number, vs: (number | bigint)[]): Bytes => vs.flatMap((v) => num(field, v));

export const fixed64 = (field: number): Bytes => [...tag(field, 1), 1, 2, 3, 4, 5, 6, 7, 8];
export const fixed32 = (field: number): Bytes => [...tag(field, 5), 9, 9, 9, 9];

/** The string table as top-level field-6 entries. */
export const strings = (table: string[]): Bytes => table.flatMap((s) => str(6, s));

export const bytes = (...parts: Bytes[]): Uint8Array => Uint8Array.from(parts.flat());
