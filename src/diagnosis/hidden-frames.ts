/**
 * What a text form of a profile cannot show, for the conditions that need it: Go's debug=1 writers
 * (goroutine, threadcreate, heap, allocs, block and mutex `?debug=1`) print a stack from its first
 * frame outside the runtime, so the leading `runtime.*` frames of a parked goroutine
 * (`runtime.gopark`, `runtime.chanrecv2`, `runtime.selectgo`, …) are not in the input. A condition
 * about those frames can neither hold nor be ruled out there.
 *
 * Environment-neutral.
 */
import type { Profile } from '../profile/model.js';
import type { Condition } from './schema.js';

/** Formats written by the runtime's debug=1 text writers, which drop the leading runtime frames. */
const DEBUG1_FORMATS = new Set(['count-text', 'heap-text', 'contention-text']);

/** Whether `p` may lack the leading runtime frames of its stacks. */
export function hidesLeadingRuntimeFrames(p: Profile): boolean {
  return DEBUG1_FORMATS.has(p.source.format) || (p.source.lacks ?? []).includes('runtime-frames');
}

/** Whether every frame pattern of `c` names a function of package runtime (`runtime.chanrecv2`). */
export function namesOnlyRuntimeFrames(c: Condition): boolean {
  const frames = c.frame ?? [];
  return frames.length > 0 && frames.every((f) => f.pattern.startsWith('runtime.'));
}
