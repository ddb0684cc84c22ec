/**
 * Goroutines grouped by stack: what a goroutine profile is about. A function table of a goroutine
 * profile says `runtime.gopark 99.9 %` (nearly every goroutine is parked); the question is how many
 * goroutines wait on which stack, and in which state.
 *
 * A group is every sample with the same sequence of function names (leaf first, inlined frames
 * included), so goroutines the importer kept apart (a debug=2 dump splits them by wait state and
 * minutes blocked; the proto by labels) are counted together. Per group:
 *  - the wait states, from the `state` label of a goroutine dump (debug=2, panic, SIGQUIT), the
 *    runtime's own words (`chan receive`, `select`, `IO wait`, `sync.Mutex.Lock`, …);
 *  - failing that (the proto and debug=1 profiles carry no wait state), the state the runtime
 *    frames of the stack imply (`runtime.chanrecv` → chan receive), said to be inferred;
 *  - the minutes blocked the dump printed (`wait_minutes`): the largest, and how many goroutines
 *    had been blocked a minute or more.
 *
 * Environment-neutral.
 */
import { type Label, type Profile, sampleTotal } from '../profile/model.js';

export interface WaitState {
  state: string;
  /** Goroutines (sample value) in this state. */
  value: number;
}

export interface StackGroup {
  /** Function names, leaf first. */
  frames: string[];
  value: number;
  /** value ÷ profile total. */
  share: number;
  /** Most goroutines first. */
  states: WaitState[];
  /** Where `states` comes from: the dump's headers, the runtime frames, or nowhere. */
  stateSource: 'dump' | 'stack' | 'none';
  /** From a dump's `N minutes`: the most minutes printed in the group, and how many goroutines showed ≥ 1. */
  blocked?: { maxMinutes: number; value: number };
}

export interface StackGroups {
  total: number;
  /** Distinct stacks (groups) in the profile. */
  distinct: number;
  /** The largest groups, most goroutines first (ties: the frames in order). */
  groups: StackGroup[];
}

/**
 * Wait states the runtime frames of a parked goroutine imply, tried from the leaf rootward: the
 * first frame found names the state (a sync wrapper is rootward of the semaphore it parks on, so
 * the semaphore functions are the fallback below). The names follow the runtime's waitReason
 * strings (runtime/runtime2.go).
 */
const FRAME_STATES: Record<string, string> = {
  'runtime.chanrecv': 'chan receive',
  'runtime.chanrecv1': 'chan receive',
  'runtime.chanrecv2': 'chan receive',
  'runtime.chansend': 'chan send',
  'runtime.chansend1': 'chan send',
  'runtime.selectgo': 'select',
  'runtime.block': 'select (no cases)',
  'sync.(*Mutex).Lock': 'sync.Mutex.Lock',
  'sync.(*RWMutex).Lock': 'sync.RWMutex.Lock',
  'sync.(*RWMutex).RLock': 'sync.RWMutex.RLock',
  'sync.(*WaitGroup).Wait': 'sync.WaitGroup.Wait',
  'sync.(*Cond).Wait': 'sync.Cond.Wait',
  'internal/poll.runtime_pollWait': 'IO wait',
  'runtime.netpollblock': 'IO wait',
  'time.Sleep': 'sleep',
  'runtime.timeSleep': 'sleep',
};

/** The wait state a stack's runtime frames imply, or undefined (running, or not recognised). */
export function stateFromFrames(frames: readonly string[]): string | undefined {
  for (const f of frames) {
    const s = FRAME_STATES[f];
    if (s !== undefined) return s;
  }
  if (frames.some((f) => /^(runtime\.semacquire|(internal\/)?sync\.runtime_Semacquire)/.test(f))) return 'semacquire';
  return undefined;
}

/** Packages whose frames are where a goroutine parks, not what it does (the runtime, sync, time, netpoll). */
const PARKING =
  /^(runtime|sync|time|internal\/poll|internal\/sync|runtime\/internal\/[a-z0-9]+|internal\/runtime\/[a-z0-9/]+)\./;

/** The frames worth naming first: from the first one outside the packages goroutines park in. */
export function callerFrames(frames: readonly string[], n: number): string[] {
  const i = frames.findIndex((f) => !PARKING.test(f));
  const from = Math.max(i, 0);
  return frames.slice(from, from + n);
}

/** "chan receive" / "chan receive (4,000), select (2)" / "chan receive (from the stack: runtime.chanrecv)". */
export function statesText(s: Pick<StackGroup, 'states' | 'stateSource'>): string {
  if (s.states.length === 0) return s.stateSource === 'none' ? 'wait state unknown' : 'no wait state';
  const list =
    s.states.length === 1
      ? s.states[0]!.state
      : s.states
          .slice(0, 3)
          .map((x) => `${x.state} (${x.value})`)
          .join(', ') + (s.states.length > 3 ? `, +${s.states.length - 3} more` : '');
  return s.stateSource === 'stack' ? `${list} (inferred from the runtime frames)` : list;
}

function label(ls: Label[] | undefined, key: string): Label | undefined {
  return ls?.find((l) => l.key === key);
}

/**
 * The `n` largest stack groups of one sample type of a profile with stacks; with `only`, of those
 * samples only (the total stays the whole profile's). Wait states and minutes are read from the
 * labels of goroutine dumps only (a proto's labels are the program's own).
 */
export function goroutineStacks(p: Profile, sampleIndex: number, n: number, only?: ArrayLike<number>): StackGroups {
  const { values, stackStart, stack, length } = p.samples;
  const labels = p.source.format === 'goroutine-dump' ? p.samples.labels : undefined;
  const nTypes = p.sampleTypes.length;
  const locs = p.locations;
  const fns = p.functions;
  interface Acc {
    frames: string[];
    value: number;
    states: Map<string, number>;
    hasStateLabel: boolean;
    maxMinutes: number;
    blocked: number;
    first: number;
  }
  const byKey = new Map<string, Acc>();
  const total = sampleTotal(p, sampleIndex);
  const count = only ? only.length : length;
  for (let i = 0; i < count; i++) {
    const s = only ? only[i]! : i;
    const v = Math.abs(values[s * nTypes + sampleIndex]!);
    if (v === 0) continue;
    const frames: string[] = [];
    for (let k = stackStart[s]!; k < stackStart[s + 1]!; k++) {
      for (const line of locs[stack[k]!]!.lines) frames.push(line.fn >= 0 ? fns[line.fn]!.name : '?');
    }
    const key = frames.join('\n');
    let a = byKey.get(key);
    if (!a) {
      a = { frames, value: 0, states: new Map(), hasStateLabel: false, maxMinutes: 0, blocked: 0, first: s };
      byKey.set(key, a);
    }
    a.value += v;
    const ls = labels?.[s];
    const st = label(ls, 'state')?.str;
    if (st !== undefined) {
      a.hasStateLabel = true;
      a.states.set(st, (a.states.get(st) ?? 0) + v);
    }
    const wm = label(ls, 'wait_minutes');
    const minutes = wm?.num ?? (wm?.str !== undefined ? Number(wm.str) : 0);
    if (Number.isFinite(minutes) && minutes >= 1) {
      a.blocked += v;
      if (minutes > a.maxMinutes) a.maxMinutes = minutes;
    }
  }
  const all = [...byKey.values()].sort((x, y) => y.value - x.value || x.first - y.first);
  const groups = all.slice(0, Math.max(0, n)).map((a): StackGroup => {
    let states: WaitState[] = [];
    let stateSource: StackGroup['stateSource'] = 'none';
    if (a.hasStateLabel) {
      states = [...a.states].map(([state, value]) => ({ state, value })).sort((x, y) => y.value - x.value);
      stateSource = 'dump';
    } else {
      const st = stateFromFrames(a.frames);
      if (st !== undefined) {
        states = [{ state: st, value: a.value }];
        stateSource = 'stack';
      }
    }
    return {
      frames: a.frames,
      value: a.value,
      share: total > 0 ? a.value / total : 0,
      states,
      stateSource,
      blocked: a.blocked > 0 ? { maxMinutes: a.maxMinutes, value: a.blocked } : undefined,
    };
  });
  return { total, distinct: byKey.size, groups };
}
