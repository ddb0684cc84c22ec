/**
 * etcd's package structure: which part of etcd each package belongs to, and how every release and
 * every build style spells its import path. The frame macros (`{etcd}/mvcc`, `{raft}`,
 * `{etcdserverpb}`, …) and the path-based release markers of context inference are derived from
 * these tables, so a new spelling is added once, here, and every rule and marker follows.
 *
 * A package is named by its LOGICAL path: its path below `go.etcd.io/etcd/` in 3.4, the last
 * single-module release (`mvcc`, `mvcc/backend`, `etcdserver/etcdserverpb`, `clientv3`, `raft`).
 * The spellings of one logical package:
 *
 *  - 3.0–3.3: `github.com/coreos/etcd/<path>` (some packages had other paths then: `rafthttp`,
 *    `store`, `snap`); the 3.0–3.3.13 etcd binary vendors itself under
 *    `github.com/coreos/etcd/cmd/vendor/`, and other programs vendor etcd under their own
 *    `…/vendor/` (every spelling takes an optional vendoring prefix);
 *  - 3.4: `go.etcd.io/etcd/<path>`;
 *  - 3.5+: one Go module per part (server, api, pkg, client/pkg, client/v3, raft), each with its
 *    own sub-path (`etcdserver/etcdserverpb` → `go.etcd.io/etcd/api/v3/etcdserverpb`); 3.6 moved the
 *    storage packages under `server/v3/storage/` and raft to its own repository
 *    (`go.etcd.io/raft/v3`);
 *  - 3.5+ built in GOPATH mode, as Debian and Ubuntu do: the import path is the module's
 *    DIRECTORY in the repository, so the `/v3` major-version suffix disappears where it is not a
 *    directory (`go.etcd.io/etcd/server/etcdserver`, `go.etcd.io/etcd/api/etcdserverpb`,
 *    `go.etcd.io/etcd/raft`) and stays where it is one (`go.etcd.io/etcd/client/v3`).
 *
 * Environment-neutral (no Node imports).
 */

/** The parts etcd 3.5+ ships as separate Go modules (in 3.4 and older, still the part a package belongs to). */
export type EtcdModule =
  | 'server'
  | 'api'
  | 'pkg'
  | 'client-pkg'
  | 'client'
  | 'client-v2'
  | 'raft'
  | 'etcdctl'
  | 'etcdutl';

/** A module's import path and the directory it lives in (= its import path in a GOPATH build). */
interface ModuleHome {
  module: string;
  gopath: string;
}

const HOMES_35: Record<EtcdModule, ModuleHome> = {
  server: { module: 'go.etcd.io/etcd/server/v3', gopath: 'go.etcd.io/etcd/server' },
  api: { module: 'go.etcd.io/etcd/api/v3', gopath: 'go.etcd.io/etcd/api' },
  pkg: { module: 'go.etcd.io/etcd/pkg/v3', gopath: 'go.etcd.io/etcd/pkg' },
  'client-pkg': { module: 'go.etcd.io/etcd/client/pkg/v3', gopath: 'go.etcd.io/etcd/client/pkg' },
  // `v3` and `v2` are directories here: the same path in both build styles.
  client: { module: 'go.etcd.io/etcd/client/v3', gopath: 'go.etcd.io/etcd/client/v3' },
  'client-v2': { module: 'go.etcd.io/etcd/client/v2', gopath: 'go.etcd.io/etcd/client/v2' },
  raft: { module: 'go.etcd.io/etcd/raft/v3', gopath: 'go.etcd.io/etcd/raft' },
  etcdctl: { module: 'go.etcd.io/etcd/etcdctl/v3', gopath: 'go.etcd.io/etcd/etcdctl' },
  etcdutl: { module: 'go.etcd.io/etcd/etcdutl/v3', gopath: 'go.etcd.io/etcd/etcdutl' },
};
/** 3.6: raft is its own repository, `go.etcd.io/raft` (module `go.etcd.io/raft/v3`). */
const HOMES_36: Record<EtcdModule, ModuleHome> = {
  ...HOMES_35,
  raft: { module: 'go.etcd.io/raft/v3', gopath: 'go.etcd.io/raft' },
};

interface PackageHome {
  /** Logical path: the path below go.etcd.io/etcd/ in 3.4. */
  path: string;
  module: EtcdModule;
  /** Path inside the module in 3.5 ('' = the module's root package); default `path`. */
  v35?: string;
  /** Path inside the module in 3.6; default `v35`. */
  v36?: string;
  /** Other paths below github.com/coreos/etcd/ in 3.0–3.3. */
  legacy?: string[];
  /** A package only the etcd server (or grpc-proxy) runs: its frames make the process an etcd server. */
  serverOnly?: boolean;
}

/**
 * Every package whose path changed between layouts, and the server's own top-level packages. A
 * logical path not listed belongs to the entry of its longest listed prefix (`etcdserver/api/v3rpc`
 * → `etcdserver`, `raft/raftpb` → `raft`, `pkg/adt` → `pkg`); one without any listed prefix to the
 * server module, at the same path.
 */
export const ETCD_PACKAGES: readonly PackageHome[] = [
  // server module: the etcd server's own packages
  { path: 'etcdserver', module: 'server', serverOnly: true },
  { path: 'etcdmain', module: 'server', serverOnly: true },
  { path: 'embed', module: 'server', serverOnly: true },
  { path: 'auth', module: 'server' },
  { path: 'lease', module: 'server', serverOnly: true },
  { path: 'mvcc', module: 'server', v36: 'storage/mvcc', serverOnly: true },
  { path: 'mvcc/backend', module: 'server', v36: 'storage/backend', serverOnly: true },
  { path: 'wal', module: 'server', v36: 'storage/wal', serverOnly: true },
  { path: 'proxy', module: 'server' },
  { path: 'proxy/grpcproxy', module: 'server', serverOnly: true },
  { path: 'etcdserver/api/rafthttp', module: 'server', legacy: ['rafthttp'], serverOnly: true },
  { path: 'etcdserver/api/v2store', module: 'server', legacy: ['store'], serverOnly: true },
  { path: 'etcdserver/api/snap', module: 'server', legacy: ['snap'] },
  { path: 'etcdserver/api/membership', module: 'server', legacy: ['etcdserver/membership'] },
  { path: 'etcdserver/api/v3compactor', module: 'server', legacy: ['compactor'] },
  // api module: protobuf and shared types
  { path: 'etcdserver/etcdserverpb', module: 'api', v35: 'etcdserverpb' },
  { path: 'etcdserver/api/v3rpc/rpctypes', module: 'api', v35: 'v3rpc/rpctypes' },
  { path: 'mvcc/mvccpb', module: 'api', v35: 'mvccpb' },
  { path: 'auth/authpb', module: 'api', v35: 'authpb' },
  { path: 'version', module: 'api', v35: 'version' },
  // pkg: utilities; the ones clients need moved to client/pkg in 3.5
  { path: 'pkg', module: 'pkg', v35: '' },
  ...['fileutil', 'logutil', 'pathutil', 'srv', 'systemd', 'testutil', 'tlsutil', 'transport', 'types'].map(
    (p): PackageHome => ({ path: `pkg/${p}`, module: 'client-pkg', v35: p }),
  ),
  // clients, raft, tools
  { path: 'clientv3', module: 'client', v35: '' },
  { path: 'client', module: 'client-v2', v35: '' },
  { path: 'raft', module: 'raft', v35: '' },
  { path: 'etcdctl', module: 'etcdctl', v35: '' },
];

const BY_PATH = new Map(ETCD_PACKAGES.map((p) => [p.path, p]));

/** The listed entry of a logical path (its longest listed prefix) and the rest of the path ('' or '/…'). */
function homeOf(path: string): { home: PackageHome; rest: string } {
  for (let p = path; p !== ''; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
    const home = BY_PATH.get(p);
    if (home) return { home, rest: path.slice(p.length) };
  }
  return { home: { path, module: 'server' }, rest: '' };
}

const join = (root: string, sub: string) => (sub === '' ? root : `${root}/${sub}`);

/**
 * Every import path a logical package had: in 3.0–3.3, 3.4, 3.5 and 3.6, as modules and as GOPATH
 * builds, without vendoring prefix. Duplicates removed, order fixed.
 */
export function packageSpellings(path: string): string[] {
  const { home, rest } = homeOf(path);
  const out = new Set<string>();
  for (const p of [home.path, ...(home.legacy ?? [])]) out.add(`github.com/coreos/etcd/${p}${rest}`);
  out.add(`go.etcd.io/etcd/${home.path}${rest}`);
  const v35 = home.v35 ?? home.path;
  const v36 = home.v36 ?? v35;
  for (const [homes, sub] of [
    [HOMES_35, v35],
    [HOMES_36, v36],
  ] as const) {
    const h = homes[home.module];
    out.add(`${join(h.module, sub)}${rest}`);
    out.add(`${join(h.gopath, sub)}${rest}`);
  }
  return [...out];
}

/** The package roots `{etcd}` alone stands for: where the server, api and pkg packages start in every layout. */
export function rootSpellings(): string[] {
  const out = new Set<string>(['github.com/coreos/etcd', 'go.etcd.io/etcd']);
  for (const m of ['server', 'api', 'pkg', 'client-pkg'] as const) {
    out.add(HOMES_35[m].module);
    out.add(HOMES_35[m].gopath);
  }
  out.add(`${HOMES_36.server.module}/storage`);
  out.add(`${HOMES_36.server.gopath}/storage`);
  return [...out];
}

export const escapeRegex = (s: string): string => s.replace(/[.*+?^$()|[\]\\/{}]/g, (c) => `\\${c}`);

/**
 * A regex fragment matching exactly the given strings (no anchors, no vendoring prefix), factored
 * on common prefixes (`go\.etcd\.io/etcd/(?:mvcc|server/(?:v3/)?mvcc)`): shorter, and the engine
 * never re-reads a shared prefix.
 */
export function alternation(strings: string[]): string {
  interface Node {
    end: boolean;
    next: Map<string, Node>;
  }
  const root: Node = { end: false, next: new Map() };
  for (const s of strings) {
    let n = root;
    for (const c of s) {
      let m = n.next.get(c);
      if (!m) {
        m = { end: false, next: new Map() };
        n.next.set(c, m);
      }
      n = m;
    }
    n.end = true;
  }
  const emit = (n: Node): string => {
    const branches: string[] = [];
    for (const [c, m] of [...n.next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      // follow a chain of single children as one literal run
      let text = escapeRegex(c);
      let k = m;
      while (!k.end && k.next.size === 1) {
        const [[c2, k2]] = [...k.next] as [[string, Node]];
        text += escapeRegex(c2);
        k = k2;
      }
      branches.push(text + emit(k));
    }
    if (branches.length === 0) return '';
    const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
    return n.end ? `(?:${body})?` : body;
  };
  return `(?:${emit(root)})`;
}

/** How a package path is spelled, and the etcd releases that spelling belongs to. */
export type EtcdLayout =
  | 'cmd-vendor' // github.com/coreos/etcd/cmd/vendor/github.com/coreos/etcd/… (3.0–3.3.13 binaries)
  | 'coreos' // github.com/coreos/etcd/… (3.0–3.3)
  | 'single-module' // go.etcd.io/etcd/… (3.4)
  | 'single-module-or-gopath' // go.etcd.io/etcd/{raft,pkg,etcdctl}… (3.4, or 3.5+ built in GOPATH mode)
  | 'modules' // go.etcd.io/etcd/<part>/v3/… (3.5+)
  | 'gopath' // go.etcd.io/etcd/{server,api,client/pkg,etcdutl}/… without /v3 (3.5+ built in GOPATH mode)
  | 'modules-or-gopath' // go.etcd.io/etcd/client/v3, client/v2 (3.5+, same path in both)
  | 'raft-module'; // go.etcd.io/raft/v3 (3.6+)

export interface EtcdPackage {
  /** The import path as written (vendoring prefix removed). */
  importPath: string;
  /** Logical path (3.4 layout). */
  path: string;
  module: EtcdModule;
  layout: EtcdLayout;
  /** 3.6 storage/… paths: '3.6'; 3.5 paths of packages that 3.6 moved: '3.5'. */
  era?: '3.5' | '3.6';
  serverOnly: boolean;
}

const VENDORED = /^(?:[^/]+(?:\/[^/]+)*\/vendor\/)?/;
const CMD_VENDOR = 'github.com/coreos/etcd/cmd/vendor/';

interface Root {
  root: string;
  module?: EtcdModule;
  layout: EtcdLayout;
}
/** Every root, longest first (so `go.etcd.io/etcd/server/v3` is tried before `go.etcd.io/etcd`). */
const ROOTS: Root[] = (() => {
  const roots: Root[] = [];
  const add = (root: string, layout: EtcdLayout, module?: EtcdModule) => {
    if (!roots.some((r) => r.root === root)) roots.push({ root, layout, module });
  };
  for (const [m, h] of Object.entries(HOMES_35) as [EtcdModule, ModuleHome][]) {
    add(h.module, h.module === h.gopath ? 'modules-or-gopath' : 'modules', m);
  }
  add(HOMES_36.raft.module, 'raft-module', 'raft');
  for (const [m, h] of Object.entries(HOMES_35) as [EtcdModule, ModuleHome][]) {
    // A GOPATH directory that was also a 3.4 package (raft, pkg, etcdctl) does not tell the two apart.
    const also34 = BY_PATH.has(h.gopath.slice('go.etcd.io/etcd/'.length));
    add(h.gopath, also34 ? 'single-module-or-gopath' : 'gopath', m);
  }
  add('go.etcd.io/etcd', 'single-module');
  add('github.com/coreos/etcd', 'coreos');
  return roots.sort((a, b) => b.root.length - a.root.length);
})();

/** Logical path of a path inside a 3.5/3.6 module ('' = its root package). */
function logicalIn(module: EtcdModule, sub: string): { path: string; era?: '3.5' | '3.6' } {
  let best: { path: string; era?: '3.5' | '3.6'; len: number } | undefined;
  for (const h of ETCD_PACKAGES) {
    if (h.module !== module) continue;
    const v35 = h.v35 ?? h.path;
    const v36 = h.v36 ?? v35;
    for (const [s, era] of [
      [v35, v35 === v36 ? undefined : '3.5'],
      [v36, v35 === v36 ? undefined : '3.6'],
    ] as const) {
      const hit = s === '' || sub === s || sub.startsWith(`${s}/`);
      if (hit && (!best || s.length > best.len)) {
        const rest = s === '' ? (sub === '' ? '' : `/${sub}`) : sub.slice(s.length);
        best = { path: `${h.path}${rest}`, era, len: s.length };
      }
    }
  }
  if (best) return { path: best.path, era: best.era };
  return { path: sub };
}

/** The Go package path of a function name as pprof prints it (`a/b/c.(*T).M` → `a/b/c`). */
export function packageOf(name: string): string {
  let end = name.length;
  for (const c of ['(', '[']) {
    const i = name.indexOf(c);
    if (i >= 0 && i < end) end = i;
  }
  const slash = name.lastIndexOf('/', end - 1);
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? name : name.slice(0, dot);
}

const serverOnly = (path: string) => {
  for (let p = path; p !== ''; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
    const h = BY_PATH.get(p);
    if (h) return h.serverOnly === true;
  }
  return false;
};

/**
 * The etcd package a function belongs to, recognised by its package structure whatever the
 * spelling, or null when it is not one of etcd's packages. Only the package path is looked at.
 */
export function etcdPackageOf(name: string): EtcdPackage | null {
  if (!name.includes('etcd')) return null;
  const pkg = packageOf(name);
  const vendor = VENDORED.exec(pkg)![0];
  const importPath = pkg.slice(vendor.length);
  for (const r of ROOTS) {
    if (importPath !== r.root && !importPath.startsWith(`${r.root}/`)) continue;
    const sub = importPath.slice(r.root.length + 1);
    let path: string;
    let era: '3.5' | '3.6' | undefined;
    if (r.module) ({ path, era } = logicalIn(r.module, sub));
    else {
      if (sub === '') return null;
      path = sub;
      if (r.layout === 'coreos') {
        // 3.0–3.3 paths of packages that moved in 3.4
        const legacy = ETCD_PACKAGES.find((h) => h.legacy?.some((l) => sub === l || sub.startsWith(`${l}/`)));
        const l = legacy?.legacy?.find((x) => sub === x || sub.startsWith(`${x}/`));
        if (legacy && l) path = `${legacy.path}${sub.slice(l.length)}`;
      }
      // go.etcd.io/etcd/v3 (3.5's root module: tests, the etcd main) and tests/v3 are not packages of any part here
      if (r.layout === 'single-module' && /^(v3|tests)(\/|$)/.test(sub)) return null;
    }
    let layout: EtcdLayout = vendor === CMD_VENDOR && r.layout === 'coreos' ? 'cmd-vendor' : r.layout;
    let module = r.module ?? homeOf(path).home.module;
    if (layout === 'single-module-or-gopath' && homeOf(path).home.module !== module) {
      // go.etcd.io/etcd/pkg/transport: a 3.5 GOPATH build has it under client/pkg, so this is 3.4
      module = homeOf(path).home.module;
      layout = 'single-module';
    }
    return { importPath, path, module, layout, era, serverOnly: serverOnly(path) };
  }
  return null;
}

/** What a package spelling says about the etcd release (context inference). */
export interface LayoutMarker {
  range: string;
  why: string;
  /** The process kinds the marker speaks for ('any' = path forms valid for every kind). */
  for: 'server' | 'client' | 'any';
}

/** Every layout marker, in the order inference applies them. */
export const LAYOUT_MARKERS = {
  cmdVendor: {
    range: '>=3.0.0 <3.3.14',
    why: 'package paths under github.com/coreos/etcd/cmd/vendor/ (etcd 3.0–3.3.13 release builds)',
    for: 'server',
  },
  coreosServer: {
    range: '>=3.3.14 <3.4.0',
    why: 'server packages under github.com/coreos/etcd/ without cmd/vendor (etcd 3.3.14–3.3.x)',
    for: 'server',
  },
  coreosClient: {
    range: '<3.4.0',
    why: 'client package github.com/coreos/etcd/clientv3 (clientv3 ≤ 3.3)',
    for: 'client',
  },
  coreos: { range: '<3.4.0', why: 'package paths under github.com/coreos/etcd/ (etcd ≤ 3.3)', for: 'any' },
  singleModule: {
    range: '>=3.4.0 <3.5.0',
    why: 'package paths under go.etcd.io/etcd/ without a /v3 module suffix (etcd 3.4.x)',
    for: 'any',
  },
  modules: {
    range: '>=3.5.0',
    why: 'multi-module paths go.etcd.io/etcd/{server,api,pkg,client}/v3 (etcd 3.5+)',
    for: 'any',
  },
  gopath: {
    range: '>=3.5.0',
    why: 'server, api or client/pkg packages without the /v3 module suffix (etcd 3.5+ built in GOPATH mode, as Debian and Ubuntu build it)',
    for: 'any',
  },
  raft35: {
    range: '>=3.5.0 <3.6.0',
    why: 'raft as go.etcd.io/etcd/raft/v3 (etcd 3.5; 3.6 uses go.etcd.io/raft/v3)',
    for: 'server',
  },
  raftOrPkg: {
    range: '>=3.4.0',
    why: 'raft or pkg packages under go.etcd.io/etcd/ without /v3 (etcd 3.4, or a 3.5+ GOPATH build)',
    for: 'any',
  },
  storage35: {
    range: '>=3.5.0 <3.6.0',
    why: 'storage packages (mvcc, mvcc/backend, wal) directly under the 3.5+ server module (3.5; 3.6 moved them to storage/)',
    for: 'server',
  },
  storage36: {
    range: '>=3.6.0',
    why: 'storage packages under server/v3/storage/ (etcd 3.6+)',
    for: 'server',
  },
  raftModule: { range: '>=3.6.0', why: 'raft as the separate module go.etcd.io/raft/v3 (etcd 3.6+)', for: 'server' },
} as const satisfies Record<string, LayoutMarker>;

export type LayoutMarkerId = keyof typeof LAYOUT_MARKERS;

/** The layout markers a recognised package carries. */
export function layoutMarkers(p: EtcdPackage): LayoutMarkerId[] {
  const out: LayoutMarkerId[] = [];
  switch (p.layout) {
    case 'cmd-vendor':
      out.push('cmdVendor');
      break;
    case 'coreos':
      out.push(p.module === 'client' ? 'coreosClient' : p.serverOnly ? 'coreosServer' : 'coreos');
      break;
    case 'single-module':
      out.push('singleModule');
      break;
    case 'single-module-or-gopath':
      out.push('raftOrPkg');
      break;
    case 'modules':
      out.push(p.module === 'raft' ? 'raft35' : 'modules');
      break;
    case 'modules-or-gopath':
      out.push('modules');
      break;
    case 'gopath':
      out.push('gopath');
      break;
    case 'raft-module':
      out.push('raftModule');
      break;
  }
  if (p.era === '3.5') out.push('storage35');
  if (p.era === '3.6') out.push('storage36');
  return out;
}
