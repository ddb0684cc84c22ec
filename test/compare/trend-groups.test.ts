/**
 * `trend` over folders and `collect` bundles: profiles grouped by kind and member, one trend per
 * group. The bundles are built here from the committed etcd 3.4.23 series, laid out as `collect`
 * writes them (DIR/<member>/<kind>.pb.gz and DIR/manifest.json), one bundle per snapshot: member
 * `leaky` holds the watch-leak series, member `calm` the steady one.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { trendGroups } from '../../src/analysis/trend-groups.js';
import { UserError } from '../../src/errors.js';
import type { ManifestFile } from '../../src/collect/manifest.js';
import { loadProfile } from '../../src/input/load.js';
import { codeSpan } from '../../src/report/markdown.js';
import { heapProfile } from '../helpers/profile-builder.js';
import { runMain } from '../helpers/run-main.js';

const root = join(__dirname, '..', '..');
const S = join(root, 'samples', 'etcd-3.4.23', 'series');
const E = join(root, 'samples', 'etcd-3.4.23');
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schema', 'trend.schema.json'), 'utf8')));
const valid = (doc: unknown) => (validate(doc) ? '' : ajv.errorsText(validate.errors, { separator: '\n' }));

const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-trend-groups-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Member {
  name: string;
  /** manifest kind → source file; a member listed with `down` failed in this collection. */
  files: Record<string, string>;
  down?: boolean;
}

/** A bundle as `collect` writes it. */
function bundle(dir: string, members: Member[]): string {
  mkdirSync(dir, { recursive: true });
  const files: ManifestFile[] = [];
  for (const m of members) {
    const endpoint = `https://127.0.0.1:${2379 + members.indexOf(m)}`;
    if (m.down) {
      files.push({ member: m.name, endpoint, kind: 'heap', time: '2026-11-21T14:37:39Z', error: 'connection refused' });
      continue;
    }
    mkdirSync(join(dir, m.name), { recursive: true });
    for (const [kind, src] of Object.entries(m.files)) {
      const name = kind === 'goroutine-debug2' ? 'goroutine.debug2.txt' : `${kind}.pb.gz`;
      copyFileSync(src, join(dir, m.name, name));
      const bytes = readFileSync(src);
      files.push({
        member: m.name,
        endpoint,
        kind,
        path: `${m.name}/${name}`,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        time: '2026-11-21T14:37:39Z',
      });
    }
  }
  const manifest = {
    schemaVersion: 1,
    tool: 'pprof-doctor test',
    startedAt: '2026-11-21T14:37:39Z',
    finishedAt: '2026-11-21T14:37:40Z',
    cpuSeconds: 1,
    members: members.map((m, i) => ({
      name: m.name,
      endpoint: `https://127.0.0.1:${2379 + i}`,
      filesKept: m.down ? 0 : Object.keys(m.files).length,
      failed: m.down ? 1 : 0,
    })),
    files,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

const snap = (series: string, kind: string, k: number) => join(S, series, `${kind}.0${k}.pb.gz`);

/** Five hourly bundles; `calm` misses the third collection, `late` is only in the last two. */
const hourly = join(tmp, 'hourly');
const bundles = [1, 2, 3, 4, 5].map((k) =>
  bundle(join(hourly, `collect-0${k}`), [
    {
      name: 'leaky',
      files: {
        heap: snap('watch-leak', 'heap', k),
        goroutine: snap('watch-leak', 'goroutine', k),
        'goroutine-debug2': join(E, 'idle', 'goroutine.debug2.txt'),
        cpu: join(E, 'idle', 'cpu.pb.gz'),
      },
    },
    {
      name: 'calm',
      files: { heap: snap('steady', 'heap', k), goroutine: snap('steady', 'goroutine', k) },
      down: k === 3,
    },
    ...(k >= 4 ? [{ name: 'late', files: { heap: snap('steady', 'heap', k) } }] : []),
  ]),
);

describe('trend over collect bundles', () => {
  it('per-member trends across bundles, the member name the key; JSON valid against schema 2', async () => {
    const r = await runMain(['trend', ...bundles, '--format=json', '--no-diagnosis']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(valid(doc)).toBe('');
    const byLabel = Object.fromEntries(doc.groups.map((g: { label: string }) => [g.label, g]));
    expect(doc.groups.map((g: { label: string }) => g.label)).toEqual([
      'heap · leaky',
      'goroutine · leaky',
      'cpu · leaky',
      'heap · calm',
      'goroutine · calm',
      'heap · late',
    ]);
    expect(doc.leak).toBe(true);
    expect(doc.trended).toBe(4);
    // leaky: the watch-leak series, one snapshot per bundle, ordered by time.
    const heap = byLabel['heap · leaky'];
    expect(heap.member).toBe('leaky');
    expect(heap.files).toEqual(bundles.map((b) => join(b, 'leaky', 'heap.pb.gz')));
    expect(heap.trend.leak).toBe(true);
    expect(heap.trend.order).toBe('time');
    expect(heap.trend.snapshots).toHaveLength(5);
    expect(byLabel['goroutine · leaky'].trend.leak).toBe(true);
    // The same numbers as a trend of the member's files given one by one.
    const alone = await runMain(['trend', ...heap.files, '--format=json', '--no-diagnosis']);
    expect(JSON.parse(alone.stdout).groups[0].trend).toEqual(heap.trend);
    // calm: the steady series without the collection it missed.
    expect(byLabel['heap · calm'].trend.snapshots).toHaveLength(4);
    expect(byLabel['heap · calm'].trend.leak).toBe(false);
    expect(byLabel['goroutine · calm'].trend.leak).toBe(false);
    expect(byLabel['goroutine · calm'].trend.total.verdict).toBe('stable');
    // Groups that cannot be trended say why, and the run goes on.
    expect(byLabel['cpu · leaky']).toMatchObject({
      trend: null,
      note: 'trend reads heap, allocs and goroutine profiles, not cpu (5 profiles)',
    });
    expect(byLabel['heap · late']).toMatchObject({ trend: null, note: 'needs at least 3 profiles, got 2' });
    expect(byLabel['heap · late'].summary).toBe('not trended: needs at least 3 profiles, got 2');
    expect(doc.notes).toEqual([
      '5 goroutine debug=2 dumps left out: the goroutine profiles of the same collections hold the same stacks',
    ]);
  });

  it('text: a summary line per group first, then a section per group', async () => {
    const r = await runMain(['trend', hourly, '--no-diagnosis']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Trend of 6 groups (profile kind × member), 4 trended:');
    expect(lines.slice(1, 7).map((l) => l.trim().replace(/ {2,}/g, ' | '))).toEqual([
      expect.stringMatching(/^heap · leaky \| LEAK: /),
      expect.stringMatching(/^goroutine · leaky \| LEAK: /),
      'cpu · leaky | not trended: trend reads heap, allocs and goroutine profiles, not cpu (5 profiles)',
      expect.stringMatching(/^heap · calm \| No leak: /),
      'goroutine · calm | No leak: the total is stable (-1%)',
      'heap · late | not trended: needs at least 3 profiles, got 2',
    ]);
    expect(lines[7]).toMatch(/^note: 5 goroutine debug=2 dumps left out/);
    const sections = lines.filter((l) => l.startsWith('── '));
    expect(sections).toEqual([
      '── heap · leaky (5 profiles) ──',
      '── goroutine · leaky (5 profiles) ──',
      '── cpu · leaky (5 profiles) ──',
      '── heap · calm (4 profiles) ──',
      '── goroutine · calm (4 profiles) ──',
      '── heap · late (2 profiles) ──',
    ]);
    expect(r.stdout).toContain(
      `Not trended: needs at least 3 profiles, got 2\n  ${join(bundles[3]!, 'late', 'heap.pb.gz')}`,
    );
  });

  it('markdown and html: the summary table, then a section per group', async () => {
    const md = await runMain(['trend', ...bundles, '--format=markdown', '--no-diagnosis']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## pprof-doctor trend: 6 groups \(profile kind × member\), 4 trended\n/);
    expect(md.stdout).toContain('| heap · late | 2 | not trended: needs at least 3 profiles, got 2 |');
    expect(md.stdout).toMatch(/\n### heap · leaky: inuse\\_space over 5 profiles\n\n\*\*Verdict:\*\* LEAK: /);
    expect(md.stdout).toContain('\n#### Stacks that change (');
    expect(md.stdout).toContain('\n### cpu · leaky: not trended\n');
    // Every bundle names its files alike: the snapshots are told apart by their folders.
    expect(md.stdout).toContain(`| ${codeSpan(join(bundles[0]!, 'leaky', 'heap.pb.gz'))} |`);
    const html = await runMain(['trend', ...bundles, '--format=html', '--no-diagnosis']);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<h1>pprof-doctor trend: 6 groups (profile kind × member), 4 trended</h1>');
    expect(html.stdout).toContain(
      '<td class="l wrap">not trended: trend reads heap, allocs and goroutine profiles, not cpu (5 profiles)</td>',
    );
    expect(html.stdout).toContain('<h2 id="group-1">heap · leaky: inuse_space over 5 profiles</h2>');
    expect(html.stdout).toContain('<h3>Stacks that change (');
    // A chart per trended group: heap and goroutine of leaky and calm.
    expect(html.stdout.match(/<svg [^>]*aria-label="inuse_space over time"/g)).toHaveLength(2);
    expect(html.stdout.match(/<svg [^>]*aria-label="goroutine over time"/g)).toHaveLength(2);
  });

  it('one bundle: every group has one profile, a note each, no error', async () => {
    const r = await runMain(['trend', bundles[0]!, '--format=json', '--no-diagnosis']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(valid(doc)).toBe('');
    expect(doc.trended).toBe(0);
    expect(doc.leak).toBe(false);
    expect(doc.groups.map((g: { note: string }) => g.note)).toEqual([
      'needs at least 3 profiles, got 1',
      'needs at least 3 profiles, got 1',
      'trend reads heap, allocs and goroutine profiles, not cpu (1 profile)',
      'needs at least 3 profiles, got 1',
      'needs at least 3 profiles, got 1',
    ]);
  });

  it('a folder with no profile, or a broken manifest: one line, exit 2', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    writeFileSync(join(empty, 'notes.md'), '# nothing here\n');
    const r = await runMain(['trend', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pprof-doctor: ${empty}: is a directory with no profile files in it\n`);
    const broken = join(tmp, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'manifest.json'), '{"schemaVersion": 1, "files": 3}');
    const b = await runMain(['trend', broken, ...bundles]);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(
      `pprof-doctor: ${join(broken, 'manifest.json')}: not a bundle manifest (no members or files list)\n`,
    );
  });
});

describe('trendGroups', () => {
  const MB = 2 ** 20;
  const heapAt = (k: number, bytes: number) => {
    const p = heapProfile([{ stack: 'main.main;app.hold', bytes }]);
    p.timeNanos = 1_700_000_000e9 + k * 60e9;
    return p;
  };

  it('plain files of several kinds: one member-less group per kind, heap before goroutine', async () => {
    const paths = [
      ...[1, 2, 3].map((k) => snap('watch-leak', 'goroutine', k)),
      ...[1, 2, 3].map((k) => snap('watch-leak', 'heap', k)),
    ];
    const inputs = await Promise.all(paths.map(async (p) => ({ profile: await loadProfile(p), name: p })));
    const g = trendGroups(inputs);
    expect(g.groups.map((x) => [x.label, x.member, x.files.length])).toEqual([
      ['heap', null, 3],
      ['goroutine', null, 3],
    ]);
    expect(g.groups[0]!.report!.kind).toBe('heap');
  });

  it('allocs profiles are their own group (read for inuse_space)', () => {
    const allocs = [0, 1, 2].map((k) => ({ ...heapAt(k, (1 + k) * MB), defaultSampleType: 'alloc_space' }));
    const heaps = [0, 1, 2].map((k) => heapAt(k, MB));
    const g = trendGroups([
      ...allocs.map((profile, i) => ({ profile, name: `allocs.${i}` })),
      ...heaps.map((profile, i) => ({ profile, name: `heap.${i}` })),
    ]);
    expect(g.groups.map((x) => x.kind)).toEqual(['heap', 'allocs']);
    expect(g.groups[1]!.report!.kind).toBe('allocs');
  });

  it('--limit read per group: a size gives the heap groups a projection, a count group a note', async () => {
    const inputs = await Promise.all(
      ['heap', 'goroutine'].flatMap((kind) =>
        [1, 2, 3, 4, 5].map(async (k) => ({
          profile: await loadProfile(snap('watch-leak', kind, k)),
          name: `${kind}${k}`,
        })),
      ),
    );
    const g = trendGroups(inputs, { limitText: '8GiB' });
    expect(g.groups[0]!.report!.projection?.limit).toBe(8 * 2 ** 30);
    expect(g.groups[1]!.report!.projection).toBeUndefined();
    expect(g.groups[1]!.note).toBe('no projection: --limit 8GiB is not in count');
    // A limit that fits no group is the user's mistake: one error.
    expect(() => trendGroups(inputs.slice(5), { limitText: '8GiB' })).toThrow(UserError);
  });

  it('a group whose profiles do not compare gets the reason as its note', () => {
    const a = [0, 1, 2].map((k) => ({ profile: heapAt(k, MB), name: `a${k}`, member: 'm' }));
    const noType = { ...heapAt(3, MB), sampleTypes: [{ type: 'inuse_space', unit: 'count' }] };
    const g = trendGroups([...a, { profile: noType, name: 'odd', member: 'm' }]);
    expect(g.trended).toBe(0);
    expect(g.groups[0]!.note).toMatch(/^cannot compare /);
  });
});

describe("the repository's series folders: a verdict per kind", () => {
  // Each folder mixes heap and goroutine profiles of one etcd process. samples/etcd-3.5.16 is
  // Debian's GOPATH build: its raft-log frames are recognised by the package spellings of
  // src/diagnosis/etcd-packages.ts.
  const versions = ['etcd-3.4.23', 'etcd-3.5.16'].filter((v) => existsSync(join(root, 'samples', v, 'series')));
  for (const version of versions) {
    const dir = join(root, 'samples', version, 'series');
    it(`${version}: watch-leak leaks on heap and goroutine; steady on neither (the raft log is bounded)`, async () => {
      const r = await runMain(['trend', dir, '--format=json', '--no-diagnosis']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(valid(doc)).toBe('');
      type Group = {
        label: string;
        trend: { leak: boolean; total: { verdict: string }; stacks: { verdict: string; bounded?: string }[] };
      };
      const groups: Group[] = doc.groups;
      expect(groups.map((g) => [g.label, g.trend.leak])).toEqual([
        ['heap · steady', false],
        ['goroutine · steady', false],
        ['heap · watch-leak', true],
        ['goroutine · watch-leak', true],
      ]);
      const trendOf = (label: string) => groups.find((g) => g.label === label)!.trend;
      // steady: the heap grows only in stacks the raft log holds; goroutines are flat.
      const steadyHeap = trendOf('heap · steady');
      expect(steadyHeap.stacks.some((st) => st.verdict === 'bounded' && st.bounded === 'raft-log')).toBe(true);
      expect(steadyHeap.stacks.filter((st) => st.verdict === 'leak')).toEqual([]);
      expect(trendOf('goroutine · steady').total.verdict).toBe('stable');
      expect(trendOf('heap · watch-leak').total.verdict).toBe('leak');
      expect(trendOf('goroutine · watch-leak').total.verdict).toBe('leak');
      // One folder at a time: the same verdicts, groups by kind only.
      for (const series of ['steady', 'watch-leak']) {
        const one = JSON.parse((await runMain(['trend', join(dir, series), '--format=json', '--no-diagnosis'])).stdout);
        expect(one.groups.map((g: { label: string; trend: { leak: boolean } }) => [g.label, g.trend.leak])).toEqual([
          ['heap', series === 'watch-leak'],
          ['goroutine', series === 'watch-leak'],
        ]);
      }
    });
  }
});
