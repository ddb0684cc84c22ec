/**
 * `pprof-doctor analyze <profile…>`: what is wrong, the evidence, and the fix.
 *
 * Several profiles of the same process (heap + cpu + goroutine, or a directory of them) are
 * analysed together: each rule reads the profile kinds it declares. Exit codes: 0 done, 1 a
 * diagnosis at or above --fail-on, 2 usage or input error.
 */
import { type AnalyzeInput, analyzeProfiles, severityAtLeast } from '../../diagnosis/engine.js';
import { loadRules } from '../../diagnosis/load-rules-node.js';
import type { Severity } from '../../diagnosis/schema.js';
import { versionToRange } from '../../diagnosis/versions.js';
import { InputError, UserError } from '../../errors.js';
import { expandProfilePaths, loadProfile } from '../../input/load.js';
import { formatAnalysisJson } from '../../report/analysis-json.js';
import { formatAnalysisText } from '../../report/analysis-text.js';
import { VERSION } from '../../version.js';
import type { CommandSpec } from '../main.js';
import { lastString, writeStdout } from '../options.js';

/** Files in a scenario directory that are not profiles. */
const NOT_A_PROFILE = /\.(json|md|yaml|yml|sh|log)$|(^|\/)metrics\.txt$/i;

function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

const spec: CommandSpec = {
  command: 'analyze <profiles..>',
  describe: 'Diagnose a profile: what is wrong, the evidence, and the fix',
  builder: (y) =>
    y
      .positional('profiles', {
        type: 'string',
        array: true,
        describe:
          'Profile files of one process (pprof proto, debug=1/2 text, goroutine dump, pasted top table), or a directory of them',
      })
      .option('format', { choices: ['text', 'json'], default: 'text', describe: 'Output format', group: 'Output:' })
      .option('fail-on', {
        choices: ['warning', 'critical'],
        describe: 'Exit 1 when a diagnosis at or above this severity is found',
        group: 'Output:',
      })
      .option('nodecount', { type: 'number', default: 10, describe: 'Rows in the top table', group: 'Output:' })
      .option('rules', {
        type: 'string',
        array: true,
        describe: 'Directory of extra rules (YAML); same id overrides a built-in rule',
        group: 'Rules:',
      })
      .option('builtin-rules', {
        type: 'boolean',
        default: true,
        describe: 'Use the built-in rules (--no-builtin-rules: only the --rules directories)',
        group: 'Rules:',
      })
      .option('etcd-version', {
        type: 'string',
        describe: 'The etcd version of the process (overrides inference), e.g. 3.4.23',
        group: 'Context:',
      })
      .option('go-version', {
        type: 'string',
        describe: 'The Go version the binary was built with, e.g. 1.12.9',
        group: 'Context:',
      })
      .option('sample-index', {
        type: 'string',
        describe:
          'Analyse one sample type only (inuse_space, alloc_space, cpu, goroutine, delay…); default: each rule reads the types it declares',
        group: 'Context:',
      })
      .example('$0 heap.pb.gz', '')
      .example('$0 samples/etcd-3.4.23/put-1mb-3member/leader --fail-on=warning', '')
      .example('$0 heap.pb.gz cpu.pb.gz --etcd-version=3.2.23 --format=json', ''),
  run: async (args) => {
    const format = lastString(args.format) ?? 'text';
    const etcdText = lastString(args['etcd-version']);
    const goText = lastString(args['go-version']);
    const etcdVersion = etcdText ? versionToRange(etcdText) : undefined;
    if (etcdText && !etcdVersion)
      throw new UserError(`--etcd-version: '${etcdText}' is not a version (e.g. 3.4.23 or 3.4)`);
    const goVersion = goText ? versionToRange(goText) : undefined;
    if (goText && !goVersion) throw new UserError(`--go-version: '${goText}' is not a version (e.g. 1.12.9 or 1.12)`);
    const nodeCount = Number(lastString(args.nodecount) ?? 10);
    if (!Number.isInteger(nodeCount) || nodeCount < 0) throw new UserError(`--nodecount needs a whole number ≥ 0`);

    const rules = await loadRules({ userDirs: strings(args.rules), builtin: args['builtin-rules'] !== false });
    if (rules.length === 0) throw new UserError('no rules to evaluate (check --rules)');

    const given = strings(args.profiles);
    const inputs: AnalyzeInput[] = [];
    const skipped: string[] = [];
    for (const arg of given) {
      const paths = await expandProfilePaths([arg]);
      const fromDir = paths.length !== 1 || paths[0] !== arg;
      for (const path of paths) {
        if (fromDir && NOT_A_PROFILE.test(path)) continue;
        try {
          inputs.push({ profile: await loadProfile(path), name: path });
        } catch (err) {
          // In a directory, files that are not profiles are skipped with a note; named files must load.
          if (fromDir && err instanceof InputError) skipped.push(`${path}: ${err.problem}`);
          else throw err;
        }
      }
    }
    if (inputs.length === 0) {
      throw new UserError(
        `no profile found in ${given.join(', ')} (sub-directories are not read: analyse one process at a time)`,
      );
    }

    const report = analyzeProfiles(inputs, rules, {
      etcdVersion: etcdVersion ?? undefined,
      goVersion: goVersion ?? undefined,
      sampleIndex: lastString(args['sample-index']),
      topN: nodeCount,
      toolVersion: VERSION,
    });
    for (const s of skipped) report.notes.push(`skipped ${s}`);
    await writeStdout(
      format === 'json'
        ? formatAnalysisJson(report)
        : formatAnalysisText(report, { width: Math.min(120, process.stdout.columns || 100) }),
    );

    const failOn = lastString(args['fail-on']) as Severity | undefined;
    if (failOn && report.diagnoses.some((d) => severityAtLeast(d.severity, failOn))) return 1;
    return 0;
  },
};
export default spec;
