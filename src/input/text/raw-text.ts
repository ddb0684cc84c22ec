/**
 * `go tool pprof -raw` output: the profile itself, printed by pprof's `Profile.String()`.
 *
 *   PeriodType: space bytes
 *   Period: 524288
 *   Samples:
 *   alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes[dflt]
 *           152     526017          0          0: 1 2 3
 *                   bytes:[3456]
 *   Locations
 *        1: 0x8f6d53 M=1 go.etcd.io/bbolt.(*node).read go.etcd.io/bbolt/node.go:164 s=0
 *                go.etcd.io/etcd/mvcc/backend.(*batchTxBuffered).UnsafeSeqPut …/batch_tx.go:337 s=0
 *   Mappings
 *   1: 0x402000/0xe02000/0x2000 /usr/bin/etcd 1c7d76a9… [FN]
 *
 * Read back into the full model: every sample type, values exact, stacks by location id, inline
 * frames, labels, mappings. A paste cut before the `Locations` section leaves samples whose
 * locations have no names (said in a note); samples pointing at missing locations keep the
 * locations they have.
 *
 * Environment-neutral.
 */
import type { FunctionInfo, Label, Line, Location, Mapping, Profile, ValueType } from '../../profile/model.js';
import { isBlank, lineError } from './lines.js';

const SAMPLE_RE = /^\s*(-?\d+(?:\s+-?\d+)*):((?:\s+\d+)*)\s*$/;
/** Matched against trimmed lines (no lazy group before `\s*$`: quadratic on long runs of spaces). */
const LOC_RE = /^(\d+): 0x([0-9a-fA-F]+)(?: M=(\d+))?(?: \[F\])?(?:\s+(.*))?$/;
/** `name file:line[:column] s=start[(systemName)]`: the tail after the last space before ` s=`. */
const LINE_TAIL_RE = / s=(\d+)(?:\((.*)\))?$/;
const FILE_LINE_RE = /^(.*?):(\d+)(?::\d+)?$/;
const MAP_RE = /^\s*(\d+): 0x([0-9a-fA-F]+)\/0x([0-9a-fA-F]+)\/0x([0-9a-fA-F]+)(?:\s+(\S+))?(?:\s+(\S+))?/;
const LABEL_RE = /(\S+?):\[([^\]]*)\]/g;
const TYPE_RE = /^([^\s/]+)\/(\S+?)(\[dflt\])?$/;

/** True when the text holds a `Samples:` line followed by sample types, as `-raw` prints. */
export function looksLikeRaw(lines: readonly string[]): boolean {
  for (let i = 0; i + 1 < lines.length; i++) {
    if (lines[i]!.trim() !== 'Samples:') continue;
    const types = lines[i + 1]!.trim().split(/\s+/);
    if (types.length > 0 && types.every((t) => TYPE_RE.test(t))) return true;
  }
  return false;
}

export function parseRaw(lines: readonly string[], endsWithNewline: boolean): Profile {
  const notes: string[] = [];
  const comments: string[] = [];
  let periodType: ValueType | undefined;
  let period = 0;
  let durationNanos = 0;
  const sampleTypes: ValueType[] = [];
  let defaultType: string | undefined;
  const samples: { values: number[]; ids: number[]; labels?: Label[] }[] = [];
  const locs = new Map<
    number,
    {
      address: number;
      mapping: number;
      lines: { name: string; file: string; line: number; start: number; system: string }[];
    }
  >();
  const maps: Mapping[] = [];
  const mapIds = new Set<number>();
  let section: 'head' | 'samples' | 'locations' | 'mappings' = 'head';
  let lastLoc: ReturnType<typeof locs.get>;
  let typesLine = -1;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (isBlank(raw)) continue;
    const t = raw.trim();
    if (t === 'Samples:') {
      section = 'samples';
      typesLine = i + 1;
      continue;
    }
    if (t === 'Locations') {
      section = 'locations';
      continue;
    }
    if (t === 'Mappings') {
      section = 'mappings';
      continue;
    }
    switch (section) {
      case 'head': {
        const m = /^PeriodType: (\S+) (\S+)$/.exec(t);
        if (m) periodType = { type: m[1]!, unit: m[2]! };
        const pm = /^Period: (\d+)$/.exec(t);
        if (pm) period = Number(pm[1]);
        const dm = /^Duration: (\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(t);
        if (dm)
          durationNanos =
            Number(dm[1]) * ({ ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[dm[2]!] ?? 0);
        if (!m && !pm && comments.length < 20) comments.push(t.slice(0, 300));
        break;
      }
      case 'samples': {
        if (i === typesLine) {
          for (const tok of t.split(/\s+/)) {
            const tm = TYPE_RE.exec(tok);
            if (!tm) throw lineError(i, 'expected the sample types (type/unit …) after "Samples:"');
            sampleTypes.push({ type: tm[1]!, unit: tm[2]! });
            if (tm[3]) defaultType = tm[1]!;
          }
          break;
        }
        const sm = SAMPLE_RE.exec(raw);
        if (sm) {
          const values = sm[1]!.trim().split(/\s+/).map(Number);
          if (values.length !== sampleTypes.length) {
            throw lineError(
              i,
              `a sample with ${values.length} values, but there are ${sampleTypes.length} sample types`,
            );
          }
          const ids = sm[2]!.trim() === '' ? [] : sm[2]!.trim().split(/\s+/).map(Number);
          // pprof numbers locations from 1; 0 (or a number past 2^53) names none.
          if (ids.some((id) => id === 0 || !Number.isSafeInteger(id)))
            throw lineError(i, 'a sample names location 0 or a number too large to be a location id');
          samples.push({ values, ids });
          break;
        }
        const last = samples[samples.length - 1];
        if (last && /^\s*\S+?:\[/.test(raw)) {
          last.labels ??= [];
          const labels = last.labels;
          for (const lm of t.matchAll(LABEL_RE)) {
            for (const v of lm[2]!.split(/\s+/).slice(0, 16)) {
              if (v === '' || labels.length >= 64) continue;
              const num = /^-?\d+$/.test(v) ? Number(v) : undefined;
              labels.push(num !== undefined ? { key: lm[1]!, num } : { key: lm[1]!, str: v.slice(0, 1000) });
            }
          }
        }
        break;
      }
      case 'locations': {
        const lm = LOC_RE.exec(t);
        if (lm) {
          const id = Number(lm[1]);
          if (id === 0 || !Number.isSafeInteger(id)) throw lineError(i, 'location ids start at 1');
          lastLoc = { address: Number.parseInt(lm[2]!, 16), mapping: lm[3] ? Number(lm[3]) : 0, lines: [] };
          locs.set(id, lastLoc);
          if (lm[4]) addLine(lastLoc, lm[4]);
        } else if (lastLoc) {
          addLine(lastLoc, t);
        }
        break;
      }
      case 'mappings': {
        const mm = MAP_RE.exec(raw);
        // A repeated id (a paste that repeats a block) keeps the first.
        if (mm && (Number(mm[1]) === 0 || !Number.isSafeInteger(Number(mm[1]))))
          throw lineError(i, 'mapping ids start at 1');
        if (mm && !mapIds.has(Number(mm[1]))) {
          mapIds.add(Number(mm[1]));
          const flags = /\[(\w*)\]\s*$/.exec(t)?.[1] ?? '';
          maps.push({
            id: Number(mm[1]),
            memoryStart: Number.parseInt(mm[2]!, 16),
            memoryLimit: Number.parseInt(mm[3]!, 16),
            fileOffset: Number.parseInt(mm[4]!, 16),
            file: mm[5] && !mm[5].startsWith('[') ? mm[5].slice(0, 1000) : '',
            buildId: mm[6] && !mm[6].startsWith('[') ? mm[6].slice(0, 200) : '',
            hasFunctions: flags.includes('F'),
            hasFilenames: false,
            hasLineNumbers: flags.includes('N'),
            hasInlineFrames: false,
          });
        }
        break;
      }
    }
  }
  if (sampleTypes.length === 0) throw lineError(Math.max(typesLine - 1, 0), 'a pprof raw report without sample types');

  // Functions and locations, in id order.
  const functions: FunctionInfo[] = [];
  const fnIds = new Map<string, number>();
  const locations: Location[] = [];
  const locIndex = new Map<number, number>();
  const mapIndex = new Map<number, number>();
  for (const [k, m] of maps.entries()) mapIndex.set(m.id, k);
  for (const [id, l] of [...locs].sort((a, b) => a[0] - b[0])) {
    const ls: Line[] = l.lines.map((x) => {
      const key = `${x.name}\u0000${x.file}\u0000${x.start}`;
      let fn = fnIds.get(key);
      if (fn === undefined) {
        fn = functions.length;
        functions.push({ id: fn + 1, name: x.name, systemName: x.system, filename: x.file, startLine: x.start });
        fnIds.set(key, fn);
      }
      return { fn, line: x.line, column: 0 };
    });
    locIndex.set(id, locations.length);
    locations.push({ id, mapping: mapIndex.get(l.mapping) ?? -1, address: l.address, lines: ls, isFolded: false });
  }
  let missing = 0;
  const stackStart: number[] = [0];
  const stack: number[] = [];
  const values: number[] = [];
  const labels: (Label[] | undefined)[] = [];
  for (const s of samples) {
    for (const id of s.ids) {
      let k = locIndex.get(id);
      if (k === undefined) {
        missing++;
        k = locations.length;
        locations.push({ id, mapping: -1, address: 0, lines: [], isFolded: false });
        locIndex.set(id, k);
      }
      stack.push(k);
    }
    stackStart.push(stack.length);
    values.push(...s.values);
    labels.push(s.labels);
  }
  let truncated = !endsWithNewline;
  if (missing > 0) {
    truncated = true;
    notes.push(
      `${missing} location(s) used by the samples are not in the paste (cut off?): their frames have no names.`,
    );
  }
  if (maps.length === 0 && locs.size > 0) notes.push('No "Mappings" section: the paste looks cut off at its end.');
  if (samples.length === 0) notes.push('The raw report has no samples.');
  notes.push('A pprof raw report: every sample type, exact values and full stacks, as in the profile itself.');
  const table = {
    length: samples.length,
    values: Float64Array.from(values),
    stackStart: Uint32Array.from(stackStart),
    stack: Uint32Array.from(stack),
    ...(labels.some((l) => l) ? { labels } : {}),
  };
  const p: Profile = {
    sampleTypes,
    period,
    timeNanos: 0,
    durationNanos,
    comments,
    mappings: maps,
    locations,
    functions,
    samples: table,
    source: { format: 'pprof-raw', truncated, hasStacks: true, notes },
  };
  if (periodType) p.periodType = periodType;
  if (defaultType) p.defaultSampleType = defaultType;
  return p;
}

function addLine(
  loc: { lines: { name: string; file: string; line: number; start: number; system: string }[] },
  text: string,
): void {
  if (loc.lines.length >= 64) return;
  const tail = LINE_TAIL_RE.exec(text);
  const head = tail ? text.slice(0, tail.index) : '';
  const sp = head.lastIndexOf(' ');
  const fm = sp > 0 ? FILE_LINE_RE.exec(head.slice(sp + 1)) : null;
  if (!tail || !fm) {
    if (text !== '??')
      loc.lines.push({ name: text.slice(0, 1000), file: '', line: 0, start: 0, system: text.slice(0, 1000) });
    return;
  }
  const name = head.slice(0, sp).slice(0, 1000);
  loc.lines.push({
    name,
    file: fm[1]!.slice(0, 1000),
    line: Number(fm[2]),
    start: Number(tail[1]),
    system: (tail[2] ?? name).slice(0, 1000),
  });
}
