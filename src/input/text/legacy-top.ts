/**
 * Top tables of the old pprof (the Perl `pprof` that `go tool pprof` was before Go 1.5, and
 * gperftools' pprof), still pasted from old issues and runbooks:
 *
 *   Total: 1037.5 MB
 *      542.5  52.3%  52.3%    542.5  52.3% runtime.malg
 *      100.0   9.6%  61.9%    100.0   9.6% main.(*T).grow
 *
 * Same columns as today's table, but the values are bare numbers in the unit the `Total:` line
 * names (MB, samples, objects …). The rows are read by the top-table importer and scaled here;
 * the unit decides the sample type: a size is the heap's in-use space (old pprof's default), a
 * sample count is CPU samples, a count of objects in-use objects — each assumption is noted.
 *
 * Environment-neutral.
 */
import type { Profile } from '../../profile/model.js';
import { parseTopTable } from './top-table.js';

/** `Total: 1037.5 MB` / `Total: 3052 samples` (a space between number and unit: today's `list` has none). */
export const LEGACY_TOTAL_RE = /^\s*Total: (-?\d+(?:\.\d+)?) (B|KB|kB|MB|GB|TB|bytes|samples|objects|s|ms|seconds)\s*$/;

const UNITS: Record<string, { factor: number; unit: string; type: string; kind: string }> = {
  B: { factor: 1, unit: 'bytes', type: 'inuse_space', kind: 'heap in-use space' },
  bytes: { factor: 1, unit: 'bytes', type: 'inuse_space', kind: 'heap in-use space' },
  KB: { factor: 1024, unit: 'bytes', type: 'inuse_space', kind: 'heap in-use space' },
  kB: { factor: 1024, unit: 'bytes', type: 'inuse_space', kind: 'heap in-use space' },
  MB: { factor: 1024 ** 2, unit: 'bytes', type: 'inuse_space', kind: 'heap in-use space' },
  GB: { factor: 1024 ** 3, unit: 'bytes', type: 'inuse_space', kind: 'heap in-use space' },
  TB: { factor: 1024 ** 4, unit: 'bytes', type: 'inuse_space', kind: 'heap in-use space' },
  samples: { factor: 1, unit: 'count', type: 'samples', kind: 'CPU samples' },
  objects: { factor: 1, unit: 'count', type: 'inuse_objects', kind: 'heap in-use objects' },
  s: { factor: 1e9, unit: 'nanoseconds', type: 'cpu', kind: 'CPU time' },
  seconds: { factor: 1e9, unit: 'nanoseconds', type: 'cpu', kind: 'CPU time' },
  ms: { factor: 1e6, unit: 'nanoseconds', type: 'cpu', kind: 'CPU time' },
};

/** Index of the legacy `Total:` line when it stands right above a table of bare numbers. */
export function findLegacyTotal(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('Total:') && !lines[i]!.trimStart().startsWith('Total:')) continue;
    if (LEGACY_TOTAL_RE.test(lines[i]!)) return i;
  }
  return -1;
}

export function parseLegacyTop(lines: string[], totalLine: number): Profile {
  const m = LEGACY_TOTAL_RE.exec(lines[totalLine]!)!;
  const u = UNITS[m[2]!]!;
  const p = parseTopTable(lines);
  const t = p.table!;
  if (t.unit !== 'count') {
    // The rows carry units of their own: a current table under an old header line. Keep the rows.
    p.source.notes.push(`A "Total: ${m[1]} ${m[2]}" line above a table whose values have units: the line was ignored.`);
    return p;
  }
  for (const r of t.rows) {
    r.flat *= u.factor;
    r.cum *= u.factor;
  }
  t.unit = u.unit;
  t.total = Number(m[1]) * u.factor;
  t.totalSource = 'header';
  t.sampleType = u.type;
  t.forms = ['legacy-top'];
  t.header = [lines[totalLine]!.trim(), ...t.header];
  p.sampleTypes = [{ type: u.type, unit: u.unit }];
  p.defaultSampleType = u.type;
  p.source.notes = p.source.notes.filter((n) => !/^No "Type:" line|^No "of X total" line/.test(n));
  p.source.notes.push(
    `An old pprof table ("Total: ${m[1]} ${m[2]}"): values are in ${m[2]}, read as ${u.kind} (old pprof printed no sample type).`,
  );
  p.source.lacks = ['stacks', 'sample-types', 'exact-values', 'labels'];
  return p;
}
