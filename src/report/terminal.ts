/**
 * Terminal helpers for text renderers: whether to colour (only on a TTY; `NO_COLOR` wins,
 * `FORCE_COLOR` forces, `TERM=dumb` never), how wide the terminal is, ANSI styles that are no-ops
 * when colour is off, and width-aware truncation / wrapping (East Asian wide characters count 2
 * columns, combining marks 0; ANSI sequences 0).
 *
 * Environment-neutral: the caller passes the stream and the environment (no `process` here).
 */

/** What the helpers need from an output stream (Node's `process.stdout` fits). */
export interface StreamLike {
  isTTY?: boolean;
  columns?: number;
}

export type Env = Record<string, string | undefined>;

export interface TerminalInfo {
  color: boolean;
  /** Columns to fit; `fallback` (default 100) when the width is unknown. */
  width: number;
}

/**
 * Colour decision, in order: `NO_COLOR` set and non-empty → off (https://no-color.org);
 * `FORCE_COLOR` set and not `0`/`false` → on; `TERM=dumb` → off; otherwise on only for a TTY.
 */
export function useColor(stream: StreamLike, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force.toLowerCase() !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Terminal width: the stream's columns on a TTY, else `COLUMNS`, else `fallback`; at least 40. */
export function terminalWidth(stream: StreamLike, env: Env, fallback = 100): number {
  let w = stream.isTTY && stream.columns ? stream.columns : Number(env.COLUMNS);
  if (!Number.isFinite(w) || w <= 0) w = fallback;
  return Math.max(40, Math.floor(w));
}

export function terminalInfo(stream: StreamLike, env: Env, fallback = 100): TerminalInfo {
  return { color: useColor(stream, env), width: terminalWidth(stream, env, fallback) };
}

// ---------------------------------------------------------------------------------------------
// Styles

export interface Styles {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  cyan(s: string): string;
  /** Colour for a severity: critical red, warning yellow, info blue. */
  severity(sev: 'critical' | 'warning' | 'info', s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);
const id = (s: string) => s;

/** ANSI styles; every function returns its input unchanged when `enabled` is false. */
export function styles(enabled: boolean): Styles {
  const bold = enabled ? sgr(1, 22) : id;
  const dim = enabled ? sgr(2, 22) : id;
  const red = enabled ? sgr(31, 39) : id;
  const yellow = enabled ? sgr(33, 39) : id;
  const green = enabled ? sgr(32, 39) : id;
  const blue = enabled ? sgr(34, 39) : id;
  const cyan = enabled ? sgr(36, 39) : id;
  return {
    enabled,
    bold,
    dim,
    red,
    yellow,
    green,
    blue,
    cyan,
    severity: (sev, s) => (sev === 'critical' ? bold(red(s)) : sev === 'warning' ? yellow(s) : blue(s)),
  };
}

// ---------------------------------------------------------------------------------------------
// Width

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    (cp >= 0x20d0 && cp <= 0x20ff)
  );
}

function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (isZeroWidth(cp)) return 0;
  return isWide(cp) ? 2 : 1;
}

/** Columns `s` takes on a terminal (ANSI sequences excluded). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of stripAnsi(s)) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * Cuts `s` to at most `width` columns, ending with `…` when cut. ANSI sequences are kept (and a
 * reset added after a cut one) so styles do not leak.
 */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  let styled = false;
  let i = 0;
  while (i < s.length) {
    ANSI.lastIndex = i;
    const m = s.charCodeAt(i) === 0x1b ? ANSI.exec(s) : null;
    if (m && m.index === i) {
      out += m[0];
      styled = true;
      i += m[0].length;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const cw = charWidth(cp);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
    i += ch.length;
  }
  ANSI.lastIndex = 0;
  return `${out}…${styled ? '\u001b[0m' : ''}`;
}

/** The longest prefix of `s` (no ANSI) at most `columns` wide; at least one character. */
function prefixColumns(s: string, columns: number): string {
  let w = 0;
  let i = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > columns && i > 0) break;
    w += cw;
    i += ch.length;
  }
  return s.slice(0, i);
}

/** Pads `s` on the right (or left with `alignRight`) to `width` columns. */
export function pad(s: string, width: number, alignRight = false): string {
  const n = width - displayWidth(s);
  if (n <= 0) return s;
  return alignRight ? ' '.repeat(n) + s : s + ' '.repeat(n);
}

/**
 * Word-wraps `text` to `width` columns. Every line starts with `indent`; the first with
 * `firstIndent` when given (for bullets: wrap(text, 80, '   ', ' - ')). Words longer than a line
 * are broken. Whitespace runs collapse.
 */
export function wrap(text: string, width: number, indent = '', firstIndent = indent): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let cur = firstIndent;
  let curW = displayWidth(firstIndent);
  let empty = true;
  const lead = () => (lines.length === 0 ? firstIndent : indent);
  for (let word of words) {
    let ww = displayWidth(word);
    if (!empty && curW + 1 + ww > width) {
      lines.push(cur);
      cur = lead();
      curW = displayWidth(cur);
      empty = true;
    }
    // A word longer than the room on an empty line is broken.
    while (empty && word.length > 0 && curW + ww > width) {
      const head = prefixColumns(word, Math.max(1, width - curW));
      lines.push(cur + head);
      word = word.slice(head.length);
      ww = displayWidth(word);
      cur = lead();
      curW = displayWidth(cur);
    }
    if (word.length === 0) continue;
    cur += (empty ? '' : ' ') + word;
    curW += (empty ? 0 : 1) + ww;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(cur);
  return lines;
}
