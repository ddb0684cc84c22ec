/**
 * `pprof-doctor trend <p1> <p2> <p3> …`: is it a leak? Three or more heap, allocs or goroutine
 * profiles of one process, ordered by their collection time (or as given when they carry none);
 * per-stack and per-function slopes, fit quality and a leak verdict; `--limit 8GiB` projects when
 * the total would reach it. A folder, a `collect` bundle or several bundles are split by profile kind
 * and member (analysis/trend-groups.ts), and each group gets its own trend.
 */
import { boundedGrowthFromRules } from '../../analysis/compare/bounded.js';
import {
  MIN_TREND_PROFILES,
  type TrendGroupOptions,
  type TrendGroups,
  type TrendInput,
  trendGroups,
} from '../../analysis/trend-groups.js';
import { UserError } from '../../errors.js';
import { loadProfile } from '../../input/load.js';
import { trendFiles } from '../../input/trend-files.js';
import type { TrendRenderOptions } from '../../report/trend-json.js';
import { VERSION } from '../../version.js';
import type { CommandSpec } from '../main.js';
import { addOutputOptions, emitOutput, outputTarget } from '../output.js';
import {
  addAnalysisOptions,
  analysisOptionsFromArgs,
  lastString,
  loadRegexIfNeeded,
  printWarnings,
  textFormatOptionsFromArgs,
  addRuleOptions,
  addMaxSizeOption,
  loadOptionsFromArgs,
  ruleLoadOptionsFromArgs,
  strings,
} from '../options.js';

const FORMATS = ['text', 'markdown', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

export async function renderTrend(r: TrendGroups, format: Format, opts: TrendRenderOptions): Promise<string> {
  switch (format) {
    case 'json': {
      const { formatTrendGroupsJson } = await import('../../report/trend-json.js');
      return formatTrendGroupsJson(r, opts);
    }
    case 'markdown': {
      const { formatTrendGroupsMarkdown } = await import('../../report/trend-markdown.js');
      return formatTrendGroupsMarkdown(r, opts);
    }
    case 'html': {
      const { formatTrendGroupsHtml } = await import('../../report/trend-html.js');
      return formatTrendGroupsHtml(r, opts);
    }
    default: {
      const { formatTrendGroupsText } = await import('../../report/trend-text.js');
      return formatTrendGroupsText(r, opts);
    }
  }
}

const spec: CommandSpec = {
  command: 'trend <profiles..>',
  describe: 'Find leaks across a series of heap, allocs or goroutine profiles of one process',
  builder: (y) =>
    addMaxSizeOption(
      addRuleOptions(
        addOutputOptions(
          addAnalysisOptions(
            y.positional('profiles', {
              type: 'string',
              array: true,
              describe:
                'Three or more profiles of one process taken over time, a folder of them, or collect bundles (grouped by kind and member)',
            }),
          )
            .option('limit', {
              type: 'string',
              describe: 'Project when the total reaches this (8GiB, 512MB; a count for goroutines: 10000, 10k)',
              group: 'Trend:',
            })
            .option('interval', {
              type: 'string',
              describe: 'Time between snapshots (30s, 5m, 1h), for profiles that carry no collection time',
              group: 'Trend:',
            })
            .option('format', { choices: FORMATS, default: 'text', describe: 'Output format', group: 'Output:' })
            .option('nodecount', {
              type: 'number',
              describe: 'Rows per table (text/markdown/html: default 15; json: default 100)',
              group: 'Output:',
            }),
        ),
      )
        .option('diagnosis', {
          type: 'boolean',
          default: true,
          describe: 'Follow the rules’ signatures across the series (--no-diagnosis skips it)',
          group: 'Rules:',
        })
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
        .example('$0 heap.01.pb.gz heap.02.pb.gz heap.03.pb.gz heap.04.pb.gz', '')
        .example('$0 samples/etcd-3.4.23/series/watch-leak/heap.*.pb.gz --limit 8GiB --format markdown', '')
        .example('$0 goroutine.*.pb.gz --format json', '')
        .example('$0 samples/etcd-3.4.23/series/watch-leak', 'one trend per profile kind')
        .example('$0 bundle-0900 bundle-1000 bundle-1100', 'per-member trends across collect bundles'),
    ),
  run: async (args) => {
    const format = (lastString(args.format) ?? 'text') as Format;
    const given = strings(args.profiles);
    const files = await trendFiles(given);
    const paths = files.map((f) => f.path);
    if (paths.length < MIN_TREND_PROFILES) {
      throw new UserError(
        `trend needs at least ${MIN_TREND_PROFILES} profiles of one process (got ${paths.length}); for two, use 'pprof-doctor diff'`,
      );
    }
    if (paths.filter((p) => p === '-').length > 1) throw new UserError('only one profile can be standard input');
    const target = await outputTarget(args, paths);
    const nodeCountRaw = lastString(args.nodecount);
    const nodeCount = nodeCountRaw === undefined ? undefined : Number(nodeCountRaw);
    if (nodeCount !== undefined && (!Number.isInteger(nodeCount) || nodeCount <= 0)) {
      throw new UserError('--nodecount needs a whole number ≥ 1');
    }
    const analysis = analysisOptionsFromArgs(args);
    const inputs: TrendInput[] = [];
    for (const f of files) {
      const profile = await loadProfile(f.path, loadOptionsFromArgs(args));
      await loadRegexIfNeeded(profile, analysis);
      inputs.push({ profile, name: f.path === '-' ? '<stdin>' : f.path, member: f.member, kind: f.kind });
    }

    const { parseInterval } = await import('../../analysis/compare/size.js');
    const intervalText = lastString(args.interval);
    const opts: TrendGroupOptions = {
      ...analysis,
      limitText: lastString(args.limit),
      intervalSeconds: intervalText ? parseInterval(intervalText) : undefined,
      maxStacks: format === 'json' ? (nodeCount ?? 100) : Math.max(nodeCount ?? 15, 100),
      maxFunctions: format === 'json' ? (nodeCount ?? 100) : Math.max(nodeCount ?? 15, 100),
    };
    // The rules say which growth is bounded by design (their `growth` blocks), so they are loaded
    // even with --no-diagnosis, which only drops the section that follows their signatures.
    const { loadRules } = await import('../../diagnosis/load-rules-node.js');
    const rules = await loadRules(ruleLoadOptionsFromArgs(args));
    opts.bounded = boundedGrowthFromRules(rules);
    if (args.diagnosis !== false) {
      const { versionToRange } = await import('../../diagnosis/versions.js');
      const etcdText = lastString(args['etcd-version']);
      const etcdVersion = etcdText ? versionToRange(etcdText) : undefined;
      if (etcdText && !etcdVersion) throw new UserError(`--etcd-version: '${etcdText}' is not a version (e.g. 3.4.23)`);
      const goText = lastString(args['go-version']);
      const goVersion = goText ? versionToRange(goText) : undefined;
      if (goText && !goVersion) throw new UserError(`--go-version: '${goText}' is not a version (e.g. 1.19.9)`);
      opts.rules = rules;
      opts.etcdVersion = etcdVersion ?? undefined;
      opts.goVersion = goVersion ?? undefined;
    }
    // The limit is read in each group's sample unit, known once its profiles are read.
    const report = trendGroups(inputs, opts);

    const { commandLine } = await import('../../report/render.js');
    const cmd = ['trend', ...given];
    for (const k of ['sample-index', 'focus', 'ignore', 'hide', 'show', 'limit', 'interval']) {
      const v = lastString(args[k]);
      if (v !== undefined && v !== '') cmd.push(`--${k}=${v}`);
    }
    cmd.push(`--format=${format}`);
    const text = await renderTrend(report, format, {
      toolVersion: VERSION,
      command: commandLine(cmd),
      tz: textFormatOptionsFromArgs(args).tz,
      rowLimit: nodeCount ?? 15,
    });
    if (target.file !== undefined) printWarnings(report.groups.flatMap((g) => g.report?.warnings ?? []));
    await emitOutput(target, text, format);
    return 0;
  },
};
export default spec;
