/**
 * Package prefixes of etcd releases and small "base" stacks that make a synthetic profile look like
 * the process it stands for (an etcd server of some release, a client application, …), for rule
 * and context tests. See etcd-known-issues.md §1 for the prefixes.
 */
import type { Profile } from '../../src/profile/model.js';
import { cpuProfile, goroutineProfile, heapProfile, type BuildOptions } from './profile-builder.js';

export const MB = 1024 * 1024;
export const GB = 1024 * MB;
export const SEC = 1e9;

/** etcd 3.0–3.3.13 release binaries. */
export const E32 = 'github.com/coreos/etcd/cmd/vendor/github.com/coreos/etcd/';
export const G32 = 'github.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/';
/** etcd 3.3.14+ (and client apps of 3.0–3.3). */
export const E33 = 'github.com/coreos/etcd/';
/** etcd 3.4. */
export const E34 = 'go.etcd.io/etcd/';
/** etcd 3.5 server packages. */
export const E35 = 'go.etcd.io/etcd/server/v3/';
/**
 * etcd 3.5 server packages as Debian and Ubuntu build them (GOPATH mode: the module's directory,
 * without the /v3 suffix); their api and raft packages are `go.etcd.io/etcd/api/…` and `go.etcd.io/etcd/raft`.
 */
export const E35D = 'go.etcd.io/etcd/server/';
/** grpc ≥ 1.23 as bundled from etcd 3.3.14 on. */
export const G = 'google.golang.org/grpc/internal/';

export type Release = '3.2' | '3.3.14' | '3.4' | '3.5' | '3.5-debian';

export function prefix(r: Release): string {
  return r === '3.2' ? E32 : r === '3.3.14' ? E33 : r === '3.4' ? E34 : r === '3.5' ? E35 : E35D;
}

/** Stacks every etcd server has (start-up, apply loop), root first. */
export function serverBaseStacks(r: Release): string[] {
  const p = prefix(r);
  return [
    `runtime.main;main.main;${p}etcdmain.Main;${p}etcdmain.startEtcd;${p}embed.StartEtcd;${p}etcdserver.NewServer`,
    `runtime.goexit;${p}etcdserver.(*EtcdServer).run.func8;${p}etcdserver.(*EtcdServer).applyAll;${p}etcdserver.(*EtcdServer).applyEntries`,
  ];
}

export function etcdHeap(r: Release, stacks: { stack: string; bytes: number }[], opts: BuildOptions = {}): Profile {
  return heapProfile([...serverBaseStacks(r).map((stack) => ({ stack, bytes: MB })), ...stacks], {
    mappingFile: '/usr/local/bin/etcd',
    ...opts,
  });
}

export function etcdCpu(r: Release, stacks: { stack: string; ns: number }[], opts: BuildOptions = {}): Profile {
  return cpuProfile([...serverBaseStacks(r).map((stack) => ({ stack, ns: 0.01 * SEC })), ...stacks], {
    mappingFile: '/usr/local/bin/etcd',
    ...opts,
  });
}

export function etcdGoroutines(
  r: Release,
  stacks: { stack: string; count: number }[],
  opts: BuildOptions = {},
): Profile {
  return goroutineProfile([...serverBaseStacks(r).map((stack) => ({ stack, count: 1 })), ...stacks], {
    mappingFile: '/usr/local/bin/etcd',
    ...opts,
  });
}

/** A client application's main stacks (a service using clientv3 of the given package root). */
export function clientBaseStacks(clientPkg: string): string[] {
  return [
    `runtime.main;main.main;example.com/svc/app.Run;${clientPkg}.New;${clientPkg}.newClient`,
    `runtime.goexit;example.com/svc/app.(*Locker).loop;${clientPkg}.(*kv).Do`,
  ];
}
