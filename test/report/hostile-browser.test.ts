/**
 * Issue #13, HTML: every HTML output (analyze, top, diff) of a profile full of hostile strings
 * (scripts/fuzz/hostile.mjs: `</script><script>…`, `<img onerror>`, controls, bidi) opened in a
 * real browser (Debian's chromium via playwright-core) runs no script from a name, opens no
 * dialog, sends no request, and shows the names as text. Skipped without /usr/bin/chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileProfileSpec } from '../../scripts/fuzz/hostile.mjs';
import { encodePprof } from '../../src/profile/encode.js';
import { buildProfile } from '../helpers/build-profile.js';
import { cliBuilt, runCli } from '../safety/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

describe.skipIf(!existsSync(CHROMIUM) || !cliBuilt())('hostile names in the HTML reports, in chromium', () => {
  let dir: string;
  let ctx: BrowserContext;
  let profile: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-hostile-html-'));
    profile = join(dir, 'cpu<img src=x onerror=alert(1)>.pb.gz');
    writeFileSync(profile, gzipSync(encodePprof(buildProfile(hostileProfileSpec() as never))));
    const b = hostileProfileSpec();
    b.samples = b.samples.slice(3, 9);
    base = join(dir, 'base.pb.gz');
    writeFileSync(base, gzipSync(encodePprof(buildProfile(b as never))));
    ctx = await chromium.launchPersistentContext(join(dir, 'browser'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
  }, 60_000);

  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['analyze', (out: string) => ['analyze', profile, '--format', 'html', '-o', out], true],
    ['top', (out: string) => ['top', profile, '--format', 'html', '-o', out], true],
    ['diff', (out: string) => ['diff', base, profile, '--format', 'html', '-o', out], false],
  ] as const)('%s --format html runs no script from a name', async (name, args, interactive) => {
    const out = join(dir, `${name}.html`);
    const r = await runCli([...args(out)]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');

    const url = pathToFileURL(out).href;
    const page = await ctx.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (q) => {
      if (q.url() !== url) requests.push(q.url());
    });
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url);
    if (interactive) await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    // Give any injected handler (onerror of a broken image) its chance to run.
    await page.waitForTimeout(300);
    if (interactive) {
      // Search and hover make the page build more DOM from names.
      const search = await page.$('input[type="search"]');
      if (search) await search.fill('attacker');
      await page.waitForTimeout(100);
    }
    const pwned = await page.evaluate('window.__pwned');
    expect(pwned).toBeUndefined();
    expect(await page.$$('img[src="x"]')).toHaveLength(0);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    // The names are there, as text.
    expect(await page.evaluate('document.body.innerText')).toContain('attacker.Html</script><script>');
    await page.close();
  });
});
