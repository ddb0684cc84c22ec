/**
 * Text profile importers: picks the format of a text input and parses it into the shared model.
 *
 *  - Go `debug=1` heap/allocs text ............ heap-text.ts
 *  - Go `debug=1` goroutine/threadcreate text .. count-text.ts
 *  - Go `debug=1` mutex/block text ............. contention-text.ts
 *  - goroutine `debug=2` dumps, panic and SIGQUIT tracebacks ... goroutine-dump.ts
 *  - pasted `go tool pprof -top` tables ......... top-table.ts
 *
 * The `debug=1` formats are recognised, as pprof does, by their first line (blank and `#` lines
 * before it skipped); dumps and tables may sit inside other text (a log, a chat message). Line
 * endings may be LF, CRLF or CR, and an indentation shared by all lines (a pasted block) is removed.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { Profile } from '../../profile/model.js';
import { parseContentionText, CONTENTION_HEADER_RE } from './contention-text.js';
import { COUNT_HEADER_RE, parseCountText } from './count-text.js';
import { looksLikeGoroutineDump, parseGoroutineDump } from './goroutine-dump.js';
import { isHeapHeader, parseHeapText } from './heap-text.js';
import { dedent, splitLines } from './lines.js';
import { looksLikeTopTable, parseTopTable } from './top-table.js';

/**
 * Parses a text profile. Returns `undefined` when the text is none of the formats we read;
 * throws `FormatError` (message naming the line) when it is one of them but cannot be parsed.
 */
export function parseTextProfile(text: string): Profile | undefined {
  const { lines, endsWithNewline } = splitLines(text);
  dedent(lines);

  let first = 0;
  while (first < lines.length && (lines[first]!.trim() === '' || lines[first]!.trimStart().startsWith('#'))) first++;
  if (first < lines.length) {
    const line = lines[first]!;
    if (isHeapHeader(line)) return parseHeapText(lines, first, endsWithNewline);
    if (COUNT_HEADER_RE.test(line)) return parseCountText(lines, first, endsWithNewline);
    if (CONTENTION_HEADER_RE.test(line)) return parseContentionText(lines, first, endsWithNewline);
  }
  if (looksLikeGoroutineDump(lines)) return parseGoroutineDump(lines, endsWithNewline);
  if (looksLikeTopTable(lines)) return parseTopTable(lines);
  return undefined;
}

export { parseContentionText } from './contention-text.js';
export { parseCountText } from './count-text.js';
export { parseGoroutineDump } from './goroutine-dump.js';
export { parseHeapText, scaleHeapSample } from './heap-text.js';
export { parseTopTable } from './top-table.js';
