import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTextProfile } from '../../../src/input/text/index.js';
import { validateProfile } from '../../../src/profile/validate.js';
import { FIXTURES, fixtureText, parseFixture } from './helpers.js';

const textFixtures = ['go119', 'tables', 'dumps'].flatMap((d) =>
  readdirSync(join(FIXTURES, d))
    .filter((f) => f.endsWith('.txt') && !f.includes('-tree-')) // pprof tree output is not a profile
    .map((f) => `${d}/${f}`),
);

describe('parseTextProfile: format detection', () => {
  it.each([
    ['go119/heap.debug1.txt', 'heap-text'],
    ['go119/goroutine.debug1.txt', 'count-text'],
    ['go119/threadcreate.debug1.txt', 'count-text'],
    ['go119/mutex.debug1.txt', 'contention-text'],
    ['go119/block.debug1.txt', 'contention-text'],
    ['go119/goroutine.debug2.txt', 'goroutine-dump'],
    ['go119/panic.txt', 'goroutine-dump'],
    ['go119/sigquit.txt', 'goroutine-dump'],
    ['tables/seed003-heap.txt', 'top-table'],
    ['go119/pprof-top-heap.txt', 'top-table'],
  ])('%s → %s', (f, format) => {
    expect(parseFixture(f).source.format).toBe(format);
  });

  it('skips a byte-order mark, blank lines and # comments before a debug=1 header, as pprof does', () => {
    const p = parseTextProfile(`\ufeff\n# fetched from host:2379\n${fixtureText('go119/goroutine.debug1.txt')}`)!;
    expect(p.source.format).toBe('count-text');
  });

  it.each(textFixtures)('%s gives a valid profile (model invariants)', (f) => {
    const p = parseFixture(f);
    expect(validateProfile(p)).toEqual([]);
    expect(p.source.notes.every((n) => !n.includes('\n'))).toBe(true);
  });
});

describe('pasted as an indented block', () => {
  it.each(['go119/goroutine.debug2.txt', 'go119/heap.debug1.txt', 'tables/seed003-heap.txt'])(
    '%s indented by four spaces reads as the original',
    (f) => {
      const text = fixtureText(f);
      const indented = text
        .split('\n')
        .map((l) => (l === '' ? l : `    ${l}`))
        .join('\n');
      const a = parseTextProfile(indented)!;
      const b = parseFixture(f);
      expect(a.source.format).toBe(b.source.format);
      expect(Array.from(a.samples.values)).toEqual(Array.from(b.samples.values));
      expect(a.table).toEqual(b.table);
    },
  );
});
