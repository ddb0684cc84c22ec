// The mapping from Node's network/TLS errors to messages, with error objects shaped like the ones
// Node raises (codes and messages copied from real failures). The HTTPS and etcd tests produce the
// common ones for real.
import { describe, expect, it } from 'vitest';
import {
  type NetErrorContext,
  describeNetError,
  describeProxyError,
  describeProxyRefusal,
  opensslReason,
} from '../../src/fetch/net-errors.js';
import { parseProxy } from '../../src/fetch/proxy.js';

const ctx: NetErrorContext = { host: 'etcd-0.example', port: '2379', https: true, tlsEstablished: false };
const err = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

describe('describeNetError', () => {
  it('DNS failure', () => {
    expect(describeNetError(err('ENOTFOUND', 'getaddrinfo ENOTFOUND etcd-0.example'), ctx)).toBe(
      "cannot resolve host 'etcd-0.example' (DNS lookup failed: no such host)",
    );
    expect(describeNetError(err('EAI_AGAIN', 'getaddrinfo EAI_AGAIN etcd-0.example'), ctx)).toMatch(
      /DNS lookup failed: temporary failure/,
    );
  });
  it('connection refused', () => {
    expect(describeNetError(err('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:2379'), ctx)).toMatch(
      /^connection refused by etcd-0\.example:2379/,
    );
  });
  it('server certificate not verifiable', () => {
    const m = describeNetError(err('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'), ctx);
    expect(m).toBe(
      'unable to verify the server certificate: unable to get local issuer certificate; pass --cacert <ca.pem> or --insecure-skip-tls-verify',
    );
    expect(describeNetError(err('CERT_HAS_EXPIRED', 'certificate has expired'), ctx)).toMatch(
      /^unable to verify the server certificate: certificate has expired;/,
    );
  });
  it('host name mismatch lists the names the certificate is for', () => {
    const e = err('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", {
      cert: { subjectaltname: 'DNS:etcd-1.example, IP Address:10.0.0.2' },
    });
    expect(describeNetError(e, ctx)).toBe(
      "the server certificate is not valid for 'etcd-0.example' (it is for DNS:etcd-1.example, IP Address:10.0.0.2); use a host name the certificate lists, or pass --insecure-skip-tls-verify",
    );
  });
  it('client certificate rejected by a TLS alert: certificate required, bad certificate, unknown ca', () => {
    const required = err(
      'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      'error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n',
    );
    expect(describeNetError(required, ctx)).toBe(
      'the server rejected the client certificate (or none was sent): pass --cert and --key',
    );
    const bad = err(
      'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
      'error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n',
    );
    const withCert = { ...ctx, clientCertFile: 'client.pem', clientCertValidTo: new Date(Date.now() + 86400e3) };
    expect(describeNetError(bad, withCert)).toMatch(
      /^the server rejected the client certificate \(TLS alert: bad certificate\): check that --cert 'client.pem' is signed by a CA the server trusts/,
    );
    const expired = { ...withCert, clientCertValidTo: new Date('2020-01-02T00:00:00Z') };
    expect(describeNetError(bad, expired)).toMatch(/--cert 'client.pem' expired on 2020-01-02$/);
    // TLS 1.2 servers answer a missing certificate with handshake_failure
    const hs = err('EPROTO', 'write EPROTO error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure');
    expect(describeNetError(hs, ctx)).toMatch(/rejected the client certificate \(or none was sent\)/);
    expect(describeNetError(hs, withCert)).toBe(
      'the TLS handshake with etcd-0.example:2379 failed: sslv3 alert handshake failure',
    );
  });
  it('reset right after the handshake: probably the client certificate', () => {
    const reset = err('ECONNRESET', 'socket hang up');
    expect(describeNetError(reset, { ...ctx, tlsEstablished: true })).toMatch(
      /closed the connection right after the TLS handshake .*rejected the client certificate \(or none was sent\): pass --cert and --key$/,
    );
    expect(describeNetError(reset, { ...ctx, tlsEstablished: false })).toMatch(/reset during the TLS handshake/);
    expect(describeNetError(reset, { ...ctx, https: false })).toMatch(/closed the connection without answering/);
  });
  it('https to a plain-HTTP port', () => {
    const e = err('EPROTO', 'write EPROTO error:0A00010B:SSL routines:ssl3_get_record:wrong version number');
    expect(describeNetError(e, ctx)).toMatch(/does not speak TLS on this port \(try http:\/\//);
  });
  it('anything else: the message, on one line', () => {
    expect(describeNetError(err('EWHATEVER', 'odd\nfailure'), ctx)).toBe('odd failure (EWHATEVER)');
    expect(describeNetError('plain string', ctx)).toBe('plain string');
  });
  it('opensslReason extracts the reason from an OpenSSL error string', () => {
    expect(
      opensslReason('error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:x.c:1'),
    ).toBe('certificate verify failed');
  });
});

describe('describeProxyError and describeProxyRefusal', () => {
  const proxy = parseProxy('http://proxy.corp:3128', 'HTTPS_PROXY');
  const withCreds = parseProxy('https://ops:pw@proxy.corp:3129', 'https_proxy');
  it('failures reaching the proxy name what failed at the proxy, not at the server', () => {
    expect(describeProxyError(err('ENOTFOUND', 'getaddrinfo ENOTFOUND proxy.corp'), proxy)).toBe(
      "cannot resolve the proxy's host 'proxy.corp' (DNS lookup failed: no such host)",
    );
    expect(describeProxyError(err('EHOSTUNREACH', 'connect EHOSTUNREACH 10.9.9.9:3128'), proxy)).toBe(
      'the proxy is unreachable (EHOSTUNREACH)',
    );
    expect(describeProxyError(err('ECONNRESET', 'socket hang up'), proxy)).toBe(
      'the proxy closed the connection without answering',
    );
    expect(
      describeProxyError(
        err('ERR_SSL_WRONG_VERSION_NUMBER', 'error:0A00010B:SSL routines:ssl3_get_record:wrong version number'),
        withCreds,
      ),
    ).toBe('the proxy does not speak TLS on this port (use http:// in https_proxy)');
    expect(describeProxyError(err('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), withCreds)).toBe(
      "unable to verify the proxy's TLS certificate: self-signed certificate",
    );
  });
  it('407 says what to do with the variable; other refusals give the status', () => {
    expect(describeProxyRefusal(407, 'Proxy Authentication Required', proxy)).toMatch(
      /put its user name and password in HTTPS_PROXY \(http:\/\/user:password@host:port\)$/,
    );
    expect(describeProxyRefusal(407, '', withCreds)).toBe(
      'the proxy answered 407: it did not accept the user name and password in https_proxy',
    );
    expect(describeProxyRefusal(502, 'Bad Gateway', proxy, 'etcd-0.example:2379')).toBe(
      'the proxy refused the CONNECT tunnel to etcd-0.example:2379: 502 Bad Gateway',
    );
  });
});
