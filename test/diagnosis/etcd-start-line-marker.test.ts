/**
 * Release inference from the start lines Go 1.20+ records for etcd's functions
 * (etcd-start-line-marker.ts). The lines used here are read from the generated table itself, so
 * the tests hold whatever the table's content after a regeneration.
 */
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { inferContext } from '../../src/diagnosis/context.js';
import { type StartLineFunction, startLineRange } from '../../src/diagnosis/etcd-start-line-marker.js';
import { ETCD_RELEASES, ETCD_START_LINES } from '../../src/diagnosis/etcd-start-lines.js';
import { ProfileView } from '../../src/diagnosis/matcher.js';
import { loadProfile } from '../../src/input/load.js';

/** The start line of a function in a release, from the table (0 = not in that release). */
function lineIn(fn: string, release: string): number {
  const i = ETCD_RELEASES.indexOf(release);
  for (const run of ETCD_START_LINES[fn]!.split(',')) {
    const [line, span] = run.split(':') as [string, string];
    const [from, to] = span.split('-').map(Number) as [number, number];
    if (from <= i && i <= to) return Number(line);
  }
  return 0;
}
/** The releases in which a function starts on a line. */
function releasesWith(fn: string, line: number): string[] {
  return ETCD_RELEASES.filter((r) => lineIn(fn, r) === line);
}

const RUN = 'etcdserver.(*EtcdServer).run';
const READ_LOOP = 'etcdserver.(*EtcdServer).linearizableReadLoop';
const fn = (logical: string, file: string, startLine: number): StartLineFunction => ({
  logical,
  name: logical,
  file,
  startLine,
});
/** Functions of `release`, one per file, from the table's functions that exist in it. */
function functionsOf(release: string, count: number): StartLineFunction[] {
  const out: StartLineFunction[] = [];
  for (const f of Object.keys(ETCD_START_LINES)) {
    const line = lineIn(f, release);
    if (line > 0) out.push(fn(f, `file-${out.length}.go`, line));
    if (out.length === count) break;
  }
  return out;
}

describe('start lines', () => {
  it('the table covers 3.4.0 to the newest tag, in version order', () => {
    expect(ETCD_RELEASES[0]).toBe('3.4.0');
    expect([...ETCD_RELEASES].sort(semver.compare)).toEqual(ETCD_RELEASES);
    expect(ETCD_RELEASES).toContain('3.5.16');
    expect(ETCD_RELEASES).toContain('3.5.30');
  });

  it('two functions narrow to the releases both lines belong to, and every such release is in the range', () => {
    const run = lineIn(RUN, '3.5.16');
    const loop = lineIn(READ_LOOP, '3.5.16');
    const r = startLineRange([fn(RUN, 'etcdserver/server.go', run), fn(READ_LOOP, 'etcdserver/v3_server.go', loop)])!;
    const both = releasesWith(RUN, run).filter((v) => releasesWith(READ_LOOP, loop).includes(v));
    expect(both).toContain('3.5.16');
    for (const v of ETCD_RELEASES) expect(semver.satisfies(v, r.range!), v).toBe(both.includes(v));
    expect(r.note).toBeUndefined();
    expect(r.example).toMatch(/at line \d+/);
  });

  it('an inlined closure reported under its function’s name (its own start line) does not hide the function', () => {
    const run = lineIn(RUN, '3.5.30');
    const r = startLineRange([fn(RUN, 'etcdserver/server.go', run), fn(RUN, 'etcdserver/server.go', run + 108)])!;
    expect(semver.satisfies('3.5.30', r.range!)).toBe(true);
  });

  it('a file whose start lines are in no release (a patched build) is left out and named', () => {
    const good = functionsOf('3.5.30', 3);
    const patched = fn(RUN, 'etcdserver/server.go', 99_999);
    const r = startLineRange([...good, patched])!;
    expect(semver.satisfies('3.5.30', r.range!)).toBe(true);
    expect(r.note).toMatch(/etcdserver\/server\.go match no etcd release.*not used/);
    // only such a file: nothing said but the note
    expect(startLineRange([patched])).toEqual({ note: expect.stringMatching(/match no etcd release/) });
  });

  it('one file of many pointing to other releases (a patched file matching by chance) is left out', () => {
    const good = functionsOf('3.5.16', 8);
    const other = ETCD_RELEASES.find(
      (v) => v.startsWith('3.4.') && lineIn(RUN, v) > 0 && lineIn(RUN, v) !== lineIn(RUN, '3.5.16'),
    )!;
    const r = startLineRange([...good, fn(RUN, 'etcdserver/server.go', lineIn(RUN, other))])!;
    expect(semver.satisfies('3.5.16', r.range!)).toBe(true);
    expect(semver.satisfies(other, r.range!)).toBe(false);
    expect(r.note).toMatch(/server\.go point to other releases/);
  });

  it('files that disagree without a clear majority: nothing is inferred', () => {
    // four functions that moved between 3.4.0 and 3.5.16: two files say 3.5.16, two say 3.4.0
    const moved = Object.keys(ETCD_START_LINES)
      .filter((f) => lineIn(f, '3.4.0') > 0 && lineIn(f, '3.5.16') > 0 && lineIn(f, '3.4.0') !== lineIn(f, '3.5.16'))
      .slice(0, 4);
    expect(moved).toHaveLength(4);
    const r = startLineRange(moved.map((f, i) => fn(f, `f${i}.go`, lineIn(f, i < 2 ? '3.5.16' : '3.4.0'))));
    expect(r?.range).toBeUndefined();
    expect(r?.note).toMatch(/4 source files agree on no release: not used/);
  });

  it('start line 0 (Go ≤ 1.19, text formats) says nothing', () => {
    expect(startLineRange([fn(RUN, 'etcdserver/server.go', 0)])).toBeNull();
    expect(startLineRange([])).toBeNull();
  });

  it('the newest release of a line stays open to later patch releases of that line', () => {
    const newest35 = ETCD_RELEASES.filter((v) => v.startsWith('3.5.')).pop()!;
    const fns = functionsOf(newest35, 5);
    const r = startLineRange(fns)!;
    const next = semver.inc(newest35, 'patch')!;
    expect(semver.satisfies(next, r.range!)).toBe(true);
    expect(semver.satisfies('3.6.0', r.range!) && !fns.every((f) => lineIn(f.logical, '3.6.0') === f.startLine)).toBe(
      false,
    );
  });
});

describe('on real profiles (Debian builds with Go ≥ 1.20)', () => {
  const infer = async (f: string) => inferContext([new ProfileView(await loadProfile(f), f)]);

  it.each([
    ['samples/etcd-3.5.16/idle/goroutine.pb.gz', '3.5.16'],
    ['samples/etcd-3.5.30/idle/goroutine.pb.gz', '3.5.30'],
  ])('%s: the release it ran, from the start lines', async (f, release) => {
    const c = await infer(f);
    expect(semver.satisfies(release, c.etcdVersion!.range)).toBe(true);
    // at most the recorded release and the next patch release
    expect(semver.intersects(c.etcdVersion!.range, `<${release} || >=${semver.inc(release, 'patch')}`)).toBe(
      semver.intersects(c.etcdVersion!.range, `>${release}`),
    );
    expect(semver.minVersion(c.etcdVersion!.range)!.version).toBe(release);
    expect(c.etcdVersion!.evidence.join('\n')).toMatch(/start lines of \d+ etcd function/);
  });

  it('Debian’s patched files are named, not used', async () => {
    const c = await infer('samples/etcd-3.5.30/idle/goroutine.pb.gz');
    expect(c.notes.join('\n')).toMatch(/embed\/serve\.go.*match no etcd release/);
  });

  it('a Go 1.19 build (3.4.23) has no start lines: the range rests on the names only', async () => {
    const c = await infer('samples/etcd-3.4.23/idle/goroutine.pb.gz');
    expect(c.etcdVersion!.evidence.join('\n')).not.toMatch(/start lines/);
  });
});
