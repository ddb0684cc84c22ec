/**
 * Inputs the fuzzer found, each a bug that was fixed: they must stay clean, one-line rejections.
 * Fixtures are in test/fixtures/fuzz/; inputs that are big or trivially built are built here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { top } from '../../src/analysis/top.js';
import { parseRule } from '../../src/diagnosis/rule-parse.js';
import { FormatError, InputError, UserError } from '../../src/errors.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import { nodeGunzip } from '../../src/input/gzip-node.js';
import type { Profile } from '../../src/profile/model.js';
import { validateProfile } from '../../src/profile/validate.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/fuzz/${name}`, import.meta.url)));

/** Runs `fn`; returns the error, which must be one of ours with a one-line message under 300 chars. */
function refusal(fn: () => unknown): Error {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a clean rejection').toBeInstanceOf(Error);
  const err = caught as Error;
  expect(err instanceof UserError || err instanceof FormatError, `${err.name}: ${err.message}`).toBe(true);
  expect(err.message).toMatch(/^[^\r\n]{1,299}$/);
  return err;
}

const parse = (bytes: Uint8Array, name = 'input') => parseProfileBytes(bytes, name, { gunzip: nodeGunzip });

describe('numbers out of range in text profiles (were Infinity in the model, or a RangeError)', () => {
  it.each([
    ['heap-count-overflow.txt', /line 2: number out of range/],
    ['heap-unsample-infinite.txt', /line 2: number out of range/],
    ['goroutine-count-overflow.txt', /line 2: number out of range/],
    ['mutex-period-overflow.txt', /line 3: malformed sampling period/],
  ])('%s is refused, naming the line', (name, message) => {
    const err = refusal(() => parse(fixture(name), name));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(message);
  });

  it('a goroutine dump blocked for 400-digit minutes keeps them in the state text, not as Infinity', () => {
    const p = parse(fixture('dump-minutes-overflow.txt'));
    expect(validateProfile(p)).toEqual([]);
    const labels = p.samples.labels![0]!;
    expect(labels.find((l) => l.key === 'wait_minutes')?.num).toBe(0);
    expect(labels.find((l) => l.key === 'state')?.str).toMatch(/^chan receive, 9{400} minutes$/);
  });

  it('a pasted table with 1e999MB is not read as Infinity', () => {
    let p: Profile | undefined;
    try {
      p = parse(fixture('top-table-infinite.txt'));
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return;
    }
    for (const r of p.table?.rows ?? []) {
      expect(Number.isFinite(r.flat) && Number.isFinite(r.cum)).toBe(true);
    }
  });
});

describe('text profiles: size and junk', () => {
  it('a pasted table whose row "continues" for 20,000 wrapped lines is refused at once (was quadratic: minutes)', () => {
    const lines = [
      '      flat  flat%   sum%        cum   cum%',
      '  2.13mins 34.62% 34.62%   2.13mins 34.62%  runtime.futex',
    ];
    for (let i = 0; i < 20_000; i++) lines.push('x'.repeat(100));
    const t = performance.now();
    const err = refusal(() => parse(new TextEncoder().encode(lines.join('\n')), 'wrapped.txt'));
    expect(err.message).toMatch(/^wrapped\.txt: line \d+: a row's name runs over 16384 characters/);
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('binary junk quoted from a text line stays short', () => {
    // 60 control characters in one line (were 360 characters of \u escapes); the long rest keeps it text.
    const junk = String.fromCharCode(...Array.from({ length: 60 }, (_, i) => 1 + (i % 8)));
    const rest = '1: 8 [1: 8] @ 0x1\n#\t0x1\tmain.f+0x1\t/a.go:1\n\n'.repeat(200);
    const text = `heap profile: 1: 2 [3: 4] @ heap/1048576\n${junk}\n${rest}`;
    const err = refusal(() => parse(new TextEncoder().encode(text), 'junk.txt'));
    expect(err.message).toMatch(/^junk\.txt: line 2: expected a heap record/);
  });
});

describe('profile.proto amplification', () => {
  it('1M sample types × 1M empty samples (4 MB) is refused before allocating 8 TB', () => {
    const n = 1_000_000;
    const b = new Uint8Array(4 * n + 2);
    for (let i = 0; i < n; i++) {
      b[2 * i] = 0x0a; // sample_type {}
      b[2 * n + 2 * i] = 0x12; // sample {}
    }
    b[4 * n] = 0x32; // string_table ""
    const t = performance.now();
    const err = refusal(() => parse(b, 'amplified.pb'));
    expect(err.message).toMatch(/sample values do not match the 1000000 sample types/);
    // A hang guard (it used to allocate 8 TB); the 2 s target is checked by `npm run fuzz`, not here.
    expect(performance.now() - t).toBeLessThan(10_000);
  });

  it('binary junk in string table entry 0 is quoted briefly', () => {
    const b = Uint8Array.from([0x32, 40, ...new Array(40).fill(0x01)]);
    const err = refusal(() => parse(b, 'junk.pb'));
    expect(err.message).toMatch(/string table entry 0 must be empty/);
  });

  it('a wrong --sample-index on a profile with 1000 sample types gives a one-line error', () => {
    const parts: number[] = [];
    for (let i = 0; i < 1000; i++) parts.push(0x0a, 0x02, 0x08, 0x01); // sample_type { type: 1 }
    parts.push(0x32, 0x00, 0x32, 0x0b, ...new TextEncoder().encode('contentions'));
    const p = parse(Uint8Array.from(parts), 'many-types.pb');
    const err = refusal(() => top(p, { sampleIndex: 'nope' }));
    expect(err.message).toMatch(/^sample_index "nope" must be one of: \[contentions contentions .*…\]$/);
  });
});

describe('rule files', () => {
  const real = readFileSync(new URL('../../rules/etcd-server/lease-keepalive-storm.yaml', import.meta.url), 'utf8');

  it('a 20 kB value quoted in a validation error is shortened', () => {
    expect(parseRule(real, 'r.yaml').id).toBe('lease-keepalive-storm');
    const broken = real.replace(/^(\s+)flat: \S+/m, `$1flat: '${'a'.repeat(20000)}'`);
    expect(broken).not.toBe(real);
    const err = refusal(() => parseRule(broken, 'r.yaml'));
    expect(err.message).toMatch(/^r\.yaml: detect\[0\]\.require\[0\]\.flat: 'aaaa.*…/);
  });

  it('a rule file over 256 KiB is refused without parsing it', () => {
    const t = performance.now();
    const err = refusal(() => parseRule(`${real}# ${'x'.repeat(300 * 1024)}\n`, 'big.yaml'));
    expect(err.message).toMatch(/larger than 256 KiB/);
    expect(performance.now() - t).toBeLessThan(100);
  });
});
