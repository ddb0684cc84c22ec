#!/usr/bin/env node
/**
 * Build step (after tsc, part of `npm run build`): validates every built-in rule under rules/
 * through the same loader the CLI uses (dist/diagnosis/load-rules-node.js → rule-parse → the zod
 * schema) and writes the validated, normalised rules to dist/rules.json. At run time the CLI reads
 * that file instead of parsing ~40 YAML files with yaml + zod (0.3–0.6 s per run); it falls back to
 * the YAML when the file is missing or a rule file was added, removed or changed since (rules.json
 * records a CRC-32 and the length of each rule file it was built from).
 *
 * A broken rule fails the build with the loader's one-line message (file and field).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const dist = (p) => import(join(root, 'dist', p));

const { loadBuiltinRules, rulesToJson, rulesFromJson, builtinRulesJsonPath } =
  await dist('diagnosis/load-rules-node.js');
const { mergeRuleSets } = await dist('diagnosis/rule-parse.js');

try {
  const started = Date.now();
  const { rules, files } = await loadBuiltinRules({ source: 'yaml' });
  mergeRuleSets([rules]); // duplicate ids are an error, as at run time
  const text = rulesToJson(rules, files);
  // What the CLI will read must serialise back to the same text (RegExps and all).
  const back = rulesFromJson(text);
  if (!back || back.rules.length !== rules.length || rulesToJson(back.rules, files) !== text) {
    throw new Error('rules.json does not read back to the same rules');
  }
  const out = builtinRulesJsonPath();
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, out);
  console.log(
    `build-rules: ${rules.length} rules from ${files.length} files validated → ${relative(root, out)} (${Date.now() - started} ms)`,
  );
} catch (err) {
  const msg = err && typeof err === 'object' && 'message' in err ? err.message : String(err);
  console.error(`build-rules: ${msg}`);
  process.exit(1);
}
