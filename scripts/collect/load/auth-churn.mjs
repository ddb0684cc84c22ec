// auth-churn: the anti-pattern of creating a new authenticated client for every
// request. `concurrency` loops, for `seconds` seconds; each iteration opens a
// NEW TCP connection, calls Auth.Authenticate(user, password) (etcd checks the
// password with bcrypt), sends one Range (or Put with --op put) carrying the
// returned token, and closes the connection. Prints START, progress and DONE.
import grpc from '@grpc/grpc-js';
import { connection, parseArgs, unary, log, value } from './common.mjs';

const o = parseArgs({
  endpoint: '127.0.0.1:23911',
  user: 'root',
  password: '',
  concurrency: 4,
  seconds: 40,
  op: 'range',
  key: '/auth/key',
});
if (!o.password) throw new Error('--password is required');
const t0 = Date.now();
const end = t0 + o.seconds * 1000;
let connections = 0;
let authenticated = 0;
let requests = 0;
let errors = 0;
log('START', JSON.stringify({ ...o, password: '(set)' }));
const v = value(64, 5);
async function loop() {
  while (Date.now() < end) {
    const conn = connection(o.endpoint);
    connections++;
    try {
      const res = await unary(conn.auth, 'Authenticate', { name: o.user, password: o.password });
      authenticated++;
      const md = new grpc.Metadata();
      md.set('token', res.token);
      await new Promise((resolve, reject) => {
        const cb = (err) => (err ? reject(err) : resolve());
        if (o.op === 'put') conn.kv.Put({ key: Buffer.from(o.key), value: v }, md, cb);
        else conn.kv.Range({ key: Buffer.from(o.key) }, md, cb);
      });
      requests++;
    } catch (e) {
      errors++;
      if (errors <= 5) log('error', e.message);
    } finally {
      conn.close();
    }
  }
}
const timer = setInterval(
  () => log(`connections=${connections} authenticated=${authenticated} requests=${requests} errors=${errors}`),
  5000,
);
await Promise.all(Array.from({ length: o.concurrency }, loop));
clearInterval(timer);
log(
  'DONE',
  JSON.stringify({
    concurrency: o.concurrency,
    newConnectionPerRequest: true,
    connections,
    authenticated,
    requests,
    errors,
    seconds: (Date.now() - t0) / 1000,
  }),
);
process.exit(errors > requests ? 2 : 0);
