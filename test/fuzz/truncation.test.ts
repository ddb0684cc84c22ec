/**
 * Truncation at every byte: a download cut off anywhere. For small real profiles (gzipped, as Go
 * serves them, and raw) and a debug=1 text, every prefix must either parse into a valid model or
 * be refused with a one-line error — and a cut gzip stream must always be refused (it cannot be
 * told apart from a shorter profile otherwise: a silent misread).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FormatError, UserError } from '../../src/errors.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import { nodeGunzip } from '../../src/input/gzip-node.js';
import type { Profile } from '../../src/profile/model.js';
import { validateProfile } from '../../src/profile/validate.js';

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)));

type Outcome = 'ok' | 'rejected';

function parse(bytes: Uint8Array): { outcome: Outcome; message?: string; profile?: Profile } {
  try {
    const p = parseProfileBytes(bytes, 'cut.pb.gz', { gunzip: nodeGunzip });
    expect(validateProfile(p)).toEqual([]);
    return { outcome: 'ok', profile: p };
  } catch (err) {
    if (!(err instanceof UserError || err instanceof FormatError)) throw err;
    expect(err.message).toMatch(/^[^\r\n]{1,299}$/);
    return { outcome: 'rejected', message: err.message };
  }
}

describe('truncation at every byte', () => {
  for (const name of ['go/mutex.pb.gz', 'go/threadcreate.pb.gz', 'go/goroutine.pb.gz']) {
    it(`${name}: every cut of the gzip file is refused`, () => {
      const gz = fixture(name);
      expect(parse(gz).outcome).toBe('ok');
      const messages = new Set<string>();
      for (let n = 1; n < gz.length; n++) {
        const r = parse(gz.subarray(0, n));
        expect(r.outcome, `cut at ${n}/${gz.length}`).toBe('rejected');
        messages.add(r.message!.replace(/\d+/g, 'N'));
      }
      // Cut inside the gzip stream, the user hears it was cut off.
      expect([...messages].some((m) => /truncated gzip data/.test(m))).toBe(true);
    });

    it(`${name}: every cut of the raw profile is refused or parses into a valid model`, () => {
      const raw = new Uint8Array(gunzipSync(fixture(name)));
      let rejected = 0;
      for (let n = 1; n < raw.length; n++) if (parse(raw.subarray(0, n)).outcome === 'rejected') rejected++;
      // Go writes the string table last, so nearly every cut leaves an index pointing past it.
      expect(rejected).toBeGreaterThan((raw.length - 1) * 0.9);
    });
  }

  it('a debug=1 heap text cut anywhere parses (marked truncated) or is refused', () => {
    const text = fixture('go/heap.debug1.txt').subarray(0, 6000); // the MemStats trailer is further on
    let ok = 0;
    for (let n = 1; n < text.length; n += 7) {
      const r = parse(text.subarray(0, n));
      if (r.outcome === 'ok') {
        ok++;
        expect(r.profile!.source.truncated, `cut at ${n}`).toBe(true);
      }
    }
    expect(ok).toBeGreaterThan(0);
  });
});
