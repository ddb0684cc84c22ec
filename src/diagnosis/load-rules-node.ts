/**
 * Node-only: reads rule files from disk. The built-in rules live in the package's `rules/`
 * directory (shipped in the npm package); `--rules DIR` adds (or overrides, by id) a user's own.
 *
 * Start-up: parsing and validating ~40 YAML files costs 0.3–0.6 s (yaml + zod). `npm run build`
 * therefore runs scripts/build-rules.mjs, which loads the built-in rules through the same
 * validation (`loadBuiltinRules({ source: 'yaml' })` → rule-parse → the zod schema) and writes the
 * validated, normalised rules to `dist/rules.json`, with the name and a digest of every rule file
 * it was built from. At run time the built-in rules come from that file — no yaml or zod import —
 * unless it is missing, unreadable, of another format, or a rule file was added, removed or
 * changed since (the digests differ: a changed file is caught whatever its mtime says, and an
 * installed package whose files all carry npm's fixed mtime still counts as fresh); then the YAML
 * is read and validated as before. User `--rules DIR`s are always YAML.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, UserError } from '../errors.js';
import type { Rule } from './schema.js';

/** Version of the `rules.json` container (not of the rule format). */
export const RULES_JSON_FORMAT = 1;

/** The package's own `rules/` directory (works from src/ under vitest and from dist/). */
export function builtinRulesDir(): string {
  return fileURLToPath(new URL('../../rules/', import.meta.url));
}

/**
 * Where the build writes the pre-validated built-in rules: `dist/rules.json` beside the compiled
 * code. (From src/ under vitest this is `src/rules.json`, which does not exist: tests read YAML.)
 */
export function builtinRulesJsonPath(): string {
  return fileURLToPath(new URL('../rules.json', import.meta.url));
}

// Synchronous file system calls on purpose: a few dozen small files, read once at start-up, where
// fs/promises' round trips through the thread pool cost ~10× the CPU time of the reads themselves.
function listYaml(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listYaml(p));
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}

function displayPath(p: string): string {
  // Built-in rules are named from the package root (`rules/etcd-server/x.yaml`) wherever the tool
  // runs, so a report pasted into a ticket shows no local install path.
  const fromPackage = relative(packageRoot(builtinRulesDir()), p);
  if (fromPackage && !fromPackage.startsWith('..') && !isAbsolute(fromPackage)) return toPosix(fromPackage);
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

/** One rule file as read: its path, the name shown in messages, and its text. */
interface RuleFile {
  path: string;
  shown: string;
  text: string;
}

function readRuleFiles(paths: string[]): RuleFile[] {
  return paths.map((path) => {
    const shown = displayPath(path);
    try {
      return { path, shown, text: readFileSync(path, 'utf8') };
    } catch (err) {
      throw new InputError(shown, `cannot read: ${(err as Error).message}`);
    }
  });
}

async function parseRuleFiles(files: RuleFile[]): Promise<Rule[]> {
  // yaml + zod are imported only when YAML is actually read.
  const { parseRule } = await import('./rule-parse.js');
  return files.map((f) => parseRule(f.text, f.shown));
}

function rulePaths(dir: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch {
    throw new UserError(`rules directory not found: ${dir}`);
  }
  return st.isDirectory() ? listYaml(dir) : [dir];
}

/** Loads every `*.yaml` / `*.yml` under `dir` (recursively), or one file; each validated. */
export async function loadRuleDir(dir: string): Promise<Rule[]> {
  return parseRuleFiles(readRuleFiles(rulePaths(dir)));
}

// ---------------------------------------------------------------------------------------------
// rules.json: the built-in rules, validated at build time

/** How a RegExp is written in rules.json (compiled patterns and label filters hold RegExps). */
interface RegexJson {
  $regex: string;
  $flags: string;
}

function isRegexJson(v: unknown): v is RegexJson {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.$regex === 'string' && typeof o.$flags === 'string' && Object.keys(o).length === 2;
}

/** Replaces every `{ $regex, $flags }` object in parsed JSON by a RegExp, in place. */
function reviveRegexes(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = reviveRegexes(v[i]);
    return v;
  }
  if (isRegexJson(v)) return new RegExp(v.$regex, v.$flags);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = reviveRegexes(o[k]);
  return o;
}

/** A rule file rules.json was built from: its path relative to the package root, and a digest of its text. */
export interface RuleFileDigest {
  path: string;
  sha256: string;
}

interface RulesJson {
  format: number;
  files: RuleFileDigest[];
  rules: Rule[];
}

/** The package root (the directory holding `rules/`), for the package-relative names in rules.json. */
function packageRoot(rulesDir: string): string {
  return dirname(rulesDir.endsWith(sep) ? rulesDir.slice(0, -1) : rulesDir);
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function digests(files: RuleFile[], rulesDir: string): RuleFileDigest[] {
  const root = packageRoot(rulesDir);
  return files.map((f) => ({
    path: toPosix(relative(root, f.path)),
    sha256: createHash('sha256').update(f.text).digest('hex'),
  }));
}

/**
 * Serialises validated rules as rules.json text. `files` are the digests of the files they were
 * read from (`loadBuiltinRules(...).files`). Rule `file`s are stored relative to the package root,
 * so the JSON does not depend on where the package is installed or where the build ran.
 */
export function rulesToJson(rules: Rule[], files: RuleFileDigest[], rulesDir = builtinRulesDir()): string {
  const root = packageRoot(rulesDir);
  const doc: RulesJson = {
    format: RULES_JSON_FORMAT,
    files,
    rules: rules.map((r) => ({ ...r, file: toPosix(relative(root, resolve(r.file))) })),
  };
  return `${JSON.stringify(doc, (_k, v) => (v instanceof RegExp ? ({ $regex: v.source, $flags: v.flags } satisfies RegexJson) : v))}\n`;
}

/**
 * Reads rules.json text back into rules (RegExps recompiled; `file` names shown as the YAML loader
 * shows them). Undefined when the text is not a rules.json of this format.
 */
export function rulesFromJson(
  text: string,
  rulesDir = builtinRulesDir(),
): { files: RuleFileDigest[]; rules: Rule[] } | undefined {
  let doc: unknown;
  try {
    // A plain parse and one walk: much cheaper than a reviver called for every value.
    doc = reviveRegexes(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  const d = doc as Partial<RulesJson>;
  if (d.format !== RULES_JSON_FORMAT || !Array.isArray(d.files) || !Array.isArray(d.rules)) return undefined;
  const files: RuleFileDigest[] = [];
  for (const f of d.files as unknown[]) {
    const x = f as Partial<RuleFileDigest> | null;
    if (typeof x?.path !== 'string' || typeof x.sha256 !== 'string') return undefined;
    files.push({ path: x.path, sha256: x.sha256 });
  }
  const root = packageRoot(rulesDir);
  const rules: Rule[] = [];
  for (const r of d.rules as unknown[]) {
    // A light shape check only: the content was validated when the file was built.
    if (r === null || typeof r !== 'object') return undefined;
    const x = r as Partial<Rule>;
    if (typeof x.id !== 'string' || typeof x.file !== 'string' || !Array.isArray(x.detect)) return undefined;
    rules.push({ ...(x as Rule), file: displayPath(join(root, x.file)) });
  }
  return { files, rules };
}

/** Where built-in rules came from. */
export type RulesSource = 'json' | 'yaml';

/**
 * The built-in rules: from rules.json when it was built from exactly the rule files there are now
 * (same names, same contents), else from the YAML, validated. `source: 'yaml'` forces the YAML
 * (the build script uses it). `files` are the digests of the rule files read.
 */
export async function loadBuiltinRules(
  opts: { source?: 'auto' | 'yaml'; rulesDir?: string; jsonPath?: string } = {},
): Promise<{ rules: Rule[]; source: RulesSource; files: RuleFileDigest[] }> {
  const dir = opts.rulesDir ?? builtinRulesDir();
  const files = readRuleFiles(rulePaths(dir));
  const now = digests(files, dir);
  if (opts.source !== 'yaml') {
    const fromJson = await readFreshJson(opts.jsonPath ?? builtinRulesJsonPath(), dir, now);
    if (fromJson) return { rules: fromJson, source: 'json', files: now };
  }
  return { rules: await parseRuleFiles(files), source: 'yaml', files: now };
}

async function readFreshJson(jsonPath: string, dir: string, now: RuleFileDigest[]): Promise<Rule[] | undefined> {
  let text: string;
  try {
    text = readFileSync(jsonPath, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = rulesFromJson(text, dir);
  if (!parsed || parsed.files.length !== now.length) return undefined;
  const same = now.every((f, i) => f.path === parsed.files[i]!.path && f.sha256 === parsed.files[i]!.sha256);
  return same ? parsed.rules : undefined;
}

/** Built-in rules plus the user's directories, later ones overriding earlier ones by id. */
export async function loadRules(opts: { userDirs?: string[]; builtin?: boolean } = {}): Promise<Rule[]> {
  const sets: Rule[][] = [];
  const userDirs = opts.userDirs ?? [];
  if (opts.builtin !== false) {
    const builtin = await loadBuiltinRules();
    // rules.json was checked for duplicate ids when it was built: alone, it needs no merge (and
    // no import of the YAML/zod code that mergeRuleSets lives beside).
    if (builtin.source === 'json' && userDirs.length === 0) return builtin.rules;
    sets.push(builtin.rules);
  }
  for (const d of userDirs) sets.push(await loadRuleDir(d));
  const { mergeRuleSets } = await import('./rule-parse.js');
  return mergeRuleSets(sets);
}
