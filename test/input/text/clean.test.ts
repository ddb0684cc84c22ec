/**
 * The cleaning pass (src/input/text/clean.ts) on classes of pastes found by generating the paste
 * corpus with other seeds: each is built here from a real runtime text and must read as the text
 * itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanPaste } from '../../../src/input/text/clean.js';
import { parseTextProfile } from '../../../src/input/text/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const text = (p: string) => readFileSync(join(root, p), 'utf8');
const HEAP = text('samples/etcd-3.4.23/many-watchers/heap.debug1.txt');
const DUMP = text('samples/etcd-3.4.23/many-watchers/goroutine.debug2.txt');

/** Hard-wraps every line at `w` characters, as a terminal or a mail client does. */
const wrapAt = (t: string, w: number) =>
  t
    .split('\n')
    .map((l) => {
      const parts: string[] = [];
      for (let i = 0; i < l.length; i += w) parts.push(l.slice(i, i + w));
      return parts.length ? parts.join('\n') : l;
    })
    .join('\n');

function sameAs(a: string, b: string) {
  const p = parseTextProfile(a)!;
  const q = parseTextProfile(b)!;
  expect(p.source.format).toBe(q.source.format);
  expect(p.samples.length).toBe(q.samples.length);
  expect(Array.from(p.samples.values)).toEqual(Array.from(q.samples.values));
}

describe('log prefixes', () => {
  it('found when the first logged line is a blank one (the prefix and nothing after it)', () => {
    // A dump cut at a blank line between goroutines: its first line is the prefix alone.
    const lines = DUMP.split('\n');
    const from = lines.indexOf('', 10);
    const part = lines.slice(from).join('\n');
    const logged = part
      .split('\n')
      .map((l) => `Apr 26 03:38:09 node-3 etcd[320606]: ${l}`)
      .join('\n');
    const c = cleanPaste(logged);
    expect(c.lines.slice(0, 3)).toEqual(part.split('\n').slice(0, 3));
    expect(c.notes.join(' ')).toContain('"Apr 26 03:38:09 node-3 etcd[320606]:"');
    sameAs(logged, part);
  });

  it('stacked prefixes longer than eight words, an inner time the same on every line', () => {
    const lines = HEAP.split('\n').slice(0, 60);
    const logged = lines
      .map(
        (l, i) =>
          `E0426 18:18:${String(10 + (i % 40))}.803717       1 stackdump.go:481] Apr 26 01:40:18 node-3 etcd[364838]: ${l}`,
      )
      .join('\n');
    expect(cleanPaste(logged).lines).toEqual(lines);
  });
});

describe('hard wraps', () => {
  it('a debug=1 record line exactly twice the width is not joined to the frame after it', () => {
    // Frame lines start `#\t0x…`: their addresses differ, their shape does not.
    const lines = HEAP.split('\n');
    const rec = lines.findIndex((l) => /^\d+: \d+ \[\d+: \d+\] @ /.test(l) && l.length > 90 && l.length % 2 === 0);
    expect(rec).toBeGreaterThan(0);
    const w = lines[rec]!.length / 2;
    expect(Number.isInteger(w)).toBe(true);
    const c = cleanPaste(wrapAt(HEAP, w));
    expect(c.unwrapped).toBe(true);
    expect(c.lines[rec]).toBe(lines[rec]);
    expect(c.lines[rec + 1]).toBe(lines[rec + 1]);
    sameAs(wrapAt(HEAP, w), HEAP);
  });

  it('quoted, then wrapped (continuations without a quote marker), and wrapped, then quoted', () => {
    const quote = (t: string) =>
      t
        .split('\n')
        .map((l) => (l === '' ? '>' : `> ${l}`))
        .join('\n');
    const quotedThenWrapped = wrapAt(quote(HEAP), 100);
    expect(quotedThenWrapped.split('\n').some((l) => l.length > 0 && !l.startsWith('>'))).toBe(true);
    sameAs(quotedThenWrapped, HEAP);
    sameAs(quote(wrapAt(HEAP, 100)), HEAP);
  });

  it('quote markers escaped as HTML entities (`&gt; `) on a saved page', () => {
    const quoted = HEAP.split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    const page = `<pre>${quoted.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre>\n`;
    sameAs(page, HEAP);
  });
});
