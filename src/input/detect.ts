/**
 * What is in these bytes? Sniffs the content (never the file name), removes gzip, and hands the
 * data to the right importer: profile.proto first (as pprof does), then the text importers.
 * Everything that is not a profile gets a one-line, specific `InputError` naming the file.
 *
 * Environment-neutral: the gzip inflater is passed in or registered (see gzip.ts).
 */
import { FormatError, InputError } from '../errors.js';
import type { Profile } from '../profile/model.js';
import { DEFAULT_MAX_SIZE, type GunzipFn, inflateInput, recordInput } from './gzip.js';
import { hexHead, knownBinary, refuseHead } from './sniff.js';
import { type InputLimits, LimitError, resolveLimits } from './limits.js';
import { decodePprof, PprofDecodeError } from './pprof/decode.js';
import { parseTextProfile, TEXT_FORMS } from './text/index.js';

export interface ParseOptions {
  /** Cap on the decompressed size in bytes (default 1 GiB). */
  maxSize?: number;
  /** Inflater for gzip input; defaults to the registered one (Node's zlib once gzip-node.ts is loaded). */
  gunzip?: GunzipFn;
  /** Bounds on counts, stack depth and gzip ratio (limits.ts); defaults for the rest. */
  limits?: Partial<InputLimits>;
}

/**
 * Parses one profile from its bytes. `name` is the file name or URL used in error messages and
 * recorded in `profile.source.path`. The input array is never modified.
 */
export function parseProfileBytes(bytes: Uint8Array, name: string, opts: ParseOptions = {}): Profile {
  const limits = resolveLimits(opts.limits);
  const { data, layers } = inflateInput(
    bytes,
    name,
    opts.maxSize ?? DEFAULT_MAX_SIZE,
    opts.gunzip,
    limits.ratio,
    refuseHead,
  );
  let profile: Profile;
  try {
    profile = decodePprof(data, limits);
  } catch (err) {
    if (err instanceof LimitError) throw new InputError(name, err.message);
    if (!(err instanceof PprofDecodeError)) throw err;
    profile = identifyNonProto(data, name, layers > 0, err);
  }
  return recordInput(profile, name, bytes.length, layers);
}

/**
 * What the (inflated) data is, given that it did not decode as profile.proto: a text profile
 * (returned), or something else (a specific `InputError`). The loader calls this directly, so the
 * text importers are only loaded when a file is not profile.proto.
 */
export function identifyNonProto(
  data: Uint8Array,
  name: string,
  gzipped: boolean,
  protoError: PprofDecodeError,
): Profile {
  const text = looksLikeText(data);
  // The top level parsed as profile.proto, so this is a profile with a problem, not another format.
  // (Text never gets that far: a string table starts with a NUL byte. The one exception is the
  // concatenation check, which fires early; text that trips it still goes to the text importers.)
  if (!protoError.structural && !text) throw new InputError(name, protoError.message);

  const magic = knownBinary(data);
  if (magic) throw new InputError(name, magic);

  // UTF-16 with a byte-order mark: what Windows PowerShell's `>` writes. Read it as text.
  const utf16 = data.length >= 2 && data[0] === 0xff && data[1] === 0xfe ? 'utf-16le' : undefined;
  const utf16be = data.length >= 2 && data[0] === 0xfe && data[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16 ?? utf16be) {
    const content = new TextDecoder(utf16 ?? utf16be).decode(data);
    const parsed = parseText(content, name);
    if (parsed) {
      parsed.source.notes.push('the file is UTF-16 text (as PowerShell writes with ">"); it was read as such');
      return parsed;
    }
    throw new InputError(name, `${describeText(content)} (UTF-16 text)`);
  }

  if (text) {
    const content = new TextDecoder('utf-8').decode(data);
    const parsed = parseText(content, name);
    if (parsed) return parsed;
    throw new InputError(name, protoError.structural ? describeText(content) : protoError.message);
  }

  // Binary that did not parse. A cut-off download of an uncompressed profile fails near its end.
  if (/^truncated/.test(protoError.message) && protoError.offset > data.length / 2 && startsLikePprof(data)) {
    throw new InputError(name, `truncated pprof profile: ${protoError.message} (the download may have been cut off)`);
  }
  const head = hexHead(data);
  const what = gzipped ? 'gzip-compressed data that is not a profile inside' : 'unrecognized binary data';
  throw new InputError(
    name,
    `not a pprof profile: ${what} (starts with ${head}; protobuf decoding stopped with: ${clip(protoError.message)})`,
  );
}

/** The decoder's message, kept short enough for a one-line error. */
function clip(message: string, max = 120): string {
  return message.length > max ? `${message.slice(0, max - 1)}…` : message;
}

/** Go and every other writer start with sample_type (field 1, length-delimited: byte 0x0a). */
function startsLikePprof(data: Uint8Array): boolean {
  return data[0] === 0x0a;
}

function parseText(content: string, name: string): Profile | undefined {
  try {
    return parseTextProfile(content);
  } catch (err) {
    if (err instanceof FormatError) throw new InputError(name, err.message);
    throw err;
  }
}

/**
 * Text: no NUL byte, valid UTF-8 and almost no control characters in the first 64 KiB.
 */
function looksLikeText(d: Uint8Array): boolean {
  const n = Math.min(d.length, 65536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = d[i]!;
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) control++;
  }
  if (control > n / 100) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(d.subarray(0, n), { stream: n < d.length });
  } catch {
    return false;
  }
  return true;
}

/** Why a piece of text is not a profile we read. */
function describeText(text: string): string {
  const head = text
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    return 'JSON, not a pprof profile (pprof-doctor reads profile.proto files, usually .pb.gz, and Go text profiles)';
  }
  if (/^(<!doctype html|<html|<head|<body|<!--|<title|<meta|<div|<p>)/i.test(head) || /<html[\s>]/i.test(head)) {
    return 'an HTML page, not a profile (an error or login page was probably saved in place of the profile)';
  }
  if (/^(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'an SVG image, not a profile';
  const first = head.split(/\r?\n/, 1)[0] ?? '';
  const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  return `not a pprof profile: text in no format pprof-doctor reads (first line: ${JSON.stringify(shown)}; it reads ${TEXT_FORMS})`;
}
