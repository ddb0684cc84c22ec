/**
 * The record layout shared by Go's `debug=1` text profiles (heap/allocs in heap-text.ts,
 * goroutine/threadcreate in count-text.ts, mutex/block in contention-text.ts). After the header,
 * each record is one line of numbers and return PCs followed by a `#` line per symbolized frame;
 * blank lines separate records:
 *
 *   1: 3145728 [1: 3145728] @ 0x4eed4c 0x4eff94
 *   #	0x4eed4b	main.allocBig+0x2b	/src/main.go:79
 *
 * `Debug1Reader` walks those lines. It yields each record as soon as its line is read, so the
 * importer checks the numbers (and names that line in its error) before anything further on is
 * read; the record's frames are filled in from the `#` lines that follow. What the numbers mean,
 * and `#` lines that are not frames (goroutine `# labels:`, the heap's `# runtime.MemStats`
 * trailer), are the importer's business: those are yielded as comments.
 *
 * Environment-neutral.
 */
import type { ProfileBuilder } from './builder.js';
import { parseAddressList, parseFrameLine, StackResolver, type SymFrame } from './go-frames.js';
import { excerpt, isBlank, lineError } from './lines.js';

/** What tells one format's records apart. */
export interface Debug1Format {
  /** Matches a whole record line; its last capture group is the `@` part (the return PCs). */
  record: RegExp;
  /** What a record line looks like, for the error on a line that is none: `expected <this>, got "…"`. */
  expected: string;
  /** End at a line starting with `---` (as pprof does for goroutine, mutex and block texts). */
  stopAtDashes: boolean;
}

/** One record: its line, the format's match of it, its PCs, and the frames of its `#` lines. */
export interface Debug1Record {
  kind: 'record';
  /** 0-based index of the record line (`lineError` takes it as is). */
  line: number;
  match: RegExpExecArray;
  pcs: number[];
  /** Filled while reading goes on: complete once the reader has moved past the record. */
  frames: SymFrame[];
}

/** A `#` line that is not a frame, and the record it stands in (none after a blank line). */
export interface Debug1Comment {
  kind: 'comment';
  line: number;
  /** The line without its leading white space (it starts with `#`). */
  text: string;
  record: Debug1Record | undefined;
}

/** Said by every importer whose input stops in the middle of its last line. */
export const CUT_LINE_NOTE = 'The input ends in the middle of a line; that line was ignored.';

export class Debug1Reader {
  /** Every record read so far, in order. */
  readonly records: Debug1Record[] = [];
  /** Set when the last line was cut off (no final newline) and does not read as a record: it is skipped. */
  cutLine = false;
  /** Holds the records' stacks once `stacks()` ran (its counts feed the importers' notes). */
  readonly resolver = new StackResolver();

  constructor(
    private readonly lines: readonly string[],
    private readonly start: number,
    private readonly endsWithNewline: boolean,
    private readonly format: Debug1Format,
  ) {}

  /** Records and non-frame comments, in input order. An importer may stop early (`break`). */
  *read(): Generator<Debug1Record | Debug1Comment, void, undefined> {
    const { lines, format } = this;
    let cur: Debug1Record | undefined;
    for (let i = this.start; i < lines.length; i++) {
      const line = lines[i]!;
      if (isBlank(line)) {
        cur = undefined; // frame lines after a blank line belong to no record, as in pprof
        continue;
      }
      const t = line.trimStart();
      if (format.stopAtDashes && t.startsWith('---')) return;
      if (t.startsWith('#')) {
        const f = parseFrameLine(t);
        if (!f) yield { kind: 'comment', line: i, text: t, record: cur };
        else if (cur) cur.frames.push(f);
        continue;
      }
      const m = format.record.exec(line);
      if (!m) {
        if (i === lines.length - 1 && !this.endsWithNewline) {
          this.cutLine = true;
          return;
        }
        throw lineError(i, `expected ${format.expected}, got ${excerpt(line)}`);
      }
      cur = { kind: 'record', line: i, match: m, pcs: parseAddressList(m[m.length - 1]!), frames: [] };
      this.records.push(cur);
      yield cur;
    }
  }

  /** Location indices (leaf first) of every record read, in order. Call once, after reading. */
  stacks(b: ProfileBuilder): number[][] {
    for (const r of this.records) this.resolver.add(r.pcs, r.frames);
    return this.resolver.resolve(b);
  }

  /** The note on records without `#` lines, when there were any (after `stacks()`). */
  addressOnlyNotes(): string[] {
    const n = this.resolver.addressOnly;
    return n > 0 ? [`${n} record(s) had no symbol lines: their frames are bare addresses.`] : [];
  }
}
