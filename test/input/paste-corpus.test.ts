/**
 * The generated paste corpus (test/fixtures/paste, scripts/paste-corpus/generate.mjs): every
 * variant is read, and diagnoses like the profile it came from — or, for a variant that was cut,
 * the cut measurably removed what the source's top rule needed, or the variant's report says
 * itself that it cannot tell its first finding from the source's, with share ranges that hold the
 * source's figures (see test/helpers/paste-verdict.ts). Anything else fails, a finding merely
 * ranked lower included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/diagnosis/load-rules-node.js';
import type { Rule } from '../../src/diagnosis/schema.js';
import '../../src/input/gzip-node.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import type { Profile } from '../../src/profile/model.js';
import { analyzeOne, partial, type VariantEntry, verdict } from '../helpers/paste-verdict.js';

/** The importers' errors for a report with no data line left. */
const NOTHING_LEFT =
  /cut off before its first row|cut off before the routine|has no function line|has no complete (?:row|trace)|has no ROUTINE|without sample types/;

const root = join(import.meta.dirname, '..', '..');
// PASTE_CORPUS_DIR: a corpus generated with another seed (generate.mjs --seed N --out DIR).
const dir = process.env.PASTE_CORPUS_DIR ?? join(root, 'test/fixtures/paste');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { variants: VariantEntry[] };

let rules: Rule[];
const sources = new Map<string, Profile>();
function source(path: string): Profile {
  let p = sources.get(path);
  if (!p) {
    p = parseProfileBytes(new Uint8Array(readFileSync(join(root, path))), path);
    sources.set(path, p);
  }
  return p;
}

beforeAll(async () => {
  rules = await loadRules();
});

describe('paste corpus', () => {
  it('has variants of every form, from both Go versions and the runtime', () => {
    const forms = new Set(manifest.variants.map((v) => v.form));
    for (const f of [
      'top',
      'peek',
      'tree',
      'list',
      'traces',
      'raw',
      'top+list',
      'debug1-heap',
      'debug1-goroutine',
      'debug2-goroutine',
    ]) {
      expect(forms, f).toContain(f);
    }
    const gos = new Set(manifest.variants.map((v) => v.go));
    expect([...gos].sort()).toEqual(['go1.19', 'go1.24', 'runtime']);
  });

  const outcomes: Record<string, number> = {};
  const failures: string[] = [];
  for (const v of manifest.variants) {
    it(`${v.file} (${v.form}, ${v.go}${v.transforms.length ? `, ${v.transforms.join('+')}` : ''}${v.cut ? ', cut' : ''})`, () => {
      const text = readFileSync(join(dir, v.file));
      let variant: Profile;
      try {
        variant = parseProfileBytes(new Uint8Array(text), v.file);
      } catch (err) {
        // Nothing left at all: a part of a report whose importer found not one row, trace or
        // routine. Allowed only for a partial variant, and only with that error.
        expect(partial(v), String(err)).toBe(true);
        expect(String(err)).toMatch(NOTHING_LEFT);
        outcomes['nothing-left'] = (outcomes['nothing-left'] ?? 0) + 1;
        return;
      }
      const src = source(v.source);
      const a = analyzeOne(src, v.source, rules, v.sampleIndex);
      const b = analyzeOne(variant, v.file, rules, v.sampleIndex);
      const r = verdict(v, src, variant, rules, a, b);
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      if (r.outcome === 'different')
        failures.push(`${v.file}: source ${r.sourceTop}, variant ${r.variantTop}: ${r.detail}`);
      expect(r.outcome, `source ${r.sourceTop}, variant ${r.variantTop}: ${r.detail}`).not.toBe('different');
    });
  }
  it('reports the outcomes', () => {
    console.log('paste corpus outcomes:', JSON.stringify(outcomes), failures.join('\n'));
    // Most variants must diagnose exactly like their source; the excuses are for cut ones.
    const all = Object.values(outcomes).reduce((a, b) => a + b, 0);
    expect(outcomes.same ?? 0).toBeGreaterThan(all * 0.6);
  });
});
