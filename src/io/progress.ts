/**
 * Progress on stderr for long waits (a `--seconds 30` CPU profile). Only when stderr is a terminal:
 * when it is piped or redirected nothing is written, so logs and scripts see no control characters.
 */

/** The part of a stream the countdown uses (process.stderr in real use, a fake in tests). */
import { escapeText } from '../report/escape.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(s: string): unknown;
}

export interface Countdown {
  /** Clears the line. Safe to call more than once. */
  stop(): void;
}

const CLEAR_LINE = '\r\x1b[K';

/**
 * Shows `pprof-doctor: <label> — Ns left`, updated every second, then `… waiting for the server`
 * once the time is up. Does nothing unless `stream.isTTY`.
 */
export function startCountdown(
  seconds: number,
  label: string,
  stream: ProgressStream = process.stderr,
  tickMs = 1000,
): Countdown {
  if (!stream.isTTY || !(seconds > 0)) return { stop: () => undefined };
  const started = Date.now();
  let stopped = false;
  const draw = () => {
    const left = Math.max(0, Math.ceil(seconds - (Date.now() - started) / tickMs));
    const tail = left > 0 ? `${left}s left` : 'waiting for the server…';
    stream.write(`${CLEAR_LINE}pprof-doctor: ${escapeText(label)} — ${tail}`);
  };
  draw();
  const timer = setInterval(draw, tickMs);
  timer.unref?.();
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write(CLEAR_LINE);
    },
  };
}
