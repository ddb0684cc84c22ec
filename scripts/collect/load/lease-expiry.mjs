// lease-expiry: grants `leases` leases of the same TTL over one connection
// (`concurrency` grants in flight), attaches one key (/expire/k<i>, 64 bytes) to
// each, never keeps them alive and exits. Prints READY with the time the first
// lease was granted: all of them expire about `ttl` seconds later, together.
import { connection, log, parseArgs, pool, unary, value } from './common.mjs';

const o = parseArgs({ endpoint: '127.0.0.1:23911', leases: 20000, ttl: 20, concurrency: 64 });
const conn = connection(o.endpoint);
const t0 = Date.now();
const v = value(64, 3);
await pool(o.leases, o.concurrency, async (i) => {
  const res = await unary(conn.lease, 'LeaseGrant', { TTL: o.ttl, ID: 0 });
  await unary(conn.kv, 'Put', { key: Buffer.from(`/expire/k${String(i).padStart(6, '0')}`), value: v, lease: res.ID });
});
const seconds = (Date.now() - t0) / 1000;
log(
  'READY',
  JSON.stringify({ leases: o.leases, ttl: o.ttl, keysPerLease: 1, firstGrantEpochMs: t0, grantSeconds: seconds }),
);
conn.close();
process.exit(0);
