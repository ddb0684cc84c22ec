/**
 * The call graph pprof's text reports are made of (internal/graph/graph.go of Go 1.19's pprof),
 * built column-wise:
 *
 *  - nodes: one per distinct NodeInfo at the chosen granularity; each location contributes one
 *    node per line (inlined frames are their own nodes), precomputed once per location;
 *  - weights: one tight loop over the samples; cum is added once per node per sample (a "last seen
 *    in sample #" stamp handles recursion), flat goes to the innermost line of the leaf location;
 *  - edges: only when a report needs them (inline markers, peek), over a set of kept nodes.
 *
 * No per-sample objects are allocated. Environment-neutral: no Node-only imports.
 */
import type { Profile, ProfileColumns } from '../profile/model.js';

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

export const GRANULARITIES: readonly Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

/** pprof's NodeInfo after Aggregate at the chosen granularity. */
export interface NodeInfo {
  name: string;
  address: number;
  file: string;
  startLine: number;
  lineno: number;
  objfile: string;
}

export interface NodeTable {
  count: number;
  info(id: number): NodeInfo;
  /** pprof's PrintableName of each node (computed on first use). */
  name(id: number): string;
  /** Per location: its nodes are `locNodes[locStart[l] .. locStart[l+1])`, innermost line first. */
  locStart: Uint32Array;
  locNodes: Uint32Array;
  /** Set when the decoder's kernel made these nodes: it computes their weights (computeWeights). */
  kernel?: { columns: ProfileColumns; noInlines: boolean };
}

/** Go's filepath.Clean for slash-separated paths. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const parts = path.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

function hex16(address: number): string {
  const h = address.toString(16);
  return h.length >= 16 ? h : '0'.repeat(16 - h.length) + h;
}

/** Go's filepath.Base (pprof prints binaries and the `File:` header with it). */
export function goBaseName(path: string): string {
  if (path === '') return '.';
  let p = path;
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  const i = p.lastIndexOf('/');
  const b = i >= 0 ? p.slice(i + 1) : p;
  return b === '' ? '/' : b;
}

/** pprof's NodeInfo.PrintableName. */
export function printableName(i: NodeInfo): string {
  const parts: string[] = [];
  if (i.address !== 0) parts.push(hex16(i.address));
  if (i.name !== '') parts.push(i.name);
  if (i.lineno !== 0) parts.push(`${i.file}:${i.lineno}`);
  else if (i.file !== '') parts.push(i.file);
  else if (i.name !== '') {
    // The function name says it all.
  } else if (i.objfile !== '') parts.push(`[${goBaseName(i.objfile)}]`);
  else parts.push('<unknown>');
  return parts.join(' ');
}

/** Go's fmt.Sprint(NodeInfo): pprof's last-resort tie breaker when sorting nodes. */
export function nodeInfoString(i: NodeInfo): string {
  return `{${i.name}  ${i.address} ${i.file} ${i.startLine} ${i.lineno} ${i.objfile}}`;
}

/**
 * Builds the node table (pprof's Aggregate + CreateNodes). `functions` merges by name only;
 * `filefunctions` by name and file; `files` by file; `lines` by name, file and line; `addresses`
 * keeps everything. `noInlines` keeps only the outermost line of each location.
 */
export function buildNodes(p: Profile, granularity: Granularity, noInlines: boolean): NodeTable {
  const keepFunction = granularity !== 'files';
  const keepFile = granularity !== 'functions';
  const keepLine = granularity === 'lines' || granularity === 'addresses';
  const keepAddress = granularity === 'addresses';

  // Function granularity on a profile from the decoder's kernel: from its columns, without the
  // location and function objects (see nodesFromColumns).
  const perFunction = !keepLine && !keepAddress && keepFunction;
  if (perFunction && !keepFile && p.columns?.namesAscii) {
    const fromColumns = nodesFromColumns(p.columns, noInlines);
    if (fromColumns) return fromColumns;
  }

  const nLoc = p.locations.length;
  const locStart = new Uint32Array(nLoc + 1);
  const locNodes = new Uint32Array(fillLocStart(p, noInlines, locStart));

  const ids = new Map<string, number>();
  const info: NodeInfo[] = [];
  const cleaned = new Map<string, string>();
  const clean = (f: string): string => {
    let c = cleaned.get(f);
    if (c === undefined) {
      c = cleanPath(f);
      cleaned.set(f, c);
    }
    return c;
  };
  const add = (ni: NodeInfo): number => {
    const key = `${ni.name}\u0000${ni.address}\u0000${ni.file}\u0000${ni.startLine}\u0000${ni.lineno}\u0000${ni.objfile}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = info.length;
      info.push(ni);
      ids.set(key, id);
    }
    return id;
  };
  // Without line numbers and addresses, a named function always lands on the same node: look
  // each function up once instead of once per (location, line), keyed by its name alone (plus
  // the file at filefunctions granularity) so no key strings are built.
  const fnNode = new Int32Array(perFunction ? p.functions.length : 0).fill(-1);
  const byName = new Map<string, number>();
  const byNameFile = new Map<string, Map<string, number>>();
  const namedNode = (name: string, file: string): number => {
    let m = byName;
    if (keepFile) {
      let mm = byNameFile.get(file);
      if (!mm) {
        mm = new Map();
        byNameFile.set(file, mm);
      }
      m = mm;
    }
    let id = m.get(name);
    if (id === undefined) {
      id = info.length;
      info.push({ name, address: 0, file, startLine: 0, lineno: 0, objfile: '' });
      m.set(name, id);
    }
    return id;
  };

  for (let l = 0; l < nLoc; l++) {
    const loc = p.locations[l]!;
    const lines0 = loc.lines;
    let at = locStart[l]!;
    if (perFunction && lines0.length > 0) {
      // Fast path: every line a named function (the usual case).
      const from = noInlines ? lines0.length - 1 : 0;
      let k = from;
      for (; k < lines0.length; k++) {
        const fi = lines0[k]!.fn;
        if (fi < 0) break;
        let id = fnNode[fi]!;
        if (id < 0) {
          const fn = p.functions[fi]!;
          if (fn.name === '') break;
          id = namedNode(fn.name, keepFile && fn.filename !== '' ? clean(fn.filename) : '');
          fnNode[fi] = id;
        }
        locNodes[at + k - from] = id;
      }
      if (k === lines0.length) continue;
    }
    const objfile = loc.mapping >= 0 ? (p.mappings[loc.mapping]?.file ?? '') : '';
    const address = keepAddress ? loc.address : 0;
    let lines = lines0;
    if (noInlines && lines.length > 1) lines = lines.slice(lines.length - 1);
    if (lines.length === 0) {
      locNodes[at] = add({ name: '', address, file: '', startLine: 0, lineno: 0, objfile });
      continue;
    }
    for (const ln of lines) {
      if (ln.fn < 0) {
        locNodes[at++] = add({ name: '', address, file: '', startLine: 0, lineno: 0, objfile });
        continue;
      }
      const fn = p.functions[ln.fn]!;
      const name = keepFunction ? fn.name : '';
      const file = keepFile && fn.filename !== '' ? clean(fn.filename) : '';
      if (perFunction && name !== '') {
        locNodes[at++] = namedNode(name, file);
        continue;
      }
      const noName = name === '';
      locNodes[at++] = add({
        name,
        address,
        file,
        startLine: noName ? fn.startLine : 0,
        lineno: keepLine ? ln.line : 0,
        objfile: noName ? objfile : '',
      });
    }
  }
  return nodeTable(info, locStart, locNodes);
}

function nodeTable(info: NodeInfo[], locStart: Uint32Array, locNodes: Uint32Array): NodeTable {
  const names: (string | undefined)[] = new Array(info.length);
  return {
    count: info.length,
    info: (id: number) => info[id]!,
    name(id: number): string {
      let n = names[id];
      if (n === undefined) {
        n = printableName(info[id]!);
        names[id] = n;
      }
      return n;
    },
    locStart,
    locNodes,
  };
}

/**
 * buildNodes at function granularity from the kernel's columns: the same nodes, in the same order,
 * as the object path (a node per distinct name, numbered in order of first use). Functions with
 * the same name bytes were grouped by the kernel (fnCanon); the caller checked that names are
 * ASCII, where equal bytes mean equal strings. Undefined for what only the object path handles: a
 * location without lines, a line without a function, a function without a name.
 */
function nodesFromColumns(c: ProfileColumns, noInlines: boolean): NodeTable | undefined {
  const made = c.graph.functionNodes(noInlines);
  if (made === undefined) return undefined;
  const { locStart, locNodes, nodeFn } = made;
  const { fnName } = c;
  // A node's NodeInfo has only a name, so its printable name is that name.
  const name = (id: number) => c.string(fnName[nodeFn[id]!]!);
  return {
    count: nodeFn.length,
    info: (id: number) => ({ name: name(id), address: 0, file: '', startLine: 0, lineno: 0, objfile: '' }),
    name,
    locStart,
    locNodes,
    kernel: { columns: c, noInlines },
  };
}

/**
 * Fills `locStart` (one entry per location plus the end) and returns the node-slot count. A
 * function of its own: a loop that the JIT compiles on the fly (OSR) deoptimizes when it reaches
 * code after the loop that never ran, so buildNodes' main loop must not follow this one.
 */
function fillLocStart(p: Profile, noInlines: boolean, locStart: Uint32Array): number {
  const locs = p.locations;
  const nLoc = locs.length;
  let total = 0;
  for (let l = 0; l < nLoc; l++) {
    locStart[l] = total;
    const k = locs[l]!.lines.length;
    total += k === 0 || noInlines ? 1 : k;
  }
  locStart[nLoc] = total;
  return total;
}

/** Flat and cum per node for one value column. */
export interface Weights {
  flat: Float64Array;
  cum: Float64Array;
}

/** pprof's newGraph weights: cum once per node per sample, flat to the leaf node. */
export function computeWeights(p: Profile, nodes: NodeTable, valueIndex: number): Weights {
  const k = nodes.kernel;
  if (k !== undefined && k.columns.samples === p.samples) return k.columns.graph.weights(valueIndex, k.noInlines);
  const n = nodes.count;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const { values, stackStart, stack, length } = p.samples;
  const nTypes = p.sampleTypes.length;
  const { locStart, locNodes } = nodes;
  // One path for one- and multi-line locations: a branch first taken late (the few locations with
  // inlined frames) would deoptimize this loop and cost a second Turbofan compile.
  for (let s = 0; s < length; s++) {
    const w = values[s * nTypes + valueIndex]!;
    if (w === 0) continue;
    const start = stackStart[s]!;
    let leaf = -1;
    for (let j = stackStart[s + 1]! - 1; j >= start; j--) {
      const loc = stack[j]!;
      const first = locStart[loc]!;
      for (let k = locStart[loc + 1]! - 1; k >= first; k--) {
        const node = locNodes[k]!;
        if (stamp[node] !== s) {
          stamp[node] = s;
          cum[node]! += w;
        }
        leaf = node;
      }
    }
    if (leaf >= 0) flat[leaf]! += w;
  }
  return { flat, cum };
}

/** Edges between kept nodes (pprof merges paths through dropped nodes into residual edges). */
export interface EdgeTable {
  count: number;
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array;
  /** 1 when every contribution was a call inlined into its caller. */
  inline: Uint8Array;
}

/**
 * pprof's edges: walking each sample root to leaf, an edge from the previous kept node to each
 * kept node (not to itself), counted once per sample; inline when the callee is an inlined line
 * of its location. `kept` = null keeps every node. With `targets`, only edges INTO those nodes
 * are recorded (the others still route the walk), which is all the inline markers need.
 */
export function computeEdges(
  p: Profile,
  nodes: NodeTable,
  valueIndex: number,
  kept: Uint8Array | null,
  targets?: Uint8Array,
): EdgeTable {
  const nNodes = nodes.count;
  let cap = 1024;
  let src = new Int32Array(cap);
  let dst = new Int32Array(cap);
  let weight = new Float64Array(cap);
  let inline = new Uint8Array(cap);
  let stampE = new Int32Array(cap);
  let count = 0;
  const index = new Map<number, number>();
  const { values, stackStart, stack, length } = p.samples;
  const nTypes = p.sampleTypes.length;
  const { locStart, locNodes } = nodes;
  const nLoc = locStart.length - 1;
  // With targets, samples that do not reach one contribute nothing: skip them after a cheap scan.
  let locHasTarget: Uint8Array | undefined;
  if (targets !== undefined) {
    locHasTarget = new Uint8Array(nLoc);
    for (let l = 0; l < nLoc; l++) {
      for (let k = locStart[l]!; k < locStart[l + 1]!; k++) if (targets[locNodes[k]!]) locHasTarget[l] = 1;
    }
  }

  for (let s = 0; s < length; s++) {
    const w = values[s * nTypes + valueIndex]!;
    if (w === 0) continue;
    const start = stackStart[s]!;
    const end = stackStart[s + 1]!;
    if (locHasTarget !== undefined) {
      let any = false;
      for (let j = start; j < end; j++) {
        if (locHasTarget[stack[j]!]) {
          any = true;
          break;
        }
      }
      if (!any) continue;
    }
    let parent = -1;
    for (let j = end - 1; j >= start; j--) {
      const loc = stack[j]!;
      const first = locStart[loc]!;
      const last = locStart[loc + 1]! - 1;
      for (let k = last; k >= first; k--) {
        const node = locNodes[k]!;
        if (kept !== null && kept[node] === 0) continue;
        if (parent >= 0 && node !== parent && (targets === undefined || targets[node] === 1)) {
          const key = parent * nNodes + node;
          let e = index.get(key);
          const isInline = k !== last ? 1 : 0;
          if (e === undefined) {
            if (count === cap) {
              cap *= 2;
              src = grow(src, cap);
              dst = grow(dst, cap);
              weight = grow(weight, cap);
              inline = grow(inline, cap);
              stampE = grow(stampE, cap);
            }
            e = count++;
            index.set(key, e);
            src[e] = parent;
            dst[e] = node;
            inline[e] = isInline;
            stampE[e] = -1;
          }
          if (stampE[e] !== s) {
            stampE[e] = s;
            weight[e]! += w;
            if (!isInline) inline[e] = 0;
          }
        }
        parent = node;
      }
    }
  }
  return {
    count,
    src: src.subarray(0, count),
    dst: dst.subarray(0, count),
    weight: weight.subarray(0, count),
    inline: inline.subarray(0, count),
  };
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/**
 * Sorts node ids like pprof: flat order = |flat| desc, name, |cum| desc; cum order = |cum| desc,
 * name, |flat| desc; last resort the full NodeInfo text (unique per node).
 */
export function sortNodes(ids: number[], nodes: NodeTable, w: Weights, byCum: boolean): number[] {
  const { flat, cum } = w;
  const first = byCum ? cum : flat;
  const second = byCum ? flat : cum;
  return ids.sort((a, b) => {
    const fa = Math.abs(first[a]!);
    const fb = Math.abs(first[b]!);
    if (fa !== fb) return fb - fa;
    const na = nodes.name(a);
    const nb = nodes.name(b);
    if (na !== nb) return na < nb ? -1 : 1;
    const sa = Math.abs(second[a]!);
    const sb = Math.abs(second[b]!);
    if (sa !== sb) return sb - sa;
    const ka = nodeInfoString(nodes.info(a));
    const kb = nodeInfoString(nodes.info(b));
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
