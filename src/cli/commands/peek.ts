/**
 * `pprof-doctor peek <profile> <regex>`: callers and callees of the functions matching a regex,
 * as `go tool pprof -peek` prints them.
 */
import { peek } from '../../analysis/peek.js';
import { loadProfile } from '../../input/load.js';
import { formatPeek } from '../../report/pprof-text.js';
import type { CommandSpec } from '../main.js';
import {
  addAnalysisOptions,
  addMaxSizeOption,
  loadOptionsFromArgs,
  fileArg,
  loadRegexIfNeeded,
  analysisOptionsFromArgs,
  printWarnings,
  textFormatOptionsFromArgs,
  writeStdout,
} from '../options.js';

const spec: CommandSpec = {
  command: 'peek <profile> <regex>',
  describe: 'Callers and callees of the functions matching a regex, as `go tool pprof -peek` prints them',
  builder: (y) =>
    addMaxSizeOption(
      addAnalysisOptions(
        y
          .positional('profile', {
            type: 'string',
            describe: 'Profile file (pprof proto, gzipped or not; - for stdin)',
          })
          .positional('regex', { type: 'string', describe: 'Function name regex (RE2 syntax)' }),
      )
        .option('cum', { type: 'boolean', describe: 'Order matching functions by cumulative value', group: 'Output:' })
        .example("$0 heap.pb.gz 'mvcc\\.\\(\\*watchableStore\\)'", ''),
    ),
  run: async (args) => {
    const opts = { ...analysisOptionsFromArgs(args), cum: args.cum === true };
    const profile = await loadProfile(fileArg(args.profile), loadOptionsFromArgs(args));
    await loadRegexIfNeeded(profile, opts, true);
    const report = peek(profile, String(args.regex), opts);
    printWarnings(report.warnings);
    await writeStdout(formatPeek(report, textFormatOptionsFromArgs(args)));
    return 0;
  },
};
export default spec;
