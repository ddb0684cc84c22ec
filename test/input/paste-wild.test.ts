/**
 * Paste shapes found in public issue threads (test/fixtures/paste-wild, made from the repository's
 * own profiles by scripts/paste-corpus/wild.mjs): each variant is read with the total of the
 * profile it came from and diagnoses like it, or — for the pieces too small to read — is refused
 * with an error that says what the piece is and what it lacks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/diagnosis/load-rules-node.js';
import type { Rule } from '../../src/diagnosis/schema.js';
import '../../src/input/gzip-node.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import { defaultSampleIndex, type Profile } from '../../src/profile/model.js';
import { analyzeOne, topId, type VariantEntry } from '../helpers/paste-verdict.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'test/fixtures/paste-wild');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
  variants: (VariantEntry & { expectError?: string })[];
};

let rules: Rule[];
beforeAll(async () => {
  rules = await loadRules();
});

const load = (path: string, name: string): Profile => parseProfileBytes(new Uint8Array(readFileSync(path)), name);

/** The profile's total for a sample type: the table's total, or the sum over the samples. */
function total(p: Profile, sampleIndex: string): number {
  if (p.table) return p.table.total ?? Number.NaN;
  const n = p.sampleTypes.length;
  let k = p.sampleTypes.findIndex((t) => t.type === sampleIndex);
  if (k < 0) k = defaultSampleIndex(p);
  let sum = 0;
  for (let i = 0; i < p.samples.length; i++) sum += p.samples.values[i * n + k]!;
  return sum;
}

describe('wild paste shapes', () => {
  it('covers every shape, and both refusals', () => {
    const shapes = new Set(manifest.variants.flatMap((v) => v.transforms));
    expect([...shapes].sort()).toEqual(
      [
        'diff-plus',
        'expand-tabs',
        'frames-only',
        'glued-clock',
        'glued-fence',
        'indented-block',
        'lost-plus',
        'old-header',
        'stack-fragment',
      ].sort(),
    );
    expect(manifest.variants.filter((v) => v.expectError)).toHaveLength(2);
  });

  for (const v of manifest.variants) {
    it(`${v.file} (${v.form}, ${v.go}, ${v.transforms.join('+')})`, () => {
      if (v.expectError) {
        let err: unknown;
        try {
          load(join(dir, v.file), v.file);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(Error);
        expect(String(err)).toMatch(new RegExp(v.expectError));
        expect(String(err)).not.toMatch(/not a pprof profile/);
        return;
      }
      const variant = load(join(dir, v.file), v.file);
      const source = load(join(root, v.source), v.source);
      // The numbers: what the text says the total is (or, for the runtime's texts, what the same
      // text as written reads as).
      const want = total(source, v.sampleIndex);
      const got = total(variant, v.sampleIndex);
      expect(want).toBeGreaterThan(0);
      if (v.go === 'runtime') {
        expect(got).toBe(want);
        // Read as the whole text, header included (not as records whose header was cut).
        expect(variant.source.format).toBe(source.source.format);
        expect(variant.source.lacks ?? []).toEqual(source.source.lacks ?? []);
      } else expect(Math.abs(got - want) / want, `total ${got} vs ${want}`).toBeLessThan(0.001);
      if (v.transforms.includes('old-header') || v.transforms.includes('glued-fence'))
        expect(variant.table?.totalSource).toBe('header');
      // The diagnosis.
      const a = topId(analyzeOne(source, v.source, rules, v.sampleIndex));
      const b = topId(analyzeOne(variant, v.file, rules, v.sampleIndex));
      expect(b).toBe(a);
    });
  }

  it('diagnoses something on most variants (the comparison is not between two empty reports)', () => {
    let fired = 0;
    const read = manifest.variants.filter((v) => !v.expectError);
    for (const v of read) {
      const variant = load(join(dir, v.file), v.file);
      if (topId(analyzeOne(variant, v.file, rules, v.sampleIndex)) !== 'none') fired++;
    }
    expect(fired).toBeGreaterThanOrEqual(read.length - 3);
  });
});
