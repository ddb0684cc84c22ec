import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/errors.js';
import { ProfileBuilder } from '../../../src/input/text/builder.js';
import {
  type Debug1Comment,
  type Debug1Format,
  Debug1Reader,
  type Debug1Record,
} from '../../../src/input/text/debug1-records.js';
import { splitLines } from '../../../src/input/text/lines.js';

/** A goroutine-style record line: `<count> @ 0x…`. */
const FORMAT: Debug1Format = {
  record: /^\s*(\d+) @((?:\s+0x[0-9a-fA-F]+)*)\s*$/,
  expected: "a '<count> @ 0x…' record",
  stopAtDashes: true,
};

function reader(text: string, format: Debug1Format = FORMAT): Debug1Reader {
  const { lines, endsWithNewline } = splitLines(text);
  return new Debug1Reader(lines, 1, endsWithNewline, format);
}

/** Reads everything; returns the records and comments in the order they were yielded. */
function readAll(r: Debug1Reader): (Debug1Record | Debug1Comment)[] {
  return [...r.read()];
}

/** Record line numbers (1-based, as in messages), counts and frame names: the shape of what was read. */
function shape(records: readonly Debug1Record[]) {
  return records.map((r) => ({ line: r.line + 1, count: r.match[1], pcs: r.pcs, frames: r.frames.map((f) => f.name) }));
}

const TWO_RECORDS = [
  'goroutine profile: total 3',
  '2 @ 0x43a4b6 0x4eef87',
  '#\t0x4eef86\tmain.recv+0x26\t/src/main.go:94',
  '#\t0x4eef74\tmain.worker+0x14\t/src/main.go:98',
  '',
  '1 @ 0x466981',
  '#\t0x466980\tmain.main+0x20\t/src/main.go:10',
  '',
].join('\n');

describe('Debug1Reader: record boundaries and frame lines', () => {
  it('yields each record with its line, numbers and PCs, and gives it the # lines that follow', () => {
    const r = reader(TWO_RECORDS);
    const items = readAll(r);
    expect(items.map((i) => i.kind)).toEqual(['record', 'record']);
    expect(shape(r.records)).toEqual([
      { line: 2, count: '2', pcs: [0x43a4b6, 0x4eef87], frames: ['main.recv', 'main.worker'] },
      { line: 6, count: '1', pcs: [0x466981], frames: ['main.main'] },
    ]);
    expect(r.records[0]!.frames[0]).toMatchObject({
      pc: 0x4eef86,
      entry: 0x4eef86 - 0x26,
      file: '/src/main.go',
      line: 94,
    });
    expect(r.cutLine).toBe(false);
  });

  it('starts a new record at a record line even without a blank line before it', () => {
    const r = reader(
      'goroutine profile: total 2\n1 @ 0x10\n#\t0xf\tmain.a+0xf\t/a.go:1\n1 @ 0x20\n#\t0x1f\tmain.b+0x1f\t/a.go:2\n',
    );
    readAll(r);
    expect(shape(r.records).map((s) => s.frames)).toEqual([['main.a'], ['main.b']]);
  });

  it('gives # lines after a blank line to no record', () => {
    const r = reader('goroutine profile: total 1\n1 @ 0x10\n\n#\t0xf\tmain.a+0xf\t/a.go:1\n# labels: {"a":"b"}\n');
    const items = readAll(r);
    expect(r.records[0]!.frames).toEqual([]);
    expect(items[1]).toMatchObject({ kind: 'comment', line: 4, text: '# labels: {"a":"b"}', record: undefined });
  });

  it('reads an unsymbolized frame (`#\\t0x0`) as a frame with no name', () => {
    const r = reader('threadcreate profile: total 6\n6 @\n#\t0x0\n');
    readAll(r);
    expect(r.records[0]!.pcs).toEqual([]);
    expect(r.records[0]!.frames).toEqual([{ pc: 0, entry: 0, name: '', file: '', line: 0 }]);
  });

  it('yields # lines that are not frames as comments of the record they stand in', () => {
    const r = reader('goroutine profile: total 1\n1 @ 0x10\n  # labels: {"w":"a"}\n#\t0xf\tmain.a+0xf\t/a.go:1\n');
    const items = readAll(r);
    expect(items).toHaveLength(2);
    const comment = items[1] as Debug1Comment;
    expect(comment).toMatchObject({ kind: 'comment', line: 2, text: '# labels: {"w":"a"}' });
    expect(comment.record).toBe(r.records[0]);
    expect(r.records[0]!.frames.map((f) => f.name)).toEqual(['main.a']); // the comment does not end the record
  });

  it('yields a record before reading its frames, so a consumer can refuse it before a later line is read', () => {
    const r = reader('goroutine profile: total 1\n1 @ 0x10\n#\t0xf\tmain.a+0xf\t/a.go:1\nnot a record\n');
    const framesWhenYielded: number[] = [];
    const read = () => {
      for (const item of r.read()) {
        if (item.kind !== 'record') continue;
        framesWhenYielded.push(item.frames.length);
        throw new FormatError(`line ${item.line + 1}: refused`);
      }
    };
    expect(read).toThrow(/^line 2: refused$/);
    expect(framesWhenYielded).toEqual([0]);
  });

  it('lets a consumer stop early; what was read stays', () => {
    const r = reader(`${TWO_RECORDS}\ngarbage that would be an error\n`);
    for (const item of r.read()) if (item.kind === 'record' && item.line === 5) break;
    expect(shape(r.records).map((s) => s.line)).toEqual([2, 6]);
  });
});

describe('Debug1Reader: ends and errors', () => {
  it('stops at a --- line when the format says so, and refuses it otherwise', () => {
    const text = 'goroutine profile: total 1\n1 @ 0x10\n--- memory map\ngarbage\n';
    const r = reader(text);
    readAll(r);
    expect(r.records).toHaveLength(1);
    expect(() => readAll(reader(text, { ...FORMAT, stopAtDashes: false }))).toThrow(
      /^line 3: expected a '<count> @ 0x…' record, got "--- memory map"$/,
    );
  });

  it('refuses a line that is no record with a one-line FormatError naming the line', () => {
    const read = () => readAll(reader('goroutine profile: total 1\n1 @ 0x10\n\n\tnot   a record\n\n1 @ 0x20\n'));
    expect(read).toThrow(FormatError);
    expect(read).toThrow(/^line 4: expected a '<count> @ 0x…' record, got "not a record"$/);
  });

  it('skips a cut-off last line and keeps the complete records before it', () => {
    // Cut inside the second record's line: "1 @ 0x4669" would still match, "1 @ 0x" does not.
    const cut = TWO_RECORDS.slice(0, TWO_RECORDS.indexOf('1 @ 0x466981') + '1 @ 0x'.length);
    const r = reader(cut);
    readAll(r);
    expect(r.cutLine).toBe(true);
    expect(shape(r.records)).toEqual([
      { line: 2, count: '2', pcs: [0x43a4b6, 0x4eef87], frames: ['main.recv', 'main.worker'] },
    ]);
    // The same line with its newline is a complete line, so it is an error, not a cut.
    expect(() => readAll(reader(`${cut}\n`))).toThrow(/^line 6: expected a '<count> @ 0x…' record, got "1 @ 0x"$/);
  });

  it('keeps a cut-off last line that still reads as a record', () => {
    const r = reader('goroutine profile: total 3\n2 @ 0x43a4b6 0x4e');
    readAll(r);
    expect(r.cutLine).toBe(false);
    expect(r.records[0]!.pcs).toEqual([0x43a4b6, 0x4e]);
  });

  it('reads CRLF lines as LF lines, whether or not the line ends were normalised first', () => {
    const crlf = TWO_RECORDS.replace(/\n/g, '\r\n');
    const normalised = reader(crlf);
    readAll(normalised);
    // Split on \n only: every line keeps its \r, which the reader takes as trailing white space.
    const raw = new Debug1Reader(crlf.split('\n'), 1, true, FORMAT);
    readAll(raw);
    const lf = reader(TWO_RECORDS);
    readAll(lf);
    expect(shape(normalised.records)).toEqual(shape(lf.records));
    expect(shape(raw.records)).toEqual(shape(lf.records));
    expect(raw.records.flatMap((r) => r.frames)).toEqual(lf.records.flatMap((r) => r.frames));
  });
});

describe('Debug1Reader: stacks', () => {
  it('resolves the stacks of all records in order, and notes records without # lines', () => {
    const r = reader('goroutine profile: total 2\n1 @ 0x10\n#\t0xf\tmain.a+0xf\t/a.go:1\n\n1 @ 0x20 0x30\n');
    readAll(r);
    const b = new ProfileBuilder(1);
    const stacks = r.stacks(b);
    expect(stacks).toHaveLength(2);
    expect(stacks[0]!.map((l) => b.functions[b.locations[l]!.lines[0]!.fn]!.name)).toEqual(['main.a']);
    // In a symbolized text, a record without # lines holds only hidden runtime frames: an empty stack.
    expect(stacks[1]).toEqual([]);
    expect(r.addressOnlyNotes()).toEqual([]);

    const bare = reader('goroutine profile: total 1\n1 @ 0x20 0x30\n');
    readAll(bare);
    const b2 = new ProfileBuilder(1);
    expect(bare.stacks(b2)[0]!.map((l) => b2.locations[l]!.address)).toEqual([0x1f, 0x2f]);
    expect(bare.addressOnlyNotes()).toEqual(['1 record(s) had no symbol lines: their frames are bare addresses.']);
  });
});
