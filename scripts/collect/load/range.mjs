// range: loads a key set, then hammers it with unpaginated range requests.
//   --phase load-large : `keys` keys under `prefix`; key i gets a value of
//                        sizes[i % sizes.length] bytes (one Put each, 4 in flight).
//                        A few distinct sizes keep the number of heap-profile
//                        buckets (one per stack *and* size for large objects) small.
//   --phase load-small : `keys` keys of `minBytes` bytes, written with Txn
//                        batches of 128 puts (etcd's default --max-txn-ops)
//   --phase range      : `concurrency` loops of Range(prefix, limit=0) for `seconds`
//   --phase count      : like range but count_only=true
// Every phase prints a DONE line with what it did.
import { connection, parseArgs, unary, log, pool, value } from './common.mjs';

const o = parseArgs({
  endpoint: '127.0.0.1:23911',
  phase: 'range',
  prefix: '/range/',
  keys: 200,
  sizes: '102400,262144,524288,1048576',
  minBytes: 16,
  concurrency: 4,
  seconds: 40,
  connections: 1,
});
const conns = Array.from({ length: o.connections }, () => connection(o.endpoint));
const key = (i) => Buffer.from(`${o.prefix}k${String(i).padStart(7, '0')}`);
// etcd's "range end" for a prefix: prefix with its last byte + 1.
const prefixEnd = (() => {
  const b = Buffer.from(o.prefix);
  b[b.length - 1]++;
  return b;
})();
const t0 = Date.now();

if (o.phase === 'load-large') {
  const sizes = o.sizes.split(',').map(Number);
  let bytes = 0;
  await pool(o.keys, 4, async (i) => {
    const size = sizes[i % sizes.length];
    bytes += size;
    await unary(conns[0].kv, 'Put', { key: key(i), value: value(size, i) });
  });
  log(
    'DONE',
    JSON.stringify({
      phase: o.phase,
      keys: o.keys,
      valueSizes: sizes,
      totalValueBytes: bytes,
      seconds: (Date.now() - t0) / 1000,
    }),
  );
} else if (o.phase === 'load-small') {
  const batch = 128;
  const v = value(o.minBytes, 7);
  const batches = Math.ceil(o.keys / batch);
  await pool(batches, 4, async (b) => {
    const success = [];
    for (let i = b * batch; i < Math.min(o.keys, (b + 1) * batch); i++)
      success.push({ request_put: { key: key(i), value: v } });
    await unary(conns[0].kv, 'Txn', { compare: [], success, failure: [] });
    if ((b + 1) % 500 === 0) log(`txn ${b + 1}/${batches}`);
  });
  log(
    'DONE',
    JSON.stringify({
      phase: o.phase,
      keys: o.keys,
      valueBytes: o.minBytes,
      txns: batches,
      opsPerTxn: batch,
      seconds: (Date.now() - t0) / 1000,
    }),
  );
} else if (o.phase === 'range' || o.phase === 'count') {
  const countOnly = o.phase === 'count';
  let requests = 0;
  let kvs = 0;
  let lastCount = '0';
  const end = t0 + o.seconds * 1000;
  log(
    'START',
    JSON.stringify({ phase: o.phase, concurrency: o.concurrency, seconds: o.seconds, connections: o.connections }),
  );
  await Promise.all(
    Array.from({ length: o.concurrency }, async (_, w) => {
      while (Date.now() < end) {
        const res = await unary(
          conns[w % o.connections].kv,
          'Range',
          { key: Buffer.from(o.prefix), range_end: prefixEnd, limit: 0, count_only: countOnly },
          120000,
        );
        requests++;
        kvs += res.kvs.length;
        lastCount = res.count;
      }
    }),
  );
  log(
    'DONE',
    JSON.stringify({
      phase: o.phase,
      requests,
      kvsReturned: kvs,
      countPerResponse: lastCount,
      concurrency: o.concurrency,
      connections: o.connections,
      seconds: (Date.now() - t0) / 1000,
    }),
  );
} else {
  throw new Error(`unknown phase ${o.phase}`);
}
for (const c of conns) c.close();
process.exit(0);
