/**
 * `go tool pprof -peek <regex>` and `-tree` output: one block per function, its callers above it
 * and its callees below it, with the value on each edge.
 *
 *   ----------------------------------------------------------+-------------
 *         flat  flat%   sum%        cum   cum%   calls calls% + context
 *   ----------------------------------------------------------+-------------
 *                                            5121.09kB   100% |   go.etcd.io/etcd/mvcc.(*watchStream).Watch
 *    4096.39kB 30.34% 30.34%  5121.09kB 37.93%                | go.etcd.io/etcd/mvcc.(*watchableStore).watch
 *                                            1024.70kB 20.01% |   go.etcd.io/etcd/mvcc.(*watcherGroup).add
 *   ----------------------------------------------------------+-------------
 *
 * The two reports print the same layout (tree shows every node kept, peek those matching the
 * regex), so one reader serves both; the paste says which only through the command line or pprof's
 * "Showing top N nodes" line. The result is a pasted table (`source.hasStacks = false`): a row per
 * block's function with its flat and cum, and `table.edges` for the caller → callee pairs — direct
 * calls only, which is what `lacks: deep-stacks` says. The column alignment is not needed: a line
 * is told by the number of columns left of its `|` (5 for the function, 2 for an edge), so a paste
 * whose spaces were collapsed reads the same.
 *
 * Environment-neutral.
 */
import type { PastedTable, Profile, TableEdge, TableRow } from '../../profile/model.js';
import { tableProfile } from '../../profile/model.js';
import { isBlank, lineError } from './lines.js';
import { readReportHeader } from './report-header.js';
import { type Dimension, dimensionOfType, parsePercent, parseValue } from './units.js';

/** The separator; a web page that drops `+` characters leaves a space in its place. */
export const PEEK_SEP_RE = /^\s*-{30,}[+ ]-{5,20}\s*$/;
const PEEK_HEADER_RE = /^\s*flat\s+flat%\s+sum%\s+cum\s+cum%\s+calls\s+calls%\s+(?:\+\s+)?context\s*$/;

/** A function line of a peek/tree block, or an edge line; undefined for anything else. */
function parseLine(
  line: string,
):
  | { kind: 'node'; flat: string; flatPct: string; cum: string; cumPct: string; name: string }
  | { kind: 'edge'; value: string; name: string }
  | undefined {
  const bar = line.indexOf('|');
  if (bar < 0) return undefined;
  const left = line.slice(0, bar).trim().split(/\s+/);
  const name = line.slice(bar + 1).trim();
  if (name === '' || name.length > 4000) return undefined;
  if (left.length >= 5 && /%$/.test(left[1]!) && /%$/.test(left[2]!) && /%$/.test(left[4]!)) {
    return { kind: 'node', flat: left[0]!, flatPct: left[1]!, cum: left[3]!, cumPct: left[4]!, name };
  }
  if (left.length === 2 && /%$/.test(left[1]!)) return { kind: 'edge', value: left[0]!, name };
  return undefined;
}

/** True when the text holds a peek/tree column header, or a separator next to a function line. */
export function looksLikePeek(lines: readonly string[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (PEEK_HEADER_RE.test(l)) return true;
    if (PEEK_SEP_RE.test(l)) {
      const next = lines[i + 1];
      const prev = lines[i - 1];
      if ((next && parseLine(next)) || (prev && parseLine(prev))) return true;
    }
  }
  return false;
}

function stripInline(name: string): { name: string; inline: boolean } {
  if (name.endsWith(' (inline)')) return { name: name.slice(0, -' (inline)'.length).trimEnd(), inline: true };
  return { name, inline: false };
}

export function parsePeek(lines: readonly string[], form: 'peek' | 'tree'): Profile {
  const firstSep = lines.findIndex((l) => PEEK_SEP_RE.test(l) || PEEK_HEADER_RE.test(l));
  const header = readReportHeader(lines, 0, Math.max(firstSep, 0));
  const notes: string[] = [];
  const rows: TableRow[] = [];
  const seen = new Set<string>();
  const edges: TableEdge[] = [];
  let dim: Dimension | undefined = header.totalDim;
  let truncated = false;

  const value = (tok: string, i: number): number => {
    const v = parseValue(tok);
    if (!v) throw lineError(i, `expected a value, got ${JSON.stringify(tok.slice(0, 30))}`);
    if (v.dimension) {
      if (dim !== undefined && dim !== v.dimension) throw lineError(i, `the report mixes ${dim} and ${v.dimension}`);
      dim = v.dimension;
    }
    return v.value;
  };

  // Blocks: between separators. Edges above the function line are its callers, below its callees.
  let blockEdges: { name: string; value: number; inline: boolean }[] = [];
  let node: string | undefined;
  let lastContent = -1;
  for (let i = Math.max(firstSep, 0); i < lines.length; i++) {
    const l = lines[i]!;
    if (PEEK_SEP_RE.test(l)) {
      node = undefined;
      blockEdges = [];
      continue;
    }
    if (isBlank(l) || PEEK_HEADER_RE.test(l)) continue;
    const p = parseLine(l);
    if (!p) continue;
    lastContent = i;
    if (p.kind === 'node') {
      const { name } = stripInline(p.name);
      node = name;
      const flatPercent = parsePercent(p.flatPct);
      const cumPercent = parsePercent(p.cumPct);
      const row: TableRow = { name, flat: value(p.flat, i), cum: value(p.cum, i) };
      if (flatPercent !== undefined) row.flatPercent = flatPercent;
      if (cumPercent !== undefined) row.cumPercent = cumPercent;
      if (!seen.has(name)) {
        seen.add(name);
        rows.push(row);
      }
      for (const e of blockEdges)
        edges.push({ caller: e.name, callee: name, value: e.value, ...(e.inline ? { inline: true } : {}) });
      blockEdges = [];
      continue;
    }
    const { name, inline } = stripInline(p.name);
    const v = value(p.value, i);
    if (node === undefined) blockEdges.push({ name, value: v, inline });
    else edges.push({ caller: node, callee: name, value: v, ...(inline ? { inline: true } : {}) });
  }
  if (rows.length === 0) throw lineError(Math.max(firstSep, 0), `a pprof ${form} report, but it has no function line`);
  // A block is closed by a separator; a paste that stops inside one was cut.
  if (lastContent >= 0 && !lines.slice(lastContent + 1).some((l) => PEEK_SEP_RE.test(l))) {
    truncated = true;
    notes.push(`The ${form} report ends inside a block: the last function's callees may be missing.`);
  }

  let total = header.total;
  let totalSource: PastedTable['totalSource'] = total !== undefined ? 'header' : 'unknown';
  if (total === undefined) {
    const best = rows
      .filter((r) => (r.cumPercent ?? 0) > 0 && r.cum !== 0)
      .sort((a, b) => b.cumPercent! - a.cumPercent!)[0];
    if (best) {
      total = Math.abs(best.cum) / (best.cumPercent! / 100);
      if (dim !== undefined && dim !== 'count') total = Math.round(total);
      totalSource = 'percent';
      notes.push('No "of X total" line: the total is estimated from a row and its percentage.');
    }
  }
  const unit = dim ?? (header.sampleType ? dimensionOfType(header.sampleType) : undefined) ?? 'count';
  const type = header.sampleType ?? (unit === 'nanoseconds' ? 'cpu' : 'unknown');
  if (!header.sampleType) notes.push(`No "Type:" line: the sample type is ${type} (values in ${unit}).`);
  notes.push(
    `A pprof ${form} report: ${rows.length} function(s) with their direct callers and callees (${edges.length} edge(s)); ` +
      'no whole stacks.',
  );
  const table: PastedTable = {
    rows,
    unit,
    totalSource,
    sortedBy: 'unknown',
    header: header.lines,
    forms: [form],
    edges,
  };
  if (header.sampleType) table.sampleType = header.sampleType;
  if (total !== undefined) table.total = total;
  return tableProfile(
    { type: type, unit },
    header.durationNanos,
    {
      format: form === 'peek' ? 'pprof-peek' : 'pprof-tree',
      truncated,
      hasStacks: false,
      notes,
      lacks: ['deep-stacks', 'sample-types', 'labels'],
    },
    table,
  );
}
