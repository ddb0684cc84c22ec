// many-watchers: `connections` TCP connections, `streams` gRPC Watch streams in
// total (spread round-robin over the connections), `watchersPerStream` watchers
// on each stream. Watcher w of stream s watches key /watch/k<(s + w) % keys>,
// so with streams >= keys every key has streams*watchersPerStream/keys watchers.
// After setup it prints a READY line, then puts to random watched keys at
// `rate` puts/s for `writeSeconds`, then keeps everything open until
// `holdSeconds` have passed since READY (or it is killed), then exits.
import { connection, parseArgs, unary, log, sleep, value, openWatchStream, pool } from './common.mjs';

const o = parseArgs({
  endpoint: '127.0.0.1:23911',
  connections: 1,
  streams: 200,
  watchersPerStream: 100,
  keys: 200,
  rate: 50,
  valueBytes: 256,
  writeSeconds: 40,
  holdSeconds: 90,
});

const conns = Array.from({ length: o.connections }, () => connection(o.endpoint));
const keyName = (k) => `/watch/k${String(k).padStart(4, '0')}`;

// Create the keys first so watchers see PUT events on existing keys.
await pool(o.keys, 16, (k) =>
  unary(conns[0].kv, 'Put', { key: Buffer.from(keyName(k)), value: value(o.valueBytes, k) }),
);

const t0 = Date.now();
const streams = [];
await pool(o.streams, 50, async (s) => {
  const keys = Array.from({ length: o.watchersPerStream }, (_, w) => keyName((s + w) % o.keys));
  streams[s] = await openWatchStream(conns[s % o.connections], keys);
});
const watchers = streams.reduce((n, s) => n + s.watchIds.length, 0);
const summary = {
  connections: o.connections,
  streams: streams.length,
  watchers,
  keys: o.keys,
  watchersPerKey: watchers / o.keys,
  putRate: o.rate,
  valueBytes: o.valueBytes,
  setupMs: Date.now() - t0,
};
log('READY', JSON.stringify(summary));

const tReady = Date.now();
let puts = 0;
const writeEnd = tReady + o.writeSeconds * 1000;
const interval = 1000 / o.rate;
let nextAt = Date.now();
while (Date.now() < writeEnd) {
  const k = Math.floor(Math.random() * o.keys);
  await unary(conns[0].kv, 'Put', { key: Buffer.from(keyName(k)), value: value(o.valueBytes, puts) });
  puts++;
  nextAt += interval;
  const wait = nextAt - Date.now();
  if (wait > 0) await sleep(wait);
}
const events = streams.reduce((n, s) => n + s.events, 0);
log('WRITES_DONE', JSON.stringify({ puts, eventsReceived: events }));
const holdLeft = tReady + o.holdSeconds * 1000 - Date.now();
if (holdLeft > 0) await sleep(holdLeft);
log('EXIT');
process.exit(0);
