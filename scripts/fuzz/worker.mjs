/**
 * Fuzz worker thread: loads the built library and the corpus, then runs the chunks of case indices
 * the main thread sends. Before each case it writes (index, start time) into the shared status
 * array, so the main thread's watchdog can kill a worker stuck on one case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeCase, makeContext, runCase } from './cases.mjs';
import { loadCorpus, loadRuleTexts } from './corpus.mjs';
import { loadDistLib } from './lib.mjs';

const { root, seed, slot, status, slowMs, avoid } = workerData;
const st = new Float64Array(status);
// yaml reports odd documents through process.emitWarning; the fuzzer counts outcomes, not warnings.
process.removeAllListeners('warning');
process.on('warning', () => undefined);

const lib = await loadDistLib(root);
const ctx = makeContext(loadCorpus(root), loadRuleTexts(root), { avoid });

/** Rejection messages with numbers and quoted text blanked, to count the kinds of rejection. */
function shape(msg) {
  return msg
    .replace(/^fuzz-\d+: /, '')
    .replace(/"[^"]*"|'[^']*'/g, '…')
    .replace(/0x[0-9a-f]+|\d+(\.\d+)?/gi, 'N')
    .slice(0, 90);
}

parentPort.on('message', (msg) => {
  if (msg.type !== 'chunk') return;
  const res = {
    type: 'result',
    chunk: msg.id,
    from: msg.from,
    to: msg.to,
    ok: 0,
    rejected: 0,
    failures: [],
    maxMs: 0,
    maxIndex: -1,
    targets: {},
    reasons: {},
    ms: 0,
  };
  for (let i = msg.from; i < msg.to; i++) {
    st[slot * 2] = i;
    st[slot * 2 + 1] = Date.now();
    let c;
    let r;
    try {
      c = makeCase(ctx, seed, i);
      r = runCase(lib, ctx, c);
    } catch (err) {
      // A bug in the fuzzer itself, not in the library: report it as such.
      r = { outcome: 'failure', reason: `fuzzer error: ${err?.stack ?? err}`, ms: 0, stage: 'generate' };
      c ??= { target: '?', op: '?' };
    }
    res.targets[c.target] ??= { n: 0, ok: 0, rejected: 0, failure: 0 };
    const t = res.targets[c.target];
    t.n++;
    res.ms += r.ms;
    if (r.ms > res.maxMs) {
      res.maxMs = r.ms;
      res.maxIndex = i;
    }
    let outcome = r.outcome;
    let reason = r.reason;
    if (r.ms > slowMs && outcome !== 'failure') {
      outcome = 'failure';
      reason = `slow input: ${(r.ms / 1000).toFixed(2)} s (${r.outcome}${r.reason ? `: ${r.reason.slice(0, 120)}` : ''})`;
    }
    t[outcome]++;
    if (outcome === 'ok') res.ok++;
    else if (outcome === 'rejected') {
      res.rejected++;
      const k = shape(reason);
      res.reasons[k] = (res.reasons[k] ?? 0) + 1;
    } else {
      res.failures.push({ index: i, target: c.target, op: c.op, source: c.source, stage: r.stage, reason, ms: r.ms });
    }
  }
  st[slot * 2] = -1;
  parentPort.postMessage(res);
});

parentPort.postMessage({ type: 'ready' });
