/**
 * `diff` warns — one line on stderr and in every format — when the new profile is older than the
 * base, or when the two come from different etcd versions or kinds of process; the time line says
 * "earlier", never "-3063d5h later". Two profiles of one process in order get none of these.
 */
import { describe, expect, it } from 'vitest';
import { relativeTimeText } from '../../src/report/diff-format.js';
import { ensureBuilt, runCli } from '../cli/cli-helpers.js';

const v3423 = 'samples/etcd-3.4.23/idle/heap.pb.gz'; // collected 2026-11-21, etcd 3.4.23
const v3223 = 'samples/docs/etcd-3.2.23-leader-heap.pb.gz'; // collected 2018-07-03, etcd 3.2.23
const client = 'samples/docs/client-3.1.3-watch-leak-heap.pb.gz'; // an etcd client application
const steady1 = 'samples/etcd-3.4.23/series/steady/heap.01.pb.gz';
const steady2 = 'samples/etcd-3.4.23/series/steady/heap.02.pb.gz';

const ORDER =
  /^warning: .*etcd-3\.2\.23-leader-heap\.pb\.gz \(2018-07-03\) was collected 3063 days before .*idle\/heap\.pb\.gz \(2026-11-21\)/m;
const VERSION =
  /^warning: .*idle\/heap\.pb\.gz is from etcd 3\.4\.\S+ and .*etcd-3\.2\.23-leader-heap\.pb\.gz from etcd 3\.2\.10 – 3\.3\.13:/m;

describe('relativeTimeText', () => {
  it('says later or earlier, never a negative duration', () => {
    expect(relativeTimeText(0, 300e9)).toBe('5m later');
    expect(relativeTimeText(300e9, 0)).toBe('5m earlier');
    expect(relativeTimeText(7, 7)).toBe('same time');
  });
});

describe('diff of a newer base against an older, other-version profile', () => {
  it('text: the warnings on stderr, one line each, and in the report; "earlier"', () => {
    ensureBuilt();
    const r = runCli(['diff', v3423, v3223]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(ORDER);
    expect(r.stderr).toMatch(VERSION);
    for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^warning: /);
    expect(r.stdout).toMatch(ORDER);
    expect(r.stdout).toMatch(VERSION);
    expect(r.stdout).toContain('(3063d5h earlier)');
    expect(r.stdout).not.toMatch(/-\d+d\d*h? later/);
  });

  it.each(['json', 'markdown', 'html', 'pprof-text'])('%s: the warnings too', (format) => {
    const r = runCli(['diff', v3423, v3223, '--format', format]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(ORDER);
    if (format === 'pprof-text') return; // go tool pprof's layout, byte for byte: stderr only
    const out = format === 'json' ? (JSON.parse(r.stdout).warnings as string[]).join('\n') : r.stdout;
    expect(out).toContain('was collected 3063 days before');
    expect(out).toContain('from etcd 3.2.10 – 3.3.13');
    if (format !== 'json') expect(out).toContain('3063d5h earlier');
  });

  it('a server against a client application: a warning about different processes', () => {
    const r = runCli(['diff', v3223, client, '--no-diagnosis']);
    expect(r.stderr).toMatch(/^warning: .* looks like an etcd server and .* like an etcd client application/m);
  });
});

describe('near miss: two heaps of one process, in order', () => {
  it('no order, version or process warning; "later"', () => {
    const r = runCli(['diff', steady1, steady2]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/collected .* before|from etcd|looks like/);
    expect(r.stdout).toMatch(/\(\S+ later\)/);
  });
});
