/**
 * Context inference: what process a profile comes from, its raft role, and which etcd and Go
 * versions its symbols and file paths imply (etcd-known-issues.md §1). Environment-neutral.
 *
 * Process kinds, first match wins:
 *  - etcd-server: functions from etcd's server packages (etcdserver, etcdmain, embed, mvcc, wal,
 *    rafthttp, v3rpc, lease's lessor, grpc-proxy) under any of the package paths etcd used;
 *  - etcd-client: the Go client (clientv3 / client/v3) without server packages;
 *  - etcd-embedder: etcd's raft or bbolt libraries without server or client packages
 *    (CockroachDB, dgraph, lnd, containerd, …);
 *  - etcd-server by name only: no etcd frames, but the binary is called `etcd` (mapping file or a
 *    pasted table's "File: etcd" header) — weak, said so in the evidence;
 *  - other-go: Go runtime frames (or a goroutine dump, which only Go writes) and nothing of etcd;
 *  - unknown: nothing to go on.
 * Flavours: k3s, kine, kubernetes, grpc-proxy, and embedder product names.
 *
 * Role (etcd-server only), from CPU and heap/allocs samples: leader-only work (raft stepLeader,
 * bcastAppend / maybeSendAppend / sendAppend, bcastHeartbeat, tickHeartbeat, the msgappv2 stream
 * encoder, becomeLeader, serving forwarded lease renewals, finding expired leases) versus
 * follower-only work (stepFollower, handleAppendEntries / handleHeartbeat / handleSnapshot,
 * tickElection, the msgappv2 stream decoder, forwarding lease renewals with RenewHTTP). Limits:
 * goroutine, mutex and block profiles are not used (every member parks the same goroutines, e.g. a
 * leader also has msgappv2 decoder goroutines waiting); a member that changed role during the
 * profile window shows both (then the role stays unknown unless one side is 2× the other); an idle
 * single-member leader only shows leader markers if a tick or heartbeat was sampled.
 */
import type { Profile } from '../profile/model.js';
import type { ProfileView } from './matcher.js';
import {
  firstContaining,
  firstEqual,
  firstWithPrefix,
  joinNames,
  type NameText,
  namesContainingAny,
  namesMatching,
} from './name-text.js';
import { fixedPattern } from './patterns.js';
import type { CompiledPattern } from './schema.js';
import {
  type EtcdPackage,
  etcdPackageOf,
  LAYOUT_MARKERS,
  type LayoutMarker,
  type LayoutMarkerId,
  layoutMarkers,
} from './etcd-packages.js';
import { FUNCTION_MARKERS, type FunctionMarker, functionMarkerOf, logicalFunction } from './etcd-function-markers.js';
import { hasStartLines, type StartLineFunction, startLineRange } from './etcd-start-line-marker.js';
import { intersect, isSubset, rangeLabel } from './versions.js';

export type ProcessKind = 'etcd-server' | 'etcd-client' | 'etcd-embedder' | 'other-go' | 'unknown';
export type Role = 'leader' | 'follower' | 'unknown';

export interface VersionInfo {
  /** semver range of possible versions. */
  range: string;
  /** Short label ("3.4.x", "3.4.2 – 3.4.x", "3.4.23"). */
  label: string;
  /**
   * stated = given by the user; metrics = the process's own /metrics; inferred = from the profile;
   * assumed = from the official-build table.
   */
  source: 'stated' | 'metrics' | 'inferred' | 'assumed';
  evidence: string[];
}

export interface ProcessInfo {
  kind: ProcessKind;
  role: Role;
  flavor?: string;
  kindEvidence: string[];
  roleEvidence: string[];
  etcdVersion: VersionInfo | null;
  goVersion: VersionInfo | null;
  notes: string[];
}

/** Every frame pattern of this module (test/diagnosis/context.test.ts checks them with compilePattern). */
export const CONTEXT_PATTERNS: string[] = [];

// Our own, fixed patterns: native RegExps built on first use (fixedPattern). compilePattern's RE2
// check of `re:` bodies (which protects against users' rules) would cost ~15 ms of start-up here;
// the test above does it instead.
const pats = (...ps: string[]): CompiledPattern[] =>
  ps.map((p) => {
    CONTEXT_PATTERNS.push(p);
    return fixedPattern(p);
  });

/** Third-party code vendored inside etcd's own tree: only the etcd binary (3.0–3.3.13) has it. */
const ETCD_CMD_VENDOR = /^github\.com\/coreos\/etcd\/cmd\/vendor\//;
const GRPC_PROXY = pats('re:^{etcd}/proxy/grpcproxy\\.');
const ETCDSERVER_CORE = pats('re:^{etcd}/etcdserver\\.');
const CLIENT = pats('re:^{clientv3}(/[a-z0-9/]+)?\\.');
const RAFT = pats('re:^{raft}(/[a-z0-9]+)?\\.');
const BBOLT = pats('re:^{bbolt}(/[a-z/]+)?\\.');
/** Go's runtime package: its functions are named `runtime.…`. */
const GO_RUNTIME_PREFIX = 'runtime.';
/** Every etcd, bbolt, grpc or capnslog name has one of these words (their patterns below say so). */
const ETCDISH_WORDS = ['etcd', 'bolt', 'grpc', 'capnslog'];

const FLAVORS: [string, CompiledPattern[]][] = [
  ['kine', pats('re:^(github\\.com/(k3s-io|rancher)/kine)/')],
  ['k3s', pats('re:^github\\.com/(k3s-io|rancher)/k3s/')],
  ['kubernetes', pats('re:^k8s\\.io/(kubernetes|apiserver)/')],
  ['cockroachdb', pats('re:^github\\.com/cockroachdb/cockroach/')],
  ['dgraph', pats('re:^github\\.com/dgraph-io/dgraph/')],
  ['lnd', pats('re:^github\\.com/lightningnetwork/lnd/')],
  ['containerd', pats('re:^github\\.com/containerd/containerd/')],
];

/** Any flavour's pattern (a name none of these match has no flavour). */
const FLAVOR_ANY = new RegExp(FLAVORS.flatMap(([, ps]) => ps.map((p) => `(?:${p.regex.source})`)).join('|'));
/** FLAVOR_ANY over joined names (each flavour is a literal prefix: no match spans a newline). */
const FLAVOR_LINES = new RegExp(FLAVOR_ANY.source, 'gm');

const LEADER = pats(
  '{raft}.stepLeader',
  '{raft}.(*raft).bcastAppend',
  '{raft}.(*raft).bcastAppend.func{n}',
  '{raft}.(*raft).maybeSendAppend',
  '{raft}.(*raft).sendAppend',
  '{raft}.(*raft).bcastHeartbeat',
  '{raft}.(*raft).bcastHeartbeatWithCtx',
  '{raft}.(*raft).tickHeartbeat',
  '{raft}.(*raft).becomeLeader',
  '{rafthttp}.(*msgAppV2Encoder).encode',
  '{etcd}/lease/leasehttp.(*leaseHandler).ServeHTTP',
  '{etcd}/lease.(*lessor).findExpiredLeases',
);
const FOLLOWER = pats(
  '{raft}.stepFollower',
  '{raft}.(*raft).handleAppendEntries',
  '{raft}.(*raft).handleHeartbeat',
  '{raft}.(*raft).handleSnapshot',
  '{raft}.(*raft).tickElection',
  '{rafthttp}.(*msgAppV2Decoder).decode',
  '{etcd}/lease/leasehttp.RenewHTTP',
);

interface Marker {
  re: RegExp;
  /** Names that look like `re` but do not speak for this marker's range. */
  skip?: RegExp;
  range: string;
  why: string;
  /** Which process kinds the marker speaks for ('any' = path forms valid for every kind). */
  for: 'server' | 'client' | 'any';
}

/**
 * Dependency markers and function markers written as patterns. The package paths themselves (which
 * layout spells them) are markers too: LAYOUT_MARKERS in etcd-packages.ts, applied first; then
 * etcd's own functions of FUNCTION_MARKERS (etcd-function-markers.ts), then these.
 */
const ETCD_MARKERS: Marker[] = [
  {
    re: /^(?:.*\/vendor\/)?google\.golang\.org\/grpc\/transport\./,
    range: '<3.3.14',
    why: 'grpc-go transport package without /internal (grpc ≤ 1.7, bundled with etcd ≤ 3.3.13)',
    for: 'server',
  },
  {
    re: /^(?:.*\/vendor\/)?github\.com\/boltdb\/bolt\./,
    range: '<3.2.10',
    why: 'github.com/boltdb/bolt (etcd ≤ 3.2.9)',
    for: 'server',
  },
  {
    re: /^(?:.*\/vendor\/)?github\.com\/coreos\/bbolt\./,
    range: '>=3.2.10 <3.4.0',
    why: 'github.com/coreos/bbolt (etcd 3.2.10–3.3.x)',
    for: 'server',
  },
  { re: /^go\.etcd\.io\/bbolt\./, range: '>=3.4.0', why: 'go.etcd.io/bbolt (etcd 3.4+)', for: 'server' },
  {
    re: /bolt\.\(\*freelist\)\.allocate$/,
    range: '<3.3.14',
    why: 'bolt (*freelist).allocate (bolt/bbolt ≤ 1.3.1, etcd ≤ 3.3.13)',
    for: 'server',
  },
  {
    re: /bbolt\.\(\*freelist\)\.(arrayAllocate|hashmapAllocate)$/,
    range: '>=3.3.14',
    why: 'bbolt (*freelist).arrayAllocate/hashmapAllocate (bbolt ≥ 1.3.2, etcd ≥ 3.3.14)',
    for: 'server',
  },
  {
    // Upstream, only etcd 3.6 links bbolt 1.4; a distribution links its own bbolt (Debian's etcd
    // 3.5.30 has bbolt 1.4's internal/freelist), so this says no more than 3.5+.
    re: /^go\.etcd\.io\/bbolt\/internal\/freelist\./,
    range: '>=3.5.0',
    why: 'bbolt 1.4 internal/freelist (upstream etcd 3.6+, distribution builds of 3.5)',
    for: 'server',
  },
  {
    re: /mvcc\.\(\*treeIndex\)\.Revisions$/,
    range: '>=3.3.0',
    why: 'mvcc (*treeIndex).Revisions (etcd ≥ 3.3.0)',
    for: 'server',
  },
  {
    re: /lease\.\((\*LeaseExpiredNotifier|\*LeaseQueue)\)\.|lease\.\(\*lessor\)\.expireExists$/,
    range: '>=3.4.0',
    why: 'lease LeaseExpiredNotifier / LeaseQueue (etcd ≥ 3.4.0)',
    for: 'server',
  },
  {
    re: /mvcc\/backend\.\(\*backend\)\.ConcurrentReadTx$/,
    range: '>=3.4.0',
    why: 'backend (*backend).ConcurrentReadTx (etcd ≥ 3.4.0)',
    for: 'server',
  },
  { re: /etcd\/(pkg\/v3\/|pkg\/)traceutil\./, range: '>=3.4.2', why: 'pkg/traceutil (etcd ≥ 3.4.2)', for: 'server' },
  {
    re: /github\.com\/coreos\/pkg\/capnslog\./,
    range: '<3.5.0',
    why: 'capnslog logger frames (etcd ≤ 3.4; 3.5 logs with zap only)',
    for: 'server',
  },
  {
    re: /clientv3\.\(\*simpleBalancer\)\./,
    range: '>=3.2.0 <3.2.10',
    why: 'clientv3 (*simpleBalancer) (clientv3 3.2.0–3.2.9)',
    for: 'any',
  },
  {
    re: /clientv3\.\(\*healthBalancer\)\./,
    range: '>=3.2.10 <3.4.0',
    why: 'clientv3 (*healthBalancer) (clientv3 3.2.10–3.3.x)',
    for: 'any',
  },
  {
    re: /clientv3\.streamKeyFromCtx$/,
    range: '>=3.2.10',
    why: 'clientv3.streamKeyFromCtx (clientv3 ≥ 3.2.10)',
    for: 'client',
  },
  {
    re: /^(?:.*\/vendor\/)?go\.etcd\.io\/etcd\/client\/v3\/internal\/resolver/,
    range: '>=3.5.0',
    why: 'client/v3/internal/resolver (client ≥ 3.5)',
    for: 'client',
  },
];

/**
 * A Go-version marker: a function name that is one of `names`, starts with one of `prefixes` or
 * contains `infix`; failing that, a source file name `file` matches. The name tests are declared
 * rather than written as functions so that goMarkerHits can answer each with a native search of
 * the joined names (name-text.ts) instead of a loop over tens of thousands of names.
 */
interface GoMarker {
  names?: string[];
  prefixes?: string[];
  infix?: string;
  file?: RegExp;
  range: string;
  why: string;
}

const GO_MARKERS: GoMarker[] = [
  { names: ['runtime.selectgoImpl'], range: '<1.9.0', why: 'runtime.selectgoImpl (Go ≤ 1.8)' },
  {
    file: /(^|\/)runtime\/hashmap(_fast)?\.go$/,
    range: '<1.11.0',
    why: 'runtime/hashmap.go file names (Go ≤ 1.10)',
  },
  {
    file: /(^|\/)runtime\/map(_fast32|_fast64|_faststr)?\.go$/,
    range: '>=1.11.0',
    why: 'runtime/map.go file names (Go ≥ 1.11)',
  },
  { names: ['runtime.mapassign_faststr'], range: '>=1.9.0', why: 'runtime.mapassign_faststr (Go ≥ 1.9)' },
  { prefixes: ['internal/poll.'], range: '>=1.9.0', why: 'internal/poll frames (Go ≥ 1.9)' },
  { names: ['runtime.asyncPreempt'], range: '>=1.14.0', why: 'runtime.asyncPreempt (Go ≥ 1.14)' },
  { names: ['runtime.bgscavenge'], range: '>=1.13.0', why: 'runtime.bgscavenge (Go ≥ 1.13)' },
  {
    names: ['net/http.http2getRequestBodyBuf', 'net/http.http2putRequestBodyBuf'],
    range: '<1.11.0',
    why: 'net/http.http2{get,put}RequestBodyBuf (Go 1.8-era HTTP/2 bundle; replaced by 1.11)',
  },
  { infix: '[...]', range: '>=1.18.0', why: 'generic instantiations "[...]" (Go ≥ 1.18)' },
  // The runtime's own syscall package (linux, for Syscall6) and the rewritten background
  // scavenger both arrived in Go 1.19.
  {
    prefixes: ['runtime/internal/syscall.'],
    range: '>=1.19.0',
    why: 'runtime/internal/syscall frames (Go ≥ 1.19)',
  },
  {
    prefixes: ['runtime.(*scavengerState).'],
    range: '>=1.19.0',
    why: 'runtime.(*scavengerState) (Go ≥ 1.19)',
  },
  // Go 1.22 seeds the runtime's random numbers with ChaCha8; Go 1.23 began moving the runtime's
  // internal packages from runtime/internal/… to internal/runtime/… (atomic, syscall); Go 1.24 has
  // Swiss-table maps (internal/runtime/maps) and sync.Map on internal/sync's hash-trie.
  {
    prefixes: ['internal/chacha8rand.'],
    range: '>=1.22.0',
    why: 'internal/chacha8rand frames (Go ≥ 1.22)',
  },
  {
    prefixes: ['internal/runtime/syscall.', 'internal/runtime/atomic.'],
    range: '>=1.23.0',
    why: 'internal/runtime/syscall or internal/runtime/atomic frames (Go ≥ 1.23)',
  },
  {
    prefixes: ['internal/runtime/maps.', 'internal/sync.'],
    file: /(^|\/)internal\/runtime\/maps\//,
    range: '>=1.24.0',
    why: 'internal/runtime/maps (Swiss-table maps) or internal/sync frames (Go ≥ 1.24)',
  },
  // Not in Go 1.24: the per-OS runtime syscall package and the Green Tea collector's span scanning
  // (an experiment in 1.25, the default collector in 1.26).
  {
    prefixes: ['internal/runtime/syscall/linux.', 'internal/runtime/gc/'],
    file: /(^|\/)runtime\/mgcmark_greenteagc\.go$/,
    range: '>=1.25.0',
    why: 'internal/runtime/syscall/linux, internal/runtime/gc or Green Tea GC frames (Go ≥ 1.25)',
  },
];

/**
 * For each of GO_MARKERS, its first function name in `names` order, else its first file in
 * `files` order, else undefined — what testing each marker over the names, then the files, gives.
 */
function goMarkerHits(names: NameText, files: readonly string[]): (string | undefined)[] {
  return GO_MARKERS.map((m) => {
    let first = -1;
    const take = (i: number) => {
      if (i >= 0 && (first < 0 || i < first)) first = i;
    };
    for (const n of m.names ?? []) take(firstEqual(names, n));
    for (const p of m.prefixes ?? []) take(firstWithPrefix(names, p));
    if (m.infix) take(firstContaining(names, m.infix));
    if (first >= 0) return names.name(first);
    return m.file ? files.find((f) => m.file?.test(f)) : undefined;
  });
}

/** Go version from a path such as /usr/local/go1.12.9/src, /usr/lib/go-1.19/src, /hostedtoolcache/go/1.20.3/. */
export function goVersionFromPath(path: string): string | null {
  const m =
    /(?:^|\/)go(?:-|\/)?(1\.\d{1,2})(\.\d{1,2})?(?=\/|$)/.exec(path) ??
    /\/go(1\.\d{1,2})(\.\d{1,2})?[^/]*\/src\//.exec(path);
  if (!m) return null;
  if (m[2]) return `${m[1]}${m[2]}`;
  const [maj, min] = m[1]!.split('.').map(Number) as [number, number];
  return `>=${maj}.${min}.0 <${maj}.${min + 1}.0`;
}

/** Go version of official etcd release builds (etcd-known-issues.md §1.4, CHANGELOG "Compile with"). */
const OFFICIAL_GO: [string, string][] = [
  ['>=3.1.0 <3.1.10', '>=1.7.0 <1.8.0'],
  ['>=3.1.10 <3.2.0', '>=1.8.0 <1.9.0'],
  ['>=3.2.0 <3.2.30', '>=1.8.0 <1.9.0'],
  ['>=3.2.30 <3.3.0', '>=1.12.0 <1.13.0'],
  ['>=3.3.0 <3.3.9', '>=1.9.0 <1.10.0'],
  ['>=3.3.9 <3.3.14', '>=1.10.0 <1.11.0'],
  ['>=3.3.14 <3.4.0', '>=1.12.0 <1.13.0'],
  ['>=3.4.0 <3.4.18', '>=1.12.0 <1.13.0'],
  ['>=3.4.19 <3.5.0', '>=1.16.0'],
  ['>=3.5.0', '>=1.16.0'],
];

export interface InferOptions {
  /** User-stated etcd version (`--etcd-version`), overrides inference. */
  etcdVersion?: string;
  /** User-stated Go version. */
  goVersion?: string;
}

/** Infers process kind, role and versions from a set of profiles of the same process. */
export function inferContext(views: ProfileView[], opts: InferOptions = {}): ProcessInfo {
  const nameLists: string[][] = [];
  const files = new Set<string>();
  const binaryHints = new Set<string>();
  for (const v of views) {
    const p = v.profile;
    if (!p.source.hasStacks && p.table) {
      nameLists.push(p.table.rows.map((r) => r.name));
      for (const r of p.table.rows) {
        if (r.location) files.add(r.location.split(/\s+/)[0]!.replace(/:\d+$/, ''));
      }
      for (const h of p.table.header) {
        const m = /^File:\s*(\S+)/.exec(h.trim());
        if (m) binaryHints.add(basename(m[1]!));
      }
    } else {
      if (views.length > 1) nameLists.push(v.distinctNames());
      for (const f of v.fileNames()) files.add(f);
      const main = p.mappings[0]?.file;
      if (main) binaryHints.add(basename(main));
      for (const c of p.comments) {
        const m = /^File:\s*(\S+)/.exec(c);
        if (m) binaryHints.add(basename(m[1]!));
      }
    }
  }
  // The names, joined for native searches: one stack profile's own function names (repeats are
  // harmless: every question below asks for the first name, or distinct names, in order).
  const names = textOf(views, nameLists);
  // Every etcd / bbolt / grpc / capnslog pattern below names one of these words: test only those names.
  const etcdish = namesContainingAny(names, ETCDISH_WORDS);
  const matching = (ps: CompiledPattern[], list = etcdish) => list.filter((n) => ps.some((p) => p.regex.test(n)));

  const notes: string[] = [];
  const kindEvidence: string[] = [];
  // etcd's packages, recognised by their package structure whatever the spelling (etcd-packages.ts)
  const etcdPkgs = new Map<string, EtcdPackage>();
  for (const n of etcdish) {
    const pkg = etcdPackageOf(n);
    if (pkg) etcdPkgs.set(n, pkg);
  }
  const server = [...etcdPkgs].filter(([, p]) => p.serverOnly).map(([n]) => n);
  const client = matching(CLIENT);
  const raft = matching(RAFT);
  const bolt = matching(BBOLT);
  const goRtAt = firstWithPrefix(names, GO_RUNTIME_PREFIX);
  const goRt = goRtAt < 0 ? undefined : names.name(goRtAt);
  let kind: ProcessKind;
  let flavor: string | undefined;
  // One regex for every flavour tests each name once; then the flavours in order on the few hits.
  const flavorish = namesMatching(names, FLAVOR_ANY, FLAVOR_LINES);
  for (const [f, ps] of FLAVORS) {
    if (matching(ps, flavorish).length > 0) {
      flavor = f;
      break;
    }
  }
  if (server.length > 0) {
    kind = 'etcd-server';
    kindEvidence.push(`${server.length} function(s) in etcd server packages, e.g. ${example(server, ETCDSERVER_CORE)}`);
    if (matching(GRPC_PROXY).length > 0 && matching(ETCDSERVER_CORE).length === 0) flavor = 'grpc-proxy';
  } else if (etcdish.some((n) => ETCD_CMD_VENDOR.test(n))) {
    kind = 'etcd-server';
    const n = etcdish.find((x) => ETCD_CMD_VENDOR.test(x))!;
    kindEvidence.push(
      `packages vendored in etcd's own cmd/vendor tree (only the etcd 3.0–3.3.13 binary has them), e.g. ${n}`,
    );
  } else if ((client.length > 0 || raft.length > 0 || bolt.length > 0) && binaryHints.has('etcd')) {
    // An idle server samples little of its own code: raft's loop, bbolt, the client its gateway
    // embeds. With the binary named "etcd", those frames are etcd's own, not an application's.
    kind = 'etcd-server';
    const seen = client[0] ?? raft[0] ?? bolt[0];
    kindEvidence.push(
      `etcd's own libraries on its stacks (e.g. ${seen}) and the binary is named "etcd" (no server package frames sampled)`,
    );
  } else if (client.length > 0) {
    kind = 'etcd-client';
    kindEvidence.push(`${client.length} function(s) of the etcd Go client and none of the server, e.g. ${client[0]}`);
  } else if (raft.length > 0 || bolt.length > 0) {
    kind = 'etcd-embedder';
    const libs = [raft.length ? `raft (${raft[0]})` : '', bolt.length ? `bbolt (${bolt[0]})` : ''].filter(Boolean);
    kindEvidence.push(`etcd libraries without the etcd server or client: ${libs.join(', ')}`);
  } else if (binaryHints.has('etcd')) {
    kind = 'etcd-server';
    kindEvidence.push('the binary is named "etcd" (no etcd package frames in the profile: weak evidence)');
  } else if (goRt !== undefined) {
    kind = 'other-go';
    kindEvidence.push(`Go runtime frames (e.g. ${goRt}) and no etcd packages`);
  } else if (views.some((v) => v.profile.source.format === 'goroutine-dump')) {
    // A traceback hides the runtime's own frames (runtime.gopark …), but only Go writes one.
    kind = 'other-go';
    kindEvidence.push('a goroutine dump (a format only the Go runtime writes) and no etcd packages');
  } else {
    kind = 'unknown';
    kindEvidence.push('no etcd and no Go runtime frames to go on');
  }
  if (flavor) kindEvidence.push(`flavour: ${flavor}`);

  // Role.
  let role: Role = 'unknown';
  const roleEvidence: string[] = [];
  if (kind === 'etcd-server') {
    const lead = new Set<string>();
    const foll = new Set<string>();
    for (const v of views) {
      const p = v.profile;
      if (!p.source.hasStacks) {
        for (const n of v.matchingNames(LEADER)) lead.add(n);
        for (const n of v.matchingNames(FOLLOWER)) foll.add(n);
        continue;
      }
      const idx = roleSampleIndex(p);
      if (idx < 0) continue;
      for (const f of v.measure({ frame: LEADER }, idx).functions) lead.add(f.name);
      for (const f of v.measure({ frame: FOLLOWER }, idx).functions) foll.add(f.name);
    }
    const short = (s: Set<string>) => [...s].map(shortName).sort().slice(0, 4).join(', ');
    if (lead.size > 0 && lead.size >= 2 * foll.size) {
      role = 'leader';
      roleEvidence.push(`leader-only work sampled: ${short(lead)}`);
      if (foll.size) roleEvidence.push(`also follower work (${short(foll)}): the role may have changed`);
    } else if (foll.size > 0 && foll.size >= 2 * lead.size) {
      role = 'follower';
      roleEvidence.push(`follower-only work sampled: ${short(foll)}`);
      if (lead.size) roleEvidence.push(`also leader work (${short(lead)}): the role may have changed`);
    } else if (lead.size || foll.size) {
      roleEvidence.push(`both leader (${short(lead)}) and follower (${short(foll)}) work: role unknown`);
    } else {
      roleEvidence.push('no leader- or follower-only raft work in CPU/heap samples: role unknown');
    }
  }

  // etcd version.
  let etcdVersion: VersionInfo | null = null;
  if (opts.etcdVersion) {
    etcdVersion = {
      range: opts.etcdVersion,
      label: rangeLabel(opts.etcdVersion),
      source: 'stated',
      evidence: ['--etcd-version'],
    };
  } else if (kind === 'etcd-server' || kind === 'etcd-client') {
    const side = kind === 'etcd-server' ? 'server' : 'client';
    let range: string | null = null;
    const evidence: string[] = [];
    // The spelling of etcd's package paths first, then function and dependency markers.
    const layoutHits = new Map<LayoutMarkerId, string>();
    for (const [n, p] of etcdPkgs) for (const id of layoutMarkers(p)) if (!layoutHits.has(id)) layoutHits.set(id, n);
    // grpc & co. vendored in etcd's own tree say the same as etcd's packages there
    const cmdVendored = etcdish.find((n) => ETCD_CMD_VENDOR.test(n));
    if (cmdVendored && !layoutHits.has('cmdVendor')) layoutHits.set('cmdVendor', cmdVendored);
    const hits: { m: LayoutMarker | FunctionMarker | Marker; hit: string }[] = (
      Object.keys(LAYOUT_MARKERS) as LayoutMarkerId[]
    )
      .filter((id) => layoutHits.has(id))
      .map((id) => ({ m: LAYOUT_MARKERS[id], hit: layoutHits.get(id)! }));
    // etcd's own functions that exist only in some releases, in table order
    const fnHits = new Map<number, string>();
    for (const [n, p] of etcdPkgs) {
      const i = functionMarkerOf(n, p);
      if (i !== undefined && !fnHits.has(i)) fnHits.set(i, n);
    }
    FUNCTION_MARKERS.forEach((m, i) => {
      const hit = fnHits.get(i);
      if (hit) hits.push({ m, hit });
    });
    // the start lines a Go 1.20+ build records for etcd's functions
    const byLine = startLineRange(startLineFunctions(views));
    if (byLine?.note) notes.push(byLine.note);
    if (byLine?.range) hits.push({ m: { range: byLine.range, why: byLine.why!, for: 'any' }, hit: byLine.example! });
    for (const m of ETCD_MARKERS) {
      const hit = etcdish.find((n) => m.re.test(n) && !m.skip?.test(n));
      if (hit) hits.push({ m, hit });
    }
    for (const { m, hit } of hits) {
      if (m.for !== 'any' && m.for !== side) continue;
      const next: string | null = range === null ? m.range : intersect(range, m.range);
      if (next === null) {
        notes.push(
          `etcd version markers disagree: ${m.why} (${shortName(hit)}) conflicts with ${rangeLabel(range!)}; ignored`,
        );
        continue;
      }
      range = next;
      evidence.push(`${m.why}: ${shortName(hit)}`);
    }
    if (range) etcdVersion = { range, label: rangeLabel(range), source: 'inferred', evidence };
  }

  // Go version.
  let goVersion: VersionInfo | null = null;
  if (opts.goVersion) {
    goVersion = {
      range: opts.goVersion,
      label: rangeLabel(opts.goVersion),
      source: 'stated',
      evidence: ['--go-version'],
    };
  } else {
    let range: string | null = null;
    const evidence: string[] = [];
    const fileList = [...files];
    const tryRange = (r: string, why: string) => {
      const next: string | null = range === null ? r : intersect(range, r);
      if (next === null) {
        notes.push(`Go version markers disagree: ${why} conflicts with ${rangeLabel(range!)}; ignored`);
        return;
      }
      range = next;
      evidence.push(why);
    };
    for (const path of fileList) {
      const r = goVersionFromPath(path);
      if (r) {
        tryRange(r, `Go root in file paths: ${path}`);
        break;
      }
    }
    const goHits = goMarkerHits(names, fileList);
    GO_MARKERS.forEach((m, i) => {
      const hit = goHits[i];
      if (hit) tryRange(m.range, `${m.why}: ${hit}`);
    });
    if (range) goVersion = { range, label: rangeLabel(range), source: 'inferred', evidence };
    // Official builds: only when the etcd version pins one build line.
    if (kind === 'etcd-server' && etcdVersion) {
      for (const [er, gr] of OFFICIAL_GO) {
        if (isSubset(etcdVersion.range, er)) {
          const combined: string | null = goVersion ? intersect(goVersion.range, gr) : gr;
          if (combined) {
            goVersion = {
              range: combined,
              label: rangeLabel(combined),
              source: goVersion?.source === 'inferred' ? 'inferred' : 'assumed',
              evidence: [
                ...(goVersion?.evidence ?? []),
                `official etcd ${etcdVersion.label} release builds use Go ${rangeLabel(gr)} (a custom build may differ)`,
              ],
            };
          }
          break;
        }
      }
    }
  }

  return { kind, role, flavor, kindEvidence, roleEvidence, etcdVersion, goVersion, notes };
}

/** The names inference asks about: one stack profile's own joined names, else the lists' union. */
function textOf(views: ProfileView[], nameLists: string[][]): NameText {
  const v = views[0];
  if (views.length === 1 && v && (v.profile.source.hasStacks || !v.profile.table)) return v.nameText();
  return joinNames(nameLists.length === 1 ? nameLists[0]! : [...new Set(nameLists.flat())]);
}

/**
 * etcd's functions with the start line the profiles record for them (Go 1.20+; 0 before). Only
 * physical frames (the last line of a location): an inlined closure can be reported under its
 * enclosing function's name with the closure's own start line.
 */
function startLineFunctions(views: ProfileView[]): StartLineFunction[] {
  const out: StartLineFunction[] = [];
  for (const v of views) {
    const p = v.profile;
    if (!p.source.hasStacks) continue;
    const wanted = new Map<number, { logical: string; name: string }>();
    p.functions.forEach((f, i) => {
      if (f.startLine <= 0 || !f.name.includes('etcd')) return;
      const pkg = etcdPackageOf(f.name);
      if (!pkg || pkg.layout === 'raft-module') return;
      const logical = logicalFunction(f.name, pkg);
      // a closure (F.func1) is not F: its start line is its own
      if (!f.name.endsWith(logical.slice(pkg.path.length))) return;
      if (hasStartLines(logical)) wanted.set(i, { logical, name: shortName(f.name) });
    });
    if (wanted.size === 0) continue;
    const physical = new Set<number>();
    for (const loc of p.locations) {
      const last = loc.lines[loc.lines.length - 1];
      if (last && wanted.has(last.fn)) physical.add(last.fn);
    }
    for (const i of physical) {
      const f = p.functions[i]!;
      out.push({ ...wanted.get(i)!, file: shortFile(f.filename), startLine: f.startLine });
    }
  }
  return out;
}

/** A source path from its package directory on: …/go.etcd.io/etcd/server/v3/embed/serve.go → embed/serve.go. */
function shortFile(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts.slice(-2).join('/');
}

function roleSampleIndex(p: Profile): number {
  const types = p.sampleTypes.map((t) => t.type);
  for (const t of ['cpu', 'alloc_space', 'samples', 'alloc_objects']) {
    const i = types.indexOf(t);
    if (i >= 0) return i;
  }
  return -1;
}

function basename(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? p;
}

/** Drops the package path: go.etcd.io/etcd/raft.stepLeader → raft.stepLeader. */
export function shortName(name: string): string {
  const paren = name.indexOf('(');
  const head = paren >= 0 ? name.slice(0, paren) : name;
  const slash = head.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

function example(list: string[], prefer: CompiledPattern[]): string {
  return list.find((n) => prefer.some((p) => p.regex.test(n))) ?? list[0]!;
}
