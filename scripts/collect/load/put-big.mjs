// put-big: rewrites ONE key `count` times with a `size`-byte value over a single
// connection, one put at a time (each waits for the previous to commit).
// With --minSeconds the puts are paced so the run lasts at least that long
// (so an 8 s CPU profile started a few seconds in lands inside the load).
import { connection, parseArgs, unary, log, sleep, value } from './common.mjs';

const o = parseArgs({ endpoint: '127.0.0.1:23911', key: '/big/key', count: 1000, size: 1048576, minSeconds: 0 });
const conn = connection(o.endpoint);
const key = Buffer.from(o.key);
// A few distinct payloads so consecutive values differ.
const payloads = Array.from({ length: 4 }, (_, i) => value(o.size, i + 1));
const t0 = Date.now();
log('START', JSON.stringify(o));
let lastRev = '0';
for (let i = 0; i < o.count; i++) {
  const res = await unary(conn.kv, 'Put', { key, value: payloads[i % payloads.length] });
  lastRev = res.header.revision;
  if ((i + 1) % 100 === 0)
    log(`put ${i + 1}/${o.count} rev=${lastRev} elapsed=${((Date.now() - t0) / 1000).toFixed(1)}s`);
  if (o.minSeconds > 0) {
    const due = t0 + ((i + 1) * o.minSeconds * 1000) / o.count;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
  }
}
log(
  'DONE',
  JSON.stringify({ puts: o.count, valueBytes: o.size, lastRevision: lastRev, seconds: (Date.now() - t0) / 1000 }),
);
conn.close();
process.exit(0);
