/**
 * `pprof-doctor diff --format html`: one self-contained page (inline CSS, no script, no network:
 * a Content-Security-Policy forbids requests) with the two inputs, the change, the rows with a
 * signed bar per row, what appeared / disappeared and the rules on each side. Deterministic.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { DiffReport } from '../analysis/diff.js';
import { relativeTimeText, plainValue, shareText, signedPercent, signedValue, snapshotTime } from './diff-format.js';
import { type DiffRenderInput, type DiffRenderOptions, modeDescription, SIGN_NOTE } from './diff-json.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attributes. */
export function h(s: string | number | undefined | null): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const COMPARE_CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--up:#cf222e;--down:#1a7f37;--bg:#fff;--head:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--up:#ff7b72;--down:#3fb950;--bg:#0d1117;--head:#161b22}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:right;vertical-align:top;white-space:nowrap}
th{background:var(--head);font-weight:600}
td.fn,th.fn{text-align:left;white-space:normal;word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
td.l,th.l{text-align:left}
.up{color:var(--up)}.down{color:var(--down)}.muted{color:var(--muted)}
.tag{display:inline-block;font-size:11px;border:1px solid var(--line);border-radius:8px;padding:0 6px;margin-left:6px;color:var(--muted)}
.bar{display:inline-block;height:10px;vertical-align:middle}
.bar.up{background:var(--up)}.bar.down{background:var(--down)}
td.barcell{width:160px;text-align:left}
.note{color:var(--muted);font-size:13px}
pre{background:var(--head);padding:8px;overflow:auto}
svg text{fill:var(--muted);font-size:11px}
`;

/** A complete page around `body`. */
export function pageShell(title: string, body: string, css = COMPARE_CSS): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function cls(v: number): string {
  return v > 0 ? 'up' : v < 0 ? 'down' : '';
}

export function formatDiffHtml(input: DiffRenderInput, opts: DiffRenderOptions = {}): string {
  const r = input.report;
  const tz = opts.tz ?? 'utc';
  const u = r.unit;
  const ou = 'auto';
  const b: string[] = [];
  b.push(`<h1>pprof-doctor diff: ${h(r.sampleType)}</h1>`);
  b.push('<table><tr><th class="l"></th><th class="l">profile</th><th class="l">time</th><th>total</th></tr>');
  const side = (label: string, s: DiffReport['base'], extra = '') =>
    `<tr><td class="l">${label}</td><td class="fn">${h(s.name)}</td><td class="l">${h(snapshotTime(s.timeNanos, tz) + extra)}</td><td>${h(plainValue(s.total, u, ou))}</td></tr>`;
  b.push(side('base', r.base));
  const later = r.base.timeNanos && r.new.timeNanos ? ` (${relativeTimeText(r.base.timeNanos, r.new.timeNanos)})` : '';
  b.push(side('new', r.new, later));
  b.push('</table>');
  b.push(
    `<p><b>Change:</b> <span class="${cls(r.delta)}">${h(signedValue(r.delta, u, ou))} (${h(signedPercent(r.delta, r.base.total))} of base)</span></p>`,
  );
  b.push(`<p class="note">Mode: ${h(modeDescription(r))}. ${h(SIGN_NOTE)}</p>`);
  if (r.normalized)
    b.push(`<p class="note">New values were scaled by ${h(r.normalizeScale.toPrecision(6))} (--normalize).</p>`);
  for (const w of r.warnings) b.push(`<p class="note">${h(w)}</p>`);

  b.push('<h2>Largest changes</h2>');
  const limit = opts.rowLimit ?? r.rows.length;
  const rows = r.rows.slice(0, limit);
  if (rows.length === 0) {
    b.push('<p>No difference.</p>');
  } else {
    const max = Math.max(...rows.map((x) => Math.abs(x.cum)), 1);
    b.push(
      '<table><tr><th>flat Δ</th><th>flat Δ%</th><th>cum Δ</th><th>cum Δ%</th><th class="l">cum Δ</th><th>cum base → new</th><th class="fn">function</th></tr>',
    );
    for (const x of rows) {
      const w = Math.max(1, Math.round((150 * Math.abs(x.cum)) / max));
      const tag = x.status === 'changed' ? '' : `<span class="tag">${h(x.status)}</span>`;
      b.push(
        `<tr><td class="${cls(x.flat)}">${h(signedValue(x.flat, u, ou))}</td><td class="${cls(x.flat)}">${h(signedPercent(x.flat, r.total))}</td>` +
          `<td class="${cls(x.cum)}">${h(signedValue(x.cum, u, ou))}</td><td class="${cls(x.cum)}">${h(signedPercent(x.cum, r.total))}</td>` +
          `<td class="barcell">${x.cum !== 0 ? `<span class="bar ${cls(x.cum)}" style="width:${w}px"></span>` : ''}</td>` +
          `<td>${h(`${plainValue(x.base.cum, u, ou)} → ${plainValue(x.new.cum, u, ou)}`)}</td>` +
          `<td class="fn">${h(x.name)}${x.inline ? ` <span class="muted">(${h(x.inline)})</span>` : ''}${tag}</td></tr>`,
      );
    }
    b.push('</table>');
    if (rows.length < r.rows.length) b.push(`<p class="note">${r.rows.length - rows.length} more rows not shown.</p>`);
  }

  const list = (title: string, fns: DiffReport['appeared'], count: number) => {
    if (count === 0) return;
    b.push(`<h2>${h(title)} (${count})</h2><table><tr><th>cum Δ</th><th>cum Δ%</th><th class="fn">function</th></tr>`);
    for (const f of fns) {
      b.push(
        `<tr><td class="${cls(f.cum)}">${h(signedValue(f.cum, u, ou))}</td><td class="${cls(f.cum)}">${h(signedPercent(f.cum, r.total))}</td><td class="fn">${h(f.name)}</td></tr>`,
      );
    }
    b.push('</table>');
    if (fns.length < count) b.push(`<p class="note">${count - fns.length} more not shown.</p>`);
  };
  list('Appeared: no base sample holds them', r.appeared, r.appearedCount);
  list('Disappeared: no new sample holds them', r.disappeared, r.disappearedCount);

  const d = input.diagnosis;
  if (d) {
    b.push('<h2>Diagnosis on each side</h2>');
    if (d.rules.length === 0) {
      b.push(`<p>None of the ${d.evaluated} rules fires on either side.</p>`);
    } else {
      b.push(
        '<table><tr><th class="l">change</th><th class="l">rule</th><th class="l">severity</th><th>signature base → new</th><th class="l">fires on</th><th class="l">fixed in</th></tr>',
      );
      for (const c of d.rules) {
        const fires = [c.base.fired ? 'base' : '', c.new.fired ? 'new' : ''].filter(Boolean).join(', ') || 'neither';
        const sig = c.sampleType ? `${shareText(c.base.share)} → ${shareText(c.new.share)} of ${c.sampleType}` : '—';
        b.push(
          `<tr><td class="l">${h(c.status)}</td><td class="fn"><b>${h(c.id)}</b><br><span class="muted">${h(c.title)}</span></td><td class="l">${h(c.severity)}</td><td>${h(sig)}</td><td class="l">${h(fires)}</td><td class="l">${h(c.fixedIn.join(', ') || '—')}</td></tr>`,
        );
      }
      b.push('</table>');
    }
  }
  if (opts.command) b.push(`<h2>Command</h2><pre>${h(opts.command)}</pre>`);
  b.push(`<p class="note">pprof-doctor ${h(opts.toolVersion ?? '')}</p>`);
  return pageShell(`pprof-doctor diff: ${r.sampleType}`, b.join('\n'));
}
