/**
 * Checks the model's invariants (the ones `go tool pprof`'s CheckValid enforces, plus the
 * column-wise layout's own). Importers call it in tests and after building a profile by hand;
 * the pprof decoder enforces the same rules while decoding, so it does not need to.
 *
 * Environment-neutral.
 */
import { FormatError } from '../errors.js';
import type { Profile } from './model.js';

/** Problems found, at most `limit` (default 20); empty when the profile is valid. */
export function validateProfile(p: Profile, limit = 20): string[] {
  const problems: string[] = [];
  const add = (msg: string): boolean => {
    problems.push(msg);
    return problems.length >= limit;
  };
  const s = p.samples;
  const nTypes = p.sampleTypes.length;
  const nLoc = p.locations.length;

  if (s.length > 0 && nTypes === 0 && add('the profile has samples but no sample types')) return problems;
  if (s.values.length !== s.length * nTypes) {
    if (add(`values has ${s.values.length} entries, expected ${s.length} samples × ${nTypes} types`)) return problems;
  }
  if (s.stackStart.length !== s.length + 1) {
    if (add(`stackStart has ${s.stackStart.length} entries, expected ${s.length + 1}`)) return problems;
  } else {
    if (s.stackStart[0] !== 0 && add('stackStart[0] is not 0')) return problems;
    if (s.stackStart[s.length] !== s.stack.length) {
      if (add(`stackStart[${s.length}] is ${s.stackStart[s.length]}, expected stack length ${s.stack.length}`)) {
        return problems;
      }
    }
    for (let i = 0; i < s.length; i++) {
      if (s.stackStart[i + 1]! < s.stackStart[i]! && add(`stackStart decreases at sample #${i + 1}`)) return problems;
    }
  }
  for (let j = 0; j < s.stack.length; j++) {
    if (
      s.stack[j]! >= nLoc &&
      add(`stack entry ${j} is location index ${s.stack[j]}, but there are ${nLoc} locations`)
    ) {
      return problems;
    }
  }
  for (let j = 0; j < s.values.length; j++) {
    if (!Number.isFinite(s.values[j]!) && add(`sample #${Math.floor(j / nTypes) + 1} has a non-finite value`)) {
      return problems;
    }
  }
  if (s.labels) {
    if (s.labels.length !== s.length && add(`labels has ${s.labels.length} entries, expected ${s.length}`))
      return problems;
    for (let i = 0; i < s.labels.length; i++) {
      for (const l of s.labels[i] ?? []) {
        const hasStr = l.str !== undefined;
        const hasNum = l.num !== undefined;
        if (
          hasStr === hasNum &&
          add(`sample #${i + 1} label ${JSON.stringify(l.key)} must have exactly one of str and num`)
        ) {
          return problems;
        }
        if (
          hasNum &&
          !Number.isFinite(l.num!) &&
          add(`sample #${i + 1} label ${JSON.stringify(l.key)} is not finite`)
        ) {
          return problems;
        }
      }
    }
  }

  const checkIds = (kind: string, items: readonly { id: number }[]): boolean => {
    const seen = new Set<number>();
    for (let i = 0; i < items.length; i++) {
      const id = items[i]!.id;
      if (!(id > 0 && Number.isInteger(id)) && add(`${kind} #${i + 1} has invalid id ${id}`)) return true;
      if (seen.has(id) && add(`duplicate ${kind} id ${id}`)) return true;
      seen.add(id);
    }
    return false;
  };
  if (checkIds('mapping', p.mappings) || checkIds('function', p.functions) || checkIds('location', p.locations)) {
    return problems;
  }
  for (let i = 0; i < nLoc; i++) {
    const l = p.locations[i]!;
    if (
      (l.mapping < -1 || l.mapping >= p.mappings.length || !Number.isInteger(l.mapping)) &&
      add(`location #${i + 1} has mapping index ${l.mapping}, but there are ${p.mappings.length} mappings`)
    ) {
      return problems;
    }
    for (const ln of l.lines) {
      if (
        (ln.fn < -1 || ln.fn >= p.functions.length || !Number.isInteger(ln.fn)) &&
        add(`location #${i + 1} has function index ${ln.fn}, but there are ${p.functions.length} functions`)
      ) {
        return problems;
      }
    }
  }
  return problems;
}

/** Throws a `FormatError` listing the first problems when the profile is not valid. */
export function assertValidProfile(p: Profile): void {
  const problems = validateProfile(p, 3);
  if (problems.length > 0) throw new FormatError(`invalid profile: ${problems.join('; ')}`);
}
