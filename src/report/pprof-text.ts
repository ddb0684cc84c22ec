/**
 * pprof's text layouts, byte for byte (internal/report/report.go of Go 1.19's pprof): the header
 * (File / Build ID / comments / Type / Time / Duration / Active filters / Showing …), the `top`
 * table, the `peek` tree and the `traces` listing. Input is the data from src/analysis.
 *
 * Times: pprof prints `Time:` in the local time zone; we print UTC unless asked for `local`
 * (goldens are made with TZ=UTC). Go 1.19's pprof uses the old layout
 * `Jan 2, 2006 at 3:04pm (MST)`; newer pprof uses `2006-01-02 15:04:05 MST` (`timeStyle: 'new'`).
 *
 * Environment-neutral: no Node-only imports.
 */
import type { PeekReport } from '../analysis/peek.js';
import type { ProfileHeader } from '../analysis/prepare.js';
import type { TopReport } from '../analysis/top.js';
import type { TracesReport } from '../analysis/traces.js';
import { autoLabel, padLeft, percentage, scale, scaledLabel } from '../profile/units.js';
import { escapeStrings } from './escape.js';

export interface TextFormatOptions {
  /** `old` (Go 1.19 pprof, default) or `new` (pprof since late 2024). */
  timeStyle?: 'old' | 'new';
  /** Time zone of `Time:`; default `utc`. */
  tz?: 'utc' | 'local';
  /** Omit the File/Type/Time/Duration lines (pprof's -compact_labels). */
  compactLabels?: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function zoneName(d: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(d)
      .find((x) => x.type === 'timeZoneName');
    if (part) return part.value;
  } catch {
    // No Intl time zone data: fall back to the offset.
  }
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  return `${sign}${two(Math.floor(Math.abs(off) / 60))}${two(Math.abs(off) % 60)}`;
}

/** Go's time.Format for pprof's two `Time:` layouts. */
export function formatTime(timeNanos: number, opts: TextFormatOptions = {}): string {
  const d = new Date(Math.floor(timeNanos / 1e6));
  const utc = (opts.tz ?? 'utc') === 'utc';
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const month = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const hour = utc ? d.getUTCHours() : d.getHours();
  const min = utc ? d.getUTCMinutes() : d.getMinutes();
  const sec = utc ? d.getUTCSeconds() : d.getSeconds();
  const zone = utc ? 'UTC' : zoneName(d);
  if (opts.timeStyle === 'new') {
    return `${year}-${two(month + 1)}-${two(day)} ${two(hour)}:${two(min)}:${two(sec)} ${zone}`;
  }
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${MONTHS[month]} ${day}, ${year} at ${h12}:${two(min)}${hour < 12 ? 'am' : 'pm'} (${zone})`;
}

/**
 * A value formatter in the report's unit (pprof's rpt.formatValue). `ratio` is pprof's
 * -divide_by as a factor (1/divisor); like pprof, a ratio that is not > 0 (a negative or infinite
 * divisor) changes nothing, and a scaled value is truncated to an integer before formatting.
 */
export function valueFormatter(sampleUnit: string, outputUnit: string, ratio = 1): (v: number) => string {
  if (ratio > 0 && ratio !== 1) return (v) => scaledLabel(Math.trunc(v * ratio), sampleUnit, outputUnit);
  return (v) => scaledLabel(v, sampleUnit, outputUnit);
}

/** A value after pprof's -divide_by (see valueFormatter), for outputs that carry numbers. */
export function divided(v: number, ratio: number): number {
  return ratio > 0 && ratio !== 1 ? Math.trunc(v * ratio) : v;
}

/** pprof's ProfileLabels. */
export function profileLabels(
  h: ProfileHeader,
  total: number,
  fmt: (v: number) => string,
  opts: TextFormatOptions = {},
): string[] {
  const out: string[] = [];
  if (h.file !== undefined) out.push(`File: ${h.file}`);
  if (h.buildId !== undefined) out.push(`Build ID: ${h.buildId}`);
  out.push(...h.comments);
  if (h.sampleType !== '') out.push(`Type: ${h.sampleType}`);
  if (h.timeNanos !== 0) out.push(`Time: ${formatTime(h.timeNanos, opts)}`);
  if (h.durationNanos !== 0) {
    const duration = autoLabel(h.durationNanos, 'nanoseconds');
    const [totalNanos, unit] = scale(total, h.sampleUnit, 'nanoseconds');
    const t = Math.trunc(totalNanos);
    const ratio = unit === 'ns' && t !== 0 ? `(${percentage(t, h.durationNanos)})` : '';
    out.push(`Duration: ${duration}, Total samples = ${fmt(total)} ${ratio}`);
  }
  return out;
}

function activeFilterLines(filters: string[]): string[] {
  if (filters.length === 0) return [];
  return [
    'Active filters:',
    ...filters.map((f) => {
      // pprof cuts at 80 bytes; filters are ASCII in practice.
      return `   ${f.length > 80 ? `${f.slice(0, 80)}…` : f}`;
    }),
  ];
}

function plural(n: number, word: string): string {
  return n > 1 ? `${word}s` : word;
}

/** pprof's reportLabels for text reports. */
function reportLabels(
  r: {
    header: ProfileHeader;
    total: number;
    shownFlat: number;
    droppedNodes: number;
    dropCutoff: number;
    rowCount: number;
    origCount: number;
  },
  fmt: (v: number) => string,
  opts: TextFormatOptions,
): string[] {
  const out = opts.compactLabels ? [] : profileLabels(r.header, r.total, fmt, opts);
  out.push(...activeFilterLines(r.header.activeFilters));
  out.push(
    `Showing nodes accounting for ${fmt(r.shownFlat)}, ${percentage(r.shownFlat, r.total).trim()} of ${fmt(r.total)} total`,
  );
  if (r.total !== 0) {
    if (r.droppedNodes > 0) {
      out.push(`Dropped ${r.droppedNodes} ${plural(r.droppedNodes, 'node')} (cum <= ${fmt(r.dropCutoff)})`);
    }
    if (r.rowCount > 0 && r.rowCount < r.origCount) {
      out.push(`Showing top ${r.rowCount} nodes out of ${r.origCount}`);
    }
  }
  return out;
}

const PASTED_NOTE =
  'Note: the input is a pasted top table without call stacks: rows are shown as printed (re-sorted only); no filters, other granularities or diagnosis by call path.';

/** `go tool pprof -top` output. */
export function formatTop(report: TopReport, opts: TextFormatOptions = {}): string {
  const r = escapeStrings(report);
  const fmt = valueFormatter(r.header.sampleUnit, r.outputUnit, r.ratio);
  const lines: string[] = [];
  if (r.pastedTable) {
    lines.push(PASTED_NOTE, ...r.pastedTable.headerLines);
  } else {
    lines.push(
      ...reportLabels(
        {
          header: r.header,
          total: r.total,
          shownFlat: r.shownFlat,
          droppedNodes: r.droppedNodes,
          dropCutoff: r.dropCutoff,
          rowCount: r.rows.length,
          origCount: r.origCount,
        },
        fmt,
        opts,
      ),
    );
  }
  lines.push(
    `${padLeft('flat', 10)} ${padLeft('flat', 5)}% ${padLeft('sum', 5)}% ${padLeft('cum', 10)} ${padLeft('cum', 5)}%`,
  );
  let sum = 0;
  let sumPct = 0;
  const usePrinted = r.pastedTable !== undefined && (r.pastedTable.printedPercents || r.total === 0);
  for (const row of r.rows) {
    sum += row.flat;
    let flatPct: string;
    let sumPctS: string;
    let cumPct: string;
    if (usePrinted) {
      sumPct += row.flatPercent ?? 0;
      flatPct = percentage(row.flatPercent ?? 0, 100);
      sumPctS = percentage(sumPct, 100);
      cumPct = percentage(row.cumPercent ?? 0, 100);
    } else {
      flatPct = percentage(row.flat, r.total);
      sumPctS = percentage(sum, r.total);
      cumPct = percentage(row.cum, r.total);
    }
    const inl = row.inline ? ` (${row.inline})` : '';
    lines.push(
      `${padLeft(fmt(row.flat), 10)} ${flatPct} ${sumPctS} ${padLeft(fmt(row.cum), 10)} ${cumPct}  ${row.name}${inl}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The JSON form of `top`: values in the sample unit (after -mean and -divide_by; -unit only
 * changes the text), numbers not strings.
 */
export function topJson(r: TopReport): {
  sampleType: string;
  unit: string;
  total: number;
  rows: { name: string; flat: number; flatPercent: number; cum: number; cumPercent: number }[];
} {
  const pct = (v: number, printed: number | undefined) => (r.total !== 0 ? (v / r.total) * 100 : (printed ?? 0));
  const ratio = r.ratio ?? 1;
  return {
    sampleType: r.header.sampleType,
    unit: r.header.sampleUnit,
    total: divided(r.total, ratio),
    rows: r.rows.map((row) => ({
      name: row.name,
      flat: divided(row.flat, ratio),
      flatPercent: pct(row.flat, row.flatPercent),
      cum: divided(row.cum, ratio),
      cumPercent: pct(row.cum, row.cumPercent),
    })),
  };
}

const TREE_SEPARATOR = '----------------------------------------------------------+-------------';
const TREE_LEGEND = '      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ';

/** `go tool pprof -peek <regex>` output. */
export function formatPeek(report: PeekReport, opts: TextFormatOptions = {}): string {
  const r = escapeStrings(report);
  const fmt = valueFormatter(r.header.sampleUnit, r.outputUnit);
  const lines = reportLabels(
    {
      header: r.header,
      total: r.total,
      shownFlat: r.shownFlat,
      droppedNodes: 0,
      dropCutoff: 0,
      rowCount: r.nodeCount,
      origCount: r.nodeCount,
    },
    fmt,
    opts,
  );
  lines.push(TREE_SEPARATOR, TREE_LEGEND);
  let flatSum = 0;
  for (const e of r.entries) {
    lines.push(TREE_SEPARATOR);
    for (const c of e.callers) {
      lines.push(
        `${padLeft(fmt(c.weight), 50)} ${percentage(c.weight, e.cum)} |   ${c.name}${c.inline ? ' (inline)' : ''}`,
      );
    }
    flatSum += e.flat;
    lines.push(
      `${padLeft(fmt(e.flat), 10)} ${percentage(e.flat, r.total)} ${percentage(flatSum, r.total)} ${padLeft(fmt(e.cum), 10)} ${percentage(e.cum, r.total)}                | ${e.name}`,
    );
    for (const c of e.callees) {
      lines.push(
        `${padLeft(fmt(c.weight), 50)} ${percentage(c.weight, e.cum)} |   ${c.name}${c.inline ? ' (inline)' : ''}`,
      );
    }
  }
  if (r.nodeCount > 0) lines.push(TREE_SEPARATOR);
  return `${lines.join('\n')}\n`;
}

const TRACES_SEPARATOR = '-----------+-------------------------------------------------------';

/** Go's sort.Strings order (bytewise), close enough to JS order for label text. */
function sortStrings(a: string[]): string[] {
  return a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** `go tool pprof -traces` output. */
export function formatTraces(report: TracesReport, opts: TextFormatOptions = {}): string {
  const r = escapeStrings(report);
  // pprof never picks an output unit for traces: each value is scaled on its own.
  const fmt = valueFormatter(r.header.sampleUnit, 'minimum');
  const out: string[] = [];
  const header = opts.compactLabels ? [] : profileLabels(r.header, r.total, fmt, opts);
  out.push(`${header.join('\n')}\n`);
  for (const s of r.samples) {
    out.push(`${TRACES_SEPARATOR}\n`);
    out.push(sortStrings(s.labels.map(([k, vs]) => `${padLeft(k, 10)}:  ${vs.join(' ')}\n`)).join(''));
    out.push(
      sortStrings(
        s.numLabels.map(([k, vs, unit]) => `${padLeft(k, 10)}:  ${vs.map((v) => autoLabel(v, unit)).join(' ')}\n`),
      ).join(''),
    );
    s.frames.forEach((f, i) => {
      out.push(`${padLeft(i === 0 ? fmt(s.value) : '', 10)}   ${f.name}${f.inline ? ' (inline)' : ''}\n`);
    });
  }
  out.push(`${TRACES_SEPARATOR}\n`);
  return out.join('');
}
