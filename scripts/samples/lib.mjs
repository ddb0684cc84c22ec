// Shared helpers for rebuilding the documents' profiles (see rebuild.mjs).
//
// A profile is described as folded stacks ("root;caller;...;leaf") with values. Each distinct
// frame becomes one function + one location, so `go tool pprof` aggregates exactly what we wrote.

import { gzipSync } from 'node:zlib';
import { Function as PFunction, Line, Location, Mapping, Profile, Sample, StringTable, ValueType } from 'pprof-format';

export const MiB = 1024 * 1024;

/**
 * Frame keys are function names. Two functions may share a name but differ in file (the document's
 * CPU table lists `math/big.divWVW` twice, once without a file): write such a frame as `name#tag`
 * and register its file under that key. A frame written `[binary]` is an unsymbolized address.
 */
export class ProfileBuilder {
  /**
   * @param {object} o
   * @param {[string,string][]} o.sampleTypes
   * @param {[string,string]} o.periodType
   * @param {number} o.period
   * @param {bigint} o.timeNanos
   * @param {number} [o.durationNanos]
   * @param {string[]} o.comments
   * @param {string} o.binary mapping[0] file (pprof prints its basename as "File:")
   * @param {(name: string) => string} o.fileOf file for a frame name ('' when unknown)
   * @param {string} [o.defaultSampleType]
   */
  constructor(o) {
    this.o = o;
    this.samples = new Map(); // stack key -> values[]
    this.order = [];
  }

  /** Adds `values` to the stack written root-first, separated by ';'. */
  add(stack, values) {
    const frames = Array.isArray(stack) ? stack : stack.split(';');
    if (frames.some((f) => f === '')) throw new Error(`empty frame in ${stack}`);
    if (values.length !== this.o.sampleTypes.length) throw new Error(`value count for ${stack}`);
    if (values.some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`bad values ${values} for ${stack}`);
    const key = frames.join(';');
    const cur = this.samples.get(key);
    if (cur) {
      for (let i = 0; i < values.length; i++) cur[i] += values[i];
    } else {
      this.samples.set(key, [...values]);
      this.order.push(key);
    }
  }

  total(index) {
    let t = 0;
    for (const v of this.samples.values()) t += v[index];
    return t;
  }

  encode() {
    const st = new StringTable();
    const s = (x) => st.dedup(x);
    const vt = ([type, unit]) => new ValueType({ type: s(type), unit: s(unit) });
    const sampleType = this.o.sampleTypes.map(vt);
    const periodType = vt(this.o.periodType);
    const mapping = new Mapping({
      id: 1,
      memoryStart: 0x400000,
      memoryLimit: 0x4000000,
      fileOffset: 0,
      filename: s(this.o.binary),
      buildId: s(''),
      hasFunctions: true,
      hasFilenames: true,
      hasLineNumbers: true,
      hasInlineFrames: true,
    });
    const functions = [];
    const locations = [];
    const funcIds = new Map();
    const locIds = new Map();
    let nextAddr = 0x401000;
    const locationFor = (frame) => {
      let id = locIds.get(frame);
      if (id) return id;
      id = locations.length + 1;
      // One location per frame; a frame "outer>inner" is an inlined call (inner listed first).
      const parts = frame.split('>').reverse();
      const lines = [];
      for (const p of parts) {
        if (p === '[binary]') continue;
        let fid = funcIds.get(p);
        if (!fid) {
          fid = functions.length + 1;
          const name = p.replace(/#.*$/, '');
          functions.push(
            new PFunction({ id: fid, name: s(name), systemName: s(name), filename: s(this.o.fileOf(p)), startLine: 0 }),
          );
          funcIds.set(p, fid);
        }
        lines.push(new Line({ functionId: fid, line: 0 }));
      }
      locations.push(new Location({ id, mappingId: 1, address: nextAddr, line: lines }));
      nextAddr += 0x40;
      locIds.set(frame, id);
      return id;
    };
    const sample = [];
    for (const key of this.order) {
      const values = this.samples.get(key);
      if (values.every((v) => v === 0)) continue;
      const frames = key.split(';');
      const locationId = [];
      for (let i = frames.length - 1; i >= 0; i--) locationId.push(locationFor(frames[i]));
      sample.push(new Sample({ locationId, value: values }));
    }
    const profile = new Profile({
      sampleType,
      sample,
      mapping: [mapping],
      location: locations,
      function: functions,
      stringTable: st,
      timeNanos: this.o.timeNanos,
      durationNanos: this.o.durationNanos ?? 0,
      periodType,
      period: this.o.period,
      comment: this.o.comments.map(s),
      defaultSampleType: this.o.defaultSampleType ? s(this.o.defaultSampleType) : 0,
    });
    return profile.encode();
  }

  /** gzip with a zero mtime so the output is byte-for-byte reproducible. */
  gzip() {
    return gzipSync(this.encode(), { level: 9 });
  }
}

/** Parses a pasted `go tool pprof -top` table (the fixtures under test/fixtures/docs). */
export function parseTopTable(text) {
  const lines = text.split('\n');
  const out = { rows: [], header: {} };
  for (const line of lines) {
    let m = line.match(/^Showing nodes accounting for (\S+), ([\d.]+)% of (\S+) total/);
    if (m) {
      out.header.shown = m[1];
      out.header.shownPct = m[2];
      out.header.total = m[3];
      continue;
    }
    m = line.match(/^Duration: (\S+), Total samples = (\S+) \(\s*([\d.]+)%\)/);
    if (m) {
      out.header.duration = m[1];
      out.header.total = m[2];
      out.header.ratioPct = m[3];
      continue;
    }
    m = line.match(/^Dropped (\d+) nodes \(cum <= (\S+)\)/);
    if (m) {
      out.header.dropped = Number(m[1]);
      continue;
    }
    m = line.match(/^Showing top (\d+) nodes out of (\d+)/);
    if (m) {
      out.header.nodesKept = Number(m[2]);
      continue;
    }
    m = line.match(/^\s*(\S+)\s+(\S+)%\s+(\S+)%\s+(\S+)\s+(\S+)%\s\s(.*)$/);
    if (m && !line.includes('flat%')) {
      const rest = m[6];
      // "name file" — Go names have no spaces, so the first space separates the file.
      const sp = rest.indexOf(' ');
      const name = sp < 0 ? rest : rest.slice(0, sp);
      const file = sp < 0 ? '' : rest.slice(sp + 1);
      out.rows.push({ flat: m[1], flatPct: m[2], sumPct: m[3], cum: m[4], cumPct: m[5], name, file });
    }
  }
  return out;
}

/** Value of a printed quantity ("3.62mins", "7156.71MB", "0") in base units. */
export function parseQuantity(text) {
  if (text === '0') return 0;
  const m = text.match(/^(-?[\d.]+)([a-zA-Z]*)$/);
  if (!m) throw new Error(`cannot parse quantity ${text}`);
  const v = Number(m[1]);
  const unit = {
    '': 1,
    B: 1,
    kB: 1024,
    MB: MiB,
    GB: 1024 * MiB,
    ns: 1e-9,
    us: 1e-6,
    ms: 1e-3,
    s: 1,
    mins: 60,
    hrs: 3600,
  }[m[2]];
  if (unit === undefined) throw new Error(`unknown unit in ${text}`);
  // pprof prints %.2f and strips a trailing ".00": "15MB" means 15.00MB.
  const decimals = m[1].includes('.') || m[2] === '' ? (m[1].split('.')[1] ?? '').length : 2;
  return { value: v, unit, decimals };
}

/**
 * Integer amounts (in `step` base units each) whose printed quantity and printed percentage both
 * read as the table says. Returns the sorted list of candidates.
 */
export function candidates(printed, pct, total, step) {
  if (printed === '0') return [0];
  const q = parseQuantity(printed);
  const half = 0.5 * 10 ** -q.decimals;
  const lo1 = ((q.value - half) * q.unit) / step;
  const hi1 = ((q.value + half) * q.unit) / step;
  const p = Number(pct);
  const ph = pctHalf(pct);
  const lo2 = ((p - ph) / 100) * total;
  const hi2 = ((p + ph) / 100) * total;
  const lo = Math.ceil(Math.max(lo1, lo2) + 1e-9);
  const hi = Math.floor(Math.min(hi1, hi2) - 1e-9);
  const out = [];
  for (let n = lo; n <= hi; n++) out.push(n);
  if (out.length === 0) throw new Error(`no integer fits ${printed} ${pct}% of ${total}`);
  return out;
}

/**
 * Splits `total` into integer parts proportional to `weights` (largest remainder), so that the
 * parts add up exactly.
 */
export function apportion(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) parts[order[k % order.length][1]]++;
  return parts;
}

/**
 * Spreads a sub-tree over several callers. `template` maps a path below the node (''/self for the
 * node's own flat) to its total value; `callers` maps a caller stack to the share it receives.
 * Every template entry and every caller total is reproduced exactly.
 */
export function spreadSubtree(node, template, callers) {
  const paths = Object.keys(template);
  const callerKeys = Object.keys(callers);
  const tTotal = paths.reduce((a, p) => a + template[p], 0);
  const cTotal = callerKeys.reduce((a, c) => a + callers[c], 0);
  if (tTotal !== cTotal) throw new Error(`${node}: template ${tTotal} != callers ${cTotal}`);
  const left = { ...template };
  const out = [];
  callerKeys.forEach((c, ci) => {
    let parts;
    if (ci === callerKeys.length - 1) {
      parts = paths.map((p) => left[p]);
    } else {
      parts = apportion(
        callers[c],
        paths.map((p) => template[p]),
      );
    }
    paths.forEach((p, pi) => {
      left[p] -= parts[pi];
      if (parts[pi] < 0) throw new Error(`${node}: negative share`);
      if (parts[pi] > 0) out.push([`${c};${node}${p ? `;${p}` : ''}`, parts[pi]]);
    });
  });
  return out;
}

/**
 * Picks integer flat/cum values (in `step` base units) for every row of a pasted table so that, given
 * the profile total, `go tool pprof` prints the same flat, flat%, sum%, cum, cum% and "Showing nodes
 * accounting for" figures, and the rows keep their order (flat desc, then name). Returns a map from
 * "name" (or "name file" when the table printed a file) to { flat, cum }.
 */
export function fitRows(table, total, step) {
  const rows = table.rows.map((r) => {
    const fc = candidates(r.flat, r.flatPct, total, step);
    const cc = candidates(r.cum, r.cumPct, total, step);
    const sc = pctCandidates(r.sumPct, total);
    return { ...r, key: r.file ? `${r.name} ${r.file}` : r.name, fc, cc, sc: new Set(sc) };
  });
  const shown = new Set(candidates(table.header.shown, table.header.shownPct, total, step));
  // DP over rows: state (prefix sum, previous flat) -> cost, back pointer.
  let states = new Map([['0|Infinity', { cost: 0, path: [] }]]);
  rows.forEach((r, i) => {
    const next = new Map();
    const center = (r.fc[0] + r.fc[r.fc.length - 1]) / 2;
    for (const [k, st] of states) {
      const [sum, prev] = k.split('|').map(Number);
      for (const f of r.fc) {
        if (f > prev) continue;
        if (i > 0 && f === prev && !(rows[i - 1].key < r.key)) continue;
        const s = sum + f;
        if (!r.sc.has(s)) continue;
        if (i === rows.length - 1 && !shown.has(s)) continue;
        const cost = st.cost + Math.abs(f - center);
        const nk = `${s}|${f}`;
        const old = next.get(nk);
        if (!old || old.cost > cost) next.set(nk, { cost, path: [...st.path, f] });
      }
    }
    if (next.size === 0) throw new Error(`no consistent flat values at row ${i + 1} (${r.key})`);
    states = next;
  });
  let best;
  for (const st of states.values()) if (!best || st.cost < best.cost) best = st;
  const out = {};
  rows.forEach((r, i) => {
    const flat = best.path[i];
    const cc = r.cc.filter((c) => c >= flat);
    if (cc.length === 0) throw new Error(`cum below flat for ${r.key}`);
    // A row printed with cum == flat keeps them equal when the numbers allow it.
    const cum = cc.includes(flat) ? flat : cc[Math.floor((cc.length - 1) / 2)];
    out[r.key] = { flat, cum, name: r.name, file: r.file };
  });
  return out;
}

/** Integers n such that n/total prints as `pct` percent. */
export function pctCandidates(pct, total) {
  const ph = pctHalf(pct);
  const lo = Math.ceil(((Number(pct) - ph) / 100) * total + 1e-9);
  const hi = Math.floor(((Number(pct) + ph) / 100) * total - 1e-9);
  const out = [];
  for (let n = lo; n <= hi; n++) out.push(n);
  return out;
}

/** Half the rounding step of a percentage as pprof prints it (%.2f from 1 up, %.2g below). */
export function pctHalf(pct) {
  const p = Number(pct);
  if (p === 0) return 1e-12;
  if (p >= 1) return 0.005;
  return 0.5 * 10 ** (Math.floor(Math.log10(p)) - 1);
}

/** name -> file as printed in the table (rows without a file are left out). */
export function tableFiles(rows) {
  const out = {};
  for (const r of Object.values(rows)) if (r.file) out[r.name] = r.file;
  return out;
}
