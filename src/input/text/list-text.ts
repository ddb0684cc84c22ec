/**
 * `go tool pprof -list <regex>` output, and the text of a `weblist` page copied from the browser:
 * per routine, its flat and cum, and per source line where the value goes.
 *
 *   Total: 13.18MB
 *   ROUTINE ======================== go.etcd.io/etcd/mvcc.(*watchableStore).watch in …/watchable_store.go
 *          4MB        5MB (flat, cum) 37.93% of Total
 *            .          .    214:func (s *watchableStore) watch(…) {
 *          4MB        4MB    220:	wa := &watcher{
 *
 * (weblist shows the routine name, the file, `Total: flat cum (flat, cum) 37.93%`, and lines as
 * `line flat cum source`.) When pprof cannot find the source file it prints the routine header and
 * an `Error:` line only; the routine's figures are still read.
 *
 * The result is a pasted table (no stacks): a row per routine and `table.lines` with the hottest
 * lines of each (at most 5, by flat then cum). pprof prints the routine's flat and cum with little
 * precision (`4MB`); the cum is taken from its percentage of the total when that is finer, and the
 * flat from the sum of the lines' flat when the lines are there.
 *
 * Environment-neutral.
 */
import type { PastedTable, Profile, TableLine, TableRow } from '../../profile/model.js';
import { tableProfile } from '../../profile/model.js';
import { lineError } from './lines.js';
import { readReportHeader } from './report-header.js';
import { type Dimension, dimensionOfType, parseValue } from './units.js';

/** Matched against trimmed lines (no lazy group before `\s*$`: quadratic on long runs of spaces). */
const ROUTINE_RE = /^ROUTINE =+ (.+) in (.*)$/;
const FLATCUM_RE = /^\s*(\S+)\s+(\S+)\s+\(flat, cum\)\s+(-?[\d.]+)%\s+of Total\s*$/;
const LINE_RE = /^\s*(\.|-?[\d.]+[A-Za-zµμ]*)\s+(\.|-?[\d.]+[A-Za-zµμ]*)\s+(\d+):(.*)$/;
/** weblist: `Total: 4MB 5MB (flat, cum) 37.93%` under the routine name and its file. */
const WEB_TOTAL_RE = /^\s*Total:\s+(\S+)\s+(\S+)\s+\(flat, cum\)\s+(-?[\d.]+)%\s*$/;
const WEB_LINE_RE = /^\s*(\d+)\s+(\.|-?[\d.]+[A-Za-zµμ]*)\s+(\.|-?[\d.]+[A-Za-zµμ]*)\s+(.*)$/;
const HOT_LINES = 5;

export function looksLikeList(lines: readonly string[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.includes('ROUTINE') && ROUTINE_RE.test(l.trim())) return true;
    if (l.includes('(flat, cum)') && WEB_TOTAL_RE.test(l) && webHeading(lines, i)) return true;
  }
  return false;
}

/** The index of the last non-blank line before `i` (at most 3 lines back), or -1. */
function prevText(lines: readonly string[], i: number): number {
  for (let j = i - 1; j >= 0 && j >= i - 4; j--) if (lines[j]!.trim() !== '') return j;
  return -1;
}

/**
 * A weblist routine's heading above its `Total: … (flat, cum)` line: the routine name, then its
 * file — on the lines just above, or with a blank line between each as a browser copies the page.
 */
function webHeading(lines: readonly string[], i: number): { name: string; file: string; at: number } | undefined {
  const f = prevText(lines, i);
  const n = f < 0 ? -1 : prevText(lines, f);
  if (n < 0) return undefined;
  return { name: lines[n]!.trim().slice(0, 1000), file: lines[f]!.trim().slice(0, 1000), at: n };
}

interface Routine {
  name: string;
  file: string;
  flat: number;
  cum: number;
  cumPct: number;
  /** Half a step of the last digit printed for the cum, in its unit (how precise it is). */
  cumStep: number;
  lines: TableLine[];
}

/** Half a step of the last digit of a printed value (`2.09MB`: 0.005 MB), in the value's unit. */
function halfStep(tok: string, value: number): number {
  const m = /^-?(\d+)(?:\.(\d+))?/.exec(tok);
  if (!m) return 0;
  const shown = Number(m[0]);
  const unit = shown !== 0 ? Math.abs(value / shown) : 1;
  return 0.5 * 10 ** -(m[2]?.length ?? 0) * unit;
}

export function parseList(lines: readonly string[]): Profile {
  const header = readReportHeader(lines);
  const notes: string[] = [];
  const routines: Routine[] = [];
  let dim: Dimension | undefined = header.totalDim;
  let cur: Routine | undefined;
  let firstRoutine = -1;
  let missingSource = 0;

  const value = (tok: string, i: number): number => {
    if (tok === '.') return 0;
    const v = parseValue(tok);
    if (!v) throw lineError(i, `expected a value or ".", got ${JSON.stringify(tok.slice(0, 30))}`);
    if (v.dimension) {
      if (dim !== undefined && dim !== v.dimension) throw lineError(i, `the listing mixes ${dim} and ${v.dimension}`);
      dim = v.dimension;
    }
    return v.value;
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const rm = l.includes('ROUTINE') ? ROUTINE_RE.exec(l.trim()) : null;
    if (rm) {
      cur = {
        name: rm[1]!.trim().slice(0, 1000),
        file: rm[2]!.slice(0, 1000),
        flat: 0,
        cum: 0,
        cumPct: -1,
        cumStep: 0,
        lines: [],
      };
      routines.push(cur);
      if (firstRoutine < 0) firstRoutine = i;
      const fm = lines[i + 1] !== undefined ? FLATCUM_RE.exec(lines[i + 1]!) : null;
      if (fm) {
        cur.flat = value(fm[1]!, i + 1);
        cur.cum = value(fm[2]!, i + 1);
        cur.cumPct = Number(fm[3]);
        cur.cumStep = halfStep(fm[2]!, cur.cum);
        i++;
      }
      continue;
    }
    const wm = l.includes('(flat, cum)') ? WEB_TOTAL_RE.exec(l) : null;
    const heading = wm ? webHeading(lines, i) : undefined;
    if (wm && heading) {
      cur = {
        name: heading.name,
        file: heading.file,
        flat: value(wm[1]!, i),
        cum: value(wm[2]!, i),
        cumPct: Number(wm[3]),
        cumStep: halfStep(wm[2]!, value(wm[2]!, i)),
        lines: [],
      };
      routines.push(cur);
      if (firstRoutine < 0) firstRoutine = heading.at;
      continue;
    }
    if (!cur) continue;
    if (/^\s*Error: could not find file/.test(l)) {
      missingSource++;
      continue;
    }
    const lm = LINE_RE.exec(l);
    if (lm) {
      addLine(cur, value(lm[1]!, i), value(lm[2]!, i), Number(lm[3]), lm[4]!);
      continue;
    }
    const wl = WEB_LINE_RE.exec(l);
    if (wl && (wl[2] === '.' || parseValue(wl[2]!)) && (wl[3] === '.' || parseValue(wl[3]!))) {
      addLine(cur, value(wl[2]!, i), value(wl[3]!, i), Number(wl[1]), wl[4]!);
    }
  }
  if (routines.length === 0) throw lineError(0, 'a pprof list report, but it has no ROUTINE');

  // No overall "Total:" (the -http UI's source view prints none): the total from a routine's cum
  // and its percentage, the routine whose two printed figures are the most precise together.
  let total = header.total;
  let totalSource: PastedTable['totalSource'] = total !== undefined ? 'header' : 'unknown';
  if (total === undefined) {
    const err = (r: Routine) => r.cumStep / r.cum + 0.005 / r.cumPct;
    const best = routines.reduce<Routine | undefined>(
      (b, r) => (r.cumPct > 0 && r.cum > 0 && (!b || err(r) < err(b)) ? r : b),
      undefined,
    );
    if (best) {
      total = (best.cum * 100) / best.cumPct;
      if (dim !== 'count') total = Math.round(total);
      totalSource = 'percent';
      notes.push(`No "Total:" line: the total is estimated from ${best.name}'s cum and its percentage of the total.`);
    }
  }
  const byName = new Map<string, TableRow>();
  const hot: TableLine[] = [];
  for (const r of routines) {
    // The finer of the two: cum from its percentage, flat from the lines.
    let cum = r.cum;
    if (total !== undefined && r.cumPct >= 0) {
      const fromPct = (r.cumPct / 100) * total;
      if (Math.abs(fromPct - cum) <= Math.max(Math.abs(cum) * 0.5, 1))
        cum = dim === 'count' ? fromPct : Math.round(fromPct);
    }
    const lineFlat = r.lines.reduce((a, x) => a + x.flat, 0);
    const flat =
      r.lines.length > 0 && Math.abs(lineFlat - r.flat) <= Math.max(Math.abs(r.flat) * 0.5, 1) ? lineFlat : r.flat;
    const row = byName.get(r.name);
    if (row) {
      row.flat += flat;
      row.cum += cum;
    } else {
      byName.set(r.name, { name: r.name, flat, cum, location: r.file });
    }
    const sorted = r.lines
      .filter((x) => x.flat !== 0 || x.cum !== 0)
      .sort((a, b) => Math.abs(b.flat) - Math.abs(a.flat) || Math.abs(b.cum) - Math.abs(a.cum) || a.line - b.line);
    hot.push(...sorted.slice(0, HOT_LINES));
  }
  const rows = [...byName.values()].sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum));
  if (total !== undefined && total !== 0) {
    for (const r of rows) {
      r.flatPercent = (100 * r.flat) / total;
      r.cumPercent = (100 * r.cum) / total;
    }
  }
  if (missingSource > 0) {
    notes.push(
      `${missingSource} routine(s) were listed without their source (pprof did not find the file): figures only.`,
    );
  }
  const unit = dim ?? (header.sampleType ? dimensionOfType(header.sampleType) : undefined) ?? 'count';
  const type = header.sampleType ?? (unit === 'nanoseconds' ? 'cpu' : 'unknown');
  if (!header.sampleType) notes.push(`No "Type:" line: the sample type is ${type} (values in ${unit}).`);
  notes.push(
    `A pprof list report: ${rows.length} routine(s) with their flat and cum and their hottest source lines; no stacks.`,
  );
  const table: PastedTable = {
    rows,
    unit,
    totalSource,
    sortedBy: 'cum',
    header: header.lines,
    forms: ['list'],
    lines: hot,
  };
  if (header.sampleType) table.sampleType = header.sampleType;
  if (total !== undefined) table.total = total;
  else notes.push('No "Total:" line: shares of the total cannot be computed.');
  return tableProfile(
    { type: type, unit },
    header.durationNanos,
    {
      format: 'pprof-list',
      truncated: false,
      hasStacks: false,
      notes,
      lacks: ['stacks', 'sample-types', 'exact-values', 'labels'],
    },
    table,
  );
}

function addLine(r: Routine, flat: number, cum: number, line: number, source: string): void {
  r.lines.push({ fn: r.name, file: r.file, line, flat, cum, source: source.trim().slice(0, 200) });
}
