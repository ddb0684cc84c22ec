/**
 * `pprof-doctor trend --format json`: the document described by schema/trend.schema.json. Values
 * are in the sample type's unit; slopes per hour (null without snapshot times) and per snapshot.
 *
 * Environment-neutral: no Node-only imports.
 */
import { type TrendGroups, singleGroup } from '../analysis/trend-groups.js';
import type { RuleTrend, TrendEntry, TrendReport } from '../analysis/trend.js';
import { isoTime, plainValue } from './diff-format.js';

/** 2: one document for every group (kind × member); each trended group holds what version 1 was. */
export const TREND_SCHEMA_VERSION = 2;

export interface TrendRenderOptions {
  toolVersion?: string;
  command?: string;
  tz?: 'utc' | 'local';
  /** Rows per table in text / Markdown / HTML (JSON lists everything the report holds). */
  rowLimit?: number;
}

function entryJson(e: TrendEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: e.name,
    values: e.values,
    first: e.stats.first,
    last: e.stats.last,
    min: e.stats.min,
    max: e.stats.max,
    delta: e.stats.last - e.stats.first,
    fittedGrowth: e.stats.fittedGrowth,
    slopePerHour: e.stats.slopePerHour,
    slopePerSnapshot: e.stats.slopePerSnapshot,
    r2: e.stats.r2,
    nonDecreasingSteps: e.stats.nonDecreasingSteps,
    steps: e.stats.steps,
    verdict: e.verdict,
    confidence: e.confidence,
    confidenceFactors: e.confidenceFactors,
    why: e.why,
  };
  if (e.bounded) out.bounded = e.bounded;
  return out;
}

function ruleJson(r: RuleTrend): Record<string, unknown> {
  return {
    ...entryJson(r),
    id: r.id,
    title: r.title,
    severity: r.severity,
    sampleType: r.sampleType,
    unit: r.unit,
    basis: r.basis,
    patterns: r.patterns,
    shares: r.shares,
    firesOnLast: r.firesOnLast,
    fixedIn: r.fixedIn,
  };
}

/** One group's trend (the `trend` object of a group). */
export function trendJson(r: TrendReport): Record<string, unknown> {
  return {
    kind: r.kind,
    sampleType: r.sampleType,
    unit: r.unit,
    cumulative: r.cumulative,
    order: r.order,
    leak: r.leak,
    leakConfidence: r.leakConfidence,
    leakStacks: r.leakStacks,
    summary: r.summary,
    snapshots: r.snapshots.map((s) => ({
      name: s.name,
      time: isoTime(s.timeNanos),
      timeNanos: s.timeNanos,
      offsetSeconds: s.offsetSeconds,
      total: s.total,
      totalText: plainValue(s.total, r.unit, 'auto'),
    })),
    total: entryJson(r.total),
    totalWithoutBounded: entryJson(r.unboundedTotal),
    stacks: r.stacks.map((s) => ({ ...entryJson(s), frames: s.frames })),
    stackCount: r.stackCount,
    functions: r.functions.map(entryJson),
    functionCount: r.functionCount,
    rules: r.rules ? r.rules.map(ruleJson) : null,
    projection: r.projection
      ? {
          ...r.projection,
          at: r.projection.atNanos !== null ? isoTime(r.projection.atNanos) : null,
          limitText: plainValue(r.projection.limit, r.unit, 'auto'),
        }
      : null,
    boundedKinds: r.boundedKinds.map((b) => (b.rule ? b : { id: b.id, reason: b.reason })),
    warnings: r.warnings,
    notes: r.notes,
  };
}

export function trendGroupsJson(g: TrendGroups, opts: TrendRenderOptions = {}): Record<string, unknown> {
  return {
    schemaVersion: TREND_SCHEMA_VERSION,
    tool: { name: 'pprof-doctor', version: opts.toolVersion ?? '' },
    leak: g.leak,
    trended: g.trended,
    groups: g.groups.map((x) => ({
      label: x.label,
      kind: x.kind,
      member: x.member,
      files: x.files,
      summary: x.summary,
      note: x.note ?? null,
      trend: x.report ? trendJson(x.report) : null,
    })),
    notes: g.notes,
  };
}

export function formatTrendGroupsJson(g: TrendGroups, opts: TrendRenderOptions = {}): string {
  return `${JSON.stringify(trendGroupsJson(g, opts), null, 2)}\n`;
}

/** One trend as a version 2 document with a single group. */
export function formatTrendJson(r: TrendReport, opts: TrendRenderOptions = {}): string {
  return formatTrendGroupsJson(singleGroup(r), opts);
}
