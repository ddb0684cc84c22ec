/**
 * Loads the CLI for bin/pprof-doctor: the CommonJS chunks under dist/bundle/ (entry cli.cjs), each
 * compiled with its V8 code cache (see scripts/bundle-cli.mjs for why and what it saves), or, when
 * there is no bundle (a bare `tsc` build) or with PPROF_DOCTOR_NO_BUNDLE=1, the ES modules under
 * dist/cli/.
 *
 * CommonJS on purpose: a CommonJS entry does not start Node's ES module loader at all.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundleDir = path.join(__dirname, '..', 'dist', 'bundle');

/**
 * Compiles and runs the entry chunk; chunks it requires are loaded the same way. Undefined when
 * there is no bundle. `scripts` lists every chunk compiled so far (for recording the caches).
 */
function compileBundle() {
  const loaded = new Map();
  const scripts = [];
  const load = (file) => {
    const done = loaded.get(file);
    if (done) return done.exports;
    const source = fs.readFileSync(file, 'latin1');
    let cachedData;
    try {
      cachedData = fs.readFileSync(cacheFile(file));
    } catch {
      // No cache: compiled from source.
    }
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
      filename: file,
      cachedData,
    });
    const mod = { exports: {} };
    loaded.set(file, mod); // before running it, as Node does, for require cycles between chunks
    scripts.push({ file, script });
    const dir = path.dirname(file);
    // Chunks require each other by relative path and Node's built-in modules by name.
    const chunkRequire = (id) => (id.startsWith('.') ? load(path.join(dir, id)) : require(id));
    script.runInThisContext()(mod.exports, chunkRequire, mod, file, dir);
    return mod.exports;
  };
  let entry;
  try {
    entry = load(path.join(bundleDir, 'cli.cjs'));
  } catch (err) {
    if (err && err.code === 'ENOENT' && loaded.size === 0) return undefined;
    throw err;
  }
  return { main: entry.main, scripts };
}

/** Where the code cache of a chunk lives. */
function cacheFile(chunk) {
  return chunk.replace(/\.cjs$/, '.v8cache');
}

/** The CLI's main(argv) → exit code. */
async function loadMain() {
  const bundle = process.env.PPROF_DOCTOR_NO_BUNDLE ? undefined : compileBundle();
  if (bundle) return bundle.main;
  return (await import('../dist/cli/main.js')).main;
}

function run(argv) {
  loadMain()
    .then((main) => main(argv))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.stderr.write(`pprof-doctor: internal error: ${err?.message ? err.message : String(err)}\n`);
        process.exitCode = 3;
      },
    );
}

module.exports = { cacheFile, compileBundle, run };
