/**
 * Node-only: reads rule files from disk. The built-in rules live in the package's `rules/`
 * directory (shipped in the npm package); `--rules DIR` adds (or overrides, by id) a user's own.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, UserError } from '../errors.js';
import { mergeRuleSets, parseRule } from './rule-parse.js';
import type { Rule } from './schema.js';

/** The package's own `rules/` directory (works from src/ under vitest and from dist/). */
export function builtinRulesDir(): string {
  return fileURLToPath(new URL('../../rules/', import.meta.url));
}

async function listYaml(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listYaml(p)));
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}

function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

/** Loads every `*.yaml` / `*.yml` under `dir` (recursively), or one file. */
export async function loadRuleDir(dir: string): Promise<Rule[]> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(dir);
  } catch {
    throw new UserError(`rules directory not found: ${dir}`);
  }
  const files = st.isDirectory() ? await listYaml(dir) : [dir];
  const rules: Rule[] = [];
  for (const f of files) {
    const shown = displayPath(f);
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch (err) {
      throw new InputError(shown, `cannot read: ${(err as Error).message}`);
    }
    rules.push(parseRule(text, shown));
  }
  return rules;
}

/** Built-in rules plus the user's directories, later ones overriding earlier ones by id. */
export async function loadRules(opts: { userDirs?: string[]; builtin?: boolean } = {}): Promise<Rule[]> {
  const sets: Rule[][] = [];
  if (opts.builtin !== false) sets.push(await loadRuleDir(builtinRulesDir()));
  for (const d of opts.userDirs ?? []) sets.push(await loadRuleDir(d));
  return mergeRuleSets(sets);
}
