#!/usr/bin/env node
/**
 * Regenerates test/fixtures/weblist/: real `go tool pprof -weblist` pages, and the text a browser
 * gives when the page is copied, from a heap profile of a small Go program built here so that its
 * source and binary are present (pprof reads both: the source for the lines, the binary for the
 * disassembly under each line).
 *
 * 1. Copies test/fixtures/weblist/main.go.txt to /tmp/pprof-doctor-weblist/main.go (a fixed path:
 *    it is printed in the pages), builds it with Go 1.19 and runs it: heap.pb.gz (MemProfileRate 1,
 *    so the figures are the program's own allocations).
 * 2. For Go 1.19 (`go`) and Go 1.24 (GOROOT=/work/debs/go124/…): `go tool pprof -sample_index=inuse_space
 *    -weblist='^main\.' -output=weblist-<go>.html prog heap.pb.gz`.
 * 3. Opens each page in Debian's chromium (playwright-core, file:// only, no network) and writes
 *    the page's text as a copy gives it (`document.body.innerText`: hidden disassembly left out) to
 *    weblist-<go>.copied.txt.
 * 4. The same for the source view of pprof's web UI (`go tool pprof -http=127.0.0.1:$PORT -no_browser`,
 *    PORT 24100 unless set; listening on the loopback only, stopped by its pid): /ui/source?f=^main\.
 *    fetched over 127.0.0.1, to http-source-<go>.html and http-source-<go>.copied.txt.
 * Also writes `go tool pprof -list` of the same profile (list-go1.19.txt), whose figures the
 * weblist pages must agree with, and test/fixtures/list/gc-list-go1.19.txt: `-list` of the runtime's
 * GC marking functions in a committed etcd CPU profile (samples/etcd-3.4.23/many-leases/cpu.pb.gz,
 * etcd built with Go 1.19), with Go 1.19's own source on the source path so that every line shows:
 * a list paste on which a rule (gc-pressure) fires with per-line detail.
 *
 *   node scripts/source-views/regen.mjs
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'test/fixtures/weblist');
const work = '/tmp/pprof-doctor-weblist';
const GO124_ROOT = '/work/debs/go124/usr/lib/go-1.24';
const GOS = [
  { id: 'go1.19', bin: 'go', env: {} },
  { id: 'go1.24', bin: `${GO124_ROOT}/bin/go`, env: { GOROOT: GO124_ROOT } },
];

const run = (bin, args, env = {}) =>
  execFileSync(bin, args, {
    cwd: work,
    env: { ...process.env, ...env, TZ: 'UTC' },
    encoding: 'utf8',
    timeout: 120_000,
  });

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
copyFileSync(join(out, 'main.go.txt'), join(work, 'main.go'));
writeFileSync(join(work, 'go.mod'), 'module weblistprog\n\ngo 1.19\n');
run('go', ['build', '-o', 'prog', '.'], { GOFLAGS: '-mod=mod', GOPROXY: 'off' });
run(join(work, 'prog'), [join(work, 'heap.pb.gz')]);
copyFileSync(join(work, 'heap.pb.gz'), join(out, 'heap.pb.gz'));

const PORT = Number(process.env.PORT ?? 24100);

/** The source view of `go tool pprof -http`, fetched once the server answers (at most ~30 s). */
async function httpSource(go) {
  const child = spawn(
    go.bin,
    ['tool', 'pprof', `-http=127.0.0.1:${PORT}`, '-no_browser', '-sample_index=inuse_space', 'prog', 'heap.pb.gz'],
    { cwd: work, env: { ...process.env, ...go.env, TZ: 'UTC', PPROF_TMPDIR: work }, stdio: 'ignore' },
  );
  try {
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        const res = await fetch(`http://127.0.0.1:${PORT}/ui/source?f=${encodeURIComponent('^main\\.')}`);
        if (res.ok) return await res.text();
      } catch {
        // not listening yet
      }
    }
    throw new Error(`go tool pprof -http did not answer on 127.0.0.1:${PORT}`);
  } finally {
    child.kill('SIGTERM');
  }
}

/** The page's text as a browser copy gives it (file:// only, every other request refused). */
async function copied(browser, html) {
  const page = await browser.newPage();
  await page.route('**/*', (r) => (r.request().url().startsWith('file:') ? r.continue() : r.abort()));
  await page.goto(pathToFileURL(html).href);
  // biome-ignore lint/performance/useDomNodeTextContent: a copy gives the rendered text, hidden elements left out
  const text = await page.evaluate(() => document.body.innerText);
  await page.close();
  return text.endsWith('\n') ? text : `${text}\n`;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const go of GOS) {
    const html = join(work, `weblist-${go.id}.html`);
    run(
      go.bin,
      ['tool', 'pprof', '-sample_index=inuse_space', '-weblist=^main\\.', `-output=${html}`, 'prog', 'heap.pb.gz'],
      {
        ...go.env,
        PPROF_TMPDIR: work,
      },
    );
    copyFileSync(html, join(out, `weblist-${go.id}.html`));
    writeFileSync(join(out, `weblist-${go.id}.copied.txt`), await copied(browser, html));
    const src = join(work, `http-source-${go.id}.html`);
    writeFileSync(src, await httpSource(go));
    copyFileSync(src, join(out, `http-source-${go.id}.html`));
    writeFileSync(join(out, `http-source-${go.id}.copied.txt`), await copied(browser, src));
  }
} finally {
  await browser.close();
}
writeFileSync(
  join(out, 'list-go1.19.txt'),
  run('go', ['tool', 'pprof', '-sample_index=inuse_space', '-list=^main\\.', 'prog', 'heap.pb.gz'], {
    PPROF_TMPDIR: work,
  }),
);
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
mkdirSync(join(root, 'test/fixtures/list'), { recursive: true });
writeFileSync(
  join(root, 'test/fixtures/list/gc-list-go1.19.txt'),
  execFileSync(
    'go',
    [
      'tool',
      'pprof',
      '-list=^runtime\\.(gcBgMarkWorker|gcDrain|scanobject)$',
      `-source_path=${goroot}/src`,
      'samples/etcd-3.4.23/many-leases/cpu.pb.gz',
    ],
    { cwd: root, env: { ...process.env, TZ: 'UTC', PPROF_TMPDIR: work }, encoding: 'utf8', timeout: 120_000 },
  ),
);
console.log(`weblist fixtures written to ${out}, the list fixture to test/fixtures/list`);
