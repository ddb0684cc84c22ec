/**
 * `pprof-doctor diff --format markdown`: the comparison as a GitHub-ready section (tables, code
 * spans for function names, the command at the end). Deterministic.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { DiffReport } from '../analysis/diff.js';
import { relativeTimeText, plainValue, shareText, signedPercent, signedValue, snapshotTime } from './diff-format.js';
import { type DiffRenderInput, type DiffRenderOptions, modeDescription, SIGN_NOTE } from './diff-json.js';
import { baseName } from './describe.js';
import { cell, codeBlock, codeSpan, mdText } from './markdown.js';

const STATUS_WORD: Record<string, string> = { appeared: 'appeared', disappeared: 'disappeared', changed: '' };

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

export function formatDiffMarkdown(input: DiffRenderInput, opts: DiffRenderOptions = {}): string {
  const r = input.report;
  const tz = opts.tz ?? 'utc';
  const u = r.unit;
  const ou = 'auto';
  const out: string[] = [];
  out.push(`## pprof-doctor diff: ${mdText(r.sampleType)}`, '');
  out.push(row(['', 'profile', 'time', 'total']));
  out.push('| --- | --- | --- | ---: |');
  const side = (label: string, s: DiffReport['base'], extra = '') =>
    row([label, codeSpan(baseName(s.name)), mdText(snapshotTime(s.timeNanos, tz)) + extra, plainValue(s.total, u, ou)]);
  out.push(side('base', r.base));
  const later = r.base.timeNanos && r.new.timeNanos ? ` (${relativeTimeText(r.base.timeNanos, r.new.timeNanos)})` : '';
  out.push(side('new', r.new, later));
  out.push('');
  out.push(
    `**Change:** ${signedValue(r.delta, u, ou)} (${signedPercent(r.delta, r.base.total)} of base). Mode: ${mdText(
      modeDescription(r),
    )}. ${mdText(SIGN_NOTE)}`,
  );
  if (r.normalized) out.push('', `New values were scaled by ${r.normalizeScale.toPrecision(6)} (\`--normalize\`).`);
  for (const w of r.warnings) out.push('', `> ${mdText(w)}`);
  out.push('');

  out.push('### Largest changes', '');
  const limit = opts.rowLimit ?? r.rows.length;
  const rows = r.rows.slice(0, limit);
  if (rows.length === 0) {
    out.push('No difference.');
  } else {
    out.push(row(['flat Δ', 'flat Δ%', 'cum Δ', 'cum Δ%', 'cum base → new', 'status', 'function']));
    out.push('| ---: | ---: | ---: | ---: | ---: | --- | --- |');
    for (const x of rows) {
      out.push(
        row([
          signedValue(x.flat, u, ou),
          signedPercent(x.flat, r.total),
          signedValue(x.cum, u, ou),
          signedPercent(x.cum, r.total),
          `${plainValue(x.base.cum, u, ou)} → ${plainValue(x.new.cum, u, ou)}`,
          STATUS_WORD[x.status] ?? '',
          codeSpan(x.name) + (x.inline ? ` (${x.inline})` : ''),
        ]),
      );
    }
    if (rows.length < r.rows.length) out.push('', `${r.rows.length - rows.length} more rows not shown.`);
  }

  const list = (title: string, fns: DiffReport['appeared'], count: number) => {
    if (count === 0) return;
    out.push('', `### ${title} (${count})`, '');
    for (const f of fns) out.push(`- ${codeSpan(signedValue(f.cum, u, ou))} ${codeSpan(f.name)}`);
    if (fns.length < count) out.push(`- … ${count - fns.length} more`);
  };
  list('Appeared: no base sample holds them', r.appeared, r.appearedCount);
  list('Disappeared: no new sample holds them', r.disappeared, r.disappearedCount);

  const d = input.diagnosis;
  if (d) {
    out.push('', '### Diagnosis on each side', '');
    if (d.rules.length === 0) {
      out.push(`None of the ${d.evaluated} rules fires on either side.`);
    } else {
      out.push(row(['change', 'rule', 'severity', 'signature base → new', 'fires on', 'fixed in']));
      out.push('| --- | --- | --- | --- | --- | --- |');
      for (const c of d.rules) {
        const fires = [c.base.fired ? 'base' : '', c.new.fired ? 'new' : ''].filter(Boolean).join(', ') || 'neither';
        out.push(
          row([
            c.status,
            `${codeSpan(c.id)} ${mdText(c.title)}`,
            c.severity,
            c.sampleType ? `${shareText(c.base.share)} → ${shareText(c.new.share)} of ${c.sampleType}` : '—',
            fires,
            c.fixedIn.join(', ') || '—',
          ]),
        );
      }
    }
  }
  if (opts.command) out.push('', '### Command', '', codeBlock(opts.command, '', 'sh'));
  return `${out.join('\n')}\n`;
}
