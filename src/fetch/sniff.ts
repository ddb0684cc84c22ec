/**
 * What did the server send? Tells a profile (gzipped or raw pprof protobuf, or one of the text forms
 * net/http/pprof serves with ?debug=N) from what is not one (an HTML login page, an execution trace,
 * an empty body). Pure code (no Node modules).
 */

export type ContentKind =
  /** gzip stream (how Go serves every pprof profile) */
  | 'pprof-gzip'
  /** uncompressed pprof protobuf */
  | 'pprof'
  /** debug=1/2 text: goroutine dumps, heap/allocs text, contention text, threadcreate */
  | 'text-profile'
  | 'html'
  | 'go-trace'
  | 'empty'
  | 'text'
  | 'binary';

export interface Sniffed {
  kind: ContentKind;
  /** True for the kinds the rest of pprof-doctor can read. */
  isProfile: boolean;
  /** File name extension for the saved bytes, with the dot. */
  ext: string;
  /** Human description for messages, e.g. 'an HTML page ("Sign in")'. */
  description: string;
}

const TEXT_PROFILE_PREFIXES = [
  'goroutine profile: total ', // goroutine?debug=1
  'heap profile: ', // heap/allocs?debug=1
  'threadcreate profile: total ', // threadcreate?debug=1
  '--- contention:', // block/mutex?debug=1
  '--- mutex:',
];
const GOROUTINE_DUMP_RE = /^goroutine \d+ (?:gp=\S+ m=\S+ )?(?:mp=\S+ )?\[/; // goroutine?debug=2

export function sniffContent(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { kind: 'empty', isProfile: false, ext: '.bin', description: 'an empty body' };
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return { kind: 'pprof-gzip', isProfile: true, ext: '.pb.gz', description: 'a gzipped profile' };
  }
  const head = latin1(bytes, 512);
  if (head.startsWith('go 1.') && head.includes(' trace\0')) {
    return {
      kind: 'go-trace',
      isProfile: false,
      ext: '.trace',
      description: 'a Go execution trace (open it with `go tool trace`)',
    };
  }
  const trimmed = head.replace(/^\uFEFF/, '').trimStart();
  if (TEXT_PROFILE_PREFIXES.some((p) => trimmed.startsWith(p)) || GOROUTINE_DUMP_RE.test(trimmed)) {
    return { kind: 'text-profile', isProfile: true, ext: '.txt', description: 'a text profile' };
  }
  if (/^<(?:!doctype html|html|head|body|\?xml|!--)/i.test(trimmed) || /<html[\s>]/i.test(head)) {
    const title = /<title[^>]*>([^<]*)/i.exec(latin1(bytes, 8192))?.[1]?.trim();
    return {
      kind: 'html',
      isProfile: false,
      ext: '.html',
      description: title ? `an HTML page ("${printable(title, 60)}")` : 'an HTML page',
    };
  }
  if (isProtobufProfile(bytes)) return { kind: 'pprof', isProfile: true, ext: '.pb', description: 'a pprof protobuf' };
  if (looksLikeText(bytes)) {
    const first = firstLine(bytes, 60);
    return { kind: 'text', isProfile: false, ext: '.txt', description: first ? `text ("${first}")` : 'text' };
  }
  return { kind: 'binary', isProfile: false, ext: '.bin', description: 'unrecognised binary data' };
}

// Wire type of each top-level field of perftools.profiles.Profile (profile.proto), by field number.
// 0 = varint, 2 = length-delimited. The repeated scalar (13 comment) may be packed or not.
const PROFILE_FIELD_WIRE: ReadonlyArray<ReadonlyArray<number>> = [
  [], // 0: invalid
  [2], // 1 sample_type
  [2], // 2 sample
  [2], // 3 mapping
  [2], // 4 location
  [2], // 5 function
  [2], // 6 string_table
  [0], // 7 drop_frames
  [0], // 8 keep_frames
  [0], // 9 time_nanos
  [0], // 10 duration_nanos
  [2], // 11 period_type
  [0], // 12 period
  [0, 2], // 13 comment (packed or not)
  [0], // 14 default_sample_type
  [2], // 15 doc_url
];

/**
 * A structural check of an uncompressed pprof protobuf: every top-level field has a Profile field
 * number with its wire type, and the lengths add up exactly to the end of the buffer. Does not
 * allocate. (A check, not a decoder: it catches HTML, JSON and truncated data, which is its job.)
 */
export function isProtobufProfile(bytes: Uint8Array): boolean {
  let pos = 0;
  const n = bytes.length;
  let fields = 0;
  while (pos < n) {
    // tag
    let tag = 0;
    let shift = 0;
    let b: number;
    do {
      if (pos >= n || shift > 28) return false;
      b = bytes[pos++]!;
      tag += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    const allowed = PROFILE_FIELD_WIRE[field];
    if (!allowed?.includes(wire)) return false;
    if (wire === 0) {
      let i = 0;
      do {
        if (pos >= n || i++ >= 10) return false;
        b = bytes[pos++]!;
      } while (b & 0x80);
    } else {
      let len = 0;
      shift = 0;
      do {
        if (pos >= n || shift > 49) return false;
        b = bytes[pos++]!;
        len += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      if (len > n - pos) return false;
      pos += len;
    }
    fields++;
  }
  return fields > 0;
}

function latin1(bytes: Uint8Array, max: number): string {
  const end = Math.min(bytes.length, max);
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function looksLikeText(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 4096);
  let bad = 0;
  for (let i = 0; i < end; i++) {
    const c = bytes[i]!;
    if (c === 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20)) bad++;
  }
  return bad * 20 < end;
}

/** The first non-empty line of `bytes`, decoded as UTF-8, control characters removed, cut to `max`. */
export function firstLine(bytes: Uint8Array, max: number): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return printable(line.trim(), max);
}

/** Removes control characters and cuts to `max` characters (with '…'). */
export function printable(s: string, max: number): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
