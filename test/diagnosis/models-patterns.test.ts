/**
 * models.ts builds its own frame patterns straight into RegExps (no RE2 check at start-up): every
 * one must still be a pattern compilePattern accepts, with the same regex source.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_PATTERNS } from '../../src/diagnosis/models.js';
import { compilePattern, patternSource } from '../../src/diagnosis/patterns.js';

describe('models.ts frame patterns', () => {
  it('are valid rule patterns', () => {
    expect(MODEL_PATTERNS.length).toBeGreaterThan(10);
    for (const p of MODEL_PATTERNS) {
      expect(() => compilePattern(p), p).not.toThrow();
      expect(compilePattern(p).source, p).toBe(new RegExp(patternSource(p)).source);
    }
  });
});
