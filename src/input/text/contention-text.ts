/**
 * Go `debug=1` mutex and block profiles (`/debug/pprof/mutex?debug=1`, `/debug/pprof/block?debug=1`):
 *
 *   --- mutex:
 *   cycles/second=2445453094
 *   sampling period=5
 *   486317802 155 @ 0x4efd1f 0x4efd06 0x466981
 *   #	0x4efd1e	sync.(*Mutex).Unlock+0xbe	/usr/lib/go/src/sync/mutex.go:223
 *
 * Records are `<cycles> <count> @ pcs`. Sample types contentions/count and delay/nanoseconds,
 * period type contentions/count, period 1 — the layout of the runtime's proto writer
 * (runtime/pprof `printCountCycleProfile`), which computes delay = int64(cycles / (cycles_per_second / 1e9)).
 *
 * Mutex scaling (`sampling period=N`, i.e. SetMutexProfileFraction(N): one event in N recorded).
 *  - Go ≤ 1.19 records raw events. Its proto writer multiplies count and delay by N when writing
 *    (`scaleMutexProfile`: count×N, int64(cycles/GHz × N)); its text prints the raw numbers.
 *  - Go ≥ 1.20 multiplies at record time (count += N, cycles += N×cycles per event; golang/go
 *    commit 30b1af00). Proto and text both carry scaled numbers, and the text still prints
 *    `sampling period=N`.
 *  - pprof's legacy parser always multiplies by N (count×N, cycles×N/GHz). That is right for
 *    Go ≤ 1.19 text and N times too large for Go ≥ 1.20 text.
 * We want `top` on the text to equal `top` on the proto of the same moment, so we tell the two
 * apart: with record-time scaling every count and every cycle total is a multiple of N, which raw
 * records almost never all are. All multiples ⇒ already scaled, used as is; otherwise scaled like
 * Go 1.19's proto writer. The choice is stated in a note. (A Go ≤ 1.19 profile whose few records
 * happen to be multiples of N would be read as already scaled: N times too small.)
 * Block profiles are never scaled (the runtime up-weights short events when recording).
 *
 * Environment-neutral.
 */
import type { Profile } from '../../profile/model.js';
import { ProfileBuilder } from './builder.js';
import { CUT_LINE_NOTE, Debug1Reader } from './debug1-records.js';
import { excerpt, INT64_MAX, lineError } from './lines.js';

export const CONTENTION_HEADER_RE = /^\s*--- (contentionz |mutex:|contention:)/;
const RECORD_RE = /^\s*(\d+) *(\d+) @((?:\s+0x[0-9a-fA-F]+)*)\s*$/;

export function parseContentionText(lines: string[], start: number, endsWithNewline: boolean): Profile {
  const kind = CONTENTION_HEADER_RE.exec(lines[start]!)![1]!;
  const isMutex = kind === 'mutex:';
  const notes: string[] = [];
  let cpuHz = 0;
  let period = 0;
  let durationNanos = 0;
  let i = start + 1;

  // `key = value` attributes, up to the first record.
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('---')) break;
    const eq = line.indexOf('=');
    if (eq < 0) break;
    const key = line.slice(0, eq).trim();
    const val = line.slice(eq + 1).trim();
    const num = /^\d+$/.test(val) && Number.isSafeInteger(Number(val)) ? Number(val) : Number.NaN;
    switch (key) {
      case 'cycles/second':
        if (Number.isNaN(num)) throw lineError(i, `malformed cycles/second value ${excerpt(val)}`);
        cpuHz = num;
        break;
      case 'sampling period':
        if (Number.isNaN(num)) throw lineError(i, `malformed sampling period ${excerpt(val)}`);
        period = num;
        break;
      case 'ms since reset':
        if (Number.isNaN(num)) throw lineError(i, `malformed 'ms since reset' value ${excerpt(val)}`);
        durationNanos = num * 1e6;
        break;
      case 'discarded samples':
        break;
      default:
        notes.push(`Unknown header attribute '${key}' ignored.`);
    }
  }

  const reader = new Debug1Reader(lines, i, endsWithNewline, {
    record: RECORD_RE,
    expected: "a '<cycles> <count> @ 0x…' record",
    stopAtDashes: true,
  });
  for (const item of reader.read()) {
    // Go reads these as int64; larger numbers (or 400 digits, which are Infinity here) are not a profile.
    if (item.kind === 'record' && (Number(item.match[1]) > INT64_MAX || Number(item.match[2]) > INT64_MAX)) {
      throw lineError(item.line, 'number out of range (larger than int64)');
    }
  }
  const records = reader.records.map((r) => ({ cycles: r.match[1]!, count: r.match[2]! }));
  const truncated = reader.cutLine;
  if (truncated) notes.push(CUT_LINE_NOTE);

  let factor = 1;
  if (isMutex && period > 1) {
    const p = BigInt(period);
    const alreadyScaled =
      records.length > 0 && records.every((r) => BigInt(r.count) % p === 0n && BigInt(r.cycles) % p === 0n);
    if (alreadyScaled) {
      notes.push(
        `Mutex sampling period ${period}: every record is a multiple of it, so the values already include it ` +
          '(Go ≥ 1.20 writes scaled values) and are used as printed. go tool pprof would multiply them again.',
      );
    } else {
      factor = period;
      notes.push(
        `Mutex sampling period ${period}: values multiplied by ${period}, as the Go ≤ 1.19 runtime does when it ` +
          'writes the same profile in proto form.',
      );
    }
  }
  if (cpuHz <= 0) notes.push('No cycles/second in the header: delays are CPU cycles, not nanoseconds.');
  const cpuGHz = cpuHz / 1e9;

  const b = new ProfileBuilder(2);
  const stacks = reader.stacks(b);
  for (let k = 0; k < records.length; k++) {
    const r = records[k]!;
    const cycles = Number(r.cycles);
    const ns = cpuHz > 0 ? cycles / cpuGHz : cycles;
    b.addSample([Number(r.count) * factor, Math.trunc(ns * factor)], stacks[k]!);
  }
  notes.push(...reader.addressOnlyNotes());
  const p = b.profile(
    'contention-text',
    [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    notes,
    truncated,
  );
  p.periodType = { type: 'contentions', unit: 'count' };
  p.period = 1;
  p.durationNanos = durationNanos;
  return p;
}
