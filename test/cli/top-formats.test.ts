/**
 * `top --format markdown|html` and `-o`: Markdown rows carry exactly the numbers of pprof's text
 * layout; the HTML page is self-contained and holds the flame graph and top table; -o is safe.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';

const heap = 'samples/etcd-3.4.23/idle/heap.pb.gz';
const ROW = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+) {2}(.*)$/;

describe('top formats', () => {
  beforeAll(() => ensureBuilt());

  it('markdown: one table row per text row, same numbers and names', () => {
    const text = runCli(['top', heap, '--nodecount', '8']);
    const md = runCli(['top', heap, '--nodecount', '8', '--format', 'markdown']);
    expect(text.code).toBe(0);
    expect(md.code).toBe(0);
    const textRows = text.stdout
      .split('\n')
      .slice(text.stdout.split('\n').findIndex((l) => /^\s+flat\s+flat%/.test(l)) + 1)
      .map((l) => ROW.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    const mdRows = md.stdout
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| flat') && !l.startsWith('| ---'));
    expect(textRows.length).toBe(8);
    expect(mdRows.length).toBe(textRows.length);
    textRows.forEach((m, i) => {
      const cells = mdRows[i]!.split(' | ');
      expect(cells[0]).toBe(`| ${m[1]}`);
      expect(cells.slice(1, 5)).toEqual([m[2], m[3], m[4], m[5]]);
      expect(mdRows[i]).toContain(m[6]!.replace(/\|/g, '\\|'));
    });
    expect(md.stdout).toContain('- Type: `inuse_space`');
  });

  it('html: one offline page with the flame graph and the top table', () => {
    const r = runCli(['top', heap, '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!DOCTYPE html>') || r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout).toContain('Flame graph');
    expect(r.stdout).toContain('zapcore.newCounters');
    expect(r.stdout).toContain('No rules were evaluated');
    expect(r.stdout).not.toContain('0 rules evaluated');
    expect(r.stdout).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']https?:/i);
  });

  it('-o writes the file, refuses an existing one without --force and never the input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-top-o-'));
    const out = join(dir, 'top.md');
    expect(runCli(['top', heap, '--format', 'markdown', '-o', out]).code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const again = runCli(['top', heap, '--format', 'markdown', '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(runCli(['top', heap, '--format', 'markdown', '-o', out, '--force']).code).toBe(0);
    const input = join(dir, 'in.pb.gz');
    writeFileSync(input, readFileSync(join(__dirname, '..', '..', heap)));
    const before = readFileSync(input);
    const onInput = runCli(['top', input, '-o', input, '--force']);
    expect(onInput.code).toBe(2);
    expect(readFileSync(input).equals(before)).toBe(true);
  });
});
