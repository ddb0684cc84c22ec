/**
 * Parity with `go tool pprof -top -diff_base=<base> <new>` and `-base=<base> <new>` (Debian's Go
 * 1.19, TZ=UTC): `pprof-doctor diff --format pprof-text` must print the same bytes. The goldens
 * are made by scripts/golden/diff-regen.mjs; no Go is needed here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';

const root = join(__dirname, '..', '..');
const dir = join(root, 'test', 'golden', 'diff');
interface Case {
  file: string;
  base: string;
  new: string;
  mode: 'diff_base' | 'base';
  args: string[];
}
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
  profiles: Record<string, string>;
  cases: Case[];
};

describe('profiles behind the goldens are unchanged', () => {
  for (const [path, sha] of Object.entries(index.profiles)) {
    it(path, () => {
      expect(
        createHash('sha256')
          .update(readFileSync(join(root, path)))
          .digest('hex'),
      ).toBe(sha);
    });
  }
});

describe('diff --format pprof-text = go tool pprof -top -diff_base / -base', () => {
  it('covers both modes on heap, goroutine and cpu pairs', () => {
    expect(index.cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(index.cases.map((c) => c.mode))).toEqual(new Set(['diff_base', 'base']));
  });
  for (const c of index.cases) {
    it(c.file, async () => {
      const mode = c.mode === 'diff_base' ? 'compare' : 'subtract';
      const r = await runMain([
        'diff',
        join(root, c.base),
        join(root, c.new),
        `--mode=${mode}`,
        '--format=pprof-text',
        ...c.args,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(join(dir, c.file), 'utf8'));
    });
  }
});
