/**
 * Flame-graph data: a call tree built from a Profile with pprof's semantics, then cut down per
 * sample type to a size a web page can carry.
 *
 *  - Frames are pprof's nodes at `functions` granularity (same names as `top`), inlined frames
 *    included as their own frames and flagged (a location with k lines is k frames, the physical
 *    caller first).
 *  - The profile's drop_frames / keep_frames apply first, as in every pprof report.
 *  - One walk over the samples fills every sample type at once; widths are Σ|value| (pprof's total
 *    is Σ|value| too), the signed sums are kept for delta profiles.
 *  - `pruneFlameTree` keeps the frames of at least `minFraction` of the total (and at most about
 *    `maxNodes` of them); each parent's smaller children are merged into one "other" frame so the
 *    widths still add up.
 *
 * No per-sample objects. Environment-neutral: no Node-only imports.
 */
import { buildNodes } from '../analysis/graph.js';
import { removeUninteresting } from '../profile/filter.js';
import type { Profile } from '../profile/model.js';

/** The whole call tree, every sample type at once. Node 0 is the root (all samples). */
export interface FlameTree {
  count: number;
  nTypes: number;
  /** Frame names (pprof's printable names); `name[node]` indexes it. Entry 0 is the root's. */
  names: string[];
  name: Uint32Array;
  parent: Int32Array;
  depth: Uint32Array;
  /**
   * 1 when the frame was inlined into its caller (same location, not the last line); 2 for the
   * marker that stands for the frames below `maxDepth`.
   */
  inline: Uint8Array;
  /** Σ|value| through the node, `count × nTypes` (node-major). */
  width: Float64Array;
  /** Σ value through the node (differs from `width` only with negative samples). */
  value: Float64Array;
  /** Σ|value| of samples whose leaf frame is the node. */
  self: Float64Array;
  /** Children in CSR form: `childList[childStart[n] .. childStart[n+1])`. */
  childStart: Uint32Array;
  childList: Uint32Array;
  /** Any sample value below zero (a delta or diff profile). */
  hasNegative: boolean;
}

export const ROOT_NAME = 'root';

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Default depth at which the flame graph stops (see `buildFlameTree`, `PruneOptions.maxDepth`). */
export const FLAME_MAX_DEPTH = 512;

/** Text of the frame that stands for everything below the depth cap. */
export function deeperFramesName(maxDepth: number): string {
  return `… deeper frames not drawn (the graph stops at depth ${maxDepth})`;
}

/**
 * Builds the call tree of a profile with stacks (throws nothing; an empty profile gives a root).
 * With `maxDepth`, a path stops at that depth: what is below goes to one marker child per node
 * (`deeperFramesName`, `inline` 2), so a 3,000,000-frame recursion costs 512 nodes, not 3,000,000.
 */
export function buildFlameTree(profile: Profile, opts: { maxDepth?: number } = {}): FlameTree {
  const maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
  const p = removeUninteresting(profile);
  const nodes = buildNodes(p, 'functions', false);
  const nT = Math.max(1, p.sampleTypes.length);
  const { values, stackStart, stack, length } = p.samples;
  const { locStart, locNodes } = nodes;

  // Frame name table: graph node id → name index (root = 0).
  const names: string[] = [ROOT_NAME];
  const nameOfNode = new Int32Array(nodes.count).fill(-1);

  // Phase 1: the topology. Each sample's path is walked root first; (parent, graph node) →
  // child goes through an open-addressing table over typed arrays. Children get larger ids than
  // their parents, which phase 2 relies on.
  let cap = 1024;
  let count = 1;
  let name = new Uint32Array(cap);
  let parent = new Int32Array(cap);
  let depth = new Uint32Array(cap);
  let inline = new Uint8Array(cap);
  parent[0] = -1;
  // Slot i holds (parent, node, child) at table[3i .. 3i+2]; parent -1 = empty.
  let mask = (1 << 12) - 1;
  let table = newTable(mask);
  const leafOf = new Int32Array(length).fill(-1);
  let hasNegative = false;
  let cutName = -1;

  for (let s = 0; s < length; s++) {
    let zero = true;
    for (let t = 0; t < nT; t++) {
      const v = values[s * nT + t] ?? 0;
      if (v !== 0) zero = false;
      if (v < 0) hasNegative = true;
    }
    if (zero) continue;
    let at = 0;
    const start = stackStart[s]!;
    let cut = false;
    for (let j = stackStart[s + 1]! - 1; j >= start && !cut; j--) {
      const loc = stack[j]!;
      const first = locStart[loc]!;
      const last = locStart[loc + 1]! - 1;
      for (let k = last; k >= first; k--) {
        // At the depth cap the rest of the stack is one marker frame (graph node id -1).
        cut = depth[at]! >= maxDepth;
        const node = cut ? -1 : locNodes[k]!;
        let h = hashSlot(at, node, mask);
        while (table[3 * h] !== -1 && (table[3 * h] !== at || table[3 * h + 1] !== node)) h = (h + 1) & mask;
        if (table[3 * h] !== -1) {
          at = table[3 * h + 2]!;
          continue;
        }
        if (count === cap) {
          cap *= 2;
          name = grow(name, cap);
          parent = grow(parent, cap);
          depth = grow(depth, cap);
          inline = grow(inline, cap);
        }
        const c = count++;
        let ni: number;
        if (cut) {
          if (cutName < 0) {
            cutName = names.length;
            names.push(deeperFramesName(maxDepth));
          }
          ni = cutName;
        } else {
          ni = nameOfNode[node]!;
          if (ni < 0) {
            ni = names.length;
            names.push(nodes.name(node));
            nameOfNode[node] = ni;
          }
        }
        name[c] = ni;
        parent[c] = at;
        depth[c] = depth[at]! + 1;
        inline[c] = cut ? 2 : k === last ? 0 : 1;
        table[3 * h] = at;
        table[3 * h + 1] = node;
        table[3 * h + 2] = c;
        if (2 * count > mask) {
          table = rehash(table, mask);
          mask = mask * 2 + 1;
        }
        at = c;
        if (cut) break;
      }
    }
    leafOf[s] = at;
  }

  // Phase 2: values. Self per leaf, then widths bottom-up (children have larger ids).
  const width = new Float64Array(count * nT);
  const value = new Float64Array(count * nT);
  const self = new Float64Array(count * nT);
  for (let s = 0; s < length; s++) {
    const leaf = leafOf[s]!;
    if (leaf < 0) continue;
    for (let t = 0; t < nT; t++) {
      const v = values[s * nT + t] ?? 0;
      self[leaf * nT + t]! += Math.abs(v);
      value[leaf * nT + t]! += v;
    }
  }
  width.set(self);
  for (let n = count - 1; n > 0; n--) {
    const o = n * nT;
    const po = parent[n]! * nT;
    for (let t = 0; t < nT; t++) {
      width[po + t]! += width[o + t]!;
      value[po + t]! += value[o + t]!;
    }
  }

  // Children in CSR form, in creation order.
  const childStart = new Uint32Array(count + 1);
  for (let n = 1; n < count; n++) childStart[parent[n]! + 1]!++;
  for (let n = 0; n < count; n++) childStart[n + 1]! += childStart[n]!;
  const fill = childStart.slice(0, count);
  const childList = new Uint32Array(Math.max(0, count - 1));
  for (let n = 1; n < count; n++) childList[fill[parent[n]!]!++] = n;

  return {
    count,
    nTypes: nT,
    names,
    name: name.slice(0, count),
    parent: parent.slice(0, count),
    depth: depth.slice(0, count),
    inline: inline.slice(0, count),
    width,
    value,
    self,
    childStart,
    childList,
    hasNegative,
  };
}

function hashSlot(at: number, node: number, mask: number): number {
  // murmur3's finalizer over both keys: consecutive parents (a deep chain) must not fill
  // consecutive slots, or linear probing walks long runs (a 3,000,000-frame chain took 18 s).
  let h = Math.imul(at, 0x9e3779b1) ^ Math.imul(node + 1, 0x85ebca77);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & mask;
}

function newTable(mask: number): Int32Array {
  const t = new Int32Array(3 * (mask + 1));
  for (let i = 0; i < t.length; i += 3) t[i] = -1;
  return t;
}

/** The table with twice the slots. */
function rehash(table: Int32Array, mask: number): Int32Array {
  const m = mask * 2 + 1;
  const out = newTable(m);
  for (let i = 0; i <= mask; i++) {
    const at = table[3 * i]!;
    if (at === -1) continue;
    const node = table[3 * i + 1]!;
    let h = hashSlot(at, node, m);
    while (out[3 * h] !== -1) h = (h + 1) & m;
    out[3 * h] = at;
    out[3 * h + 1] = node;
    out[3 * h + 2] = table[3 * i + 2]!;
  }
  return out;
}

export interface PruneOptions {
  /** Frames narrower than this share of the total go into "other" (default 0.001 = 0.1 %). */
  minFraction?: number;
  /**
   * Cap on frames kept (default 4000): the cut-off rises until it holds, and since frames of equal
   * width (a deep chain, many equal siblings) all pass a cut-off, at most twice this many are
   * emitted; the rest go into "other" frames.
   */
  maxNodes?: number;
  /**
   * Deepest frame drawn (default 512): below it a chain is cut, with one marker frame saying how
   * many frames were not drawn. A 3,000,000-frame recursion is otherwise a 3,000,000-box page.
   */
  maxDepth?: number;
}

/** Frame flags in `FlameGraph.flags`. */
export const FLAG_INLINE = 1;
export const FLAG_OTHER = 2;

/**
 * One sample type's flame graph, plain data (JSON-ready). Frames are in pre-order (a frame's
 * subtree follows it), children heaviest first; `depth` 0 is the root.
 */
export interface FlameGraph {
  typeIndex: number;
  sampleType: string;
  unit: string;
  /** Σ|value| of all samples = the root's width (pprof's total). */
  total: number;
  /** Indices into the shared `names` table. */
  name: number[];
  depth: number[];
  width: number[];
  self: number[];
  /** Signed sums, only when the profile has negative values. */
  value?: number[];
  /** FLAG_INLINE | FLAG_OTHER bits. */
  flags: number[];
  /** The smallest width kept. */
  cutoff: number;
  minFraction: number;
  /** Frames (whole subtrees counted) merged into "other" entries. */
  mergedFrames: number;
  /** Frames of the full tree with a non-zero width for this type. */
  fullFrames: number;
}

function kthLargest(a: Float64Array, k: number): number {
  const sorted = a.slice().sort();
  return sorted[Math.max(0, sorted.length - k)]!;
}

/**
 * Cuts the tree down for one sample type. `names` is the shared name table: the tree's names are
 * added to it as needed (so several graphs can share one table), and "other" entries too.
 */
export function pruneFlameTree(
  tree: FlameTree,
  typeIndex: number,
  sampleType: { type: string; unit: string },
  names: { list: string[]; index: Map<string, number> },
  opts: PruneOptions = {},
): FlameGraph {
  const nT = tree.nTypes;
  const minFraction = opts.minFraction ?? 0.001;
  const maxNodes = Math.max(16, opts.maxNodes ?? 4000);
  const maxDepth = Math.max(8, opts.maxDepth ?? FLAME_MAX_DEPTH);
  const hardCap = 2 * maxNodes;
  const w = (n: number) => tree.width[n * nT + typeIndex]!;
  const total = w(0);

  let fullFrames = 0;
  const col = new Float64Array(tree.count);
  for (let n = 0; n < tree.count; n++) {
    col[n] = w(n);
    if (col[n]! > 0) fullFrames++;
  }
  let cutoff = total * minFraction;
  if (fullFrames > maxNodes) cutoff = Math.max(cutoff, kthLargest(col, maxNodes));
  if (cutoff <= 0) cutoff = Number.MIN_VALUE;

  const nameIdx = (s: string): number => {
    let i = names.index.get(s);
    if (i === undefined) {
      i = names.list.length;
      names.list.push(s);
      names.index.set(s, i);
    }
    return i;
  };
  const treeName = new Int32Array(tree.names.length).fill(-1);
  const nameOf = (n: number): number => {
    const t = tree.name[n]!;
    let i = treeName[t]!;
    if (i < 0) {
      i = nameIdx(tree.names[t]!);
      treeName[t] = i;
    }
    return i;
  };

  const out: FlameGraph = {
    typeIndex,
    sampleType: sampleType.type,
    unit: sampleType.unit,
    total,
    name: [],
    depth: [],
    width: [],
    self: [],
    value: tree.hasNegative ? [] : undefined,
    flags: [],
    cutoff,
    minFraction,
    mergedFrames: 0,
    fullFrames,
  };

  const subtreeFrames = (n: number): number => {
    let c = 0;
    const todo = [n];
    while (todo.length) {
      const x = todo.pop()!;
      if (w(x) > 0) c++;
      for (let k = tree.childStart[x]!; k < tree.childStart[x + 1]!; k++) todo.push(tree.childList[k]!);
    }
    return c;
  };

  const emit = (n: number) => {
    out.name.push(nameOf(n));
    out.depth.push(tree.depth[n]!);
    out.width.push(w(n));
    out.self.push(tree.self[n * nT + typeIndex]!);
    out.value?.push(tree.value[n * nT + typeIndex]!);
    out.flags.push(tree.inline[n] === 2 ? FLAG_OTHER : tree.inline[n] ? FLAG_INLINE : 0);
  };

  const byWidth = (a: number, b: number) => {
    const d = w(b) - w(a);
    if (d !== 0) return d;
    const na = tree.names[tree.name[a]!]!;
    const nb = tree.names[tree.name[b]!]!;
    return na < nb ? -1 : na > nb ? 1 : 0;
  };

  // Pre-order walk with an explicit stack (deep Go stacks would overflow recursion). Entries
  // below zero are "other" frames: -1 - index into `others`.
  const others: { depth: number; width: number; value: number; count: number; deeper?: number }[] = [];
  const stack: number[] = [0];
  while (stack.length) {
    const n = stack.pop()!;
    if (n < 0) {
      const o = others[-1 - n]!;
      const label =
        o.deeper !== undefined
          ? `… ${o.deeper} deeper ${o.deeper === 1 ? 'frame' : 'frames'} not drawn (the graph stops at depth ${maxDepth})`
          : `other (${o.count} smaller ${o.count === 1 ? 'frame' : 'frames'})`;
      out.name.push(nameIdx(label));
      out.depth.push(o.depth);
      out.width.push(o.width);
      // Drawn as a leaf: all of it is "self" as far as the graph shows.
      out.self.push(o.width);
      out.value?.push(o.value);
      out.flags.push(FLAG_OTHER);
      continue;
    }
    emit(n);
    if (tree.depth[n]! > maxDepth) {
      // Cut here: one marker for everything below (a deep recursion, a corrupt stack).
      let width = 0;
      let value = 0;
      let deeper = 0;
      for (let k = tree.childStart[n]!; k < tree.childStart[n + 1]!; k++) {
        const c = tree.childList[k]!;
        if (w(c) <= 0) continue;
        width += w(c);
        value += tree.value[c * nT + typeIndex]!;
        deeper += subtreeFrames(c);
      }
      if (deeper > 0) {
        out.mergedFrames += deeper;
        others.push({ depth: tree.depth[n]! + 1, width, value, count: 0, deeper });
        stack.push(-others.length);
      }
      continue;
    }
    const kids: number[] = [];
    let otherWidth = 0;
    let otherValue = 0;
    let otherCount = 0;
    for (let k = tree.childStart[n]!; k < tree.childStart[n + 1]!; k++) {
      const c = tree.childList[k]!;
      const cw = w(c);
      if (cw <= 0) continue;
      if (cw >= cutoff) kids.push(c);
      else {
        otherWidth += cw;
        otherValue += tree.value[c * nT + typeIndex]!;
        otherCount++;
        out.mergedFrames += subtreeFrames(c);
      }
    }
    kids.sort(byWidth);
    // Equal widths all pass the cut-off: past the hard cap, the rest go into "other" too.
    const room = Math.max(0, hardCap - out.name.length - stack.length);
    if (kids.length > room) {
      for (const c of kids.splice(room)) {
        otherWidth += w(c);
        otherValue += tree.value[c * nT + typeIndex]!;
        otherCount++;
        out.mergedFrames += subtreeFrames(c);
      }
    }
    // Pushed in reverse so they pop in order; "other" comes last (rightmost).
    if (otherCount > 0) {
      others.push({ depth: tree.depth[n]! + 1, width: otherWidth, value: otherValue, count: otherCount });
      stack.push(-others.length);
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}
