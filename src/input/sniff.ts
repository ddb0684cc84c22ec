/**
 * What the first bytes of an input say before it is decoded: well-known binary formats by their
 * magic bytes (detect.ts words its errors with them), and refuseHead, which lets the gzip step
 * refuse a large stream from its first decompressed kilobytes instead of inflating up to the size
 * cap (a gzip of gigabytes of zero bytes: refused at once rather than after a gigabyte and seconds).
 * Small on purpose: the loader imports it without the text importers. Environment-neutral.
 */

function startsWith(data: Uint8Array, ...sig: number[]): boolean {
  if (data.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (data[i] !== sig[i]) return false;
  return true;
}

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

/** Well-known binary formats, by their magic bytes. */
export function knownBinary(d: Uint8Array): string | undefined {
  if (startsWith(d, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'a PNG image, not a profile';
  if (startsWith(d, 0xff, 0xd8, 0xff)) return 'a JPEG image, not a profile';
  if (startsWith(d, ...ascii('GIF8'))) return 'a GIF image, not a profile';
  if (startsWith(d, ...ascii('%PDF-'))) return 'a PDF document, not a profile';
  if (startsWith(d, 0x7f, 0x45, 0x4c, 0x46)) {
    return 'an ELF executable, not a profile (give the profile file; pprof-doctor does not need the binary)';
  }
  if (startsWith(d, ...ascii('PK'), 0x03, 0x04)) return 'a zip archive, not a profile (unpack it first)';
  if (startsWith(d, ...ascii('PERFILE2'))) {
    return 'a Linux perf.data file, not a pprof profile (convert it with perf_to_profile first)';
  }
  if (startsWith(d, 0x28, 0xb5, 0x2f, 0xfd))
    return 'zstd-compressed data; decompress it first (pprof profiles use gzip)';
  if (startsWith(d, 0xfd, ...ascii('7zXZ'), 0x00))
    return 'xz-compressed data; decompress it first (pprof profiles use gzip)';
  if (startsWith(d, ...ascii('BZh')) && d.length > 3 && d[3]! >= 0x31 && d[3]! <= 0x39) {
    return 'bzip2-compressed data; decompress it first (pprof profiles use gzip)';
  }
  if (isLegacyCpu(d)) {
    return 'a legacy gperftools CPU profile, which pprof-doctor does not read (convert it with `go tool pprof -proto`)';
  }
  return undefined;
}

/** gperftools CPU profile header: words 0, 3, 0 (32- or 64-bit, either byte order). */
function isLegacyCpu(d: Uint8Array): boolean {
  for (const w of [4, 8]) {
    if (d.length < 5 * w) continue;
    const word = (i: number, le: boolean): number => {
      let v = 0;
      for (let k = 0; k < w; k++) {
        const b = d[i * w + (le ? w - 1 - k : k)]!;
        v = v * 256 + b;
      }
      return v;
    };
    for (const le of [true, false]) {
      if (word(0, le) === 0 && word(1, le) === 3 && word(2, le) === 0) return true;
    }
  }
  return false;
}

/**
 * Why data starting with `head` (the first decompressed bytes of a gzip stream) cannot be a
 * profile, or undefined when it may be one. Only a leading zero byte is judged: profile.proto
 * cannot start with one (field 0 does not exist), text profiles have no NUL byte, and UTF-16
 * starts with its byte-order mark; the message is the one the full decode would end with.
 */
export function refuseHead(head: Uint8Array): string | undefined {
  if (head.length === 0 || head[0] !== 0) return undefined;
  const magic = knownBinary(head);
  if (magic) return magic;
  return `not a pprof profile: gzip-compressed data that is not a profile inside (starts with ${hexHead(head)}; a profile never starts with a zero byte)`;
}

/** The first 8 bytes in hex ("0a 1b 2c …"), as the "not a pprof profile" errors show them. */
export function hexHead(data: Uint8Array): string {
  return Array.from(data.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
