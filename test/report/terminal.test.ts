import { describe, expect, it } from 'vitest';
import {
  displayWidth,
  pad,
  stripAnsi,
  styles,
  terminalInfo,
  terminalWidth,
  truncate,
  useColor,
  wrap,
} from '../../src/report/terminal.js';

const tty = { isTTY: true, columns: 132 };
const pipe = { isTTY: false };

describe('colour decision', () => {
  it('colours only a TTY', () => {
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
  });

  it('honours NO_COLOR (non-empty), FORCE_COLOR and TERM=dumb', () => {
    expect(useColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(useColor(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColor(tty, { FORCE_COLOR: 'false' })).toBe(true);
    expect(useColor(tty, { TERM: 'dumb' })).toBe(false);
  });
});

describe('terminal width', () => {
  it('uses the TTY columns, else COLUMNS, else the fallback, never under 40', () => {
    expect(terminalWidth(tty, { COLUMNS: '80' })).toBe(132);
    expect(terminalWidth(pipe, { COLUMNS: '90' })).toBe(90);
    expect(terminalWidth(pipe, {})).toBe(100);
    expect(terminalWidth(pipe, {}, 120)).toBe(120);
    expect(terminalWidth({ isTTY: true, columns: 20 }, {})).toBe(40);
    expect(terminalWidth(pipe, { COLUMNS: 'wide' })).toBe(100);
    expect(terminalInfo(tty, { NO_COLOR: 'x' })).toEqual({ color: false, width: 132 });
  });
});

describe('styles', () => {
  it('are no-ops without colour', () => {
    const s = styles(false);
    expect(s.bold('x') + s.red('y') + s.severity('critical', 'z')).toBe('xyz');
  });

  it('wrap text in SGR codes with colour', () => {
    const s = styles(true);
    expect(s.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(s.severity('critical', 'x')).toBe('\u001b[1m\u001b[31mx\u001b[39m\u001b[22m');
    expect(stripAnsi(s.severity('warning', 'w'))).toBe('w');
    expect(s.bold('')).toBe('');
  });
});

describe('width-aware text', () => {
  it('measures columns: wide characters 2, combining marks and ANSI 0', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('漢字')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth(styles(true).red('abc'))).toBe(3);
  });

  it('truncates to a width with an ellipsis, keeping ANSI balanced', () => {
    expect(truncate('go.etcd.io/etcd/mvcc.(*watchableStore).watch', 20)).toBe('go.etcd.io/etcd/mvc…');
    expect(displayWidth(truncate('漢字漢字漢字', 5))).toBeLessThanOrEqual(5);
    expect(truncate('short', 10)).toBe('short');
    const t = truncate(styles(true).red('abcdefghij'), 5);
    expect(stripAnsi(t)).toBe('abcd…');
    expect(t.endsWith('\u001b[0m')).toBe(true);
  });

  it('pads by columns', () => {
    expect(pad('漢', 4)).toBe('漢  ');
    expect(pad('ab', 4, true)).toBe('  ab');
    expect(pad('abcdef', 4)).toBe('abcdef');
  });

  it('wraps words to the width with indents, breaking overlong words', () => {
    const lines = wrap('the quick brown fox jumps over the lazy dog', 16, '   ', ' - ');
    expect(lines).toEqual([' - the quick', '   brown fox', '   jumps over', '   the lazy dog']);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(16);
    const long = wrap(
      'x github.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/transport.(*recvBuffer).put y',
      30,
      '  ',
    );
    for (const l of long) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(long.join('').replace(/\s+/g, '')).toBe(
      'xgithub.com/coreos/etcd/cmd/vendor/google.golang.org/grpc/transport.(*recvBuffer).puty',
    );
    expect(wrap('', 10, '  ')).toEqual(['  ']);
    expect(wrap('abc', 2, '    ')).toEqual(['    a', '    b', '    c']);
  });
});
