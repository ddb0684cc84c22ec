/**
 * Child process of the limits phase (run with --expose-gc): loads a profile file (a synthetic one
 * of scale k, named scaled-<k>.pb), runs `top`, and prints JSON with the input size, the memory the
 * parsed profile retains, and the RSS before and at its peak.
 * Usage: node --expose-gc mem-probe.mjs ROOT FILE
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, file] = process.argv.slice(2);
const k = Number(/(\d+)/.exec(basename(file))?.[1] ?? 0);
const m = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const [{ parseProfileBytes }, { nodeGunzip }, { top }] = await Promise.all([
  m('input/detect.js'),
  m('input/gzip-node.js'),
  m('analysis/top.js'),
]);
const used = () => {
  globalThis.gc();
  globalThis.gc();
  const u = process.memoryUsage();
  return u.heapUsed + u.external + u.arrayBuffers;
};
const rssBefore = process.memoryUsage().rss;
const bytes = new Uint8Array(readFileSync(file));
const before = used();
const t = performance.now();
const profile = parseProfileBytes(bytes, `scaled-${k}`, { gunzip: nodeGunzip });
const parseMs = performance.now() - t;
const afterParse = used();
const t2 = performance.now();
const report = top(profile, {});
const topMs = performance.now() - t2;
const afterTop = used();
process.stdout.write(
  `${JSON.stringify({
    k,
    inputBytes: bytes.length,
    samples: profile.samples.length,
    retainedAfterParse: afterParse - before,
    retainedAfterTop: afterTop - before,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeBytes: rssBefore,
    parseMs,
    topMs,
    rows: report.rows.length,
  })}\n`,
);
