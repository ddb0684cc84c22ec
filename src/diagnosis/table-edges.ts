/**
 * `under` on a pasted peek or tree report: those carry who calls whom directly (table.edges), so
 * "A under B" can be checked where B calls A directly. The value on the B → A edges is the part
 * of A that B accounts for (a lower bound: B may also reach A through other functions). When no
 * edge shows B calling A directly, nothing is concluded (B may still be a caller further up), and
 * the condition stays unverified as on any table. Environment-neutral.
 */
import type { PastedTable, Profile } from '../profile/model.js';
import type { CompiledPattern } from './schema.js';

export interface EdgeMeasure {
  flat: number;
  cum: number;
  functions: { name: string; flat: number; cum: number }[];
}

/** A under B from direct edges, in base units (`factor` scales the table's unit); undefined when no edge shows it. */
export function underByEdges(
  t: PastedTable,
  frame: CompiledPattern[],
  under: CompiledPattern[],
  factor: number,
): EdgeMeasure | undefined {
  if (!t.edges || t.edges.length === 0) return undefined;
  const functions: EdgeMeasure['functions'] = [];
  let flat = 0;
  let cum = 0;
  for (const r of t.rows) {
    if (!frame.some((q) => q.regex.test(r.name))) continue;
    let fromB = 0;
    for (const e of t.edges) {
      if (e.callee === r.name && under.some((q) => q.regex.test(e.caller))) fromB += Math.abs(e.value) * factor;
    }
    if (fromB === 0) continue;
    const c = Math.min(fromB, Math.abs(r.cum) * factor);
    const f = Math.min(Math.abs(r.flat) * factor, c);
    functions.push({ name: r.name, flat: f, cum: c });
    flat += f;
    cum = Math.max(cum, c);
  }
  if (functions.length === 0) return undefined;
  functions.sort((a, b) => b.cum - a.cum || b.flat - a.flat);
  return { flat, cum: Math.max(cum, flat), functions };
}

/** Why a profile without stacks gets lower confidence, in the words of its form. */
export function missingStacksWhy(p: Profile): string {
  if (p.table?.edges && p.table.edges.length > 0) {
    return 'a pasted peek/tree report: direct callers and callees only, no whole stacks';
  }
  if (p.table?.forms?.includes('list'))
    return 'a pasted list report: per-function and per-line figures only, no stacks';
  return 'a pasted table: per-function figures only, no stacks';
}
