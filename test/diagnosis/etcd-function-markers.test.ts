/**
 * The function markers of etcd-function-markers.ts, one by one: a profile whose stacks carry one of
 * a marker's functions has its range narrowed to the marker's releases, in every spelling of the
 * package path; a profile without it (or with a look-alike outside etcd) keeps the wide range its
 * package layout gives.
 */
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { inferContext } from '../../src/diagnosis/context.js';
import { FUNCTION_MARKERS, type FunctionMarker } from '../../src/diagnosis/etcd-function-markers.js';
import { etcdPackageOf, packageOf } from '../../src/diagnosis/etcd-packages.js';
import { ProfileView } from '../../src/diagnosis/matcher.js';
import { intersect } from '../../src/diagnosis/versions.js';
import type { Profile } from '../../src/profile/model.js';
import { clientBaseStacks, E34, E35, E35D, etcdHeap, MB } from '../helpers/etcd-frames.js';
import { heapProfile } from '../helpers/profile-builder.js';

const infer = (p: Profile) => inferContext([new ProfileView(p, 'p')]);

/** A layout to show a marker in: the package spelling of a release line the marker's range reaches. */
interface Layout {
  name: string;
  /** What the layout alone gives. */
  range: string;
  /** Full function name of a logical `pkg.fn` in this layout. */
  spell: (logical: string) => string;
  /** A profile of this layout with extra stacks. */
  profile: (stacks: string[], m: FunctionMarker) => Profile;
}

/** The package of a logical function name and the rest (`etcdserver/api/v3rpc.(*x).y` → [`etcdserver/api/v3rpc`, `.(*x).y`]). */
function split(logical: string): [string, string] {
  const pkg = packageOf(`go.etcd.io/etcd/${logical}`).slice('go.etcd.io/etcd/'.length);
  return [pkg, logical.slice(pkg.length)];
}

/** 3.5 module paths (upstream) and GOPATH paths (Debian) of a logical package. */
function path35(pkg: string, gopath: boolean): string {
  const top = pkg.split('/')[0]!;
  if (top === 'clientv3') return `go.etcd.io/etcd/client/v3${pkg.slice('clientv3'.length)}`;
  if (top === 'raft') return `go.etcd.io/etcd/raft${gopath ? '' : '/v3'}${pkg.slice('raft'.length)}`;
  if (pkg.startsWith('pkg/')) {
    const sub = pkg.slice(4);
    const clientPkg = ['transport', 'logutil', 'fileutil', 'types', 'tlsutil'].includes(sub.split('/')[0]!);
    return `go.etcd.io/etcd/${clientPkg ? 'client/pkg' : 'pkg'}${gopath ? '' : '/v3'}/${sub}`;
  }
  return `${gopath ? E35D : E35}${pkg}`;
}

const serverStacks = (stacks: string[]) => stacks.map((stack) => ({ stack, bytes: MB }));
const client = (pkg: string, stacks: string[]) =>
  heapProfile([...clientBaseStacks(pkg), ...stacks].map((stack) => ({ stack, bytes: MB })));

const LAYOUTS: Layout[] = [
  {
    name: '3.4',
    range: '>=3.4.0 <3.5.0',
    spell: (l) => `${E34}${l}`,
    profile: (s, m) => (m.for === 'server' ? etcdHeap('3.4', serverStacks(s)) : client(`${E34}clientv3`, s)),
  },
  {
    name: '3.5 modules',
    range: '>=3.5.0',
    spell: (l) => {
      const [pkg, rest] = split(l);
      return `${path35(pkg, false)}${rest}`;
    },
    profile: (s, m) => (m.for === 'server' ? etcdHeap('3.5', serverStacks(s)) : client('go.etcd.io/etcd/client/v3', s)),
  },
  {
    name: '3.5 Debian GOPATH',
    range: '>=3.5.0',
    spell: (l) => {
      const [pkg, rest] = split(l);
      return `${path35(pkg, true)}${rest}`;
    },
    profile: (s, m) =>
      m.for === 'server' ? etcdHeap('3.5-debian', serverStacks(s)) : client('go.etcd.io/etcd/client/v3', s),
  },
];

/** The layouts whose release line the marker's range reaches. */
const layoutsOf = (m: FunctionMarker) => LAYOUTS.filter((l) => intersect(l.range, m.range) !== null);

describe('function marker table', () => {
  it('every entry: a valid range, a public etcd source, functions of etcd packages, no function twice', () => {
    const seen = new Set<string>();
    for (const m of FUNCTION_MARKERS) {
      expect(semver.validRange(m.range), m.range).not.toBeNull();
      expect(m.source).toMatch(/^https:\/\/github\.com\/etcd-io\/etcd\/(pull\/\d+|commit\/[0-9a-f]{40})$/);
      for (const f of m.fns) {
        expect(seen.has(f), f).toBe(false);
        seen.add(f);
        const p = etcdPackageOf(`${E34}${f}`);
        expect(p?.path, f).toBe(split(f)[0]);
      }
      // the marker narrows the range of at least one layout it can be seen in
      expect(
        layoutsOf(m).some((l) => intersect(l.range, m.range) !== l.range),
        m.why,
      ).toBe(true);
    }
  });
});

describe.each(FUNCTION_MARKERS.map((m) => [m.fns[0]!, m] as const))('marker %s', (_, m) => {
  for (const layout of layoutsOf(m)) {
    // the same package with a function that is no marker: what the profile says without the marker
    const wide = (f = m.fns[0]!) =>
      infer(layout.profile([`runtime.goexit;${layout.spell(split(f)[0])}.notAMarker`], m)).etcdVersion!.range;
    const narrowed = (f = m.fns[0]!) => intersect(wide(f), m.range)!;
    it.each(m.fns.map((f) => [f]))(`${layout.name}: %s on a stack narrows the range to the marker's`, (f) => {
      const c = infer(layout.profile([`runtime.goexit;${layout.spell(f)}`], m));
      expect(c.etcdVersion!.range).toBe(narrowed(f));
      expect(c.notes).toEqual([]);
      // where the layout alone allows releases the marker excludes, the marker is the evidence for it
      if (narrowed(f) !== wide(f)) expect(c.etcdVersion!.evidence.join('\n')).toContain(m.why);
    });
    it(`${layout.name}: a closure of it counts too; a look-alike does not`, () => {
      const name = layout.spell(m.fns[0]!);
      expect(infer(layout.profile([`runtime.goexit;${name}.func1`], m)).etcdVersion!.range).toBe(narrowed());
      // the same function name in a fork that is not one of etcd's packages
      const fork = `example.com/fork/${m.fns[0]!}`;
      expect(infer(layout.profile([`runtime.goexit;${fork}`], m)).etcdVersion!.range).toBe(layout.range);
      // a longer name in the same package that only starts like it
      expect(infer(layout.profile([`runtime.goexit;${name}Later`], m)).etcdVersion!.range).toBe(wide());
    });
    it(`${layout.name}: without it, the range is the layout's`, () => {
      expect(infer(layout.profile([], m)).etcdVersion!.range).toBe(layout.range);
    });
  }
});

describe('too few frames to go on', () => {
  it('one etcd frame and no marker: the range stays as wide as the layout says', () => {
    const p = heapProfile([{ stack: `runtime.goexit;${E34}etcdserver.(*EtcdServer).run`, bytes: MB }]);
    const c = infer(p);
    expect(c.etcdVersion!.range).toBe('>=3.4.0 <3.5.0');
    expect(c.etcdVersion!.label).toBe('3.4.x');
  });

  it('markers that cannot be one release: the first in the table wins, the conflict is noted', () => {
    // wal.write (≥ 3.5.14) with wal.writeUint64 (≤ 3.5.13)
    const p = etcdHeap('3.5', serverStacks([`runtime.goexit;${E35}wal.writeUint64`, `runtime.goexit;${E35}wal.write`]));
    const c = infer(p);
    expect(c.etcdVersion!.range).toBe('>=3.5.14 <3.6.0');
    expect(c.notes.join(' ')).toMatch(/disagree.*wal\.writeUint64/);
  });
});
