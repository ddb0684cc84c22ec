/**
 * The cleaning steps for paste shapes seen in public issue threads (see test/input/paste-wild.test.ts
 * for whole profiles in each shape): what each step takes away, and the near misses it leaves alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanPaste } from '../../../src/input/text/clean.js';
import { parseTextProfile } from '../../../src/input/text/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const debug1 = readFileSync(join(root, 'samples/etcd-3.4.23/many-watchers/goroutine.debug1.txt'), 'utf8');
const debug2 = readFileSync(join(root, 'samples/etcd-3.4.23/many-leases/goroutine.debug2.txt'), 'utf8');

describe('a command pasted without its prompt', () => {
  it('is taken off the first line and kept as the command', () => {
    const c = cleanPaste(`curl -s http://127.0.0.1:2379/debug/pprof/goroutine?debug=1\n${debug1}`);
    expect(c.lines[0]).toBe('');
    expect(c.commands).toEqual(['curl -s http://127.0.0.1:2379/debug/pprof/goroutine?debug=1']);
    expect(c.lines[1]).toMatch(/^goroutine profile: total \d+$/);
  });

  it('only on the first line, and only a command with arguments', () => {
    const c = cleanPaste(`goroutine profile: total 1\ncurl -s http://x/debug/pprof/heap\n`);
    expect(c.lines).toEqual(['goroutine profile: total 1', 'curl -s http://x/debug/pprof/heap']);
    expect(cleanPaste('head\nfoo\n').lines[0]).toBe('head');
  });
});

describe("a diff's + in front of every line", () => {
  const row = '  7.50MB 11.11% 11.11%   7.50MB 11.11%  go.etcd.io/etcd/mvcc.(*watchableStore).watch';
  it('is removed when every line has it, fences aside', () => {
    const c = cleanPaste(`\`\`\`\`diff\n+${row}\n+${row}\n\`\`\`\`\n`);
    expect(c.lines.filter((l) => l !== '')).toEqual([row, row]);
    expect(c.notes.join(' ')).toMatch(/diff/);
  });

  it('stays when a line lacks it, or on a diff header', () => {
    expect(cleanPaste(`+${row}\n${row}\n`).lines[0]).toBe(`+${row}`);
    expect(cleanPaste(`+++ b/heap.txt\n+${row}\n`).lines[1]).toBe(`+${row}`);
  });
});

describe('a code fence typed on the line it opens or closes', () => {
  it('is taken off, the text kept', () => {
    const c = cleanPaste('```Dropped 13 nodes (cum <= 1075065)\n 5 50% 50% 5 50%  main.f```\n');
    expect(c.lines).toEqual(['Dropped 13 nodes (cum <= 1075065)', ' 5 50% 50% 5 50%  main.f']);
  });

  it('backticks inside a line stay', () => {
    expect(cleanPaste('a ```b``` c\n').lines).toEqual(['a ```b``` c']);
  });
});

describe("a log viewer's time column glued to each line", () => {
  it('is removed, the tab of a file line kept', () => {
    const c = cleanPaste(
      '6/13/2016 5:03:08 PMgoroutine 51 [running]:\n6/13/2016 5:03:08 PMmain.main()\n6/13/2016 5:03:08 PM\t/src/main.go:12 +0x1d\n',
    );
    expect(c.lines).toEqual(['goroutine 51 [running]:', 'main.main()', '\t/src/main.go:12 +0x1d']);
  });

  it('a PM that is not after a clock is payload', () => {
    const c = cleanPaste('PMgoroutine 1 [running]:\nPMmain.main()\n');
    expect(c.lines).toEqual(['PMgoroutine 1 [running]:', 'PMmain.main()']);
  });
});

describe('a Markdown indented code block under prose', () => {
  it('is read on its own', () => {
    const block = debug2
      .split('\n')
      .map((l) => (l === '' ? '' : `    ${l}`))
      .join('\n');
    const p = parseTextProfile(`Here is the dump:\n\n${block}`);
    expect(p?.source.format).toBe('goroutine-dump');
    expect(p?.source.notes.join(' ')).toMatch(/indented block/);
    expect(p?.samples.length).toBe(parseTextProfile(debug2)?.samples.length);
  });

  it('prose with a short indented quote is still no profile', () => {
    expect(parseTextProfile('We saw this:\n\n    it is slow\n    and big\n    really\n')).toBeUndefined();
  });
});

describe('pieces too small to read', () => {
  it('one frame line of a debug=1 record is not named a fragment (too little to tell)', () => {
    expect(
      parseTextProfile(
        '#\t0x98982f\tgoogle.golang.org/grpc/internal/transport.(*recvBufferReader).read+0x8f\tx.go:1\n',
      ),
    ).toBeUndefined();
  });

  it('frames of one goroutine without its header are named as such', () => {
    expect(() =>
      parseTextProfile(
        'main.a(0x1)\n\t/src/a.go:1 +0x1\nmain.b()\n\t/src/b.go:2 +0x2\nmain.main()\n\t/src/m.go:3 +0x3\n',
      ),
    ).toThrow(/3 frames of a goroutine traceback, but no "goroutine N \[state\]:" line/);
  });

  it('file lines whose tab was lost in a headerless fragment are indented again only with a +0x offset', () => {
    const c = cleanPaste('main.a(0x1)\n/src/a.go:1 +0x1\nmain.b()\n/src/b.go:2 +0x2\n');
    expect(c.lines).toEqual(['main.a(0x1)', '\t/src/a.go:1 +0x1', 'main.b()', '\t/src/b.go:2 +0x2']);
    expect(cleanPaste('main.a(0x1)\n/src/a.go:1\nmain.b()\n/src/b.go:2\n').lines[1]).toBe('/src/a.go:1');
  });
});
