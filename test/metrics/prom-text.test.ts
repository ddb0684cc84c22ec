import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricFacts } from '../../src/metrics/facts.js';
import { looksLikePromText, parsePromText, parseSelector, sumOf } from '../../src/metrics/prom-text.js';

describe('Prometheus text format', () => {
  it('reads names, labels with escapes, Go floats and timestamps', () => {
    const s = parsePromText(
      [
        '# HELP x_total A counter.',
        '# TYPE x_total counter',
        'x_total{method="Range",note="a \\"quoted\\" \\\\ back\\nline"} 3',
        'x_total{method="Put",} 4.5e+02 1700000000000',
        'up 1',
        'g NaN',
        'h_bucket{le="+Inf"} +Inf',
        '',
      ].join('\n'),
    );
    expect(s.types).toEqual({ x_total: 'counter' });
    expect(s.samples[0]!.labels).toEqual({ method: 'Range', note: 'a "quoted" \\ back\nline' });
    expect(sumOf(s, 'x_total')).toBe(453);
    expect(sumOf(s, 'x_total', { method: 'Put' })).toBe(450);
    expect(sumOf(s, 'x_total', { method: 'Watch' })).toBeUndefined();
    expect(Number.isNaN(sumOf(s, 'g'))).toBe(true);
    expect(sumOf(s, 'h_bucket')).toBe(Infinity);
  });
  it('names the bad line', () => {
    expect(() => parsePromText('ok 1\nbad{x=1} 2')).toThrow(/^line 2: label x without ="value"/);
    expect(() => parsePromText('ok one')).toThrow(/line 1: 'one' is not a number/);
    expect(() => parsePromText('ok{a="x} 1')).toThrow(/unterminated/);
  });
  it('selectors as rules write them', () => {
    expect(parseSelector('grpc_server_handled_total{grpc_method="Range"}')).toEqual({
      name: 'grpc_server_handled_total',
      labels: { grpc_method: 'Range' },
    });
    expect(parseSelector('{x="y"}')).toBeUndefined();
  });
  it('tells a scrape from a profile', () => {
    const text = readFileSync('samples/etcd-3.4.23/idle/metrics.txt', 'utf8');
    expect(looksLikePromText(text)).toBe(true);
    expect(looksLikePromText(readFileSync('samples/etcd-3.4.23/idle/goroutine.debug1.txt', 'utf8'))).toBe(false);
    expect(looksLikePromText(readFileSync('samples/etcd-3.4.23/idle/heap.debug1.txt', 'utf8'))).toBe(false);
  });
  it('reads the facts of a real etcd 3.4.23 scrape (many-watchers: 20000 watchers on 200 streams)', () => {
    const f = metricFacts(
      parsePromText(readFileSync('samples/etcd-3.4.23/many-watchers/metrics.txt', 'utf8')),
      'm.txt',
    );
    expect(f).toMatchObject({
      etcdVersion: '3.4.23',
      goVersion: '1.19.8',
      isLeader: true,
      watchers: 20000,
      watchStreams: 200,
      etcdServer: true,
      memberId: 'd5911b5d2e476460',
    });
    expect(f.heapInuse).toBeGreaterThan(1e6);
  });
  it('a follower is a follower; untrusted label text is bounded', () => {
    const f = metricFacts(
      parsePromText(readFileSync('samples/etcd-3.4.23/put-1mb-3member/follower/metrics.txt', 'utf8')),
      'f',
    );
    expect(f.isLeader).toBe(false);
    const odd = metricFacts(
      parsePromText(`etcd_server_version{server_version="3.4.23<script>"} 1\ngo_info{version="x"} 1`),
      'o',
    );
    expect(odd.etcdVersion).toBeUndefined();
    expect(odd.goVersion).toBeUndefined();
    expect(odd.etcdServer).toBe(true);
  });
});
