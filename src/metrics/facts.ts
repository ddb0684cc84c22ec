/**
 * What a member's /metrics scrape states exactly: versions, raft role, member id, and the counts the
 * models would otherwise estimate from sampled profiles. Pure code.
 */
import { type PromScrape, firstOf, sumOf } from './prom-text.js';

export interface MetricFacts {
  /** Where the scrape came from (file name or URL as printed). */
  source: string;
  etcdVersion?: string;
  goVersion?: string;
  isLeader?: boolean;
  /** Hex member id (etcd_server_id{server_id}). */
  memberId?: string;
  watchers?: number;
  watchStreams?: number;
  slowWatchers?: number;
  pendingEvents?: number;
  keys?: number;
  dbSize?: number;
  dbSizeInUse?: number;
  heapInuse?: number;
  rss?: number;
  goroutines?: number;
  proposalsCommitted?: number;
  proposalsApplied?: number;
  /** Any etcd server metric present: the process is an etcd server. */
  etcdServer: boolean;
}

function label(scrape: PromScrape, name: string, key: string, re: RegExp): string | undefined {
  const v = firstOf(scrape, name)?.labels[key];
  return v !== undefined && re.test(v) ? v : undefined;
}

export function metricFacts(scrape: PromScrape, source: string): MetricFacts {
  const f: MetricFacts = { source, etcdServer: false };
  const set = <K extends keyof MetricFacts>(k: K, v: MetricFacts[K] | undefined) => {
    if (v !== undefined && !(typeof v === 'number' && !Number.isFinite(v))) f[k] = v;
  };
  set('etcdVersion', label(scrape, 'etcd_server_version', 'server_version', /^\d+\.\d+\.\d+[\w.+-]{0,40}$/));
  const go = label(scrape, 'go_info', 'version', /^go\d+\.\d+(\.\d+)?[\w.+-]{0,40}$/);
  set('goVersion', go?.replace(/^go/, ''));
  const leader = sumOf(scrape, 'etcd_server_is_leader');
  if (leader !== undefined) f.isLeader = leader === 1;
  set('memberId', label(scrape, 'etcd_server_id', 'server_id', /^[0-9a-f]{1,16}$/));
  set('watchers', sumOf(scrape, 'etcd_debugging_mvcc_watcher_total'));
  set('watchStreams', sumOf(scrape, 'etcd_debugging_mvcc_watch_stream_total'));
  set('slowWatchers', sumOf(scrape, 'etcd_debugging_mvcc_slow_watcher_total'));
  set('pendingEvents', sumOf(scrape, 'etcd_debugging_mvcc_pending_events_total'));
  set('keys', sumOf(scrape, 'etcd_debugging_mvcc_keys_total'));
  set(
    'dbSize',
    sumOf(scrape, 'etcd_mvcc_db_total_size_in_bytes') ?? sumOf(scrape, 'etcd_debugging_mvcc_db_total_size_in_bytes'),
  );
  set('dbSizeInUse', sumOf(scrape, 'etcd_mvcc_db_total_size_in_use_in_bytes'));
  set('heapInuse', sumOf(scrape, 'go_memstats_heap_inuse_bytes'));
  set('rss', sumOf(scrape, 'process_resident_memory_bytes'));
  set('goroutines', sumOf(scrape, 'go_goroutines'));
  set('proposalsCommitted', sumOf(scrape, 'etcd_server_proposals_committed_total'));
  set('proposalsApplied', sumOf(scrape, 'etcd_server_proposals_applied_total'));
  f.etcdServer =
    f.etcdVersion !== undefined ||
    scrape.samples.some((s) => s.name.startsWith('etcd_server_') || s.name.startsWith('etcd_mvcc_'));
  return f;
}
