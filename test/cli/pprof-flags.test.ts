import { describe, expect, it } from 'vitest';
import { normalizePprofArgs, pprofBaseFlag } from '../../src/cli/pprof-flags.js';
import { ensureBuilt, runCli } from './cli-helpers.js';

describe('normalizePprofArgs', () => {
  it('rewrites pprof single-dash underscore flags to long dashed options', () => {
    expect(
      normalizePprofArgs(['-sample_index=inuse_space', '-cum', '-nodecount=20', '-show_from=etcd', '-inuse_space']),
    ).toEqual(['--sample-index=inuse_space', '--cum', '--nodecount=20', '--show-from=etcd', '--inuse-space']);
  });

  it('accepts the double-dash underscore form Go also accepts', () => {
    expect(normalizePprofArgs(['--sample_index=1', '--prune_from', 'x'])).toEqual([
      '--sample-index=1',
      '--prune-from',
      'x',
    ]);
  });

  it('leaves values, short flags, files, stdin and everything after -- alone', () => {
    expect(normalizePprofArgs(['-focus=a_b|-c_d', '-o', 'out_file.pb.gz', '-', 'heap_1.pb.gz'])).toEqual([
      '--focus=a_b|-c_d',
      '-o',
      'out_file.pb.gz',
      '-',
      'heap_1.pb.gz',
    ]);
    expect(normalizePprofArgs(['--', '-cum'])).toEqual(['--', '-cum']);
    expect(normalizePprofArgs(['--sample-index=x', '-5'])).toEqual(['--sample-index=x', '-5']);
  });
});

describe("pprof's -diff_base / -base outside diff", () => {
  it('are recognised in every spelling, not after --', () => {
    expect(pprofBaseFlag(normalizePprofArgs(['-diff_base=a.pb.gz', 'b.pb.gz']))).toBe('-diff_base');
    expect(pprofBaseFlag(normalizePprofArgs(['--diff_base', 'a.pb.gz']))).toBe('-diff_base');
    expect(pprofBaseFlag(normalizePprofArgs(['-base=a.pb.gz']))).toBe('-base');
    expect(pprofBaseFlag(normalizePprofArgs(['--', '-base=a.pb.gz']))).toBeUndefined();
    expect(pprofBaseFlag(normalizePprofArgs(['-baseline=x', '-cum']))).toBeUndefined();
  });

  it.each([
    [['top', 'samples/docs/etcd-3.2.23-leader-heap.pb.gz', '-diff_base=old.pb.gz'], 'top: -diff_base', ''],
    [
      ['peek', 'samples/docs/etcd-3.2.23-leader-heap.pb.gz', 'x', '-base', 'old.pb.gz'],
      'peek: -base',
      ' --mode subtract',
    ],
    [['traces', '-diff_base', 'old.pb.gz', 'samples/docs/etcd-3.2.23-leader-heap.pb.gz'], 'traces: -diff_base', ''],
  ])('%j: one line pointing to pprof-doctor diff, exit 2', (args, what, mode) => {
    ensureBuilt();
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `pprof-doctor ${what} compares two profiles, which is its own command here: pprof-doctor diff <base> <new>${mode}\n`,
    );
  });
});
