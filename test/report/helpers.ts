/**
 * Builds analysis reports the way `pprof-doctor analyze` does (built-in rules, pprof's `top` for
 * the top tables), and lists the bundled samples the Markdown goldens and the JSON Schema test
 * cover. scripts/golden/markdown-regen.mjs mirrors `goldenSamples` and `goldenMarkdown`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type AnalyzeInput, analyzeProfiles } from '../../src/diagnosis/engine.js';
import { loadRules } from '../../src/diagnosis/load-rules-node.js';
import type { AnalysisReport } from '../../src/diagnosis/report.js';
import type { Rule } from '../../src/diagnosis/schema.js';
import { loadProfile } from '../../src/input/load.js';
// top tables apply drop_frames, as the CLI does after loading the regex engine.
import '../../src/profile/regex.js';
import { renderReport } from '../../src/report/render.js';
import { pprofTopRows } from '../../src/report/top-rows.js';

let rules: Promise<Rule[]> | undefined;

export function builtinRules(): Promise<Rule[]> {
  rules ??= loadRules();
  return rules;
}

/** Loads the files (named as given, relative to the repository root) and analyses them together. */
export async function reportFor(
  paths: string[],
  toolVersion = 'GOLDEN',
): Promise<{ report: AnalysisReport; inputs: AnalyzeInput[] }> {
  const inputs: AnalyzeInput[] = [];
  for (const p of paths) inputs.push({ profile: await loadProfile(p), name: p });
  const report = analyzeProfiles(inputs, await builtinRules(), { top: pprofTopRows, topN: 10, toolVersion });
  return { report, inputs };
}

/** Golden file name of a sample: samples/etcd-3.4.23/idle/heap.pb.gz → etcd-3.4.23-idle-heap. */
export function slugOf(path: string): string {
  return path
    .replace(/^samples\//, '')
    .replace(/^test\/fixtures\//, '')
    .replace(/\.pb\.gz$|\.pb$/, '')
    .replace(/\//g, '-');
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/**
 * The bundled samples with a Markdown golden: samples/docs/*.pb.gz (rebuilt from the source
 * documents) and every samples/etcd-3.4.23/ ... /heap.pb.gz (real profiles; series excluded).
 */
export function goldenSamples(root = '.'): string[] {
  const out: string[] = [];
  const all: string[] = [];
  try {
    walk(join(root, 'samples'), all);
  } catch {
    return out;
  }
  for (const p of all) {
    const rel = p.slice(root === '.' ? 0 : root.length + 1).replace(/\\/g, '/');
    if (/^samples\/docs\/[^/]+\.pb\.gz$/.test(rel)) out.push(rel);
    else if (/^samples\/etcd-[^/]+\/(?!series\/).*\/?heap\.pb\.gz$/.test(rel)) out.push(rel);
  }
  // Pasted list reports (test/fixtures/list): their evidence names the hottest lines.
  try {
    for (const f of readdirSync(join(root, 'test/fixtures/list')))
      if (/^[^/]+\.txt$/.test(f)) out.push(`test/fixtures/list/${f}`);
  } catch {
    // no list fixtures
  }
  return out.sort();
}

/** The Markdown golden of one sample: what `analyze --format markdown <sample>` prints. */
export async function goldenMarkdown(sample: string): Promise<string> {
  const { report, inputs } = await reportFor([sample]);
  return renderReport(report, 'markdown', { inputs, command: `pprof-doctor analyze --format markdown ${sample}` });
}
