/**
 * The built CLI end to end: pprof's flag spellings, byte-for-byte output against the goldens of
 * `go tool pprof` (a sample of them; test/golden/top.test.ts checks them all through the library),
 * JSON output, and one-line errors with exit code 2. TZ is set to a non-UTC zone on purpose: our
 * `Time:` is UTC unless --tz local.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root, runCli } from './cli-helpers.js';

beforeAll(ensureBuilt, 120_000);

const golden = (f: string) => readFileSync(join(root, 'test', 'golden', f), 'utf8');

describe('pprof-doctor top', () => {
  it.each([
    ['large.cpu/top.txt', ['test/fixtures/large.cpu.pb.gz']],
    ['large.cpu/top_sample_index=samples,cum.txt', ['-sample_index=samples', '-cum', 'test/fixtures/large.cpu.pb.gz']],
    [
      'go-heap/top_sample_index=alloc_space,nodecount=10.txt',
      ['test/fixtures/go/heap.pb.gz', '-alloc_space', '-nodecount=10'],
    ],
    ['go-cpu/top_sample_index=cpu,lines.txt', ['test/fixtures/go/cpu.pb.gz', '--sample-index=cpu', '--lines']],
    [
      'go-cpu/top_sample_index=cpu,focus=main.txt',
      ['test/fixtures/go/cpu.pb.gz', '--sample_index=cpu', '-focus', 'main'],
    ],
    ['go-mutex/top_sample_index=delay.txt', ['-total_delay', 'test/fixtures/go/mutex.pb.gz']],
  ])('matches %s', (file, args) => {
    const r = runCli(['top', ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden(file));
  });

  it('reads stdin with -', () => {
    const r = runCli(['top', '-'], readFileSync(join(root, 'test/fixtures/large.cpu.pb.gz')));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('large.cpu/top.txt'));
  });

  it('prints the Time header in the new style on request', () => {
    const r = runCli(['top', 'test/fixtures/large.cpu.pb.gz', '--time-style', 'new', '--nodecount=1']);
    expect(r.stdout).toContain('\nTime: 2022-10-18 15:39:57 UTC\n');
  });

  it('prints JSON rows in the sample unit', () => {
    const r = runCli(['top', 'test/fixtures/large.cpu.pb.gz', '--format', 'json', '-nodecount=3']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.sampleType).toBe('cpu');
    expect(j.unit).toBe('nanoseconds');
    expect(j.total).toBe(240_290_000_000);
    expect(j.rows.map((x: { name: string }) => x.name)).toEqual(['time.Now', 'time.now', 'main.next']);
    expect(j.rows[0]).toEqual({
      name: 'time.Now',
      flat: 205_170_000_000,
      flatPercent: (205_170_000_000 / 240_290_000_000) * 100,
      cum: 205_170_000_000,
      cumPercent: (205_170_000_000 / 240_290_000_000) * 100,
    });
  });

  it.each([
    [['--sample-index=nope'], /^pprof-doctor: sample_index "nope" must be one of: \[samples cpu\]\n$/],
    [['-focus=('], /^pprof-doctor: parsing focus regexp: .*\n$/],
    [['--lines', '--files'], /^pprof-doctor: conflicting options set: --files --lines\n$/],
    [['-inuse_space', '-alloc_space'], /^pprof-doctor: choose one sample type, not --inuse-space and --alloc-space\n$/],
    [['--nodecount=-3'], /^pprof-doctor: --nodecount needs a whole number/],
  ])('rejects %j with one line and exit code 2', (args, re) => {
    const r = runCli(['top', 'test/fixtures/large.cpu.pb.gz', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});

describe('pprof-doctor peek and traces', () => {
  it('peek matches the golden', () => {
    const r = runCli(['peek', 'test/fixtures/go/cpu.pb.gz', 'main\\.(fib|step|mix)']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('go-cpu/peek_main_._fib_step_mix_.txt'));
  });

  it('peek without a match fails like pprof', () => {
    const r = runCli(['peek', 'test/fixtures/go/cpu.pb.gz', '^nomatch$']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pprof-doctor: no matches found for regexp: ^nomatch$\n');
  });

  it('traces matches the golden', () => {
    const r = runCli(['traces', 'test/fixtures/go/goroutine.pb.gz']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('go-goroutine/traces.txt'));
  });
});
