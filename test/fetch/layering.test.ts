// The library layer does not depend on the CLI layer: src/fetch and src/io import nothing from
// src/cli, and the modules that say they are pure code import no Node module.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/** Every module specifier a source file imports or re-exports, static or dynamic. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(root, dir, f));
}

describe('layering', () => {
  it('src/fetch and src/io import nothing from src/cli', () => {
    const files = [...sources('src/fetch'), ...sources('src/io')];
    expect(files.length).toBeGreaterThan(5);
    const offending: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(root, resolve(dirname(file), spec));
        if (target.startsWith(join('src', 'cli'))) offending.push(`${relative(root, file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
  it('the import scan sees what the files import (checked on a file known to import the safe writer)', () => {
    expect(importsOf(join(root, 'src/fetch/fetch.ts'))).toContain('../io/output-file.js');
    expect(importsOf(join(root, 'src/fetch/resolve.ts'))).toContain('./fetch.js'); // the lazy import()
  });
  it.each(['src/fetch/proxy.ts', 'src/fetch/url.ts', 'src/fetch/net-errors.ts', 'src/fetch/sniff.ts'])(
    '%s is pure code: no Node module',
    (file) => {
      expect(importsOf(join(root, file)).filter((s) => s.startsWith('node:'))).toEqual([]);
    },
  );
});
