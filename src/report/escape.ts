/**
 * The one escaping rule for text that reaches a terminal (every text report, every warning and
 * error message). Names, labels, comments, file names, rule strings and server text are
 * untrusted: a function name may hold an OSC sequence that retitles the window or writes the
 * clipboard, a CR that overwrites the line, a newline that forges a row of `top`, or a bidi
 * override that reverses what follows. Such characters are shown as visible escapes (`\x1b`,
 * `\r`, `\n`, `\u202e`); every other character, and so every ordinary Go symbol, is unchanged
 * (the `top` text stays byte-identical to `go tool pprof` for them). JSON output is not escaped
 * here: JSON.stringify already writes these characters as escapes.
 *
 * Characters escaped: C0 controls (U+0000–001F, tab and newline included), DEL and the C1
 * controls (U+007F–009F), the Arabic letter mark (U+061C), zero-width and direction marks
 * (U+200B–200F), line and paragraph separators and bidi embeddings/overrides (U+2028–202E), word
 * joiner, invisible operators and bidi isolates (U+2060–2069), and the BOM / zero-width no-break
 * space (U+FEFF).
 *
 * Environment-neutral.
 */

/** Every character this module escapes (global; reset lastIndex or use with replace only). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** The same, without the newline (multi-line text such as a rule's code example). */
const UNSAFE_BUT_NEWLINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const TEST = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** True when `s` holds a character that `escapeText` would change. */
export function needsEscape(s: string): boolean {
  return TEST.test(s);
}

/** `s` with every unsafe character (newline included) as a visible escape: always one line. */
export function escapeText(s: string): string {
  return TEST.test(s) ? s.replace(UNSAFE, visible) : s;
}

/** As `escapeText`, but newlines are kept (for text that is meant to span lines). */
export function escapeTextKeepNewlines(s: string): string {
  return TEST.test(s) ? s.replace(UNSAFE_BUT_NEWLINE, visible) : s;
}

/**
 * A copy of `value` in which every string of its plain objects and arrays is escaped with
 * `escapeText` (or `escapeTextKeepNewlines` under a key named in `multiline`). Copies only what
 * changes: a report without a hostile string comes back as the same object. Typed arrays, maps
 * and class instances are kept as they are. For renderers: `formatX(escapeStrings(report))`.
 */
export function escapeStrings<T>(value: T, multiline: ReadonlySet<string> = NO_KEYS): T {
  return walk(value, false, multiline, 0) as T;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** Keys of report strings written to span lines: a remediation's `code` and `command`. */
export const MULTILINE_KEYS: ReadonlySet<string> = new Set(['code', 'command']);

function walk(v: unknown, keepNewlines: boolean, multiline: ReadonlySet<string>, depth: number): unknown {
  if (typeof v === 'string') return keepNewlines ? escapeTextKeepNewlines(v) : escapeText(v);
  if (v === null || typeof v !== 'object' || depth > 200) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      const y = walk(x, keepNewlines, multiline, depth + 1);
      if (y !== x) {
        out ??= v.slice();
        out[i] = y;
      }
    }
    return out ?? v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  let out: Record<string, unknown> | undefined;
  const obj = v as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const desc = Object.getOwnPropertyDescriptor(obj, key);
    if (!desc || !('value' in desc)) continue; // accessors (lazy columns) are left alone
    const x = desc.value;
    const y = walk(x, keepNewlines || multiline.has(key), multiline, depth + 1);
    if (y !== x) {
      out ??= { ...obj };
      out[key] = y;
    }
  }
  return out ?? v;
}

/** The SGR (colour) sequences this tool writes itself. */
const SGR = /\x1b\[[0-9;]*m/y;

/**
 * The last line of defence for a text written to a terminal: every unsafe character but the
 * newline is escaped, and with `color` the tool's own SGR colour sequences are kept. Renderers
 * escape each untrusted string first (`escapeStrings`), so a name never brings a newline here.
 */
export function terminalSafe(text: string, color = false): string {
  if (!TEST.test(text)) return text;
  if (!color) return text.replace(UNSAFE_BUT_NEWLINE, visible);
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) continue;
    const ch = text[i]!;
    if (!TEST.test(ch)) continue;
    if (c === 0x1b) {
      SGR.lastIndex = i;
      const m = SGR.exec(text);
      if (m) {
        i += m[0].length - 1;
        continue;
      }
    }
    out += text.slice(last, i) + visible(ch);
    last = i + 1;
  }
  return out + text.slice(last);
}
