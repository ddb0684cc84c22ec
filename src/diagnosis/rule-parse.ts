/**
 * Parse and validate one rule file's text. A broken rule is one line naming the file and the field:
 *   rules/etcd-server/foo.yaml: detect[0].require[1].frame: invalid regex: missing closing )
 *
 * Environment-neutral: the file-system walk lives in load-rules-node.ts.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { type Rule, ruleSchema } from './schema.js';

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

type Issue = z.core.$ZodIssue;

/** The most specific issue: for unions, the branch that got furthest. */
function deepest(issue: Issue, prefix: readonly PropertyKey[] = []): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    let best: { path: PropertyKey[]; message: string } | undefined;
    for (const branch of issue.errors) {
      for (const sub of branch) {
        const cand = deepest(sub, path);
        if (!best || cand.path.length > best.path.length) best = cand;
      }
    }
    // A branch that failed only on its type says nothing useful; keep the union's own message then.
    if (best && best.path.length > path.length) return best;
  }
  if (issue.code === 'unrecognized_keys') {
    return {
      path,
      message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`,
    };
  }
  return { path, message: issue.message };
}

/** Validates an already-parsed object as a rule. Throws InputError naming `file` and the field. */
export function validateRule(data: unknown, file: string): Rule {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(file, 'a rule file must hold one YAML mapping (id, title, severity, …)');
  }
  const result = ruleSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues;
    // Missing id first: it is the most basic problem.
    const first = issues.find((i) => i.path[0] === 'id') ?? issues[0]!;
    const { path, message } = deepest(first);
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    const field = formatPath(path);
    const what =
      first.code === 'invalid_type' && (first as { input?: unknown }).input === undefined && path.length > 0
        ? `${field}: is required`
        : `${field}: ${message}`;
    throw new InputError(file, `${clip(what)}${more}`);
  }
  return { ...result.data, file };
}

/** Keeps a message one short line: a field's value quoted in it may be anything (20 kB of 'a'). */
function clip(message: string, max = 200): string {
  const one = message.replace(/[\r\n]+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Rule files are a few kB; a larger one is a mistake, and the YAML parser reads ~0.5 MB/s. */
export const MAX_RULE_FILE_CHARS = 256 * 1024;

/** Parses YAML text of one rule. Throws InputError naming `file`. */
export function parseRule(text: string, file: string): Rule {
  if (text.length > MAX_RULE_FILE_CHARS) {
    throw new InputError(file, `rule file is larger than 256 KiB (${text.length} characters); rule files are a few kB`);
  }
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
      const what = err.message
        .split('\n')[0]!
        .replace(/ at line \d+, column \d+:?\s*$/, '')
        .replace(/:\s*$/, '');
      throw new InputError(file, `${where}YAML syntax error: ${clip(what)}`);
    }
    throw new InputError(file, `cannot parse YAML: ${clip((err as Error).message)}`);
  }
  return validateRule(data, file);
}

/**
 * Merges rule lists in order: a later rule with the same id replaces an earlier one (so a user's
 * `--rules DIR` can override a built-in rule). Duplicates inside one list are an error, and so are
 * two rules left declaring growth of the same id (trend names growth by that id alone).
 */
export function mergeRuleSets(sets: Rule[][]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const set of sets) {
    const seen = new Map<string, string>();
    for (const r of set) {
      const prev = seen.get(r.id);
      if (prev) throw new InputError(r.file, `id: '${r.id}' is already used by ${prev}`);
      seen.set(r.id, r.file);
      byId.set(r.id, r);
    }
  }
  const rules = [...byId.values()];
  const growthIds = new Map<string, string>();
  for (const r of rules) {
    if (!r.growth) continue;
    const id = r.growth.id ?? r.id;
    const prev = growthIds.get(id);
    if (prev) throw new InputError(r.file, `growth.id: '${id}' is already declared by ${prev}`);
    growthIds.set(id, r.file);
  }
  return rules;
}
