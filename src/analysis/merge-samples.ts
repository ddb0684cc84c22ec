/**
 * pprof merges every profile it reads (profile.Merge, even for a single source): functions,
 * mappings and locations with identical content become one, samples with the same location
 * sequence and labels are summed (first appearance keeps its place), and samples whose values
 * are all zero are dropped. Sums are unchanged, so `top` and `peek` do not need this; `traces`
 * prints samples one by one and does.
 *
 * Environment-neutral: no Node-only imports.
 */
import type { Label, Profile } from '../profile/model.js';

function labelKey(labels: Label[] | undefined): string {
  if (!labels || labels.length === 0) return '';
  const str = new Map<string, string[]>();
  const num = new Map<string, [number[], string[]]>();
  for (const l of labels) {
    if (l.str !== undefined) {
      const v = str.get(l.key);
      if (v) v.push(l.str);
      else str.set(l.key, [l.str]);
    } else {
      const v = num.get(l.key);
      if (v) {
        v[0].push(l.num ?? 0);
        v[1].push(l.unit ?? '');
      } else num.set(l.key, [[l.num ?? 0], [l.unit ?? '']]);
    }
  }
  const a = [...str.entries()].map(([k, v]) => JSON.stringify([k, v])).sort();
  const b = [...num.entries()].map(([k, v]) => JSON.stringify([k, v])).sort();
  return `${a.join('')}\u0001${b.join('')}`;
}

/** Canonical location numbers: equal content (as pprof's Merge keys it) → equal number. */
function canonicalLocations(p: Profile): Uint32Array {
  const fnIds = new Map<string, number>();
  const fnCanon = p.functions.map((f) => {
    const k = `${f.startLine}\u0000${f.name}\u0000${f.systemName}\u0000${f.filename}`;
    let id = fnIds.get(k);
    if (id === undefined) {
      id = fnIds.size;
      fnIds.set(k, id);
    }
    return id;
  });
  const mapIds = new Map<string, number>();
  const mapCanon = p.mappings.map((m) => {
    let size = m.memoryLimit - m.memoryStart;
    size = size + 0xfff;
    size -= size % 0x1000;
    const k = `${size}\u0000${m.fileOffset}\u0000${m.buildId !== '' ? m.buildId : m.file}`;
    let id = mapIds.get(k);
    if (id === undefined) {
      id = mapIds.size;
      mapIds.set(k, id);
    }
    return id;
  });
  const locIds = new Map<string, number>();
  const out = new Uint32Array(p.locations.length);
  p.locations.forEach((l, i) => {
    const m = l.mapping >= 0 ? p.mappings[l.mapping] : undefined;
    const addr = m ? l.address - m.memoryStart : l.address;
    const lines = l.lines.map((ln) => `${ln.fn >= 0 ? fnCanon[ln.fn] : ''}|${ln.line}`).join('|');
    const k = `${addr}\u0000${m ? mapCanon[l.mapping] : -1}\u0000${lines}\u0000${l.isFolded ? 1 : 0}`;
    let id = locIds.get(k);
    if (id === undefined) {
      id = locIds.size;
      locIds.set(k, id);
    }
    out[i] = id;
  });
  return out;
}

/** Samples merged the way pprof merges them on load (locations keep their indices). */
export function mergeSamples(p: Profile): Profile {
  const s = p.samples;
  const nT = p.sampleTypes.length;
  const canon = canonicalLocations(p);
  const index = new Map<string, number>();
  const order: number[] = [];
  const sums: number[][] = [];
  for (let i = 0; i < s.length; i++) {
    let zero = true;
    for (let k = 0; k < nT; k++) {
      if (s.values[i * nT + k] !== 0) {
        zero = false;
        break;
      }
    }
    if (zero) continue;
    let key = '';
    for (let j = s.stackStart[i]!; j < s.stackStart[i + 1]!; j++) key += `${canon[s.stack[j]!]},`;
    key += `\u0002${labelKey(s.labels?.[i])}`;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, order.length);
      order.push(i);
      sums.push(Array.from(s.values.subarray(i * nT, i * nT + nT)));
    } else {
      const v = sums[at]!;
      for (let k = 0; k < nT; k++) v[k]! += s.values[i * nT + k]!;
    }
  }
  // Merging can produce all-zero samples (values cancelling out); pprof drops them too.
  const keep: number[] = [];
  for (let o = 0; o < order.length; o++) if (sums[o]!.some((v) => v !== 0)) keep.push(o);
  const n = keep.length;
  const values = new Float64Array(n * nT);
  const stackStart = new Uint32Array(n + 1);
  let total = 0;
  for (const o of keep) total += s.stackStart[order[o]! + 1]! - s.stackStart[order[o]!]!;
  const stack = new Uint32Array(total);
  const labels = s.labels ? ([] as (Label[] | undefined)[]) : undefined;
  let top = 0;
  keep.forEach((o, idx) => {
    const i = order[o]!;
    values.set(sums[o]!, idx * nT);
    stackStart[idx] = top;
    stack.set(s.stack.subarray(s.stackStart[i]!, s.stackStart[i + 1]!), top);
    top += s.stackStart[i + 1]! - s.stackStart[i]!;
    labels?.push(s.labels![i]);
  });
  stackStart[n] = top;
  return { ...p, samples: { length: n, values, stackStart, stack, labels } };
}
