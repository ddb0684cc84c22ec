/**
 * `go tool pprof -traces` output (`(pprof) traces`): every sample with its value and its stack.
 *
 *   Type: inuse_space
 *   -----------+-------------------------------------------------------
 *        bytes:  3.38kB
 *     513.69kB   go.etcd.io/bbolt.(*node).read
 *                go.etcd.io/bbolt.(*Bucket).node
 *                go.etcd.io/etcd/mvcc/backend.(*batchTx).UnsafeSeqPut (inline)
 *   -----------+-------------------------------------------------------
 *
 * A real stack model: one sample per block, of the report's one sample type, with one Location per
 * physical frame (frames marked `(inline)` join the frame below them, as in profile.proto). Label
 * lines (`bytes:  3.38kB`, `key:  value`) become labels. What the text does not carry, and the
 * model says (`lacks`): the other sample types, file and line of each frame, and exact values
 * (pprof rounds them for display). The total is the sum of the blocks pasted.
 *
 * Environment-neutral.
 */
import type { Label, Profile } from '../../profile/model.js';
import { ProfileBuilder, type TextFrame } from './builder.js';
import { isBlank, lineError } from './lines.js';
import { readReportHeader } from './report-header.js';
import { type Dimension, dimensionOfType, parseValue } from './units.js';

/** The separator between traces: `-----------+-----…` (11 dashes, then many). */
export const TRACES_SEP_RE = /^\s*-{6,20}\+-{20,}\s*$/;
/** Matched against trimmed lines: a lazy group before `\s*$` would be quadratic on long runs of spaces. */
const LABEL_RE = /^([^\s:]{1,100}):\s+(.*)$/;
const VALUE_RE = /^(-?\d[\d.]*(?:e[+-]?\d+)?[A-Za-zµμ]*)\s+(\S.*)$/;

interface Frame extends TextFrame {
  inlined: boolean;
}

/** True when the text holds a traces separator followed by a block that is not a peek/tree block. */
export function looksLikeTraces(lines: readonly string[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    if (!TRACES_SEP_RE.test(lines[i]!)) continue;
    for (let j = i + 1; j < lines.length && j < i + 4; j++) {
      const l = lines[j]!;
      if (isBlank(l) || TRACES_SEP_RE.test(l)) continue;
      if (l.includes('|')) return false;
      const m = VALUE_RE.exec(l.trim());
      if (m && parseValue(m[1]!)) return true;
      if (!LABEL_RE.test(l.trim())) return false;
    }
  }
  return false;
}

export function parseTraces(lines: readonly string[], endsWithNewline: boolean): Profile {
  const first = lines.findIndex((l) => TRACES_SEP_RE.test(l));
  const header = readReportHeader(lines, 0, Math.max(first, 0));
  const b = new ProfileBuilder(1);
  const notes: string[] = [];
  let dim: Dimension | undefined;
  let truncated = false;
  let skipped = 0;
  let blocks = 0;

  let i = first + 1;
  while (i < lines.length) {
    // One block: label lines, the value line, frame lines, up to the next separator.
    const labels: Label[] = [];
    let value: number | undefined;
    const frames: Frame[] = [];
    let closed = false;
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      if (TRACES_SEP_RE.test(l)) {
        closed = true;
        i++;
        break;
      }
      if (isBlank(l)) continue;
      if (value === undefined) {
        const t = l.trim();
        const vm = VALUE_RE.exec(t);
        const v = vm ? parseValue(vm[1]!) : undefined;
        if (vm && v) {
          if (v.dimension) {
            if (dim !== undefined && dim !== v.dimension)
              throw lineError(i, `the traces mix ${dim} and ${v.dimension}`);
            dim = v.dimension;
          }
          value = v.value;
          frames.push(frame(vm[2]!));
          continue;
        }
        const lm = LABEL_RE.exec(t);
        if (lm) {
          if (labels.length < 32) labels.push(label(lm[1]!, lm[2]!));
          continue;
        }
        // A frame before any value: the block's top was cut off.
        frames.push(frame(l.trim()));
        continue;
      }
      frames.push(frame(l.trim()));
    }
    if (frames.length === 0 && value === undefined) continue;
    if (value === undefined) {
      skipped++;
      continue;
    }
    if (!closed) truncated = true;
    b.addSample([value], toLocations(b, frames), labels);
    blocks++;
  }
  if (blocks === 0) throw lineError(Math.max(first, 0), 'a pprof traces report, but it has no complete trace');
  if (!endsWithNewline) truncated = true;
  if (truncated) notes.push('The traces end without their closing separator: the last trace may be cut short.');
  if (skipped > 0) notes.push(`${skipped} trace(s) without their value line (cut off at the top) were left out.`);
  notes.push(
    `A pprof traces report: ${blocks} stack(s) of one sample type, values rounded as pprof prints them, ` +
      'no file or line numbers; the total is the sum of the traces pasted.',
  );
  const type = header.sampleType ?? (dim === 'nanoseconds' ? 'cpu' : 'unknown');
  const unit = dim ?? dimensionOfType(type) ?? 'count';
  if (!header.sampleType) notes.push(`No "Type:" line: the sample type is ${type} (values in ${unit}).`);
  const p = b.profile('pprof-traces', [{ type, unit }], notes, truncated);
  p.defaultSampleType = type;
  p.durationNanos = header.durationNanos;
  p.comments = header.lines;
  p.source.lacks = ['sample-types', 'file-lines', 'exact-values', 'header-total'];
  return p;
}

function frame(text: string): Frame {
  const inlined = text.endsWith(' (inline)');
  const name = inlined ? text.slice(0, -' (inline)'.length).trimEnd() : text;
  return { name: name.slice(0, 1000), file: '', line: 0, inlined };
}

function label(key: string, text: string): Label {
  const vals = text.split(/\s+/);
  const nums = vals.map(parseValue);
  const first = nums[0];
  if (vals.length === 1 && first) {
    const l: Label = { key, num: first.value };
    if (first.dimension) l.unit = first.dimension;
    return l;
  }
  return { key, str: text.slice(0, 1000) };
}

/** Frames (leaf first) to locations: `(inline)` frames join the next physical frame. */
function toLocations(b: ProfileBuilder, frames: Frame[]): number[] {
  const out: number[] = [];
  let group: Frame[] = [];
  for (const f of frames) {
    group.push(f);
    if (f.inlined) continue;
    out.push(b.location(group.map((g) => g.name).join('\u0001'), 0, group));
    group = [];
  }
  if (group.length > 0) out.push(b.location(group.map((g) => g.name).join('\u0001'), 0, group));
  return out;
}
