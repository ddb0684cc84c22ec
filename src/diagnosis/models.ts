/**
 * Quantitative models from the source documents, computed from the profiles and shown beside the
 * measured figures ("model vs measured"). Each says how every input was measured or estimated.
 *
 *  - watch-memory (seed-digest §1): ≈ 17 KB × gRPC connections + 18 KB × gRPC streams + 350 B ×
 *    watchers. Streams = goroutines in serverWatchStream.recvLoop/sendLoop (one of each per
 *    stream); connections = gRPC server transport reader goroutines; watchers = heap inuse_objects
 *    at the watcher allocation site (`mvcc.(*watchableStore).watch`), an estimate because the heap
 *    profile samples one allocation per 512 KiB. Measured = in-use heap under the watch code paths.
 *  - raft-log-memory (seed-digest §1, known-issues entry 4): retained entries × entry size, with
 *    the 5000 catch-up entries and `--snapshot-count` (default by version).
 *  - goroutines-per-watch-stream: goroutines per watch stream (server: 2 expected) and, in client
 *    apps, watch streams (watchGrpcStream.run goroutines) against all goroutines.
 *  - heap-vs-rss: runtime.MemStats of a debug=1 heap profile: in-use heap vs idle / released / Sys.
 *
 * Environment-neutral.
 */
import { autoLabel } from '../profile/units.js';
import type { MetricFacts } from '../metrics/facts.js';
import type { ProcessInfo } from './context.js';
import type { ProfileView } from './matcher.js';
import { fixedPattern } from './patterns.js';
import { profileKinds, sampleIndexFor } from './profile-kind.js';
import type { ModelInput, ModelResult } from './report.js';
import type { CompiledPattern, ModelName } from './schema.js';
import { isSubset } from './versions.js';

/** Every frame pattern of this module (test/diagnosis/models.test.ts checks them with compilePattern). */
export const MODEL_PATTERNS: string[] = [];

// Our own, fixed patterns: native RegExps built on first use (fixedPattern), as context.ts does.
// compilePattern's RE2 check and re2js compilation of the `re:` ones would cost ~10 ms of start-up.
const pats = (...ps: string[]): CompiledPattern[] =>
  ps.map((p) => {
    MODEL_PATTERNS.push(p);
    return fixedPattern(p);
  });

const KB = 1024;
export const WATCH_MODEL = { perConnection: 17 * KB, perStream: 18 * KB, perWatcher: 350 };
export const SNAPSHOT_CATCHUP_ENTRIES = 5000;

const RECV_LOOP = pats('{v3rpc}.(*serverWatchStream).recvLoop');
const SEND_LOOP = pats('{v3rpc}.(*serverWatchStream).sendLoop');
const CONN_READER = pats(
  '{grpc}/transport.(*http2Server).HandleStreams',
  'net/http.(*http2serverConn).serve',
  '{x}/net/http2.(*serverConn).serve',
);
const WATCHER_ALLOC = pats('{etcd}/mvcc.(*watchableStore).watch');
/**
 * Objects `mvcc.(*watchableStore).watch` allocates per watcher (etcd 3.1 through 3.6): the
 * `&watcher{…}` and the cancel closure it returns (`func() { s.cancelWatcher(wa) }`). The map
 * entries that register it are allocated in the inlined watcherSetByKey.add / watcherSet.add,
 * which pprof counts as functions of their own.
 */
const OBJECTS_PER_WATCHER = 2;
/** Go's default heap sampling rate (runtime.MemProfileRate), when the profile does not say. */
const DEFAULT_HEAP_RATE = 512 * KB;
const WATCH_PATHS = pats(
  're:^{etcd}/mvcc\\.\\(\\*(watchableStore|watchStream|watcherGroup|watcher)\\)\\.',
  're:^{etcd}/mvcc\\.(newWatcherBatch|kvsToEvents)$',
  're:^{v3rpc}\\.\\(\\*(serverWatchStream|watchServer)\\)\\.',
);
const CLIENT_WATCH_STREAM = pats('{clientv3}.(*watchGrpcStream).run');
const RAFT_ENTRY_ALLOC = pats('{raftpb}.(*Entry).Unmarshal', '{etcdserverpb}.(*InternalRaftRequest).Marshal');

function views(all: ProfileView[], kind: 'heap' | 'goroutine'): ProfileView[] {
  return all.filter((v) => v.profile.source.hasStacks && profileKinds(v.profile).includes(kind));
}

function goroutines(all: ProfileView[], ps: CompiledPattern[]): { n: number; from: string } | null {
  for (const v of views(all, 'goroutine')) {
    const idx = sampleIndexFor(v.profile, 'goroutine');
    if (idx < 0) continue;
    return { n: v.measure({ frame: ps }, idx).cum, from: v.name };
  }
  return null;
}

function countText(n: number | null): string {
  return n === null ? 'unknown' : String(Math.round(n));
}

function bytesText(n: number | null): string {
  return n === null ? 'unknown' : autoLabel(n, 'bytes');
}

function watchMemory(all: ProfileView[], facts?: MetricFacts): ModelResult {
  const inputs: ModelInput[] = [];
  const notes: string[] = [];
  const recv = goroutines(all, RECV_LOOP);
  const send = goroutines(all, SEND_LOOP);
  const fromGoroutines = recv && send ? Math.max(recv.n, send.n) : null;
  const exactStreams = facts?.watchStreams;
  const streams = exactStreams ?? fromGoroutines;
  const goroutineHow = recv
    ? `goroutines in serverWatchStream.recvLoop (${recv.n}) / sendLoop (${send?.n ?? 0}) in ${recv.from}: one of each per stream`
    : 'needs a goroutine profile or dump';
  inputs.push({
    name: 'gRPC watch streams',
    value: streams,
    text: countText(streams),
    how:
      exactStreams !== undefined
        ? `etcd_debugging_mvcc_watch_stream_total in ${facts!.source} (exact)${fromGoroutines !== null ? `; the ${goroutineHow.replace(/: one of each per stream$/, '')} say ${fromGoroutines}` : ''}`
        : goroutineHow,
  });
  const conns = goroutines(all, CONN_READER);
  inputs.push({
    name: 'gRPC connections',
    value: conns ? conns.n : null,
    text: countText(conns ? conns.n : null),
    how: conns ? `gRPC/HTTP2 server transport reader goroutines in ${conns.from}` : 'needs a goroutine profile or dump',
  });
  let watchers: number | null = null;
  let measured: number | null = null;
  let heapFrom = '';
  let sampled = 0;
  let rate = DEFAULT_HEAP_RATE;
  for (const v of views(all, 'heap')) {
    const io = sampleIndexFor(v.profile, 'heap', 'inuse_objects');
    const is = sampleIndexFor(v.profile, 'heap', 'inuse_space');
    if (io < 0 || is < 0) continue;
    watchers = v.measure({ frame: WATCHER_ALLOC }, io).flat / OBJECTS_PER_WATCHER;
    // Objects far smaller than the sampling rate are each reported as ≈ rate bytes, so the
    // in-use bytes at the site over the rate ≈ how many allocations were actually sampled there.
    if (v.profile.period > 0) rate = v.profile.period;
    sampled = Math.round(v.measure({ frame: WATCHER_ALLOC }, is).flat / rate);
    measured = v.measure({ frame: WATCH_PATHS }, is).cum;
    heapFrom = v.name;
    break;
  }
  // One standard error of a count estimated from n samples: about 1/√n.
  const spread = sampled > 0 ? ` (± ${Math.round(100 / Math.sqrt(sampled))} %: ${sampled} sampled allocations)` : '';
  const heapHow =
    watchers === null
      ? 'needs a heap profile with inuse_objects'
      : `inuse_objects allocated at mvcc.(*watchableStore).watch in ${heapFrom} / ${OBJECTS_PER_WATCHER} (each watcher is the watcher and the cancel closure watch() returns); the heap profile samples one allocation per ${bytesText(rate)}, so this is an estimate`;
  const exactWatchers = facts?.watchers;
  if (exactWatchers !== undefined) {
    const estimated =
      watchers === null ? '' : `; the heap profile alone would estimate ≈ ${Math.round(watchers)}${spread}`;
    inputs.push({
      name: 'watchers',
      value: exactWatchers,
      text: String(exactWatchers),
      how: `etcd_debugging_mvcc_watcher_total in ${facts!.source} (exact, not sampled)${estimated}`,
    });
    watchers = exactWatchers;
    notes.push(`watcher count from the metrics (etcd_debugging_mvcc_watcher_total = ${exactWatchers}), not estimated`);
  } else {
    inputs.push({
      name: 'watchers',
      value: watchers,
      text: watchers === null ? 'unknown' : `≈ ${Math.round(watchers)}${spread}`,
      how: heapHow,
    });
  }
  const approx = exactWatchers !== undefined ? '' : '≈';
  const known = [streams, conns?.n ?? null, watchers];
  const estimate = known.every((x) => x === null)
    ? null
    : (conns?.n ?? 0) * WATCH_MODEL.perConnection +
      (streams ?? 0) * WATCH_MODEL.perStream +
      (watchers ?? 0) * WATCH_MODEL.perWatcher;
  if (known.some((x) => x === null) && estimate !== null) notes.push('partial: inputs marked unknown count as 0');
  if (streams !== null) {
    notes.push(
      `goroutine stacks are not in the heap profile: 2 goroutines × ${streams} streams × ≥ 8 KiB ≈ ${bytesText(2 * streams * 8 * KB)} more`,
    );
  }
  return {
    name: 'watch-memory',
    title: 'watch memory model (17 KB/connection + 18 KB/stream + 350 B/watcher)',
    unit: 'bytes',
    estimate,
    estimateText: bytesText(estimate),
    measured,
    measuredText: measured === null ? 'unknown' : `${bytesText(measured)} in use under watch code paths`,
    inputs,
    text: `model ≈ ${bytesText(estimate)} (${countText(conns?.n ?? null)} conns, ${countText(streams)} streams, ${
      watchers === null ? 'unknown' : `${approx}${Math.round(watchers)}`
    } watchers) vs measured ${measured === null ? 'unknown' : bytesText(measured)} heap under watch paths`,
    notes,
  };
}

function defaultSnapshotCount(ctx: ProcessInfo): { n: number; why: string } {
  const r = ctx.etcdVersion?.range;
  if (r && isSubset(r, '<3.2.0')) return { n: 10000, why: 'default --snapshot-count before 3.2' };
  if (r && isSubset(r, '>=3.6.0')) return { n: 10000, why: 'default --snapshot-count in 3.6+' };
  if (r && isSubset(r, '>=3.2.0 <3.6.0')) return { n: 100000, why: 'default --snapshot-count in 3.2–3.5' };
  return { n: 100000, why: 'default --snapshot-count 3.2–3.5 (version unknown; 10 000 before 3.2 and from 3.6)' };
}

function raftLogMemory(all: ProfileView[], ctx: ProcessInfo): ModelResult {
  const inputs: ModelInput[] = [];
  const notes: string[] = [];
  let held: number | null = null;
  let entries: number | null = null;
  let from = '';
  for (const v of views(all, 'heap')) {
    const is = sampleIndexFor(v.profile, 'heap', 'inuse_space');
    const io = sampleIndexFor(v.profile, 'heap', 'inuse_objects');
    if (is < 0) continue;
    held = v.measure({ frame: RAFT_ENTRY_ALLOC }, is).flat;
    entries = io >= 0 ? v.measure({ frame: RAFT_ENTRY_ALLOC }, io).flat : null;
    from = v.name;
    break;
  }
  const size = held !== null && entries ? held / entries : null;
  const snap = defaultSnapshotCount(ctx);
  inputs.push({
    name: 'entry data held',
    value: held,
    text: bytesText(held),
    how:
      held === null
        ? 'needs a heap profile'
        : `in-use bytes allocated by raftpb.(*Entry).Unmarshal / InternalRaftRequest.Marshal in ${from}`,
  });
  inputs.push({
    name: 'entries held',
    value: entries,
    text: entries === null ? 'unknown' : `≈ ${Math.round(entries)}`,
    how: 'inuse_objects at the same sites (one data buffer per entry; heap sampling makes small counts rough)',
  });
  inputs.push({
    name: 'average entry size',
    value: size,
    text: bytesText(size),
    how: 'entry data held ÷ entries held',
  });
  inputs.push({
    name: '--snapshot-count',
    value: snap.n,
    text: String(snap.n),
    how: `${snap.why}; an explicit flag overrides it`,
  });
  inputs.push({
    name: 'catch-up entries kept after a snapshot',
    value: SNAPSHOT_CATCHUP_ENTRIES,
    text: String(SNAPSHOT_CATCHUP_ENTRIES),
    how: 'DefaultSnapshotCatchUpEntries (fixed before 3.5.14)',
  });
  const worst = size === null ? null : (snap.n + SNAPSHOT_CATCHUP_ENTRIES) * size;
  const floor = size === null ? null : SNAPSHOT_CATCHUP_ENTRIES * size;
  if (worst !== null) {
    notes.push(
      `right after a snapshot ≈ ${bytesText(floor)} (5000 × ${bytesText(size)}) stays; just before the next one up to ${bytesText(worst)}`,
    );
  }
  return {
    name: 'raft-log-memory',
    title: 'raft log memory model (retained entries × entry size)',
    unit: 'bytes',
    estimate: worst,
    estimateText: worst === null ? 'unknown' : `up to ${bytesText(worst)}`,
    measured: held,
    measuredText: held === null ? 'unknown' : `${bytesText(held)} (≈ ${countText(entries)} entries)`,
    inputs,
    text:
      size === null
        ? `measured ${bytesText(held)} of raft entry data; entry size unknown`
        : `measured ${bytesText(held)} ≈ ${countText(entries)} entries × ${bytesText(size)}; model: (${snap.n} + 5000) × ${bytesText(size)} = up to ${bytesText(worst)} before a snapshot`,
    notes,
  };
}

function goroutinesPerWatchStream(all: ProfileView[]): ModelResult {
  const inputs: ModelInput[] = [];
  const notes: string[] = [];
  const recv = goroutines(all, RECV_LOOP);
  const send = goroutines(all, SEND_LOOP);
  const clientStreams = goroutines(all, CLIENT_WATCH_STREAM);
  let total: number | null = null;
  for (const v of views(all, 'goroutine')) {
    const idx = sampleIndexFor(v.profile, 'goroutine');
    if (idx >= 0) {
      total = v.total(idx);
      break;
    }
  }
  inputs.push({ name: 'goroutines', value: total, text: countText(total), how: 'goroutine profile total' });
  let estimate: number | null = null;
  let measured: number | null = null;
  let text: string;
  if (recv && recv.n + (send?.n ?? 0) > 0) {
    const streams = Math.max(recv.n, send?.n ?? 0);
    inputs.push({
      name: 'server watch streams',
      value: streams,
      text: String(streams),
      how: 'recvLoop / sendLoop goroutines',
    });
    estimate = 2;
    measured = (recv.n + (send?.n ?? 0)) / streams;
    const share = total ? (recv.n + (send?.n ?? 0)) / total : null;
    text = `${recv.n + (send?.n ?? 0)} watch goroutines for ${streams} streams = ${measured.toFixed(2)} per stream (expected 2)${
      share !== null ? `; ${(100 * share).toFixed(1)}% of all goroutines` : ''
    }`;
  } else if (clientStreams && clientStreams.n > 0) {
    inputs.push({
      name: 'client watch streams',
      value: clientStreams.n,
      text: String(clientStreams.n),
      how: 'goroutines in clientv3 (*watchGrpcStream).run (one per stream)',
    });
    measured = clientStreams.n;
    text = `${clientStreams.n} client watch streams (watchGrpcStream.run goroutines)${total ? ` of ${total} goroutines` : ''}; a healthy client shares one stream per context/metadata`;
  } else {
    text = 'no watch-stream goroutines found (needs a goroutine profile or dump)';
  }
  return {
    name: 'goroutines-per-watch-stream',
    title: 'goroutines per watch stream',
    unit: 'ratio',
    estimate,
    estimateText: estimate === null ? 'n/a' : String(estimate),
    measured,
    measuredText: measured === null ? 'unknown' : measured.toFixed(2),
    inputs,
    text,
    notes,
  };
}

function memStat(ms: Record<string, string> | undefined, key: string): number | null {
  const raw = ms?.[key];
  if (raw === undefined) return null;
  const n = Number(raw.split('/')[0]!.trim());
  return Number.isFinite(n) ? n : null;
}

function heapVsRss(all: ProfileView[], ctx: ProcessInfo): ModelResult {
  const v = all.find((x) => x.profile.memStats);
  const ms = v?.profile.memStats;
  const inuse = memStat(ms, 'HeapInuse');
  const idle = memStat(ms, 'HeapIdle');
  const released = memStat(ms, 'HeapReleased');
  const sys = memStat(ms, 'Sys');
  const maxRss = memStat(ms, 'MaxRSS');
  const inputs: ModelInput[] = [
    { name: 'HeapInuse', value: inuse, text: bytesText(inuse), how: 'runtime.MemStats (debug=1 heap)' },
    { name: 'HeapIdle', value: idle, text: bytesText(idle), how: 'runtime.MemStats' },
    {
      name: 'HeapReleased',
      value: released,
      text: bytesText(released),
      how: 'runtime.MemStats: returned to the OS with madvise',
    },
    { name: 'Sys', value: sys, text: bytesText(sys), how: 'runtime.MemStats: all memory obtained from the OS' },
  ];
  if (maxRss !== null)
    inputs.push({
      name: 'MaxRSS',
      value: maxRss,
      text: bytesText(maxRss),
      how: 'peak RSS printed by newer Go runtimes',
    });
  const notes: string[] = [];
  const madvFree = ctx.goVersion ? isSubset(ctx.goVersion.range, '>=1.12.0 <1.16.0') : false;
  // RSS the kernel may still count: with MADV_FREE released pages stay resident until pressure.
  const estimate = sys !== null && released !== null ? (madvFree ? sys : sys - released) : null;
  if (madvFree)
    notes.push('Go 1.12–1.15 releases memory with MADV_FREE: released pages stay in RSS until the kernel needs them');
  return {
    name: 'heap-vs-rss',
    title: 'Go heap in use vs memory the process may hold',
    unit: 'bytes',
    estimate,
    estimateText: estimate === null ? 'unknown' : `RSS up to ≈ ${bytesText(estimate)}`,
    measured: inuse,
    measuredText: inuse === null ? 'unknown' : `${bytesText(inuse)} heap in use`,
    inputs,
    text:
      ms === undefined
        ? 'needs runtime.MemStats (a debug=1 heap profile: /debug/pprof/heap?debug=1)'
        : `heap in use ${bytesText(inuse)}, idle ${bytesText(idle)} of which released ${bytesText(released)}, Sys ${bytesText(sys)}${
            maxRss !== null ? `, MaxRSS ${bytesText(maxRss)}` : ''
          }`,
    notes,
  };
}

export function computeModel(name: ModelName, all: ProfileView[], ctx: ProcessInfo, facts?: MetricFacts): ModelResult {
  switch (name) {
    case 'watch-memory':
      return watchMemory(all, facts);
    case 'raft-log-memory':
      return raftLogMemory(all, ctx);
    case 'goroutines-per-watch-stream':
      return goroutinesPerWatchStream(all);
    case 'heap-vs-rss':
      return heapVsRss(all, ctx);
  }
}
