import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isProtobufProfile, sniffContent } from '../../src/fetch/sniff.js';
import { verifyDownload } from '../../src/fetch/verify.js';
import { smallProfileGz } from './helpers/servers.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('sniffContent', () => {
  it('takes gzip as a profile (Go serves every pprof profile gzipped)', () => {
    const s = sniffContent(smallProfileGz());
    expect(s).toMatchObject({ kind: 'pprof-gzip', isProfile: true, ext: '.pb.gz' });
  });
  it('recognises an uncompressed pprof protobuf structurally', () => {
    const raw = gunzipSync(smallProfileGz());
    expect(isProtobufProfile(raw)).toBe(true);
    expect(sniffContent(raw)).toMatchObject({ kind: 'pprof', isProfile: true, ext: '.pb' });
    // cut anywhere inside, it is no longer well-formed
    expect(isProtobufProfile(raw.subarray(0, raw.length - 3))).toBe(false);
  });
  it.each([
    ['goroutine profile: total 12\n5 @ 0x1 0x2\n', 'goroutine?debug=1'],
    ['goroutine 1 [running]:\nmain.main()\n', 'goroutine?debug=2'],
    ['heap profile: 1: 2 [3: 4] @ heap/1048576\n', 'heap?debug=1'],
    ['--- contention:\ncycles/second=1\n', 'mutex?debug=1'],
    ['threadcreate profile: total 9\n', 'threadcreate?debug=1'],
  ])('takes %j (%s) as a text profile', (text) => {
    expect(sniffContent(enc(text))).toMatchObject({ kind: 'text-profile', isProfile: true, ext: '.txt' });
  });
  it('says what an HTML page is, with its title', () => {
    const s = sniffContent(
      enc('<!DOCTYPE html>\n<html><head><title>Sign in - Corp SSO</title></head><body></body></html>'),
    );
    expect(s).toMatchObject({ kind: 'html', isProfile: false, ext: '.html' });
    expect(s.description).toBe('an HTML page ("Sign in - Corp SSO")');
  });
  it('knows execution traces, empty bodies, other text and binary are not profiles', () => {
    expect(sniffContent(enc('go 1.19 trace\0\0\0\0\x01\x02'))).toMatchObject({ kind: 'go-trace', isProfile: false });
    expect(sniffContent(new Uint8Array(0))).toMatchObject({ kind: 'empty', isProfile: false });
    const t = sniffContent(enc('# HELP etcd_server_has_leader Whether or not a leader exists.\n'));
    expect(t).toMatchObject({ kind: 'text', isProfile: false });
    expect(t.description).toContain('# HELP etcd_server_has_leader');
    expect(sniffContent(new Uint8Array([0xff, 0x00, 0x13, 0x37, 0x00]))).toMatchObject({ kind: 'binary' });
    expect(sniffContent(enc('{"error":"forbidden"}'))).toMatchObject({ isProfile: false });
  });
});

describe('verifyDownload', () => {
  it('accepts a real gzipped profile', () => {
    const v = verifyDownload(smallProfileGz());
    expect(v.isProfile).toBe(true);
    expect(v.problem).toBeUndefined();
  });
  it('catches a truncated gzip download', () => {
    const gz = smallProfileGz();
    const v = verifyDownload(gz.subarray(0, gz.length - 10));
    expect(v.isProfile).toBe(false);
    expect(v.problem).toMatch(/truncated/);
  });
  it('catches gzip that holds something other than a profile', () => {
    const v = verifyDownload(gzipSync(enc('<html><title>proxy error</title></html>')));
    expect(v.isProfile).toBe(false);
    expect(v.problem).toContain('HTML page');
  });
});
