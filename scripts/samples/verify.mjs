#!/usr/bin/env node
// Checks the rebuilt samples against the documents' tables with the real `go tool pprof`
// (needs Go; not part of the test suite). Prints a markdown comparison per file.
// Usage: node scripts/samples/verify.mjs [file-substring]

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseQuantity, parseTopTable } from './lib.mjs';
import { jobs } from './rebuild.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function pprof(args) {
  return execFileSync('go', ['tool', 'pprof', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Asia/Shanghai' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Re-prints a pprof quantity in the unit the document used ("369.53s" -> "6.16mins"). */
function inUnitOf(goText, docText) {
  if (goText === '0' || docText === '0') return goText === '0' ? '0' : goText;
  const g = parseQuantity(goText);
  const d = parseQuantity(docText);
  const s = ((g.value * g.unit) / d.unit).toFixed(2).replace(/\.00$/, '');
  return s + docText.replace(/^[-\d.]+/, '');
}

const filter = process.argv[2];
let failures = 0;
for (const [file, spec] of jobs) {
  if (filter && !file.includes(filter)) continue;
  const path = join(root, 'samples', 'docs', file);
  console.log(`\n### ${file}\n`);
  if (!spec.fixture) {
    console.log('```');
    console.log(pprof(['-top', '-nodecount=15', path]).trimEnd());
    console.log('```');
    continue;
  }
  const doc = parseTopTable(readFileSync(join(root, 'test', 'fixtures', 'docs', spec.fixture), 'utf8'));
  const out = pprof(['-top', '-nodecount=20', '-filefunctions', path]);
  const got = parseTopTable(out);
  console.log('| document row | flat | flat% | sum% | cum | cum% | pprof (same units) | match |');
  console.log('|---|---|---|---|---|---|---|---|');
  doc.rows.forEach((d, i) => {
    const g = got.rows[i];
    const gFlat = g ? inUnitOf(g.flat, d.flat) : '-';
    const gCum = g ? inUnitOf(g.cum, d.cum) : '-';
    const ok =
      g &&
      g.name === d.name &&
      g.file === d.file &&
      gFlat === d.flat &&
      gCum === d.cum &&
      g.flatPct === d.flatPct &&
      g.sumPct === d.sumPct &&
      g.cumPct === d.cumPct;
    if (!ok) failures++;
    const shortName = d.name.replace('github.com/coreos/etcd/cmd/vendor/', '…/');
    console.log(
      `| ${shortName}${d.file ? '' : ' (no file)'} | ${d.flat} | ${d.flatPct}% | ${d.sumPct}% | ${d.cum} | ${d.cumPct}% | ` +
        `${g ? `${gFlat} ${g.flatPct}% ${g.sumPct}% ${gCum} ${g.cumPct}%` : 'missing'} | ${ok ? 'yes' : `**no** (${g?.name})`} |`,
    );
  });
  const h = doc.header;
  const gh = got.header;
  const shownOk = inUnitOf(gh.shown, h.shown) === h.shown && gh.shownPct === h.shownPct;
  const totalOk = inUnitOf(gh.total, h.total) === h.total;
  if (!shownOk || !totalOk) failures++;
  console.log(
    `\nTotal: document ${h.total}, pprof ${gh.total} (${inUnitOf(gh.total, h.total)}) — ${totalOk ? 'same' : '**differs**'}; ` +
      `shown: document ${h.shown} ${h.shownPct}%, pprof ${inUnitOf(gh.shown, h.shown)} ${gh.shownPct}% — ${shownOk ? 'same' : '**differs**'}.`,
  );
  if (h.duration)
    console.log(`Duration: document ${h.duration} (${h.ratioPct}%), pprof ${gh.duration} (${gh.ratioPct}%).`);
  console.log(
    `Nodes: document "Dropped ${h.dropped} nodes", "out of ${h.nodesKept}"; pprof "Dropped ${gh.dropped} nodes", "out of ${gh.nodesKept}".`,
  );
}
if (failures) {
  console.error(`\n${failures} mismatches`);
  process.exit(1);
}
