/**
 * `pprof-doctor trend <p1> <p2> <p3> …`: is it a leak? Three or more heap, allocs or goroutine
 * profiles of one process, ordered by their collection time (or as given when they carry none);
 * per-stack and per-function slopes, fit quality and a leak verdict; `--limit 8GiB` projects when
 * the total would reach it.
 */
import type { TrendOptions } from '../../analysis/trend.js';
import { projectLimit, trend } from '../../analysis/trend.js';
import { boundedGrowthFromRules } from '../../analysis/compare/bounded.js';
import { UserError } from '../../errors.js';
import { loadProfile } from '../../input/load.js';
import { type TrendGroup, type TrendItem, groupForTrend } from '../../analysis/trend-groups.js';
import { trendInputs } from '../trend-inputs.js';
import type { TrendRenderOptions } from '../../report/trend-json.js';
import type { TrendReport } from '../../analysis/trend.js';
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
  ruleLoadOptionsFromArgs,
  strings,
  addMaxSizeOption,
  loadOptionsFromArgs,
} from '../options.js';

const FORMATS = ['text', 'markdown', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

/** The heading of one series when several are shown. */
function seriesHeader(g: TrendGroup, format: Format): string {
  const what = `${g.member ? `member ${g.member} · ` : ''}${g.kind} (${g.items.length} profiles)`;
  return format === 'markdown' ? `# ${what.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}` : `═══ ${what} ═══`;
}

export async function renderTrend(r: TrendReport, format: Format, opts: TrendRenderOptions): Promise<string> {
  switch (format) {
    case 'json': {
      const { formatTrendJson } = await import('../../report/trend-json.js');
      return formatTrendJson(r, opts);
    }
    case 'markdown': {
      const { formatTrendMarkdown } = await import('../../report/trend-markdown.js');
      return formatTrendMarkdown(r, opts);
    }
    case 'html': {
      const { formatTrendHtml } = await import('../../report/trend-html.js');
      return formatTrendHtml(r, opts);
    }
    default: {
      const { formatTrendText } = await import('../../report/trend-text.js');
      return formatTrendText(r, opts);
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
              describe: 'Three or more profiles of one process taken over time (or a directory of them)',
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
        .example('$0 goroutine.*.pb.gz --format json', ''),
    ),
  run: async (args) => {
    const format = (lastString(args.format) ?? 'text') as Format;
    const given = strings(args.profiles);
    const found = await trendInputs(given);
    const allPaths = found.map((f) => f.path);
    if (allPaths.filter((p) => p === '-').length > 1) throw new UserError('only one profile can be standard input');
    const target = await outputTarget(args, allPaths);
    const nodeCountRaw = lastString(args.nodecount);
    const nodeCount = nodeCountRaw === undefined ? undefined : Number(nodeCountRaw);
    if (nodeCount !== undefined && (!Number.isInteger(nodeCount) || nodeCount <= 0)) {
      throw new UserError('--nodecount needs a whole number ≥ 1');
    }
    const analysis = analysisOptionsFromArgs(args);
    const items: TrendItem[] = [];
    for (const f of found) items.push({ ...f, profile: await loadProfile(f.path, loadOptionsFromArgs(args)) });
    // One series per member and kind: a folder mixing heap and goroutine profiles, or bundles.
    const { groups, notes: groupNotes } = groupForTrend(items);
    const several = groups.length > 1;
    const series = several ? groups.filter((g) => g.items.length >= 3) : groups;
    for (const g of groups) {
      if (several && g.items.length < 3) {
        groupNotes.push(
          `${g.member ? `${g.member} ` : ''}${g.kind}: ${g.items.length} profile(s), trend needs 3 (left out)`,
        );
      }
    }
    if (series.length === 0 || (!several && series[0]!.items.length < 3)) {
      const got = several ? 'fewer than 3 of any kind' : String(series[0]?.items.length ?? 0);
      throw new UserError(
        `trend needs at least 3 profiles of one process (got ${got}); for two, use 'pprof-doctor diff'${groupNotes.length ? ` (${groupNotes[0]})` : ''}`,
      );
    }
    // Files left out of a single series are said on stderr (the series' own report is unchanged).
    if (!several) printWarnings(groupNotes);
    if (several && format === 'html') {
      throw new UserError(
        `${series.length} series (${series.map((g) => `${g.member ? `${g.member} ` : ''}${g.kind}`).join(', ')}): HTML shows one series; give one kind's files, or use --format text|markdown|json`,
      );
    }
    for (const it of items) await loadRegexIfNeeded(it.profile, analysis);

    const { parseInterval, parseLimit } = await import('../../analysis/compare/size.js');
    const intervalText = lastString(args.interval);
    let etcdVersion: string | undefined;
    let goVersion: string | undefined;
    // The rules say which growth is bounded by design (their `growth` blocks), so they are loaded
    // even with --no-diagnosis, which only drops the section that follows their signatures.
    const { loadRules } = await import('../../diagnosis/load-rules-node.js');
    const rules = await loadRules(ruleLoadOptionsFromArgs(args));
    const bounded = boundedGrowthFromRules(rules);
    if (args.diagnosis !== false) {
      const { versionToRange } = await import('../../diagnosis/versions.js');
      const etcdText = lastString(args['etcd-version']);
      const etcd = etcdText ? versionToRange(etcdText) : undefined;
      if (etcdText && !etcd) throw new UserError(`--etcd-version: '${etcdText}' is not a version (e.g. 3.4.23)`);
      const goText = lastString(args['go-version']);
      const go = goText ? versionToRange(goText) : undefined;
      if (goText && !go) throw new UserError(`--go-version: '${goText}' is not a version (e.g. 1.19.9)`);
      etcdVersion = etcd ?? undefined;
      goVersion = go ?? undefined;
    }
    const { commandLine } = await import('../../report/render.js');
    const texts: string[] = [];
    const jsonGroups: string[] = [];
    const warnings: string[] = [];
    const verdicts: string[] = [];
    for (const g of series) {
      const paths = g.items.map((i) => i.path);
      const opts: TrendOptions = {
        ...analysis,
        names: paths.map((p) => (p === '-' ? '<stdin>' : p)),
        intervalSeconds: intervalText ? parseInterval(intervalText) : undefined,
        maxStacks: format === 'json' ? (nodeCount ?? 100) : Math.max(nodeCount ?? 15, 100),
        maxFunctions: format === 'json' ? (nodeCount ?? 100) : Math.max(nodeCount ?? 15, 100),
        bounded,
        ...(args.diagnosis !== false ? { rules, etcdVersion, goVersion } : {}),
      };
      // The limit is in the sample unit, known once the first profile is read.
      const limitText = lastString(args.limit);
      const report = trend(
        g.items.map((i) => i.profile),
        opts,
      );
      if (limitText !== undefined) report.projection = projectLimit(report, parseLimit(limitText, report.unit));
      warnings.push(...report.warnings);
      verdicts.push(
        `${g.member ? `${g.member} ` : ''}${g.kind}: ${report.leak ? `LEAK (${Math.round(report.leakConfidence * 100)}%)` : 'no leak'}`,
      );
      const cmd = ['trend', ...paths];
      for (const k of ['sample-index', 'focus', 'ignore', 'hide', 'show', 'limit', 'interval']) {
        const v = lastString(args[k]);
        if (v !== undefined && v !== '') cmd.push(`--${k}=${v}`);
      }
      cmd.push(`--format=${format}`);
      const text = await renderTrend(report, several && format === 'json' ? 'json' : format, {
        toolVersion: VERSION,
        command: commandLine(cmd),
        tz: textFormatOptionsFromArgs(args).tz,
        rowLimit: nodeCount ?? 15,
      });
      if (!several) texts.push(text);
      else if (format === 'json')
        jsonGroups.push(
          JSON.stringify({ member: g.member || null, kind: g.kind, files: paths, trend: JSON.parse(text) }),
        );
      else texts.push(`${seriesHeader(g, format)}\n\n${text}`);
    }
    let text: string;
    if (several && format === 'json') {
      text = `${JSON.stringify({ schemaVersion: 1, series: jsonGroups.map((j) => JSON.parse(j)), notes: groupNotes }, null, 2)}\n`;
    } else {
      const head = several
        ? `${series.length} series (one per ${series.some((g) => g.member) ? 'member and ' : ''}profile kind)${verdicts.map((v) => `\n  ${v}`).join('')}${groupNotes.map((n) => `\n  note: ${n}`).join('')}\n\n`
        : '';
      text = head + texts.join('\n');
    }
    if (target.file !== undefined) printWarnings(warnings);
    await emitOutput(target, text, format);
    return 0;
  },
};
export default spec;
