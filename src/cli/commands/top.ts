/**
 * `pprof-doctor top <profile>`: the flat report of `go tool pprof -top`, byte for byte (header and
 * table), or the same rows as JSON with `--format json`.
 */
import { top } from '../../analysis/top.js';
import { loadProfile } from '../../input/load.js';
import { formatTop, topJson } from '../../report/pprof-text.js';
import type { CommandSpec } from '../main.js';
import {
  addAnalysisOptions,
  addMaxSizeOption,
  maxSizeFromArgs,
  fileArg,
  loadRegexIfNeeded,
  addTrimOptions,
  lastString,
  printWarnings,
  textFormatOptionsFromArgs,
  topOptionsFromArgs,
  writeStdout,
} from '../options.js';

const spec: CommandSpec = {
  command: 'top <profile>',
  describe: 'Print the top functions, as `go tool pprof -top` does (same numbers, same layout)',
  builder: (y) =>
    addMaxSizeOption(
      addTrimOptions(
        addAnalysisOptions(
          y.positional('profile', {
            type: 'string',
            describe: 'Profile file (pprof proto, gzipped or not; - for stdin)',
          }),
        ),
      )
        .option('format', { choices: ['text', 'json'], default: 'text', describe: 'Output format', group: 'Output:' })
        .example('$0 heap.pb.gz -sample_index=alloc_space -nodecount=20', '')
        .example('$0 cpu.pb.gz --cum --focus=mvcc', ''),
    ),
  run: async (args) => {
    const opts = topOptionsFromArgs(args);
    const profile = await loadProfile(fileArg(args.profile), { maxSize: maxSizeFromArgs(args) });
    await loadRegexIfNeeded(profile, opts);
    const report = top(profile, opts);
    printWarnings(report.warnings);
    if (lastString(args.format) === 'json') {
      await writeStdout(`${JSON.stringify(topJson(report), null, 2)}\n`);
    } else {
      await writeStdout(formatTop(report, textFormatOptionsFromArgs(args)));
    }
    return 0;
  },
};
export default spec;
