/**
 * pprof's tag filters (-tagfocus, -tagignore, -tagshow, -taghide; internal/driver/driver_focus.go
 * and profile/filter.go of Go 1.19's pprof) on small hand-made profiles. The byte-for-byte checks
 * against `go tool pprof` on real profiles are in test/golden/.
 */
import '../../src/profile/regex.js';
import { describe, expect, it } from 'vitest';
import { prepare } from '../../src/analysis/prepare.js';
import { top } from '../../src/analysis/top.js';
import { traces } from '../../src/analysis/traces.js';
import { UserError } from '../../src/errors.js';
import { parseTopTable } from '../../src/input/text/top-table.js';
import {
  compileTagFilter,
  filterProfile,
  needsRegexEngine,
  numLabelUnits,
  parseTagFilterRange,
} from '../../src/profile/filter.js';
import type { Label, Profile } from '../../src/profile/model.js';
import { formatTop } from '../../src/report/pprof-text.js';
import { buildProfile } from '../helpers/build-profile.js';

const str = (key: string, v: string): Label => ({ key, str: v });
const num = (key: string, v: number, unit?: string): Label => (unit ? { key, num: v, unit } : { key, num: v });

/** One leaf function per sample, so rows tell which samples survived. */
function labelled(): Profile {
  return buildProfile({
    sampleTypes: [
      ['alloc_objects', 'count'],
      ['inuse_space', 'bytes'],
    ],
    samples: [
      [
        ['small', 'main'],
        [1, 64],
        [num('bytes', 64), str('tenant', 'alpha')],
      ],
      [
        ['kilo', 'main'],
        [1, 2048],
        [num('bytes', 2048), str('tenant', 'beta')],
      ],
      [
        ['mega', 'main'],
        [1, 3 << 20],
        [num('bytes', 3 << 20), str('tenant', 'alpha'), str('tenant', 'gamma')],
      ],
      [
        ['bare', 'main'],
        [1, 100],
      ],
    ],
  });
}

/** Leaf function names of the samples left after `filters`. */
function leaves(p: Profile, filters: Parameters<typeof filterProfile>[1]): string[] {
  const q = filterProfile(p, filters).profile;
  const out: string[] = [];
  for (let i = 0; i < q.samples.length; i++) {
    const loc = q.locations[q.samples.stack[q.samples.stackStart[i]!]!]!;
    out.push(q.functions[loc.lines[0]!.fn]!.name);
  }
  return out;
}

describe('numeric ranges (parseTagFilterRange)', () => {
  it.each([
    ['2kb', 2048, true],
    ['2kb', 2049, false],
    ['1kb:', 1024, true],
    ['1kb:', 1023, false],
    [':64b', 64, true],
    [':64b', 65, false],
    ['1kb:4kb', 4096, true],
    ['1kb:4kb', 4097, false],
    ['1mb:2gb', 3 << 20, true],
  ])('%s on %d bytes → %s', (filter, value, want) => {
    const f = parseTagFilterRange('tagfocus', filter);
    expect(f).toBeDefined();
    expect(f!(value, 'bytes')).toBe(want);
  });

  it('compares in the range unit only: a number without a unit never matches a value in bytes', () => {
    const f = parseTagFilterRange('tagfocus', '1024')!;
    expect(f(1024, 'bytes')).toBe(false);
    // …but it does match a label whose unit is no known unit (pprof uses the key as its unit).
    expect(f(1024, 'requests')).toBe(true);
    // A time range does not match bytes either.
    expect(parseTagFilterRange('tagfocus', '1ms:')!(5_000_000, 'bytes')).toBe(false);
    expect(parseTagFilterRange('tagfocus', '1ms:')!(5_000_000, 'nanoseconds')).toBe(true);
  });

  it('is not a range (so a regex) unless the whole text is one of the four forms', () => {
    for (const s of ['kb', 'x1kb', '1.5kb', '1kb:4kb:8kb', '1kb-4kb', 'tenant', '1kb:2ms']) {
      expect(parseTagFilterRange('tagfocus', s), s).toBeUndefined();
    }
  });

  it('refuses a number beyond 64 bits with one line naming the option (pprof panics)', () => {
    const call = () => parseTagFilterRange('tagignore', '99999999999999999999kb:');
    expect(call).toThrow(UserError);
    expect(call).toThrow(/^parsing tagignore range: 99999999999999999999 is out of the range of a 64-bit integer$/);
  });
});

describe('string labels (compileTagFilter)', () => {
  const units = new Map<string, string>();
  const labels = [str('tenant', 'alpha'), str('worker', 'fib')];

  it('without a key, every comma-separated regex must match some key:value', () => {
    expect(compileTagFilter('tagfocus', 'alpha,fib', units, [])(labels)).toBe(true);
    expect(compileTagFilter('tagfocus', 'alpha,hash', units, [])(labels)).toBe(false);
    expect(compileTagFilter('tagfocus', 'tenant:al', units, [])(labels)).toBe(true);
    expect(compileTagFilter('tagfocus', '^alpha', units, [])(labels)).toBe(false);
  });

  it('with a key, any regex matching any value of that key', () => {
    expect(compileTagFilter('tagfocus', 'tenant=beta,alpha', units, [])(labels)).toBe(true);
    expect(compileTagFilter('tagfocus', 'tenant=fib', units, [])(labels)).toBe(false);
    expect(compileTagFilter('tagfocus', 'tenant=', units, [])(labels)).toBe(true);
    expect(compileTagFilter('tagfocus', 'tenant=', units, [])([str('worker', 'x')])).toBe(false);
  });

  it('matches nothing on a sample without labels', () => {
    expect(compileTagFilter('tagfocus', '.', units, [])(undefined)).toBe(false);
    expect(compileTagFilter('tagfocus', '1kb:', units, [])(undefined)).toBe(false);
  });

  it('notes a range the way pprof prints it, and words a bad regex like pprof', () => {
    const notes: string[] = [];
    compileTagFilter('tagfocus', 'bytes=1kb:4kb', units, notes);
    expect(notes).toEqual(["tagfocus:Interpreted '1kb:4kb' as range, not regexp"]);
    expect(() => compileTagFilter('tagignore', 'a,(', units, [])).toThrow(
      'parsing tagignore regexp: error parsing regexp: missing closing ): `(`',
    );
  });
});

describe('filterProfile with tag filters', () => {
  const p = labelled();

  it('tagfocus / tagignore keep and drop samples', () => {
    expect(leaves(p, { tagFocus: 'bytes=1kb:' })).toEqual(['kilo', 'mega']);
    expect(leaves(p, { tagFocus: 'tenant=alpha' })).toEqual(['small', 'mega']);
    expect(leaves(p, { tagIgnore: 'tenant=alpha' })).toEqual(['kilo', 'bare']);
    expect(leaves(p, { tagFocus: 'tenant=gamma', tagIgnore: ':64b' })).toEqual(['mega']);
  });

  it('says which tag filters matched nothing', () => {
    const r = filterProfile(p, {
      tagFocus: 'tenant=delta',
      tagIgnore: 'bytes=1gb:',
      tagShow: 'nokey',
      tagHide: 'tenant',
    });
    expect(r.matched).toEqual({ tagFocus: false, tagIgnore: false, tagShow: false, tagHide: false });
    expect(r.profile.samples.length).toBe(0);
  });

  it('tagshow / taghide remove label keys and leave the samples', () => {
    const r = filterProfile(p, { tagHide: 'tenant' });
    expect(r.matched).toEqual({ tagHide: true });
    expect(r.profile.samples.length).toBe(4);
    expect(r.profile.samples.labels!.map((ls) => ls?.map((l) => l.key))).toEqual([
      ['bytes'],
      ['bytes'],
      ['bytes'],
      undefined,
    ]);
    const s = filterProfile(p, { tagShow: 'ten' });
    expect(s.profile.samples.labels![2]).toEqual([str('tenant', 'alpha'), str('tenant', 'gamma')]);
  });

  it('never changes the profile it is given', () => {
    const before = JSON.stringify(p.samples.labels);
    filterProfile(p, { tagFocus: 'bytes=1kb:', tagHide: 'tenant' });
    expect(JSON.stringify(p.samples.labels)).toBe(before);
    expect(p.samples.length).toBe(4);
  });

  it('runs after show_from and before prune_from, as pprof', () => {
    // show_from drops `main` from every stack first; the tag filter still sees the labels.
    const q = filterProfile(p, { showFrom: 'kilo|mega', tagFocus: 'tenant=beta' }).profile;
    expect(q.samples.length).toBe(1);
    expect(q.samples.stackStart[1]! - q.samples.stackStart[0]!).toBe(1);
  });

  it('needs the regex engine for every tag option', () => {
    for (const k of ['tagFocus', 'tagIgnore', 'tagShow', 'tagHide'] as const) {
      expect(needsRegexEngine(p, { [k]: 'x' })).toBe(true);
    }
  });
});

describe('numeric label units', () => {
  it('takes the first unit seen, guesses bytes for request/alignment, else the key; reports conflicts', () => {
    const p = buildProfile({
      samples: [
        [['a'], [1, 1], [num('size', 1, 'bytes'), num('request', 5), num('depth', 3)]],
        [['b'], [1, 1], [num('size', 2, 'kilobytes'), num('size', 3, 'megabytes')]],
      ],
    });
    const { units, conflicts } = numLabelUnits(p);
    expect(Object.fromEntries(units)).toEqual({ size: 'bytes', request: 'bytes', depth: 'depth' });
    expect(conflicts).toEqual(['For tag size used unit bytes, also encountered unit(s) kilobytes, megabytes']);
    // prepare prints the conflict first, as pprof does on every report.
    expect(prepare(p, { tagFocus: 'nomatch' }).warnings).toEqual([
      'For tag size used unit bytes, also encountered unit(s) kilobytes, megabytes',
      'TagFocus expression matched no samples',
    ]);
  });
});

describe('top with tag filters', () => {
  const p = labelled();

  it('warns like pprof when a tag filter matches nothing, and prints an empty table', () => {
    const r = top(p, { tagFocus: 'bytes=1gb:' });
    expect(r.warnings).toEqual([
      "tagfocus:Interpreted '1gb:' as range, not regexp",
      'TagFocus expression matched no samples',
    ]);
    expect(r.rows).toEqual([]);
    const text = formatTop(r);
    expect(text).toContain('Active filters:\n   tagfocus=bytes=1gb:\n');
    expect(text).toContain('Showing nodes accounting for 0, 0% of 3MB total\n');
  });

  it('lists the tag filters under Active filters in pprof order', () => {
    const r = top(p, { tagHide: 'x', tagShow: 'y', tagIgnore: 'z', tagFocus: 'w', focus: 'main' });
    expect(r.header.activeFilters).toEqual(['focus=main', 'tagfocus=w', 'tagignore=z', 'tagshow=y', 'taghide=x']);
  });

  it('keeps percentages of the whole profile unless relative percentages are asked for', () => {
    const all = top(p, { tagFocus: 'tenant=beta', nodeFraction: 0 });
    expect(all.total).toBe(64 + 2048 + (3 << 20) + 100);
    const rel = top(p, { tagFocus: 'tenant=beta', nodeFraction: 0, relativePercentages: true });
    expect(rel.total).toBe(2048);
  });

  it('tagshow / taghide change the labels traces print', () => {
    const t = traces(p, { tagShow: 'bytes' });
    expect(t.samples.every((s) => s.labels.length === 0)).toBe(true);
    expect(t.samples.filter((s) => s.numLabels.length === 1).length).toBe(3);
  });

  it('refuses tag filters and -mean on a pasted table, which has no samples', () => {
    const table = parseTopTable([
      'Showing nodes accounting for 30MB, 100% of 30MB total',
      '      flat  flat%   sum%        cum   cum%',
      '      20MB 66.67% 66.67%       20MB 66.67%  main.a',
      '      10MB 33.33%   100%       30MB   100%  main.main',
    ]);
    expect(() => top(table, { tagFocus: 'bytes=1kb:' })).toThrow(
      /^--tag-focus needs the profile's samples, but the input is a pasted top table$/,
    );
    expect(() => top(table, { mean: true })).toThrow(/^--mean needs the profile's samples/);
    // -unit and -divide_by only change how numbers print, so they work on a table too.
    const text = formatTop(top(table, { unit: 'kb', divideBy: 2 }));
    expect(text).toContain('  10240kB 66.67% 66.67%    10240kB 66.67%  main.a\n');
  });
});
