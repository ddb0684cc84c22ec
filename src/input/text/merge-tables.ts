/**
 * Several reports in one paste — a `top` table followed by a `list` of its hottest function, a
 * `peek` under a `top` — read into one profile: one pasted table whose rows are the union of the
 * reports' rows (the first report that shows a function gives its figures: a top table's are the
 * most precise), with the peek's edges and the list's hot lines. Reports in another unit than the
 * first are left out, with a note. Environment-neutral.
 */
import type { PastedTable, Profile, TextLack } from '../../profile/model.js';

export function mergeTables(parts: Profile[]): Profile {
  const base = parts[0]!;
  if (parts.length === 1) return base;
  const t = base.table!;
  const rows = [...t.rows];
  const seen = new Set(rows.map((r) => r.name));
  const edges = [...(t.edges ?? [])];
  const hot = [...(t.lines ?? [])];
  const forms: NonNullable<PastedTable['forms']> = [...(t.forms ?? ['top'])];
  const notes = [...base.source.notes];
  const used: Profile[] = [base];
  for (const p of parts.slice(1)) {
    const pt = p.table!;
    const what = (pt.forms ?? ['top']).join('/');
    if (pt.unit !== t.unit) {
      notes.push(`The paste also holds a ${what} report in ${pt.unit} (the first is in ${t.unit}); it was not read.`);
      continue;
    }
    used.push(p);
    for (const r of pt.rows) {
      if (seen.has(r.name)) continue;
      seen.add(r.name);
      rows.push(r);
    }
    edges.push(...(pt.edges ?? []));
    hot.push(...(pt.lines ?? []));
    forms.push(...(pt.forms ?? ['top']));
    notes.push(...p.source.notes);
    if (t.total === undefined && pt.total !== undefined) {
      t.total = pt.total;
      t.totalSource = pt.totalSource;
    }
    t.sampleType ??= pt.sampleType;
    for (const h of pt.header) if (!t.header.includes(h) && t.header.length < 30) t.header.push(h);
  }
  if (used.length > 1) notes.unshift(`The paste holds ${used.length} reports (${forms.join(', ')}), read together.`);
  t.rows = rows;
  if (edges.length > 0) t.edges = edges;
  if (hot.length > 0) t.lines = hot;
  t.forms = forms;
  // What none of the reports carries; full stacks are missing from every table, and direct callers
  // are there when any report had edges.
  const lacks = new Set<TextLack>(used[0]!.source.lacks ?? []);
  for (const p of used.slice(1)) for (const l of lacks) if (!(p.source.lacks ?? []).includes(l)) lacks.delete(l);
  lacks.delete('stacks');
  lacks.delete('deep-stacks');
  lacks.add(edges.length > 0 ? 'deep-stacks' : 'stacks');
  if (t.sampleType && base.sampleTypes[0]?.type === 'unknown') {
    base.sampleTypes = [{ type: t.sampleType, unit: base.sampleTypes[0]!.unit }];
    base.defaultSampleType = t.sampleType;
  }
  base.source = { ...base.source, notes, lacks: [...lacks], truncated: used.some((p) => p.source.truncated) };
  return base;
}
