// rewrite: puts ONE key `count` times (`concurrency` puts in flight on one
// connection) with `valueBytes`-byte values, and never compacts, so etcd keeps
// every revision of the key: one keyIndex whose generation holds `count`
// revisions, and `count` versions in the backend. Prints a DONE line.
// Stops early (with a DONE line saying so) after `seconds`.
import { connection, parseArgs, unary, log, pool, value } from './common.mjs';

const o = parseArgs({
  endpoint: '127.0.0.1:23911',
  key: '/history/key',
  count: 200000,
  concurrency: 64,
  valueBytes: 32,
  seconds: 900,
});
const conn = connection(o.endpoint);
const key = Buffer.from(o.key);
const payloads = Array.from({ length: 8 }, (_, i) => value(o.valueBytes, i + 1));
const t0 = Date.now();
const deadline = t0 + o.seconds * 1000;
log('START', JSON.stringify(o));
let done = 0;
let lastRev = '0';
let stoppedEarly = false;
await pool(o.count, o.concurrency, async (i) => {
  if (Date.now() > deadline) {
    stoppedEarly = true;
    return;
  }
  const res = await unary(conn.kv, 'Put', { key, value: payloads[i % payloads.length] });
  if (BigInt(res.header.revision) > BigInt(lastRev)) lastRev = res.header.revision;
  if (++done % 20000 === 0)
    log(`put ${done}/${o.count} rev=${lastRev} elapsed=${((Date.now() - t0) / 1000).toFixed(1)}s`);
});
log(
  'DONE',
  JSON.stringify({
    key: o.key,
    puts: done,
    valueBytes: o.valueBytes,
    concurrency: o.concurrency,
    lastRevision: lastRev,
    seconds: (Date.now() - t0) / 1000,
    stoppedEarly,
  }),
);
conn.close();
process.exit(0);
