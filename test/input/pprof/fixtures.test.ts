import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './fixture-files.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/pprof');
const update = process.env.UPDATE_FIXTURES === '1';

const plain = (name: string, b: Uint8Array): Uint8Array => {
  if (!name.endsWith('.gz') || b.length < 18 || name.includes('truncated')) return b;
  let out = new Uint8Array(gunzipSync(b));
  while (out[0] === 0x1f && out[1] === 0x8b) out = new Uint8Array(gunzipSync(out));
  return out;
};

describe('test/fixtures/pprof matches its builders', () => {
  for (const [name, build] of Object.entries(FIXTURES)) {
    it(name, () => {
      const path = join(DIR, name);
      const want = build();
      if (update) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, want);
      }
      const have = new Uint8Array(readFileSync(path));
      if (name.includes('truncated')) {
        // zlib builds differ in bytes: only the shape matters (a gzip stream cut at 100 bytes).
        expect(have.length).toBe(100);
        expect([have[0], have[1]]).toEqual([0x1f, 0x8b]);
        return;
      }
      expect(plain(name, have)).toEqual(plain(name, want));
    });
  }
});
