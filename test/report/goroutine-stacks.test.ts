/**
 * Goroutine profiles in every report format: the largest stacks (count, share, wait state, minutes
 * blocked), computed once by the engine (report.stacks) and rendered, instead of a function table
 * that says `runtime.gopark 99.9 %`. Real profiles of the leak program (test/fixtures/go/leak/).
 */
import { describe, expect, it } from 'vitest';
import { goroutineStacks, stateFromFrames } from '../../src/analysis/goroutine-stacks.js';
import { renderReport } from '../../src/report/render.js';
import { reportFor } from './helpers.js';

const PROTO = 'test/fixtures/go/leak/go1.19/leak-goroutine.pb.gz';
const DUMP = 'test/fixtures/go/leak/go1.24/leak-goroutine.debug2.txt.gz';

describe('largest goroutine stacks', () => {
  it('groups the proto by stack, with wait states inferred from the runtime frames', async () => {
    const { report } = await reportFor([PROTO]);
    const t = report.stacks.find((x) => x.profile === PROTO)!;
    expect(t.total).toBe(5070);
    expect(t.rows[0]).toMatchObject({
      value: 5000,
      stateSource: 'stack',
      states: [{ state: 'chan receive', value: 5000 }],
    });
    expect(t.rows[0]!.frames.slice(0, 4)).toEqual([
      'runtime.gopark',
      'runtime.chanrecv',
      'runtime.chanrecv2',
      'main.(*hub).watch',
    ]);
    expect(t.rows[1]).toMatchObject({ value: 50, states: [{ state: 'chan receive', value: 50 }] });
    expect(t.note).toContain('no wait states');
  });

  it('merges the samples a dump splits by minutes blocked, with the states and minutes it printed', async () => {
    const { report, inputs } = await reportFor([DUMP]);
    const t = report.stacks[0]!;
    expect(t.rows[0]).toMatchObject({
      value: 5000,
      stateSource: 'dump',
      states: [{ state: 'chan receive', value: 5000 }],
      blocked: { maxMinutes: 1, value: 5000 },
    });
    expect(t.note).toBeUndefined();
    // The same groups as a direct call on the profile.
    const g = goroutineStacks(inputs[0]!.profile, 0, 5);
    expect(g.groups.map((x) => x.value)).toEqual(t.rows.map((x) => x.value));
  });

  it('text: the stacks replace the function table of a goroutine input', async () => {
    const { report } = await reportFor([PROTO]);
    const out = await renderReport(report, 'text');
    expect(out).toContain(`Largest stacks of ${PROTO} (5070 goroutines on`);
    expect(out).toMatch(
      /1\. 5000 goroutines \(98\.6%\) · chan receive \(inferred from the runtime frames\)\n\s+\(in runtime\.gopark ← runtime\.chanrecv ← runtime\.chanrecv2\)\n\s+main\.\(\*hub\)\.watch/,
    );
    expect(out).not.toMatch(/runtime\.gopark\s*$/m);
    expect(out).not.toContain('flat  flat%');
  });

  it('text: a dump shows the minutes blocked', async () => {
    const { report } = await reportFor([DUMP]);
    const out = await renderReport(report, 'text');
    expect(out).toContain('1. 5000 goroutines (98.6%) · chan receive · 5000 blocked ≥ 1 minute (up to 1 minute)');
  });

  it('Markdown and HTML: a stacks table, frames as code', async () => {
    const { report, inputs } = await reportFor([DUMP]);
    const md = await renderReport(report, 'markdown', { inputs });
    expect(md).toContain('### Largest goroutine stacks');
    expect(md).toContain(
      '| 5000 | 98.62% | chan receive · 5000 blocked ≥ 1 minute (up to 1 minute) | `main.(*hub).watch` |',
    );
    const html = await renderReport(report, 'html', { inputs });
    expect(html).toContain('<section id="stacks"><h2>Largest goroutine stacks</h2>');
    expect(html).toContain('data-fn="main.(*hub).watch"');
  });

  it('a CPU or heap input gets no stacks table', async () => {
    const { report } = await reportFor(['test/fixtures/go/cpu.pb.gz']);
    expect(report.stacks).toEqual([]);
  });
});

describe('stateFromFrames', () => {
  it('names the state from the first known frame from the leaf', () => {
    expect(stateFromFrames(['runtime.gopark', 'runtime.selectgo', 'main.loop'])).toBe('select');
    expect(
      stateFromFrames([
        'runtime.gopark',
        'runtime.semacquire1',
        'sync.runtime_SemacquireMutex',
        'sync.(*Mutex).lockSlow',
        'sync.(*Mutex).Lock',
      ]),
    ).toBe('sync.Mutex.Lock');
    expect(stateFromFrames(['runtime.gopark', 'runtime.semacquire1', 'sync.runtime_Semacquire'])).toBe('semacquire');
    expect(stateFromFrames(['runtime.gopark', 'internal/poll.runtime_pollWait', 'net.(*conn).Read'])).toBe('IO wait');
    expect(stateFromFrames(['main.busy'])).toBeUndefined();
  });
});
