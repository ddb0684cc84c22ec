import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { top } from '../../src/analysis/top.js';
import { loadProfile } from '../../src/input/load.js';
import '../../src/profile/regex.js';
import type { Profile } from '../../src/profile/model.js';
import {
  buildFlameTree,
  FLAG_INLINE,
  FLAG_OTHER,
  type FlameGraph,
  type FlameTree,
  pruneFlameTree,
} from '../../src/report/flamegraph.js';
import { buildProfile } from '../helpers/build-profile.js';

const newNames = () => ({ list: [] as string[], index: new Map<string, number>() });

/** Folded stacks ("root;…;leaf value") of a tree, for readable assertions. */
function folded(tree: FlameTree, type = 0): Map<string, number> {
  const out = new Map<string, number>();
  const path = (n: number): string => {
    const parts: string[] = [];
    for (let x = n; x > 0; x = tree.parent[x]!)
      parts.unshift(tree.names[tree.name[x]!]! + (tree.inline[x] ? '[i]' : ''));
    return parts.join(';');
  };
  for (let n = 1; n < tree.count; n++) {
    const self = tree.self[n * tree.nTypes + type]!;
    if (self !== 0) out.set(path(n), self);
  }
  return out;
}

function graphPaths(g: FlameGraph, names: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const stack: string[] = [];
  for (let i = 0; i < g.name.length; i++) {
    stack.length = g.depth[i]!;
    stack.push(names[g.name[i]!]!);
    out.set(stack.slice(1).join(';'), g.width[i]!);
  }
  return out;
}

/** Every frame's width = its self + its children's widths (pre-order + depth encoding). */
function checkWidths(g: FlameGraph): void {
  const n = g.name.length;
  for (let i = 0; i < n; i++) {
    let kids = 0;
    for (let j = i + 1; j < n && g.depth[j]! > g.depth[i]!; j++)
      if (g.depth[j] === g.depth[i]! + 1) kids += g.width[j]!;
    expect(g.width[i]!).toBeCloseTo(g.self[i]! + kids, 6);
  }
}

describe('buildFlameTree', () => {
  it('builds root-first paths with self values, merging identical prefixes', () => {
    const p = buildProfile({
      sampleTypes: [['samples', 'count']],
      samples: [
        [['c', 'b', 'a'], [3]],
        [['d', 'b', 'a'], [2]],
        [['b', 'a'], [1]],
        [['c', 'b', 'a'], [4]],
        [['x'], [0]],
      ],
    });
    const t = buildFlameTree(p);
    expect(folded(t)).toEqual(
      new Map([
        ['a;b;c', 7],
        ['a;b;d', 2],
        ['a;b', 1],
      ]),
    );
    expect(t.width[0]).toBe(10);
    // a, b, c, d: the zero sample adds no frame.
    expect(t.count).toBe(5);
  });

  it('keeps inlined frames as their own frames, caller first, flagged inline', () => {
    const p = buildProfile({
      sampleTypes: [['samples', 'count']],
      // One location holding inlined `leaf` inside `mid` (innermost first), called by main.
      samples: [
        [[['leaf', 'mid'], 'main'], [5]],
        [['mid', 'main'], [1]],
      ],
    });
    const t = buildFlameTree(p);
    expect(folded(t)).toEqual(
      new Map([
        ['main;mid;leaf[i]', 5],
        ['main;mid', 1],
      ]),
    );
  });

  it('shows recursion as nested frames and sums every sample type at once', () => {
    const p = buildProfile({
      sampleTypes: [
        ['samples', 'count'],
        ['cpu', 'nanoseconds'],
      ],
      samples: [
        [
          ['f', 'f', 'main'],
          [1, 10],
        ],
        [
          ['f', 'main'],
          [2, 20],
        ],
      ],
    });
    const t = buildFlameTree(p);
    expect(folded(t, 0)).toEqual(
      new Map([
        ['main;f;f', 1],
        ['main;f', 2],
      ]),
    );
    expect(folded(t, 1)).toEqual(
      new Map([
        ['main;f;f', 10],
        ['main;f', 20],
      ]),
    );
    expect([t.width[0], t.width[1]]).toEqual([3, 30]);
  });

  it("applies the profile's drop_frames like pprof", () => {
    const p = buildProfile({
      sampleTypes: [['samples', 'count']],
      dropFrames: 'malloc.*',
      samples: [[['mallocgc', 'newobject', 'main'], [4]]],
    });
    // pprof drops the matching frame and everything below it (toward the leaf).
    expect(folded(buildFlameTree(p))).toEqual(new Map([['main;newobject', 4]]));
  });

  it('widths are |values| and the signed sums are kept for delta profiles', () => {
    const p = buildProfile({
      sampleTypes: [['inuse_space', 'bytes']],
      samples: [
        [['a', 'main'], [100]],
        [['b', 'main'], [-40]],
      ],
    });
    const t = buildFlameTree(p);
    expect(t.hasNegative).toBe(true);
    expect(t.width[0]).toBe(140);
    expect(t.value[0]).toBe(60);
    const g = pruneFlameTree(t, 0, p.sampleTypes[0]!, newNames());
    expect(g.value).toBeDefined();
  });

  it('uses the same frame names as top (pprof functions granularity)', async () => {
    const p = await loadProfile('test/fixtures/go/cpu.pb.gz');
    const t = buildFlameTree(p);
    const r = top(p, {});
    const names = new Set(t.names);
    for (const row of r.rows) expect(names.has(row.name)).toBe(true);
  });

  it('root width equals the total for every sample type (property)', () => {
    const frame = fc.constantFrom('a', 'b', 'c', 'd');
    const sample = fc.tuple(
      fc.array(frame, { minLength: 0, maxLength: 6 }),
      fc.integer({ min: -50, max: 100 }),
      fc.nat(9),
    );
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 30 }), (samples) => {
        const p = buildProfile({
          sampleTypes: [
            ['x', 'count'],
            ['y', 'count'],
          ],
          samples: samples.map(([stack, v, w]) => [stack, [v, w]] as [string[], number[]]),
        });
        const t = buildFlameTree(p);
        const tot = [0, 0];
        for (const [, v, w] of samples) {
          tot[0] += Math.abs(v);
          tot[1] += w;
        }
        expect([t.width[0], t.width[1]]).toEqual(tot);
        for (let type = 0; type < 2; type++) {
          const g = pruneFlameTree(t, type, p.sampleTypes[type]!, newNames(), { minFraction: 0.05, maxNodes: 16 });
          expect(g.width[0]).toBe(tot[type]);
          checkWidths(g);
        }
      }),
    );
  });
});

describe('pruneFlameTree', () => {
  const p = buildProfile({
    sampleTypes: [['samples', 'count']],
    samples: [
      [['big', 'main'], [900]],
      [['small1', 'main'], [4]],
      [['small2', 'main'], [3]],
      [['tiny', 'other', 'main'], [1]],
      [['mid', 'main'], [92]],
    ],
  });

  it('merges frames under the cut-off into one "other" frame per parent, widths adding up', () => {
    const names = newNames();
    const g = pruneFlameTree(buildFlameTree(p), 0, p.sampleTypes[0]!, names, { minFraction: 0.01 });
    expect(graphPaths(g, names.list)).toEqual(
      new Map([
        ['', 1000],
        ['main', 1000],
        ['main;big', 900],
        ['main;mid', 92],
        ['main;other (3 smaller frames)', 8],
      ]),
    );
    const other = g.flags.indexOf(FLAG_OTHER);
    expect(other).toBe(g.name.length - 1);
    // small1, small2, other and tiny: 4 frames merged.
    expect(g.mergedFrames).toBe(4);
    // root, main, big, mid, small1, small2, other, tiny
    expect(g.fullFrames).toBe(8);
    checkWidths(g);
  });

  it('orders children heaviest first (left-heavy)', () => {
    const names = newNames();
    const g = pruneFlameTree(buildFlameTree(p), 0, p.sampleTypes[0]!, names, { minFraction: 0 });
    const kids = g.name.filter((_, i) => g.depth[i] === 2).map((n) => names.list[n]);
    expect(kids).toEqual(['big', 'mid', 'small1', 'small2', 'other']);
  });

  it('caps the frame count with maxNodes', async () => {
    const prof: Profile = await loadProfile('test/fixtures/large.cpu.pb.gz');
    const t = buildFlameTree(prof);
    expect(t.count).toBeGreaterThan(10000);
    const names = newNames();
    const g = pruneFlameTree(t, 1, prof.sampleTypes[1]!, names, { minFraction: 0, maxNodes: 500 });
    expect(g.name.length).toBeLessThanOrEqual(500 * 2);
    expect(g.width[0]).toBe(t.width[1]);
    checkWidths(g);
    expect(g.flags.some((f) => f & FLAG_OTHER)).toBe(true);
  });

  it('marks inlined frames', () => {
    const q = buildProfile({ sampleTypes: [['samples', 'count']], samples: [[[['leaf', 'mid'], 'main'], [5]]] });
    const names = newNames();
    const g = pruneFlameTree(buildFlameTree(q), 0, q.sampleTypes[0]!, names);
    const leaf = g.name.findIndex((n) => names.list[n] === 'leaf');
    const mid = g.name.findIndex((n) => names.list[n] === 'mid');
    expect(g.flags[leaf]! & FLAG_INLINE).toBe(FLAG_INLINE);
    expect(g.flags[mid]! & FLAG_INLINE).toBe(0);
  });

  it('shares one name table between graphs', () => {
    const q = buildProfile({
      sampleTypes: [
        ['a', 'count'],
        ['b', 'count'],
      ],
      samples: [
        [
          ['f', 'main'],
          [1, 2],
        ],
      ],
    });
    const t = buildFlameTree(q);
    const names = newNames();
    const g1 = pruneFlameTree(t, 0, q.sampleTypes[0]!, names);
    const g2 = pruneFlameTree(t, 1, q.sampleTypes[1]!, names);
    expect(g1.name).toEqual(g2.name);
    expect(names.list).toEqual(['root', 'main', 'f']);
  });
});
