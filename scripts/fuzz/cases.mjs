/**
 * The fuzzer's core, shared by `npm run fuzz` (on dist/) and the seeded subset in the test suite
 * (on src/ through vitest): case generation from (seed, index) and one guarded run per case.
 *
 * The library under test comes in as `lib` so the same code drives both builds:
 *   lib = { parseProfileBytes, gunzip, validateProfile, top, formatTop, traces, peek,
 *           buildFlameTree, parseRule, analyzeProfiles, FormatError, InputError, UserError }
 */
import { gzipSync } from 'node:zlib';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { genProto, genRuleText, genText } from './gen.mjs';
import { hostileCase, UNSAFE_IN_OUTPUT } from './hostile.mjs';
import { makeBombs, mutateBytes, mutateGzip, mutateProto, mutateText, splice } from './mutate.mjs';
import { Rng } from './prng.mjs';
import { concat } from './proto.mjs';

export const SLOW_MS = 2000;
export const DEFAULT_MAX_SIZE = 256 * 1024 * 1024;

/** Case kinds and their weights. */
export const TARGETS = [
  [22, 'bytes'],
  [20, 'proto'],
  [10, 'gzip'],
  [15, 'text'],
  [8, 'gentext'],
  [7, 'genproto'],
  [5, 'splice'],
  [13, 'rule'],
  [8, 'hostile'],
];

const enc = new TextEncoder();

/**
 * corpus: [{ name, bytes, raw, kind: 'proto' | 'text' | 'other', gz }] (see corpus.mjs);
 * rules: [{ name, text }]. Returns the per-process context cases are drawn from.
 */
export function makeContext(corpus, rules, opts = {}) {
  const weights = corpus.map((e) => {
    const size = Math.max(256, e.raw.length);
    // Small inputs make fast cases; big ones still come up, less often.
    return [Math.min(1, 20000 / size) ** 0.7, e];
  });
  const protos = corpus.filter((e) => e.kind === 'proto');
  const texts = corpus.filter((e) => e.kind === 'text');
  const realRules = [];
  for (const r of rules) {
    try {
      realRules.push({ name: r.name, text: r.text, object: parseYaml(r.text) });
    } catch {
      // not a valid YAML file: still usable as text
      realRules.push({ name: r.name, text: r.text, object: {} });
    }
  }
  let bombs;
  return {
    corpus,
    weights,
    protoWeights: weights.filter(([, e]) => e.kind === 'proto'),
    textWeights: weights.filter(([, e]) => e.kind === 'text'),
    protos,
    texts,
    realRules,
    bombs: () => {
      bombs ??= makeBombs();
      return bombs;
    },
    /** original-parse summaries for the 'same' oracle, by corpus name */
    summaries: new Map(),
    /** profiles rule cases run against (set lazily by runCase) */
    ruleTargets: undefined,
    /**
     * Known, reported bugs the caller wants to stay clear of (the seeded test suite does, to stay
     * green; `npm run fuzz` does not): 'native-regex-in-rules' = no catastrophic `re:` patterns in
     * generated rules (the rule engine runs them with a backtracking RegExp).
     */
    avoid: new Set(opts.avoid ?? []),
  };
}

/** Builds case `index` of run `seed`. Pure function of (seed, index, corpus). */
export function makeCase(ctx, seed, index) {
  const rng = new Rng(seed, index);
  const target = rng.weighted(TARGETS);
  const c = { index, target, name: `fuzz-${index}`, op: '', kind: 'profile' };
  switch (target) {
    case 'bytes': {
      const e = rng.weighted(ctx.weights);
      const src = rng.bool(0.5) ? e.bytes : e.raw;
      Object.assign(c, mutateBytes(rng, src), { source: e.name });
      break;
    }
    case 'proto': {
      const e = rng.weighted(ctx.protoWeights);
      const other = rng.pick(ctx.protos).raw;
      const m = mutateProto(rng, e.raw, other);
      Object.assign(c, m, { source: e.name });
      if (m.expect === 'same') c.same = e.name;
      delete c.expect;
      if (rng.bool(0.3)) c.bytes = gzipLite(m.bytes);
      break;
    }
    case 'gzip': {
      const e = rng.weighted(ctx.weights);
      const m = mutateGzip(rng, e.raw, ctx);
      Object.assign(c, m, { source: e.name });
      if (m.expect === 'same') {
        c.same = e.name;
        delete c.expect;
      }
      if (m.op === 'gzip:two-profiles') c.expect = e.kind === 'proto' ? 'reject-if-timed' : undefined;
      break;
    }
    case 'text': {
      const e = rng.weighted(ctx.textWeights);
      e.lines ??= e.text.split('\n');
      const m = mutateText(rng, e.lines);
      c.bytes = enc.encode(m.text);
      c.op = m.op;
      c.source = e.name;
      if (rng.bool(0.1)) c.bytes = gzipLite(c.bytes);
      break;
    }
    case 'gentext': {
      const g = genText(rng);
      let text = g.text;
      let op = `gentext:${g.kind}`;
      if (rng.bool(0.3)) {
        const m = mutateText(rng, text);
        text = m.text;
        op += ` ${m.op}`;
      }
      c.bytes = enc.encode(text);
      c.op = op;
      break;
    }
    case 'genproto': {
      let b = genProto(rng);
      let op = 'genproto';
      if (rng.bool(0.2)) {
        const m = rng.bool(0.5) ? mutateProto(rng, b, b) : mutateBytes(rng, b);
        b = m.bytes;
        op += ` ${m.op}`;
      }
      c.bytes = rng.bool(0.3) ? gzipLite(b) : b;
      c.op = op;
      break;
    }
    case 'splice': {
      const a = rng.weighted(ctx.weights);
      const b = rng.weighted(ctx.weights);
      const m = splice(rng, rng.bool(0.8) ? a.raw : a.bytes, rng.bool(0.8) ? b.raw : b.bytes);
      Object.assign(c, m, { source: `${a.name} + ${b.name}` });
      break;
    }
    case 'hostile': {
      // Sample bombs, pattern bombs, deep equal chains, hostile strings (hostile.mjs).
      Object.assign(c, hostileCase(rng));
      break;
    }
    default: {
      c.kind = 'rule';
      const r = genRuleText(rng, ctx.realRules, stringifyYaml, { safeRegexes: ctx.avoid.has('native-regex-in-rules') });
      let text = r.text;
      let op = `rule:${r.mode}`;
      if (r.textMutate || rng.bool(0.1)) {
        const m = mutateText(rng, text, 300_000);
        text = m.text;
        op += ` ${m.op}`;
      }
      c.text = text;
      c.op = op;
      c.bytes = enc.encode(text);
      break;
    }
  }
  // Analysis options for profile cases (exercised when the input parses).
  c.topOpts = randomTopOptions(rng);
  const extra = c.extra;
  c.extra =
    extra ??
    rng.weighted([
      [70, 'none'],
      [8, 'traces'],
      [8, 'peek'],
      [7, 'flame'],
      [7, 'analyze'],
    ]);
  return c;
}

function gzipLite(b) {
  return new Uint8Array(gzipSync(b, { level: 1 }));
}

const FOCUS = ['etcd', 'runtime\\.', 'main', '(a+)+$', 'x{1000}', '[', '(?i)MVCC', '.*', '^$', 'é', 'a|b|c', '\\'];

function randomTopOptions(rng) {
  const o = {};
  if (rng.bool(0.3))
    o.sampleIndex = rng.pick([
      'inuse_space',
      'alloc_space',
      'cpu',
      'samples',
      'goroutine',
      'delay',
      'x',
      '0',
      '1',
      '-1',
      '99',
      0,
      1,
      3,
    ]);
  if (rng.bool(0.2)) o.granularity = rng.pick(['functions', 'filefunctions', 'files', 'lines', 'addresses']);
  if (rng.bool(0.1)) o.noInlines = true;
  if (rng.bool(0.1)) o.focus = rng.pick(FOCUS);
  if (rng.bool(0.05)) o.ignore = rng.pick(FOCUS);
  if (rng.bool(0.05)) o.hide = rng.pick(FOCUS);
  if (rng.bool(0.05)) o.show = rng.pick(FOCUS);
  if (rng.bool(0.05)) o.showFrom = rng.pick(FOCUS);
  if (rng.bool(0.05)) o.pruneFrom = rng.pick(FOCUS);
  if (rng.bool(0.1)) o.nodeCount = rng.pick([0, 1, 10, 1e9]);
  if (rng.bool(0.1)) o.nodeFraction = rng.pick([0, 0.5, 1, 2, -1]);
  if (rng.bool(0.1)) o.cum = true;
  if (rng.bool(0.05)) o.trim = false;
  if (rng.bool(0.05)) o.relativePercentages = true;
  if (rng.bool(0.05)) o.allFrames = true;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Running one case

/** A clean rejection: one of our error classes with a one-line, non-empty message < 300 chars. */
export function classifyError(lib, err) {
  const ours = err instanceof lib.UserError || err instanceof lib.FormatError;
  const msg = err instanceof Error ? err.message : String(err);
  if (!ours) {
    const name = err instanceof Error ? err.name : typeof err;
    const where =
      err instanceof Error && err.stack
        ? err.stack
            .split('\n')
            .slice(1, 4)
            .map((s) => s.trim())
            .join(' < ')
        : '';
    return { outcome: 'failure', reason: `${name}: ${msg.slice(0, 300)}${where ? ` [${where}]` : ''}` };
  }
  if (typeof msg !== 'string' || msg.length === 0)
    return { outcome: 'failure', reason: `${err.name} with an empty message` };
  if (/[\r\n]/.test(msg))
    return { outcome: 'failure', reason: `${err.name} message has a line break: ${JSON.stringify(msg.slice(0, 200))}` };
  if (msg.length >= 300)
    return {
      outcome: 'failure',
      reason: `${err.name} message is ${msg.length} chars: ${JSON.stringify(msg.slice(0, 120))}…`,
    };
  return { outcome: 'rejected', reason: msg };
}

/** Compact description of a parse, for the 'same' oracle. */
function summarize(lib, p) {
  const r = lib.top(p, { nodeFraction: 0, nodeCount: 0 });
  const rows = r.rows.map((x) => `${x.name}:${x.flat}:${x.cum}`).join('|');
  return `${p.source.format} n=${p.samples.length} types=${p.sampleTypes.map((t) => t.type).join(',')} total=${r.total} rows=${rows.length}:${hashString(rows)}`;
}

function hashString(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
}

function originalSummary(lib, ctx, name) {
  let s = ctx.summaries.get(name);
  if (s === undefined) {
    const e = ctx.corpus.find((x) => x.name === name);
    try {
      const p = lib.parseProfileBytes(e.raw, name, { maxSize: DEFAULT_MAX_SIZE, gunzip: lib.gunzip });
      s = { summary: summarize(lib, p), timed: p.timeNanos !== 0 };
    } catch {
      s = { summary: null, timed: false };
    }
    ctx.summaries.set(name, s);
  }
  return s;
}

/** Profiles that rule cases run against: a small real one per kind plus one with hostile names. */
function ruleTargets(lib, ctx) {
  if (ctx.ruleTargets) return ctx.ruleTargets;
  const out = [];
  for (const e of ctx.protos) {
    if (e.raw.length > 200000) continue;
    try {
      out.push({ name: e.name, profile: lib.parseProfileBytes(e.bytes, e.name, { gunzip: lib.gunzip }) });
    } catch {
      // corpus may hold broken files on purpose
    }
    if (out.length >= 8) break;
  }
  const hostile = genProto(new Rng(1234, 1), { badness: 0 });
  try {
    out.push({ name: 'generated', profile: lib.parseProfileBytes(hostile, 'generated', { gunzip: lib.gunzip }) });
  } catch {
    // ignore
  }
  const longNames = lib.parseProfileBytes(longNameProfile(), 'long-names', { gunzip: lib.gunzip });
  out.push({ name: 'long-names', profile: longNames });
  ctx.ruleTargets = out;
  return out;
}

/** A heap profile whose function names are long runs that catastrophic patterns choke on. */
export function longNameProfile() {
  // profile.proto by hand: 1 sample type, N functions/locations, one sample per location.
  const names = [
    `${'a'.repeat(40)}!`,
    `${'a'.repeat(5000)}b`,
    'x'.repeat(10000),
    `go.etcd.io/etcd/mvcc.(*watchableStore).${'a'.repeat(60)}`,
    `${'ab'.repeat(2000)}`,
    `${'xx'.repeat(50)}z`,
  ];
  const strings = ['', 'inuse_space', 'bytes', ...names];
  const parts = [];
  const vf = (f, v) => [f << 3, ...varintBytes(v)];
  const lf = (f, body) => [(f << 3) | 2, ...varintBytes(body.length), ...body];
  parts.push(...lf(1, [...vf(1, 1), ...vf(2, 2)]));
  names.forEach((_, i) => {
    parts.push(...lf(5, [...vf(1, i + 1), ...vf(2, i + 3)]));
    parts.push(...lf(4, [...vf(1, i + 1), ...lf(4, [...vf(1, i + 1)])]));
    parts.push(...lf(2, [...lf(1, [i + 1]), ...lf(2, varintBytes(1000 * (i + 1)))]));
  });
  for (const s of strings) parts.push(...lf(6, [...enc.encode(s)]));
  return Uint8Array.from(parts);
}

function varintBytes(v) {
  const out = [];
  let x = v;
  while (x >= 0x80) {
    out.push((x & 0x7f) | 0x80);
    x = Math.floor(x / 128);
  }
  out.push(x);
  return out;
}

/**
 * Runs one case inside a guard. Returns { outcome: 'ok' | 'rejected' | 'failure', reason?, ms, stage }.
 * `stage` says which step was running when it ended (parse, validate, top, format, extra, oracle).
 */
export function runCase(lib, ctx, c) {
  const t0 = performance.now();
  let stage = 'parse';
  const done = (r) => ({ ...r, ms: performance.now() - t0, stage });
  try {
    if (c.kind === 'rule') {
      const rule = lib.parseRule(c.text, 'fuzz.yaml');
      stage = 'analyze';
      // Every target at once: each detector reads the profiles of its kind.
      lib.analyzeProfiles(ruleTargets(lib, ctx), [rule], {});
      return done({ outcome: 'ok' });
    }
    const p = lib.parseProfileBytes(c.bytes, c.name, {
      maxSize: c.maxSize ?? DEFAULT_MAX_SIZE,
      gunzip: lib.gunzip,
      ...(c.limits ? { limits: c.limits } : {}),
    });
    stage = 'validate';
    const problems = lib.validateProfile(p);
    if (problems.length)
      return done({ outcome: 'failure', reason: `parsed into an invalid model: ${problems.slice(0, 3).join('; ')}` });
    if (c.expect === 'reject')
      return done({ outcome: 'failure', reason: 'silent misread: accepted an input that must be refused' });
    if (c.expect === 'reject-if-timed' && p.timeNanos !== 0 && p.source.format === 'pprof-proto') {
      const o = originalSummary(lib, ctx, c.source);
      if (o.timed)
        return done({ outcome: 'failure', reason: 'silent misread: two concatenated profiles were read as one' });
    }
    if (c.same) {
      stage = 'oracle';
      const o = originalSummary(lib, ctx, c.same);
      const s = summarize(lib, p);
      if (o.summary !== null && s !== o.summary) {
        return done({
          outcome: 'failure',
          reason: `silent misread: differs from the original (${s.slice(0, 120)} vs ${o.summary.slice(0, 120)})`,
        });
      }
    }
    stage = 'top';
    let report;
    try {
      report = lib.top(p, c.topOpts);
    } catch (err) {
      // A bad option (sample index, regex) is a UserError: retry with defaults to reach the analysis.
      if (!(err instanceof lib.UserError)) throw err;
      const cls = classifyError(lib, err);
      if (cls.outcome === 'failure') return done(cls);
      report = lib.top(p, {});
    }
    stage = 'format';
    const text = lib.formatTop(report, {});
    if (typeof text !== 'string') return done({ outcome: 'failure', reason: 'formatTop returned no text' });
    // Nothing from a profile reaches a terminal raw (issue #13): every text output is checked.
    const raw = (t) => {
      const m = UNSAFE_IN_OUTPUT.exec(t);
      return m ? `raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in the text output` : undefined;
    };
    if (raw(text)) return done({ outcome: 'failure', reason: `top: ${raw(text)}` });
    stage = `extra:${c.extra}`;
    let extraText;
    if (c.extra === 'traces' && p.source.hasStacks) extraText = lib.formatTraces(lib.traces(p, {}), {});
    else if (c.extra === 'peek' && p.source.hasStacks)
      extraText = lib.formatPeek(lib.peek(p, c.topOpts.focus || '.', {}), {});
    else if (c.extra === 'flame' && p.source.hasStacks) {
      // As the HTML page builds it: the tree stops at depth 512, the graph is bounded.
      const tree = lib.buildFlameTree(p, { maxDepth: 512 });
      if (lib.pruneFlameTree && tree.count > 0) {
        const g = lib.pruneFlameTree(tree, 0, p.sampleTypes[0] ?? { type: '', unit: '' }, {
          list: [],
          index: new Map(),
        });
        if (g.name.length > 2 * 4000 + 600)
          return done({ outcome: 'failure', reason: `flame graph of ${g.name.length} frames` });
      }
    } else if (c.extra === 'analyze') lib.analyzeProfiles([{ profile: p, name: c.name }], lib.rules, {});
    if (extraText !== undefined && raw(extraText))
      return done({ outcome: 'failure', reason: `${c.extra}: ${raw(extraText)}` });
    return done({ outcome: 'ok' });
  } catch (err) {
    return done(classifyError(lib, err));
  }
}

/** Bytes to save as a reproducer. */
export function caseBytes(c) {
  return c.bytes ?? concat([]);
}
