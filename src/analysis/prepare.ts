/**
 * The steps every pprof text report shares, in pprof's order (internal/driver/driver.go):
 * sample type → drop_frames/keep_frames → total → focus/ignore/hide/show/show_from, tag filters,
 * prune_from → aggregation by granularity. Reports (top, peek, traces) start from the result.
 *
 * Environment-neutral: no Node-only imports.
 */
import { UserError } from '../errors.js';
import {
  type FilterMatches,
  filterProfile,
  type NameFilters,
  numLabelUnits,
  removeUninteresting,
} from '../profile/filter.js';
import { defaultSampleIndex, type Profile, sampleTotal } from '../profile/model.js';
import { type Granularity, goBaseName } from './graph.js';

/** Options shared by pprof-style reports. Unset fields take pprof's defaults. */
export interface AnalysisOptions extends NameFilters {
  /** Sample type name (pprof's `inuse_` prefix tolerated) or index; default = pprof's default. */
  sampleIndex?: string | number;
  /** Default `functions`. */
  granularity?: Granularity;
  noInlines?: boolean;
  /** Percentages of the filtered samples instead of all samples (pprof's -relative_percentages). */
  relativePercentages?: boolean;
  /** Ignore the profile's drop_frames/keep_frames (pprof's -all_frames). */
  allFrames?: boolean;
}

/** What the header of a pprof text report says about the profile. */
export interface ProfileHeader {
  /** Base name of the main mapping's file (`File:`), when known. */
  file?: string;
  buildId?: string;
  /** Comments not starting with '#'. */
  comments: string[];
  sampleType: string;
  sampleUnit: string;
  timeNanos: number;
  durationNanos: number;
  /** `focus=…` etc., in pprof's order, for the `Active filters:` block. */
  activeFilters: string[];
}

export interface Prepared {
  /** The profile after drop_frames and the name filters. */
  profile: Profile;
  valueIndex: number;
  sampleType: string;
  sampleUnit: string;
  /**
   * pprof's report total: Σ|value| before focus filters (after, with relativePercentages); with
   * `mean`, divided by the sum of the first sample type (pprof's computeTotal).
   */
  total: number;
  header: ProfileHeader;
  matched: FilterMatches;
  /** What pprof prints on stderr, in its order, e.g. "Focus expression matched no samples". */
  warnings: string[];
}

/** How prepare counts values; only reports that show per-node means (top) set `mean`. */
export interface PrepareValues {
  /**
   * pprof's -mean: the total (and the `Type:` header, as mean_<type>) is per unit of the first
   * sample type, the count pprof divides by.
   */
  mean?: boolean;
}

/** pprof's alias flags for sample types (`-inuse_space` = `-sample_index=inuse_space`, …). */
export const SAMPLE_INDEX_ALIASES: Record<string, string> = {
  inuse_space: 'inuse_space',
  inuse_objects: 'inuse_objects',
  alloc_space: 'alloc_space',
  alloc_objects: 'alloc_objects',
  total_delay: 'delay',
  contentions: 'contentions',
};

/** pprof's SampleIndexByName. Throws a UserError listing the valid names. */
export function resolveSampleIndex(p: Profile, sampleIndex: string | number | undefined): number {
  if (p.sampleTypes.length === 0) throw new UserError('profile has no samples');
  if (sampleIndex === undefined || sampleIndex === '') return defaultSampleIndex(p);
  const max = p.sampleTypes.length - 1;
  if (typeof sampleIndex === 'number' || /^[+-]?\d+$/.test(sampleIndex)) {
    const i = Number(sampleIndex);
    if (!Number.isInteger(i) || i < 0 || i > max) {
      throw new UserError(`sample_index ${sampleIndex} is outside the range [0..${max}]`);
    }
    return i;
  }
  const noInuse = sampleIndex.startsWith('inuse_') ? sampleIndex.slice('inuse_'.length) : sampleIndex;
  const i = p.sampleTypes.findIndex((t) => t.type === sampleIndex || t.type === noInuse);
  if (i < 0) {
    let names = p.sampleTypes.map((t) => t.type).join(' ');
    // One line: a broken profile may declare thousands of sample types.
    if (names.length > 150) names = `${names.slice(0, 149)}…`;
    throw new UserError(`sample_index "${sampleIndex}" must be one of: [${names}]`);
  }
  return i;
}

/** Go's int64 division (truncated toward zero), exact for integers beyond 2^53 too. */
export function goIntDiv(a: number, b: number): number {
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return Number(BigInt(a) / BigInt(b));
  return Math.trunc(a / b);
}

/**
 * pprof's computeTotal: Σ|value|; if some samples carry the label pprof::base=true (a
 * -diff_base comparison), only those count. With `divisorIndex` (pprof's -mean), the result is
 * that sum divided by the sum of column `divisorIndex` over the same samples (when not 0).
 */
export function computeTotal(p: Profile, valueIndex: number, divisorIndex?: number): number {
  if (divisorIndex !== undefined) return meanTotal(p, valueIndex, divisorIndex);
  const { values, length, labels } = p.samples;
  // No labels, so no pprof::base samples (or a total the input states): the plain sum.
  if (labels === undefined || p.samples.declaredTotals?.[valueIndex] !== undefined) return sampleTotal(p, valueIndex);
  const nTypes = p.sampleTypes.length;
  let total = 0;
  let diffTotal = 0;
  for (let s = 0; s < length; s++) {
    const v = Math.abs(values[s * nTypes + valueIndex]!);
    total += v;
    const ls = labels?.[s];
    if (ls?.some((l) => l.key === 'pprof::base' && l.str === 'true')) diffTotal += v;
  }
  return diffTotal > 0 ? diffTotal : total;
}

/** computeTotal with pprof's mean divisor (the divisor is summed with its sign, as pprof does). */
function meanTotal(p: Profile, valueIndex: number, divisorIndex: number): number {
  const { values, length, labels } = p.samples;
  const nTypes = p.sampleTypes.length;
  let total = 0;
  let div = 0;
  let diffTotal = 0;
  let diffDiv = 0;
  for (let s = 0; s < length; s++) {
    const v = Math.abs(values[s * nTypes + valueIndex]!);
    const d = values[s * nTypes + divisorIndex]!;
    total += v;
    div += d;
    if (labels?.[s]?.some((l) => l.key === 'pprof::base' && l.str === 'true')) {
      diffTotal += v;
      diffDiv += d;
    }
  }
  if (diffTotal > 0) {
    total = diffTotal;
    div = diffDiv;
  }
  return div !== 0 ? goIntDiv(total, div) : total;
}

/** Go's url.Parse(s).IsAbs(): the string starts with a URL scheme. */
function looksLikeUrl(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s);
}

/** Header facts, as pprof's ProfileLabels reads them. */
export function profileHeader(p: Profile, valueIndex: number, filters: NameFilters): ProfileHeader {
  const st = p.sampleTypes[valueIndex]!;
  const m0 = p.mappings[0];
  let file: string | undefined;
  let buildId: string | undefined;
  if (m0) {
    // pprof drops mapping files that are URLs when there is no build id (unsourceMappings).
    const f = m0.buildId === '' && looksLikeUrl(m0.file) ? '' : m0.file;
    if (f !== '') file = goBaseName(f);
    if (m0.buildId !== '') buildId = m0.buildId;
  }
  const activeFilters: string[] = [];
  const add = (k: string, v: string | undefined) => {
    if (v) activeFilters.push(`${k}=${v}`);
  };
  add('focus', filters.focus);
  add('ignore', filters.ignore);
  add('hide', filters.hide);
  add('show', filters.show);
  add('show_from', filters.showFrom);
  add('tagfocus', filters.tagFocus);
  add('tagignore', filters.tagIgnore);
  add('tagshow', filters.tagShow);
  add('taghide', filters.tagHide);
  return {
    file,
    buildId,
    comments: p.comments.filter((c) => !c.startsWith('#')),
    sampleType: st.type,
    sampleUnit: st.unit,
    timeNanos: p.timeNanos,
    durationNanos: p.durationNanos,
    activeFilters,
  };
}

const WARN_NAMES: [keyof FilterMatches, string][] = [
  ['focus', 'Focus'],
  ['ignore', 'Ignore'],
  ['hide', 'Hide'],
  ['show', 'Show'],
  ['showFrom', 'ShowFrom'],
  ['tagFocus', 'TagFocus'],
  ['tagIgnore', 'TagIgnore'],
  ['tagShow', 'TagShow'],
  ['tagHide', 'TagHide'],
];

/** Runs the shared steps. Throws UserError on a bad sample index or regex. */
export function prepare(p: Profile, opts: AnalysisOptions = {}, values: PrepareValues = {}): Prepared {
  if (!p.source.hasStacks) {
    throw new UserError('this input has no call stacks (a pasted table): the report needs a profile with samples');
  }
  const valueIndex = resolveSampleIndex(p, opts.sampleIndex);
  const st = p.sampleTypes[valueIndex]!;
  // pprof divides by the first sample type (its valueExtractor(0)).
  const divisorIndex = values.mean ? 0 : undefined;
  // pprof reports numeric label keys seen with several units on every run.
  const warnings = p.samples.labels ? numLabelUnits(p).conflicts : [];
  const base = opts.allFrames ? p : removeUninteresting(p);
  // A drop_frames / keep_frames over the compile budget is ignored with a note: say so.
  if (base.source !== p.source) warnings.push(...base.source.notes.filter((n) => !p.source.notes.includes(n)));
  let total = opts.relativePercentages ? 0 : computeTotal(base, valueIndex, divisorIndex);
  const { profile, matched, notes } = filterProfile(base, opts);
  if (opts.relativePercentages) total = computeTotal(profile, valueIndex, divisorIndex);
  warnings.push(...notes);
  for (const [k, label] of WARN_NAMES) {
    if (matched[k] === false) warnings.push(`${label} expression matched no samples`);
  }
  const header = profileHeader(p, valueIndex, opts);
  if (values.mean) header.sampleType = `mean_${header.sampleType}`;
  return {
    profile,
    valueIndex,
    sampleType: st.type,
    sampleUnit: st.unit,
    total,
    header,
    matched,
    warnings,
  };
}
