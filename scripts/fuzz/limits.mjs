/**
 * The limits phase of `npm run fuzz`: inputs built to hit resource limits rather than parser
 * corners. Each check prints one row: what, outcome, time, and whether it met the bar.
 *
 *  - gzip bombs (10 GiB of zeros as members, as one crafted deflate stream, gzipped twice) under a
 *    64 MiB cap (must be refused in < 1 s) and under the default cap (measured, reported);
 *  - a sample with a 1,000,000-frame stack: parse, top, filters, traces, flame tree, analyze;
 *  - a goroutine dump with a 100,000-frame goroutine;
 *  - a rule file nested 100,000 levels deep (lists) and 50,000 (maps, to stay under the size cap);
 *  - memory: a synthetic profile at 1×, 2×, 4× size, loaded in a child process: retained heap and
 *    peak RSS growth.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyError } from './cases.mjs';
import { loadDistLib } from './lib.mjs';
import { deepGoroutineDump, deepStackProfile, deepYaml, gzipBomb, scaledProfile } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1 << 20;

function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

function fmtBytes(n) {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${(n / 1024).toFixed(0)} KiB`;
}

function timed(lib, fn) {
  const t = performance.now();
  try {
    const v = fn();
    return { ms: performance.now() - t, outcome: 'ok', value: v };
  } catch (err) {
    const c = classifyError(lib, err);
    return { ms: performance.now() - t, outcome: c.outcome, reason: c.reason };
  }
}

function printTable(header, rows) {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((x) => String(x[i]).length)));
  console.log(header.map((h, i) => h.padEnd(w[i])).join('  '));
  for (const x of rows) console.log(x.map((c, i) => String(c).padEnd(w[i])).join('  '));
}

/** The default cap (4 GiB), in a child process: the time and peak memory a bomb costs by default. */
function defaultCapBombRow(root) {
  const script = `
    const { parseProfileBytes } = await import(${JSON.stringify(join(root, 'dist/input/detect.js'))});
    const { nodeGunzip } = await import(${JSON.stringify(join(root, 'dist/input/gzip-node.js'))});
    const { gzipBomb } = await import(${JSON.stringify(join(here, 'synth.mjs'))});
    const b = gzipBomb(10240, 'stream');
    const t = performance.now();
    let msg = 'accepted';
    try { parseProfileBytes(b, 'bomb.pb.gz', { gunzip: nodeGunzip }); } catch (e) { msg = e.message; }
    console.log(JSON.stringify({ ms: performance.now() - t, msg, maxRss: process.resourceUsage().maxRSS * 1024 }));`;
  try {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    const j = JSON.parse(out.trim().split('\n').pop());
    return {
      // Refused by the size cap, the ratio, or (since the gzip head check) as not a profile at all.
      outcome: j.msg === 'accepted' ? 'ok' : 'rejected',
      reason: `${j.msg.slice(0, 48)}… peak RSS ${(j.maxRss / MiB).toFixed(0)} MiB`,
      ms: j.ms,
    };
  } catch (err) {
    return { outcome: 'failure', reason: String(err.message).split('\n')[0], ms: 0 };
  }
}

/**
 * Issue #13's reproducers, each in a fresh child process (so its peak RSS is its own): the time
 * (CPU time, user + sys, and wall; on a shared machine wall time measures the other jobs) and the
 * peak RSS. `body` runs with `lib` (dist's modules) and `synth` in scope and returns a string.
 */
function childCheck(root, body) {
  const script = `
    const d = (p) => import(${JSON.stringify(join(root, 'dist'))} + '/' + p);
    const lib = { ...(await d('input/detect.js')), ...(await d('input/gzip-node.js')), ...(await d('analysis/top.js')),
      ...(await d('report/html/data.js')), ...(await d('diagnosis/patterns.js')) };
    await d('profile/regex.js');
    const synth = await import(${JSON.stringify(join(here, 'synth.mjs'))});
    const input = await (async () => { ${body.setup ?? 'return undefined;'} })();
    const c0 = process.cpuUsage();
    const t = performance.now();
    let msg;
    try { msg = 'ok: ' + (await (async () => { ${body.run} })()); } catch (e) { msg = 'rejected: ' + e.message; }
    const cpu = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms: performance.now() - t, cpuMs: (cpu.user + cpu.system) / 1000, msg,
      maxRss: process.resourceUsage().maxRSS * 1024 }));`;
  try {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    const j = JSON.parse(out.trim().split('\n').pop());
    return {
      outcome: j.msg.startsWith('ok') ? 'ok' : 'rejected',
      reason: `${j.msg.replace(/^(ok|rejected): /, '').slice(0, 60)}`,
      ms: j.ms,
      cpuMs: j.cpuMs,
      rss: j.maxRss,
    };
  } catch (err) {
    return { outcome: 'failure', reason: String(err.message).split('\n')[0], ms: 0, cpuMs: 0, rss: 0 };
  }
}

/** Loads scaled profiles (written to files first, so the child's RSS is the load's) in child processes. */
function memoryProbe(root) {
  const out = [];
  const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-mem-'));
  try {
    for (const k of [1, 2, 4]) {
      const file = join(tmp, `scaled-${k}.pb`);
      writeFileSync(file, scaledProfile(k, 200_000));
      const text = execFileSync(process.execPath, ['--expose-gc', join(here, 'mem-probe.mjs'), root, file], {
        encoding: 'utf8',
        timeout: 300_000,
      });
      out.push(JSON.parse(text.trim().split('\n').pop()));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

export async function runLimits(root, { defaultCapBomb = true } = {}) {
  process.removeAllListeners('warning');
  process.on('warning', () => undefined);
  const lib = await loadDistLib(root);
  const rows = [];
  let ok = true;
  const row = (what, r, bar, pass) => {
    const outcome = r.outcome === 'ok' ? 'ok' : `${r.outcome}: ${String(r.reason ?? '').slice(0, 70)}`;
    rows.push([what, outcome, fmtMs(r.ms), bar, pass ? 'yes' : 'NO']);
    if (!pass) ok = false;
  };
  console.log('\nLimits:\n');

  // ---- gzip bombs
  const bombs = [
    ['10 GiB zeros, 10240 gzip members', gzipBomb(10240, 'members')],
    ['10 GiB zeros, one crafted deflate stream', gzipBomb(10240, 'stream')],
    ['10 GiB zeros, crafted stream gzipped twice', gzipBomb(10240, 'nested')],
  ];
  for (const [what, bytes] of bombs) {
    const r = timed(lib, () => lib.parseProfileBytes(bytes, 'bomb.pb.gz', { gunzip: lib.gunzip, maxSize: 64 * MiB }));
    row(`${what} (${fmtBytes(bytes.length)}), cap 64 MiB`, r, 'refused < 1 s', r.outcome === 'rejected' && r.ms < 1000);
  }
  if (defaultCapBomb) {
    const r = defaultCapBombRow(root);
    row('10 GiB crafted stream, default cap', r, 'refused (measured)', r.outcome === 'rejected');
  }

  // ---- deep stacks
  let p;
  let r = timed(lib, () => {
    p = lib.parseProfileBytes(deepStackProfile(1_000_000, 1000), 'deep.pb', { gunzip: lib.gunzip });
  });
  row('1,000,000-frame stack: parse', r, 'ok', r.outcome === 'ok');
  if (p) {
    r = timed(lib, () => lib.formatTop(lib.top(p, {}), {}));
    row('1,000,000-frame stack: top', r, 'ok < 2 s', r.outcome === 'ok' && r.ms < 2000);
    r = timed(lib, () => lib.formatTop(lib.top(p, { focus: 'rec99', hide: 'rec1$', cum: true }), {}));
    row('1,000,000-frame stack: top --focus --hide', r, 'ok < 2 s', r.outcome === 'ok' && r.ms < 2000);
    r = timed(lib, () => lib.formatTraces(lib.traces(p, {}), {}).length);
    row('1,000,000-frame stack: traces (prints 1M lines)', r, 'ok', r.outcome === 'ok');
    r = timed(lib, () => lib.buildFlameTree(p));
    row('1,000,000-frame stack: flame-graph tree', r, 'ok', r.outcome === 'ok');
    r = timed(lib, () => lib.analyzeProfiles([{ profile: p, name: 'deep.pb' }], lib.rules, {}));
    row('1,000,000-frame stack: analyze (built-in rules)', r, 'ok', r.outcome === 'ok');
  }
  let g;
  r = timed(lib, () => {
    g = lib.parseProfileBytes(new TextEncoder().encode(deepGoroutineDump(100_000)), 'dump.txt', {});
  });
  row('goroutine dump, 100,000-frame goroutine: parse', r, 'ok < 2 s', r.outcome === 'ok' && r.ms < 2000);
  if (g) {
    r = timed(lib, () => lib.formatTop(lib.top(g, {}), {}));
    row('goroutine dump, 100,000-frame goroutine: top', r, 'ok', r.outcome === 'ok');
    r = timed(lib, () => lib.buildFlameTree(g));
    row('goroutine dump, 100,000-frame goroutine: flame tree', r, 'ok', r.outcome === 'ok');
  }
  for (const [depth, flow] of [
    [100_000, '['],
    [50_000, '{'],
  ]) {
    r = timed(lib, () => lib.parseRule(deepYaml(depth, flow), 'deep.yaml'));
    const what = `rule file nested ${depth.toLocaleString('en')} deep (${flow === '[' ? 'lists' : 'maps'})`;
    row(what, r, 'refused < 2 s', r.outcome === 'rejected' && r.ms < 2000);
  }
  printTable(['check', 'outcome', 'time', 'bar', 'met'], rows);

  // ---- issue #13: bombs, each in its own process, with CPU time and peak RSS
  console.log('\nHostile inputs (issue #13), each in a fresh process:\n');
  const hostileRows = [];
  const GB = 1e9;
  const hostile = [
    [
      '1.2 MB gzip of 600 MiB of 7-byte samples, defaults',
      {
        setup: 'return synth.sampleBombGzip(600);',
        run: "lib.parseProfileBytes(input, 'bomb.pb.gz'); return 'accepted';",
      },
      'refused',
    ],
    [
      '1 MB gzip of 1 GiB of zeros, defaults',
      {
        setup: "return synth.gzipBomb(1024, 'stream');",
        run: "lib.parseProfileBytes(input, 'zeros.gz'); return 'accepted';",
      },
      'refused',
    ],
    [
      'drop_frames = \\pL{1000} x 400 (3.6 KB): top',
      {
        setup: `const { hostileProto } = await import(${JSON.stringify(join(here, 'hostile.mjs'))}); return hostileProto(['main.a', 'main.b'], { drop: '\\\\pL{1000}'.repeat(400) });`,
        run: "const r = lib.top(lib.parseProfileBytes(input, 'drop.pb')); return r.warnings.join('; ');",
      },
      'ok, warned',
    ],
    [
      '3,000,000-frame recursion: parse + HTML page data',
      {
        setup: 'return synth.deepStackProfile(3_000_000, 3);',
        run: "const p = lib.parseProfileBytes(input, 'deep.pb'); const d = lib.buildPageData([{ name: 'deep', profile: p }], []); return JSON.stringify(d).length + ' bytes of page data';",
      },
      'ok',
    ],
    [
      "rule re: pattern '[a-z]{1000,1000}' x 17 (289 chars)",
      { run: "lib.compilePattern('re:' + '[a-z]{1000,1000}'.repeat(17)); return 'compiled';" },
      'refused',
    ],
  ];
  for (const [what, body, want] of hostile) {
    const r = childCheck(root, body);
    const met =
      r.outcome === (want === 'refused' ? 'rejected' : 'ok') &&
      r.cpuMs < 2000 &&
      r.rss < GB &&
      (want !== 'ok, warned' || /ignored/.test(r.reason));
    hostileRows.push([
      what,
      `${r.outcome}: ${r.reason}`,
      fmtMs(r.cpuMs),
      fmtMs(r.ms),
      `${(r.rss / MiB).toFixed(0)} MiB`,
      `${want}, < 2 s CPU, < 1 GB`,
      met ? 'yes' : 'NO',
    ]);
    if (!met) ok = false;
  }
  printTable(['check', 'outcome', 'CPU', 'wall', 'peak RSS', 'bar', 'met'], hostileRows);

  // ---- memory
  let mem = [];
  try {
    mem = memoryProbe(root);
  } catch (err) {
    console.log(`\nmemory probe failed: ${String(err.message).split('\n')[0]}`);
    ok = false;
  }
  if (mem.length === 3) {
    console.log('\nMemory (synthetic CPU profile, loaded in a fresh process):\n');
    const grow = (x) => x.maxRssBytes - x.rssBeforeBytes;
    printTable(
      ['scale', 'input', 'samples', 'retained after parse', 'per input byte', 'peak RSS growth', 'parse', 'top'],
      mem.map((x) => [
        `${x.k}×`,
        fmtBytes(x.inputBytes),
        x.samples,
        fmtBytes(x.retainedAfterParse),
        (x.retainedAfterParse / x.inputBytes).toFixed(2),
        fmtBytes(grow(x)),
        fmtMs(x.parseMs),
        fmtMs(x.topMs),
      ]),
    );
    const r2 = mem[1].retainedAfterParse / mem[0].retainedAfterParse;
    const r4 = mem[2].retainedAfterParse / mem[0].retainedAfterParse;
    const p2 = grow(mem[1]) / grow(mem[0]);
    const p4 = grow(mem[2]) / grow(mem[0]);
    console.log(
      `\nretained (heap + array buffers after GC) ratios: 2×/1× = ${r2.toFixed(2)}, 4×/1× = ${r4.toFixed(2)}`,
    );
    console.log(`peak RSS growth ratios: 2×/1× = ${p2.toFixed(2)}, 4×/1× = ${p4.toFixed(2)} (proportional: 2, 4)`);
    if (r2 > 2.5 || r4 > 5) {
      console.log('memory grows faster than the input: NOT proportional');
      ok = false;
    }
  }
  return ok;
}
