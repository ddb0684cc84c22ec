/** Test helpers for the text importers: fixture loading and pprof-style flat/cum per function. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { decodePprof } from '../../../src/input/pprof/index.js';
import { parseTextProfile } from '../../../src/input/text/index.js';
import type { Profile } from '../../../src/profile/model.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '../../fixtures/text');

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

/** Parses a text fixture; fails the test when it is not recognised. */
export function parseFixture(rel: string): Profile {
  const p = parseTextProfile(fixtureText(rel));
  if (!p) throw new Error(`${rel}: not recognised`);
  return p;
}

export function loadProto(rel: string): Profile {
  return decodePprof(new Uint8Array(gunzipSync(readFileSync(join(FIXTURES, rel)))));
}

export interface FlatCum {
  flat: number;
  cum: number;
}

/**
 * pprof's per-function numbers at the default `functions` granularity: flat goes to the innermost
 * line of the leaf location, cum to every function on the stack once per sample (recursion is not
 * counted twice). Samples for which `skip` returns true are left out.
 */
export function flatCum(p: Profile, typeIndex: number, skip?: (names: string[]) => boolean): Map<string, FlatCum> {
  const out = new Map<string, FlatCum>();
  const n = p.sampleTypes.length;
  const s = p.samples;
  for (let i = 0; i < s.length; i++) {
    const v = s.values[i * n + typeIndex]!;
    const names: string[] = [];
    for (let k = s.stackStart[i]!; k < s.stackStart[i + 1]!; k++) {
      const loc = p.locations[s.stack[k]!]!;
      if (loc.lines.length === 0) names.push(`0x${loc.address.toString(16)}`);
      for (const line of loc.lines) names.push(line.fn >= 0 ? p.functions[line.fn]!.name : '?');
    }
    if (skip?.(names)) continue;
    const seen = new Set<string>();
    names.forEach((name, k) => {
      let e = out.get(name);
      if (!e) {
        e = { flat: 0, cum: 0 };
        out.set(name, e);
      }
      if (k === 0) e.flat += v;
      if (!seen.has(name)) {
        seen.add(name);
        e.cum += v;
      }
    });
  }
  return out;
}

/** Sum of one sample type over all samples (pprof's total without filters). */
export function total(p: Profile, typeIndex: number, skip?: (names: string[]) => boolean): number {
  let t = 0;
  const n = p.sampleTypes.length;
  for (let i = 0; i < p.samples.length; i++) {
    if (skip) {
      const names: string[] = [];
      for (let k = p.samples.stackStart[i]!; k < p.samples.stackStart[i + 1]!; k++) {
        for (const line of p.locations[p.samples.stack[k]!]!.lines) names.push(p.functions[line.fn]!.name);
      }
      if (skip(names)) continue;
    }
    t += p.samples.values[i * n + typeIndex]!;
  }
  return t;
}

/** Map → plain sorted object, for readable assertion diffs. */
export function asObject(m: Map<string, FlatCum>): Record<string, FlatCum> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
