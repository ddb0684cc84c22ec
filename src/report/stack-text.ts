/**
 * Words for a stack of the analysis report (StackFigure), shared by the text, Markdown and HTML
 * renderers: its wait states, minutes blocked, and which frames to show. Plain strings, not
 * escaped: each renderer escapes for its own output. Environment-neutral.
 */
import { callerFrames, statesText } from '../analysis/goroutine-stacks.js';
import type { StackFigure } from '../diagnosis/report.js';

export { statesText };

/** "5000 blocked ≥ 1 minute (up to 12 minutes)". */
export function blockedText(b: NonNullable<StackFigure['blocked']>): string {
  const m = b.maxMinutes;
  return `${b.value} blocked ≥ 1 minute (up to ${m} minute${m === 1 ? '' : 's'})`;
}

/**
 * The frames to print, leaf first: from the first frame of the program's own code (the runtime
 * frames it parks in are summed up in one line before it), at most `n`, then how many more.
 */
export function stackFramesShown(s: StackFigure, n: number): string[] {
  const shown = callerFrames(s.frames, n);
  const skipped = s.frames.indexOf(shown[0]!);
  const out: string[] = [];
  if (skipped > 0) {
    const parked = s.frames.slice(0, Math.min(skipped, 3)).join(' ← ');
    out.push(`(in ${parked}${skipped > 3 ? ` ← +${skipped - 3}` : ''})`);
  }
  out.push(...shown);
  const more = s.frames.length - skipped - shown.length + s.moreFrames;
  if (more > 0) out.push(`(+${more} more frame${more === 1 ? '' : 's'})`);
  return out;
}
