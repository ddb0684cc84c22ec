#!/usr/bin/env node
/**
 * Regenerates the golden outputs of `go tool pprof` that test/golden/top.test.ts compares our
 * output with, byte for byte.
 *
 * For every profile of scripts/golden/cases.json it asks `go tool pprof -raw` for the sample
 * types, then runs `go tool pprof -top [options] <profile>` for each sample type x variant
 * (plus the extra option sets, -peek and -traces cases), with TZ=UTC so `Time:` is printed in
 * UTC like our default. Outputs go to test/golden/<profile-slug>/<command>[_<opt>,<opt>…].txt, and
 * test/golden/index.json lists every case with the sha256 of its profile (the test refuses to
 * compare against a profile that changed since) and, when pprof printed any, its stderr lines
 * (warnings such as "TagFocus expression matched no samples"), which the test compares with ours.
 *
 * Needs Go (Debian's go1.19 is the reference: its vendored pprof prints the old `Time:` layout).
 * Run: npm run golden   (or: node scripts/golden/regen.mjs)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const goldenDir = join(root, 'test', 'golden');
const cases = JSON.parse(readFileSync(join(root, 'scripts', 'golden', 'cases.json'), 'utf8'));

function go(args) {
  return execFileSync('go', ['tool', 'pprof', ...args], {
    cwd: root,
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  }).toString();
}

/** Runs `go tool pprof`, keeping its stderr: { status, stdout, stderr lines }. */
function goWithStderr(args) {
  const r = spawnSync('go', ['tool', 'pprof', ...args], {
    cwd: root,
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  });
  if (r.error) throw r.error;
  const stderr = r.stderr
    .toString()
    .split('\n')
    .filter((l) => l !== '');
  return { status: r.status, stdout: r.stdout.toString(), stderr };
}

/** Expands `*` inside path segments (no `**`). */
function expand(pattern) {
  const parts = pattern.split('/');
  let paths = [''];
  for (const part of parts) {
    const next = [];
    for (const base of paths) {
      if (!part.includes('*')) {
        next.push(base ? `${base}/${part}` : part);
        continue;
      }
      const re = new RegExp(`^${part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      let names = [];
      try {
        names = readdirSync(join(root, base || '.')).sort();
      } catch {
        continue;
      }
      for (const n of names) if (re.test(n)) next.push(base ? `${base}/${n}` : n);
    }
    paths = next;
  }
  return paths.filter((p) => {
    try {
      return statSync(join(root, p)).isFile();
    } catch {
      return false;
    }
  });
}

function slugOf(path) {
  return path
    .replace(/^samples\//, '')
    .replace(/^test\/fixtures\//, '')
    .replace(/\.pb\.gz$|\.pb$/, '')
    .replace(/\//g, '-');
}

function optSlug(args) {
  return args.map((a) => a.replace(/^-+/, '').replace(/[^A-Za-z0-9._=+-]/g, '_')).join(',');
}

function sampleTypes(path) {
  const raw = go(['-raw', path]).split('\n');
  const i = raw.indexOf('Samples:');
  if (i < 0) throw new Error(`${path}: no Samples: line in -raw output`);
  return raw[i + 1]
    .trim()
    .split(/\s+/)
    .map((t) => t.replace(/\[dflt\]$/, '').split('/')[0]);
}

const version = execFileSync('go', ['version']).toString().trim();
if (!/go1\.19\b/.test(version)) {
  console.warn(`warning: ${version}: the goldens are meant to be made with Debian's go1.19 pprof`);
}

// Start clean: remove what the previous run wrote (the directories its index names), and nothing
// else — other goldens (test/golden/diff/, …) and the tests live beside these.
mkdirSync(goldenDir, { recursive: true });
try {
  const previous = JSON.parse(readFileSync(join(goldenDir, 'index.json'), 'utf8'));
  const dirs = new Set(previous.cases.filter((c) => c.golden).map((c) => c.golden.split('/')[0]));
  for (const d of dirs) if (d && !d.includes('..')) rmSync(join(goldenDir, d), { recursive: true, force: true });
} catch {
  // No previous index: nothing to clean.
}

const index = [];
let failures = 0;

function record(profile, command, args, peekRegex) {
  const slug = slugOf(profile);
  const name = `${command}${args.length ? `_${optSlug(args)}` : ''}${peekRegex !== undefined ? `_${optSlug([peekRegex])}` : ''}.txt`;
  const file = `${slug}/${name}`;
  const flag = command === 'peek' ? [`-peek=${peekRegex}`] : [`-${command}`];
  const r = goWithStderr([...flag, ...args, profile]);
  const rx = peekRegex !== undefined ? { regex: peekRegex } : {};
  if (r.status !== 0) {
    // pprof refused (e.g. peek without a match): the case expects the same refusal from us.
    const msg = r.stderr.length ? r.stderr[r.stderr.length - 1] : `exit status ${r.status}`;
    if (!r.stderr.length) {
      failures++;
      console.error(`FAILED ${file}: ${msg}`);
      return;
    }
    index.push({ profile, command, args, ...rx, error: msg });
    return;
  }
  mkdirSync(join(goldenDir, slug), { recursive: true });
  writeFileSync(join(goldenDir, file), r.stdout);
  index.push({ profile, command, args, ...rx, golden: file, ...(r.stderr.length ? { stderr: r.stderr } : {}) });
}

const hashes = {};
for (const entry of cases.profiles) {
  const paths = expand(entry.path);
  if (paths.length === 0) console.warn(`warning: no profile matches ${entry.path}`);
  for (const profile of paths) {
    hashes[profile] = createHash('sha256')
      .update(readFileSync(join(root, profile)))
      .digest('hex');
    const types = sampleTypes(profile);
    const focus = entry.focus ?? 'main';
    if (!entry.skipTop) {
      for (const type of types) {
        for (const v of cases.variants) {
          const args = [`-sample_index=${type}`, ...v.map((a) => a.replace('{focus}', focus))];
          record(profile, 'top', args);
        }
      }
      // The default sample type with no option at all, as most people run it.
      record(profile, 'top', []);
    }
    for (const extra of entry.extra ?? []) record(profile, 'top', extra);
    for (const rx of entry.peek ?? []) record(profile, 'peek', [], rx);
    if (entry.traces) record(profile, 'traces', []);
    for (const extra of entry.tracesExtra ?? []) record(profile, 'traces', extra);
    console.log(`${profile}: ${types.join(', ')}`);
  }
}

// One case per line: readable diffs when goldens are regenerated.
const lines = [
  '{',
  `"generatedBy": ${JSON.stringify(`${version} (go tool pprof, TZ=UTC)`)},`,
  `"profiles": ${JSON.stringify(hashes, null, 1)},`,
  '"cases": [',
  index.map((c) => JSON.stringify(c)).join(',\n'),
  ']',
  '}',
];
writeFileSync(join(goldenDir, 'index.json'), `${lines.join('\n')}\n`);
console.log(`${index.length} golden files in ${relative(root, goldenDir)}${failures ? `, ${failures} failed` : ''}`);
process.exitCode = failures ? 1 : 0;
