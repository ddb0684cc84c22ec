/**
 * `pprof-doctor traces <profile>`: every sample with its labels, value and stack, as
 * `go tool pprof -traces` prints them, or the same as JSON (`--format json`, schema/traces.schema.json).
 */
import { traces } from '../../analysis/traces.js';
import { loadProfile } from '../../input/load.js';
import { formatTraces } from '../../report/pprof-text.js';
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
  command: 'traces <profile>',
  describe: 'Print every sample with its stack, as `go tool pprof -traces` does',
  builder: (y) =>
    addOutputOptions(
      addMaxSizeOption(
        addAnalysisOptions(
          y.positional('profile', {
            type: 'string',
            describe: 'Profile file (pprof proto, gzipped or not; - for stdin)',
          }),
        )
          .option('format', {
            choices: ['text', 'json'],
            default: 'text',
            describe: 'Output format (json: schema/traces.schema.json)',
            group: 'Output:',
          })
          .example('$0 goroutine.pb.gz --focus=watch', '')
          .example('$0 goroutine.pb.gz --format json -o traces.json', ''),
      ),
    ),
  run: async (args) => {
    const file = fileArg(args.profile);
    const target = await outputTarget(args, [file]);
    const profile = await loadProfile(file, { maxSize: maxSizeFromArgs(args) });
    const opts = analysisOptionsFromArgs(args);
    await loadRegexIfNeeded(profile, opts);
    const report = traces(profile, opts);
    printWarnings(report.warnings);
    const format = lastString(args.format) ?? 'text';
    const out =
      format === 'json'
        ? (await import('../../report/traces-json.js')).formatTracesJson(report, { toolVersion: VERSION })
        : formatTraces(report, textFormatOptionsFromArgs(args));
    await emitOutput(target, out, format);
    return 0;
  },
};
export default spec;
