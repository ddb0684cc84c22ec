/**
 * Names joined into one text, searched with the engine's native string search instead of a
 * JavaScript loop over every name. A profile has tens of thousands of function names and context
 * inference asks a few dozen questions of them ("the first name starting with runtime.", "every
 * name containing etcd"); one native `indexOf` over the text answers each, where a loop per
 * question made each of those loops hot enough to be compiled by the optimising compiler in a run
 * that lasts a fraction of a second.
 *
 * Semantics are those of the same questions asked of the names in order: matches are mapped back
 * to a name through `starts` (so a name holding a newline cannot fake a boundary), and "first"
 * means the first name in order. Environment-neutral.
 */

/** Names in order, their text joined by newlines, and where each starts (plus the end + 1). */
export interface NameText {
  /** How many names. */
  count: number;
  /** Name i. */
  name(i: number): string;
  text: string;
  /** starts[i] = offset of name i in text; starts[count] = text.length + 1. */
  starts: Int32Array | Uint32Array;
}

/** A NameText over text and starts whose names are sliced from the text when asked for. */
export function sliceNames(text: string, starts: Int32Array | Uint32Array): NameText {
  return {
    count: starts.length - 1,
    name: (i) => text.slice(starts[i]!, starts[i + 1]! - 1),
    text,
    starts,
  };
}

/** Joins `names` (for lists that are not a profile's own; a view keeps its own, see ProfileView). */
export function joinNames(names: readonly string[]): NameText {
  const starts = new Int32Array(names.length + 1);
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    starts[i] = at;
    at += names[i]!.length + 1;
  }
  starts[names.length] = at;
  return { count: names.length, name: (i) => names[i]!, text: names.join('\n'), starts };
}

/** The index of the name that holds offset `at` of the text. */
export function nameAt(starts: Int32Array | Uint32Array, at: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where a name ends in the text (exclusive). */
function endOf(t: NameText, i: number): number {
  return t.starts[i + 1]! - 1;
}

/**
 * The first name (in order) for which `fits(i, at)` holds at an occurrence of `s` at offset `at`
 * inside name i; its index, or -1.
 */
function firstOccurrence(t: NameText, s: string, fits: (i: number, at: number) => boolean): number {
  if (s === '' || t.count === 0) return -1;
  for (let at = t.text.indexOf(s); at >= 0; ) {
    const i = nameAt(t.starts, at);
    if (at + s.length <= endOf(t, i) && fits(i, at)) return i;
    at = t.text.indexOf(s, at + 1);
  }
  return -1;
}

/** The index of the first name equal to `s`, or -1. */
export function firstEqual(t: NameText, s: string): number {
  return firstOccurrence(t, s, (i, at) => at === t.starts[i] && at + s.length === endOf(t, i));
}

/** The index of the first name starting with `prefix`, or -1. */
export function firstWithPrefix(t: NameText, prefix: string): number {
  return firstOccurrence(t, prefix, (i, at) => at === t.starts[i]);
}

/** The index of the first name containing `infix`, or -1. */
export function firstContaining(t: NameText, infix: string): number {
  return firstOccurrence(t, infix, () => true);
}

/**
 * The names containing any of `words` (none holding a newline), in order, each distinct name
 * once — what filtering the distinct names with an alternation of the words gives.
 */
export function namesContainingAny(t: NameText, words: readonly string[]): string[] {
  const hits: number[] = [];
  for (const w of words) {
    for (let at = t.text.indexOf(w); at >= 0; ) {
      const i = nameAt(t.starts, at);
      const end = endOf(t, i);
      if (at + w.length <= end) {
        hits.push(i);
        // The rest of this name cannot add anything.
        at = t.text.indexOf(w, end + 1);
      } else at = t.text.indexOf(w, at + 1);
    }
  }
  return distinctInOrder(t, hits);
}

/**
 * The names `re` matches, in order, each distinct name once. `lineRe` is a global, multiline
 * form of `re` that cannot match across a newline (no `[^…]` or `\s` that takes one): its
 * matches only propose names, `re` decides.
 */
export function namesMatching(t: NameText, re: RegExp, lineRe: RegExp): string[] {
  const hits: number[] = [];
  lineRe.lastIndex = 0;
  for (let m = lineRe.exec(t.text); m !== null; m = lineRe.exec(t.text)) {
    const i = nameAt(t.starts, m.index);
    if (re.test(t.name(i))) hits.push(i);
    lineRe.lastIndex = Math.max(t.starts[i + 1]!, m.index + 1);
  }
  return distinctInOrder(t, hits);
}

function distinctInOrder(t: NameText, hits: number[]): string[] {
  hits.sort((a, b) => a - b);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const i of hits) {
    const n = t.name(i);
    if (seen.has(n)) continue;
    seen.add(n);
    out.push(n);
  }
  return out;
}
