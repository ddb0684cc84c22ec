/**
 * `pprof-doctor trend --format html`: one self-contained page (inline CSS and SVG, no script, no
 * network) with the verdict, a line chart of the total and the fastest-growing stacks over time,
 * and the stacks / functions / rules tables with a small SVG sparkline per row. Deterministic.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { TrendGroups } from '../analysis/trend-groups.js';
import type { TrendEntry, TrendReport } from '../analysis/trend.js';
import { COMPARE_CSS, h, pageShell } from './diff-html.js';
import { durationText, plainValue, shareText, snapshotTime } from './diff-format.js';
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
  stackText,
} from './trend-format.js';
import type { TrendRenderOptions } from './trend-json.js';

const COLORS = ['#0969da', '#cf222e', '#8250df', '#bf8700', '#1a7f37', '#57606a'];

function xs(r: TrendReport): number[] {
  const off = r.snapshots.map((s) => s.offsetSeconds);
  return off.every((o) => o !== null) ? (off as number[]) : r.snapshots.map((_, i) => i);
}

function fmt(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** A tiny inline SVG sparkline (0 to the row's max). */
export function svgSparkline(values: readonly number[], x: readonly number[], w = 90, hgt = 18): string {
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values);
  const x0 = x[0]!;
  const x1 = x[x.length - 1]!;
  const sx = (v: number) => (x1 === x0 ? w / 2 : 1 + ((v - x0) / (x1 - x0)) * (w - 2));
  const sy = (v: number) => (hi === lo ? hgt - 2 : hgt - 1 - ((v - lo) / (hi - lo)) * (hgt - 2));
  const pts = values.map((v, i) => `${fmt(sx(x[i]!))},${fmt(sy(v))}`).join(' ');
  return `<svg width="${w}" height="${hgt}" viewBox="0 0 ${w} ${hgt}" role="img" aria-label="trend"><polyline points="${pts}" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>`;
}

/** The chart: the total and up to five of the fastest-growing stacks, over time. */
export function svgChart(r: TrendReport): string {
  const W = 760;
  const H = 280;
  const L = 70;
  const R = 44;
  const T = 12;
  const B = 36;
  const x = xs(r);
  const lines: { label: string; values: number[] }[] = [{ label: 'total', values: r.total.values }];
  for (const s of r.stacks.filter((s) => s.stats.fittedGrowth > 0).slice(0, 5)) {
    lines.push({ label: s.frames[0] ?? s.name, values: s.values });
  }
  const hi = Math.max(...lines.flatMap((l) => l.values), 1);
  const x0 = x[0]!;
  const x1 = x[x.length - 1]!;
  const sx = (v: number) => L + (x1 === x0 ? (W - L - R) / 2 : ((v - x0) / (x1 - x0)) * (W - L - R));
  const sy = (v: number) => T + (1 - v / hi) * (H - T - B);
  const parts: string[] = [];
  parts.push(
    `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${h(`${r.sampleType} over time`)}">`,
  );
  for (let k = 0; k <= 4; k++) {
    const v = (hi * k) / 4;
    const y = fmt(sy(v));
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y}" y2="${y}" stroke="#8c959f" stroke-opacity="0.3"/>`);
    parts.push(
      `<text x="${L - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${h(plainValue(v, r.unit, 'auto'))}</text>`,
    );
  }
  const timed = r.snapshots.every((s) => s.offsetSeconds !== null);
  r.snapshots.forEach((s, i) => {
    const label = timed ? `+${durationText(s.offsetSeconds! * 1e9)}` : `#${i + 1}`;
    parts.push(`<text x="${fmt(sx(x[i]!))}" y="${H - B + 16}" text-anchor="middle">${h(label)}</text>`);
  });
  lines.forEach((l, i) => {
    const pts = l.values.map((v, k) => `${fmt(sx(x[k]!))},${fmt(sy(v))}`).join(' ');
    const c = COLORS[i % COLORS.length]!;
    parts.push(
      `<polyline points="${pts}" fill="none" stroke="${c}" stroke-width="${i === 0 ? 2.5 : 1.5}"${i === 0 ? '' : ' stroke-dasharray="5 3"'}/>`,
    );
    for (let k = 0; k < l.values.length; k++) {
      parts.push(`<circle cx="${fmt(sx(x[k]!))}" cy="${fmt(sy(l.values[k]!))}" r="2.5" fill="${c}"/>`);
    }
  });
  parts.push('</svg>');
  const legend = lines
    .map((l, i) => `<li><span class="swatch" style="background:${COLORS[i % COLORS.length]}"></span>${h(l.label)}</li>`)
    .join('');
  return `<figure class="chart">${parts.join('')}<ul class="legend">${legend}</ul></figure>`;
}

const EXTRA_CSS = `
.chart{margin:8px 0}.legend{list-style:none;padding:0;margin:4px 0;font-size:12px}
.legend li{display:inline-block;margin-right:16px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.swatch{display:inline-block;width:12px;height:4px;margin-right:6px;vertical-align:middle}
.verdict{font-size:16px;padding:8px 12px;border-left:4px solid var(--line);background:var(--head)}
.verdict.leak{border-color:var(--up)}.verdict.ok{border-color:var(--down)}
td.v-leak{color:var(--up);font-weight:600}td.wrap{white-space:normal}td.v-bounded,td.v-stable{color:var(--muted)}
`;

function entryCells(e: TrendEntry, unit: string, x: readonly number[]): string {
  return (
    `<td class="l v-${h(e.verdict)}">${h(e.verdict)}</td><td>${h(confidenceText(e))}</td>` +
    `<td class="l">${svgSparkline(e.values, x)}</td><td>${h(rangeText(e, unit))}</td><td>${h(slopeText(e, unit))}</td><td>${h(r2Text(e))}</td>`
  );
}

const HEAD =
  '<th class="l">verdict</th><th>confidence</th><th class="l">trend</th><th>first → last</th><th>slope</th><th>R²</th>';

export function formatTrendHtml(r: TrendReport, opts: TrendRenderOptions = {}): string {
  const b = [`<h1>pprof-doctor trend: ${h(r.sampleType)} over ${r.snapshots.length} ${h(r.kind)} profiles</h1>`];
  b.push(...trendSection(r, opts, 2));
  if (opts.command) b.push(`<h2>Command</h2><pre>${h(opts.command)}</pre>`);
  b.push(`<p class="note">pprof-doctor ${h(opts.toolVersion ?? '')}</p>`);
  return pageShell(`pprof-doctor trend: ${r.sampleType}`, b.join('\n'), COMPARE_CSS + EXTRA_CSS);
}

/** One trend's body (after its title), its parts under headings of `level`. */
function trendSection(r: TrendReport, opts: TrendRenderOptions, level: 2 | 3): string[] {
  const tz = opts.tz ?? 'utc';
  const u = r.unit;
  const limit = opts.rowLimit ?? 15;
  const x = xs(r);
  const b: string[] = [];
  const hx = (text: string) => `<h${level}>${text}</h${level}>`;
  b.push(`<p class="verdict ${r.leak ? 'leak' : 'ok'}">${h(r.summary)}</p>`);
  const t = r.total;
  b.push(`<p><b>Total:</b> ${h(rangeText(t, u))}, ${h(slopeText(t, u))}, R² ${h(r2Text(t))}: ${h(t.verdict)}</p>`);
  if (r.unboundedTotal.verdict !== t.verdict) {
    const ub = r.unboundedTotal;
    b.push(`<p><b>Without bounded growth:</b> ${h(rangeText(ub, u))}, ${h(slopeText(ub, u))}: ${h(ub.verdict)}</p>`);
  }
  if (r.projection) b.push(`<p><b>Projection:</b> ${h(projectionText(r, tz))}</p>`);
  b.push(svgChart(r));
  b.push(
    `${hx('Snapshots')}<table><tr><th>#</th><th class="l">time</th><th>offset</th><th>total</th><th class="fn">profile</th></tr>`,
  );
  r.snapshots.forEach((s, i) => {
    const off = s.offsetSeconds !== null ? `+${durationText(s.offsetSeconds * 1e9)}` : '';
    b.push(
      `<tr><td>${i + 1}</td><td class="l">${h(snapshotTime(s.timeNanos, tz))}</td><td>${h(off)}</td><td>${h(plainValue(s.total, u, 'auto'))}</td><td class="fn">${h(s.name)}</td></tr>`,
    );
  });
  b.push('</table>');
  b.push(`<p class="note">Snapshots ${h(orderText(r))}.</p>`);
  for (const w of [...r.warnings, ...r.notes]) b.push(`<p class="note">${h(w)}</p>`);

  b.push(hx(`Stacks that change (${r.stackCount})`));
  const stacks = r.stacks.slice(0, limit);
  if (stacks.length === 0) b.push('<p>None changes beyond the noise floor.</p>');
  else {
    b.push(`<table><tr>${HEAD}<th class="fn">stack (leaf ← callers)</th></tr>`);
    for (const s of stacks) {
      b.push(
        `<tr>${entryCells(s, u, x)}<td class="fn" title="${h(s.frames.join('\n'))}">${h(stackText(s.frames, 6))}</td></tr>`,
      );
    }
    b.push('</table>');
  }
  b.push(hx(`Functions that change (${r.functionCount}, cum)`));
  const fns = r.functions.slice(0, limit);
  if (fns.length === 0) b.push('<p>None changes beyond the noise floor.</p>');
  else {
    b.push(`<table><tr>${HEAD}<th class="fn">function</th></tr>`);
    for (const f of fns) b.push(`<tr>${entryCells(f, u, x)}<td class="fn">${h(f.name)}</td></tr>`);
    b.push('</table>');
  }
  if (r.rules) {
    b.push(hx('Rules'));
    if (r.rules.length === 0) b.push('<p>No rule signature grows, and no rule fires on the last snapshot.</p>');
    else {
      b.push(
        '<table><tr><th class="l">verdict</th><th class="l">trend</th><th class="l">rule</th><th>signature first → last</th><th>slope</th><th class="l">fires on last</th><th class="l">fixed in</th></tr>',
      );
      for (const z of r.rules) {
        const sig = `${shareText(z.shares[0]!)} → ${shareText(z.shares[z.shares.length - 1]!)} of ${z.sampleType}`;
        b.push(
          `<tr><td class="l v-${h(z.verdict)}">${h(z.verdict)}</td><td class="l">${svgSparkline(z.values, x)}</td><td class="fn"><b>${h(z.id)}</b><br><span class="muted">${h(z.title)}</span></td><td>${h(sig)}</td><td>${h(slopeText(z, z.unit))}</td><td class="l">${z.firesOnLast ? 'yes' : 'no'}</td><td class="l">${h(z.fixedIn.join(', ') || '—')}</td></tr>`,
        );
      }
      b.push('</table>');
    }
  }
  const bounded = r.boundedKinds.filter((k) => r.stacks.some((s) => s.bounded === k.id));
  if (bounded.length) {
    b.push(`${hx('Bounded growth')}<ul>`);
    for (const k of bounded)
      b.push(`<li><b>${h(k.id)}</b>: ${h(k.reason)}${k.rule ? ` (rule ${h(k.rule)})` : ''}</li>`);
    b.push('</ul>');
  }
  return b;
}

/**
 * Every group: a summary table with one line per group first, then a section per group (its
 * trend, or why it has none). A run with one trended group and nothing to add reads as one trend.
 */
export function formatTrendGroupsHtml(g: TrendGroups, opts: TrendRenderOptions = {}): string {
  const only = onlyTrend(g);
  if (only) return formatTrendHtml(only, opts);
  const b = [`<h1>pprof-doctor trend: ${h(groupsHeading(g))}</h1>`];
  b.push('<table><tr><th class="l">group</th><th>profiles</th><th class="l">verdict</th></tr>');
  g.groups.forEach((x, i) => {
    const cls = x.report?.leak ? ' v-leak' : '';
    b.push(
      `<tr><td class="l"><a href="#group-${i + 1}">${h(x.label)}</a></td><td>${x.files.length}</td><td class="l wrap${cls}">${h(x.summary)}</td></tr>`,
    );
  });
  b.push('</table>');
  for (const note of g.notes) b.push(`<p class="note">${h(note)}</p>`);
  g.groups.forEach((x, i) => {
    const r = x.report;
    b.push(
      `<h2 id="group-${i + 1}">${h(x.label)}: ${r ? `${h(r.sampleType)} over ${h(profilesText(r.snapshots.length))}` : 'not trended'}</h2>`,
    );
    if (r) {
      b.push(...trendSection(r, opts, 3));
      if (x.note) b.push(`<p class="note">${h(x.note)}</p>`);
    } else {
      b.push(`<p>${h(x.note ?? '')}</p><ul>`);
      for (const f of x.files.slice(0, FILES_SHOWN)) b.push(`<li class="fn">${h(f)}</li>`);
      if (x.files.length > FILES_SHOWN) b.push(`<li>… ${x.files.length - FILES_SHOWN} more</li>`);
      b.push('</ul>');
    }
  });
  if (opts.command) b.push(`<h2>Command</h2><pre>${h(opts.command)}</pre>`);
  b.push(`<p class="note">pprof-doctor ${h(opts.toolVersion ?? '')}</p>`);
  return pageShell('pprof-doctor trend', b.join('\n'), COMPARE_CSS + EXTRA_CSS);
}
