/**
 * "A under B" on a pasted peek report (go tool pprof -peek, Go 1.24, of the many-watchers heap):
 * verified where an edge shows B calling A directly, unverified otherwise, as on any table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileView } from '../../src/diagnosis/matcher.js';
import { compilePattern } from '../../src/diagnosis/patterns.js';
import type { CompiledPattern } from '../../src/diagnosis/schema.js';

const compilePatterns = (ps: string[]): CompiledPattern[] =>
  ps.map((pattern) => ({ pattern, regex: compilePattern(pattern) }));
import { parseTextProfile } from '../../src/input/text/index.js';

const root = join(import.meta.dirname, '..', '..');
const peek = parseTextProfile(
  readFileSync(join(root, 'test/fixtures/paste/forms/peek-go1.24-watchers-heap.txt'), 'utf8'),
)!;
const view = new ProfileView(peek, 'peek');
const KB = 1024;

describe('under on a peek report', () => {
  it('a direct caller: verified, with the value on its edge', () => {
    const m = view.measure(
      {
        frame: compilePatterns(['go.etcd.io/etcd/mvcc.(*watchableStore).watch']),
        under: compilePatterns(['go.etcd.io/etcd/mvcc.(*watchStream).Watch']),
      },
      0,
    );
    expect(m.unverified).toEqual([]);
    expect(m.cum).toBe(Math.round(5121.09 * KB));
    expect(m.functions.map((f) => f.name)).toEqual(['go.etcd.io/etcd/mvcc.(*watchableStore).watch']);
  });

  it('near miss: a caller further up (no direct edge) stays unverified', () => {
    const m = view.measure(
      {
        frame: compilePatterns(['go.etcd.io/etcd/mvcc.(*watchableStore).watch']),
        under: compilePatterns(['go.etcd.io/etcd/etcdserver/api/v3rpc.(*serverWatchStream).recvLoop']),
      },
      0,
    );
    expect(m.unverified).toHaveLength(1);
    expect(m.unverified[0]).toMatch(/under .*recvLoop/);
  });
});
