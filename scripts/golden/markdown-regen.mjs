#!/usr/bin/env node
/**
 * Regenerates the Markdown report goldens (test/golden/markdown/<sample-slug>.md) that
 * test/report/markdown-golden.test.ts compares with: for every bundled sample — samples/docs/*.pb.gz
 * and samples/etcd-<version>/.../heap.pb.gz (series excluded) — and every pasted list report in
 * test/fixtures/list/, what `pprof-doctor analyze --format
 * markdown <sample>` prints, with the tool version fixed to GOLDEN. Mirrors test/report/helpers.ts.
 *
 * The goldens depend on the rules, the engine and the renderer: review the diff before committing
 * (`git diff test/golden/markdown`). Stale goldens (sample gone) are removed.
 *
 * Needs `npm run build` first (uses dist/). Run: node scripts/golden/markdown-regen.mjs
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);
const dist = (p) => import(join(root, 'dist', p));
const { loadProfile } = await dist('input/load.js');
const { analyzeProfiles } = await dist('diagnosis/engine.js');
const { loadRules } = await dist('diagnosis/load-rules-node.js');
const { renderReport } = await dist('report/render.js');
const { pprofTopRows } = await dist('report/top-rows.js');
await dist('profile/regex.js'); // top tables apply drop_frames

function slugOf(path) {
  return path
    .replace(/^samples\//, '')
    .replace(/^test\/fixtures\//, '')
    .replace(/\.pb\.gz$|\.pb$/, '')
    .replace(/\//g, '-');
}

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

function goldenSamples() {
  const all = [];
  walk('samples', all);
  walk('test/fixtures/list', all); // pasted list reports: their evidence names the hottest lines
  return all
    .map((p) => p.replace(/\\/g, '/'))
    .filter(
      (p) =>
        /^samples\/docs\/[^/]+\.pb\.gz$/.test(p) ||
        /^samples\/etcd-[^/]+\/(?!series\/).*\/?heap\.pb\.gz$/.test(p) ||
        /^test\/fixtures\/list\/[^/]+\.txt$/.test(p),
    )
    .sort();
}

const outDir = join(root, 'test', 'golden', 'markdown');
mkdirSync(outDir, { recursive: true });
const rules = await loadRules();
const wanted = new Set();
const counts = { new: 0, changed: 0, same: 0, removed: 0 };
for (const sample of goldenSamples()) {
  const profile = await loadProfile(sample);
  const inputs = [{ profile, name: sample }];
  const report = analyzeProfiles(inputs, rules, { top: pprofTopRows, topN: 10, toolVersion: 'GOLDEN' });
  const md = await renderReport(report, 'markdown', {
    inputs,
    command: `pprof-doctor analyze --format markdown ${sample}`,
  });
  const file = `${slugOf(sample)}.md`;
  wanted.add(file);
  const path = join(outDir, file);
  let old;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  const state = old === undefined ? 'new' : old === md ? 'same' : 'changed';
  counts[state]++;
  if (state !== 'same') writeFileSync(path, md);
  console.log(`${state.padEnd(8)} ${file}  (${report.diagnoses.map((d) => d.id).join(', ') || 'no diagnosis'})`);
}
for (const f of readdirSync(outDir)) {
  if (f.endsWith('.md') && !wanted.has(f)) {
    rmSync(join(outDir, f));
    counts.removed++;
    console.log(`removed  ${f}`);
  }
}
console.log(`\n${counts.new} new, ${counts.changed} changed, ${counts.same} unchanged, ${counts.removed} removed.`);
if (counts.new + counts.changed + counts.removed > 0)
  console.log('Review: git diff --stat test/golden/markdown && git diff test/golden/markdown');
