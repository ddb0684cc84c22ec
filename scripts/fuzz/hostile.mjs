/**
 * Hostile strings (issue #13): what a crafted profile, rule file or server can put in a name to
 * act on a terminal, a ticket or a browser. Used by the fuzzer (generator `hostile`) and by
 * test/safety/hostile-output.test.ts. Each entry says what it attacks.
 */

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
