/**
 * One entry point for every analysis report format:
 *
 *   const out = await renderReport(report, format, { inputs, command, width });
 *
 * `text` (terminal), `markdown` (GitHub issue / ticket), `json` (versioned document described by
 * schema/analysis.schema.json) and `html` (one self-contained file with a flame graph). Each
 * renderer is imported only when asked for, so `analyze` in text mode does not load the HTML page.
 * The result is a string ending in a newline.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { AnalysisReport } from '../diagnosis/report.js';
import type { Profile } from '../profile/model.js';
import type { PageDataOptions } from './html/data.js';
import { redactText } from './redact.js';

export const REPORT_FORMATS = ['text', 'markdown', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /**
   * The loaded inputs, with the names used in the report (`AnalyzeInput[]` fits). HTML needs them
   * for the flame graph; Markdown and HTML read the collection time from them.
   */
  inputs?: readonly { name: string; profile: Profile }[];
  /** The command line that produced the report (Markdown and HTML print it). See `commandLine`. */
  command?: string;
  /** Text only: wrap width. */
  width?: number;
  /** Text only: ANSI colour (decide with `useColor` from ./terminal.js: a TTY, and no NO_COLOR). */
  color?: boolean;
  /** HTML only: flame graph size knobs (minFraction, maxNodes, topRows). */
  flame?: PageDataOptions;
}

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(s);
}

/** The file extension that suits a format (for `-o` defaults and messages). */
export function formatExtension(f: ReportFormat): string {
  return { text: '.txt', markdown: '.md', json: '.json', html: '.html' }[f];
}

export async function renderReport(
  report: AnalysisReport,
  format: ReportFormat,
  opts: RenderOptions = {},
): Promise<string> {
  switch (format) {
    case 'text': {
      const { formatAnalysisText } = await import('./analysis-text.js');
      return formatAnalysisText(report, { width: opts.width, color: opts.color });
    }
    case 'json': {
      const { formatAnalysisJson } = await import('./analysis-json.js');
      return formatAnalysisJson(report);
    }
    case 'markdown': {
      const { renderMarkdown } = await import('./markdown.js');
      return renderMarkdown(report, { command: opts.command, inputs: opts.inputs });
    }
    case 'html': {
      // The flame graph and top tables apply the profiles' drop_frames: they need the regex engine.
      await import('../profile/regex.js');
      const { renderHtml } = await import('./html/page.js');
      return renderHtml(report, { command: opts.command, inputs: opts.inputs, flame: opts.flame });
    }
  }
}

/** Quotes one argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command as a user would retype it: `commandLine(['analyze', '--format', 'markdown', 'heap.pb.gz'])`. */
export function commandLine(args: readonly string[], program = 'pprof-doctor'): string {
  // URLs may carry user-info and tokens: never into a report.
  return [program, ...args.map((a) => redactText(a))].map(shellQuote).join(' ');
}
