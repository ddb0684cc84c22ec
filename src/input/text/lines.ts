/**
 * Line handling shared by the text importers. Environment-neutral (no Node-only imports).
 */
import { FormatError } from '../../errors.js';

/**
 * Splits text into lines: strips a UTF-8 byte-order mark, accepts LF, CRLF and lone CR endings.
 * A final newline does not produce an empty last line. `endsWithNewline` tells whether the last
 * line was terminated (a dump cut off mid-line usually is not).
 */
export function splitLines(text: string): { lines: string[]; endsWithNewline: boolean } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.indexOf('\r') >= 0) text = text.replace(/\r\n?/g, '\n');
  const endsWithNewline = text.endsWith('\n');
  const lines = text.split('\n');
  if (endsWithNewline) lines.pop();
  return { lines, endsWithNewline };
}

/**
 * Removes the white space that every non-blank line starts with (a dump pasted as an indented
 * block, e.g. in Markdown). Lines keep their own further indentation. Works in place.
 */
export function dedent(lines: string[]): void {
  let prefix: string | undefined;
  for (const l of lines) {
    if (isBlank(l)) continue;
    const c = l.charCodeAt(0);
    if (c !== 0x20 && c !== 0x09) return; // the common case: nothing to do
    const ws = /^[ \t]*/.exec(l)![0];
    if (prefix === undefined) prefix = ws;
    else {
      let k = 0;
      while (k < prefix.length && k < ws.length && prefix[k] === ws[k]) k++;
      prefix = prefix.slice(0, k);
    }
    if (prefix === '') return;
  }
  if (!prefix) return;
  for (let i = 0; i < lines.length; i++)
    lines[i] = lines[i]!.startsWith(prefix) ? lines[i]!.slice(prefix.length) : lines[i]!.trimStart();
}

/** A short, single-line excerpt of a line for error messages. */
export function excerpt(line: string, max = 60): string {
  // Control characters (binary junk) would each become a 6-character \u escape in the JSON.
  const flat = line
    .replace(/[\t ]+/g, ' ')
    .trim()
    .replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/** Go's math.MaxInt64 (2^63 - 1) as a double (= 2^63): record counts above it are not something Go wrote. */
export const INT64_MAX = 2 ** 63;

/** A FormatError naming the (1-based) line. */
export function lineError(lineIndex: number, problem: string): FormatError {
  return new FormatError(`line ${lineIndex + 1}: ${problem}`);
}

/** True for lines that hold nothing but white space. */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0b && c !== 0x0c) return false;
  }
  return true;
}

/**
 * Exact integer division truncated toward zero for integers whose sum stays below 2^53 (what Go's
 * int64 `a / b` gives). Plain `Math.trunc(a / b)` can round up to the next integer when the
 * quotient is a hair below it.
 */
export function intDiv(a: number, b: number): number {
  let q = Math.trunc(a / b);
  const r = a - q * b;
  // A truncated quotient leaves a remainder with the sign of the dividend; a remainder of the other
  // sign means the floating-point quotient was rounded one step away from zero.
  if (r !== 0 && r < 0 !== a < 0) q -= Math.sign(q);
  return q;
}
