/**
 * The HTML report in a real browser (Debian's chromium driven by playwright-core): it renders
 * with no console error and no network request, the flame graph shows the top function, a click
 * zooms, the search highlights, the tooltip shows on hover, the sample type switch changes the
 * graph. Saves test-artifacts/report.png. Skipped when /usr/bin/chromium is not installed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { top } from '../../src/analysis/top.js';
import { renderReport } from '../../src/report/render.js';
import { reportFor } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Loaded {
  page: Page;
  problems: string[];
  requests: string[];
}

describe.skipIf(!existsSync(CHROMIUM))('HTML report in chromium', () => {
  let dir: string;
  let ctx: BrowserContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pprof-doctor-html-'));
    ctx = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 1000 },
    });
  }, 60_000);

  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(paths: string[], file: string): Promise<Loaded> {
    const { report, inputs } = await reportFor(paths);
    const html = await renderReport(report, 'html', {
      inputs,
      command: `pprof-doctor analyze --format html ${paths.join(' ')}`,
    });
    const path = join(dir, file);
    writeFileSync(path, html);
    const url = pathToFileURL(path).href;
    const page = await ctx.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    return { page, problems, requests };
  }

  /** Text and box of every drawn frame. */
  function frames(page: Page): Promise<{ i: number; text: string; left: number; width: number; cls: string }[]> {
    return page.$$eval('#fg .fr', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return {
          i: Number(e.getAttribute('data-i')),
          text: e.textContent ?? '',
          left: r.left,
          width: r.width,
          cls: e.className,
        };
      }),
    );
  }

  it('renders the diagnosis, the flame graph with the top function, zoom, search, tooltip; no errors, no requests', async () => {
    const sample = 'samples/docs/etcd-3.2.23-leader-cpu-tls.pb.gz';
    const { page, problems, requests } = await open([sample], 'cpu.html');
    const { report, inputs } = await reportFor([sample]);

    // Cards.
    const titles = await page.$$eval('.card h3', (els) => els.map((e) => e.textContent));
    expect(titles).toEqual(report.diagnoses.map((d, i) => `${i + 1}. ${d.title}`));

    // The top function of `top` is drawn, and is the first row of the top table.
    const topName = top(inputs[0]!.profile, { nodeCount: 1 }).rows[0]!.name;
    const all = await frames(page);
    expect(all.length).toBeGreaterThan(50);
    expect(all.map((f) => f.text)).toContain(topName);
    expect(await page.textContent('#top-body tr td.fn button')).toBe(topName);

    // Tooltip on hover.
    const handshake = page.locator('#fg .fr', { hasText: /^crypto\/tls\.\(\*Conn\)\.Handshake$/ }).first();
    await handshake.hover();
    expect(await page.isVisible('#fg-tip')).toBe(true);
    const tip = (await page.textContent('#fg-tip')) ?? '';
    expect(tip).toContain('crypto/tls.(*Conn).Handshake');
    expect(tip).toMatch(/\d+(\.\d+)?s — \d+(\.\d+)?% of total/);

    // Click to zoom: the frame then spans the whole graph width.
    const fgWidth = await page.$eval('#fg', (e) => e.clientWidth);
    const before = (await frames(page)).find((f) => f.text === 'crypto/tls.(*Conn).Handshake')!;
    expect(before.width).toBeLessThan(fgWidth - 20);
    await handshake.click();
    const after = (await frames(page)).find((f) => f.i === before.i)!;
    expect(Math.abs(after.width - fgWidth)).toBeLessThan(2);
    expect(await page.textContent('#fg-crumbs')).toContain('crypto/tls.(*Conn).Handshake');
    // Frames outside the zoomed subtree (other than its callers) are gone.
    expect((await frames(page)).some((f) => f.text === 'runtime.gcBgMarkWorker')).toBe(false);
    await page.click('#fg-reset');
    expect((await frames(page)).find((f) => f.i === before.i)!.width).toBeCloseTo(before.width, 0);

    // Search highlights the matching frames and shows the matched share.
    await page.fill('#fg-search', 'math/big');
    await expect.poll(() => page.$$eval('#fg .fr.hl', (els) => els.length)).toBeGreaterThan(0);
    const hl = (await frames(page)).filter((f) => f.cls.includes('hl'));
    expect(hl.length).toBeGreaterThan(5);
    for (const f of hl) expect(f.text).toMatch(/math\/big/);
    const match = (await page.textContent('#fg-match')) ?? '';
    const pct = Number(/matched ([\d.]+)% of total/.exec(match)?.[1]);
    expect(pct).toBeGreaterThan(30);
    expect(pct).toBeLessThan(50);
    // A function in an evidence list highlights it too.
    await page.click('.card code.fn >> nth=0');
    await expect.poll(() => page.inputValue('#fg-search')).toMatch(/^\^/);
    expect((await frames(page)).filter((f) => f.cls.includes('hl')).length).toBeGreaterThan(0);
    await page.fill('#fg-search', '');

    mkdirSync(resolve('test-artifacts'), { recursive: true });
    await page.screenshot({ path: resolve('test-artifacts/report.png'), fullPage: true });

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('switches between sample types and inputs', async () => {
    const dir = 'samples/etcd-3.4.23/put-1mb-3member/leader';
    const { page, problems, requests } = await open([`${dir}/heap.pb.gz`, `${dir}/cpu.pb.gz`], 'leader.html');
    const options = await page.$$eval('#fg-view option', (els) => els.map((e) => e.textContent ?? ''));
    expect(options.map((o) => o.split(' — ')[0])).toEqual([
      'heap.pb.gz · alloc_objects',
      'heap.pb.gz · alloc_space',
      'heap.pb.gz · inuse_objects',
      'heap.pb.gz · inuse_space',
      'cpu.pb.gz · samples',
      'cpu.pb.gz · cpu',
    ]);
    expect(await page.$eval('#fg-view option:checked', (e) => e.textContent)).toMatch(/^heap\.pb\.gz · inuse_space/);
    const inuse = await frames(page);
    const marshal = inuse.find((f) => f.text.endsWith('(*InternalRaftRequest).Marshal'));
    expect(marshal).toBeDefined();
    const title = await page.textContent('#top-title');

    await page.selectOption('#fg-view', { index: 0 });
    const objects = await frames(page);
    expect(await page.textContent('#top-title')).not.toBe(title);
    expect(objects.map((f) => `${f.text}@${Math.round(f.width)}`)).not.toEqual(
      inuse.map((f) => `${f.text}@${Math.round(f.width)}`),
    );

    await page.selectOption('#fg-view', { index: 5 });
    const cpu = await frames(page);
    expect(cpu.some((f) => f.text === 'runtime.mcall' || f.text.startsWith('go.etcd.io/'))).toBe(true);
    expect(await page.textContent('#fg-total')).toContain('cpu');

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows a pasted table (no stacks) without a flame graph and without errors', async () => {
    const { page, problems, requests } = await open(
      ['test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt'],
      'table.html',
    );
    expect(await page.textContent('#fg')).toContain('No call stacks');
    expect(await page.$$eval('#top-body tr', (els) => els.length)).toBeGreaterThan(3);
    expect(await page.isDisabled('#fg-view')).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);
});
