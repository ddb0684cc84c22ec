/** The HTML report as a file: self-contained, escaped, deterministic, sane in size. */
import { describe, expect, it } from 'vitest';
import type { PageData } from '../../src/report/html/data.js';
import { esc, jsonForScript, renderHtml } from '../../src/report/html/page.js';
import { PAGE_JS } from '../../src/report/html/script.js';
import { buildProfile } from '../helpers/build-profile.js';
import { reportFor } from './helpers.js';

const EVIL = '</script><img src=x onerror=alert(1)>&amp;"\'<b>';

function embedded(html: string): PageData {
  const m = /<script type="application\/json" id="pd-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!);
}

/** Everything that would make a browser fetch something. */
function externalLoads(html: string): string[] {
  const found: string[] = [];
  for (const re of [
    /<script[^>]*\ssrc=/gi,
    /<link\b/gi,
    /<img\b/gi,
    /<iframe\b/gi,
    /<object\b/gi,
    /<embed\b/gi,
    /<video\b|<audio\b|<source\b/gi,
    /url\(\s*['"]?(?!data:)[a-z]/gi,
    /@import/gi,
    /@font-face/gi,
  ]) {
    for (const m of html.matchAll(re)) found.push(m[0]);
  }
  return found;
}

describe('HTML escaping helpers', () => {
  it('escapes text and attributes', () => {
    expect(esc(EVIL)).toBe('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;&quot;&#39;&lt;b&gt;');
  });

  it('embeds JSON that cannot close its script element and parses back', () => {
    const s = jsonForScript({ n: [EVIL, '\u2028'] });
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual({ n: [EVIL, '\u2028'] });
  });

  it('the page script never uses innerHTML or eval-like sinks, nor contains </script', () => {
    expect(PAGE_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(PAGE_JS.toLowerCase()).not.toContain('</script');
  });
});

describe('renderHtml', () => {
  const evil = buildProfile({
    sampleTypes: [
      ['alloc_space', 'bytes'],
      ['inuse_space', 'bytes'],
    ],
    defaultSampleType: 'inuse_space',
    samples: [
      [
        [EVIL, 'main.(*T).run', 'main.main'],
        [100, 10],
      ],
      [
        ['runtime.mallocgc', 'main.main'],
        [50, 40],
      ],
    ],
  });

  it('escapes profile strings everywhere', async () => {
    const { report } = await reportFor(['samples/docs/etcd-3.2.23-leader-cpu-tls.pb.gz']);
    const html = renderHtml(report, {
      inputs: [{ name: 'evil.pb.gz', profile: evil }],
      command: `pprof-doctor analyze ${EVIL}`,
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain(`<pre><code>pprof-doctor analyze ${esc(EVIL)}</code></pre>`);
    const data = embedded(html);
    expect(data.names).toContain(EVIL);
    expect(externalLoads(html)).toEqual([]);
  });

  it('is self-contained, forbids network requests and is deterministic', async () => {
    const { report, inputs } = await reportFor(['samples/docs/etcd-3.2.23-leader-cpu-tls.pb.gz']);
    const html = renderHtml(report, { inputs, command: 'pprof-doctor analyze --format html x' });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
    expect(externalLoads(html)).toEqual([]);
    // Links to references are plain navigations, only http(s).
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:\/\//);
    expect(renderHtml(report, { inputs, command: 'pprof-doctor analyze --format html x' })).toBe(html);
  });

  it("shows the report's notes, escaped (near miss: no notes, no section)", async () => {
    const { report, inputs } = await reportFor(['test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt']);
    report.notes = [];
    expect(renderHtml(report, { inputs })).not.toContain('<section id="notes">');
    report.notes = ['Go version markers disagree: <script>alert(1)</script> & more'];
    const html = renderHtml(report, { inputs });
    expect(html).toContain(
      '<section id="notes"><h2>Notes</h2><ul><li class="note">Go version markers disagree: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</li></ul></section>',
    );
  });

  it('says in the header when the input cannot tell the first finding from another (near miss: it can)', async () => {
    const { report, inputs } = await reportFor(['test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt']);
    expect(renderHtml(report, { inputs })).not.toContain('cannot tell');
    const [first, second] = report.diagnoses;
    first!.undecidedWith = ['gc-pressure'];
    first!.rankShare = [0.524, 0.524];
    expect(second).toBeUndefined(); // gc-pressure is not among them: named without a range
    expect(renderHtml(report, { inputs })).toContain(
      `<p class="summary">This input cannot tell whether ${first!.id} (52.4%) comes before gc-pressure: a pasted table gives ranges`,
    );
  });

  it('renders a card per diagnosis with severity, confidence, fix versions, evidence and steps', async () => {
    const { report, inputs } = await reportFor(['samples/docs/etcd-3.2.23-leader-cpu-tls.pb.gz']);
    const html = renderHtml(report, { inputs });
    expect(report.diagnoses.length).toBeGreaterThan(0);
    for (const d of report.diagnoses) {
      const card = new RegExp(`<article class="card ${d.severity}" id="d-${d.id}">[\\s\\S]*?</article>`).exec(html);
      expect(card, d.id).not.toBeNull();
      expect(card![0]).toContain(`confidence ${Math.round(d.confidence * 100)}%`);
      expect(card![0]).toContain('<dt>Fixed in</dt>');
      expect(card![0]).toContain('<h4>Evidence</h4>');
      for (const f of d.evidence[0]!.functions) expect(card![0]).toContain(`data-fn="${esc(f.name)}"`);
    }
  });

  it('embeds one view per sample type with a graph and the top table, the default type first shown', async () => {
    const { report, inputs } = await reportFor(['samples/etcd-3.4.23/put-1mb-3member/leader/heap.pb.gz']);
    const data = embedded(renderHtml(report, { inputs }));
    expect(data.views.map((v) => v.sampleType)).toEqual([
      'alloc_objects',
      'alloc_space',
      'inuse_objects',
      'inuse_space',
    ]);
    expect(data.views[data.initial]!.sampleType).toBe('inuse_space');
    const v = data.views[data.initial]!;
    expect(v.graph).not.toBeNull();
    expect(v.graph!.width[0]).toBe(v.total);
    expect(v.top.rows[0]!.name).toBe(report.top[0]!.name);
    expect(v.top.rows[0]!.flat).toBe(report.top[0]!.flatText);
    expect(v.top.rows[0]!.flatPct).toBe('96.16%');
  });

  it('handles several inputs (one view per input and type) and inputs without stacks', async () => {
    const dir = 'samples/etcd-3.4.23/many-watchers';
    const files = ['heap.pb.gz', 'cpu.pb.gz', 'goroutine.pb.gz', 'goroutine.debug2.txt'].map((f) => `${dir}/${f}`);
    const table = 'test/fixtures/docs/etcd-3.2.23-leader-heap.top.txt';
    const { report, inputs } = await reportFor([...files, table]);
    const html = renderHtml(report, { inputs });
    const data = embedded(html);
    expect(data.views.filter((v) => v.profile === `${dir}/heap.pb.gz`)).toHaveLength(4);
    expect(data.views.filter((v) => v.profile === `${dir}/cpu.pb.gz`).map((v) => v.label)).toEqual([
      'cpu.pb.gz · samples',
      'cpu.pb.gz · cpu',
    ]);
    const t = data.views.find((v) => v.profile === table)!;
    expect(t.graph).toBeNull();
    expect(t.top.rows.length).toBeGreaterThan(0);
    // Sane size for seven flame graphs.
    expect(html.length).toBeLessThan(2_500_000);
  });

  it('keeps big profiles small: frames under 0.1% merged, the count capped', async () => {
    const { report, inputs } = await reportFor(['test/fixtures/large.cpu.pb.gz']);
    const html = renderHtml(report, { inputs });
    expect(html.length).toBeLessThan(300_000);
    const data = embedded(html);
    for (const v of data.views) {
      expect(v.graph!.name.length).toBeLessThanOrEqual(4000 * 2);
      expect(v.graph!.mergedFrames).toBeGreaterThan(0);
    }
  });

  it('without profiles, still renders the top tables', async () => {
    const { report } = await reportFor(['samples/docs/etcd-3.2.23-leader-cpu-tls.pb.gz']);
    const data = embedded(renderHtml(report));
    expect(data.views).toHaveLength(1);
    expect(data.views[0]!.graph).toBeNull();
    expect(data.views[0]!.top.rows[0]!.name).toBe(report.top[0]!.name);
  });
});
