/**
 * `pprof-doctor traces <profile>`: every sample with its labels, value and stack, as
 * `go tool pprof -traces` prints them.
 */
import { traces } from '../../analysis/traces.js';
import { loadProfile } from '../../input/load.js';
import { formatTraces } from '../../report/pprof-text.js';
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
  command: 'traces <profile>',
  describe: 'Print every sample with its stack, as `go tool pprof -traces` does',
  builder: (y) =>
    addMaxSizeOption(
      addAnalysisOptions(
        y.positional('profile', {
          type: 'string',
          describe: 'Profile file (pprof proto, gzipped or not; - for stdin)',
        }),
      ).example('$0 goroutine.pb.gz --focus=watch', ''),
    ),
  run: async (args) => {
    const profile = await loadProfile(fileArg(args.profile), loadOptionsFromArgs(args));
    const opts = analysisOptionsFromArgs(args);
    await loadRegexIfNeeded(profile, opts);
    const report = traces(profile, opts);
    printWarnings(report.warnings);
    await writeStdout(formatTraces(report, textFormatOptionsFromArgs(args)));
    return 0;
  },
};
export default spec;
