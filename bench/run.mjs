#!/usr/bin/env node
/**
 * `npm run bench` (builds first; this script runs on dist/). Prints markdown tables:
 *   (a) gunzip: node zlib vs pako
 *   (b) decode: ours vs pprof-format (time and retained heap)
 *   (c) end to end: `./bin/pprof-doctor top <file>` vs `go tool pprof -top <file>` (wall, peak RSS)
 *   (d) the main job: `./bin/pprof-doctor analyze <file>` vs `./bin/pprof-doctor top <file>` (CPU, wall)
 * for large.cpu and a generated heap profile of >= 30 MB raw / 300k samples. Best of 3 runs.
 *
 *   node bench/run.mjs            the standard set
 *   node bench/run.mjs --huge     also a >= 200 MB raw profile, end to end only (pprof with a timeout)
 *   node bench/run.mjs --runs=5   more runs per measurement
 *   node bench/run.mjs --only=d   only the sections named (a, b, c, d; comma-separated)
 *
 * Not a test: nothing here asserts timings.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { cachedSynthHeap } from './synth.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const HUGE = args.includes('--huge');
const RUNS = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const PPROF_TIMEOUT_S = Number(args.find((a) => a.startsWith('--pprof-timeout='))?.slice(16) ?? 600);
/** --only=a,d: the sections to run (all by default). */
const ONLY = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const want = (section) => !ONLY || ONLY.includes(section);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const { decodePprof, decodePprofJs } = await import(join(ROOT, 'dist/input/pprof/decode.js'));
const { encodePprof } = await import(join(ROOT, 'dist/profile/encode.js'));
const pako = await import('pako');
const pf = await import('pprof-format');

// ---------------------------------------------------------------------------------------------
// helpers

const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const mb = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`;
const ratio = (a, b) => (a && b ? `${(b / a).toFixed(1)}×` : '–');

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * The first (cold) call's wall time, then the best wall and CPU time of RUNS calls made after two
 * more warm-up calls (the JIT has optimized the hot loops by then). CPU time is shown because the
 * machine may be shared: it is far less sensitive to other load than wall time.
 */
function best(fn) {
  gc();
  let t = performance.now();
  fn();
  const first = performance.now() - t;
  fn();
  fn();
  let min = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    gc();
    const c = cpuNow();
    t = performance.now();
    fn();
    const d = performance.now() - t;
    min = Math.min(min, d);
    cpu = Math.min(cpu, cpuNow() - c);
  }
  return { min, first, cpu };
}

/** Heap + array buffers retained by the result of fn, after GC. */
function retained(fn) {
  gc();
  const before = process.memoryUsage();
  let keep = fn();
  gc();
  const after = process.memoryUsage();
  const bytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  keep = null;
  return { bytes, keep };
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command once: wall time (ms), CPU time (ms, when measurable), peak RSS (bytes), exit status, stderr head. */
function runOnce(cmd, argv, timeoutS) {
  return new Promise((resolve) => {
    const t = performance.now();
    const full = TIME ? [TIME, ['-f', '%M %U %S', cmd, ...argv]] : [cmd, argv];
    const child = spawn(full[0], full[1], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 65536) stderr = stderr.slice(-65536);
    });
    // Without /usr/bin/time, poll the kernel's high-water mark.
    let peak = 0;
    const poll = TIME
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peak = Math.max(peak, Number(m[1]) * 1024);
          } catch {
            // process gone
          }
        }, 10);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code, signal) => {
      const wall = performance.now() - t;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let rss = peak;
      let cpu;
      let err = stderr;
      if (TIME) {
        const lines = stderr.trimEnd().split('\n');
        const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(lines.pop() ?? '');
        if (m) {
          rss = Number(m[1]) * 1024;
          cpu = (Number(m[2]) + Number(m[3])) * 1000;
        }
        err = lines.join('\n');
      }
      resolve({ wall, cpu, rss, code: signal ? signal : code, stderr: err.split('\n').find((l) => l.trim()) ?? '' });
    });
  });
}

/** Best of `runs` (by wall time); a run slower than 30 s is not repeated. */
async function endToEnd(cmd, argv, runs, timeoutS) {
  let bestRun;
  for (let i = 0; i < runs; i++) {
    const r = await runOnce(cmd, argv, timeoutS);
    if (r.code !== 0) return r;
    if (!bestRun || r.wall < bestRun.wall) bestRun = r;
    bestRun.runs = i + 1;
    if (r.wall > 30_000) break;
  }
  return bestRun;
}

function toolVersion(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

// ---------------------------------------------------------------------------------------------
// inputs

const largeShared = join(ROOT, '../shared/data/large.cpu.pb.gz');
const inputs = [
  {
    name: 'large.cpu',
    path: existsSync(largeShared) ? largeShared : join(ROOT, 'test/fixtures/large.cpu.pb.gz'),
  },
];
process.stderr.write('preparing the synthetic heap profile (cached in the temp dir)…\n');
const synth = cachedSynthHeap({ samples: 340_000, functions: 30_000, locations: 60_000 }, encodePprof);
inputs.push({ name: 'synth heap 340k', path: synth.path });
let huge;
if (HUGE) {
  process.stderr.write('preparing the huge synthetic profile (cached in the temp dir)…\n');
  huge = cachedSynthHeap({ samples: 2_400_000, functions: 100_000, locations: 200_000, seed: 7 }, encodePprof);
}

const goVersion = toolVersion('go', ['version']);
const cli = join(ROOT, 'bin/pprof-doctor');
const probe = await runOnce(cli, ['top', inputs[0].path], 120);
const ourTop =
  probe.code === 0 ? undefined : `\`pprof-doctor top\` not usable yet (${probe.stderr || `exit ${probe.code}`})`;

// ---------------------------------------------------------------------------------------------
// measurements

const out = [];
const say = (s = '') => {
  out.push(s);
  process.stdout.write(`${s}\n`);
};

say(`## Benchmark run ${new Date().toISOString().slice(0, 10)}`);
say();
say(
  `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${mb(os.totalmem())} RAM, ` +
    `${os.type()} ${os.release()}; Node ${process.version}; ${goVersion ?? 'go not installed'}. Best of ${RUNS} runs.`,
);
say(
  `Load average at the start: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (on ${os.cpus().length} cores).`,
);
say(
  process.env.NODE_EXTRA_CA_CERTS
    ? `NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): every Node process reads it at start-up; bin/pprof-doctor keeps it out of its own.`
    : 'NODE_EXTRA_CA_CERTS is not set.',
);
say();
say('| input | gzip size | raw size | samples | locations | functions |');
say('|---|---:|---:|---:|---:|---:|');
const loaded = [];
for (const inp of inputs) {
  const gz = new Uint8Array(readFileSync(inp.path));
  const raw = new Uint8Array(gunzipSync(gz));
  const p = decodePprof(raw);
  loaded.push({ ...inp, gz, raw });
  say(
    `| ${inp.name} | ${mb(gz.length)} | ${mb(raw.length)} | ${p.samples.length.toLocaleString('en')} | ` +
      `${p.locations.length.toLocaleString('en')} | ${p.functions.length.toLocaleString('en')} |`,
  );
}
say();

if (want('a')) {
  say('### (a) gunzip');
  say();
  say('| input | node zlib: wall (cpu) | pako: wall (cpu) | zlib speed-up (cpu) |');
  say('|---|---:|---:|---:|');
  for (const inp of loaded) {
    const z = best(() => gunzipSync(inp.gz));
    const k = best(() => pako.ungzip(inp.gz));
    say(`| ${inp.name} | ${ms(z.min)} (${ms(z.cpu)}) | ${ms(k.min)} (${ms(k.cpu)}) | ${ratio(z.cpu, k.cpu)} |`);
  }
  say();
}

if (want('b')) {
  say('### (b) decode (uncompressed bytes → model)');
  say();
  say(
    '"full model" = decodePprof, then every function and location object read (what pprof-format returns); ' +
      '"columns" = decodePprof alone: the WebAssembly kernel\'s columns, which `top` reads, with the objects ' +
      'made on first use; "JS decoder" = the JavaScript decoder alone (the fallback and reference).',
  );
  say();
  say(
    '| input | ours, full model: warm wall (cpu) | first call | ours, columns: warm wall (cpu) | JS decoder: warm wall (cpu) | pprof-format: warm wall (cpu) | first call | speed-up, full model (cpu) | retained: ours, full model | pprof-format |',
  );
  say('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const fullModel = (raw) => {
    const p = decodePprof(raw);
    if (p.functions.length < 0 || p.locations.length < 0) throw new Error('unreachable');
    return p;
  };
  for (const inp of loaded) {
    const o = best(() => fullModel(inp.raw));
    const c = best(() => decodePprof(inp.raw));
    const j = best(() => decodePprofJs(inp.raw));
    const f = best(() => pf.Profile.decode(inp.raw));
    const ro = retained(() => fullModel(inp.raw));
    const rf = retained(() => pf.Profile.decode(inp.raw));
    say(
      `| ${inp.name} | ${ms(o.min)} (${ms(o.cpu)}) | ${ms(o.first)} | ${ms(c.min)} (${ms(c.cpu)}) | ${ms(j.min)} (${ms(j.cpu)}) | ` +
        `${ms(f.min)} (${ms(f.cpu)}) | ${ms(f.first)} | ${ratio(o.cpu, f.cpu)} | ${mb(ro.bytes)} | ${mb(rf.bytes)} |`,
    );
  }
  say();
}

if (want('c')) {
  say('### (c) end to end: `pprof-doctor top` vs `go tool pprof -top`');
  say();
  const e2eInputs = loaded.map((l) => ({ name: l.name, path: l.path }));
  if (huge) e2eInputs.push({ name: 'synth heap 2.4M (--huge)', path: huge.path, huge: true });
  say(
    '| input | pprof-doctor top: wall (cpu) | peak RSS | go tool pprof -top: wall (cpu) | peak RSS | speed-up: wall (cpu) |',
  );
  say('|---|---:|---:|---:|---:|---:|');
  const notes = [];
  if (ourTop) notes.push(ourTop);
  if (!goVersion) notes.push('`go` is not installed: the pprof column is skipped.');
  if (!TIME) notes.push('/usr/bin/time not found: peak RSS polled from /proc/<pid>/status (VmHWM).');
  for (const inp of e2eInputs) {
    const runs = inp.huge ? 1 : RUNS;
    const ours = ourTop ? undefined : await endToEnd(cli, ['top', inp.path], runs, 1200);
    const go = goVersion ? await endToEnd('go', ['tool', 'pprof', '-top', inp.path], runs, PPROF_TIMEOUT_S) : undefined;
    const cell = (r) => {
      if (!r) return ['skipped', '–'];
      if (r.code === 'SIGKILL') return [`> ${PPROF_TIMEOUT_S} s (killed)`, '–'];
      if (r.code !== 0) return [`failed (${r.stderr.slice(0, 60)})`, '–'];
      const once = r.runs === 1 && runs > 1 ? ', 1 run' : '';
      return [`${ms(r.wall)}${r.cpu !== undefined ? ` (${ms(r.cpu)})` : ''}${once}`, mb(r.rss)];
    };
    const [ow, or] = cell(ours);
    const [gw, gr] = cell(go);
    const speed =
      ours?.code === 0 && go?.code === 0
        ? `${ratio(ours.wall, go.wall)}${ours.cpu && go.cpu ? ` (${ratio(ours.cpu, go.cpu)})` : ''}`
        : '–';
    say(`| ${inp.name} | ${ow} | ${or} | ${gw} | ${gr} | ${speed} |`);
  }
  say();
  if (huge) {
    const raw = huge.rawBytes ?? gunzipSync(readFileSync(huge.path)).length;
    say(`Huge input: ${mb(statSync(huge.path).size)} gzipped, ${mb(raw)} raw.`);
  }
  for (const n of notes) say(`Note: ${n}`);
  say();
}

if (want('d')) {
  say('### (d) the main job: `pprof-doctor analyze` vs `pprof-doctor top`');
  say();
  say(
    '`analyze` = decode + every built-in rule + process/version inference + the top table + the text report; ' +
      '`top` = decode + the top table. Runs interleaved (top, analyze, top, …); best CPU and best wall of each. ' +
      'Target: analyze ≤ 1.5× top in CPU.',
  );
  say();
  say('| input | pprof-doctor top: cpu (wall) | pprof-doctor analyze: cpu (wall) | analyze ÷ top: cpu (wall) |');
  say('|---|---:|---:|---:|');
  for (const inp of loaded.map((l) => ({ name: l.name, path: l.path }))) {
    if (ourTop) break;
    const best = { top: undefined, analyze: undefined };
    let failed;
    for (let i = 0; i < Math.max(RUNS, 5) && !failed; i++) {
      for (const cmd of ['top', 'analyze']) {
        const r = await runOnce(cli, [cmd, inp.path], 600);
        // analyze exits 1 when a diagnosis is at or above --fail-on (not set here: 0), 2 on errors.
        if (r.code !== 0) {
          failed = `${cmd} failed (${r.stderr.slice(0, 60)})`;
          break;
        }
        const b = best[cmd];
        best[cmd] = {
          cpu: Math.min(b?.cpu ?? Number.POSITIVE_INFINITY, r.cpu ?? r.wall),
          wall: Math.min(b?.wall ?? Number.POSITIVE_INFINITY, r.wall),
        };
      }
    }
    if (failed) {
      say(`| ${inp.name} | ${failed} | – | – |`);
      continue;
    }
    const { top: t, analyze: a } = best;
    say(
      `| ${inp.name} | ${ms(t.cpu)} (${ms(t.wall)}) | ${ms(a.cpu)} (${ms(a.wall)}) | ${(a.cpu / t.cpu).toFixed(2)}× (${(a.wall / t.wall).toFixed(2)}×) |`,
    );
  }
}
if (!TIME) say('Note: /usr/bin/time not found: the cpu columns show wall time.');
say();
say(
  `Load average at the end: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (on ${os.cpus().length} cores).`,
);
say(
  `Inputs: large.cpu from ${relative(ROOT, inputs[0].path)}; synthetic profiles generated by bench/synth.mjs into ${dirname(synth.path)}.`,
);
