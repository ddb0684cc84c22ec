import { describe, expect, it } from 'vitest';
import {
  commandLine,
  formatExtension,
  isReportFormat,
  REPORT_FORMATS,
  renderReport,
  shellQuote,
} from '../../src/report/render.js';
import { reportFor } from './helpers.js';

describe('renderReport', () => {
  it('renders every format from one report', async () => {
    const sample = 'samples/docs/etcd-3.2.23-leader-cpu-tls.pb.gz';
    const { report, inputs } = await reportFor([sample]);
    const opts = { inputs, command: commandLine(['analyze', sample]) };
    const text = await renderReport(report, 'text', { ...opts, width: 200 });
    const md = await renderReport(report, 'markdown', opts);
    const json = await renderReport(report, 'json', opts);
    const html = await renderReport(report, 'html', opts);
    for (const out of [text, md, json, html]) {
      expect(out.endsWith('\n')).toBe(true);
      expect(out).toContain(report.diagnoses[0]!.title);
    }
    expect(md.startsWith('## pprof-doctor report:')).toBe(true);
    expect(md).toContain(`pprof-doctor analyze ${sample}`);
    expect(JSON.parse(json).schemaVersion).toBe(2);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('id="fg"');
  });
});

describe('helpers', () => {
  it('knows the formats and their extensions', () => {
    expect(REPORT_FORMATS).toEqual(['text', 'markdown', 'json', 'html']);
    expect(isReportFormat('markdown')).toBe(true);
    expect(isReportFormat('pdf')).toBe(false);
    expect(REPORT_FORMATS.map(formatExtension)).toEqual(['.txt', '.md', '.json', '.html']);
  });

  it('quotes a command line for a POSIX shell', () => {
    expect(shellQuote('heap.pb.gz')).toBe('heap.pb.gz');
    expect(shellQuote('--format=markdown')).toBe('--format=markdown');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's here")).toBe("'it'\\''s here'");
    expect(shellQuote('$(rm -rf /)')).toBe("'$(rm -rf /)'");
    expect(commandLine(['analyze', 'my profile.pb.gz'])).toBe("pprof-doctor analyze 'my profile.pb.gz'");
  });
});
