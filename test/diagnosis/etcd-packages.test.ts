/**
 * etcd recognised by its package structure: the same logical package under every spelling a
 * release or a build style gave it. The names below are written out by hand; the Debian ones are
 * function names of Debian's etcd-server 3.5.16 binary (GOPATH build, read from its pclntab).
 */
import { describe, expect, it } from 'vitest';
import { etcdPackageOf, packageOf, packageSpellings } from '../../src/diagnosis/etcd-packages.js';
import { compilePattern, patternNeedle } from '../../src/diagnosis/patterns.js';

describe('etcdPackageOf: one logical package, every spelling', () => {
  it.each([
    // [function name, logical package, module, layout]
    [
      'github.com/coreos/etcd/cmd/vendor/github.com/coreos/etcd/mvcc.(*watchableStore).watch',
      'mvcc',
      'server',
      'cmd-vendor',
    ],
    ['github.com/coreos/etcd/mvcc.(*watchableStore).watch', 'mvcc', 'server', 'coreos'],
    ['go.etcd.io/etcd/mvcc.(*watchableStore).watch', 'mvcc', 'server', 'single-module'],
    ['go.etcd.io/etcd/server/v3/mvcc.(*watchableStore).watch', 'mvcc', 'server', 'modules'],
    ['go.etcd.io/etcd/server/mvcc.(*watchableStore).watch', 'mvcc', 'server', 'gopath'],
    ['go.etcd.io/etcd/server/v3/storage/mvcc.(*watchableStore).watch', 'mvcc', 'server', 'modules'],
    ['go.etcd.io/etcd/server/v3/storage/backend.(*backend).run', 'mvcc/backend', 'server', 'modules'],
    ['go.etcd.io/etcd/server/mvcc/backend.(*backend).run', 'mvcc/backend', 'server', 'gopath'],
    ['go.etcd.io/etcd/api/etcdserverpb.(*RangeResponse).Marshal', 'etcdserver/etcdserverpb', 'api', 'gopath'],
    ['go.etcd.io/etcd/api/v3/etcdserverpb.(*RangeResponse).Marshal', 'etcdserver/etcdserverpb', 'api', 'modules'],
    [
      'go.etcd.io/etcd/etcdserver/etcdserverpb.(*RangeResponse).Marshal',
      'etcdserver/etcdserverpb',
      'api',
      'single-module',
    ],
    ['go.etcd.io/etcd/api/mvccpb.(*KeyValue).Unmarshal', 'mvcc/mvccpb', 'api', 'gopath'],
    ['go.etcd.io/etcd/api/v3rpc/rpctypes.Error', 'etcdserver/api/v3rpc/rpctypes', 'api', 'gopath'],
    ['go.etcd.io/etcd/server/etcdserver/api/v3rpc.(*watchServer).Watch', 'etcdserver/api/v3rpc', 'server', 'gopath'],
    [
      'go.etcd.io/etcd/server/etcdserver/api/rafthttp.(*streamReader).run',
      'etcdserver/api/rafthttp',
      'server',
      'gopath',
    ],
    ['github.com/coreos/etcd/rafthttp.(*streamReader).run', 'etcdserver/api/rafthttp', 'server', 'coreos'],
    ['github.com/coreos/etcd/store.(*store).Set', 'etcdserver/api/v2store', 'server', 'coreos'],
    ['go.etcd.io/etcd/raft.(*raft).Step', 'raft', 'raft', 'single-module-or-gopath'],
    ['go.etcd.io/etcd/raft/v3.(*raft).Step', 'raft', 'raft', 'modules'],
    ['go.etcd.io/raft/v3.(*raft).Step', 'raft', 'raft', 'raft-module'],
    ['go.etcd.io/etcd/raft/raftpb.(*Entry).Unmarshal', 'raft/raftpb', 'raft', 'single-module-or-gopath'],
    ['go.etcd.io/etcd/client/pkg/fileutil.purgeFile', 'pkg/fileutil', 'client-pkg', 'gopath'],
    ['go.etcd.io/etcd/client/pkg/v3/transport.(*keepaliveListener).Accept', 'pkg/transport', 'client-pkg', 'modules'],
    [
      'go.etcd.io/etcd/pkg/transport.(*keepaliveListener).Accept',
      'pkg/transport',
      'client-pkg',
      'single-module', // a 3.5 GOPATH build has it under client/pkg
    ],
    ['go.etcd.io/etcd/pkg/v3/schedule.(*fifo).run', 'pkg/schedule', 'pkg', 'modules'],
    ['go.etcd.io/etcd/client/v3.(*watchGrpcStream).serveSubstream', 'clientv3', 'client', 'modules-or-gopath'],
    ['go.etcd.io/etcd/client/v3/concurrency.(*Session).Close', 'clientv3/concurrency', 'client', 'modules-or-gopath'],
    ['go.etcd.io/etcd/clientv3.(*watchGrpcStream).serveSubstream', 'clientv3', 'client', 'single-module'],
    ['k8s.io/kubernetes/vendor/github.com/coreos/etcd/clientv3.(*watcher).Watch', 'clientv3', 'client', 'coreos'],
    ['go.etcd.io/etcd/client.(*httpClusterClient).Do', 'client', 'client-v2', 'single-module'],
  ])('%s → %s (%s, %s)', (name, path, module, layout) => {
    expect(etcdPackageOf(name)).toMatchObject({ path, module, layout });
  });

  it('server-only packages make a server; protobuf, client and raft packages do not', () => {
    const only = (n: string) => etcdPackageOf(n)?.serverOnly;
    expect(only('go.etcd.io/etcd/server/etcdserver.(*EtcdServer).run')).toBe(true);
    expect(only('go.etcd.io/etcd/server/lease.(*lessor).runLoop')).toBe(true);
    expect(only('go.etcd.io/etcd/server/v3/storage/wal.(*WAL).sync')).toBe(true);
    expect(only('go.etcd.io/etcd/api/etcdserverpb.(*RangeResponse).Marshal')).toBe(false);
    expect(only('go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes.Error')).toBe(false);
    expect(only('go.etcd.io/etcd/client/v3.(*watcher).Watch')).toBe(false);
    expect(only('go.etcd.io/etcd/raft.(*node).run')).toBe(false);
  });

  it('the 3.5 and 3.6 homes of the moved storage packages are told apart', () => {
    expect(etcdPackageOf('go.etcd.io/etcd/server/mvcc.(*keyIndex).put')!.era).toBe('3.5');
    expect(etcdPackageOf('go.etcd.io/etcd/server/v3/storage/mvcc.(*keyIndex).put')!.era).toBe('3.6');
    expect(etcdPackageOf('go.etcd.io/etcd/server/etcdserver.(*EtcdServer).run')!.era).toBeUndefined();
  });

  it.each([
    'go.etcd.io/bbolt.(*DB).Update',
    'github.com/coreos/go-systemd/v22/journal.Send',
    'github.com/coreos/pkg/capnslog.(*PackageLogger).Infof',
    'go.etcd.io/etcd/tests/v3/framework.Run',
    'example.com/etcdish/app.Run',
    'runtime.gopark',
  ])('not an etcd package: %s', (name) => {
    expect(etcdPackageOf(name)).toBeNull();
  });

  it('packageOf: the package path of a function name', () => {
    expect(packageOf('go.etcd.io/etcd/server/v3/mvcc.(*watchableStore).watch')).toBe('go.etcd.io/etcd/server/v3/mvcc');
    expect(packageOf('go.etcd.io/etcd/client/v3.(*retryOption).google.golang.org/grpc.x')).toBe(
      'go.etcd.io/etcd/client/v3',
    );
    expect(packageOf('go.etcd.io/etcd/pkg/v3/schedule.(*fifo).run.func1')).toBe('go.etcd.io/etcd/pkg/v3/schedule');
    expect(packageOf('runtime.gopark')).toBe('runtime');
  });
});

describe('frame macros derived from the package table', () => {
  it('packageSpellings lists every home of a package', () => {
    expect(new Set(packageSpellings('mvcc/backend'))).toEqual(
      new Set([
        'github.com/coreos/etcd/mvcc/backend',
        'go.etcd.io/etcd/mvcc/backend',
        'go.etcd.io/etcd/server/v3/mvcc/backend',
        'go.etcd.io/etcd/server/mvcc/backend',
        'go.etcd.io/etcd/server/v3/storage/backend',
        'go.etcd.io/etcd/server/storage/backend',
      ]),
    );
    expect(packageSpellings('etcdserver/etcdserverpb')).toContain('go.etcd.io/etcd/api/etcdserverpb');
    expect(packageSpellings('etcdserver/api/v2store')).toContain('github.com/coreos/etcd/store');
  });

  const spellings: Record<string, string[]> = {
    '{etcd}/mvcc.(*watchableStore).watch': [
      'github.com/coreos/etcd/cmd/vendor/github.com/coreos/etcd/mvcc.(*watchableStore).watch',
      'github.com/coreos/etcd/mvcc.(*watchableStore).watch',
      'k8s.io/kubernetes/vendor/github.com/coreos/etcd/mvcc.(*watchableStore).watch',
      'go.etcd.io/etcd/mvcc.(*watchableStore).watch',
      'go.etcd.io/etcd/server/v3/mvcc.(*watchableStore).watch',
      'go.etcd.io/etcd/server/mvcc.(*watchableStore).watch',
      'go.etcd.io/etcd/server/v3/storage/mvcc.(*watchableStore).watch',
    ],
    '{etcd}/mvcc/backend.(*backend).ConcurrentReadTx': [
      'go.etcd.io/etcd/mvcc/backend.(*backend).ConcurrentReadTx',
      'go.etcd.io/etcd/server/mvcc/backend.(*backend).ConcurrentReadTx',
      'go.etcd.io/etcd/server/v3/storage/backend.(*backend).ConcurrentReadTx',
    ],
    '{etcd}/pkg/adt.(*intervalTree).Insert': [
      'github.com/coreos/etcd/pkg/adt.(*intervalTree).Insert',
      'go.etcd.io/etcd/pkg/adt.(*intervalTree).Insert',
      'go.etcd.io/etcd/pkg/v3/adt.(*intervalTree).Insert',
    ],
    '{etcdserverpb}.(*RangeResponse).Marshal': [
      'go.etcd.io/etcd/etcdserver/etcdserverpb.(*RangeResponse).Marshal',
      'go.etcd.io/etcd/api/v3/etcdserverpb.(*RangeResponse).Marshal',
      'go.etcd.io/etcd/api/etcdserverpb.(*RangeResponse).Marshal',
    ],
    '{mvccpb}.(*KeyValue).Unmarshal': [
      'go.etcd.io/etcd/mvcc/mvccpb.(*KeyValue).Unmarshal',
      'go.etcd.io/etcd/api/v3/mvccpb.(*KeyValue).Unmarshal',
      'go.etcd.io/etcd/api/mvccpb.(*KeyValue).Unmarshal',
    ],
    '{raft}.stepLeader': [
      'github.com/coreos/etcd/raft.stepLeader',
      'go.etcd.io/etcd/raft.stepLeader',
      'go.etcd.io/etcd/raft/v3.stepLeader',
      'go.etcd.io/raft/v3.stepLeader',
    ],
    '{v3rpc}.(*watchServer).Watch': [
      'go.etcd.io/etcd/etcdserver/api/v3rpc.(*watchServer).Watch',
      'go.etcd.io/etcd/server/etcdserver/api/v3rpc.(*watchServer).Watch',
      'go.etcd.io/etcd/server/v3/etcdserver/api/v3rpc.(*watchServer).Watch',
    ],
    '{rafthttp}.(*streamReader).run': [
      'github.com/coreos/etcd/rafthttp.(*streamReader).run',
      'go.etcd.io/etcd/server/etcdserver/api/rafthttp.(*streamReader).run',
    ],
    '{clientv3}.(*watchGrpcStream).serveSubstream': [
      'github.com/coreos/etcd/clientv3.(*watchGrpcStream).serveSubstream',
      'go.etcd.io/etcd/clientv3.(*watchGrpcStream).serveSubstream',
      'go.etcd.io/etcd/client/v3.(*watchGrpcStream).serveSubstream',
    ],
    're:^{etcd}/mvcc\\.\\(\\*keyIndex\\)\\.(put|tombstone)$': [
      'go.etcd.io/etcd/server/mvcc.(*keyIndex).put',
      'go.etcd.io/etcd/server/v3/storage/mvcc.(*keyIndex).tombstone',
    ],
  };
  for (const [pattern, names] of Object.entries(spellings)) {
    it(`${pattern} matches every spelling, and its needle is in each`, () => {
      const re = compilePattern(pattern);
      const needle = patternNeedle(pattern);
      for (const n of names) {
        expect(re.test(n), n).toBe(true);
        if (needle !== undefined) expect(n.includes(needle), `${n} contains ${needle}`).toBe(true);
      }
    });
  }

  it.each([
    ['{etcd}/mvcc.(*watchableStore).watch', 'go.etcd.io/etcd/pkg/v3/mvcc.(*watchableStore).watch'],
    ['{etcd}/mvcc.(*watchableStore).watch', 'go.etcd.io/etcd/api/v3/mvcc.(*watchableStore).watch'],
    [
      '{etcd}/mvcc/backend.(*backend).ConcurrentReadTx',
      'go.etcd.io/etcd/server/v3/storage/mvcc/backend.(*backend).ConcurrentReadTx',
    ],
    ['{etcdserverpb}.(*RangeResponse).Marshal', 'go.etcd.io/etcd/server/etcdserverpb.(*RangeResponse).Marshal'],
    ['{raft}.stepLeader', 'go.etcd.io/etcd/server/raft.stepLeader'],
    ['{clientv3}.(*watchGrpcStream).serveSubstream', 'go.etcd.io/etcd/client/v2.(*watchGrpcStream).serveSubstream'],
  ])('near miss: %s does not match %s (a package etcd never had there)', (pattern, name) => {
    expect(compilePattern(pattern).test(name)).toBe(false);
  });
});
