/**
 * The fast argument path (src/cli/fast-args.ts, yargs-parser only) must give exactly the args
 * object full yargs gives, or defer to yargs (return undefined) — for every command and a table of
 * argv lists: aliases, pprof spellings, --no-x, numbers, arrays, choices, unknown options,
 * missing and extra positionals.
 */
import yargsParser from 'yargs-parser';
import { describe, expect, it } from 'vitest';
import { fastParseArgs, recordBuilder } from '../../src/cli/fast-args.js';
import { type CommandSpec, parseWithYargs } from '../../src/cli/main.js';
import { normalizePprofArgs } from '../../src/cli/pprof-flags.js';

const loaders: Record<string, () => Promise<{ default: CommandSpec }>> = {
  analyze: () => import('../../src/cli/commands/analyze.js'),
  top: () => import('../../src/cli/commands/top.js'),
  peek: () => import('../../src/cli/commands/peek.js'),
  traces: () => import('../../src/cli/commands/traces.js'),
  rules: () => import('../../src/cli/commands/rules.js'),
  fetch: () => import('../../src/cli/commands/fetch.js'),
  diff: () => import('../../src/cli/commands/diff.js'),
  trend: () => import('../../src/cli/commands/trend.js'),
};

/** Options shared by top/peek/traces/diff (addAnalysisOptions). */
const ANALYSIS: string[][] = [
  ['-sample_index=alloc_space'],
  ['--sample-index', '1'],
  ['--sample_index=inuse_space', '--sample-index=alloc_space'],
  ['-inuse_space'],
  ['--alloc-objects', '--total-delay'],
  ['-focus=mvcc', '-ignore', 'raft'],
  ['--focus', 'a', '--focus', 'b'],
  ['--hide=runtime\\.', '--show-from=main', '--prune-from', 'x'],
  ['--relative-percentages', '--all-frames'],
  ['-lines'],
  ['--files', '--noinlines'],
  ['--time-style', 'new', '--tz=local'],
  ['--time-style', 'bogus'],
  ['--tz'],
  ['--compact-labels'],
  ['--no-compact-labels'],
  ['--compactLabels'],
  ['--bogus'],
  ['-x'],
  ['--no-bogus'],
  ['--help'],
  ['-h'],
  ['--', '-weird'],
  ['--max-size', '512MB'],
  ['--max-size=8GiB', '--max-size', '100'],
];

const TRIM: string[][] = [
  ['-nodecount=20'],
  ['--nodecount', '5', '--nodecount', '7'],
  ['--nodecount', 'abc'],
  ['--nodefraction=0.01', '-edgefraction=0'],
  ['--no-trim'],
  ['--trim=false'],
  ['-cum'],
  ['--cum', '--flat'],
];

function withFile(file: string[], extra: string[][]): string[][] {
  return [[], ...extra].map((e) => [...file, ...e]);
}

const CASES: Record<string, string[][]> = {
  top: [
    ...withFile(['cpu.pb.gz'], [...ANALYSIS, ...TRIM, ['--format', 'json'], ['--format=xml'], ['--format']]),
    [],
    ['-'],
    ['123'],
    ['a.pb.gz', 'b.pb.gz'],
    ['-nodecount=3', 'heap.pb.gz', '-cum'],
    ['--profile', 'x.pb.gz'],
    ['x.pb.gz', '--profile', 'y.pb.gz'],
  ],
  peek: [
    ...withFile(['heap.pb.gz', 'mvcc'], [...ANALYSIS, ['--cum']]),
    ['heap.pb.gz'],
    ['heap.pb.gz', '42'],
    ['heap.pb.gz', 'a', 'b'],
    ['-', '.'],
  ],
  traces: [...withFile(['goroutine.pb.gz'], ANALYSIS), [], ['-']],
  diff: [
    ...withFile(
      ['a.pb.gz', 'b.pb.gz'],
      [
        ...ANALYSIS,
        ...TRIM,
        ['--mode', 'subtract', '--normalize'],
        ['--mode=bogus'],
        ['--format', 'json'],
        ['--pprof', '-o', 'out.txt', '--force'],
        ['--list', '5'],
        ['--no-diagnosis'],
        ['--rules', 'r1', '--rules', 'r2'],
        ['--rules', 'r1', 'r2'],
        ['--no-builtin-rules'],
        ['--etcd-version', '3.4.23'],
      ],
    ),
    ['a.pb.gz'],
    ['a', 'b', 'c'],
  ],
  trend: [
    ...withFile(
      ['h1', 'h2', 'h3'],
      [
        ...ANALYSIS,
        ['--limit', '8GiB', '--interval=30s'],
        ['--format', 'markdown'],
        ['--format', 'pdf'],
        ['--nodecount', '3'],
        ['-o', 'x.md', '--force'],
        ['--rules', 'd1'],
        ['--no-diagnosis', '--no-builtin-rules', '--etcd-version=3.5.0'],
      ],
    ),
    [],
    ['one'],
    ['dir/'],
    ['1', '2', '3'],
  ],
  analyze: [
    ...withFile(
      ['heap.pb.gz'],
      [
        ['--format', 'markdown'],
        ['--format=pdf'],
        ['-o', 'report.md'],
        ['--output', 'report.md', '--force'],
        ['--fail-on', 'warning'],
        ['--fail-on=never'],
        ['--nodecount', '3'],
        ['-nodecount=4'],
        ['--rules', 'a', '--rules', 'b'],
        ['--no-builtin-rules'],
        ['--builtin-rules=false'],
        ['--etcd-version=3.2.23', '--go-version', '1.12.9'],
        ['--sample-index', 'alloc_space'],
        ['--seconds', '30', '--timeout', '10s'],
        ['--cacert', 'ca.pem', '--cert', 'c.pem', '--key', 'k.pem'],
        ['--tls-key', 'k.pem'],
        ['--insecure-skip-tls-verify'],
        ['--bogus'],
        ['--help'],
      ],
    ),
    ['heap.pb.gz', 'cpu.pb.gz', 'goroutine.txt'],
    ['-'],
    [],
    ['https://127.0.0.1:2379/debug/pprof/heap'],
  ],
  rules: [
    [],
    ['list'],
    ['show', 'lease-keepalive-storm'],
    ['check', './my-rules'],
    ['bogus'],
    ['show', 'a', 'b'],
    ['--format', 'json'],
    ['--rules', 'dir', '--no-builtin-rules'],
    ['--format=yaml'],
    ['list', '--bogus'],
  ],
  fetch: [
    ['127.0.0.1:2379/debug/pprof/heap'],
    ['https://h:1/debug/pprof/heap', '-o', 'x.pb.gz', '--force'],
    ['https://h:1/debug/pprof/heap', '--output', 'x.pb.gz'],
    ['https://h:1/debug/pprof/profile', '--seconds', '30', '--cacert', 'ca.pem', '--cert', 'c', '--key', 'k'],
    ['https://h:1/debug/pprof/profile', '--seconds', 'abc'],
    ['https://h:1/debug/pprof/profile', '--insecure-skip-tls-verify'],
    ['https://h:1/debug/pprof/profile', '--no-insecure-skip-tls-verify'],
    [],
    ['a', 'b'],
    ['u', '--bogus'],
  ],
};

/** Full yargs' result, or 'error' when yargs rejects the arguments. */
async function viaYargs(spec: CommandSpec, name: string, argv: string[]): Promise<Record<string, unknown> | 'error'> {
  const positionals = spec.command.slice(spec.command.indexOf(' ') + 1 || spec.command.length);
  try {
    const r = await parseWithYargs(spec, name, positionals, argv);
    return r ?? 'error';
  } catch {
    return 'error';
  }
}

describe('fast argument path agrees with yargs', () => {
  for (const [name, cases] of Object.entries(CASES)) {
    it(`${name}: ${cases.length} argv lists`, async () => {
      const { default: spec } = await loaders[name]!();
      const positionals = spec.command.slice(spec.command.indexOf(' ') + 1 || spec.command.length);
      let fastCount = 0;
      for (const raw of cases) {
        const argv = normalizePprofArgs(raw);
        if (argv.includes('--help') || argv.includes('-h')) {
          // yargs would print help: the fast path must always defer.
          expect(fastParseArgs(`$0 ${positionals}`, spec.builder, argv, yargsParser, `pprof-doctor ${name}`)).toBe(
            undefined,
          );
          continue;
        }
        const fast = fastParseArgs(`$0 ${positionals}`, spec.builder, argv, yargsParser, `pprof-doctor ${name}`);
        const slow = await viaYargs(spec, name, argv);
        if (fast === undefined) continue;
        fastCount++;
        expect(slow, `${name} ${raw.join(' ')}: yargs rejects what the fast path accepted`).not.toBe('error');
        expect(fast, `${name} ${raw.join(' ')}`).toEqual(slow);
      }
      // The plain cases must really take the fast path, or it buys nothing.
      expect(fastCount).toBeGreaterThan(cases.length / 3);
    });
  }

  it('the common invocations take the fast path', async () => {
    const { default: top } = await loaders.top!();
    for (const raw of [['cpu.pb.gz'], ['heap.pb.gz', '-sample_index=alloc_space', '-nodecount=20'], ['-']]) {
      const argv = normalizePprofArgs(raw);
      expect(fastParseArgs('$0 <profile>', top.builder, argv, yargsParser, 'pprof-doctor top')).toBeDefined();
    }
  });

  it('defers on builder calls and option properties it does not know', () => {
    expect(() => recordBuilder((y) => y.check(() => true))).toThrow();
    expect(() => recordBuilder((y) => y.option('n', { type: 'count' }))).toThrow();
    expect(() => recordBuilder((y) => y.option('n', { coerce: (x: unknown) => x }))).toThrow();
    expect(
      fastParseArgs('$0 <f>', (y) => y.option('n', { type: 'string' }).conflicts('n', 'm'), ['x'], yargsParser, 't'),
    ).toBeUndefined();
    const rec = recordBuilder((y) =>
      y.option('n', { type: 'number', default: 3, alias: 'm', group: 'G', describe: 'd' }).example('$0', ''),
    );
    expect(rec.options.get('n')).toMatchObject({ type: 'number', default: 3, alias: ['m'] });
  });
});
