/**
 * The library under test, from src/, in the shape the fuzzer core (scripts/fuzz/cases.mjs) takes.
 * `npm run fuzz` drives the same core on dist/.
 */
import { fileURLToPath } from 'node:url';
import type { FuzzLib } from '../../scripts/fuzz/cases.mjs';
import { loadRuleTexts } from '../../scripts/fuzz/corpus.mjs';
import { buildFlameTree, pruneFlameTree } from '../../src/report/flamegraph.js';
import { peek } from '../../src/analysis/peek.js';
import { top } from '../../src/analysis/top.js';
import { traces } from '../../src/analysis/traces.js';
import { analyzeProfiles } from '../../src/diagnosis/engine.js';
import { parseRule } from '../../src/diagnosis/rule-parse.js';
import { FormatError, InputError, UserError } from '../../src/errors.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import { nodeGunzip } from '../../src/input/gzip-node.js';
import '../../src/profile/regex.js';
import { validateProfile } from '../../src/profile/validate.js';
import { formatPeek, formatTop, formatTraces } from '../../src/report/pprof-text.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function srcLib(): FuzzLib {
  const rules = loadRuleTexts(ROOT).map((r) => parseRule(r.text, r.name));
  const lib = {
    parseProfileBytes,
    gunzip: nodeGunzip,
    validateProfile,
    top,
    formatTop,
    traces,
    formatTraces,
    peek,
    formatPeek,
    buildFlameTree,
    pruneFlameTree,
    parseRule,
    analyzeProfiles,
    rules,
    FormatError,
    InputError,
    UserError,
  };
  // The core calls these with the library's own argument types; FuzzLib only names them.
  return lib as unknown as FuzzLib;
}
