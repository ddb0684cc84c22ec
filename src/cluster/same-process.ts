/**
 * Profiles given as one process must be one: two different build IDs of the main binary mean two
 * programs (or two builds), whose samples must not be added up. Pure code.
 */
import type { Profile } from '../profile/model.js';

/** A one-line reason to refuse the inputs as one process, or undefined. */
export function differentProcesses(inputs: readonly { name: string; profile: Profile }[]): string | undefined {
  const seen = new Map<string, string>();
  for (const i of inputs) {
    const id = i.profile.mappings[0]?.buildId;
    if (!id) continue;
    if (!seen.has(id)) seen.set(id, i.name);
  }
  if (seen.size < 2) return undefined;
  const [[idA, a], [idB, b]] = [...seen.entries()] as [[string, string], [string, string]];
  const short = (s: string) => (s.length > 16 ? `${s.slice(0, 16)}…` : s);
  return `${a} and ${b} come from different programs (build IDs ${short(idA)} and ${short(idB)}); analyse each process apart, or give a collect bundle to compare members`;
}
