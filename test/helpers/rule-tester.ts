/**
 * ESLint-RuleTester-style cases for diagnosis rules: `fires` (the rule must be diagnosed) and
 * `silent` (it must not be; optionally it must be listed as ruled out, for a given reason). Every
 * case runs the whole built-in rule pack, as `analyze` does.
 */
import { describe, expect, it } from 'vitest';
import { type AnalyzeInput, type AnalyzeOptions, analyzeProfiles } from '../../src/diagnosis/engine.js';
import { loadRules } from '../../src/diagnosis/load-rules-node.js';
import type { AnalysisReport, Diagnosis } from '../../src/diagnosis/report.js';
import type { Rule } from '../../src/diagnosis/schema.js';
import type { Profile } from '../../src/profile/model.js';

export interface RuleCase {
  name: string;
  profiles: (Profile | AnalyzeInput)[];
  opts?: AnalyzeOptions;
  /** fires: minimum confidence. */
  minConfidence?: number;
  /** fires: maximum confidence (e.g. a pasted table must not look certain). */
  maxConfidence?: number;
  /** silent: the rule must appear in ruledOut with this reason kind. */
  ruledOut?: 'version' | 'process' | 'exclusion' | 'insufficient';
  /** Extra checks on the report / the diagnosis. */
  check?: (r: AnalysisReport, d: Diagnosis | undefined) => void;
}

let rulesPromise: Promise<Rule[]> | undefined;
export function builtinRules(): Promise<Rule[]> {
  rulesPromise ??= loadRules();
  return rulesPromise;
}

export async function analyze(
  profiles: (Profile | AnalyzeInput)[],
  opts: AnalyzeOptions = {},
): Promise<AnalysisReport> {
  const inputs = profiles.map((p, i) => ('profile' in p ? p : { profile: p, name: `profile-${i}` }));
  return analyzeProfiles(inputs, await builtinRules(), opts);
}

export function ruleTester(id: string, cases: { fires: RuleCase[]; silent: RuleCase[] }): void {
  describe(`rule ${id}`, () => {
    it('exists in the built-in pack', async () => {
      expect((await builtinRules()).map((r) => r.id)).toContain(id);
    });
    for (const c of cases.fires) {
      it(`fires: ${c.name}`, async () => {
        const r = await analyze(c.profiles, c.opts);
        const d = r.diagnoses.find((x) => x.id === id);
        expect(
          d,
          `expected ${id}; got ${r.diagnoses.map((x) => x.id).join(', ') || 'nothing'}; ruled out: ${JSON.stringify(r.ruledOut.map((x) => [x.id, x.reason]))}`,
        ).toBeDefined();
        expect(d!.evidence.some((e) => e.role === 'require' && e.held)).toBe(true);
        if (c.minConfidence !== undefined) expect(d!.confidence).toBeGreaterThanOrEqual(c.minConfidence);
        if (c.maxConfidence !== undefined) expect(d!.confidence).toBeLessThanOrEqual(c.maxConfidence);
        expect(r.ruledOut.map((x) => x.id)).not.toContain(id);
        c.check?.(r, d);
      });
    }
    for (const c of cases.silent) {
      it(`silent: ${c.name}`, async () => {
        const r = await analyze(c.profiles, c.opts);
        expect(r.diagnoses.map((x) => x.id)).not.toContain(id);
        if (c.ruledOut) {
          const x = r.ruledOut.find((y) => y.id === id);
          expect(
            x,
            `expected ${id} ruled out (${c.ruledOut}); ruled out: ${JSON.stringify(r.ruledOut.map((y) => [y.id, y.because]))}`,
          ).toBeDefined();
          expect(x!.because).toBe(c.ruledOut);
          expect(x!.reason.length).toBeGreaterThan(10);
        }
        c.check?.(r, undefined);
      });
    }
  });
}
