/**
 * Golden parity: our `top` / `peek` / `traces` output must equal `go tool pprof`'s BYTE FOR BYTE
 * for every case of test/golden/index.json (made by scripts/golden/regen.mjs with Debian's go1.19
 * pprof and TZ=UTC; our default time zone is UTC too).
 *
 * pprof's flags in the index are read through the CLI's own option code (normalizePprofArgs +
 * topOptionsFromArgs), so the flag mapping is tested as well. What pprof printed on stderr
 * (warnings such as "TagFocus expression matched no samples") must be our report's warnings, line
 * for line, and a case pprof refused must be refused with pprof's message. Go is not needed to run
 * this.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../src/profile/regex.js';
import { describe, expect, it } from 'vitest';
import { peek } from '../../src/analysis/peek.js';
import { top } from '../../src/analysis/top.js';
import { traces } from '../../src/analysis/traces.js';
import { textFormatOptionsFromArgs, topOptionsFromArgs } from '../../src/cli/options.js';
import { normalizePprofArgs } from '../../src/cli/pprof-flags.js';
import { loadProfile } from '../../src/input/load.js';
import type { Profile } from '../../src/profile/model.js';
import { formatPeek, formatTop, formatTraces } from '../../src/report/pprof-text.js';

const goldenDir = dirname(fileURLToPath(import.meta.url));
const root = join(goldenDir, '..', '..');

interface GoldenCase {
  profile: string;
  command: 'top' | 'peek' | 'traces';
  args: string[];
  regex?: string;
  golden?: string;
  error?: string;
  /** pprof's stderr lines, when it printed any. */
  stderr?: string[];
}

const index = JSON.parse(readFileSync(join(goldenDir, 'index.json'), 'utf8')) as {
  generatedBy: string;
  profiles: Record<string, string>;
  cases: GoldenCase[];
};

/** pprof flags → the record yargs would give the command (enough for these flags). */
function argsRecord(pprofArgs: string[]): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (const a of normalizePprofArgs(pprofArgs)) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unexpected argument ${a}`);
    rec[m[1]!] = m[2] === undefined ? true : m[2];
  }
  return rec;
}

const profiles = new Map<string, Promise<Profile>>();
function profileOf(path: string): Promise<Profile> {
  let p = profiles.get(path);
  if (!p) {
    p = loadProfile(join(root, path));
    profiles.set(path, p);
  }
  return p;
}

/** Our output and warnings for a case. */
function run(c: GoldenCase, p: Profile): { text: string; warnings: string[] } {
  const rec = argsRecord(c.args);
  const opts = topOptionsFromArgs(rec);
  const fmt = textFormatOptionsFromArgs(rec);
  switch (c.command) {
    case 'top': {
      const r = top(p, opts);
      return { text: formatTop(r, fmt), warnings: r.warnings };
    }
    case 'peek': {
      const r = peek(p, c.regex!, opts);
      return { text: formatPeek(r, fmt), warnings: r.warnings };
    }
    case 'traces': {
      const r = traces(p, opts);
      return { text: formatTraces(r, fmt), warnings: r.warnings };
    }
  }
}

const byProfile = new Map<string, GoldenCase[]>();
for (const c of index.cases) {
  const list = byProfile.get(c.profile) ?? [];
  list.push(c);
  byProfile.set(c.profile, list);
}

describe(`golden parity with ${index.generatedBy}`, () => {
  it('covers at least 8 profiles, every sample type, and the -nodecount/-cum/-focus/-lines variants', () => {
    expect(byProfile.size).toBeGreaterThanOrEqual(8);
    const flags = new Set(index.cases.flatMap((c) => c.args.map((a) => a.replace(/=.*/, ''))));
    for (const f of ['-sample_index', '-nodecount', '-cum', '-focus', '-lines']) expect(flags).toContain(f);
    expect(index.cases.some((c) => c.command === 'peek' && c.golden)).toBe(true);
    expect(index.cases.some((c) => c.command === 'traces')).toBe(true);
  });

  for (const [path, cases] of byProfile) {
    describe(path, () => {
      const file = join(root, path);
      const sha = existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing';
      const current = sha === index.profiles[path];
      it('is the profile the goldens were made from', () => {
        expect(sha, `${path} is missing`).not.toBe('missing');
        expect(sha, `${path} changed since the goldens were made: run npm run golden`).toBe(index.profiles[path]);
      });
      for (const c of cases) {
        const title = `${c.command} ${c.regex ?? ''} ${c.args.join(' ')}`.replace(/\s+/g, ' ').trim();
        // A changed profile fails once above; its cases would only repeat that.
        it.skipIf(!current)(title, async () => {
          const p = await profileOf(path);
          if (c.error !== undefined) {
            let message: string | undefined;
            try {
              run(c, p);
            } catch (err) {
              message = err instanceof Error ? err.message : String(err);
            }
            expect(message).toBe(c.error);
            return;
          }
          const want = readFileSync(join(goldenDir, c.golden!), 'utf8');
          const { text: got, warnings } = run(c, p);
          // Compare as text first for a readable diff, then byte for byte.
          expect(got).toBe(want);
          expect(Buffer.from(got, 'utf8').equals(readFileSync(join(goldenDir, c.golden!)))).toBe(true);
          expect(warnings).toEqual(c.stderr ?? []);
        });
      }
    });
  }
});
