/** Runs the CLI in-process (src/cli/main.ts) and captures stdout / stderr. */
import { main } from '../../src/cli/main.js';

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(argv: string[]): Promise<MainResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture =
    (sink: (s: string) => void) =>
    (chunk: unknown, enc?: unknown, cb?: unknown): boolean => {
      sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
      const done = typeof enc === 'function' ? enc : cb;
      if (typeof done === 'function') (done as () => void)();
      return true;
    };
  // biome-ignore lint/suspicious/noExplicitAny: replacing the stream method with a capturing stub
  (process.stdout as any).write = capture((s) => {
    stdout += s;
  });
  // biome-ignore lint/suspicious/noExplicitAny: as above
  (process.stderr as any).write = capture((s) => {
    stderr += s;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
