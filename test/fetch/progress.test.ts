import { describe, expect, it } from 'vitest';
import { startCountdown } from '../../src/io/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (s: string) => writes.push(s) };
}

describe('startCountdown', () => {
  it('writes nothing when stderr is not a terminal', async () => {
    const s = fakeStream(false);
    const c = startCountdown(3, 'profile from h:1, 3s', s, 5);
    await new Promise((r) => setTimeout(r, 30));
    c.stop();
    expect(s.writes).toEqual([]);
  });
  it('counts down on a terminal, then waits for the server, then clears the line', async () => {
    const s = fakeStream(true);
    const c = startCountdown(2, 'profile from h:1, 2s', s, 20); // a 20 ms "second"
    await new Promise((r) => setTimeout(r, 120));
    c.stop();
    c.stop();
    expect(s.writes[0]).toBe('\r\x1b[Kpprof-doctor: profile from h:1, 2s — 2s left');
    expect(s.writes).toContain('\r\x1b[Kpprof-doctor: profile from h:1, 2s — 1s left');
    expect(s.writes.some((w) => w.endsWith('waiting for the server…'))).toBe(true);
    expect(s.writes.at(-1)).toBe('\r\x1b[K');
    expect(s.writes.filter((w) => w === '\r\x1b[K')).toHaveLength(1);
    const n = s.writes.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(s.writes.length).toBe(n); // stopped
  });
});
