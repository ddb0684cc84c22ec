/**
 * Reading Go's `%q` strings (strconv.Quote), as printed in `# labels: {"k":"v", …}` lines of
 * goroutine profiles. JSON.parse is not enough: Go also writes `\x..`, `\a`, `\v`, `\U........`
 * and octal escapes. Environment-neutral (TextDecoder is available in browsers and Node).
 */

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };

/**
 * Reads one Go double-quoted string starting at `s[pos]` (which must be `"`). Returns the value and
 * the index after the closing quote, or `undefined` when the text is not a valid quoted string.
 */
export function readGoQuoted(s: string, pos: number): { value: string; end: number } | undefined {
  if (s[pos] !== '"') return undefined;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  let i = pos + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') return { value: new TextDecoder().decode(Uint8Array.from(bytes)), end: i + 1 };
    if (c !== '\\') {
      // Copy a run of plain characters at once.
      let j = i;
      while (j < s.length && s[j] !== '"' && s[j] !== '\\') j++;
      for (const x of enc.encode(s.slice(i, j))) bytes.push(x);
      i = j;
      continue;
    }
    const e = s[i + 1];
    if (e === undefined) return undefined;
    if (e in SIMPLE) {
      bytes.push(SIMPLE[e]!);
      i += 2;
    } else if (e === 'x') {
      const h = s.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return undefined;
      bytes.push(Number.parseInt(h, 16));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const h = s.slice(i + 2, i + 2 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
      const cp = Number.parseInt(h, 16);
      if (cp > 0x10ffff) return undefined;
      for (const x of enc.encode(String.fromCodePoint(cp))) bytes.push(x);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const o = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(o)) return undefined;
      const v = Number.parseInt(o, 8);
      if (v > 255) return undefined;
      bytes.push(v);
      i += 4;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Parses a label set as printed by runtime/pprof's `labelMap.String()`: `{"k":"v", "k2":"v2"}`.
 * Returns `undefined` when the text is not one.
 */
export function parseGoLabelSet(s: string): [string, string][] | undefined {
  s = s.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) return undefined;
  const out: [string, string][] = [];
  let i = 1;
  const skipSpace = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  skipSpace();
  if (s[i] === '}') return i === s.length - 1 ? out : undefined;
  for (;;) {
    skipSpace();
    const k = readGoQuoted(s, i);
    if (!k) return undefined;
    i = k.end;
    skipSpace();
    if (s[i] !== ':') return undefined;
    i++;
    skipSpace();
    const v = readGoQuoted(s, i);
    if (!v) return undefined;
    i = v.end;
    out.push([k.value, v.value]);
    skipSpace();
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] === '}' && i === s.length - 1) return out;
    return undefined;
  }
}
