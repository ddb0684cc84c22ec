/**
 * Plain-text rendering of an `AnalysisReport` for a terminal, for the reader paged at 3 a.m.: one
 * summary line first (the most likely cause, its severity and the release that fixes it), then
 * what the profiles are, the diagnoses ranked (evidence, models, versions, what to do now,
 * references), what was ruled out, then the top functions. Every number says what it is.
 * Deterministic; colour only when the caller asks (on a TTY without NO_COLOR).
 * Environment-neutral.
 */
import { metricVerdict } from './metric-mark.js';
import type {
  AnalysisReport,
  Diagnosis,
  Evidence,
  ModelResult,
  ProfileSummary,
  RuledOut,
  StackFigure,
  StackTable,
  TopTable,
} from '../diagnosis/report.js';
import {
  consequenceText,
  countBySeverity,
  diagnosisNumbers,
  fixedInText,
  lineFiguresText,
  lineLabel,
  severityCount,
} from './describe.js';
import { blockedText, stackFramesShown, statesText } from './stack-text.js';
import { type Styles, styles, wrap as wrapHanging } from './terminal.js';
import { escapeStrings, MULTILINE_KEYS } from './escape.js';

export interface AnalysisTextOptions {
  /** Wrap width for prose (default 100). */
  width?: number;
  /** Print the confidence factors (default true). */
  explainConfidence?: boolean;
  /** ANSI colour (default false; pass `useColor(process.stdout, process.env)` from terminal.ts). */
  color?: boolean;
}

type Opts = Required<AnalysisTextOptions> & { st: Styles };

/** Word-wraps `text`; continuation lines of a "- " or "N. " item hang under its text. */
function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const words = para.replace(/\s+/g, ' ').trim().split(' ');
    const bullet = /^(-|\d+\.|note:)$/.exec(words[0] ?? '');
    const hang = indent + (bullet ? ' '.repeat(words[0]!.length + 1) : '');
    let line = '';
    let cur = indent;
    for (const w of words) {
      if (line && cur.length + line.length + 1 + w.length > width) {
        out.push(cur + line);
        line = w;
        cur = hang;
      } else line = line ? `${line} ${w}` : w;
    }
    if (line) out.push(cur + line);
  }
  return out;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(x >= 0.1 ? 1 : 2)}%`;
}

function processLine(r: AnalysisReport): string {
  const p = r.process;
  const kinds: Record<typeof p.kind, string> = {
    'etcd-server': 'etcd server',
    'etcd-client': 'application using the etcd client',
    'etcd-embedder': 'program embedding etcd libraries (raft / bbolt)',
    'other-go': 'Go program (not etcd)',
    unknown: 'unknown',
  };
  const parts = [kinds[p.kind] + (p.kind === 'etcd-server' ? ` (role: ${p.role})` : '')];
  if (p.flavor) parts.push(`flavour: ${p.flavor}`);
  if (p.etcdVersion) parts.push(`etcd ${p.etcdVersion.label} (${p.etcdVersion.source})`);
  else if (p.kind === 'etcd-server' || p.kind === 'etcd-client') parts.push('etcd version unknown');
  parts.push(p.goVersion ? `Go ${p.goVersion.label} (${p.goVersion.source})` : 'Go version unknown');
  return parts.join(' · ');
}

function secondsLabel(x: number): string {
  return `${x.toFixed(x < 10 ? 1 : 0)}s`;
}

/** "740ms of CPU samples over 8.1s (≈ 0.09 CPUs busy)", "13.18MB in use (inuse_space)", "645 goroutines". */
function totalLabel(s: ProfileSummary): string {
  const dur = s.durationSeconds;
  const over = dur ? ` over ${secondsLabel(dur)}` : '';
  switch (s.sampleType) {
    case 'cpu': {
      const busy =
        dur && s.unit === 'nanoseconds' && s.total > 0 ? ` (≈ ${(s.total / 1e9 / dur).toFixed(2)} CPUs busy)` : '';
      return `${s.totalText} of CPU samples${over}${busy}`;
    }
    case 'samples':
      return `${s.totalText} samples${over}`;
    case 'inuse_space':
      return `${s.totalText} in use (inuse_space)${over}`;
    case 'inuse_objects':
      return `${s.totalText} objects in use (inuse_objects)${over}`;
    case 'alloc_space':
      return `${s.totalText} allocated (alloc_space)${over}`;
    case 'alloc_objects':
      return `${s.totalText} objects allocated (alloc_objects)${over}`;
    case 'goroutine':
      return `${s.totalText} goroutines`;
    case 'threadcreate':
      return `${s.totalText} threads created`;
    case 'delay':
      return `${s.totalText} total wait (delay)${over}`;
    case 'contentions':
      return `${s.totalText} contentions${over}`;
    default:
      return `${s.sampleType} total ${s.totalText}${over}`;
  }
}

function profileLine(s: ProfileSummary): string {
  const kinds = s.kinds.length ? s.kinds.join('/') : 'unrecognised';
  const stacks = s.hasStacks ? '' : ', pasted table (no stacks)';
  const trunc = s.truncated ? ', TRUNCATED input' : '';
  return `${s.name}: ${kinds} (${s.format}), ${totalLabel(s)}${stacks}${trunc}`;
}

/** The first line of the report: what is most likely wrong and what fixes it. */
function summaryLines(r: AnalysisReport, o: Opts): string[] {
  const what = r.profiles.length === 1 ? 'this profile' : `these ${r.profiles.length} profiles`;
  if (r.diagnoses.length === 0) {
    return wrap(`No diagnosis: none of the ${r.rulesEvaluated} rules matched ${what}.`, o.width, '').map((l, i) =>
      i === 0 ? o.st.bold(l) : l,
    );
  }
  const d = r.diagnoses[0]!;
  const n = r.diagnoses.length;
  const c = countBySeverity(r.diagnoses);
  const counts = (['critical', 'warning', 'info'] as const)
    .filter((x) => c[x] > 0)
    .map((x) => severityCount(x, c[x]))
    .join(', ');
  const tag = `[${d.severity.toUpperCase()}]`;
  const fixed = d.fixedIn.length ? `fixed in etcd ${d.fixedIn.join(', ')}` : `fixed in: ${fixedInText(d)}`;
  const more = n > 1 ? ` — ${n} findings (${counts}), details below` : '';
  const lines = wrapHanging(
    `${tag} ${d.title} (${d.id}, confidence ${d.confidence.toFixed(2)}; ${fixed})${more}`,
    o.width,
    ' '.repeat(tag.length + 1),
    '',
  );
  lines[0] = o.st.severity(d.severity, tag) + o.st.bold(lines[0]!.slice(tag.length));
  if (d.undecidedWith?.length) {
    // The input cannot rank these (a pasted table gives ranges): said where the verdict is read.
    const pad = ' '.repeat(tag.length + 1);
    lines.push(
      ...wrap(
        `This input cannot tell whether it comes before ${d.undecidedWith.join(', ')}: see the note under Process.`,
        o.width,
        pad,
      ),
    );
  }
  return lines;
}

function evidenceLines(e: Evidence, width: number): string[] {
  const mark = e.role === 'exclude' ? '✗' : e.held ? '✓' : '·';
  const lines = wrap(e.text, width, '       ');
  lines[0] = `     ${mark} ${lines[0]!.trimStart()}`;
  if (e.stack) {
    for (const f of stackFramesShown(e.stack, 6)) lines.push(`         ${f}`);
  } else if (e.functions.length > 1) {
    for (const f of e.functions.slice(0, 3)) {
      lines.push(`         ${f.name}  flat ${f.flatText} (${pct(f.flatShare)})  cum ${f.cumText} (${pct(f.cumShare)})`);
    }
  }
  if (e.lines?.length) {
    lines.push('         hottest lines:');
    for (const l of e.lines) {
      const src = l.source.length > 60 ? `${l.source.slice(0, 59)}…` : l.source;
      lines.push(...wrap(`${lineLabel(l)}  ${lineFiguresText(l)}  ${src}`, width, '             '));
    }
  }
  return lines;
}

function diagnosisLines(d: Diagnosis, n: string, r: AnalysisReport, o: Opts, consequence?: string): string[] {
  const w = o.width;
  const out: string[] = [];
  const tag = `${n}. [${d.severity.toUpperCase()}]`;
  const head = wrapHanging(`${tag} ${d.title}`, w, '   ', '');
  head[0] = o.st.severity(d.severity, tag) + o.st.bold(head[0]!.slice(tag.length));
  for (let i = 1; i < head.length; i++) head[i] = o.st.bold(head[i]!);
  out.push(...head);
  if (consequence) out.push(...wrap(`↳ ${consequence}`, w, '   '));
  if (d.explains.length)
    out.push(...wrap(`Explains: ${d.explains.join(', ')} (shown below as its consequence)`, w, '   '));
  if (d.lensNote) out.push(...wrap(`Measured on: ${d.lensNote}`, w, '   '));
  const fired = [...new Set(d.firedOn.map((f) => `${f.profile} (${f.profileKind}, ${f.sampleType})`))].join('; ');
  out.push(
    ...wrapHanging(
      `${d.id} · confidence ${d.confidence.toFixed(2)} · applies to ${d.appliesTo.join(', ')} · seen in ${fired}`,
      w,
      '     ',
      '   ',
    ),
  );
  out.push('   Evidence:');
  for (const e of d.evidence) out.push(...evidenceLines(e, w));
  // A model none of whose figures could be measured on these inputs is left out.
  const models = d.models.filter((m: ModelResult) => m.estimate !== null || m.measured !== null);
  if (models.length) {
    out.push('   Model vs measured:');
    for (const m of models) {
      out.push(...wrap(`${m.title}: ${m.text}`, w, '     '));
      for (const i of m.inputs) out.push(...wrap(`- ${i.name}: ${i.text} — ${i.how}`, w, '       '));
      for (const note of m.notes) out.push(...wrap(`note: ${note}`, w, '       '));
    }
  }
  if (d.affected || d.goAffected) {
    const parts: string[] = [];
    if (d.affected) parts.push(`etcd affected: ${d.affectedLabel ?? d.affected}`);
    if (d.fixedIn.length) parts.push(`fixed in: ${d.fixedIn.join(', ')}`);
    if (d.goAffected) parts.push(`Go affected: ${d.goAffectedLabel ?? d.goAffected}`);
    const ctx = r.process.etcdVersion ? ` (this process: etcd ${r.process.etcdVersion.label})` : '';
    out.push(...wrap(`Versions: ${parts.join('; ')}${d.affected ? ctx : ''}`, w, '   '));
    if (d.versionNote) out.push(...wrap(d.versionNote, w, '     '));
  } else {
    out.push('   Versions: all versions (design behaviour, not a bug fixed in a release)');
  }
  out.push('   Why:');
  out.push(...wrap(d.explanation, w, '     '));
  out.push('   What to do now:');
  d.remediation.forEach((s, i) => {
    out.push(...wrap(`${i + 1}. ${s.do}${s.versionNote ? ` (${s.versionNote})` : ''}`, w, '     '));
    if (s.flag) out.push(`        flag: ${s.flag}`);
    if (s.env) out.push(`        environment variable: ${s.env}`);
    if (s.command) for (const l of s.command.trimEnd().split('\n')) out.push(`        $ ${l}`);
    if (s.code) for (const l of s.code.trimEnd().split('\n')) out.push(`        ${l}`);
  });
  if (d.metrics.length) {
    out.push('   Check these metrics:');
    for (const m of d.metrics)
      out.push(
        ...wrap(`- ${m.name}: ${m.expect}${m.versionNote ? ` (${m.versionNote})` : ''}${metricVerdict(m)}`, w, '     '),
      );
  }
  if (d.omitted.length) {
    out.push('   Left out for this version:');
    for (const x of d.omitted) out.push(...wrap(`- ${x.kind} "${x.text}": ${x.reason}`, w, '     '));
  }
  out.push('   References:');
  for (const ref of d.references)
    out.push(`     - ${ref.title}${ref.url && ref.url !== ref.title ? ` <${ref.url}>` : ''}`);
  if (o.explainConfidence) {
    const f = d.confidenceFactors
      .map((x) => `${x.factor} ${x.delta >= 0 ? '+' : ''}${x.delta.toFixed(2)} (${x.why})`)
      .join('; ');
    out.push(...wrap(`Confidence ${d.confidence.toFixed(2)} = ${f}`, w, '   '));
  }
  return out;
}

function ruledOutLines(x: RuledOut, w: number): string[] {
  const because: Record<RuledOut['because'], string> = {
    version: 'version',
    process: 'wrong process',
    exclusion: 'excluded',
    insufficient: 'not enough data',
  };
  return wrap(`- ${x.id} (${because[x.because]}): ${x.reason}`, w, '  ').map((l, i) => (i === 0 ? l : `  ${l}`));
}

function topLines(t: TopTable, o: Opts): string[] {
  const out: string[] = [o.st.bold(`Top ${t.rows.length} of ${t.profile} (${t.sampleType}, total ${t.totalText}):`)];
  if (t.rows.length === 0) return [...out, '  (no samples)'];
  const fw = Math.max(10, ...t.rows.map((r) => r.flatText.length));
  const cw = Math.max(10, ...t.rows.map((r) => r.cumText.length));
  out.push(`${'flat'.padStart(fw)}  flat%   sum%  ${'cum'.padStart(cw)}   cum%`);
  for (const r of t.rows) {
    out.push(
      `${r.flatText.padStart(fw)} ${r.flatPercent.toFixed(2).padStart(5)}% ${r.sumPercent.toFixed(2).padStart(5)}%  ${r.cumText.padStart(cw)} ${r.cumPercent
        .toFixed(2)
        .padStart(5)}%  ${r.name}`,
    );
  }
  return out;
}

function stackLines(x: StackFigure, i: number, unit: string, w: number): string[] {
  const what = unit === 'count' ? (x.value === 1 ? 'goroutine' : 'goroutines') : unit;
  const head = [`${x.valueText} ${what} (${pct(x.share)})`, statesText(x)];
  if (x.blocked) head.push(blockedText(x.blocked));
  const out = wrap(`${i + 1}. ${head.join(' · ')}`, w, '  ');
  for (const f of stackFramesShown(x, 8)) out.push(`       ${f}`);
  return out;
}

function stackTableLines(t: StackTable, o: Opts): string[] {
  const out = [
    o.st.bold(
      `Largest stacks of ${t.profile} (${t.totalText} goroutines on ${t.distinct} distinct stack${t.distinct === 1 ? '' : 's'}):`,
    ),
  ];
  if (t.rows.length === 0) return [...out, '  (no goroutines)'];
  t.rows.forEach((x, i) => {
    out.push(...stackLines(x, i, t.unit, o.width));
  });
  if (t.note) out.push(...wrap(`note: ${t.note}`, o.width, '  '));
  return out;
}

/** The text report. */
export function formatAnalysisText(report: AnalysisReport, opts: AnalysisTextOptions = {}): string {
  // Untrusted strings as visible escapes; a rule's code examples keep their lines.
  const r = escapeStrings(report, MULTILINE_KEYS);
  const color = opts.color ?? false;
  const o: Opts = {
    width: opts.width ?? 100,
    explainConfidence: opts.explainConfidence ?? true,
    color,
    st: styles(color),
  };
  const h = o.st.bold;
  const out: string[] = [];
  // The lens says how the findings are ranked; with none there is nothing to rank.
  if (r.diagnoses.length > 0) out.push(...wrap(r.lens.text, o.width, ''));
  out.push(...summaryLines(r, o));
  out.push('');
  out.push(h(r.profiles.length > 1 ? `Profiles (${r.profiles.length}):` : 'Profile:'));
  for (const p of r.profiles) out.push(...wrapHanging(profileLine(p), o.width, '      ', '  '));
  out.push(h('Process:'));
  out.push(...wrap(processLine(r), o.width, '  '));
  const why = [...r.process.evidence, ...r.process.roleEvidence];
  for (const e of why) out.push(...wrap(`- ${e}`, o.width, '    '));
  for (const v of [r.process.etcdVersion, r.process.goVersion]) {
    if (v) for (const e of v.evidence.slice(0, 4)) out.push(...wrap(`- ${e}`, o.width, '    '));
  }
  for (const n of r.notes) out.push(...wrap(`note: ${n}`, o.width, '  '));
  out.push('');
  if (r.diagnoses.length > 0) {
    out.push(h(`Diagnoses (${r.diagnoses.length}, most likely first; causes before what they explain):`));
    out.push('');
    const numbers = diagnosisNumbers(r.diagnoses);
    r.diagnoses.forEach((d, i) => {
      out.push(...diagnosisLines(d, numbers[i]!, r, o, consequenceText(d, r.diagnoses, numbers)));
      out.push('');
    });
  }
  if (r.ruledOut.length) {
    out.push(h(`Ruled out (${r.ruledOut.length}):`));
    for (const x of r.ruledOut) out.push(...ruledOutLines(x, o.width));
    out.push('');
  }
  // Top of the inputs the diagnoses came from, else of the first input.
  const names = new Set(r.diagnoses.flatMap((d) => d.firedOn.map((f) => f.profile)));
  const tops = r.tops.filter((t) => names.has(t.profile));
  for (const t of tops.length ? tops : r.tops.slice(0, 1)) {
    // A goroutine input: its largest stacks say more than a function table (runtime.gopark 99 %).
    const stacks = r.stacks?.find((x) => x.profile === t.profile);
    out.push(...(stacks ? stackTableLines(stacks, o) : topLines(t, o)));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
