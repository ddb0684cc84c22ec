import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goroutineStacks } from '../../../src/analysis/goroutine-stacks.js';
import { computeTotal } from '../../../src/analysis/prepare.js';
import { ProfileView } from '../../../src/diagnosis/matcher.js';
import { FormatError } from '../../../src/errors.js';
import { parseGoLabelSet } from '../../../src/input/text/go-quote.js';
import { parseTextProfile } from '../../../src/input/text/index.js';
import type { Profile } from '../../../src/profile/model.js';
import { flatCum, loadProto, parseFixture, total } from './helpers.js';

/** The goroutine that wrote the profile has a different stack in each form. */
const writer = (names: string[]) => names.includes('runtime/pprof.(*Profile).WriteTo');

/**
 * Compares a text count profile with the proto of the same moment. Known, documented difference:
 * the text hides the leading runtime frames of each stack (runtime.gopark …), so functions
 * missing from the text must all be runtime.* and only flat may move; every function the text
 * shows has the proto's cum.
 */
function expectCountParity(text: Profile, proto: Profile, skip?: (names: string[]) => boolean) {
  expect(total(text, 0)).toBe(total(proto, 0));
  const a = flatCum(text, 0, skip);
  const b = flatCum(proto, 0, skip);
  for (const [name, v] of a) expect({ name, cum: v.cum }).toEqual({ name, cum: b.get(name)?.cum });
  for (const name of b.keys()) if (!a.has(name)) expect(name).toMatch(/^runtime\./);
  let flatA = 0;
  let flatB = 0;
  for (const v of a.values()) flatA += v.flat;
  for (const v of b.values()) flatB += v.flat;
  expect(flatA).toBe(flatB);
}

describe('goroutine debug=1 text (go119 fixtures)', () => {
  const text = parseFixture('go119/goroutine.debug1.txt');
  const proto = loadProto('go119/goroutine.pb.gz');

  it('has the proto layout', () => {
    expect(text.source.format).toBe('count-text');
    expect(text.sampleTypes).toEqual([{ type: 'goroutine', unit: 'count' }]);
    expect(text.periodType).toEqual({ type: 'goroutine', unit: 'count' });
    expect(text.period).toBe(1);
    expect(total(text, 0)).toBe(23);
  });

  it('agrees with the proto: totals, and cum of every function shown', () => {
    expectCountParity(text, proto);
    expectCountParity(text, proto, writer);
    // The writing goroutine aside, the samples are the same groups.
    expect(flatCum(text, 0, writer).get('main.chanWorker')).toEqual({ flat: 0, cum: 8 });
    expect(flatCum(text, 0, writer).get('main.recvOne')).toEqual({ flat: 8, cum: 8 });
    expect(text.source.notes.join(' ')).toMatch(/hides the leading runtime frames/);
  });

  it('reads # labels: with Go escapes into string labels, like the proto', () => {
    const labelSets = (p: Profile) =>
      (p.samples.labels ?? [])
        .filter((l) => l !== undefined)
        .map((l) => Object.fromEntries(l!.map((x) => [x.key, x.str]).sort()))
        .sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    expect(labelSets(text)).toEqual([{ note: 'quote"and\ttab', worker: 'b' }, { worker: 'a' }]);
    expect(labelSets(text)).toEqual(labelSets(proto));
  });

  it('groups inlined frames (main.recvOne into main.chanWorker) into one location', () => {
    const recv = text.functions.findIndex((f) => f.name === 'main.recvOne');
    const loc = text.locations.find((l) => l.lines[0]?.fn === recv)!;
    expect(loc.lines.map((l) => text.functions[l.fn]!.name)).toEqual(['main.recvOne', 'main.chanWorker']);
  });
});

describe('threadcreate debug=1 text', () => {
  it('keeps the empty-stack record (`6 @` then `#\\t0x0`) as a sample without locations, as the proto does', () => {
    const text = parseFixture('go119/threadcreate.debug1.txt');
    const proto = loadProto('go119/threadcreate.pb.gz');
    expect(text.sampleTypes).toEqual([{ type: 'threadcreate', unit: 'count' }]);
    expectCountParity(text, proto);
    const s = text.samples;
    const empty = [...Array(s.length).keys()].filter((i) => s.stackStart[i] === s.stackStart[i + 1]);
    expect(empty.map((i) => s.values[i])).toEqual([6]);
  });
});

describe('count text: edge cases', () => {
  it('treats a record whose only frame is runtime.goexit (no # lines) as an empty stack', () => {
    const p = parseTextProfile(
      'goroutine profile: total 3\n2 @ 0x43a4b6 0x4eef87 0x466981\n#\t0x4eef86\tmain.f+0x26\t/src/main.go:94\n\n1 @ 0x466981\n\n',
    )!;
    expect(p.samples.length).toBe(2);
    expect(p.samples.stackStart[2]! - p.samples.stackStart[1]!).toBe(0);
    expect(p.locations.length).toBe(1);
  });

  it('falls back to bare addresses when no record has # lines', () => {
    const p = parseTextProfile('goroutine profile: total 1\n1 @ 0x43a4b6 0x466981\n')!;
    expect(p.locations.map((l) => l.address)).toEqual([0x43a4b5, 0x466980]);
    expect(p.source.notes.join(' ')).toMatch(/bare addresses/);
  });

  it('a text cut after some records: truncated, and shares are of the header total', () => {
    const p = parseTextProfile('goroutine profile: total 5\n2 @ 0x10\n#\t0xf\tmain.f+0xf\t/a.go:1\n')!;
    expect(p.source.truncated).toBe(true);
    expect(p.source.notes.join(' ')).toMatch(/records adding up to 2 of the header's total 5 are here/);
    expect(p.samples.declaredTotals).toEqual([5]);
    expect(computeTotal(p, 0)).toBe(5);
    expect(new ProfileView(p, 'p').total(0)).toBe(5);
    expect(goroutineStacks(p, 0, 1).groups[0]!.share).toBe(0.4);
  });

  it('near miss: records adding up to the header total, or past it, keep their own sum', () => {
    const whole = parseTextProfile('goroutine profile: total 2\n2 @ 0x10\n#\t0xf\tmain.f+0xf\t/a.go:1\n')!;
    expect(whole.samples.declaredTotals).toBeUndefined();
    expect(computeTotal(whole, 0)).toBe(2);
    const over = parseTextProfile('goroutine profile: total 1\n2 @ 0x10\n#\t0xf\tmain.f+0xf\t/a.go:1\n')!;
    expect(over.samples.declaredTotals).toBeUndefined();
    expect(computeTotal(over, 0)).toBe(2);
    expect(over.source.notes.join(' ')).toMatch(/total 1 but the records add up to 2/);
  });

  it('a real dump cut with head: the top table is of the whole dump', async () => {
    const full = readFileSync('samples/etcd-3.4.23/many-watchers/goroutine.debug1.txt', 'utf8');
    const cut = parseTextProfile(full.split('\n').slice(0, 60).join('\n'))!;
    const whole = parseTextProfile(full)!;
    expect(computeTotal(cut, 0)).toBe(computeTotal(whole, 0));
    // the first record's share is the same in the cut text as in the whole dump
    const first = (p: Profile) => goroutineStacks(p, 0, 1).groups[0]!;
    expect(first(cut).share).toBe(first(whole).share);
  });

  it('stops at a --- line, as pprof does', () => {
    const p = parseTextProfile(
      'goroutine profile: total 1\n1 @ 0x10\n#\t0xf\tmain.f+0xf\t/a.go:1\n--- memory map\ngarbage\n',
    )!;
    expect(p.samples.length).toBe(1);
  });

  it('throws one-line FormatErrors with the line number', () => {
    expect(() => parseTextProfile('goroutine profile: total 1\n1 @ 0x10\nnot a record\n')).toThrow(FormatError);
    expect(() => parseTextProfile('goroutine profile: total 1\n1 @ 0x10\nnot a record\n')).toThrow(
      /^line 3: expected a '<count> @ 0x…' record, got "not a record"$/,
    );
    expect(() => parseTextProfile('goroutine profile: total 1\n1 @ 0x10\n# labels: {"a":}\n')).toThrow(
      /^line 3: malformed goroutine labels/,
    );
  });
});

describe('Go label sets', () => {
  it('reads strconv.Quote escapes', () => {
    expect(parseGoLabelSet('{"a":"b"}')).toEqual([['a', 'b']]);
    expect(parseGoLabelSet('{}')).toEqual([]);
    expect(parseGoLabelSet('{"k":"\\x41\\u00e9\\U0001F600\\a\\101", "z":"é"}')).toEqual([
      ['k', 'Aé😀\u0007A'],
      ['z', 'é'],
    ]);
    expect(parseGoLabelSet('{"k":"\\xc3\\xa9"}')).toEqual([['k', 'é']]); // UTF-8 bytes
    expect(parseGoLabelSet('{"a":"b"')).toBeUndefined();
    expect(parseGoLabelSet('{"a" "b"}')).toBeUndefined();
    expect(parseGoLabelSet('{"a":"\\q"}')).toBeUndefined();
  });
});
