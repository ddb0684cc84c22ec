/**
 * Mutators: byte-level (bit flips, insertions, deletions, truncation, splices), protobuf-aware
 * (length prefixes, varints, nested messages, ids, string indices), gzip-layer (header, trailer,
 * members, double gzip, bombs) and text-aware (line wrapping, CRLF, indentation, number tokens,
 * truncation at line boundaries). Each returns { bytes | text, op, expect? } where `expect` is an
 * oracle the runner checks: 'same' (must parse to the same profile as the original) or 'reject'.
 */
import { gzipSync } from 'node:zlib';
import { concat, paddedVarint, readVarint, scanFields, tag, varint } from './proto.mjs';

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x08, 0x12, 0x1f, 0x8b, 0x0d, 0x20, 0x23];

// ---------------------------------------------------------------------------------------------
// Byte level

export function mutateBytes(rng, input) {
  let b = Uint8Array.from(input);
  const n = rng.weighted([
    [60, 1],
    [25, rng.range(2, 4)],
    [15, rng.range(5, 32)],
  ]);
  const ops = [];
  for (let i = 0; i < n; i++) {
    const op = rng.weighted([
      [25, 'flip'],
      [15, 'byte'],
      [12, 'insert'],
      [12, 'delete'],
      [10, 'truncate'],
      [8, 'dup-range'],
      [6, 'zero-range'],
      [6, 'ff-range'],
      [6, 'move-range'],
    ]);
    if (b.length === 0) break;
    const at = rng.int(b.length);
    switch (op) {
      case 'flip':
        b[at] ^= 1 << rng.int(8);
        break;
      case 'byte':
        b[at] = rng.bool(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
        break;
      case 'insert': {
        const k = rng.small(64) + 1;
        b = concat([b.subarray(0, at), rng.bytes(k), b.subarray(at)]);
        break;
      }
      case 'delete': {
        const k = Math.min(b.length - at, rng.small(64) + 1);
        b = concat([b.subarray(0, at), b.subarray(at + k)]);
        break;
      }
      case 'truncate':
        b = b.slice(0, rng.bool(0.3) ? b.length - rng.range(1, Math.min(16, b.length)) : at);
        break;
      case 'dup-range': {
        const k = Math.min(b.length - at, rng.small(4096) + 1);
        const times = rng.weighted([
          [90, 1],
          [10, rng.range(2, 50)],
        ]);
        const chunk = b.slice(at, at + k);
        const reps = [];
        for (let t = 0; t < times; t++) reps.push(chunk);
        b = concat([b.subarray(0, at), ...reps, b.subarray(at)]);
        break;
      }
      case 'zero-range':
      case 'ff-range': {
        const k = Math.min(b.length - at, rng.small(256) + 1);
        b.fill(op === 'zero-range' ? 0 : 0xff, at, at + k);
        break;
      }
      case 'move-range': {
        const k = Math.min(b.length - at, rng.small(1024) + 1);
        const chunk = b.slice(at, at + k);
        const rest = concat([b.subarray(0, at), b.subarray(at + k)]);
        const to = rng.int(rest.length + 1);
        b = concat([rest.subarray(0, to), chunk, rest.subarray(to)]);
        break;
      }
    }
    ops.push(`${op}@${at}`);
  }
  return { bytes: b, op: `bytes:${ops.join(',')}` };
}

export function splice(rng, a, b) {
  const i = rng.int(a.length + 1);
  const j = rng.int(b.length + 1);
  const mode = rng.pick(['head-tail', 'interleave', 'append']);
  if (mode === 'append') return { bytes: concat([a, b]), op: 'splice:append' };
  if (mode === 'interleave') {
    const k = Math.min(b.length - j, rng.small(8192) + 1);
    return { bytes: concat([a.subarray(0, i), b.subarray(j, j + k), a.subarray(i)]), op: `splice:interleave@${i}` };
  }
  return { bytes: concat([a.subarray(0, i), b.subarray(j)]), op: `splice:head-tail@${i},${j}` };
}

// ---------------------------------------------------------------------------------------------
// Protobuf aware (on the uncompressed profile.proto bytes)

const HUGE_LENGTHS = [2 ** 31, 2 ** 32 + 5, 2 ** 53, 0xffffffffffffffffn, 2 ** 28, 0x7fffffff];
const ID_VALUES = [0, 1, 2, 0xffffffff, 2 ** 32, 2 ** 53 - 1, 2 ** 53 + 1, 0xffffffffffffffffn, 0x8000000000000000n];

function replaceRange(b, start, end, repl) {
  return concat([b.subarray(0, start), Uint8Array.from(repl), b.subarray(end)]);
}

/** Rewrites one varint (wire type 0) field value inside the message [start, end), recursively re-lengthing parents. */
function nestedMutation(rng, b, fields, depth, ops) {
  const wt2 = fields.filter((f) => f.wt === 2);
  const candidates = fields.filter((f) => f.wt === 0);
  const dive = wt2.length > 0 && (candidates.length === 0 || rng.bool(0.6)) && depth < 3;
  if (dive) {
    const f = rng.pick(wt2);
    const inner = scanFields(b, f.valStart, f.end);
    if (inner && inner.length > 0) {
      const payload = b.subarray(f.valStart, f.end);
      const rebased = inner.map((x) => ({
        ...x,
        start: x.start - f.valStart,
        lenPos: x.lenPos - f.valStart,
        valStart: x.valStart - f.valStart,
        end: x.end - f.valStart,
      }));
      const newPayload = nestedMutation(rng, Uint8Array.from(payload), rebased, depth + 1, ops);
      ops.unshift(`f${f.field}`);
      return replaceRange(b, f.start, f.end, [...tag(f.field, 2), ...varint(newPayload.length), ...newPayload]);
    }
    // packed varints, or a string: corrupt its contents
    if (f.end > f.valStart) {
      const out = Uint8Array.from(b);
      const at = f.valStart + rng.int(f.end - f.valStart);
      out[at] = rng.pick([0xff, 0x80, 0x00, 0x7f, rng.int(256)]);
      ops.push(`f${f.field}:payload@${at}`);
      return out;
    }
  }
  if (candidates.length === 0) {
    ops.push('noop');
    return b;
  }
  const f = rng.pick(candidates);
  const valPos = readVarint(b, f.start)[1];
  const v = rng.weighted([
    [40, rng.pick(ID_VALUES)],
    [20, rng.range(0, 300)],
    [10, BigInt.asUintN(64, BigInt(-rng.range(1, 1000)))],
    [10, rng.u32()],
    [20, 'overlong'],
  ]);
  ops.push(`f${f.field}=${v}`);
  if (v === 'overlong') return replaceRange(b, valPos, f.end, Array(rng.range(10, 12)).fill(0xff).concat([0x01]));
  return replaceRange(b, valPos, f.end, varint(v));
}

export function mutateProto(rng, raw, other) {
  const fields = scanFields(raw);
  if (!fields || fields.length === 0) return mutateBytes(rng, raw);
  const op = rng.weighted([
    [14, 'length'],
    [16, 'nested'],
    [8, 'varint-run'],
    [8, 'drop'],
    [6, 'drop-kind'],
    [8, 'duplicate'],
    [5, 'amplify'],
    [6, 'shuffle'],
    [6, 'wiretype'],
    [6, 'unknown-field'],
    [8, 'truncate-boundary'],
    [5, 'splice-fields'],
    [4, 'padded-varint'],
  ]);
  const f = rng.pick(fields);
  switch (op) {
    case 'length': {
      const wt2 = fields.filter((x) => x.wt === 2);
      if (wt2.length === 0) return mutateBytes(rng, raw);
      const g = rng.pick(wt2);
      const len = g.end - g.valStart;
      const nl = rng.weighted([
        [30, len + rng.range(1, 3)],
        [30, Math.max(0, len - rng.range(1, 3))],
        [10, 0],
        [30, rng.pick(HUGE_LENGTHS)],
      ]);
      return {
        bytes: replaceRange(raw, g.lenPos, g.valStart, varint(nl)),
        op: `proto:length f${g.field}@${g.start} ${len}->${nl}`,
      };
    }
    case 'nested': {
      const ops = [];
      return { bytes: nestedMutation(rng, raw, fields, 0, ops), op: `proto:nested ${ops.join('/')}` };
    }
    case 'varint-run': {
      const k = rng.range(9, 14);
      const run = Array(k).fill(0xff);
      if (rng.bool(0.5)) run.push(0x01);
      return { bytes: replaceRange(raw, f.start, f.start, run), op: `proto:varint-run(${k})@${f.start}` };
    }
    case 'drop':
      return { bytes: replaceRange(raw, f.start, f.end, []), op: `proto:drop f${f.field}@${f.start}` };
    case 'drop-kind': {
      const kind = f.field;
      const parts = fields.filter((x) => x.field !== kind).map((x) => raw.subarray(x.start, x.end));
      return { bytes: concat(parts), op: `proto:drop-all f${kind}` };
    }
    case 'duplicate': {
      const copy = raw.slice(f.start, f.end);
      const at = rng.pick(fields).start;
      return { bytes: replaceRange(raw, at, at, copy), op: `proto:duplicate f${f.field}@${f.start}->${at}` };
    }
    case 'amplify': {
      // Many copies of the same small field: e.g. 100k sample types, or 100k samples.
      const pick = fields.filter((x) => x.field === 1 || x.field === 2);
      const g = pick.length ? rng.pick(pick) : f;
      const times = rng.pick([100, 1000, 10000, 50000]);
      const copy = raw.subarray(g.start, g.end);
      if (copy.length * times > 4e6) return { bytes: raw, op: 'proto:amplify(skipped)' };
      const reps = [];
      for (let i = 0; i < times; i++) reps.push(copy);
      return {
        bytes: concat([raw.subarray(0, g.start), ...reps, raw.subarray(g.start)]),
        op: `proto:amplify f${g.field} x${times}`,
      };
    }
    case 'shuffle': {
      const parts = fields.map((x) => raw.subarray(x.start, x.end));
      for (let i = parts.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [parts[i], parts[j]] = [parts[j], parts[i]];
      }
      return { bytes: concat(parts), op: 'proto:shuffle' };
    }
    case 'wiretype': {
      const t = readVarint(raw, f.start);
      const wt = rng.pick([0, 1, 2, 3, 4, 5, 6, 7].filter((w) => w !== f.wt));
      return {
        bytes: replaceRange(raw, f.start, t[1], tag(f.field, wt)),
        op: `proto:wiretype f${f.field}@${f.start} ${f.wt}->${wt}`,
      };
    }
    case 'unknown-field': {
      const field = rng.pick([16, 17, 99, 536870911, 19000, 1000]);
      const wt = rng.pick([0, 1, 2, 3, 4, 5]);
      const body =
        wt === 0
          ? varint(rng.u32())
          : wt === 1
            ? Array(8).fill(7)
            : wt === 5
              ? Array(4).fill(7)
              : wt === 2
                ? [...varint(3), 1, 2, 3]
                : [];
      const at = rng.pick(fields).start;
      return {
        bytes: replaceRange(raw, at, at, [...tag(field, wt), ...body]),
        op: `proto:unknown f${field} wt${wt}@${at}`,
      };
    }
    case 'truncate-boundary': {
      const g = rng.pick(fields);
      const at = rng.weighted([
        [40, g.start],
        [30, g.valStart],
        [30, g.start + 1],
      ]);
      return { bytes: raw.slice(0, Math.min(at, raw.length)), op: `proto:truncate@${at}` };
    }
    case 'splice-fields': {
      const of = other && scanFields(other);
      if (!of || of.length === 0) return mutateBytes(rng, raw);
      const g = rng.pick(of);
      const at = rng.pick(fields).start;
      return { bytes: replaceRange(raw, at, at, other.subarray(g.start, g.end)), op: `proto:splice f${g.field}@${at}` };
    }
    default: {
      // padded-varint: a valid but non-canonical length or value encoding (must still decode).
      const t = readVarint(raw, f.start);
      const v = readVarint(raw, t[1]);
      if (!v) return mutateBytes(rng, raw);
      const width = rng.range(v[1] - t[1], 10);
      return {
        bytes: replaceRange(raw, t[1], v[1], paddedVarint(v[0], width)),
        op: `proto:padded-varint f${f.field}@${f.start} w${width}`,
        expect: 'same',
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// gzip layer

/** gzip with a header carrying FEXTRA / FNAME / FCOMMENT / FHCRC-less variants (all valid). */
function gzipWithHeader(rng, raw, level) {
  const z = gzipSync(raw, { level });
  const flagsWanted = rng.int(16) & 0b11100; // FEXTRA(4) FNAME(8) FCOMMENT(16)
  const extra = [];
  if (flagsWanted & 4) {
    const data = [0x41, 0x42, 2, 0, 1, 2];
    extra.push(data.length & 0xff, data.length >> 8, ...data);
  }
  if (flagsWanted & 8) extra.push(...new TextEncoder().encode('heap.pb'), 0);
  if (flagsWanted & 16) extra.push(...new TextEncoder().encode('a comment'), 0);
  const head = Uint8Array.from(z.subarray(0, 10));
  head[3] = flagsWanted;
  return concat([head, Uint8Array.from(extra), z.subarray(10)]);
}

export function mutateGzip(rng, raw, cache) {
  const level = rng.pick([0, 1, 6, 9]);
  const op = rng.weighted([
    [14, 'truncate'],
    [8, 'crc'],
    [6, 'isize'],
    [8, 'header-byte'],
    [8, 'double'],
    [4, 'triple'],
    [8, 'members'],
    [6, 'header-fields'],
    [6, 'trailing-garbage'],
    [4, 'trailing-zeros'],
    [6, 'deflate-flip'],
    [4, 'empty'],
    [4, 'bomb'],
    [4, 'two-profiles'],
  ]);
  if (op === 'bomb') {
    const b = rng.pick(cache.bombs());
    return { bytes: b.bytes, op: `gzip:bomb(${b.what})`, expect: 'reject', maxSize: 4 * 1024 * 1024 };
  }
  if (op === 'empty') return { bytes: gzipSync(new Uint8Array(0)), op: 'gzip:empty', expect: 'reject' };
  const z = gzipSync(raw, { level });
  switch (op) {
    case 'truncate': {
      const at = rng.weighted([
        [30, rng.int(z.length)],
        [20, z.length - rng.range(1, 8)],
        [10, rng.range(0, 10)],
        [10, z.length - 8],
      ]);
      return {
        bytes: z.subarray(0, Math.max(0, at)),
        op: `gzip:truncate@${at}/${z.length}`,
        expect: at >= 2 ? 'reject' : undefined,
      };
    }
    case 'crc':
    case 'isize': {
      const out = Uint8Array.from(z);
      const at = z.length - (op === 'crc' ? 8 : 4) + rng.int(4);
      out[at] ^= 1 << rng.int(8);
      return { bytes: out, op: `gzip:${op}@${at}`, expect: 'reject' };
    }
    case 'header-byte': {
      const out = Uint8Array.from(z);
      const at = rng.range(2, 9);
      out[at] = rng.int(256);
      return { bytes: out, op: `gzip:header[${at}]=${out[at]}` };
    }
    case 'double':
      return {
        bytes: gzipSync(gzipSync(raw, { level }), { level: rng.pick([0, 6]) }),
        op: 'gzip:double',
        expect: 'same',
      };
    case 'triple':
      return { bytes: gzipSync(gzipSync(gzipSync(raw))), op: 'gzip:triple', expect: 'reject' };
    case 'members': {
      const k = rng.range(2, 5);
      const parts = [];
      let prev = 0;
      for (let i = 1; i <= k; i++) {
        const cut = i === k ? raw.length : rng.range(prev, raw.length);
        parts.push(gzipSync(raw.subarray(prev, cut), { level }));
        prev = cut;
      }
      return { bytes: concat(parts), op: `gzip:members(${k})`, expect: 'same' };
    }
    case 'header-fields':
      return { bytes: gzipWithHeader(rng, raw, level), op: 'gzip:header-fields', expect: 'same' };
    case 'trailing-garbage':
      return { bytes: concat([z, rng.bytes(rng.range(1, 64))]), op: 'gzip:trailing-garbage' };
    case 'trailing-zeros':
      return { bytes: concat([z, new Uint8Array(rng.range(1, 1024))]), op: 'gzip:trailing-zeros' };
    case 'deflate-flip': {
      const out = Uint8Array.from(z);
      const at = rng.range(10, Math.max(10, z.length - 9));
      out[at] ^= 1 << rng.int(8);
      return { bytes: out, op: `gzip:deflate-flip@${at}` };
    }
    default: {
      // two-profiles: two complete gzip members each holding a profile (pprof concatenates them)
      return { bytes: concat([z, z]), op: 'gzip:two-profiles', expect: 'reject' };
    }
  }
}

/** Gzip bombs, built once: zeros compressed at level 9, as one member and as many members. */
export function makeBombs(sizeMiB = 32) {
  const chunk = new Uint8Array(1024 * 1024);
  const one = gzipSync(chunk, { level: 9 });
  const members = [];
  for (let i = 0; i < sizeMiB; i++) members.push(one);
  const zeros = new Uint8Array(sizeMiB * 1024 * 1024);
  const single = gzipSync(zeros, { level: 9 });
  const nested = gzipSync(single, { level: 9 });
  return [
    { what: `${sizeMiB} MiB zeros, one member`, bytes: single },
    { what: `${sizeMiB} x 1 MiB members`, bytes: concat(members) },
    { what: `${sizeMiB} MiB zeros, gzipped twice`, bytes: nested },
  ];
}

// ---------------------------------------------------------------------------------------------
// Text aware

const HOSTILE_NUMBERS = [
  '99999999999999999999999999999',
  '-1',
  '1e309',
  'NaN',
  '0x1f',
  '',
  '+5',
  '1_000',
  '٣',
  '１２',
  '-0',
  '9007199254740993',
];
const ODD_CHARS = [
  '\u00a0',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\u2026',
  '\u201c',
  '\t',
  '\r',
  '\u0000',
  '😀',
  '\u0085',
  '\u2028',
  '\\',
];

function wrapLines(lines, width, words) {
  const out = [];
  for (const line of lines) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    if (!words) {
      for (let i = 0; i < line.length; i += width) out.push(line.slice(i, i + width));
      continue;
    }
    let cur = '';
    for (const w of line.split(/(\s+)/)) {
      if (cur.length + w.length > width && cur.trim() !== '') {
        out.push(cur);
        cur = w.trimStart();
      } else cur += w;
    }
    if (cur !== '') out.push(cur);
  }
  return out;
}

/** `input`: the text, or its lines (not modified). */
export function mutateText(rng, input, maxChars = 8_000_000) {
  let lines = typeof input === 'string' ? input.split('\n') : input;
  // Large inputs: keep a window so each case stays fast (the window itself is an interesting cut).
  if (lines.length > 4000 && rng.bool(0.9)) {
    const start = rng.bool(0.5) ? 0 : rng.int(lines.length);
    lines = lines.slice(start, start + rng.range(50, 4000));
  } else lines = lines.slice();
  const n = rng.weighted([
    [60, 1],
    [30, rng.range(2, 4)],
    [10, rng.range(5, 12)],
  ]);
  const ops = [];
  let eol = '\n';
  for (let i = 0; i < n; i++) {
    const op = rng.weighted([
      [10, 'delete-line'],
      [8, 'dup-line'],
      [6, 'swap-lines'],
      [10, 'truncate-line'],
      [8, 'truncate-char'],
      [8, 'number'],
      [8, 'odd-char'],
      [8, 'hard-wrap'],
      [5, 'word-wrap'],
      [4, 'crlf'],
      [2, 'cr'],
      [6, 'indent'],
      [4, 'prose'],
      [4, 'repeat-block'],
      [5, 'deep-frames'],
      [4, 'blank-lines'],
      [4, 'tabs-spaces'],
      [3, 'long-line'],
    ]);
    const at = rng.int(Math.max(1, lines.length));
    switch (op) {
      case 'delete-line':
        lines.splice(at, rng.range(1, 3));
        break;
      case 'dup-line':
        lines.splice(at, 0, lines[at] ?? '');
        break;
      case 'swap-lines': {
        const j = rng.int(lines.length);
        if (at < lines.length && j < lines.length) [lines[at], lines[j]] = [lines[j], lines[at]];
        break;
      }
      case 'truncate-line':
        lines = lines.slice(0, at);
        break;
      case 'truncate-char': {
        const l = lines[at] ?? '';
        lines = lines.slice(0, at);
        lines.push(l.slice(0, rng.int(l.length + 1)));
        break;
      }
      case 'number': {
        const l = lines[at] ?? '';
        const nums = [...l.matchAll(/\d+(\.\d+)?/g)];
        if (nums.length) {
          const m = rng.pick(nums);
          lines[at] = l.slice(0, m.index) + rng.pick(HOSTILE_NUMBERS) + l.slice(m.index + m[0].length);
        }
        break;
      }
      case 'odd-char': {
        const l = lines[at] ?? '';
        const k = rng.int(l.length + 1);
        lines[at] = l.slice(0, k) + rng.pick(ODD_CHARS) + l.slice(k + (rng.bool(0.5) ? 1 : 0));
        break;
      }
      case 'hard-wrap':
        lines = wrapLines(lines, rng.range(20, 120), false);
        break;
      case 'word-wrap':
        lines = wrapLines(lines, rng.range(20, 120), true);
        break;
      case 'crlf':
        eol = '\r\n';
        break;
      case 'cr':
        eol = '\r';
        break;
      case 'indent': {
        const pre = rng.pick(['    ', '\t', '> ', '| ', '  ', '$ ', '\u00a0\u00a0']);
        lines = lines.map((l) => pre + l);
        break;
      }
      case 'prose':
        if (rng.bool()) lines.unshift('Here is what pprof printed on the leader:', '');
        else lines.push('', 'any idea what is going on? thanks');
        break;
      case 'repeat-block': {
        const k = Math.min(lines.length - at, rng.range(2, 40));
        const block = lines.slice(at, at + k);
        const times = rng.pick([2, 10, 100, 1000]);
        const add = [];
        for (let t = 0; t < times && add.length < 200000; t++) add.push(...block);
        lines.splice(at, 0, ...add);
        break;
      }
      case 'deep-frames': {
        // Make one stack very deep: repeat a frame line (and its file line, for dumps).
        const idx = lines.findIndex((l, j) => j >= at && (/^#\t0x/.test(l) || /^\t\S+:\d+/.test(l)));
        if (idx < 0) break;
        const block = /^\t/.test(lines[idx]) && idx > 0 ? [lines[idx - 1], lines[idx]] : [lines[idx]];
        const times = rng.pick([100, 1000, 10000, 50000]);
        const add = [];
        for (let t = 0; t < times; t++) add.push(...block);
        lines.splice(idx, 0, ...add);
        break;
      }
      case 'blank-lines':
        lines.splice(at, 0, ...Array(rng.range(1, 5)).fill(''));
        break;
      case 'tabs-spaces':
        lines = lines.map((l) => (rng.bool(0.5) ? l.replace(/\t/g, '    ') : l.replace(/ {2,}/g, '\t')));
        break;
      case 'long-line':
        lines.splice(
          at,
          0,
          rng.pick(['x', '#\t0x1 ', '  1.5GB ', 'goroutine 1 [', '@ 0x1 ']).repeat(rng.pick([1000, 100000])),
        );
        break;
    }
    ops.push(`${op}@${at}`);
    // Keep every case under ~8 MB of text: big enough for the limits that matter, small enough to
    // keep the run fast (the limits phase covers the huge inputs).
    let size = 0;
    let keep = lines.length;
    for (let j = 0; j < lines.length; j++) {
      lines[j] ??= '';
      size += lines[j].length + 1;
      if (size > maxChars) {
        keep = j;
        break;
      }
    }
    if (keep < lines.length) lines.length = keep;
  }
  return { text: lines.join(eol), op: `text:${ops.join(',')}` };
}
