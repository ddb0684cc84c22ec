/**
 * The library entry as a user imports it: `import { loadProfile, top } from 'pprof-doctor'`, resolved
 * through package.json "exports" to the built dist/ (a child process, so Node's own resolver runs).
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './cli/cli-helpers.js';

const script = `
import { loadProfile, top, formatTop, analyzeProfiles, loadRules } from 'pprof-doctor';
const profile = await loadProfile('samples/docs/etcd-3.2.23-leader-heap.pb.gz');
const t = top(profile, { nodeCount: 3 });
const rules = await loadRules();
const report = await analyzeProfiles([{ name: 'heap', profile }], rules, {});
console.log(JSON.stringify({
  sampleType: t.header.sampleType,
  first: t.rows[0].name,
  rows: t.rows.length,
  text: formatTop(t, {}).split('\\n').length > 3,
  diagnosis: report.diagnoses[0]?.id,
}));
`;

describe("import from 'pprof-doctor'", () => {
  beforeAll(() => ensureBuilt());

  it('loads a profile, computes top and diagnoses through the package entry', () => {
    // Self-reference: inside the package, Node resolves 'pprof-doctor' through its own "exports".
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(r.stderr.toString()).toBe('');
    const out = JSON.parse(r.stdout.toString());
    expect(out.sampleType).toBe('inuse_space');
    expect(out.first).toContain('transport.(*recvBuffer).put');
    expect(out.rows).toBe(3);
    expect(out.text).toBe(true);
    expect(out.diagnosis).toBe('lease-keepalive-storm');
  });
});
