/**
 * Issue #13, terminal and ticket injection: a profile with a hostile string in every place a
 * profile has text (function and file names, labels, comments, the mapping), saved under a
 * hostile file name, through every command's text, Markdown and JSON output (the built CLI).
 *
 *  - text: no raw control, bidi or zero-width character (only the newlines of the layout), the
 *    escapes visible, no forged `top` row;
 *  - Markdown: no line terminator inside a line (\r, U+2028/2029, U+0085), every table row has
 *    its columns, no image or link made from a name, names in code spans;
 *  - JSON: the strings exactly as in the profile.
 * The browser side (no script runs) is test/report/hostile-browser.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_STRINGS, hostileProfileSpec, UNSAFE_IN_OUTPUT } from '../../scripts/fuzz/hostile.mjs';
import { encodePprof } from '../../src/profile/encode.js';
import { escapeStrings, escapeText, terminalSafe } from '../../src/report/escape.js';
import { cell, codeSpan, mdText } from '../../src/report/markdown.js';
import { buildProfile } from '../helpers/build-profile.js';
import { cliBuilt, runCli } from './cli.js';

const NAMES = HOSTILE_STRINGS.map((x) => x[1]);

describe('escapeText', () => {
  it('shows every unsafe character as a visible escape, one line, and leaves the rest alone', () => {
    expect(escapeText('a\x1b]0;t\x07b')).toBe('a\\x1b]0;t\\x07b');
    expect(escapeText('x\ny\rz\t')).toBe('x\\ny\\rz\\t');
    expect(escapeText('\u202egnp\u2028\u2029\u200b\ufeff\u061c\u0085\u009b\u007f')).toBe(
      '\\u202egnp\\u2028\\u2029\\u200b\\ufeff\\u061c\\x85\\x9b\\x7f',
    );
    for (const s of ['runtime.mallocgc', 'go.etcd.io/etcd/server/v3.(*EtcdServer).apply', 'π.函数', 'C:\\go\\x.go']) {
      expect(escapeText(s)).toBe(s);
    }
    for (const s of NAMES) expect(escapeText(s)).not.toMatch(/[\n]|[\u0000-\u001f\u007f-\u009f]/);
  });

  it('escapeStrings copies only what changes, keeps typed arrays, and keeps newlines under the multi-line keys', () => {
    const plain = { a: 'x', b: [1, 'y'], c: new Float64Array(2) };
    expect(escapeStrings(plain)).toBe(plain);
    const hostile = { a: 'x\x1b', b: ['ok', 'n\nl'], c: new Float64Array(2), code: 'a\nb\x1b' };
    const out = escapeStrings(hostile, new Set(['code']));
    expect(out).toEqual({ a: 'x\\x1b', b: ['ok', 'n\\nl'], c: hostile.c, code: 'a\nb\\x1b' });
    expect(hostile.a).toBe('x\x1b');
  });

  it('terminalSafe keeps newlines and, with colour, only our own SGR sequences', () => {
    expect(terminalSafe('a\nb\x1b]0;x\x07')).toBe('a\nb\\x1b]0;x\\x07');
    expect(terminalSafe('\x1b[31mred\x1b[0m \x1b]8;;u\x1b\\', true)).toBe('\x1b[31mred\x1b[0m \\x1b]8;;u\\x1b\\');
  });
});

describe('Markdown helpers', () => {
  it('code spans and cells hold no line terminator; text makes no link', () => {
    for (const s of NAMES) {
      const c = cell(codeSpan(s));
      expect(c).not.toMatch(/[\r\n\u2028\u2029\u0085\v\f]/);
      expect(c).not.toMatch(/(?<!\\)\|/);
      const t = cell(mdText(s));
      expect(t).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
      expect(t).not.toMatch(/(?<!\\)(!\[|\]\(|<https?:|https?:\/\/|www\.)/);
    }
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// The file name is hostile too (it is printed in headers and messages).
const FILE = join(tmp, 'cpu\x1b]0;title\x07\u202e.pb.gz');
const BASE = join(tmp, 'base.pb.gz');

/** Every line of a text output: no unsafe character; the hostile names' visible escapes are there. */
function checkText(out: string, what: string): void {
  const bad = out.split('\n').findIndex((l) => UNSAFE_IN_OUTPUT.test(l));
  expect(bad, `${what}: raw unsafe character on line ${bad + 1}: ${JSON.stringify(out.split('\n')[bad])}`).toBe(-1);
  expect(out).not.toMatch(/^\s*99\.99GB/m);
}

/** A line without its code spans (CommonMark: a run of n backticks closes at the next run of exactly n). */
function stripCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`' || (i > 0 && line[i - 1] === '\\')) {
      out += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    const re = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
    re.lastIndex = i + n;
    const m = re.exec(line);
    if (!m) {
      out += line.slice(i, i + n);
      i += n;
      continue;
    }
    i = m.index + n;
  }
  return out;
}

/** Markdown: one line per line, table rows whole, no link or image from a name. */
function checkMarkdown(out: string, what: string): void {
  expect(out, what).not.toMatch(/[\r\u2028\u2029\u0085\v\f]/);
  checkText(out, what);
  // Outside code spans (where everything is literal): no image, link, auto-link or heading.
  const prose = out.split('\n').map(stripCodeSpans).join('\n');
  expect(prose, what).not.toMatch(/(?<!\\)!\[x\]/);
  expect(prose, what).not.toMatch(/(?<!\\)\[link\]\(/);
  expect(prose, what).not.toMatch(/(?<![\\<])https?:\/\/evil|(?<!\\)www\.evil|(?<!\\)@evil/);
  expect(prose, what).not.toMatch(/^#+ Heading/m);
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue;
    // Columns: unescaped pipes outside code spans are what GFM splits on (it splits before code spans).
    const pipes = (l: string) => (l.match(/(?<!\\)\|/g) ?? []).length;
    let start = i;
    while (start > 0 && lines[start - 1]!.startsWith('|')) start--;
    expect(pipes(lines[i]!), `${what}: row ${i + 1}: ${lines[i]}`).toBe(pipes(lines[start]!));
  }
  // Every hostile function name shown is inside a code span.
  for (const line of lines) {
    if (!line.includes('attacker.')) continue;
    const outside = stripCodeSpans(line);
    expect(outside, `${what}: a name outside a code span: ${line}`).not.toMatch(/attacker\./);
  }
}

describe.skipIf(!cliBuilt())('every output of a profile full of hostile strings', () => {
  beforeAll(() => {
    writeFileSync(FILE, gzipSync(encodePprof(buildProfile(hostileProfileSpec() as never))));
    const base = hostileProfileSpec();
    base.samples = base.samples.slice(0, 5).map((s) => ({ ...s, values: s.values.map((v) => v * 2) }));
    writeFileSync(BASE, gzipSync(encodePprof(buildProfile(base as never))));
  });

  it('top: text has every escape visible and one row per function (no forged row)', async () => {
    const r = await runCli(['top', FILE, '--nodecount', '100']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    checkText(r.stdout, 'top');
    expect(r.stdout).toContain('attacker.Title\\x1b]0;pwned\\x07');
    expect(r.stdout).toContain('attacker.Bidi\\u202egnp.exe\\u202c');
    expect(r.stdout).toContain('attacker.NL\\n    99.99GB');
    expect(r.stdout).toContain('attacker.Tab\\tX');
    const rows = r.stdout.split('\n').filter((l) => /^\s+\S+\s+\S+%\s+\S+%\s+\S+\s+\S+%\s{2}\S/.test(l));
    expect(rows).toHaveLength(NAMES.length + 2); // + main.main, runtime.main
  });

  it('top --format markdown: one row per function, nothing structural from a name', async () => {
    const r = await runCli(['top', FILE, '--format', 'markdown', '--nodecount', '100']);
    expect(r.code).toBe(0);
    checkMarkdown(r.stdout, 'top markdown');
    const rows = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| flat') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(NAMES.length + 2);
  });

  it('top --format json: the names exactly as in the profile', async () => {
    const r = await runCli(['top', FILE, '--format', 'json', '--nodecount', '100']);
    expect(r.code).toBe(0);
    const names = JSON.stringify(JSON.parse(r.stdout));
    for (const s of NAMES) expect(names).toContain(JSON.stringify(s).slice(1, -1));
  });

  it('traces and peek: text', async () => {
    const t = await runCli(['traces', FILE]);
    expect(t.code).toBe(0);
    checkText(t.stdout, 'traces');
    expect(t.stdout).toContain('attacker.CR\\roverwritten');
    const p = await runCli(['peek', FILE, 'attacker']);
    expect(p.code).toBe(0);
    checkText(p.stdout, 'peek');
  });

  it.each(['text', 'markdown'])('analyze --format %s', async (format) => {
    const r = await runCli(['analyze', FILE, '--format', format, '--nodecount', '100']);
    expect(r.code, r.stderr).toBe(0);
    if (format === 'markdown') checkMarkdown(r.stdout, 'analyze markdown');
    else checkText(r.stdout, 'analyze text');
    expect(r.stdout).toMatch(/attacker\.Clip\\x1b\]52/);
  });

  it('analyze --format json keeps the strings as they are', async () => {
    const r = await runCli(['analyze', FILE, '--format', 'json', '--nodecount', '100']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(JSON.stringify(NAMES[0]).slice(1, -1));
  });

  it.each(['text', 'markdown'])('diff --format %s', async (format) => {
    const r = await runCli(['diff', BASE, FILE, '--format', format]);
    expect(r.code, r.stderr).toBe(0);
    if (format === 'markdown') checkMarkdown(r.stdout, 'diff markdown');
    else checkText(r.stdout, 'diff text');
  });

  it('an error message naming a hostile file is one line with the escapes visible', async () => {
    const r = await runCli(['top', join(tmp, 'missing\x1b]0;x\x07\n\u202e.pb')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toContain('missing\\x1b]0;x\\x07\\n\\u202e.pb: no such file');
    checkText(r.stderr, 'stderr');
  });
});
