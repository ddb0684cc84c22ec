/**
 * `pprof-doctor diff` for the terminal: the two inputs, the change of the total, pprof's rows with
 * signed deltas and each side's cum, what appeared and disappeared, and the rules that appeared,
 * vanished, grew or shrank. (`--format pprof-text` prints pprof's own layout instead.)
 *
 * Environment-neutral: no Node-only imports.
 */
import type { RuleChange } from '../analysis/compare/diagnosis.js';
import type { DiffReport } from '../analysis/diff.js';
import {
  relativeTimeText,
  padEnd,
  padStart,
  plainValue,
  shareText,
  signedPercent,
  signedValue,
  snapshotTime,
} from './diff-format.js';
import { type DiffRenderInput, type DiffRenderOptions, modeDescription, SIGN_NOTE } from './diff-json.js';

const STATUS_TAG: Record<string, string> = { appeared: 'new', disappeared: 'gone', changed: '' };

/** "watch-memory (warning): signature 2% → 63% of inuse_space; fires on new only". */
export function ruleChangeLine(c: RuleChange): string {
  const fired =
    c.base.fired && c.new.fired
      ? 'fires on both'
      : c.new.fired
        ? 'fires on new only'
        : c.base.fired
          ? 'fires on base only'
          : 'fires on neither';
  const sig = c.sampleType
    ? `signature ${shareText(c.base.share)} → ${shareText(c.new.share)} of ${c.sampleType}`
    : 'no signature in these profiles';
  const fix = c.fixedIn.length ? `; fixed in ${c.fixedIn.join(', ')}` : '';
  return `${c.id} (${c.severity}): ${sig}; ${fired}${fix}`;
}

export function sideLine(label: string, s: DiffReport['base'], r: DiffReport, tz: 'utc' | 'local'): string {
  return `${label} ${s.name}  ${snapshotTime(s.timeNanos, tz)}  total ${plainValue(s.total, r.unit, 'auto')}`;
}

export function formatDiffText(input: DiffRenderInput, opts: DiffRenderOptions = {}): string {
  const r = input.report;
  const tz = opts.tz ?? 'utc';
  const u = r.unit;
  const ou = 'auto';
  const out: string[] = [];
  out.push(`Diff of ${r.sampleType}, mode ${modeDescription(r)}.`);
  out.push(sideLine('base:', r.base, r, tz));
  let newLine = sideLine('new: ', r.new, r, tz);
  if (r.base.timeNanos && r.new.timeNanos) newLine += `  (${relativeTimeText(r.base.timeNanos, r.new.timeNanos)})`;
  out.push(newLine);
  if (r.normalized)
    out.push(`new scaled by ${r.normalizeScale.toPrecision(6)} so its total equals base's (--normalize)`);
  out.push(
    `change: ${signedValue(r.delta, u, ou)} (${signedPercent(r.delta, r.base.total)} of base); report total ${plainValue(r.total, u, ou)}`,
  );
  out.push(SIGN_NOTE);
  for (const w of r.warnings) out.push(w);
  out.push('');

  const limit = opts.rowLimit ?? r.rows.length;
  const rows = r.rows.slice(0, limit);
  const cells = rows.map((row) => [
    signedValue(row.flat, u, ou),
    signedPercent(row.flat, r.total),
    signedValue(row.cum, u, ou),
    signedPercent(row.cum, r.total),
    `${plainValue(row.base.cum, u, ou)} → ${plainValue(row.new.cum, u, ou)}`,
    STATUS_TAG[row.status] ?? '',
    row.name + (row.inline ? ` (${row.inline})` : ''),
  ]);
  const head = ['flat Δ', 'flat Δ%', 'cum Δ', 'cum Δ%', 'cum base → new', '', 'function'];
  const widths = head.map((h, i) => Math.max([...h].length, ...cells.map((c) => [...c[i]!].length)));
  const fmtRow = (c: string[]) =>
    c
      .map((x, i) => (i === 6 ? x : i === 5 ? padEnd(x, widths[i]!) : padStart(x, widths[i]!)))
      .join('  ')
      .trimEnd();
  if (rows.length === 0) {
    out.push('No difference.');
  } else {
    out.push(fmtRow(head));
    for (const c of cells) out.push(fmtRow(c));
    if (rows.length < r.rows.length) out.push(`… ${r.rows.length - rows.length} more rows (--nodecount)`);
  }

  const list = (title: string, fns: DiffReport['appeared'], count: number) => {
    if (count === 0) return;
    out.push('');
    out.push(`${title}: ${count} ${count === 1 ? 'function' : 'functions'}`);
    const vals = fns.map((f) => signedValue(f.cum, u, ou));
    const w = Math.max(...vals.map((v) => v.length));
    fns.forEach((f, i) => {
      out.push(`  ${padStart(vals[i]!, w)} ${padStart(signedPercent(f.cum, r.total), 8)}  ${f.name}`);
    });
    if (fns.length < count) out.push(`  … ${count - fns.length} more`);
  };
  list('Appeared (no base sample holds them; cum)', r.appeared, r.appearedCount);
  list('Disappeared (no new sample holds them; cum)', r.disappeared, r.disappearedCount);

  const d = input.diagnosis;
  if (d) {
    out.push('');
    if (d.rules.length === 0) {
      out.push(`Diagnosis: none of the ${d.evaluated} rules fires on either side.`);
    } else {
      out.push('Diagnosis (rules on each side):');
      const w = Math.max(...d.rules.map((c) => c.status.length));
      for (const c of d.rules) out.push(`  ${padEnd(c.status, w)}  ${ruleChangeLine(c)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
