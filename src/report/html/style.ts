/** The HTML report's style sheet (inlined; system fonts only, light and dark schemes). */
export const PAGE_CSS = String.raw`
:root {
  --bg: #f6f7f9; --panel: #ffffff; --fg: #1d2330; --muted: #5d6678; --line: #dfe3ea; --code-bg: #f0f2f5;
  --crit: #c62828; --warn: #b26a00; --info: #1f5fbf; --ok: #2e7d32; --accent: #3358d4; --hl: #c026d3;
  --crit-bg: #fdecec; --warn-bg: #fff4e0; --info-bg: #e8f0fd;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171c; --panel: #1c2027; --fg: #e3e6eb; --muted: #9aa3b2; --line: #2f3540; --code-bg: #262b33;
    --crit: #ff6b6b; --warn: #f0a742; --info: #6ea8ff; --ok: #6fcf73; --accent: #8aa4ff; --hl: #e879f9;
    --crit-bg: #3a1f22; --warn-bg: #3a2d16; --info-bg: #1c2a40;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 12.5px; }
code { background: var(--code-bg); padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); padding: 8px 10px; border-radius: 6px; overflow-x: auto; margin: 6px 0; }
pre code { background: none; padding: 0; }
a { color: var(--accent); }
header.page { background: var(--panel); border-bottom: 1px solid var(--line); }
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 20px; }
header.page .wrap { padding-top: 16px; padding-bottom: 14px; }
h1 { font-size: 20px; margin: 0 0 2px; }
h1 .tool { color: var(--muted); font-weight: 500; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 0; }
h4 { font-size: 13px; margin: 14px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.sub { color: var(--muted); margin: 0; }
.summary { font-size: 15px; margin: 10px 0 0; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 16px 0; }
.chips { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 8px; }
.chip { border-radius: 999px; padding: 1px 10px; font-size: 12px; font-weight: 600; border: 1px solid var(--line); }
.sev { display: inline-block; border-radius: 4px; padding: 0 7px; font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; }
.sev-critical { color: var(--crit); background: var(--crit-bg); }
.sev-warning { color: var(--warn); background: var(--warn-bg); }
.sev-info { color: var(--info); background: var(--info-bg); }
.card { border: 1px solid var(--line); border-left-width: 5px; border-radius: 8px; padding: 12px 16px; margin: 12px 0; background: var(--panel); }
.card.critical { border-left-color: var(--crit); }
.card.warning { border-left-color: var(--warn); }
.card.info { border-left-color: var(--info); }
.card.consequence { margin-left: 32px; }
.lens { margin: 0 0 4px; font-weight: 600; }
.card-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.card-head h3 { flex: 1 1 400px; }
.conf { color: var(--muted); white-space: nowrap; }
.meter { display: inline-block; width: 60px; height: 6px; border-radius: 3px; background: var(--line); vertical-align: middle; margin-left: 6px; overflow: hidden; }
.meter > span { display: block; height: 100%; background: var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ul.evidence { list-style: none; padding: 0; margin: 0; }
ul.evidence li { padding: 5px 0 5px 24px; position: relative; border-top: 1px dashed var(--line); }
ul.evidence li:first-child { border-top: none; }
ul.evidence li::before { position: absolute; left: 2px; top: 5px; font-weight: 700; }
ul.evidence li.held::before { content: "\2713"; color: var(--ok); }
ul.evidence li.missing::before { content: "\00b7"; color: var(--muted); }
ul.evidence li.exclude::before { content: "\2717"; color: var(--crit); }
.role { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; margin-right: 6px; }
.figs { color: var(--muted); }
.fns { margin-top: 2px; }
.lines { margin-top: 2px; }
.lines ul { margin: 0; padding-left: 18px; }
.fns code { margin-right: 4px; }
button.fnlink, code.fn { cursor: pointer; }
code.fn:hover { outline: 1px solid var(--accent); }
ol.steps { margin: 4px 0; padding-left: 22px; }
ol.steps li { margin: 4px 0; }
details { margin-top: 8px; }
details > summary { cursor: pointer; color: var(--accent); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
td.fn { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; overflow-wrap: anywhere; }
button.fnlink { background: none; border: none; padding: 0; font: inherit; color: var(--fg); text-align: left; }
button.fnlink:hover { color: var(--accent); text-decoration: underline; }
.mark { color: var(--muted); }
.note { color: var(--muted); font-size: 12.5px; margin: 6px 0 0; }
.toolbar { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
.toolbar label { color: var(--muted); }
.toolbar select, .toolbar input, .toolbar button { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--fg); }
.toolbar input[type=search] { flex: 1 1 260px; min-width: 180px; }
.toolbar button:disabled { opacity: .5; }
#fg-match { color: var(--hl); font-weight: 600; }
#fg-total { color: var(--muted); margin-left: auto; }
.crumbs { min-height: 22px; margin-bottom: 4px; font-size: 12.5px; overflow-wrap: anywhere; }
.crumbs button { background: none; border: none; padding: 0; font: inherit; color: var(--accent); cursor: pointer; }
.crumbs button[aria-current] { color: var(--fg); font-weight: 600; cursor: default; }
.crumbs .sep { color: var(--muted); }
.fg-wrap { position: relative; }
#fg { position: relative; width: 100%; min-height: 40px; overflow: hidden; user-select: none; }
.fr { position: absolute; height: 17px; padding: 0 4px; font: 11.5px/17px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color: #1b1b1b; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-radius: 2px; cursor: pointer; background: #d9dde3; }
.fr:hover { outline: 1.5px solid #111; z-index: 1; }
.fr.inl { font-style: italic; box-shadow: inset 0 -3px 0 rgba(0,0,0,.18); }
.fr.oth { background: repeating-linear-gradient(135deg, #cfd3da 0 4px, #e3e6ea 4px 8px); color: #444; }
.fr.anc { opacity: .75; }
.fr.narrow { color: transparent; padding: 0; }
.fr.dim { opacity: .28; }
.fr.hl { background: var(--hl) !important; color: #fff; opacity: 1; }
.fg-empty { color: var(--muted); }
#fg-tip { position: absolute; z-index: 10; pointer-events: none; max-width: 560px; background: #111827; color: #f3f4f6; border-radius: 6px;
  padding: 6px 9px; font-size: 12.5px; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
#fg-tip .tip-name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-weight: 600; overflow-wrap: anywhere; margin-bottom: 2px; }
#fg-tip .tip-flag { color: #fbbf24; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin-top: 6px; }
.legend span::before { content: ""; display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: middle; border-radius: 2px; }
.legend .lg-app::before { background: hsl(28, 70%, 76%); }
.legend .lg-std::before { background: hsl(205, 45%, 76%); }
.legend .lg-inl::before { background: hsl(28, 70%, 76%); box-shadow: inset 0 -3px 0 rgba(0,0,0,.18); }
.legend .lg-oth::before { background: repeating-linear-gradient(135deg, #cfd3da 0 3px, #e3e6ea 3px 6px); }
.legend .lg-hl::before { background: var(--hl); }
footer { color: var(--muted); font-size: 12px; padding: 10px 0 30px; }
.empty { color: var(--muted); }
`;
