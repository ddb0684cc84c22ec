/**
 * Markdown incident report, ready to paste into a GitHub issue or a ticket: a summary line, the
 * diagnoses table (severity, cause, confidence, fixed in), per diagnosis the evidence, models and
 * remediation steps, what was ruled out, the top tables, the profile facts and the exact command
 * that produced it.
 *
 * GitHub-safe: frames and commands are code spans / fenced blocks; other text has Markdown's
 * special characters escaped; `|` is escaped in table cells (also inside code spans, as GFM
 * requires); only http(s) links become links. Deterministic (no clock reads), so it is
 * golden-tested.
 *
 * Environment-neutral: no Node-only imports.
 */
import { metricVerdict } from './metric-mark.js';
import { blockedText, stackFramesShown, statesText } from './stack-text.js';
import type { AnalysisReport, Diagnosis, Evidence, ModelResult, RuledOut, TopTable } from '../diagnosis/report.js';
import type { Severity } from '../diagnosis/schema.js';
import type { Profile } from '../profile/model.js';
import { escapeText, escapeTextKeepNewlines } from './escape.js';
import {
  baseName,
  lineFiguresText,
  lineLabel,
  becauseText,
  confidenceText,
  consequenceText,
  diagnosisNumbers,
  figuresText,
  firedOnText,
  fixedInText,
  percentText,
  processLine,
  roleText,
  safeUrl,
  secondsText,
  summaryLine,
  timeText,
} from './describe.js';

export interface MarkdownOptions {
  /** The command line that produced the report, shown at the end. */
  command?: string;
  /** The loaded inputs, named as in the report (for the collection time). */
  inputs?: readonly { name: string; profile: Profile }[];
  /** Top tables: the primary input's, or every input's (default 'all'). */
  tops?: 'primary' | 'all';
}

// ---------------------------------------------------------------------------------------------
// Escaping

/**
 * Escapes text so GitHub renders it literally (outside code spans; `|` is left to `cell`): one
 * line (every line terminator folds into a space), control and invisible characters as visible
 * escapes (escape.ts), Markdown punctuation escaped, and what would start an auto-link (`://`,
 * `www.`, `@`) broken by an escape so no name becomes a link.
 */
export function mdText(s: string): string {
  return escapeText(s.replace(LINE_BREAKS, ' '))
    .replace(/[\\`*_[\]<>~$&!@]/g, (c) => `\\${c}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.');
}

/** Whitespace and every line terminator GitHub or a browser may break a line on. */
const LINE_BREAKS = /[\s\u0085]+/g;

/** `mdText` for text that starts a line: also what would open a heading, quote or list. */
export function mdLine(s: string): string {
  return mdText(s)
    .replace(/^(#{1,6}(?=\s|$)|[-+](?=\s|$)|=+\s*$|-+\s*$)/, (m) => `\\${m}`)
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** Paragraphs of prose (blank lines kept, other whitespace collapsed). */
export function mdParagraphs(s: string): string {
  return s
    .trim()
    .split(/\n\s*\n/)
    .map((p) => mdLine(p.trim()))
    .join('\n\n');
}

/** A code span that holds any string (backticks included), on one line (escape.ts). */
export function codeSpan(s: string): string {
  const flat = escapeText(s);
  let longest = 0;
  for (const m of flat.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || longest > 0 ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block (indented for list items). */
export function codeBlock(s: string, indent = '', lang = ''): string {
  const body = escapeTextKeepNewlines(s.replace(/\r\n?/g, '\n')).replace(/\s+$/, '');
  let longest = 2;
  for (const m of body.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, ...body.split('\n'), fence].map((l) => (l ? indent + l : l)).join('\n');
}

/** A table cell: one line, `|` escaped everywhere (GFM splits cells before parsing code spans). */
export function cell(s: string): string {
  return s.replace(/[\r\n\u2028\u2029\u0085\v\f]+/g, ' ').replace(/\|/g, '\\|');
}

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

// ---------------------------------------------------------------------------------------------
// Sections

const SEVERITY_ICON: Record<Severity, string> = { critical: '🔴', warning: '🟠', info: '🔵' };

function severityText(s: Severity): string {
  return `${SEVERITY_ICON[s]} ${s}`;
}

function diagnosesTable(ds: Diagnosis[], numbers: readonly string[]): string[] {
  const out = [row(['#', 'Severity', 'Cause', 'Confidence', 'Fixed in']), '|---:|---|---|---:|---|'];
  ds.forEach((d, i) => {
    out.push(
      row([
        numbers[i]!,
        severityText(d.severity),
        `${d.explainedBy !== undefined ? '↳ ' : ''}${mdText(d.title)} (${codeSpan(d.id)})`,
        confidenceText(d.confidence),
        mdText(fixedInText(d)),
      ]),
    );
  });
  return out;
}

function evidenceItem(e: Evidence): string[] {
  const mark = e.role === 'exclude' ? '❌' : e.held ? '✅' : '⬜';
  const need = e.threshold ? ` (needs ${mdText(e.threshold)})` : '';
  const out = [
    `- ${mark} ${roleText(e)} — ${mdText(e.what)}: ${mdText(figuresText(e))}${need} in ${codeSpan(baseName(e.profile))}`,
  ];
  if (e.stack) {
    out.push(`  - stack, leaf first: ${stackFramesShown(e.stack, 6).map(stackFrameMd).join(' ← ')}`);
  } else if (e.functions.length) {
    const fns = e.functions.map(
      (f) => `${codeSpan(f.name)} ${mdText(`cum ${f.cumText}${f.flat !== 0 ? `, flat ${f.flatText}` : ''}`)}`,
    );
    out.push(`  - ${fns.join(' · ')}`);
  }
  if (e.lines?.length) {
    const ls = e.lines.map((l) => `${codeSpan(lineLabel(l))} ${mdText(lineFiguresText(l))} ${codeSpan(l.source)}`);
    out.push(`  - hottest lines: ${ls.join(' · ')}`);
  }
  for (const u of e.unverified) out.push(`  - not checked: ${mdText(u)}`);
  return out;
}

function modelItem(m: ModelResult): string[] {
  const out = [`- **${mdText(m.title)}**: ${mdText(m.text)}`];
  for (const i of m.inputs) out.push(`  - ${mdText(i.name)}: ${mdText(i.text)} — ${mdText(i.how)}`);
  for (const n of m.notes) out.push(`  - note: ${mdText(n)}`);
  return out;
}

function steps(d: Diagnosis): string[] {
  const out: string[] = [];
  d.remediation.forEach((s, i) => {
    const head = `${i + 1}. `;
    const indent = ' '.repeat(head.length);
    out.push(`${head}${mdLine(s.do)}${s.versionNote ? ` (${mdText(s.versionNote)})` : ''}`);
    if (s.flag) out.push(`${indent}Flag: ${codeSpan(s.flag)}`);
    if (s.env) out.push(`${indent}Environment variable: ${codeSpan(s.env)}`);
    if (s.command) out.push('', codeBlock(s.command, indent, 'sh'));
    if (s.code) out.push('', codeBlock(s.code, indent));
  });
  return out;
}

function diagnosisSection(d: Diagnosis, n: string, consequence?: string): string[] {
  const out: string[] = [`#### ${n}. ${mdText(d.title)}`, ''];
  if (consequence) out.push(`↳ ${mdText(consequence)}`, '');
  if (d.explains.length)
    out.push(`Explains: ${d.explains.map(codeSpan).join(', ')} (shown below as its consequence)`, '');
  if (d.lensNote) out.push(`*Measured on: ${mdText(d.lensNote)}*`, '');
  const facts = [
    `**${d.severity}**`,
    `confidence ${confidenceText(d.confidence)}`,
    `fixed in: ${mdText(fixedInText(d))}`,
  ];
  if (d.affected) facts.push(`affected etcd: ${d.affectedLabel ? mdText(d.affectedLabel) : codeSpan(d.affected)}`);
  if (d.goAffected)
    facts.push(`affected Go: ${d.goAffectedLabel ? mdText(d.goAffectedLabel) : codeSpan(d.goAffected)}`);
  facts.push(`rule ${codeSpan(d.id)}`);
  out.push(facts.join(' · '), '');
  if (d.versionNote) out.push(`> ${mdText(d.versionNote)}`, '');
  out.push(mdParagraphs(d.explanation), '');
  const fired = [...new Set(d.firedOn.map(firedOnText))].map(mdText);
  out.push(`**Evidence** (seen in ${fired.join(', ')})`, '');
  for (const e of d.evidence) out.push(...evidenceItem(e));
  out.push('');
  if (d.models.length) {
    out.push('**Model vs measured**', '');
    for (const m of d.models) out.push(...modelItem(m));
    out.push('');
  }
  if (d.remediation.length) {
    out.push('**What to do**', '', ...steps(d), '');
  }
  if (d.metrics.length) {
    out.push('**Metrics to check**', '');
    for (const m of d.metrics)
      out.push(
        `- ${codeSpan(m.name)}: ${mdText(m.expect)}${m.versionNote ? ` (${mdText(m.versionNote)})` : ''}${mdText(metricVerdict(m))}`,
      );
    out.push('');
  }
  if (d.omitted.length) {
    out.push('**Left out for this version**', '');
    for (const x of d.omitted)
      out.push(`- ${x.kind} ${x.kind === 'metric' ? codeSpan(x.text) : mdText(`“${x.text}”`)}: ${mdText(x.reason)}`);
    out.push('');
  }
  if (d.references.length) {
    out.push('**References**', '');
    for (const r of d.references) {
      const url = safeUrl(r.url);
      out.push(url ? `- [${mdText(r.title)}](${url})` : `- ${mdText(r.title)}`);
    }
    out.push('');
  }
  if (d.confidenceFactors.length) {
    out.push(`<details><summary>Confidence ${confidenceText(d.confidence)}: how it adds up</summary>`, '');
    for (const f of d.confidenceFactors) {
      out.push(`- ${mdText(f.factor)} ${f.delta >= 0 ? '+' : ''}${f.delta.toFixed(2)}: ${mdText(f.why)}`);
    }
    out.push('', '</details>', '');
  }
  return out;
}

function ruledOutSection(xs: RuledOut[]): string[] {
  if (xs.length === 0) return [];
  const out = [
    '### Ruled out',
    '',
    `<details><summary>${xs.length} ${xs.length === 1 ? 'rule' : 'rules'} matched part of the signature but do not apply</summary>`,
    '',
    row(['Rule', 'Because', 'Reason']),
    '|---|---|---|',
  ];
  for (const x of xs) out.push(row([`${codeSpan(x.id)} ${mdText(x.title)}`, becauseText(x.because), mdText(x.reason)]));
  out.push('', '</details>', '');
  return out;
}

/** A top-table name: the function as code, pprof's inline marker after it. */
function topName(name: string): string {
  const m = /^(.*) \((inline|partial-inline)\)$/.exec(name);
  return m ? `${codeSpan(m[1]!)} (${m[2]})` : codeSpan(name);
}

function topTable(t: TopTable): string[] {
  const out = [`#### ${mdText(baseName(t.profile))} — ${mdText(t.sampleType)} (total ${mdText(t.totalText)})`, ''];
  if (t.rows.length === 0) return [...out, 'No samples.', ''];
  out.push(row(['flat', 'flat%', 'sum%', 'cum', 'cum%', 'function']), '|---:|---:|---:|---:|---:|---|');
  for (const r of t.rows) {
    out.push(
      row([
        r.flatText,
        percentText(r.flatPercent),
        percentText(r.sumPercent),
        r.cumText,
        percentText(r.cumPercent),
        topName(r.name),
      ]),
    );
  }
  out.push('');
  return out;
}

/** A frame as code; the "(in …)" and "(+N more frames)" lines of stackFramesShown as text. */
function stackFrameMd(f: string): string {
  return f.startsWith('(') ? mdText(f) : codeSpan(f);
}

function stackSection(r: AnalysisReport): string[] {
  const tables = r.stacks ?? [];
  if (tables.length === 0) return [];
  const out = ['### Largest goroutine stacks', ''];
  for (const t of tables) {
    out.push(
      `#### ${mdText(baseName(t.profile))} — ${mdText(t.totalText)} goroutines on ${t.distinct} distinct stacks`,
      '',
    );
    if (t.rows.length === 0) {
      out.push('No goroutines.', '');
      continue;
    }
    out.push(row(['goroutines', 'share', 'wait state', 'stack (leaf first)']), '|---:|---:|---|---|');
    for (const x of t.rows) {
      const state = [statesText(x), ...(x.blocked ? [blockedText(x.blocked)] : [])].join(' · ');
      out.push(
        row([
          x.valueText,
          percentText(100 * x.share),
          mdText(state),
          stackFramesShown(x, 6).map(stackFrameMd).join(' ← '),
        ]),
      );
    }
    out.push('');
    if (t.note) out.push(`_${mdText(t.note)}_`, '');
  }
  return out;
}

function topSection(r: AnalysisReport, which: 'primary' | 'all'): string[] {
  const tops = which === 'primary' ? r.tops.slice(0, 1) : r.tops;
  if (tops.length === 0) return [];
  const out = ['### Top functions', ''];
  out.push(...topTable(tops[0]!));
  if (tops.length > 1) {
    out.push(`<details><summary>Top functions of the other ${tops.length - 1} inputs</summary>`, '');
    for (const t of tops.slice(1)) out.push(...topTable(t));
    out.push('</details>', '');
  }
  return out;
}

function profileSection(r: AnalysisReport, inputs: MarkdownOptions['inputs']): string[] {
  const byName = new Map<string, Profile>();
  for (const i of inputs ?? []) byName.set(i.name, i.profile);
  const out = [
    '### Profile',
    '',
    row(['Input', 'Kind', 'Sample type', 'Total', 'Time', 'Duration', 'Samples', 'Format']),
    '|---|---|---|---:|---|---:|---:|---|',
  ];
  for (const p of r.profiles) {
    const prof = byName.get(p.name);
    const time = prof ? timeText(prof.timeNanos) : '';
    out.push(
      row([
        codeSpan(p.name),
        p.kinds.length ? p.kinds.join('/') : 'unrecognised',
        mdText(p.sampleType),
        mdText(p.totalText),
        time || '—',
        p.durationSeconds ? secondsText(p.durationSeconds) : '—',
        p.hasStacks ? String(p.samples) : `${p.samples} rows, no stacks`,
        mdText(p.format),
      ]),
    );
  }
  out.push('');
  const proc = r.process;
  out.push(`**Process:** ${mdText(processLine(proc))}`, '');
  const why = [
    ...proc.evidence,
    ...proc.roleEvidence,
    ...(proc.etcdVersion?.evidence ?? []),
    ...(proc.goVersion?.evidence ?? []),
  ];
  if (why.length) {
    out.push('<details><summary>How the process and versions were inferred</summary>', '');
    for (const w of why) out.push(`- ${mdText(w)}`);
    out.push('', '</details>', '');
  }
  const notes = r.profiles.flatMap((p) => [
    ...(p.truncated ? [`${p.name}: the input was truncated; what was read is analysed`] : []),
    ...p.notes.map((n) => `${p.name}: ${n}`),
  ]);
  for (const n of notes) out.push(`- ${mdText(n)}`);
  if (notes.length) out.push('');
  return out;
}

/** The Markdown report. */
export function renderMarkdown(r: AnalysisReport, opts: MarkdownOptions = {}): string {
  const title = r.profiles.length > 1 ? `${r.profiles.length} profiles` : baseName(r.profile.name);
  const out: string[] = [`## pprof-doctor report: ${mdText(title)}`, ''];
  // How the findings are ranked (nothing to rank without any).
  if (r.diagnoses.length) out.push(`*${mdText(r.lens.text)}*`, '');
  out.push(`**${mdText(summaryLine(r))}**`, '');
  out.push(mdLine(processLine(r.process)), '');
  if (r.diagnoses.length) {
    const numbers = diagnosisNumbers(r.diagnoses);
    out.push('### Diagnoses', '', ...diagnosesTable(r.diagnoses, numbers), '');
    const undecided = r.diagnoses[0]?.undecidedWith;
    if (undecided?.length) {
      // A pasted table gives ranges: said under the table the reader looks at first.
      out.push(
        `> This input cannot tell whether ${codeSpan(r.diagnoses[0]!.id)} comes before ${undecided.map((x) => codeSpan(x)).join(', ')} (see Notes).`,
        '',
      );
    }
    r.diagnoses.forEach((d, i) => {
      out.push(...diagnosisSection(d, numbers[i]!, consequenceText(d, r.diagnoses, numbers)));
    });
  }
  out.push(...ruledOutSection(r.ruledOut));
  out.push(...stackSection(r));
  out.push(...topSection(r, opts.tops ?? 'all'));
  out.push(...profileSection(r, opts.inputs));
  if (r.notes.length) {
    out.push('### Notes', '');
    for (const n of r.notes) out.push(`- ${mdText(n)}`);
    out.push('');
  }
  if (opts.command) out.push('### Command', '', codeBlock(opts.command, '', 'sh'), '');
  const tool = `${r.tool.name}${r.tool.version ? ` ${r.tool.version}` : ''}`;
  out.push(`<sub>Generated by ${mdText(tool)} (report schema ${r.schemaVersion}).</sub>`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
