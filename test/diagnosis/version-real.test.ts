/**
 * Version inference on every recorded real profile (samples/): the inferred etcd range must hold
 * the release that was recorded — a marker the real process contradicts is a wrong marker — and the
 * function markers narrow it where the stacks carry them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { inferContext } from '../../src/diagnosis/context.js';
import { ProfileView } from '../../src/diagnosis/matcher.js';
import { loadProfile } from '../../src/input/load.js';

const PROFILE = /(\.pb\.gz|\/heap\.debug1\.txt|\/goroutine\.debug[12]\.txt)$/;

/** The release each recorded folder ran (samples/*\/README.md; a bundle's manifest names each member's). */
const RECORDED: [string, string][] = [
  ['samples/etcd-3.4.23', '3.4.23'],
  ['samples/etcd-3.5.16', '3.5.16'],
  ['samples/etcd-3.5.30', '3.5.30'],
  ['samples/clients/etcd-client-3.4', '3.4.23'],
  ['samples/clients/etcd-client-3.5', '3.5.30'],
];

function profiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...profiles(p));
    else if (PROFILE.test(p)) out.push(p);
  }
  return out;
}

/** A bundle member's version from the bundle's manifest.json, when the file is in one. */
function bundleVersion(file: string): string | undefined {
  const parts = file.split('/');
  for (let i = parts.length - 2; i > 0; i--) {
    const manifest = join(...parts.slice(0, i), 'manifest.json');
    if (!existsSync(manifest)) continue;
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { members: { name: string; etcdVersion: string }[] };
    return m.members.find((x) => x.name === parts[i])?.etcdVersion;
  }
  return undefined;
}

const infer = async (f: string) => inferContext([new ProfileView(await loadProfile(f), f)]);

describe.each(RECORDED)('%s', (dir, release) => {
  it.each(profiles(dir).map((f) => [f]))('%s: the inferred etcd range holds the recorded release', async (f) => {
    const c = await infer(f);
    const v = bundleVersion(f) ?? release;
    if (c.etcdVersion) expect(semver.satisfies(v, c.etcdVersion.range), `${c.etcdVersion.range} ∌ ${v}`).toBe(true);
    expect(c.notes.filter((n) => /disagree/.test(n))).toEqual([]);
  });
});

describe('the markers narrow real profiles', () => {
  it.each([
    // 3.4.23: linearizable reads (requestCurrentIndex, ≥ 3.4.20) on the stacks
    ['samples/etcd-3.4.23/many-leases/cpu.pb.gz', '>=3.4.20 <3.5.0'],
    ['samples/etcd-3.4.23/series/watch-leak/heap.05.pb.gz', '>=3.4.20 <3.5.0'],
    ['samples/etcd-3.4.23/count-only/goroutine.pb.gz', '>=3.4.20 <3.5.0'],
    // 3.4.23: the WAL's (*PageWriter).FlushN (≥ 3.4.7)
    ['samples/etcd-3.4.23/many-watchers/cpu.pb.gz', '>=3.4.7 <3.5.0'],
    // 3.5 legacy text (no start lines): 3.5.16's online-defrag health notifier (3.5.14+); 3.5.30's
    // keep-alive listener (3.5.5+)
    ['samples/etcd-3.5.16/many-leases/heap.debug1.txt', '>=3.5.14 <3.6.0'],
    ['samples/etcd-3.5.30/password-auth/heap.debug1.txt', '>=3.5.5 <3.6.0'],
    // 3.5 protos of Debian's Go 1.24+ builds: the start lines of etcd's functions
    ['samples/etcd-3.5.16/put-1mb-3member/leader/cpu.pb.gz', '>=3.5.16 <3.5.17'],
    ['samples/etcd-3.5.16/many-leases/heap.pb.gz', '>=3.5.16 <3.5.17'],
    ['samples/etcd-3.5.30/password-auth/heap.pb.gz', '>=3.5.30 <3.5.32'],
  ])('%s → %s', async (f, range) => {
    const c = await infer(f);
    expect(c.etcdVersion!.range).toBe(range);
    expect(c.etcdVersion!.source).toBe('inferred');
  });

  it('a 3.4.23 profile with a marker no longer admits the releases before 3.4.10', async () => {
    const c = await infer('samples/etcd-3.4.23/series/watch-leak/heap.05.pb.gz');
    expect(semver.intersects(c.etcdVersion!.range, '<3.4.10')).toBe(false);
    expect(c.etcdVersion!.evidence.join('\n')).toMatch(/requestCurrentIndex|sendReadIndex|waitAppliedIndex/);
  });

  it('a 3.4.23 profile without one stays as wide as its package paths say', async () => {
    const c = await infer('samples/etcd-3.4.23/idle/goroutine.pb.gz');
    expect(c.etcdVersion!.range).toBe('>=3.4.0 <3.5.0');
  });
});
