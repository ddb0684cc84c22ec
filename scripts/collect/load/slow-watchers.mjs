// slow-watchers: watchers whose consumer stops reading. `streams` Watch streams
// on one connection, `watchersPerStream` watchers each, every watcher on the
// whole `prefix` range. Once every watcher is created the client stops
// reading the streams (stream.pause(): grpc-js then stops reading the HTTP/2
// stream, so its flow-control window is never replenished and etcd's
// sendLoop blocks). Then it puts `valueBytes`-byte values to `keys` keys under
// the prefix at `rate` puts/s for `writeSeconds`: etcd's per-stream channel
// fills and the watchers become victims / unsynced (watchableStore's slow
// watcher path). Prints READY when the watchers exist, DONE at the end; exits
// after `holdSeconds` since READY.
import { connection, parseArgs, unary, log, sleep, value } from './common.mjs';

const o = parseArgs({
  endpoint: '127.0.0.1:23911',
  streams: 20,
  watchersPerStream: 10,
  prefix: '/slow/',
  keys: 100,
  rate: 100,
  valueBytes: 1024,
  writeSeconds: 60,
  holdSeconds: 90,
});
const conn = connection(o.endpoint);
const prefix = Buffer.from(o.prefix);
const rangeEnd = Buffer.from(prefix);
rangeEnd[rangeEnd.length - 1]++;

function openStream() {
  return new Promise((resolve, reject) => {
    const stream = conn.watch.Watch();
    let created = 0;
    const next = () => stream.write({ create_request: { key: prefix, range_end: rangeEnd } });
    const onData = (res) => {
      if (!res.created) return;
      if (++created === o.watchersPerStream) {
        stream.off('data', onData);
        // Stop consuming: no 'data' listener and paused, so nothing is read.
        stream.pause();
        resolve(stream);
      } else next();
    };
    stream.on('data', onData);
    stream.on('error', (e) => (e.code === 1 ? undefined : reject(e)));
    next();
  });
}

const t0 = Date.now();
const streams = [];
for (let s = 0; s < o.streams; s++) streams.push(await openStream());
log(
  'READY',
  JSON.stringify({
    connections: 1,
    streams: o.streams,
    watchersPerStream: o.watchersPerStream,
    watchers: o.streams * o.watchersPerStream,
    watchedRange: `[${o.prefix}, ${rangeEnd.toString()})`,
    consumerReads: false,
    rate: o.rate,
    valueBytes: o.valueBytes,
    keys: o.keys,
    setupSeconds: (Date.now() - t0) / 1000,
  }),
);
const tReady = Date.now();
const vals = Array.from({ length: 4 }, (_, i) => value(o.valueBytes, i + 1));
let puts = 0;
const endWrite = tReady + o.writeSeconds * 1000;
const inflight = new Set();
while (Date.now() < endWrite) {
  const due = tReady + (puts * 1000) / o.rate;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
  const i = puts++;
  const p = unary(conn.kv, 'Put', {
    key: Buffer.from(`${o.prefix}k${String(i % o.keys).padStart(4, '0')}`),
    value: vals[i % vals.length],
  }).finally(() => inflight.delete(p));
  inflight.add(p);
  if (inflight.size > 256) await Promise.race(inflight);
  if (puts % 2000 === 0) log(`puts=${puts}`);
}
await Promise.all(inflight);
log('DONE', JSON.stringify({ puts, writeSeconds: (Date.now() - tReady) / 1000 }));
const hold = tReady + o.holdSeconds * 1000 - Date.now();
if (hold > 0) await sleep(hold);
process.exit(0);
