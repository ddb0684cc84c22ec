// The committed bundle of a mixed 3.4.23 / 3.5.16 cluster (samples/etcd-3.5.16, recorded by
// scripts/collect/bundle-mixed-3.5.sh with `pprof-doctor collect`): the manifest matches the
// files, and analyze reads the 3.5 member apart from the 3.4 ones with versions from its metrics.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/collect/manifest.js';
import { runMain } from '../helpers/run-main.js';

const DIR = 'samples/etcd-3.5.16/mixed-bundle';

describe('mixed 3.4.23 / 3.5.16 bundle', () => {
  it('every file the manifest names is there with its size and SHA-256', () => {
    const m = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.members.map((x) => [x.name, x.etcdVersion])).toEqual([
      ['m1', '3.4.23'],
      ['m2', '3.4.23'],
      ['m3', '3.5.16'],
    ]);
    const kept = m.files.filter((f) => f.path);
    expect(kept.length).toBeGreaterThanOrEqual(27);
    for (const f of kept) {
      const bytes = readFileSync(join(DIR, f.path!));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    }
    for (const f of m.files.filter((x) => x.skipped))
      expect(existsSync(join(DIR, f.member, `${f.kind}.pb.gz`))).toBe(false);
  });

  it('analyze: the 3.5.16 member analysed apart, version and role from its own metrics and status', async () => {
    const r = await runMain(['analyze', DIR, '--format', 'json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    ajv.addSchema(JSON.parse(readFileSync('schema/analysis.schema.json', 'utf8')));
    const validate = ajv.compile(JSON.parse(readFileSync('schema/cluster.schema.json', 'utf8')));
    expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
    const m3 = doc.cluster.members.find((x: { name: string }) => x.name === 'm3');
    expect(m3).toMatchObject({ etcdVersion: '3.5.16', goVersion: '1.24.0', role: 'follower', roleSource: 'status' });
    expect(doc.cluster.members.filter((x: { role: string }) => x.role === 'leader')).toHaveLength(1);
    expect(doc.cluster.notes).toContain('members run different etcd versions: 3.4.23, 3.5.16');
    const rep = doc.members.find((x: { member: string }) => x.member === 'm3').report;
    expect(rep.process).toMatchObject({ kind: 'etcd-server', role: 'follower' });
    expect(rep.process.etcdVersion).toMatchObject({ label: '3.5.16', source: 'metrics' });
    expect(rep.profiles.every((p: { name: string }) => p.name.startsWith(`${DIR}/m3/`))).toBe(true);
    // its frames are 3.5's layout (go.etcd.io/etcd/server/…; Debian's build drops the /v3 suffix)
    expect(JSON.stringify(rep.tops)).toMatch(/go\.etcd\.io\/etcd\/server\/etcdserver/);
    // Its profiles alone make it a 3.5 server (the GOPATH-mode layout is recognised); the scrape only
    // pins the exact versions, so no process-kind override is needed.
    expect(rep.process.evidence.join('\n')).toMatch(/etcd server packages/);
    expect(rep.notes.join('\n')).not.toMatch(/treated as an etcd server/);
    // its profiles' start lines (Go 1.24) already narrow it to 3.5.16 or the next patch; the scrape pins it
    expect(rep.notes.join('\n')).toMatch(/etcd 3\.5\.16 from etcd_server_version.* overrides the inferred 3\.5\.16/);
  });
});
