/**
 * Synthetic inputs for the limits checks (used by limits.mjs, mem-probe.mjs and test/safety):
 * a profile with one very deep stack, profiles of a chosen size, a goroutine dump with one very
 * deep goroutine, deeply nested YAML, and gzip bombs of any size made without compressing it all.
 */
import { constants, deflateRawSync, gzipSync } from 'node:zlib';

/** A growable protobuf writer (numbers only, < 2^53). */
class Writer {
  constructor(cap = 1024) {
    this.buf = new Uint8Array(cap);
    this.n = 0;
  }
  ensure(k) {
    if (this.n + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
  varint(v) {
    this.ensure(10);
    let x = v;
    while (x >= 128) {
      this.buf[this.n++] = (x % 128) | 128;
      x = Math.floor(x / 128);
    }
    this.buf[this.n++] = x;
  }
  bytes(b) {
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  field(f, v) {
    this.varint(f * 8);
    this.varint(v);
  }
  message(f, w) {
    this.varint(f * 8 + 2);
    this.varint(w.n);
    this.bytes(w.buf.subarray(0, w.n));
  }
  done() {
    return this.buf.slice(0, this.n);
  }
}

const enc = new TextEncoder();

/**
 * profile.proto bytes from a compact description:
 *   types: [[type, unit]], names: function names (location i+1 → function i+1),
 *   samples: iterable of [locationIds (leaf first), values].
 */
export function writeProfile({ types, names, samples, timeNanos = 0 }) {
  const strings = [''];
  const index = new Map([['', 0]]);
  const S = (s) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const w = new Writer(1 << 16);
  for (const [t, u] of types) {
    const m = new Writer(16);
    m.field(1, S(t));
    m.field(2, S(u));
    w.message(1, m);
  }
  for (const [stack, values] of samples) {
    const m = new Writer(16 + stack.length * 3);
    const ids = new Writer(stack.length * 3 + 8);
    for (const id of stack) ids.varint(id);
    m.message(1, ids);
    const vals = new Writer(16);
    for (const v of values) vals.varint(v);
    m.message(2, vals);
    w.message(2, m);
  }
  const m = new Writer(64);
  for (let i = 0; i < names.length; i++) {
    m.n = 0;
    m.field(1, i + 1);
    m.field(2, S(names[i]));
    m.field(4, S(`/src/${names[i].split('.')[0]}.go`));
    w.message(5, m);
    const line = new Writer(16);
    line.field(1, i + 1);
    line.field(2, 10 + (i % 100));
    m.n = 0;
    m.field(1, i + 1);
    m.field(3, 0x401000 + i * 16);
    m.message(4, line);
    w.message(4, m);
  }
  if (timeNanos) w.field(9, timeNanos);
  for (const s of strings) {
    const b = enc.encode(s);
    w.varint(6 * 8 + 2);
    w.varint(b.length);
    w.bytes(b);
  }
  return w.done();
}

/** One sample with a `frames`-deep stack cycling through `distinct` functions (deep recursion), plus two normal samples. */
export function deepStackProfile(frames = 1_000_000, distinct = 1000) {
  const names = [];
  for (let i = 0; i < distinct; i++) names.push(`main.rec${i}`);
  const deep = new Array(frames);
  for (let i = 0; i < frames; i++) deep[i] = (i % distinct) + 1;
  return writeProfile({
    types: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    names,
    samples: [
      [deep, [7, 70_000_000]],
      [
        [1, 2],
        [1, 10_000_000],
      ],
      [[3], [2, 20_000_000]],
    ],
    timeNanos: 1_700_000_000_000_000_000,
  });
}

/** A deterministic profile whose size scales with `k`: 2000k functions, 50000k samples, stacks 1–40 deep. */
export function scaledProfile(k, base = 50_000) {
  const nFn = 2000 * k;
  const names = [];
  for (let i = 0; i < nFn; i++) names.push(`go.etcd.io/etcd/pkg${i % 50}.(*T${i % 7}).Method${i}`);
  let x = 12345;
  const rnd = (n) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  const n = base * k;
  function* samples() {
    for (let s = 0; s < n; s++) {
      const depth = 1 + rnd(40);
      const stack = new Array(depth);
      for (let d = 0; d < depth; d++) stack[d] = 1 + rnd(nFn);
      yield [stack, [1 + rnd(100), (1 + rnd(100)) * 10_000_000]];
    }
  }
  return writeProfile({
    types: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    names,
    samples: samples(),
  });
}

/** A debug=2 goroutine dump whose first goroutine is `frames` frames deep (recursion). */
export function deepGoroutineDump(frames = 100_000) {
  const out = ['goroutine 1 [running]:'];
  for (let i = 0; i < frames; i++) {
    out.push(`main.recurse(0x${(i % 4096).toString(16)})`);
    out.push(`\t/src/main.go:${10 + (i % 50)} +0x2${i % 10}`);
  }
  out.push('created by main.main', '\t/src/main.go:5 +0x25', '');
  out.push('goroutine 2 [chan receive, 3 minutes]:', 'main.wait()', '\t/src/main.go:20 +0x10', '');
  return out.join('\n');
}

/** A rule file whose `detect` value is nested `depth` levels deep (flow style). */
export function deepYaml(depth = 100_000, flow = '[') {
  const close = flow === '[' ? ']' : '}';
  const open = flow === '[' ? '[' : '{a: ';
  return `id: deep\ntitle: deep\ndetect: ${open.repeat(depth)}1${close.repeat(depth)}\n`;
}

const MiB = 1 << 20;

/**
 * A gzip bomb inflating to `mib` MiB of zeros, built from one compressed 1 MiB:
 *  - 'members': `mib` gzip members of 1 MiB each (as Go's and Node's readers accept);
 *  - 'stream': one member, a single deflate stream of `mib` byte-aligned non-final segments (the
 *    CRC in the trailer is not computed: a size cap must stop long before the trailer is read);
 *  - 'nested': the 'stream' bomb gzipped again (the outer layer is small, the inner one explodes).
 */
export function gzipBomb(mib, mode = 'stream') {
  const zeros = new Uint8Array(MiB);
  if (mode === 'members') {
    const one = gzipSync(zeros, { level: 9 });
    const out = new Uint8Array(one.length * mib);
    for (let i = 0; i < mib; i++) out.set(one, i * one.length);
    return out;
  }
  const seg = deflateRawSync(zeros, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const head = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255];
  const out = new Uint8Array(head.length + seg.length * mib + 2 + 8);
  out.set(head, 0);
  let o = head.length;
  for (let i = 0; i < mib; i++, o += seg.length) out.set(seg, o);
  out[o++] = 0x03; // a final, empty fixed-Huffman block
  out[o++] = 0x00;
  const size = (mib * MiB) % 2 ** 32;
  out[o + 4] = size & 0xff;
  out[o + 5] = (size >>> 8) & 0xff;
  out[o + 6] = (size >>> 16) & 0xff;
  out[o + 7] = (size >>> 24) & 0xff;
  if (mode === 'nested') return new Uint8Array(gzipSync(out, { level: 9 }));
  return out;
}

/** A valid profile head: one sample type, location 1 → function 1 (`main.f`), the string table. */
function bombHead() {
  const w = new Writer(64);
  const vt = new Writer(8);
  vt.field(1, 1);
  vt.field(2, 2);
  w.message(1, vt);
  const line = new Writer(8);
  line.field(1, 1);
  const loc = new Writer(16);
  loc.field(1, 1);
  loc.message(4, line);
  w.message(4, loc);
  const fn = new Writer(8);
  fn.field(1, 1);
  fn.field(2, 3);
  w.message(5, fn);
  for (const s of ['', 'samples', 'count', 'main.f']) {
    const b = enc.encode(s);
    w.varint(6 * 8 + 2);
    w.varint(b.length);
    w.bytes(b);
  }
  return w.done();
}

/** One sample at location 1 with value 1, in 7 bytes. */
const SMALL_SAMPLE = Uint8Array.of(0x12, 0x05, 0x0a, 0x01, 0x01, 0x10, 0x01);

/**
 * A sample bomb: a valid profile head followed by `count` copies of one small top-level message
 * (by default a 7-byte sample; `record` may be any bytes, e.g. an empty location `0x22 0x00`).
 * Uncompressed; see `sampleBombGzip` for the gzip form.
 */
export function sampleBomb(count, record = SMALL_SAMPLE) {
  const head = bombHead();
  const out = new Uint8Array(head.length + count * record.length);
  out.set(head, 0);
  for (let i = 0, o = head.length; i < count; i++, o += record.length) out.set(record, o);
  return out;
}

/**
 * The gzip form of a sample bomb of about `mib` MiB, built like `gzipBomb`'s stream: the head,
 * then one compressed segment of whole samples repeated (a 1.2 MB file holds ~600 MiB). The
 * trailer's CRC is not computed: the caps must refuse it long before the end.
 */
export function sampleBombGzip(mib, record = SMALL_SAMPLE) {
  const per = Math.floor(MiB / record.length);
  const chunk = new Uint8Array(per * record.length);
  for (let i = 0; i < per; i++) chunk.set(record, i * record.length);
  const headSeg = deflateRawSync(bombHead(), { finishFlush: constants.Z_SYNC_FLUSH });
  const seg = deflateRawSync(chunk, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const gzHead = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255];
  const out = new Uint8Array(gzHead.length + headSeg.length + seg.length * mib + 2 + 8);
  out.set(gzHead, 0);
  let o = gzHead.length;
  out.set(headSeg, o);
  o += headSeg.length;
  for (let i = 0; i < mib; i++, o += seg.length) out.set(seg, o);
  out[o++] = 0x03;
  out[o++] = 0x00;
  return out;
}
