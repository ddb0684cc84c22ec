/**
 * Markdown report of every bundled sample vs test/golden/markdown/<slug>.md. The goldens follow
 * the rules and the engine: after a deliberate change, regenerate them with
 * `npm run build && node scripts/golden/markdown-regen.mjs` and review the diff.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenMarkdown, goldenSamples, slugOf } from './helpers.js';

const dir = 'test/golden/markdown';
const samples = goldenSamples();
const HINT = 'regenerate: npm run build && node scripts/golden/markdown-regen.mjs (then review the diff)';

describe('Markdown goldens', () => {
  it('cover the bundled samples, one golden each', () => {
    expect(samples.length).toBeGreaterThan(5);
    expect(samples.some((s) => s.startsWith('samples/docs/'))).toBe(true);
    const goldens = readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort();
    expect(goldens, HINT).toEqual(samples.map((s) => `${slugOf(s)}.md`).sort());
  });

  for (const sample of samples) {
    it(sample, async () => {
      const file = `${dir}/${slugOf(sample)}.md`;
      expect(existsSync(file), `${file} missing; ${HINT}`).toBe(true);
      const md = await goldenMarkdown(sample);
      expect(md, HINT).toBe(readFileSync(file, 'utf8'));
    });
  }
});
