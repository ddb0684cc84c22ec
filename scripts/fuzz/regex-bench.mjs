#!/usr/bin/env node
/**
 * Regex engine measurements for docs/robustness.md (run after `npm run build`):
 *   node scripts/fuzz/regex-bench.mjs
 *
 * 1. Catastrophic patterns against long names: re2js vs native RegExp (native runs in a worker
 *    thread that is killed after --limit-ms; exponential growth is shown on short inputs).
 * 2. Per-match cost on the names of a real profile (test/fixtures/large.cpu.pb.gz): re2js vs
 *    RegExp, for `--focus`-style patterns and for the built-in rules' frame patterns.
 * 3. End to end: `top --focus` on large.cpu with each engine (setRegexEngine).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RE2JS } from 're2js';
import { loadRuleTexts } from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const limitMs = Number(process.argv.find((a) => a.startsWith('--limit-ms='))?.slice(11) ?? 5000);
const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);

/** Runs native `new RegExp(src).test(input)` in a worker; resolves with ms, or null when killed. */
function nativeInWorker(src, input) {
  return new Promise((res) => {
    const w = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const re = new RegExp(workerData.src);
       const t = performance.now();
       const m = re.test(workerData.input);
       parentPort.postMessage({ ms: performance.now() - t, m });`,
      { eval: true, workerData: { src, input } },
    );
    const timer = setTimeout(() => {
      w.terminate();
      res(null);
    }, limitMs);
    w.once('message', (m) => {
      clearTimeout(timer);
      w.terminate();
      res(m);
    });
  });
}

function time(fn, minMs = 200) {
  let n = 0;
  const t = performance.now();
  let el = 0;
  do {
    fn();
    n++;
    el = performance.now() - t;
  } while (el < minMs);
  return el / n;
}

const fmt = (ms) =>
  ms === null
    ? `> ${limitMs / 1000} s (killed)`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(2)} s`
      : ms >= 1
        ? `${ms.toFixed(1)} ms`
        : ms >= 0.001
          ? `${(ms * 1000).toFixed(1)} µs`
          : `${(ms * 1e6).toFixed(0)} ns`;

async function catastrophic() {
  console.log('## 1. Catastrophic patterns\n');
  const cases = [
    ['(a+)+$', (n) => `${'a'.repeat(n)}!`],
    ['(a|a)*b', (n) => 'a'.repeat(n)],
    ['(x+x+)+y', (n) => 'x'.repeat(n)],
    ['^(\\w+\\s?)+$', (n) => `${'a'.repeat(n)}!`],
  ];
  console.log('| pattern | input | re2js | native RegExp |');
  console.log('| --- | --- | --- | --- |');
  for (const [src, make] of cases) {
    for (const n of [20, 24, 28, 10000]) {
      const input = make(n);
      const re = RE2JS.compile(src);
      const t = performance.now();
      re.test(input);
      const r2 = performance.now() - t;
      const nat = await nativeInWorker(src, input);
      console.log(`| \`${src}\` | ${input.length} chars | ${fmt(r2)} | ${fmt(nat?.ms ?? null)} |`);
    }
  }
  console.log();
}

async function perMatch() {
  console.log('## 2. Per-match cost on real names (large.cpu)\n');
  const [{ parseProfileBytes }, { nodeGunzip }] = await Promise.all([
    dist('input/detect.js'),
    dist('input/gzip-node.js'),
  ]);
  const p = parseProfileBytes(new Uint8Array(readFileSync(join(root, 'test/fixtures/large.cpu.pb.gz'))), 'large.cpu', {
    gunzip: nodeGunzip,
  });
  const names = [...new Set(p.functions.map((f) => f.name).concat(p.functions.map((f) => f.filename)))];
  const avg = names.reduce((a, s) => a + s.length, 0) / names.length;
  console.log(`${names.length} distinct function and file names, ${avg.toFixed(0)} characters on average.\n`);
  const focus = [
    'etcdserver',
    'runtime\\.',
    'MVCC|mvcc',
    'main\\.(main|run)',
    'time\\.now$',
    '^github\\.com/.*/transport\\.',
  ];
  const { patternSource } = await dist('diagnosis/patterns.js').catch(() => ({}));
  const rulePatterns = [];
  if (patternSource) {
    const { parse } = await import('yaml');
    const collect = (v) => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (!['frame', 'under', 'notUnder'].includes(k)) {
            collect(x);
            continue;
          }
          for (const s of [x].flat()) if (typeof s === 'string') rulePatterns.push(s);
        }
      }
    };
    for (const r of loadRuleTexts(root)) collect(parse(r.text));
  }
  const row = (label, sources) => {
    const nat = sources.map((s) => new RegExp(s));
    const re2 = sources.map((s) => RE2JS.compile(s));
    const runNat = () => {
      for (const r of nat) for (const s of names) r.test(s);
    };
    const runRe2 = () => {
      for (const r of re2) for (const s of names) r.test(s);
    };
    runNat();
    runRe2();
    const tn = Math.min(time(runNat), time(runNat));
    const tr = Math.min(time(runRe2), time(runRe2));
    const tests = sources.length * names.length;
    console.log(
      `| ${label} | ${sources.length} | ${fmt(tr / tests)} | ${fmt(tn / tests)} | ${(tr / tn).toFixed(1)}× | ${fmt(tr)} |`,
    );
  };
  console.log('| patterns | count | re2js per test | RegExp per test | ratio | re2js, all names × all patterns |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  row('`--focus`-style', focus);
  if (rulePatterns.length)
    row(
      'built-in rule frame patterns',
      rulePatterns.map((s) => patternSource(s)),
    );
  console.log();
  return p;
}

async function endToEnd(p) {
  console.log('## 3. End to end: top --focus on large.cpu\n');
  const [{ top }, filter, { re2 }] = await Promise.all([
    dist('analysis/top.js'),
    dist('profile/filter.js'),
    dist('profile/regex.js'),
  ]);
  const native = (src) => {
    const re = new RegExp(src);
    return { source: src, test: (s) => re.test(s) };
  };
  console.log('| options | re2js | native RegExp |');
  console.log('| --- | --- | --- |');
  for (const opts of [
    {},
    { focus: 'etcdserver' },
    { focus: 'runtime\\.', hide: 'runtime\\.(mallocgc|memmove)', cum: true },
  ]) {
    // Alternate the engines and keep the best of three rounds each: the first runs pay for JIT.
    let a = Number.POSITIVE_INFINITY;
    let b = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 3; round++) {
      filter.setRegexEngine(re2);
      a = Math.min(
        a,
        time(() => top(p, opts), 300),
      );
      filter.setRegexEngine(native);
      b = Math.min(
        b,
        time(() => top(p, opts), 300),
      );
    }
    filter.setRegexEngine(re2);
    console.log(`| \`${JSON.stringify(opts)}\` | ${fmt(a)} | ${fmt(b)} |`);
  }
  console.log();
}

await catastrophic();
const p = await perMatch();
await endToEnd(p);
process.exit(0);
