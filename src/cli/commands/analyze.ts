/**
 * `pprof-doctor analyze <profile…>`: what is wrong, the evidence, and the fix.
 *
 * Several profiles of the same process (heap + cpu + goroutine, or a directory of them) are
 * analysed together: each rule reads the profile kinds it declares. An argument may also be a
 * /debug/pprof URL: the profile is fetched (same flags as `pprof-doctor fetch`), kept in a
 * timestamped file in the current directory, and analysed.
 *
 * Output: `--format text|markdown|json|html` (or from the -o file's extension), on stdout or in
 * `-o FILE` (never an input file; an existing file only with --force).
 *
 * Exit codes: 0 done (no diagnosis at or above --fail-on), 1 a diagnosis at or above --fail-on,
 * 2 usage or input error.
 *
 * Start-up matters (an SRE runs this in a loop): the renderers, the fetch client and the regex
 * engine are imported only when needed, and the built-in rules come pre-validated from
 * dist/rules.json (see load-rules-node.ts).
 */
// statSync, not node:fs/promises: importing that loads ~30 Node-internal modules (readline,
// watchers, ...) that nothing else in an analyze run needs; one stat per file is as fast either way.
import { statSync } from 'node:fs';
import { type AnalyzeInput, analyzeProfiles, severityAtLeast } from '../../diagnosis/engine.js';
import { loadRules } from '../../diagnosis/load-rules-node.js';
import type { Severity } from '../../diagnosis/schema.js';
import { versionToRange } from '../../diagnosis/versions.js';
import { InputError, UserError } from '../../errors.js';
import { fetchProfile, isUrl } from '../../fetch/resolve.js';
import { addFetchOptions, fetchOptionsFromArgs } from '../fetch-options.js';
import { OUTPUT_DESCRIBE } from '../output.js';
import { expandProfilePaths, loadProfile, readProfileFile } from '../../input/load.js';
import { needsRegexEngine } from '../../profile/filter.js';
import type { Profile } from '../../profile/model.js';
import { pprofTopRows } from '../../report/top-rows.js';
import { VERSION } from '../../version.js';
import type { CommandSpec } from '../main.js';
import { escapeText } from '../../report/escape.js';
import {
  addMaxSizeOption,
  addRuleOptions,
  lastString,
  loadOptionsFromArgs,
  ruleLoadOptionsFromArgs,
  strings,
  writeStdout,
} from '../options.js';
import type { ProgressStream } from '../../io/progress.js';
import { type LoadedMetrics, loadMetrics, metricsFromText } from '../../metrics/load.js';
import { looksLikePromText } from '../../metrics/prom-text.js';

/** Files in a scenario directory that are not profiles. */
const NOT_A_PROFILE = /\.(json|md|yaml|yml|sh|log|html)$|(^|\/)metrics\.txt$/i;

const FORMATS = ['text', 'markdown', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

/** The flags addFetchOptions adds: they mean something only with a URL argument. */
const FETCH_FLAGS = ['seconds', 'timeout', 'cacert', 'cert', 'key', 'insecure-skip-tls-verify'] as const;

/** Inputs at least this large (bytes on disk, all together) show progress on a terminal. */
export const PROGRESS_MIN_BYTES = 50 * 1024 * 1024;

/** The format the -o file's extension asks for (report.md → markdown), when --format is not given. */
export function formatFromFileName(path: string): Format | undefined {
  const m = /\.([A-Za-z]+)$/.exec(path);
  switch (m?.[1]?.toLowerCase()) {
    case 'md':
    case 'markdown':
      return 'markdown';
    case 'html':
    case 'htm':
      return 'html';
    case 'json':
      return 'json';
    case 'txt':
    case 'text':
      return 'text';
    default:
      return undefined;
  }
}

/** Progress lines on stderr ("reading…", "decoding…", "analysing…"): only on a terminal, only for big inputs. */
export interface Progress {
  step(text: string): void;
  done(): void;
}

const CLEAR_LINE = '\r\x1b[K';

export function startProgress(
  totalBytes: number,
  stream: ProgressStream = process.stderr,
  minBytes = PROGRESS_MIN_BYTES,
): Progress {
  if (!stream.isTTY || totalBytes < minBytes) return { step: () => undefined, done: () => undefined };
  let shown = false;
  return {
    step(text) {
      shown = true;
      stream.write(`${CLEAR_LINE}pprof-doctor: ${escapeText(text)}`);
    },
    done() {
      if (shown) stream.write(CLEAR_LINE);
      shown = false;
    },
  };
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(0)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

/** One argument, resolved: a URL to fetch, standard input, or files (a directory stands for its files). */
type Source =
  | { url: string }
  | { stdin: true }
  | { path: string; fromDir: boolean; size: number }
  | { metricsPath: string };

/** A /metrics scrape saved beside the profiles (collect and scripts/collect name it so). */
const METRICS_FILE = /(^|\/)metrics\.txt$/i;

async function resolveSources(given: string[]): Promise<Source[]> {
  const out: Source[] = [];
  for (const arg of given) {
    if (isUrl(arg)) {
      out.push({ url: arg });
      continue;
    }
    if (arg === '-') {
      out.push({ stdin: true });
      continue;
    }
    const paths = await expandProfilePaths([arg]);
    const fromDir = paths.length !== 1 || paths[0] !== arg;
    for (const path of paths) {
      if (fromDir && METRICS_FILE.test(path)) {
        out.push({ metricsPath: path });
        continue;
      }
      if (fromDir && NOT_A_PROFILE.test(path)) continue;
      let size = 0;
      try {
        size = statSync(path).size;
      } catch {
        // readProfileFile reports it, worded for the user.
      }
      out.push({ path, fromDir, size });
    }
  }
  return out;
}

const spec: CommandSpec = {
  command: 'analyze <profiles..>',
  describe: 'Diagnose a profile: what is wrong, the evidence, and the fix',
  builder: (y) =>
    addMaxSizeOption(
      addFetchOptions(
        addRuleOptions(
          y
            .positional('profiles', {
              type: 'string',
              array: true,
              describe:
                'Profile files of one process (pprof proto, debug=1/2 text, goroutine dump, pasted top table), a directory of them, a /debug/pprof URL to fetch, or - alone for standard input',
            })
            .option('format', {
              choices: FORMATS,
              describe: 'Output format (default: from the -o file extension .md/.html/.json, else text)',
              group: 'Output:',
            })
            .option('o', { alias: 'output', type: 'string', describe: OUTPUT_DESCRIBE, group: 'Output:' })
            .option('force', { type: 'boolean', describe: 'Let -o overwrite an existing file', group: 'Output:' })
            .option('fail-on', {
              choices: ['warning', 'critical'],
              describe: 'Exit 1 when a diagnosis at or above this severity is found',
              group: 'Output:',
            })
            .option('nodecount', { type: 'number', default: 10, describe: 'Rows in the top table', group: 'Output:' }),
        )
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
          .option('metrics', {
            type: 'string',
            describe:
              "A /metrics scrape of the same process (file, or URL fetched with the fetch options): exact versions and role, the rules' metric checks, exact counts in the models. A metrics.txt beside the profiles in a folder is read too",
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
          .example('$0 heap.pb.gz cpu.pb.gz --etcd-version=3.2.23 -o report.md', '')
          .example('$0 https://127.0.0.1:2379/debug/pprof/heap --cacert ca.pem --cert c.pem --key k.pem', ''),
      ),
    ),
  run: async (args) => {
    // --- options (all checked before any slow work)
    const etcdText = lastString(args['etcd-version']);
    const goText = lastString(args['go-version']);
    const etcdVersion = etcdText ? versionToRange(etcdText) : undefined;
    if (etcdText && !etcdVersion)
      throw new UserError(`--etcd-version: '${etcdText}' is not a version (e.g. 3.4.23 or 3.4)`);
    const goVersion = goText ? versionToRange(goText) : undefined;
    if (goText && !goVersion) throw new UserError(`--go-version: '${goText}' is not a version (e.g. 1.12.9 or 1.12)`);
    const nodeCount = Number(lastString(args.nodecount) ?? 10);
    if (!Number.isInteger(nodeCount) || nodeCount < 0) throw new UserError(`--nodecount needs a whole number ≥ 0`);
    const outFile = lastString(args.o ?? args.output);
    const force = args.force === true;
    const formatArg = lastString(args.format) as Format | undefined;
    const format: Format = formatArg ?? (outFile ? formatFromFileName(outFile) : undefined) ?? 'text';
    const failOn = lastString(args['fail-on']) as Severity | undefined;

    // yargs drops a lone '-' from an array positional (and `<profiles..>` demands one argument):
    // an empty list means `analyze -`, standard input.
    const given = strings(args.profiles).map((a) => (a === '' ? '-' : a));
    if (given.length === 0) given.push('-');
    const metricsArg = lastString(args.metrics);
    const hasUrl = given.some((a) => isUrl(a)) || (metricsArg !== undefined && isUrl(metricsArg));
    if (!hasUrl) {
      const stray = FETCH_FLAGS.filter((f) => args[f] !== undefined && args[f] !== false);
      if (stray.length > 0)
        throw new UserError(`${stray.map((f) => `--${f}`).join(', ')}: only for a /debug/pprof URL argument`);
    }
    const loadOpts = loadOptionsFromArgs(args);
    const fetchOpts = hasUrl ? fetchOptionsFromArgs(args) : {};
    if (loadOpts.maxSize !== undefined) fetchOpts.maxBytes = loadOpts.maxSize;
    const readsToo = [fetchOpts.cacert, fetchOpts.cert, fetchOpts.key].filter((x): x is string => !!x);
    const sources = await resolveSources(given);
    const inputFiles = [
      ...given.filter((a) => !isUrl(a)),
      ...sources.flatMap((s) => ('path' in s ? [s.path] : 'metricsPath' in s ? [s.metricsPath] : [])),
      ...(metricsArg !== undefined && !isUrl(metricsArg) ? [metricsArg] : []),
      ...readsToo,
    ];
    const { checkOutputPath, writeOutputFile } = outFile
      ? await import('../../io/output-file.js')
      : { checkOutputPath: undefined, writeOutputFile: undefined };
    // A bad -o fails now, not after a 30 s CPU profile.
    checkOutputPath?.(outFile!, { force, inputs: inputFiles });

    const rules = await loadRules(ruleLoadOptionsFromArgs(args));
    if (rules.length === 0) throw new UserError('no rules to evaluate (check --rules)');

    // --- several members of one cluster: analysed apart, reported side by side
    // One profile file named on its own is never a cluster (a bundle is a folder, mixed members
    // need two files): the cluster module is not even loaded then.
    const oneFile = given.length === 1 && sources.length === 1 && 'path' in sources[0]! && !sources[0].fromDir;
    if (!hasUrl && !oneFile && !given.includes('-') && metricsArg === undefined) {
      const { findClusterMembers } = await import('../../cluster/bundle.js');
      const members = await findClusterMembers(given);
      if (members) {
        const { runClusterAnalysis, renderCluster } = await import('../analyze-cluster-run.js');
        const { report } = await runClusterAnalysis(members, rules, {
          etcdVersion: etcdVersion ?? undefined,
          goVersion: goVersion ?? undefined,
          sampleIndex: lastString(args['sample-index']),
          topN: nodeCount,
          top: pprofTopRows,
          toolVersion: VERSION,
        });
        const { commandLine } = await import('../../report/render.js');
        const color =
          !outFile &&
          format === 'text' &&
          (await import('../../report/terminal.js')).useColor(process.stdout, process.env);
        const out = await renderCluster(report, format, {
          command: commandLine(process.argv.slice(2)),
          width: Math.min(120, process.stdout.columns || 100),
          color,
        });
        if (outFile) {
          await writeOutputFile!(outFile, out, { force, inputs: inputFiles });
          process.stderr.write(`pprof-doctor: ${format} report written to ${outFile}\n`);
        } else {
          await writeStdout(out);
        }
        if (failOn && report.diagnoses.some((d) => severityAtLeast(d.severity, failOn))) return 1;
        return 0;
      }
      const { mixedMembers } = await import('../../cluster/bundle.js');
      const mixed = await mixedMembers(sources.flatMap((s) => ('path' in s && !s.fromDir ? [s.path] : [])));
      if (mixed) throw new UserError(mixed);
    }

    // --- inputs
    const totalBytes = sources.reduce((n, s) => n + ('size' in s ? s.size : 0), 0);
    const progress = startProgress(totalBytes);
    const inputs: AnalyzeInput[] = [];
    const scrapes: LoadedMetrics[] = [];
    if (metricsArg !== undefined) scrapes.push(await loadMetrics(metricsArg, fetchOpts));
    const skipped: string[] = [];
    const fetched: string[] = [];
    try {
      for (const s of sources) {
        if ('url' in s) {
          const r = await fetchProfile(s.url, fetchOpts);
          process.stderr.write(
            `pprof-doctor: fetched ${escapeText(r.url)}; the profile is kept in ${escapeText(r.savedTo)}\n`,
          );
          fetched.push(`${r.url} was saved as ${r.savedTo}`);
          inputs.push({ profile: await loadProfile(r.bytes, { ...loadOpts, name: r.url }), name: r.url });
          inputFiles.push(r.savedTo);
          continue;
        }
        if ('stdin' in s) {
          inputs.push({ profile: await loadProfile('-', loadOpts), name: '<stdin>' });
          continue;
        }
        if ('metricsPath' in s) {
          if (metricsArg === undefined) scrapes.push(await loadMetrics(s.metricsPath));
          continue;
        }
        try {
          progress.step(`reading ${s.path} (${sizeText(s.size)})…`);
          const bytes = await readProfileFile(s.path, s.path, loadOpts.maxSize);
          // A scrape named as an argument is read as one, not refused as "not a profile".
          if (!s.fromDir && looksLikePromText(new TextDecoder().decode(bytes.subarray(0, 4096)))) {
            scrapes.push(metricsFromText(new TextDecoder().decode(bytes), s.path));
            continue;
          }
          progress.step(`decoding ${s.path}…`);
          inputs.push({ profile: await loadProfile(bytes, { ...loadOpts, name: s.path }), name: s.path });
        } catch (err) {
          // In a directory, files that are not profiles are skipped with a note; named files must load.
          if (s.fromDir && err instanceof InputError) skipped.push(`${s.path}: ${err.problem}`);
          else throw err;
        }
      }
      if (inputs.length === 0) {
        throw new UserError(
          `no profile found in ${given.join(', ')} (sub-directories are not read: analyse one process at a time)`,
        );
      }
      // The profiles' own drop_frames (and the top tables) need the regex engine.
      if (inputs.some((i) => needsRegexEngine(i.profile, {}))) await import('../../profile/regex.js');

      const { differentProcesses } = await import('../../cluster/same-process.js');
      const apart = differentProcesses(inputs);
      if (apart) throw new UserError(apart);
      if (scrapes.length > 1) {
        throw new UserError(
          `${scrapes.map((m) => m.source).join(' and ')}: several /metrics scrapes for one process; give the one of the process the profiles come from`,
        );
      }
      const scrape = scrapes[0];
      progress.step('analysing…');
      const report = analyzeProfiles(inputs, rules, {
        ...(scrape ? { metrics: { scrape: scrape.scrape, facts: scrape.facts } } : {}),
        etcdVersion: etcdVersion ?? undefined,
        goVersion: goVersion ?? undefined,
        sampleIndex: lastString(args['sample-index']),
        topN: nodeCount,
        top: pprofTopRows,
        toolVersion: VERSION,
      });
      for (const s of skipped) report.notes.push(`skipped ${s}`);
      for (const f of fetched) report.notes.push(f);
      inputs.forEach((input, i) => {
        const summary = report.profiles[i];
        const time = collectionTime(input.profile);
        if (summary && time) Object.assign(summary, { time });
      });

      // --- output
      if (format !== 'text') progress.step(`writing the ${format} report…`);
      const { renderReport, commandLine } = await import('../../report/render.js');
      // Colour only for a terminal on stdout (never into -o files), and never with NO_COLOR.
      const color =
        !outFile &&
        format === 'text' &&
        (await import('../../report/terminal.js')).useColor(process.stdout, process.env);
      const out = await renderReport(report, format, {
        inputs,
        command: commandLine(process.argv.slice(2)),
        width: Math.min(120, process.stdout.columns || 100),
        color,
      });
      progress.done();
      if (outFile) {
        await writeOutputFile!(outFile, out, { force, inputs: inputFiles });
        process.stderr.write(`pprof-doctor: ${format} report written to ${escapeText(outFile)}\n`);
      } else {
        await writeStdout(out);
      }
      if (failOn && report.diagnoses.some((d) => severityAtLeast(d.severity, failOn))) return 1;
      return 0;
    } finally {
      progress.done();
    }
  },
};
export default spec;

/** When the profile was collected (ISO 8601, UTC), if it says. */
function collectionTime(p: Profile): string | undefined {
  if (!(p.timeNanos > 0)) return undefined;
  const d = new Date(Math.floor(p.timeNanos / 1e6));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
