/**
 * `pprof-doctor trend --format markdown`: the verdict, the snapshots, the projection, and tables of
 * the stacks, functions and rules that change, each with a Unicode sparkline (▁▂▃▄▅▆▇█, one
 * character per snapshot). GitHub-ready and deterministic.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { TrendGroups } from '../analysis/trend-groups.js';
import type { TrendEntry, TrendReport } from '../analysis/trend.js';
import { durationText, plainValue, shareText, snapshotTime } from './diff-format.js';
import { baseName } from './describe.js';
import { cell, codeBlock, codeSpan, mdText } from './markdown.js';
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
} from './trend-format.js';
import type { TrendRenderOptions } from './trend-json.js';

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function stackCell(frames: readonly string[]): string {
  if (frames.length === 0) return '&lt;no stack&gt;';
  const shown = frames.slice(0, 4).map(codeSpan).join(' ← ');
  return frames.length > 4 ? `${shown} ← … (${frames.length - 4} more)` : shown;
}

function entryCells(e: TrendEntry, unit: string): string[] {
  return [e.verdict, confidenceText(e), sparkline(e.values), rangeText(e, unit), slopeText(e, unit), r2Text(e)];
}

export function formatTrendMarkdown(r: TrendReport, opts: TrendRenderOptions = {}): string {
  const out = trendSection(
    r,
    opts,
    '##',
    `pprof-doctor trend: ${mdText(r.sampleType)} over ${r.snapshots.length} ${mdText(r.kind)} profiles`,
  );
  if (opts.command) out.push('', '### Command', '', codeBlock(opts.command, '', 'sh'));
  return `${out.join('\n')}\n`;
}

/** One trend under a heading of level `h` (`##`), its parts one level below. */
function trendSection(r: TrendReport, opts: TrendRenderOptions, h: string, title: string): string[] {
  const sub = `${h}#`;
  const tz = opts.tz ?? 'utc';
  const u = r.unit;
  const limit = opts.rowLimit ?? 15;
  const out: string[] = [];
  out.push(`${h} ${title}`, '');
  out.push(`**Verdict:** ${mdText(r.summary)}`, '');
  const t = r.total;
  out.push(`**Total:** ${sparkline(t.values)} ${rangeText(t, u)}, ${slopeText(t, u)}, R² ${r2Text(t)}: ${t.verdict}`);
  if (r.unboundedTotal.verdict !== t.verdict) {
    const ub = r.unboundedTotal;
    out.push(
      '',
      `**Without bounded growth:** ${sparkline(ub.values)} ${rangeText(ub, u)}, ${slopeText(ub, u)}: ${ub.verdict}`,
    );
  }
  if (r.projection) out.push('', `**Projection:** ${mdText(projectionText(r, tz))}`);
  out.push('');
  out.push(row(['#', 'time', 'offset', 'total', 'profile']));
  out.push('| ---: | --- | ---: | ---: | --- |');
  const shown = shortNames(r.snapshots.map((s) => s.name));
  r.snapshots.forEach((s, i) => {
    const off = s.offsetSeconds !== null ? `+${durationText(s.offsetSeconds * 1e9)}` : '';
    out.push(
      row([
        String(i + 1),
        mdText(snapshotTime(s.timeNanos, tz)),
        off,
        plainValue(s.total, u, 'auto'),
        codeSpan(shown[i]!),
      ]),
    );
  });
  out.push('', `Snapshots ${mdText(orderText(r))}.`);
  for (const w of r.warnings) out.push('', `> ${mdText(w)}`);
  for (const note of r.notes) out.push('', `> ${mdText(note)}`);

  const head = ['verdict', 'confidence', 'trend', 'first → last', 'slope', 'R²'];
  const align = '| --- | ---: | --- | ---: | ---: | ---: | --- |';
  out.push('', `${sub} Stacks that change (${r.stackCount})`, '');
  const stacks = r.stacks.slice(0, limit);
  if (stacks.length === 0) out.push('None changes beyond the noise floor.');
  else {
    out.push(row([...head, 'stack (leaf ← callers)']), align);
    for (const s of stacks) out.push(row([...entryCells(s, u), stackCell(s.frames)]));
    if (r.stackCount > stacks.length) out.push('', `${r.stackCount - stacks.length} more not shown.`);
  }
  out.push('', `${sub} Functions that change (${r.functionCount}, cum)`, '');
  const fns = r.functions.slice(0, limit);
  if (fns.length === 0) out.push('None changes beyond the noise floor.');
  else {
    out.push(row([...head, 'function']), align);
    for (const f of fns) out.push(row([...entryCells(f, u), codeSpan(f.name)]));
    if (r.functionCount > fns.length) out.push('', `${r.functionCount - fns.length} more not shown.`);
  }
  if (r.rules) {
    out.push('', `${sub} Rules`, '');
    if (r.rules.length === 0) out.push('No rule signature grows, and no rule fires on the last snapshot.');
    else {
      out.push(row(['verdict', 'trend', 'rule', 'signature first → last', 'slope', 'fires on last', 'fixed in']));
      out.push('| --- | --- | --- | --- | ---: | --- | --- |');
      for (const x of r.rules) {
        out.push(
          row([
            x.verdict,
            sparkline(x.values),
            `${codeSpan(x.id)} ${mdText(x.title)}`,
            `${shareText(x.shares[0]!)} → ${shareText(x.shares[x.shares.length - 1]!)} of ${x.sampleType}`,
            slopeText(x, x.unit),
            x.firesOnLast ? 'yes' : 'no',
            x.fixedIn.join(', ') || '—',
          ]),
        );
      }
    }
  }
  const bounded = r.boundedKinds.filter((b) => r.stacks.some((s) => s.bounded === b.id));
  if (bounded.length) {
    out.push('', `${sub} Bounded growth`, '');
    for (const b of bounded)
      out.push(`- ${codeSpan(b.id)}: ${mdText(b.reason)}${b.rule ? ` (rule ${codeSpan(b.rule)})` : ''}`);
  }
  return out;
}

/** File names without their folders, unless that makes two alike (bundles: member/heap.pb.gz). */
function shortNames(names: readonly string[]): string[] {
  const bases = names.map(baseName);
  return new Set(bases).size === bases.length ? bases : [...names];
}

/**
 * Every group: a table with one summary line per group first, then a section per group (its
 * trend, or why it has none). A run with one trended group and nothing to add reads as one trend.
 */
export function formatTrendGroupsMarkdown(g: TrendGroups, opts: TrendRenderOptions = {}): string {
  const only = onlyTrend(g);
  if (only) return formatTrendMarkdown(only, opts);
  const out: string[] = [`## pprof-doctor trend: ${mdText(groupsHeading(g))}`, ''];
  out.push(row(['group', 'profiles', 'verdict']), '| --- | ---: | --- |');
  for (const x of g.groups) out.push(row([mdText(x.label), String(x.files.length), mdText(x.summary)]));
  for (const note of g.notes) out.push('', `> ${mdText(note)}`);
  for (const x of g.groups) {
    out.push('');
    if (x.report) {
      const r = x.report;
      out.push(
        ...trendSection(
          r,
          opts,
          '###',
          `${mdText(x.label)}: ${mdText(r.sampleType)} over ${profilesText(r.snapshots.length)}`,
        ),
      );
      if (x.note) out.push('', `> ${mdText(x.note)}`);
    } else {
      out.push(`### ${mdText(x.label)}: not trended`, '', mdText(x.note ?? ''), '');
      for (const f of shortNames(x.files).slice(0, FILES_SHOWN)) out.push(`- ${codeSpan(f)}`);
      if (x.files.length > FILES_SHOWN) out.push(`- … ${x.files.length - FILES_SHOWN} more`);
    }
  }
  if (opts.command) out.push('', '### Command', '', codeBlock(opts.command, '', 'sh'));
  return `${out.join('\n')}\n`;
}
