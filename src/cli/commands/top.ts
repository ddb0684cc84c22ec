/**
 * `pprof-doctor top <profile>`: the flat report of `go tool pprof -top`, byte for byte (header and
 * table), or the same rows as JSON (`--format json`), a Markdown table (`markdown`) or the
 * self-contained HTML page with a flame graph and the top table (`html`; no rules are evaluated).
 */
import { top } from '../../analysis/top.js';
import { loadProfile } from '../../input/load.js';
import { formatTop, topJson } from '../../report/pprof-text.js';
import type { Profile } from '../../profile/model.js';
import { VERSION } from '../../version.js';
import type { CommandSpec } from '../main.js';
import { addOutputOptions, emitOutput, outputTarget } from '../output.js';
import { outputUnitNote } from '../../profile/units.js';
import {
  addAnalysisOptions,
  addMaxSizeOption,
  addValueOptions,
  maxSizeFromArgs,
  fileArg,
  loadRegexIfNeeded,
  addTrimOptions,
  lastString,
  printWarnings,
  textFormatOptionsFromArgs,
  topOptionsFromArgs,
} from '../options.js';

const spec: CommandSpec = {
  command: 'top <profile>',
  describe: 'Print the top functions, as `go tool pprof -top` does (same numbers, same layout)',
  builder: (y) =>
    addOutputOptions(
      addMaxSizeOption(
        addValueOptions(
          addTrimOptions(
            addAnalysisOptions(
              y.positional('profile', {
                type: 'string',
                describe: 'Profile file (pprof proto, gzipped or not; - for stdin)',
              }),
            ),
          ),
        )
          .option('format', {
            choices: ['text', 'json', 'markdown', 'html'],
            default: 'text',
            describe: 'Output format (html: flame graph + top table, one offline file)',
            group: 'Output:',
          })
          .example('$0 heap.pb.gz -sample_index=alloc_space -nodecount=20', '')
          .example('$0 cpu.pb.gz --cum --focus=mvcc', '')
          .example('$0 heap.pb.gz -tagfocus=bytes=1kb:4kb -unit=kb', ''),
      ),
    ),
  run: async (args) => {
    const opts = topOptionsFromArgs(args);
    const file = fileArg(args.profile);
    const target = await outputTarget(args, [file]);
    const profile = await loadProfile(file, { maxSize: maxSizeFromArgs(args) });
    await loadRegexIfNeeded(profile, opts);
    const report = top(profile, opts);
    printWarnings([...report.warnings, ...valueNotes(report.header.sampleUnit, opts.unit, opts.divideBy)]);
    const format = lastString(args.format) ?? 'text';
    let out: string;
    if (format === 'json') {
      out = `${JSON.stringify(topJson(report), null, 2)}\n`;
    } else if (format === 'html') {
      out = await topHtml(file, profile, lastString(args['sample-index']), opts.nodeCount);
    } else {
      out = formatTop(report, textFormatOptionsFromArgs(args));
      if (format === 'markdown') {
        const { topTextToMarkdown } = await import('../../report/top-markdown.js');
        const { commandLine } = await import('../../report/render.js');
        out = topTextToMarkdown(out, {
          title: `Top functions of ${file}`,
          command: commandLine(process.argv.slice(2)),
        });
      }
    }
    await emitOutput(target, out, format);
    return 0;
  },
};
export default spec;

/** Our notes on -unit and -divide_by values that pprof takes silently but does not honour. */
function valueNotes(sampleUnit: string, unit: string | undefined, divideBy: number | undefined): string[] {
  const notes: string[] = [];
  const note = unit === undefined ? undefined : outputUnitNote(sampleUnit, unit);
  if (note) notes.push(`pprof-doctor: ${note}`);
  if (divideBy !== undefined && !(divideBy > 0 && Number.isFinite(divideBy))) {
    notes.push(
      `pprof-doctor: divide_by ${divideBy} is ignored (go tool pprof scales only by a positive, finite divisor): values are not divided`,
    );
  }
  return notes;
}

/** The analyze HTML page for one profile with no rules evaluated: flame graph and top table. */
async function topHtml(name: string, profile: Profile, sampleIndex: string | undefined, nodeCount: number | undefined) {
  const [{ analyzeProfiles }, { pprofTopRows }, { renderReport, commandLine }] = await Promise.all([
    import('../../diagnosis/engine.js'),
    import('../../report/top-rows.js'),
    import('../../report/render.js'),
  ]);
  await import('../../profile/regex.js');
  const inputs = [{ name, profile }];
  const report = analyzeProfiles(inputs, [], {
    sampleIndex,
    topN: nodeCount || 50,
    top: pprofTopRows,
    toolVersion: VERSION,
  });
  return renderReport(report, 'html', { inputs, command: commandLine(process.argv.slice(2)) });
}
