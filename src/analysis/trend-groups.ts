/**
 * `trend` over a folder, a collected bundle or several bundles: the profiles are split into groups
 * — one per profile kind (heap, allocs, goroutine, cpu, mutex, block…) and member (a bundle's
 * member; plain files form one member-less group) — and each group gets its own trend. Across
 * bundles the member name is the key, so `trend B1 B2 B3` follows every member through the
 * collections. A group that cannot be trended (too few profiles, a kind trend does not read, or
 * profiles that do not compare) gets a one-line note instead of failing the run.
 *
 * Computed once here; the renderers only render the result.
 *
 * Environment-neutral: no Node-only imports.
 */
import { UserError } from '../errors.js';
import type { Profile } from '../profile/model.js';
import { profileKindWord } from './compare/combine.js';
import { parseLimit } from './compare/size.js';
import { type TrendOptions, type TrendReport, projectLimit, trend } from './trend.js';

/** Fewest profiles a trend needs. */
export const MIN_TREND_PROFILES = 3;

/** The kinds trend reads; others get a note. */
const TRENDED = new Set(['heap', 'allocs', 'goroutine']);

/** Group order within a member. */
const KIND_ORDER = ['heap', 'allocs', 'goroutine', 'cpu', 'mutex', 'block', 'mutex/block', 'threadcreate'];

export interface TrendInput {
  profile: Profile;
  /** The name shown for it (its path). */
  name: string;
  /** The member it came from (a bundle's member folder or manifest entry); none for plain files. */
  member?: string;
  /** The kind a bundle's manifest gives it (heap, allocs, goroutine, goroutine-debug2, mutex, block…). */
  kind?: string;
}

export interface TrendGroupOptions extends Omit<TrendOptions, 'names' | 'limit'> {
  /** `--limit` as typed: read in each group's sample unit; groups of another unit get a note. */
  limitText?: string;
}

export interface TrendGroup {
  /** `heap`, or `heap · etcd-1` for a member. */
  label: string;
  kind: string;
  member: string | null;
  /** Input names in this group, in the order given. */
  files: string[];
  /** The trend, or null when the group could not be trended (see `note`). */
  report: TrendReport | null;
  /** Why there is no trend, or what was left out of it (one line). */
  note?: string;
  /** One line for the summary: the verdict, or the note. */
  summary: string;
}

export interface TrendGroups {
  groups: TrendGroup[];
  /** Some trended group is a leak. */
  leak: boolean;
  /** Groups that got a trend. */
  trended: number;
  /** Notes about the inputs as a whole (files left out). */
  notes: string[];
}

/** The kind of one input: the manifest's word when there is one, else read from the profile. */
export function inputKind(input: TrendInput): string {
  if (input.kind) return input.kind;
  const k = profileKindWord(input.profile);
  return k === 'heap' && input.profile.defaultSampleType === 'alloc_space' ? 'allocs' : k;
}

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/** Splits the inputs by member and kind and trends each group. */
export function trendGroups(inputs: readonly TrendInput[], opts: TrendGroupOptions = {}): TrendGroups {
  const notes: string[] = [];
  // A bundle holds each member's goroutines twice: the proto profile and the debug=2 dump. The
  // dump is read only for a member that has no goroutine profile.
  const protoGoroutine = new Set(
    inputs.filter((i) => inputKind(i) === 'goroutine' && i.kind !== 'goroutine-debug2').map((i) => i.member ?? ''),
  );
  let droppedDumps = 0;
  const byKey = new Map<string, { kind: string; member: string | null; items: TrendInput[] }>();
  const members: (string | null)[] = [];
  for (const input of inputs) {
    let kind = inputKind(input);
    if (kind === 'goroutine-debug2') {
      if (protoGoroutine.has(input.member ?? '')) {
        droppedDumps++;
        continue;
      }
      kind = 'goroutine';
    }
    const member = input.member ?? null;
    if (!members.includes(member)) members.push(member);
    const key = `${member ?? ''}\u0000${kind}`;
    let g = byKey.get(key);
    if (!g) {
      g = { kind, member, items: [] };
      byKey.set(key, g);
    }
    g.items.push(input);
  }
  if (droppedDumps > 0) {
    notes.push(
      `${droppedDumps} goroutine debug=2 ${droppedDumps === 1 ? 'dump' : 'dumps'} left out: the goroutine profiles of the same collections hold the same stacks`,
    );
  }
  const memberRank = (m: string | null) => members.indexOf(m);
  const sorted = [...byKey.values()].sort(
    (a, b) =>
      memberRank(a.member) - memberRank(b.member) ||
      kindRank(a.kind) - kindRank(b.kind) ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
  );

  const limitErrors: UserError[] = [];
  const groups: TrendGroup[] = sorted.map((g) => {
    const label = g.member === null ? g.kind : `${g.kind} · ${g.member}`;
    const files = g.items.map((i) => i.name);
    const skip = (note: string): TrendGroup => ({
      label,
      kind: g.kind,
      member: g.member,
      files,
      report: null,
      note,
      summary: `not trended: ${note}`,
    });
    if (!TRENDED.has(g.kind)) {
      return skip(`trend reads heap, allocs and goroutine profiles, not ${g.kind} (${countText(files.length)})`);
    }
    if (files.length < MIN_TREND_PROFILES) {
      return skip(`needs at least ${MIN_TREND_PROFILES} profiles, got ${files.length}`);
    }
    let report: TrendReport;
    try {
      report = trend(
        g.items.map((i) => i.profile),
        { ...opts, names: files },
      );
    } catch (err) {
      if (err instanceof UserError) return skip(err.message);
      throw err;
    }
    let note: string | undefined;
    if (opts.limitText !== undefined) {
      try {
        report.projection = projectLimit(report, parseLimit(opts.limitText, report.unit));
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        limitErrors.push(err);
        note = `no projection: --limit ${opts.limitText} is not in ${report.unit}`;
      }
    }
    return { label, kind: g.kind, member: g.member, files, report, note, summary: report.summary };
  });
  const trendedGroups = groups.filter((g) => g.report !== null);
  // A limit that fits no trended group is a mistake in the limit, not a per-group matter.
  if (limitErrors.length > 0 && limitErrors.length === trendedGroups.length) throw limitErrors[0]!;
  return {
    groups,
    leak: trendedGroups.some((g) => g.report!.leak),
    trended: trendedGroups.length,
    notes,
  };
}

function countText(n: number): string {
  return `${n} ${n === 1 ? 'profile' : 'profiles'}`;
}

/** One trend, as the groups of a run that had only it. */
export function singleGroup(report: TrendReport): TrendGroups {
  return {
    groups: [
      {
        label: report.kind,
        kind: report.kind,
        member: null,
        files: report.snapshots.map((s) => s.name),
        report,
        summary: report.summary,
      },
    ],
    leak: report.leak,
    trended: 1,
    notes: [],
  };
}
