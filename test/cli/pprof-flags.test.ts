import { describe, expect, it } from 'vitest';
import { normalizePprofArgs } from '../../src/cli/pprof-flags.js';

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
