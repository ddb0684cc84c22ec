/**
 * `pprof-doctor peek <profile> <regex>`: callers and callees of the functions matching a regex,
 * as `go tool pprof -peek` prints them, or the same as JSON (`--format json`, schema/peek.schema.json).
 */
import { peek } from '../../analysis/peek.js';
import { loadProfile } from '../../input/load.js';
import { formatPeek } from '../../report/pprof-text.js';
import { VERSION } from '../../version.js';
import type { CommandSpec } from '../main.js';
import { addOutputOptions, emitOutput, outputTarget } from '../output.js';
import {
  addAnalysisOptions,
  addMaxSizeOption,
  maxSizeFromArgs,
  fileArg,
  loadRegexIfNeeded,
  analysisOptionsFromArgs,
  printWarnings,
  lastString,
  textFormatOptionsFromArgs,
} from '../options.js';

const spec: CommandSpec = {
  command: 'peek <profile> <regex>',
  describe: 'Callers and callees of the functions matching a regex, as `go tool pprof -peek` prints them',
  builder: (y) =>
    addOutputOptions(
      addMaxSizeOption(
        addAnalysisOptions(
          y
            .positional('profile', {
              type: 'string',
              describe: 'Profile file (pprof proto, gzipped or not; - for stdin)',
            })
            .positional('regex', { type: 'string', describe: 'Function name regex (RE2 syntax)' }),
        )
          .option('cum', {
            type: 'boolean',
            describe: 'Order matching functions by cumulative value',
            group: 'Output:',
          })
          .option('format', {
            choices: ['text', 'json'],
            default: 'text',
            describe: 'Output format (json: schema/peek.schema.json)',
            group: 'Output:',
          })
          .example("$0 heap.pb.gz 'mvcc\\.\\(\\*watchableStore\\)'", '')
          .example('$0 cpu.pb.gz raft --format json -o peek.json', ''),
      ),
    ),
  run: async (args) => {
    const opts = { ...analysisOptionsFromArgs(args), cum: args.cum === true };
    const file = fileArg(args.profile);
    const target = await outputTarget(args, [file]);
    const profile = await loadProfile(file, { maxSize: maxSizeFromArgs(args) });
    await loadRegexIfNeeded(profile, opts, true);
    const report = peek(profile, String(args.regex), opts);
    printWarnings(report.warnings);
    const format = lastString(args.format) ?? 'text';
    const out =
      format === 'json'
        ? (await import('../../report/peek-json.js')).formatPeekJson(report, {
            toolVersion: VERSION,
            regex: String(args.regex),
          })
        : formatPeek(report, textFormatOptionsFromArgs(args));
    await emitOutput(target, out, format);
    return 0;
  },
};
export default spec;
