import { describe, expect, it } from 'vitest';
import { top } from '../../../src/analysis/top.js';
import { FormatError } from '../../../src/errors.js';
import { parseTextProfile } from '../../../src/input/text/index.js';
import { asObject, fixtureText, flatCum, loadProto, parseFixture, total } from './helpers.js';

describe('mutex and block debug=1 text: parity with the proto of the same moment (go1.19)', () => {
  it.each([
    ['mutex', 'go119/mutex.debug1.txt', 'go119/mutex.pb.gz'],
    ['block', 'go119/block.debug1.txt', 'go119/block.pb.gz'],
    ['mutex (test/fixtures/go)', '../go/mutex.debug1.txt', '../go/mutex.pb.gz'],
    ['block (test/fixtures/go)', '../go/block.debug1.txt', '../go/block.pb.gz'],
  ])('%s: same layout, totals and per-function flat/cum for both types', (_, t, pb) => {
    const text = parseFixture(t);
    const proto = loadProto(pb);
    expect(text.source.format).toBe('contention-text');
    expect(text.sampleTypes).toEqual(proto.sampleTypes);
    expect(text.periodType).toEqual(proto.periodType);
    expect(text.period).toBe(proto.period);
    for (const k of [0, 1]) {
      expect(total(text, k)).toBe(total(proto, k));
      expect(asObject(flatCum(text, k))).toEqual(asObject(flatCum(proto, k)));
    }
    expect(top(text, {}).rows).toEqual(top(proto, {}).rows);
  });

  it('scales Go 1.19 mutex text by the sampling period, as its proto writer does', () => {
    const text = parseFixture('go119/mutex.debug1.txt');
    // --- mutex: cycles/second=2445453094, sampling period=5, record "486317802 155 @ …"
    expect(text.samples.values[0]).toBe(155 * 5);
    expect(text.samples.values[1]).toBe(Math.trunc((486317802 / (2445453094 / 1e9)) * 5));
    expect(text.source.notes.join(' ')).toMatch(/multiplied by 5/);
  });

  it('uses Go ≥ 1.20 mutex text (already scaled at record time) as printed', () => {
    // The same record as Go 1.20+ would print it: count and cycles already multiplied by 5.
    const modern = fixtureText('go119/mutex.debug1.txt').replace(/^486317802 155 @/m, `${486317802 * 5} ${155 * 5} @`);
    const p = parseTextProfile(modern)!;
    const proto = loadProto('go119/mutex.pb.gz');
    expect(p.samples.values[0]).toBe(proto.samples.values[0]);
    expect(p.samples.values[1]).toBe(Math.trunc((486317802 * 5) / (2445453094 / 1e9)));
    expect(Math.abs(p.samples.values[1]! - proto.samples.values[1]!)).toBeLessThanOrEqual(1);
    expect(p.source.notes.join(' ')).toMatch(/already include it/);
  });

  it('does not scale block profiles', () => {
    const p = parseFixture('go119/block.debug1.txt');
    // first record: "7200856437 799 @ …" at 2445453094 cycles/second
    expect(p.samples.values[0]).toBe(799);
    expect(p.samples.values[1]).toBe(Math.trunc(7200856437 / (2445453094 / 1e9)));
  });

  it('groups the inlined sync.(*Mutex).Lock with its caller', () => {
    const p = parseFixture('go119/block.debug1.txt');
    const lock = p.functions.findIndex((f) => f.name === 'sync.(*Mutex).Lock');
    const loc = p.locations.find((l) => l.lines[0]?.fn === lock)!;
    expect(loc.lines.map((l) => p.functions[l.fn]!.name)).toEqual(['sync.(*Mutex).Lock', 'main.contend.func1']);
  });
});

describe('contention text: edge cases', () => {
  it('reads legacy attributes and keeps cycles when cycles/second is missing', () => {
    const p = parseTextProfile(
      '--- contention:\nms since reset = 2000\n100 2 @ 0x10 0x20\n#\t0xf\tmain.f+0xf\t/a.go:1\n',
    )!;
    expect(p.durationNanos).toBe(2e9);
    expect(Array.from(p.samples.values)).toEqual([2, 100]);
    expect(p.source.notes.join(' ')).toMatch(/CPU cycles/);
  });

  it('throws one-line FormatErrors with the line number', () => {
    const bad = '--- mutex:\ncycles/second=1000000000\nsampling period=abc\n';
    expect(() => parseTextProfile(bad)).toThrow(FormatError);
    expect(() => parseTextProfile(bad)).toThrow(/^line 3: malformed sampling period "abc"$/);
    expect(() => parseTextProfile('--- mutex:\ncycles/second=1000000000\n10 1 @ 0x10\nbogus line\n')).toThrow(
      /^line 4: expected a '<cycles> <count> @ 0x…' record/,
    );
  });
});
