/**
 * schema/rule.schema.json is generated from src/diagnosis/schema.ts. Regenerate with
 *   UPDATE_RULE_SCHEMA=1 npx vitest run test/diagnosis/rule-json-schema.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleJsonSchema } from '../../src/diagnosis/rule-json-schema.js';

const FILE = 'schema/rule.schema.json';

describe('rule JSON Schema', () => {
  const text = `${JSON.stringify(ruleJsonSchema(), null, 2)}\n`;
  if (process.env.UPDATE_RULE_SCHEMA) writeFileSync(FILE, text);

  it('schema/rule.schema.json matches the zod schema', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });

  it('describes the main fields', () => {
    const s = ruleJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(s.required).toEqual(
      expect.arrayContaining([
        'id',
        'title',
        'severity',
        'appliesTo',
        'detect',
        'explanation',
        'remediation',
        'references',
      ]),
    );
    expect(JSON.stringify(s.properties.detect)).toContain('{grpc}');
  });
});
