#!/usr/bin/env node
/**
 * pprof-doctor fuzzer (`npm run fuzz` = build, then this script on dist/).
 *
 *   node scripts/fuzz/run.mjs [--seed 1] [--cases 100000] [--workers N] [--out DIR]
 *                             [--slow-ms 2000] [--kill-ms 5000] [--no-limits] [--limits-only]
 *                             [--avoid native-regex-in-rules]   # skip a known, reported bug
 *   node scripts/fuzz/run.mjs --seed 1 --case 1234        # replay one case, verbosely
 *   node scripts/fuzz/run.mjs --replay DIR|FILE...         # run saved inputs through the library
 *
 * Every case is a pure function of (seed, index): a mutated corpus file, a generated profile or
 * text, or a generated rule file. Each runs in a worker thread inside a guard that classifies it:
 * ok, rejected (our error class, one-line message < 300 chars) or FAILURE (any other exception, a
 * bad message, an oracle violation, or more than --slow-ms). A watchdog kills a worker whose case
 * runs past --kill-ms and records it as a hang. Reproducers of failures go to --out (a temp dir by
 * default). Then the limits phase: gzip bombs, deep stacks, deep YAML, memory growth 1×/2×/4×.
 * Exit status: 0 when there is no failure, 1 otherwise.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { makeCase, makeContext, runCase, SLOW_MS } from './cases.mjs';
import { loadCorpus, loadRuleTexts } from './corpus.mjs';
import { loadDistLib } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

function parseArgs(argv) {
  const o = {
    seed: 1,
    cases: 100000,
    workers: Math.max(1, availableParallelism()),
    chunk: 25,
    slowMs: SLOW_MS,
    killMs: 5000,
    out: undefined,
    limits: true,
    limitsOnly: false,
    case: undefined,
    replay: [],
    avoid: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [k, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => inline ?? argv[++i];
    switch (k) {
      case '--seed':
        o.seed = Number(val());
        break;
      case '--cases':
        o.cases = Number(val());
        break;
      case '--workers':
        o.workers = Number(val());
        break;
      case '--chunk':
        o.chunk = Number(val());
        break;
      case '--slow-ms':
        o.slowMs = Number(val());
        break;
      case '--kill-ms':
        o.killMs = Number(val());
        break;
      case '--out':
        o.out = val();
        break;
      case '--no-limits':
        o.limits = false;
        break;
      case '--limits-only':
        o.limitsOnly = true;
        break;
      case '--avoid':
        o.avoid.push(...val().split(','));
        break;
      case '--case':
        o.case = Number(val());
        break;
      case '--replay':
        while (argv[i + 1] && !argv[i + 1].startsWith('--')) o.replay.push(argv[++i]);
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]}*/\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  for (const k of ['seed', 'cases', 'workers', 'chunk', 'slowMs', 'killMs']) {
    if (!Number.isFinite(o[k]) || o[k] < 0) throw new Error(`--${k} needs a number`);
  }
  return o;
}

function quietWarnings() {
  process.removeAllListeners('warning');
  process.on('warning', () => undefined);
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs cases on worker threads with a watchdog: [0, opts.cases) in chunks, or exactly the given
 * indices (`only`, used to re-run slow cases alone).
 */
async function fuzz(opts, only) {
  const nWorkers = only ? 1 : opts.workers;
  const status = new SharedArrayBuffer(8 * 2 * nWorkers);
  const st = new Float64Array(status);
  const total = { ok: 0, rejected: 0, failures: [], maxMs: 0, maxIndex: -1, targets: {}, reasons: {}, caseMs: 0 };
  const t0 = Date.now();
  let lastProgress = t0;
  let next = 0; // first case index not handed out yet
  let done = 0; // cases with a result
  const queue = []; // ranges to (re)run before new ones: the rest of a chunk whose worker died
  const limit = only ? 0 : opts.cases;
  if (only) for (const i of only) queue.push({ from: i, to: i + 1 });
  const expected = only ? only.length : opts.cases;
  const workers = []; // slot -> { w, range, dead }
  let live = 0;

  const addResult = (r) => {
    total.ok += r.ok;
    total.rejected += r.rejected;
    total.failures.push(...r.failures);
    total.caseMs += r.ms;
    if (r.maxMs > total.maxMs) {
      total.maxMs = r.maxMs;
      total.maxIndex = r.maxIndex;
    }
    for (const [k, v] of Object.entries(r.targets)) {
      total.targets[k] ??= { n: 0, ok: 0, rejected: 0, failure: 0 };
      const t = total.targets[k];
      t.n += v.n;
      t.ok += v.ok;
      t.rejected += v.rejected;
      t.failure += v.failure;
    }
    for (const [k, v] of Object.entries(r.reasons)) total.reasons[k] = (total.reasons[k] ?? 0) + v;
    done += r.to - r.from;
  };

  await new Promise((resolveAll) => {
    let finished = false;
    const finish = () => {
      if (!finished && live === 0 && queue.length === 0 && next >= limit) {
        finished = true;
        clearInterval(watchdog);
        resolveAll();
      }
    };
    const dispatch = (slot) => {
      const ws = workers[slot];
      let r = queue.shift();
      if (!r && next < limit) {
        r = { from: next, to: Math.min(limit, next + opts.chunk) };
        next = r.to;
      }
      if (!r) {
        ws.range = undefined;
        ws.retired = true;
        ws.w.terminate();
        return;
      }
      ws.range = r;
      ws.w.postMessage({ type: 'chunk', from: r.from, to: r.to });
    };
    /** A worker died while running a chunk: record the case it was on, requeue the rest, respawn. */
    const died = (slot, why) => {
      const ws = workers[slot];
      if (ws.dead) return;
      ws.dead = true;
      live--;
      const r = ws.range;
      if (r) {
        const cur = st[slot * 2];
        const idx = cur >= r.from && cur < r.to ? cur : r.from;
        const ms = Date.now() - st[slot * 2 + 1];
        total.failures.push({ index: idx, target: '?', op: '?', stage: 'worker', reason: why, ms });
        if (ms > total.maxMs) {
          total.maxMs = ms;
          total.maxIndex = idx;
        }
        done += 1;
        // Results of the chunk's earlier cases died with the worker; they are deterministic, rerun them.
        if (idx > r.from) queue.push({ from: r.from, to: idx });
        if (idx + 1 < r.to) queue.push({ from: idx + 1, to: r.to });
      }
      if (r || queue.length > 0 || next < limit) spawn(slot);
      finish();
    };
    const spawn = (slot) => {
      st[slot * 2] = -1;
      const w = new Worker(join(here, 'worker.mjs'), {
        workerData: { root, seed: opts.seed, slot, status, slowMs: opts.slowMs, avoid: opts.avoid },
        resourceLimits: { maxOldGenerationSizeMb: 6144, stackSizeMb: 4 },
        stderr: true,
      });
      w.stderr.resume(); // libraries may print warnings; the summary is what counts
      const ws = { w, range: undefined, dead: false, retired: false };
      workers[slot] = ws;
      live++;
      w.on('message', (m) => {
        if (m.type === 'ready') dispatch(slot);
        else if (m.type === 'result') {
          ws.range = undefined;
          addResult(m);
          const now = Date.now();
          if (!only && now - lastProgress > 10000) {
            lastProgress = now;
            const rate = done / ((now - t0) / 1000);
            process.stderr.write(
              `  ${done}/${expected} cases, ${total.failures.length} failures, ${rate.toFixed(0)} cases/s\n`,
            );
          }
          dispatch(slot);
        }
      });
      w.on('error', (err) =>
        died(slot, `worker crashed: ${err?.code ? `${err.code} ` : ''}${String(err?.message ?? err).split('\n')[0]}`),
      );
      w.on('exit', (code) => {
        if (ws.dead) return;
        if (ws.retired) {
          ws.dead = true;
          live--;
          finish();
          return;
        }
        died(slot, `worker exited with code ${code}`);
      });
    };
    const watchdog = setInterval(() => {
      const now = Date.now();
      for (let s = 0; s < workers.length; s++) {
        const ws = workers[s];
        if (ws.dead || !ws.range || st[s * 2] < 0) continue;
        const ms = now - st[s * 2 + 1];
        if (ms > opts.killMs) {
          died(s, `hang: still running after ${(ms / 1000).toFixed(1)} s, killed by the watchdog`);
          ws.w.terminate();
        }
      }
    }, 100);
    for (let s = 0; s < nWorkers; s++) spawn(s);
  });
  total.wallMs = Date.now() - t0;
  return total;
}

/**
 * Wall-clock limits are noisy on a loaded machine (two workers on two cores, other jobs). Each
 * slow or hung case is run again alone, in one worker; it stays a failure only if it is still over
 * the limit. The others are counted as `slow under load` and listed, not failed.
 */
async function recheckSlow(opts, total) {
  const slow = total.failures.filter((f) => /^slow input|^hang/.test(f.reason));
  total.slowUnderLoad = [];
  if (slow.length === 0) return;
  process.stderr.write(`  re-running ${slow.length} slow case(s) alone…\n`);
  const again = await fuzz(opts, [...new Set(slow.map((f) => f.index))]);
  const still = new Map(again.failures.filter((f) => /^slow input|^hang/.test(f.reason)).map((f) => [f.index, f]));
  total.failures = total.failures.filter((f) => {
    if (!/^slow input|^hang/.test(f.reason)) return true;
    if (still.has(f.index)) return true;
    total.slowUnderLoad.push(f);
    return false;
  });
}

// ---------------------------------------------------------------------------------------------

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '))
    .join('\n');
}

/** Cases whose worker died (hang, crash) have no kind yet: regenerate them to count them by kind. */
function attributeDeaths(opts, total) {
  const dead = total.failures.filter((f) => f.target === '?');
  if (dead.length === 0) return;
  const ctx = makeContext(loadCorpus(root), loadRuleTexts(root), { avoid: opts.avoid });
  for (const f of dead) {
    try {
      const c = makeCase(ctx, opts.seed, f.index);
      f.target = c.target;
      f.op = c.op;
    } catch {
      f.target = '(fuzzer error)';
    }
    total.targets[f.target] ??= { n: 0, ok: 0, rejected: 0, failure: 0 };
    total.targets[f.target].n++;
    total.targets[f.target].failure++;
  }
}

function printSummary(opts, total) {
  const failures = total.failures;
  const slow = failures.filter((f) => /^slow input|^hang/.test(f.reason)).length;
  const underLoad = total.slowUnderLoad?.length ?? 0;
  const n = total.ok + total.rejected + failures.length + underLoad;
  console.log(`\nFuzz summary (seed ${opts.seed}, ${opts.workers} worker${opts.workers > 1 ? 's' : ''}):\n`);
  console.log(
    table([
      ['cases', 'ok', 'rejected', 'failures', 'slow', 'slow only under load', 'max time', 'cases/s'],
      [
        n,
        total.ok,
        total.rejected,
        failures.length,
        slow,
        underLoad,
        `${(total.maxMs / 1000).toFixed(2)} s (#${total.maxIndex})`,
        (n / (total.wallMs / 1000)).toFixed(0),
      ],
    ]),
  );
  console.log('\nBy case kind:\n');
  const rows = [['kind', 'cases', 'ok', 'rejected', 'failures']];
  for (const [k, v] of Object.entries(total.targets).sort()) rows.push([k, v.n, v.ok, v.rejected, v.failure]);
  console.log(table(rows));
  if (total.slowUnderLoad?.length) {
    console.log(
      `\nSlow only under load (over ${opts.slowMs} ms in the run, under it when re-run alone): ${total.slowUnderLoad.length}`,
    );
    for (const f of total.slowUnderLoad.slice(0, 10)) console.log(`  #${f.index} ${f.reason.slice(0, 120)}`);
  }
  const reasons = Object.entries(total.reasons).sort((a, b) => b[1] - a[1]);
  console.log(`\nMost common rejections (${reasons.length} kinds):\n`);
  for (const [k, v] of reasons.slice(0, 12)) console.log(`${String(v).padStart(7)}  ${k}`);
}

function writeReproducers(opts, failures) {
  if (failures.length === 0) return undefined;
  const out = opts.out ? resolve(opts.out) : mkdtempSync(join(tmpdir(), 'pprof-doctor-fuzz-'));
  mkdirSync(out, { recursive: true });
  const ctx = makeContext(loadCorpus(root), loadRuleTexts(root), { avoid: opts.avoid });
  const seen = new Map();
  for (const f of failures) {
    let c;
    try {
      c = makeCase(ctx, opts.seed, f.index);
    } catch (err) {
      console.log(`  (case ${f.index} could not be regenerated: ${String(err?.message ?? err).split('\n')[0]})`);
      continue;
    }
    const ext = c.kind === 'rule' ? 'yaml' : 'bin';
    const base = join(out, `seed${opts.seed}-case${f.index}`);
    writeFileSync(`${base}.${ext}`, c.bytes);
    writeFileSync(
      `${base}.json`,
      `${JSON.stringify(
        {
          seed: opts.seed,
          index: f.index,
          target: c.target,
          op: c.op,
          source: c.source,
          stage: f.stage,
          reason: f.reason,
          ms: Math.round(f.ms),
          topOpts: c.topOpts,
          extra: c.extra,
          replay: `node scripts/fuzz/run.mjs --seed ${opts.seed} --case ${f.index}`,
        },
        null,
        2,
      )}\n`,
    );
    const key = f.reason.replace(/\d+/g, 'N').slice(0, 100);
    if (!seen.has(key)) seen.set(key, { ...f, target: c.target, op: c.op, count: 0 });
    seen.get(key).count++;
  }
  console.log(`\nFAILURES (${failures.length}, ${seen.size} distinct); reproducers in ${out}:\n`);
  for (const f of seen.values()) {
    console.log(`  #${f.index} [${f.target}] ×${f.count} ${f.reason.slice(0, 300)}`);
    console.log(`      op: ${String(f.op).slice(0, 160)}; stage: ${f.stage}`);
  }
  return out;
}

async function replayOne(opts) {
  quietWarnings();
  const lib = await loadDistLib(root);
  const ctx = makeContext(loadCorpus(root), loadRuleTexts(root), { avoid: opts.avoid });
  const c = makeCase(ctx, opts.seed, opts.case);
  const r = runCase(lib, ctx, c);
  const { bytes, text, ...rest } = c;
  console.log(JSON.stringify({ ...rest, size: bytes?.length, result: r }, null, 2));
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    const f = join(opts.out, `seed${opts.seed}-case${opts.case}.${c.kind === 'rule' ? 'yaml' : 'bin'}`);
    writeFileSync(f, bytes);
    console.log(`input written to ${f}`);
  }
  return r.outcome === 'failure' || r.ms > opts.slowMs ? 1 : 0;
}

async function replayFiles(opts) {
  quietWarnings();
  const lib = await loadDistLib(root);
  const { classifyError } = await import('./cases.mjs');
  const files = [];
  for (const p of opts.replay) {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) files.push(join(p, f));
    else files.push(p);
  }
  let bad = 0;
  for (const f of files) {
    if (f.endsWith('.json')) continue;
    const bytes = new Uint8Array(readFileSync(f));
    const t = performance.now();
    let line;
    try {
      if (/\.ya?ml$/.test(f)) lib.parseRule(new TextDecoder().decode(bytes), f);
      else {
        const p = lib.parseProfileBytes(bytes, f, { gunzip: lib.gunzip });
        lib.formatTop(lib.top(p, {}), {});
      }
      line = 'ok';
    } catch (err) {
      const c = classifyError(lib, err);
      line = `${c.outcome}: ${c.reason}`;
      if (c.outcome === 'failure') bad++;
    }
    console.log(`${f}: ${line} (${(performance.now() - t).toFixed(0)} ms)`);
  }
  return bad > 0 ? 1 : 0;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.case !== undefined) return replayOne(opts);
  if (opts.replay.length) return replayFiles(opts);
  let failed = false;
  if (!opts.limitsOnly) {
    console.log(
      `Fuzzing ${opts.cases} cases, seed ${opts.seed}, ${opts.workers} workers (slow > ${opts.slowMs} ms, kill > ${opts.killMs} ms)…`,
    );
    const total = await fuzz(opts);
    await recheckSlow(opts, total);
    attributeDeaths(opts, total);
    printSummary(opts, total);
    writeReproducers(opts, total.failures);
    failed = total.failures.length > 0;
  }
  if (opts.limits || opts.limitsOnly) {
    const { runLimits } = await import('./limits.mjs');
    const ok = await runLimits(root);
    failed ||= !ok;
  }
  console.log(failed ? '\nFAILED' : '\nPASSED');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err?.stack ?? String(err));
    process.exit(2);
  },
);
