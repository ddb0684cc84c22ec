/**
 * A pasted report that names no sample type (`go tool pprof -list` prints only `Total: 13.18MB`)
 * cannot tell in-use from allocated space. When the user states the type (`--sample-index
 * alloc_space`), the report is read as that type. Environment-neutral.
 */
import type { Profile } from '../profile/model.js';

export function withStatedSampleType(p: Profile, sampleIndex: string | undefined): Profile {
  if (sampleIndex === undefined || /^\d+$/.test(sampleIndex)) return p;
  if (p.source.hasStacks || !p.table || p.table.sampleType !== undefined) return p;
  return {
    ...p,
    sampleTypes: [{ type: sampleIndex, unit: p.sampleTypes[0]?.unit ?? p.table.unit }],
    defaultSampleType: sampleIndex,
    table: { ...p.table, sampleType: sampleIndex },
    source: {
      ...p.source,
      notes: [...p.source.notes, `The report names no sample type: read as ${sampleIndex}, as stated.`],
    },
  };
}
