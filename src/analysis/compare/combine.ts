/**
 * Building the one profile `go tool pprof` analyses when given a base: `-diff_base=<base> <new>`
 * (compare) or `-base=<base> <new>` (subtract). The steps follow internal/driver/fetch.go and
 * profile/merge.go of Go 1.19's pprof:
 *
 *  1. compatibility: same number of sample types, the same type names (a trailing `s` tolerated)
 *     and units of the same kind (scaled to the finer one, as measurement.ScaleProfiles does), the
 *     same period type;
 *  2. compare mode labels every base sample `pprof::base=true` (so the report total is the base
 *     total, see computeTotal in prepare.ts);
 *  3. `-normalize` scales every new value by Σbase/Σnew of its sample type (Profile.Normalize);
 *  4. base values × −1 (Profile.Scale(-1));
 *  5. one profile: new samples then base samples; headers combined as Merge does (earliest time
 *     with Go's quirk, summed durations, max period, union of comments, first default sample type,
 *     new's drop_frames); base locations moved onto new's mappings when the mapping is the same
 *     binary (pprof relocates addresses the same way);
 *  6. subtract mode merges samples with the same stack and labels (their values cancel; all-zero
 *     samples disappear), which is what makes its total Σ|new − base| per stack.
 *
 * Environment-neutral: no Node-only imports.
 */
import { UserError } from '../../errors.js';
import type { Label, Mapping, Profile, SampleTable, ValueType } from '../../profile/model.js';
import { scale, unitKind } from '../../profile/units.js';
import { mergeSamples } from '../merge-samples.js';

export type DiffMode = 'compare' | 'subtract';

export interface CombineOptions {
  mode?: DiffMode;
  /** pprof's -normalize. */
  normalize?: boolean;
  /** Names shown in errors and warnings (file names). */
  baseName?: string;
  newName?: string;
}

export interface Combined {
  /** What pprof analyses (subtract mode: samples merged). */
  profile: Profile;
  /**
   * The same samples unmerged, every base sample labelled `pprof::base=true` (in both modes): each
   * side's own figures can be read from it.
   */
  sided: Profile;
  /** The new profile after unit scaling and normalization (positive values). */
  newSide: Profile;
  /** The base profile after unit scaling (positive values). */
  baseSide: Profile;
  /** Per sample type, the factor applied to new values by --normalize (1 without it). */
  normalizeScale: number[];
  warnings: string[];
}

export const BASE_LABEL = 'pprof::base';

/** Go's math.Round: half away from zero. */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function trimS(s: string): string {
  return s.endsWith('s') ? s.slice(0, -1) : s;
}

function describeTypes(p: Profile): string {
  return p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(' ');
}

const FORMAT_WORDS: Record<Profile['source']['format'], string> = {
  'pprof-proto': 'a pprof protobuf',
  'heap-text': 'a debug=1 heap text',
  'count-text': 'a debug=1 count text',
  'contention-text': 'a debug=1 contention text',
  'goroutine-dump': 'a goroutine dump',
  'top-table': 'a pasted top table',
  'pprof-peek': 'a pasted peek report',
  'pprof-tree': 'a pasted tree report',
  'pprof-list': 'a pasted list report',
  'pprof-traces': 'a pasted traces report',
  'pprof-raw': 'a pasted raw report',
};

/** A short word for what kind of profile this is ("heap", "cpu", "goroutine"). */
export function profileKindWord(p: Profile): string {
  const types = new Set(p.sampleTypes.map((t) => t.type));
  if (types.has('inuse_space') || types.has('alloc_space')) return 'heap';
  if (types.has('cpu')) return 'cpu';
  if (types.has('goroutine') || types.has('goroutines')) return 'goroutine';
  if (types.has('delay') || types.has('contentions')) return 'mutex/block';
  if (types.has('threadcreate')) return 'threadcreate';
  return p.sampleTypes.map((t) => t.type).join('/') || 'empty';
}

/** pprof's compatibleValueTypes: type names equal up to a trailing `s`, units of one kind. */
function compatibleValueTypes(a: ValueType | undefined, b: ValueType | undefined): boolean {
  if (!a || !b) return true;
  if (trimS(a.type) !== trimS(b.type)) return false;
  if (a.unit === b.unit) return true;
  const ka = unitKind(a.unit);
  return ka !== 'other' && ka === unitKind(b.unit);
}

/** The finer of two compatible units (measurement.CommonValueType). */
function finerUnit(a: string, b: string): string {
  const [ratio] = scale(1, b, a);
  return ratio < 1 ? b : a;
}

/**
 * Throws a one-line UserError when two profiles cannot be compared (pprof would refuse them, or
 * the result would be nonsense); returns warnings for doubtful but possible comparisons.
 */
export function checkComparable(base: Profile, next: Profile, baseName = 'base', newName = 'new'): string[] {
  for (const [p, name] of [
    [base, baseName],
    [next, newName],
  ] as const) {
    if (!p.source.hasStacks) {
      throw new UserError(`${name}: a pasted top table has no call stacks; comparing needs two profiles`);
    }
  }
  const kb = profileKindWord(base);
  const kn = profileKindWord(next);
  const mismatch = () =>
    new UserError(
      `cannot compare ${baseName} (${kb}: ${describeTypes(base)}) with ${newName} (${kn}: ${describeTypes(next)}): different sample types`,
    );
  if (base.sampleTypes.length !== next.sampleTypes.length) throw mismatch();
  for (let i = 0; i < base.sampleTypes.length; i++) {
    if (!compatibleValueTypes(base.sampleTypes[i], next.sampleTypes[i])) throw mismatch();
  }
  if (!compatibleValueTypes(base.periodType, next.periodType)) {
    throw new UserError(
      `cannot compare ${baseName} with ${newName}: different period types (${base.periodType?.type}/${base.periodType?.unit} vs ${next.periodType?.type}/${next.periodType?.unit})`,
    );
  }
  const warnings: string[] = [];
  if (base.timeNanos > 0 && next.timeNanos > 0 && next.timeNanos < base.timeNanos) {
    const day = (ns: number) => new Date(ns / 1e6).toISOString().slice(0, 10);
    const days = Math.round((base.timeNanos - next.timeNanos) / 86_400e9);
    const gap = days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : 'less than a day';
    warnings.push(
      `warning: ${newName} (${day(next.timeNanos)}) was collected ${gap} before ${baseName} (${day(base.timeNanos)}): the order is diff <base> <new>, so every change reads backwards`,
    );
  }
  if (base.source.format !== next.source.format) {
    warnings.push(
      `warning: ${baseName} is ${FORMAT_WORDS[base.source.format]} and ${newName} ${FORMAT_WORDS[next.source.format]}: the formats record stacks differently (e.g. text dumps leave out runtime frames), so some differences are artifacts`,
    );
  }
  const namesB = new Set<string>();
  for (const f of base.functions) if (f.name !== '') namesB.add(f.name);
  let named = 0;
  let common = 0;
  for (const f of next.functions) {
    if (f.name === '') continue;
    named++;
    if (namesB.has(f.name)) common++;
  }
  const fileOf = (p: Profile) => {
    const f = p.mappings[0]?.file ?? '';
    return f.slice(f.lastIndexOf('/') + 1);
  };
  const fb = fileOf(base);
  const fn = fileOf(next);
  if (named > 0 && namesB.size > 0 && common === 0) {
    const progs = fb && fn && fb !== fn ? ` ('${fb}' vs '${fn}')` : '';
    throw new UserError(
      `cannot compare ${baseName} with ${newName}: no function in common, they are from different programs${progs}`,
    );
  }
  if (fb && fn && fb !== fn) {
    warnings.push(
      `warning: ${baseName} is from '${fb}' and ${newName} from '${fn}': different programs? Only functions with the same name are matched`,
    );
  } else {
    const ib = base.mappings[0]?.buildId ?? '';
    const inn = next.mappings[0]?.buildId ?? '';
    if (ib && inn && ib !== inn) {
      warnings.push(
        `warning: ${baseName} and ${newName} come from different builds (build ID ${ib.slice(0, 12)}… vs ${inn.slice(0, 12)}…): functions are matched by name`,
      );
    }
  }
  return warnings;
}

/** pprof's Profile.ScaleN: values × ratio (Go rounding); a sample whose scaled values are all 0 goes. */
export function scaleSamples(p: Profile, ratios: number[]): Profile {
  if (ratios.every((r) => r === 1)) return p;
  const s = p.samples;
  const nT = p.sampleTypes.length;
  const keep: number[] = [];
  const values = new Float64Array(s.values.length);
  for (let i = 0; i < s.length; i++) {
    let keepSample = false;
    for (let k = 0; k < nT; k++) {
      const v = s.values[i * nT + k]!;
      if (ratios[k] !== 1) {
        const val = goRound(v * ratios[k]!);
        values[i * nT + k] = val === 0 ? 0 : val;
        // pprof only looks at the scaled columns when deciding to keep a sample.
        keepSample = keepSample || val !== 0;
      } else {
        values[i * nT + k] = v;
      }
    }
    if (keepSample) keep.push(i);
  }
  return { ...p, samples: selectSamples(s, values, nT, keep) };
}

function selectSamples(s: SampleTable, values: Float64Array, nT: number, keep: number[]): SampleTable {
  if (keep.length === s.length) return { ...s, values };
  const n = keep.length;
  const outValues = new Float64Array(n * nT);
  const stackStart = new Uint32Array(n + 1);
  let total = 0;
  for (const i of keep) total += s.stackStart[i + 1]! - s.stackStart[i]!;
  const stack = new Uint32Array(total);
  const labels = s.labels ? ([] as (Label[] | undefined)[]) : undefined;
  let at = 0;
  keep.forEach((i, j) => {
    outValues.set(values.subarray(i * nT, i * nT + nT), j * nT);
    stackStart[j] = at;
    stack.set(s.stack.subarray(s.stackStart[i]!, s.stackStart[i + 1]!), at);
    at += s.stackStart[i + 1]! - s.stackStart[i]!;
    labels?.push(s.labels![i]);
  });
  stackStart[n] = at;
  return { length: n, values: outValues, stackStart, stack, labels };
}

/** measurement.ScaleProfiles for two profiles: each sample type in the finer of the two units. */
function harmonizeUnits(base: Profile, next: Profile): [Profile, Profile] {
  const common = base.sampleTypes.map((t, i) => {
    const u = next.sampleTypes[i]!.unit;
    return t.unit === u ? t.unit : finerUnit(t.unit, u);
  });
  const fix = (p: Profile): Profile => {
    const ratios = p.sampleTypes.map((t, i) => (t.unit === common[i] ? 1 : scale(1, t.unit, common[i]!)[0]));
    if (ratios.every((r) => r === 1)) return p;
    const scaled = scaleSamples(p, ratios);
    return { ...scaled, sampleTypes: p.sampleTypes.map((t, i) => ({ type: t.type, unit: common[i]! })) };
  };
  return [fix(base), fix(next)];
}

/** Σ value per sample type (signed, as pprof's Normalize sums). */
function sums(p: Profile): number[] {
  const nT = p.sampleTypes.length;
  const out = new Array<number>(nT).fill(0);
  const v = p.samples.values;
  for (let i = 0; i < p.samples.length; i++) for (let k = 0; k < nT; k++) out[k]! += v[i * nT + k]!;
  return out;
}

/** A mapping's identity for merging (profile.Mapping.key). */
function mappingKey(m: Mapping): string {
  let size = m.memoryLimit - m.memoryStart;
  size = size + 0xfff;
  size -= size % 0x1000;
  const id = m.buildId !== '' ? `b:${m.buildId}` : `f:${m.file}`;
  return `${size}\u0000${m.fileOffset}\u0000${id}`;
}

function withBaseLabel(ls: Label[] | undefined): Label[] {
  const out = (ls ?? []).filter((l) => !(l.key === BASE_LABEL && l.str !== undefined));
  out.push({ key: BASE_LABEL, str: 'true' });
  return out;
}

/**
 * Concatenates new and (already negated) base into one profile, relocating base locations onto
 * new's mappings of the same binary. `labelBase` marks base samples with pprof::base=true.
 */
function concat(next: Profile, base: Profile, labelBase: boolean): Profile {
  const mappings = next.mappings.slice();
  const byKey = new Map<string, number>();
  mappings.forEach((m, i) => {
    const k = mappingKey(m);
    if (!byKey.has(k)) byKey.set(k, i);
  });
  const mapOf = new Int32Array(base.mappings.length);
  const shift = new Float64Array(base.mappings.length);
  base.mappings.forEach((m, i) => {
    const k = mappingKey(m);
    const at = byKey.get(k);
    if (at !== undefined) {
      mapOf[i] = at;
      shift[i] = mappings[at]!.memoryStart - m.memoryStart;
    } else {
      mapOf[i] = mappings.length;
      byKey.set(k, mappings.length);
      mappings.push({ ...m, id: mappings.length + 1 });
    }
  });
  const fnOffset = next.functions.length;
  const functions = next.functions.concat(base.functions.map((f, i) => ({ ...f, id: fnOffset + i + 1 })));
  const locOffset = next.locations.length;
  const locations = next.locations.concat(
    base.locations.map((l, i) => ({
      id: locOffset + i + 1,
      mapping: l.mapping >= 0 ? mapOf[l.mapping]! : -1,
      address: l.mapping >= 0 ? l.address + shift[l.mapping]! : l.address,
      lines: l.lines.map((ln) => ({ fn: ln.fn >= 0 ? ln.fn + fnOffset : -1, line: ln.line, column: ln.column })),
      isFolded: l.isFolded,
    })),
  );

  const a = next.samples;
  const b = base.samples;
  const nT = next.sampleTypes.length;
  const n = a.length + b.length;
  const values = new Float64Array(n * nT);
  values.set(a.values.subarray(0, a.length * nT), 0);
  values.set(b.values.subarray(0, b.length * nT), a.length * nT);
  const stackStart = new Uint32Array(n + 1);
  const aFrames = a.stackStart[a.length]!;
  const bFrames = b.stackStart[b.length]!;
  stackStart.set(a.stackStart.subarray(0, a.length), 0);
  for (let i = 0; i <= b.length; i++) stackStart[a.length + i] = aFrames + b.stackStart[i]!;
  const stack = new Uint32Array(aFrames + bFrames);
  stack.set(a.stack.subarray(0, aFrames), 0);
  for (let j = 0; j < bFrames; j++) stack[aFrames + j] = b.stack[j]! + locOffset;
  let labels: (Label[] | undefined)[] | undefined;
  if (labelBase || a.labels || b.labels) {
    labels = new Array(n);
    for (let i = 0; i < a.length; i++) labels[i] = a.labels?.[i];
    for (let i = 0; i < b.length; i++) labels[a.length + i] = labelBase ? withBaseLabel(b.labels?.[i]) : b.labels?.[i];
  }

  // combineHeaders, in pprof's order [new, base].
  let timeNanos = 0;
  let durationNanos = 0;
  let period = 0;
  const comments: string[] = [];
  const seen = new Set<string>();
  let defaultSampleType: string | undefined;
  for (const p of [next, base]) {
    if (timeNanos === 0 || p.timeNanos < timeNanos) timeNanos = p.timeNanos;
    durationNanos += p.durationNanos;
    if (period === 0 || period < p.period) period = p.period;
    for (const c of p.comments) {
      if (!seen.has(c)) {
        seen.add(c);
        comments.push(c);
      }
    }
    if (!defaultSampleType) defaultSampleType = p.defaultSampleType || undefined;
  }
  return {
    sampleTypes: next.sampleTypes.map((t) => ({ ...t })),
    defaultSampleType,
    periodType: next.periodType,
    period,
    timeNanos,
    durationNanos,
    comments,
    docUrl: next.docUrl,
    dropFrames: next.dropFrames,
    keepFrames: next.keepFrames,
    mappings,
    locations,
    functions,
    samples: { length: n, values, stackStart, stack, labels },
    source: {
      format: next.source.format,
      path: next.source.path,
      truncated: next.source.truncated || base.source.truncated,
      hasStacks: true,
      notes: [],
    },
  };
}

/** The profiles pprof builds for `-diff_base` / `-base` (see the file comment). */
export function combineForDiff(base: Profile, next: Profile, opts: CombineOptions = {}): Combined {
  const mode = opts.mode ?? 'compare';
  const warnings = checkComparable(base, next, opts.baseName, opts.newName);
  const [b, n0] = harmonizeUnits(base, next);
  let n = n0;
  let normalizeScale = n.sampleTypes.map(() => 1);
  if (opts.normalize) {
    const baseVals = sums(b);
    const srcVals = sums(n);
    normalizeScale = baseVals.map((bv, i) => (srcVals[i] === 0 ? 0 : bv / srcVals[i]!));
    n = scaleSamples(n, normalizeScale);
  }
  const negBase = scaleSamples(
    b,
    b.sampleTypes.map(() => -1),
  );
  const sided = concat(n, negBase, true);
  let profile: Profile;
  if (mode === 'compare') {
    profile = sided;
  } else {
    profile = mergeSamples(concat(n, negBase, false));
  }
  return { profile, sided, newSide: n, baseSide: b, normalizeScale, warnings };
}
