/**
 * Excerpts of Go `debug=1` text profiles whose header was cut (`| head`, `grep -A`, a scrolled
 * terminal, a quote in an issue): the text starts at a record.
 *
 *   43832 @ 0x43fe6e 0x40a6a5 0x40a1fd 0x1018ea5 0x471b21          goroutine / threadcreate
 *   #	0x1018ea4	go.etcd.io/etcd/mvcc.(*watchableStore).syncWatchersLoop+0x2a4	…/watchable_store.go:222
 *
 *   46728: 47849472 [493680: 505528320] @ 0x4eed4c 0x4eff94            heap / allocs
 *   486317802 155 @ 0x4efd1f 0x4efd06 0x466981                          mutex / block
 *
 * The shape of a record line tells the profile apart. The records are read by the importer of the
 * complete text (heap-text.ts, count-text.ts, contention-text.ts) behind a header written here,
 * so the model and the numbers are the ones a complete text would give for the same records.
 * What the missing header would have said is assumed and stated in the notes:
 *  - the total is the sum of the records pasted, not the profile's (`lacks: header-total`);
 *  - heap: the sampling rate is Go's default (MemProfileRate = 512 KiB);
 *  - goroutine vs threadcreate: threadcreate when a record's frames create an M (runtime.newm);
 *  - mutex vs block, cycles/second and the mutex sampling period are unknown: delays stay in CPU
 *    cycles and are not scaled.
 * Lines after the records that are neither records nor `#` lines (prose, a prompt) end the excerpt.
 *
 * Environment-neutral.
 */
import type { Profile, TextLack } from '../../profile/model.js';
import { parseContentionText } from './contention-text.js';
import { parseCountText } from './count-text.js';
import { parseFrameLine } from './go-frames.js';
import { parseHeapText } from './heap-text.js';
import { isBlank } from './lines.js';

const HEAP_RECORD_RE = /^\s*(-?\d+): *(-?\d+) *\[ *(-?\d+): *(-?\d+) *\] *@((?:\s+0x[0-9a-fA-F]+)*)\s*$/;
const COUNT_RECORD_RE = /^\s*(\d+) @((?:\s+0x[0-9a-fA-F]+)*)\s*$/;
const CONTENTION_RECORD_RE = /^\s*(\d+) +(\d+) @((?:\s+0x[0-9a-fA-F]+)*)\s*$/;

type Kind = 'heap' | 'count' | 'contention';

/** Go's default runtime.MemProfileRate. */
const DEFAULT_MEM_RATE = 512 * 1024;

function recordKind(line: string): Kind | undefined {
  if (!line.includes('@')) return undefined;
  if (HEAP_RECORD_RE.test(line)) return 'heap';
  if (COUNT_RECORD_RE.test(line)) return 'count';
  if (CONTENTION_RECORD_RE.test(line)) return 'contention';
  return undefined;
}

/**
 * Where a headerless excerpt starts: the first record line that is followed by a `#` frame line
 * or by another record of the same kind. `undefined` when the text holds none.
 */
export function findDebug1Excerpt(lines: readonly string[]): { start: number; kind: Kind } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const kind = recordKind(lines[i]!);
    if (!kind) continue;
    const next = lines[i + 1]?.trimStart();
    if (next === undefined) return { start: i, kind };
    if (next.startsWith('#') && parseFrameLine(next)) return { start: i, kind };
    if (recordKind(next) === kind) return { start: i, kind };
  }
  return undefined;
}

export function parseDebug1Excerpt(
  lines: readonly string[],
  at: { start: number; kind: Kind },
  endsWithNewline: boolean,
): Profile {
  // The excerpt: records, their `#` lines and blank lines, up to the first other line.
  let end = at.start;
  let sum = 0;
  let threads = false;
  let records = 0;
  for (; end < lines.length; end++) {
    const l = lines[end]!;
    if (isBlank(l)) continue;
    const t = l.trimStart();
    if (t.startsWith('#')) {
      if (/runtime\.(?:newm|allocm)\+/.test(t)) threads = true;
      continue;
    }
    const kind = recordKind(l);
    if (kind !== at.kind) break;
    records++;
    if (kind === 'count') sum += Number(COUNT_RECORD_RE.exec(l)![1]);
  }
  const stoppedEarly = end < lines.length && lines.slice(end).some((l) => !isBlank(l));
  const cutLast = end === lines.length && !endsWithNewline;

  let header: string;
  const notes: string[] = [];
  let what: string;
  switch (at.kind) {
    case 'heap':
      header = `heap profile: 0: 0 [0: 0] @ heap/${2 * DEFAULT_MEM_RATE}`;
      what = 'heap';
      notes.push(
        `No header: the heap sampling rate is taken to be Go's default (${DEFAULT_MEM_RATE} bytes, MemProfileRate).`,
      );
      break;
    case 'count':
      what = threads ? 'threadcreate' : 'goroutine';
      header = `${what} profile: total ${sum}`;
      break;
    default:
      what = 'mutex or block';
      header = '--- contention:';
      notes.push(
        'No header: mutex and block records look alike, and the CPU frequency and the sampling period are ' +
          'unknown: delays are in CPU cycles and are not scaled.',
      );
  }
  // The header goes on the line before the first record (a blank or left-out line), so that line
  // numbers in errors still point at the user's text; at the very top it is put in front.
  const body = lines.slice(0, end);
  let start = at.start - 1;
  if (start >= 0) body[start] = header;
  else {
    body.unshift(header);
    start = 0;
  }
  const parse = at.kind === 'heap' ? parseHeapText : at.kind === 'count' ? parseCountText : parseContentionText;
  const p = parse(body, start, stoppedEarly || !cutLast);
  p.source.notes = p.source.notes.filter((n) => !/^No "# runtime\.MemStats" trailer/.test(n));
  p.source.notes.unshift(
    `No header: an excerpt of a debug=1 ${what} profile (${records} record(s) from line ${at.start + 1}); ` +
      'the total is the sum of the records pasted, not the whole profile.',
    ...notes,
  );
  if (stoppedEarly) p.source.notes.push(`The records end at line ${end + 1}; the text after them was not read.`);
  p.source.truncated = true;
  const lacks: TextLack[] = ['header-total', 'runtime-frames'];
  p.source.lacks = lacks;
  p.comments.push('excerpt: the total is the sum of the pasted records');
  return p;
}
