/**
 * Go `debug=1` count profiles: goroutine and threadcreate (`/debug/pprof/goroutine?debug=1`):
 *
 *   goroutine profile: total 23
 *   6 @ 0x43a4b6 0x407bfb 0x4076f8 0x4eef87 0x4eef75 0x466981
 *   # labels: {"worker":"a"}
 *   #	0x4eef86	main.recvOne+0x26	/src/main.go:94
 *   #	0x4eef74	main.chanWorker+0x14	/src/main.go:98
 *
 * Sample type and period type `<name>/count`, period 1, one sample per group with its count, as
 * the proto writer (runtime/pprof `printCountProfile`) does; `# labels:` become string labels.
 *
 * Difference from the proto of the same moment: the text hides the leading `runtime.*` frames of
 * every stack (`runtime.gopark`, `runtime.chanrecv`, … — see go-frames.ts), the proto keeps them.
 * Totals and the cum of every function shown are the same; the flat that the proto gives to
 * `runtime.gopark` lands on the first non-runtime frame here (which is where a reader looks anyway).
 * A stack of runtime frames only (e.g. threadcreate's `runtime.main`) is printed in full.
 *
 * Environment-neutral.
 */
import type { Label, Profile } from '../../profile/model.js';
import { ProfileBuilder } from './builder.js';
import { CUT_LINE_NOTE, Debug1Reader } from './debug1-records.js';
import { parseGoLabelSet } from './go-quote.js';
import { excerpt, INT64_MAX, lineError } from './lines.js';

export const COUNT_HEADER_RE = /^\s*(\S+) profile: total (\d+)\s*$/;
const RECORD_RE = /^\s*(\d+) @((?:\s+0x[0-9a-fA-F]+)*)\s*$/;
const LABELS_RE = /^#\s*labels:\s*(.*)$/;

export function parseCountText(lines: string[], start: number, endsWithNewline: boolean): Profile {
  const hm = COUNT_HEADER_RE.exec(lines[start]!);
  if (!hm) throw lineError(start, "expected a '<name> profile: total <count>' header");
  const name = hm[1]!;
  const declaredTotal = Number(hm[2]);
  const notes: string[] = [];
  const b = new ProfileBuilder(1);
  const pending: { count: number; labels?: Label[] }[] = [];
  const reader = new Debug1Reader(lines, start + 1, endsWithNewline, {
    record: RECORD_RE,
    expected: "a '<count> @ 0x…' record",
    stopAtDashes: true,
  });
  for (const item of reader.read()) {
    if (item.kind === 'comment') {
      const lm = LABELS_RE.exec(item.text);
      if (!lm) continue;
      const set = parseGoLabelSet(lm[1]!);
      if (!set) throw lineError(item.line, `malformed goroutine labels ${excerpt(lm[1]!)}`);
      // The current record is the last one read; labels after a blank line belong to none.
      if (item.record) pending[pending.length - 1]!.labels = set.map(([key, str]) => ({ key, str }));
      continue;
    }
    const count = Number(item.match[1]);
    if (count > INT64_MAX) throw lineError(item.line, 'number out of range (larger than int64)');
    pending.push({ count });
  }

  const stacks = reader.stacks(b);
  let truncated = reader.cutLine;
  if (truncated) notes.push(CUT_LINE_NOTE);
  let sum = 0;
  for (let k = 0; k < pending.length; k++) {
    b.addSample([pending[k]!.count], stacks[k]!, pending[k]!.labels);
    sum += pending[k]!.count;
  }
  let cutShort = false;
  if (sum < declaredTotal) {
    // Cut after some records (`| head`, a scrolled terminal): the header still counts them all.
    truncated = true;
    cutShort = true;
    notes.push(
      `Only records adding up to ${sum} of the header's total ${declaredTotal} are here (cut short): ` +
        "shares are of the header's total, and the rest of the profile is unknown.",
    );
  } else if (sum > declaredTotal) {
    notes.push(`The header says total ${declaredTotal} but the records add up to ${sum}.`);
  }
  notes.push(...reader.addressOnlyNotes());
  const { hiddenLeading } = reader.resolver;
  if (hiddenLeading > 0) {
    notes.push(
      `The debug=1 text hides the leading runtime frames of ${hiddenLeading} stack(s) ` +
        '(runtime.gopark, runtime.chanrecv, …, which the proto form keeps): their flat counts land on the first ' +
        'non-runtime frame instead.',
    );
  }
  const p = b.profile('count-text', [{ type: name, unit: 'count' }], notes, truncated);
  p.periodType = { type: name, unit: 'count' };
  p.period = 1;
  if (cutShort) p.samples.declaredTotals = [declaredTotal];
  return p;
}
