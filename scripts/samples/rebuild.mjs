#!/usr/bin/env node
// Rebuilds samples/docs/*.pb.gz from the source documents' figures, deterministically.
// Usage: node scripts/samples/rebuild.mjs [--check]   (--check: exit 1 if a file would change)
// scripts/samples/verify.mjs compares the result with `go tool pprof` (needs Go).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as cpuNoTls from './doc003-cpu-notls.mjs';
import * as cpuTls from './doc003-cpu-tls.mjs';
import * as heap003 from './doc003-heap.mjs';
import * as raft000 from './doc000-raft-heap.mjs';
import * as client002 from './doc002-client-heap.mjs';

export const jobs = [
  ['etcd-3.2.23-leader-heap.pb.gz', heap003],
  ['etcd-3.2.23-leader-cpu-tls.pb.gz', cpuTls],
  ['etcd-3.2.23-leader-cpu-notls.pb.gz', cpuNoTls],
  ['client-3.1.3-watch-leak-heap.pb.gz', client002],
  ['etcd-3.4.9-raft-log-1mb-heap.pb.gz', raft000],
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function main() {
  const fixtures = join(root, 'test', 'fixtures', 'docs');
  const out = join(root, 'samples', 'docs');
  const check = process.argv.includes('--check');
  let changed = 0;
  for (const [file, spec] of jobs) {
    const table = spec.fixture ? readFileSync(join(fixtures, spec.fixture), 'utf8') : undefined;
    const bytes = spec.build(table).gzip();
    const path = join(out, file);
    const same = existsSync(path) && Buffer.compare(readFileSync(path), bytes) === 0;
    if (!same) changed++;
    if (!check) writeFileSync(path, bytes);
    const verb = same ? 'unchanged' : check ? 'WOULD CHANGE' : 'wrote';
    console.log(`${verb} samples/docs/${file} (${bytes.length} bytes)`);
  }
  if (check && changed) process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
