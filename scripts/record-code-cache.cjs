/**
 * Run by scripts/bundle-cli.mjs with bin/pprof-doctor's V8 flags: loads dist/bundle/ the way
 * bin/launch.cjs does, runs the common commands on bundled samples (output discarded), and writes
 * for every chunk that was loaded the V8 code cache of every function that ran (<chunk>.v8cache).
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bundleDir = path.join(root, 'dist', 'bundle');
for (const f of fs.readdirSync(bundleDir)) if (f.endsWith('.v8cache')) fs.rmSync(path.join(bundleDir, f));
const { cacheFile, compileBundle } = require(path.join(root, 'bin', 'launch.cjs'));

const heap = path.join(root, 'samples', 'docs', 'etcd-3.2.23-leader-heap.pb.gz');
const cpu = path.join(root, 'samples', 'docs', 'etcd-3.2.23-leader-cpu-tls.pb.gz');
const cpu2 = path.join(root, 'samples', 'docs', 'etcd-3.2.23-leader-cpu-notls.pb.gz');
// A Go 1.2x etcd 3.5 capture: its goroutine and mutex profiles and modern runtime frames take
// paths in the engine and the context inference that the 3.2 samples do not.
const modern = path.join(root, 'samples', 'etcd-3.5.30', 'many-watchers');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pprof-doctor-cache-'));
const runs = [
  ['top', cpu],
  ['top', heap, '-sample_index=alloc_space', '--nodecount=20', '--cum'],
  ['top', heap, '--format', 'json'],
  ['peek', heap, 'mvcc'],
  ['traces', cpu],
  ['analyze', heap],
  ['analyze', cpu, '--format', 'markdown'],
  ['analyze', heap, '--format', 'json'],
  ['analyze', heap, '--format', 'html', '-o', path.join(tmp, 'report.html')],
  ['analyze', path.join(modern, 'cpu.pb.gz')],
  ['analyze', path.join(modern, 'goroutine.pb.gz')],
  ['analyze', path.join(modern, 'mutex.pb.gz'), '--format', 'json'],
  ['diff', cpu2, cpu],
  ['rules'],
];

async function record() {
  const bundle = compileBundle();
  if (!bundle) throw new Error('dist/bundle/cli.cjs is missing');
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  const discard = (_chunk, enc, cb) => {
    const done = typeof enc === 'function' ? enc : cb;
    if (done) process.nextTick(done);
    return true;
  };
  try {
    process.stdout.write = discard;
    process.stderr.write = discard;
    for (const argv of runs) {
      const code = await bundle.main(argv);
      if (code !== 0 && code !== 1) throw new Error(`pprof-doctor ${argv.join(' ')} exited ${code}`);
    }
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    process.exitCode = 0;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  for (const { file, script } of bundle.scripts) fs.writeFileSync(cacheFile(file), script.createCachedData());
}

record().catch((err) => {
  process.stderr.write(`record-code-cache: ${err?.message ? err.message : err}\n`);
  process.exitCode = 1;
});
