/**
 * A JSON Schema (draft 2020-12) of the rule file format, generated from the zod schema, for editors
 * (`# yaml-language-server: $schema=…`) and other tools. Shipped as schema/rule.schema.json; a test
 * keeps the file in step with schema.ts. Environment-neutral.
 */
import { z } from 'zod';
import { MACROS } from './patterns.js';
import { RULE_FORMAT_VERSION, ruleSchema } from './schema.js';

type Json = Record<string, unknown>;

const PATTERNS: Json = {
  description: `A frame pattern, or a list of them (any matches). Literal text matched against the whole function name, with macros: ${Object.keys(
    MACROS,
  )
    .map((m) => `{${m}}`)
    .join(', ')}; or 're:' + an RE2 regex.`,
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
  ],
};

/** Replaces the `{}` that zod emits for the pattern fields (their input is checked by hand). */
function patch(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(patch);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'properties' && v && typeof v === 'object') {
      const props: Json = {};
      for (const [pk, pv] of Object.entries(v as Json)) {
        const empty = pv && typeof pv === 'object' && Object.keys(pv as Json).length === 0;
        props[pk] = ['frame', 'under', 'notUnder'].includes(pk) && empty ? PATTERNS : patch(pv);
      }
      out[k] = props;
    } else out[k] = patch(v);
  }
  return out;
}

export function ruleJsonSchema(): Json {
  const raw = z.toJSONSchema(ruleSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  return {
    ...(patch(raw) as Json),
    title: `pprof-doctor rule (format ${RULE_FORMAT_VERSION})`,
    description: 'One diagnosis rule per YAML file; see rules/README.md.',
  };
}
