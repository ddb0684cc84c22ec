/**
 * Text profile importers: cleans a paste, picks the form of the text and parses it into the shared
 * model.
 *
 *  - Go `debug=1` heap/allocs text ............ heap-text.ts
 *  - Go `debug=1` goroutine/threadcreate text .. count-text.ts
 *  - Go `debug=1` mutex/block text ............. contention-text.ts
 *  - `debug=1` records whose header was cut ..... debug1-excerpt.ts
 *  - goroutine `debug=2` dumps, panic and SIGQUIT tracebacks ... goroutine-dump.ts
 *  - `go tool pprof -raw` ....................... raw-text.ts
 *  - `go tool pprof -traces` .................... traces-text.ts
 *  - pasted `go tool pprof -top` tables ......... top-table.ts (old pprof's `Total: N MB` ones: legacy-top.ts)
 *  - `go tool pprof -peek` / `-tree` ............ peek-tree.ts
 *  - `go tool pprof -list` / weblist text ....... list-text.ts
 * Several table reports in one paste (a top table and a list) are read together (merge-tables.ts).
 *
 * Every text first goes through clean.ts (prompts, log prefixes, quote markers, code fences, HTML,
 * hard wraps, hand notes). The `debug=1` formats are recognised, as pprof does, by their first line
 * (blank and `#` lines before it skipped); the other forms may sit inside other text. An
 * indentation shared by all lines (a pasted block) is removed; when nothing is found, a Markdown
 * indented block under a line of prose is read on its own. Pieces too small to read — `#` frame
 * lines of a debug=1 record without the record line, frames from inside one goroutine's stack
 * without its header — get an error that says so rather than "not a profile".
 *
 * Environment-neutral: no Node-only imports.
 */
import type { Profile } from '../../profile/model.js';
import { FormatError } from '../../errors.js';
import { type CleanResult, cleanPaste } from './clean.js';
import { parseContentionText, CONTENTION_HEADER_RE } from './contention-text.js';
import { COUNT_HEADER_RE, parseCountText } from './count-text.js';
import { findDebug1Excerpt, parseDebug1Excerpt } from './debug1-excerpt.js';
import { looksLikeGoroutineDump, parseGoroutineDump } from './goroutine-dump.js';
import { isHeapHeader, parseHeapText } from './heap-text.js';
import { findLegacyTotal, parseLegacyTop } from './legacy-top.js';
import { parseFrameLine } from './go-frames.js';
import { dedent, isBlank, lineError } from './lines.js';
import { looksLikeList, parseList } from './list-text.js';
import { mergeTables } from './merge-tables.js';
import { looksLikePeek, parsePeek } from './peek-tree.js';
import { looksLikeRaw, parseRaw } from './raw-text.js';
import { looksLikeTopTable, parseTopTable } from './top-table.js';
import { looksLikeTraces, parseTraces } from './traces-text.js';

/** The forms read, for the error on text that is none of them. */
export const TEXT_FORMS = 'profile.proto, debug=1/2 text or excerpts, tracebacks, pprof top/peek/tree/list/traces/raw';

/**
 * Parses a text profile. Returns `undefined` when the text is none of the formats we read;
 * throws `FormatError` (message naming the line) when it is one of them but cannot be parsed.
 */
export function parseTextProfile(text: string): Profile | undefined {
  const cleaned = cleanPaste(text);
  if (!cleaned.unwrapped) return parseClean(cleaned);
  // Joining wrapped lines is a guess from line lengths: when the joined text is not a profile,
  // the text as given may be one.
  let p: Profile | undefined;
  try {
    p = parseClean(cleaned);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    const again = tryParse(cleanPaste(text, { unwrap: false }));
    if (again) return again;
    throw err;
  }
  return p ?? tryParse(cleanPaste(text, { unwrap: false }));
}

function tryParse(cleaned: CleanResult): Profile | undefined {
  try {
    return parseClean(cleaned);
  } catch (err) {
    if (err instanceof FormatError) return undefined;
    throw err;
  }
}

function parseClean(cleaned: CleanResult): Profile | undefined {
  const { lines, endsWithNewline } = cleaned;
  dedent(lines);
  let p = parseCleaned(lines, endsWithNewline, cleaned.commands);
  if (!p) {
    // A Markdown indented code block under a line of prose: the block alone, dedented.
    const block = indentedBlock(lines);
    if (block) {
      p = parseCleaned(block, endsWithNewline, cleaned.commands);
      if (p) p.source.notes.push('Only the indented block of the paste was read; the text around it was left out.');
    }
  }
  if (p && cleaned.notes.length > 0) p.source.notes.push(...cleaned.notes);
  const headerAt = p ? -1 : lines.findIndex((l) => REPORT_HEADER_RE.test(l));
  if (headerAt >= 0) {
    throw lineError(
      headerAt,
      'the header of a go tool pprof report, but no rows under it: the paste is cut off before its first row',
    );
  }
  const listAt = p ? -1 : lines.findIndex((l) => LIST_SOURCE_RE.test(l));
  if (listAt >= 0 && lines.filter((l) => LIST_SOURCE_RE.test(l)).length >= 3) {
    throw lineError(
      listAt,
      'source lines of a go tool pprof list report, but no ROUTINE line: the paste is cut off before the routine it lists',
    );
  }
  if (!p) refuseFragment(lines);
  return p;
}

/**
 * The lines of the largest block indented by 4 or more spaces or a tab (blank lines inside it
 * kept), with every other line blanked and the block dedented; undefined when there is no such
 * block of 3 lines or more, or when it is the whole text (already dedented).
 */
function indentedBlock(lines: readonly string[]): string[] | undefined {
  let best: [number, number] | undefined;
  let bestN = 0;
  for (let i = 0; i < lines.length; ) {
    if (!INDENTED_RE.test(lines[i]!)) {
      i++;
      continue;
    }
    let j = i;
    let n = 0;
    let last = i;
    while (j < lines.length && (isBlank(lines[j]!) || INDENTED_RE.test(lines[j]!))) {
      if (!isBlank(lines[j]!)) {
        n++;
        last = j;
      }
      j++;
    }
    if (n > bestN) {
      bestN = n;
      best = [i, last];
    }
    i = j;
  }
  if (!best || bestN < 3) return undefined;
  const [from, to] = best;
  if (lines.every((l, i) => (i >= from && i <= to) || isBlank(l))) return undefined;
  const out = lines.map((l, i) => (i >= from && i <= to ? l : ''));
  dedent(out);
  return out;
}

const INDENTED_RE = /^(?: {4}|\t)/;

/**
 * Text that is a piece of a profile too small to read gets an error saying what it is and what is
 * missing, rather than "not a profile": `#` frame lines of a debug=1 record without the record
 * line that holds the counts, or the frames of one goroutine's stack without a `goroutine N
 * [state]:` line.
 */
function refuseFragment(lines: readonly string[]): void {
  let frames = -1;
  let nFrames = 0;
  let tb = -1;
  let nTb = 0;
  for (let i = 0; i < lines.length && i < 5000; i++) {
    const t = lines[i]!.trim();
    if (t.startsWith('#') && parseFrameLine(t)?.name) {
      if (frames < 0) frames = i;
      nFrames++;
    } else if (TB_FILE_RE.test(lines[i]!) && i > 0 && /\)\s*$/.test(lines[i - 1]!)) {
      if (tb < 0) tb = i - 1;
      nTb++;
    }
  }
  if (nFrames >= 2) {
    throw lineError(
      frames,
      `${nFrames} frame lines ("# 0x… func+0x…") of a debug=1 profile, but no record line above them ("N @ 0x…", with the counts): the paste starts below its first record, and frames alone carry no numbers`,
    );
  }
  if (nTb >= 2) {
    throw lineError(
      tb,
      `${nTb} frames of a goroutine traceback, but no "goroutine N [state]:" line: the paste is cut from inside one stack, which tells neither how many goroutines there are nor their state`,
    );
  }
}

/** A traceback file line: tab- or space-indented path, line number and `+0x` offset. */
const TB_FILE_RE = /^[\t ]+\S*:\d+ \+0x[0-9a-fA-F]+(?: fp=\S+ sp=\S+ pc=\S+)?\s*$/;

/** A `list` source line: flat, cum, line number. */
const LIST_SOURCE_RE = /^\s*(?:\.|-?[\d.]+[A-Za-zµ]*)\s+(?:\.|-?[\d.]+[A-Za-zµ]*)\s+\d+:/;

/** Lines only a go tool pprof report header has. */
const REPORT_HEADER_RE =
  /^\s*(?:Showing nodes accounting for \S+, \S+% of \S+ total|Type: \w+\s*$|Build ID: [0-9a-f]+\s*$)/;

function parseCleaned(lines: string[], endsWithNewline: boolean, commands: string[]): Profile | undefined {
  let first = 0;
  while (first < lines.length && (lines[first]!.trim() === '' || lines[first]!.trimStart().startsWith('#'))) first++;
  if (first < lines.length) {
    const line = lines[first]!;
    if (isHeapHeader(line)) return parseHeapText(lines, first, endsWithNewline);
    if (COUNT_HEADER_RE.test(line)) return parseCountText(lines, first, endsWithNewline);
    if (CONTENTION_HEADER_RE.test(line)) return parseContentionText(lines, first, endsWithNewline);
  }
  if (looksLikeRaw(lines)) return parseRaw(lines, endsWithNewline);
  if (looksLikeTraces(lines)) return parseTraces(lines, endsWithNewline);
  if (looksLikeGoroutineDump(lines)) return parseGoroutineDump(lines, endsWithNewline);
  const excerpt = findDebug1Excerpt(lines);
  if (excerpt) return parseDebug1Excerpt(lines, excerpt, endsWithNewline);

  const tables: Profile[] = [];
  if (looksLikeTopTable(lines)) {
    const legacy = findLegacyTotal(lines);
    const cum = commands.some((c) => /(?:^|\s)-cum\b/.test(c) && /pprof|^top\b/.test(c));
    const top = legacy >= 0 ? parseLegacyTop(lines, legacy) : parseTopTable(lines, { cum });
    top.source.lacks ??= ['stacks', 'sample-types', 'labels'];
    tables.push(top);
  }
  if (looksLikePeek(lines)) tables.push(parsePeek(lines, peekOrTree(lines, commands)));
  if (looksLikeList(lines)) tables.push(parseList(lines));
  return tables.length > 0 ? mergeTables(tables) : undefined;
}

/** peek and tree print the same layout: the command says which, else pprof's "Showing top N" (tree only). */
function peekOrTree(lines: string[], commands: string[]): 'peek' | 'tree' {
  for (let i = commands.length - 1; i >= 0; i--) {
    if (/(?:^|\s)-{0,2}tree\b/.test(commands[i]!)) return 'tree';
    if (/(?:^|\s)-{0,2}peek\b/.test(commands[i]!)) return 'peek';
  }
  return lines.some((l) => /^\s*Showing top \d+ nodes out of \d+/.test(l)) ? 'tree' : 'peek';
}

export { parseContentionText } from './contention-text.js';
export { parseCountText } from './count-text.js';
export { parseGoroutineDump } from './goroutine-dump.js';
export { parseHeapText, scaleHeapSample } from './heap-text.js';
export { parseTopTable } from './top-table.js';
export { parsePeek } from './peek-tree.js';
export { parseList } from './list-text.js';
export { parseTraces } from './traces-text.js';
export { parseRaw } from './raw-text.js';
export { cleanPaste } from './clean.js';
