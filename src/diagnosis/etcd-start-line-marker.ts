/**
 * The etcd release from the start lines of etcd's functions. A Go 1.20+ build writes into every
 * profile the line each function's `func` declaration starts on (Function.start_line); etcd's
 * server.go, v3_server.go, … change in almost every patch release, so the start lines of a few
 * functions pin the release their source came from. The table (etcd-start-lines.ts) is generated
 * from etcd's tags by scripts/versions/etcd-start-lines.mjs.
 *
 * Honest by construction:
 *  - a start line of 0 (Go ≤ 1.19, text formats) says nothing;
 *  - one function whose start line matches no release in the table (a distribution's patch, a
 *    release newer than the table) disables the whole inference, with a note: the build is not one
 *    of the known sources;
 *  - the newest release of each release line in the table stays open to later patch releases of
 *    that line (and the newest line to later ones), which the table cannot know.
 * Environment-neutral.
 */
import { ETCD_RELEASES, ETCD_START_LINES } from './etcd-start-lines.js';

export interface StartLineFunction {
  /** Logical function name (etcd-function-markers.ts logicalFunction). */
  logical: string;
  /** As the profile spells it, for the evidence. */
  name: string;
  /** The source file the profile names for it. */
  file: string;
  startLine: number;
}

export interface StartLineResult {
  /** The releases every consistent source file allows, when at least one file is. */
  range?: string;
  why?: string;
  /** The most telling function and its line. */
  example?: string;
  /** Files whose start lines are in no release (patched, or newer than the table), or a disagreement. */
  note?: string;
}

let parsed: Map<string, [line: number, from: number, to: number][]> | undefined;
function table(): Map<string, [number, number, number][]> {
  if (parsed) return parsed;
  parsed = new Map();
  for (const [fn, runs] of Object.entries(ETCD_START_LINES)) {
    parsed.set(
      fn,
      runs.split(',').map((r) => {
        const [line, span] = r.split(':') as [string, string];
        const [from, to] = span.split('-').map(Number) as [number, number];
        return [Number(line), from, to];
      }),
    );
  }
  return parsed;
}

/** True when the table lists this function (cheap check before collecting start lines). */
export function hasStartLines(logical: string): boolean {
  return Object.hasOwn(ETCD_START_LINES, logical);
}

const lineOf = (v: string) => v.split('.').slice(0, 2).join('.');

/** A set of release indices as a semver range, open after the newest known release of a line. */
function indicesToRange(set: boolean[]): string {
  const parts: string[] = [];
  const last = ETCD_RELEASES.length - 1;
  for (let i = 0; i <= last; ) {
    if (!set[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < last && set[j + 1]) j++;
    const lo = ETCD_RELEASES[i]!;
    const end = ETCD_RELEASES[j]!;
    const next = j < last ? ETCD_RELEASES[j + 1]! : undefined;
    let hi: string | undefined;
    if (next && lineOf(next) === lineOf(end)) hi = next;
    else if (next) {
      // the newest release of its line in the table: later patch releases of that line may share it
      const [maj, min] = end.split('.').map(Number) as [number, number];
      hi = `${maj}.${min + 1}.0`;
    }
    parts.push(hi ? `>=${lo} <${hi}` : `>=${lo}`);
    i = j + 1;
  }
  return parts.join(' || ');
}

const and = (a: boolean[] | undefined, b: boolean[]) => (a ? a.map((x, i) => x && b[i]!) : b);

/**
 * The releases whose sources have all these start lines. Functions are judged by source file: a
 * file with a function whose start line is in no release (a distribution's patch shifts every
 * function below it), or whose functions agree on no release, is left out and named in the note.
 */
export function startLineRange(fns: readonly StartLineFunction[]): StartLineResult | null {
  const t = table();
  // file → function → its entries (an inlined closure can add an entry with the closure's line)
  const byFile = new Map<string, Map<string, StartLineFunction[]>>();
  for (const f of fns) {
    if (f.startLine <= 0 || !t.has(f.logical)) continue;
    const inFile = byFile.get(f.file) ?? new Map<string, StartLineFunction[]>();
    byFile.set(f.file, inFile);
    const entries = inFile.get(f.logical);
    if (entries) entries.push(f);
    else inFile.set(f.logical, [f]);
  }
  if (byFile.size === 0) return null;
  const fileSets: { file: string; set: boolean[]; functions: number; example: { f: StartLineFunction; n: number } }[] =
    [];
  const dropped: string[] = [];
  for (const [file, inFile] of byFile) {
    let fileSet: boolean[] | undefined;
    let fileExample: { f: StartLineFunction; n: number } | undefined;
    for (const [logical, entries] of inFile) {
      // the releases in which one of the function's entries is its declaration line
      const set: boolean[] = new Array(ETCD_RELEASES.length).fill(false);
      let n = 0;
      let matched: StartLineFunction | undefined;
      for (const [line, from, to] of t.get(logical)!) {
        const e = entries.find((x) => x.startLine === line);
        if (!e) continue;
        matched ??= e;
        for (let i = from; i <= to; i++) set[i] = true;
        n += to - from + 1;
      }
      fileSet = and(fileSet, set);
      if (matched && (!fileExample || n < fileExample.n)) fileExample = { f: matched, n };
    }
    if (!fileSet?.some(Boolean) || !fileExample) {
      dropped.push(file);
      continue;
    }
    fileSets.push({ file, set: fileSet, functions: inFile.size, example: fileExample });
  }
  const span = `${ETCD_RELEASES[0]} – ${ETCD_RELEASES[ETCD_RELEASES.length - 1]}`;
  const list = (files: string[]) =>
    files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  const notes: string[] = [];
  if (dropped.length)
    notes.push(`start lines in ${list(dropped)} match no etcd release ${span} (a patched or newer build): not used`);
  if (fileSets.length === 0) return notes.length ? { note: notes.join('; ') } : null;
  // The releases the most files allow. A patched file can match another release by chance: when
  // nearly every file agrees (≥ 3 files and ≥ 3/4 of them), the few that do not are left out.
  const counts = ETCD_RELEASES.map((_, i) => fileSets.filter((x) => x.set[i]).length);
  const best = Math.max(...counts);
  if (best < fileSets.length && !(best >= 3 && best >= 0.75 * fileSets.length)) {
    notes.push(`the start lines of etcd functions in ${fileSets.length} source files agree on no release: not used`);
    return { note: notes.join('; ') };
  }
  const all = counts.map((c) => c === best);
  const used = fileSets.filter((x) => all.every((v, i) => !v || x.set[i]));
  const odd = fileSets.filter((x) => !used.includes(x)).map((x) => x.file);
  if (odd.length) notes.push(`start lines in ${list(odd)} point to other releases (a patched file?): left out`);
  const example = used.map((x) => x.example).sort((a, b) => a.n - b.n)[0]!;
  return {
    range: indicesToRange(all),
    why: `start lines of ${used.reduce((n, x) => n + x.functions, 0)} etcd function(s) in ${used.length} source file(s), as Go 1.20+ records them, compared with every etcd release ${span}`,
    example: `${example.f.name} at line ${example.f.startLine}`,
    note: notes.length ? notes.join('; ') : undefined,
  };
}
