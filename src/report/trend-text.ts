/**
 * `pprof-doctor trend` for the terminal: the snapshots, the verdict, the projection, the growing
 * stacks and functions with a sparkline each, and the rules whose signatures grow.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { TrendGroups } from '../analysis/trend-groups.js';
import type { TrendEntry, TrendReport } from '../analysis/trend.js';
import { durationText, padEnd, padStart, plainValue, shareText, snapshotTime } from './diff-format.js';
import {
  confidenceText,
  FILES_SHOWN,
  groupsHeading,
  onlyTrend,
  orderText,
  profilesText,
  projectionText,
  r2Text,
  rangeText,
  slopeText,
  sparkline,
  stackText,
} from './trend-format.js';
import type { TrendRenderOptions } from './trend-json.js';
import { escapeStrings, MULTILINE_KEYS } from './escape.js';

function table(head: string[], rows: string[][], leftCols: number[]): string[] {
  const widths = head.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]!].length)));
  const last = head.length - 1;
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === last ? c : leftCols.includes(i) ? padEnd(c, widths[i]!) : padStart(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

function entryRow(e: TrendEntry, unit: string, label: string): string[] {
  return [e.verdict, confidenceText(e), sparkline(e.values), rangeText(e, unit), slopeText(e, unit), r2Text(e), label];
}

export function formatTrendText(report: TrendReport, opts: TrendRenderOptions = {}): string {
  const r = escapeStrings(report, MULTILINE_KEYS);
  const tz = opts.tz ?? 'utc';
  const u = r.unit;
  const limit = opts.rowLimit ?? 15;
  const out: string[] = [];
  const n = r.snapshots.length;
  const span = r.snapshots[n - 1]!.offsetSeconds;
  out.push(
    `Trend of ${r.sampleType} over ${n} ${r.kind} profiles${span !== null ? ` (${durationText(span * 1e9)})` : ''}, ${orderText(r)}:`,
  );
  const times = r.snapshots.map((s) => snapshotTime(s.timeNanos, tz));
  const tw = Math.max(...times.map((t) => t.length));
  r.snapshots.forEach((s, i) => {
    const off = s.offsetSeconds !== null ? `+${durationText(s.offsetSeconds * 1e9)}` : '';
    out.push(
      `  ${padStart(String(i + 1), 2)}  ${padEnd(times[i]!, tw)}  ${padStart(off, 7)}  ${padStart(plainValue(s.total, u, 'auto'), 10)}  ${s.name}`,
    );
  });
  for (const w of r.warnings) out.push(w);
  for (const note of r.notes) out.push(`note: ${note}`);
  out.push('');
  out.push(`Verdict: ${r.summary}`);
  const t = r.total;
  out.push(`Total: ${sparkline(t.values)} ${rangeText(t, u)}, ${slopeText(t, u)}, R² ${r2Text(t)}: ${t.verdict}`);
  if (r.unboundedTotal.verdict !== t.verdict) {
    const ub = r.unboundedTotal;
    out.push(`Without bounded growth: ${sparkline(ub.values)} ${rangeText(ub, u)}, ${slopeText(ub, u)}: ${ub.verdict}`);
  }
  if (r.projection) out.push(`Projection: ${projectionText(r, tz)}`);
  if (r.projection?.status === 'approaching' && r.sampleType === 'inuse_space') {
    out.push(
      '  (inuse_space is the live heap at the last GC; the process holds more: up to ~2× with GOGC=100, plus stacks and runtime overhead)',
    );
  }

  const head = ['verdict', 'conf', 'trend', 'first → last', 'slope', 'R²'];
  const stacks = r.stacks.slice(0, limit);
  out.push('');
  if (stacks.length === 0) {
    out.push('Stacks: none changes beyond the noise floor.');
  } else {
    out.push(`Stacks that change (${r.stackCount}; largest growth first; leaf ← callers):`);
    out.push(
      ...table(
        [...head, 'stack'],
        stacks.map((s) => entryRow(s, u, stackText(s.frames))),
        [0, 2],
      ).map((l) => `  ${l}`),
    );
    if (r.stackCount > stacks.length) out.push(`  … ${r.stackCount - stacks.length} more`);
  }
  const fns = r.functions.slice(0, limit);
  out.push('');
  if (fns.length === 0) {
    out.push('Functions: none changes beyond the noise floor.');
  } else {
    out.push(`Functions that change (${r.functionCount}; cum; largest growth first):`);
    out.push(
      ...table(
        [...head, 'function'],
        fns.map((f) => entryRow(f, u, f.name)),
        [0, 2],
      ).map((l) => `  ${l}`),
    );
    if (r.functionCount > fns.length) out.push(`  … ${r.functionCount - fns.length} more`);
  }
  if (r.rules) {
    out.push('');
    if (r.rules.length === 0) {
      out.push('Rules: no rule signature grows, and no rule fires on the last snapshot.');
    } else {
      out.push('Rules whose signature grows or that fire on the last snapshot:');
      for (const x of r.rules) {
        const shares = `${shareText(x.shares[0]!)} → ${shareText(x.shares[x.shares.length - 1]!)} of ${x.sampleType}`;
        const fix = x.fixedIn.length ? `; fixed in ${x.fixedIn.join(', ')}` : '';
        out.push(
          `  ${padEnd(x.verdict, 11)} ${sparkline(x.values)}  ${x.id} (${x.severity}): signature ${shares}, ${slopeText(x, x.unit)}; ${x.firesOnLast ? 'fires on the last snapshot' : 'does not fire on the last snapshot'}${fix}`,
        );
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * Every group: a summary line per group first, then each group's trend (or why it has none). A
 * run with one trended group and nothing to add reads as a single trend.
 */
export function formatTrendGroupsText(g: TrendGroups, opts: TrendRenderOptions = {}): string {
  const only = onlyTrend(g);
  if (only) return formatTrendText(only, opts);
  const out: string[] = [`Trend of ${groupsHeading(g)}:`];
  const w = Math.max(...g.groups.map((x) => [...x.label].length));
  for (const x of g.groups) out.push(`  ${padEnd(x.label, w)}  ${x.summary}`);
  for (const note of g.notes) out.push(`note: ${note}`);
  for (const x of g.groups) {
    out.push('', `── ${x.label} (${profilesText(x.files.length)}) ──`);
    if (x.report) {
      out.push(formatTrendText(x.report, opts).trimEnd());
      if (x.note) out.push(`note: ${x.note}`);
    } else {
      out.push(`Not trended: ${x.note ?? ''}`);
      for (const f of x.files.slice(0, FILES_SHOWN)) out.push(`  ${f}`);
      if (x.files.length > FILES_SHOWN) out.push(`  … ${x.files.length - FILES_SHOWN} more`);
    }
  }
  return `${out.join('\n')}\n`;
}
