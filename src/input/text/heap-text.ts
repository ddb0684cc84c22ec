/**
 * Go `debug=1` heap / allocs text (`/debug/pprof/heap?debug=1`):
 *
 *   heap profile: 157: 3497504 [2105: 11884064] @ heap/16384
 *   1: 3145728 [1: 3145728] @ 0x4eed4c 0x4eff94 0x4f0517 0x43a0f2 0x466981
 *   #	0x4eed4b	main.allocBig+0x2b	/src/main.go:79
 *   …
 *   # runtime.MemStats
 *   # Alloc = 6946032
 *
 * Records are `inuseObjects: inuseBytes [allocObjects: allocBytes] @ pcs`, raw sampled counts.
 * The profile we build equals what the runtime's proto writer (runtime/pprof `writeHeapProto`)
 * produces at the same moment:
 *  - sample types alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes
 *    (none marked default, so inuse_space — the last — is shown);
 *  - period type space/bytes, period = MemProfileRate. The header prints `heap/<2×rate>` (a legacy
 *    of the C++ heap profiler); pprof's legacy parser halves it for the `heap` tag, and so do we;
 *  - values scaled as `scaleHeapSample` does: count and size × 1/(1 − exp(−(size/count)/rate)),
 *    each truncated to an integer, alloc and inuse pairs separately;
 *  - numeric label `bytes` = allocBytes / allocObjects (integer division), set when non-zero.
 *    This is what the runtime writes in the proto; pprof's legacy text parser uses the in-use
 *    average instead when there are in-use objects (the two differ only for call sites that
 *    allocate objects of several sizes);
 *  - frames named from the `#` lines, with inlined frames grouped into one Location (go-frames.ts).
 *    Both writers hide the same leading runtime frames, so stacks match.
 *
 * The text cannot tell `heap` from `allocs` (the proto of `allocs` sets default_sample_type =
 * alloc_space); we leave the default unset and say so in a note. Older C++-style headers
 * (`heap_v2/<rate>`, `heapz_v2`, `heapprofile`) are read as pprof does, with two sample types when
 * the header shows no separate allocation totals.
 *
 * Environment-neutral.
 */
import type { Label, Profile, ValueType } from '../../profile/model.js';
import { ProfileBuilder } from './builder.js';
import { CUT_LINE_NOTE, Debug1Reader } from './debug1-records.js';
import { excerpt, INT64_MAX, intDiv, lineError } from './lines.js';

export const HEAP_HEADER_RE =
  /^\s*heap profile: *(-?\d+): *(-?\d+) *\[ *(-?\d+): *(-?\d+) *\] *@ *([a-z_0-9]*)\/?(\d*)\s*$/;
const RECORD_RE = /^\s*(-?\d+): *(-?\d+) *\[ *(-?\d+): *(-?\d+) *\] *@((?:\s+0x[0-9a-fA-F]+)*)\s*$/;
const MEMSTAT_RE = /^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*?)\s*$/;

/** True when `line` is a heap profile header. */
export function isHeapHeader(line: string): boolean {
  return /^\s*heap profile:/.test(line);
}

/**
 * Same computation as Go's `scaleHeapSample` (runtime/pprof and pprof's legacy parser): unsample
 * a (count, size) pair taken with Poisson sampling at `rate` bytes.
 */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const avgSize = size / count;
  const scale = 1 / (1 - Math.exp(-avgSize / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

export function parseHeapText(lines: string[], start: number, endsWithNewline: boolean): Profile {
  const hm = HEAP_HEADER_RE.exec(lines[start]!);
  if (!hm) throw lineError(start, `malformed heap profile header ${excerpt(lines[start]!)}`);
  const tag = hm[5]!;
  let rate: number;
  let scaled: boolean;
  let fourTypes: boolean;
  const headerPeriod = hm[6] ? Number(hm[6]) : 0;
  switch (tag) {
    case 'heap':
      rate = Math.trunc(headerPeriod / 2);
      scaled = true;
      fourTypes = true; // the Go runtime's proto always carries all four
      break;
    case 'heap_v2':
    case 'heapz_v2':
      rate = headerPeriod;
      scaled = true;
      fourTypes = pprofHasAlloc(hm);
      break;
    case 'heapprofile':
      rate = 1;
      scaled = false;
      fourTypes = pprofHasAlloc(hm);
      break;
    default:
      throw lineError(start, `unsupported heap profile kind '${tag}' (only Go runtime heap profiles are read)`);
  }

  const notes: string[] = [];
  const nTypes = fourTypes ? 4 : 2;
  const b = new ProfileBuilder(nTypes);
  const pending: { values: number[]; labels?: Label[] }[] = [];
  let memStats: Record<string, string> | undefined;

  const reader = new Debug1Reader(lines, start + 1, endsWithNewline, {
    record: RECORD_RE,
    expected: "a heap record 'objects: bytes [objects: bytes] @ 0x…'",
    stopAtDashes: false,
  });
  for (const item of reader.read()) {
    if (item.kind === 'comment') {
      // The MemStats block ends the records; other comments are ignored, as pprof does.
      if (!/^#\s*runtime\.MemStats\s*$/.test(item.text)) continue;
      memStats = {};
      for (let i = item.line + 1; i < lines.length; i++) {
        const m = MEMSTAT_RE.exec(lines[i]!.trim());
        if (m) memStats[m[1]!] = m[2]!;
      }
      break;
    }
    const rm = item.match;
    const inuseObj = Number(rm[1]);
    const inuseBytes = Number(rm[2]);
    const allocObj = Number(rm[3]);
    const allocBytes = Number(rm[4]);
    if (inuseObj === 0 && inuseBytes !== 0)
      throw lineError(item.line, `in-use object count is 0 but in-use bytes is ${inuseBytes}`);
    if (allocObj === 0 && allocBytes !== 0)
      throw lineError(item.line, `allocation count is 0 but allocated bytes is ${allocBytes}`);
    const values: number[] = [];
    if (fourTypes) values.push(...pair(allocObj, allocBytes, rate, scaled));
    values.push(...pair(inuseObj, inuseBytes, rate, scaled));
    // Go reads int64s; a larger count, or one that unsampling scales to Infinity, is not a profile.
    if (Math.max(inuseObj, inuseBytes, allocObj, allocBytes) > INT64_MAX || !values.every(Number.isFinite)) {
      throw lineError(item.line, 'number out of range (larger than int64, or too large to unsample)');
    }
    let labels: Label[] | undefined;
    const blockSize = allocObj > 0 ? intDiv(allocBytes, allocObj) : inuseObj > 0 ? intDiv(inuseBytes, inuseObj) : 0;
    if (blockSize !== 0) labels = [{ key: 'bytes', num: blockSize }];
    pending.push({ values, labels });
  }

  const stacks = reader.stacks(b);
  for (let k = 0; k < pending.length; k++) b.addSample(pending[k]!.values, stacks[k]!, pending[k]!.labels);

  let truncated = reader.cutLine;
  if (truncated) notes.push(CUT_LINE_NOTE);
  if (memStats === undefined && tag === 'heap') {
    truncated = true;
    notes.push('No "# runtime.MemStats" trailer: the heap profile text looks cut off; records read so far are kept.');
  }
  notes.push(...reader.addressOnlyNotes());
  if (tag === 'heap') {
    notes.push(
      'A debug=1 heap text does not say whether it came from /debug/pprof/heap or /debug/pprof/allocs; ' +
        'inuse_space is shown by default (use alloc_space for allocations).',
    );
  }

  const sampleTypes: ValueType[] = fourTypes
    ? [
        { type: 'alloc_objects', unit: 'count' },
        { type: 'alloc_space', unit: 'bytes' },
        { type: 'inuse_objects', unit: 'count' },
        { type: 'inuse_space', unit: 'bytes' },
      ]
    : [
        { type: 'objects', unit: 'count' },
        { type: 'space', unit: 'bytes' },
      ];
  const p = b.profile('heap-text', sampleTypes, notes, truncated);
  p.periodType = { type: 'space', unit: 'bytes' };
  p.period = rate;
  if (memStats) p.memStats = memStats;
  return p;
}

function pair(count: number, size: number, rate: number, scaled: boolean): [number, number] {
  return scaled ? scaleHeapSample(count, size, rate) : [count, size];
}

/** pprof's rule: separate allocation totals in the header ⇒ four sample types. */
function pprofHasAlloc(hm: RegExpExecArray): boolean {
  return (hm[3] !== hm[1] && hm[3] !== '0') || (hm[4] !== hm[2] && hm[4] !== '0');
}
