/**
 * Loads the library under test from the built dist/ (npm run fuzz builds it first), in the shape
 * cases.mjs expects. The built-in rules are parsed once, for the `analyze` extra step.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadRuleTexts } from './corpus.mjs';

export async function loadDistLib(root) {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'index.js')))
    throw new Error(`no build in ${dist}: run npm run build (npm run fuzz does)`);
  const m = (p) => import(pathToFileURL(join(dist, p)).href);
  // The regex engine (re2js) registers itself when imported; the CLI imports it lazily.
  if (existsSync(join(dist, 'profile/regex.js'))) await m('profile/regex.js');
  const [detect, gzipNode, validate, top, traces, peek, text, flame, ruleParse, engine, errors] = await Promise.all([
    m('input/detect.js'),
    m('input/gzip-node.js'),
    m('profile/validate.js'),
    m('analysis/top.js'),
    m('analysis/traces.js'),
    m('analysis/peek.js'),
    m('report/pprof-text.js'),
    m('report/flamegraph.js'),
    m('diagnosis/rule-parse.js'),
    m('diagnosis/engine.js'),
    m('errors.js'),
  ]);
  const rules = loadRuleTexts(root).map((r) => ruleParse.parseRule(r.text, r.name));
  return {
    parseProfileBytes: detect.parseProfileBytes,
    gunzip: gzipNode.nodeGunzip,
    validateProfile: validate.validateProfile,
    top: top.top,
    formatTop: text.formatTop,
    traces: traces.traces,
    formatTraces: text.formatTraces,
    peek: peek.peek,
    formatPeek: text.formatPeek,
    buildFlameTree: flame.buildFlameTree,
    pruneFlameTree: flame.pruneFlameTree,
    parseRule: ruleParse.parseRule,
    analyzeProfiles: engine.analyzeProfiles,
    rules,
    FormatError: errors.FormatError,
    InputError: errors.InputError,
    UserError: errors.UserError,
  };
}
