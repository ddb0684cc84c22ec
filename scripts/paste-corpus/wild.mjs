#!/usr/bin/env node
/**
 * Paste shapes found in public issue threads that the main corpus (generate.mjs) does not make,
 * reproduced from the repository's own real profiles: one variant per shape and source.
 *
 *   node scripts/paste-corpus/wild.mjs [--out test/fixtures/paste-wild]
 *
 * Each shape is a structure seen in the wild (the issue named is an example of it, not a source of
 * text: nothing from those threads is copied here):
 *
 *  - expand-tabs:    a debug=1 text or a debug=2 dump whose tabs became spaces (a terminal or an
 *                    editor expanded them), under the `curl …` command pasted without its prompt
 *                    (etcd-io/etcd#7360);
 *  - diff-plus:      a top table pasted as the added lines of a ```` ```diff ```` block, a `+` in
 *                    front of every line (coveo/source.coveo.com#196);
 *  - glued-clock:    a dump copied from a log viewer whose time column (`6/13/2016 5:03:08 PM`)
 *                    is glued to each line with no separator (rancher/rancher-catalog#159);
 *  - lost-plus:      a tree/peek report from a web page that dropped the `+` characters of its
 *                    separators and column header (a question-and-answer page about -call_tree);
 *  - indented-block: a Markdown indented code block (4 spaces) under a line of prose
 *                    (traefik/traefik#462);
 *  - old-header:     a top table or tree with the header line of pprof before Go 1.10,
 *                    `X of Y total (P%)` (etcd-io/etcd#8076);
 *  - glued-fence:    a code fence typed on the first and last lines of the table it encloses
 *                    (```` ```Dropped 13 nodes … ````, distributed-system-analysis/pbench#572);
 *  - frames-only:    the `#` frame lines of one debug=1 heap record without its record line, which
 *                    holds the numbers (etcd-io/etcd#8830): must be refused, saying so;
 *  - stack-fragment: lines from inside one goroutine's stack of a debug=2 dump, no `goroutine N
 *                    [state]:` line, from journald with the file lines' tabs lost
 *                    (etcd-io/etcd#1750, kubernetes/kubernetes#94824): must be refused, saying so.
 *
 * Renderings use Go 1.19 (`go tool pprof`) and Go 1.24 (GOROOT=/work/debs/go124/…), as generate.mjs.
 * manifest.json lists each variant in the format of test/fixtures/paste/manifest.json (for the
 * runtime's own texts the source is the text file itself), plus `expectError` (a pattern of the
 * error) for the shapes that must be refused.
 * test/input/paste-wild.test.ts and test/cli/paste-wild-stdin.test.ts read them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

const GO124_ROOT = '/work/debs/go124/usr/lib/go-1.24';
const GO = {
  'go1.19': { bin: 'go', env: {} },
  'go1.24': { bin: `${GO124_ROOT}/bin/go`, env: { GOROOT: GO124_ROOT } },
};

function pprof(go, args) {
  const g = GO[go];
  return execFileSync(g.bin, ['tool', 'pprof', ...args], {
    cwd: root,
    env: { ...process.env, ...g.env, PPROF_TMPDIR: '/tmp' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 120_000,
  });
}

const read = (p) => readFileSync(join(root, p), 'utf8');

// ---------------------------------------------------------------------------------------------
// Shapes: each takes a text and returns the text as pasted.

/** Tabs to spaces at 8-column stops, as `expand` or a terminal's copy does. */
function expandTabs(text) {
  return text
    .split('\n')
    .map((l) => {
      let out = '';
      for (const ch of l) {
        if (ch === '\t') out += ' '.repeat(8 - (out.length % 8));
        else out += ch;
      }
      return out;
    })
    .join('\n');
}

const SHAPES = {
  'expand-tabs': (text, ctx) => `${ctx.command}\n${expandTabs(text)}`,
  'diff-plus': (text) =>
    `\`\`\`\`diff\n${text
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => `+${l}`)
      .join('\n')}\n\`\`\`\`\n`,
  'glued-clock': (text) => {
    let sec = 17 * 3600 + 3 * 60 + 8;
    return text
      .split('\n')
      .map((l, i) => {
        if (i % 40 === 39) sec++;
        const h = Math.floor(sec / 3600) % 12 || 12;
        const m = String(Math.floor(sec / 60) % 60).padStart(2, '0');
        const s = String(sec % 60).padStart(2, '0');
        return `6/13/2016 ${h}:${m}:${s} PM${l}`;
      })
      .join('\n');
  },
  'lost-plus': (text) =>
    text
      .split('\n')
      .map((l) => (/^\s*-{30,}\+-+\s*$/.test(l) ? l.replace('+', ' ') : l.replace(/\+ context\s*$/, 'context')))
      .join('\n'),
  'indented-block': (text) =>
    `Here is the dump we took after about two hours:\n\n${text
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l === '' ? '' : `    ${l}`))
      .join('\n')}\n`,
  'old-header': (text) =>
    text.replace(
      /^Showing nodes accounting for (\S+), (\S+%) of (\S+) total$/m,
      (_m, shown, pct, total) => `${shown} of ${total} total (${pct})`,
    ),
  'glued-fence': (text) => {
    // The table from its "Showing nodes" line on, the fence typed on that line and on the last.
    const from = text.indexOf('Showing nodes accounting for');
    return `\`\`\`${text.slice(from).replace(/\n$/, '')}\`\`\`\n`;
  },
  'frames-only': (text) => {
    // The `#` lines under the largest heap record (the first one after the header): its record
    // line, which holds the numbers, is above the cut.
    const lines = text.split('\n');
    const rec = lines.findIndex((l, i) => i > 0 && / @ 0x/.test(l));
    let end = rec + 1;
    while (end < lines.length && lines[end].startsWith('#')) end++;
    return `\`\`\`\n${lines.slice(rec + 1, end).join('\n')}\n`;
  },
  'stack-fragment': (text) => {
    // The middle of the first goroutine with a stack of 8 frames or more: no header, no
    // `created by` line; journald in front, tabs lost.
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^goroutine \d+ \[/.test(lines[i])) continue;
      let j = i + 1;
      while (j < lines.length && lines[j] !== '' && !lines[j].startsWith('created by ')) j++;
      if (j - i - 1 < 16) continue;
      const inner = lines.slice(i + 3, i + 13); // frames 2–6 (function and file lines)
      return `${inner.map((l) => `Apr 26 18:18:57 node-3 etcd[412644]: ${l.replace(/^\t/, '')}`).join('\n')}\n`;
    }
    throw new Error('no goroutine with a deep enough stack');
  },
};

// ---------------------------------------------------------------------------------------------

const WATCHERS = 'samples/etcd-3.4.23/many-watchers';
const RANGE = 'samples/etcd-3.4.23/large-range';
const LEADER = 'samples/docs/etcd-3.2.23-leader-heap.pb.gz';
const LEASES = 'samples/etcd-3.4.23/many-leases';
const CLIENT_LEAK = 'samples/clients/etcd-client-3.4/watch-leak/goroutine.debug2.txt';

/** [shape, form, source, sample type, Go, text] */
function variants() {
  const top = (go, src, si) => pprof(go, ['-top', `-sample_index=${si}`, src]);
  const tree = (go, src, si) => pprof(go, ['-tree', `-sample_index=${si}`, src]);
  const curl = (kind, debug) => `curl -s http://127.0.0.1:2379/debug/pprof/${kind}?debug=${debug}`;
  const v = [];
  const add = (shape, form, source, sampleIndex, go, text, extra = {}) =>
    v.push({ shape, form, source, sampleIndex, go, text, ...extra });

  // The runtime's texts are compared with themselves as written: the source is the text file.
  const text = (shape, form, path, sampleIndex, extra = {}) =>
    add(shape, form, path, sampleIndex, 'runtime', read(path), extra);
  text('expand-tabs', 'debug1-goroutine', `${WATCHERS}/goroutine.debug1.txt`, 'goroutine', {
    command: curl('goroutine', 1),
  });
  text('expand-tabs', 'debug1-heap', `${RANGE}/heap.debug1.txt`, 'inuse_space', { command: curl('heap', 1) });
  text('expand-tabs', 'debug2-goroutine', `${LEASES}/goroutine.debug2.txt`, 'goroutine', {
    command: curl('goroutine', 2),
  });
  add(
    'diff-plus',
    'top',
    `${WATCHERS}/heap.pb.gz`,
    'inuse_space',
    'go1.19',
    top('go1.19', `${WATCHERS}/heap.pb.gz`, 'inuse_space'),
  );
  add('diff-plus', 'top', `${RANGE}/cpu.pb.gz`, 'cpu', 'go1.24', top('go1.24', `${RANGE}/cpu.pb.gz`, 'cpu'));
  text('glued-clock', 'debug2-goroutine', CLIENT_LEAK, 'goroutine');
  add('lost-plus', 'tree', `${RANGE}/cpu.pb.gz`, 'cpu', 'go1.24', tree('go1.24', `${RANGE}/cpu.pb.gz`, 'cpu'));
  add(
    'lost-plus',
    'tree',
    `${WATCHERS}/heap.pb.gz`,
    'inuse_space',
    'go1.19',
    tree('go1.19', `${WATCHERS}/heap.pb.gz`, 'inuse_space'),
  );
  text('indented-block', 'debug2-goroutine', `${LEASES}/goroutine.debug2.txt`, 'goroutine');
  add('indented-block', 'top', LEADER, 'inuse_space', 'go1.19', top('go1.19', LEADER, 'inuse_space'));
  add('old-header', 'top', LEADER, 'inuse_space', 'go1.19', top('go1.19', LEADER, 'inuse_space'));
  add('old-header', 'top', `${RANGE}/cpu.pb.gz`, 'cpu', 'go1.24', top('go1.24', `${RANGE}/cpu.pb.gz`, 'cpu'));
  add(
    'old-header',
    'tree',
    `${WATCHERS}/heap.pb.gz`,
    'inuse_space',
    'go1.19',
    tree('go1.19', `${WATCHERS}/heap.pb.gz`, 'inuse_space'),
  );
  add(
    'glued-fence',
    'top',
    `${WATCHERS}/heap.pb.gz`,
    'inuse_space',
    'go1.24',
    top('go1.24', `${WATCHERS}/heap.pb.gz`, 'inuse_space'),
  );
  text('frames-only', 'debug1-heap', `${RANGE}/heap.debug1.txt`, 'inuse_space', {
    expectError: 'frame lines .* of a debug=1 profile, but no record line',
  });
  text('stack-fragment', 'debug2-goroutine', `${LEASES}/goroutine.debug2.txt`, 'goroutine', {
    expectError: 'frames of a goroutine traceback, but no "goroutine N \\[state\\]:" line',
  });
  return v;
}

function main() {
  const args = process.argv.slice(2);
  const out = args[0] === '--out' ? resolve(args[1]) : join(root, 'test/fixtures/paste-wild');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const manifest = [];
  for (const v of variants()) {
    const text = SHAPES[v.shape](v.text, v);
    const file = `${String(manifest.length + 1).padStart(2, '0')}-${v.shape}-${v.form}-${v.go}.txt`;
    writeFileSync(join(out, file), text);
    const entry = { file, source: v.source, sampleIndex: v.sampleIndex, form: v.form, go: v.go, transforms: [v.shape] };
    if (v.expectError) entry.expectError = v.expectError;
    manifest.push(entry);
  }
  writeFileSync(
    join(out, 'manifest.json'),
    `${JSON.stringify({ generator: relative(root, fileURLToPath(import.meta.url)), variants: manifest }, null, 1)}\n`,
  );
  console.log(`${manifest.length} variants in ${relative(root, out)}`);
}

main();
