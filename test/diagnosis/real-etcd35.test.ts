/**
 * The library's analysis on the real etcd 3.5 recordings (scripts/collect): Debian's etcd 3.5.16
 * and 3.5.30 server scenarios, client applications built against Debian's client 3.4 and 3.5, and Debian's
 * prometheus as a non-etcd control. Each scenario is analysed twice: with the recorded package
 * paths (Debian's GOPATH build: `go.etcd.io/etcd/server/…`) and with the upstream module paths
 * (`go.etcd.io/etcd/server/v3/…`, test/helpers/etcd35-upstream.ts).
 *
 * The expected top diagnosis of each scenario is what the scenario DID (its scenario.json names it:
 * 20,000 watchers, 1 MiB puts, 200,000 rewrites of one key, …), written here by hand.
 *
 * samples/heldout/ holds the same scenarios recorded with other parameters, on other versions (3.4.23
 * too), with heaps taken at other moments, plus scenarios recorded nowhere else
 * (scripts/collect/heldout.sh); `scenario@version` selects a version's own expectation.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { severityAtLeast } from '../../src/diagnosis/engine.js';
import { isSubset } from '../../src/diagnosis/versions.js';
import { loadProfile } from '../../src/input/load.js';
import { metricsFromText } from '../../src/metrics/load.js';
import { upstream35Copy } from '../helpers/etcd35-upstream.js';
import { analyze } from '../helpers/rule-tester.js';

type Expectation =
  | { kind: 'etcd-server' | 'etcd-client'; top: string; version: string; metrics?: true }
  | { kind: 'etcd-server'; top: null; version: string }
  | { kind: 'other-go'; top: string | null };

const SERVER_35 = '>=3.5.0 <3.6.0';
/** What each recorded scenario did, as the diagnosis that must come first. */
const EXPECTED: Record<string, Expectation> = {
  // an idle single member: nothing of severity warning or higher
  idle: { kind: 'etcd-server', top: null, version: SERVER_35 },
  // 20,000 watchers on 200 streams
  'many-watchers': { kind: 'etcd-server', top: 'watch-memory', version: SERVER_35 },
  // unpaginated ranges over large values
  'large-range': { kind: 'etcd-server', top: 'expensive-range', version: SERVER_35 },
  // count-only ranges over 500,000 keys (3.5: CountRevisions walks them all)
  'count-only': { kind: 'etcd-server', top: 'count-only-range-index-walk', version: SERVER_35 },
  // 50,000 leases
  'many-leases': { kind: 'etcd-server', top: 'lease-heap', version: SERVER_35 },
  // a new connection and a password Authenticate per request
  'password-auth': { kind: 'etcd-server', top: 'auth-password-bcrypt-cpu', version: SERVER_35 },
  // prefix watchers whose client stops reading
  'slow-watchers': { kind: 'etcd-server', top: 'watch-event-backlog', version: SERVER_35 },
  // one key rewritten 200,000 times, no compaction
  'uncompacted-history': { kind: 'etcd-server', top: 'mvcc-history-uncompacted', version: SERVER_35 },
  // 1 MiB puts on a 3-member cluster: the raft log holds them (leader and follower)
  'put-1mb-3member': { kind: 'etcd-server', top: 'raft-log-retention', version: SERVER_35 },
  // 20,000 leases with a 5 s TTL kept alive by one client: ~12,700 renewals/s
  'lease-keepalive': { kind: 'etcd-server', top: 'lease-keepalive-cpu', version: SERVER_35 },
  // the application side of it: 20,000 leases kept alive one by one
  'client-keepalive': { kind: 'etcd-client', top: 'clientv3-many-keepalives', version: '>=3.4.0' },
  // an application opening a watch per call and never reading nor cancelling it
  'client-watch-leak': { kind: 'etcd-client', top: 'clientv3-watcher-leak', version: '>=3.4.0' },
  // an application holding 5,000 watchers it reads
  'client-many-watchers': { kind: 'etcd-client', top: 'clientv3-many-watchers', version: '>=3.4.0' },
  // Debian's prometheus: a Go server that is not etcd
  'prometheus-control': { kind: 'other-go', top: null },
  // held-out: 30,000 keys of 2 KiB read by unpaginated ranges (many small values, not a few large ones)
  'small-range': { kind: 'etcd-server', top: 'expensive-range', version: SERVER_35 },
  // held-out: 400 puts of 256 KiB to one member, heap after the load and a GC
  'raft-log-after-load': { kind: 'etcd-server', top: 'raft-log-retention', version: SERVER_35 },
  // held-out: one physical compaction of 150,000 old revisions, during a CPU profile: 3.5.16's
  // compaction runs its batches back to back (fixed in 3.5.19); the exact version is the scrape's
  'compaction@3.5.16': { kind: 'etcd-server', top: 'compaction-ticker-latency', version: SERVER_35, metrics: true },
  // … and on 3.5.30 the same compaction is nothing to report
  compaction: { kind: 'etcd-server', top: null, version: SERVER_35 },
  // held-out: 10,000 leases with a key each expire together (3.4.23): every revoke's response header
  // opens a concurrent read that copies the pending-write buffer (fixed in 3.4.24)
  'lease-expiry@3.4.23': { kind: 'etcd-server', top: 'backend-concurrent-readtx-buffer-copy', version: SERVER_35 },
  // held-out: 10,000 watchers closed 10 s before the profiles (heap ?gc=1): nothing of them is held
  'watchers-closed': { kind: 'etcd-server', top: null, version: SERVER_35 },
  // held-out: defragmentation of a 166 MB db written just before in 313 Txn entries of 256 KiB: nothing
  // wrong with the defrag, and the raft log still holds those entries (fewer than --snapshot-count)
  defrag: { kind: 'etcd-server', top: 'raft-log-retention', version: SERVER_35 },
  // held-out: an application creating a client per request (10/s) and never closing it
  'client-unclosed-clients': { kind: 'etcd-client', top: 'clientv3-unclosed-clients', version: '>=3.4.0' },
  // held-out: a Go program (not etcd) whose 1,983 producers block in chan send behind a stuck consumer
  'go-stall': { kind: 'other-go', top: 'goroutine-pileup' },
};

const ROOTS = ['samples/etcd-3.5.16', 'samples/etcd-3.5.30', 'samples/clients', 'samples/control', 'samples/heldout'];
const PROFILE = /(\.pb\.gz|\/heap\.debug1\.txt|\/goroutine\.debug[12]\.txt(\.gz)?)$/;
/** Folders whose upstream-path copy differs from the recording (3.4's client is one module: nothing to rewrite). */
const HAS_UPSTREAM_COPY =
  /^samples\/(etcd-3\.5\.(16|30)|clients\/etcd-client-3\.5|heldout\/(3\.5\.\d+-(?!client34-)|[\d.]+-client35-))/;

interface Run {
  scenario: string;
  dir: string;
  files: string[];
  /** The server's version from scenario.json (`etcd_version`), when the run recorded a server. */
  etcdVersion?: string;
}

/** Every folder holding profiles of one run, with the scenario named by the nearest scenario.json. */
function runs(): Run[] {
  const out: Run[] = [];
  const walk = (dir: string, scenario: string | undefined, version: string | undefined) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const own = join(dir, 'scenario.json');
    const json = existsSync(own)
      ? (JSON.parse(readFileSync(own, 'utf8')) as { scenario: string; etcd_version?: string })
      : undefined;
    const name = json ? json.scenario : scenario;
    const etcdVersion = json ? json.etcd_version : version;
    // early snapshots of the client runs are for trend; series/ folders are for trend too
    const files = entries
      .filter((e) => e.isFile() && PROFILE.test(join(dir, e.name)) && !e.name.includes('.early.'))
      .map((e) => join(dir, e.name));
    if (files.length && name) out.push({ scenario: name, dir, files, ...(etcdVersion ? { etcdVersion } : {}) });
    for (const e of entries) if (e.isDirectory() && e.name !== 'series') walk(join(dir, e.name), name, etcdVersion);
  };
  for (const r of ROOTS) if (existsSync(r)) walk(r, undefined, undefined);
  return out;
}

async function load(files: string[], upstream: boolean) {
  return Promise.all(
    files.map(async (f) => ({
      profile: upstream ? await loadProfile(upstream35Copy(f), { name: f }) : await loadProfile(f),
      name: upstream ? `${f} (upstream paths)` : f,
    })),
  );
}

const found = runs();
const expectationOf = (r: Run): Expectation | undefined =>
  (r.etcdVersion ? EXPECTED[`${r.scenario}@${r.etcdVersion}`] : undefined) ?? EXPECTED[r.scenario];
/** The minor release a server recording must be placed in: 3.4.23 → >=3.4.0 <3.5.0. */
function minorRange(v: string): string {
  const [maj, min] = v.split('.').map(Number) as [number, number];
  return `>=${maj}.${min}.0 <${maj}.${min + 1}.0`;
}

describe.skipIf(found.length === 0)('real etcd 3.5 recordings: the right cause first', () => {
  it('every recorded scenario has an expectation here', () => {
    const unknown = [...new Set(found.filter((r) => !expectationOf(r)).map((r) => r.scenario))];
    expect(unknown).toEqual([]);
  });

  for (const run of found) {
    const exp = expectationOf(run);
    if (!exp) continue;
    const spellings = HAS_UPSTREAM_COPY.test(`${run.dir}/`) ? [false, true] : [false];
    for (const upstream of spellings) {
      it(`${run.dir} (${run.scenario}, ${upstream ? 'upstream module paths' : 'recorded paths'})`, async () => {
        // as `analyze DIR` does with the metrics.txt beside the profiles
        const metricsFile = join(run.dir, 'metrics.txt');
        const metrics =
          'metrics' in exp && exp.metrics ? metricsFromText(readFileSync(metricsFile, 'utf8'), metricsFile) : undefined;
        const r = await analyze(await load(run.files, upstream), metrics ? { metrics } : {});
        expect(r.process.kind).toBe(exp.kind);
        const ids = r.diagnoses.map((d) => `${d.id} ${d.severity} ${d.confidence}`);
        if (exp.kind === 'other-go') {
          // no etcd diagnosis for a program that is not etcd
          expect(r.diagnoses.filter((d) => d.appliesTo.some((a) => a.startsWith('etcd-')))).toEqual([]);
          if (exp.top !== null) expect(r.diagnoses[0]?.id, ids.join('; ')).toBe(exp.top);
          return;
        }
        // a server recording is placed in its own minor release (a client's: its library's)
        const version = exp.kind === 'etcd-server' && run.etcdVersion ? minorRange(run.etcdVersion) : exp.version;
        expect(isSubset(r.process.etcdVersion!.range, version), r.process.etcdVersion!.range).toBe(true);
        if (exp.top === null) {
          expect(r.diagnoses.filter((d) => severityAtLeast(d.severity, 'warning')).map((d) => d.id)).toEqual([]);
        } else {
          expect(r.diagnoses[0]?.id, ids.join('; ')).toBe(exp.top);
        }
      });
    }
  }
});
