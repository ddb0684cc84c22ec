import '../../src/profile/regex.js';
import { describe, expect, it } from 'vitest';
import { peek } from '../../src/analysis/peek.js';
import { resolveSampleIndex } from '../../src/analysis/prepare.js';
import { top } from '../../src/analysis/top.js';
import { traces } from '../../src/analysis/traces.js';
import { UserError } from '../../src/errors.js';
import type { Profile } from '../../src/profile/model.js';
import { formatPeek, formatTime, formatTop, formatTraces, topJson } from '../../src/report/pprof-text.js';
import { buildProfile } from '../helpers/build-profile.js';

const MS = 1_000_000;
const rows = (p: Profile, o = {}) =>
  top(p, { nodeFraction: 0, ...o }).rows.map((r) => [r.name, r.flat, r.cum, r.inline] as const);

describe('flat and cum', () => {
  it('counts cum once per sample under recursion, flat to the leaf', () => {
    const p = buildProfile({
      samples: [
        [
          ['f', 'f', 'f', 'main'],
          [1, 10],
        ],
        [
          ['g', 'f', 'main'],
          [1, 5],
        ],
      ],
    });
    expect(rows(p)).toEqual([
      ['f', 10, 15, ''],
      ['g', 5, 5, ''],
      ['main', 0, 15, ''],
    ]);
  });

  it('gives flat to the innermost inlined line and marks (inline) / (partial-inline)', () => {
    const p = buildProfile({
      samples: [
        [
          [['inl', 'caller'], 'main'],
          [1, 30],
        ],
        [
          [['inl2', 'caller'], 'main'],
          [1, 20],
        ],
        [
          ['inl2', 'other', 'main'],
          [1, 10],
        ],
      ],
    });
    expect(rows(p)).toEqual([
      ['inl', 30, 30, 'inline'],
      ['inl2', 30, 30, 'partial-inline'],
      ['caller', 0, 50, ''],
      ['main', 0, 60, ''],
      ['other', 0, 10, ''],
    ]);
    // -noinlines: the out-of-line caller takes everything.
    expect(rows(p, { noInlines: true })).toEqual([
      ['caller', 50, 50, ''],
      ['inl2', 10, 10, ''],
      ['main', 0, 60, ''],
      ['other', 0, 10, ''],
    ]);
  });

  it('ignores calls lighter than edgefraction when marking inline', () => {
    const p = buildProfile({
      samples: [
        [
          ['x', 'a', 'main'],
          [1, 99_999],
        ],
        [
          [['x', 'b'], 'main'],
          [1, 1],
        ],
      ],
    });
    expect(rows(p)[0]).toEqual(['x', 100_000, 100_000, '']);
    expect(rows(p, { edgeFraction: 0 })[0]).toEqual(['x', 100_000, 100_000, 'partial-inline']);
  });

  it('uses |value| for the total and keeps signs in rows', () => {
    const p = buildProfile({
      sampleTypes: [['inuse_space', 'bytes']],
      samples: [
        [['grow', 'main'], [3 << 20]],
        [['shrink', 'main'], [-(1 << 20)]],
      ],
    });
    const r = top(p);
    expect(r.total).toBe(4 << 20);
    expect(r.rows.map((x) => [x.name, x.flat])).toEqual([
      ['grow', 3 << 20],
      ['shrink', -(1 << 20)],
      ['main', 0],
    ]);
    expect(formatTop(r)).toContain('     -1MB 25.00% 50.00%       -1MB 25.00%  shrink\n');
  });
});

describe('granularity', () => {
  const p = buildProfile({
    samples: [
      [
        [{ fn: 'pkg.helper', file: '/src/a.go', line: 3 }, 'main'],
        [1, 10],
      ],
      [
        [{ fn: 'pkg.helper', file: '/src/b.go', line: 7 }, 'main'],
        [1, 20],
      ],
      [
        [{ fn: 'pkg.helper', file: '/src/a.go', line: 4 }, 'main'],
        [1, 5],
      ],
    ],
  });
  it('functions merges by name only', () => {
    expect(rows(p)[0]).toEqual(['pkg.helper', 35, 35, '']);
  });
  it('filefunctions, files and lines split further', () => {
    expect(rows(p, { granularity: 'filefunctions' }).slice(0, 2)).toEqual([
      ['pkg.helper /src/b.go', 20, 20, ''],
      ['pkg.helper /src/a.go', 15, 15, ''],
    ]);
    expect(
      rows(p, { granularity: 'lines' })
        .slice(0, 3)
        .map((r) => r[0]),
    ).toEqual(['pkg.helper /src/b.go:7', 'pkg.helper /src/a.go:3', 'pkg.helper /src/a.go:4']);
    expect(rows(p, { granularity: 'files' }).map((r) => r[0])).toContain('/src/a.go');
  });
  it('addresses prints the address first', () => {
    expect(rows(p, { granularity: 'addresses' })[0]![0]).toMatch(/^0000000000[0-9a-f]{6} pkg\.helper \/src\/b\.go:7$/);
  });
});

describe('trimming and sorting', () => {
  const samples: [string[], number[]][] = [];
  for (let i = 0; i < 10; i++)
    samples.push([
      [`f${i}`, 'main'],
      [1, (i + 1) * MS],
    ]);
  samples.push([
    ['tiny', 'main'],
    [1, 100],
  ]);
  const p = buildProfile({ samples });

  it('drops nodes under nodefraction and says so', () => {
    const r = top(p);
    expect(r.rows.map((x) => x.name)).not.toContain('tiny');
    expect(r.droppedNodes).toBe(1);
    expect(formatTop(r)).toContain('\nDropped 1 node (cum <= 0.28ms)\n');
  });

  it('keeps the top N and says out of how many', () => {
    const r = top(p, { nodeCount: 3 });
    expect(r.rows.map((x) => x.name)).toEqual(['f9', 'f8', 'f7']);
    expect(formatTop(r)).toContain('\nShowing top 3 nodes out of 11\n');
  });

  it('sorts ties by name, and by cum with --cum', () => {
    const q = buildProfile({
      samples: [
        [
          ['b', 'main'],
          [1, 5],
        ],
        [
          ['a', 'main'],
          [1, 5],
        ],
        [
          ['c', 'x'],
          [1, 7],
        ],
      ],
    });
    expect(rows(q).map((r) => r[0])).toEqual(['c', 'a', 'b', 'main', 'x']);
    expect(rows(q, { cum: true }).map((r) => r[0])).toEqual(['main', 'c', 'x', 'a', 'b']);
  });
});

describe('header and layout', () => {
  const p = buildProfile({
    mappings: [{ file: '/usr/bin/etcd', buildId: 'abc' }],
    comments: ['hello', '#hidden'],
    timeNanos: Date.UTC(2022, 9, 18, 15, 39, 57) * 1e6,
    durationNanos: 30_000 * MS,
    samples: [
      [
        ['main.work', 'main.main'],
        [3, 30 * MS],
      ],
    ],
  });

  it('prints pprof header lines in order', () => {
    expect(formatTop(top(p, { focus: 'work' }))).toBe(
      [
        'File: etcd',
        'Build ID: abc',
        'hello',
        'Type: cpu',
        'Time: Oct 18, 2022 at 3:39pm (UTC)',
        'Duration: 30s, Total samples = 30ms (  0.1%)',
        'Active filters:',
        '   focus=work',
        'Showing nodes accounting for 30ms, 100% of 30ms total',
        '      flat  flat%   sum%        cum   cum%',
        '      30ms   100%   100%       30ms   100%  main.work',
        '         0     0%   100%       30ms   100%  main.main',
        '',
      ].join('\n'),
    );
  });

  it('has no ratio (but a trailing space) for non-time units', () => {
    expect(formatTop(top(p, { sampleIndex: 'samples' }))).toContain('\nDuration: 30s, Total samples = 3 \n');
  });

  it('formats Time in both layouts', () => {
    const t = Date.UTC(2022, 9, 18, 0, 5, 9) * 1e6;
    expect(formatTime(t)).toBe('Oct 18, 2022 at 12:05am (UTC)');
    expect(formatTime(t, { timeStyle: 'new' })).toBe('2022-10-18 00:05:09 UTC');
  });

  it('truncates long filters to 80 characters', () => {
    const long = `work|${'x'.repeat(100)}`;
    const out = formatTop(top(p, { focus: long }));
    expect(out).toContain(`\n   focus=${long.slice(0, 74)}…\n`);
  });

  it('prints JSON with numbers', () => {
    const j = topJson(top(p));
    expect(j).toEqual({
      sampleType: 'cpu',
      unit: 'nanoseconds',
      total: 30 * MS,
      rows: [
        { name: 'main.work', flat: 30 * MS, flatPercent: 100, cum: 30 * MS, cumPercent: 100 },
        { name: 'main.main', flat: 0, flatPercent: 0, cum: 30 * MS, cumPercent: 100 },
      ],
    });
  });
});

describe('sample types', () => {
  const p = buildProfile({
    sampleTypes: [
      ['alloc_space', 'bytes'],
      ['space', 'bytes'],
    ],
    samples: [[['a'], [10, 20]]],
  });
  it('resolves names, the inuse_ prefix, indexes and the default', () => {
    expect(resolveSampleIndex(p, undefined)).toBe(1);
    expect(resolveSampleIndex({ ...p, defaultSampleType: 'alloc_space' }, undefined)).toBe(0);
    expect(resolveSampleIndex(p, 'alloc_space')).toBe(0);
    expect(resolveSampleIndex(p, 'inuse_space')).toBe(1);
    expect(resolveSampleIndex(p, '0')).toBe(0);
  });
  it('rejects unknown types, listing the valid ones', () => {
    expect(() => resolveSampleIndex(p, 'cpu')).toThrow(
      new UserError('sample_index "cpu" must be one of: [alloc_space space]'),
    );
    expect(() => resolveSampleIndex(p, '5')).toThrow('sample_index 5 is outside the range [0..1]');
  });
});

describe('pasted tables', () => {
  const p: Profile = {
    ...buildProfile({ samples: [] }),
    sampleTypes: [],
    source: { format: 'top-table', truncated: false, hasStacks: false, notes: [] },
    table: {
      rows: [
        { name: 'a', flat: 1 * MS, cum: 5 * MS },
        { name: 'b', flat: 3 * MS, cum: 3 * MS, inline: 'inline' },
      ],
      sampleType: 'cpu',
      unit: 'nanoseconds',
      total: 10 * MS,
      totalSource: 'header',
      sortedBy: 'flat',
      header: ['Type: cpu', 'Showing nodes accounting for 4ms, 40% of 10ms total'],
    },
  };
  it('prints the rows in the requested order and says there were no stacks', () => {
    const out = formatTop(top(p, { cum: true }));
    expect(out).toContain('Type: cpu\n');
    expect(out.indexOf('  a\n')).toBeLessThan(out.indexOf('  b (inline)\n'));
    expect(out).toMatch(/pasted top table without call stacks/);
    expect(formatTop(top(p))).toContain('       3ms 30.00% 30.00%        3ms 30.00%  b (inline)\n');
    // Printed percentages win over ones recomputed from rounded values.
    const printed = structuredClone(p);
    printed.table!.rows = [
      { name: 'a', flat: 1 * MS, cum: 5 * MS, flatPercent: 10.04, cumPercent: 50.1, location: 'a.go' },
    ];
    expect(formatTop(top(printed))).toContain('       1ms 10.04% 10.04%        5ms 50.10%  a a.go\n');
  });
  it('refuses stack filters', () => {
    expect(() => top(p, { focus: 'a' })).toThrow(UserError);
  });
});

describe('peek and traces', () => {
  const p = buildProfile({
    samples: [
      [
        ['leaf', 'mid', 'main'],
        [1, 10],
      ],
      [
        ['mid', 'main'],
        [1, 5],
      ],
      [
        ['leaf', 'other', 'main'],
        [1, 5],
      ],
    ],
  });

  it('peek lists callers and callees of matching functions', () => {
    const r = peek(p, '^mid$');
    expect(r.entries).toEqual([
      {
        name: 'mid',
        flat: 5,
        cum: 15,
        callers: [{ name: 'main', weight: 15, inline: false }],
        callees: [{ name: 'leaf', weight: 10, inline: false }],
      },
    ]);
    const out = formatPeek(r, { compactLabels: true });
    expect(out.split('\n').slice(3, 7)).toEqual([
      '----------------------------------------------------------+-------------',
      `${' '.repeat(46)}15ns   100% |   main`,
      '       5ns 25.00% 25.00%       15ns 75.00%                | mid',
      `${' '.repeat(46)}10ns 66.67% |   leaf`,
    ]);
    expect(() => peek(p, 'nothing')).toThrow('no matches found for regexp: nothing');
  });

  it('traces prints each merged sample with its stack', () => {
    const q = buildProfile({
      samples: [
        {
          stack: ['leaf', 'main'],
          values: [1, 10],
          labels: [
            { key: 'worker', str: 'a' },
            { key: 'bytes', num: 2048, unit: 'bytes' },
          ],
        },
        {
          stack: ['leaf', 'main'],
          values: [1, 5],
          labels: [
            { key: 'worker', str: 'a' },
            { key: 'bytes', num: 2048, unit: 'bytes' },
          ],
        },
        { stack: [['inl', 'main']], values: [0, 0] },
      ],
    });
    const r = traces(q);
    expect(r.samples).toHaveLength(1);
    expect(formatTraces(r, { compactLabels: true })).toBe(
      [
        '',
        '-----------+-------------------------------------------------------',
        '    worker:  a',
        '     bytes:  2kB',
        '      15ns   leaf',
        '             main',
        '-----------+-------------------------------------------------------',
        '',
      ].join('\n'),
    );
  });
});
