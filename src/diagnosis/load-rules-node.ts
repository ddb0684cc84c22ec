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
 *
 * The digest is a CRC-32 and the length of the file's bytes: it catches any accidental edit, and
 * costs no `node:crypto` (whose loading — a SHA-256 for 49 small files — was most of this check's
 * start-up time; zlib is loaded for gzipped profiles anyway).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { InputError, UserError } from '../errors.js';
import type { Rule } from './schema.js';

/**
 * Version of the `rules.json` container (not of the rule format). 2: with `regexes`; 3: file
 * digests are CRC-32s (`digest`) instead of SHA-256s.
 */
export const RULES_JSON_FORMAT = 3;

/** The package's own `rules/` directory (works from src/ under vitest and from dist/). */
let rulesDirCache: string | undefined;
export function builtinRulesDir(): string {
  rulesDirCache ??= fileURLToPath(new URL('../../rules/', import.meta.url));
  return rulesDirCache;
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
  // By code unit, not localeCompare: the first localeCompare of a process loads ICU's collation
  // data (~20 ms). Same order for the built-in rule names (lower-case kebab-case).
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // join(dir, name) for a plain entry name, with the directory normalised once (path.join
  // normalises the whole path on every call: most of this listing's time).
  let base = normalize(dir);
  if (base.length > 1 && base.endsWith(sep)) base = base.slice(0, -1);
  const child = (name: string) => (base === '.' ? name : base === sep ? `${sep}${name}` : `${base}${sep}${name}`);
  for (const e of entries) {
    const p = child(e.name);
    if (e.isDirectory()) out.push(...listYaml(p));
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}

/** displayPath(join(root, file)) for a package-relative file name from rules.json. */
function builtinDisplayPath(root: string, file: string): string {
  // relativeTo's fast path gives `file` itself when it is a plain relative path (what the build
  // writes); anything else goes through path.relative, which normalises as join would.
  return displayPath(`${root}${sep}${file}`);
}

/**
 * path.relative(root, p) for an absolute, normalised `root`. The common case — a normalised path
 * under it, as listYaml makes them — without path.relative, whose resolve and normalise of both
 * paths cost more than the rest of loading the rules.
 */
function relativeTo(root: string, p: string): string {
  const rest = p.startsWith(root + sep) ? p.slice(root.length + 1) : undefined;
  // Empty segments (a doubled, leading or trailing separator), '.' and '..' need normalising.
  if (rest && !rest.split(sep).some((seg) => seg === '' || seg === '.' || seg === '..')) return rest;
  return relative(root, p);
}

function displayPath(p: string): string {
  // Built-in rules are named from the package root (`rules/etcd-server/x.yaml`) wherever the tool
  // runs, so a report pasted into a ticket shows no local install path.
  const root = packageRoot(builtinRulesDir());
  const fromPackage = relativeTo(root, p);
  if (fromPackage && !fromPackage.startsWith('..') && !isAbsolute(fromPackage)) return toPosix(fromPackage);
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

/** One rule file as read: its path, the name shown in messages, and its bytes. */
interface RuleFile {
  path: string;
  shown: string;
  bytes: Buffer;
}

function readRuleFiles(paths: string[]): RuleFile[] {
  return paths.map((path) => {
    const shown = displayPath(path);
    try {
      return { path, shown, bytes: readFileSync(path) };
    } catch (err) {
      throw new InputError(shown, `cannot read: ${(err as Error).message}`);
    }
  });
}

async function parseRuleFiles(files: RuleFile[]): Promise<Rule[]> {
  // yaml + zod are imported only when YAML is actually read.
  const { parseRule } = await import('./rule-parse.js');
  return files.map((f) => parseRule(f.bytes.toString('utf8'), f.shown));
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

/** A rule file rules.json was built from: its path relative to the package root, and a digest of its bytes. */
export interface RuleFileDigest {
  path: string;
  /** `crc32:<8 hex digits>:<length in bytes>`. */
  digest: string;
}

interface RulesJson {
  format: number;
  files: RuleFileDigest[];
  rules: Rule[];
  /** Where the RegExps are under `rules` (keys and indices), so reading revives only those. */
  regexes: (string | number)[][];
}

/** The paths of every RegExp under `v` (object keys and array indices). */
function regexPaths(
  v: unknown,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (v instanceof RegExp) out.push([...path]);
  else if (Array.isArray(v))
    v.forEach((x, i) => {
      regexPaths(x, [...path, i], out);
    });
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) if (x !== undefined) regexPaths(x, [...path, k], out);
  return out;
}

/**
 * One RegExp per source and flags: rules repeat patterns (the same frame in several rules and
 * detectors), and a RegExp without the g or y flag keeps no state between tests.
 */
const sharedRegexes = new Map<string, RegExp>();
function shared(source: string, flags: string): RegExp {
  if (flags.includes('g') || flags.includes('y')) return new RegExp(source, flags);
  const key = `${flags}/${source}`;
  let re = sharedRegexes.get(key);
  if (!re) {
    re = new RegExp(source, flags);
    sharedRegexes.set(key, re);
  }
  return re;
}

/** Replaces the `{ $regex, $flags }` object at each path under `root` by a RegExp; false when one is not there. */
function reviveAt(root: unknown, paths: unknown): boolean {
  if (!Array.isArray(paths)) return false;
  for (const path of paths) {
    if (!Array.isArray(path) || path.length === 0) return false;
    let o: unknown = root;
    for (let i = 0; i < path.length - 1; i++) {
      if (o === null || typeof o !== 'object') return false;
      o = (o as Record<string | number, unknown>)[path[i] as string | number];
    }
    if (o === null || typeof o !== 'object') return false;
    const holder = o as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    const v = holder[last];
    if (!isRegexJson(v)) return false;
    holder[last] = shared(v.$regex, v.$flags);
  }
  return true;
}

/** The package root (the directory holding `rules/`), for the package-relative names in rules.json. */
function packageRoot(rulesDir: string): string {
  return dirname(rulesDir.endsWith(sep) ? rulesDir.slice(0, -1) : rulesDir);
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** CRC-32 (IEEE, zlib's) of the bytes, and their length. */
export function digestOf(bytes: Uint8Array): string {
  // zlib.crc32: Node ≥ 20.15; before that, the same CRC in JavaScript.
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  const crc = native ? native(bytes) : crc32(bytes);
  return `crc32:${(crc >>> 0).toString(16).padStart(8, '0')}:${bytes.length}`;
}

let crcTable: Int32Array | undefined;
/** CRC-32 in JavaScript (for Node versions without zlib.crc32). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function digests(files: RuleFile[], rulesDir: string): RuleFileDigest[] {
  const root = packageRoot(rulesDir);
  return files.map((f) => ({
    path: toPosix(relativeTo(root, f.path)),
    digest: digestOf(f.bytes),
  }));
}

/**
 * Serialises validated rules as rules.json text. `files` are the digests of the files they were
 * read from (`loadBuiltinRules(...).files`). Rule `file`s are stored relative to the package root,
 * so the JSON does not depend on where the package is installed or where the build ran.
 */
export function rulesToJson(rules: Rule[], files: RuleFileDigest[], rulesDir = builtinRulesDir()): string {
  const root = packageRoot(rulesDir);
  const stored = rules.map((r) => ({ ...r, file: toPosix(relative(root, resolve(r.file))) }));
  const doc: RulesJson = { format: RULES_JSON_FORMAT, files, rules: stored, regexes: regexPaths(stored) };
  const text = JSON.stringify(doc, (_k, v) =>
    v instanceof RegExp ? ({ $regex: v.source, $flags: v.flags } satisfies RegexJson) : v,
  );
  // ASCII only (other characters as \u escapes): the run-time read then decodes and parses one-byte
  // text, V8's fast path for both, where a few dozen '≥' or '–' made the whole 300 kB two-byte.
  return `${text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
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
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object') return undefined;
  const d = doc as Partial<RulesJson>;
  if (d.format !== RULES_JSON_FORMAT || !Array.isArray(d.files) || !Array.isArray(d.rules)) return undefined;
  // A plain parse, then only the recorded places: much cheaper than a reviver called for every
  // value, or a walk of every object.
  if (!reviveAt(d.rules, d.regexes)) return undefined;
  const files: RuleFileDigest[] = [];
  for (const f of d.files as unknown[]) {
    const x = f as Partial<RuleFileDigest> | null;
    if (typeof x?.path !== 'string' || typeof x.digest !== 'string') return undefined;
    files.push({ path: x.path, digest: x.digest });
  }
  const root = packageRoot(rulesDir);
  const rules: Rule[] = [];
  for (const r of d.rules as unknown[]) {
    // A light shape check only: the content was validated when the file was built.
    if (r === null || typeof r !== 'object') return undefined;
    const x = r as Partial<Rule>;
    if (typeof x.id !== 'string' || typeof x.file !== 'string' || !Array.isArray(x.detect)) return undefined;
    rules.push({ ...(x as Rule), file: builtinDisplayPath(root, x.file) });
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
  const same = now.every((f, i) => f.path === parsed.files[i]!.path && f.digest === parsed.files[i]!.digest);
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
