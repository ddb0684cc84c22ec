import { describe, expect, it } from 'vitest';
import { parseFunctionLine } from '../../../src/input/text/goroutine-dump.js';
import { parseTextProfile } from '../../../src/input/text/index.js';
import type { Label, Profile } from '../../../src/profile/model.js';
import { fixtureText, flatCum, loadProto, parseFixture, total } from './helpers.js';

/** Samples as {count, stack (leaf first, one name per line), labels by key}. */
function groups(p: Profile) {
  const s = p.samples;
  const out: { count: number; stack: string[]; labels: Record<string, string | number> }[] = [];
  for (let i = 0; i < s.length; i++) {
    const stack: string[] = [];
    for (let k = s.stackStart[i]!; k < s.stackStart[i + 1]!; k++) {
      for (const l of p.locations[s.stack[k]!]!.lines) stack.push(p.functions[l.fn]!.name);
    }
    const labels: Record<string, string | number> = {};
    for (const l of (s.labels?.[i] ?? []) as Label[]) labels[l.key] = l.str ?? l.num!;
    out.push({ count: s.values[i]!, stack, labels });
  }
  return out;
}

describe('goroutine debug=2 dump (go119 fixtures)', () => {
  const dump = parseFixture('go119/goroutine.debug2.txt');
  const proto = loadProto('go119/goroutine.pb.gz');
  const writer = (names: string[]) => names.includes('runtime/pprof.(*Profile).WriteTo');

  it('has the goroutine profile layout', () => {
    expect(dump.source.format).toBe('goroutine-dump');
    expect(dump.sampleTypes).toEqual([{ type: 'goroutine', unit: 'count' }]);
    expect(dump.periodType).toEqual({ type: 'goroutine', unit: 'count' });
    expect(dump.period).toBe(1);
  });

  it('agrees with the proto of the same moment: total, and cum of every function shown', () => {
    // Documented difference: tracebacks hide unexported runtime frames (runtime.gopark,
    // runtime.chanrecv, runtime.main …) which the proto keeps, so those functions are missing and
    // the flat of each stack sits on its innermost shown frame. The goroutine that wrote the
    // profiles is left out: its stack differs between the two calls.
    expect(total(dump, 0)).toBe(total(proto, 0));
    const a = flatCum(dump, 0, writer);
    const b = flatCum(proto, 0, writer);
    for (const [name, v] of a) expect({ name, cum: v.cum }).toEqual({ name, cum: b.get(name)?.cum });
    for (const name of b.keys()) if (!a.has(name)) expect(name).toMatch(/^runtime\./);
    expect(dump.source.notes.join(' ')).toMatch(/hide runtime-internal frames/);
  });

  it('gives the same numbers as the debug=1 text of the same moment', () => {
    const text = parseFixture('go119/goroutine.debug1.txt');
    const a = flatCum(dump, 0, writer);
    const b = flatCum(text, 0, writer);
    expect(Object.fromEntries([...a].sort())).toEqual(
      Object.fromEntries([...b].filter(([n]) => n !== 'runtime.main').sort()),
    );
  });

  it('groups by stack, state, minutes, creator and thread lock, with labels', () => {
    const g = groups(dump);
    const chan = g.filter((x) => x.stack[0] === 'main.recvOne' && x.stack.length === 2);
    // 5 started by main.park plus 1 started later by main.profiles: two creators, two samples.
    expect(chan.map((x) => [x.count, x.labels.created_by]).sort()).toEqual([
      [1, 'main.profiles'],
      [5, 'main.park'],
    ]);
    expect(chan[0]!.labels.state).toBe('chan receive');
    expect(chan[0]!.labels.wait_minutes).toBe(1);
    const locked = g.find((x) => x.stack[0] === 'main.lockedWorker')!;
    expect(locked.labels).toMatchObject({ state: 'chan receive', locked_to_thread: 'true' });
    expect(g.find((x) => x.stack[0] === 'main.noCases')!.labels.state).toBe('select (no cases)');
    expect(g.find((x) => x.stack.includes('main.acceptLoop'))!.labels.state).toBe('IO wait');
    expect(g.find((x) => x.stack.includes('main.write'))!.labels).toMatchObject({ state: 'running', wait_minutes: 0 });
  });

  it('strips arguments, keeps file:line, and puts (...) frames in the location of their caller', () => {
    const recv = dump.functions.findIndex((f) => f.name === 'main.recvOne');
    const loc = dump.locations.find((l) => l.lines[0]!.fn === recv)!;
    expect(loc.lines.map((l) => [dump.functions[l.fn]!.name, l.line])).toEqual([
      ['main.recvOne', 94],
      ['main.chanWorker', 98],
    ]);
    expect(dump.functions[recv]!.filename).toMatch(/gen\/main\.go$/);
    expect(dump.functions.some((f) => /[()]$/.test(f.name) || f.name.includes('0x'))).toBe(false);
  });

  it('counts every goroutine of the other fixture set (test/fixtures/go) once', () => {
    const text = fixtureText('../go/goroutine.debug2.txt');
    const p = parseFixture('../go/goroutine.debug2.txt');
    expect(p.source.format).toBe('goroutine-dump');
    expect(total(p, 0)).toBe(text.match(/^goroutine \d+ \[/gm)!.length);
  });
});

describe('panic and SIGQUIT tracebacks', () => {
  it('reads a panic: message in comments, the panicking goroutine as running', () => {
    const p = parseFixture('go119/panic.txt');
    expect(p.comments).toEqual(['panic: assignment to entry in nil map']);
    const g = groups(p);
    expect(g).toEqual([
      {
        count: 1,
        stack: [
          'main.(*boom).explode',
          'main.(*boom).explode',
          'main.(*boom).explode',
          'main.(*boom).explode',
          'main.main',
        ],
        labels: { state: 'running', wait_minutes: 0 },
      },
    ]);
  });

  it('reads GOTRACEBACK=system output: runtime frames kept, runtime.goexit dropped, fp/sp/pc ignored', () => {
    const p = parseFixture('go119/panic-system.txt');
    const headers = fixtureText('go119/panic-system.txt').match(/^goroutine \d+ \[/gm)!.length;
    expect(total(p, 0)).toBe(headers);
    const g = groups(p);
    expect(g[0]!.stack.slice(0, 3)).toEqual(['panic', 'runtime.mapassign_faststr', 'main.(*boom).explode']);
    expect(g.some((x) => x.stack.includes('runtime.goexit'))).toBe(false);
    expect(g.some((x) => x.stack[0] === 'runtime.gopark')).toBe(true);
    expect(p.source.notes.join(' ')).not.toMatch(/hide runtime-internal frames/);
  });

  it('reads a SIGQUIT dump: header in comments, goroutine 0 and the register dump skipped', () => {
    const p = parseFixture('go119/sigquit.txt');
    expect(p.comments).toEqual(['SIGQUIT: quit', 'PC=0x468861 m=0 sigcode=0']);
    const headers = fixtureText('go119/sigquit.txt').match(/^goroutine [1-9]\d* \[/gm)!.length;
    expect(total(p, 0)).toBe(headers);
    expect(p.functions.some((f) => /^r[a-z0-9]+$/.test(f.name))).toBe(false);
    expect(p.source.notes.join(' ')).toMatch(/Goroutine 0/);
    expect(groups(p).find((x) => x.stack.includes('main.main'))!.labels.state).toBe('sleep');
  });

  it('reads the other panic and SIGQUIT fixtures', () => {
    for (const f of ['../go/panic.txt', '../go/sigquit.txt']) {
      const p = parseFixture(f);
      const headers = fixtureText(f).match(/^goroutine [1-9]\d* .*\]:$/gm)!.length;
      expect(total(p, 0)).toBe(headers);
    }
  });
});

describe('newer traceback formats (hand-written, see fixtures/text/dumps/README.md)', () => {
  const p = parseFixture('dumps/go121-style.txt');
  const g = groups(p);

  it('accepts gp=/m= header fields and "created by X in goroutine N"', () => {
    expect(total(p, 0)).toBe(6);
    const loops = g.filter((x) => x.stack[0] === 'main.(*server).loop');
    expect(loops.map((x) => [x.count, x.labels.wait_minutes]).sort()).toEqual([
      [1, 3],
      [2, 12],
    ]);
    expect(loops[0]!.labels.created_by).toBe('main.start');
  });

  it('keeps a goroutine without a stack, and notes elided frames', () => {
    const running = g.find((x) => x.labels.state === 'running')!;
    expect(running.stack).toEqual([]);
    const deep = g.find((x) => x.stack[0] === 'main.inner')!;
    expect(deep.stack).toEqual(['main.inner', 'main.deep', 'main.deep', 'main.deep']);
    expect(deep.labels).toMatchObject({ state: 'chan send', locked_to_thread: 'true' });
    expect(p.source.notes.join(' ')).toMatch(/running on another thread/);
    expect(p.source.notes.join(' ')).toMatch(/frames elided/);
    const main = g.find((x) => x.stack[0] === 'main.waitAll')!;
    expect(main.stack).toEqual(['main.waitAll', 'main.main']);
    expect(main.labels.created_by).toBeUndefined();
  });
});

describe('dump edge cases', () => {
  it('marks a dump cut in the middle of a goroutine as truncated and keeps what it read', () => {
    const full = fixtureText('go119/goroutine.debug2.txt');
    const cut = full.slice(0, full.indexOf('main.chanWorker(0xc00003ffb8?)') + 'main.chanWo'.length);
    const p = parseTextProfile(cut)!;
    expect(p.source.truncated).toBe(true);
    expect(total(p, 0)).toBe(3);
  });

  it('finds a dump inside other text (a log) and keeps the surrounding lines as comments', () => {
    const p = parseTextProfile(
      'level=error msg="worker stuck"\nfatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:9 +0x1d\nexit status 2\n',
    )!;
    expect(p.source.format).toBe('goroutine-dump');
    expect(p.comments).toEqual([
      'level=error msg="worker stuck"',
      'fatal error: all goroutines are asleep - deadlock!',
      'exit status 2',
    ]);
    expect(groups(p)).toEqual([{ count: 1, stack: ['main.main'], labels: { state: 'chan receive', wait_minutes: 0 } }]);
  });
});

describe('parseFunctionLine', () => {
  it.each([
    ['main.f(0xc000012345, 0x1)', 'main.f', false],
    ['main.f(...)', 'main.f', true],
    ['net/http.(*conn).serve(0xc000130f00, {0x11d32d8, 0xc0006f1740})', 'net/http.(*conn).serve', false],
    [
      'runtime/pprof.Do({0x54d068?, 0xc000098000?}, {{0xc001268000?, 0xc000231f20?, 0xc000231f50?}}, 0x52a1a0)',
      'runtime/pprof.Do',
      false,
    ],
    ['main.G[...](0x1)', 'main.G[...]', false],
    ['main.main()', 'main.main', false],
  ])('%s → %s', (line, name, inlined) => {
    expect(parseFunctionLine(line)).toEqual({ name, inlined });
  });

  it.each(['\t/app/main.go:9 +0x1d', 'exit status 2', 'panic: oops (bad thing)', 'rax    0xca', ''])(
    '%j is not a frame',
    (line) => {
      expect(parseFunctionLine(line)).toBeUndefined();
    },
  );
});
