/**
 * `pprof-doctor top --format markdown`: pprof's top report as a GitHub-flavoured Markdown table.
 *
 * The numbers are taken from pprof's own text layout (`formatTop`), whose rows are fixed-format
 * (`%10s %s %s %10s %s  name`), so the Markdown shows exactly what `go tool pprof -top` prints; the
 * header lines (File, Type, Time, Duration, Showing…) become a list above the table.
 *
 * Environment-neutral: no Node-only imports.
 */
import { cell, codeSpan, mdLine } from './markdown.js';

const ROW = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+) {2}(.*)$/;
const TABLE_HEADER = /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/;

/** pprof's own header lines (prose); anything else there is a profile comment. */
const PROSE =
  /^(Time|Duration|Showing|Dropped|Active filters|Total|Type):|^Showing |^Dropped |^\s*(focus|ignore|hide|show|show_from|prune_from|tagfocus|tagignore|tagshow|taghide)=/;
/** Header lines that name something from the profile: the value goes in a code span. */
const NAMED = /^(File|Build ID|Type): (.*)$/;

/** One header line: names (file, build id, sample type, comments) always in code spans. */
function headerItem(h: string): string {
  const m = NAMED.exec(h);
  if (m) return `${m[1]}: ${codeSpan(m[2]!)}`;
  return PROSE.test(h) ? mdLine(h) : codeSpan(h);
}

/** Converts the text of `formatTop` into Markdown; `command` (optional) is printed at the end. */
export function topTextToMarkdown(text: string, opts: { title?: string; command?: string } = {}): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const at = lines.findIndex((l) => TABLE_HEADER.test(l));
  const header = at < 0 ? lines : lines.slice(0, at);
  const rows = at < 0 ? [] : lines.slice(at + 1);
  const out: string[] = [`## ${mdLine(opts.title ?? 'Top functions')}`, ''];
  for (const h of header) if (h.trim() !== '') out.push(`- ${headerItem(h.trim())}`);
  out.push('');
  out.push('| flat | flat% | sum% | cum | cum% | function |');
  out.push('| ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const m = ROW.exec(r);
    if (!m) continue;
    const [, flat, flatPct, sumPct, cum, cumPct, name] = m;
    const cells = [flat!, flatPct!, sumPct!, cum!, cumPct!].map(cell);
    out.push(`| ${cells.join(' | ')} | ${cell(codeSpan(name!))} |`);
  }
  if (opts.command) out.push('', `Produced by ${cell(codeSpan(opts.command))}.`);
  return `${out.join('\n')}\n`;
}
