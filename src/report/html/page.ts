/**
 * The HTML incident report: ONE self-contained file (inline CSS, inline script, data embedded as
 * JSON; no CDN, no fonts, no network — a Content-Security-Policy forbids any request) with the
 * diagnosis cards, an interactive icicle flame graph per (input, sample type), the top table of
 * the chosen type, the profile facts and the command that produced it.
 *
 * Static parts are generated here with every string escaped; the script fills the flame graph and
 * the top table from the embedded data with textContent only. Deterministic: no clock reads.
 *
 * Environment-neutral: no Node-only imports.
 */
import { metricVerdict } from '../metric-mark.js';
import { blockedText, stackFramesShown, statesText } from '../stack-text.js';
import type {
  AnalysisReport,
  Diagnosis,
  Evidence,
  ModelResult,
  ProfileSummary,
  RuledOut,
  StackTable,
} from '../../diagnosis/report.js';
import type { Profile } from '../../profile/model.js';
import {
  baseName,
  becauseText,
  confidenceText,
  consequenceText,
  countBySeverity,
  diagnosisNumbers,
  figuresText,
  firedOnText,
  fixedInText,
  lineFiguresText,
  lineLabel,
  percentText,
  processLine,
  roleText,
  SEVERITY_ORDER,
  safeUrl,
  secondsText,
  severityCount,
  summaryLine,
  timeText,
} from '../describe.js';
import { buildPageData, type HtmlInput, type PageDataOptions } from './data.js';
import { PAGE_JS } from './script.js';
import { PAGE_CSS } from './style.js';

export interface HtmlOptions {
  /** The loaded inputs, named as in the report; without them there is no flame graph. */
  inputs?: readonly HtmlInput[];
  /** The command line that produced the report. */
  command?: string;
  flame?: PageDataOptions;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function esc(s: string | number | undefined | null): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** JSON for a `<script type="application/json">` block: nothing in it can close the element. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function fnCode(name: string): string {
  return `<code class="fn" data-fn="${esc(name)}" title="Highlight in the flame graph">${esc(name)}</code>`;
}

function evidenceItem(e: Evidence): string {
  const cls = e.role === 'exclude' ? 'exclude' : e.held ? 'held' : 'missing';
  const parts: string[] = [];
  parts.push(`<span class="role">${esc(roleText(e))}</span>${esc(e.what)}`);
  const need = e.threshold ? ` — needs ${esc(e.threshold)}` : '';
  parts.push(
    `<div class="figs">${esc(figuresText(e))}${need} · <span class="mono">${esc(baseName(e.profile))}</span></div>`,
  );
  if (e.stack) {
    parts.push(`<div class="fns">${stackFramesShown(e.stack, 6).map(stackFrameHtml).join(' ← ')}</div>`);
  } else if (e.functions.length) {
    parts.push(`<div class="fns">${e.functions.map((f) => fnCode(f.name)).join(' ')}</div>`);
  }
  if (e.lines?.length) {
    const ls = e.lines.map(
      (l) =>
        `<li><span class="mono">${esc(lineLabel(l))}</span> ${esc(lineFiguresText(l))} <code>${esc(l.source)}</code></li>`,
    );
    parts.push(`<div class="lines">hottest lines:<ul>${ls.join('')}</ul></div>`);
  }
  for (const u of e.unverified) parts.push(`<div class="note">not checked: ${esc(u)}</div>`);
  return `<li class="${cls}">${parts.join('')}</li>`;
}

/** A frame as code; the "(in …)" and "(+N more frames)" lines of stackFramesShown as text. */
function stackFrameHtml(f: string): string {
  return f.startsWith('(') ? esc(f) : fnCode(f);
}

/** The largest goroutine stacks of every goroutine input (count, share, wait state). */
function stacksBlock(tables: readonly StackTable[] | undefined): string {
  if (!tables?.length) return '';
  const parts = tables.map((t) => {
    const rows = t.rows
      .map((x) => {
        const state = [statesText(x), ...(x.blocked ? [blockedText(x.blocked)] : [])].join(' · ');
        return `<tr><td class="num">${esc(x.valueText)}</td><td class="num">${esc(percentText(100 * x.share))}</td><td>${esc(state)}</td><td>${stackFramesShown(x, 6).map(stackFrameHtml).join(' ← ')}</td></tr>`;
      })
      .join('');
    const note = t.note ? `<p class="note">${esc(t.note)}</p>` : '';
    return `<h3>${esc(baseName(t.profile))} — ${esc(t.totalText)} goroutines on ${t.distinct} distinct stacks</h3>
<table><thead><tr><th class="num">goroutines</th><th class="num">share</th><th>wait state</th><th>stack (leaf first)</th></tr></thead><tbody>${rows}</tbody></table>${note}`;
  });
  return `<section id="stacks"><h2>Largest goroutine stacks</h2>
${parts.join('\n')}
</section>`;
}

function modelBlock(m: ModelResult): string {
  const rows = m.inputs
    .map((i) => `<tr><td>${esc(i.name)}</td><td class="num">${esc(i.text)}</td><td>${esc(i.how)}</td></tr>`)
    .join('');
  const notes = m.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('');
  return `<div class="model"><p><strong>${esc(m.title)}</strong>: ${esc(m.text)}</p>
<table><thead><tr><th>input</th><th class="num">value</th><th>how</th></tr></thead><tbody>${rows}</tbody></table>${notes}</div>`;
}

function stepItem(s: Diagnosis['remediation'][number]): string {
  let out = esc(s.do);
  if (s.versionNote) out += ` <span class="note">(${esc(s.versionNote)})</span>`;
  if (s.flag) out += `<pre><code>${esc(s.flag)}</code></pre>`;
  if (s.env) out += `<p class="note">Environment variable:</p><pre><code>${esc(s.env)}</code></pre>`;
  if (s.command) out += `<pre><code>${esc(s.command.trimEnd())}</code></pre>`;
  if (s.code) out += `<pre><code>${esc(s.code.trimEnd())}</code></pre>`;
  return `<li>${out}</li>`;
}

function card(d: Diagnosis, n: string, consequence?: string): string {
  const pct = Math.round(d.confidence * 100);
  const facts: [string, string][] = [];
  if (consequence) facts.push(['Consequence', esc(consequence)]);
  if (d.explains.length) facts.push(['Explains', esc(d.explains.join(', '))]);
  if (d.lensNote) facts.push(['Measured on', esc(d.lensNote)]);
  facts.push(['Fixed in', esc(fixedInText(d))]);
  if (d.affected)
    facts.push(['Affected etcd', d.affectedLabel ? esc(d.affectedLabel) : `<code>${esc(d.affected)}</code>`]);
  if (d.goAffected)
    facts.push(['Affected Go', d.goAffectedLabel ? esc(d.goAffectedLabel) : `<code>${esc(d.goAffected)}</code>`]);
  if (d.versionNote) facts.push(['Versions', esc(d.versionNote)]);
  facts.push(['Applies to', esc(d.appliesTo.join(', '))]);
  facts.push(['Seen in', esc([...new Set(d.firedOn.map(firedOnText))].join('; '))]);
  facts.push(['Rule', `<code>${esc(d.id)}</code> <span class="note">${esc(d.ruleFile)}</span>`]);
  const dl = facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
  const models = d.models.length ? `<h4>Model vs measured</h4>${d.models.map(modelBlock).join('')}` : '';
  const steps = d.remediation.length
    ? `<h4>What to do</h4><ol class="steps">${d.remediation.map(stepItem).join('')}</ol>`
    : '';
  const more: string[] = [];
  if (d.confidenceFactors.length) {
    more.push(
      `<h4>Confidence ${esc(confidenceText(d.confidence))}</h4><ul>${d.confidenceFactors
        .map((f) => `<li>${esc(f.factor)} ${f.delta >= 0 ? '+' : ''}${esc(f.delta.toFixed(2))} — ${esc(f.why)}</li>`)
        .join('')}</ul>`,
    );
  }
  if (d.metrics.length) {
    more.push(
      `<h4>Metrics to check</h4><ul>${d.metrics.map((m) => `<li><code>${esc(m.name)}</code>: ${esc(m.expect)}${m.versionNote ? ` <span class="note">(${esc(m.versionNote)})</span>` : ''}${esc(metricVerdict(m))}</li>`).join('')}</ul>`,
    );
  }
  if (d.omitted.length) {
    more.push(
      `<h4>Left out for this version</h4><ul>${d.omitted.map((x) => `<li>${esc(x.kind)} “${esc(x.text)}”: ${esc(x.reason)}</li>`).join('')}</ul>`,
    );
  }
  if (d.references.length) {
    more.push(
      `<h4>References</h4><ul>${d.references
        .map((r) => {
          const url = safeUrl(r.url);
          return url
            ? `<li><a href="${esc(url)}" rel="noopener noreferrer">${esc(r.title)}</a></li>`
            : `<li>${esc(r.title)}</li>`;
        })
        .join('')}</ul>`,
    );
  }
  return `<article class="card ${esc(d.severity)}${consequence ? ' consequence' : ''}" id="d-${esc(d.id)}">
<div class="card-head"><span class="sev sev-${esc(d.severity)}">${esc(d.severity)}</span><h3>${n}. ${esc(d.title)}</h3>
<span class="conf">confidence ${pct}%<span class="meter"><span style="width:${pct}%"></span></span></span></div>
<dl class="facts">${dl}</dl>
<h4>Why</h4><p>${esc(d.explanation)}</p>
<h4>Evidence</h4><ul class="evidence">${d.evidence.map(evidenceItem).join('')}</ul>
${models}${steps}
<details><summary>Confidence, metrics, references</summary>${more.join('')}</details>
</article>`;
}

function ruledOutBlock(xs: RuledOut[]): string {
  if (xs.length === 0) return '';
  const rows = xs
    .map(
      (x) =>
        `<tr><td><code>${esc(x.id)}</code><div class="note">${esc(x.title)}</div></td><td>${esc(becauseText(x.because))}</td><td>${esc(x.reason)}</td></tr>`,
    )
    .join('');
  return `<section id="ruled-out"><details><summary>Ruled out (${xs.length})</summary>
<table><thead><tr><th>rule</th><th>because</th><th>reason</th></tr></thead><tbody>${rows}</tbody></table></details></section>`;
}

/** The report's notes (what the analysis could not know or had to assume), as the other formats show them. */
function notesBlock(notes: readonly string[]): string {
  if (notes.length === 0) return '';
  return `<section id="notes"><h2>Notes</h2><ul>${notes.map((n) => `<li class="note">${esc(n)}</li>`).join('')}</ul></section>`;
}

function profileFacts(r: AnalysisReport, inputs: readonly HtmlInput[] | undefined): string {
  const byName = new Map<string, Profile>();
  for (const i of inputs ?? []) byName.set(i.name, i.profile);
  const rows = r.profiles
    .map((p: ProfileSummary) => {
      const prof = byName.get(p.name);
      const time = prof ? timeText(prof.timeNanos) : '';
      const cells = [
        `<code>${esc(p.name)}</code>`,
        esc(p.kinds.length ? p.kinds.join('/') : 'unrecognised'),
        esc(p.format),
        esc(p.sampleType),
        `<span class="mono">${esc(p.totalText)}</span>`,
        esc(time || '—'),
        esc(p.durationSeconds ? secondsText(p.durationSeconds) : '—'),
        esc(p.hasStacks ? String(p.samples) : `${p.samples} rows (no stacks)`),
      ];
      const notes = [...p.notes, ...(p.truncated ? ['input was truncated; what was read is shown'] : [])];
      const noteRow = notes.length
        ? `<tr><td></td><td colspan="7" class="note">${notes.map(esc).join('<br>')}</td></tr>`
        : '';
      return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>${noteRow}`;
    })
    .join('');
  const proc = r.process;
  const why = [
    ...proc.evidence,
    ...proc.roleEvidence,
    ...(proc.etcdVersion?.evidence ?? []),
    ...(proc.goVersion?.evidence ?? []),
  ];
  return `<section id="profile"><h2>Profile</h2>
<table><thead><tr><th>input</th><th>kind</th><th>format</th><th>sample type</th><th>total</th><th>time</th><th>duration</th><th>samples</th></tr></thead>
<tbody>${rows}</tbody></table>
<p><strong>Process:</strong> ${esc(processLine(proc))}</p>
${why.length ? `<details><summary>How this was inferred</summary><ul>${why.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></details>` : ''}
</section>`;
}

/** The HTML report. */
/** The first finding and those the input cannot rank it against, with their share ranges (a pasted table). */
function undecidedLine(r: AnalysisReport): string {
  const first = r.diagnoses[0];
  if (!first?.undecidedWith?.length) return '';
  const share = (id: string): string => {
    const range = r.diagnoses.find((d) => d.id === id)?.rankShare;
    if (!range) return id;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    return `${id} (${range[0] === range[1] ? pct(range[0]) : `${pct(range[0])} to ${pct(range[1])}`})`;
  };
  const text = `This input cannot tell whether ${share(first.id)} comes before ${first.undecidedWith.map(share).join(', ')}: a pasted table gives ranges, not figures, for these shares (see Notes).`;
  return `<p class="summary">${esc(text)}</p>\n`;
}

export function renderHtml(r: AnalysisReport, opts: HtmlOptions = {}): string {
  const inputs = opts.inputs ?? [];
  const data = buildPageData([...inputs], r.tops, { initialSampleType: r.profile.sampleType, ...opts.flame });
  if (inputs.length === 0) {
    // No profiles at hand: the top tables of the report, without a flame graph.
    for (const t of r.tops) {
      data.views.push({
        id: `v${data.views.length}`,
        label: `${baseName(t.profile)} · ${t.sampleType}`,
        profile: t.profile,
        sampleType: t.sampleType,
        unit: t.unit,
        total: t.total,
        totalText: t.totalText,
        graph: null,
        top: {
          rows: t.rows.map((x) => ({
            name: x.name,
            inline: '',
            flat: x.flatText,
            flatPct: percentText(x.flatPercent),
            sumPct: percentText(x.sumPercent),
            cum: x.cumText,
            cumPct: percentText(x.cumPercent),
          })),
          note: `${t.totalText} total (no profile data embedded: no flame graph)`,
        },
      });
    }
  }
  const counts = countBySeverity(r.diagnoses);
  const chips = SEVERITY_ORDER.filter((s) => counts[s] > 0)
    .map((s) => `<span class="chip sev-${s}">${esc(severityCount(s, counts[s]))}</span>`)
    .join('');
  const title = r.profiles.length > 1 ? `${r.profiles.length} profiles` : baseName(r.profile.name);
  const numbers = diagnosisNumbers(r.diagnoses);
  const diagnoses = r.diagnoses.length
    ? r.diagnoses.map((d, i) => card(d, numbers[i]!, consequenceText(d, r.diagnoses, numbers))).join('\n')
    : r.rulesEvaluated === 0
      ? `<p class="empty">No rules were evaluated (pprof-doctor top); run <code>pprof-doctor analyze</code> for a diagnosis. The flame graph and top table below show where the ${esc(r.profile.sampleType)} goes.</p>`
      : `<p class="empty">No known problem matched: ${r.rulesEvaluated} rules evaluated. The flame graph and top table below show where the ${esc(r.profile.sampleType)} goes.</p>`;
  const notes = r.notes.length
    ? `<section id="notes"><h2>Notes</h2><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`
    : '';
  const command = opts.command
    ? `<section id="command"><h2>Command</h2><pre><code>${esc(opts.command)}</code></pre></section>`
    : '';
  const tool = `${r.tool.name}${r.tool.version ? ` ${r.tool.version}` : ''}`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(tool)}">
<title>${esc(title)} — pprof-doctor report</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="page"><div class="wrap">
<h1>${esc(title)} <span class="tool">— pprof-doctor report</span></h1>
${r.diagnoses.length ? `<p class="lens">${esc(r.lens.text)}</p>\n` : ''}<p class="sub">${esc(processLine(r.process))}</p>
<p class="summary">${esc(summaryLine(r))}</p>
${undecidedLine(r)}${chips ? `<div class="chips">${chips}</div>` : ''}
</div></header>
<main class="wrap">
<section id="diagnoses"><h2>Diagnoses (${r.diagnoses.length})</h2>
${diagnoses}
</section>
${ruledOutBlock(r.ruledOut)}
${notesBlock(r.notes)}
${stacksBlock(r.stacks)}
<section id="flame"><h2>Flame graph</h2>
<div class="toolbar">
<label for="fg-view">Sample type</label> <select id="fg-view"></select>
<input id="fg-search" type="search" placeholder="Search functions (regexp)" aria-label="Search functions" autocomplete="off" spellcheck="false">
<button id="fg-reset" type="button">Reset zoom</button>
<span id="fg-total"></span>
</div>
<div id="fg-match" aria-live="polite"></div>
<nav class="crumbs" id="fg-crumbs" aria-label="Zoom path"></nav>
<div class="fg-wrap"><div id="fg"></div><div id="fg-tip" hidden></div></div>
<div class="legend"><span class="lg-app">application / libraries</span><span class="lg-std">Go standard library</span><span class="lg-inl">inlined (italic)</span><span class="lg-oth">small frames merged</span><span class="lg-hl">search match</span></div>
<p class="note" id="fg-note"></p>
</section>
<section id="top"><h2>Top functions — <span id="top-title"></span></h2>
<table><thead><tr><th class="num">flat</th><th class="num">flat%</th><th class="num">sum%</th><th class="num">cum</th><th class="num">cum%</th><th>function</th></tr></thead>
<tbody id="top-body"></tbody></table>
<p class="note" id="top-note"></p>
</section>
${profileFacts(r, inputs)}
${notes}
${command}
<footer>Generated by ${esc(tool)}. Self-contained: works offline, makes no network requests. Numbers as <code>go tool pprof</code> computes them (functions granularity, inlined frames kept).</footer>
</main>
<script type="application/json" id="pd-data">${jsonForScript(data)}</script>
<script>${PAGE_JS}</script>
</body>
</html>
`;
}
