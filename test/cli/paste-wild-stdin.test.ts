/**
 * The paste shapes of test/fixtures/paste-wild (scripts/paste-corpus/wild.mjs) on standard input
 * through the built CLI (`pbpaste | pprof-doctor analyze -`): each is read and diagnosed like the
 * profile it came from; the two pieces too small to read get one line saying what they are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root, runCli } from './cli-helpers.js';

const dir = join(root, 'test/fixtures/paste-wild');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
  variants: { file: string; source: string; sampleIndex: string; expectError?: string }[];
};

beforeAll(() => ensureBuilt(), 120_000);

interface Json {
  profile: { format: string };
  diagnoses: { id: string }[];
}

function top(args: string[], input?: string): string {
  const r = runCli(['analyze', ...args, '--format', 'json'], input);
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  return (JSON.parse(r.stdout) as Json).diagnoses[0]?.id ?? 'none';
}

describe('analyze - on the wild paste shapes', () => {
  for (const v of manifest.variants) {
    it(v.file, () => {
      const text = readFileSync(join(dir, v.file), 'utf8');
      if (v.expectError) {
        const r = runCli(['analyze', '-'], text);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(new RegExp(`^pprof-doctor: <stdin>: line \\d+: .*${v.expectError}`));
        return;
      }
      expect(top(['-', '--sample-index', v.sampleIndex], text)).toBe(top([v.source, '--sample-index', v.sampleIndex]));
    });
  }
});
