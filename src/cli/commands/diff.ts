/**
 * `pprof-doctor diff <base> <new>`: what changed between two profiles of one program.
 *
 * `--mode compare` (default) is pprof's `-diff_base`, `--mode subtract` pprof's `-base`;
 * `--normalize` scales new to base's total first. `--format pprof-text` (or `--pprof`) prints
 * exactly what `go tool pprof -top -diff_base=<base> <new>` (or `-base=`) prints; the other
 * formats add signed percentages, each side's figures, what appeared and disappeared, and the
 * rules that appeared, vanished, grew or shrank.
 */
import type { DiagnosisComparison } from '../../analysis/compare/diagnosis.js';
import { diff } from '../../analysis/diff.js';
import { UserError } from '../../errors.js';
import { loadProfile } from '../../input/load.js';
import type { DiffRenderInput, DiffRenderOptions } from '../../report/diff-json.js';
import { VERSION } from '../../version.js';
import type { CommandSpec } from '../main.js';
import { addOutputOptions, emitOutput, outputTarget } from '../output.js';
import {
  addAnalysisOptions,
  addTrimOptions,
  fileArg,
  lastString,
  loadRegexIfNeeded,
  printWarnings,
  textFormatOptionsFromArgs,
  topOptionsFromArgs,
  addRuleOptions,
  ruleLoadOptionsFromArgs,
} from '../options.js';

const FORMATS = ['text', 'markdown', 'json', 'html', 'pprof-text'] as const;
type Format = (typeof FORMATS)[number];

/** The command as the user would retype it (from the parsed options, so it is deterministic). */
function commandArgs(
  args: Record<string, unknown>,
  base: string,
  next: string,
  mode: string,
  format: string,
): string[] {
  const out = ['diff', base, next];
  if (mode !== 'compare') out.push(`--mode=${mode}`);
  if (args.normalize === true) out.push('--normalize');
  for (const k of ['sample-index', 'focus', 'ignore', 'hide', 'show', 'show-from', 'prune-from', 'nodecount']) {
    const v = lastString(args[k]);
    if (v !== undefined && v !== '') out.push(`--${k}=${v}`);
  }
  out.push(`--format=${format}`);
  return out;
}

/** Renders a diff in one of the rich formats (not pprof-text). */
export async function renderDiff(input: DiffRenderInput, format: Format, opts: DiffRenderOptions): Promise<string> {
  switch (format) {
    case 'json': {
      const { formatDiffJson } = await import('../../report/diff-json.js');
      return formatDiffJson(input, opts);
    }
    case 'markdown': {
      const { formatDiffMarkdown } = await import('../../report/diff-markdown.js');
      return formatDiffMarkdown(input, opts);
    }
    case 'html': {
      const { formatDiffHtml } = await import('../../report/diff-html.js');
      return formatDiffHtml(input, opts);
    }
    default: {
      const { formatDiffText } = await import('../../report/diff-text.js');
      return formatDiffText(input, opts);
    }
  }
}

const spec: CommandSpec = {
  command: 'diff <base> <new>',
  describe: 'Compare two profiles of one program: what grew, what shrank, what appeared, which rules changed',
  builder: (y) =>
    addRuleOptions(
      addOutputOptions(
        addTrimOptions(
          addAnalysisOptions(
            y
              .positional('base', { type: 'string', describe: 'The earlier / reference profile' })
              .positional('new', { type: 'string', describe: 'The later profile' }),
          ),
        )
          .option('mode', {
            choices: ['compare', 'subtract'],
            default: 'compare',
            describe:
              "compare = pprof's -diff_base (percentages of the base total); subtract = pprof's -base (percentages of Σ|new − base|)",
            group: 'Comparison:',
          })
          .option('normalize', {
            type: 'boolean',
            describe: "Scale new so its total equals base's, per sample type (pprof's -normalize)",
            group: 'Comparison:',
          })
          .option('format', {
            choices: FORMATS,
            default: 'text',
            describe: 'Output format; pprof-text = exactly `go tool pprof -top -diff_base` / `-base`',
            group: 'Output:',
          })
          .option('pprof', { type: 'boolean', describe: 'Same as --format pprof-text', group: 'Output:' })
          .option('list', {
            type: 'number',
            default: 20,
            describe: 'How many appeared / disappeared functions to list',
            group: 'Output:',
          })
          .option('diagnosis', {
            type: 'boolean',
            default: true,
            describe: 'Run the rules on both sides (--no-diagnosis skips it)',
            group: 'Rules:',
          }),
      ),
    )
      .option('etcd-version', {
        type: 'string',
        describe: 'The etcd version of the process, e.g. 3.4.23',
        group: 'Rules:',
      })
      .option('go-version', {
        type: 'string',
        describe: 'The Go version the process was built with, e.g. 1.19.9',
        group: 'Rules:',
      })
      .example('$0 heap.01.pb.gz heap.05.pb.gz', '')
      .example('$0 base.pb.gz new.pb.gz --mode subtract --normalize --format json', '')
      .example('$0 base.pb.gz new.pb.gz --pprof -nodecount=20', ''),
  run: async (args) => {
    let format = (lastString(args.format) ?? 'text') as Format;
    if (args.pprof === true) {
      if (format !== 'text' && format !== 'pprof-text') throw new UserError(`--pprof and --format ${format} conflict`);
      format = 'pprof-text';
    }
    const baseFile = fileArg(args.base);
    const newFile = fileArg(args.new);
    if (baseFile === '-' && newFile === '-') throw new UserError('only one of the two profiles can be standard input');
    const target = await outputTarget(args, [baseFile, newFile]);
    const opts = topOptionsFromArgs(args);
    const mode = lastString(args.mode) === 'subtract' ? 'subtract' : 'compare';
    const listLimit = Number(lastString(args.list) ?? 20);
    if (!Number.isInteger(listLimit) || listLimit < 0) throw new UserError('--list needs a whole number ≥ 0');
    // Rich formats show 20 rows unless asked; pprof-text and JSON show what pprof shows.
    const rowLimit = format === 'text' || format === 'markdown' || format === 'html' ? opts.nodeCount || 20 : undefined;

    const [base, next] = await Promise.all([loadProfile(baseFile), loadProfile(newFile)]);
    await loadRegexIfNeeded(next, opts);
    await loadRegexIfNeeded(base, opts);
    const report = diff(base, next, {
      ...opts,
      mode,
      normalize: args.normalize === true,
      baseName: baseFile === '-' ? '<stdin>' : baseFile,
      newName: newFile === '-' ? '<stdin>' : newFile,
      listLimit,
    });

    let text: string;
    if (format === 'pprof-text') {
      printWarnings(report.warnings);
      const { formatTop } = await import('../../report/pprof-text.js');
      text = formatTop(report.top, textFormatOptionsFromArgs(args));
    } else {
      let diagnosis: DiagnosisComparison | undefined;
      if (args.diagnosis !== false) {
        const [{ loadRules }, { compareDiagnoses }, { versionToRange }] = await Promise.all([
          import('../../diagnosis/load-rules-node.js'),
          import('../../analysis/compare/diagnosis.js'),
          import('../../diagnosis/versions.js'),
        ]);
        const etcdText = lastString(args['etcd-version']);
        const etcdVersion = etcdText ? versionToRange(etcdText) : undefined;
        if (etcdText && !etcdVersion)
          throw new UserError(`--etcd-version: '${etcdText}' is not a version (e.g. 3.4.23)`);
        const goText = lastString(args['go-version']);
        const goVersion = goText ? versionToRange(goText) : undefined;
        if (goText && !goVersion) throw new UserError(`--go-version: '${goText}' is not a version (e.g. 1.19.9)`);
        const rules = await loadRules(ruleLoadOptionsFromArgs(args));
        diagnosis = compareDiagnoses(base, next, rules, {
          etcdVersion: etcdVersion ?? undefined,
          goVersion: goVersion ?? undefined,
          baseName: report.base.name,
          newName: report.new.name,
        });
      }
      const { commandLine } = await import('../../report/render.js');
      text = await renderDiff({ report, diagnosis }, format, {
        toolVersion: VERSION,
        command: commandLine(commandArgs(args, baseFile, newFile, mode, format)),
        tz: textFormatOptionsFromArgs(args).tz,
        rowLimit,
      });
      // Warnings are part of every rich report, and go to stderr too (one line each), so a reversed
      // or mismatched pair is noticed even when the report goes to a file or a pipe.
      printWarnings(report.warnings);
    }
    await emitOutput(target, text, format);
    return 0;
  },
};
export default spec;
