/**
 * Issue #13, one regression test per remaining finding, inputs generated here:
 *  - pattern bombs: a profile's drop_frames / keep_frames, a rule's `re:` pattern and a --focus
 *    pattern are measured before re2js compiles them (pattern-budget.ts);
 *  - the flame graph of a 3,000,000-frame recursion is a small page;
 *  - credentials never reach a report's "Command" section or a server's echoed text;
 *  - `-o --force` replaces only regular files, keeps the mode, leaves no temp file on SIGTERM;
 *  - a body without Content-Length over --max-size is "too large".
 * (Sample bombs: input-limits.test.ts; terminal and ticket injection: hostile-output.test.ts.)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { deepStackProfile } from '../../scripts/fuzz/synth.mjs';
import { top } from '../../src/analysis/top.js';
import { compilePattern, PatternError } from '../../src/diagnosis/patterns.js';
import { UserError } from '../../src/errors.js';
import { parseProfileBytes } from '../../src/input/detect.js';
import { encodePprof } from '../../src/profile/encode.js';
import { compileRegex } from '../../src/profile/filter.js';
import { patternCost, patternOverBudget } from '../../src/profile/pattern-budget.js';
import '../../src/profile/regex.js';
import { buildPageData } from '../../src/report/html/data.js';
import { redactText } from '../../src/report/redact.js';
import { commandLine } from '../../src/report/render.js';
import { buildProfile } from '../helpers/build-profile.js';
import { cliBuilt, ROOT, runCli } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-hostile-reg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The reproducer: `\pL{1000}` a thousand times (9 KB), ~40 s and 7 GB in re2js.
const REGEX_BOMB = '\\pL{1000}'.repeat(1000);

describe('pattern bombs', () => {
  it('the cost estimate multiplies counted repetitions and nests', () => {
    expect(patternCost('runtime\\.mallocgc')).toBeLessThan(30);
    expect(patternCost('a{1000}')).toBe(1000);
    expect(patternCost('(a{10}){10}')).toBeGreaterThanOrEqual(100);
    expect(patternCost('((\\pL{100}){100}){100}')).toBeGreaterThan(1e6);
    expect(patternCost(REGEX_BOMB)).toBeGreaterThan(1e6);
    expect(patternOverBudget('x'.repeat(5000))).toMatch(/longer than 4,096/);
    expect(patternOverBudget(REGEX_BOMB)).toMatch(/too long|longer than/);
    expect(patternOverBudget('\\pL{1000}\\pL{1000}')).toMatch(/too complex.*over 5,000/);
    expect(patternOverBudget('^(runtime\\..*|main\\.f)$')).toBeUndefined();
  });

  it("a profile's drop_frames bomb is ignored with a warning, and top still answers", () => {
    for (const drop of [REGEX_BOMB, '(\\pL{1000}){1000}']) {
      const p = buildProfile({
        dropFrames: drop,
        samples: [
          [
            ['main.leaf', 'main.main'],
            [1, 10],
          ],
        ],
      });
      const bytes = encodePprof(p);
      const parsed = parseProfileBytes(bytes, 'bomb.pb');
      const t0 = performance.now();
      const r = top(parsed);
      expect(performance.now() - t0).toBeLessThan(5000); // was ~40 s; a hang guard, not a speed target
      expect(r.rows.map((x) => x.name)).toContain('main.leaf');
      expect(r.warnings.join('\n')).toMatch(/the profile's drop_frames was ignored: pattern/);
    }
  });

  it('keep_frames too', () => {
    const p = buildProfile({
      dropFrames: 'main\\..*',
      keepFrames: '(\\pL{1000}){100}',
      samples: [
        [
          ['main.leaf', 'main.main'],
          [1, 10],
        ],
      ],
    });
    const r = top(parseProfileBytes(encodePprof(p), 'keep.pb'));
    expect(r.warnings.join('\n')).toMatch(/keep_frames was ignored/);
  });

  it("a rule's re: pattern over the budget is a PatternError, not a 11 s compile", () => {
    // (`{1000}` alone is a macro name in rule patterns; `{1000,1000}` is the repetition.)
    expect(() => compilePattern(`re:${'[a-z]{1000,1000}'.repeat(17)}`)).toThrow(PatternError);
    expect(() => compilePattern(`re:${'[a-z]{1000,1000}'.repeat(17)}`)).toThrow(/too complex to compile/);
    expect(() => compilePattern(`re:${'x'.repeat(17000)}`)).toThrow(/longer than 4,096/);
    expect(compilePattern('re:^runtime\\.(mallocgc|memmove)$').test('runtime.memmove')).toBe(true);
  });

  it('--focus with a bomb is a one-line usage error', () => {
    expect(() => compileRegex('focus', '(a{1000}){1000}')).toThrow(UserError);
    expect(() => compileRegex('focus', '(a{1000}){1000}')).toThrow(/parsing focus regexp: pattern too complex/);
  });
});

describe('flame graph of a deep equal-value chain', () => {
  it('a 3,000,000-frame recursion gives a small page: the graph stops at depth 512 with a marker', () => {
    const profile = parseProfileBytes(deepStackProfile(3_000_000, 3), 'deep.pb');
    const data = buildPageData([{ name: 'deep.pb', profile }], []);
    const g = data.views[0]!.graph!;
    expect(g.name.length).toBeLessThan(600);
    expect(Math.max(...g.depth)).toBeLessThanOrEqual(513);
    expect(data.names.some((n) => /deeper frames not drawn \(the graph stops at depth 512\)/.test(n))).toBe(true);
    expect(JSON.stringify(data).length).toBeLessThan(200_000);
  });

  it('many equal siblings are capped at twice maxNodes, the rest in one "other"', () => {
    const samples: [string[], number[]][] = [];
    for (let i = 0; i < 3000; i++)
      samples.push([
        [`main.f${i}`, 'main.main'],
        [1, 1],
      ]);
    const profile = buildProfile({ samples });
    const data = buildPageData([{ name: 'wide.pb', profile }], [], { maxNodes: 100 });
    const g = data.views[0]!.graph!;
    expect(g.name.length).toBeLessThanOrEqual(202);
    expect(data.names.some((n) => /^other \(\d+ smaller frames\)$/.test(n))).toBe(true);
    expect(g.width.reduce((a, b, i) => a + (g.depth[i] === 2 ? b : 0), 0)).toBe(data.views[0]!.total);
  });
});

describe('credentials', () => {
  it('redactText: user-info, secret query values, Authorization and cookies', () => {
    expect(redactText('https://user:pass@host:2379/debug/pprof/heap?token=abc&seconds=5')).toBe(
      'https://***@host:2379/debug/pprof/heap?token=***&seconds=5',
    );
    expect(redactText('echo: Authorization: Basic dXNlcjpwYXNz\nCookie: sid=1')).toBe(
      'echo: Authorization: Basic ***\nCookie: ***',
    );
    expect(redactText('got bearer eyJhbGciOiJIUzI1NiJ9.x.y')).toBe('got bearer ***');
    expect(redactText('plain text, https://host/x?seconds=30')).toBe('plain text, https://host/x?seconds=30');
  });

  it('the command printed in Markdown and HTML reports has no password or token', () => {
    const cmd = commandLine([
      'analyze',
      'https://alice:s3cret@etcd:2379/debug/pprof/heap?token=T0KEN',
      '--format',
      'html',
    ]);
    expect(cmd).not.toMatch(/alice|s3cret|T0KEN/);
    expect(cmd).toContain('https://***@etcd:2379/debug/pprof/heap?token=***');
  });

  it.skipIf(!cliBuilt())('analyze URL --format markdown|html, and a server echoing Authorization', async () => {
    const profile = readFileSync(join(ROOT, 'test/fixtures/pprof/delta-heap.pb.gz'));
    const server = await listen((req, res) => {
      if (req.url?.startsWith('/debug/pprof/heap')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(profile);
      } else {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end(`unauthorized; you sent Authorization: ${req.headers.authorization} with cookie: a=b\n`);
      }
    }, 27260);
    try {
      const url = 'http://alice:s3cret@127.0.0.1:27260/debug/pprof/heap?token=T0KEN';
      for (const format of ['markdown', 'html']) {
        const r = await runCli(['analyze', url, '--format', format], { cwd: tmp });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout + r.stderr).not.toMatch(/alice|s3cret|T0KEN|YWxpY2U6czNjcmV0/);
        expect(r.stdout).toContain('***@127.0.0.1:27260');
      }
      const bad = await runCli(['fetch', 'http://alice:s3cret@127.0.0.1:27260/other'], { cwd: tmp });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/Authorization: Basic \*\*\*/);
      expect(bad.stderr).not.toMatch(/alice|s3cret|YWxpY2U6czNjcmV0/);
    } finally {
      server.close();
    }
  });
});

function listen(handler: Parameters<typeof createServer>[1], port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer(handler!);
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

describe.skipIf(!cliBuilt())('-o --force', () => {
  const profile = join(tmp, 'p.pb.gz');
  writeFileSync(profile, gzipSync(encodePprof(buildProfile({ samples: [[['main.f'], [1, 1]]] }))));

  it.each([
    [
      'a FIFO',
      () => {
        const f = join(tmp, 'fifo');
        execFileSync('mkfifo', [f]);
        return f;
      },
      /it is a FIFO \(named pipe\), not a regular file/,
    ],
    [
      'a symbolic link',
      () => {
        const target = join(tmp, 'target.txt');
        writeFileSync(target, 'keep me');
        const l = join(tmp, 'link');
        symlinkSync(target, l);
        return l;
      },
      /it is a symbolic link, not a regular file/,
    ],
    [
      'a dangling symbolic link',
      () => {
        const l = join(tmp, 'dangling');
        symlinkSync(join(tmp, 'nowhere'), l);
        return l;
      },
      /it is a symbolic link, not a regular file/,
    ],
    ['a device', () => '/dev/null', /it is a device, not a regular file/],
  ])('refuses %s with a one-line error', async (_what, make, message) => {
    const path = make();
    const r = await runCli(['top', profile, '-o', path, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
    if (path.endsWith('link')) expect(readFileSync(join(tmp, 'target.txt'), 'utf8')).toBe('keep me');
  });

  it("keeps the existing file's mode", async () => {
    const out = join(tmp, 'report.txt');
    writeFileSync(out, 'old');
    chmodSync(out, 0o640);
    const r = await runCli(['top', profile, '-o', out, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(readFileSync(out, 'utf8')).toMatch(/main\.f/);
  });

  it('removes its temporary file when SIGTERM arrives during the write', async () => {
    const dir = mkdtempSync(join(tmp, 'sig-'));
    const out = join(dir, 'big.bin');
    writeFileSync(out, 'old');
    // A child that writes 512 MiB through writeOutputFile; killed once its temp file appears.
    const script = `import { writeOutputFile } from ${JSON.stringify(join(ROOT, 'dist/io/output-file.js'))};
      await writeOutputFile(${JSON.stringify(out)}, new Uint8Array(512 * 1024 * 1024), { force: true });`;
    const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000 && !readdirSync(dir).some((f) => f.endsWith('.tmp'))) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(readdirSync(dir)).toEqual(['big.bin']);
    expect(readFileSync(out, 'utf8')).toBe('old');
  });
});

describe.skipIf(!cliBuilt())('download cap', () => {
  it('a body without Content-Length over --max-size is "too large", not a truncated download', async () => {
    const server = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // chunked: no Content-Length
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      let n = 0;
      const write = () => {
        while (n++ < 64) if (!res.write(chunk)) return void res.once('drain', write);
        res.end();
      };
      write();
    }, 27261);
    try {
      for (const cmd of ['fetch', 'analyze']) {
        const r = await runCli([cmd, 'http://127.0.0.1:27261/debug/pprof/heap', '--max-size', '1MB'], { cwd: tmp });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/the response is too large \(over 976\.6 KiB; use --max-size to raise the cap\)/);
        expect(r.stderr).not.toMatch(/truncated/);
      }
    } finally {
      server.close();
    }
  });
});
