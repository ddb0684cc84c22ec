#!/usr/bin/env node
/**
 * Paste corpus generator: profile text as people paste it, made from the repository's real
 * profiles.
 *
 *   node scripts/paste-corpus/generate.mjs [--seed 11] [--out test/fixtures/paste] [--max-bytes 2500000]
 *
 * 1. Renders every text form of each source profile (samples/etcd-3.4.23/*, samples/docs/*) with
 *    Go's pprof, twice: Go 1.19 (`go tool pprof`) and Go 1.24 (GOROOT=/work/debs/go124/…): top,
 *    peek (of the 5 largest flat functions), tree, list (of the 3 largest, with Go's own source on
 *    the source path so runtime routines show their lines), traces, raw, and a top table followed
 *    by a list block. The runtime's own debug=1 and debug=2 texts in samples/ are taken as they are.
 * 2. Makes variants of each rendering, seeded: one or two of the transformations a paste goes
 *    through (prompts and commands, journald / RFC 3339 / klog log prefixes, CRLF, `> ` quotes,
 *    code fences, HTML escaping, collapsed white space, hard wraps, hand notes, Windows paths) and
 *    often a cut at a random row (the head kept, as `| head` does, or the top lost, as a scrolled
 *    terminal or `grep -A` does).
 *    peek and list show only the functions asked for (the manifest's `selection`), which is a cut
 *    of its own: the rest of the profile is not in the text.
 * 3. Writes a seeded sample of the variants (at most --max-bytes in all, each at most 64 kB) and
 *    manifest.json: for each variant its file, source profile, sample type, form, Go version,
 *    transformations and cut.
 *
 * Nothing here decides what a variant should diagnose: test/input/paste-corpus.test.ts analyses
 * each variant and its source profile with the library and compares.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../fuzz/prng.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

function parseArgs(argv) {
  const o = { seed: 11, out: join(root, 'test/fixtures/paste'), maxBytes: 2_500_000, perBase: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--out') o.out = resolve(argv[++i]);
    else if (a === '--max-bytes') o.maxBytes = Number(argv[++i]);
    else if (a === '--per-base') o.perBase = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const GO124_ROOT = '/work/debs/go124/usr/lib/go-1.24';
const GOS = [
  { id: 'go1.19', bin: 'go', env: {} },
  { id: 'go1.24', bin: `${GO124_ROOT}/bin/go`, env: { GOROOT: GO124_ROOT } },
];

/** Source profiles and the sample types rendered from each. */
function sources() {
  const out = [];
  const etcd = 'samples/etcd-3.4.23';
  for (const scenario of ['count-only', 'large-range', 'many-leases', 'many-watchers', 'idle']) {
    const dir = `${etcd}/${scenario}`;
    out.push({ path: `${dir}/heap.pb.gz`, sampleIndex: 'inuse_space' });
    out.push({ path: `${dir}/heap.pb.gz`, sampleIndex: 'alloc_space' });
    out.push({ path: `${dir}/cpu.pb.gz`, sampleIndex: 'cpu' });
    out.push({ path: `${dir}/goroutine.pb.gz`, sampleIndex: 'goroutine' });
    if (scenario !== 'idle') out.push({ path: `${dir}/mutex.pb.gz`, sampleIndex: 'delay' });
  }
  for (const f of readdirSync(join(root, 'samples/docs')).sort()) {
    if (!f.endsWith('.pb.gz')) continue;
    out.push({ path: `samples/docs/${f}`, sampleIndex: f.includes('cpu') ? 'cpu' : 'inuse_space' });
  }
  return out;
}

/** The runtime's own texts, with the proto fetched at the same moment as their source. */
function runtimeTexts() {
  const out = [];
  const etcd = 'samples/etcd-3.4.23';
  for (const scenario of ['count-only', 'large-range', 'many-leases', 'many-watchers', 'idle']) {
    const dir = `${etcd}/${scenario}`;
    out.push({
      form: 'debug1-heap',
      file: `${dir}/heap.debug1.txt`,
      source: `${dir}/heap.pb.gz`,
      sampleIndex: 'inuse_space',
    });
    out.push({
      form: 'debug1-goroutine',
      file: `${dir}/goroutine.debug1.txt`,
      source: `${dir}/goroutine.pb.gz`,
      sampleIndex: 'goroutine',
    });
    out.push({
      form: 'debug2-goroutine',
      file: `${dir}/goroutine.debug2.txt`,
      source: `${dir}/goroutine.pb.gz`,
      sampleIndex: 'goroutine',
    });
  }
  return out;
}

function pprof(go, args) {
  try {
    return execFileSync(go.bin, ['tool', 'pprof', ...args], {
      cwd: root,
      env: { ...process.env, ...go.env, PPROF_TMPDIR: '/tmp' },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 120_000,
    });
  } catch (err) {
    return typeof err.stdout === 'string' ? err.stdout : '';
  }
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The names of the `n` largest flat rows of a top table. */
function topNames(topText, n) {
  const names = [];
  for (const l of topText.split('\n')) {
    const m = /^\s*\S+\s+\S+%\s+\S+%\s+\S+\s+\S+%\s+(.+?)\s*$/.exec(l);
    if (m && !m[1].startsWith('|')) names.push(m[1].replace(/ \((?:partial-)?inline\)$/, ''));
    if (names.length >= n) break;
  }
  return names;
}

function renderings(src, go) {
  const goroot = execFileSync(go.bin, ['env', 'GOROOT'], {
    env: { ...process.env, ...go.env },
    encoding: 'utf8',
  }).trim();
  const si = [`-sample_index=${src.sampleIndex}`];
  const top = pprof(go, ['-top', ...si, src.path]);
  const out = [{ form: 'top', text: top }];
  const names = topNames(top, 5);
  if (names.length > 0) {
    const peek = pprof(go, ['-peek', `^(?:${names.map(escapeRe).join('|')})$`, ...si, src.path]);
    out.push({ form: 'peek', text: peek, selection: names });
    const list = pprof(go, [
      '-list',
      `^(?:${names.slice(0, 3).map(escapeRe).join('|')})$`,
      `-source_path=${goroot}/src`,
      ...si,
      src.path,
    ]);
    out.push({ form: 'list', text: list, selection: names.slice(0, 3) });
    out.push({ form: 'top+list', text: `${top}\n${list}` });
  }
  out.push({ form: 'tree', text: pprof(go, ['-tree', ...si, src.path]) });
  out.push({ form: 'traces', text: pprof(go, ['-traces', ...si, src.path]) });
  out.push({ form: 'raw', text: pprof(go, ['-raw', src.path]) });
  return out.filter((r) => r.text.trim() !== '');
}

// ---------------------------------------------------------------------------------------------
// Transformations: each takes (text, rng, ctx) and returns text.

const pad = (n, w = 2) => String(n).padStart(w, '0');

function eachLine(text, f) {
  const lines = text.split('\n');
  const last = lines.length - 1;
  return lines.map((l, i) => (i === last && l === '' ? l : f(l, i))).join('\n');
}

const TRANSFORMS = {
  prompt(text, rng, ctx) {
    const cmd = ctx.command;
    const after = rng.bool() ? '\n$ ' : '';
    if (ctx.form.startsWith('debug') || !rng.bool(0.5)) return `$ ${cmd}\n${text}${after}`;
    // The interactive shell: the report's command after a (pprof) prompt.
    return `$ go tool pprof ${ctx.sourceName}\nEntering interactive mode (type "help" for commands, "o" for options)\n(pprof) ${ctx.interactive}\n${text}(pprof) `;
  },
  journald(text, rng) {
    const pid = 1000 + rng.int(900000);
    let sec = rng.int(86400);
    return eachLine(text, (l) => {
      if (rng.bool(0.05)) sec++;
      const t = `${pad(Math.floor(sec / 3600) % 24)}:${pad(Math.floor(sec / 60) % 60)}:${pad(sec % 60)}`;
      return `Apr 26 ${t} node-3 etcd[${pid}]: ${l}`;
    });
  },
  rfc3339(text, rng) {
    let ns = rng.int(1e9);
    return eachLine(text, (l) => {
      ns = (ns + rng.int(20000)) % 1e9;
      const frac = String(ns).padStart(9, '0').replace(/0+$/, '');
      return `2024-05-01T10:00:0${rng.int(10)}${frac ? `.${frac}` : ''}Z ${l}`;
    });
  },
  klog(text, rng) {
    const line = 100 + rng.int(400);
    return eachLine(
      text,
      (l) => `E0426 18:18:${pad(rng.int(60))}.${pad(rng.int(1e6), 6)}       1 stackdump.go:${line}] ${l}`,
    );
  },
  crlf: (text) => text.replace(/\n/g, '\r\n'),
  quote: (text) => eachLine(text, (l) => (l === '' ? '>' : `> ${l}`)),
  fence: (text, rng) => `Here is what we see:\n\n\`\`\`${rng.bool() ? 'text' : ''}\n${text}\`\`\`\n`,
  html: (text) => `<pre>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre>\n`,
  collapse: (text) => eachLine(text, (l) => l.replace(/[ \t]+/g, ' ').trim()),
  wrap(text, rng) {
    const w = rng.pick([80, 100, 120]);
    return eachLine(text, (l) => {
      const parts = [];
      for (let i = 0; i < l.length; i += w) parts.push(l.slice(i, i + w));
      return parts.length ? parts.join('\n') : l;
    });
  },
  notes(text, rng) {
    const lines = text.split('\n');
    const rows = lines
      .map((l, i) => [l, i])
      .filter(([l]) => /\d/.test(l) && l.trim().length > 20 && !/^\s*(?:File|Type|Time|ROUTINE)\b/.test(l));
    for (let k = 0; k < 2 && rows.length > 0; k++) {
      const [, i] = rng.pick(rows);
      lines[i] = `${lines[i]}   ${rng.pick(['<-- this one', '<== leak?', '// grows every hour', '# look here'])}`;
    }
    return lines.join('\n');
  },
  winpaths(text) {
    // Absolute file paths in file columns become a Windows checkout's.
    return text.replace(/(^|[\s\t])\/(?:[\w.@+-]+\/)+([\w.+-]+\.(?:go|s))(:\d+)/gm, (_m, pre, file, ln) => {
      return `${pre}C:\\Users\\dev\\go\\src\\app\\${file}${ln}`;
    });
  },
};

/** Which transformations make sense on a form (a top table has no file column for winpaths). */
function transformsFor(form) {
  const all = Object.keys(TRANSFORMS);
  if (form === 'debug2-goroutine' || form.startsWith('debug1')) return all;
  return all.filter((t) => t !== 'winpaths');
}

function cut(text, rng, form) {
  const lines = text.split('\n');
  if (lines.length < 8) return { text, cut: undefined };
  // The head of the text (`| head -n N`), or its tail (a scrolled terminal, `grep -A`): only
  // for forms whose records stand alone.
  const tailOk = form.startsWith('debug') || form === 'traces' || form === 'peek' || form === 'tree' || form === 'list';
  if (tailOk && rng.bool(0.4)) {
    const from = 1 + rng.int(Math.floor(lines.length * 0.6));
    return { text: lines.slice(from).join('\n'), cut: { keep: 'tail', fromLine: from + 1, of: lines.length } };
  }
  const n = Math.max(4, Math.floor(lines.length * (0.3 + 0.7 * rng.float())));
  let t = lines.slice(0, n).join('\n');
  const mid = rng.bool(0.3);
  if (mid) t = t.slice(0, t.length - rng.int(Math.min(20, lines[n - 1].length + 1)));
  else t += '\n';
  return { text: t, cut: { keep: 'head', lines: n, of: lines.length, midLine: mid } };
}

function commandFor(form, src, sampleIndex) {
  if (form.startsWith('debug')) {
    const kind = form.split('-')[1];
    const debug = form.startsWith('debug1') ? 1 : 2;
    return {
      command: `curl -s http://127.0.0.1:2379/debug/pprof/${kind}?debug=${debug} | head -n 400`,
      interactive: '',
    };
  }
  const f = form === 'top+list' ? 'top' : form;
  return { command: `go tool pprof -${f} -sample_index=${sampleIndex} ${src}`, interactive: f };
}

/** Sources whose renderings are also kept untouched (forms/), keyed for the file names. */
const PRISTINE = {
  'samples/etcd-3.4.23/many-watchers/heap.pb.gz#inuse_space': 'watchers-heap',
  'samples/etcd-3.4.23/large-range/cpu.pb.gz#cpu': 'range-cpu',
};

function main() {
  const o = parseArgs(process.argv.slice(2));
  const rng = new Rng(o.seed, 0);
  const bases = [];
  for (const src of sources()) {
    for (const go of GOS) {
      for (const r of renderings(src, go)) {
        bases.push({ ...r, source: src.path, sampleIndex: src.sampleIndex, go: go.id });
      }
    }
  }
  for (const t of runtimeTexts()) {
    bases.push({
      form: t.form,
      text: readFileSync(join(root, t.file), 'utf8'),
      source: t.source,
      sampleIndex: t.sampleIndex,
      go: 'runtime',
      from: t.file,
    });
  }
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  // A seeded order, so that the byte budget takes a spread of sources, forms and Go versions.
  const order = bases
    .map((_b, i) => [rng.float(), i])
    .sort((a, b) => a[0] - b[0])
    .map(([, i]) => bases[i]);
  const manifest = [];
  let bytes = 0;
  let n = 0;
  for (const base of order) {
    for (let k = 0; k < o.perBase; k++) {
      const vr = new Rng(o.seed, ++n);
      const pool = transformsFor(base.form);
      const picks = [];
      const howMany = vr.bool(0.15) ? 0 : vr.bool(0.7) ? 1 : 2;
      while (picks.length < howMany) {
        const t = vr.pick(pool);
        if (!picks.includes(t)) picks.push(t);
      }
      // Order as it happens: the text is cut, then logged or quoted, then wrapped or escaped.
      let text = base.text;
      let c;
      if (vr.bool(0.5) || text.length > 64_000) {
        const r = cut(text, vr, base.form);
        text = r.text;
        c = r.cut;
        for (let tries = 0; text.length > 64_000 && tries < 5; tries++) {
          const again = cut(text, vr, base.form);
          text = again.text;
          c = again.cut && { ...again.cut, repeated: tries + 1 };
        }
        if (text.length > 64_000) continue;
      }
      const { command, interactive } = commandFor(base.form, base.source, base.sampleIndex);
      const ctx = { form: base.form, command, interactive, sourceName: base.source.split('/').pop() };
      const rank = [
        'prompt',
        'winpaths',
        'notes',
        'journald',
        'rfc3339',
        'klog',
        'quote',
        'fence',
        'collapse',
        'wrap',
        'html',
        'crlf',
      ];
      picks.sort((a, b) => rank.indexOf(a) - rank.indexOf(b));
      for (const t of picks) text = TRANSFORMS[t](text, vr, ctx);
      if (bytes + text.length > o.maxBytes) continue;
      const id = `${String(manifest.length + 1).padStart(3, '0')}-${base.form.replace('+', '-')}-${base.go}`;
      const file = `${id}.txt`;
      writeFileSync(join(o.out, file), text);
      bytes += text.length;
      const entry = {
        file,
        source: base.source,
        sampleIndex: base.sampleIndex,
        form: base.form,
        go: base.go,
        transforms: picks,
      };
      if (base.from) entry.renderedFrom = base.from;
      if (base.selection) entry.selection = base.selection;
      if (c) entry.cut = c;
      manifest.push(entry);
    }
  }
  // Untouched renderings of two sources, one per form and Go version: the per-form tests read these.
  const pristine = [];
  mkdirSync(join(o.out, 'forms'), { recursive: true });
  for (const base of bases) {
    const key = PRISTINE[`${base.source}#${base.sampleIndex}`];
    if (!key || base.go === 'runtime') continue;
    const file = `forms/${base.form.replace('+', '-')}-${base.go}-${key}.txt`;
    writeFileSync(join(o.out, file), base.text);
    const entry = {
      file,
      source: base.source,
      sampleIndex: base.sampleIndex,
      form: base.form,
      go: base.go,
      transforms: [],
    };
    if (base.selection) entry.selection = base.selection;
    pristine.push(entry);
  }
  manifest.push(...pristine);
  writeFileSync(
    join(o.out, 'manifest.json'),
    `${JSON.stringify({ generator: relative(root, fileURLToPath(import.meta.url)), seed: o.seed, variants: manifest }, null, 1)}\n`,
  );
  console.log(
    `${manifest.length} variants of ${bases.length} renderings, ${(bytes / 1e6).toFixed(2)} MB in ${relative(root, o.out)}`,
  );
}

main();
