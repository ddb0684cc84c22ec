// Shared gRPC plumbing for the etcd v3 load generators.
//
// We talk to etcd through @grpc/grpc-js directly (using the .proto files shipped
// in the `etcd3` npm package) instead of the high-level etcd3 client so that the
// number of TCP connections, gRPC streams and watchers is exactly what the
// scripts say: every Channel created by `connection()` is its own TCP
// connection (local subchannel pool), and every `watch.Watch()` call is its
// own HTTP/2 stream, i.e. its own serverWatchStream inside etcd.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const protoDir = path.join(path.dirname(require.resolve('etcd3/package.json')), 'proto');
const def = protoLoader.loadSync(path.join(protoDir, 'rpc.proto'), {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
export const pb = grpc.loadPackageDefinition(def).etcdserverpb;

export function parseArgs(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [k, inline] = a.slice(2).split('=', 2);
    const v = inline ?? argv[++i];
    if (!(k in defaults)) throw new Error(`unknown option --${k}`);
    out[k] = typeof defaults[k] === 'number' ? Number(v) : v;
  }
  return out;
}

/** One TCP connection to `endpoint` ("127.0.0.1:23911"), with KV/Watch/Lease/Maintenance/Auth stubs sharing it. */
export function connection(endpoint) {
  const host = endpoint.replace(/^https?:\/\//, '');
  if (!/^127\.0\.0\.1:\d+$/.test(host)) throw new Error(`refusing non-loopback endpoint ${endpoint}`);
  const channel = new grpc.Channel(host, grpc.credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
  });
  const opts = { channelOverride: channel };
  const creds = grpc.credentials.createInsecure();
  return {
    channel,
    kv: new pb.KV(host, creds, opts),
    watch: new pb.Watch(host, creds, opts),
    lease: new pb.Lease(host, creds, opts),
    maintenance: new pb.Maintenance(host, creds, opts),
    auth: new pb.Auth(host, creds, opts),
    close() {
      channel.close();
    },
  };
}

export function unary(client, method, req, timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    client[method](req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Run `fn(i)` for i in [0,n) with at most `concurrency` in flight. */
export async function pool(n, concurrency, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      await fn(i);
    }
  });
  await Promise.all(workers);
}

/** Deterministic value of `size` bytes (printable, compressible-ish but not constant). */
export function value(size, seed = 0) {
  const b = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = 97 + (x % 26);
  }
  return b;
}

/**
 * Opens one watch stream on `conn` and creates `keys.length` watchers on it, one
 * create request per key, each awaited before the next (like clientv3 does).
 * Resolves to { stream, watchIds, events } once every watcher is created.
 */
export function openWatchStream(conn, keys, { prevKv = false } = {}) {
  return new Promise((resolve, reject) => {
    const stream = conn.watch.Watch();
    const state = { stream, watchIds: [], events: 0, responses: 0 };
    let pending = 0;
    const sendNext = () => {
      if (pending >= keys.length) return resolve(state);
      stream.write({ create_request: { key: Buffer.from(keys[pending]), prev_kv: prevKv } });
    };
    stream.on('data', (res) => {
      state.responses++;
      if (res.created) {
        state.watchIds.push(res.watch_id);
        pending++;
        sendNext();
      }
      state.events += res.events.length;
    });
    stream.on('error', (err) => {
      if (err.code === grpc.status.CANCELLED) return;
      reject(err);
    });
    sendNext();
  });
}
