// analyze with a /metrics scrape: named as an argument, as --metrics FILE|URL, or beside the profiles.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';

const dir = 'samples/etcd-3.4.23/many-watchers';

describe('analyze --metrics', () => {
  it('a metrics.txt named as an argument is read as the scrape, not refused as "not a profile"', async () => {
    const r = await runMain(['analyze', `${dir}/heap.pb.gz`, `${dir}/metrics.txt`, '--format', 'json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.process.etcdVersion).toMatchObject({ label: '3.4.23', source: 'metrics' });
    expect(doc.profiles).toHaveLength(1);
  });
  it('--metrics URL is fetched; text shows the verdicts', async () => {
    const body = readFileSync(`${dir}/metrics.txt`);
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/metrics' ? 200 : 404, { 'Content-Type': 'text/plain' });
      res.end(req.url === '/metrics' ? body : 'no');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await runMain(['analyze', dir, '--metrics', `http://127.0.0.1:${port}/metrics`]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/etcd 3\.4\.23 \(metrics\)/);
      expect(r.stdout).toMatch(
        /etcd_debugging_mvcc_watcher_total: number of watchers \[✓ confirmed: 20000 >= 1000 in\s+http:\/\/127\.0\.0\.1:\d+\/metrics\]/,
      );
    } finally {
      server.close();
    }
  });
  it('a bad scrape: one line naming the file and the line', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pprof-doctor-metrics-'));
    try {
      writeFileSync(join(tmp, 'm.txt'), '# TYPE x gauge\nx{a=1} 2\n');
      const r = await runMain(['analyze', `${dir}/heap.pb.gz`, '--metrics', join(tmp, 'm.txt')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `pprof-doctor: ${join(tmp, 'm.txt')}: not Prometheus text format: line 2: label a without ="value"\n`,
      );
      const missing = await runMain(['analyze', `${dir}/heap.pb.gz`, '--metrics', join(tmp, 'none.txt')]);
      expect(missing.stderr).toMatch(
        /^pprof-doctor: cannot read --metrics file '.*none\.txt': no such file or directory\n$/,
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
