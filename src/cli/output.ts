/**
 * `-o FILE` / `--output FILE` and `--force`: one definition and one behaviour for every command that
 * writes a report (analyze, top, peek, traces, diff, trend). The file is checked before any work is
 * done (never an input, an existing file only with --force), written when the report is ready, and a
 * line on stderr says where it went; without -o the report goes to standard output.
 */
import type { Argv } from 'yargs';
import { lastString, writeStdout } from './options.js';

export const OUTPUT_DESCRIBE =
  'Write to this file instead of standard output (never an input; existing only with --force)';

export function addOutputOptions(y: Argv): Argv {
  return y
    .option('o', { alias: 'output', type: 'string', describe: OUTPUT_DESCRIBE, group: 'Output:' })
    .option('force', { type: 'boolean', describe: 'Let -o overwrite an existing file', group: 'Output:' });
}

export interface OutputTarget {
  /** The -o file; undefined = standard output. */
  file: string | undefined;
  force: boolean;
  /** The files the command reads: -o must not be one of them. */
  inputs: readonly string[];
}

/** The -o target from parsed arguments, checked now so that a bad -o fails before the work. */
export async function outputTarget(args: Record<string, unknown>, inputs: readonly string[]): Promise<OutputTarget> {
  const target = { file: lastString(args.o), force: args.force === true, inputs };
  if (target.file !== undefined) {
    const { checkOutputPath } = await import('../io/output-file.js');
    checkOutputPath(target.file, { force: target.force, inputs });
  }
  return target;
}

/** Writes the report to the -o file (saying so on stderr, `what` naming it) or to standard output. */
export async function emitOutput(target: OutputTarget, text: string, what: string): Promise<void> {
  if (target.file === undefined) {
    await writeStdout(text);
    return;
  }
  const { writeOutputFile } = await import('../io/output-file.js');
  await writeOutputFile(target.file, text, { force: target.force, inputs: target.inputs });
  process.stderr.write(`pprof-doctor: ${what} written to ${target.file}\n`);
}
