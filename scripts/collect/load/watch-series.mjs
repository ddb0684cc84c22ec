// watch-series: load for the trend series.
//   --mode leak   : every second opens `streamsPerSecond` NEW Watch streams
//                   (each its own HTTP/2 stream => its own serverWatchStream in
//                   etcd) with `watchersPerStream` watchers each, and never
//                   closes them; a new TCP connection is opened for every
//                   `streamsPerConnection` streams.
//   --mode steady : opens `streams` streams x `watchersPerStream` watchers on
//                   one connection once, then keeps that constant.
// Both modes put to the watched keys at `rate` puts/s and read at `getRate`
// gets/s (256-byte values, `keys` keys), for at most `seconds` seconds, and
// write their current totals to `stateFile` (JSON) every second.
import fs from 'node:fs';
import { connection, parseArgs, unary, log, sleep, value, openWatchStream } from './common.mjs';

const o = parseArgs({
  endpoint: '127.0.0.1:23911',
  mode: 'leak',
  streamsPerSecond: 10,
  streamsPerConnection: 100,
  streams: 20,
  watchersPerStream: 10,
  keys: 100,
  rate: 20,
  getRate: 20,
  seconds: 150,
  stateFile: '/tmp/watch-series.json',
});
const keyName = (k) => `/series/k${String(k).padStart(4, '0')}`;
const conns = [connection(o.endpoint)];
const streams = [];
let puts = 0;
let gets = 0;
let streamSeq = 0;
const t0 = Date.now();
const end = t0 + o.seconds * 1000;

for (let k = 0; k < o.keys; k++)
  await unary(conns[0].kv, 'Put', { key: Buffer.from(keyName(k)), value: value(256, k) });

async function openStreams(n) {
  const opened = [];
  for (let i = 0; i < n; i++) {
    if (o.mode === 'leak' && streamSeq > 0 && streamSeq % o.streamsPerConnection === 0)
      conns.push(connection(o.endpoint));
    const s = streamSeq++;
    const keys = Array.from({ length: o.watchersPerStream }, (_, w) => keyName((s * o.watchersPerStream + w) % o.keys));
    opened.push(openWatchStream(conns[conns.length - 1], keys));
  }
  streams.push(...(await Promise.all(opened)));
}

function writeState() {
  const state = {
    mode: o.mode,
    elapsedSeconds: (Date.now() - t0) / 1000,
    connections: conns.length,
    streams: streams.length,
    watchers: streams.reduce((n, s) => n + s.watchIds.length, 0),
    puts,
    gets,
    putRate: o.rate,
    getRate: o.getRate,
    valueBytes: 256,
    keys: o.keys,
  };
  fs.writeFileSync(`${o.stateFile}.tmp`, JSON.stringify(state));
  fs.renameSync(`${o.stateFile}.tmp`, o.stateFile);
  return state;
}

if (o.mode === 'steady') await openStreams(o.streams);
writeState();
log('READY', JSON.stringify(writeState()));

async function paced(ratePerSec, fn) {
  if (ratePerSec <= 0) return;
  const interval = 1000 / ratePerSec;
  let next = Date.now();
  while (Date.now() < end) {
    await fn();
    next += interval;
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
  }
}

const writer = paced(o.rate, async () => {
  await unary(conns[0].kv, 'Put', { key: Buffer.from(keyName(puts % o.keys)), value: value(256, puts) });
  puts++;
});
const reader = paced(o.getRate, async () => {
  await unary(conns[0].kv, 'Range', { key: Buffer.from(keyName(gets % o.keys)) });
  gets++;
});
const leaker = (async () => {
  if (o.mode !== 'leak') return;
  while (Date.now() < end) {
    const next = Date.now() + 1000;
    await openStreams(o.streamsPerSecond);
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
  }
})();
const stater = (async () => {
  while (Date.now() < end) {
    writeState();
    await sleep(1000);
  }
})();
await Promise.all([writer, reader, leaker, stater]);
log('DONE', JSON.stringify(writeState()));
process.exit(0);
