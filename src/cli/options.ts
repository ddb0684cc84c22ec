/**
 * Option definitions shared by the commands that analyse a profile the way `go tool pprof` does
 * (top, peek, traces; later analyze and diff). pprof's own spellings work too: `-sample_index=x`,
 * `-nodecount=20`, `-cum`, `-focus=re`, `-lines`, `-inuse_space`… are rewritten to these long
 * options by src/cli/pprof-flags.ts before parsing.
 */
import type { Argv } from 'yargs';
import type { Granularity } from '../analysis/graph.js';
import { type AnalysisOptions, SAMPLE_INDEX_ALIASES } from '../analysis/prepare.js';
import type { TopOptions } from '../analysis/top.js';
import { UserError } from '../errors.js';
import { parseLimitArgs } from '../input/limits.js';
import { escapeText } from '../report/escape.js';
import type { LoadOptions } from '../input/load.js';
import { type NameFilters, needsRegexEngine } from '../profile/filter.js';
import type { Profile } from '../profile/model.js';
import type { TextFormatOptions } from '../report/pprof-text.js';

const GRANULARITY_FLAGS: Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

/** Sample type, filters, granularity and header options (pprof's names, dashed). */
export function addAnalysisOptions(y: Argv): Argv {
  return y
    .option('sample-index', {
      type: 'string',
      describe:
        'Sample type to show, by name (inuse_space, alloc_space, cpu, delay…) or index; default: the profile default',
      group: 'Sample type:',
    })
    .option('inuse-space', { type: 'boolean', describe: 'Same as --sample-index=inuse_space', group: 'Sample type:' })
    .option('inuse-objects', {
      type: 'boolean',
      describe: 'Same as --sample-index=inuse_objects',
      group: 'Sample type:',
    })
    .option('alloc-space', { type: 'boolean', describe: 'Same as --sample-index=alloc_space', group: 'Sample type:' })
    .option('alloc-objects', {
      type: 'boolean',
      describe: 'Same as --sample-index=alloc_objects',
      group: 'Sample type:',
    })
    .option('total-delay', { type: 'boolean', describe: 'Same as --sample-index=delay', group: 'Sample type:' })
    .option('contentions', { type: 'boolean', describe: 'Same as --sample-index=contentions', group: 'Sample type:' })
    .option('focus', {
      type: 'string',
      describe: 'Keep only samples with a frame matching this regex (function, file or binary name; RE2 syntax)',
      group: 'Filters:',
    })
    .option('ignore', { type: 'string', describe: 'Drop samples with a frame matching this regex', group: 'Filters:' })
    .option('hide', {
      type: 'string',
      describe: 'Remove frames matching this regex from the stacks',
      group: 'Filters:',
    })
    .option('show', {
      type: 'string',
      describe: 'Keep only frames matching this regex in the stacks',
      group: 'Filters:',
    })
    .option('show-from', {
      type: 'string',
      describe: 'Drop the frames above (callers of) the highest frame matching this regex',
      group: 'Filters:',
    })
    .option('prune-from', {
      type: 'string',
      describe: 'Drop the frames below (callees of) the lowest frame matching this regex',
      group: 'Filters:',
    })
    .option('tag-focus', {
      type: 'string',
      describe:
        'Keep only samples with a label matching: [key=]regex[,regex…] for string labels (without a key, each regex must match some key:value), [key=]range for numeric ones: 4kb, 1kb:, :64b, 1mb:2mb (pprof -tagfocus)',
      group: 'Filters:',
    })
    .option('tag-ignore', {
      type: 'string',
      describe: 'Drop samples with a label matching, same syntax as --tag-focus (pprof -tagignore)',
      group: 'Filters:',
    })
    .option('tag-show', {
      type: 'string',
      describe: 'Keep only the labels whose key matches this regex (pprof -tagshow)',
      group: 'Filters:',
    })
    .option('tag-hide', {
      type: 'string',
      describe: 'Remove the labels whose key matches this regex (pprof -taghide)',
      group: 'Filters:',
    })
    .option('relative-percentages', {
      type: 'boolean',
      describe: 'Percentages of the filtered samples instead of all samples',
      group: 'Filters:',
    })
    .option('all-frames', {
      type: 'boolean',
      describe: "Ignore the profile's drop_frames/keep_frames",
      group: 'Filters:',
    })
    .option('functions', { type: 'boolean', describe: 'One row per function (default)', group: 'Granularity:' })
    .option('filefunctions', { type: 'boolean', describe: 'One row per function and file', group: 'Granularity:' })
    .option('files', { type: 'boolean', describe: 'One row per source file', group: 'Granularity:' })
    .option('lines', { type: 'boolean', describe: 'One row per source line', group: 'Granularity:' })
    .option('addresses', { type: 'boolean', describe: 'One row per instruction address', group: 'Granularity:' })
    .option('noinlines', {
      type: 'boolean',
      describe: 'Attribute inlined functions to their out-of-line caller',
      group: 'Granularity:',
    })
    .option('time-style', {
      choices: ['old', 'new'],
      describe:
        "'Time:' header layout: old = Go 1.19 pprof (Oct 18, 2022 at 3:39pm (UTC)), new = 2022-10-18 15:39:00 UTC",
      group: 'Output:',
    })
    .option('tz', {
      choices: ['utc', 'local'],
      describe: "Time zone of the 'Time:' header (default utc; go tool pprof uses the local zone)",
      group: 'Output:',
    })
    .option('compact-labels', {
      type: 'boolean',
      describe: 'Omit the File/Type/Time/Duration header lines',
      group: 'Output:',
    });
}

/** Trimming and sorting options of the tabular reports (top). */
export function addTrimOptions(y: Argv): Argv {
  return y
    .option('nodecount', {
      type: 'number',
      describe: 'Show at most this many rows (default: all)',
      group: 'Trimming:',
    })
    .option('nodefraction', {
      type: 'number',
      describe: 'Hide rows whose cum is below this fraction of the total (default 0.005)',
      group: 'Trimming:',
    })
    .option('edgefraction', {
      type: 'number',
      describe: 'Ignore calls below this fraction of the total when marking (inline) (default 0.001)',
      group: 'Trimming:',
    })
    .option('trim', {
      type: 'boolean',
      describe: 'Honor nodecount/nodefraction/edgefraction (--no-trim shows everything)',
      group: 'Trimming:',
    })
    .option('cum', { type: 'boolean', describe: 'Sort by cumulative value', group: 'Trimming:' })
    .option('flat', { type: 'boolean', describe: 'Sort by flat value (default)', group: 'Trimming:' });
}

/** How values are counted and printed in `top` (pprof's -unit, -mean, -mean_delay, -divide_by). */
export function addValueOptions(y: Argv): Argv {
  return y
    .option('unit', {
      type: 'string',
      describe:
        'Print values in this unit: minimum (default: one unit for the table), auto (each value its own), or B, kB, MB, GB, TB, PB / ns, us, ms, s, hrs and their aliases (bytes, kb, megabytes, milliseconds, …)',
      group: 'Values:',
    })
    .option('mean', {
      type: 'boolean',
      describe:
        'Average per event: divide each value by the first sample type over the same samples (bytes per allocation, time per sample)',
      group: 'Values:',
    })
    .option('mean-delay', { type: 'boolean', describe: 'Same as --mean --sample-index=delay', group: 'Values:' })
    .option('divide-by', {
      type: 'string',
      describe: 'Divide every printed value by this number (e.g. the number of CPUs or jobs)',
      group: 'Values:',
    });
}

/**
 * Go's strconv.ParseFloat for pprof's -divide_by: decimal numbers with an optional exponent, and
 * inf/infinity/nan in any case. Hexadecimal floats are not accepted.
 */
function parseDivisor(text: string): number {
  const t = text.trim();
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  let n: number;
  if (special) {
    n = special[2]!.toLowerCase() === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
  } else if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) {
    n = Number(t);
    if (!Number.isFinite(n)) throw new UserError(`--divide-by ${text} is out of range`);
  } else {
    throw new UserError(`--divide-by needs a number, got '${text}'`);
  }
  return n;
}

/**
 * `--max-size SIZE`: the cap on a profile's size on disk and decompressed (default 1 GiB, see
 * src/input/gzip.ts). Shared by every command that loads profiles; read it with maxSizeFromArgs
 * and pass it as `loadProfile(path, { maxSize })`.
 */
export function addMaxSizeOption(y: Argv): Argv {
  return y
    .option('max-size', {
      type: 'string',
      describe:
        'Refuse profiles larger than this, on disk or decompressed: bytes, or 512MB, 2GB (powers of 1000), 512MiB, 8GiB, 8g (powers of 1024); default 1GiB',
      group: 'Input:',
    })
    .option('max', {
      type: 'string',
      array: true,
      describe:
        'Raise or lower a bound on what one profile may hold, NAME=N (repeatable): samples, locations, functions, strings, labels, types, comments, depth (frames in one stack), ratio (decompressed ÷ compressed size); see README',
      group: 'Input:',
    });
}

/** `loadProfile` options from --max-size and --max. */
export function loadOptionsFromArgs(args: Record<string, unknown>): LoadOptions {
  const opts: LoadOptions = {};
  const maxSize = maxSizeFromArgs(args);
  if (maxSize !== undefined) opts.maxSize = maxSize;
  const raw = args.max;
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  if (values.length > 0) opts.limits = parseLimitArgs(values);
  return opts;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Parses a size: `1048576`, `512MB`, `1.5 GiB`, `8g`. Throws UserError naming `what` when it is not one. */
export function parseSize(text: string, what = '--max-size'): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new UserError(`${what} needs a size such as 512MB, 8GiB or a number of bytes, got '${text}'`);
  }
  const n = Math.floor(Number(m[1]) * unit);
  if (!(n > 0) || !Number.isSafeInteger(n)) throw new UserError(`${what} must be a positive size, got '${text}'`);
  return n;
}

/** The --max-size value in bytes, or undefined for the loader's default. */
export function maxSizeFromArgs(args: Record<string, unknown>): number | undefined {
  const v = lastString(args['max-size']);
  return v === undefined ? undefined : parseSize(v);
}

/** The last value of a string option given once or several times. */
export function lastString(v: unknown): string | undefined {
  if (Array.isArray(v)) return lastString(v[v.length - 1]);
  if (v === undefined || v === null) return undefined;
  return String(v);
}

function lastNumber(args: Record<string, unknown>, name: string): number | undefined {
  let v = args[name];
  if (Array.isArray(v)) v = v[v.length - 1];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new UserError(`--${name} needs a number, got '${String(v)}'`);
  return n;
}

function flag(args: Record<string, unknown>, name: string): boolean {
  const v = args[name];
  return Array.isArray(v) ? v.some((x) => x === true) : v === true;
}

/** Reads the options added by addAnalysisOptions. Throws UserError on conflicts. */
export function analysisOptionsFromArgs(args: Record<string, unknown>): AnalysisOptions {
  let sampleIndex = lastString(args['sample-index']);
  const aliases = Object.keys(SAMPLE_INDEX_ALIASES).filter((k) => flag(args, k.replace(/_/g, '-')));
  if (aliases.length > 0) {
    const chosen = aliases.map((k) => `--${k.replace(/_/g, '-')}`);
    if (sampleIndex !== undefined) chosen.unshift(`--sample-index=${sampleIndex}`);
    if (chosen.length > 1) throw new UserError(`choose one sample type, not ${chosen.join(' and ')}`);
    sampleIndex = SAMPLE_INDEX_ALIASES[aliases[0]!];
  }
  const grans = GRANULARITY_FLAGS.filter((g) => flag(args, g));
  if (grans.length > 1) throw new UserError(`conflicting options set: ${grans.map((g) => `--${g}`).join(' ')}`);
  return {
    sampleIndex,
    focus: lastString(args.focus) || undefined,
    ignore: lastString(args.ignore) || undefined,
    hide: lastString(args.hide) || undefined,
    show: lastString(args.show) || undefined,
    showFrom: lastString(args['show-from']) || undefined,
    pruneFrom: lastString(args['prune-from']) || undefined,
    tagFocus: lastString(args['tag-focus']) || undefined,
    tagIgnore: lastString(args['tag-ignore']) || undefined,
    tagShow: lastString(args['tag-show']) || undefined,
    tagHide: lastString(args['tag-hide']) || undefined,
    granularity: grans[0],
    noInlines: flag(args, 'noinlines'),
    relativePercentages: flag(args, 'relative-percentages'),
    allFrames: flag(args, 'all-frames'),
  };
}

/** Reads addAnalysisOptions + addTrimOptions (+ addValueOptions, when the command has them). */
export function topOptionsFromArgs(args: Record<string, unknown>): TopOptions {
  const nodeCount = lastNumber(args, 'nodecount');
  const nodeFraction = lastNumber(args, 'nodefraction');
  const edgeFraction = lastNumber(args, 'edgefraction');
  if (nodeCount !== undefined && (!Number.isInteger(nodeCount) || nodeCount < 0)) {
    throw new UserError(`--nodecount needs a whole number ≥ 0, got ${nodeCount}`);
  }
  if (flag(args, 'cum') && flag(args, 'flat')) throw new UserError('conflicting options set: --cum --flat');
  const analysis = analysisOptionsFromArgs(args);
  let mean = flag(args, 'mean') || args.mean === 'true';
  if (flag(args, 'mean-delay') || args['mean-delay'] === 'true') {
    if (analysis.sampleIndex !== undefined) {
      throw new UserError(`choose one sample type, not --mean-delay and --sample-index=${analysis.sampleIndex}`);
    }
    analysis.sampleIndex = 'delay';
    mean = true;
  }
  const divideBy = lastString(args['divide-by']);
  return {
    ...analysis,
    nodeCount,
    nodeFraction,
    edgeFraction,
    cum: flag(args, 'cum'),
    trim: args.trim === false || args.trim === 'false' ? false : undefined,
    unit: lastString(args.unit),
    mean: mean || undefined,
    divideBy: divideBy === undefined ? undefined : parseDivisor(divideBy),
  };
}

/** Header formatting options. */
export function textFormatOptionsFromArgs(args: Record<string, unknown>): TextFormatOptions {
  const ts = lastString(args['time-style']);
  const tz = lastString(args.tz);
  return {
    timeStyle: ts === 'new' ? 'new' : 'old',
    tz: tz === 'local' ? 'local' : 'utc',
    compactLabels: flag(args, 'compact-labels') || args['compact-labels'] === 'true',
  };
}

/**
 * A positional file argument. yargs turns a lone `-` (standard input) into `true`, or '' for a
 * string positional; both mean `-` here.
 */
/** A string or list option as a list of strings (absent → empty). */
export function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** `--rules DIR…` and `--builtin-rules` (shared by analyze, diff and trend). */
export function addRuleOptions(y: Argv): Argv {
  return y
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
    });
}

/** What `loadRules` needs from `--rules` / `--builtin-rules`. */
export function ruleLoadOptionsFromArgs(args: Record<string, unknown>): { userDirs: string[]; builtin: boolean } {
  return { userDirs: strings(args.rules), builtin: args['builtin-rules'] !== false };
}

export function fileArg(v: unknown): string {
  if (v === true || v === '') return '-';
  const s = lastString(v);
  return s === undefined ? '-' : s;
}

/** Writes to stdout; a closed pipe (`| head`) ends quietly instead of crashing. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') resolve();
    };
    process.stdout.once('error', onError);
    process.stdout.write(text, () => {
      process.stdout.off('error', onError);
      resolve();
    });
  });
}

/**
 * Loads the regex engine (re2js) only when the command will compile a pattern: a filter option,
 * a peek regex, or the profile's own drop_frames.
 */
export async function loadRegexIfNeeded(profile: Profile, opts: NameFilters & { allFrames?: boolean }, always = false) {
  if (always || needsRegexEngine(profile, opts)) await import('../profile/regex.js');
}

/** Prints analysis warnings on stderr, as pprof does. */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`${escapeText(w)}\n`);
}
