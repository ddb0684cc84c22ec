/**
 * The analysis report's top table writes values with autoLabel — the function its evidence lines
 * and totals use — so 13,439,396 bytes read 12.82MB in the table as in the evidence, not 13124.41kB
 * (pprof's table-wide minimum unit, which `pprof-doctor top` keeps for byte-for-byte output).
 */
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/input/load.js';
import { autoLabel } from '../../src/profile/units.js';
import { pprofTopRows } from '../../src/report/top-rows.js';
import { top } from '../../src/analysis/top.js';
import { formatTop } from '../../src/report/pprof-text.js';

describe('pprofTopRows', () => {
  it('formats every value with autoLabel, per value', async () => {
    const p = await loadProfile('samples/etcd-3.4.23/many-leases/heap.pb.gz');
    const idx = p.sampleTypes.findIndex((t) => t.type === 'inuse_space');
    const rows = pprofTopRows(p, idx, 10);
    expect(rows.length).toBe(10);
    for (const r of rows) {
      expect(r.flatText).toBe(autoLabel(r.flat, 'bytes'));
      expect(r.cumText).toBe(autoLabel(r.cum, 'bytes'));
    }
    const grant = rows.find((r) => r.name.endsWith('lease.(*lessor).Grant'))!;
    expect(grant.flatText).toBe('12.82MB');
    // pprof's own layout still picks one unit for its whole table.
    expect(formatTop(top(p, { sampleIndex: 'inuse_space' }))).toContain('13124.41kB');
  });
});
