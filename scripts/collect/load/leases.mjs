// leases: grants `leases` leases over one connection (`concurrency` grants in
// flight). Leases 0..keepalive-1 get TTL `shortTtl` and are kept alive over
// ONE LeaseKeepAlive stream, one keepalive per lease every `interval` seconds;
// the rest get TTL `longTtl` (so none expires during the run). The long ones
// are granted first, the short ones last, and keepalives start before keys are
// attached. Leases 0..withKeys-1 also get one key each (/lease/k<i>, 64 bytes).
// Prints READY after granting/attaching and the first keepalive round, then
// keeps going for `seconds` seconds and exits.
import { connection, parseArgs, unary, log, pool, sleep, value } from './common.mjs';

const o = parseArgs({
  endpoint: '127.0.0.1:23911',
  leases: 50000,
  keepalive: 5000,
  withKeys: 10000,
  shortTtl: 60,
  longTtl: 3600,
  interval: 5,
  concurrency: 64,
  seconds: 60,
});
const conn = connection(o.endpoint);
const t0 = Date.now();
const ids = new Array(o.leases);
let granted = 0;
const grant = (i) =>
  unary(conn.lease, 'LeaseGrant', { TTL: i < o.keepalive ? o.shortTtl : o.longTtl, ID: 0 }).then((res) => {
    ids[i] = res.ID;
    if (++granted % 10000 === 0) log(`granted ${granted}/${o.leases}`);
  });
// Long-TTL leases first, then the short-TTL ones, which are kept alive right
// away (before keys are attached), so that none can expire on a slow host.
await pool(o.leases - o.keepalive, o.concurrency, (j) => grant(o.keepalive + j));
await pool(o.keepalive, o.concurrency, (i) => grant(i));
const tGrant = (Date.now() - t0) / 1000;

const stream = conn.lease.LeaseKeepAlive();
let responses = 0;
let expiredSeen = 0;
stream.on('data', (r) => {
  responses++;
  if (r.TTL === '0') expiredSeen++;
});
stream.on('error', (e) => {
  if (e.code !== 1) {
    log('keepalive stream error', e.message);
    process.exit(2);
  }
});
let rounds = 0;
async function round() {
  const target = responses + o.keepalive;
  for (let i = 0; i < o.keepalive; i++) {
    if (!stream.write({ ID: ids[i] })) await new Promise((r) => stream.once('drain', r));
  }
  while (responses < target) await sleep(20);
  rounds++;
}
await round();
const tKa = Date.now();
const v = value(64, 3);
await pool(o.withKeys, o.concurrency, (i) =>
  unary(conn.kv, 'Put', { key: Buffer.from(`/lease/k${String(i).padStart(6, '0')}`), value: v, lease: ids[i] }),
);
const attachSeconds = (Date.now() - tKa) / 1000;
await round();
log(
  'READY',
  JSON.stringify({
    connections: 1,
    leasesGranted: o.leases,
    keptAlive: o.keepalive,
    keepaliveStreams: 1,
    keepaliveIntervalSeconds: o.interval,
    shortTtl: o.shortTtl,
    longTtl: o.longTtl,
    leasesWithKeys: o.withKeys,
    keyValueBytes: 64,
    grantConcurrency: o.concurrency,
    grantSeconds: tGrant,
    attachSeconds,
  }),
);
const end = Date.now() + o.seconds * 1000;
while (Date.now() < end) {
  const next = Date.now() + o.interval * 1000;
  await round();
  const wait = next - Date.now();
  if (wait > 0) await sleep(Math.min(wait, end - Date.now()));
}
log('DONE', JSON.stringify({ keepaliveRounds: rounds, keepaliveResponses: responses, expiredSeen }));
process.exit(0);
