/**
 * Every option README.md names exists on the command it is named for:
 * - the option lists of the bullets that start with commands (`top` / `peek` / `traces`: `--focus`, …;
 *   a clause "`top` also has …" names options of that command only),
 * - every `pprof-doctor <command> …` line in README's code blocks and code spans: each option is
 *   known, and the code blocks' lines parse as a whole under the command's strict yargs definition.
 * Options are checked against the commands' own yargs builders (recorded by src/cli/fast-args.ts),
 * after the same pprof-spelling rewrite the CLI applies (`-sample_index=x` → `--sample-index=x`).
 * pprof's own flags quoted as such ("pprof's `-diff_base`", "`go tool pprof -top …`") are not ours.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordBuilder } from '../../src/cli/fast-args.js';
import { type CommandSpec, parseWithYargs } from '../../src/cli/main.js';
import { normalizePprofArgs } from '../../src/cli/pprof-flags.js';
import { root } from './cli-helpers.js';

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
const COMMANDS = new Set(Object.keys(loaders));

const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** One mention: option `flag` (as written) is said to belong to `command`, in `where`. */
interface Mention {
  command: string;
  flag: string;
  where: string;
}

/** The option name a word denotes after the CLI's pprof rewrite: `-sample_index=x` → `sample-index`. */
function optionName(word: string): string {
  const [normalized] = normalizePprofArgs([word.split('=')[0]!]);
  return normalized!.replace(/^--?/, '');
}

/** Code spans of a text with the text before each (since the previous span). */
function codeSpans(text: string): { code: string; before: string }[] {
  const out: { code: string; before: string }[] = [];
  const re = /`([^`]+)`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ code: m[1]!, before: text.slice(last, m.index) });
    last = m.index + m[0].length;
  }
  return out;
}

/** Words of a command line after `pprof-doctor <cmd>`, up to a pipe, redirection or `&&`. */
function commandLineWords(line: string): { command: string; words: string[] } | undefined {
  const m = /(?:^|[\s/])pprof-doctor\s+(\S+)(.*)$/.exec(line);
  if (!m || !COMMANDS.has(m[1]!)) return undefined;
  const words: string[] = [];
  for (const w of m[2]!.trim().split(/\s+/)) {
    if (w === '') continue;
    if (['|', '>', '&&', ';', '#'].includes(w)) break;
    words.push(w);
  }
  return { command: m[1]!, words };
}

const isFlag = (w: string) => /^-[A-Za-z-]/.test(w);

/** Mentions from the README's bullets that begin with commands. */
function bulletMentions(): Mention[] {
  const out: Mention[] = [];
  const bullets: string[] = [];
  for (const line of readme.split('\n')) {
    if (line.startsWith('- ')) bullets.push(line);
    else if (line.startsWith('  ') && bullets.length > 0 && line.trim() !== '')
      bullets[bullets.length - 1] += ` ${line.trim()}`;
    else if (!line.startsWith('  ')) bullets.push('');
  }
  for (const bullet of bullets.filter((b) => b !== '')) {
    const spans = codeSpans(bullet);
    // The commands the bullet is about: the command spans before its first option.
    const own: string[] = [];
    for (const s of spans) {
      if (isFlag(s.code)) break;
      const word = s.code.split(/\s/)[0]!;
      if (COMMANDS.has(word)) own.push(word);
    }
    if (own.length === 0) continue;
    // Clauses end at `;` or `.` + space outside code; "`x` also has" narrows a clause to x.
    let clause: string[] = own;
    let pprofs = false;
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i]!;
      if (/[;.]\s/.test(s.before)) clause = own;
      const after = spans[i + 1]?.before ?? '';
      if (COMMANDS.has(s.code) && /^\s*also has\s*$/.test(after)) {
        clause = [s.code];
        continue;
      }
      // pprof's own flags: "pprof's `-x`", "`go tool pprof …`", and spans chained to those by / or "and".
      if (/pprof's\s*$/.test(s.before) || s.code.startsWith('go tool pprof')) {
        pprofs = true;
        continue;
      }
      if (pprofs && /^\s*(?:\/|,|and|or)\s*$/.test(s.before)) continue;
      pprofs = false;
      const line = commandLineWords(s.code);
      if (line) {
        for (const w of line.words.filter(isFlag)) out.push({ command: line.command, flag: w, where: s.code });
        continue;
      }
      const first = s.code.split(/\s/)[0]!;
      if (!isFlag(first)) continue;
      for (const c of clause) out.push({ command: c, flag: first, where: bullet.slice(0, 40) });
    }
  }
  return out;
}

/** Command lines in the README's code blocks (with `\` continuations joined). */
function codeBlockLines(): { command: string; words: string[]; line: string }[] {
  const out: { command: string; words: string[]; line: string }[] = [];
  const blocks = readme.split(/^```[a-z]*$/m).filter((_, i) => i % 2 === 1);
  for (const block of blocks) {
    for (const raw of block.replace(/\\\n\s*/g, ' ').split('\n')) {
      const line = raw.replace(/^\$ /, '');
      if (line.trimStart().startsWith('#')) continue;
      const found = commandLineWords(line);
      if (found) out.push({ ...found, line });
    }
  }
  return out;
}

async function optionsOf(command: string): Promise<Set<string>> {
  const spec = (await loaders[command]!()).default;
  const recorded = recordBuilder(spec.builder);
  const names = new Set<string>();
  for (const [name, def] of recorded.options) {
    if (recorded.positionals.has(name)) continue;
    names.add(name);
    for (const a of def.alias) names.add(a);
  }
  return names;
}

describe('README.md options', () => {
  const bullets = bulletMentions();
  const blocks = codeBlockLines();

  it('finds the option lists (the scan is not empty)', () => {
    const has = (command: string, flag: string) => bullets.some((m) => m.command === command && m.flag === flag);
    expect(bullets.length).toBeGreaterThan(60);
    expect(has('peek', '--format')).toBe(true);
    expect(has('traces', '--format')).toBe(true);
    expect(has('top', '--divide-by')).toBe(true);
    expect(has('peek', '--cum')).toBe(true);
    expect(has('traces', '--cum')).toBe(false); // "`top` also has …" is top's alone
    expect(has('diff', '--output')).toBe(true);
    expect(has('trend', '-o')).toBe(true);
    expect(has('analyze', '--cacert')).toBe(true);
    expect(has('top', '-divide_by=4')).toBe(true);
    expect(bullets.some((m) => m.flag.startsWith('-diff_base'))).toBe(false); // pprof's, not ours
    expect(blocks.length).toBeGreaterThan(4);
  });

  it('every option a bullet names exists on each of its commands', async () => {
    const missing: string[] = [];
    for (const m of bullets) {
      const options = await optionsOf(m.command);
      if (!options.has(optionName(m.flag))) missing.push(`${m.command} ${m.flag} (${m.where})`);
    }
    expect(missing).toEqual([]);
  });

  it('every command line in the code blocks parses under its command (strict)', async () => {
    const failures: string[] = [];
    for (const { command, words, line } of blocks) {
      const spec = (await loaders[command]!()).default;
      const positionals = spec.command.slice(spec.command.indexOf(' ') + 1);
      try {
        const args = await parseWithYargs(spec, command, positionals, normalizePprofArgs(words));
        if (args === undefined) failures.push(`${line}: printed help`);
      } catch (err) {
        failures.push(`${line}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('-o / --output', () => {
  it.each(['analyze', 'top', 'peek', 'traces', 'diff', 'trend', 'fetch'])(
    '%s: -o and --output are one option, with --force',
    async (command) => {
      const spec = (await loaders[command]!()).default;
      const recorded = recordBuilder(spec.builder);
      expect(recorded.options.get('o')?.alias).toEqual(['output']);
      expect(recorded.options.get('o')?.type).toBe('string');
      expect(recorded.options.get('force')?.type).toBe('boolean');
    },
  );
});
