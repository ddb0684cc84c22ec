/**
 * A throw-away PKI for the fetch tests, made with the openssl CLI in a temp directory: a CA, a server
 * certificate for 127.0.0.1/localhost, a client certificate, and look-alikes signed by another CA or
 * for another host name. EC P-256 keys: fast to generate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pair {
  cert: string;
  key: string;
}

export interface Pki {
  dir: string;
  ca: string;
  otherCa: string;
  server: Pair;
  client: Pair;
  /** Signed by the other CA: a server trusting only `ca` rejects it. */
  strangerClient: Pair;
  /** Signed by `ca` but only for DNS:other.example. */
  wrongName: Pair;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function makeLeaf(dir: string, name: string, ca: string, san: string, eku: string): Pair {
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  ]);
  writeFileSync(
    join(dir, `${name}.ext`),
    `subjectAltName=${san}\nextendedKeyUsage=${eku}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n`,
  );
  const serial = `0x${Math.floor(Math.random() * 2 ** 48).toString(16)}`;
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    serial,
    '-days',
    '2',
    '-out',
    `${name}.pem`,
    '-extfile',
    `${name}.ext`,
  ]);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-pki-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'otherca');
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    otherCa: join(dir, 'otherca.pem'),
    // etcd also dials itself with its server certificate, hence clientAuth. The .test name is what
    // the proxy tests fetch: only the test proxy resolves it (to 127.0.0.1).
    server: makeLeaf(
      dir,
      'server',
      'ca',
      'IP:127.0.0.1,DNS:localhost,DNS:member.pprof-doctor.test',
      'serverAuth,clientAuth',
    ),
    client: makeLeaf(dir, 'client', 'ca', 'DNS:pprof-doctor-client', 'clientAuth'),
    strangerClient: makeLeaf(dir, 'stranger', 'otherca', 'DNS:pprof-doctor-client', 'clientAuth'),
    wrongName: makeLeaf(dir, 'wrongname', 'ca', 'DNS:other.example', 'serverAuth'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
