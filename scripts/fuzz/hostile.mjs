/**
 * Hostile strings (issue #13): what a crafted profile, rule file or server can put in a name to
 * act on a terminal, a ticket or a browser. Used by the fuzzer (generator `hostile`) and by
 * test/safety/hostile-output.test.ts. Each entry says what it attacks.
 */
import { gzipSync } from 'node:zlib';
import { deepStackProfile, sampleBomb, sampleBombGzip } from './synth.mjs';

/** [what, string] */
export const HOSTILE_STRINGS = [
  ['OSC 0 window title', 'attacker.Title\x1b]0;pwned\x07'],
  ['screen clear', 'attacker.Clear\x1b[2J\x1b[H'],
  ['OSC 52 clipboard write', 'attacker.Clip\x1b]52;c;cm0gLXJmIH4K\x07'],
  ['OSC 8 hyperlink', 'attacker.Link\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\'],
  ['carriage return', 'attacker.CR\roverwritten'],
  ['bidi override', 'attacker.Bidi\u202egnp.exe\u202c'],
  ['bidi isolate and marks', 'attacker.Iso\u2066x\u2069\u200e\u200f\u061c'],
  ['zero-width', 'attacker.ZW\u200b\u200c\u200d\u2060\ufeff'],
  ['newline fake row', 'attacker.NL\n    99.99GB 99.99% 99.99%    99.99GB 99.99%  attacker.FakeRow'],
  ['line separator heading and image', 'attacker.LS\u2028## Heading\u2029![x](https://evil.example/pixel.png)'],
  ['NEL table cell', 'attacker.NEL\u0085| x | y |'],
  ['C1 CSI', 'attacker.C1\u009b31mred'],
  ['DEL and NUL', 'attacker.DEL\u007f\u0000'],
  ['HTML script', 'attacker.Html</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'],
  [
    'Markdown links',
    'attacker.Md`code` **bold** [link](https://evil.example) <https://evil.example> www.evil.example a@evil.example',
  ],
  ['tab', 'attacker.Tab\tX'],
  ['vertical tab and form feed', 'attacker.VT\u000b\u000c'],
];

/**
 * Every character that must never reach a terminal raw. A whole output may hold newlines and the
 * tabs of pprof's own layouts (`peek`'s legend); a name's tab is escaped (`\t`).
 */
export const UNSAFE_IN_OUTPUT =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/**
 * Options for the test helper `buildProfile` (test/helpers/build-profile.ts) that put a hostile
 * string everywhere a profile has text: function and file names, labels, comments, the mapping,
 * the sample types.
 */
export function hostileProfileSpec(strings = HOSTILE_STRINGS.map((x) => x[1])) {
  const samples = strings.map((name, i) => ({
    stack: [{ fn: name, file: `/src/${name}.go`, line: 10 + i }, 'main.main', 'runtime.main'],
    values: [i + 1, (i + 1) * 10_000_000],
    labels: [
      { key: `k${i}${strings[(i + 1) % strings.length]}`, str: strings[(i + 2) % strings.length] },
      { key: 'bytes', num: 1024 * (i + 1), unit: 'bytes' },
    ],
  }));
  return {
    sampleTypes: [
      ['samples', 'count'],
      ['cpu', 'nanoseconds'],
    ],
    period: 10_000_000,
    periodType: ['cpu', 'nanoseconds'],
    timeNanos: 1_700_000_000_000_000_000,
    durationNanos: 30_000_000_000,
    comments: strings.slice(0, 4),
    mappings: [`/bin/${strings[0]}`],
    samples,
  };
}

// ---------------------------------------------------------------------------------------------
// Fuzzer generators (cases.mjs, target `hostile`)

const enc = new TextEncoder();

function varint(v) {
  const out = [];
  let x = v;
  while (x >= 0x80) {
    out.push((x % 128) | 0x80);
    x = Math.floor(x / 128);
  }
  out.push(x);
  return out;
}
const vf = (f, v) => [f << 3, ...varint(v)];
const lf = (f, body) => [(f << 3) | 2, ...varint(body.length), ...body];

/**
 * A small profile.proto whose names, file names, label keys and values, comments, mapping file
 * and (optionally) drop_frames / keep_frames are the given strings.
 */
export function hostileProto(names, { drop, keep, depth = 3 } = {}) {
  const strings = [''];
  const index = new Map([['', 0]]);
  const S = (s) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const parts = [];
  parts.push(...lf(1, [...vf(1, S('samples')), ...vf(2, S('count'))]));
  parts.push(...lf(1, [...vf(1, S('cpu')), ...vf(2, S('nanoseconds'))]));
  parts.push(...lf(3, [...vf(1, 1), ...vf(2, 0x400000), ...vf(3, 0x800000), ...vf(5, S(`/bin/${names[0] ?? 'x'}`))]));
  names.forEach((n, i) => {
    parts.push(...lf(5, [...vf(1, i + 1), ...vf(2, S(n)), ...vf(3, S(n)), ...vf(4, S(`/src/${n}.go`))]));
    parts.push(
      ...lf(4, [...vf(1, i + 1), ...vf(2, 1), ...vf(3, 0x401000 + i), ...lf(4, [...vf(1, i + 1), ...vf(2, 7)])]),
    );
  });
  const k = names.length;
  for (let i = 0; i < k; i++) {
    const stack = [];
    for (let d = 0; d < depth; d++) stack.push(((i + d) % k) + 1);
    const label = lf(3, [...vf(1, S(names[(i + 1) % k])), ...vf(2, S(names[(i + 2) % k]))]);
    parts.push(
      ...lf(2, [...lf(1, stack.flatMap(varint)), ...lf(2, [...varint(i + 1), ...varint(1000 * (i + 1))]), ...label]),
    );
  }
  for (const c of names.slice(0, 3)) parts.push(...vf(13, S(c)));
  if (drop !== undefined) parts.push(...vf(7, S(drop)));
  if (keep !== undefined) parts.push(...vf(8, S(keep)));
  for (const s of strings) parts.push(...lf(6, [...enc.encode(s)]));
  return Uint8Array.from(parts);
}

/** Pattern bombs: counted repetitions, nested, Unicode classes, long literals. */
const PATTERN_BOMBS = [
  () => '\\pL{1000}'.repeat(1000),
  () => '(\\pL{1000}){1000}',
  () => '((a{100}){100}){100}',
  () => '[\\p{Greek}\\p{Han}]{1000}[\\pN]{1000}',
  () => 'x'.repeat(20000),
  () => '(a|b|c|d|e){999}',
  () => '\\Q' + 'y'.repeat(6000) + '\\E',
  () => '.{1000}.{1000}.{1000}',
  () => '(?i)(\\w{500}){5}',
];

/** A random hostile string: one of HOSTILE_STRINGS, or a random mix of unsafe characters. */
function randomHostile(rng) {
  if (rng.bool(0.6)) return rng.pick(HOSTILE_STRINGS)[1];
  const pool = [
    '\x1b',
    '\x07',
    '\r',
    '\n',
    '\t',
    '\u202e',
    '\u2066',
    '\u200b',
    '\ufeff',
    '\u2028',
    '\u2029',
    '\u0085',
    '\u009b',
    '\x7f',
    '\x00',
    '|',
    '`',
    '<',
    '>',
    '[',
    ']',
    '(',
    ')',
    '!',
    '#',
    'a',
    '.',
    ':',
    '/',
    '@',
    '\\',
  ];
  let s = 'attacker.';
  const n = rng.range(1, 60);
  for (let i = 0; i < n; i++) s += rng.pick(pool);
  return s;
}

/**
 * One hostile case: { bytes, op, limits?, maxSize?, extra? }.
 *  - sample bombs: many tiny samples / locations / strings / labels / comments, under a lowered
 *    limit (must be refused) or, rarely, the 1 MB gzip that inflates to ~600 MiB (refused by the
 *    ratio cap);
 *  - pattern bombs: the profile's drop_frames / keep_frames (must be ignored, quickly);
 *  - deep equal chains: one recursion 10,000-2,000,000 frames deep (flame graph bounded);
 *  - hostile strings: names, labels, comments and mapping (no raw control character in any text).
 */
export function hostileCase(rng) {
  const kind = rng.weighted([
    [30, 'sample-bomb'],
    [25, 'pattern-bomb'],
    [15, 'deep-chain'],
    [30, 'strings'],
  ]);
  switch (kind) {
    case 'sample-bomb': {
      if (rng.bool(0.02))
        return { bytes: sampleBombGzip(600), op: 'hostile:sample-bomb(gzip 600 MiB)', expect: 'reject' };
      const records = [
        ['samples', Uint8Array.of(0x12, 0x05, 0x0a, 0x01, 0x01, 0x10, 0x01)],
        ['locations', Uint8Array.of(0x22, 0x00)],
        ['functions', Uint8Array.of(0x2a, 0x00)],
        ['strings', Uint8Array.of(0x32, 0x00)],
        ['types', Uint8Array.of(0x0a, 0x00)],
        ['comments', Uint8Array.of(0x68, 0x00)],
        ['labels', Uint8Array.of(0x12, 0x0b, 0x0a, 0x01, 0x01, 0x10, 0x01, 0x1a, 0x04, 0x08, 0x03, 0x10, 0x01)],
      ];
      const [name, record] = rng.pick(records);
      const limit = rng.range(10, 20000);
      const count = limit + rng.range(1, 5000);
      const bytes = sampleBomb(count, record);
      return {
        bytes: rng.bool(0.3) ? gz(bytes) : bytes,
        op: `hostile:sample-bomb(${name} ${count} > ${limit})`,
        limits: { [name]: limit },
        expect: 'reject',
      };
    }
    case 'pattern-bomb': {
      const names = Array.from({ length: rng.range(1, 8) }, () => `main.f${rng.range(0, 1000)}`);
      const bomb = rng.pick(PATTERN_BOMBS)();
      const where = rng.pick(['drop', 'keep']);
      const opts = where === 'drop' ? { drop: bomb } : { drop: 'main\\..*', keep: bomb };
      return { bytes: hostileProto(names, opts), op: `hostile:pattern-bomb(${where}_frames ${bomb.length} chars)` };
    }
    case 'deep-chain': {
      const frames = rng.pick([10_000, 30_000, 100_000]);
      const bytes = deepStackProfile(frames, rng.range(1, 4) === 1 ? 3 : rng.range(2, 50));
      return {
        bytes: rng.bool(0.5) ? gz(bytes) : bytes,
        op: `hostile:deep-chain(${frames})`,
        extra: rng.pick(['flame', 'flame', 'peek', 'none']),
      };
    }
    default: {
      const names = Array.from({ length: rng.range(1, 12) }, () => randomHostile(rng));
      return { bytes: hostileProto([...new Set(names)], { depth: rng.range(1, 4) }), op: 'hostile:strings' };
    }
  }
}

function gz(b) {
  return new Uint8Array(gzipSync(b, { level: 1 }));
}
