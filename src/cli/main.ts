/**
 * CLI entry. Only the command that is asked for is imported, so `pprof-doctor top` does not pay
 * for the rule engine, the HTML report or the TLS client at start-up.
 *
 * Exit codes: 0 done (no finding at the --fail-on threshold), 1 findings at the threshold,
 * 2 usage or input error, 3 internal error.
 */
import type { Argv } from 'yargs';
import { UserError } from '../errors.js';
import { escapeText } from '../report/escape.js';
import { normalizePprofArgs, pprofBaseFlag, pprofBaseMessage } from './pprof-flags.js';

/** What a command file exports (see src/cli/commands/). */
export interface CommandSpec {
  /** yargs command string, e.g. 'top <profile>'. */
  command: string;
  describe: string;
  builder: (y: Argv) => Argv;
  /** Returns the exit code. */
  run: (args: Record<string, unknown>) => Promise<number>;
}

const COMMANDS: Record<string, { describe: string; load: () => Promise<{ default: CommandSpec }> }> = {
  analyze: {
    describe: 'Diagnose a profile: what is wrong, the evidence, and the fix',
    load: () => import('./commands/analyze.js'),
  },
  top: { describe: 'Print the top functions, as `go tool pprof -top` does', load: () => import('./commands/top.js') },
  peek: { describe: 'Callers and callees of the functions matching a regex', load: () => import('./commands/peek.js') },
  traces: { describe: 'Print every sample with its stack', load: () => import('./commands/traces.js') },
  rules: { describe: 'List the diagnosis rules, or show one', load: () => import('./commands/rules.js') },
  diff: { describe: 'Compare two profiles', load: () => import('./commands/diff.js') },
  trend: { describe: 'Find leaks across a series of profiles', load: () => import('./commands/trend.js') },
  fetch: { describe: 'Download a profile from a /debug/pprof endpoint', load: () => import('./commands/fetch.js') },
  collect: {
    describe: 'Collect profiles, metrics and status from every etcd member at once',
    load: () => import('./commands/collect.js'),
  },
};

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.describe}`);
  return [
    'Usage: pprof-doctor <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'pprof-doctor <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { VERSION } = await import('../version.js');
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`pprof-doctor: unknown command '${escapeText(name)}'\n${usage()}`);
    return 2;
  }
  // Fast path: yargs-parser alone (see fast-args.ts for why and the measured numbers); full yargs
  // only for --help, errors and anything the fast path does not handle.
  const normalized = normalizePprofArgs(argv.slice(1));
  const baseFlag = name === 'diff' ? undefined : pprofBaseFlag(normalized);
  if (baseFlag) {
    process.stderr.write(`${pprofBaseMessage(name, baseFlag)}\n`);
    return 2;
  }
  const [{ default: spec }, { default: yargsParser }, { fastParseArgs }] = await Promise.all([
    entry.load(),
    import('yargs-parser'),
    import('./fast-args.js'),
  ]);
  const positionals = spec.command.slice(spec.command.indexOf(' ') + 1 || spec.command.length);
  let code = 0;
  try {
    const fast = fastParseArgs(`$0 ${positionals}`, spec.builder, normalized, yargsParser, `pprof-doctor ${name}`);
    if (fast) return await spec.run(fast);
    const args = await parseWithYargs(spec, name, positionals, normalized);
    if (args === undefined) return 0;
    code = await spec.run(args);
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`pprof-doctor: ${escapeText(err.message)}\n`);
      return err.exitCode;
    }
    if (err instanceof Error && err.name === 'YError') {
      process.stderr.write(`pprof-doctor ${name}: ${escapeText(err.message)}\n`);
      return 2;
    }
    throw err;
  }
  return code;
}

/**
 * Full yargs: help text, error messages, and whatever the fast path defers. Returns undefined when
 * yargs printed the help. Throws UserError / YError on bad usage.
 */
export async function parseWithYargs(
  spec: CommandSpec,
  name: string,
  positionals: string,
  normalized: string[],
): Promise<Record<string, unknown> | undefined> {
  const { default: yargs } = await import('yargs');
  const parser = yargs(normalized)
    .scriptName(`pprof-doctor ${name}`)
    .command(`$0 ${positionals}`.trim(), spec.describe, (y) => spec.builder(y))
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(120, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UserError(msg);
    });
  const args = (await parser.parseAsync()) as Record<string, unknown>;
  return args.help ? undefined : args;
}
