/**
 * Reads and checks the TLS files given with --cacert, --cert and --key, so that a wrong file is
 * reported as such (by flag and file name) instead of as a handshake failure. Key material never
 * appears in a message. Node-only.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { fsReason } from '../io/output-file.js';
import { UserError } from '../errors.js';

export interface TlsFileOptions {
  cacert?: string;
  cert?: string;
  key?: string;
}

export interface TlsMaterial {
  /**
   * Trusted roots: Node's bundled roots, NODE_EXTRA_CA_CERTS and --cacert (pprof appends its
   * -tls_ca to the system pool). Unset = Node's defaults.
   */
  ca?: string[];
  cert?: string;
  key?: string;
  /** The client certificate, for messages when the server rejects it. */
  clientCert?: { file: string; validTo: Date; subject: string };
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function loadTlsMaterial(opts: TlsFileOptions): TlsMaterial {
  if ((opts.cert === undefined) !== (opts.key === undefined)) {
    throw new UserError(
      opts.cert === undefined
        ? '--key needs --cert: give the client certificate and its key together'
        : '--cert needs --key: give the client certificate and its key together',
    );
  }
  const out: TlsMaterial = {};
  if (opts.cacert !== undefined) {
    const text = readTextFile('--cacert', opts.cacert);
    const pems = text.match(PEM_CERT_RE) ?? [];
    if (pems.length === 0) {
      throw new UserError(`--cacert file '${opts.cacert}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    }
    pems.forEach((pem, i) => {
      try {
        new X509Certificate(pem);
      } catch {
        throw new UserError(`--cacert file '${opts.cacert}': certificate ${i + 1} of ${pems.length} cannot be parsed`);
      }
    });
    out.ca = [...rootCertificates, ...extraCaCerts(), ...pems];
  } else {
    const extra = extraCaCerts();
    if (extra.length > 0) out.ca = [...rootCertificates, ...extra];
  }
  if (opts.cert !== undefined && opts.key !== undefined) {
    const certText = readTextFile('--cert', opts.cert);
    const keyText = readTextFile('--key', opts.key);
    const certPem = certText.match(PEM_CERT_RE)?.[0];
    if (!certPem) {
      throw new UserError(
        /PRIVATE KEY-----/.test(certText)
          ? `--cert file '${opts.cert}' holds a private key, not a certificate (swapped --cert and --key?)`
          : `--cert file '${opts.cert}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      );
    }
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(certPem);
    } catch {
      throw new UserError(`--cert file '${opts.cert}': the certificate cannot be parsed`);
    }
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(keyText)) {
      throw new UserError(`--key file '${opts.key}' is encrypted; give the unencrypted key (as etcd itself needs)`);
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyText)) {
      throw new UserError(
        /-----BEGIN CERTIFICATE-----/.test(keyText)
          ? `--key file '${opts.key}' holds a certificate, not a private key (swapped --cert and --key?)`
          : `--key file '${opts.key}' holds no PEM private key (-----BEGIN ... PRIVATE KEY-----)`,
      );
    }
    let matches: boolean;
    try {
      matches = x509.checkPrivateKey(createPrivateKey(keyText));
    } catch {
      // The message of this error says nothing useful and must not be echoed near key material.
      throw new UserError(`--key file '${opts.key}': the private key cannot be parsed`);
    }
    if (!matches) {
      throw new UserError(`--cert '${opts.cert}' and --key '${opts.key}' do not belong together (different key pair)`);
    }
    out.cert = certText;
    out.key = keyText;
    out.clientCert = { file: opts.cert, validTo: new Date(x509.validTo), subject: x509.subject.replace(/\n/g, ', ') };
  }
  return out;
}

/**
 * The certificates of NODE_EXTRA_CA_CERTS. bin/pprof-doctor keeps that variable away from Node's
 * start-up (reading it there costs ~50 ms on every run) and passes the file name on as
 * PPROF_DOCTOR_EXTRA_CA_CERTS; they are trusted here as Node itself would have trusted them: on
 * top of its bundled roots. Run without the launcher, Node has loaded them itself and the variable
 * is unset. Like Node, a missing or unreadable file is a warning, not an error.
 */
export function extraCaCerts(env: NodeJS.ProcessEnv = process.env): string[] {
  const file = env.PPROF_DOCTOR_EXTRA_CA_CERTS;
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (err) {
    process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${fsReason(err)}`);
    return [];
  }
  return text.match(PEM_CERT_RE) ?? [];
}

function readTextFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch (err) {
    throw new UserError(`cannot read ${flag} file '${file}': ${fsReason(err)}`);
  }
}
