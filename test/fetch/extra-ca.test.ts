// NODE_EXTRA_CA_CERTS as passed on by bin/pprof-doctor (PPROF_DOCTOR_EXTRA_CA_CERTS): src/fetch/tls.ts
// trusts those certificates on top of Node's roots, and warns (as Node does) when the file cannot be
// read. The end-to-end check through the launcher is in cli.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { extraCaCerts, loadTlsMaterial } from '../../src/fetch/tls.js';
import { type Pki, makePki } from './helpers/pki.js';

let pki: Pki;
let dir: string;
beforeAll(() => {
  pki = makePki();
  dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-extra-ca-'));
});
afterAll(() => {
  pki?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('extra CA certificates (NODE_EXTRA_CA_CERTS through the launcher)', () => {
  it('none when the launcher passed nothing (or an empty value)', () => {
    expect(extraCaCerts({})).toEqual([]);
    expect(extraCaCerts({ PPROF_DOCTOR_EXTRA_CA_CERTS: '' })).toEqual([]);
  });

  it('reads every certificate of the file', () => {
    const file = join(dir, 'bundle.pem');
    const ca = readFileSync(pki.ca, 'latin1');
    const other = readFileSync(pki.otherCa, 'latin1');
    writeFileSync(file, `# a comment\n${ca}\n${other}`);
    const certs = extraCaCerts({ PPROF_DOCTOR_EXTRA_CA_CERTS: file });
    expect(certs).toHaveLength(2);
    expect(certs[0]).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('an unreadable file is a warning, as in Node, and nothing is added', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(extraCaCerts({ PPROF_DOCTOR_EXTRA_CA_CERTS: join(dir, 'missing.pem') })).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/Ignoring extra certs from `.*missing\.pem`, load failed/);
    } finally {
      warn.mockRestore();
    }
  });

  it('loadTlsMaterial: Node roots + extra certificates (+ --cacert); untouched without either', () => {
    const saved = process.env.PPROF_DOCTOR_EXTRA_CA_CERTS;
    try {
      delete process.env.PPROF_DOCTOR_EXTRA_CA_CERTS;
      expect(loadTlsMaterial({}).ca).toBeUndefined();
      process.env.PPROF_DOCTOR_EXTRA_CA_CERTS = pki.ca;
      const extraOnly = loadTlsMaterial({}).ca!;
      expect(extraOnly).toHaveLength(rootCertificates.length + 1);
      const both = loadTlsMaterial({ cacert: pki.otherCa }).ca!;
      expect(both).toHaveLength(rootCertificates.length + 2);
    } finally {
      if (saved === undefined) delete process.env.PPROF_DOCTOR_EXTRA_CA_CERTS;
      else process.env.PPROF_DOCTOR_EXTRA_CA_CERTS = saved;
    }
  });
});
