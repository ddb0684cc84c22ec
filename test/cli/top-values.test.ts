/**
 * The built CLI with pprof's -unit, -mean, -mean_delay, -divide_by and tag filters: pprof's
 * spellings and our dashed long forms give the bytes `go tool pprof` printed (goldens in
 * test/golden/), its warnings go to stderr, and bad values end in one line on stderr with exit 2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root, runCli } from './cli-helpers.js';

beforeAll(ensureBuilt, 120_000);

const golden = (f: string) => readFileSync(join(root, 'test', 'golden', f), 'utf8');
const HEAP = 'test/fixtures/go/heap.pb.gz';
const CPU = 'test/fixtures/go/cpu.pb.gz';

describe('top: value and tag options', () => {
  it.each([
    ['go-heap/top_tagfocus=bytes=1kb_.txt', ['-tagfocus=bytes=1kb:', HEAP]],
    ['go-heap/top_tagfocus=bytes=1kb_.txt', ['--tag-focus', 'bytes=1kb:', HEAP]],
    ['go-cpu/top_tagfocus=tenant=beta_alpha.txt', [CPU, '--tag-focus=tenant=beta,alpha']],
    ['go-cpu/top_tagignore=worker_hash.txt', [CPU, '--tagignore', 'worker:hash']],
    ['go-heap/top_unit=kb.txt', [HEAP, '-unit=kb']],
    ['go-heap/top_mean.txt', [HEAP, '--mean']],
    ['go-heap/top_divide_by=2.txt', [HEAP, '--divide-by', '2']],
    ['go-heap/top_divide_by=2.txt', [HEAP, '-divide_by=2']],
    ['go-mutex/top_mean_delay.txt', ['test/fixtures/go/mutex.pb.gz', '-mean_delay']],
  ])('prints %s for %j', (file, args) => {
    const r = runCli(['top', ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden(file));
  });

  it("prints pprof's notes and warnings on stderr", () => {
    const range = runCli(['top', HEAP, '-tagfocus=bytes=1kb:']);
    expect(range.stderr).toBe("tagfocus:Interpreted '1kb:' as range, not regexp\n");
    const none = runCli(['top', HEAP, '--tag-focus', 'nomatch']);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('TagFocus expression matched no samples\n');
    expect(none.stdout).toContain('Showing nodes accounting for 0, 0% of 24.99MB total\n');
  });

  it('prints what pprof prints for a unit that does not apply, with a one-line note', () => {
    const r = runCli(['top', HEAP, '-unit=ms']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden('go-heap/top_unit=ms.txt'));
    expect(r.stderr).toBe(
      "pprof-doctor: unit 'ms' is not one of B, kB, MB, GB, TB, PB: values in bytes are shown in B, as go tool pprof does\n",
    );
  });

  it('notes a divisor pprof ignores', () => {
    const r = runCli(['top', HEAP, '--divide-by=-4', '--nodecount=1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^pprof-doctor: divide_by -4 is ignored .*values are not divided\n$/);
  });

  it.each([
    [['--divide-by=abc'], "pprof-doctor: --divide-by needs a number, got 'abc'"],
    [['-divide_by=0'], 'pprof-doctor: zero divisor specified'],
    [['--tag-focus=('], 'pprof-doctor: parsing tagfocus regexp: error parsing regexp: missing closing ): `(`'],
    [
      ['--tag-hide=a[', '--tag-focus=bytes=1kb:'],
      'pprof-doctor: parsing taghide regexp: error parsing regexp: missing closing ]: `[`',
    ],
    [
      ['-tagfocus=99999999999999999999kb:'],
      'pprof-doctor: parsing tagfocus range: 99999999999999999999 is out of the range of a 64-bit integer',
    ],
    [
      ['--mean-delay', '-sample_index=delay'],
      'pprof-doctor: choose one sample type, not --mean-delay and --sample-index=delay',
    ],
  ])('refuses %j in one line with exit code 2', (args, message) => {
    const r = runCli(['top', HEAP, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
  });

  it('lists the options in --help', () => {
    const r = runCli(['top', '--help']);
    expect(r.code).toBe(0);
    for (const o of [
      '--unit',
      '--mean',
      '--mean-delay',
      '--divide-by',
      '--tag-focus',
      '--tag-ignore',
      '--tag-show',
      '--tag-hide',
    ]) {
      expect(r.stdout).toContain(o);
    }
  });
});
