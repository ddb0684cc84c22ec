/**
 * `pprof-doctor analyze` end to end through the built CLI (bin/pprof-doctor → dist/): the four
 * report formats (Markdown byte-identical to the goldens the report tests use, JSON valid against
 * schema/analysis.schema.json), `-o` / `--force`, `--fail-on` exit codes, `analyze <url>` against a
 * local HTTP server, and progress output (only on a terminal).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFromFileName, PROGRESS_MIN_BYTES, startProgress } from '../../src/cli/commands/analyze.js';
import { loadProfile } from '../../src/input/load.js';
import { VERSION } from '../../src/version.js';
import { type CliResult, type Running, runCli, startHttp } from '../fetch/helpers/servers.js';
import { goldenSamples, slugOf } from '../report/helpers.js';
import { ensureBuilt, root, runCli as runCliSync } from './cli-helpers.js';

const bin = join(root, 'bin', 'pprof-doctor');
const HEAP = 'samples/docs/etcd-3.2.23-leader-heap.pb.gz'; // lease keep-alive storm: critical
const RAFT = 'samples/docs/etcd-3.4.9-raft-log-1mb-heap.pb.gz'; // raft log retention: warning only
const CLEAN = 'test/fixtures/go/cpu.pb.gz'; // a small Go program: no diagnosis
const TABLE = 'test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt'; // pasted table: no collection time

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-analyze-'));
}, 120_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const analyze = (args: string[], cwd = root): Promise<CliResult> => runCli(bin, ['analyze', ...args], cwd);

function expectOneLineError(r: CliResult, re: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(re);
  expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

describe('formats', () => {
  it('text: the diagnosis first, then the top table with pprof columns', async () => {
    const r = await analyze([HEAP]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/1\. \[CRITICAL\] clientv3 lease keep-alive storm/);
    expect(r.stdout).toMatch(/Top 10 of .*\n\s+flat\s+flat%\s+sum%\s+cum\s+cum%/);
    expect(r.stdout.indexOf('[CRITICAL]')).toBeLessThan(r.stdout.indexOf('Top 10 of'));
    // 3.0–3.3.13 names under cmd/vendor are not taken for the 3.3.14 layout any more.
    expect(r.stdout).not.toMatch(/markers disagree/);
    expect(r.stdout).toMatch(/etcd 3\.2\.10 – 3\.3\.13 \(inferred\)/);
  });

  it('markdown: byte-identical to the goldens of test/report (same top rows, same renderer)', async () => {
    const samples = goldenSamples(root);
    expect(samples.length).toBeGreaterThan(5);
    const results = await Promise.all(samples.map((s) => analyze(['--format', 'markdown', s]).then((r) => ({ s, r }))));
    for (const { s, r } of results) {
      expect(r.code, s).toBe(0);
      const golden = readFileSync(join(root, 'test', 'golden', 'markdown', `${slugOf(s)}.md`), 'utf8');
      expect(r.stdout, s).toBe(golden.replace('pprof-doctor GOLDEN (', `pprof-doctor ${VERSION} (`));
    }
  }, 120_000);

  it('json: valid against schema/analysis.schema.json, with the collection time of each input', async () => {
    const schema = JSON.parse(readFileSync(join(root, 'schema', 'analysis.schema.json'), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    const r = await analyze([HEAP, TABLE, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const heap = await loadProfile(join(root, HEAP));
    expect(heap.timeNanos).toBeGreaterThan(0);
    expect(doc.profiles[0].time).toBe(new Date(Math.floor(heap.timeNanos / 1e6)).toISOString());
    expect(doc.profile.time).toBe(doc.profiles[0].time);
    // A pasted table has no machine-readable time: no field rather than a made-up one.
    expect(doc.profiles[1].name).toBe(TABLE);
    expect(doc.profiles[1]).not.toHaveProperty('time');
    expect(doc.diagnoses[0].id).toBe('lease-keepalive-storm');
  });

  it('html: one self-contained page with the diagnosis and the flame graph data', async () => {
    const r = await analyze([HEAP, '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/i);
    expect(r.stdout).toContain('clientv3 lease keep-alive storm');
    expect(r.stdout).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  it('- alone reads the profile from standard input', () => {
    const r = runCliSync(['analyze', '-', '--format', 'json'], readFileSync(join(root, HEAP)));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.profile.name).toBe('<stdin>');
    expect(doc.diagnoses[0].id).toBe('lease-keepalive-storm');
  });

  it('an unknown format is a usage error', async () => {
    const r = await analyze([HEAP, '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format/);
  });
});

describe('-o FILE', () => {
  it('writes the report to the file, nothing on stdout; the format follows the extension', async () => {
    const out = join(tmp, 'report.md');
    const r = await analyze([HEAP, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(out);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^## pprof-doctor report: etcd-3\.2\.23-leader-heap\.pb\.gz/);
    // --format wins over the extension
    const txt = join(tmp, 'report-as-json.md');
    expect((await analyze([HEAP, '-o', txt, '--format', 'json'])).code).toBe(0);
    expect(JSON.parse(readFileSync(txt, 'utf8')).schemaVersion).toBe(2);
  });

  it('refuses an existing file without --force (and leaves it alone); --force replaces it', async () => {
    const out = join(tmp, 'existing.txt');
    writeFileSync(out, 'keep me\n');
    const r = await analyze([HEAP, '-o', out]);
    expectOneLineError(r, /already exists; pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');
    const f = await analyze([HEAP, '-o', out, '--force']);
    expect(f.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/\[CRITICAL\] clientv3 lease keep-alive storm/);
  });

  it('never writes over an input, not even with --force', async () => {
    const copy = join(tmp, 'input-heap.pb.gz');
    writeFileSync(copy, readFileSync(join(root, HEAP)));
    const before = readFileSync(copy);
    const r = await analyze([copy, '-o', copy, '--force']);
    expectOneLineError(r, /refusing to write .*it is an input file/);
    expect(readFileSync(copy).equals(before)).toBe(true);
    // a file of a directory given as input counts too
    const r2 = await analyze([tmp, '-o', copy, '--force']);
    expectOneLineError(r2, /it is an input file/);
  });

  it('a bad -o fails before any work, one line, exit 2', async () => {
    const r = await analyze([HEAP, '-o', join(tmp, 'no-such-dir', 'r.md')]);
    expectOneLineError(r, /directory .* does not exist/);
  });

  it('formatFromFileName', () => {
    expect(formatFromFileName('r.md')).toBe('markdown');
    expect(formatFromFileName('R.HTML')).toBe('html');
    expect(formatFromFileName('x/r.json')).toBe('json');
    expect(formatFromFileName('r.txt')).toBe('text');
    expect(formatFromFileName('report')).toBeUndefined();
  });
});

describe('--fail-on and exit codes', () => {
  it('0 when clean, with or without --fail-on', async () => {
    expect((await analyze([CLEAN])).code).toBe(0);
    expect((await analyze([CLEAN, '--fail-on', 'warning'])).code).toBe(0);
  });

  it('0 with findings but no --fail-on; 1 at or above the threshold; 0 below it', async () => {
    expect((await analyze([HEAP])).code).toBe(0);
    expect((await analyze([HEAP, '--fail-on', 'critical'])).code).toBe(1);
    expect((await analyze([HEAP, '--fail-on', 'warning'])).code).toBe(1);
    const warn = await analyze([RAFT, '--fail-on', 'warning', '--format', 'json']);
    expect(warn.code).toBe(1);
    const sev = JSON.parse(warn.stdout).diagnoses.map((d: { severity: string }) => d.severity);
    expect(sev.length).toBeGreaterThan(0);
    expect(sev).not.toContain('critical');
    expect((await analyze([RAFT, '--fail-on', 'critical'])).code).toBe(0);
  });

  it('1 also when the report goes to -o', async () => {
    const r = await analyze([HEAP, '--fail-on', 'critical', '-o', join(tmp, 'fail-on.json')]);
    expect(r.code).toBe(1);
    expect(existsSync(join(tmp, 'fail-on.json'))).toBe(true);
  });

  it('2 for usage and input errors, even with --fail-on', async () => {
    expectOneLineError(await analyze(['no/such/file.pb.gz', '--fail-on', 'warning']), /no such file/);
    expect((await analyze([HEAP, '--fail-on', 'sometimes'])).code).toBe(2);
    const bad = join(tmp, 'not-a-profile.pb.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]));
    expectOneLineError(await analyze([bad, '--fail-on', 'critical']), /not-a-profile\.pb\.gz: /);
  });
});

describe('analyze <url>', () => {
  let server: Running;
  const heapBytes = () => readFileSync(join(root, HEAP));
  beforeAll(async () => {
    server = await startHttp((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/debug/pprof/heap') {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(heapBytes());
      } else {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end('Unknown profile\n');
      }
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('fetches the profile, keeps it in a timestamped file, and analyses it', async () => {
    const cwd = mkdtempSync(join(tmp, 'url-'));
    const url = `http://127.0.0.1:${server.port}/debug/pprof/heap`;
    const r = await analyze([url, '--format', 'json', '--fail-on', 'critical'], cwd);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.diagnoses[0].id).toBe('lease-keepalive-storm');
    expect(doc.profile.name).toBe(url);
    // stderr says where the fetched profile was kept; the file holds the exact bytes served.
    const m = /kept in (\S+)/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const saved = join(cwd, m![1]!);
    expect(m![1]).toMatch(/^pprof-doctor\.127\.0\.0\.1_\d+\.heap\.\d{8}-\d{6}\.pb\.gz$/);
    expect(readFileSync(saved).equals(heapBytes())).toBe(true);
    expect(doc.notes.join('\n')).toContain(m![1]);
    expect(server.urls).toContain('/debug/pprof/heap');
  });

  it('-o is the report, not the fetched profile', async () => {
    const cwd = mkdtempSync(join(tmp, 'url-o-'));
    const r = await analyze([`127.0.0.1:${server.port}/debug/pprof/heap`, '-o', 'report.md'], cwd);
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'report.md'), 'utf8')).toMatch(/^## pprof-doctor report/);
    const kept = /kept in (\S+)/.exec(r.stderr)![1]!;
    expect(statSync(join(cwd, kept)).size).toBe(heapBytes().length);
  });

  it('a server error is one line, exit 2', async () => {
    const cwd = mkdtempSync(join(tmp, 'url-404-'));
    const r = await analyze([`http://127.0.0.1:${server.port}/debug/pprof/nothing`], cwd);
    expectOneLineError(r, /404|Unknown profile/);
  });

  it('fetch flags without a URL are a usage error, not silently ignored', async () => {
    expectOneLineError(await analyze([HEAP, '--seconds', '30']), /--seconds: only for a \/debug\/pprof URL/);
    expectOneLineError(await analyze([HEAP, '--cacert', 'ca.pem', '--key', 'k.pem']), /--cacert, --key: only for/);
  });

  it('TLS flags are accepted (and checked) only as fetch options', async () => {
    const r = await analyze([`http://127.0.0.1:${server.port}/debug/pprof/heap`, '--cacert', 'missing-ca.pem']);
    expectOneLineError(r, /https|cacert|missing-ca\.pem/);
  });
});

describe('progress', () => {
  const fake = (isTTY: boolean) => {
    const writes: string[] = [];
    return { isTTY, writes, write: (s: string) => writes.push(s) };
  };

  it('on a terminal and for big inputs: reading / decoding / analysing, then the line is cleared', () => {
    const s = fake(true);
    const p = startProgress(PROGRESS_MIN_BYTES, s);
    p.step('reading big.pb.gz (60 MB)…');
    p.step('decoding big.pb.gz…');
    p.step('analysing…');
    p.done();
    p.done();
    expect(s.writes).toHaveLength(4);
    expect(s.writes[0]).toBe('\r\x1b[Kpprof-doctor: reading big.pb.gz (60 MB)…');
    expect(s.writes[3]).toBe('\r\x1b[K');
  });

  it('nothing when stderr is not a terminal, or the input is small', () => {
    for (const [tty, bytes] of [
      [false, PROGRESS_MIN_BYTES * 2],
      [true, PROGRESS_MIN_BYTES - 1],
    ] as const) {
      const s = fake(tty);
      const p = startProgress(bytes, s);
      p.step('reading…');
      p.done();
      expect(s.writes).toEqual([]);
    }
  });

  it('piped output of a real run has no control characters', async () => {
    const r = await analyze([HEAP]);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/[\r\x1b]/);
  });
});
